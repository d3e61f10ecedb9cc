//! Conversions between the analysis layer's byte ranges and LSP types.

use ropey::Rope;
use tower_lsp_server::ls_types::{self as lsp, NumberOrString};

use crate::analysis::{Diagnostic, Severity};
use crate::model::Span;
use crate::text::{PositionEncoding, TextPosition, offset_to_position};

pub const SOURCE: &str = "execplan-ls";

pub fn to_text_position(p: lsp::Position) -> TextPosition {
    TextPosition::new(p.line, p.character)
}

pub fn range(rope: &Rope, span: &Span, encoding: PositionEncoding) -> lsp::Range {
    let start = offset_to_position(rope, span.start, encoding);
    let end = offset_to_position(rope, span.end, encoding);
    lsp::Range::new(
        lsp::Position::new(start.line, start.character),
        lsp::Position::new(end.line, end.character),
    )
}

pub fn severity(severity: Severity) -> lsp::DiagnosticSeverity {
    match severity {
        Severity::Error => lsp::DiagnosticSeverity::ERROR,
        Severity::Warning => lsp::DiagnosticSeverity::WARNING,
        Severity::Info => lsp::DiagnosticSeverity::INFORMATION,
        Severity::Hint => lsp::DiagnosticSeverity::HINT,
    }
}

pub fn diagnostic(rope: &Rope, d: &Diagnostic, encoding: PositionEncoding) -> lsp::Diagnostic {
    lsp::Diagnostic {
        range: range(rope, &d.span, encoding),
        severity: Some(severity(d.severity)),
        code: Some(NumberOrString::String(d.code.to_string())),
        source: Some(SOURCE.to_string()),
        message: d.message.clone(),
        ..Default::default()
    }
}
