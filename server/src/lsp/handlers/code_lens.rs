//! `textDocument/codeLens`: the Progress count and pace on the Progress
//! heading, each milestone's state on its heading; clicking one shows the
//! plan's Progress (`workspace/executeCommand`, [`super::execute_command`]).

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{CodeLens, CodeLensParams};

use crate::analysis::lens::lenses;
use crate::lsp::convert;
use crate::lsp::request::{Serves, non_empty, on_plan};
use crate::lsp::session::Backend;

pub async fn handle(server: &Backend, params: CodeLensParams) -> Result<Option<Vec<CodeLens>>> {
    on_plan(server, &params.text_document.uri, Serves::Plans, |r| {
        let found = lenses(r.doc.model(), jiff::Timestamp::now())
            .into_iter()
            .map(|l| convert::code_lens(&r.lines, r.uri, l, r.encoding()))
            .collect();
        non_empty(found)
    })
}
