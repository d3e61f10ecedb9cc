//! The one helper every document request goes through: it finds the open
//! document, checks that it is a plan, runs the handler's work with a panic
//! turned into an internal-error answer (the server keeps serving), and
//! answers `null` for a document that is not open or not a plan.

use std::panic::AssertUnwindSafe;

use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::{Position, Range, Uri};

use crate::checker::PlanContext;
use crate::document::Document;
use crate::model::Span;
use crate::text::{PositionEncoding, TextLines};

use super::client_capabilities::ResolvedClientCapabilities;
use super::convert;
use super::session::{Backend, State, Verdict};

/// Which documents a request serves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Serves {
    /// Plans only.
    Plans,
    /// Plans, and empty documents (where a plan starts: completion offers
    /// the skeleton there).
    PlansAndEmpty,
}

/// What a handler's work gets: the open document and all that applies to it.
pub(super) struct PlanRequest<'a> {
    pub uri: &'a Uri,
    pub doc: &'a Document,
    pub ctx: &'a PlanContext,
    pub caps: &'a ResolvedClientCapabilities,
    pub state: &'a State,
    pub lines: TextLines<'a>,
}

impl PlanRequest<'_> {
    pub fn encoding(&self) -> PositionEncoding {
        self.caps.position_encoding
    }

    /// A position in the document as a byte offset, clamped to the text.
    pub fn offset(&self, position: Position) -> usize {
        crate::text::position_to_offset(
            self.doc.rope(),
            convert::to_text_position(position),
            self.encoding(),
        )
    }

    /// A range in the document as a byte span, start before end.
    pub fn span(&self, range: Range) -> Span {
        let (a, b) = (self.offset(range.start), self.offset(range.end));
        a.min(b)..a.max(b)
    }
}

/// Runs `work` on the open plan at `uri`; see the module comment.
pub(super) fn on_plan<R>(
    server: &Backend,
    uri: &Uri,
    serves: Serves,
    work: impl FnOnce(&PlanRequest<'_>) -> Option<R>,
) -> Result<Option<R>> {
    let key = uri.as_str();
    let Some(doc) = server.store.get(key) else {
        return Ok(None);
    };
    let ctx = server.state.context_of(key);
    guarded(|| {
        let is_plan = is_plan(&server.state, key, &doc, &ctx)
            || (serves == Serves::PlansAndEmpty && doc.text().trim().is_empty());
        if !is_plan {
            return None;
        }
        let request = PlanRequest {
            uri,
            doc: &doc,
            ctx: &ctx,
            caps: server.capabilities(),
            state: &server.state,
            lines: doc.lines(),
        };
        work(&request)
    })
}

/// Whether the open document is a plan. Detection reads the whole text (a
/// third of a request's time on a 1,000-line plan), and every request
/// between two edits gets the same answer, so it is remembered for the
/// document's version ([`Verdict`]).
fn is_plan(state: &State, key: &str, doc: &Document, ctx: &PlanContext) -> bool {
    let (version, len) = (doc.version(), doc.text().len());
    if let Some(v) = state.verdicts.get(key)
        && v.version == version
        && v.len == len
    {
        return v.is_plan;
    }
    let is_plan = ctx.detect(doc.text(), Some(doc.model())).is_plan();
    // Only while the context it was decided under is still the document's:
    // holding its entry, a new context (which removes the verdict after it
    // is stored) cannot come in between.
    if let Some(current) = state.contexts.get(key)
        && std::sync::Arc::ptr_eq(&current.settings, &ctx.settings)
        && current.path == ctx.path
        && current.env == ctx.env
    {
        state.verdicts.insert(
            key.to_string(),
            Verdict {
                version,
                len,
                is_plan,
            },
        );
    }
    is_plan
}

/// Runs `work`, turning a panic into an internal-error answer.
pub(super) fn guarded<R>(work: impl FnOnce() -> R) -> Result<R> {
    std::panic::catch_unwind(AssertUnwindSafe(work)).map_err(|_| Error::internal_error())
}

/// `None` for an empty list: the protocol's `null`, a smaller answer.
pub(super) fn non_empty<T>(items: Vec<T>) -> Option<Vec<T>> {
    (!items.is_empty()).then_some(items)
}
