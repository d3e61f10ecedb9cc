//! `textDocument/didSave`: paths may resolve differently and configuration
//! may have changed; the document is checked again.

use tower_lsp_server::ls_types::DidSaveTextDocumentParams;

use crate::lsp::session::Backend;

pub async fn handle(server: &Backend, params: DidSaveTextDocumentParams) {
    server.state.paths.clear();
    let errors = server.refresh_context(&params.text_document.uri);
    server.report_config_errors(errors).await;
    server.diagnostics_changed(&params.text_document.uri);
}
