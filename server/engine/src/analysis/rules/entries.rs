//! EP3xx: Decision Log and Surprises & Discoveries entries.

use super::RuleCx;
use crate::analysis::line_span;
use crate::model::entries::contains_date;
use crate::model::{Entry, EntryShape, LabelKind};

pub(super) fn check(cx: &mut RuleCx<'_>) {
    decisions(cx);
    surprises(cx);
}

/// Words that introduce a reason in an unlabelled entry.
const CAUSAL: [&str; 10] = [
    "because",
    "since ",
    "so that",
    "to avoid",
    "which ",
    "this keeps",
    "this preserves",
    "rationale",
    "in order to",
    "so the ",
];

fn label_value<'e>(entry: &'e Entry, kinds: &[LabelKind]) -> Option<&'e str> {
    entry
        .labels
        .iter()
        .filter(|l| kinds.contains(&l.kind))
        .map(|l| l.value.as_str())
        .find(|v| !v.trim_matches(['…', '.', ' ']).is_empty())
}

fn has_label(entry: &Entry, kinds: &[LabelKind]) -> bool {
    entry.labels.iter().any(|l| kinds.contains(&l.kind))
}

/// A table column whose header names one of `words`.
fn column<'e>(entry: &'e Entry, words: &[&str]) -> Option<&'e str> {
    entry
        .columns
        .iter()
        .find(|(header, _)| {
            let h = header.to_lowercase();
            words.iter().any(|w| h.contains(w))
        })
        .map(|(_, value)| value.as_str())
}

/// Whether unlabelled text gives a reason: two sentences or a causal word.
fn gives_reason(text: &str) -> bool {
    let lower = text.to_lowercase();
    let sentences = text
        .split(". ")
        .filter(|s| s.split_whitespace().count() >= 3)
        .count();
    sentences >= 2 || CAUSAL.iter().any(|w| lower.contains(w))
}

/// EP301: a decision without its rationale or its date/author.
fn decisions(cx: &mut RuleCx<'_>) {
    const RATIONALE: [&str; 3] = ["rationale", "why", "reason"];
    const DATE: [&str; 3] = ["date", "when", "author"];
    let mut tables_reported = Vec::new();
    for entry in &cx.model.decisions {
        let first_line = line_span(cx.text, entry.span.start);
        let (has_rationale, has_date) = match entry.shape {
            EntryShape::TableRow => {
                let rationale = column(entry, &RATIONALE);
                let date = column(entry, &DATE);
                if rationale.is_none() || date.is_none() {
                    // The table itself lacks the column: say so once, at its header.
                    let table = cx
                        .model
                        .tables
                        .iter()
                        .find(|t| t.span.contains(&entry.span.start));
                    if let Some(table) = table
                        && !tables_reported.contains(&table.span.start)
                    {
                        tables_reported.push(table.span.start);
                        let missing = match (rationale.is_none(), date.is_none()) {
                            (true, true) => "a Rationale column and a Date/Author column",
                            (true, false) => "a Rationale column",
                            _ => "a Date/Author column",
                        };
                        cx.report(
                            "EP301",
                            line_span(cx.text, table.span.start),
                            format!("The Decision Log table has no {missing}: add it so every decision records why it was made and when, by whom."),
                        );
                    }
                    continue;
                }
                (
                    rationale.is_some_and(|v| !v.trim().is_empty()),
                    date.is_some_and(|v| !v.trim().is_empty()),
                )
            }
            EntryShape::ProseLine => (gives_reason(&entry.text), true),
            EntryShape::Plain => (
                gives_reason(&entry.text),
                contains_date(&entry.text) || has_label(entry, &[LabelKind::Author]),
            ),
            EntryShape::BulletTriple | EntryShape::BoldLabels | EntryShape::InlineLabels => {
                let rationale = label_value(entry, &[LabelKind::Rationale]).is_some()
                    || (!has_label(entry, &[LabelKind::Rationale])
                        && gives_reason(&entry.text)
                        && !has_label(entry, &[LabelKind::Decision]));
                let date = label_value(
                    entry,
                    &[LabelKind::DateAuthor, LabelKind::Date, LabelKind::Author],
                )
                .is_some()
                    || (!has_label(
                        entry,
                        &[LabelKind::DateAuthor, LabelKind::Date, LabelKind::Author],
                    ) && contains_date(&entry.text));
                (rationale, date)
            }
        };
        let message = match (has_rationale, has_date) {
            (true, true) => continue,
            (false, true) => {
                "Decision Log entry has no rationale: add a `Rationale:` line saying why this was chosen."
            }
            (true, false) => {
                "Decision Log entry has no date or author: add a `Date/Author:` line such as `Date/Author: 2026-01-05 / Ada`."
            }
            (false, false) => {
                "Decision Log entry has neither rationale nor date/author: add `Rationale:` and `Date/Author:` lines."
            }
        };
        cx.report("EP301", first_line, message);
    }
}

/// EP302: a labelled observation without evidence. Prose and unlabelled
/// bullets are not judged: whether they carry evidence cannot be told.
fn surprises(cx: &mut RuleCx<'_>) {
    for entry in &cx.model.surprises {
        let missing = match entry.shape {
            EntryShape::TableRow => {
                column(entry, &["evidence"]).is_some_and(|v| v.trim().is_empty())
            }
            _ => {
                has_label(entry, &[LabelKind::Observation])
                    && label_value(entry, &[LabelKind::Evidence]).is_none()
            }
        };
        if missing {
            cx.report(
                "EP302",
                line_span(cx.text, entry.span.start),
                "Observation without evidence: add an `Evidence:` line with what showed it (test output, a log line, a measurement).",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{codes, of, plan};

    const DECISION: &str =
        "- Decision: Use an LRU.\n  Rationale: Bounded memory.\n  Date/Author: 2026-01-05 / Ada";
    const SURPRISE: &str = "- Observation: Reads dominate.\n  Evidence: 98% of requests are GETs.";

    /// The line of the first Decision Log entry in [`plan`].
    fn decision_line(text: &str) -> usize {
        text.lines().position(|l| l == "## Decision Log").unwrap() + 3
    }

    #[test]
    fn ep301_bullet_triple() {
        let text = plan("").replace(
            DECISION,
            "- Decision: Use an LRU.\n  Date/Author: 2026-01-05 / Ada",
        );
        assert_eq!(of("EP301", &codes(&text)), [decision_line(&text)]);
        let text = plan("").replace(
            DECISION,
            "- Decision: Use an LRU.\n  Rationale: Bounded memory.",
        );
        assert_eq!(of("EP301", &codes(&text)), [decision_line(&text)]);
        let text = plan("").replace(
            DECISION,
            "- Decision: Use an LRU.\n  Rationale: …\n  Date/Author: 2026-01-05 / Ada",
        );
        assert_eq!(of("EP301", &codes(&text)), [decision_line(&text)]);
        assert!(of("EP301", &codes(&plan(""))).is_empty());
    }

    #[test]
    fn ep301_bold_labels_and_inline_labels() {
        let bold = "- **Decision:** Fix the mocks\n  **Rationale:** They leak state\n  **Alternatives Considered:** None\n  **Date:** 2025-01-01";
        assert!(of("EP301", &codes(&plan("").replace(DECISION, bold))).is_empty());
        let no_date = "- **Decision:** Fix the mocks\n  **Rationale:** They leak state";
        let text = plan("").replace(DECISION, no_date);
        assert_eq!(of("EP301", &codes(&text)), [decision_line(&text)]);
        let inline =
            "- Use tokio. Rationale: it is the standard runtime. Date/Author: 2026-01-05 / Ada";
        assert!(of("EP301", &codes(&plan("").replace(DECISION, inline))).is_empty());
    }

    #[test]
    fn ep301_tables() {
        let good = "| Decision | Rationale | Date/Author |\n| --- | --- | --- |\n| Use 4 nodes | Solver time | 2026-01-09 (Codex) |";
        assert!(of("EP301", &codes(&plan("").replace(DECISION, good))).is_empty());
        let seed =
            "| When | Decision | Rationale |\n|---|---|---|\n| 2026-05-30 | Use X | Simpler |";
        assert!(of("EP301", &codes(&plan("").replace(DECISION, seed))).is_empty());
        let empty_cell = "| Decision | Rationale | Date/Author |\n| --- | --- | --- |\n| Use 4 nodes |  | 2026-01-09 |";
        let text = plan("").replace(DECISION, empty_cell);
        assert_eq!(of("EP301", &codes(&text)), [decision_line(&text) + 2]);
        let no_column = "| Decision | Date |\n| --- | --- |\n| Use 4 nodes | 2026-01-09 |\n| Use 3 dims | 2026-01-09 |";
        let text = plan("").replace(DECISION, no_column);
        assert_eq!(
            of("EP301", &codes(&text)),
            [decision_line(&text)],
            "reported once, at the header"
        );
    }

    #[test]
    fn ep301_prose_lines() {
        let prose = "2026-08-19 — Codex: Use `--keep-original` as an opt-in flag. This preserves every existing invocation.";
        assert!(of("EP301", &codes(&plan("").replace(DECISION, prose))).is_empty());
        let bare = "2026-08-19 — Codex: Use a flag.";
        let text = plan("").replace(DECISION, bare);
        assert_eq!(of("EP301", &codes(&text)), [decision_line(&text)]);
        // Prose that is not an entry is not judged.
        assert!(of("EP301", &codes(&plan("").replace(DECISION, "None yet."))).is_empty());
    }

    #[test]
    fn ep302_observation_without_evidence() {
        let text = plan("").replace(SURPRISE, "- Observation: Reads dominate.");
        let line = text
            .lines()
            .position(|l| l == "- Observation: Reads dominate.")
            .unwrap()
            + 1;
        assert_eq!(of("EP302", &codes(&text)), [line]);
        let bold = "- **Observation:** Reads dominate\n  **Evidence:** 98% GETs\n  **Resolution:** Cache reads";
        assert!(of("EP302", &codes(&plan("").replace(SURPRISE, bold))).is_empty());
        // Prose and plain bullets are not judged.
        for fine in [
            "Reads dominate, as the access log showed.",
            "- Reads dominate.",
            "None yet.",
        ] {
            assert!(
                of("EP302", &codes(&plan("").replace(SURPRISE, fine))).is_empty(),
                "{fine}"
            );
        }
    }
}
