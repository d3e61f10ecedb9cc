//! `textDocument/codeAction`: the quick fixes of the diagnostics under the
//! selection, the Progress and entry actions ([`crate::analysis::actions`]),
//! and "fix all". Each edit is the engine's; this file only picks which
//! actions the client asked for.

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{CodeActionKind, CodeActionParams, CodeActionResponse};

use crate::analysis::actions;
use crate::checker;
use crate::lsp::convert;
use crate::lsp::request::{Serves, non_empty, on_plan};
use crate::lsp::session::Backend;

/// The code action kind of "fix all" for ExecPlans.
pub const FIX_ALL_KIND: &str = "source.fixAll.execplan";

pub async fn handle(
    server: &Backend,
    params: CodeActionParams,
) -> Result<Option<CodeActionResponse>> {
    let only = params.context.only.as_ref();
    let wanted = |kind: &str| {
        only.is_none_or(|only| {
            only.iter()
                .any(|o| kind == o.as_str() || kind.starts_with(&format!("{}.", o.as_str())))
        })
    };
    on_plan(server, &params.text_document.uri, Serves::Plans, |r| {
        let range = r.span(params.range);
        let now = jiff::Timestamp::now();
        let text = r.doc.text();
        let model = r.doc.model();
        let diagnostics = checker::document_diagnostics(
            r.doc,
            &r.state.paths,
            r.ctx.path.as_deref(),
            &r.ctx.env,
            &r.ctx.settings,
            now,
        );
        let edit = |edits: &[crate::analysis::Edit]| {
            convert::workspace_edit(r.caps, r.uri, r.doc.version(), &r.lines, edits)
        };
        let mut out = Vec::new();
        if wanted(CodeActionKind::QUICKFIX.as_str()) {
            for d in &diagnostics {
                if !(d.span.start <= range.end && range.start <= d.span.end) {
                    continue;
                }
                // The rule's own fix, then "Disable EPxxx for this line".
                for fix in crate::analysis::quick_fixes(text, model, d) {
                    let diagnostic = convert::diagnostic(&r.lines, d, r.encoding());
                    out.push(convert::code_action(
                        r.caps,
                        fix.title.clone(),
                        CodeActionKind::QUICKFIX,
                        edit(&fix.edits),
                        Some((diagnostic, fix.safe)),
                    ));
                }
            }
        }
        if wanted(CodeActionKind::REFACTOR_REWRITE.as_str()) {
            let mut plain = actions::progress_actions(text, model, &range, now);
            let author = r.ctx.author();
            plain.push(actions::add_decision_entry(
                text,
                model,
                now,
                author.as_deref(),
            ));
            plain.push(actions::add_surprise_entry(text, model));
            for action in plain {
                out.push(convert::code_action(
                    r.caps,
                    action.title,
                    CodeActionKind::REFACTOR_REWRITE,
                    edit(&action.edits),
                    None,
                ));
            }
        }
        let asked_for_source =
            only.is_some_and(|only| only.iter().any(|o| FIX_ALL_KIND.starts_with(o.as_str())));
        if (asked_for_source || only.is_none())
            && diagnostics
                .iter()
                .any(|d| d.fix.as_ref().is_some_and(|f| f.safe))
            && let Some(whole) = checker::fix_all_edit(text, r.ctx, now)
        {
            out.push(convert::code_action(
                r.caps,
                "Fix all safe ExecPlan problems".to_string(),
                CodeActionKind::new(FIX_ALL_KIND),
                edit(&[whole]),
                None,
            ));
        }
        non_empty(out)
    })
}
