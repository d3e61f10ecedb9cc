//! Byte offsets ↔ line/column positions, in UTF-8, UTF-16 or character
//! columns. Lines end at LF, CRLF or a lone CR, as LSP defines them. Every
//! conversion clamps: a position past the end of a line or of the text maps to
//! that end, never to a panic.

use ropey::Rope;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum PositionEncoding {
    /// Columns count UTF-8 bytes.
    Utf8,
    /// Columns count UTF-16 code units (the LSP default).
    #[default]
    Utf16,
    /// Columns count Unicode scalar values (the CLI's columns).
    Utf32,
}

/// A 0-based line and column.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct TextPosition {
    pub line: u32,
    pub character: u32,
}

impl TextPosition {
    pub fn new(line: u32, character: u32) -> Self {
        TextPosition { line, character }
    }
}

/// The length in bytes of line `line`'s content, without its line break.
fn content_len(rope: &Rope, line: usize) -> usize {
    let slice = rope.line(line);
    let mut len = slice.len_bytes();
    let bytes = slice.bytes_at(len);
    let mut back = bytes.reversed();
    if let Some(b'\n') = back.next() {
        len -= 1;
        if let Some(b'\r') = back.next() {
            len -= 1;
        }
    } else if len > 0 && slice.byte(len - 1) == b'\r' {
        len -= 1;
    }
    len
}

/// The byte offset of `pos`, clamped to the line's content and the text.
pub fn position_to_offset(rope: &Rope, pos: TextPosition, encoding: PositionEncoding) -> usize {
    let line = pos.line as usize;
    if line >= rope.len_lines() {
        return rope.len_bytes();
    }
    let line_start = rope.line_to_byte(line);
    let len = content_len(rope, line);
    let content = rope.byte_slice(line_start..line_start + len);
    let column = pos.character as usize;
    let char_in_line = match encoding {
        PositionEncoding::Utf8 => content.byte_to_char(column.min(len)),
        PositionEncoding::Utf16 => content.utf16_cu_to_char(column.min(content.len_utf16_cu())),
        PositionEncoding::Utf32 => column.min(content.len_chars()),
    };
    line_start + content.char_to_byte(char_in_line)
}

/// The position of byte `offset`, clamped to the text and snapped back to a
/// character boundary.
pub fn offset_to_position(rope: &Rope, offset: usize, encoding: PositionEncoding) -> TextPosition {
    let offset = offset.min(rope.len_bytes());
    let char_index = rope.byte_to_char(offset);
    let line = rope.char_to_line(char_index);
    let line_start_char = rope.line_to_char(line);
    let line_start = rope.line_to_byte(line);
    let len = content_len(rope, line);
    let content = rope.byte_slice(line_start..line_start + len);
    let chars = (char_index - line_start_char).min(content.len_chars());
    let character = match encoding {
        PositionEncoding::Utf8 => content.char_to_byte(chars),
        PositionEncoding::Utf16 => content.char_to_utf16_cu(chars),
        PositionEncoding::Utf32 => chars,
    };
    TextPosition::new(line as u32, character as u32)
}

/// Where each line of a text starts: turns many offsets into positions with
/// one binary search and a scan of one line each, where the rope walks its
/// tree several times per offset. Same answers as [`offset_to_position`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        let mut from = 0;
        while let Some(found) = memchr::memchr2(b'\n', b'\r', &bytes[from..]) {
            let at = from + found;
            from = if bytes[at] == b'\r' && bytes.get(at + 1) == Some(&b'\n') {
                at + 2
            } else {
                at + 1
            };
            starts.push(from);
        }
        LineIndex { starts }
    }

    /// Keeps the index right after an edit at `at` that removed and typed no
    /// line break: the lines after the edited one move by `delta` bytes.
    pub fn shift_after(&mut self, at: usize, delta: isize) {
        let from = self.starts.partition_point(|&s| s <= at);
        for start in &mut self.starts[from..] {
            *start = start.saturating_add_signed(delta);
        }
    }
}

/// A text with its [`LineIndex`].
#[derive(Clone, Copy, Debug)]
pub struct TextLines<'a> {
    pub text: &'a str,
    pub index: &'a LineIndex,
}

impl<'a> TextLines<'a> {
    /// The text of the 0-based line `line` with its line break; empty past
    /// the last line.
    pub fn line_text(&self, line: usize) -> &'a str {
        let starts = &self.index.starts;
        let Some(&start) = starts.get(line) else {
            return "";
        };
        let end = starts.get(line + 1).copied().unwrap_or(self.text.len());
        self.text.get(start..end).unwrap_or("")
    }

    /// The position of byte `offset`, clamped to the text and snapped back
    /// to a character boundary.
    pub fn position(&self, offset: usize, encoding: PositionEncoding) -> TextPosition {
        let text = self.text;
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let starts = &self.index.starts;
        let line = starts.partition_point(|&s| s <= offset).saturating_sub(1);
        let start = starts[line].min(offset);
        let content_end = match starts.get(line + 1) {
            Some(&next) if next >= 2 && text.as_bytes()[next - 2..next] == *b"\r\n" => next - 2,
            Some(&next) => next - 1,
            None => text.len(),
        };
        let before = &text[start..offset.min(content_end).max(start)];
        let character = match encoding {
            PositionEncoding::Utf8 => before.len(),
            PositionEncoding::Utf16 => before.chars().map(char::len_utf16).sum(),
            PositionEncoding::Utf32 => before.chars().count(),
        };
        TextPosition::new(line as u32, character as u32)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use PositionEncoding::*;

    #[test]
    fn the_line_index_agrees_with_the_rope() {
        // Every offset (and some past the end) of texts built from line
        // breaks of every kind and multi-byte characters.
        let pieces = ["a", "\n", "\r", "\r\n", "é", "😀", "日", " "];
        let mut seed = 0x2545_F491_4F6C_DD1Du64;
        for _ in 0..300 {
            let mut text = String::new();
            for _ in 0..(seed % 24) {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                text.push_str(pieces[(seed % pieces.len() as u64) as usize]);
            }
            let rope = Rope::from_str(&text);
            let index = LineIndex::new(&text);
            let lines = TextLines {
                text: &text,
                index: &index,
            };
            for offset in 0..text.len() + 3 {
                for encoding in [Utf8, Utf16, Utf32] {
                    assert_eq!(
                        lines.position(offset, encoding),
                        offset_to_position(&rope, offset, encoding),
                        "{text:?} at {offset} in {encoding:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn multibyte_columns() {
        let rope = Rope::from_str("a😀b\r\nsecond\rthird\n");
        // 😀 is 4 bytes, 2 UTF-16 units, 1 char.
        assert_eq!(position_to_offset(&rope, TextPosition::new(0, 3), Utf16), 5);
        assert_eq!(position_to_offset(&rope, TextPosition::new(0, 5), Utf8), 5);
        assert_eq!(position_to_offset(&rope, TextPosition::new(0, 2), Utf32), 5);
        assert_eq!(offset_to_position(&rope, 5, Utf16), TextPosition::new(0, 3));
        assert_eq!(offset_to_position(&rope, 5, Utf8), TextPosition::new(0, 5));
        // Lone CR ends a line.
        assert_eq!(
            position_to_offset(&rope, TextPosition::new(2, 0), Utf16),
            15
        );
        assert_eq!(
            offset_to_position(&rope, 16, Utf16),
            TextPosition::new(2, 1)
        );
    }

    #[test]
    fn nonsense_positions_clamp() {
        let rope = Rope::from_str("ab😀\nxy");
        assert_eq!(
            position_to_offset(&rope, TextPosition::new(0, 99), Utf16),
            6
        );
        assert_eq!(
            position_to_offset(&rope, TextPosition::new(99, 0), Utf16),
            9
        );
        // Inside a surrogate pair or a UTF-8 sequence: snapped to the character start.
        assert_eq!(position_to_offset(&rope, TextPosition::new(0, 3), Utf16), 2);
        assert_eq!(position_to_offset(&rope, TextPosition::new(0, 4), Utf8), 2);
        assert_eq!(offset_to_position(&rope, 4, Utf8), TextPosition::new(0, 2));
        assert_eq!(
            offset_to_position(&rope, 1000, Utf16),
            TextPosition::new(1, 2)
        );
        // The CRLF's bytes are not columns.
        let crlf = Rope::from_str("ab\r\ncd");
        assert_eq!(position_to_offset(&crlf, TextPosition::new(0, 3), Utf8), 2);
        assert_eq!(offset_to_position(&crlf, 3, Utf8), TextPosition::new(0, 2));
    }
}
