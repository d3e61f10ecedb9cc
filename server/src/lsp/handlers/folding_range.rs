//! `textDocument/foldingRange`: sections, long lists and entries fold.

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{FoldingRange, FoldingRangeParams};

use crate::analysis::folding::folding_ranges;
use crate::lsp::convert;
use crate::lsp::request::{Serves, non_empty, on_plan};
use crate::lsp::session::Backend;

pub async fn handle(
    server: &Backend,
    params: FoldingRangeParams,
) -> Result<Option<Vec<FoldingRange>>> {
    on_plan(server, &params.text_document.uri, Serves::Plans, |r| {
        let folds = folding_ranges(r.doc.text(), r.doc.model())
            .iter()
            .map(|f| convert::folding_range(&r.lines, f, r.encoding()))
            .collect();
        non_empty(folds)
    })
}
