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
