//! What the server offers, declared in one place: every method it answers
//! and the options of each, for the client described by `caps`, and the
//! file watchers it registers dynamically.

use tower_lsp_server::ls_types::*;

use super::client_capabilities::{DiagnosticMode, ResolvedClientCapabilities};
use super::convert::SOURCE;
use super::handlers::code_action::FIX_ALL_KIND;
use super::handlers::execute_command::COMMANDS;
use crate::config::CONFIG_FILE_NAME;

/// The answer to `initialize`.
pub fn initialize_result(caps: &ResolvedClientCapabilities) -> InitializeResult {
    InitializeResult {
        capabilities: server_capabilities(caps),
        server_info: Some(ServerInfo {
            name: "execplan-ls".to_string(),
            version: Some(env!("CARGO_PKG_VERSION").to_string()),
        }),
        offset_encoding: None,
    }
}

/// The watchers registered after `initialized` where the client allows it:
/// configuration files, PLANS.md, AGENTS.md and plans on disk change
/// diagnostics.
pub fn file_watchers() -> Registration {
    let watchers = [format!("**/{CONFIG_FILE_NAME}"), "**/*.md".to_string()]
        .into_iter()
        .map(|glob| FileSystemWatcher {
            glob_pattern: GlobPattern::String(glob),
            kind: None,
        })
        .collect();
    Registration {
        id: "execplan-ls-watch".to_string(),
        method: "workspace/didChangeWatchedFiles".to_string(),
        register_options: serde_json::to_value(DidChangeWatchedFilesRegistrationOptions {
            watchers,
        })
        .ok(),
    }
}

pub fn server_capabilities(caps: &ResolvedClientCapabilities) -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(match caps.position_encoding {
            crate::text::PositionEncoding::Utf8 => PositionEncodingKind::UTF8,
            _ => PositionEncodingKind::UTF16,
        }),
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::INCREMENTAL),
                save: Some(TextDocumentSyncSaveOptions::Supported(true)),
                ..Default::default()
            },
        )),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec!["#".to_string(), "[".to_string()]),
            ..Default::default()
        }),
        code_action_provider: Some(if caps.code_action_literals {
            CodeActionProviderCapability::Options(CodeActionOptions {
                code_action_kinds: Some(vec![
                    CodeActionKind::QUICKFIX,
                    CodeActionKind::REFACTOR_REWRITE,
                    CodeActionKind::new(FIX_ALL_KIND),
                ]),
                resolve_provider: Some(false),
                work_done_progress_options: Default::default(),
            })
        } else {
            // Kinds belong to code action literals; a client without them
            // gets commands.
            CodeActionProviderCapability::Simple(true)
        }),
        execute_command_provider: Some(ExecuteCommandOptions {
            commands: COMMANDS.iter().map(|c| c.to_string()).collect(),
            work_done_progress_options: Default::default(),
        }),
        document_symbol_provider: Some(OneOf::Left(true)),
        folding_range_provider: Some(FoldingRangeProviderCapability::Simple(true)),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        code_lens_provider: Some(CodeLensOptions {
            resolve_provider: Some(false),
        }),
        inlay_hint_provider: Some(OneOf::Left(true)),
        document_link_provider: Some(DocumentLinkOptions {
            resolve_provider: Some(false),
            work_done_progress_options: Default::default(),
        }),
        definition_provider: Some(OneOf::Left(true)),
        workspace_symbol_provider: Some(OneOf::Left(true)),
        diagnostic_provider: (caps.diagnostics == DiagnosticMode::Pull).then(|| {
            DiagnosticServerCapabilities::Options(DiagnosticOptions {
                identifier: Some(SOURCE.to_string()),
                inter_file_dependencies: false,
                workspace_diagnostics: true,
                work_done_progress_options: Default::default(),
            })
        }),
        ..Default::default()
    }
}
