//! Code lenses: on the Progress heading, how far the plan is, when it was
//! last stamped and the pace; on each milestone, the state of the Progress
//! items that name it.

use crate::model::{CheckState, CheckboxItem, PlanModel, SectionKind, Span};

use super::hover::ago;
use super::outline::{ProgressCount, is_milestone_name};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lens {
    /// Where the lens sits: the heading.
    pub span: Span,
    pub title: String,
}

pub fn lenses(model: &PlanModel, now: jiff::Timestamp) -> Vec<Lens> {
    let mut out = Vec::new();
    if let Some(progress) = model.section(SectionKind::Progress) {
        let heading = model.heading_of(progress);
        out.push(Lens {
            span: heading.span.clone(),
            title: progress_summary(model, now),
        });
    }
    for section in &model.sections {
        let heading = model.heading_of(section);
        if section.kind.is_some() || !is_milestone_name(&heading.text) {
            continue;
        }
        let Some(key) = milestone_key(&heading.text) else {
            continue;
        };
        let items: Vec<&CheckboxItem> = model
            .progress_items()
            .filter(|item| names_milestone(&item_context(model, item), &key))
            .collect();
        if items.is_empty() {
            continue;
        }
        let done = items
            .iter()
            .filter(|i| i.state == CheckState::Checked)
            .count();
        let state = if done == items.len() {
            "done".to_string()
        } else {
            format!("{done}/{} done", items.len())
        };
        out.push(Lens {
            span: heading.span.clone(),
            title: format!("Progress: {state}"),
        });
    }
    out
}

/// What clicking a lens shows: the Progress summary and the items still
/// open, such as `Progress: 1/3 done. Open: Measure it; Document it.`
pub fn progress_report(model: &PlanModel, now: jiff::Timestamp) -> String {
    let open: Vec<&str> = model
        .progress_items()
        .filter(|i| i.state != CheckState::Checked)
        .map(|i| i.text.trim().trim_end_matches('.'))
        .collect();
    let mut report = format!("Progress: {}.", progress_summary(model, now));
    if !open.is_empty() {
        report.push_str(&format!(" Open: {}.", open.join("; ")));
    }
    report
}

/// `3/7 done · last update 2 hours ago · 1.5 items/day`.
fn progress_summary(model: &PlanModel, now: jiff::Timestamp) -> String {
    let count = ProgressCount::of(model);
    let mut parts = vec![count.describe()];
    let stamps: Vec<jiff::Timestamp> = model
        .progress_items()
        .filter(|i| i.state == CheckState::Checked)
        .filter_map(|i| i.timestamp.as_ref()?.sort_key())
        .collect();
    if let (Some(first), Some(last)) = (stamps.iter().min(), stamps.iter().max()) {
        parts.push(format!("last update {}", ago(*last, now)));
        let days = (last.as_second() - first.as_second()) as f64 / 86_400.0;
        let pace = stamps.len() as f64 / days.max(1.0);
        parts.push(format!("{pace:.1} items/day"));
    }
    parts.join(" · ")
}

/// The milestone's name after the keyword: `2` in `Milestone 2: Parse`.
fn milestone_key(heading: &str) -> Option<String> {
    let trimmed = heading.trim_start_matches(['*', '_', ' ', '#']);
    let word: String = trimmed
        .get(9..)?
        .trim_start()
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .collect();
    (!word.is_empty()).then(|| word.to_ascii_lowercase())
}

/// The text an item is matched on: its own, its parent items', and the
/// Progress subsection heading it sits under.
fn item_context(model: &PlanModel, item: &CheckboxItem) -> String {
    let mut context = item.text.clone();
    if let Some(section) = item.section.map(|i| &model.sections[i])
        && section.kind.is_none()
    {
        context.push(' ');
        context.push_str(&model.heading_of(section).text);
    }
    // Parent items: the nearest shallower item before this one in the same section.
    let mut depth = item.depth;
    for other in model.checkboxes.iter().rev().filter(|c| c.in_progress) {
        if depth == 0 {
            break;
        }
        if other.span.start < item.span.start
            && other.depth < depth
            && other.section == item.section
        {
            context.push(' ');
            context.push_str(&other.text);
            depth = other.depth;
        }
    }
    context
}

fn names_milestone(context: &str, key: &str) -> bool {
    let lower = context.to_ascii_lowercase();
    let mut from = 0;
    while let Some(i) = lower[from..].find("milestone") {
        if milestone_key(&lower[from + i..]).as_deref() == Some(key) {
            return true;
        }
        from += i + "milestone".len();
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::build_from_text;

    #[test]
    fn progress_and_milestone_lenses() {
        let text = "# T\n\n## Progress\n\n- [x] (2026-11-20 09:00Z) Milestone 1: scaffold.\n- [x] (2026-11-22 09:00Z) Milestone 2: parse headers.\n- [ ] Milestone 2: parse bodies.\n- [ ] Something else.\n\n## Milestone 1: Scaffold\n\nText.\n\n## Milestone 2: Parse\n\nText.\n\n## Milestone 3: Ship\n\nText.\n";
        let model = build_from_text(text);
        let now: jiff::Timestamp = "2026-11-22T12:00:00Z".parse().unwrap();
        let got: Vec<(String, String)> = lenses(&model, now)
            .into_iter()
            .map(|l| (text[l.span].to_string(), l.title))
            .collect();
        assert_eq!(
            got,
            vec![
                (
                    "## Progress".to_string(),
                    "2/4 done · last update 3 hours ago · 1.0 items/day".to_string()
                ),
                (
                    "## Milestone 1: Scaffold".to_string(),
                    "Progress: done".to_string()
                ),
                (
                    "## Milestone 2: Parse".to_string(),
                    "Progress: 1/2 done".to_string()
                ),
            ]
        );
        assert_eq!(
            progress_report(&model, now),
            "Progress: 2/4 done · last update 3 hours ago · 1.0 items/day. Open: Milestone 2: parse bodies; Something else."
        );
    }
}
