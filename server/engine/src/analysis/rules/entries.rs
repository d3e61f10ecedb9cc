//! EP3xx: Decision Log and Surprises & Discoveries entries.

use super::Code;
use super::{RuleCx, placeholders};
use crate::analysis::line_span;
use crate::model::entries::{contains_date, mentions_date};
use crate::model::{Entry, EntryShape, LabelKind, Span};

pub(super) fn check(cx: &mut RuleCx<'_>) {
    decisions(cx);
    undated_decisions(cx);
    surprises(cx);
}

/// Words and phrases that give a reason, matched on whole words: English,
/// and a few in the other languages plans are written in.
const REASON_WORDS: [&str; 25] = [
    "because",
    "since",
    "so",
    "why",
    "rationale",
    "reason",
    "reasons",
    "hence",
    "thus",
    "therefore",
    "otherwise",
    "given",
    "due",
    "which",
    "avoids",
    "prevents",
    "ensures",
    "keeps",
    "preserves",
    "allows",
    "enables",
    "simpler",
    "safer",
    "cheaper",
    "porque",
];

/// Verbs that give a purpose after "to" ("to prevent", "to keep").
const PURPOSE_VERBS: [&str; 12] = [
    "avoid",
    "prevent",
    "keep",
    "ensure",
    "allow",
    "enable",
    "preserve",
    "reduce",
    "support",
    "guarantee",
    "simplify",
    "match",
];

/// Reasons written without spaces between words (Chinese, Japanese).
const REASON_FRAGMENTS: [&str; 8] = [
    "因为", "由于", "为了", "以便", "避免", "因此", "所以", "ため",
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

/// Whether unlabelled text gives a reason: two sentences, a word that
/// introduces one ("because", "so that", "to prevent", "since", …), or an
/// explanation after a dash or a colon.
pub(crate) fn gives_reason(text: &str) -> bool {
    let lower = text.to_lowercase();
    let sentences = text
        .split(". ")
        .flat_map(|s| s.split('。'))
        .filter(|s| s.split_whitespace().count() >= 3)
        .count();
    let words: Vec<&str> = lower
        .split(|c: char| !(c.is_alphanumeric() || c == '\''))
        .filter(|w| !w.is_empty())
        .collect();
    let prose_words = |s: &str| {
        s.split(|c: char| !c.is_alphabetic())
            .filter(|w| !w.is_empty())
            .count()
    };
    let explained = [" — ", " – ", "; "].iter().any(|sep| {
        lower
            .split_once(sep)
            .is_some_and(|(before, after)| prose_words(before) >= 3 && prose_words(after) >= 3)
    }) || ["；", "——"].iter().any(|sep| {
        // Scripts written without spaces: clauses long enough to say something.
        lower.split_once(sep).is_some_and(|(before, after)| {
            before.chars().count() >= 6 && after.trim().chars().count() >= 6
        })
    });
    sentences >= 2
        || explained
        || words.iter().any(|w| REASON_WORDS.contains(w))
        || words
            .windows(2)
            .any(|w| w == ["in", "order"] || (w[0] == "to" && PURPOSE_VERBS.contains(&w[1])))
        || REASON_FRAGMENTS.iter().any(|f| lower.contains(f))
}

/// Whether an unlabelled entry only says there is nothing to record yet:
/// `- None yet.`, `- (record as decisions are made)`, `- _TBD_`.
fn says_nothing_yet(entry: &Entry) -> bool {
    if !entry.labels.is_empty() || entry.shape == EntryShape::TableRow {
        return false;
    }
    let text = entry.text.trim();
    let bare = text
        .trim_matches(|c: char| c.is_ascii_punctuation() || c.is_whitespace())
        .to_lowercase();
    let wrapped = [("(", ")"), ("_", "_"), ("*", "*")]
        .iter()
        .any(|(open, close)| text.starts_with(open) && text.trim_end_matches('.').ends_with(close));
    matches!(
        bare.as_str(),
        "none" | "none yet" | "nothing yet" | "none so far" | "nothing to record yet" | "n/a"
    ) || wrapped
        || placeholders::is_placeholder(text)
}

/// EP301: a decision without its rationale or its date/author.
fn decisions(cx: &mut RuleCx<'_>) {
    const RATIONALE: [&str; 3] = ["rationale", "why", "reason"];
    const DATE: [&str; 3] = ["date", "when", "author"];
    let mut tables_reported = Vec::new();
    for entry in &cx.model.decisions {
        if says_nothing_yet(entry) {
            continue;
        }
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
                        let (missing, add) = match (rationale.is_none(), date.is_none()) {
                            (true, true) => ("Rationale or Date/Author column", "add both"),
                            (true, false) => ("Rationale column", "add one"),
                            _ => ("Date/Author column", "add one"),
                        };
                        cx.report(
                            Code::EP301,
                            line_span(cx.text, table.span.start),
                            format!("The Decision Log table has no {missing}: {add}, so every decision records why it was made and when, by whom."),
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
            // The heading states the decision; what is written below it explains it.
            EntryShape::Heading => {
                let body = cx.slice(&entry.span);
                let below = body.split_once('\n').map_or("", |(_, b)| b);
                (
                    below.split_whitespace().count() >= 5 || gives_reason(&entry.text),
                    entry.dated_by_heading || contains_date(&entry.text),
                )
            }
            EntryShape::Plain => (
                gives_reason(&entry.text),
                entry.dated_by_heading
                    || contains_date(&entry.text)
                    || has_label(entry, &[LabelKind::Author]),
            ),
            EntryShape::BulletTriple | EntryShape::BoldLabels | EntryShape::InlineLabels => {
                let rationale = label_value(entry, &[LabelKind::Rationale]).is_some()
                    || (!has_label(entry, &[LabelKind::Rationale])
                        && gives_reason(&entry.text)
                        && !has_label(entry, &[LabelKind::Decision]));
                let date = entry.dated_by_heading
                    || label_value(
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
        cx.report(Code::EP301, first_line, message);
    }
}

/// EP303: a Decision Log entry's `Date/Author:` (or `Date:`, or a table's
/// date column) is filled in but gives no date, as in `Date/Author: Codex`.
fn undated_decisions(cx: &mut RuleCx<'_>) {
    for entry in &cx.model.decisions {
        if entry.dated_by_heading {
            continue;
        }
        let written: Option<(Span, &str)> = match entry.shape {
            EntryShape::TableRow => entry
                .columns
                .iter()
                .find(|(header, _)| header.to_lowercase().contains("date"))
                .map(|(_, value)| (line_span(cx.text, entry.span.start), value.as_str())),
            _ => entry
                .labels
                .iter()
                .find(|l| matches!(l.kind, LabelKind::DateAuthor | LabelKind::Date))
                .map(|l| {
                    let line_end = line_span(cx.text, l.span.start).end;
                    (l.span.start..line_end, l.value.as_str())
                }),
        };
        let Some((span, value)) = written else {
            continue;
        };
        let value = value.trim().trim_matches(['*', '_', '`']);
        if value.trim_matches(['…', '.', ' ', '-', '—']).is_empty() || mentions_date(value) {
            continue;
        }
        cx.report(
            Code::EP303,
            span,
            format!("`{value}` gives no date: write when the decision was made, such as `2026-01-05 / {}`.", value.split('/').next_back().unwrap_or(value).trim()),
        );
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
                Code::EP302,
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

    /// The line of the first Decision Log entry in [`plan`].
    fn decision_line(text: &str) -> usize {
        text.lines().position(|l| l == "## Decision Log").unwrap() + 3
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
        // Prose that is not an entry is not judged, nor a bullet that says
        // there is nothing yet.
        for nothing in [
            "None yet.",
            "- None yet.",
            "- (record as decisions are made)",
            "- _To be filled as work proceeds._",
            "- TBD",
        ] {
            let found = codes(&plan("").replace(DECISION, nothing));
            assert!(of("EP301", &found).is_empty(), "{nothing}: {found:?}");
        }
        // A dated line in a script without spaces explains itself after a
        // full-width semicolon.
        let cjk = "- 2026-07-25：浏览器模式只模拟终端交互；真实行为由冒烟测试覆盖。";
        assert!(of("EP301", &codes(&plan("").replace(DECISION, cjk))).is_empty());
    }

    #[test]
    fn ep301_an_entry_is_the_unit_the_plan_writes() {
        // Labels written as separate bullets make one entry.
        let split = "- Decision: Use an LRU.\n- Rationale: Bounded memory.\n- Date/Author: 2026-01-05 / Ada\n- Decision: Evict hourly.\n- Rationale: Keeps it fresh.";
        let text = plan("").replace(DECISION, split);
        let line = text
            .lines()
            .position(|l| l == "- Decision: Evict hourly.")
            .unwrap()
            + 1;
        assert_eq!(
            of("EP301", &codes(&text)),
            [line],
            "only the second lacks a date"
        );
        // A dated subsection with its labelled bullets is one entry.
        let headed = "### 2026-01-05: Use an LRU\n\n- **Rationale:** Bounded memory.\n- **Alternatives:** A TTL cache.\n\n### 2026-01-06: Evict hourly\n\nThe data changes every hour, so older entries are stale.";
        let found = codes(&plan("").replace(DECISION, headed));
        assert!(of("EP301", &found).is_empty(), "{found:?}");
        // An undated subsection with labels is one entry, and lacks its date once.
        let undated = "### Decision 1\n\n- Decision: Use an LRU.\n- Rationale: Bounded memory.\n\n### Decision 2\n\n- Decision: Evict hourly.\n- Rationale: Data changes hourly.\n- Date/Author: 2026-01-06 / Ada";
        let text = plan("").replace(DECISION, undated);
        let line = text.lines().position(|l| l == "### Decision 1").unwrap() + 1;
        assert_eq!(of("EP301", &codes(&text)), [line]);
        // Entries under a dated heading are dated by it.
        let grouped = "### 2026-01-05\n\n- Use an LRU, because memory is bounded.\n- Evict hourly so that data stays fresh.";
        let found = codes(&plan("").replace(DECISION, grouped));
        assert!(of("EP301", &found).is_empty(), "{found:?}");
    }

    #[test]
    fn ep301_ignores_what_is_not_an_entry_under_a_decisions_like_heading() {
        // Method bullets and numbered steps under "Key Design Decisions".
        // (It is the plan's Decision Log: the plan has no other.)
        let design = plan("").replace(
            &format!("## Decision Log\n\n{DECISION}"),
            "## Key Design Decisions\n\n### 1. Files, not a database\n\n- Simpler to debug\n- Fewer dependencies\n\n### 2. Replay\n\n1. Write the journal.\n2. Replay it on start.\n\n| Size | Time |\n| --- | --- |\n| 1 MB | 2 ms |",
        );
        assert!(of("EP101", &codes(&design)).is_empty());
        let found = codes(&design);
        assert!(of("EP301", &found).is_empty(), "{found:?}");
        // The same heading with a real entry in it is judged.
        let real = design.replace(
            "- Simpler to debug",
            "- Decision: Use files.\n- Simpler to debug",
        );
        assert_eq!(of("EP301", &codes(&real)).len(), 1);
        // Numbered steps in the Decision Log are not entries either, but a
        // numbered entry with labels is.
        let numbered = plan("").replace(DECISION, "1. Profile the store.\n2. Add the cache.");
        assert!(of("EP301", &codes(&numbered)).is_empty());
        let labelled = plan("").replace(
            DECISION,
            "1. Decision: Use an LRU.\n   Date/Author: 2026-01-05 / Ada",
        );
        assert_eq!(of("EP301", &codes(&labelled)).len(), 1);
        // A data table under the Decision Log is not a table of decisions.
        let data = plan("").replace(DECISION, "| Size | Time |\n| --- | --- |\n| 1 MB | 2 ms |");
        assert!(of("EP301", &codes(&data)).is_empty());
    }

    #[test]
    fn ep301_reasons_in_common_wording() {
        for reason in [
            "Use an LRU to prevent unbounded growth.",
            "Use an LRU so that memory stays bounded.",
            "Use an LRU, since memory is bounded.",
            "Use an LRU because memory is bounded.",
            "Use an LRU — the other caches grow without bound.",
            "Use an LRU; it keeps memory bounded.",
            "Use an LRU in order to bound memory.",
            "Use an LRU. Memory on the device is small.",
        ] {
            let entry = format!("- (2026-01-05) {reason}");
            let found = codes(&plan("").replace(DECISION, &entry));
            assert!(of("EP301", &found).is_empty(), "{reason}: {found:?}");
        }
        for bare in [
            "Use an LRU.",
            "Use `cache.lru` from `store.rs`.",
            "Keep the LRU instead of a TTL cache.",
        ] {
            let entry = format!("- (2026-01-05) {bare}");
            assert_eq!(
                of("EP301", &codes(&plan("").replace(DECISION, &entry))).len(),
                1,
                "{bare}"
            );
        }
    }

    #[test]
    fn ep301_table_messages_read_right() {
        let text = plan("").replace(
            DECISION,
            "| Decision | Notes |\n| --- | --- |\n| Use 4 nodes | fine |",
        );
        let model = crate::model::build_from_text(&text);
        let options = crate::analysis::AnalysisOptions::default();
        let ctx = crate::analysis::CheckContext::new(jiff::Timestamp::now(), &options);
        let messages: Vec<String> = crate::analysis::check(&text, &model, &ctx)
            .into_iter()
            .filter(|d| d.code == "EP301")
            .map(|d| d.message)
            .collect();
        assert_eq!(messages.len(), 1);
        assert!(
            messages[0].starts_with(
                "The Decision Log table has no Rationale or Date/Author column: add both"
            ),
            "{messages:?}"
        );
    }
}
