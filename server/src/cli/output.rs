//! Output formats of `check`: human, short, json, github and sarif.

use std::path::PathBuf;

use clap::ValueEnum;
use std::collections::HashMap;
use std::io::{self, Write};

use serde_json::{Value, json};

use crate::analysis::{Diagnostic, RULES, Severity};
use crate::model::Span;
use crate::text::{LineIndex, PositionEncoding, TextLines};

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Grouped by file, with the source line and a caret, and a summary.
    Human,
    /// One line per finding: `path:line:col: severity[CODE] message`.
    Short,
    /// A JSON document (schema in docs/cli.md), with each fix's edits.
    Json,
    /// GitHub Actions workflow commands (annotations).
    Github,
    /// SARIF 2.1.0, for code-scanning tools.
    Sarif,
    /// One line per finding with its fix in words, for pasting into an
    /// agent's prompt: `path:line: CODE severity: message Fix: …`.
    Agent,
}

/// One checked plan: its findings with the line and column of every offset
/// they name (and, for the human format, their source lines), so a report
/// holds no text and many can wait to be written without holding the files.
pub struct FileReport {
    pub path: PathBuf,
    pub diagnostics: Vec<Diagnostic>,
    pub fixed: bool,
    /// An AGENTS.md (checked for EP601), counted apart from plans.
    pub agents_md: bool,
    /// 1-based line and character column of each offset the findings and
    /// their fixes' edits name.
    positions: HashMap<usize, (usize, usize)>,
    /// The source line (without its line break) of each 1-based line a
    /// finding starts on, when the format shows it.
    lines: HashMap<usize, String>,
}

/// A Markdown file `check` passed over, and why, in words.
pub struct Skipped {
    pub path: PathBuf,
    pub reason: String,
}

impl Skipped {
    fn display(&self) -> String {
        self.path
            .display()
            .to_string()
            .trim_start_matches("./")
            .to_string()
    }
}

impl FileReport {
    /// The report of the file at `path` with `text`; `source_lines` keeps
    /// the line each finding starts on (the human format shows them).
    pub fn new(
        path: PathBuf,
        text: &str,
        diagnostics: Vec<Diagnostic>,
        fixed: bool,
        source_lines: bool,
    ) -> FileReport {
        let index = LineIndex::new(text);
        let lines_of = TextLines {
            text,
            index: &index,
        };
        let mut positions = HashMap::new();
        let mut lines = HashMap::new();
        let mut locate = |offset: usize| {
            *positions.entry(offset).or_insert_with(|| {
                let p = lines_of.position(offset, PositionEncoding::Utf32);
                (p.line as usize + 1, p.character as usize + 1)
            })
        };
        for d in &diagnostics {
            let (line, _) = locate(d.span.start);
            locate(d.span.end);
            for edit in d.fix.iter().flat_map(|f| &f.edits) {
                locate(edit.span.start);
                locate(edit.span.end);
            }
            if source_lines {
                lines.entry(line).or_insert_with(|| {
                    lines_of
                        .line_text(line - 1)
                        .trim_end_matches(['\n', '\r'])
                        .to_string()
                });
            }
        }
        FileReport {
            path,
            diagnostics,
            fixed,
            agents_md: false,
            positions,
            lines,
        }
    }

    /// 1-based line and character column of a byte offset a finding names.
    fn line_col(&self, offset: usize) -> (usize, usize) {
        self.positions.get(&offset).copied().unwrap_or((1, 1))
    }

    fn line_text(&self, line: usize) -> &str {
        self.lines.get(&line).map_or("", String::as_str)
    }

    fn display(&self) -> String {
        self.path
            .display()
            .to_string()
            .trim_start_matches("./")
            .to_string()
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub plans: usize,
    /// AGENTS.md files checked (EP601).
    pub agents_md: usize,
    /// Markdown files passed over as not plans.
    pub skipped: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    pub hints: usize,
    pub fixed: usize,
}

impl Summary {
    #[cfg(test)]
    pub fn of(reports: &[FileReport]) -> Summary {
        let mut s = Summary::default();
        for report in reports {
            s.add(report);
        }
        s
    }

    /// Counts one more report.
    pub fn add(&mut self, report: &FileReport) {
        if report.agents_md {
            self.agents_md += 1;
        } else {
            self.plans += 1;
        }
        self.fixed += usize::from(report.fixed);
        for d in &report.diagnostics {
            match d.severity {
                Severity::Error => self.errors += 1,
                Severity::Warning => self.warnings += 1,
                Severity::Info => self.infos += 1,
                Severity::Hint => self.hints += 1,
            }
        }
    }

    /// `Checked 3 plans and 1 AGENTS.md: 1 error, 2 warnings, 0 info, 0 hints.`,
    /// then how many files were skipped.
    pub fn line(&self) -> String {
        let plural =
            |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        let fixed = if self.fixed > 0 {
            format!(" Fixed {}.", plural(self.fixed, "file", "files"))
        } else {
            String::new()
        };
        let agents = if self.agents_md > 0 {
            format!(
                " and {}",
                plural(self.agents_md, "AGENTS.md", "AGENTS.md files")
            )
        } else {
            String::new()
        };
        let skipped = if self.skipped > 0 {
            format!(
                " Skipped {} that {} not plans (--show-skipped says why).",
                plural(self.skipped, "Markdown file", "Markdown files"),
                if self.skipped == 1 { "is" } else { "are" }
            )
        } else {
            String::new()
        };
        format!(
            "Checked {}{agents}: {}, {}, {} info, {}.{fixed}{skipped}",
            plural(self.plans, "plan", "plans"),
            plural(self.errors, "error", "errors"),
            plural(self.warnings, "warning", "warnings"),
            self.infos,
            plural(self.hints, "hint", "hints"),
        )
    }
}

/// Writes a report file by file as `check` hands them over, in the order
/// given, so no format holds every file's findings: the JSON and SARIF
/// documents are written as their frame (rendered by serde_json, so the
/// bytes are those of the whole document pretty-printed) around each
/// file's part.
pub struct Stream<W: Write> {
    format: Format,
    color: bool,
    quiet: bool,
    out: W,
    /// The JSON array the files (JSON) or results (SARIF) go into, once its
    /// first item is written.
    array: Option<Frame>,
}

/// A JSON document pretty-printed around one array: the text before its
/// first item, each item's indentation, the text after its last.
struct Frame {
    before: String,
    indent: String,
    after: String,
}

/// The one item of the array a frame is cut at.
const SLOT: &str = "@@execplan-ls array slot@@";

impl Frame {
    /// Cuts `document`, whose array holds the one string [`SLOT`].
    fn cut(document: &Value) -> Frame {
        let text = serde_json::to_string_pretty(document).unwrap_or_default();
        let quoted = format!("\"{SLOT}\"");
        let at = text.find(&quoted).unwrap_or(text.len());
        let line_start = text[..at].rfind('\n').map_or(0, |n| n + 1);
        Frame {
            before: text[..line_start].to_string(),
            indent: text[line_start..at].to_string(),
            after: format!("{}\n", &text[(at + quoted.len()).min(text.len())..]),
        }
    }

    /// `item` pretty-printed at the array's indentation.
    fn item(&self, item: &impl serde::Serialize) -> String {
        let text = serde_json::to_string_pretty(item).unwrap_or_default();
        let mut out = String::with_capacity(text.len() + 64);
        for (i, line) in text.lines().enumerate() {
            if i > 0 {
                out.push('\n');
            }
            out.push_str(&self.indent);
            out.push_str(line);
        }
        out
    }
}

impl<W: Write> Stream<W> {
    pub fn new(format: Format, color: bool, quiet: bool, out: W) -> Stream<W> {
        Stream {
            format,
            color,
            quiet,
            out,
            array: None,
        }
    }

    /// Writes one checked file's part.
    pub fn file(&mut self, r: &FileReport) -> io::Result<()> {
        match self.format {
            Format::Human => self.out.write_all(human_file(r, self.color).as_bytes()),
            Format::Short => self.out.write_all(short_file(r).as_bytes()),
            Format::Github => self.out.write_all(github_file(r).as_bytes()),
            Format::Agent => self.out.write_all(agent_file(r).as_bytes()),
            Format::Json => self.items(std::iter::once(json_file(r))),
            Format::Sarif => self.items(sarif_results(r).into_iter()),
        }
    }

    fn items<T: serde::Serialize>(&mut self, items: impl Iterator<Item = T>) -> io::Result<()> {
        for item in items {
            match &self.array {
                None => {
                    let frame = Frame::cut(&self.document(&[Value::from(SLOT)], None, None));
                    self.out.write_all(frame.before.as_bytes())?;
                    self.array = Some(frame);
                }
                Some(_) => self.out.write_all(b",\n")?,
            }
            let frame = self.array.as_ref().expect("set above");
            self.out.write_all(frame.item(&item).as_bytes())?;
        }
        Ok(())
    }

    /// The whole document (JSON or SARIF) with `items` in its array.
    fn document(
        &self,
        items: &[Value],
        skipped: Option<&[Skipped]>,
        summary: Option<&Summary>,
    ) -> Value {
        match self.format {
            Format::Sarif => sarif_document(items.to_vec()),
            _ => json_document(
                items.to_vec(),
                skipped,
                summary.unwrap_or(&Summary::default()),
            ),
        }
    }

    /// Writes what comes after the files: the skipped files and the summary
    /// (human), the end of the document (JSON, SARIF).
    pub fn finish(mut self, skipped: Option<&[Skipped]>, summary: &Summary) -> io::Result<()> {
        match self.format {
            Format::Human => {
                let mut out = String::new();
                if let Some(skipped) = skipped.filter(|s| !s.is_empty()) {
                    out.push_str(&paint(self.color, "1", "Skipped, not plans:"));
                    out.push('\n');
                    out.push_str(&skipped_lines(skipped, "  "));
                    out.push('\n');
                }
                if !self.quiet {
                    out.push_str(&summary.line());
                    out.push('\n');
                }
                self.out.write_all(out.as_bytes())?;
            }
            Format::Json | Format::Sarif => {
                let document = match self.array {
                    // Written from the first item on: only the end is left.
                    Some(_) => {
                        Frame::cut(&self.document(&[Value::from(SLOT)], skipped, Some(summary)))
                            .after
                    }
                    None => format!(
                        "{}\n",
                        serde_json::to_string_pretty(&self.document(&[], skipped, Some(summary)))
                            .unwrap_or_default()
                    ),
                };
                self.out.write_all(document.as_bytes())?;
            }
            Format::Short | Format::Github | Format::Agent => {}
        }
        self.out.flush()
    }
}

fn short_file(r: &FileReport) -> String {
    let mut out = String::new();
    for d in &r.diagnostics {
        let (line, col) = r.line_col(d.span.start);
        out.push_str(&format!(
            "{}:{line}:{col}: {}[{}] {}\n",
            r.display(),
            d.severity.as_str(),
            d.code,
            d.message
        ));
    }
    out
}

/// One line per finding; the fix, when there is one, in words and with how
/// to apply it. No source text, so the output stays small on big plans.
fn agent_file(r: &FileReport) -> String {
    let mut out = String::new();
    for d in &r.diagnostics {
        let (line, _) = r.line_col(d.span.start);
        let fix = match &d.fix {
            Some(f) if f.safe => format!(
                " Fix: {} (safe: `execplan-ls check --fix {}` applies it).",
                f.title.trim_end_matches('.'),
                r.display()
            ),
            Some(f) => format!(
                " Fix: {} (only if it is true; the editor or the MCP tools apply it).",
                f.title.trim_end_matches('.')
            ),
            None => String::new(),
        };
        out.push_str(&format!(
            "{}:{line}: {} {}: {}{fix}\n",
            r.display(),
            d.code,
            d.severity.as_str(),
            d.message
        ));
    }
    out
}

fn paint(color: bool, code: &str, text: &str) -> String {
    if color {
        format!("\x1b[{code}m{text}\x1b[0m")
    } else {
        text.to_string()
    }
}

fn severity_color(s: Severity) -> &'static str {
    match s {
        Severity::Error => "1;31",
        Severity::Warning => "1;33",
        Severity::Info => "1;34",
        Severity::Hint => "1;36",
    }
}

/// A file's findings grouped under its path, each with its source line and
/// a caret; nothing for a file without findings.
fn human_file(r: &FileReport, color: bool) -> String {
    let mut out = String::new();
    if r.diagnostics.is_empty() {
        return out;
    }
    out.push_str(&paint(color, "1", &r.display()));
    out.push('\n');
    for d in &r.diagnostics {
        let (line, col) = r.line_col(d.span.start);
        let severity = paint(color, severity_color(d.severity), d.severity.as_str());
        out.push_str(&format!(
            "  {line}:{col}  {severity}[{}]  {}\n",
            d.code, d.message
        ));
        // The source line with a caret under the finding.
        let line_text = r.line_text(line);
        let width = line.to_string().len();
        let (end_line, end_col) = r.line_col(d.span.end);
        let carets = if end_line == line {
            end_col.saturating_sub(col).max(1)
        } else {
            line_text.chars().count().saturating_sub(col - 1).max(1)
        };
        out.push_str(&format!("  {:>width$} | {line_text}\n", line));
        out.push_str(&format!(
            "  {:>width$} | {}{}\n",
            "",
            " ".repeat(col - 1),
            paint(color, severity_color(d.severity), &"^".repeat(carets))
        ));
    }
    out.push('\n');
    out
}

/// One line per skipped file: `path: reason`.
pub fn skipped_lines(skipped: &[Skipped], indent: &str) -> String {
    skipped
        .iter()
        .map(|s| format!("{indent}{}: {}\n", s.display(), s.reason))
        .collect()
}

/// Escapes a GitHub workflow command's message or property.
fn github_escape(s: &str, property: bool) -> String {
    let s = s
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A");
    if property {
        s.replace(':', "%3A").replace(',', "%2C")
    } else {
        s
    }
}

fn github_file(r: &FileReport) -> String {
    let mut out = String::new();
    for d in &r.diagnostics {
        let level = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info | Severity::Hint => "notice",
        };
        let (line, col) = r.line_col(d.span.start);
        let (end_line, end_col) = r.line_col(d.span.end);
        out.push_str(&format!(
            "::{level} file={},line={line},col={col},endLine={end_line},endColumn={end_col},title={}::{}\n",
            github_escape(&r.display(), true),
            github_escape(&format!("{} {}", d.code, rule_name(d.code.as_str())), true),
            github_escape(&d.message, false),
        ));
    }
    out
}

fn rule_name(code: &str) -> &'static str {
    RULES.iter().find(|r| r.code == code).map_or("", |r| r.name)
}

/// One file of the JSON report, as serde writes it: the fields in
/// alphabetical order, as serde_json orders a `Value`'s keys, so a file
/// written on its own reads exactly as it does inside the whole document.
#[derive(serde::Serialize)]
struct JsonFile<'a> {
    diagnostics: Vec<JsonDiagnostic<'a>>,
    fixed: bool,
    kind: &'static str,
    path: String,
}

#[derive(serde::Serialize)]
struct JsonDiagnostic<'a> {
    code: &'static str,
    fix: Option<JsonFix<'a>>,
    fix_available: bool,
    message: &'a str,
    name: &'static str,
    range: JsonRange,
    severity: &'static str,
}

#[derive(serde::Serialize)]
struct JsonFix<'a> {
    edits: Vec<JsonEdit<'a>>,
    safe: bool,
    title: &'a str,
}

#[derive(serde::Serialize)]
struct JsonEdit<'a> {
    new_text: &'a str,
    range: JsonRange,
}

#[derive(serde::Serialize)]
struct JsonRange {
    end: JsonPosition,
    start: JsonPosition,
}

#[derive(serde::Serialize)]
struct JsonPosition {
    column: usize,
    line: usize,
    offset: usize,
}

fn json_range(r: &FileReport, span: &Span) -> JsonRange {
    let at = |offset: usize| {
        let (line, column) = r.line_col(offset);
        JsonPosition {
            column,
            line,
            offset,
        }
    };
    JsonRange {
        end: at(span.end),
        start: at(span.start),
    }
}

fn json_file(r: &FileReport) -> JsonFile<'_> {
    let diagnostics = r
        .diagnostics
        .iter()
        .map(|d| {
            let fix = d.fix.as_ref().map(|f| JsonFix {
                edits: f
                    .edits
                    .iter()
                    .map(|e| JsonEdit {
                        new_text: &e.new_text,
                        range: json_range(r, &e.span),
                    })
                    .collect(),
                safe: f.safe,
                title: &f.title,
            });
            JsonDiagnostic {
                code: d.code.as_str(),
                fix_available: fix.is_some(),
                fix,
                message: &d.message,
                name: rule_name(d.code.as_str()),
                range: json_range(r, &d.span),
                severity: d.severity.as_str(),
            }
        })
        .collect();
    JsonFile {
        diagnostics,
        fixed: r.fixed,
        kind: if r.agents_md { "agents-md" } else { "plan" },
        path: r.display(),
    }
}

/// The JSON report around its `files`; its schema is documented in
/// docs/cli.md and versioned.
fn json_document(files: Vec<Value>, skipped: Option<&[Skipped]>, summary: &Summary) -> Value {
    let mut report = json!({
        "version": 1,
        "tool": { "name": "execplan-ls", "version": env!("CARGO_PKG_VERSION") },
        "files": files,
        "summary": {
            "plans": summary.plans,
            "agents_md": summary.agents_md,
            "skipped": summary.skipped,
            "errors": summary.errors,
            "warnings": summary.warnings,
            "info": summary.infos,
            "hints": summary.hints,
            "fixed": summary.fixed,
        },
    });
    if let Some(skipped) = skipped {
        report["skipped"] = skipped
            .iter()
            .map(|s| json!({ "path": s.display(), "reason": s.reason }))
            .collect();
    }
    report
}

/// The JSON report of `reports` as one value.
#[cfg(test)]
fn json_report(reports: &[FileReport], skipped: Option<&[Skipped]>, summary: &Summary) -> Value {
    let files = reports
        .iter()
        .map(|r| serde_json::to_value(json_file(r)).unwrap_or_default())
        .collect();
    json_document(files, skipped, summary)
}

fn sarif_level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Hint => "note",
    }
}

/// The SARIF results of one file.
fn sarif_results(r: &FileReport) -> Vec<Value> {
    let mut results = Vec::new();
    for d in &r.diagnostics {
        let (start_line, start_column) = r.line_col(d.span.start);
        let (end_line, end_column) = r.line_col(d.span.end);
        let rule_index = RULES.iter().position(|x| x.code == d.code).unwrap_or(0);
        results.push(json!({
            "ruleId": d.code,
            "ruleIndex": rule_index,
            "level": sarif_level(d.severity),
            "message": { "text": d.message },
            "locations": [{
                "physicalLocation": {
                    "artifactLocation": { "uri": r.display().replace('\\', "/") },
                    "region": {
                        "startLine": start_line,
                        "startColumn": start_column,
                        "endLine": end_line,
                        "endColumn": end_column,
                    },
                },
            }],
        }));
    }
    results
}

/// SARIF 2.1.0 around its `results`.
fn sarif_document(results: Vec<Value>) -> Value {
    let rules: Vec<Value> = RULES
        .iter()
        .map(|r| {
            json!({
                "id": r.code,
                "name": r.name,
                "shortDescription": { "text": r.summary },
                "helpUri": format!("https://github.com/execplan-ls/execplan-ls/blob/main/docs/rules.md#{}-{}", r.code.as_str().to_lowercase(), r.name),
                "defaultConfiguration": { "level": sarif_level(r.default_severity) },
            })
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "execplan-ls",
                    "version": env!("CARGO_PKG_VERSION"),
                    "informationUri": "https://github.com/execplan-ls/execplan-ls",
                    "rules": rules,
                },
            },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    })
}

/// SARIF 2.1.0 of `reports` as one value.
#[cfg(test)]
fn sarif(reports: &[FileReport]) -> Value {
    sarif_document(reports.iter().flat_map(sarif_results).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{Code, Edit, Fix};

    fn report(path: &str, text: &str, findings: &[(usize, usize)]) -> FileReport {
        let diagnostics = findings
            .iter()
            .map(|&(start, end)| Diagnostic {
                code: Code::EP203,
                severity: Severity::Warning,
                span: start..end,
                message: "a \"quoted\"\nmessage".to_string(),
                fix: Some(Fix::safe("Do it", vec![Edit::replace(start..end, "x")])),
            })
            .collect();
        FileReport::new(PathBuf::from(path), text, diagnostics, false, true)
    }

    /// The streamed JSON and SARIF documents are, byte for byte, the whole
    /// documents pretty-printed, with no file, one, or several, with and
    /// without findings and skipped files.
    #[test]
    fn streamed_documents_are_the_whole_documents() {
        let text = "# T\n\nsome ünïcode\r\nline\n";
        let sets: Vec<Vec<FileReport>> = vec![
            vec![],
            vec![report("a.md", text, &[])],
            vec![report("a.md", text, &[(0, 3)])],
            vec![
                report("a.md", text, &[(0, 3), (5, 9)]),
                report("b.md", text, &[]),
                report("c.md", text, &[(17, 20)]),
            ],
        ];
        let skipped = [Skipped {
            path: PathBuf::from("./x.md"),
            reason: "no \"plan\"".to_string(),
        }];
        for reports in &sets {
            for shown in [None, Some(&skipped[..]), Some(&[][..])] {
                let summary = Summary::of(reports);
                for format in [Format::Json, Format::Sarif] {
                    let mut out = Vec::new();
                    let mut stream = Stream::new(format, false, false, &mut out);
                    for r in reports {
                        stream.file(r).unwrap();
                    }
                    stream.finish(shown, &summary).unwrap();
                    let whole = match format {
                        Format::Json => json_report(reports, shown, &summary),
                        _ => sarif(reports),
                    };
                    let expected = format!("{}\n", serde_json::to_string_pretty(&whole).unwrap());
                    assert_eq!(String::from_utf8(out).unwrap(), expected, "{format:?}");
                }
            }
        }
    }

    #[test]
    fn reports_locate_offsets_and_keep_source_lines() {
        let r = report("a.md", "# T\r\nsé x\rz", &[(8, 9), (11, 12)]);
        assert_eq!(r.line_col(8), (2, 3));
        assert_eq!(r.line_col(11), (3, 1));
        assert_eq!(r.line_text(2), "sé x");
        assert_eq!(r.line_text(3), "z");
    }
}
