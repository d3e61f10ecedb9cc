//! `textDocument/documentSymbol`: the plan's outline (title, sections,
//! milestones, decisions), nested or flat as the client takes it.

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{DocumentSymbolParams, DocumentSymbolResponse};

use crate::analysis::outline::outline;
use crate::lsp::convert;
use crate::lsp::request::{Serves, on_plan};
use crate::lsp::session::Backend;

pub async fn handle(
    server: &Backend,
    params: DocumentSymbolParams,
) -> Result<Option<DocumentSymbolResponse>> {
    on_plan(server, &params.text_document.uri, Serves::Plans, |r| {
        let symbols = outline(r.doc.text(), r.doc.model());
        (!symbols.is_empty()).then(|| convert::document_symbols(r.caps, r.uri, &r.lines, symbols))
    })
}
