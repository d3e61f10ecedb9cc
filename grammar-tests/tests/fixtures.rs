//! One snapshot per fixture of how the grammar and the model read it, a
//! check that incremental reparsing reads every fixture the same way, and
//! one that the server's joined parser input gives each fixture the tree of
//! its own text.

use std::path::PathBuf;

use execplan_ls::model;
use execplan_ls::syntax::{BlockTree, InlineCache, TextEdit, check_joining};

fn fixtures() -> Vec<PathBuf> {
    let files = grammar_tests::fixture_paths();
    assert!(files.len() >= 15, "fixtures are missing");
    files
}

#[test]
fn fixtures_read_as_pinned() {
    for path in fixtures() {
        let name = path.file_name().unwrap().to_str().unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        // A neutral folder, so the snapshot pins detection by content.
        let rendered = grammar_tests::render(&format!("notes/{name}"), &text);
        insta::assert_snapshot!(name.trim_end_matches(".md"), rendered);
    }
}

/// The block parser reads each text with the words of prose joined
/// (`server/src/syntax/block_input.rs`); on every fixture that must give
/// the named nodes of a parse of the text as written.
#[test]
fn joined_input_reads_fixtures_like_their_own_text() {
    for path in fixtures() {
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(check_joining(&text), Ok(true), "{}", path.display());
    }
}

/// Deletes each fixture's text and types it back in chunks, reparsing
/// incrementally after each step; the model must equal a fresh parse's.
#[test]
fn incremental_reparse_reads_fixtures_like_a_fresh_parse() {
    for path in fixtures() {
        let full = std::fs::read_to_string(&path).unwrap();
        let mut text = String::new();
        let mut tree = BlockTree::parse(&text);
        let mut cache = InlineCache::default();
        let mut offset = 0;
        let chunk = 17;
        while offset < full.len() {
            let mut end = (offset + chunk).min(full.len());
            while !full.is_char_boundary(end) {
                end += 1;
            }
            let piece = &full[offset..end];
            let edit = TextEdit {
                start: text.len(),
                old_end: text.len(),
                new_text: piece.to_string(),
            };
            let new_text = format!("{text}{piece}");
            tree.reparse(&text, &edit, &new_text);
            text = new_text;
            offset = end;
        }
        // And an edit in the middle: delete a line and put it back.
        if let Some(line_end) = text[text.len() / 2..]
            .find('\n')
            .map(|i| i + text.len() / 2)
        {
            let line_start = text[..line_end].rfind('\n').map_or(0, |i| i + 1);
            let removed = text[line_start..line_end].to_string();
            let edit = TextEdit {
                start: line_start,
                old_end: line_end,
                new_text: String::new(),
            };
            let mut shorter = text.clone();
            shorter.replace_range(line_start..line_end, "");
            tree.reparse(&text, &edit, &shorter);
            let edit = TextEdit {
                start: line_start,
                old_end: line_start,
                new_text: removed,
            };
            tree.reparse(&shorter, &edit, &text);
        }
        let incremental = model::build(&text, &tree, &mut cache);
        assert_eq!(
            incremental,
            model::build_from_text(&text),
            "{}",
            path.display()
        );
    }
}
