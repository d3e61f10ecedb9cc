//! Arbitrary bytes as a plan: the model builder, every rule, the outline,
//! folding, code lenses, hover and completion at every line must not panic,
//! and every span they give must lie on character boundaries of the text.
#![no_main]

use execplan_ls::analysis::{AnalysisOptions, CheckContext, check};
use execplan_ls::analysis::{completion, folding, hover, lens, outline};
use execplan_ls::model::{Skeleton, build_from_text};
use libfuzzer_sys::fuzz_target;

fn on_boundaries(text: &str, span: &std::ops::Range<usize>) -> bool {
    span.start <= span.end && span.end <= text.len() && text.is_char_boundary(span.start) && text.is_char_boundary(span.end)
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let model = build_from_text(&text);
    let options = AnalysisOptions::default();
    let now = jiff::Timestamp::from_second(1_800_000_000).unwrap();
    let ctx = CheckContext::new(now, &options);
    for d in check(&text, &model, &ctx) {
        assert!(on_boundaries(&text, &d.span), "{} at {:?}", d.code, d.span);
    }
    for s in outline::outline(&text, &model) {
        assert!(on_boundaries(&text, &s.span));
    }
    for f in folding::folding_ranges(&text, &model) {
        assert!(on_boundaries(&text, &f.span));
    }
    // The same text read as a team's PLANS.md: its skeleton, if any, drives
    // the section rules without a panic or a span off a boundary.
    if let Some(team) = Skeleton::from_plans_md(&text) {
        let mut ctx = CheckContext::new(now, &options);
        ctx.skeleton = &team;
        for d in check(&text, &model, &ctx) {
            assert!(on_boundaries(&text, &d.span), "{} at {:?} (team skeleton)", d.code, d.span);
        }
    }
    let _ = lens::lenses(&model, now);
    let resolve = |_: &str| hover::PathFacts::Missing;
    let cx = hover::HoverContext { now, diagnostics: &[], resolve_path: &resolve };
    let completion_cx = completion::CompletionContext { now, author: Some("Ada"), skeleton: Skeleton::canonical() };
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let _ = hover::hover(&text, &model, offset, &cx);
        let _ = completion::complete(&text, &model, offset + line.trim_end().len(), &completion_cx);
        offset += line.len();
    }
});
