//! Random edit sequences through the document store's document, in UTF-16
//! positions (with nonsense positions included), against a fresh parse of
//! the final text: the model must be the same, and nothing may panic.
#![no_main]

use execplan_ls::document::{ContentChange, Document};
use execplan_ls::text::{PositionEncoding, TextPosition};
use libfuzzer_sys::fuzz_target;

/// A small plan to start from, so edits land in real constructs.
const START: &str = "# Plan\n\nThis ExecPlan is a living document.\n\n## Progress\n\n- [x] (2026-01-05 10:00Z) One.\n- [ ] Two.\n\n## Decision Log\n\n- Decision: A.\n  Rationale: B.\n  Date/Author: 2026-01-05 / Ada\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n    code\n";

/// Pieces of Markdown the edits insert.
const PIECES: [&str; 12] = [
    "#", "## ", "- [ ] ", "- [x] ", "\n", "\r\n", "`", "```\n", "|", "(2026-02-03 04:05Z)", "é😀", "    ",
];

fuzz_target!(|data: &[u8]| {
    let mut doc = Document::new(START.to_string(), 1);
    let mut version = 1;
    for chunk in data.chunks(4) {
        let [a, b, c, d] = [0, 1, 2, 3].map(|i| chunk.get(i).copied().unwrap_or(0) as u32);
        // Lines and columns a little past the end on purpose: they are clamped.
        let start = TextPosition::new(a % 40, b % 90);
        let end = TextPosition::new(a % 40 + c % 3, (b + c) % 90);
        let text = if d % 5 == 0 { String::new() } else { PIECES[d as usize % PIECES.len()].to_string() };
        version += 1;
        let change = ContentChange { range: Some((start, end)), text };
        doc.apply_changes(&[change], version, PositionEncoding::Utf16);
    }
    let fresh = Document::new(doc.text().to_string(), version);
    assert_eq!(doc.model(), fresh.model(), "incremental model differs for {:?}", doc.text());
});
