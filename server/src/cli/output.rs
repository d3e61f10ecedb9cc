//! Output formats of `check`: human, short, json, github and sarif.

use std::path::PathBuf;

use clap::ValueEnum;
use ropey::Rope;
use serde_json::{Value, json};

use crate::analysis::{Diagnostic, RULES, Severity};
use crate::model::Span;
use crate::text::{PositionEncoding, offset_to_position};

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

/// One checked plan.
pub struct FileReport {
    pub path: PathBuf,
    rope: Rope,
    pub diagnostics: Vec<Diagnostic>,
    pub fixed: bool,
    /// An AGENTS.md (checked for EP601), counted apart from plans.
    pub agents_md: bool,
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
    pub fn new(
        path: PathBuf,
        text: String,
        diagnostics: Vec<Diagnostic>,
        fixed: bool,
    ) -> FileReport {
        let rope = Rope::from_str(&text);
        FileReport {
            path,
            rope,
            diagnostics,
            fixed,
            agents_md: false,
        }
    }

    /// 1-based line and character column of a byte offset.
    fn line_col(&self, offset: usize) -> (usize, usize) {
        let p = offset_to_position(&self.rope, offset, PositionEncoding::Utf32);
        (p.line as usize + 1, p.character as usize + 1)
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
    pub fn of(reports: &[FileReport]) -> Summary {
        let agents_md = reports.iter().filter(|r| r.agents_md).count();
        let mut s = Summary {
            plans: reports.len() - agents_md,
            agents_md,
            ..Summary::default()
        };
        for report in reports {
            s.fixed += usize::from(report.fixed);
            for d in &report.diagnostics {
                match d.severity {
                    Severity::Error => s.errors += 1,
                    Severity::Warning => s.warnings += 1,
                    Severity::Info => s.infos += 1,
                    Severity::Hint => s.hints += 1,
                }
            }
        }
        s
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

pub fn render(
    format: Format,
    reports: &[FileReport],
    skipped: Option<&[Skipped]>,
    summary: &Summary,
    color: bool,
    quiet: bool,
) -> String {
    match format {
        Format::Human => human(reports, skipped, summary, color, quiet),
        Format::Short => short(reports),
        Format::Json => format!(
            "{}\n",
            serde_json::to_string_pretty(&json_report(reports, skipped, summary))
                .unwrap_or_default()
        ),
        Format::Github => github(reports),
        Format::Agent => agent(reports),
        Format::Sarif => format!(
            "{}\n",
            serde_json::to_string_pretty(&sarif(reports)).unwrap_or_default()
        ),
    }
}

fn short(reports: &[FileReport]) -> String {
    let mut out = String::new();
    for r in reports {
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
    }
    out
}

/// One line per finding; the fix, when there is one, in words and with how
/// to apply it. No source text, so the output stays small on big plans.
fn agent(reports: &[FileReport]) -> String {
    let mut out = String::new();
    for r in reports {
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

fn human(
    reports: &[FileReport],
    skipped: Option<&[Skipped]>,
    summary: &Summary,
    color: bool,
    quiet: bool,
) -> String {
    let mut out = String::new();
    for r in reports.iter().filter(|r| !r.diagnostics.is_empty()) {
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
            let line_text = r.rope.line(line - 1).to_string();
            let line_text = line_text.trim_end_matches(['\n', '\r']);
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
    }
    if let Some(skipped) = skipped.filter(|s| !s.is_empty()) {
        out.push_str(&paint(color, "1", "Skipped, not plans:"));
        out.push('\n');
        out.push_str(&skipped_lines(skipped, "  "));
        out.push('\n');
    }
    if !quiet {
        out.push_str(&summary.line());
        out.push('\n');
    }
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

fn github(reports: &[FileReport]) -> String {
    let mut out = String::new();
    for r in reports {
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
    }
    out
}

fn rule_name(code: &str) -> &'static str {
    RULES.iter().find(|r| r.code == code).map_or("", |r| r.name)
}

fn position(r: &FileReport, offset: usize) -> Value {
    let (line, column) = r.line_col(offset);
    json!({ "line": line, "column": column, "offset": offset })
}

fn range(r: &FileReport, span: &Span) -> Value {
    json!({ "start": position(r, span.start), "end": position(r, span.end) })
}

/// The JSON report; its schema is documented in docs/cli.md and versioned.
pub fn json_report(
    reports: &[FileReport],
    skipped: Option<&[Skipped]>,
    summary: &Summary,
) -> Value {
    let files: Vec<Value> = reports
        .iter()
        .map(|r| {
            let diagnostics: Vec<Value> = r
                .diagnostics
                .iter()
                .map(|d| {
                    let fix = d.fix.as_ref().map(|f| {
                        json!({
                            "title": f.title,
                            "safe": f.safe,
                            "edits": f.edits.iter().map(|e| json!({ "range": range(r, &e.span), "new_text": e.new_text })).collect::<Vec<_>>(),
                        })
                    });
                    json!({
                        "code": d.code,
                        "name": rule_name(d.code.as_str()),
                        "severity": d.severity.as_str(),
                        "message": d.message,
                        "range": range(r, &d.span),
                        "fix_available": fix.is_some(),
                        "fix": fix,
                    })
                })
                .collect();
            let kind = if r.agents_md { "agents-md" } else { "plan" };
            json!({ "path": r.display(), "kind": kind, "fixed": r.fixed, "diagnostics": diagnostics })
        })
        .collect();
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

/// SARIF 2.1.0.
pub fn sarif(reports: &[FileReport]) -> Value {
    let level = |s: Severity| match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Hint => "note",
    };
    let rules: Vec<Value> = RULES
        .iter()
        .map(|r| {
            json!({
                "id": r.code,
                "name": r.name,
                "shortDescription": { "text": r.summary },
                "helpUri": format!("https://github.com/execplan-ls/execplan-ls/blob/main/docs/rules.md#{}-{}", r.code.as_str().to_lowercase(), r.name),
                "defaultConfiguration": { "level": level(r.default_severity) },
            })
        })
        .collect();
    let mut results = Vec::new();
    for r in reports {
        for d in &r.diagnostics {
            let (start_line, start_column) = r.line_col(d.span.start);
            let (end_line, end_column) = r.line_col(d.span.end);
            let rule_index = RULES.iter().position(|x| x.code == d.code).unwrap_or(0);
            results.push(json!({
                "ruleId": d.code,
                "ruleIndex": rule_index,
                "level": level(d.severity),
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
    }
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
