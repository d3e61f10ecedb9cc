//! Where a plan stands, for `execplan-ls report`: its Progress count, when
//! its items were done (from their stamps), its pace, whether it has stalled,
//! its Decision Log and Surprises counts and its findings by severity. The
//! findings come from the same check `execplan-ls check` runs
//! ([`crate::checker::check_plan`]), so the report and the checker agree.

use std::path::Path;

use jiff::{SignedDuration, Timestamp};

use crate::analysis::outline::ProgressCount;
use crate::analysis::{Diagnostic, Severity};
use crate::checker;
use crate::config::Settings;
use crate::model::{CheckState, PlanModel};
use crate::workspace::{PathCache, PlanEnv};

/// Findings of one plan, by severity.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FindingCounts {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    pub hints: usize,
}

impl FindingCounts {
    pub fn of(diagnostics: &[Diagnostic]) -> FindingCounts {
        let mut counts = FindingCounts::default();
        for d in diagnostics {
            match d.severity {
                Severity::Error => counts.errors += 1,
                Severity::Warning => counts.warnings += 1,
                Severity::Info => counts.infos += 1,
                Severity::Hint => counts.hints += 1,
            }
        }
        counts
    }

    pub fn total(&self) -> usize {
        self.errors + self.warnings + self.infos + self.hints
    }
}

/// Where one plan stands.
#[derive(Clone, Debug, PartialEq)]
pub struct PlanStatus {
    /// The H1 title's text, if the plan has one.
    pub title: Option<String>,
    /// Progress items checked off, of all (as the outline counts them).
    pub progress: ProgressCount,
    /// When each stamped completed Progress item was done, oldest first.
    /// Stamps that are not real dates, placeholders and stamps later than
    /// `now` are left out.
    pub done_at: Vec<Timestamp>,
    /// The latest stamp on any Progress item, done or not (never after `now`).
    pub last_update: Option<Timestamp>,
    /// Decision Log entries.
    pub decisions: usize,
    /// Surprises & Discoveries entries.
    pub surprises: usize,
    pub findings: FindingCounts,
}

impl PlanStatus {
    /// The status of a plan whose model is built and whose findings are known.
    pub fn of(model: &PlanModel, diagnostics: &[Diagnostic], now: Timestamp) -> PlanStatus {
        let stamp = |item: &crate::model::CheckboxItem| {
            item.timestamp
                .as_ref()
                .filter(|t| !t.placeholder)
                .and_then(|t| t.sort_key())
                .filter(|at| *at <= now)
        };
        let mut done_at: Vec<Timestamp> = model
            .progress_items()
            .filter(|item| item.state == CheckState::Checked)
            .filter_map(stamp)
            .collect();
        done_at.sort();
        let last_update = model.progress_items().filter_map(stamp).max();
        PlanStatus {
            title: model.title_heading().map(|h| h.text.trim().to_string()),
            progress: ProgressCount::of(model),
            done_at,
            last_update,
            decisions: model.decisions.len(),
            surprises: model.surprises.len(),
            findings: FindingCounts::of(diagnostics),
        }
    }

    /// Progress items still open.
    pub fn open(&self) -> usize {
        self.progress.total - self.progress.done
    }

    /// Stamped items done per day, from the first stamp to the last; `None`
    /// with fewer than two stamps or when they are less than ten minutes
    /// apart (no rate can be read from that).
    pub fn pace_per_day(&self) -> Option<f64> {
        let (first, last) = (self.done_at.first()?, self.done_at.last()?);
        let span = last.duration_since(*first);
        if self.done_at.len() < 2 || span < SignedDuration::from_mins(10) {
            return None;
        }
        Some(self.done_at.len() as f64 / (span.as_secs_f64() / 86_400.0))
    }

    /// How long since the last update, if there was one.
    pub fn idle_for(&self, now: Timestamp) -> Option<SignedDuration> {
        self.last_update.map(|at| now.duration_since(at))
    }

    /// A plan has stalled when items are still open and its last update is
    /// older than `after`. A plan with no stamp at all has no known last
    /// update and is not called stalled.
    pub fn is_stalled(&self, now: Timestamp, after: SignedDuration) -> bool {
        self.open() > 0 && self.idle_for(now).is_some_and(|idle| idle > after)
    }
}

/// Checks the document as `execplan-ls check` does and tells where it
/// stands, with its findings; `None` when it is not a plan.
pub fn plan_status(
    text: &str,
    path: Option<&Path>,
    env: &PlanEnv,
    settings: &Settings,
    now: Timestamp,
    paths: Option<&PathCache>,
) -> Option<(PlanStatus, Vec<Diagnostic>)> {
    let (model, diagnostics) = checker::check_plan(text, path, env, settings, now, paths)?;
    Some((PlanStatus::of(&model, &diagnostics, now), diagnostics))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::build_from_text;

    const PLAN: &str = "# Cache the parser\n\n\
        This ExecPlan is a living document.\n\n\
        ## Progress\n\n\
        - [x] (2026-11-20 10:00Z) Measure.\n\
        - [x] (2026-11-22 10:00Z) Add the cache.\n\
        - [x] Unstamped but done.\n\
        - [x] (YYYY-MM-DD HH:MMZ) Placeholder.\n\
        - [ ] (2026-11-23 12:00Z) Started, not done.\n\
        - [ ] Evict.\n\n\
        ## Surprises & Discoveries\n\n\
        - Observation: reads are slow.\n  Evidence: the profile.\n\n\
        ## Decision Log\n\n\
        - Decision: key by content.\n  Rationale: renames.\n  Date/Author: 2026-11-20 / me\n\
        - Decision: no eviction yet.\n  Rationale: later.\n  Date/Author: 2026-11-21 / me\n";

    fn at(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn counts_progress_stamps_entries_and_pace() {
        let model = build_from_text(PLAN);
        let status = PlanStatus::of(&model, &[], at("2026-12-01T00:00Z"));
        assert_eq!(status.title.as_deref(), Some("Cache the parser"));
        assert_eq!((status.progress.done, status.progress.total), (4, 6));
        assert_eq!(status.open(), 2);
        assert_eq!(
            status.done_at,
            vec![at("2026-11-20T10:00Z"), at("2026-11-22T10:00Z")]
        );
        // The open item's stamp is the latest update.
        assert_eq!(status.last_update, Some(at("2026-11-23T12:00Z")));
        assert_eq!((status.decisions, status.surprises), (2, 1));
        // Two items over two days.
        assert_eq!(status.pace_per_day(), Some(1.0));
    }

    #[test]
    fn stalled_only_with_open_items_and_an_old_update() {
        let model = build_from_text(PLAN);
        let week = SignedDuration::from_hours(7 * 24);
        let soon = PlanStatus::of(&model, &[], at("2026-11-25T00:00Z"));
        assert!(!soon.is_stalled(at("2026-11-25T00:00Z"), week));
        let later = PlanStatus::of(&model, &[], at("2026-12-10T00:00Z"));
        assert!(later.is_stalled(at("2026-12-10T00:00Z"), week));
        let finished = build_from_text(&PLAN.replace("- [ ]", "- [x]"));
        let done = PlanStatus::of(&finished, &[], at("2026-12-10T00:00Z"));
        assert!(!done.is_stalled(at("2026-12-10T00:00Z"), week));
    }

    #[test]
    fn future_stamps_do_not_count_as_updates() {
        let model = build_from_text(PLAN);
        // Before every stamp: none of them has happened yet.
        let status = PlanStatus::of(&model, &[], at("2026-11-01T00:00Z"));
        assert_eq!(status.last_update, None);
        assert!(status.done_at.is_empty());
        assert_eq!(status.pace_per_day(), None);
    }
}
