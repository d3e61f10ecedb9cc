//! The server's state: the open documents, what the client supports, the
//! workspace folders and settings, each open document's resolved context,
//! and the workspace index. Handlers reach it through [`Backend`].

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex, OnceLock, RwLock};

use dashmap::DashMap;
use tokio::sync::mpsc;
use tower_lsp_server::Client;
use tower_lsp_server::ls_types::{MessageType, Uri};

use crate::checker::PlanContext;
use crate::config::{ConfigError, ConfigLayer};
use crate::store::DocumentStore;
use crate::workspace::PathCache;

use super::client_capabilities::ResolvedClientCapabilities;
use super::heap;

/// A document's plan detection, remembered for one version of its text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Verdict {
    pub version: i32,
    /// The text's length: a client that repeats a version with other text
    /// is then still detected again (nearly always).
    pub len: usize,
    pub is_plan: bool,
}

/// A plan the editor opened with the workspace index's check of it, to
/// answer its first diagnostics from ([`crate::index::WorkspaceIndex::answer_open`]).
pub(super) struct Seed {
    /// The document's version when it was opened.
    pub version: i32,
    /// The plan as the index held it.
    pub plan: Arc<crate::index::IndexedPlan>,
    /// What the document's settings are made of, the same before and after
    /// its context was resolved.
    pub settings: u128,
}

#[derive(Default)]
pub struct State {
    /// What the client supports, resolved once at `initialize`.
    capabilities: OnceLock<ResolvedClientCapabilities>,
    pub(super) roots: RwLock<Vec<PathBuf>>,
    pub(super) editor_config: RwLock<Option<ConfigLayer>>,
    /// The resolved context of each open document.
    pub(super) contexts: DashMap<String, PlanContext>,
    /// Whether each open document is a plan, as last decided for one
    /// version of its text under its context ([`super::request::on_plan`]).
    /// An entry goes when the document's context is resolved again or the
    /// document is closed.
    pub(super) verdicts: DashMap<String, Verdict>,
    /// Documents just opened whose first diagnostics the index's check may
    /// give; taken by the first diagnostics computed, dropped when the
    /// context is resolved again or the document closes.
    pub(super) seeds: DashMap<String, Seed>,
    /// Configuration errors already shown, so each is shown once.
    shown_errors: Mutex<HashSet<String>>,
    /// Every plan under the workspace folders, open or not.
    pub(super) index: Arc<crate::index::WorkspaceIndex>,
    /// Set by `shutdown`; `exit` without it ends the process with status 1.
    pub(super) shutdown_requested: Arc<AtomicBool>,
    /// Whether paths plans name exist, remembered for a moment.
    pub(super) paths: PathCache,
    /// Returns freed memory to the system when things are quiet.
    pub(super) trimmer: heap::Trimmer,
}

impl State {
    pub(super) fn new(shutdown_requested: Arc<AtomicBool>) -> State {
        State {
            shutdown_requested,
            ..State::default()
        }
    }

    /// What the client supports; the plainest client before `initialize`.
    pub(super) fn capabilities(&self) -> &ResolvedClientCapabilities {
        self.capabilities
            .get_or_init(ResolvedClientCapabilities::default)
    }

    pub(super) fn set_capabilities(&self, caps: ResolvedClientCapabilities) {
        // `initialize` comes once; the framework refuses a second one.
        let _ = self.capabilities.set(caps);
    }

    /// The settings the editor sent, if any.
    pub(super) fn editor_layer(&self) -> Option<ConfigLayer> {
        self.editor_config
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// What the server knows of an open document; defaults for one it does not.
    pub(super) fn context_of(&self, uri: &str) -> PlanContext {
        self.contexts
            .get(uri)
            .map(|c| c.clone())
            .unwrap_or_default()
    }
}

pub struct Backend {
    pub(super) client: Client,
    pub(super) store: Arc<DocumentStore>,
    pub(super) state: Arc<State>,
    /// URIs whose diagnostics the publisher should push.
    pub(super) publish: mpsc::UnboundedSender<String>,
}

pub(super) fn uri_path(uri: &Uri) -> Option<PathBuf> {
    uri.to_file_path().map(|p| p.into_owned())
}

impl Backend {
    pub(super) fn capabilities(&self) -> &ResolvedClientCapabilities {
        self.state.capabilities()
    }

    /// Resolves where a document sits and which configuration applies, and
    /// remembers it for the document.
    pub(super) fn refresh_context(&self, uri: &Uri) -> Vec<ConfigError> {
        let path = uri_path(uri);
        let root = path.as_deref().and_then(|path| {
            self.state
                .roots
                .read()
                .unwrap_or_else(|e| e.into_inner())
                .iter()
                .filter(|r| path.starts_with(r))
                .max_by_key(|r| r.as_os_str().len())
                .cloned()
        });
        let editor = self.state.editor_layer();
        let (ctx, errors) = PlanContext::resolve(path.as_deref(), root.as_deref(), editor.as_ref());
        self.state.contexts.insert(uri.to_string(), ctx);
        self.state.verdicts.remove(uri.as_str());
        self.state.seeds.remove(uri.as_str());
        errors
    }

    pub(super) async fn report_config_errors(&self, errors: Vec<ConfigError>) {
        for error in errors {
            let text = format!(
                "execplan-ls: configuration problem, defaults stay in force for it: {error}"
            );
            let first_time = self
                .state
                .shown_errors
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .insert(text.clone());
            self.client.log_message(MessageType::ERROR, &text).await;
            if first_time {
                self.client.show_message(MessageType::ERROR, &text).await;
            }
        }
    }

    /// Re-resolves every open document's configuration and rechecks it.
    pub(super) async fn refresh_all(&self) {
        let mut errors = Vec::new();
        for uri in self.store.uris() {
            if let Ok(parsed) = uri.parse::<Uri>() {
                errors.extend(self.refresh_context(&parsed));
            }
        }
        self.report_config_errors(errors).await;
        self.all_diagnostics_changed().await;
    }
}
