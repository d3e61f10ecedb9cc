//! What the model builder reads of a block tree: each node's kind, byte
//! range and children, whichever parser made it.
//!
//! Two parsers produce block nodes: tree-sitter-md ([`super::BlockTree`],
//! kept and reparsed incrementally while a document is edited) and
//! pulldown-cmark ([`super::FastBlocks`], for reading a document whole). The
//! builder walks either through [`BlockNode`], so both give one
//! [`crate::model::PlanModel`].

use tree_sitter::{Node, TreeCursor};

/// A block-level syntax node: a kind named as tree-sitter-md names it
/// (`paragraph`, `list_item`, `inline`, …), a byte range, children in
/// document order.
pub trait BlockNode: Copy {
    fn kind(&self) -> &str;
    fn start_byte(&self) -> usize;
    fn end_byte(&self) -> usize;
    fn children(&self) -> impl Iterator<Item = Self>;
}

impl<'t> BlockNode for Node<'t> {
    fn kind(&self) -> &str {
        Node::kind(self)
    }

    fn start_byte(&self) -> usize {
        Node::start_byte(self)
    }

    fn end_byte(&self) -> usize {
        Node::end_byte(self)
    }

    fn children(&self) -> impl Iterator<Item = Self> {
        TreeChildren {
            cursor: self.walk(),
            started: false,
            done: false,
        }
    }
}

/// A tree-sitter node's children through one cursor.
struct TreeChildren<'t> {
    cursor: TreeCursor<'t>,
    started: bool,
    done: bool,
}

impl<'t> Iterator for TreeChildren<'t> {
    type Item = Node<'t>;

    fn next(&mut self) -> Option<Node<'t>> {
        if self.done {
            return None;
        }
        let moved = if self.started {
            self.cursor.goto_next_sibling()
        } else {
            self.started = true;
            self.cursor.goto_first_child()
        };
        if moved {
            Some(self.cursor.node())
        } else {
            self.done = true;
            None
        }
    }
}
