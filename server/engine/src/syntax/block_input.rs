//! What tree-sitter-md's block parser reads: the document's text with the
//! spaces and the punctuation between two words replaced by a letter.
//!
//! The block grammar lexes every line of prose word by word: each word, each
//! space and each punctuation mark is a token of its own, with a leaf in the
//! parse stack, and tokens are most of a parse's cost. Words and spaces are
//! hidden tokens, absent from the tree; punctuation marks are anonymous
//! leaves inside `inline` nodes, which nothing reads. In the middle of a line
//! a space, `.`, `-`, `/`, a backtick and a few more between two word
//! characters decide no block structure, with the exceptions below. Joining
//! ``see `docs/plan.md`, then`` into `seeaadocsaplanamdaaathen` therefore leaves
//! every named node, with its kind, byte range and points, as it was, and
//! makes the parse of a typical plan about three times as fast. The
//! replacement keeps the length and every line break, so offsets and points
//! need no translation. Lines are split at `\n` only: with lone CR line
//! breaks one such line holds several, which only leaves more as it is.
//!
//! Left as they are, because there a space or a mark between words can
//! matter:
//!
//! - `1. ` and the like after a digit: the end of an ordered list marker.
//! - a line holding `]:`, and the line after it: a link reference
//!   definition's destination. `[a]: /url title` is a paragraph (a title
//!   needs quotes); `[a]: /urlatitle` would be a definition.
//! - a line holding `<`: HTML block start conditions (`<pre class="x">`
//!   starts a block that `</pre>` ends; `<preaclass="x">` would not).
//! - a line holding three backticks or tildes: a fence's info string, whose
//!   first word is the `language` node.
//!
//! A differential test compares the trees of joined and plain text on
//! random Markdown built from every construct above, and fails when any of
//! these exceptions is taken away.

use std::ops::Range;

/// The byte a joined space becomes: a letter, so the words around it and it
/// make one word token.
const JOINER: u8 = b'a';

/// What a byte is to joining: part of a word token (not ASCII punctuation,
/// whitespace or control; bytes of multi-byte characters are word bytes, as
/// in the grammar), joinable between two words, or neither.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Word,
    Joinable,
    Other,
}

/// Spaces and the punctuation that decides no block structure in the middle
/// of a line (backticks matter only as a fence, three at a time). Not here:
/// `|` (table cells), `[` `]` (link labels), quotes and parentheses (link
/// titles, which may span lines; `2)` ends a list marker), `>` (the end of
/// some HTML blocks), and tabs.
const JOINABLE: &[u8] = b" .-_/:,;=+@`";

static CLASS: [Class; 256] = {
    let mut table = [Class::Other; 256];
    let mut b = 0;
    while b < 256 {
        let byte = b as u8;
        if byte >= 0x80 || byte.is_ascii_alphanumeric() {
            table[b] = Class::Word;
        }
        b += 1;
    }
    let mut i = 0;
    while i < JOINABLE.len() {
        table[JOINABLE[i] as usize] = Class::Joinable;
        i += 1;
    }
    table
};

fn class(byte: u8) -> Class {
    CLASS[byte as usize]
}

/// The block parser's input for the whole of `text`.
pub(super) fn joined(text: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    join_lines(text.as_bytes(), 0..text.len(), &mut out);
    out
}

/// Appends to `out` the block parser's input for `range` of `text`, which
/// must start at a line start and end at a line end or the text's end.
pub(super) fn join_lines(text: &[u8], range: Range<usize>, out: &mut Vec<u8>) {
    debug_assert!(range.start == 0 || text[range.start - 1] == b'\n');
    let mut after_definition = range.start > 0 && {
        let previous_start = line_start(text, range.start - 1);
        holds_definition(&text[previous_start..range.start])
    };
    let mut start = range.start;
    while start < range.end {
        let end = line_end(text, start).min(range.end);
        let line = &text[start..end];
        let from = out.len();
        out.extend_from_slice(line);
        let (kept, definition) = classify(line);
        if !kept && !after_definition {
            join_runs(&mut out[from..]);
        }
        after_definition = definition;
        start = end;
    }
}

/// Where the line holding `at` starts.
pub(crate) fn line_start(text: &[u8], at: usize) -> usize {
    memchr::memrchr(b'\n', &text[..at]).map_or(0, |i| i + 1)
}

/// Where the line holding `at` ends: after its `\n`, or at the text's end.
pub(super) fn line_end(text: &[u8], at: usize) -> usize {
    memchr::memchr(b'\n', &text[at..]).map_or(text.len(), |i| at + i + 1)
}

/// Whether `line` must be read as it is, and whether it holds `]:` (so the
/// line after it must be read as it is too).
fn classify(line: &[u8]) -> (bool, bool) {
    let definition = holds_definition(line);
    let fence =
        |mark: u8| memchr::memchr_iter(mark, line).any(|i| line[i..].starts_with(&[mark; 3]));
    let kept = definition || memchr::memchr(b'<', line).is_some() || fence(b'`') || fence(b'~');
    (kept, definition)
}

fn holds_definition(line: &[u8]) -> bool {
    memchr::memchr_iter(b']', line).any(|i| line.get(i + 1) == Some(&b':'))
}

/// Replaces each run of joinable bytes between two word bytes by
/// [`JOINER`]s, except a run like `. ` after a digit, which may end an
/// ordered list marker (`1. Step`).
fn join_runs(line: &mut [u8]) {
    let n = line.len();
    let mut i = 0;
    while i < n {
        if class(line[i]) != Class::Word {
            i += 1;
            continue;
        }
        let mut run = i + 1;
        while run < n && class(line[run]) == Class::Word {
            run += 1;
        }
        let mut end = run;
        while end < n && class(line[end]) == Class::Joinable {
            end += 1;
        }
        let between_words = end > run && end < n && class(line[end]) == Class::Word;
        let list_marker = end > run + 1 && line[run - 1].is_ascii_digit() && line[run] == b'.';
        if between_words && !list_marker {
            line[run..end].fill(JOINER);
        }
        i = end;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn joined_str(text: &str) -> String {
        String::from_utf8(joined(text)).unwrap()
    }

    #[test]
    fn spaces_and_marks_between_words_are_joined() {
        assert_eq!(
            joined_str("See `docs/plan.md`, then run it.\n"),
            "Seeaadocsaplanamdaaathenarunait.\n"
        );
        assert_eq!(joined_str("été à Noël\n"), "étéaàaNoël\n");
    }

    #[test]
    fn markers_indentation_line_ends_and_other_punctuation_stay() {
        let text = "- [ ] Step one\n    code here  \n1. first\n- 2. x\n# Title #\n| a b | c |\n(a 'b') c.d\n";
        assert_eq!(
            joined_str(text),
            "- [ ] Stepaone\n    codeahere  \n1. first\n- 2. x\n# Title #\n| aab | c |\n(a 'b') cad\n"
        );
    }

    #[test]
    fn lines_where_spaces_can_matter_are_read_as_they_are() {
        let text =
            "[a]: /url title\n/next line\nafter that\n<pre class=x>\n```rust no run\n~~~ a b\n";
        assert_eq!(
            joined_str(text),
            "[a]: /url title\n/next line\nafterathat\n<pre class=x>\n```rust no run\n~~~ a b\n"
        );
    }

    #[test]
    fn a_range_sees_the_line_before_it() {
        let text = b"[a]:\nb c\nd e\n";
        let mut out = Vec::new();
        join_lines(text, 5..13, &mut out);
        assert_eq!(out, b"b c\ndae\n");
    }

    #[test]
    fn lines_split_at_line_feeds_only_which_is_conservative_for_lone_cr() {
        assert_eq!(joined_str("a b\r[x]: y\rc d\n"), "a b\r[x]: y\rc d\n");
        assert_eq!(joined_str("a b\r\nc d\r\n"), "aab\r\ncad\r\n");
    }
}
