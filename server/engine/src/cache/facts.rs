//! The outside facts a check read, recorded with its cache entry and
//! checked again before the entry is used: what each path the plan names
//! resolved to (a stat or two each, through the run's [`PathCache`]), the
//! commit EP701 read the history at, and until when the current time leaves
//! the findings as they are (EP206's "in the future", fixes that stamp the
//! current minute).

use std::path::Path;

use crate::analysis::Diagnostic;
use crate::model::PlanModel;
use crate::model::timestamp::format_canonical;
use crate::workspace::{PathCache, PathKind};

#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Facts {
    /// Each path looked up from the repository root, with what it was.
    pub paths: Vec<(String, StoredKind)>,
    /// The commit the history was read at, when the findings read it.
    pub head: Option<String>,
    /// The second (since 1970, UTC) from which the current time may change
    /// the findings.
    pub valid_until: Option<i64>,
}

/// [`PathKind`] as stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum StoredKind {
    File,
    Folder,
    Missing,
    Outside,
}

impl From<PathKind> for StoredKind {
    fn from(kind: PathKind) -> StoredKind {
        match kind {
            PathKind::File => StoredKind::File,
            PathKind::Folder => StoredKind::Folder,
            PathKind::Missing => StoredKind::Missing,
            PathKind::Outside => StoredKind::Outside,
        }
    }
}

impl Facts {
    /// The facts of a check that looked `paths` up, read the history at
    /// `head` (when it did), and found `diagnostics` in `model` at `now`.
    pub fn of(
        mut paths: Vec<(String, PathKind)>,
        head: Option<String>,
        model: Option<&PlanModel>,
        diagnostics: &[Diagnostic],
        now: jiff::Timestamp,
    ) -> Facts {
        paths.sort_by(|a, b| a.0.cmp(&b.0));
        paths.dedup_by(|a, b| a.0 == b.0);
        Facts {
            paths: paths.into_iter().map(|(p, k)| (p, k.into())).collect(),
            head,
            valid_until: valid_until(model, diagnostics, now),
        }
    }

    /// Whether every fact still holds: each path resolves as it did from
    /// `root`, the history's head is `head()` (asked only when the entry
    /// read it), and `now` is before the entry's time runs out.
    pub fn hold(
        &self,
        root: Option<&Path>,
        paths: &PathCache,
        head: impl FnOnce() -> Option<String>,
        now: jiff::Timestamp,
    ) -> bool {
        if self
            .valid_until
            .is_some_and(|until| now.as_second() >= until)
        {
            return false;
        }
        if !self.paths.is_empty() {
            let Some(root) = root else { return false };
            let mut under = paths.under(root);
            if !self
                .paths
                .iter()
                .all(|(rel, kind)| StoredKind::from(under.kind(rel)) == *kind)
            {
                return false;
            }
        }
        match &self.head {
            Some(recorded) => head().as_deref() == Some(recorded.as_str()),
            None => true,
        }
    }
}

/// Until when `now` can move without changing the findings: the earliest
/// moment a Progress stamp stops being "in the future" (EP206: more than
/// five minutes ahead), and the next minute when a fix other than EP203's
/// stamp writes the current minute (splitting a partly done item).
fn valid_until(
    model: Option<&PlanModel>,
    diagnostics: &[Diagnostic],
    now: jiff::Timestamp,
) -> Option<i64> {
    let now_s = now.as_second();
    let mut until: Option<i64> = None;
    let mut limit = |at: i64| until = Some(until.map_or(at, |u| u.min(at)));
    for ts in model
        .into_iter()
        .flat_map(|m| m.progress_items())
        .filter_map(|i| i.timestamp.as_ref())
    {
        if let Some((earliest, _)) = ts.instant_bounds() {
            let flips = earliest.as_second() - 5 * 60;
            if flips > now_s {
                limit(flips);
            }
        }
    }
    let stamp = format_canonical(now);
    let minute = stamp.trim_matches(['(', ')']).trim_end_matches('Z');
    let minute_t = minute.replacen(' ', "T", 1);
    // EP203's stamp is written back at each use (`stored.rs`); any other
    // fix that writes the current minute holds for this minute only.
    let writes_now = diagnostics
        .iter()
        .filter(|d| !super::stored::stamps_now(d, &stamp))
        .flat_map(|d| &d.fix)
        .any(|f| {
            std::iter::once(f.title.as_str())
                .chain(f.edits.iter().map(|e| e.new_text.as_str()))
                .any(|t| t.contains(minute) || t.contains(&minute_t))
        });
    if writes_now {
        limit(now_s - now_s.rem_euclid(60) + 60);
    }
    until
}
