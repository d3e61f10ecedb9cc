//! Code actions that are not fixes of a diagnostic: checking off, stamping
//! and reopening Progress items, and adding Decision Log entries. Functions
//! of the text, the model and the time; the LSP front end only converts.

use super::fix::{Edit, insert_section_block, line_ending};
use crate::model::timestamp::format_canonical;
use crate::model::{CheckState, CheckboxItem, EntryShape, PlanModel, SectionKind, Span};

/// An edit to offer, with its title.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Action {
    pub title: String,
    pub edits: Vec<Edit>,
}

/// Whether `item` is touched by the selection `range` (a cursor touches the
/// item it sits in, including at its end).
fn touches(item: &CheckboxItem, range: &Span) -> bool {
    item.span.start <= range.end && range.start <= item.span.end
}

fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        one.to_string()
    } else {
        format!("{many} ({n} items)")
    }
}

/// The stamp edit for an item: right after its box.
fn stamp(item: &CheckboxItem, stamp: &str) -> Edit {
    let lead = if item.text_start == item.box_span.end {
        " "
    } else {
        ""
    };
    let tail = if item.text.is_empty() { "" } else { " " };
    Edit::insert(item.text_start, format!("{lead}{stamp}{tail}"))
}

/// "Mark done", "Add timestamp" and "Reopen" for the Progress items the
/// selection touches; with several items, one action does them all.
pub fn progress_actions(
    text: &str,
    model: &PlanModel,
    range: &Span,
    now: jiff::Timestamp,
) -> Vec<Action> {
    let items: Vec<&CheckboxItem> = model
        .progress_items()
        .filter(|i| touches(i, range))
        .collect();
    let now_stamp = format_canonical(now);
    let mut actions = Vec::new();

    let open: Vec<&&CheckboxItem> = items
        .iter()
        .filter(|i| i.state != CheckState::Checked)
        .collect();
    if !open.is_empty() {
        let mut edits = Vec::new();
        for item in &open {
            edits.push(Edit::replace(item.box_span.clone(), "[x]"));
            if item.timestamp.is_none() {
                edits.push(stamp(item, &now_stamp));
            }
        }
        actions.push(Action {
            title: plural(
                open.len(),
                &format!("Mark done {now_stamp}"),
                &format!("Mark done {now_stamp}"),
            ),
            edits,
        });
    }

    let unstamped: Vec<&&CheckboxItem> = items
        .iter()
        .filter(|i| i.state == CheckState::Checked && i.timestamp.is_none())
        .collect();
    if !unstamped.is_empty() {
        let edits = unstamped.iter().map(|i| stamp(i, &now_stamp)).collect();
        actions.push(Action {
            title: plural(
                unstamped.len(),
                &format!("Add timestamp {now_stamp}"),
                &format!("Add timestamp {now_stamp}"),
            ),
            edits,
        });
    }

    for item in items.iter().filter(|i| i.partial.is_some()) {
        if let Some(action) = split_partial(text, item, now) {
            actions.push(action);
        }
    }

    let done: Vec<&&CheckboxItem> = items
        .iter()
        .filter(|i| i.state == CheckState::Checked)
        .collect();
    if !done.is_empty() {
        let mut edits = Vec::new();
        for item in &done {
            edits.push(Edit::replace(item.box_span.clone(), "[ ]"));
            // A leading stamp said when it was done; it no longer is.
            if let Some(ts) = item
                .timestamp
                .as_ref()
                .filter(|t| t.start == item.text_start)
            {
                let end = if item.text.len() > ts.raw.len() {
                    ts.end + 1
                } else {
                    ts.end
                };
                edits.push(Edit::replace(ts.start..end, ""));
            }
        }
        actions.push(Action {
            title: plural(done.len(), "Reopen", "Reopen"),
            edits,
        });
    }
    actions
}

/// "Split into done and remaining" for an item carrying
/// `(completed: X; remaining: Y)`: a checked, stamped item for X and an open
/// item for Y, at the same indentation and with the same marker.
pub fn split_partial(text: &str, item: &CheckboxItem, now: jiff::Timestamp) -> Option<Action> {
    let partial = item.partial.as_ref()?;
    let le = line_ending(text);
    let line_start = text[..item.span.start]
        .rfind(['\n', '\r'])
        .map_or(0, |i| i + 1);
    let indent = &text[line_start..item.span.start];
    let marker = &text[item.span.start..item.box_span.start];
    let from = match &item.timestamp {
        Some(ts) if ts.start == item.text_start => ts.end.min(partial.span.start),
        _ => item.text_start,
    };
    let base = text[from..partial.span.start]
        .trim()
        .trim_end_matches([',', ':', ';', '-'])
        .trim();
    let stamp = format_canonical(now);
    let replacement = format!(
        "[x] {stamp} {base}: {}{le}{indent}{marker}[ ] {base}: {}",
        partial.completed, partial.remaining
    );
    Some(Action {
        title: "Split into done and remaining".to_string(),
        edits: vec![Edit::replace(
            item.box_span.start..item.span.end,
            replacement,
        )],
    })
}

/// "Add Surprises & Discoveries entry": an `Observation:`/`Evidence:` pair
/// at the end of the section, creating it when it is missing.
pub fn add_surprise_entry(text: &str, model: &PlanModel) -> Action {
    let le = line_ending(text);
    let entry = format!("- Observation: {le}  Evidence: ");
    let title = "Add Surprises & Discoveries entry".to_string();
    let kind = SectionKind::Surprises;
    let Some(section) = model.section(kind) else {
        let block = format!("## {}{le}{le}{entry}{le}{le}", kind.canonical_name());
        let edits = insert_section_block(text, model, kind, &block)
            .into_iter()
            .collect();
        return Action { title, edits };
    };
    if !section.has_subsections
        && !text[section.own_body.clone()].trim().is_empty()
        && section_is_placeholder(text, section.own_body.clone())
    {
        let edit = Edit::replace(trimmed(text, section.own_body.clone()), entry);
        return Action {
            title,
            edits: vec![edit],
        };
    }
    let body_end = text[..section.span.end]
        .trim_end_matches(['\n', '\r', ' ', '\t'])
        .len()
        .max(model.heading_of(section).span.end);
    Action {
        title,
        edits: vec![Edit::insert(body_end, format!("{le}{le}{entry}"))],
    }
}

/// "Add Decision Log entry": one new entry at the end of the Decision Log,
/// in the shape the log already uses (a table row with the table's columns,
/// bold labels, or the canonical bullet triple), creating the section when
/// it is missing. `author` fills `Date/Author` when known.
pub fn add_decision_entry(
    text: &str,
    model: &PlanModel,
    now: jiff::Timestamp,
    author: Option<&str>,
) -> Action {
    let le = line_ending(text);
    let date = now.strftime("%Y-%m-%d").to_string();
    let date_author = match author {
        Some(a) => format!("{date} / {a}"),
        None => date.clone(),
    };
    let title = "Add Decision Log entry".to_string();
    let Some(section) = model.section(SectionKind::DecisionLog) else {
        // Create the section where the skeleton puts it, with one entry.
        let entry = format!("- Decision: {le}  Rationale: {le}  Date/Author: {date_author}");
        let block = format!("## Decision Log{le}{le}{entry}{le}{le}");
        let edits = insert_section_block(text, model, SectionKind::DecisionLog, &block)
            .into_iter()
            .collect();
        return Action { title, edits };
    };
    let entries: Vec<_> = model
        .decisions
        .iter()
        .filter(|e| model.within(Some(e.section), SectionKind::DecisionLog))
        .collect();
    let last = entries.last();
    // The end of the section's content, before trailing blank lines.
    let body_end = text[..section.span.end]
        .trim_end_matches(['\n', '\r', ' ', '\t'])
        .len()
        .max(model.heading_of(section).span.end);
    let edit = match last.map(|e| e.shape) {
        Some(EntryShape::TableRow) => {
            let table = model
                .tables
                .iter()
                .find(|t| t.span.contains(&last.unwrap().span.start));
            let cells: Vec<String> = table
                .map(|t| {
                    t.header
                        .iter()
                        .map(|h| {
                            let h = h.to_lowercase();
                            if h.contains("date") || h.contains("when") {
                                if h.contains("author") {
                                    date_author.clone()
                                } else {
                                    date.clone()
                                }
                            } else if h.contains("author") {
                                author.unwrap_or("").to_string()
                            } else {
                                String::new()
                            }
                        })
                        .collect()
                })
                .unwrap_or_default();
            let row = format!(
                "|{}|",
                cells
                    .iter()
                    .map(|c| format!(" {c} "))
                    .collect::<Vec<_>>()
                    .join("|")
            );
            let at = table.map_or(body_end, |t| t.span.end);
            Edit::insert(at, format!("{le}{row}"))
        }
        Some(EntryShape::BoldLabels) => Edit::insert(
            body_end,
            format!("{le}{le}- **Decision:** {le}  **Rationale:** {le}  **Date:** {date_author}"),
        ),
        _ => {
            let lead = if entries.is_empty()
                && section_is_placeholder(text, section.own_body.clone())
            {
                // Replace "None yet." with the first entry.
                return Action {
                    title,
                    edits: vec![Edit::replace(
                        trimmed(text, section.own_body.clone()),
                        format!("- Decision: {le}  Rationale: {le}  Date/Author: {date_author}"),
                    )],
                };
            } else {
                format!("{le}{le}")
            };
            Edit::insert(
                body_end,
                format!("{lead}- Decision: {le}  Rationale: {le}  Date/Author: {date_author}"),
            )
        }
    };
    Action {
        title,
        edits: vec![edit],
    }
}

fn trimmed(text: &str, span: Span) -> Span {
    let slice = &text[span.clone()];
    let start = span.start + (slice.len() - slice.trim_start().len());
    let end = span.start + slice.trim_end().len();
    start..end.max(start)
}

fn section_is_placeholder(text: &str, body: Span) -> bool {
    let t = text[body].trim().trim_end_matches('.').to_lowercase();
    t.is_empty() || t == "none yet" || t == "none"
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::apply_edits;
    use crate::model::build_from_text;

    fn now() -> jiff::Timestamp {
        "2026-11-23T14:05:09Z".parse().unwrap()
    }

    fn run(text: &str, at: &str, title_prefix: &str) -> String {
        let model = build_from_text(text);
        let offset = text.find(at).unwrap();
        let actions = progress_actions(text, &model, &(offset..offset), now());
        let action = actions
            .iter()
            .find(|a| a.title.starts_with(title_prefix))
            .unwrap_or_else(|| panic!("no {title_prefix}: {actions:?}"));
        apply_edits(text, &action.edits).0
    }

    const PLAN: &str = "# P\n\n## Progress\n\n- [ ] Write it.\n- [x] Test it.\n- [x] (2026-01-01 10:00Z) Ship it.\n- [ ]\n";

    #[test]
    fn mark_done_stamps_now() {
        assert!(run(PLAN, "Write", "Mark done").contains("- [x] (2026-11-23 14:05Z) Write it.\n"));
        // An empty item gets the stamp alone.
        assert!(run(PLAN, "- [ ]\n", "Mark done").ends_with("- [x] (2026-11-23 14:05Z)\n"));
    }

    #[test]
    fn add_timestamp_changes_only_that_line() {
        let out = run(PLAN, "Test", "Add timestamp");
        let changed: Vec<_> = PLAN
            .lines()
            .zip(out.lines())
            .filter(|(a, b)| a != b)
            .collect();
        assert_eq!(
            changed,
            [("- [x] Test it.", "- [x] (2026-11-23 14:05Z) Test it.")]
        );
    }

    #[test]
    fn reopen_removes_the_stamp() {
        assert!(run(PLAN, "Ship", "Reopen").contains("- [ ] Ship it.\n"));
    }

    #[test]
    fn a_selection_over_several_items_does_them_all() {
        let model = build_from_text(PLAN);
        let range = PLAN.find("- [ ] Write").unwrap()..PLAN.len();
        let actions = progress_actions(PLAN, &model, &range, now());
        let mark = actions
            .iter()
            .find(|a| a.title.starts_with("Mark done"))
            .unwrap();
        assert!(mark.title.contains("2 items"), "{}", mark.title);
        let out = apply_edits(PLAN, &mark.edits).0;
        assert!(
            out.contains("- [x] (2026-11-23 14:05Z) Write it.")
                && out.contains("- [x] (2026-11-23 14:05Z)\n"),
            "{out}"
        );
    }

    #[test]
    fn split_partial_item() {
        let text =
            "# P\n\n## Progress\n\n  - [ ] Port the API (completed: reads; remaining: writes).\n";
        let out = run(text, "Port", "Split");
        assert_eq!(
            out,
            "# P\n\n## Progress\n\n  - [x] (2026-11-23 14:05Z) Port the API: reads\n  - [ ] Port the API: writes\n"
        );
        let model = build_from_text(&out);
        let states: Vec<_> = model
            .progress_items()
            .map(|i| (i.state, i.partial.is_none()))
            .collect();
        assert_eq!(
            states,
            [(CheckState::Checked, true), (CheckState::Unchecked, true)]
        );
    }

    #[test]
    fn surprise_entries_append_or_create() {
        let text =
            "# P\n\n## Surprises & Discoveries\n\nNone yet.\n\n## Decision Log\n\nNone yet.\n";
        let out = apply_edits(
            text,
            &add_surprise_entry(text, &build_from_text(text)).edits,
        )
        .0;
        assert_eq!(
            out,
            "# P\n\n## Surprises & Discoveries\n\n- Observation: \n  Evidence: \n\n## Decision Log\n\nNone yet.\n"
        );
        let out2 = apply_edits(
            &out,
            &add_surprise_entry(&out, &build_from_text(&out)).edits,
        )
        .0;
        assert_eq!(build_from_text(&out2).surprises.len(), 2, "{out2}");
        let missing = "# P\n\n## Decision Log\n\nNone yet.\n";
        let out = apply_edits(
            missing,
            &add_surprise_entry(missing, &build_from_text(missing)).edits,
        )
        .0;
        assert!(
            out.starts_with("# P\n\n## Surprises & Discoveries\n\n- Observation: "),
            "{out}"
        );
    }

    #[test]
    fn decision_entries_follow_the_log_style() {
        let now = now();
        let bullet = "# P\n\n## Decision Log\n\n- Decision: A.\n  Rationale: B.\n  Date/Author: 2026-01-01 / Ada\n\n## Outcomes & Retrospective\n\nNone yet.\n";
        let out = apply_edits(
            bullet,
            &add_decision_entry(bullet, &build_from_text(bullet), now, Some("Bo")).edits,
        )
        .0;
        assert!(out.contains("Date/Author: 2026-01-01 / Ada\n\n- Decision: \n  Rationale: \n  Date/Author: 2026-11-23 / Bo\n\n## Outcomes"), "{out}");
        let table = "# P\n\n## Decision Log\n\n| When | Decision | Rationale |\n|---|---|---|\n| 2026-01-01 | A | B |\n";
        let out = apply_edits(
            table,
            &add_decision_entry(table, &build_from_text(table), now, None).edits,
        )
        .0;
        assert!(
            out.ends_with("| 2026-01-01 | A | B |\n| 2026-11-23 |  |  |\n"),
            "{out}"
        );
        let model = build_from_text(&out);
        assert_eq!(model.decisions.len(), 2);
        let empty = "# P\n\n## Decision Log\n\nNone yet.\n";
        let out = apply_edits(
            empty,
            &add_decision_entry(empty, &build_from_text(empty), now, None).edits,
        )
        .0;
        assert_eq!(
            out,
            "# P\n\n## Decision Log\n\n- Decision: \n  Rationale: \n  Date/Author: 2026-11-23\n"
        );
        let missing = "# P\n\n## Progress\n\n- [ ] A.\n\n## Context and Orientation\n\nX.\n";
        let out = apply_edits(
            missing,
            &add_decision_entry(missing, &build_from_text(missing), now, None).edits,
        )
        .0;
        assert!(
            out.contains("- [ ] A.\n\n## Decision Log\n\n- Decision: \n"),
            "{out}"
        );
    }
}
