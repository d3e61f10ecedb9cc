//! Conversions between the analysis layer's byte ranges and LSP types.

use tower_lsp_server::ls_types::{self as lsp, NumberOrString};

use crate::analysis::{Diagnostic, Edit, Severity};
use crate::model::Span;
use crate::text::{PositionEncoding, TextLines, TextPosition};

pub const SOURCE: &str = "execplan-ls";

pub fn to_text_position(p: lsp::Position) -> TextPosition {
    TextPosition::new(p.line, p.character)
}

pub fn range(lines: &TextLines<'_>, span: &Span, encoding: PositionEncoding) -> lsp::Range {
    let start = lines.position(span.start, encoding);
    let end = lines.position(span.end, encoding);
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

pub fn diagnostic(
    lines: &TextLines<'_>,
    d: &Diagnostic,
    encoding: PositionEncoding,
) -> lsp::Diagnostic {
    lsp::Diagnostic {
        range: range(lines, &d.span, encoding),
        severity: Some(severity(d.severity)),
        code: Some(NumberOrString::String(d.code.to_string())),
        source: Some(SOURCE.to_string()),
        message: d.message.clone(),
        ..Default::default()
    }
}

/// A workspace edit for one document at `version`, so a client applies it
/// only to the text it was computed from.
pub fn workspace_edit(
    uri: &lsp::Uri,
    version: i32,
    lines: &TextLines<'_>,
    edits: &[Edit],
    encoding: PositionEncoding,
) -> lsp::WorkspaceEdit {
    let edits = edits
        .iter()
        .map(|e| {
            lsp::OneOf::Left(lsp::TextEdit {
                range: range(lines, &e.span, encoding),
                new_text: e.new_text.clone(),
            })
        })
        .collect();
    lsp::WorkspaceEdit {
        document_changes: Some(lsp::DocumentChanges::Edits(vec![lsp::TextDocumentEdit {
            text_document: lsp::OptionalVersionedTextDocumentIdentifier {
                uri: uri.clone(),
                version: Some(version),
            },
            edits,
        }])),
        ..Default::default()
    }
}

/// One edit that turns `old` into `new`: the middle between their common
/// prefix and suffix.
pub fn minimal_edit(old: &str, new: &str) -> Edit {
    let mut prefix = old
        .bytes()
        .zip(new.bytes())
        .take_while(|(a, b)| a == b)
        .count();
    while !old.is_char_boundary(prefix) || !new.is_char_boundary(prefix) {
        prefix -= 1;
    }
    let max_suffix = old.len().min(new.len()) - prefix;
    let mut suffix = old
        .bytes()
        .rev()
        .zip(new.bytes().rev())
        .take(max_suffix)
        .take_while(|(a, b)| a == b)
        .count();
    while !old.is_char_boundary(old.len() - suffix) || !new.is_char_boundary(new.len() - suffix) {
        suffix -= 1;
    }
    Edit::replace(prefix..old.len() - suffix, &new[prefix..new.len() - suffix])
}
