//! Completion: section headings the plan is missing, Progress items, and
//! Decision Log and Surprises entries and labels. Functions of the text, the
//! model and the cursor; the LSP front end converts the results.

use super::fix::{line_ending, new_section_body};
use super::rules::PREAMBLE_SENTENCE;
use crate::model::timestamp::format_canonical;
use crate::model::{EntryShape, PlanModel, SectionKind, Skeleton, Span};

/// One completion. `snippet` uses LSP snippet syntax (`$0`, `${1:text}`);
/// `text` is the same without placeholders, for clients without snippets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Completion {
    pub label: String,
    pub detail: String,
    pub text: String,
    pub snippet: String,
    /// The text the completion replaces: from the line's start to the cursor.
    pub replace: Span,
    /// Sorts completions: lower first.
    pub rank: usize,
}

/// What to fill in that depends on the time and the configuration.
#[derive(Clone, Debug)]
pub struct CompletionContext<'a> {
    pub now: jiff::Timestamp,
    pub author: Option<&'a str>,
    /// The sections to offer: the team's skeleton or the canonical one.
    pub skeleton: &'a Skeleton,
}

/// A new section's body, as text and as a snippet whose placeholder is the
/// body itself: the same body the EP101/EP102 fixes insert
/// ([`new_section_body`]), which raises no finding.
fn section_body(kind: Option<SectionKind>) -> (String, String) {
    let body = new_section_body(kind);
    let snippet = match body.strip_prefix("- [ ] ") {
        Some(item) => format!("- [ ] ${{0:{item}}}"),
        None => format!("${{0:{body}}}"),
    };
    (body.to_string(), snippet)
}

fn date_author(cx: &CompletionContext<'_>) -> String {
    let date = cx.now.strftime("%Y-%m-%d").to_string();
    match cx.author {
        Some(author) => format!("{date} / {author}"),
        None => date,
    }
}

/// A new Decision Log entry shaped like the existing ones.
fn decision_entry(model: &PlanModel, le: &str, cx: &CompletionContext<'_>) -> (String, String) {
    let da = date_author(cx);
    if model
        .decisions
        .last()
        .is_some_and(|e| e.shape == EntryShape::BoldLabels)
    {
        (
            format!("- **Decision:** {le}  **Rationale:** {le}  **Date:** {da}"),
            format!("- **Decision:** $1{le}  **Rationale:** $2{le}  **Date:** ${{3:{da}}}$0"),
        )
    } else {
        (
            format!("- Decision: {le}  Rationale: {le}  Date/Author: {da}"),
            format!("- Decision: $1{le}  Rationale: $2{le}  Date/Author: ${{3:{da}}}$0"),
        )
    }
}

/// Completions at byte `offset`.
pub fn complete(
    text: &str,
    model: &PlanModel,
    offset: usize,
    cx: &CompletionContext<'_>,
) -> Vec<Completion> {
    let offset = offset.min(text.len());
    let le = line_ending(text);
    let line_start = text[..offset].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let prefix = &text[line_start..offset];
    let replace = line_start..offset;
    let trimmed = prefix.trim_start();
    let mut out = Vec::new();

    if text.trim().is_empty() {
        let skeleton = full_skeleton(le, cx.skeleton);
        out.push(Completion {
            label: "ExecPlan skeleton".to_string(),
            detail: "Title, preamble and every skeleton section".to_string(),
            text: skeleton.replace("${1:Title}", "Title").replace("$0", ""),
            snippet: skeleton,
            replace,
            rank: 0,
        });
        return out;
    }

    let section = model.section_at(offset.saturating_sub(1).max(line_start));
    let in_kind = |kind| model.within(section, kind);

    // Headings: on a line of only `#`s (and a partial name), or an empty line.
    let heading_prefix =
        (trimmed.starts_with('#') && prefix.len() - trimmed.len() < 4) || prefix.is_empty();
    if heading_prefix {
        if model.title.is_none() {
            out.push(Completion {
                label: "# Title".to_string(),
                detail: "The plan's title and living-document preamble".to_string(),
                text: format!("# Title{le}{le}{PREAMBLE_SENTENCE}"),
                snippet: format!("# ${{1:Title}}{le}{le}{PREAMBLE_SENTENCE}$0"),
                replace: replace.clone(),
                rank: 0,
            });
        }
        // Missing sections, the one that belongs next after the cursor first.
        let skeleton = cx.skeleton;
        let before_cursor = model
            .sections
            .iter()
            .filter(|s| s.span.start < offset)
            .filter_map(|s| skeleton.index_of(model, s))
            .max();
        for (index, wanted) in skeleton.sections.iter().enumerate() {
            if skeleton.is_present(model, index) {
                continue;
            }
            let after = before_cursor.is_none_or(|b| index > b);
            let rank = if after { 1 + index } else { 40 + index };
            let (body, body_snippet) = section_body(wanted.kind.or_else(|| {
                SectionKind::from_heading(wanted.heading()).filter(|&kind| !model.has_section(kind))
            }));
            let name = wanted.heading();
            out.push(Completion {
                label: format!("## {name}"),
                detail: if wanted.kind.is_some_and(SectionKind::is_living) {
                    "Living section".to_string()
                } else if skeleton.custom {
                    "Section of the skeleton in PLANS.md".to_string()
                } else {
                    "Skeleton section".to_string()
                },
                text: format!("## {name}{le}{le}{body}"),
                snippet: format!("## {name}{le}{le}{body_snippet}"),
                replace: replace.clone(),
                rank,
            });
        }
        if trimmed.starts_with('#') {
            return out;
        }
    }

    // Inside Progress: `- [` completes to an open or a done item.
    if in_kind(SectionKind::Progress)
        && (trimmed.is_empty()
            || "- [".starts_with(trimmed)
            || trimmed == "- [ "
            || trimmed == "- [x")
    {
        let stamp = format_canonical(cx.now);
        let indent = &prefix[..prefix.len() - trimmed.len()];
        out.push(Completion {
            label: "- [ ] open item".to_string(),
            detail: "A Progress step still to do".to_string(),
            text: format!("{indent}- [ ] "),
            snippet: format!("{indent}- [ ] $0"),
            replace: replace.clone(),
            rank: 0,
        });
        out.push(Completion {
            label: format!("- [x] {stamp} done item"),
            detail: "A completed step, stamped now (UTC)".to_string(),
            text: format!("{indent}- [x] {stamp} "),
            snippet: format!("{indent}- [x] {stamp} $0"),
            replace: replace.clone(),
            rank: 0,
        });
    }

    // Decision Log and Surprises: a new entry on a fresh line, labels on
    // continuation lines.
    let continuation = prefix.starts_with([' ', '\t']) && !trimmed.starts_with('-');
    if in_kind(SectionKind::DecisionLog) {
        if continuation {
            let indent = &prefix[..prefix.len() - trimmed.len()];
            let bold = model
                .decisions
                .last()
                .is_some_and(|e| e.shape == EntryShape::BoldLabels);
            let labels: [(&str, String); 2] = if bold {
                [
                    ("**Rationale:**", String::new()),
                    ("**Date:**", date_author(cx)),
                ]
            } else {
                [
                    ("Rationale:", String::new()),
                    ("Date/Author:", date_author(cx)),
                ]
            };
            for (label, value) in labels {
                out.push(Completion {
                    label: label.to_string(),
                    detail: "Decision Log label".to_string(),
                    text: format!("{indent}{label} {value}"),
                    snippet: format!("{indent}{label} {value}$0"),
                    replace: replace.clone(),
                    rank: 0,
                });
            }
        } else if trimmed.is_empty() || "- ".starts_with(trimmed) || trimmed == "-" {
            let (text_body, snippet) = decision_entry(model, le, cx);
            out.push(Completion {
                label: "Decision Log entry".to_string(),
                detail: "Decision, rationale, date/author".to_string(),
                text: text_body,
                snippet,
                replace: replace.clone(),
                rank: 0,
            });
        }
    }
    if in_kind(SectionKind::Surprises) {
        if continuation {
            let indent = &prefix[..prefix.len() - trimmed.len()];
            out.push(Completion {
                label: "Evidence:".to_string(),
                detail: "What showed it: test output, a log line".to_string(),
                text: format!("{indent}Evidence: "),
                snippet: format!("{indent}Evidence: $0"),
                replace: replace.clone(),
                rank: 0,
            });
        } else if trimmed.is_empty() || "- ".starts_with(trimmed) || trimmed == "-" {
            out.push(Completion {
                label: "Surprises entry".to_string(),
                detail: "Observation and evidence".to_string(),
                text: format!("- Observation: {le}  Evidence: "),
                snippet: format!("- Observation: $1{le}  Evidence: $0"),
                replace: replace.clone(),
                rank: 0,
            });
        }
    }
    out.sort_by_key(|c| c.rank);
    out
}

fn full_skeleton(le: &str, skeleton: &Skeleton) -> String {
    let mut s = format!("# ${{1:Title}}{le}{le}{PREAMBLE_SENTENCE}{le}{le}");
    for section in &skeleton.sections {
        let body = new_section_body(
            section
                .kind
                .or_else(|| SectionKind::from_heading(section.heading())),
        );
        s.push_str(&format!("## {}{le}{le}{body}{le}{le}", section.heading()));
    }
    s.truncate(s.trim_end().len());
    s.push_str(le);
    s.push_str("$0");
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::build_from_text;

    fn cx() -> CompletionContext<'static> {
        CompletionContext {
            now: "2026-11-23T14:05:00Z".parse().unwrap(),
            author: Some("Ada"),
            skeleton: Skeleton::canonical(),
        }
    }

    fn labels(text: &str, cursor: &str) -> Vec<String> {
        let offset = text.find(cursor).unwrap() + cursor.len();
        complete(text, &build_from_text(text), offset, &cx())
            .into_iter()
            .map(|c| c.label)
            .collect()
    }

    const PLAN: &str = "# P\n\nThis ExecPlan is a living document.\n\n## Purpose / Big Picture\n\nWhy.\n\n## Progress\n\n- [ ] One.\n\n## \n\n## Context and Orientation\n\nHere.\n";

    #[test]
    fn headings_list_exactly_the_missing_sections_next_first() {
        let found = labels(PLAN, "## Progress\n\n- [ ] One.\n\n## ");
        assert_eq!(found.len(), 9, "{found:?}");
        assert_eq!(found[0], "## Surprises & Discoveries");
        assert!(!found.iter().any(|l| l == "## Progress"
            || l == "## Purpose / Big Picture"
            || l == "## Context and Orientation"));
    }

    #[test]
    fn progress_items_and_decision_entries() {
        let text = "# P\n\n## Progress\n\n- [x] (2026-01-01 10:00Z) A.\n- [\n\n## Decision Log\n\n- **Decision:** A\n  **Rationale:** B\n  **Date:** 2026-01-01\n\n  \n";
        let found = labels(text, "A.\n- [");
        assert_eq!(
            found,
            ["- [ ] open item", "- [x] (2026-11-23 14:05Z) done item"]
        );
        let offset = text.rfind("  \n").unwrap() + 2;
        let labels: Vec<String> = complete(text, &build_from_text(text), offset, &cx())
            .into_iter()
            .map(|c| c.label)
            .collect();
        assert_eq!(labels, ["**Rationale:**", "**Date:**"]);
    }

    #[test]
    fn an_empty_file_gets_the_whole_skeleton() {
        let found = complete("", &build_from_text(""), 0, &cx());
        assert_eq!(found.len(), 1);
        let text = &found[0].text;
        let model = build_from_text(text);
        assert!(
            SectionKind::ALL.iter().all(|k| model.has_section(*k)),
            "{text}"
        );
    }
}
