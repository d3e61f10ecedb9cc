//! Hover: what a section is for, a timestamp in words, a rule explained, and
//! whether a backticked repository path exists. Markdown out, or the same
//! as readable plain text ([`plain_text`]) for clients that show no
//! Markdown; the file system is reached only through the caller's path
//! resolver.

use crate::model::timestamp::find_in_item;
use crate::model::{PlanModel, SectionKind, Span, Timestamp};

use super::{Code, Diagnostic, rule_explanation, rule_info};

/// What a repository path refers to, as the caller found it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PathFacts {
    File {
        first_lines: Option<String>,
    },
    Folder,
    Missing,
    /// Absolute or outside the workspace: not looked at.
    Outside,
    /// No workspace to resolve against.
    Unknown,
}

pub struct HoverContext<'a> {
    pub now: jiff::Timestamp,
    /// The document's diagnostics, to explain the rule under the cursor.
    pub diagnostics: &'a [Diagnostic],
    pub resolve_path: &'a dyn Fn(&str) -> PathFacts,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hover {
    pub span: Span,
    pub markdown: String,
}

impl Hover {
    /// The hover as plain text, for clients that do not render Markdown.
    pub fn plain_text(&self) -> String {
        plain_text(&self.markdown)
    }
}

/// Markdown rendered as readable plain text: no markup characters, inline
/// code in double quotes, code blocks indented by four spaces, links followed by their target, rules
/// as a line of box-drawing dashes, list items with `- ` or their number.
pub fn plain_text(markdown: &str) -> String {
    use pulldown_cmark::{Event, Parser, Tag, TagEnd};

    let mut out = String::new();
    // One entry per open list: the next item's number, `None` if bulleted.
    let mut lists: Vec<Option<u64>> = Vec::new();
    let mut links: Vec<String> = Vec::new();
    let mut in_code_block = false;
    let block_end = |out: &mut String| {
        let trimmed = out.trim_end_matches([' ', '\n']).len();
        out.truncate(trimmed);
        if !out.is_empty() {
            out.push_str("\n\n");
        }
    };
    for event in Parser::new(markdown) {
        match event {
            Event::Start(Tag::CodeBlock(_)) => in_code_block = true,
            Event::End(TagEnd::CodeBlock) => {
                in_code_block = false;
                block_end(&mut out);
            }
            Event::Start(Tag::List(start)) => lists.push(start),
            Event::End(TagEnd::List(_)) => {
                lists.pop();
                if lists.is_empty() {
                    block_end(&mut out);
                }
            }
            Event::Start(Tag::Item) => {
                if !out.is_empty() && !out.ends_with('\n') {
                    out.push('\n');
                }
                out.push_str(&"  ".repeat(lists.len().saturating_sub(1)));
                match lists.last_mut() {
                    Some(Some(n)) => {
                        out.push_str(&format!("{n}. "));
                        *n += 1;
                    }
                    _ => out.push_str("- "),
                }
            }
            Event::End(TagEnd::Item) if !out.ends_with('\n') => out.push('\n'),
            Event::Start(Tag::Link { dest_url, .. }) => links.push(dest_url.to_string()),
            Event::End(TagEnd::Link) => {
                if let Some(url) = links.pop() {
                    out.push_str(&format!(" ({url})"));
                }
            }
            Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::BlockQuote(_))
                if lists.is_empty() =>
            {
                block_end(&mut out)
            }
            Event::End(TagEnd::Paragraph) => {}
            Event::Text(text) if in_code_block => {
                for line in text.lines() {
                    out.push_str("    ");
                    out.push_str(line);
                    out.push('\n');
                }
            }
            // Code in quotes, so an example stands apart from the sentence.
            Event::Code(code) => {
                out.push('"');
                out.push_str(&code);
                out.push('"');
            }
            Event::Text(text) | Event::Html(text) | Event::InlineHtml(text) => out.push_str(&text),
            Event::SoftBreak => out.push(' '),
            Event::HardBreak => out.push('\n'),
            Event::Rule => {
                block_end(&mut out);
                out.push_str("────────\n\n");
            }
            _ => {}
        }
    }
    out.trim_end().to_string()
}

fn contains(span: &Span, offset: usize) -> bool {
    span.start <= offset && offset <= span.end
}

pub fn hover(text: &str, model: &PlanModel, offset: usize, cx: &HoverContext<'_>) -> Option<Hover> {
    let mut parts = Vec::new();
    let mut span: Option<Span> = None;

    if let Some(heading) = model.sections.iter().find_map(|s| {
        let h = model.heading_of(s);
        contains(&h.span, offset).then_some((s, h))
    }) {
        let (section, h) = heading;
        if let Some(kind) = section.kind {
            parts.push(section_help(kind));
            span = Some(h.span.clone());
        }
    }

    if let Some((ts, at)) = timestamp_at(text, model, offset) {
        parts.push(describe_timestamp(&ts, cx.now));
        span = Some(at);
    }

    if let Some(path) = model.code_paths.iter().find(|p| contains(&p.span, offset)) {
        parts.push(describe_path(&path.path, (cx.resolve_path)(&path.path)));
        span = Some(path.span.clone());
    }

    let mut explained = Vec::new();
    for d in cx.diagnostics.iter().filter(|d| contains(&d.span, offset)) {
        if !explained.contains(&d.code) {
            explained.push(d.code);
            parts.push(explain_rule(d.code));
            span.get_or_insert(d.span.clone());
        }
    }
    if let Some((code, at)) = rule_code_at(text, offset)
        && !explained.contains(&code)
    {
        parts.push(explain_rule(code));
        span = Some(at);
    }

    let span = span?;
    Some(Hover {
        span,
        markdown: parts.join("\n\n---\n\n"),
    })
}

fn section_help(kind: SectionKind) -> String {
    let role = if kind.is_living() {
        "A living section: keep it current at every stopping point."
    } else {
        "A section of the ExecPlan skeleton."
    };
    format!(
        "**{}**: {}\n\n{}",
        kind.canonical_name(),
        kind.guidance(),
        role
    )
}

/// The timestamp under the cursor: a Progress item's stamp, or a date or
/// time written anywhere on the line.
fn timestamp_at(text: &str, model: &PlanModel, offset: usize) -> Option<(Timestamp, Span)> {
    if let Some(ts) = model
        .checkboxes
        .iter()
        .filter_map(|c| c.timestamp.as_ref())
        .find(|ts| ts.start <= offset && offset <= ts.end)
    {
        return Some((ts.clone(), ts.start..ts.end));
    }
    let line = super::line_span(text, offset);
    let mut from = line.start;
    while from < line.end {
        let ts = find_in_item(text.get(from..line.end)?)?;
        let (start, end) = (from + ts.start, from + ts.end);
        if start <= offset && offset <= end {
            return Some((ts, start..end));
        }
        from = end.max(from + 1);
    }
    None
}

fn describe_timestamp(ts: &Timestamp, now: jiff::Timestamp) -> String {
    if ts.placeholder {
        return "The template's placeholder: replace it with the real UTC time, as `(YYYY-MM-DD HH:MMZ)`.".to_string();
    }
    if let Some(reason) = ts.invalid_reason() {
        return format!("`{}` is not a real time: {reason}.", ts.raw.trim());
    }
    let Some(at) = ts.sort_key() else {
        return format!("`{}`", ts.raw.trim());
    };
    let words = if ts.time.is_some() {
        at.strftime("%A %-d %B %Y, %H:%M UTC").to_string()
    } else {
        at.strftime("%A %-d %B %Y").to_string()
    };
    let exact = ts.to_canonical().is_some() || ts.time.is_none();
    let note = if exact {
        ""
    } else {
        " (the zone is not known, so this is read as UTC)"
    };
    format!("{words}{note}: {}.", ago(at, now))
}

/// `3 hours ago`, `in 2 days`, `just now`.
pub fn ago(at: jiff::Timestamp, now: jiff::Timestamp) -> String {
    let secs = now.as_second() - at.as_second();
    let (abs, future) = (secs.unsigned_abs(), secs < 0);
    let (n, unit) = match abs {
        0..60 => return "just now".to_string(),
        60..3_600 => (abs / 60, "minute"),
        3_600..86_400 => (abs / 3_600, "hour"),
        86_400..2_592_000 => (abs / 86_400, "day"),
        2_592_000..31_536_000 => (abs / 2_592_000, "month"),
        _ => (abs / 31_536_000, "year"),
    };
    let plural = if n == 1 { "" } else { "s" };
    if future {
        format!("in {n} {unit}{plural}")
    } else {
        format!("{n} {unit}{plural} ago")
    }
}

fn describe_path(path: &str, facts: PathFacts) -> String {
    match facts {
        PathFacts::File { first_lines } => {
            let mut out = format!("`{path}` exists in the workspace.");
            if let Some(lines) = first_lines.filter(|l| !l.trim().is_empty()) {
                let fence = if lines.contains("```") { "````" } else { "```" };
                out.push_str(&format!("\n\n{fence}\n{lines}\n{fence}"));
            }
            out
        }
        PathFacts::Folder => format!("`{path}` is a folder in the workspace."),
        PathFacts::Missing => format!("`{path}` does not exist in the workspace (yet)."),
        PathFacts::Outside => format!("`{path}` is outside the workspace; it is not looked at."),
        PathFacts::Unknown => format!("`{path}`: no workspace folder to look it up in."),
    }
}

fn explain_rule(code: Code) -> String {
    let Some(rule) = rule_info(code.as_str()) else {
        return format!("`{code}`");
    };
    let body = rule_explanation(code.as_str()).unwrap_or_else(|| rule.summary.to_string());
    format!(
        "**{} {}** (default: {})\n\n{}",
        rule.code,
        rule.name,
        rule.default_severity.as_str(),
        body
    )
}

/// A rule code such as `EP203` written in the text at `offset`.
fn rule_code_at(text: &str, offset: usize) -> Option<(Code, Span)> {
    let bytes = text.as_bytes();
    let mut start = offset.min(bytes.len());
    while start > 0 && bytes[start - 1].is_ascii_alphanumeric() {
        start -= 1;
    }
    let mut end = offset.min(bytes.len());
    while end < bytes.len() && bytes[end].is_ascii_alphanumeric() {
        end += 1;
    }
    let word = text.get(start..end)?;
    let rule = rule_info(word)?;
    Some((rule.code, start..end))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::build_from_text;

    const PLAN: &str = "# T\n\n## Progress\n\n- [x] (2026-11-20 09:30Z) Wrote `src/lib.rs` and `src/new.rs`.\n\nSee EP203 for stamps.\n";

    fn at(needle: &str, facts: &dyn Fn(&str) -> PathFacts) -> Option<String> {
        let model = build_from_text(PLAN);
        let now: jiff::Timestamp = "2026-11-23T09:30:00Z".parse().unwrap();
        let cx = HoverContext {
            now,
            diagnostics: &[],
            resolve_path: facts,
        };
        let offset = PLAN.find(needle).unwrap() + 1;
        hover(PLAN, &model, offset, &cx).map(|h| h.markdown)
    }

    fn files(path: &str) -> PathFacts {
        if path == "src/lib.rs" {
            PathFacts::File {
                first_lines: Some("//! The library.".into()),
            }
        } else {
            PathFacts::Missing
        }
    }

    #[test]
    fn explains_sections_timestamps_rules_and_paths() {
        let progress = at("## Progress", &files).unwrap();
        assert!(
            progress.starts_with("**Progress**: Every step"),
            "{progress}"
        );
        assert!(progress.contains("living section"));

        let stamp = at("2026-11-20", &files).unwrap();
        assert_eq!(stamp, "Friday 20 November 2026, 09:30 UTC: 3 days ago.");

        let lib = at("src/lib.rs", &files).unwrap();
        assert!(lib.starts_with("`src/lib.rs` exists"), "{lib}");
        assert!(lib.contains("//! The library."));
        let new = at("src/new.rs", &files).unwrap();
        assert!(new.contains("does not exist"), "{new}");

        let rule = at("EP203", &files).unwrap();
        assert!(
            rule.starts_with("**EP203 unstamped-completed-item**"),
            "{rule}"
        );
        assert!(at("for stamps", &files).is_none());
    }

    #[test]
    fn plain_text_keeps_the_words_and_drops_the_markup() {
        let markdown = "**EP203 unstamped-completed-item** (default: warning)\n\nA done item needs a `(YYYY-MM-DD HH:MMZ)` stamp; see [the format](docs/x.md).\n\n---\n\n`src/lib.rs` exists.\n\n```\n//! The library.\nfn main() {}\n```\n\n- one\n- *two*\n\n1. first\n2. second\n";
        assert_eq!(
            plain_text(markdown),
            "EP203 unstamped-completed-item (default: warning)\n\nA done item needs a \"(YYYY-MM-DD HH:MMZ)\" stamp; see the format (docs/x.md).\n\n────────\n\n\"src/lib.rs\" exists.\n\n    //! The library.\n    fn main() {}\n\n- one\n- two\n\n1. first\n2. second"
        );
    }

    #[test]
    fn ago_reads_naturally() {
        let now: jiff::Timestamp = "2026-11-23T12:00:00Z".parse().unwrap();
        let t = |s: &str| s.parse::<jiff::Timestamp>().unwrap();
        assert_eq!(ago(t("2026-11-23T11:59:30Z"), now), "just now");
        assert_eq!(ago(t("2026-11-23T11:00:00Z"), now), "1 hour ago");
        assert_eq!(ago(t("2026-11-25T12:00:00Z"), now), "in 2 days");
    }
}
