//! `textDocument/inlayHint`: what the code lenses show, at the end of the
//! heading line, for editors without code lenses (Helix, Zed); with the
//! `timestamp_age_hints` setting, each Progress stamp's age after it.

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{InlayHint, InlayHintParams};

use crate::analysis::inlay::inlay_hints;
use crate::lsp::convert;
use crate::lsp::request::{Serves, non_empty, on_plan};
use crate::lsp::session::Backend;

pub async fn handle(server: &Backend, params: InlayHintParams) -> Result<Option<Vec<InlayHint>>> {
    on_plan(server, &params.text_document.uri, Serves::Plans, |r| {
        let within = r.span(params.range);
        let ages = r.ctx.settings.timestamp_age_hints;
        let hints = inlay_hints(r.doc.model(), jiff::Timestamp::now(), ages, &within)
            .into_iter()
            .map(|h| convert::inlay_hint(&r.lines, h, r.encoding()))
            .collect();
        non_empty(hints)
    })
}
