//! Edits an agent asks for by name rather than by cursor: mark one Progress
//! item done, or append one entry to a living section, in the style the plan
//! already uses. Each edit only inserts text (or replaces a lone "None yet."
//! placeholder), so no line the plan already has is changed otherwise, and
//! each is guarded: it refuses when the plan no longer reads as the caller
//! expects. The MCP front end wraps these; they are functions of the text,
//! the model and the time.

use std::fmt;

use super::fix::{Edit, line_ending};
use super::line_number;
use crate::model::entries::{EntryShape, LabelKind};
use crate::model::{CheckState, CheckboxItem, PlanModel, SectionKind, Span};

/// Why an edit was refused; the message says what to do instead.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    NoProgressItems,
    /// Neither a text nor a line was given.
    NoSelector,
    NoMatch(String),
    /// Several open items match; their lines and texts.
    Ambiguous(Vec<(usize, String)>),
    NoItemAtLine(usize),
    /// The item no longer reads as expected: the file changed.
    Changed {
        line: usize,
        expected: String,
        found: String,
    },
    AlreadyDone(usize, String),
    /// A required field was empty.
    Empty(&'static str),
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::NoProgressItems => {
                write!(f, "the plan's Progress section has no checkbox items")
            }
            Refusal::NoSelector => write!(f, "name the item by its `text` or its `line`"),
            Refusal::NoMatch(text) => write!(
                f,
                "no Progress item reads `{text}`; call plan_status to see the items as they are now"
            ),
            Refusal::Ambiguous(items) => {
                write!(
                    f,
                    "several open Progress items match; give the `line` of one:"
                )?;
                for (line, text) in items {
                    write!(f, " line {line}: `{text}`;")?;
                }
                Ok(())
            }
            Refusal::NoItemAtLine(line) => write!(f, "line {line} is not a Progress item"),
            Refusal::Changed {
                line,
                expected,
                found,
            } => write!(
                f,
                "the item at line {line} now reads `{found}`, not `{expected}`: the plan changed; read it again before editing"
            ),
            Refusal::AlreadyDone(line, text) => {
                write!(f, "the item at line {line} (`{text}`) is already done")
            }
            Refusal::Empty(field) => write!(f, "`{field}` must not be empty"),
        }
    }
}

impl std::error::Error for Refusal {}

/// An edit to one Progress item.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ItemEdit {
    /// The item's 1-based line.
    pub line: usize,
    /// The item's text before the edit.
    pub item: String,
    /// The stamp written.
    pub stamp: String,
    pub edits: Vec<Edit>,
}

/// Whitespace collapsed, a leading timestamp dropped: how items compare.
fn normalized(item: &CheckboxItem) -> String {
    let text = match &item.timestamp {
        Some(ts) if ts.start == item.text_start => {
            let skip = (ts.end - ts.start).min(item.text.len());
            item.text.get(skip..).unwrap_or(&item.text)
        }
        _ => &item.text,
    };
    collapse(text)
}

fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The Progress item an agent names by `text` (its text, or a part of it
/// that only one open item has) or by `line` (1-based); with both, the item
/// at the line must read `text`.
pub fn find_item<'m>(
    text: &str,
    model: &'m PlanModel,
    by_text: Option<&str>,
    line: Option<usize>,
) -> Result<&'m CheckboxItem, Refusal> {
    let items: Vec<&CheckboxItem> = model.progress_items().collect();
    if items.is_empty() {
        return Err(Refusal::NoProgressItems);
    }
    let wanted = by_text.map(collapse).filter(|t| !t.is_empty());
    if let Some(line) = line {
        let item = items
            .iter()
            .find(|i| {
                let first = line_number(text, i.span.start);
                let last = line_number(text, i.span.end);
                (first..=last).contains(&line)
            })
            .ok_or(Refusal::NoItemAtLine(line))?;
        if let Some(wanted) = &wanted {
            let found = normalized(item);
            if &found != wanted {
                return Err(Refusal::Changed {
                    line,
                    expected: wanted.clone(),
                    found,
                });
            }
        }
        return Ok(item);
    }
    let Some(wanted) = wanted else {
        return Err(Refusal::NoSelector);
    };
    let exact: Vec<&&CheckboxItem> = items.iter().filter(|i| normalized(i) == wanted).collect();
    let candidates: Vec<&&CheckboxItem> = if exact.is_empty() {
        let lower = wanted.to_lowercase();
        items
            .iter()
            .filter(|i| normalized(i).to_lowercase().contains(&lower))
            .collect()
    } else {
        exact
    };
    match candidates.as_slice() {
        [] => Err(Refusal::NoMatch(wanted)),
        [one] => Ok(one),
        many => {
            let open: Vec<&&&CheckboxItem> = many
                .iter()
                .filter(|i| i.state != CheckState::Checked)
                .collect();
            match open.as_slice() {
                [one] => Ok(one),
                _ => Err(Refusal::Ambiguous(
                    many.iter()
                        .map(|i| (line_number(text, i.span.start), normalized(i)))
                        .collect(),
                )),
            }
        }
    }
}

/// The stamp for `now` in the style of the plan's latest stamp: `(… Z)` by
/// default, `2026-05-30T09:12Z` or `(2026-05-30T09:12Z)` where the plan
/// writes them so. Always the UTC minute.
pub fn stamp_in_plan_style(model: &PlanModel, now: jiff::Timestamp) -> String {
    let last = model
        .progress_items()
        .filter_map(|i| i.timestamp.as_ref())
        .filter(|t| !t.placeholder && t.time.is_some())
        .last();
    let (t, parens) = match last {
        Some(ts) => (ts.t_separator, ts.parenthesized),
        None => (false, true),
    };
    let at = now.strftime(if t {
        "%Y-%m-%dT%H:%MZ"
    } else {
        "%Y-%m-%d %H:%MZ"
    });
    if parens {
        format!("({at})")
    } else {
        at.to_string()
    }
}

/// Whether the plan's stamps follow the item's text rather than lead it.
fn stamps_trail(model: &PlanModel) -> bool {
    let mut lead = 0;
    let mut trail = 0;
    for item in model.progress_items() {
        if let Some(ts) = item.timestamp.as_ref().filter(|t| !t.placeholder) {
            if ts.start == item.text_start {
                lead += 1;
            } else {
                trail += 1;
            }
        }
    }
    trail > lead
}

/// Marks the item done with the stamp of `now`, and appends `note` to its
/// text. `expected` (when given) must be the item's text as the caller last
/// read it; the edit is refused when it is not.
pub fn mark_done(
    text: &str,
    model: &PlanModel,
    by_text: Option<&str>,
    line: Option<usize>,
    expected: Option<&str>,
    note: Option<&str>,
    now: jiff::Timestamp,
) -> Result<ItemEdit, Refusal> {
    let item = find_item(text, model, by_text, line)?;
    let item_line = line_number(text, item.span.start);
    let current = normalized(item);
    if let Some(expected) = expected.map(collapse).filter(|e| !e.is_empty())
        && expected != current
    {
        return Err(Refusal::Changed {
            line: item_line,
            expected,
            found: current,
        });
    }
    if item.state == CheckState::Checked && item.timestamp.is_some() {
        return Err(Refusal::AlreadyDone(item_line, current));
    }
    let stamp = stamp_in_plan_style(model, now);
    let mut edits = Vec::new();
    if item.state != CheckState::Checked {
        edits.push(Edit::replace(item.box_span.clone(), "[x]"));
    }
    let note = note.map(collapse).filter(|n| !n.is_empty());
    let end = item.span.end;
    let mut tail = String::new();
    if let Some(note) = &note {
        let sep = if text[..end].ends_with(['.', '!', '?']) {
            " "
        } else {
            ". "
        };
        tail.push_str(sep);
        tail.push_str(note);
    }
    if item.timestamp.is_none() {
        if stamps_trail(model) && !item.text.is_empty() {
            tail.push(' ');
            tail.push_str(&stamp);
        } else {
            let lead = if item.text_start == item.box_span.end {
                " "
            } else {
                ""
            };
            let after = if item.text.is_empty() { "" } else { " " };
            edits.push(Edit::insert(
                item.text_start,
                format!("{lead}{stamp}{after}"),
            ));
        }
    }
    if !tail.is_empty() {
        edits.push(Edit::insert(end, tail));
    }
    Ok(ItemEdit {
        line: item_line,
        item: current,
        stamp,
        edits,
    })
}

/// The living sections an agent appends to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EntryKind {
    Decision,
    Surprise,
    Outcome,
}

impl EntryKind {
    pub fn section(self) -> SectionKind {
        match self {
            EntryKind::Decision => SectionKind::DecisionLog,
            EntryKind::Surprise => SectionKind::Surprises,
            EntryKind::Outcome => SectionKind::Outcomes,
        }
    }
}

/// What the new entry says.
#[derive(Clone, Debug, Default)]
pub struct EntryFields<'a> {
    /// The decision, the observation or the outcome.
    pub main: &'a str,
    /// The rationale, or the evidence.
    pub second: Option<&'a str>,
    /// Alternatives considered (decisions only).
    pub alternatives: Option<&'a str>,
    pub author: Option<&'a str>,
}

/// An appended entry: where it went and how it was written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntryEdit {
    /// `table`, `bold labels`, `bullets` or `paragraph`.
    pub style: &'static str,
    pub edits: Vec<Edit>,
}

/// One `- Label: value` line per field, the labels as the plan writes them.
struct LabelStyle {
    /// The labels, as written (`**Decision:**`, `Date/Author:`), with the
    /// field each takes.
    labels: Vec<(String, LabelKind)>,
    /// Continuation lines' indentation.
    indent: String,
    /// All on one line (`- Use X. Rationale: …`).
    inline: bool,
    bold: bool,
}

fn default_labels(kind: EntryKind, bold: bool) -> Vec<(String, LabelKind)> {
    let names: &[(&str, LabelKind)] = match kind {
        EntryKind::Decision => &[
            ("Decision", LabelKind::Decision),
            ("Rationale", LabelKind::Rationale),
            ("Date/Author", LabelKind::DateAuthor),
        ],
        EntryKind::Surprise => &[
            ("Observation", LabelKind::Observation),
            ("Evidence", LabelKind::Evidence),
        ],
        EntryKind::Outcome => &[],
    };
    names
        .iter()
        .map(|(n, k)| {
            let label = if bold {
                format!("**{n}:**")
            } else {
                format!("{n}:")
            };
            (label, *k)
        })
        .collect()
}

/// Appends one entry at the end of the living section `kind` in the style
/// its last entry uses: a table row under the table's own columns, bold
/// labels, inline labels, or the canonical bullets. A section that holds
/// only "None yet." has that line replaced; a missing section is created
/// where the skeleton puts it.
pub fn append_entry(
    text: &str,
    model: &PlanModel,
    kind: EntryKind,
    fields: &EntryFields<'_>,
    now: jiff::Timestamp,
) -> Result<EntryEdit, Refusal> {
    let main = collapse(fields.main);
    if main.is_empty() {
        return Err(Refusal::Empty(match kind {
            EntryKind::Decision => "decision",
            EntryKind::Surprise => "observation",
            EntryKind::Outcome => "outcome",
        }));
    }
    let le = line_ending(text);
    let minute = now.strftime("%Y-%m-%d %H:%MZ").to_string();
    let section_kind = kind.section();
    let value = |label: LabelKind, date_only: bool| -> Option<String> {
        let date = if date_only {
            now.strftime("%Y-%m-%d").to_string()
        } else {
            minute.clone()
        };
        match label {
            LabelKind::Decision | LabelKind::Observation => Some(main.clone()),
            LabelKind::Rationale | LabelKind::Evidence => fields.second.map(collapse),
            LabelKind::Alternatives => fields.alternatives.map(collapse),
            LabelKind::DateAuthor => Some(match fields.author {
                Some(a) if !a.trim().is_empty() => format!("{date} / {}", a.trim()),
                _ => date,
            }),
            LabelKind::Date => Some(date),
            LabelKind::Author => fields.author.map(|a| a.trim().to_string()),
            LabelKind::Resolution => None,
        }
    };

    let Some(section) = model.section(section_kind) else {
        let body = entry_lines(kind, &style_default(kind), &value, false, &main, le, false);
        let block = format!("## {}{le}{le}{body}{le}{le}", section_kind.canonical_name());
        let edit = super::fix::insert_section_block(text, model, section_kind, &block)
            .ok_or(Refusal::Empty("a place for the new section"))?;
        return Ok(EntryEdit {
            style: style_name(kind, &style_default(kind)),
            edits: vec![edit],
        });
    };
    let heading_end = model.heading_of(section).span.end;
    let body_end = text[..section.span.end]
        .trim_end_matches(['\n', '\r', ' ', '\t'])
        .len()
        .max(heading_end);

    // A table in the section takes a row.
    let in_section = |start: usize| section.span.contains(&start);
    if let Some(table) = model.tables.iter().rev().find(|t| in_section(t.span.start)) {
        let row = table_row(&table.header, kind, &value, &main);
        let at = text[..table.span.end].trim_end_matches(['\n', '\r']).len();
        return Ok(EntryEdit {
            style: "table",
            edits: vec![Edit::insert(at, format!("{le}{row}"))],
        });
    }

    let entries = match kind {
        EntryKind::Decision => &model.decisions,
        EntryKind::Surprise => &model.surprises,
        EntryKind::Outcome => &model.decisions, // filtered out below
    };
    let last = entries
        .iter()
        .rev()
        .filter(|_| kind != EntryKind::Outcome)
        .find(|e| in_section(e.span.start));
    let style = match last {
        Some(e) if matches!(e.shape, EntryShape::BoldLabels | EntryShape::BulletTriple) => {
            let labels: Vec<(String, LabelKind)> = e
                .labels
                .iter()
                .map(|l| (text[l.span.clone()].to_string(), l.kind))
                .collect();
            let indent = e
                .labels
                .get(1)
                .map(|l| {
                    let start = super::line_span(text, l.span.start).start;
                    text[start..l.span.start]
                        .chars()
                        .take_while(|c| *c == ' ' || *c == '\t')
                        .collect()
                })
                .unwrap_or_else(|| "  ".to_string());
            let bold = e.shape == EntryShape::BoldLabels;
            LabelStyle {
                labels: complete_labels(kind, labels, bold),
                indent,
                inline: false,
                bold,
            }
        }
        Some(e) if e.shape == EntryShape::InlineLabels => {
            let labels = e
                .labels
                .iter()
                .map(|l| (text[l.span.clone()].to_string(), l.kind))
                .collect();
            LabelStyle {
                labels: complete_labels(kind, labels, false),
                indent: String::new(),
                inline: true,
                bold: false,
            }
        }
        _ => style_default(kind),
    };
    let date_only = last.is_some_and(|e| {
        e.labels
            .iter()
            .find(|l| matches!(l.kind, LabelKind::DateAuthor | LabelKind::Date))
            .is_some_and(|l| !l.value.contains(':'))
    });
    let list_before = kind == EntryKind::Outcome
        && model
            .lists
            .iter()
            .any(|l| in_section(l.span.start) && l.span.end >= body_end.saturating_sub(1));
    let body = entry_lines(kind, &style, &value, date_only, &main, le, list_before);
    let own = section.own_body.clone();
    if !section.has_subsections
        && is_placeholder(&text[own.clone()])
        && !text[own.clone()].trim().is_empty()
    {
        return Ok(EntryEdit {
            style: style_name(kind, &style),
            edits: vec![Edit::replace(trimmed(text, own), body)],
        });
    }
    let gap = if list_before && !loose_list_at_end(text, body_end) {
        le.to_string()
    } else {
        format!("{le}{le}")
    };
    let gap = if body_end == heading_end {
        format!("{le}{le}")
    } else {
        gap
    };
    Ok(EntryEdit {
        style: if list_before {
            "bullets"
        } else {
            style_name(kind, &style)
        },
        edits: vec![Edit::insert(body_end, format!("{gap}{body}"))],
    })
}

fn style_default(kind: EntryKind) -> LabelStyle {
    LabelStyle {
        labels: default_labels(kind, false),
        indent: "  ".to_string(),
        inline: false,
        bold: false,
    }
}

fn style_name(kind: EntryKind, style: &LabelStyle) -> &'static str {
    if kind == EntryKind::Outcome {
        "paragraph"
    } else if style.bold {
        "bold labels"
    } else if style.inline {
        "inline labels"
    } else {
        "bullets"
    }
}

/// The labels of the last entry, with any the rules require added (a
/// decision needs its rationale and date; an observation its evidence).
fn complete_labels(
    kind: EntryKind,
    mut labels: Vec<(String, LabelKind)>,
    bold: bool,
) -> Vec<(String, LabelKind)> {
    labels.retain(|(_, k)| *k != LabelKind::Resolution);
    let has = |labels: &[(String, LabelKind)], kinds: &[LabelKind]| {
        labels.iter().any(|(_, k)| kinds.contains(k))
    };
    for (label, k) in default_labels(kind, bold) {
        let present = match k {
            LabelKind::DateAuthor => has(
                &labels,
                &[LabelKind::DateAuthor, LabelKind::Date, LabelKind::Author],
            ),
            other => has(&labels, &[other]),
        };
        if !present {
            labels.push((label, k));
        }
    }
    // The main label leads.
    if let Some(i) = labels
        .iter()
        .position(|(_, k)| matches!(k, LabelKind::Decision | LabelKind::Observation))
    {
        let main = labels.remove(i);
        labels.insert(0, main);
    }
    labels
}

fn entry_lines(
    kind: EntryKind,
    style: &LabelStyle,
    value: &dyn Fn(LabelKind, bool) -> Option<String>,
    date_only: bool,
    main: &str,
    le: &str,
    as_bullet: bool,
) -> String {
    if kind == EntryKind::Outcome {
        let lead = if as_bullet { "- " } else { "" };
        let minute = value(LabelKind::Date, false).unwrap_or_default();
        return format!("{lead}({minute}) {main}");
    }
    let mut parts: Vec<String> = Vec::new();
    for (label, k) in &style.labels {
        if let Some(v) = value(*k, date_only).filter(|v| !v.is_empty()) {
            parts.push(format!("{label} {v}"));
        } else if matches!(k, LabelKind::Rationale | LabelKind::Evidence) {
            // Required, and not given: left for the agent to fill.
            parts.push(label.to_string());
        }
    }
    if style.inline {
        return format!("- {}", parts.join(" "));
    }
    let mut out = String::new();
    for (i, part) in parts.iter().enumerate() {
        if i == 0 {
            out.push_str("- ");
        } else {
            out.push_str(le);
            out.push_str(&style.indent);
        }
        out.push_str(part);
    }
    out
}

/// A row under `header`, each cell the field its column names.
fn table_row(
    header: &[String],
    kind: EntryKind,
    value: &dyn Fn(LabelKind, bool) -> Option<String>,
    main: &str,
) -> String {
    let cell = |h: &str| -> String {
        let h = h.to_lowercase();
        let date_like = h.contains("date") || h.contains("when") || h.contains("time");
        let v = if date_like {
            if h.contains("author") || h.contains("who") {
                value(LabelKind::DateAuthor, false)
            } else {
                value(LabelKind::Date, false)
            }
        } else if h.contains("author") || h.contains("who") || h.contains("by") {
            value(LabelKind::Author, false)
        } else if h.contains("rationale")
            || h.contains("why")
            || h.contains("reason")
            || h.contains("evidence")
        {
            value(LabelKind::Rationale, false)
        } else if h.contains("alternative") {
            value(LabelKind::Alternatives, false)
        } else if h.contains("decision")
            || h.contains("observation")
            || h.contains("surprise")
            || h.contains("outcome")
            || h.contains("what")
        {
            Some(main.to_string())
        } else {
            None
        };
        v.unwrap_or_default().replace('|', "\\|")
    };
    let _ = kind;
    let cells: Vec<String> = header.iter().map(|h| format!(" {} ", cell(h))).collect();
    format!("|{}|", cells.join("|"))
}

/// Whether the list ending at `end` has blank lines between its items.
fn loose_list_at_end(text: &str, end: usize) -> bool {
    let before = &text[..end];
    let lines: Vec<&str> = before.lines().rev().take(40).collect();
    let mut saw_blank = false;
    for line in lines.iter().skip(1) {
        if line.trim().is_empty() {
            saw_blank = true;
        } else if line.trim_start().starts_with("- ") || line.trim_start().starts_with("* ") {
            return saw_blank;
        } else if saw_blank {
            return false;
        }
    }
    false
}

fn trimmed(text: &str, span: Span) -> Span {
    let slice = &text[span.clone()];
    let start = span.start + (slice.len() - slice.trim_start().len());
    let end = span.start + slice.trim_end().len();
    start..end.max(start)
}

/// "None yet.", "None", or nothing at all.
pub fn is_placeholder(body: &str) -> bool {
    let t = body.trim().trim_end_matches('.').to_lowercase();
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

    fn changed_lines(before: &str, after: &str) -> Vec<String> {
        let old: Vec<&str> = before.lines().collect();
        after
            .lines()
            .filter(|l| !old.contains(l))
            .map(str::to_string)
            .collect()
    }

    fn removed_lines(before: &str, after: &str) -> Vec<String> {
        let new: Vec<&str> = after.lines().collect();
        before
            .lines()
            .filter(|l| !new.contains(l))
            .map(str::to_string)
            .collect()
    }

    const PLAN: &str = "# P\n\n## Progress\n\n- [x] (2026-11-20 10:00Z) Read the code.\n- [ ] Write the parser.\n- [ ] Write the parser tests.\n\n## Decision Log\n\n- Decision: Use X.\n  Rationale: It is small.\n  Date/Author: 2026-11-20 10:00Z / Ada\n\n## Outcomes & Retrospective\n\nNone yet.\n";

    #[test]
    fn mark_done_by_text_stamps_the_minute_and_keeps_other_lines() {
        let model = build_from_text(PLAN);
        let edit = mark_done(
            PLAN,
            &model,
            Some("Write the parser."),
            None,
            None,
            Some("Tests pass"),
            now(),
        )
        .unwrap();
        assert_eq!(edit.line, 6);
        let out = apply_edits(PLAN, &edit.edits).0;
        assert_eq!(
            changed_lines(PLAN, &out),
            ["- [x] (2026-11-23 14:05Z) Write the parser. Tests pass"]
        );
        assert_eq!(removed_lines(PLAN, &out), ["- [ ] Write the parser."]);
    }

    #[test]
    fn a_part_of_the_text_must_name_one_open_item() {
        let model = build_from_text(PLAN);
        let err = mark_done(PLAN, &model, Some("parser"), None, None, None, now()).unwrap_err();
        assert!(
            matches!(err, Refusal::Ambiguous(ref v) if v.len() == 2),
            "{err}"
        );
        let ok = mark_done(PLAN, &model, Some("parser tests"), None, None, None, now()).unwrap();
        assert_eq!(ok.line, 7);
        let err = mark_done(PLAN, &model, Some("Deploy"), None, None, None, now()).unwrap_err();
        assert!(matches!(err, Refusal::NoMatch(_)));
        let err =
            mark_done(PLAN, &model, Some("Read the code"), None, None, None, now()).unwrap_err();
        assert!(matches!(err, Refusal::AlreadyDone(5, _)), "{err}");
    }

    #[test]
    fn a_changed_item_is_refused() {
        let model = build_from_text(PLAN);
        let err = mark_done(
            PLAN,
            &model,
            None,
            Some(6),
            Some("Write the lexer."),
            None,
            now(),
        )
        .unwrap_err();
        assert!(matches!(err, Refusal::Changed { line: 6, .. }), "{err}");
        assert!(err.to_string().contains("Write the parser."), "{err}");
        assert!(
            mark_done(
                PLAN,
                &model,
                None,
                Some(6),
                Some("Write  the parser."),
                None,
                now()
            )
            .is_ok()
        );
        assert_eq!(
            mark_done(PLAN, &model, None, Some(2), None, None, now()).unwrap_err(),
            Refusal::NoItemAtLine(2)
        );
    }

    #[test]
    fn stamps_follow_the_plan_style() {
        let t_style = "# P\n\n## Progress\n\n- [x] 2026-11-20T10:00Z Read it.\n- [ ] Write it.\n";
        let model = build_from_text(t_style);
        let edit = mark_done(t_style, &model, Some("Write it."), None, None, None, now()).unwrap();
        let out = apply_edits(t_style, &edit.edits).0;
        assert!(out.contains("- [x] 2026-11-23T14:05Z Write it.\n"), "{out}");
        let trailing = "# P\n\n## Progress\n\n- [x] Read it (2026-11-20 10:00Z)\n- [ ] Write it\n";
        let model = build_from_text(trailing);
        let edit = mark_done(trailing, &model, Some("Write it"), None, None, None, now()).unwrap();
        let out = apply_edits(trailing, &edit.edits).0;
        assert!(
            out.ends_with("- [x] Write it (2026-11-23 14:05Z)\n"),
            "{out}"
        );
        assert_eq!(
            build_from_text(&out)
                .progress_items()
                .filter(|i| i.timestamp.is_some())
                .count(),
            2
        );
    }

    #[test]
    fn decisions_append_in_each_style() {
        let fields = EntryFields {
            main: "Use Y.",
            second: Some("It is faster."),
            author: Some("Codex"),
            ..Default::default()
        };
        let model = build_from_text(PLAN);
        let edit = append_entry(PLAN, &model, EntryKind::Decision, &fields, now()).unwrap();
        let out = apply_edits(PLAN, &edit.edits).0;
        assert!(
            out.contains("/ Ada\n\n- Decision: Use Y.\n  Rationale: It is faster.\n  Date/Author: 2026-11-23 14:05Z / Codex\n\n## Outcomes"),
            "{out}"
        );
        assert!(removed_lines(PLAN, &out).is_empty());
        assert_eq!(build_from_text(&out).decisions.len(), 2);

        let table = "# P\n\n## Decision Log\n\n| When | Decision | Rationale |\n|---|---|---|\n| 2026-01-01 | A | B |\n\n## Outcomes & Retrospective\n\nNone yet.\n";
        let edit = append_entry(
            table,
            &build_from_text(table),
            EntryKind::Decision,
            &fields,
            now(),
        )
        .unwrap();
        assert_eq!(edit.style, "table");
        let out = apply_edits(table, &edit.edits).0;
        assert!(
            out.contains("| 2026-01-01 | A | B |\n| 2026-11-23 14:05Z | Use Y. | It is faster. |\n\n## Outcomes"),
            "{out}"
        );

        let bold = "# P\n\n## Decision Log\n\n- **Decision:** A.\n  **Rationale:** B.\n  **Date:** 2026-01-01\n";
        let edit = append_entry(
            bold,
            &build_from_text(bold),
            EntryKind::Decision,
            &fields,
            now(),
        )
        .unwrap();
        let out = apply_edits(bold, &edit.edits).0;
        assert!(
            out.ends_with("**Date:** 2026-01-01\n\n- **Decision:** Use Y.\n  **Rationale:** It is faster.\n  **Date:** 2026-11-23\n"),
            "{out}"
        );

        let empty = "# P\n\n## Decision Log\n\nNone yet.\n";
        let edit = append_entry(
            empty,
            &build_from_text(empty),
            EntryKind::Decision,
            &fields,
            now(),
        )
        .unwrap();
        let out = apply_edits(empty, &edit.edits).0;
        assert_eq!(
            out,
            "# P\n\n## Decision Log\n\n- Decision: Use Y.\n  Rationale: It is faster.\n  Date/Author: 2026-11-23 14:05Z / Codex\n"
        );
    }

    #[test]
    fn surprises_and_outcomes_append() {
        let fields = EntryFields {
            main: "The parser is slow.",
            second: Some("3 s on 1,000 lines."),
            ..Default::default()
        };
        let model = build_from_text(PLAN);
        let edit = append_entry(PLAN, &model, EntryKind::Surprise, &fields, now()).unwrap();
        let out = apply_edits(PLAN, &edit.edits).0;
        assert!(
            out.contains("- [ ] Write the parser tests.\n\n## Surprises & Discoveries\n\n- Observation: The parser is slow.\n  Evidence: 3 s on 1,000 lines.\n\n## Decision Log"),
            "{out}"
        );
        let edit = append_entry(PLAN, &model, EntryKind::Outcome, &fields, now()).unwrap();
        let out = apply_edits(PLAN, &edit.edits).0;
        assert!(
            out.ends_with(
                "## Outcomes & Retrospective\n\n(2026-11-23 14:05Z) The parser is slow.\n"
            ),
            "{out}"
        );
        let err = append_entry(
            PLAN,
            &model,
            EntryKind::Outcome,
            &EntryFields::default(),
            now(),
        )
        .unwrap_err();
        assert_eq!(err, Refusal::Empty("outcome"));
    }
}
