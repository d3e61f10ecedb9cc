//! The LSP front end: the only module that knows LSP types. It keeps the
//! document store in sync, and publishes (push) or answers (pull) the
//! diagnostics that [`crate::checker`] computes.

mod convert;
mod heap;
mod navigation;
mod stdio;
mod transport;
mod workspace_index;

use std::collections::HashSet;
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, RwLock};

use dashmap::DashMap;
use tokio::sync::mpsc;
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer, LspService};

use crate::checker;
use crate::config::{self, ConfigError, ConfigLayer, Settings};
use crate::document::ContentChange;
use crate::store::DocumentStore;
use crate::text::{LineIndex, PositionEncoding, TextLines};
use crate::workspace::{PathCache, PlanEnv};

/// The code action kind of "fix all" for ExecPlans.
pub const FIX_ALL_KIND: &str = "source.fixAll.execplan";

/// What the server knows about one open document beyond its text.
#[derive(Clone, Debug, Default)]
struct DocContext {
    path: Option<PathBuf>,
    env: PlanEnv,
    settings: Arc<Settings>,
}

#[derive(Default)]
struct State {
    encoding: RwLock<PositionEncoding>,
    /// Whether the client pulls diagnostics (`textDocument/diagnostic`).
    pull: RwLock<bool>,
    roots: RwLock<Vec<PathBuf>>,
    editor_config: RwLock<Option<ConfigLayer>>,
    contexts: DashMap<String, DocContext>,
    /// Configuration errors already shown, so each is shown once.
    shown_errors: Mutex<HashSet<String>>,
    /// Whether the client may register file watchers dynamically.
    can_watch_files: AtomicBool,
    /// Whether completion items may be snippets.
    snippets: AtomicBool,
    /// Every plan under the workspace folders, open or not.
    index: Arc<crate::index::WorkspaceIndex>,
    /// Whether the client shows `$/progress` begun by the server.
    work_done_progress: AtomicBool,
    /// Set by `shutdown`; `exit` without it ends the process with status 1.
    shutdown_requested: Arc<AtomicBool>,
    /// Whether paths plans name exist, remembered for a moment.
    paths: PathCache,
    /// Returns freed memory to the system when things are quiet.
    trimmer: heap::Trimmer,
}

impl State {
    /// The settings the editor sent, if any.
    fn editor_layer(&self) -> Option<ConfigLayer> {
        self.editor_config
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }
}

pub struct Backend {
    client: Client,
    store: Arc<DocumentStore>,
    state: Arc<State>,
    publish: mpsc::UnboundedSender<String>,
}

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
        let state = Arc::new(State {
            shutdown_requested,
            ..State::default()
        });
        let (tx, rx) = mpsc::unbounded_channel();
        tokio::spawn(publisher(
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

/// Whether an open document is a plan, judged on the model it already has
/// (the same discovery `check` and the workspace index use).
fn is_plan(
    path: Option<&std::path::Path>,
    text: &str,
    model: &crate::model::PlanModel,
    ctx: &DocContext,
) -> bool {
    crate::discovery::classify(path, text, Some(model), &ctx.env, &ctx.settings)
        .detection
        .is_plan()
}

/// What the server knows of an open document; defaults for one it does not.
fn context_of(state: &State, uri: &str) -> DocContext {
    state
        .contexts
        .get(uri)
        .map(|c| c.clone())
        .unwrap_or_default()
}

impl DocContext {
    /// The author for new entries: configuration, else git `user.name`.
    fn author(&self) -> Option<String> {
        self.settings
            .author
            .clone()
            .or_else(|| crate::workspace::git_user_name(self.env.root.as_deref()))
    }
}

/// Runs a request's work, turning a panic into an internal error answer so
/// the server keeps serving; an empty result answers `null`.
fn guarded<T>(work: impl FnOnce() -> Vec<T>) -> Result<Option<Vec<T>>> {
    match std::panic::catch_unwind(AssertUnwindSafe(work)) {
        Ok(items) if items.is_empty() => Ok(None),
        Ok(items) => Ok(Some(items)),
        Err(_) => Err(tower_lsp_server::jsonrpc::Error::internal_error()),
    }
}

fn uri_path(uri: &Uri) -> Option<PathBuf> {
    uri.to_file_path().map(|p| p.into_owned())
}

/// The diagnostics of an open document, with the version they are for. The
/// document is copied out of the store first, so edits arriving during the
/// check are not held up by it.
fn compute(store: &DocumentStore, state: &State, uri: &str) -> Option<(Vec<Diagnostic>, i32)> {
    let doc = store.get(uri)?.snapshot();
    let ctx = context_of(state, uri);
    let encoding = *state.encoding.read().unwrap_or_else(|e| e.into_inner());
    let result = std::panic::catch_unwind(AssertUnwindSafe(|| {
        let path = ctx.path.as_deref();
        let found = match path
            .and_then(|p| checker::agents_md_diagnostics(&doc.text, p, &ctx.env, &ctx.settings))
        {
            Some(found) => found,
            None if !is_plan(path, &doc.text, &doc.model, &ctx) => {
                return Vec::new();
            }
            None => {
                let now = jiff::Timestamp::now();
                checker::document_diagnostics(
                    &doc,
                    &state.paths,
                    path,
                    &ctx.env,
                    &ctx.settings,
                    now,
                )
            }
        };
        let index = LineIndex::new(&doc.text);
        let lines = TextLines {
            text: &doc.text,
            index: &index,
        };
        found
            .iter()
            .map(|d| convert::diagnostic(&lines, d, encoding))
            .collect()
    }));
    match result {
        Ok(diagnostics) => Some((diagnostics, doc.version)),
        Err(_) => {
            eprintln!(
                "execplan-ls: internal error while checking {uri}; diagnostics for it are withheld until the next edit"
            );
            None
        }
    }
}

/// Publishes diagnostics in push mode, in order, always from the latest
/// state: handlers only queue the URI.
async fn publisher(
    client: Client,
    store: Arc<DocumentStore>,
    state: Arc<State>,
    mut rx: mpsc::UnboundedReceiver<String>,
) {
    while let Some(first) = rx.recv().await {
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
                    let encoding = *state.encoding.read().unwrap_or_else(|e| e.into_inner());
                    let indexed = workspace_index::pushes_closed_plans(&state)
                        .then(|| uri.to_file_path().and_then(|p| state.index.get(&p)))
                        .flatten();
                    let diagnostics = indexed
                        .map(|plan| workspace_index::plan_diagnostics(&plan, encoding))
                        .unwrap_or_default();
                    client.publish_diagnostics(uri, diagnostics, None).await
                }
                None => {}
            }
        }
    }
}

impl Backend {
    fn encoding(&self) -> PositionEncoding {
        *self
            .state
            .encoding
            .read()
            .unwrap_or_else(|e| e.into_inner())
    }

    /// Runs `work` on an open document that is a plan, guarded against
    /// panics; documents that are not plans answer `null`.
    fn with_plan<T>(
        &self,
        uri: &Uri,
        work: impl FnOnce(&crate::document::Document, &DocContext, PositionEncoding) -> Vec<T>,
    ) -> Result<Option<Vec<T>>> {
        let key = uri.as_str();
        let ctx = context_of(&self.state, key);
        let encoding = self.encoding();
        let Some(doc) = self.store.get(key) else {
            return Ok(None);
        };
        guarded(|| {
            if !is_plan(ctx.path.as_deref(), doc.text(), doc.model(), &ctx) {
                return Vec::new();
            }
            work(&doc, &ctx, encoding)
        })
    }

    /// A position in an open document as a byte offset, clamped.
    fn offset_of(&self, uri: &Uri, position: Position) -> Option<usize> {
        let doc = self.store.get(uri.as_str())?;
        Some(crate::text::position_to_offset(
            doc.rope(),
            convert::to_text_position(position),
            self.encoding(),
        ))
    }

    fn pull(&self) -> bool {
        *self.state.pull.read().unwrap_or_else(|e| e.into_inner())
    }

    /// Resolves where a document sits and which configuration applies.
    fn resolve_context(&self, uri: &Uri) -> (DocContext, Vec<ConfigError>) {
        let Some(path) = uri_path(uri) else {
            let editor = self.state.editor_layer();
            let (settings, errors) = Settings::resolve(editor.as_ref(), None);
            return (
                DocContext {
                    path: None,
                    env: PlanEnv::default(),
                    settings: Arc::new(settings),
                },
                errors,
            );
        };
        let roots = self
            .state
            .roots
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        let root = roots
            .iter()
            .filter(|r| path.starts_with(r))
            .max_by_key(|r| r.as_os_str().len())
            .cloned();
        let editor = self.state.editor_layer();
        let dir = path.parent().unwrap_or(Path::new("/"));
        let (settings, errors) = config::load_for_dir(dir, editor.as_ref());
        let env = PlanEnv::discover(&path, root.as_deref(), settings.plans_md.as_deref());
        (
            DocContext {
                path: Some(path),
                env,
                settings: Arc::new(settings),
            },
            errors,
        )
    }

    fn refresh_context(&self, uri: &Uri) -> Vec<ConfigError> {
        let (ctx, errors) = self.resolve_context(uri);
        self.state.contexts.insert(uri.to_string(), ctx);
        errors
    }

    async fn report_config_errors(&self, errors: Vec<ConfigError>) {
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

    /// Queues a publish (push mode) or asks the client to pull again.
    async fn diagnostics_changed(&self, uri: &Uri) {
        if !self.pull() {
            let _ = self.publish.send(uri.to_string());
        }
    }

    /// Re-resolves every open document's configuration and rechecks it.
    async fn refresh_all(&self) {
        let mut errors = Vec::new();
        for uri in self.store.uris() {
            if let Ok(parsed) = uri.parse::<Uri>() {
                errors.extend(self.refresh_context(&parsed));
            }
        }
        self.report_config_errors(errors).await;
        self.all_diagnostics_changed().await;
    }

    async fn all_diagnostics_changed(&self) {
        if self.pull() {
            let _ = self.client.workspace_diagnostic_refresh().await;
        } else {
            for uri in self.store.uris() {
                let _ = self.publish.send(uri);
            }
        }
    }
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let offers_utf8 = params
            .capabilities
            .general
            .as_ref()
            .and_then(|g| g.position_encodings.as_ref())
            .is_some_and(|encodings| encodings.contains(&PositionEncodingKind::UTF8));
        let encoding = if offers_utf8 {
            PositionEncoding::Utf8
        } else {
            PositionEncoding::Utf16
        };
        *self
            .state
            .encoding
            .write()
            .unwrap_or_else(|e| e.into_inner()) = encoding;
        let pull = params
            .capabilities
            .text_document
            .as_ref()
            .and_then(|t| t.diagnostic.as_ref())
            .is_some();
        *self.state.pull.write().unwrap_or_else(|e| e.into_inner()) = pull;
        let can_watch = params
            .capabilities
            .workspace
            .as_ref()
            .and_then(|w| w.did_change_watched_files.as_ref())
            .and_then(|w| w.dynamic_registration)
            .unwrap_or(false);
        self.state
            .can_watch_files
            .store(can_watch, Ordering::SeqCst);
        let snippets = params
            .capabilities
            .text_document
            .as_ref()
            .and_then(|t| t.completion.as_ref())
            .and_then(|c| c.completion_item.as_ref())
            .and_then(|i| i.snippet_support)
            .unwrap_or(false);
        self.state.snippets.store(snippets, Ordering::SeqCst);

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
        self.state.index.set_roots(roots.clone());
        *self.state.roots.write().unwrap_or_else(|e| e.into_inner()) = roots;
        let work_done_progress = params
            .capabilities
            .window
            .as_ref()
            .and_then(|w| w.work_done_progress)
            .unwrap_or(false);
        self.state
            .work_done_progress
            .store(work_done_progress, Ordering::SeqCst);

        if let Some(options) = &params.initialization_options {
            match config::parse_editor_settings(options) {
                Ok(layer) => {
                    *self
                        .state
                        .editor_config
                        .write()
                        .unwrap_or_else(|e| e.into_inner()) = layer
                }
                Err(e) => self.report_config_errors(vec![e]).await,
            }
        }

        Ok(InitializeResult {
            capabilities: ServerCapabilities {
                position_encoding: Some(if offers_utf8 {
                    PositionEncodingKind::UTF8
                } else {
                    PositionEncodingKind::UTF16
                }),
                text_document_sync: Some(TextDocumentSyncCapability::Options(
                    TextDocumentSyncOptions {
                        open_close: Some(true),
                        change: Some(TextDocumentSyncKind::INCREMENTAL),
                        save: Some(TextDocumentSyncSaveOptions::Supported(true)),
                        ..Default::default()
                    },
                )),
                completion_provider: Some(CompletionOptions {
                    trigger_characters: Some(vec!["#".to_string(), "[".to_string()]),
                    ..Default::default()
                }),
                code_action_provider: Some(CodeActionProviderCapability::Options(
                    CodeActionOptions {
                        code_action_kinds: Some(vec![
                            CodeActionKind::QUICKFIX,
                            CodeActionKind::REFACTOR_REWRITE,
                            CodeActionKind::new(FIX_ALL_KIND),
                        ]),
                        resolve_provider: Some(false),
                        work_done_progress_options: Default::default(),
                    },
                )),
                document_symbol_provider: Some(OneOf::Left(true)),
                folding_range_provider: Some(FoldingRangeProviderCapability::Simple(true)),
                hover_provider: Some(HoverProviderCapability::Simple(true)),
                code_lens_provider: Some(CodeLensOptions {
                    resolve_provider: Some(false),
                }),
                document_link_provider: Some(DocumentLinkOptions {
                    resolve_provider: Some(false),
                    work_done_progress_options: Default::default(),
                }),
                definition_provider: Some(OneOf::Left(true)),
                workspace_symbol_provider: Some(OneOf::Left(true)),
                diagnostic_provider: pull.then(|| {
                    DiagnosticServerCapabilities::Options(DiagnosticOptions {
                        identifier: Some(convert::SOURCE.to_string()),
                        inter_file_dependencies: false,
                        workspace_diagnostics: true,
                        work_done_progress_options: Default::default(),
                    })
                }),
                ..Default::default()
            },
            server_info: Some(ServerInfo {
                name: "execplan-ls".to_string(),
                version: Some(env!("CARGO_PKG_VERSION").to_string()),
            }),
            offset_encoding: None,
        })
    }

    async fn initialized(&self, _: InitializedParams) {
        if self.state.can_watch_files.load(Ordering::SeqCst) {
            // Configuration and PLANS.md changes on disk change diagnostics.
            let watchers = [
                format!("**/{}", config::CONFIG_FILE_NAME),
                "**/*.md".to_string(),
            ]
            .into_iter()
            .map(|glob| FileSystemWatcher {
                glob_pattern: GlobPattern::String(glob),
                kind: None,
            })
            .collect();
            let registration = Registration {
                id: "execplan-ls-watch".to_string(),
                method: "workspace/didChangeWatchedFiles".to_string(),
                register_options: serde_json::to_value(DidChangeWatchedFilesRegistrationOptions {
                    watchers,
                })
                .ok(),
            };
            if let Err(e) = self.client.register_capability(vec![registration]).await {
                let message = format!("execplan-ls: could not watch configuration files: {e}");
                self.client.log_message(MessageType::WARNING, message).await;
            }
        }
        self.client
            .log_message(
                MessageType::INFO,
                format!("execplan-ls {} ready", env!("CARGO_PKG_VERSION")),
            )
            .await;
        tokio::spawn(workspace_index::index_workspace(
            self.client.clone(),
            Arc::clone(&self.state),
            self.publish.clone(),
        ));
    }

    async fn shutdown(&self) -> Result<()> {
        self.state.shutdown_requested.store(true, Ordering::SeqCst);
        Ok(())
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        // Files appeared or went: paths plans name may resolve differently.
        self.state.paths.clear();
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
            self.refresh_all().await;
            tokio::spawn(workspace_index::index_workspace(
                self.client.clone(),
                Arc::clone(&self.state),
                self.publish.clone(),
            ));
            return;
        }
        let touched = workspace_index::files_changed(&self.state, &params.changes).await;
        if self.pull() {
            if !touched.is_empty() {
                let _ = self.client.workspace_diagnostic_refresh().await;
            }
        } else {
            for uri in touched {
                let _ = self.publish.send(uri.to_string());
            }
        }
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        // Applied before the first await, so notifications keep their order.
        let doc = params.text_document;
        let key = doc.uri.to_string();
        self.store.open(&key, doc.text, doc.version);
        if let Some(path) = uri_path(&doc.uri) {
            self.state.index.set_open(&path, true);
        }
        let errors = self.refresh_context(&doc.uri);
        self.diagnostics_changed(&doc.uri).await;
        self.report_config_errors(errors).await;
        // The index let go of the plan's text, and the store may have
        // dropped another document's tree.
        self.state.trimmer.request();
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let uri = params.text_document.uri;
        let changes: Vec<ContentChange> = params
            .content_changes
            .into_iter()
            .map(|c| ContentChange {
                range: c.range.map(|r| {
                    (
                        convert::to_text_position(r.start),
                        convert::to_text_position(r.end),
                    )
                }),
                text: c.text,
            })
            .collect();
        let result = self.store.change(
            uri.as_str(),
            params.text_document.version,
            &changes,
            self.encoding(),
        );
        if let Err(e) = result {
            self.client
                .log_message(
                    MessageType::WARNING,
                    format!("execplan-ls: {}: {e}", uri.as_str()),
                )
                .await;
            return;
        }
        if !self.state.contexts.contains_key(uri.as_str()) {
            self.refresh_context(&uri);
        }
        if self.store.take_dropped_trees() {
            self.state.trimmer.request();
        }
        self.diagnostics_changed(&uri).await;
    }

    async fn did_save(&self, params: DidSaveTextDocumentParams) {
        self.state.paths.clear();
        let errors = self.refresh_context(&params.text_document.uri);
        self.report_config_errors(errors).await;
        self.diagnostics_changed(&params.text_document.uri).await;
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        self.store.close(uri.as_str());
        self.state.contexts.remove(uri.as_str());
        if let Some(path) = uri_path(&uri) {
            // The index lent the plan to the editor: read it from disk again.
            self.state.index.set_open(&path, false);
            if self.state.index.get(&path).is_some() {
                let index = Arc::clone(&self.state.index);
                let editor = self.state.editor_layer();
                let _ = tokio::task::spawn_blocking(move || index.refresh(&path, editor.as_ref()))
                    .await;
            }
        }
        if !self.pull() {
            // The publisher clears diagnostics of documents no longer open.
            let _ = self.publish.send(uri.to_string());
        }
        self.state.trimmer.request();
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        match config::parse_editor_settings(&params.settings) {
            Ok(layer) => {
                if layer.is_some() {
                    *self
                        .state
                        .editor_config
                        .write()
                        .unwrap_or_else(|e| e.into_inner()) = layer;
                }
            }
            Err(e) => self.report_config_errors(vec![e]).await,
        }
        self.refresh_all().await;
    }

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        let uri = params.text_document_position.text_document.uri;
        let key = uri.to_string();
        let encoding = self.encoding();
        let snippets = self.state.snippets.load(Ordering::SeqCst);
        let ctx = context_of(&self.state, &key);
        let Some(doc) = self.store.get(&key) else {
            return Ok(None);
        };
        let position = convert::to_text_position(params.text_document_position.position);
        let result = guarded(|| {
            let path = ctx.path.as_deref();
            // An empty file is where a plan starts: offer the skeleton there too.
            let is_plan =
                is_plan(path, doc.text(), doc.model(), &ctx) || doc.text().trim().is_empty();
            if !is_plan {
                return Vec::new();
            }
            let offset = crate::text::position_to_offset(doc.rope(), position, encoding);
            let author = ctx.author();
            let cx = crate::analysis::completion::CompletionContext {
                now: jiff::Timestamp::now(),
                author: author.as_deref(),
                skeleton: ctx
                    .env
                    .skeleton
                    .as_deref()
                    .unwrap_or(crate::model::Skeleton::canonical()),
            };
            crate::analysis::completion::complete(doc.text(), doc.model(), offset, &cx)
                .into_iter()
                .map(|c| CompletionItem {
                    label: c.label.clone(),
                    detail: Some(c.detail),
                    kind: Some(CompletionItemKind::SNIPPET),
                    sort_text: Some(format!("{:03}", c.rank)),
                    filter_text: Some(c.label),
                    insert_text_format: Some(if snippets {
                        InsertTextFormat::SNIPPET
                    } else {
                        InsertTextFormat::PLAIN_TEXT
                    }),
                    text_edit: Some(CompletionTextEdit::Edit(TextEdit {
                        range: convert::range(&doc.lines(), &c.replace, encoding),
                        new_text: if snippets { c.snippet } else { c.text },
                    })),
                    ..Default::default()
                })
                .collect::<Vec<_>>()
        });
        result.map(|items| items.map(CompletionResponse::Array))
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        let uri = params.text_document.uri;
        let key = uri.to_string();
        let encoding = self.encoding();
        let ctx = context_of(&self.state, &key);
        let Some(doc) = self.store.get(&key) else {
            return Ok(None);
        };
        let wanted = |kind: &CodeActionKind| {
            params.context.only.as_ref().is_none_or(|only| {
                only.iter().any(|o| {
                    kind.as_str() == o.as_str()
                        || kind.as_str().starts_with(&format!("{}.", o.as_str()))
                })
            })
        };
        guarded(|| {
            let path = ctx.path.as_deref();
            if !is_plan(path, doc.text(), doc.model(), &ctx) {
                return Vec::new();
            }
            let rope = doc.rope();
            let start = crate::text::position_to_offset(
                rope,
                convert::to_text_position(params.range.start),
                encoding,
            );
            let end = crate::text::position_to_offset(
                rope,
                convert::to_text_position(params.range.end),
                encoding,
            );
            let range = start.min(end)..start.max(end);
            let lines = doc.lines();
            let now = jiff::Timestamp::now();
            let diagnostics = checker::document_diagnostics(
                &doc.snapshot(),
                &self.state.paths,
                path,
                &ctx.env,
                &ctx.settings,
                now,
            );
            let edit = |edits: &[crate::analysis::Edit]| {
                convert::workspace_edit(&uri, doc.version(), &lines, edits, encoding)
            };
            let mut actions = Vec::new();
            if wanted(&CodeActionKind::QUICKFIX) {
                for d in &diagnostics {
                    let Some(fix) = &d.fix else { continue };
                    let touches = d.span.start <= range.end && range.start <= d.span.end;
                    if !touches {
                        continue;
                    }
                    actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                        title: fix.title.clone(),
                        kind: Some(CodeActionKind::QUICKFIX),
                        diagnostics: Some(vec![convert::diagnostic(&lines, d, encoding)]),
                        edit: Some(edit(&fix.edits)),
                        is_preferred: Some(fix.safe),
                        ..Default::default()
                    }));
                }
            }
            if wanted(&CodeActionKind::REFACTOR_REWRITE) {
                let mut plain = crate::analysis::actions::progress_actions(
                    doc.text(),
                    doc.model(),
                    &range,
                    now,
                );
                let author = ctx.author();
                plain.push(crate::analysis::actions::add_decision_entry(
                    doc.text(),
                    doc.model(),
                    now,
                    author.as_deref(),
                ));
                plain.push(crate::analysis::actions::add_surprise_entry(
                    doc.text(),
                    doc.model(),
                ));
                for action in plain {
                    actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                        title: action.title,
                        kind: Some(CodeActionKind::REFACTOR_REWRITE),
                        edit: Some(edit(&action.edits)),
                        ..Default::default()
                    }));
                }
            }
            let fix_all_kind = CodeActionKind::new(FIX_ALL_KIND);
            let asked_for_source = params
                .context
                .only
                .as_ref()
                .is_some_and(|only| only.iter().any(|o| FIX_ALL_KIND.starts_with(o.as_str())));
            if (asked_for_source || params.context.only.is_none())
                && diagnostics
                    .iter()
                    .any(|d| d.fix.as_ref().is_some_and(|f| f.safe))
            {
                let fixed = checker::fix_text(doc.text(), path, &ctx.env, &ctx.settings, now);
                if fixed != doc.text() {
                    let whole = convert::minimal_edit(doc.text(), &fixed);
                    actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                        title: "Fix all safe ExecPlan problems".to_string(),
                        kind: Some(fix_all_kind),
                        edit: Some(edit(&[whole])),
                        ..Default::default()
                    }));
                }
            }
            actions
        })
    }

    async fn document_symbol(
        &self,
        params: DocumentSymbolParams,
    ) -> Result<Option<DocumentSymbolResponse>> {
        self.with_plan(&params.text_document.uri, |doc, _, encoding| {
            navigation::symbols(doc, encoding)
        })
        .map(|s| s.map(DocumentSymbolResponse::Nested))
    }

    async fn folding_range(&self, params: FoldingRangeParams) -> Result<Option<Vec<FoldingRange>>> {
        self.with_plan(&params.text_document.uri, |doc, _, encoding| {
            navigation::folds(doc, encoding)
        })
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let at = params.text_document_position_params;
        let Some(offset) = self.offset_of(&at.text_document.uri, at.position) else {
            return Ok(None);
        };
        self.with_plan(&at.text_document.uri, |doc, ctx, encoding| {
            navigation::hover_at(doc, ctx, offset, encoding)
                .into_iter()
                .collect()
        })
        .map(|h| h.and_then(|mut h| h.pop()))
    }

    async fn code_lens(&self, params: CodeLensParams) -> Result<Option<Vec<CodeLens>>> {
        self.with_plan(&params.text_document.uri, |doc, _, encoding| {
            navigation::code_lenses(doc, encoding)
        })
    }

    async fn document_link(&self, params: DocumentLinkParams) -> Result<Option<Vec<DocumentLink>>> {
        self.with_plan(&params.text_document.uri, navigation::links)
    }

    async fn goto_definition(
        &self,
        params: GotoDefinitionParams,
    ) -> Result<Option<GotoDefinitionResponse>> {
        let at = params.text_document_position_params;
        let Some(offset) = self.offset_of(&at.text_document.uri, at.position) else {
            return Ok(None);
        };
        self.with_plan(&at.text_document.uri, |doc, ctx, _| {
            navigation::definition(doc, ctx, offset)
                .into_iter()
                .collect()
        })
        .map(|d| d.and_then(|mut d| d.pop()))
    }

    async fn symbol(
        &self,
        params: WorkspaceSymbolParams,
    ) -> Result<Option<WorkspaceSymbolResponse>> {
        let encoding = self.encoding();
        let open = |uri: &Uri| {
            self.store
                .get(uri.as_str())
                .map(|d| (d.text().to_string(), Arc::clone(d.model())))
        };
        guarded(|| workspace_index::symbols(&self.state, &open, &params.query, encoding))
            .map(|s| Some(WorkspaceSymbolResponse::Nested(s.unwrap_or_default())))
    }

    async fn workspace_diagnostic(
        &self,
        _: WorkspaceDiagnosticParams,
    ) -> Result<WorkspaceDiagnosticReportResult> {
        let encoding = self.encoding();
        let plans = self.state.index.plans();
        let open: HashSet<String> = self.store.uris().into_iter().collect();
        // Every closed plan is parsed again: off the thread that reads
        // messages, so edits keep flowing meanwhile.
        let items = tokio::task::spawn_blocking(move || {
            let mut items = Vec::new();
            for plan in plans {
                let Some(uri) = Uri::from_file_path(&plan.path) else {
                    continue;
                };
                // Open plans are reported through textDocument/diagnostic.
                if open.contains(uri.as_str()) {
                    continue;
                }
                let diagnostics = std::panic::catch_unwind(AssertUnwindSafe(|| {
                    workspace_index::plan_diagnostics(&plan, encoding)
                }))
                .unwrap_or_default();
                items.push(WorkspaceDocumentDiagnosticReport::Full(
                    WorkspaceFullDocumentDiagnosticReport {
                        uri,
                        version: None,
                        full_document_diagnostic_report: FullDocumentDiagnosticReport {
                            result_id: None,
                            items: diagnostics,
                        },
                    },
                ));
            }
            items
        })
        .await
        .unwrap_or_default();
        Ok(WorkspaceDiagnosticReportResult::Report(
            WorkspaceDiagnosticReport { items },
        ))
    }

    async fn diagnostic(
        &self,
        params: DocumentDiagnosticParams,
    ) -> Result<DocumentDiagnosticReportResult> {
        let uri = params.text_document.uri;
        let items = compute(&self.store, &self.state, uri.as_str())
            .map(|(d, _)| d)
            .unwrap_or_default();
        Ok(DocumentDiagnosticReportResult::Report(
            DocumentDiagnosticReport::Full(RelatedFullDocumentDiagnosticReport {
                related_documents: None,
                full_document_diagnostic_report: FullDocumentDiagnosticReport {
                    result_id: None,
                    items,
                },
            }),
        ))
    }
}
