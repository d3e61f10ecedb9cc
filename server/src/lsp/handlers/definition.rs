//! `textDocument/definition`: a path the plan names opens that file
//! (`src/main.rs:42` at line 42).

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{GotoDefinitionParams, GotoDefinitionResponse};

use crate::analysis::links::reference_at;
use crate::lsp::convert;
use crate::lsp::request::{Serves, on_plan};
use crate::lsp::session::Backend;

pub async fn handle(
    server: &Backend,
    params: GotoDefinitionParams,
) -> Result<Option<GotoDefinitionResponse>> {
    let at = params.text_document_position_params;
    on_plan(server, &at.text_document.uri, Serves::Plans, |r| {
        let reference = reference_at(r.doc.model(), r.offset(at.position))?;
        let target = r.ctx.resolve_reference(&reference).existing()?;
        let line = reference
            .path
            .split(':')
            .nth(1)
            .and_then(|l| l.parse::<u32>().ok())
            .map_or(0, |l| l.saturating_sub(1));
        convert::location(&target, line).map(GotoDefinitionResponse::Scalar)
    })
}
