//! Syntax layer: tree-sitter-md block trees, kept incrementally, and inline
//! facts (links, code spans) parsed from scratch per inline range.
//!
//! The block tree is reparsed incrementally after every edit. Inline content is
//! never reparsed incrementally (tree-sitter-md's incremental inline reparse is
//! known to diverge from a fresh parse); instead each inline range is parsed
//! on its own, and the result is cached by the range's text, so an edit only
//! pays for the inline ranges whose text it changed.

mod block;
mod block_input;
mod fast_blocks;
mod fast_tables;
mod inline;
mod node;

pub use block::{BlockTree, TextEdit, check_joining};
pub(crate) use block_input::line_start;
pub use fast_blocks::{FastBlocks, FastNode, GiveUp};
pub use inline::{InlineCache, InlineFacts, InlineKind, InlineSpan};
pub use node::BlockNode;
