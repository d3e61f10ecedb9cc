//! Applying every offered fix and action must never produce an invalid edit:
//! each edit lies inside the text on character boundaries, applying it gives
//! text that parses, and "fix all" terminates.
#![no_main]

use execplan_ls::analysis::actions::{add_decision_entry, add_surprise_entry, progress_actions};
use execplan_ls::analysis::{AnalysisOptions, CheckContext, Edit, apply_edits, check, fix_all};
use execplan_ls::model::build_from_text;
use libfuzzer_sys::fuzz_target;

fn valid(text: &str, edits: &[Edit]) {
    for e in edits {
        assert!(e.span.start <= e.span.end && e.span.end <= text.len(), "{:?} outside {}", e.span, text.len());
        assert!(text.is_char_boundary(e.span.start) && text.is_char_boundary(e.span.end), "{:?}", e.span);
    }
    let (after, _) = apply_edits(text, edits);
    let _ = build_from_text(&after);
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let model = build_from_text(&text);
    let options = AnalysisOptions::default();
    let now = jiff::Timestamp::from_second(1_800_000_000).unwrap();
    let ctx = CheckContext::new(now, &options);
    for d in check(&text, &model, &ctx) {
        if let Some(fix) = &d.fix {
            valid(&text, &fix.edits);
        }
    }
    for action in progress_actions(&text, &model, &(0..text.len()), now) {
        valid(&text, &action.edits);
    }
    valid(&text, &add_decision_entry(&text, &model, now, Some("Ada")).edits);
    valid(&text, &add_surprise_entry(&text, &model).edits);
    let _ = fix_all(&text, &ctx);
});
