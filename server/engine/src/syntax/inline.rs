//! Inline facts (links and code spans) of one inline range, parsed from
//! scratch with tree-sitter-md's inline grammar and cached by text.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Weak};

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
        // Fast paths: most prose has neither links nor code spans; and text
        // whose only markup is single backticks (no brackets, angle brackets,
        // backslashes or longer backtick runs) holds code spans only, which
        // pair the backticks in order. Longer runs go to the grammar, which
        // pairs them its own way (not always as CommonMark does), so that
        // every text reads the same however it is parsed.
        if !text.contains(['`', '[', '<']) {
            return InlineFacts::default();
        }
        let mut facts = if !text.contains(['[', '<', '\\']) && !text.contains("``") {
            InlineFacts {
                spans: code_spans(text),
            }
        } else if let Some(spans) = plain_links_and_code_spans(text) {
            InlineFacts { spans }
        } else {
            InlineFacts::parse_with_grammar(text)
        };
        // Open documents keep their facts; most hold one or two spans.
        facts.spans.shrink_to_fit();
        facts
    }

    /// Parses with tree-sitter-md's inline grammar, whatever the text.
    fn parse_with_grammar(text: &str) -> InlineFacts {
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

/// Code spans by CommonMark's rule, for text with no other inline construct
/// that could compete: a run of n backticks opens a span that the next run
/// of exactly n backticks closes; a run with no such closer is literal.
/// (Used for single backticks only; see [`InlineFacts::parse`].)
fn code_spans(text: &str) -> Vec<InlineSpan> {
    let bytes = text.as_bytes();
    let run_at = |i: usize| bytes[i..].iter().take_while(|&&b| b == b'`').count();
    let mut spans = Vec::new();
    let mut i = 0;
    while let Some(open) = bytes[i..].iter().position(|&b| b == b'`').map(|p| p + i) {
        let n = run_at(open);
        let mut j = open + n;
        let mut close = None;
        while let Some(next) = bytes[j..].iter().position(|&b| b == b'`').map(|p| p + j) {
            let m = run_at(next);
            if m == n {
                close = Some(next);
                break;
            }
            j = next + m;
        }
        match close {
            Some(close) => {
                spans.push(code_span(text, open, close + n));
                i = close + n;
            }
            None => i = open + n,
        }
    }
    spans
}

/// Links and code spans of text whose only markup besides single backticks
/// is plain inline links, `[text](destination)`, on one line, with no
/// brackets or backticks in the text and nothing but a path or address in
/// the destination: the links real plans write, with `<`, `\\` and `!` only
/// inside code spans. `None` for anything else (reference links, images,
/// autolinks, HTML, escapes, titles, nested brackets, stray brackets),
/// which the grammar reads.
fn plain_links_and_code_spans(text: &str) -> Option<Vec<InlineSpan>> {
    if text.contains("``") {
        return None;
    }
    let mut spans = code_spans(text);
    let code = spans.clone();
    let in_code = |i: usize| code.iter().any(|c| c.start <= i && i < c.end);
    let bytes = text.as_bytes();
    // Angle brackets (autolinks, HTML), backslashes (escapes) and `!`
    // (images) are read by the grammar, unless each one is inside a code
    // span, after its opening backtick, where it is only code: `Vec<T>`,
    // `C:\\work`, `!= 0`. (A backslash before a backtick may escape it,
    // so that one goes to the grammar too.)
    let inside_code = |i: usize| code.iter().any(|c| c.start < i && i + 1 < c.end);
    for (i, &b) in bytes.iter().enumerate() {
        let escapes_a_backtick = b == b'\\' && bytes.get(i + 1) == Some(&b'`');
        if matches!(b, b'<' | b'\\' | b'!') && (escapes_a_backtick || !inside_code(i)) {
            return None;
        }
    }
    let mut i = 0;
    while let Some(found) = memchr::memchr2(b'[', b']', &bytes[i..]) {
        let open = i + found;
        if in_code(open) {
            i = open + 1;
            continue;
        }
        if bytes[open] == b']' {
            return None;
        }
        let close = open + 1 + memchr::memchr(b']', &bytes[open + 1..])?;
        let label = &text[open + 1..close];
        if label.contains(['[', '`', '\n', '\r']) || bytes.get(close + 1) != Some(&b'(') {
            return None;
        }
        let dest_start = close + 2;
        let dest_end = dest_start + memchr::memchr(b')', &bytes[dest_start..])?;
        let destination = &text[dest_start..dest_end];
        let plain = |c: char| {
            !(c.is_whitespace()
                || matches!(c, '(' | ')' | '[' | ']' | '`' | '"' | '\'' | '<' | '>'))
        };
        if destination.is_empty() || !destination.chars().all(plain) {
            return None;
        }
        spans.push(InlineSpan {
            kind: InlineKind::Link,
            start: open,
            end: dest_end + 1,
            target: destination.to_string(),
        });
        i = dest_end + 1;
    }
    // Emphasis markers next to links are where the grammar reads links
    // its own way; leave those texts to it. (Underscores inside paths and
    // code are no emphasis.)
    let covered = |at: usize| spans.iter().any(|s| s.start <= at && at < s.end);
    let emphasis = bytes
        .iter()
        .enumerate()
        .any(|(at, &b)| b == b'*' || (b == b'_' && !covered(at)));
    if emphasis && spans.iter().any(|s| s.kind == InlineKind::Link) {
        return None;
    }
    spans.sort_by_key(|s| s.start);
    Some(spans)
}

/// The code span over `start..end` (backticks included).
fn code_span(text: &str, start: usize, end: usize) -> InlineSpan {
    let raw = &text[start..end];
    let inner = raw.trim_matches('`');
    // CommonMark strips one space on each side when both are present.
    let inner = match inner.strip_prefix(' ').and_then(|s| s.strip_suffix(' ')) {
        Some(stripped) if !stripped.trim().is_empty() => stripped,
        _ => inner,
    };
    InlineSpan {
        kind: InlineKind::CodeSpan,
        start,
        end,
        target: inner.to_string(),
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
            out.push(code_span(text, node.start_byte(), node.end_byte()));
            return;
        }
        _ => {}
    }
    let mut cursor = node.walk();
    for child in node.children(&mut cursor) {
        collect(child, text, out);
    }
}

static NO_FACTS: LazyLock<Arc<InlineFacts>> = LazyLock::new(Arc::default);

/// Inline facts keyed by the text they were parsed from. A document keeps one
/// across edits, so only inline ranges whose text changed are parsed again.
///
/// Entries are weak: the facts live as long as a model holds them, and the
/// entries of facts no model holds any more are swept once the map has grown
/// to twice its size after the last sweep.
#[derive(Default, Debug)]
pub struct InlineCache {
    /// By the text's xxh3 hash; the map hashes those keys again cheaply.
    entries: HashMap<u64, Weak<InlineFacts>, foldhash::fast::RandomState>,
    sweep_at: usize,
}

impl InlineCache {
    pub fn get(&mut self, text: &str) -> Arc<InlineFacts> {
        // Most ranges have no links or code spans: they share one empty value.
        if !text.contains(['`', '[', '<']) {
            return Arc::clone(&NO_FACTS);
        }
        let key = xxhash_rust::xxh3::xxh3_64(text.as_bytes());
        if let Some(facts) = self.entries.get(&key).and_then(Weak::upgrade) {
            return facts;
        }
        let facts = Arc::new(InlineFacts::parse(text));
        self.entries.insert(key, Arc::downgrade(&facts));
        if self.entries.len() > self.sweep_at {
            self.entries.retain(|_, facts| facts.strong_count() > 0);
            self.sweep_at = (2 * self.entries.len()).max(64);
        }
        facts
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `count` reproducible texts of up to `max_pieces` pieces of `alphabet`.
    fn random_texts<'a>(
        alphabet: &'a [&'a str],
        mut seed: u64,
        count: usize,
        max_pieces: usize,
    ) -> impl Iterator<Item = String> + 'a {
        let mut next = move || {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as usize
        };
        (0..count).map(move |_| {
            let len = next() % max_pieces;
            (0..len)
                .map(|_| alphabet[next() % alphabet.len()])
                .collect()
        })
    }

    /// The backtick fast path gives exactly what the inline grammar gives,
    /// on random text made of backticks, spaces, line breaks, emphasis
    /// markers and letters (texts with longer runs take the grammar).
    #[test]
    fn code_spans_match_the_inline_grammar() {
        const ALPHABET: [&str; 9] = ["`", "`", "``", "a", " ", "\n", "*", "_", "é"];
        let mut fast = 0;
        for text in random_texts(&ALPHABET, 0x5eed, 20_000, 24) {
            fast += usize::from(text.contains('`') && !text.contains("``"));
            let grammar = InlineFacts::parse_with_grammar(&text);
            assert_eq!(
                InlineFacts::parse(&text),
                grammar,
                "fast path and grammar differ on {text:?}"
            );
        }
        assert!(fast > 2_000, "only {fast} texts took the fast path");
    }

    /// The plain-link fast path gives exactly what the inline grammar gives,
    /// on random text made of brackets, parentheses, backticks, emphasis
    /// markers, paths and letters; texts it declines take the grammar.
    #[test]
    fn plain_links_match_the_inline_grammar() {
        const ALPHABET: [&str; 18] = [
            "[",
            "]",
            "(",
            ")",
            "](",
            "`",
            "a",
            " ",
            "x.md",
            "_",
            "*",
            "\n",
            "é",
            "[a](b.md)",
            "[t](docs/x_1.md)",
            "[see `c`](d)",
            "(",
            ":",
        ];
        let mut fast = 0;
        for text in random_texts(&ALPHABET, 0x11_7e5, 30_000, 16) {
            let Some(spans) = plain_links_and_code_spans(&text) else {
                continue;
            };
            fast += usize::from(spans.iter().any(|s| s.kind == InlineKind::Link));
            assert_eq!(
                InlineFacts { spans },
                InlineFacts::parse_with_grammar(&text),
                "fast path and grammar differ on {text:?}"
            );
        }
        assert!(
            fast > 1_000,
            "only {fast} texts with links took the fast path"
        );
    }

    /// Texts whose `<`, `\\` and `!` are all inside code spans are read
    /// without the grammar and give exactly what it gives, on random text
    /// made of those characters, backticks, brackets, links, autolinks,
    /// HTML and letters; texts the reader declines take the grammar.
    #[test]
    fn code_with_angle_brackets_and_backslashes_matches_the_inline_grammar() {
        const ALPHABET: [&str; 30] = [
            "`",
            "`",
            "`",
            "<",
            ">",
            "\\",
            "!",
            "[",
            "]",
            "(",
            ")",
            "a",
            " ",
            "\n",
            "*",
            "_",
            "<T>",
            "<https://x.y>",
            "<b>",
            "</b>",
            "<!--",
            "[a](b.md)",
            "\\`",
            "é",
            "`Vec<T>`",
            "`C:\\x\\`",
            "`!= 0`",
            "`<a href=\"`",
            "`<https://x.y>`",
            " see ",
        ];
        let (mut fast, mut declined) = (0, 0);
        for text in random_texts(&ALPHABET, 0x1a_b5, 60_000, 10) {
            let Some(spans) = plain_links_and_code_spans(&text) else {
                declined += usize::from(text.contains(['<', '\\', '!']));
                continue;
            };
            fast += usize::from(text.contains(['<', '\\', '!']));
            assert_eq!(
                InlineFacts { spans },
                InlineFacts::parse_with_grammar(&text),
                "fast path and grammar differ on {text:?}"
            );
        }
        assert!(
            fast > 2_000 && declined > 10_000,
            "{fast} texts with <, \\ or ! took the fast path, {declined} did not"
        );
    }

    #[test]
    fn code_spans_pair_runs_of_equal_length() {
        let spans = code_spans("a `b` ``c`d`` ``` e");
        let got: Vec<(&str, &str)> = spans
            .iter()
            .map(|s| (&"a `b` ``c`d`` ``` e"[s.start..s.end], s.target.as_str()))
            .collect();
        assert_eq!(got, vec![("`b`", "b"), ("``c`d``", "c`d")]);
    }
}
