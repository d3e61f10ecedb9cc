//! What one keystroke costs the engine, in process, without the protocol:
//! the bench's generated plan of LINES lines (1,000 by default) is opened
//! in a workspace on disk, then KEYSTROKES (500) characters are typed at
//! the end of its first open Progress item (PLAN=file types into that
//! plan instead), each followed by what the
//! server does for it (apply the edit, check, outline). For profilers
//! (`perf record`, `valgrind --tool=callgrind`) and before/after timings:
//!
//!     LINES=10000 cargo run --release -p execplan-engine --example keystrokes
//!
//! PAUSE_MS (0) sleeps after each keystroke, as the side-by-side bench
//! does. Prints each stage's p50 over the keystrokes; KEEP=1 keeps the plan on
//! disk (for driving the server with it).

// The bench's plan generator names the server crate, whose modules are
// this crate's.
extern crate execplan_engine as execplan_ls;

#[path = "../../benches/support/plans.rs"]
mod plans;

use std::time::{Duration, Instant};

use execplan_engine::checker::{self, PlanContext, Source};
use execplan_engine::document::{ContentChange, Document};
use execplan_engine::text::{PositionEncoding, TextPosition};
use execplan_engine::workspace::PathCache;

fn number(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    let lines = number("LINES", 1_000);
    let keystrokes = number("KEYSTROKES", 500);
    let pause = Duration::from_millis(number("PAUSE_MS", 0) as u64);
    let text = match std::env::var_os("PLAN") {
        Some(plan) => std::fs::read_to_string(plan).expect("PLAN names a readable file"),
        None => plans::plan_of_lines(lines),
    };
    let root = std::env::temp_dir().join(format!("execplan-keystrokes-{}", std::process::id()));
    let path = root.join(".agent/plans/plan.md");
    std::fs::create_dir_all(root.join(".git")).unwrap();
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, &text).unwrap();
    let (ctx, _) = PlanContext::resolve(Some(&path), Some(&root), None);
    let paths = PathCache::default();

    let line = text.lines().position(|l| l.starts_with("- [ ] ")).unwrap();
    let line_end = text.lines().nth(line).unwrap().len() as u32;
    let mut doc = Document::new(text, 1);
    doc.model();
    let (mut edit, mut check, mut outline) = (Vec::new(), Vec::new(), Vec::new());
    let mut found = 0;
    for k in 0..keystrokes {
        let at = TextPosition {
            line: line as u32,
            character: line_end + k as u32,
        };
        let change = ContentChange {
            range: Some((at, at)),
            text: "x".into(),
        };
        let t0 = Instant::now();
        doc.apply_changes(&[change], 2 + k as i32, PositionEncoding::Utf16);
        let t1 = Instant::now();
        let diagnostics = checker::outcome(
            Source::Open(&doc),
            &ctx,
            Some(&paths),
            jiff::Timestamp::now(),
        )
        .into_diagnostics();
        let lines = doc.lines();
        for d in &diagnostics {
            std::hint::black_box(lines.position(d.span.start, PositionEncoding::Utf16));
        }
        found = diagnostics.len();
        let t2 = Instant::now();
        std::hint::black_box(execplan_engine::analysis::outline::outline(
            doc.text(),
            doc.model(),
        ));
        let t3 = Instant::now();
        edit.push(t1 - t0);
        check.push(t2 - t1);
        outline.push(t3 - t2);
        std::thread::sleep(pause);
    }
    // The last keystroke's diagnostics are those of the text read afresh.
    let fresh = checker::outcome(
        Source::Text(doc.text()),
        &ctx,
        Some(&paths),
        jiff::Timestamp::now(),
    )
    .into_diagnostics();
    assert_eq!(
        fresh.len(),
        found,
        "the edited document and its text read afresh differ"
    );
    if std::env::var_os("KEEP").is_some() {
        println!("the plan is kept at {}", path.display());
    } else {
        let _ = std::fs::remove_dir_all(&root);
    }
    let p50 = |v: &mut Vec<Duration>| {
        v.sort();
        v[v.len() / 2].as_secs_f64() * 1e3
    };
    println!(
        "{lines} lines, {keystrokes} keystrokes, {found} diagnostics: p50 edit {:.3} ms, check {:.3} ms, outline {:.3} ms",
        p50(&mut edit),
        p50(&mut check),
        p50(&mut outline)
    );
}
