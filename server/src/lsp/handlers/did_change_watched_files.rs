//! `workspace/didChangeWatchedFiles`: a configuration file, PLANS.md or
//! AGENTS.md changed (everything is resolved and indexed again), or plans on disk did
//! (the index takes them).

use std::sync::Arc;

use tower_lsp_server::ls_types::DidChangeWatchedFilesParams;

use crate::config;
use crate::lsp::session::Backend;
use crate::lsp::workspace_index;

pub async fn handle(server: &Backend, params: DidChangeWatchedFilesParams) {
    // Files appeared or went: paths plans name may resolve differently.
    server.state.paths.clear();
    server.state.index.forget_paths();
    let settings_changed = params.changes.iter().any(|c| {
        let path = c.uri.path().as_str();
        // AGENTS.md may name which PLANS.md plans follow.
        path.ends_with(config::CONFIG_FILE_NAME)
            || path.ends_with("PLANS.md")
            || path.ends_with("AGENTS.md")
    });
    if settings_changed {
        // Configuration or the skeleton changed: every plan may read
        // differently now.
        server.refresh_all().await;
        tokio::spawn(workspace_index::index_workspace(
            server.client.clone(),
            Arc::clone(&server.state),
            server.publish.clone(),
        ));
        return;
    }
    let touched = workspace_index::files_changed(&server.state, &params.changes).await;
    server.files_diagnostics_changed(touched).await;
}
