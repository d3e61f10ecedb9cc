//! `initialized`: watch configuration and Markdown files where the client
//! allows it, then index the workspace in the background.

use std::sync::Arc;

use tower_lsp_server::ls_types::{InitializedParams, MessageType};

use crate::lsp::server_capabilities;
use crate::lsp::session::Backend;
use crate::lsp::workspace_index;

pub async fn handle(server: &Backend, _: InitializedParams) {
    if server.capabilities().watch_files {
        let registration = server_capabilities::file_watchers();
        if let Err(e) = server.client.register_capability(vec![registration]).await {
            let message = format!("execplan-ls: could not watch configuration files: {e}");
            server
                .client
                .log_message(MessageType::WARNING, message)
                .await;
        }
    }
    server
        .client
        .log_message(
            MessageType::INFO,
            format!("execplan-ls {} ready", env!("CARGO_PKG_VERSION")),
        )
        .await;
    tokio::spawn(workspace_index::index_workspace(
        server.client.clone(),
        Arc::clone(&server.state),
        server.publish.clone(),
    ));
}
