//! `textDocument/didOpen`: the document enters the store (before the first
//! `.await`, so notifications keep their order; its model is built when
//! first needed), its context is resolved, its diagnostics follow. A plan
//! the workspace index has checked is lent to the editor with that check,
//! which gives its first diagnostics when nothing they depend on changed
//! (`diagnostics::compute`).

use tower_lsp_server::ls_types::DidOpenTextDocumentParams;

use crate::cache::kept::settings_key;
use crate::lsp::session::{Backend, Seed, uri_path};

pub async fn handle(server: &Backend, params: DidOpenTextDocumentParams) {
    let doc = params.text_document;
    let key = doc.uri.to_string();
    let version = doc.version;
    server.store.open(&key, doc.text, version);
    let path = uri_path(&doc.uri);
    let lent = path
        .as_deref()
        .and_then(|path| server.state.index.set_open(path, true))
        .filter(|plan| plan.checked.is_some());
    let settings =
        |server: &Backend| settings_key(path.as_deref(), server.state.editor_layer().as_ref());
    let before = lent.as_ref().map(|_| settings(server));
    let errors = server.refresh_context(&doc.uri);
    if let (Some(plan), Some(before)) = (lent, before)
        && settings(server) == before
    {
        server.state.seeds.insert(
            key,
            Seed {
                version,
                plan,
                settings: before,
            },
        );
    }
    server.diagnostics_changed(&doc.uri);
    server.report_config_errors(errors).await;
    // The index let go of the plan's text, and the store may have dropped
    // another document's tree.
    server.state.trimmer.request();
}
