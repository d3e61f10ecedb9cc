//! Test helpers shared by the rule tests: a canonical plan to vary, and the
//! diagnostics of a text as (code, 1-based line) pairs.

use crate::analysis::{AnalysisOptions, CheckContext, check, line_number};
use crate::model::build_from_text;

pub const PREAMBLE: &str = "This ExecPlan is a living document. The sections `Progress`, `Surprises & Discoveries`, `Decision Log`, and `Outcomes & Retrospective` must be kept up to date as work proceeds.";

/// A complete plan in the canonical skeleton, with `extra` appended.
pub fn plan(extra: &str) -> String {
    let mut s = format!("# Add a cache\n\n{PREAMBLE}\n\n");
    let bodies = [
        ("Purpose / Big Picture", "Users get answers faster."),
        (
            "Progress",
            "- [x] (2026-01-05 10:00Z) Wrote the cache.\n- [ ] Measure it.",
        ),
        (
            "Surprises & Discoveries",
            "- Observation: Reads dominate.\n  Evidence: 98% of requests are GETs.",
        ),
        (
            "Decision Log",
            "- Decision: Use an LRU.\n  Rationale: Bounded memory.\n  Date/Author: 2026-01-05 / Ada",
        ),
        ("Outcomes & Retrospective", "None yet."),
        (
            "Context and Orientation",
            "The server lives in `src/server.rs`.",
        ),
        ("Plan of Work", "Add the cache in front of the store."),
        ("Concrete Steps", "Run the tests.\n\n    cargo test"),
        ("Validation and Acceptance", "The tests pass."),
        ("Idempotence and Recovery", "Every step can be repeated."),
        ("Artifacts and Notes", "None yet."),
        ("Interfaces and Dependencies", "No new dependency."),
    ];
    for (heading, body) in bodies {
        s.push_str(&format!("## {heading}\n\n{body}\n\n"));
    }
    s.push_str(extra);
    s
}

pub fn codes_with(
    text: &str,
    ctx_fn: impl FnOnce(&mut CheckContext<'_>),
) -> Vec<(&'static str, usize)> {
    let options = AnalysisOptions::default();
    let mut ctx = CheckContext::new(
        jiff::Timestamp::from_second(1_800_000_000).unwrap(),
        &options,
    );
    ctx_fn(&mut ctx);
    let model = build_from_text(text);
    check(text, &model, &ctx)
        .into_iter()
        .map(|d| (d.code.as_str(), line_number(text, d.span.start)))
        .collect()
}

pub fn codes(text: &str) -> Vec<(&'static str, usize)> {
    codes_with(text, |_| {})
}

pub fn of(code: &str, found: &[(&'static str, usize)]) -> Vec<usize> {
    found
        .iter()
        .filter(|(c, _)| *c == code)
        .map(|(_, l)| *l)
        .collect()
}

/// Texts made of random cuts of `phrases` (their start, whole or short of
/// up to three bytes), in random case, glued by filler: `count` of them,
/// the same on every run. For tests that compare a cheap search with the
/// one it stands in front of.
pub fn phrase_soup(phrases: &[&str], count: usize) -> Vec<String> {
    let mut seed = 29u64;
    let mut next = move || {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) as usize
    };
    let filler = ["", " ", "x", ". ", "\n", "  ", "(", "`", "é", "see ", "as "];
    let mut out = Vec::with_capacity(count);
    for _ in 0..count {
        let mut piece = String::new();
        for _ in 0..next() % 5 {
            let phrase = phrases[next() % phrases.len()];
            let mut cut = phrase.len() - (next() % 4).min(phrase.len());
            while !phrase.is_char_boundary(cut) {
                cut -= 1;
            }
            // Sometimes the phrase's end alone.
            let from = if next() % 4 == 0 { cut / 2 } else { 0 };
            let from = (0..=from)
                .rev()
                .find(|&i| phrase.is_char_boundary(i))
                .unwrap_or(0);
            piece.push_str(filler[next() % filler.len()]);
            for c in phrase[from..cut].chars() {
                if next() % 3 == 0 {
                    piece.extend(c.to_uppercase());
                } else {
                    piece.push(c);
                }
            }
        }
        out.push(piece);
    }
    out
}
