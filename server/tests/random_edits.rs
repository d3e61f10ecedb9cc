//! Thousands of random incremental edits through the document store must
//! leave exactly the text, model and diagnostics of a fresh parse; and a
//! flood of changes through the protocol must leave the server's text right.

mod support;

use execplan_ls::analysis::Diagnostic;
use execplan_ls::checker;
use execplan_ls::config::Settings;
use execplan_ls::document::{ContentChange, ModelUpdate};
use execplan_ls::model::build_from_text;
use execplan_ls::store::DocumentStore;
use execplan_ls::text::{LineIndex, PositionEncoding, TextPosition, offset_to_position};
use execplan_ls::workspace::{PathCache, PlanEnv};
use ropey::Rope;
use serde_json::json;

/// xorshift64*: small, seeded, reproducible.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const SNIPPETS: &[&str] = &[
    "## Progress\n\n",
    "## Decision Log\n",
    "## Surprises and discoveries\n\n",
    "### Milestone 2\n",
    "- [x] (2026-01-01 10:00Z) done\n",
    "- [ ] ",
    "- [ ]\n",
    "- [~] half\n",
    "- [x] 2025-10-25T17:34Z stamped\n",
    "  wrapped line\n",
    "- Decision: use it\n  Rationale: because\n  Date/Author: 2026-01-01 / Ada\n",
    "| When | Decision | Rationale |\n|---|---|---|\n| 2026 | a | b |\n",
    "```sh\ncargo test\n```\n",
    "    indented\n",
    "Setext\n------\n",
    "é",
    "日本語",
    "😀",
    "\r\n",
    "\r",
    "\n",
    "\n\n",
    "`src/main.rs`",
    "[link](https://example.com)",
    "as discussed above",
    "<placeholder text>",
    "#",
    "x",
    " ",
];

const START: &str = "# Plan\n\nThis ExecPlan is a living document.\n\n## Purpose / Big Picture\n\nWhy.\n\n## Progress\n\n- [x] (2026-01-01 09:00Z) First.\n- [ ] Second.\n\n## Decision Log\n\n- Decision: A.\n  Rationale: B.\n  Date/Author: 2026-01-01 / Ada\n";

fn now() -> jiff::Timestamp {
    jiff::Timestamp::from_second(1_800_000_000).unwrap()
}

fn diagnostics_of(text: &str, model: &execplan_ls::model::PlanModel) -> Vec<Diagnostic> {
    checker::diagnostics(
        text,
        model,
        None,
        &PlanEnv::default(),
        &Settings::default(),
        now(),
    )
}

/// The document's model and published diagnostics equal those of a fresh
/// parse of its text; `context` names the step for the failure message.
fn assert_matches_a_fresh_parse(doc: &execplan_ls::document::Document, context: &str) {
    let text = doc.text();
    assert_eq!(
        *doc.lines().index,
        LineIndex::new(text),
        "{context}: line index diverged for text {text:?}"
    );
    let fresh = build_from_text(text);
    assert!(
        **doc.model() == fresh,
        "{context}: model diverged for text {text:?}:\n{}",
        model_difference(doc.model(), &fresh)
    );
    assert_eq!(
        document_diagnostics_of(doc),
        diagnostics_of(text, &fresh),
        "{context}: diagnostics diverged"
    );
}

/// What the server publishes for an open document: rules' findings
/// remembered with the document between checks.
fn document_diagnostics_of(doc: &execplan_ls::document::Document) -> Vec<Diagnostic> {
    checker::document_diagnostics(
        doc,
        &PathCache::default(),
        None,
        &PlanEnv::default(),
        &Settings::default(),
        now(),
    )
}

/// The fields in which two models differ, both ways, for failure messages.
fn model_difference(
    got: &execplan_ls::model::PlanModel,
    want: &execplan_ls::model::PlanModel,
) -> String {
    let mut out = String::new();
    macro_rules! field {
        ($($name:ident),*) => {$(
            if got.$name != want.$name {
                out.push_str(&format!(
                    "{}:\n  got  {:?}\n  want {:?}\n",
                    stringify!($name),
                    got.$name,
                    want.$name
                ));
            }
        )*};
    }
    field!(
        headings,
        title,
        text_before_title,
        preamble,
        sections,
        checkboxes,
        decisions,
        surprises,
        fences,
        outer_fence,
        indented_blocks,
        tables,
        lists,
        inlines,
        links,
        code_paths,
        revision_note
    );
    out
}

/// A random char boundary in `text`.
fn boundary(rng: &mut Rng, text: &str) -> usize {
    let mut i = rng.below(text.len() + 1);
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn run(seed: u64, steps: usize, encoding: PositionEncoding) {
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let store = DocumentStore::new();
    let uri = "file:///plan.md";
    let mut reference = START.to_string();
    store.open(uri, reference.clone(), 0);
    for step in 1..=steps {
        let a = boundary(&mut rng, &reference);
        let b = if rng.below(3) == 0 {
            boundary(&mut rng, &reference)
        } else {
            a
        };
        let (start, end) = (a.min(b), a.max(b));
        let insert = if rng.below(4) == 0 {
            ""
        } else {
            SNIPPETS[rng.below(SNIPPETS.len())]
        };
        // Positions as the editor computes them, from the text before the edit.
        let rope = Rope::from_str(&reference);
        let from = offset_to_position(&rope, start, encoding);
        let to = offset_to_position(&rope, end, encoding);
        let change = ContentChange {
            range: Some((from, to)),
            text: insert.to_string(),
        };
        // A position between CR and LF maps to the line end; mirror what the store does.
        let start_back = execplan_ls::text::position_to_offset(&rope, from, encoding);
        let end_back = execplan_ls::text::position_to_offset(&rope, to, encoding);
        reference.replace_range(start_back..end_back, insert);
        store.change(uri, step as i32, &[change], encoding).unwrap();
        if step % 97 == 0 {
            // A cold document: its tree is dropped and rebuilt on the next edit.
            store.close(uri);
            store.open(uri, reference.clone(), step as i32);
        }
        let doc = store.get(uri).unwrap();
        assert_eq!(
            doc.text(),
            reference,
            "seed {seed} step {step}: text diverged"
        );
        if step % 3 == 0 || step == steps {
            assert_matches_a_fresh_parse(&doc, &format!("seed {seed} step {step}"));
        }
    }
}

#[test]
fn random_edits_match_a_fresh_parse_utf16() {
    for seed in 1..=10 {
        run(seed, 300, PositionEncoding::Utf16);
    }
}

#[test]
fn random_edits_match_a_fresh_parse_utf8() {
    for seed in 100..=109 {
        run(seed, 300, PositionEncoding::Utf8);
    }
}

/// One key at `at` through the store, as an editor sends it (UTF-8
/// positions): a third of the time the character at `at` deleted, when `at`
/// is before `limit`, else one of `keys` typed. Checks that the store's text
/// and `reference` agree after it; `version` is the document's new version.
fn press_key(
    rng: &mut Rng,
    keys: &[&str],
    store: &DocumentStore,
    uri: &str,
    reference: &mut String,
    (version, at, limit): (usize, usize, usize),
    context: &str,
) {
    let (end, insert) = if rng.below(3) == 0 && at < limit {
        let width = reference[at..].chars().next().map_or(0, char::len_utf8);
        (at + width, "")
    } else {
        (at, keys[rng.below(keys.len())])
    };
    let rope = Rope::from_str(reference);
    let change = ContentChange {
        range: Some((
            offset_to_position(&rope, at, PositionEncoding::Utf8),
            offset_to_position(&rope, end, PositionEncoding::Utf8),
        )),
        text: insert.to_string(),
    };
    reference.replace_range(at..end, insert);
    store
        .change(uri, version as i32, &[change], PositionEncoding::Utf8)
        .unwrap();
    assert_eq!(
        store.get(uri).unwrap().text(),
        reference.as_str(),
        "{context}"
    );
}

/// A plan with every kind of body: items, entries, tables, fences, links,
/// paths, nested lists, a subsection and a revision note at the end.
const TYPING_START: &str = "# Plan\n\nThis ExecPlan is a living document.\n\n## Purpose / Big Picture\n\nWhy, see [notes](docs/notes.md).\n\n## Progress\n\n- [x] (2026-01-01 09:00Z) First, in `src/lib.rs`.\n- [ ] Second.\n  - [ ] Nested.\n\n## Surprises & Discoveries\n\n- Observation: slow.\n  Evidence: 3 ms.\n\n## Decision Log\n\n| When | Decision | Rationale |\n|---|---|---|\n| 2026-01-01 | a | b |\n\n- Decision: A.\n  Rationale: B.\n  Date/Author: 2026-01-01 / Ada\n\n## Plan of Work\n\n### Milestone 1\n\nRead `server/src/main.rs` as discussed above.\n\n    cargo test\n\n```sh\nls\n```\n\n## Outcomes & Retrospective\n\nNone yet.\n\nPlan update note: first draft.\n";

/// Keystrokes: single characters typed or deleted anywhere, as people type.
/// Most fall in a section's body and update the model in place; each step
/// must still equal a fresh parse, model and diagnostics.
fn typing(seed: u64, steps: usize) -> (usize, usize) {
    const KEYS: &[&str] = &[
        "x", " ", "\n", "-", "[", "]", "`", "#", "|", "é", "(", ":", "*",
    ];
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let store = DocumentStore::new();
    let uri = "file:///plan.md";
    let mut reference = TYPING_START.to_string();
    store.open(uri, reference.clone(), 0);
    let (mut from_tree, mut body_alone) = (0, 0);
    for step in 1..=steps {
        // Typing at the end of the text is common: an eighth of the keys.
        let at = if rng.below(8) == 0 {
            reference.len()
        } else {
            boundary(&mut rng, &reference)
        };
        let context = format!("seed {seed} step {step}");
        let limit = reference.len();
        press_key(
            &mut rng,
            KEYS,
            &store,
            uri,
            &mut reference,
            (step, at, limit),
            &context,
        );
        let doc = store.get(uri).unwrap();
        match doc.last_update() {
            ModelUpdate::Whole => {}
            ModelUpdate::FromTree => from_tree += 1,
            ModelUpdate::ItemAlone | ModelUpdate::BodyAlone => body_alone += 1,
        }
        assert_matches_a_fresh_parse(&doc, &context);
    }
    (from_tree, body_alone)
}

#[test]
fn typing_updates_the_model_in_place_and_matches_a_fresh_parse() {
    let (mut from_tree, mut body_alone, mut steps) = (0, 0, 0);
    for seed in 1..=6 {
        let (tree, alone) = typing(seed, 200);
        from_tree += tree;
        body_alone += alone;
        steps += 200;
    }
    // Most keystrokes land in a body. Some are read with the item or the
    // body alone; those that cannot be (a fence opened, and from the first
    // key typed past the final line break or the first bracket that might
    // open a link reference definition on, every key: tree-sitter-md may
    // then read lines by what is far from them) go through the tree,
    // reparsed after the edits it was left behind by. Both must be taken,
    // or one of them is dead code here.
    let partial = from_tree + body_alone;
    assert!(
        partial * 2 > steps && body_alone * 50 > steps && from_tree * 20 > steps,
        "of {steps} keystrokes, {body_alone} read the item or body alone and {from_tree} the tree"
    );
}

/// A Progress list of every kind of item: boxes, stamps, continuation and
/// lazy lines, sub-items, code and a fence in an item, a quote, and lists of
/// other bullets after it.
const LIST_START: &str = "# Plan\n\nThis ExecPlan is a living document.\n\n## Progress\n\n- [x] (2026-01-01 09:00Z) First, in `src/lib.rs`.\n- [ ] Second.\n  Its second line.\nA lazy line.\n- [ ] Third.\n  - [ ] Nested.\n  - [x] Nested, done.\n\n- [ ] Fourth, after a blank line.\n\n      indented code\n\n- [ ] Fifth.\n  ```sh\n  ls\n  ```\n- [ ] Sixth.\n  > quoted\n- Seventh, no box.\n- [ ] Eighth.\n\n* [ ] Other bullet.\n* [ ] And another.\n\n## Outcomes & Retrospective\n\nNone yet.\n";

/// Keystrokes within the lines of a long list: characters typed or
/// deleted, never a line break; each step must equal a fresh parse.
fn typing_in_lists(seed: u64, steps: usize) -> usize {
    const KEYS: &[&str] = &[
        "x", " ", "  ", "-", "*", "+", "[", "]", "`", "```", "#", ">", "<", "|", "1.", "é", "(",
        ":", "=", "\\",
    ];
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let store = DocumentStore::new();
    let uri = "file:///plan.md";
    let mut reference = LIST_START.to_string();
    store.open(uri, reference.clone(), 0);
    let mut alone = 0;
    for step in 1..=steps {
        let at = boundary(&mut rng, &reference);
        let line_end = reference[at..]
            .find('\n')
            .map_or(reference.len(), |i| at + i);
        let context = format!("seed {seed} step {step}");
        press_key(
            &mut rng,
            KEYS,
            &store,
            uri,
            &mut reference,
            (step, at, line_end),
            &context,
        );
        let doc = store.get(uri).unwrap();
        alone += usize::from(doc.last_update() == ModelUpdate::ItemAlone);
        assert_matches_a_fresh_parse(&doc, &context);
    }
    alone
}

#[test]
fn typing_in_list_items_matches_a_fresh_parse() {
    let (mut alone, mut steps) = (0, 0);
    for seed in 1..=6 {
        alone += typing_in_lists(seed, 200);
        steps += 200;
    }
    // A good share of these keystrokes read one item alone (fewer once a
    // key has typed a bracket that tree-sitter-md may read far from); none
    // would if that path were dead.
    assert!(
        alone * 20 > steps,
        "only {alone} of {steps} keystrokes read one item alone"
    );
}

/// Divergences the fuzzer and long random runs found, replayed: each case's
/// edits through a document must leave the model of a fresh parse.
#[test]
fn found_divergences_stay_fixed() {
    const FUZZ_START: &str = "# Plan\n\nThis ExecPlan is a living document.\n\n## Progress\n\n- [x] (2026-01-05 10:00Z) One.\n- [ ] Two.\n\n## Decision Log\n\n- Decision: A.\n  Rationale: B.\n  Date/Author: 2026-01-05 / Ada\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n    code\n";
    // (line, column) to (line, column), new text.
    type Change = ((u32, u32), (u32, u32), &'static str);
    const LIST_START: &str = "# Plan\n\n## Progress\n\n- [ ] Second.\n  - [ ] Nested.\n- [x] (2026-01-05 10:00Z) One.\n\n## Decision Log\n\n- ## Surprises and discoveries\n\n  Body.\n";
    let cases: &[(&str, &[Change])] = &[
        // A heading typed past the end of the last line of the last section.
        (
            FUZZ_START,
            &[((9, 58), (9, 58), "## "), ((36, 0), (36, 0), "")],
        ),
        // An item un-nested by deleting one space of its indentation: the
        // item after the edit changes structure without being touched.
        (LIST_START, &[((5, 0), (5, 1), "")]),
        // A space typed before a list's first marker: the list's start stays.
        (LIST_START, &[((4, 0), (4, 0), " ")]),
        // A deletion from inside a heading within a list item to the end.
        (LIST_START, &[((10, 19), (99, 0), "")]),
    ];
    for (start, changes) in cases {
        let mut doc = execplan_ls::document::Document::new(start.to_string(), 1);
        for (version, (from, to, text)) in changes.iter().enumerate() {
            let change = ContentChange {
                range: Some((
                    TextPosition::new(from.0, from.1),
                    TextPosition::new(to.0, to.1),
                )),
                text: text.to_string(),
            };
            doc.apply_changes(&[change], version as i32 + 2, PositionEncoding::Utf16);
            assert_matches_a_fresh_parse(&doc, &format!("{changes:?}"));
        }
    }
}

#[test]
fn positions_inside_characters_and_past_the_end_are_clamped() {
    let store = DocumentStore::new();
    store.open("u", "a😀b\r\nc".into(), 1);
    // Column 2 in UTF-16 is inside the emoji's surrogate pair: snapped to its start.
    let change = ContentChange {
        range: Some((TextPosition::new(0, 2), TextPosition::new(0, 2))),
        text: "X".into(),
    };
    store
        .change("u", 2, &[change], PositionEncoding::Utf16)
        .unwrap();
    assert_eq!(store.get("u").unwrap().text(), "aX😀b\r\nc");
    let change = ContentChange {
        range: Some((TextPosition::new(7, 3), TextPosition::new(99, 99))),
        text: "!".into(),
    };
    store
        .change("u", 3, &[change], PositionEncoding::Utf16)
        .unwrap();
    assert_eq!(store.get("u").unwrap().text(), "aX😀b\r\nc!");
    // Reversed ranges are read in order.
    let change = ContentChange {
        range: Some((TextPosition::new(0, 2), TextPosition::new(0, 0))),
        text: "".into(),
    };
    store
        .change("u", 4, &[change], PositionEncoding::Utf16)
        .unwrap();
    assert_eq!(store.get("u").unwrap().text(), "😀b\r\nc!");
}

#[tokio::test]
async fn a_flood_of_changes_leaves_the_right_text() {
    let (mut client, _) = support::Client::start(json!({}), None).await;
    let uri = "file:///work/repo/.agent/plans/flood.md";
    client.open(uri, 1, support::PLAN).await;
    // Type 2,000 characters at the end of "Add the cache." (line 31), without
    // waiting for anything in between.
    let line = support::PLAN
        .lines()
        .position(|l| l == "Add the cache.")
        .unwrap() as u64;
    let mut expected = support::PLAN.to_string();
    let insert_at = expected.find("Add the cache.").unwrap() + "Add the cache.".len();
    let mut typed = String::new();
    for i in 0..2000u64 {
        let c = if i % 50 == 49 { "é" } else { "a" };
        let column = "Add the cache.".len() as u64 + typed.encode_utf16().count() as u64;
        client
            .change(uri, 2 + i as i64, json!([{ "range": { "start": { "line": line, "character": column }, "end": { "line": line, "character": column } }, "text": c }]))
            .await;
        typed.push_str(c);
    }
    expected.insert_str(insert_at, &typed);
    // A final edit that creates a defect at a known place: check the second item.
    let last_version = 2 + 2000;
    client
        .change(uri, last_version, json!([{ "range": { "start": { "line": 11, "character": 3 }, "end": { "line": 11, "character": 4 } }, "text": "x" }]))
        .await;
    let second_item = expected.find("- [ ] Measure it.").unwrap() + 3;
    expected.replace_range(second_item..second_item + 1, "x");
    let published = client.diagnostics(uri, last_version).await;
    let path = std::path::Path::new("/work/repo/.agent/plans/flood.md");
    let direct = checker::check_text(
        &expected,
        Some(path),
        &PlanEnv::default(),
        &Settings::default(),
        jiff::Timestamp::now(),
        None,
    )
    .unwrap();
    let rope = Rope::from_str(&expected);
    let direct: Vec<(String, u64, u64)> = direct
        .iter()
        .map(|d| {
            let p = offset_to_position(&rope, d.span.start, PositionEncoding::Utf16);
            (d.code.to_string(), p.line as u64, p.character as u64)
        })
        .collect();
    assert_eq!(support::codes(&published), direct);
    assert!(direct.contains(&("EP203".to_string(), 11, 2)), "{direct:?}");
    client.shutdown().await;
}
