//! What the client said it supports at `initialize`, resolved once into
//! plain fields. Every answer reads these instead of the client's nested
//! capability objects, so a decision (Markdown or plain text, nested or flat
//! symbols, pull or push diagnostics, …) is taken in one place.

use tower_lsp_server::ls_types::{ClientCapabilities, MarkupKind, PositionEncodingKind};

use crate::text::PositionEncoding;

/// How diagnostics reach the client: it asks for them
/// (`textDocument/diagnostic`), or the server publishes them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum DiagnosticMode {
    #[default]
    Push,
    Pull,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[allow(clippy::struct_excessive_bools)]
pub struct ResolvedClientCapabilities {
    /// Columns in UTF-8 when the client offers it, else UTF-16 (the
    /// protocol's default, which every client understands).
    pub position_encoding: PositionEncoding,
    pub diagnostics: DiagnosticMode,
    /// `workspace/diagnostic/refresh` may be sent.
    pub workspace_diagnostic_refresh: bool,
    /// Hovers in Markdown; plain text otherwise.
    pub hover_markdown: bool,
    /// `DocumentSymbol` trees; flat `SymbolInformation` otherwise.
    pub hierarchical_symbols: bool,
    /// `WorkspaceSymbol` answers (3.17); `SymbolInformation` otherwise.
    pub workspace_symbol_type: bool,
    /// `CodeAction` literals; `Command`s otherwise.
    pub code_action_literals: bool,
    /// `isPreferred` on code actions.
    pub preferred_code_actions: bool,
    /// Versioned `documentChanges` in workspace edits; `changes` otherwise.
    pub document_changes: bool,
    /// `workspace/applyEdit` may be sent (how a `Command` code action edits).
    pub apply_edit: bool,
    /// Completion items may be snippets.
    pub snippets: bool,
    /// Document links may carry a tooltip.
    pub link_tooltips: bool,
    /// File watchers may be registered dynamically.
    pub watch_files: bool,
    /// `$/progress` begun by the server is shown.
    pub work_done_progress: bool,
}

impl ResolvedClientCapabilities {
    pub fn new(caps: &ClientCapabilities) -> Self {
        let text = caps.text_document.as_ref();
        let workspace = caps.workspace.as_ref();
        let offers_utf8 = caps
            .general
            .as_ref()
            .and_then(|g| g.position_encodings.as_ref())
            .is_some_and(|encodings| encodings.contains(&PositionEncodingKind::UTF8));
        // The client lists formats in order of preference.
        let hover_markdown = text
            .and_then(|t| t.hover.as_ref())
            .and_then(|h| h.content_format.as_ref())
            .and_then(|formats| {
                formats
                    .iter()
                    .find(|f| **f == MarkupKind::Markdown || **f == MarkupKind::PlainText)
            })
            .is_some_and(|f| *f == MarkupKind::Markdown);
        let code_action = text.and_then(|t| t.code_action.as_ref());
        ResolvedClientCapabilities {
            position_encoding: if offers_utf8 {
                PositionEncoding::Utf8
            } else {
                PositionEncoding::Utf16
            },
            diagnostics: if text.and_then(|t| t.diagnostic.as_ref()).is_some() {
                DiagnosticMode::Pull
            } else {
                DiagnosticMode::Push
            },
            workspace_diagnostic_refresh: workspace
                .and_then(|w| w.diagnostics.as_ref())
                .and_then(|d| d.refresh_support)
                .unwrap_or(false),
            hover_markdown,
            hierarchical_symbols: text
                .and_then(|t| t.document_symbol.as_ref())
                .and_then(|s| s.hierarchical_document_symbol_support)
                .unwrap_or(false),
            workspace_symbol_type: workspace
                .and_then(|w| w.symbol.as_ref())
                .is_some_and(|s| s.resolve_support.is_some()),
            code_action_literals: code_action
                .is_some_and(|c| c.code_action_literal_support.is_some()),
            preferred_code_actions: code_action
                .and_then(|c| c.is_preferred_support)
                .unwrap_or(false),
            document_changes: workspace
                .and_then(|w| w.workspace_edit.as_ref())
                .and_then(|e| e.document_changes)
                .unwrap_or(false),
            apply_edit: workspace.and_then(|w| w.apply_edit).unwrap_or(false),
            snippets: text
                .and_then(|t| t.completion.as_ref())
                .and_then(|c| c.completion_item.as_ref())
                .and_then(|i| i.snippet_support)
                .unwrap_or(false),
            link_tooltips: text
                .and_then(|t| t.document_link.as_ref())
                .and_then(|l| l.tooltip_support)
                .unwrap_or(false),
            watch_files: workspace
                .and_then(|w| w.did_change_watched_files.as_ref())
                .and_then(|w| w.dynamic_registration)
                .unwrap_or(false),
            work_done_progress: caps
                .window
                .as_ref()
                .and_then(|w| w.work_done_progress)
                .unwrap_or(false),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolve(caps: serde_json::Value) -> ResolvedClientCapabilities {
        ResolvedClientCapabilities::new(&serde_json::from_value(caps).unwrap())
    }

    #[test]
    fn a_client_that_declares_nothing_gets_the_plainest_answers() {
        let caps = resolve(serde_json::json!({}));
        assert_eq!(caps, ResolvedClientCapabilities::default());
        assert_eq!(caps.position_encoding, PositionEncoding::Utf16);
        assert_eq!(caps.diagnostics, DiagnosticMode::Push);
    }

    #[test]
    fn hover_format_follows_the_clients_order_of_preference() {
        let hover = |formats: serde_json::Value| {
            resolve(
                serde_json::json!({ "textDocument": { "hover": { "contentFormat": formats } } }),
            )
            .hover_markdown
        };
        assert!(hover(serde_json::json!(["markdown", "plaintext"])));
        assert!(!hover(serde_json::json!(["plaintext", "markdown"])));
        assert!(!hover(serde_json::json!([])));
    }
}
