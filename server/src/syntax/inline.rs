//! Inline facts (links and code spans) of one inline range, parsed from
//! scratch with tree-sitter-md's inline grammar and cached by text.

use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::Arc;

use tree_sitter::{Node, Parser};

thread_local! {
    static INLINE_PARSER: RefCell<Parser> = RefCell::new(new_parser());
}

fn new_parser() -> Parser {
    let mut parser = Parser::new();
    parser
        .set_language(&tree_sitter_md::INLINE_LANGUAGE.into())
        .expect("tree-sitter-md inline grammar is compatible with the linked tree-sitter");
    parser
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InlineKind {
    /// `[text](destination)`, `[text][label]` or `<https://…>`; `target` is
    /// the destination where the link names one inline.
    Link,
    /// `` `code` ``; `target` is the code without its backticks.
    CodeSpan,
}

/// One inline construct. Offsets are relative to the start of the inline range.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InlineSpan {
    pub kind: InlineKind,
    pub start: usize,
    pub end: usize,
    pub target: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct InlineFacts {
    pub spans: Vec<InlineSpan>,
}

impl InlineFacts {
    /// Parses one inline range's text from scratch.
    pub fn parse(text: &str) -> InlineFacts {
        // Fast path: most prose has neither links nor code spans.
        if !text.contains(['`', '[', '<']) {
            return InlineFacts::default();
        }
        let tree = INLINE_PARSER.with(|parser| {
            let mut parser = parser.borrow_mut();
            parser.reset();
            parser.parse(text, None)
        });
        let mut facts = InlineFacts::default();
        if let Some(tree) = tree {
            collect(tree.root_node(), text, &mut facts.spans);
        }
        facts
    }
}

fn collect(node: Node<'_>, text: &str, out: &mut Vec<InlineSpan>) {
    let slice = |n: Node<'_>| text.get(n.byte_range()).unwrap_or("").to_string();
    match node.kind() {
        "inline_link" | "full_reference_link" | "collapsed_reference_link" | "image" => {
            let mut cursor = node.walk();
            let target = node
                .children(&mut cursor)
                .find(|c| c.kind() == "link_destination")
                .map(slice)
                .unwrap_or_default();
            out.push(InlineSpan {
                kind: InlineKind::Link,
                start: node.start_byte(),
                end: node.end_byte(),
                target,
            });
            return;
        }
        "uri_autolink" => {
            let inner = slice(node);
            out.push(InlineSpan {
                kind: InlineKind::Link,
                start: node.start_byte(),
                end: node.end_byte(),
                target: inner
                    .trim_start_matches('<')
                    .trim_end_matches('>')
                    .to_string(),
            });
            return;
        }
        "code_span" => {
            let raw = slice(node);
            let inner = raw.trim_matches('`');
            // CommonMark strips one space on each side when both are present.
            let inner = match inner.strip_prefix(' ').and_then(|s| s.strip_suffix(' ')) {
                Some(stripped) if !stripped.trim().is_empty() => stripped,
                _ => inner,
            };
            out.push(InlineSpan {
                kind: InlineKind::CodeSpan,
                start: node.start_byte(),
                end: node.end_byte(),
                target: inner.to_string(),
            });
            return;
        }
        _ => {}
    }
    let mut cursor = node.walk();
    for child in node.children(&mut cursor) {
        collect(child, text, out);
    }
}

/// Inline facts keyed by the text they were parsed from. A document keeps one
/// across edits, so only inline ranges whose text changed are parsed again.
#[derive(Default, Debug)]
pub struct InlineCache {
    entries: HashMap<u64, (u32, Arc<InlineFacts>)>,
    generation: u32,
}

impl InlineCache {
    pub fn get(&mut self, text: &str) -> Arc<InlineFacts> {
        let mut hasher = DefaultHasher::new();
        text.hash(&mut hasher);
        let key = hasher.finish();
        let generation = self.generation;
        let entry = self
            .entries
            .entry(key)
            .or_insert_with(|| (generation, Arc::new(InlineFacts::parse(text))));
        entry.0 = generation;
        Arc::clone(&entry.1)
    }

    /// Starts a new build; entries not used since the previous call are dropped.
    pub fn start_generation(&mut self) {
        let current = self.generation;
        self.entries.retain(|_, (used, _)| *used == current);
        self.generation = current.wrapping_add(1);
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}
