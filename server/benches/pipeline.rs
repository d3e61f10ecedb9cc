//! Criterion benchmarks of each stage on plans of 1,000 and 10,000 lines:
//! a full block parse (tree-sitter, and pulldown-cmark's fast parse), a
//! document read whole both ways (parse and model), an incremental reparse
//! after one keystroke, the model build, the rules, and a whole keystroke
//! through the document (a single-body model update and the rules with the
//! document's memo).
//!
//!     cargo bench -p execplan-ls --bench pipeline

mod support;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use execplan_ls::analysis::{AnalysisOptions, CheckContext, check, outline};
use execplan_ls::checker;
use execplan_ls::config::Settings;
use execplan_ls::document::{ContentChange, Document};
use execplan_ls::model;
use execplan_ls::syntax::{BlockTree, FastBlocks, InlineCache, TextEdit};
use execplan_ls::text::{PositionEncoding, TextPosition};
use execplan_ls::workspace::{PathCache, PlanEnv};

fn stages(c: &mut Criterion) {
    for lines in [1_000, 10_000] {
        let text = support::plan_of_lines(lines);
        let mut group = c.benchmark_group(format!("{lines} lines ({} KB)", text.len() / 1024));
        group.sample_size(20);

        group.bench_function("block parse", |b| b.iter(|| BlockTree::parse(&text)));
        group.bench_function("fast block parse (pulldown-cmark)", |b| {
            b.iter(|| FastBlocks::parse(&text).expect("the generated plan takes the fast path"))
        });
        // A document read whole, as `check`, the index and opening do: the
        // parse and the model with a cold inline cache, each way.
        group.bench_function("whole read, tree-sitter (parse + model)", |b| {
            b.iter(|| model::build_with_tree_sitter(&text))
        });
        group.bench_function("whole read, fast (parse + model)", |b| {
            b.iter(|| {
                model::build_fast(&text, &mut InlineCache::default())
                    .expect("the generated plan takes the fast path")
            })
        });

        // One character typed in the middle of a Progress item, then deleted
        // again, on the same tree. (Cloning the tree before each edit, as a
        // batched setup would, makes the reparse some 35 times slower: the
        // edit cannot reuse nodes the clone shares.)
        let at = text.find("- [ ] Step 3:").unwrap() + 6;
        let mut with_x = text.clone();
        with_x.insert(at, 'x');
        let insert = TextEdit {
            start: at,
            old_end: at,
            new_text: "x".into(),
        };
        let delete = TextEdit {
            start: at,
            old_end: at + 1,
            new_text: String::new(),
        };
        group.bench_function("incremental block reparse", |b| {
            let mut tree = BlockTree::parse(&text);
            let mut typed = false;
            b.iter(|| {
                if typed {
                    tree.reparse(&with_x, &delete, &text);
                } else {
                    tree.reparse(&text, &insert, &with_x);
                }
                typed = !typed;
            })
        });
        let tree = BlockTree::parse(&text);

        group.bench_function("model build (warm inline cache)", |b| {
            // The cache holds what a live model holds, as a document's
            // previous model does while the next one is built.
            let mut cache = InlineCache::default();
            let mut previous = model::build(&text, &tree, &mut cache);
            b.iter(|| {
                previous = model::build(&text, &tree, &mut cache);
                previous.headings.len()
            })
        });

        let built = model::build_from_text(&text);
        let options = AnalysisOptions::default();
        let ctx = CheckContext::new(jiff::Timestamp::now(), &options);
        group.bench_function("all rules", |b| b.iter(|| check(&text, &built, &ctx)));
        group.bench_function("outline (documentSymbol)", |b| {
            b.iter(|| outline::outline(&text, &built))
        });

        let (env, settings, now) = (
            PlanEnv::default(),
            Settings::default(),
            jiff::Timestamp::now(),
        );
        let line = text[..at].matches('\n').count() as u32;
        let column = (at - text[..at].rfind('\n').map_or(0, |i| i + 1)) as u32;
        group.bench_function(
            BenchmarkId::new("keystroke", "apply+reparse+model+diagnostics"),
            |b| {
                let mut doc = Document::new(text.clone(), 1);
                let mut version = 1;
                let mut insert = true;
                b.iter(|| {
                    // Type a character, then delete it, so the text stays the same size.
                    version += 1;
                    let change = if insert {
                        ContentChange {
                            range: Some((
                                TextPosition::new(line, column),
                                TextPosition::new(line, column),
                            )),
                            text: "x".into(),
                        }
                    } else {
                        ContentChange {
                            range: Some((
                                TextPosition::new(line, column),
                                TextPosition::new(line, column + 1),
                            )),
                            text: String::new(),
                        }
                    };
                    insert = !insert;
                    doc.apply_changes(&[change], version, PositionEncoding::Utf8);
                    // As the server checks an open document: with its memo.
                    checker::document_diagnostics(
                        &doc,
                        &PathCache::default(),
                        None,
                        &env,
                        &settings,
                        now,
                    )
                })
            },
        );
        group.finish();
    }
}

criterion_group!(benches, stages);
criterion_main!(benches);
