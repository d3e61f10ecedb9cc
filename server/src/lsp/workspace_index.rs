//! The workspace index over LSP: indexing in the background with
//! `$/progress`, and keeping it current from watched-file events. The
//! methods that read it are `handlers/workspace_symbol.rs` and
//! `handlers/workspace_diagnostic.rs`.

use std::path::PathBuf;
use std::sync::Arc;

use tokio::sync::mpsc;
use tower_lsp_server::Client;
use tower_lsp_server::ls_types::*;

use crate::index::WorkspaceIndex;

use super::diagnostics;
use super::heap;
use super::session::State;

/// Files indexed between two progress reports.
const REPORT_EVERY: usize = 25;

/// Finds every plan under the workspace folders, reporting progress, then
/// has their diagnostics shown where the client wants them.
pub(super) async fn index_workspace(
    client: Client,
    state: Arc<State>,
    publish: mpsc::UnboundedSender<String>,
) {
    let index = Arc::clone(&state.index);
    let candidates = {
        let index = Arc::clone(&index);
        tokio::task::spawn_blocking(move || index.candidates())
            .await
            .unwrap_or_default()
    };
    let progress = if state.capabilities().work_done_progress {
        let token = NumberOrString::String("execplan-ls/index".to_string());
        let created = client
            .send_request::<request::WorkDoneProgressCreate>(WorkDoneProgressCreateParams {
                token: token.clone(),
            })
            .await;
        match created {
            Ok(()) => Some(
                client
                    .progress(token, "Indexing ExecPlans")
                    .with_percentage(0)
                    .begin()
                    .await,
            ),
            Err(_) => None,
        }
    } else {
        None
    };
    let total = candidates.len();
    let editor = state.editor_layer();
    for (done, chunk) in candidates.chunks(REPORT_EVERY).enumerate() {
        let chunk = chunk.to_vec();
        let index = Arc::clone(&index);
        let editor = editor.clone();
        let _ = tokio::task::spawn_blocking(move || {
            for path in chunk {
                index.refresh(&path, editor.as_ref());
            }
        })
        .await;
        if let Some(p) = &progress {
            let seen = ((done + 1) * REPORT_EVERY).min(total);
            let percent = (seen * 100 / total.max(1)) as u32;
            p.report_with_message(format!("{seen}/{total} Markdown files"), percent)
                .await;
        }
    }
    heap::release_freed_memory();
    let message = format!("{} plans found", index.len());
    if let Some(p) = progress {
        p.finish_with_message(message.clone()).await;
    }
    client
        .log_message(MessageType::INFO, format!("execplan-ls: {message}"))
        .await;
    diagnostics::index_changed(&client, &state, &publish).await;
}

/// Applies watched-file events to the index; returns the URIs whose
/// diagnostics may have changed.
pub(super) async fn files_changed(state: &State, changes: &[FileEvent]) -> Vec<Uri> {
    let editor = state.editor_layer();
    let mut touched = Vec::new();
    let mut paths: Vec<(PathBuf, Uri)> = Vec::new();
    for change in changes {
        let Some(path) = change.uri.to_file_path().map(|p| p.into_owned()) else {
            continue;
        };
        let is_markdown = path
            .extension()
            .is_some_and(|x| x.eq_ignore_ascii_case("md") || x.eq_ignore_ascii_case("markdown"));
        if !is_markdown {
            continue;
        }
        if change.typ == FileChangeType::DELETED {
            state.index.remove(&path);
            touched.push(change.uri.clone());
        } else {
            paths.push((path, change.uri.clone()));
        }
    }
    let index: Arc<WorkspaceIndex> = Arc::clone(&state.index);
    let refreshed = tokio::task::spawn_blocking(move || {
        paths
            .into_iter()
            .map(|(path, uri)| {
                index.refresh(&path, editor.as_ref());
                uri
            })
            .collect::<Vec<_>>()
    })
    .await
    .unwrap_or_default();
    touched.extend(refreshed);
    touched
}
