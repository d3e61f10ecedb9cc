//! The findings an edit introduced: those of the new text that the old text
//! did not have. Findings are matched by code, message and the text of the
//! line they sit on, so a finding that only moved (lines added above it) is
//! not new, and a second copy of an old finding is.

use std::collections::HashMap;

use super::{Code, Diagnostic, line_span};

fn key<'a>(text: &'a str, d: &'a Diagnostic) -> (Code, &'a str, &'a str) {
    (
        d.code,
        d.message.as_str(),
        text[line_span(text, d.span.start)].trim(),
    )
}

/// The diagnostics of `new` (checked on `new_text`) that `old` (checked on
/// `old_text`) did not have, in `new`'s order.
pub fn introduced<'a>(
    old_text: &str,
    old: &[Diagnostic],
    new_text: &str,
    new: &'a [Diagnostic],
) -> Vec<&'a Diagnostic> {
    let mut seen: HashMap<(Code, &str, &str), usize> = HashMap::new();
    for d in old {
        *seen.entry(key(old_text, d)).or_default() += 1;
    }
    new.iter()
        .filter(|d| match seen.get_mut(&key(new_text, d)) {
            Some(n) if *n > 0 => {
                *n -= 1;
                false
            }
            _ => true,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{AnalysisOptions, CheckContext, check};
    use crate::model::build_from_text;

    fn findings(text: &str) -> Vec<Diagnostic> {
        let options = AnalysisOptions::default();
        let ctx = CheckContext::new("2026-11-23T14:05:09Z".parse().unwrap(), &options);
        check(text, &build_from_text(text), &ctx)
    }

    #[test]
    fn moved_findings_are_old_and_new_ones_are_new() {
        let old = "# P\n\n## Progress\n\n- [x] Done without a stamp.\n";
        let new = "# P\n\nIntro.\n\n## Progress\n\n- [x] Done without a stamp.\n- [x] Another.\n";
        let (a, b) = (findings(old), findings(new));
        let fresh: Vec<_> = introduced(old, &a, new, &b)
            .iter()
            .map(|d| (d.code, line_span(new, d.span.start)))
            .collect();
        let another = new.find("- [x] Another").unwrap();
        assert!(
            fresh
                .iter()
                .all(|(_, span)| span.start == another || !new[span.clone()].contains("Done")),
            "{fresh:?}"
        );
        assert!(
            fresh
                .iter()
                .any(|(code, span)| *code == "EP203" && span.start == another),
            "{fresh:?}"
        );
        assert!(introduced(old, &a, old, &a).is_empty());
    }
}
