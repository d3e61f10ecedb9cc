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
