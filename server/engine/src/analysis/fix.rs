//! Fixes: text edits that make a diagnostic's text right, and the engine
//! that applies them. The server's quick fixes and `check --fix` both use
//! [`fix_all`], so the editor and the shell produce the same text.

use crate::model::{self, PlanModel, Section, SectionKind, Span};

use super::{CheckContext, check};

/// Replace `span` (bytes) with `new_text`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    pub span: Span,
    pub new_text: String,
}

impl Edit {
    pub fn insert(at: usize, text: impl Into<String>) -> Edit {
        Edit {
            span: at..at,
            new_text: text.into(),
        }
    }

    pub fn replace(span: Span, text: impl Into<String>) -> Edit {
        Edit {
            span,
            new_text: text.into(),
        }
    }
}

/// A fix for one diagnostic.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    /// What the fix does, as an editor shows it ("Rename to `Decision Log`").
    pub title: String,
    pub edits: Vec<Edit>,
    /// Whether it is applied by "fix all" and `check --fix`: it needs no
    /// guess. Stamping an item with the current time is not safe in bulk:
    /// the work may have been done long ago.
    pub safe: bool,
}

impl Fix {
    pub fn safe(title: impl Into<String>, edits: Vec<Edit>) -> Fix {
        Fix {
            title: title.into(),
            edits,
            safe: true,
        }
    }

    pub fn unsafe_(title: impl Into<String>, edits: Vec<Edit>) -> Fix {
        Fix {
            title: title.into(),
            edits,
            safe: false,
        }
    }
}

/// Applies non-overlapping edits to `text`. Edits that overlap an earlier
/// one (in position order) are skipped; returns how many were applied.
pub fn apply_edits(text: &str, edits: &[Edit]) -> (String, usize) {
    let mut sorted: Vec<&Edit> = edits.iter().collect();
    sorted.sort_by_key(|e| (e.span.start, e.span.end));
    let mut out = String::with_capacity(text.len());
    let mut cursor = 0;
    let mut applied = 0;
    for edit in sorted {
        let (start, end) = (
            edit.span.start.min(text.len()),
            edit.span.end.min(text.len()),
        );
        if start < cursor || !text.is_char_boundary(start) || !text.is_char_boundary(end) {
            continue;
        }
        out.push_str(&text[cursor..start]);
        out.push_str(&edit.new_text);
        cursor = end.max(start);
        applied += 1;
    }
    out.push_str(&text[cursor..]);
    (out, applied)
}

/// Applies every safe fix, re-checking after each round (a fix can move or
/// resolve others), until none is left or ten rounds have run.
pub fn fix_all(text: &str, ctx: &CheckContext<'_>) -> String {
    let mut current = text.to_string();
    for _ in 0..10 {
        let model = model::build_from_text(&current);
        let diagnostics = check(&current, &model, ctx);
        let mut edits: Vec<Edit> = Vec::new();
        for fix in diagnostics
            .iter()
            .filter_map(|d| d.fix.as_ref())
            .filter(|f| f.safe)
        {
            // A fix's edits go together or not at all.
            let overlaps = fix
                .edits
                .iter()
                .any(|e| edits.iter().any(|o| overlap(&o.span, &e.span)));
            if !overlaps {
                edits.extend(fix.edits.iter().cloned());
            }
        }
        if edits.is_empty() {
            break;
        }
        let (next, applied) = apply_edits(&current, &edits);
        if applied == 0 || next == current {
            break;
        }
        current = next;
    }
    current
}

/// Whether two edits touch the same text (two insertions at one point do).
fn overlap(a: &Span, b: &Span) -> bool {
    a.start < b.end && b.start < a.end || a.start == b.start
}

/// The body of a section a fix or a completion inserts: text that raises no
/// finding itself (Progress gets an open item, so it is not without items;
/// every other section says it has nothing yet, as the format's own
/// template does), the same from both.
pub fn new_section_body(kind: Option<SectionKind>) -> &'static str {
    match kind {
        Some(SectionKind::Progress) => "- [ ] Write the first step of this plan.",
        _ => "None yet.",
    }
}

/// Inserts a new section `block` (`## Heading`, its body, a trailing blank
/// line) where the canonical skeleton puts `kind`.
pub fn insert_section_block(
    text: &str,
    model: &PlanModel,
    kind: SectionKind,
    block: &str,
) -> Option<Edit> {
    insert_section_before(text, model, block, |s| s.kind.is_some_and(|k| k > kind))
}

/// Inserts a new section `block` before the first top-level section that
/// `belongs_after` says comes later, else at the end of the plan (inside an
/// outer fence, if there is one). `None` when the plan ends in an unclosed
/// fence, which would swallow the text.
pub fn insert_section_before(
    text: &str,
    model: &PlanModel,
    block: &str,
    belongs_after: impl Fn(&Section) -> bool,
) -> Option<Edit> {
    let le = line_ending(text);
    let next = model
        .sections
        .iter()
        .filter(|s| s.parent.is_none() && belongs_after(s))
        .map(|s| model.heading_of(s).span.start)
        .min();
    if let Some(at) = next {
        return Some(Edit::insert(at, block));
    }
    if model.fences.iter().any(|f| !f.closed) {
        return None;
    }
    let end = model
        .outer_fence
        .as_ref()
        .map_or(text.len(), |f| f.close.start);
    let body_end = text[..end].trim_end_matches(['\n', '\r']).len();
    let lead = if body_end == 0 {
        String::new()
    } else {
        format!("{le}{le}")
    };
    Some(Edit::replace(
        body_end..end,
        format!("{lead}{}{le}", block.trim_end_matches(['\n', '\r'])),
    ))
}

/// The document's line ending: CRLF when its first line ends so, else LF.
pub fn line_ending(text: &str) -> &'static str {
    match text.find('\n') {
        Some(i) if i > 0 && text.as_bytes()[i - 1] == b'\r' => "\r\n",
        _ => "\n",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::rules::testing::{codes, of, plan};
    use crate::analysis::{AnalysisOptions, completion};

    fn now() -> jiff::Timestamp {
        jiff::Timestamp::from_second(1_800_000_000).unwrap()
    }

    fn fixed(text: &str) -> String {
        let options = AnalysisOptions::default();
        fix_all(text, &CheckContext::new(now(), &options))
    }

    fn without(text: &str, heading: &str) -> String {
        let start = text.find(&format!("## {heading}\n")).unwrap();
        let end = text[start + 3..]
            .find("\n## ")
            .map_or(text.len(), |i| start + 4 + i);
        format!("{}{}", &text[..start], &text[end..])
    }

    #[test]
    fn every_inserted_section_raises_no_finding_and_completion_writes_the_same() {
        for heading in [
            "Progress",
            "Decision Log",
            "Outcomes & Retrospective",
            "Concrete Steps",
        ] {
            let text = without(&plan(""), heading);
            assert!(!codes(&text).is_empty(), "{heading} missing is a finding");
            let after = fixed(&text);
            assert_eq!(codes(&after), vec![], "{heading}:\n{after}");
            // Completion on an empty line offers the same section and body.
            let model = model::build_from_text(&text);
            let cx = completion::CompletionContext {
                now: now(),
                author: None,
                skeleton: crate::model::Skeleton::canonical(),
            };
            let offered = completion::complete(&text, &model, text.len(), &cx);
            let item = offered
                .iter()
                .find(|c| c.label == format!("## {heading}"))
                .unwrap_or_else(|| panic!("{heading} offered"));
            assert!(
                after.contains(&format!("{}\n", item.text)),
                "{heading}: {:?}",
                item.text
            );
        }
    }

    #[test]
    fn outcomes_are_not_inserted_in_bulk_when_all_work_is_done() {
        let done = plan("").replace(
            "- [ ] Measure it.",
            "- [x] (2026-01-05 11:00Z) Measured it.",
        );
        let text = without(&done, "Outcomes & Retrospective");
        assert_eq!(of("EP101", &codes(&text)).len(), 1);
        assert_eq!(fixed(&text), text);
    }

    #[test]
    fn a_missing_section_goes_where_it_stays_in_order() {
        // Context is out of order (right after Progress); a missing Outcomes
        // must not be put in front of it, where it would be out of order too.
        let text = without(&plan(""), "Outcomes & Retrospective");
        let context = "## Context and Orientation\n\nThe server lives in `src/server.rs`.\n\n";
        let text = without(&text, "Context and Orientation")
            .replace("## Surprises", &format!("{context}## Surprises"));
        assert_eq!(of("EP103", &codes(&text)).len(), 1);
        let after = fixed(&text);
        assert_eq!(of("EP103", &codes(&after)).len(), 1, "{after}");
        assert!(of("EP101", &codes(&after)).is_empty());
        assert!(
            after.contains(
                "Date/Author: 2026-01-05 / Ada\n\n## Outcomes & Retrospective\n\nNone yet.\n\n## Plan of Work"
            ),
            "{after}"
        );
    }

    #[test]
    fn no_safe_fix_rewrites_recorded_history() {
        let text = plan("")
            .replace(
                "  Evidence: 98% of requests are GETs.",
                "  Evidence: the log says\n\n  ```\n  GET 98%\n  ```",
            )
            .replace(
                "## Decision Log\n\n",
                "## Decision Log\n\n### Decision log\n\n",
            );
        let found = codes(&text);
        assert_eq!(of("EP401", &found).len(), 1, "{found:?}");
        assert_eq!(of("EP104", &found).len(), 1, "{found:?}");
        // Both fixes touch history, so neither is applied in bulk.
        assert_eq!(fixed(&text), text);
    }

    #[test]
    fn a_rename_that_would_make_twin_headings_is_not_applied_in_bulk() {
        let text = plan("").replace(
            "## Plan of Work\n\nAdd the cache in front of the store.",
            "## Plan of Work\n\nAdd the cache in front of the store.\n\n### Milestone 1\n\nBuild it.\n\n#### Validation\n\nRun it.\n\n#### Acceptance Criteria\n\nIt is fast.",
        );
        assert_eq!(fixed(&text), text);
    }

    #[test]
    fn edits_apply_in_position_order_and_overlaps_are_skipped() {
        let edits = [
            Edit::replace(4..5, "X"),
            Edit::insert(0, ">"),
            Edit::replace(3..6, "overlap"),
        ];
        let (out, applied) = apply_edits("abc def", &edits);
        assert_eq!(applied, 2);
        assert_eq!(out, ">abcoverlapf");
    }
}
