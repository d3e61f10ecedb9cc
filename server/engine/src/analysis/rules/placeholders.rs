//! What counts as placeholder text: a block (a paragraph or a list item)
//! that only stands in for content still to be written, such as `TBD`,
//! `(To be filled after implementation.)` or `_Pending._`. EP110 reports it
//! once the plan has moved past it, EP209 when it is all of Outcomes &
//! Retrospective at the end.

use crate::model::Span;

/// Verbs of "to be …" and "will be …" that promise content later.
const PROMISED: [&str; 16] = [
    "filled",
    "updated",
    "completed",
    "written",
    "added",
    "documented",
    "recorded",
    "determined",
    "decided",
    "defined",
    "summarized",
    "summarised",
    "populated",
    "captured",
    "provided",
    "expanded",
];

/// Whole blocks that say only "nothing here yet". (`N/A` is an answer,
/// not a placeholder.)
const BARE: [&str; 8] = [
    "tbd",
    "tba",
    "todo",
    "pending",
    "pending implementation",
    "pending completion",
    "coming soon",
    "to do",
];

/// What a label's value may be and still be a placeholder (`- Lessons:
/// TBD.`); after a label, `Pending` is a status (`Milestone 2: Pending`).
const BARE_AFTER_LABEL: [&str; 4] = ["tbd", "tba", "todo", "to do"];

/// Whether `block` (one paragraph or list item, markup and all) is only a
/// placeholder. A leading label is allowed (`- Lessons: TBD.`), so is a
/// wrapping parenthesis or emphasis.
pub(crate) fn is_placeholder(block: &str) -> bool {
    let mut s = block.trim();
    // A list marker.
    for marker in ["- ", "* ", "+ "] {
        if let Some(rest) = s.strip_prefix(marker) {
            s = rest.trim_start();
        }
    }
    let s = strip_wrapping(s);
    // A short label before the placeholder.
    let (s, labelled) = match short_label(s) {
        Some((label, rest)) if !label.is_empty() && !rest.trim().is_empty() => {
            (strip_wrapping(rest.trim()), true)
        }
        _ => (s, false),
    };
    // Only the first three words can decide: every bare placeholder has at
    // most two, and a promise is its first three.
    let (words, count, more) = first_words(s);
    let words = &words[..count];
    let bare_words: &[&str] = if labelled { &BARE_AFTER_LABEL } else { &BARE };
    let is_bare = |bare: &str| {
        let mut parts = bare.split(' ');
        words.iter().all(|w| parts.next().is_some_and(|p| w.is(p))) && parts.next().is_none()
    };
    if !more && bare_words.iter().any(|b| is_bare(b)) {
        return true;
    }
    matches!(words, [to, be, verb]
        if (to.is("to") || to.is("will")) && be.is("be") && PROMISED.iter().any(|v| verb.is(v)))
}

/// The text before the first `:` of `s` and the text after it, when what
/// comes before it is at most three words; read up to that colon or to the
/// fourth word, not through a long block.
fn short_label(s: &str) -> Option<(&str, &str)> {
    let mut words = 0;
    let mut in_word = false;
    for (i, c) in s.char_indices() {
        if c == ':' {
            return Some((&s[..i], &s[i + 1..]));
        }
        if c.is_whitespace() {
            in_word = false;
        } else if !in_word {
            in_word = true;
            words += 1;
            if words > 3 {
                return None;
            }
        }
    }
    None
}

/// Bytes kept of a word: more than the longest word asked for.
const WORD_CAP: usize = 24;

/// One of a block's first words, lower-cased, kept without allocating; a
/// word longer than [`WORD_CAP`] is no word asked for and equals none.
#[derive(Clone, Copy)]
struct Word {
    bytes: [u8; WORD_CAP],
    len: usize,
}

impl Word {
    const EMPTY: Word = Word {
        bytes: [0; WORD_CAP],
        len: 0,
    };

    fn push(&mut self, c: char) {
        let mut utf8 = [0; 4];
        let c = c.encode_utf8(&mut utf8).as_bytes();
        if let Some(room) = self.bytes.get_mut(self.len..self.len + c.len()) {
            room.copy_from_slice(c);
        }
        self.len += c.len();
    }

    fn is(&self, word: &str) -> bool {
        self.bytes.get(..self.len) == Some(word.as_bytes())
    }
}

/// The first [`DECIDING_WORDS`] words of `s`, lower-cased (runs of letters,
/// digits and `/`), how many there are, and whether more follow. Each
/// character is lower-cased alone, which differs from lower-casing the
/// whole text only in a final sigma: no word with a sigma is any word
/// asked for.
fn first_words(s: &str) -> ([Word; DECIDING_WORDS], usize, bool) {
    let mut words = [Word::EMPTY; DECIDING_WORDS];
    let mut count = 0;
    let mut in_word = false;
    for c in s.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() || c == '/' {
            if !in_word {
                if count == DECIDING_WORDS {
                    return (words, count, true);
                }
                in_word = true;
                count += 1;
            }
            words[count - 1].push(c);
        } else {
            in_word = false;
        }
    }
    (words, count, count > 2)
}

/// How many leading words [`is_placeholder`] reads.
const DECIDING_WORDS: usize = 3;

/// Strips wrapping emphasis, parentheses and a final full stop.
fn strip_wrapping(mut s: &str) -> &str {
    loop {
        let before = s;
        s = s.trim().trim_end_matches('.').trim();
        for (open, close) in [("(", ")"), ("*", "*"), ("_", "_"), ("[", "]")] {
            if s.len() >= 2 && s.starts_with(open) && s.ends_with(close) {
                s = &s[open.len()..s.len() - close.len()];
            }
        }
        if s == before {
            return s;
        }
    }
}

/// The blocks of a section body (paragraphs and top-level list items), as
/// spans into `text`, with HTML comments and blank lines left out. `body`
/// is the body's span.
pub(crate) fn blocks(text: &str, body: &Span) -> Vec<Span> {
    let mut out: Vec<Span> = Vec::new();
    let mut current: Option<Span> = None;
    let mut offset = body.start;
    let Some(slice) = text.get(body.clone()) else {
        return out;
    };
    for line in slice.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let content = line.trim_end_matches(['\n', '\r']);
        let trimmed = content.trim();
        let end = start + content.len();
        let is_comment = trimmed.starts_with("<!--") && trimmed.ends_with("-->");
        if trimmed.is_empty() || is_comment || trimmed.chars().all(|c| "-*_".contains(c)) {
            out.extend(current.take());
            continue;
        }
        let starts_item = !content.starts_with([' ', '\t'])
            && (trimmed.starts_with(['-', '*', '+']) && trimmed[1..].starts_with(' '));
        match &mut current {
            Some(block) if !starts_item => block.end = end,
            _ => {
                out.extend(current.take());
                current = Some(start..end);
            }
        }
    }
    out.extend(current);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_in_the_forms_plans_write_them() {
        for text in [
            "TBD",
            "TBD.",
            "- Lessons: TBD.",
            "(To be filled if activated.)",
            "_To be filled as implementation progresses_",
            "To be completed when the plan finishes. Include the measured speedup.",
            "- _Pending implementation._",
            "*Pending*",
            "(To be updated at completion)",
            "This section will be written after the first milestone.",
            "Will be summarized at the end.",
        ] {
            // (The one but last is prose, not a placeholder.)
            let expected = !text.starts_with("This section");
            assert_eq!(is_placeholder(text), expected, "{text}");
        }
    }

    #[test]
    fn text_that_says_something_is_no_placeholder() {
        for text in [
            "None yet.",
            "- `src/vm.cljs` (To be refactored into an aggregator)",
            "The cache is to be filled lazily on the first read.",
            "Pending requests are retried twice.",
            "TBD values in the config are rejected by the loader.",
            "N/A",
            "- Milestone 2: Pending",
            "- Risks: N/A",
            "- Decision: Use an LRU. Rationale: TBD later, once measured on the device.",
        ] {
            assert!(!is_placeholder(text), "{text}");
        }
    }

    /// `is_placeholder` as it was written first: the whole block lower-cased
    /// and split into words.
    fn is_placeholder_reading_every_word(block: &str) -> bool {
        let mut s = block.trim();
        for marker in ["- ", "* ", "+ "] {
            if let Some(rest) = s.strip_prefix(marker) {
                s = rest.trim_start();
            }
        }
        let s = strip_wrapping(s);
        let (s, labelled) = match s.split_once(':') {
            Some((label, rest))
                if label.split_whitespace().count() <= 3
                    && !label.is_empty()
                    && !rest.trim().is_empty() =>
            {
                (strip_wrapping(rest.trim()), true)
            }
            _ => (s, false),
        };
        let lower = s.to_lowercase();
        let words: Vec<&str> = lower
            .split(|c: char| !(c.is_alphanumeric() || c == '/'))
            .filter(|w| !w.is_empty())
            .collect();
        let bare = words.join(" ");
        let bare_words: &[&str] = if labelled { &BARE_AFTER_LABEL } else { &BARE };
        if bare_words.contains(&bare.as_str()) {
            return true;
        }
        matches!(
            words.as_slice(),
            ["to" | "will", "be", verb, ..] if PROMISED.contains(verb)
        )
    }

    /// Reading three words gives the answer reading all of them gives, on
    /// blocks made of the words asked for, other words, markup, labels and
    /// letters whose lower case is longer or context-dependent.
    #[test]
    fn reading_three_words_agrees_with_reading_all() {
        assert!(
            BARE.iter()
                .chain(&BARE_AFTER_LABEL)
                .all(|b| b.split(' ').count() <= 2)
        );
        let mut seed = 31u64;
        let mut next = move || {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as usize
        };
        let mut vocabulary: Vec<&str> = vec![
            "to", "To", "TO", "will", "Will", "be", "BE", "Be", "n/a", "ΣΑΣ", "İt", "ǅ", "x1",
        ];
        vocabulary.extend(PROMISED);
        vocabulary.extend(BARE.iter().flat_map(|b| b.split(' ')));
        let glue = [
            " ", "  ", ". ", ": ", ", ", "\n", "/", "-", "*", "_", "(", ")", "[", "]",
        ];
        let prefixes = [
            "",
            "- ",
            "* ",
            "+ ",
            "Lessons: ",
            "- Risks: ",
            "(",
            "_",
            "**",
        ];
        let (mut yes, mut total) = (0, 0);
        for _ in 0..30_000 {
            let mut block = prefixes[next() % prefixes.len()].to_string();
            for _ in 0..next() % 6 {
                block.push_str(vocabulary[next() % vocabulary.len()]);
                block.push_str(glue[next() % glue.len()]);
            }
            if next() % 3 == 0 {
                block.push_str([")", "_", ".", "*", "]"][next() % 5]);
            }
            let fast = is_placeholder(&block);
            assert_eq!(fast, is_placeholder_reading_every_word(&block), "{block:?}");
            yes += usize::from(fast);
            total += 1;
        }
        assert!(yes > 300 && yes < total / 2, "{yes} of {total}");
    }

    #[test]
    fn blocks_split_paragraphs_and_items() {
        let text = "## Outcomes\n\n- One\n  wrapped\n- Two\n\n<!-- note -->\nPara\nline two\n";
        let body = 11..text.len();
        let found: Vec<&str> = blocks(text, &body)
            .iter()
            .map(|s| &text[s.clone()])
            .collect();
        assert_eq!(found, ["- One\n  wrapped", "- Two", "Para\nline two"]);
    }
}
