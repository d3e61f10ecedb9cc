//! How tree-sitter-md reads a pipe table, for the fast parse
//! (`fast_blocks.rs`) to check pulldown-cmark's reading against, cell by
//! cell.
//!
//! Two parts of tree-sitter-md decide a table. Its external scanner
//! (`parse_pipe_table`) starts one where a line's cells, counted by its
//! unescaped pipes, match the cells of a delimiter row on the next line;
//! it tries that wherever a block may start, so also on every line inside
//! a table, where a row and a delimiter-like line after it end the table
//! and start another. Its grammar (`pipe_table_row`) then splits each row
//! at its unescaped pipes: an optional leading pipe, then cells; a cell
//! starts at its first non-space character, and a run of spaces between
//! two pipes is a cell of its own. Two pipes with nothing between them are
//! no cell at all (tree-sitter-md recovers with an error there), which is
//! where pulldown-cmark, reading an empty cell, differs.
//!
//! The functions here take one line without its line break; the fast
//! parse only reads tables whose lines start with `|` at the line start,
//! so the scanner's block-start rules (a line opening with a backtick, a
//! digit or `-` is tried as other blocks first) never apply.

/// One cell as tree-sitter-md reads it: its range in the line, and
/// whether it is only spaces (a cell that is the spaces between two pipes).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Cell {
    pub start: usize,
    pub end: usize,
    pub blank: bool,
}

fn is_punctuation(b: u8) -> bool {
    b.is_ascii_punctuation()
}

/// The cells tree-sitter-md's grammar gives a table row, as ranges in
/// `line`; `None` where its grammar has no reading of the row (two pipes
/// with nothing between, a row without a cell) and recovers with an error.
pub(super) fn row_cells(line: &[u8]) -> Option<Vec<Cell>> {
    let mut at = line.iter().take_while(|&&b| b == b' ').count();
    if line.get(at) == Some(&b'|') {
        at += 1;
    } else {
        at = 0;
    }
    let mut cells = Vec::new();
    loop {
        // The segment up to the next unescaped pipe.
        let start = at;
        let mut i = at;
        let mut bar = None;
        while i < line.len() {
            match line[i] {
                b'\\' if line.get(i + 1).is_some_and(|&b| is_punctuation(b)) => i += 2,
                b'|' => {
                    bar = Some(i);
                    break;
                }
                _ => i += 1,
            }
        }
        let end = bar.unwrap_or(line.len());
        let segment = &line[start..end];
        let lead = segment.iter().take_while(|&&b| b == b' ').count();
        match bar {
            Some(_) if segment.is_empty() => return None,
            Some(_) if lead == segment.len() => cells.push(Cell {
                start,
                end,
                blank: true,
            }),
            _ if lead == segment.len() => {}
            // A cell ends before the next pipe, its spaces included; the
            // last cell of a row without a closing pipe before the spaces.
            Some(_) => cells.push(Cell {
                start: start + lead,
                end,
                blank: false,
            }),
            None => cells.push(Cell {
                start: start + lead,
                end: start + segment.trim_ascii_end().len(),
                blank: false,
            }),
        }
        match bar {
            Some(b) => at = b + 1,
            None => break,
        }
    }
    (!cells.is_empty()).then_some(cells)
}

/// Whether tree-sitter-md reads a table at `header` (from its first
/// non-space character) with `delimiter` as the next line: its scanner
/// starts one, and its grammar reads the delimiter row, which needs a pipe
/// after a cell (`|-` and `--:` start a table to the scanner, and are no
/// delimiter row to the grammar).
pub(super) fn starts_table(header: &[u8], delimiter: &[u8]) -> bool {
    scanner_starts_table(header, delimiter) && delimiter_row_reads(delimiter)
}

/// Whether tree-sitter-md's scanner starts a table at `header` (from its
/// first non-space character) with `delimiter` as the next line. Inside a
/// table, this ends it before `header`, whether the grammar then reads a
/// table there or recovers from an error.
pub(super) fn scanner_starts_table(header: &[u8], delimiter: &[u8]) -> bool {
    // The header's cells: its pipes, the first one aside, and one more
    // when it does not end with a pipe.
    let mut cells = 0usize;
    let mut starting_pipe = false;
    let mut ending_pipe = false;
    let mut i = 0;
    if header.first() == Some(&b'|') {
        starting_pipe = true;
        i = 1;
    }
    while i < header.len() {
        match header[i] {
            b'|' => {
                cells += 1;
                ending_pipe = true;
                i += 1;
            }
            b => {
                if b != b' ' && b != b'\t' {
                    ending_pipe = false;
                }
                if b == b'\\' && header.get(i + 1).is_some_and(|&b| is_punctuation(b)) {
                    i += 2;
                } else {
                    i += 1;
                }
            }
        }
    }
    if cells == 0 && !(starting_pipe && ending_pipe) {
        return false;
    }
    if !ending_pipe {
        cells += 1;
    }
    delimiter_cells(delimiter) == Some(cells)
}

/// The cells of a delimiter row as tree-sitter-md's scanner counts them,
/// or `None` where it reads no delimiter row.
fn delimiter_cells(line: &[u8]) -> Option<usize> {
    let mut i = line
        .iter()
        .take_while(|&&b| b == b' ' || b == b'\t')
        .count();
    let at = |i: usize| line.get(i).copied().unwrap_or(b'\n');
    let mut cells = 0;
    if at(i) == b'|' {
        i += 1;
    }
    loop {
        while matches!(at(i), b' ' | b'\t') {
            i += 1;
        }
        if at(i) == b'|' {
            cells += 1;
            i += 1;
            continue;
        }
        if at(i) == b':' {
            i += 1;
            if at(i) != b'-' {
                return None;
            }
        }
        let mut minus = false;
        while at(i) == b'-' {
            minus = true;
            i += 1;
        }
        if minus {
            cells += 1;
        }
        if at(i) == b':' {
            if !minus {
                return None;
            }
            i += 1;
        }
        while matches!(at(i), b' ' | b'\t') {
            i += 1;
        }
        if at(i) == b'|' {
            if !minus {
                cells += 1;
            }
            i += 1;
            continue;
        }
        return (at(i) == b'\n').then_some(cells);
    }
}

/// Whether tree-sitter-md's grammar reads `line` as a delimiter row: an
/// optional leading pipe, cells (`:?-+:?`) each followed by a pipe, at
/// least one, and an optional last cell without one.
fn delimiter_row_reads(line: &[u8]) -> bool {
    let at = |i: usize| line.get(i).copied().unwrap_or(b'\n');
    let spaces = |mut i: usize| {
        while matches!(at(i), b' ' | b'\t') {
            i += 1;
        }
        i
    };
    let mut i = spaces(0);
    if at(i) == b'|' {
        i += 1;
    }
    let mut closed = 0;
    loop {
        i = spaces(i);
        if at(i) == b'\n' {
            return closed > 0;
        }
        if at(i) == b':' {
            i += 1;
        }
        let minus = line[i.min(line.len())..]
            .iter()
            .take_while(|&&b| b == b'-')
            .count();
        if minus == 0 {
            return false;
        }
        i += minus;
        if at(i) == b':' {
            i += 1;
        }
        i = spaces(i);
        match at(i) {
            b'|' => {
                closed += 1;
                i += 1;
            }
            b'\n' => return closed > 0,
            _ => return false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(line: &str) -> Option<Vec<(&str, bool)>> {
        row_cells(line.as_bytes()).map(|cells| {
            cells
                .iter()
                .map(|c| (&line[c.start..c.end], c.blank))
                .collect()
        })
    }

    #[test]
    fn rows_split_at_unescaped_pipes() {
        assert_eq!(
            cells("| a | `b` |"),
            Some(vec![("a ", false), ("`b` ", false)])
        );
        assert_eq!(
            cells("| a \\| b | c"),
            Some(vec![("a \\| b ", false), ("c", false)])
        );
        assert_eq!(
            cells("| a | | c |"),
            Some(vec![("a ", false), (" ", true), ("c ", false)])
        );
        assert_eq!(cells("a | b"), Some(vec![("a ", false), ("b", false)]));
        // A pipe inside a code span still ends the cell.
        assert_eq!(
            cells("| `a|b` |"),
            Some(vec![("`a", false), ("b` ", false)])
        );
        // An escaped backslash does not escape the pipe after it.
        assert_eq!(
            cells("| a\\\\| b |"),
            Some(vec![("a\\\\", false), ("b ", false)])
        );
    }

    #[test]
    fn rows_tree_sitter_md_cannot_read() {
        assert_eq!(cells("|| 2 |"), None);
        assert_eq!(cells("| a || b |"), None);
        assert_eq!(cells("|"), None);
        assert_eq!(cells("|   "), None);
    }

    #[test]
    fn table_starts_where_the_cell_counts_match() {
        assert!(starts_table(b"| a | b |", b"|---|:-:|"));
        assert!(starts_table(b"a | b", b"--|--"));
        assert!(!starts_table(b"| a | b |", b"|---|"));
        assert!(!starts_table(b"| a |", b"| b |"));
        assert!(scanner_starts_table(b"| a |", b"| |"));
        assert!(!starts_table(b"| a |", b"| |"));
        assert!(!starts_table(b"|a", b"|-"));
        assert!(starts_table(b"| a \\| b |", b"|---|"));
        // The scanner starts these; the grammar reads no delimiter row.
        assert!(scanner_starts_table(b"| a |", b"|-"));
        assert!(!starts_table(b"| a |", b"|-"));
        assert!(!starts_table(b"| a |", b"--:"));
        assert!(starts_table(b"| a |", b"-|"));
        assert!(!starts_table(b"| a | b |", b"|-||-|"));
    }
}
