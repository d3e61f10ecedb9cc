//! The workspace index over LSP: indexing in the background with
//! `$/progress`, keeping it current from watched-file events, and answering
//! `workspace/symbol` and `workspace/diagnostic` across every plan.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::Ordering;

use tokio::sync::mpsc;
use tower_lsp_server::Client;
use tower_lsp_server::ls_types::*;

use crate::analysis::outline;
use crate::index::{IndexedPlan, WorkspaceIndex};
use crate::text::{LineIndex, PositionEncoding, TextLines};

use super::{State, convert, heap, navigation};

/// Files indexed between two progress reports.
const REPORT_EVERY: usize = 25;

/// Whether the user asked for diagnostics of plans that are not open, in a
/// client that only takes pushed diagnostics.
pub(super) fn pushes_closed_plans(state: &State) -> bool {
    !*state.pull.read().unwrap_or_else(|e| e.into_inner())
        && state.editor_layer().and_then(|l| l.workspace_diagnostics) == Some(true)
}

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
    let progress = if state.work_done_progress.load(Ordering::SeqCst) {
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
    show_workspace_diagnostics(&client, &state, &publish).await;
}

/// After the index changed: pull clients are asked to pull again; push
/// clients that opted in get every indexed plan published.
pub(super) async fn show_workspace_diagnostics(
    client: &Client,
    state: &State,
    publish: &mpsc::UnboundedSender<String>,
) {
    if *state.pull.read().unwrap_or_else(|e| e.into_inner()) {
        let _ = client.workspace_diagnostic_refresh().await;
    } else if pushes_closed_plans(state) {
        for plan in state.index.plans() {
            if let Some(uri) = Uri::from_file_path(&plan.path) {
                let _ = publish.send(uri.to_string());
            }
        }
    }
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

/// Diagnostics of an indexed plan, as LSP values.
pub(super) fn plan_diagnostics(plan: &IndexedPlan, encoding: PositionEncoding) -> Vec<Diagnostic> {
    let index = LineIndex::new(&plan.text);
    let lines = TextLines {
        text: &plan.text,
        index: &index,
    };
    plan.diagnostics(jiff::Timestamp::now())
        .iter()
        .map(|d| convert::diagnostic(&lines, d, encoding))
        .collect()
}

fn matches(query: &str, name: &str) -> bool {
    let name = name.to_lowercase();
    query
        .to_lowercase()
        .split_whitespace()
        .all(|word| name.contains(word))
}

/// An open document's text and model, when it is open.
pub(super) type OpenDocument<'a> =
    &'a dyn Fn(&Uri) -> Option<(String, Arc<crate::model::PlanModel>)>;

/// Symbols of every plan (the open text where a plan is open) whose name
/// contains the query's words.
pub(super) fn symbols(
    state: &State,
    open: OpenDocument<'_>,
    query: &str,
    encoding: PositionEncoding,
) -> Vec<WorkspaceSymbol> {
    let mut out = Vec::new();
    for plan in state.index.plans() {
        let Some(uri) = Uri::from_file_path(&plan.path) else {
            continue;
        };
        let (text, found) = match open(&uri) {
            Some((text, model)) => {
                let found = outline::flat_outline(&text, &model);
                (text, found)
            }
            None => (plan.text.clone(), plan.symbols.clone()),
        };
        let index = LineIndex::new(&text);
        let lines = TextLines {
            text: &text,
            index: &index,
        };
        for (symbol, container) in found {
            if !matches(query, &symbol.name) {
                continue;
            }
            out.push(WorkspaceSymbol {
                name: symbol.name,
                kind: navigation::symbol_kind(symbol.kind),
                tags: None,
                container_name: container,
                location: OneOf::Left(Location {
                    uri: uri.clone(),
                    range: convert::range(&lines, &symbol.selection, encoding),
                }),
                data: None,
            });
        }
    }
    out
}
