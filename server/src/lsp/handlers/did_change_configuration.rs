//! `workspace/didChangeConfiguration`: the editor's settings change; every
//! open document is resolved and checked again.

use tower_lsp_server::ls_types::DidChangeConfigurationParams;

use crate::config;
use crate::lsp::session::Backend;

pub async fn handle(server: &Backend, params: DidChangeConfigurationParams) {
    match config::parse_editor_settings(&params.settings) {
        Ok(layer) => {
            if layer.is_some() {
                *server
                    .state
                    .editor_config
                    .write()
                    .unwrap_or_else(|e| e.into_inner()) = layer;
            }
        }
        Err(e) => server.report_config_errors(vec![e]).await,
    }
    server.refresh_all().await;
}
