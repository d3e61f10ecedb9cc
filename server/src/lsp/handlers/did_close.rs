//! `textDocument/didClose`: the document leaves the store, the index reads
//! the plan from disk again, and its pushed diagnostics are cleared.

use std::sync::Arc;

use tower_lsp_server::ls_types::DidCloseTextDocumentParams;

use crate::lsp::session::{Backend, uri_path};

pub async fn handle(server: &Backend, params: DidCloseTextDocumentParams) {
    let uri = params.text_document.uri;
    server.store.close(uri.as_str());
    server.state.contexts.remove(uri.as_str());
    server.state.verdicts.remove(uri.as_str());
    server.state.seeds.remove(uri.as_str());
    if let Some(path) = uri_path(&uri) {
        // The index lent the plan to the editor: read it from disk again.
        server.state.index.set_open(&path, false);
        if server.state.index.get(&path).is_some() {
            let index = Arc::clone(&server.state.index);
            let editor = server.state.editor_layer();
            let _ =
                tokio::task::spawn_blocking(move || index.refresh(&path, editor.as_ref())).await;
        }
    }
    // The publisher clears diagnostics of documents no longer open.
    server.diagnostics_changed(&uri);
    server.state.trimmer.request();
}
