//! `shutdown`: remembered, so `exit` ends the process with status 0.

use std::sync::atomic::Ordering;

use tower_lsp_server::jsonrpc::Result;

use crate::lsp::session::Backend;

pub async fn handle(server: &Backend) -> Result<()> {
    server
        .state
        .shutdown_requested
        .store(true, Ordering::SeqCst);
    Ok(())
}
