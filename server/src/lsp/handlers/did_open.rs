//! `textDocument/didOpen`: the document enters the store (before the first
//! `.await`, so notifications keep their order), its context is resolved,
//! its diagnostics follow.

use tower_lsp_server::ls_types::DidOpenTextDocumentParams;

use crate::lsp::session::{Backend, uri_path};

pub async fn handle(server: &Backend, params: DidOpenTextDocumentParams) {
    let doc = params.text_document;
    let key = doc.uri.to_string();
    server.store.open(&key, doc.text, doc.version);
    if let Some(path) = uri_path(&doc.uri) {
        server.state.index.set_open(&path, true);
    }
    let errors = server.refresh_context(&doc.uri);
    server.diagnostics_changed(&doc.uri);
    server.report_config_errors(errors).await;
    // The index let go of the plan's text, and the store may have dropped
    // another document's tree.
    server.state.trimmer.request();
}
