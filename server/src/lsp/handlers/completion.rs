//! `textDocument/completion`: section headings, Progress items, entries and
//! labels ([`crate::analysis::completion`]); also in an empty document,
//! where a plan starts.

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{CompletionParams, CompletionResponse};

use crate::analysis::completion::{CompletionContext, complete};
use crate::lsp::convert;
use crate::lsp::request::{Serves, non_empty, on_plan};
use crate::lsp::session::Backend;

pub async fn handle(
    server: &Backend,
    params: CompletionParams,
) -> Result<Option<CompletionResponse>> {
    let at = params.text_document_position;
    on_plan(server, &at.text_document.uri, Serves::PlansAndEmpty, |r| {
        let offset = r.offset(at.position);
        let author = r.ctx.author();
        let cx = CompletionContext {
            now: jiff::Timestamp::now(),
            author: author.as_deref(),
            skeleton: r
                .ctx
                .env
                .skeleton
                .as_deref()
                .unwrap_or(crate::model::Skeleton::canonical()),
        };
        let items = complete(r.doc.text(), r.doc.model(), offset, &cx)
            .into_iter()
            .map(|c| convert::completion_item(r.caps, &r.lines, c))
            .collect();
        non_empty(items).map(CompletionResponse::Array)
    })
}
