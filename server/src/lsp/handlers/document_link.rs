//! `textDocument/documentLink`: the files a plan names that exist in the
//! workspace, as links.

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{DocumentLink, DocumentLinkParams};

use crate::analysis::links::file_references;
use crate::lsp::convert;
use crate::lsp::request::{Serves, non_empty, on_plan};
use crate::lsp::session::Backend;

pub async fn handle(
    server: &Backend,
    params: DocumentLinkParams,
) -> Result<Option<Vec<DocumentLink>>> {
    on_plan(server, &params.text_document.uri, Serves::Plans, |r| {
        let links = file_references(r.doc.model())
            .into_iter()
            .filter_map(|reference| {
                let target = r.ctx.resolve_reference(&reference).existing()?;
                Some(convert::document_link(
                    r.caps,
                    &r.lines,
                    &reference.span,
                    &target,
                ))
            })
            .collect();
        non_empty(links)
    })
}
