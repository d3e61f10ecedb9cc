//! `textDocument/hover`: what a section is for, a timestamp in words, the
//! rule behind a diagnostic, whether a path exists; Markdown or plain text
//! as the client prefers.

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{Hover, HoverParams};

use crate::analysis::hover::{HoverContext, PathFacts, hover};
use crate::analysis::links::{FileReference, ReferenceKind};
use crate::checker::{self, PlanContext};
use crate::lsp::convert;
use crate::lsp::request::{Serves, on_plan};
use crate::lsp::session::Backend;
use crate::workspace::{PathTarget, first_lines};

pub async fn handle(server: &Backend, params: HoverParams) -> Result<Option<Hover>> {
    let at = params.text_document_position_params;
    on_plan(server, &at.text_document.uri, Serves::Plans, |r| {
        let offset = r.offset(at.position);
        let now = jiff::Timestamp::now();
        let (text, model) = (r.doc.text(), r.doc.model());
        let diagnostics = checker::diagnostics(
            text,
            model,
            r.ctx.path.as_deref(),
            &r.ctx.env,
            &r.ctx.settings,
            now,
        );
        let resolve_path = |p: &str| path_facts(r.ctx, p);
        let cx = HoverContext {
            now,
            diagnostics: &diagnostics,
            resolve_path: &resolve_path,
        };
        let found = hover(text, model, offset, &cx)?;
        Some(convert::hover(r.caps, &r.lines, &found))
    })
}

fn path_facts(ctx: &PlanContext, path: &str) -> PathFacts {
    if ctx.env.root.is_none() {
        return PathFacts::Unknown;
    }
    let reference = FileReference {
        kind: ReferenceKind::CodePath,
        span: 0..0,
        path: path.to_string(),
    };
    match ctx.resolve_reference(&reference) {
        PathTarget::File(p) => PathFacts::File {
            first_lines: first_lines(&p, 8),
        },
        PathTarget::Folder(_) => PathFacts::Folder,
        PathTarget::Missing(_) => PathFacts::Missing,
        PathTarget::Outside => PathFacts::Outside,
    }
}
