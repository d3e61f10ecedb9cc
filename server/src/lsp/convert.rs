//! Every LSP value the server sends is built here, from the engine's types
//! (byte ranges, diagnostics, edits, symbols, hovers, …) and what the client
//! supports ([`ResolvedClientCapabilities`]). Handlers compute; this module
//! decides the shape.

use std::path::Path;

use tower_lsp_server::ls_types::{self as lsp, NumberOrString};

use crate::analysis::completion::Completion;
use crate::analysis::folding::Fold;
use crate::analysis::hover::Hover;
use crate::analysis::inlay::InlayHint;
use crate::analysis::lens::Lens;
use crate::analysis::outline::{self, Symbol};
use crate::analysis::{Diagnostic, Edit, Severity};
use crate::model::Span;
use crate::text::{PositionEncoding, TextLines, TextPosition};

use super::client_capabilities::ResolvedClientCapabilities;
use super::handlers::execute_command::{APPLY_EDIT, SHOW_PROGRESS};

/// The `source` of every diagnostic, and the pull diagnostics identifier.
pub const SOURCE: &str = "execplan-ls";

pub fn to_text_position(p: lsp::Position) -> TextPosition {
    TextPosition::new(p.line, p.character)
}

pub fn range(lines: &TextLines<'_>, span: &Span, encoding: PositionEncoding) -> lsp::Range {
    let start = position(lines, span.start, encoding);
    let end = position(lines, span.end, encoding);
    lsp::Range::new(start, end)
}

pub fn position(lines: &TextLines<'_>, offset: usize, encoding: PositionEncoding) -> lsp::Position {
    let at = lines.position(offset, encoding);
    lsp::Position::new(at.line, at.character)
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

/// A full diagnostic report for one document, as `textDocument/diagnostic`
/// answers.
pub fn document_diagnostic_report(
    items: Vec<lsp::Diagnostic>,
) -> lsp::DocumentDiagnosticReportResult {
    lsp::DocumentDiagnosticReportResult::Report(lsp::DocumentDiagnosticReport::Full(
        lsp::RelatedFullDocumentDiagnosticReport {
            related_documents: None,
            full_document_diagnostic_report: lsp::FullDocumentDiagnosticReport {
                result_id: None,
                items,
            },
        },
    ))
}

/// One plan's entry in a `workspace/diagnostic` answer.
pub fn workspace_diagnostic_item(
    uri: lsp::Uri,
    items: Vec<lsp::Diagnostic>,
) -> lsp::WorkspaceDocumentDiagnosticReport {
    lsp::WorkspaceDocumentDiagnosticReport::Full(lsp::WorkspaceFullDocumentDiagnosticReport {
        uri,
        version: None,
        full_document_diagnostic_report: lsp::FullDocumentDiagnosticReport {
            result_id: None,
            items,
        },
    })
}

/// Edits to one document: versioned `documentChanges` when the client
/// supports them (so it applies them only to the text they were computed
/// from), plain `changes` otherwise.
pub fn workspace_edit(
    caps: &ResolvedClientCapabilities,
    uri: &lsp::Uri,
    version: i32,
    lines: &TextLines<'_>,
    edits: &[Edit],
) -> lsp::WorkspaceEdit {
    let text_edits = edits.iter().map(|e| lsp::TextEdit {
        range: range(lines, &e.span, caps.position_encoding),
        new_text: e.new_text.clone(),
    });
    if caps.document_changes {
        lsp::WorkspaceEdit {
            document_changes: Some(lsp::DocumentChanges::Edits(vec![lsp::TextDocumentEdit {
                text_document: lsp::OptionalVersionedTextDocumentIdentifier {
                    uri: uri.clone(),
                    version: Some(version),
                },
                edits: text_edits.map(lsp::OneOf::Left).collect(),
            }])),
            ..Default::default()
        }
    } else {
        lsp::WorkspaceEdit {
            changes: Some([(uri.clone(), text_edits.collect())].into_iter().collect()),
            ..Default::default()
        }
    }
}

/// A code action as the client takes them: a `CodeAction` literal, or a
/// `Command` that has the server apply the edit (`workspace/applyEdit`).
pub fn code_action(
    caps: &ResolvedClientCapabilities,
    title: String,
    kind: lsp::CodeActionKind,
    edit: lsp::WorkspaceEdit,
    fixes: Option<(lsp::Diagnostic, bool)>,
) -> lsp::CodeActionOrCommand {
    if caps.code_action_literals {
        let (diagnostics, preferred) = match fixes {
            Some((d, preferred)) => (Some(vec![d]), Some(preferred)),
            None => (None, None),
        };
        return lsp::CodeActionOrCommand::CodeAction(lsp::CodeAction {
            title,
            kind: Some(kind),
            diagnostics,
            edit: Some(edit),
            is_preferred: preferred.filter(|_| caps.preferred_code_actions),
            ..Default::default()
        });
    }
    lsp::CodeActionOrCommand::Command(lsp::Command {
        title,
        command: APPLY_EDIT.to_string(),
        arguments: serde_json::to_value(edit).ok().map(|e| vec![e]),
    })
}

pub fn completion_item(
    caps: &ResolvedClientCapabilities,
    lines: &TextLines<'_>,
    c: Completion,
) -> lsp::CompletionItem {
    let (format, new_text) = if caps.snippets {
        (lsp::InsertTextFormat::SNIPPET, c.snippet)
    } else {
        (lsp::InsertTextFormat::PLAIN_TEXT, c.text)
    };
    lsp::CompletionItem {
        label: c.label.clone(),
        detail: Some(c.detail),
        kind: Some(if caps.snippets {
            lsp::CompletionItemKind::SNIPPET
        } else {
            lsp::CompletionItemKind::TEXT
        }),
        sort_text: Some(format!("{:03}", c.rank)),
        filter_text: Some(c.label),
        insert_text_format: Some(format),
        text_edit: Some(lsp::CompletionTextEdit::Edit(lsp::TextEdit {
            range: range(lines, &c.replace, caps.position_encoding),
            new_text,
        })),
        ..Default::default()
    }
}

pub fn hover(
    caps: &ResolvedClientCapabilities,
    lines: &TextLines<'_>,
    found: &Hover,
) -> lsp::Hover {
    let contents = if caps.hover_markdown {
        lsp::MarkupContent {
            kind: lsp::MarkupKind::Markdown,
            value: found.markdown.clone(),
        }
    } else {
        lsp::MarkupContent {
            kind: lsp::MarkupKind::PlainText,
            value: found.plain_text(),
        }
    };
    lsp::Hover {
        contents: lsp::HoverContents::Markup(contents),
        range: Some(range(lines, &found.span, caps.position_encoding)),
    }
}

pub fn symbol_kind(kind: outline::SymbolKind) -> lsp::SymbolKind {
    match kind {
        outline::SymbolKind::Title => lsp::SymbolKind::FILE,
        outline::SymbolKind::Section => lsp::SymbolKind::NAMESPACE,
        outline::SymbolKind::Milestone => lsp::SymbolKind::EVENT,
        outline::SymbolKind::Decision => lsp::SymbolKind::KEY,
    }
}

fn symbol_name(name: String) -> String {
    if name.is_empty() {
        "(untitled)".to_string()
    } else {
        name
    }
}

/// The outline as a tree of `DocumentSymbol`s, or flat `SymbolInformation`
/// (each naming its parent) for clients without hierarchical support.
pub fn document_symbols(
    caps: &ResolvedClientCapabilities,
    uri: &lsp::Uri,
    lines: &TextLines<'_>,
    symbols: Vec<Symbol>,
) -> lsp::DocumentSymbolResponse {
    let encoding = caps.position_encoding;
    if caps.hierarchical_symbols {
        return lsp::DocumentSymbolResponse::Nested(
            symbols
                .into_iter()
                .map(|s| document_symbol(lines, s, encoding))
                .collect(),
        );
    }
    fn flatten(
        out: &mut Vec<lsp::SymbolInformation>,
        uri: &lsp::Uri,
        lines: &TextLines<'_>,
        encoding: PositionEncoding,
        symbols: Vec<Symbol>,
        container: Option<&str>,
    ) {
        for s in symbols {
            let name = symbol_name(s.name);
            out.push(symbol_information(
                name.clone(),
                s.kind,
                uri.clone(),
                range(lines, &s.span, encoding),
                container.map(str::to_string),
            ));
            flatten(out, uri, lines, encoding, s.children, Some(&name));
        }
    }
    let mut flat = Vec::new();
    flatten(&mut flat, uri, lines, encoding, symbols, None);
    lsp::DocumentSymbolResponse::Flat(flat)
}

fn document_symbol(
    lines: &TextLines<'_>,
    s: Symbol,
    encoding: PositionEncoding,
) -> lsp::DocumentSymbol {
    #[allow(deprecated)]
    lsp::DocumentSymbol {
        name: symbol_name(s.name),
        detail: s.detail,
        kind: symbol_kind(s.kind),
        tags: None,
        deprecated: None,
        range: range(lines, &s.span, encoding),
        selection_range: range(lines, &s.selection, encoding),
        // Leaves carry no `children` at all: a smaller answer to build,
        // send and parse.
        children: (!s.children.is_empty()).then(|| {
            s.children
                .into_iter()
                .map(|c| document_symbol(lines, c, encoding))
                .collect()
        }),
    }
}

fn symbol_information(
    name: String,
    kind: outline::SymbolKind,
    uri: lsp::Uri,
    range: lsp::Range,
    container_name: Option<String>,
) -> lsp::SymbolInformation {
    #[allow(deprecated)]
    lsp::SymbolInformation {
        name,
        kind: symbol_kind(kind),
        tags: None,
        deprecated: None,
        location: lsp::Location { uri, range },
        container_name,
    }
}

/// `workspace/symbol` answers: `WorkspaceSymbol`s for clients that know
/// them (3.17), `SymbolInformation` otherwise.
pub fn workspace_symbols(
    caps: &ResolvedClientCapabilities,
    found: Vec<(lsp::Uri, lsp::Range, Symbol, Option<String>)>,
) -> lsp::WorkspaceSymbolResponse {
    if caps.workspace_symbol_type {
        lsp::WorkspaceSymbolResponse::Nested(
            found
                .into_iter()
                .map(|(uri, range, s, container_name)| lsp::WorkspaceSymbol {
                    name: s.name,
                    kind: symbol_kind(s.kind),
                    tags: None,
                    container_name,
                    location: lsp::OneOf::Left(lsp::Location { uri, range }),
                    data: None,
                })
                .collect(),
        )
    } else {
        lsp::WorkspaceSymbolResponse::Flat(
            found
                .into_iter()
                .map(|(uri, range, s, container)| {
                    symbol_information(s.name, s.kind, uri, range, container)
                })
                .collect(),
        )
    }
}

pub fn folding_range(
    lines: &TextLines<'_>,
    fold: &Fold,
    encoding: PositionEncoding,
) -> lsp::FoldingRange {
    let range = range(lines, &fold.span, encoding);
    lsp::FoldingRange {
        start_line: range.start.line,
        start_character: None,
        end_line: range.end.line,
        end_character: None,
        kind: Some(lsp::FoldingRangeKind::Region),
        collapsed_text: None,
    }
}

/// A lens whose command the server runs (`workspace/executeCommand`): it
/// shows the plan's Progress in a message.
pub fn code_lens(
    lines: &TextLines<'_>,
    uri: &lsp::Uri,
    lens: Lens,
    encoding: PositionEncoding,
) -> lsp::CodeLens {
    lsp::CodeLens {
        range: range(lines, &lens.span, encoding),
        command: Some(lsp::Command {
            title: lens.title,
            command: SHOW_PROGRESS.to_string(),
            arguments: Some(vec![serde_json::Value::String(uri.to_string())]),
        }),
        data: None,
    }
}

pub fn inlay_hint(
    lines: &TextLines<'_>,
    hint: InlayHint,
    encoding: PositionEncoding,
) -> lsp::InlayHint {
    lsp::InlayHint {
        position: position(lines, hint.offset, encoding),
        label: lsp::InlayHintLabel::String(hint.label),
        kind: None,
        text_edits: None,
        tooltip: None,
        padding_left: Some(true),
        padding_right: None,
        data: None,
    }
}

pub fn document_link(
    caps: &ResolvedClientCapabilities,
    lines: &TextLines<'_>,
    span: &Span,
    target: &Path,
) -> lsp::DocumentLink {
    lsp::DocumentLink {
        range: range(lines, span, caps.position_encoding),
        target: lsp::Uri::from_file_path(target),
        tooltip: caps.link_tooltips.then(|| target.display().to_string()),
        data: None,
    }
}

/// The start of line `line` (0-based) of a file.
pub fn location(target: &Path, line: u32) -> Option<lsp::Location> {
    let at = lsp::Position::new(line, 0);
    Some(lsp::Location {
        uri: lsp::Uri::from_file_path(target)?,
        range: lsp::Range::new(at, at),
    })
}
