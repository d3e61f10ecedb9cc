//! The rule catalogue. Each rule's code, default severity and summary are
//! listed in [`RULES`]; its check lives in the file for its series:
//!
//! - EP1xx, the plan's structure: [`structure`]
//! - EP2xx, Progress and timestamps: [`progress`]
//! - EP3xx, Decision Log and Surprises entries: [`entries`]
//! - EP4xx, Markdown formatting: [`formatting`]
//! - EP5xx, references and self-containment: [`references`]
//!
//! `docs/rules.md` explains every rule with an example and its fix.

mod code;
mod entries;
mod formatting;
mod inline_text;
mod placeholders;
mod progress;
mod references;
mod structure;
#[cfg(test)]
mod team_template;
#[cfg(test)]
pub(crate) mod testing;

pub use code::Code;
pub(crate) use inline_text::TextFinding;
pub use inline_text::TextFindingsMemo;
pub(crate) use references::machine_paths_in;
pub(crate) use structure::PREAMBLE_SENTENCE;

use std::sync::Arc;

use super::{CheckContext, Diagnostic, Fix, Severity};
use crate::model::{PlanModel, Span};

/// A rule of the catalogue.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RuleInfo {
    pub code: Code,
    /// A short kebab-case name.
    pub name: &'static str,
    pub default_severity: Severity,
    /// One line: what the rule reports.
    pub summary: &'static str,
    /// Whether a quick fix can make the text right without guessing.
    pub fixable: bool,
}

const fn rule(
    code: Code,
    name: &'static str,
    default_severity: Severity,
    fixable: bool,
    summary: &'static str,
) -> RuleInfo {
    RuleInfo {
        code,
        name,
        default_severity,
        summary,
        fixable,
    }
}

use Severity::{Error, Hint, Info, Warning};

pub const RULES: &[RuleInfo] = &[
    rule(
        Code::EP001,
        "unused-suppression",
        Hint,
        true,
        "A suppression comment names an unknown rule or suppresses nothing.",
    ),
    rule(
        Code::EP101,
        "missing-living-section",
        Error,
        true,
        "A living section (Progress, Surprises & Discoveries, Decision Log, Outcomes & Retrospective) is missing.",
    ),
    rule(
        Code::EP102,
        "missing-skeleton-section",
        Warning,
        true,
        "A section of the recommended skeleton is missing.",
    ),
    rule(
        Code::EP103,
        "section-order",
        Warning,
        false,
        "Skeleton sections are out of skeleton order.",
    ),
    rule(
        Code::EP104,
        "section-spelling",
        Info,
        true,
        "A known section is spelled differently from the skeleton.",
    ),
    rule(
        Code::EP105,
        "duplicate-section",
        Warning,
        false,
        "The same section appears twice.",
    ),
    rule(
        Code::EP106,
        "title",
        Warning,
        false,
        "No H1 title, more than one, or text before it.",
    ),
    rule(
        Code::EP107,
        "missing-preamble",
        Warning,
        true,
        "The living-document preamble is missing.",
    ),
    rule(
        Code::EP108,
        "plans-md-path",
        Warning,
        true,
        "PLANS.md is checked in but the plan does not give its path, or the path does not resolve.",
    ),
    rule(
        Code::EP109,
        "empty-section",
        Warning,
        false,
        "A section has no content.",
    ),
    rule(
        Code::EP110,
        "template-text",
        Warning,
        false,
        "Template text is left in the plan.",
    ),
    rule(
        Code::EP111,
        "unread-skeleton",
        Info,
        false,
        "The repository has a PLANS.md but no skeleton could be read from it.",
    ),
    rule(
        Code::EP201,
        "progress-without-items",
        Error,
        false,
        "Progress has no checkbox items.",
    ),
    rule(
        Code::EP202,
        "checkbox-outside-progress",
        Warning,
        false,
        "A checkbox item outside Progress.",
    ),
    rule(
        Code::EP203,
        "unstamped-completed-item",
        Warning,
        true,
        "A completed Progress item has no timestamp.",
    ),
    rule(
        Code::EP204,
        "timestamp-form",
        Info,
        true,
        "A timestamp is not in the configured form.",
    ),
    rule(
        Code::EP205,
        "invalid-timestamp",
        Error,
        false,
        "A timestamp is not a real date or time.",
    ),
    rule(
        Code::EP206,
        "future-timestamp",
        Warning,
        false,
        "A timestamp is in the future.",
    ),
    rule(
        Code::EP207,
        "timestamp-order",
        Info,
        false,
        "Completed items are out of time order.",
    ),
    rule(
        Code::EP208,
        "checkbox-state",
        Warning,
        false,
        "A checkbox state other than [ ], [x] or [X].",
    ),
    rule(
        Code::EP209,
        "missing-outcomes",
        Warning,
        false,
        "Every Progress item is done but Outcomes & Retrospective is empty or a placeholder.",
    ),
    rule(
        Code::EP210,
        "partial-item",
        Hint,
        true,
        "A partially completed item should be split into done and remaining items.",
    ),
    rule(
        Code::EP301,
        "decision-incomplete",
        Warning,
        false,
        "A Decision Log entry lacks its rationale or its date/author.",
    ),
    rule(
        Code::EP302,
        "surprise-without-evidence",
        Warning,
        false,
        "A Surprises & Discoveries entry lacks evidence.",
    ),
    rule(
        Code::EP303,
        "undated-decision",
        Warning,
        false,
        "A Decision Log entry's Date/Author gives no date.",
    ),
    rule(
        Code::EP401,
        "fenced-code-block",
        Warning,
        true,
        "A fenced code block inside the plan; use an indented block.",
    ),
    rule(
        Code::EP402,
        "outer-fence",
        Warning,
        true,
        "The whole file is wrapped in an outer fence.",
    ),
    rule(
        Code::EP403,
        "heading-blank-line",
        Warning,
        true,
        "A heading is not followed by a blank line.",
    ),
    rule(
        Code::EP404,
        "setext-heading",
        Info,
        true,
        "A setext (underlined) heading; use ATX (#).",
    ),
    rule(
        Code::EP405,
        "table-or-long-list",
        Info,
        false,
        "A table or long list in a narrative section.",
    ),
    rule(
        Code::EP501,
        "external-reference",
        Info,
        false,
        "An external link used as a reference.",
    ),
    rule(
        Code::EP502,
        "back-reference",
        Info,
        false,
        "A back-reference phrase instead of the explanation itself.",
    ),
    rule(
        Code::EP503,
        "missing-path",
        Info,
        false,
        "A backticked repository path that does not exist and that the plan does not say it creates.",
    ),
    rule(
        Code::EP504,
        "machine-path",
        Warning,
        true,
        "An absolute path of one machine names a file of the repository.",
    ),
    rule(
        Code::EP601,
        "agents-md-plans-path",
        Warning,
        false,
        "AGENTS.md names a PLANS.md that does not exist.",
    ),
    rule(
        Code::EP701,
        "plan-behind-code",
        Warning,
        false,
        "A path an open Progress item names changed in commits after the plan's last update.",
    ),
];

/// The catalogue entry for `code` (case-insensitive).
pub fn rule_info(code: &str) -> Option<&'static RuleInfo> {
    RULES
        .iter()
        .find(|r| r.code.as_str().eq_ignore_ascii_case(code))
}

/// What every rule check works with, and where it reports.
pub(crate) struct RuleCx<'a> {
    pub text: &'a str,
    pub model: &'a PlanModel,
    pub ctx: &'a CheckContext<'a>,
    out: Vec<Diagnostic>,
    /// The text rules' findings per inline range, once looked up.
    text_findings: Vec<Option<Arc<[TextFinding]>>>,
    /// The `[[overrides]]` that apply to this plan's path.
    overrides: Vec<usize>,
    /// Recorded history, which no safe fix may rewrite; found on first use.
    history: Option<Vec<Span>>,
}

impl<'a> RuleCx<'a> {
    pub fn new(text: &'a str, model: &'a PlanModel, ctx: &'a CheckContext<'a>) -> Self {
        if let Some(memo) = ctx.text_memo {
            memo.start();
        }
        RuleCx {
            text,
            model,
            ctx,
            out: Vec::new(),
            text_findings: vec![None; model.inlines.len()],
            overrides: ctx
                .options
                .matching_overrides(ctx.plan_path, ctx.workspace_root),
            history: None,
        }
    }

    /// The severity `code` reports at in this plan, `None` when it is off.
    pub fn severity(&self, code: Code) -> Option<Severity> {
        self.ctx.options.severity_in(code, &self.overrides)
    }

    /// [`RuleCx::severity`], detached from the context's borrow of the output.
    pub fn severity_fn(&self) -> impl Fn(Code) -> Option<Severity> + use<'a> {
        let options = self.ctx.options;
        let overrides = self.overrides.clone();
        move |code| options.severity_in(code, &overrides)
    }

    /// The findings of the rules that read inline range `index`'s text
    /// alone (see [`inline_text`]), remembered when the context has a memo.
    pub fn text_findings(&mut self, index: usize) -> Arc<[TextFinding]> {
        if let Some(found) = &self.text_findings[index] {
            return Arc::clone(found);
        }
        let inline = &self.model.inlines[index];
        let text = self.slice(&inline.span);
        let found = match self.ctx.text_memo {
            Some(memo) => memo.get(text, inline),
            None => inline_text::findings_in(text, inline),
        };
        self.text_findings[index] = Some(Arc::clone(&found));
        found
    }

    /// Whether `code` is on; checks may skip expensive work for rules that are off.
    pub fn enabled(&self, code: Code) -> bool {
        self.severity(code).is_some()
    }

    /// Reports `code` over `span` at its configured severity (nothing when off).
    pub fn report(&mut self, code: Code, span: Span, message: impl Into<String>) {
        self.report_fix(code, span, message, None);
    }

    /// Like [`RuleCx::report`], with a fix.
    pub fn report_fix(
        &mut self,
        code: Code,
        span: Span,
        message: impl Into<String>,
        fix: Option<Fix>,
    ) {
        let Some(severity) = self.severity(code) else {
            return;
        };
        let end = span.end.min(self.text.len());
        let start = span.start.min(end);
        let fix = fix.map(|mut fix| {
            if fix.safe && self.rewrites_history(&fix) {
                fix.safe = false;
            }
            fix
        });
        self.out.push(Diagnostic {
            code,
            severity,
            span: start..end,
            message: message.into(),
            fix,
        });
    }

    /// Whether `fix` changes recorded history: the bodies of Surprises &
    /// Discoveries and the Decision Log, or the revision note. Such a fix is
    /// still offered in the editor, but never applied by "fix all" or
    /// `check --fix`. Inserting only blank space does not count.
    fn rewrites_history(&mut self, fix: &Fix) -> bool {
        let (text, model) = (self.text, self.model);
        let history = self
            .history
            .get_or_insert_with(|| history_spans(text, model));
        fix.edits.iter().any(|e| {
            if e.span.is_empty() && e.new_text.trim().is_empty() {
                return false;
            }
            history.iter().any(|r| {
                if e.span.is_empty() {
                    r.start < e.span.start && e.span.start < r.end
                } else {
                    e.span.start < r.end && r.start < e.span.end
                }
            })
        })
    }

    /// Where document-wide findings go: the title line, else the first line.
    pub fn anchor(&self) -> Span {
        match self.model.title_heading() {
            Some(h) => h.span.clone(),
            None => super::line_span(self.text, 0),
        }
    }

    pub fn slice(&self, span: &Span) -> &'a str {
        self.text.get(span.clone()).unwrap_or("")
    }

    pub fn finish(self) -> Vec<Diagnostic> {
        self.out
    }
}

/// The spans of a plan's recorded history: each Surprises & Discoveries and
/// Decision Log section after its heading line (trailing blank lines
/// excluded), and the revision note.
fn history_spans(text: &str, model: &PlanModel) -> Vec<Span> {
    use crate::model::SectionKind;
    let mut out: Vec<Span> = model
        .sections
        .iter()
        .filter(|s| {
            matches!(
                s.kind,
                Some(SectionKind::Surprises | SectionKind::DecisionLog)
            )
        })
        .map(|s| {
            let start = model.heading_of(s).span.end;
            let end = start.max(start + text[start..s.span.end].trim_end().len());
            start..end
        })
        .collect();
    out.extend(model.revision_note.clone());
    out
}

pub(crate) fn run_all(cx: &mut RuleCx<'_>) {
    structure::check(cx);
    progress::check(cx);
    entries::check(cx);
    formatting::check(cx);
    references::check(cx);
}

/// docs/rules.md, built in: `rules CODE` and hover explain from it.
pub const RULES_DOC: &str = include_str!("../../../../../docs/rules.md");

/// The body of `## CODE name` in docs/rules.md, up to the next `## `.
pub fn rule_explanation(code: &str) -> Option<String> {
    let heading = format!("## {code} ");
    let start = RULES_DOC.find(&heading)?;
    let body_start = RULES_DOC[start..]
        .find('\n')
        .map_or(RULES_DOC.len(), |i| start + i + 1);
    let end = RULES_DOC[body_start..]
        .find("\n## ")
        .map_or(RULES_DOC.len(), |i| body_start + i);
    Some(RULES_DOC[body_start..end].trim().replace("**", ""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_its_catalogue_entry() {
        let catalogue: Vec<Code> = RULES.iter().map(|r| r.code).collect();
        assert_eq!(catalogue, Code::ALL);
        for &code in Code::ALL {
            assert_eq!(rule_info(code.as_str()).map(|r| r.code), Some(code));
        }
    }

    #[test]
    fn codes_are_unique_and_sorted() {
        for pair in RULES.windows(2) {
            assert!(
                pair[0].code < pair[1].code,
                "{} before {}",
                pair[0].code,
                pair[1].code
            );
        }
    }
}
