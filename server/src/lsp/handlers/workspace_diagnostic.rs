//! `workspace/diagnostic`: the diagnostics of every indexed plan that is not
//! open (open ones are pulled one by one), computed off the thread that
//! reads messages so edits keep flowing meanwhile.

use std::collections::HashSet;
use std::panic::AssertUnwindSafe;

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{
    Uri, WorkspaceDiagnosticParams, WorkspaceDiagnosticReport, WorkspaceDiagnosticReportResult,
};

use crate::lsp::convert;
use crate::lsp::diagnostics::of_indexed_plan;
use crate::lsp::session::Backend;

pub async fn handle(
    server: &Backend,
    _: WorkspaceDiagnosticParams,
) -> Result<WorkspaceDiagnosticReportResult> {
    let encoding = server.capabilities().position_encoding;
    let plans = server.state.index.plans();
    let open: HashSet<String> = server.store.uris().into_iter().collect();
    let items = tokio::task::spawn_blocking(move || {
        plans
            .iter()
            .filter_map(|plan| {
                let uri = Uri::from_file_path(&plan.path)?;
                if open.contains(uri.as_str()) {
                    return None;
                }
                let diagnostics =
                    std::panic::catch_unwind(AssertUnwindSafe(|| of_indexed_plan(plan, encoding)))
                        .unwrap_or_default();
                Some(convert::workspace_diagnostic_item(uri, diagnostics))
            })
            .collect()
    })
    .await
    .unwrap_or_default();
    Ok(WorkspaceDiagnosticReportResult::Report(
        WorkspaceDiagnosticReport { items },
    ))
}
