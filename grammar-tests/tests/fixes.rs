//! Every fix offered on every fixture: applied alone it removes its own
//! diagnostic and leaves a text that still reads as a plan; "fix all"
//! leaves no safe fix behind and is idempotent.

use std::path::PathBuf;

use execplan_ls::analysis::{AnalysisOptions, CheckContext, apply_edits, check, fix_all};
use execplan_ls::model::build_from_text;

fn fixtures() -> Vec<PathBuf> {
    grammar_tests::fixture_paths()
}

fn now() -> jiff::Timestamp {
    jiff::Timestamp::from_second(1_800_000_000).unwrap()
}

#[test]
fn each_fix_removes_its_diagnostic() {
    let options = AnalysisOptions::default();
    let ctx = CheckContext::new(now(), &options);
    let mut fixes_seen = 0;
    for path in fixtures() {
        let text = std::fs::read_to_string(&path).unwrap();
        let model = build_from_text(&text);
        let before = check(&text, &model, &ctx);
        for diagnostic in &before {
            let Some(fix) = &diagnostic.fix else { continue };
            fixes_seen += 1;
            let (after, applied) = apply_edits(&text, &fix.edits);
            assert_eq!(
                applied,
                fix.edits.len(),
                "{}: {} edits overlap",
                path.display(),
                diagnostic.code
            );
            let after_model = build_from_text(&after);
            let after_diagnostics = check(&after, &after_model, &ctx);
            let count = |ds: &[execplan_ls::analysis::Diagnostic]| {
                ds.iter().filter(|d| d.code == diagnostic.code).count()
            };
            assert!(
                count(&after_diagnostics) < count(&before),
                "{}: fix `{}` for {} did not remove it:\n{after}",
                path.display(),
                fix.title,
                diagnostic.code
            );
            // The fixed text keeps its title and sections.
            assert_eq!(
                after_model.title_heading().map(|h| h.text.clone()),
                model.title_heading().map(|h| h.text.clone())
            );
            assert!(
                after_model.sections.len() >= model.sections.len(),
                "{}: a fix lost a section",
                path.display()
            );
        }
    }
    assert!(fixes_seen >= 20, "only {fixes_seen} fixes were exercised");
}

#[test]
fn fix_all_is_complete_and_idempotent() {
    let options = AnalysisOptions::default();
    let ctx = CheckContext::new(now(), &options);
    for path in fixtures() {
        let text = std::fs::read_to_string(&path).unwrap();
        let fixed = fix_all(&text, &ctx);
        let model = build_from_text(&fixed);
        let remaining = check(&fixed, &model, &ctx);
        let safe_left: Vec<_> = remaining
            .iter()
            .filter(|d| d.fix.as_ref().is_some_and(|f| f.safe))
            .map(|d| d.code)
            .collect();
        assert!(
            safe_left.is_empty(),
            "{}: safe fixes left after fix-all: {safe_left:?}\n{fixed}",
            path.display()
        );
        assert_eq!(
            fix_all(&fixed, &ctx),
            fixed,
            "{}: fix-all is not idempotent",
            path.display()
        );
    }
}

/// Every Progress action on every item of every fixture gives the intended
/// model: the item's new state, a stamp where one was added, and every other
/// item unchanged. Adding a Decision Log or Surprises entry adds one entry.
#[test]
fn every_action_gives_the_intended_model() {
    use execplan_ls::analysis::actions::{
        add_decision_entry, add_surprise_entry, progress_actions,
    };
    use execplan_ls::model::CheckState;
    for path in fixtures() {
        let text = std::fs::read_to_string(&path).unwrap();
        let model = build_from_text(&text);
        if model.title.is_none() {
            continue;
        }
        let items: Vec<_> = model.progress_items().cloned().collect();
        for (index, item) in items.iter().enumerate() {
            let cursor = item.span.start..item.span.start;
            for action in progress_actions(&text, &model, &cursor, now()) {
                let (after, _) = apply_edits(&text, &action.edits);
                let after_model = build_from_text(&after);
                let name = format!("{}: `{}` on {:?}", path.display(), action.title, item.text);
                if action.title.starts_with("Split") {
                    assert_eq!(
                        after_model.progress_items().count(),
                        items.len() + 1,
                        "{name}\n{after}"
                    );
                    continue;
                }
                let after_items: Vec<_> = after_model.progress_items().collect();
                assert_eq!(after_items.len(), items.len(), "{name}\n{after}");
                let changed = after_items[index];
                if action.title.starts_with("Mark done") {
                    assert_eq!(changed.state, CheckState::Checked, "{name}");
                    assert!(changed.timestamp.is_some(), "{name}");
                } else if action.title.starts_with("Add timestamp") {
                    assert!(
                        changed.timestamp.as_ref().is_some_and(|t| t.is_canonical()),
                        "{name}"
                    );
                } else if action.title.starts_with("Reopen") {
                    assert_eq!(changed.state, CheckState::Unchecked, "{name}");
                }
                for (i, (a, b)) in items.iter().zip(&after_items).enumerate() {
                    if i != index {
                        assert_eq!(
                            (a.state, &a.text),
                            (b.state, &b.text),
                            "{name}: another item changed"
                        );
                    }
                }
            }
        }
        let decision = add_decision_entry(&text, &model, now(), Some("Ada"));
        let after = build_from_text(&apply_edits(&text, &decision.edits).0);
        assert_eq!(
            after.outer_fence.is_some(),
            model.outer_fence.is_some(),
            "{}: the outer fence was broken",
            path.display()
        );
        assert_eq!(
            after.decisions.len(),
            model.decisions.len() + 1,
            "{}: decision entry",
            path.display()
        );
        let surprise = add_surprise_entry(&text, &model);
        let after = build_from_text(&apply_edits(&text, &surprise.edits).0);
        assert_eq!(
            after.surprises.len(),
            model.surprises.len() + 1,
            "{}: surprise entry",
            path.display()
        );
    }
}
