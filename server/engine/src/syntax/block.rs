//! The block-level syntax tree of one document.

use std::cell::RefCell;

use tree_sitter::{InputEdit, Parser, Point, Tree};

use super::block_input;

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
    /// What the parser read: the text with the words of prose joined
    /// ([`block_input`]), kept in step with the text's edits.
    input: Vec<u8>,
}

impl std::fmt::Debug for BlockTree {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BlockTree").finish_non_exhaustive()
    }
}

impl BlockTree {
    /// Parses `text` from scratch.
    pub fn parse(text: &str) -> BlockTree {
        let input = block_input::joined(text);
        BlockTree {
            tree: run_parser(&input, None),
            input,
        }
    }

    /// Applies `edit` (already applied to the text, giving `new_text`) to the
    /// tree and reparses incrementally. `old_text` is the text before the edit.
    pub fn reparse(&mut self, old_text: &str, edit: &TextEdit, new_text: &str) {
        let mut text = old_text.to_string();
        self.edit_in_place(&mut text, edit);
        debug_assert_eq!(text, new_text);
        self.reparse_edited(new_text);
    }

    /// Applies `edit` to `text` (the text the tree is of) and records it in
    /// the tree without reparsing, so several edits can be applied before
    /// one [`BlockTree::reparse_edited`]. The text is changed where it is,
    /// not copied: a copy's large allocation had the allocator tidy its free
    /// lists on every keystroke.
    pub fn edit_in_place(&mut self, text: &mut String, edit: &TextEdit) {
        debug_assert_eq!(self.input.len(), text.len());
        let new_end = edit.start + edit.new_text.len();
        // The parser's input changes where the text did, and where joining
        // changed because of it: on the lines the edit touched and the line
        // after them. Join those lines again and keep only what differs.
        let after_edit = |text: &[u8], end: usize| {
            let line_end = block_input::line_end(text, end);
            if line_end < text.len() {
                block_input::line_end(text, line_end)
            } else {
                line_end
            }
        };
        let window_start = block_input::line_start(text.as_bytes(), edit.start);
        let old_window_end = after_edit(text.as_bytes(), edit.old_end);
        // Points are counted from the window's start, which the edit does
        // not move; the old window's lines are kept for the old end's point.
        let window_point = point_at(text, window_start);
        let old_window = text.as_bytes()[window_start..old_window_end].to_vec();
        text.replace_range(edit.start..edit.old_end, &edit.new_text);
        let new = text.as_bytes();
        let new_window_end = after_edit(new, new_end);
        let mut window = Vec::with_capacity(new_window_end - window_start);
        block_input::join_lines(new, window_start..new_window_end, &mut window);
        let before = &self.input[window_start..old_window_end];
        let same_start = before
            .iter()
            .zip(&window)
            .take_while(|(a, b)| a == b)
            .count();
        let same_end = before[same_start..]
            .iter()
            .rev()
            .zip(window[same_start..].iter().rev())
            .take_while(|(a, b)| a == b)
            .count();
        let start = edit.start.min(window_start + same_start);
        let old_end = edit.old_end.max(old_window_end - same_end);
        let new_end = old_end - edit.old_end + new_end;
        self.input.splice(window_start..old_window_end, window);
        debug_assert_eq!(self.input.len(), text.len());
        // Byte offsets: where the inputs start to differ may be inside a
        // character.
        let point =
            |window: &[u8], at: usize| point_after(window_point, &window[..at - window_start]);
        self.tree.edit(&InputEdit {
            start_byte: start,
            old_end_byte: old_end,
            new_end_byte: new_end,
            start_position: point(&old_window, start),
            old_end_position: point(&old_window, old_end),
            new_end_position: point(&text.as_bytes()[window_start..new_window_end], new_end),
        });
    }

    /// Reparses `text` reusing the edited tree.
    pub fn reparse_edited(&mut self, text: &str) {
        debug_assert_eq!(self.input.len(), text.len());
        self.tree = run_parser(&self.input, Some(&self.tree));
    }

    /// Like [`BlockTree::reparse_edited`], and returns the byte ranges (in
    /// `text`) whose syntactic structure changed: where nodes were added,
    /// removed or moved under other parents. Text changed inside a node
    /// without changing its structure is not among them.
    pub fn reparse_edited_with_changes(&mut self, text: &str) -> Vec<std::ops::Range<usize>> {
        debug_assert_eq!(self.input.len(), text.len());
        let old = self.tree.clone();
        self.tree = run_parser(&self.input, Some(&old));
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

/// Checks what [`block_input`] promises on `text`: the tree of the joined
/// input has the named nodes (kinds, byte ranges, points) of the tree of the
/// text itself. `Ok(false)` when they differ only because the plain tree is
/// tree-sitter-md's error recovery at the end of a text without a final line
/// break (`# [x] 1.2` alone gets a heading with a missing line ending, `# [x]
/// 1a2` an `ERROR` node: which guess the recovery makes depends on the
/// tokens); `Err` describes any other difference. For tests and fuzzing.
#[doc(hidden)]
pub fn check_joining(text: &str) -> Result<bool, String> {
    let joined = BlockTree::parse(text).tree;
    let plain = new_parser()
        .parse(text, None)
        .expect("a parser with a language and no timeout always returns a tree");
    if named_nodes(&joined) == named_nodes(&plain) {
        return Ok(true);
    }
    if plain.root_node().has_error() && !text.ends_with('\n') {
        return Ok(false);
    }
    Err(format!(
        "joined and plain trees differ on {text:?}:\n{}\n{}",
        joined.root_node().to_sexp(),
        plain.root_node().to_sexp()
    ))
}

/// Every named node with its kind, byte range and points, in document
/// order. (Joining removes anonymous punctuation leaves from `inline`
/// nodes, which nothing reads.)
fn named_nodes(tree: &Tree) -> Vec<(&str, usize, usize, Point, Point)> {
    let mut nodes = Vec::new();
    let mut cursor = tree.walk();
    loop {
        let node = cursor.node();
        if node.is_named() {
            nodes.push((
                node.kind(),
                node.start_byte(),
                node.end_byte(),
                node.start_position(),
                node.end_position(),
            ));
        }
        if cursor.goto_first_child() {
            continue;
        }
        while !cursor.goto_next_sibling() {
            if !cursor.goto_parent() {
                return nodes;
            }
        }
    }
}

fn run_parser(input: &[u8], old: Option<&Tree>) -> Tree {
    BLOCK_PARSER.with(|parser| {
        let mut parser = parser.borrow_mut();
        match parser.parse(input, old) {
            Some(tree) => tree,
            None => {
                // Only happens after a cancelled or timed-out parse; reset and
                // parse from scratch, which always yields a tree.
                parser.reset();
                parser
                    .parse(input, None)
                    .expect("a parser with a language and no timeout always returns a tree")
            }
        }
    })
}

/// The tree-sitter point of a byte offset: rows count `\n`, columns are bytes.
/// The point `passed` leads to from `from`.
fn point_after(from: Point, passed: &[u8]) -> Point {
    match memchr::memrchr(b'\n', passed) {
        Some(last) => Point::new(
            from.row + memchr::memchr_iter(b'\n', passed).count(),
            passed.len() - last - 1,
        ),
        None => Point::new(from.row, from.column + passed.len()),
    }
}

fn point_at(text: &str, byte: usize) -> Point {
    point_after(Point::new(0, 0), &text.as_bytes()[..byte.min(text.len())])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small seeded generator (a 64-bit LCG).
    struct Pieces(u64);

    impl Pieces {
        fn below(&mut self, n: usize) -> usize {
            self.0 = self
                .0
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((self.0 >> 33) as usize) % n
        }

        /// Random Markdown built from the constructs where spaces and
        /// words could matter to block structure.
        fn text(&mut self, max_pieces: usize) -> String {
            // Words, spaces and line breaks come often enough for most
            // lines to be joined somewhere; the rest come once each.
            #[rustfmt::skip]
            const PIECES: &[&str] = &[
                "a", "word", "é", "x.md", "1", "two words", "three more words", "é à", "a b",
                "two words", "three, more: words", "a b", "e.g. ", "a-b", "x_y/z", "1.2", "9",
                "a = b", "a; b", ". ", ", ", ": ", "-", "_", "/", "=", "+", "@", ";", " ", " ", " ",
                " ", "  ", "\t", "\n", "\n", "\n", "\n", "\n\n", "\r\n", "\r", "- ", "* ", "1. ",
                "2) ", "> ", "# ", "## ", "    ", "[", "]", "]:", ": ", "/url", "\"", "'", "(", ")",
                "<", ">", "<pre", "</pre>", "<!--", "-->", "<div>", "<a href=\"x\">", "```", "~~~",
                "rust", "|", "|---|", "---", "===", "***", "[ ] ", "[x] ", "\\", "`", "+++", "?>",
                "]]>", "<!X",
            ];
            let len = self.below(max_pieces);
            (0..len).map(|_| PIECES[self.below(PIECES.len())]).collect()
        }

        /// Random Markdown made of whole lines where joining could go
        /// wrong: link reference definitions over several lines, titles,
        /// tables, HTML blocks, fences and list markers, with words.
        fn lines(&mut self, max_lines: usize) -> String {
            #[rustfmt::skip]
            const LINES: &[&str] = &[
                "[a]:\n", "[a b]: /url\n", "[a]: /url title\n", "/url title\n", "/u-rl x.y\n",
                "'ti'tle'\n", "\"a b\"\n", "(a b)\n", "'a b' c\n", "[a]b\n", "c]: /u\n", "[a\n",
                "b c]: d\n", "| a b | c |\n", "|---|---|\n", "| a|b | c-d |\n", "a|b\n", "a | b\n",
                "--- | ---\n", "x`y|z`w | v\n", "<pre a b>\n", "a b\n", "x </pre> y\n", "<!X a\n",
                "a>b c\n", "<!-- a b\n", "a b-->c\n", "```a b\n", "~~~ a b\n", "- a b\n",
                "1. a b\n", "2) a b\n", "- 1. a\n", "> a b\n", "# a b #\n", "a b\n", "a, b. c\n",
                "e.g. a-b_c/d\n", "\n", "\n", "    a b\n", "a\tb\n", "===\n", "---\n", "a *b* c\n",
                "a #b\n", "- [ ] a b\n", "a\\ b\n",
            ];
            let len = self.below(max_lines);
            (0..len).map(|_| LINES[self.below(LINES.len())]).collect()
        }
    }

    #[test]
    fn joined_input_gives_the_tree_of_the_text() {
        let mut pieces = Pieces(0x06a0_16ed);
        let (mut joined_somewhere, mut recovered_otherwise) = (0, 0);
        for n in 0..40_000 {
            let text = if n % 4 == 3 {
                pieces.lines(12)
            } else {
                pieces.text(40)
            };
            joined_somewhere += usize::from(block_input::joined(&text) != text.as_bytes());
            recovered_otherwise += usize::from(!check_joining(&text).unwrap());
        }
        assert!(
            joined_somewhere > 5_000,
            "only {joined_somewhere} texts joined"
        );
        assert!(
            recovered_otherwise < 30,
            "{recovered_otherwise} error recoveries differ"
        );
    }

    /// Texts where joining one more kind of byte would change the tree,
    /// found by trying: each exception in `block_input` is needed.
    #[test]
    fn joining_stops_where_block_structure_depends_on_it() {
        for text in [
            "[a]: /url title\n",
            "[a]:\n/url title\n",
            "[a]b\nc]: /u\n",
            "[a]: /url\n'ti'tle'\n",
            "[a]: /url\n'ti\nt'le'\n",
            "| a b | c |\n---\n",
            "1. a b\n- 2. c d\n",
            "2) a b\n",
            "<pre class=\"x\">\na b\n</pre>\n",
            "```rust no run\na b\n```\n",
        ] {
            assert_eq!(check_joining(text), Ok(true));
        }
    }

    #[test]
    fn edits_keep_the_input_and_the_tree_in_step_with_the_text() {
        let mut pieces = Pieces(0xed17);
        for _ in 0..300 {
            let mut text = pieces.text(60);
            let mut tree = BlockTree::parse(&text);
            for _ in 0..20 {
                let start = pieces.below(text.len() + 1);
                let old_end = (start + pieces.below(6)).min(text.len());
                if !text.is_char_boundary(start) || !text.is_char_boundary(old_end) {
                    continue;
                }
                let edit = TextEdit {
                    start,
                    old_end,
                    new_text: pieces.text(4),
                };
                let mut new_text = text.clone();
                new_text.replace_range(start..old_end, &edit.new_text);
                tree.reparse(&text, &edit, &new_text);
                text = new_text;
                assert_eq!(tree.input, block_input::joined(&text), "input of {text:?}");
                assert_eq!(
                    named_nodes(&tree.tree),
                    named_nodes(&BlockTree::parse(&text).tree),
                    "incremental and fresh trees differ on {text:?}"
                );
                check_joining(&text).unwrap();
            }
        }
    }
}
