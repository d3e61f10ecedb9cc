//! The block-level syntax tree of one document.

use std::cell::RefCell;

use tree_sitter::{InputEdit, Parser, Point, Tree};

thread_local! {
    static BLOCK_PARSER: RefCell<Parser> = RefCell::new(new_parser());
}

fn new_parser() -> Parser {
    let mut parser = Parser::new();
    parser
        .set_language(&tree_sitter_md::LANGUAGE.into())
        .expect("tree-sitter-md block grammar is compatible with the linked tree-sitter");
    parser
}

/// One replacement of a byte range by new text, in the coordinates of the text
/// before the edit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TextEdit {
    pub start: usize,
    pub old_end: usize,
    pub new_text: String,
}

/// A tree-sitter-md block tree for a given text.
#[derive(Clone)]
pub struct BlockTree {
    tree: Tree,
}

impl std::fmt::Debug for BlockTree {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BlockTree").finish_non_exhaustive()
    }
}

impl BlockTree {
    /// Parses `text` from scratch.
    pub fn parse(text: &str) -> BlockTree {
        BlockTree {
            tree: run_parser(text, None),
        }
    }

    /// Applies `edit` (already applied to the text, giving `new_text`) to the
    /// tree and reparses incrementally. `old_text` is the text before the edit.
    pub fn reparse(&mut self, old_text: &str, edit: &TextEdit, new_text: &str) {
        self.edit_only(old_text, edit, new_text);
        self.reparse_edited(new_text);
    }

    /// Records `edit` in the tree without reparsing, so several edits can be
    /// applied before one [`BlockTree::reparse_edited`].
    pub fn edit_only(&mut self, old_text: &str, edit: &TextEdit, new_text: &str) {
        let new_end = edit.start + edit.new_text.len();
        self.tree.edit(&InputEdit {
            start_byte: edit.start,
            old_end_byte: edit.old_end,
            new_end_byte: new_end,
            start_position: point_at(old_text, edit.start),
            old_end_position: point_at(old_text, edit.old_end),
            new_end_position: point_at(new_text, new_end),
        });
    }

    /// Reparses `text` reusing the edited tree.
    pub fn reparse_edited(&mut self, text: &str) {
        self.tree = run_parser(text, Some(&self.tree));
    }

    /// Like [`BlockTree::reparse_edited`], and returns the byte ranges (in
    /// `text`) whose syntactic structure changed: where nodes were added,
    /// removed or moved under other parents. Text changed inside a node
    /// without changing its structure is not among them.
    pub fn reparse_edited_with_changes(&mut self, text: &str) -> Vec<std::ops::Range<usize>> {
        let old = self.tree.clone();
        self.tree = run_parser(text, Some(&old));
        old.changed_ranges(&self.tree)
            .map(|r| r.start_byte..r.end_byte)
            .collect()
    }

    pub fn root(&self) -> tree_sitter::Node<'_> {
        self.tree.root_node()
    }

    /// The tree as an S-expression, for fixtures and debugging.
    pub fn to_sexp(&self) -> String {
        self.tree.root_node().to_sexp()
    }
}

fn run_parser(text: &str, old: Option<&Tree>) -> Tree {
    BLOCK_PARSER.with(|parser| {
        let mut parser = parser.borrow_mut();
        match parser.parse(text, old) {
            Some(tree) => tree,
            None => {
                // Only happens after a cancelled or timed-out parse; reset and
                // parse from scratch, which always yields a tree.
                parser.reset();
                parser
                    .parse(text, None)
                    .expect("a parser with a language and no timeout always returns a tree")
            }
        }
    })
}

/// The tree-sitter point of a byte offset: rows count `\n`, columns are bytes.
fn point_at(text: &str, byte: usize) -> Point {
    let byte = byte.min(text.len());
    let before = &text.as_bytes()[..byte];
    let row = before.iter().filter(|&&b| b == b'\n').count();
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    Point::new(row, byte - line_start)
}
