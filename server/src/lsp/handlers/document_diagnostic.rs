//! `textDocument/diagnostic`: an open document's diagnostics, for clients
//! that pull them.

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{DocumentDiagnosticParams, DocumentDiagnosticReportResult};

use crate::lsp::convert;
use crate::lsp::diagnostics::compute;
use crate::lsp::session::Backend;

pub async fn handle(
    server: &Backend,
    params: DocumentDiagnosticParams,
) -> Result<DocumentDiagnosticReportResult> {
    let items = compute(
        &server.store,
        &server.state,
        params.text_document.uri.as_str(),
    )
    .map(|(d, _)| d)
    .unwrap_or_default();
    Ok(convert::document_diagnostic_report(items))
}
