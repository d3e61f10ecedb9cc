//! `workspace/executeCommand`: the commands the server's answers carry.
//! `execplan-ls.applyEdit` is how a code action reaches a client without
//! code action literals (the server sends the edit back with
//! `workspace/applyEdit`); `execplan-ls.showProgress` is a code lens's
//! click (the plan's Progress and open items, in a message).

use serde_json::Value;
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::{ExecuteCommandParams, LSPAny, MessageType, Uri, WorkspaceEdit};

use crate::analysis::lens::progress_report;
use crate::lsp::request::{Serves, on_plan};
use crate::lsp::session::Backend;

pub const APPLY_EDIT: &str = "execplan-ls.applyEdit";
pub const SHOW_PROGRESS: &str = "execplan-ls.showProgress";
/// Every command the server runs, as `initialize` declares them.
pub const COMMANDS: [&str; 2] = [APPLY_EDIT, SHOW_PROGRESS];

pub async fn handle(server: &Backend, params: ExecuteCommandParams) -> Result<Option<LSPAny>> {
    let argument = params.arguments.into_iter().next().unwrap_or(Value::Null);
    match params.command.as_str() {
        APPLY_EDIT => {
            let edit: WorkspaceEdit = serde_json::from_value(argument).map_err(|e| {
                Error::invalid_params(format!("{APPLY_EDIT} takes a workspace edit: {e}"))
            })?;
            if !server.capabilities().apply_edit {
                // The protocol lets the server send edits only to a client
                // that declared `workspace/applyEdit`.
                let message = "execplan-ls: this editor does not take edits from the server (it did not declare workspace/applyEdit), so the action cannot be applied";
                server
                    .client
                    .show_message(MessageType::WARNING, message)
                    .await;
                return Ok(None);
            }
            let applied = server
                .client
                .apply_edit(edit)
                .await
                .map(|answer| answer.applied)
                .unwrap_or(false);
            if !applied {
                server
                    .client
                    .show_message(
                        MessageType::WARNING,
                        "execplan-ls: the editor did not apply the edit",
                    )
                    .await;
            }
            Ok(None)
        }
        SHOW_PROGRESS => {
            let uri: Uri = argument
                .as_str()
                .and_then(|u| u.parse().ok())
                .ok_or_else(|| {
                    Error::invalid_params(format!("{SHOW_PROGRESS} takes a document URI"))
                })?;
            let report = on_plan(server, &uri, Serves::Plans, |r| {
                Some(progress_report(r.doc.model(), jiff::Timestamp::now()))
            })?;
            if let Some(report) = report {
                server.client.show_message(MessageType::INFO, report).await;
            }
            Ok(None)
        }
        other => Err(Error::invalid_params(format!("unknown command `{other}`"))),
    }
}
