//! Findings as the MCP tools return them: small (no source text unless
//! asked), with 1-based lines and columns (in characters) as editors and
//! agents count them.

use serde::Serialize;

use crate::analysis::{Diagnostic, Severity, line_number};

#[derive(Serialize)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

#[derive(Serialize)]
pub struct Range {
    pub start: Position,
    pub end: Position,
}

#[derive(Serialize)]
pub struct Finding {
    pub code: &'static str,
    pub severity: &'static str,
    pub range: Range,
    pub message: String,
    /// Whether a fix exists; `fix_plan` applies the safe ones.
    pub fixable: bool,
    /// What the fix does, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<String>,
    /// Whether `fix_plan` applies it (it needs no guess).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub safe_fix: bool,
    /// The finding's first line, when asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

#[derive(Serialize, Default)]
pub struct Counts {
    pub error: usize,
    pub warning: usize,
    pub info: usize,
    pub hint: usize,
}

pub fn position(text: &str, offset: usize) -> Position {
    let offset = offset.min(text.len());
    let line_start = text[..offset].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    Position {
        line: line_number(text, offset),
        column: text[line_start..offset].chars().count() + 1,
    }
}

pub fn finding(text: &str, d: &Diagnostic, with_source: bool) -> Finding {
    Finding {
        code: d.code.as_str(),
        severity: d.severity.as_str(),
        range: Range {
            start: position(text, d.span.start),
            end: position(text, d.span.end),
        },
        message: d.message.clone(),
        fixable: d.fix.is_some(),
        fix: d.fix.as_ref().map(|f| f.title.clone()),
        safe_fix: d.fix.as_ref().is_some_and(|f| f.safe),
        source: with_source
            .then(|| text[crate::analysis::line_span(text, d.span.start)].to_string()),
    }
}

pub fn counts<'a>(diagnostics: impl IntoIterator<Item = &'a Diagnostic>) -> Counts {
    let mut c = Counts::default();
    for d in diagnostics {
        match d.severity {
            Severity::Error => c.error += 1,
            Severity::Warning => c.warning += 1,
            Severity::Info => c.info += 1,
            Severity::Hint => c.hint += 1,
        }
    }
    c
}

impl Counts {
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        for (n, one, many) in [
            (self.error, "error", "errors"),
            (self.warning, "warning", "warnings"),
            (self.info, "info", "infos"),
            (self.hint, "hint", "hints"),
        ] {
            if n > 0 {
                parts.push(format!("{n} {}", if n == 1 { one } else { many }));
            }
        }
        if parts.is_empty() {
            "no findings".to_string()
        } else {
            parts.join(", ")
        }
    }
}

/// `path:line:col: severity[CODE] message`, one line per finding, at most
/// `limit` of them, for the text part of an answer.
pub fn lines(path: &str, found: &[Finding], limit: usize) -> String {
    let mut out = String::new();
    for f in found.iter().take(limit) {
        out.push_str(&format!(
            "\n{path}:{}:{}: {}[{}] {}",
            f.range.start.line, f.range.start.column, f.severity, f.code, f.message
        ));
    }
    if found.len() > limit {
        out.push_str(&format!("\n… and {} more", found.len() - limit));
    }
    out
}
