//! EP601: an AGENTS.md that sends agents to a PLANS.md that is not there.
//! AGENTS.md is not a plan; this is the one rule that reads it.

use super::{AnalysisOptions, Diagnostic};
use crate::analysis::Code;

/// The paths ending in `PLANS.md` that `text` names, with their spans.
fn plans_md_mentions(text: &str) -> Vec<(std::ops::Range<usize>, &str)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = text[from..].find("PLANS.md") {
        let end = from + i + "PLANS.md".len();
        let start = text[..from + i]
            .rfind(|c: char| !(c.is_alphanumeric() || "./_-".contains(c)))
            .map_or(0, |j| j + 1);
        let followed_by_word = text[end..]
            .chars()
            .next()
            .is_some_and(|c| c.is_alphanumeric() || c == '_');
        if !followed_by_word {
            out.push((start..end, &text[start..end]));
        }
        from = end;
    }
    out
}

/// EP601 findings for an AGENTS.md: each named PLANS.md for which `exists`
/// says no.
pub fn check_agents_md(
    text: &str,
    options: &AnalysisOptions,
    exists: &dyn Fn(&str) -> bool,
) -> Vec<Diagnostic> {
    let Some(severity) = options.severity(Code::EP601) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut reported: Vec<&str> = Vec::new();
    for (span, path) in plans_md_mentions(text) {
        if reported.contains(&path) || exists(path) {
            continue;
        }
        reported.push(path);
        out.push(Diagnostic {
            code: Code::EP601,
            severity,
            span,
            message: format!(
                "AGENTS.md names `{path}`, which does not exist: agents told to follow it will not find it. Correct the path or check the file in."
            ),
            fix: None,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_each_missing_plans_md_once() {
        let text = "Follow `.agent/PLANS.md` when planning.\nSee also docs/PLANS.md and [it](.agent/PLANS.md). PLANS.mdx is not one.\n";
        let exists = |p: &str| p == "docs/PLANS.md";
        let found = check_agents_md(text, &AnalysisOptions::default(), &exists);
        let got: Vec<(&str, &str)> = found
            .iter()
            .map(|d| (d.code.as_str(), &text[d.span.clone()]))
            .collect();
        assert_eq!(got, vec![("EP601", ".agent/PLANS.md")]);
    }
}
