//! The LSP front end: the only module that knows LSP types.
//!
//! - [`router`] sends each method to its file in [`handlers`] (one per
//!   method; `docs/architecture.md` has the table).
//! - [`request`] is the helper every document request goes through (the
//!   "is this a plan?" check, panics caught, `null` for other documents).
//! - [`convert`] builds every LSP value; [`client_capabilities`] is what
//!   the client supports, resolved once; [`server_capabilities`] is what
//!   the server declares.
//! - [`session`] holds the state; [`diagnostics`] computes diagnostics and
//!   delivers them pushed or pulled; [`workspace_index`] indexes the
//!   workspace in the background; [`transport`] (framing that survives
//!   malformed messages), [`stdio`] and [`heap`] are the process's plumbing.

mod client_capabilities;
mod convert;
mod diagnostics;
mod handlers;
mod heap;
mod request;
mod router;
mod server_capabilities;
mod session;
mod stdio;
mod transport;
mod workspace_index;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use tokio::sync::mpsc;
use tower_lsp_server::LspService;

use crate::store::DocumentStore;

pub use handlers::code_action::FIX_ALL_KIND;
pub use session::Backend;
use session::State;

/// Serves LSP on stdin/stdout until the client exits or stdin closes.
/// Returns whether the client asked for a shutdown first: the protocol wants
/// exit status 0 after `shutdown` and 1 without it.
pub async fn serve_stdio() -> bool {
    let shutdown = Arc::new(AtomicBool::new(false));
    let (service, socket) = service_with(Arc::clone(&shutdown));
    transport::serve(stdio::input(), stdio::output(), service, socket).await;
    shutdown.load(Ordering::SeqCst)
}

/// The server as a tower service, for stdio or for tests over a pipe.
pub fn service() -> (LspService<Backend>, tower_lsp_server::ClientSocket) {
    service_with(Arc::new(AtomicBool::new(false)))
}

fn service_with(
    shutdown_requested: Arc<AtomicBool>,
) -> (LspService<Backend>, tower_lsp_server::ClientSocket) {
    LspService::new(move |client| {
        let store = Arc::new(DocumentStore::new());
        let state = Arc::new(State::new(shutdown_requested));
        let (tx, rx) = mpsc::unbounded_channel();
        tokio::spawn(diagnostics::publisher(
            client.clone(),
            Arc::clone(&store),
            Arc::clone(&state),
            rx,
        ));
        let trimming = Arc::clone(&state);
        tokio::spawn(async move { trimming.trimmer.run().await });
        Backend {
            client,
            store,
            state,
            publish: tx,
        }
    })
}
