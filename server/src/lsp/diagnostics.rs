//! Diagnostics: computed from the engine's outcome of a document, and
//! delivered the one way the client asked for ([`DiagnosticMode`]): pushed
//! by a single publisher task, or answered when pulled. Every "something
//! changed" in the server goes through the functions here, so the push or
//! pull decision is taken in this file only.

use std::panic::AssertUnwindSafe;
use std::sync::Arc;

use tokio::sync::mpsc;
use tower_lsp_server::Client;
use tower_lsp_server::ls_types::{Diagnostic, Uri};

use crate::checker::{self, Source};
use crate::index::IndexedPlan;
use crate::store::DocumentStore;
use crate::text::{LineIndex, PositionEncoding, TextLines};

use super::client_capabilities::DiagnosticMode;
use super::convert;
use super::session::{Backend, State};

/// The diagnostics of an open document, with the version they are for,
/// checked where the store holds it: the message loop, which applies edits,
/// is the thread running this, so no edit waits for the check. `None` when
/// it is not open or a rule panicked (logged; the server keeps serving).
pub(super) fn compute(
    store: &DocumentStore,
    state: &State,
    uri: &str,
) -> Option<(Vec<Diagnostic>, i32)> {
    let ctx = state.context_of(uri);
    let encoding = state.capabilities().position_encoding;
    if let Some(answer) = from_the_index(store, state, uri, &ctx, encoding) {
        return Some(answer);
    }
    let doc = store.get(uri)?;
    let result = std::panic::catch_unwind(AssertUnwindSafe(|| {
        let now = jiff::Timestamp::now();
        let found =
            checker::outcome(Source::Open(&doc), &ctx, Some(&state.paths), now).into_diagnostics();
        if found.is_empty() {
            return Vec::new();
        }
        // The document's line index, which the requests after this keystroke
        // use too.
        let lines = doc.lines();
        found
            .iter()
            .map(|d| convert::diagnostic(&lines, d, encoding))
            .collect()
    }));
    match result {
        Ok(diagnostics) => Some((diagnostics, doc.version())),
        Err(_) => {
            eprintln!(
                "execplan-ls: internal error while checking {uri}; diagnostics for it are withheld until the next edit"
            );
            None
        }
    }
}

/// The first diagnostics of a plan just opened, from the check the
/// workspace index kept of it ([`Seed`](super::session::Seed)), when the
/// document is still at the version it was opened with and nothing the
/// findings depend on changed; `None` otherwise (the document is checked).
/// No model is built: the document's is built when first needed.
fn from_the_index(
    store: &DocumentStore,
    state: &State,
    uri: &str,
    ctx: &crate::checker::PlanContext,
    encoding: PositionEncoding,
) -> Option<(Vec<Diagnostic>, i32)> {
    let (_, seed) = state.seeds.remove(uri)?;
    let doc = store.get(uri)?;
    if doc.version() != seed.version {
        return None;
    }
    let result = std::panic::catch_unwind(AssertUnwindSafe(|| {
        let found = state.index.answer_open(
            &seed.plan,
            doc.text(),
            ctx,
            seed.settings,
            &state.paths,
            jiff::Timestamp::now(),
        )?;
        let lines = doc.lines();
        Some(
            found
                .iter()
                .map(|d| convert::diagnostic(&lines, d, encoding))
                .collect(),
        )
    }));
    Some((result.ok()??, doc.version()))
}

/// Diagnostics of an indexed plan (not open), as LSP values.
pub(super) fn of_indexed_plan(plan: &IndexedPlan, encoding: PositionEncoding) -> Vec<Diagnostic> {
    let (text, found) = plan.diagnostics(jiff::Timestamp::now());
    let index = LineIndex::new(&text);
    let lines = TextLines {
        text: &text,
        index: &index,
    };
    found
        .iter()
        .map(|d| convert::diagnostic(&lines, d, encoding))
        .collect()
}

/// Whether the user asked for diagnostics of plans that are not open, in a
/// client that only takes pushed diagnostics.
pub(super) fn pushes_closed_plans(state: &State) -> bool {
    state.capabilities().diagnostics == DiagnosticMode::Push
        && state.editor_layer().and_then(|l| l.workspace_diagnostics) == Some(true)
}

/// Publishes diagnostics in push mode, in order, always from the latest
/// state: handlers only queue the URI.
pub(super) async fn publisher(
    client: Client,
    store: Arc<DocumentStore>,
    state: Arc<State>,
    mut rx: mpsc::UnboundedReceiver<String>,
) {
    while let Some(first) = rx.recv().await {
        // An editor sends its requests right after the change (the outline,
        // hovers): let the message loop read what has already arrived and
        // answer it before the check takes the thread. The change is applied
        // already, so the answers are of the new text.
        tokio::task::yield_now().await;
        let mut pending = vec![first];
        while let Ok(more) = rx.try_recv() {
            if !pending.contains(&more) {
                pending.push(more);
            }
        }
        for uri_text in pending {
            let Ok(uri) = uri_text.parse::<Uri>() else {
                continue;
            };
            match compute(&store, &state, &uri_text) {
                Some((diagnostics, version)) => {
                    client
                        .publish_diagnostics(uri, diagnostics, Some(version))
                        .await
                }
                None if store.get(&uri_text).is_none() => {
                    // Not open: the index's diagnostics when the user asked
                    // for closed plans, else none.
                    let encoding = state.capabilities().position_encoding;
                    let indexed = pushes_closed_plans(&state)
                        .then(|| uri.to_file_path().and_then(|p| state.index.get(&p)))
                        .flatten();
                    let diagnostics = indexed
                        .map(|plan| of_indexed_plan(&plan, encoding))
                        .unwrap_or_default();
                    client.publish_diagnostics(uri, diagnostics, None).await
                }
                None => {}
            }
        }
    }
}

/// Asks a pulling client to pull again, when it lets the server ask.
pub(super) async fn ask_to_pull_again(client: &Client, state: &State) {
    if state.capabilities().workspace_diagnostic_refresh {
        let _ = client.workspace_diagnostic_refresh().await;
    }
}

/// After the workspace index changed: pulling clients are asked to pull
/// again; pushing clients that opted in get every indexed plan published.
pub(super) async fn index_changed(
    client: &Client,
    state: &State,
    publish: &mpsc::UnboundedSender<String>,
) {
    match state.capabilities().diagnostics {
        DiagnosticMode::Pull => ask_to_pull_again(client, state).await,
        DiagnosticMode::Push if pushes_closed_plans(state) => {
            for plan in state.index.plans() {
                if let Some(uri) = Uri::from_file_path(&plan.path) {
                    let _ = publish.send(uri.to_string());
                }
            }
        }
        DiagnosticMode::Push => {}
    }
}

impl Backend {
    /// One document changed (opened, edited, saved, closed): a push client
    /// gets it published (cleared when closed); a pull client asks itself.
    pub(super) fn diagnostics_changed(&self, uri: &Uri) {
        if self.capabilities().diagnostics == DiagnosticMode::Push {
            let _ = self.publish.send(uri.to_string());
        }
    }

    /// Files on disk changed: those of `touched` are published again, or a
    /// pulling client is asked to pull.
    pub(super) async fn files_diagnostics_changed(&self, touched: Vec<Uri>) {
        match self.capabilities().diagnostics {
            DiagnosticMode::Pull if !touched.is_empty() => {
                ask_to_pull_again(&self.client, &self.state).await
            }
            DiagnosticMode::Pull => {}
            DiagnosticMode::Push => {
                for uri in touched {
                    let _ = self.publish.send(uri.to_string());
                }
            }
        }
    }

    /// Settings changed: every open document may read differently.
    pub(super) async fn all_diagnostics_changed(&self) {
        match self.capabilities().diagnostics {
            DiagnosticMode::Pull => ask_to_pull_again(&self.client, &self.state).await,
            DiagnosticMode::Push => {
                for uri in self.store.uris() {
                    let _ = self.publish.send(uri);
                }
            }
        }
    }
}
