//! Labelled entries (`Decision:`, `Rationale:`, `Evidence:` …) as the
//! Decision Log and Surprises & Discoveries write them.

use super::Span;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LabelKind {
    Decision,
    Rationale,
    DateAuthor,
    Date,
    Author,
    Alternatives,
    Observation,
    Evidence,
    Resolution,
}

/// How an entry is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EntryShape {
    /// `- Decision: …` with `Rationale:` and `Date/Author:` on continuation lines.
    BulletTriple,
    /// `**Decision:** …` and other bold labels.
    BoldLabels,
    /// Labels on the same line: `- Use X. Rationale: …`.
    InlineLabels,
    /// A row of a table.
    TableRow,
    /// A paragraph that starts with a date: `2026-08-19 — Codex: …`.
    ProseLine,
    /// A bullet or paragraph without labels.
    Plain,
    /// A subsection (`### 2026-01-05: Use X`) whose heading states the
    /// entry and whose body explains it, without labels.
    Heading,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    pub kind: LabelKind,
    /// The label itself, from its first character to its colon (and bold
    /// markers) inclusive.
    pub span: Span,
    /// The text after the label, up to the next label, trimmed.
    pub value: String,
    pub bold: bool,
    /// Whether only whitespace, a list marker or emphasis precedes it on its line.
    pub line_start: bool,
}

const NAMES: [(&str, LabelKind); 13] = [
    ("alternatives considered", LabelKind::Alternatives),
    ("date / author", LabelKind::DateAuthor),
    ("date/author", LabelKind::DateAuthor),
    ("alternatives", LabelKind::Alternatives),
    ("observation", LabelKind::Observation),
    ("resolution", LabelKind::Resolution),
    ("rationale", LabelKind::Rationale),
    ("decision", LabelKind::Decision),
    ("evidence", LabelKind::Evidence),
    ("author", LabelKind::Author),
    ("date", LabelKind::Date),
    ("when", LabelKind::Date),
    ("why", LabelKind::Rationale),
];

/// Finds the labels in `text`; spans are offset by `base`.
pub fn find_labels(text: &str, base: usize) -> Vec<Label> {
    let lower = text.to_ascii_lowercase();
    let bytes = text.as_bytes();
    let mut found: Vec<(usize, usize, LabelKind, bool, bool)> = Vec::new();
    for (name, kind) in NAMES {
        let mut from = 0;
        while let Some(pos) = lower[from..].find(name) {
            let start = from + pos;
            from = start + name.len();
            if found
                .iter()
                .any(|f| start < f.1 && f.0 < start + name.len())
            {
                continue;
            }
            if start > 0 && bytes[start - 1].is_ascii_alphanumeric() {
                continue;
            }
            // An optional qualifier (`Rationale (historical):`), closing
            // emphasis, then the colon, then emphasis again.
            let mut end = start + name.len();
            let rest = &text[end..];
            let paren = rest.strip_prefix(" (").or_else(|| rest.strip_prefix('('));
            if let Some(inner) = paren
                && let Some(close) = inner.find(')')
                && close <= 40
                && !inner[..close].contains(['\n', '\r', '('])
            {
                end += rest.len() - inner.len() + close + 1;
            }
            let mut bold_after = false;
            while matches!(bytes.get(end), Some(b'*') | Some(b'_')) {
                end += 1;
                bold_after = true;
            }
            if bytes.get(end) != Some(&b':') {
                continue;
            }
            end += 1;
            while matches!(bytes.get(end), Some(b'*') | Some(b'_')) {
                end += 1;
                bold_after = true;
            }
            // What precedes it on its line.
            let line_begin = text[..start].rfind(['\n', '\r']).map_or(0, |i| i + 1);
            let before = &text[line_begin..start];
            let bold_before = before.ends_with("**") || before.ends_with("__");
            let line_start = before
                .trim_start()
                .trim_start_matches(['-', '*', '+', '|', '>'])
                .trim_start()
                .trim_matches(['*', '_'])
                .is_empty()
                || is_ordered_marker(before.trim());
            let after_sentence = {
                let b = before.trim_end_matches(['*', '_']).trim_end();
                b.ends_with(['.', ';', '—', '–', '(', ',', '|']) || b.ends_with(" -")
            };
            if !(line_start || after_sentence) {
                continue;
            }
            let label_start = if bold_before { start - 2 } else { start };
            found.push((
                label_start,
                end,
                kind,
                bold_before || bold_after,
                line_start,
            ));
        }
    }
    found.sort_by_key(|f| f.0);
    let mut labels = Vec::with_capacity(found.len());
    for (i, &(start, end, kind, bold, line_start)) in found.iter().enumerate() {
        let value_end = found.get(i + 1).map_or(text.len(), |next| next.0);
        let value = text[end..value_end.max(end)]
            .trim()
            .trim_matches(['*', '_'])
            .trim()
            .to_string();
        labels.push(Label {
            kind,
            span: base + start..base + end,
            value,
            bold,
            line_start,
        });
    }
    labels
}

fn is_ordered_marker(s: &str) -> bool {
    let digits = s.trim_end_matches(['.', ')']);
    !s.is_empty() && digits.len() < s.len() && digits.chars().all(|c| c.is_ascii_digit())
}

/// The shape of a labelled list item or paragraph.
pub fn shape_of(labels: &[Label]) -> EntryShape {
    if labels.is_empty() {
        EntryShape::Plain
    } else if labels.iter().any(|l| l.bold) {
        EntryShape::BoldLabels
    } else if labels.iter().skip(1).any(|l| l.line_start) {
        EntryShape::BulletTriple
    } else {
        EntryShape::InlineLabels
    }
}

/// Whether `text` starts with a date `YYYY-MM-DD`, as dated prose lines do.
pub fn starts_with_date(text: &str) -> bool {
    let b = text.trim_start_matches(['*', '_', '(']).as_bytes();
    b.len() >= 10
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[5..7].iter().all(u8::is_ascii_digit)
        && b[7] == b'-'
        && b[8..10].iter().all(u8::is_ascii_digit)
}

/// Whether `text` contains a date `YYYY-MM-DD` anywhere.
pub fn contains_date(text: &str) -> bool {
    (0..text.len()).any(|i| text.is_char_boundary(i) && starts_with_date(&text[i..]))
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// Whether `text` gives a date in any common form: `2026-01-05` (also in a
/// timestamp), `2026/01/05`, `05.01.2026`, `1/5/2026`, `2026-01`, or a month
/// name with a year (`Jan 5, 2026`, `5 January 2026`).
pub fn mentions_date(text: &str) -> bool {
    if contains_date(text) {
        return true;
    }
    let lower = text.to_lowercase();
    let tokens: Vec<&str> = lower
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|t| !t.is_empty())
        .collect();
    let is_year = |t: &str| {
        let t = t.trim_matches(|c: char| !c.is_ascii_digit());
        t.len() == 4 && (t.starts_with("19") || t.starts_with("20"))
    };
    let numeric = tokens.iter().any(|t| {
        let t = t.trim_matches(|c: char| !c.is_ascii_digit());
        let parts: Vec<&str> = t.split(['/', '.', '-']).collect();
        parts.len() >= 2
            && parts
                .iter()
                .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
            && parts.iter().any(|p| is_year(p))
    });
    let named = tokens.iter().any(|t| {
        MONTHS
            .iter()
            .any(|m| t.starts_with(m) && t.len() <= 9 && t.chars().all(char::is_alphabetic))
    }) && tokens.iter().any(|t| is_year(t));
    numeric || named
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_triple() {
        let text = "- Decision: Use X.\n  Rationale: It is simple.\n  Date/Author: 2026-01-01 / Me";
        let labels = find_labels(text, 0);
        let kinds: Vec<_> = labels.iter().map(|l| l.kind).collect();
        assert_eq!(
            kinds,
            [
                LabelKind::Decision,
                LabelKind::Rationale,
                LabelKind::DateAuthor
            ]
        );
        assert_eq!(labels[1].value, "It is simple.");
        assert_eq!(shape_of(&labels), EntryShape::BulletTriple);
    }

    #[test]
    fn bold_labels() {
        let text = "- **Decision:** Fix it\n  **Rationale:** Because\n  **Date:** 2025-01-01";
        let labels = find_labels(text, 10);
        assert_eq!(labels.len(), 3);
        assert_eq!(labels[0].span.start, 12);
        assert_eq!(labels[2].value, "2025-01-01");
        assert_eq!(shape_of(&labels), EntryShape::BoldLabels);
    }

    #[test]
    fn inline_labels_and_prose() {
        let labels = find_labels("- Use tokio. Rationale: it is the standard.", 0);
        assert_eq!(shape_of(&labels), EntryShape::InlineLabels);
        assert!(find_labels("We made a decision: none.", 0).is_empty());
        let qualified = find_labels(
            "- Decision: Use X.\n  Rationale (historical): it was 3.11.",
            0,
        );
        assert_eq!(qualified[1].kind, LabelKind::Rationale);
        assert_eq!(qualified[1].value, "it was 3.11.");
        assert!(starts_with_date("2026-08-19 — Codex: Use it"));
        assert!(contains_date("Plan creation on 2026-01-09 (Codex)"));
        for dated in [
            "2026-01-05 / Codex",
            "Codex, 2026/01/05",
            "05.01.2026 Ada",
            "Jan 5, 2026 / Ada",
            "5 January 2026",
            "2026-01 (Ada)",
            "(2026-01-05T10:00Z) Ada",
        ] {
            assert!(mentions_date(dated), "{dated}");
        }
        for undated in [
            "Codex",
            "Planning phase / Claude",
            "Ada, v1.2",
            "May / Ada",
            "PR 2026",
        ] {
            assert!(!mentions_date(undated), "{undated}");
        }
    }
}
