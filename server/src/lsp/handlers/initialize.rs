//! `initialize`: resolve what the client supports, learn the workspace
//! folders and the editor's settings, declare what the server offers.

use std::path::PathBuf;

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{InitializeParams, InitializeResult};

use crate::config;
use crate::lsp::client_capabilities::ResolvedClientCapabilities;
use crate::lsp::server_capabilities::initialize_result;
use crate::lsp::session::{Backend, uri_path};

pub async fn handle(server: &Backend, params: InitializeParams) -> Result<InitializeResult> {
    let caps = ResolvedClientCapabilities::new(&params.capabilities);
    let answer = initialize_result(&caps);
    server.state.set_capabilities(caps);

    let mut roots: Vec<PathBuf> = params
        .workspace_folders
        .iter()
        .flatten()
        .filter_map(|f| uri_path(&f.uri))
        .collect();
    #[allow(deprecated)]
    if roots.is_empty()
        && let Some(root) = params.root_uri.as_ref().and_then(uri_path)
    {
        roots.push(root);
    }
    server.state.index.set_roots(roots.clone());
    *server
        .state
        .roots
        .write()
        .unwrap_or_else(|e| e.into_inner()) = roots;

    if let Some(options) = &params.initialization_options {
        match config::parse_editor_settings(options) {
            Ok(layer) => {
                *server
                    .state
                    .editor_config
                    .write()
                    .unwrap_or_else(|e| e.into_inner()) = layer
            }
            Err(e) => server.report_config_errors(vec![e]).await,
        }
    }

    Ok(answer)
}
