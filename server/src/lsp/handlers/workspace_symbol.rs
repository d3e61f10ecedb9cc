//! `workspace/symbol`: the symbols of every indexed plan (the open text
//! where a plan is open) whose name contains the query's words.

use std::sync::Arc;

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{
    Position, Range, Uri, WorkspaceSymbolParams, WorkspaceSymbolResponse,
};

use crate::analysis::outline;
use crate::lsp::convert;
use crate::lsp::request::guarded;
use crate::lsp::session::Backend;
use crate::text::{LineIndex, TextLines};

fn matches(query: &str, name: &str) -> bool {
    let name = name.to_lowercase();
    query
        .to_lowercase()
        .split_whitespace()
        .all(|word| name.contains(word))
}

pub async fn handle(
    server: &Backend,
    params: WorkspaceSymbolParams,
) -> Result<Option<WorkspaceSymbolResponse>> {
    let caps = server.capabilities();
    guarded(|| {
        let mut found = Vec::new();
        for plan in server.state.index.plans() {
            let Some(uri) = Uri::from_file_path(&plan.path) else {
                continue;
            };
            let open = server
                .store
                .get(uri.as_str())
                .map(|d| (d.text().to_string(), Arc::clone(d.model())));
            match open {
                Some((text, model)) => {
                    let index = LineIndex::new(&text);
                    let lines = TextLines {
                        text: &text,
                        index: &index,
                    };
                    for (symbol, container) in outline::flat_outline(&text, &model) {
                        if matches(&params.query, &symbol.name) {
                            let range =
                                convert::range(&lines, &symbol.selection, caps.position_encoding);
                            found.push((uri.clone(), range, symbol, container));
                        }
                    }
                }
                // The index keeps where each symbol sits, not the text.
                None => {
                    for indexed in &plan.symbols {
                        if matches(&params.query, &indexed.symbol.name) {
                            let [start, end] = indexed.selection(caps.position_encoding);
                            let range = Range::new(
                                Position::new(start.line, start.character),
                                Position::new(end.line, end.character),
                            );
                            found.push((
                                uri.clone(),
                                range,
                                indexed.symbol.clone(),
                                indexed.container.clone(),
                            ));
                        }
                    }
                }
            }
        }
        Some(convert::workspace_symbols(caps, found))
    })
}
