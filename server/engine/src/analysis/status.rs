//! Where a plan stands, for an agent deciding what to do next: its Progress
//! items as steps (the shape of Codex's plan tool, `{step, status}`), the
//! count, the latest stamp, and the living sections that need writing.

use serde::Serialize;

use super::line_number;
use super::plan_edits::is_placeholder;
use crate::model::{CheckState, CheckboxItem, PlanModel, SectionKind};

/// A Progress item as a step.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Step {
    pub step: String,
    /// `completed`, `in_progress` (a partial item or a box such as `[~]`)
    /// or `pending`.
    pub status: &'static str,
    /// 1-based line of the item.
    pub line: usize,
}

/// A living section that needs attention.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LivingSection {
    pub section: &'static str,
    /// `missing`, `empty` or `stale`.
    pub state: &'static str,
    pub why: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PlanStatus {
    pub title: Option<String>,
    pub done: usize,
    pub total: usize,
    /// Every Progress item, in order.
    pub plan: Vec<Step>,
    /// The first open items (at most `next_count`).
    pub next: Vec<Step>,
    /// The latest Progress stamp, as written.
    pub last_update: Option<String>,
    /// Living sections that are missing, empty or stale.
    pub living: Vec<LivingSection>,
}

fn step(text: &str, item: &CheckboxItem) -> Step {
    let status = match item.state {
        CheckState::Checked => "completed",
        CheckState::Other(_) => "in_progress",
        CheckState::Unchecked if item.partial.is_some() => "in_progress",
        CheckState::Unchecked => "pending",
    };
    Step {
        step: item.text.clone(),
        status,
        line: line_number(text, item.span.start),
    }
}

/// The status of the plan `text` with its `model`.
pub fn plan_status(text: &str, model: &PlanModel, next_count: usize) -> PlanStatus {
    let plan: Vec<Step> = model.progress_items().map(|i| step(text, i)).collect();
    let done = plan.iter().filter(|s| s.status == "completed").count();
    let next = plan
        .iter()
        .filter(|s| s.status != "completed")
        .take(next_count)
        .cloned()
        .collect();
    let last_update = model
        .progress_items()
        .filter_map(|i| i.timestamp.as_ref())
        .filter_map(|t| t.sort_key().map(|k| (k, t.raw.clone())))
        .max_by_key(|(k, _)| *k)
        .map(|(_, raw)| raw);
    let mut living = Vec::new();
    for kind in [
        SectionKind::Progress,
        SectionKind::Surprises,
        SectionKind::DecisionLog,
        SectionKind::Outcomes,
    ] {
        let name = kind.canonical_name();
        let Some(section) = model.section(kind) else {
            living.push(LivingSection {
                section: name,
                state: "missing",
                why: format!("the plan has no {name} section"),
            });
            continue;
        };
        let heading = &model.heading_of(section).span;
        let own = &text[heading.end.min(section.span.end)..section.span.end];
        if !section.has_subsections && is_placeholder(own) {
            let all_done = !plan.is_empty() && done == plan.len();
            let (state, why) = if kind == SectionKind::Outcomes && all_done {
                (
                    "stale",
                    "every Progress item is done: summarise what was achieved, what remains and the lessons".to_string(),
                )
            } else if kind == SectionKind::Progress {
                ("empty", "Progress has no items".to_string())
            } else {
                ("empty", format!("{name} has no entries yet"))
            };
            living.push(LivingSection {
                section: name,
                state,
                why,
            });
        }
    }
    PlanStatus {
        title: model.title_heading().map(|h| h.text.clone()),
        done,
        total: plan.len(),
        plan,
        next,
        last_update,
        living,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::build_from_text;

    #[test]
    fn steps_count_and_living_sections() {
        let text = "# Cache\n\n## Progress\n\n- [x] (2026-11-20 10:00Z) Read.\n- [x] (2026-11-21 09:00Z) Design.\n- [ ] Build (completed: reads; remaining: writes).\n- [ ] Ship.\n\n## Decision Log\n\nNone yet.\n\n## Outcomes & Retrospective\n\nNone yet.\n";
        let status = plan_status(text, &build_from_text(text), 1);
        assert_eq!(status.title.as_deref(), Some("Cache"));
        assert_eq!((status.done, status.total), (2, 4));
        let states: Vec<_> = status.plan.iter().map(|s| s.status).collect();
        assert_eq!(states, ["completed", "completed", "in_progress", "pending"]);
        assert_eq!(status.next.len(), 1);
        assert_eq!(status.next[0].line, 7);
        assert_eq!(status.last_update.as_deref(), Some("(2026-11-21 09:00Z)"));
        let living: Vec<_> = status.living.iter().map(|l| (l.section, l.state)).collect();
        assert_eq!(
            living,
            [
                ("Surprises & Discoveries", "missing"),
                ("Decision Log", "empty"),
                ("Outcomes & Retrospective", "empty")
            ]
        );
    }

    #[test]
    fn outcomes_left_empty_when_all_is_done_are_stale() {
        let text = "# P\n\n## Progress\n\n- [x] (2026-11-20 10:00Z) All.\n\n## Outcomes & Retrospective\n\nNone yet.\n";
        let status = plan_status(text, &build_from_text(text), 3);
        assert!(status.next.is_empty());
        assert!(
            status
                .living
                .iter()
                .any(|l| l.section == "Outcomes & Retrospective" && l.state == "stale")
        );
    }
}
