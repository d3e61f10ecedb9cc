//! `textDocument/didChange`: the edits apply to the store before the first
//! `.await` (so they apply in order); a stale version or an edit to a
//! document that is not open is logged and ignored.

use tower_lsp_server::ls_types::{DidChangeTextDocumentParams, MessageType};

use crate::document::ContentChange;
use crate::lsp::convert;
use crate::lsp::session::Backend;

pub async fn handle(server: &Backend, params: DidChangeTextDocumentParams) {
    let uri = params.text_document.uri;
    let changes: Vec<ContentChange> = params
        .content_changes
        .into_iter()
        .map(|c| ContentChange {
            range: c.range.map(|r| {
                (
                    convert::to_text_position(r.start),
                    convert::to_text_position(r.end),
                )
            }),
            text: c.text,
        })
        .collect();
    let result = server.store.change(
        uri.as_str(),
        params.text_document.version,
        &changes,
        server.capabilities().position_encoding,
    );
    if let Err(e) = result {
        server
            .client
            .log_message(
                MessageType::WARNING,
                format!("execplan-ls: {}: {e}", uri.as_str()),
            )
            .await;
        return;
    }
    if !server.state.contexts.contains_key(uri.as_str()) {
        server.refresh_context(&uri);
    }
    if server.store.take_dropped_trees() {
        server.state.trimmer.request();
    }
    server.diagnostics_changed(&uri);
}
