//! Suppression comments, as markdownlint and rumdl users write them:
//!
//! ```markdown
//! <!-- execplan-ls-disable EP203 -->        from this line on
//! <!-- execplan-ls-enable EP203 -->         …up to this line
//! <!-- execplan-ls-disable-next-line EP203 -->
//! <!-- execplan-ls-disable-line EP203 -->   (at the end of the line)
//! <!-- execplan-ls-disable-file EP110 -->
//! ```
//!
//! No code means every rule; several codes may be given, separated by
//! spaces or commas, and a reason may follow ` -- `. Comments inside code
//! blocks and code spans are text, not directives. [`apply`] runs where
//! [`super::check`] gathers findings, so every front end honours them; a
//! directive that names an unknown code or suppresses nothing is reported as
//! EP001, and [`disable_fix`] writes the comment for one finding.

use std::collections::{HashMap, HashSet};

use super::fix::line_ending;
use super::{Code, Diagnostic, Edit, Fix, Severity, line_span, rule_info};
use crate::model::{PlanModel, Span};
use crate::syntax::InlineKind;

/// The code of a directive that does nothing.
pub const UNUSED: Code = Code::EP001;
const PREFIX: &str = "execplan-ls-";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DirectiveKind {
    Disable,
    Enable,
    DisableLine,
    DisableNextLine,
    DisableFile,
}

impl DirectiveKind {
    fn parse(word: &str) -> Option<DirectiveKind> {
        Some(match word {
            "disable" => DirectiveKind::Disable,
            "enable" => DirectiveKind::Enable,
            "disable-line" => DirectiveKind::DisableLine,
            "disable-next-line" => DirectiveKind::DisableNextLine,
            "disable-file" => DirectiveKind::DisableFile,
            _ => return None,
        })
    }
}

/// One `<!-- execplan-ls-… -->` comment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Directive {
    pub kind: DirectiveKind,
    /// The whole comment, `<!--` to `-->`.
    pub span: Span,
    /// The known codes it names, with their spans; empty for every rule.
    pub codes: Vec<(Code, Span)>,
    /// Names that are not rule codes, with their spans.
    pub unknown: Vec<(String, Span)>,
    /// 0-based line of the comment's start and of its end.
    pub first_line: usize,
    pub last_line: usize,
}

impl Directive {
    fn names_all(&self) -> bool {
        self.codes.is_empty() && self.unknown.is_empty()
    }
}

/// What a text's comments say: the directives, and comments that start with
/// the prefix but name no directive (`execplan-ls-disabel`).
#[derive(Debug, Default)]
pub struct Directives {
    pub directives: Vec<Directive>,
    pub malformed: Vec<(Span, String)>,
}

/// Line starts of a text, LF, CRLF and lone CR counted as [`super::line_number`] does.
struct Lines(Vec<usize>);

impl Lines {
    fn new(text: &str) -> Lines {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\n' => starts.push(i + 1),
                b'\r' if bytes.get(i + 1) != Some(&b'\n') => starts.push(i + 1),
                _ => {}
            }
            i += 1;
        }
        Lines(starts)
    }

    /// The 0-based line of `offset`.
    fn of(&self, offset: usize) -> usize {
        self.0.partition_point(|&s| s <= offset) - 1
    }
}

/// The directives of `text`, outside code blocks and code spans.
pub fn directives(text: &str, model: &PlanModel) -> Directives {
    let mut out = Directives::default();
    if !text.contains(PREFIX) {
        return out;
    }
    let code = code_regions(model);
    let in_code = |at: usize| code.iter().any(|r| r.start <= at && at < r.end);
    let lines = Lines::new(text);
    let mut from = 0;
    while let Some(found) = memchr::memmem::find(&text.as_bytes()[from..], b"<!--") {
        let start = from + found;
        let Some(close) = text[start + 4..].find("-->") else {
            break;
        };
        let end = start + 4 + close + 3;
        from = end;
        let inner_start = start + 4;
        let inner = &text[inner_start..end - 3];
        let lead = inner.len() - inner.trim_start().len();
        let Some(rest) = inner.trim_start().strip_prefix(PREFIX) else {
            continue;
        };
        if in_code(start) {
            continue;
        }
        let word_len = rest.find(char::is_whitespace).unwrap_or(rest.len());
        let word = &rest[..word_len];
        let Some(kind) = DirectiveKind::parse(word) else {
            out.malformed.push((
                start..end,
                format!(
                    "`{PREFIX}{word}` is not a directive: use disable, enable, disable-line, disable-next-line or disable-file"
                ),
            ));
            continue;
        };
        // Codes, up to a ` -- reason`.
        let codes_start = inner_start + lead + PREFIX.len() + word_len;
        let mut codes_text = &text[codes_start..end - 3];
        if let Some(reason) = codes_text.find("--") {
            codes_text = &codes_text[..reason];
        }
        let mut directive = Directive {
            kind,
            span: start..end,
            codes: Vec::new(),
            unknown: Vec::new(),
            first_line: lines.of(start),
            last_line: lines.of(end - 1),
        };
        let mut offset = 0;
        for token in codes_text.split(|c: char| c.is_whitespace() || c == ',') {
            let at = codes_start + offset;
            offset += token.len() + 1;
            if token.is_empty() {
                continue;
            }
            match rule_info(token) {
                Some(rule) => directive.codes.push((rule.code, at..at + token.len())),
                None => directive
                    .unknown
                    .push((token.to_string(), at..at + token.len())),
            }
        }
        out.directives.push(directive);
    }
    out
}

/// Fenced and indented code blocks and code spans, where comments are text.
fn code_regions(model: &PlanModel) -> Vec<Span> {
    let mut regions: Vec<Span> = model.fences.iter().map(|f| f.span.clone()).collect();
    regions.extend(model.indented_blocks.iter().cloned());
    for inline in &model.inlines {
        for span in &inline.facts.spans {
            if span.kind == InlineKind::CodeSpan {
                regions.push(inline.span.start + span.start..inline.span.start + span.end);
            }
        }
    }
    regions
}

/// Which directive (and which of its codes, `None` for all) silenced a finding.
type Use = (usize, Option<usize>);

/// Removes the findings the directives suppress and adds EP001 for
/// directives that name unknown codes or suppress nothing. `severity` gives
/// each rule's configured severity (`None` when off): a directive naming a
/// rule that is off is not called unused, since another configuration may
/// turn it on.
pub(crate) fn apply(
    text: &str,
    model: &PlanModel,
    found: Vec<Diagnostic>,
    severity: &dyn Fn(Code) -> Option<Severity>,
) -> Vec<Diagnostic> {
    let parsed = directives(text, model);
    if parsed.directives.is_empty() && parsed.malformed.is_empty() {
        return found;
    }
    let dirs = &parsed.directives;
    let lines = Lines::new(text);
    let mut used: HashSet<Use> = HashSet::new();
    let mut kept = Vec::with_capacity(found.len());
    for d in found {
        let line = lines.of(d.span.start);
        let hits = covering(dirs, d.code, line);
        if hits.is_empty() {
            kept.push(d);
        } else {
            used.extend(hits);
        }
    }
    let Some(level) = severity(UNUSED) else {
        return kept;
    };
    let mut unused = Vec::new();
    let mut report = |span: Span, message: String, fix: Option<Fix>| {
        unused.push(Diagnostic {
            code: UNUSED,
            severity: level,
            span,
            message,
            fix,
        });
    };
    for (span, message) in &parsed.malformed {
        report(span.clone(), message.clone(), None);
    }
    for (i, dir) in dirs.iter().enumerate() {
        let idle: Vec<usize> = if dir.kind == DirectiveKind::Enable || dir.names_all() {
            Vec::new()
        } else {
            (0..dir.codes.len())
                .filter(|&c| {
                    let code = dir.codes[c].0;
                    code != UNUSED && severity(code).is_some() && !used.contains(&(i, Some(c)))
                })
                .collect()
        };
        // When every name the comment holds is reported, each fix removes the
        // whole comment: taking the names out one by one would leave a bare
        // directive, which silences every rule.
        let all_reported = idle.len() == dir.codes.len() && !dir.names_all();
        let fix_for = |span: &Span| {
            if all_reported {
                remove_directive(text, &dir.span)
            } else {
                remove_code(text, span)
            }
        };
        for (name, span) in &dir.unknown {
            report(
                span.clone(),
                format!("`{name}` is not a rule code; `execplan-ls rules` lists them"),
                Some(fix_for(span)),
            );
        }
        if dir.kind == DirectiveKind::Enable {
            continue;
        }
        if dir.names_all() {
            if !used.iter().any(|(d, _)| *d == i) {
                report(
                    dir.span.clone(),
                    format!("This {} comment suppresses nothing.", what(dir.kind)),
                    Some(remove_directive(text, &dir.span)),
                );
            }
            continue;
        }
        for c in idle {
            let (code, span) = &dir.codes[c];
            report(
                span.clone(),
                format!(
                    "This {} comment suppresses no {code} finding.",
                    what(dir.kind)
                ),
                Some(fix_for(span)),
            );
        }
    }
    // EP001 itself obeys the directives that name it (or every rule).
    for d in unused {
        if covering(dirs, d.code, lines.of(d.span.start)).is_empty() {
            kept.push(d);
        }
    }
    kept
}

fn what(kind: DirectiveKind) -> &'static str {
    match kind {
        DirectiveKind::Disable => "disable",
        DirectiveKind::Enable => "enable",
        DirectiveKind::DisableLine => "disable-line",
        DirectiveKind::DisableNextLine => "disable-next-line",
        DirectiveKind::DisableFile => "disable-file",
    }
}

/// The directives (and codes) that silence `code` on 0-based `line`.
fn covering(dirs: &[Directive], code: Code, line: usize) -> Vec<Use> {
    let names = |d: &Directive| -> Option<Option<usize>> {
        if d.names_all() {
            Some(None)
        } else {
            d.codes.iter().position(|(c, _)| *c == code).map(Some)
        }
    };
    let mut hits = Vec::new();
    // Disable / enable replayed in order up to this line.
    let mut all: Option<usize> = None;
    let mut except: HashSet<Code> = HashSet::new();
    let mut by_code: HashMap<Code, Use> = HashMap::new();
    for (i, d) in dirs.iter().enumerate() {
        let applies = match d.kind {
            DirectiveKind::DisableFile => true,
            DirectiveKind::DisableLine => (d.first_line..=d.last_line).contains(&line),
            DirectiveKind::DisableNextLine => d.last_line + 1 == line,
            DirectiveKind::Disable | DirectiveKind::Enable => {
                if d.first_line <= line {
                    replay(d, i, &mut all, &mut except, &mut by_code);
                }
                false
            }
        };
        if applies && let Some(which) = names(d) {
            hits.push((i, which));
        }
    }
    if let Some(&hit) = by_code.get(&code) {
        hits.push(hit);
    } else if let Some(i) = all
        && !except.contains(&code)
    {
        hits.push((i, None));
    }
    hits
}

fn replay(
    d: &Directive,
    i: usize,
    all: &mut Option<usize>,
    except: &mut HashSet<Code>,
    by_code: &mut HashMap<Code, Use>,
) {
    let every = d.codes.is_empty();
    match (d.kind, every) {
        (DirectiveKind::Disable, true) => {
            *all = Some(i);
            except.clear();
            by_code.clear();
        }
        (DirectiveKind::Disable, false) => {
            for (c, (code, _)) in d.codes.iter().enumerate() {
                except.remove(code);
                by_code.insert(*code, (i, Some(c)));
            }
        }
        (DirectiveKind::Enable, true) => {
            *all = None;
            except.clear();
            by_code.clear();
        }
        (DirectiveKind::Enable, false) => {
            for (code, _) in &d.codes {
                by_code.remove(code);
                if all.is_some() {
                    except.insert(*code);
                }
            }
        }
        _ => {}
    }
}

/// Deletes a whole directive: its line when the comment is alone on it.
fn remove_directive(text: &str, span: &Span) -> Fix {
    let line = line_span(text, span.start);
    let alone = text[line.start..span.start].trim().is_empty()
        && line_span(text, span.end.saturating_sub(1)).end >= span.end
        && text[span.end..line_span(text, span.end.saturating_sub(1)).end]
            .trim()
            .is_empty();
    let edit = if alone {
        let end_line = line_span(text, span.end.saturating_sub(1));
        let mut end = end_line.end;
        if text[end..].starts_with("\r\n") {
            end += 2;
        } else if text[end..].starts_with(['\n', '\r']) {
            end += 1;
        }
        Edit::replace(line.start..end, "")
    } else {
        // Take one space before it too, so `text <!-- … -->` becomes `text`.
        let start = if text[..span.start].ends_with(' ') {
            span.start - 1
        } else {
            span.start
        };
        Edit::replace(start..span.end, "")
    };
    Fix::unsafe_("Remove the unused suppression comment", vec![edit])
}

/// Deletes one code from a directive, with the separator before it.
fn remove_code(text: &str, span: &Span) -> Fix {
    let before = text[..span.start].trim_end_matches([' ', ',']);
    Fix::unsafe_(
        format!("Remove `{}` from the comment", &text[span.clone()]),
        vec![Edit::replace(before.len()..span.end, "")],
    )
}

/// The quick fix "Disable EPxxx for this line": a `disable-next-line`
/// comment above the finding's line, indented to stay inside its list item;
/// on a line that continues a paragraph (which a comment line would split),
/// a `disable-line` comment at its end; for a table row, a disable/enable
/// pair around the table. Never a safe fix: a suppression is a judgement.
pub fn disable_fix(text: &str, model: &PlanModel, d: &Diagnostic) -> Option<Fix> {
    if d.code == UNUSED {
        return None;
    }
    let code = d.code;
    let le = line_ending(text);
    let line = line_span(text, d.span.start);
    let title = format!("Disable {code} for this line");
    if let Some(table) = model
        .tables
        .iter()
        .find(|t| t.span.start < line.start && line.start < t.span.end)
    {
        let first = line_span(text, table.span.start);
        let last = line_span(text, table.span.end.saturating_sub(1));
        let indent = leading_ws(&text[first.clone()]);
        return Some(Fix::unsafe_(
            format!("Disable {code} for this table"),
            vec![
                Edit::insert(
                    first.start,
                    format!("{indent}<!-- execplan-ls-disable {code} -->{le}"),
                ),
                Edit::insert(
                    last.end,
                    format!("{le}{le}{indent}<!-- execplan-ls-enable {code} -->"),
                ),
            ],
        ));
    }
    let continues_paragraph = model
        .inlines
        .iter()
        .any(|i| i.span.start < line.start && line.start < i.span.end);
    if continues_paragraph {
        let content = text[line.clone()].trim_end();
        let at = line.start + content.len();
        return Some(Fix::unsafe_(
            title,
            vec![Edit::insert(
                at,
                format!(" <!-- execplan-ls-disable-line {code} -->"),
            )],
        ));
    }
    let own = &text[line.clone()];
    let ws = leading_ws(own);
    let in_list = model
        .lists
        .iter()
        .any(|l| l.span.start < line.start && line.start < l.span.end);
    let indent = match list_marker_width(&own[ws.len()..]) {
        // A comment at the marker's column would end the list above; at
        // the content column it belongs to the previous item.
        Some(width) if in_list => format!("{ws}{}", " ".repeat(width)),
        _ => ws.to_string(),
    };
    Some(Fix::unsafe_(
        title,
        vec![Edit::insert(
            line.start,
            format!("{indent}<!-- execplan-ls-disable-next-line {code} -->{le}"),
        )],
    ))
}

fn leading_ws(line: &str) -> &str {
    &line[..line.len() - line.trim_start_matches([' ', '\t']).len()]
}

/// The width of a list marker and its following spaces at the start of `s`.
fn list_marker_width(s: &str) -> Option<usize> {
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    let marker = if digits > 0 {
        (digits <= 9 && matches!(s.as_bytes().get(digits), Some(b'.' | b')'))).then_some(digits + 1)
    } else {
        matches!(s.as_bytes().first(), Some(b'-' | b'*' | b'+')).then_some(1)
    }?;
    let spaces = s[marker..].bytes().take_while(|&b| b == b' ').count();
    (spaces > 0 || marker == s.len()).then_some(marker + spaces.clamp(1, 4))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::rules::testing::{codes, of, plan};
    use crate::analysis::{AnalysisOptions, CheckContext, apply_edits, check};
    use crate::model::build_from_text;

    const UNSTAMPED: &str = "- [x] Wrote the cache.";

    /// The canonical plan with Progress's first item unstamped, `before`
    /// inserted above it and `after` below the list.
    fn with_unstamped(before: &str, after: &str) -> String {
        plan("").replace(
            "- [x] (2026-01-05 10:00Z) Wrote the cache.\n- [ ] Measure it.",
            &format!("{before}{UNSTAMPED}\n- [x] Measured it.\n{after}"),
        )
    }

    #[test]
    fn without_directives_both_items_are_reported() {
        let text = with_unstamped("", "");
        assert_eq!(of("EP203", &codes(&text)).len(), 2);
    }

    #[test]
    fn disable_next_line_silences_only_the_next_line() {
        let text = with_unstamped("<!-- execplan-ls-disable-next-line EP203 -->\n", "");
        let found = codes(&text);
        assert_eq!(of("EP203", &found).len(), 1, "{found:?}");
        assert!(of("EP001", &found).is_empty(), "{found:?}");
    }

    #[test]
    fn disable_line_at_the_end_of_the_line() {
        let text = with_unstamped("", "").replace(
            UNSTAMPED,
            &format!("{UNSTAMPED} <!-- execplan-ls-disable-line EP203 -->"),
        );
        let found = codes(&text);
        assert_eq!(of("EP203", &found).len(), 1, "{found:?}");
        assert!(of("EP001", &found).is_empty(), "{found:?}");
    }

    #[test]
    fn disable_and_enable_bound_a_range() {
        let text = with_unstamped(
            "<!-- execplan-ls-disable EP203 -->\n",
            "<!-- execplan-ls-enable EP203 -->\n- [x] Shipped it.\n",
        );
        let found = codes(&text);
        let lines = of("EP203", &found);
        assert_eq!(lines.len(), 1, "{found:?}");
        assert_eq!(
            lines[0],
            text.lines().position(|l| l == "- [x] Shipped it.").unwrap() + 1
        );
        assert!(of("EP001", &found).is_empty(), "{found:?}");
    }

    #[test]
    fn disable_without_enable_runs_to_the_end_and_other_rules_stay() {
        let text =
            with_unstamped("<!-- execplan-ls-disable EP203 -->\n", "") + "- [ ] A stray box.\n";
        let found = codes(&text);
        assert!(of("EP203", &found).is_empty(), "{found:?}");
        assert_eq!(of("EP202", &found).len(), 1, "{found:?}");
    }

    #[test]
    fn disable_all_then_enable_one() {
        let text = with_unstamped("<!-- execplan-ls-disable -->\n", "")
            + "<!-- execplan-ls-enable EP202 -->\n\n- [ ] A stray box.\n";
        let found = codes(&text);
        assert!(of("EP203", &found).is_empty(), "{found:?}");
        assert_eq!(of("EP202", &found).len(), 1, "{found:?}");
    }

    #[test]
    fn disable_file_anywhere_with_several_codes() {
        let text = with_unstamped("", "")
            + "- [ ] A stray box.\n\n<!-- execplan-ls-disable-file EP202, EP203 -->\n";
        let found = codes(&text);
        assert!(of("EP203", &found).is_empty(), "{found:?}");
        assert!(of("EP202", &found).is_empty(), "{found:?}");
        assert!(of("EP001", &found).is_empty(), "{found:?}");
    }

    #[test]
    fn disable_file_without_codes_silences_everything() {
        let text = "# Notes\n\n<!-- execplan-ls-disable-file -->\n\n## Progress\n\n- [x] Done.\n";
        assert_eq!(codes(text), vec![]);
    }

    #[test]
    fn unknown_codes_and_directives_are_ep001() {
        let text = with_unstamped("<!-- execplan-ls-disable-next-line EP203 EP999 -->\n", "")
            + "<!-- execplan-ls-disabel EP203 -->\n";
        let model = build_from_text(&text);
        let options = AnalysisOptions::default();
        let ctx = CheckContext::new(
            jiff::Timestamp::from_second(1_800_000_000).unwrap(),
            &options,
        );
        let found = check(&text, &model, &ctx);
        let ep001: Vec<_> = found.iter().filter(|d| d.code == UNUSED).collect();
        assert_eq!(ep001.len(), 2, "{found:?}");
        assert_eq!(&text[ep001[0].span.clone()], "EP999");
        assert!(ep001[0].message.contains("not a rule code"));
        assert!(ep001[1].message.contains("not a directive"));
        assert_eq!(ep001[0].severity, Severity::Hint);
        // Its fix removes the bad code and nothing else.
        let fix = ep001[0].fix.as_ref().unwrap();
        assert!(!fix.safe);
        let (fixed, _) = apply_edits(&text, &fix.edits);
        assert!(fixed.contains("<!-- execplan-ls-disable-next-line EP203 -->\n"));
    }

    #[test]
    fn a_directive_that_suppresses_nothing_is_ep001_with_a_removal() {
        let text = plan("<!-- execplan-ls-disable-next-line EP203 -->\nA closing remark.\n");
        let model = build_from_text(&text);
        let options = AnalysisOptions::default();
        let ctx = CheckContext::new(
            jiff::Timestamp::from_second(1_800_000_000).unwrap(),
            &options,
        );
        let found = check(&text, &model, &ctx);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].code, UNUSED);
        assert!(
            found[0].message.contains("no EP203"),
            "{}",
            found[0].message
        );
        let (fixed, _) = apply_edits(&text, &found[0].fix.as_ref().unwrap().edits);
        assert_eq!(fixed, plan("A closing remark.\n"));
    }

    #[test]
    fn a_directive_for_a_rule_that_is_off_is_not_called_unused() {
        let text = plan("<!-- execplan-ls-disable-next-line EP405 -->\nA closing remark.\n");
        let model = build_from_text(&text);
        let mut options = AnalysisOptions::default();
        options.severities.insert("EP405".into(), None);
        let ctx = CheckContext::new(
            jiff::Timestamp::from_second(1_800_000_000).unwrap(),
            &options,
        );
        assert_eq!(check(&text, &model, &ctx), vec![]);
    }

    #[test]
    fn comments_in_code_are_not_directives() {
        let text = with_unstamped("", "")
            + "Write `<!-- execplan-ls-disable-file -->` to silence a plan:\n\n    <!-- execplan-ls-disable-file -->\n";
        assert_eq!(of("EP203", &codes(&text)).len(), 2);
        assert!(
            directives(&text, &build_from_text(&text))
                .directives
                .is_empty()
        );
    }

    #[test]
    fn a_reason_may_follow() {
        let text = with_unstamped(
            "<!-- execplan-ls-disable-next-line EP203 -- stamps lost in the migration -->\n",
            "",
        );
        let found = codes(&text);
        assert_eq!(of("EP203", &found).len(), 1, "{found:?}");
        assert!(of("EP001", &found).is_empty(), "{found:?}");
    }

    /// Applies the disable fix of every finding of `code` and checks again.
    fn disable_each(text: &str, code: &str) -> String {
        let model = build_from_text(text);
        let options = AnalysisOptions::default();
        let ctx = CheckContext::new(
            jiff::Timestamp::from_second(1_800_000_000).unwrap(),
            &options,
        );
        let edits: Vec<Edit> = check(text, &model, &ctx)
            .iter()
            .filter(|d| d.code == code)
            .flat_map(|d| disable_fix(text, &model, d).unwrap().edits)
            .collect();
        apply_edits(text, &edits).0
    }

    #[test]
    fn the_quick_fix_silences_exactly_its_finding_and_keeps_the_list() {
        let text = with_unstamped("", "");
        let fixed = disable_each(&text, "EP203");
        assert!(
            fixed.contains("- [x] Wrote the cache.\n  <!-- execplan-ls-disable-next-line EP203 -->\n- [x] Measured it."),
            "{fixed}"
        );
        assert!(fixed.contains("\n<!-- execplan-ls-disable-next-line EP203 -->\n- [x] Wrote"));
        let before = codes(&text);
        let after = codes(&fixed);
        assert!(of("EP203", &after).is_empty(), "{after:?}");
        assert_eq!(before.len() - 2, after.len(), "{before:?} → {after:?}");
        // The Progress list is still one list of the same items.
        let (a, b) = (build_from_text(&text), build_from_text(&fixed));
        assert_eq!(a.lists.len(), b.lists.len());
        assert_eq!(a.checkboxes.len(), b.checkboxes.len());
    }

    #[test]
    fn the_quick_fix_inside_a_nested_list_and_a_paragraph() {
        let text = plan("").replace(
            "- [ ] Measure it.",
            "- [ ] Measure it.\n  - [x] Sub-step done.",
        );
        let fixed = disable_each(&text, "EP203");
        assert!(
            fixed.contains("- [ ] Measure it.\n    <!-- execplan-ls-disable-next-line EP203 -->\n  - [x] Sub-step done."),
            "{fixed}"
        );
        assert!(of("EP203", &codes(&fixed)).is_empty());
        let text = plan("").replace(
            "Add the cache in front of the store.",
            "Add the cache in front of the store,\nas discussed above.",
        );
        let fixed = disable_each(&text, "EP502");
        assert!(
            fixed.contains("as discussed above. <!-- execplan-ls-disable-line EP502 -->"),
            "{fixed}"
        );
        let after = codes(&fixed);
        assert!(
            of("EP502", &after).is_empty() && of("EP001", &after).is_empty(),
            "{after:?}"
        );
    }

    #[test]
    fn the_quick_fix_is_never_part_of_fix_all() {
        let text = with_unstamped("", "");
        let options = AnalysisOptions::default();
        let ctx = CheckContext::new(
            jiff::Timestamp::from_second(1_800_000_000).unwrap(),
            &options,
        );
        assert!(!crate::analysis::fix_all(&text, &ctx).contains("execplan-ls-disable"));
        let model = build_from_text(&text);
        let d = &check(&text, &model, &ctx)[0];
        assert!(!disable_fix(&text, &model, d).unwrap().safe);
    }
}
