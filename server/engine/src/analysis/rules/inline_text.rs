//! The rules that read one inline range's text alone (EP110's placeholders
//! and guidance sentences, EP502's back-references) run phrase searches over
//! every paragraph, the largest part of a full check. Their findings depend
//! on nothing but the range's text and context, so a [`TextFindingsMemo`]
//! kept with an open document remembers them by text: after a keystroke only
//! the ranges whose text changed are searched again.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};

use xxhash_rust::xxh3::xxh3_64_with_seed;

use super::{Code, references, structure};
use crate::model::{InlineContext, InlineRange, Span};
use crate::syntax::InlineKind;

/// One finding in an inline range, its span relative to the range's start.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct TextFinding {
    pub code: Code,
    pub span: Span,
    pub message: String,
}

/// Every text rule's findings in one range's text.
pub(super) fn findings_in(text: &str, inline: &InlineRange) -> Arc<[TextFinding]> {
    let code: Vec<Span> = inline
        .facts
        .spans
        .iter()
        .filter(|s| s.kind == InlineKind::CodeSpan)
        .map(|s| s.start..s.end)
        .collect();
    let mut out = Vec::new();
    structure::template_text_in(text, inline.context, &code, &mut out);
    references::back_references_in(text, inline.context, &code, &mut out);
    if out.is_empty() {
        // Most ranges: share one empty value.
        return Arc::clone(&NOTHING);
    }
    out.into()
}

static NOTHING: LazyLock<Arc<[TextFinding]>> = LazyLock::new(|| Arc::from(Vec::new()));

/// Findings remembered by the text they were found in. Entries not used by
/// the latest check are dropped at the start of the next one, so the memo
/// holds about one document's worth.
#[derive(Debug, Default)]
pub struct TextFindingsMemo {
    inner: Mutex<Generations>,
}

#[derive(Debug, Default)]
struct Generations {
    /// Keys are already hashes: the map hashes them again cheaply.
    entries: HashMap<u64, (u32, Arc<[TextFinding]>), foldhash::fast::RandomState>,
    generation: u32,
}

impl TextFindingsMemo {
    /// Starts a check: drops what the previous one did not use.
    pub(super) fn start(&self) {
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        let current = inner.generation;
        inner.entries.retain(|_, (used, _)| *used == current);
        inner.generation = current.wrapping_add(1);
    }

    pub(super) fn get(&self, text: &str, inline: &InlineRange) -> Arc<[TextFinding]> {
        let key = key(text, inline.context);
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        let generation = inner.generation;
        if let Some((used, findings)) = inner.entries.get_mut(&key) {
            *used = generation;
            return Arc::clone(findings);
        }
        let findings = findings_in(text, inline);
        inner
            .entries
            .insert(key, (generation, Arc::clone(&findings)));
        findings
    }
}

/// The text's xxh3 hash, seeded with its context. Hashing every range's
/// text is the memo's cost on each check; xxh3 does it several times faster
/// than the standard library's SipHash.
fn key(text: &str, context: InlineContext) -> u64 {
    xxh3_64_with_seed(text.as_bytes(), context as u64)
}
