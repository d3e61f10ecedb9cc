//! Analysis: rules over the plan model, giving diagnostics. Functions of the
//! model, the text and options; no LSP types and no file system.

pub mod actions;
pub mod agents;
pub mod completion;
mod diagnostic;
pub mod fix;
pub mod folding;
pub mod hover;
pub mod inlay;
pub mod introduced;
pub mod lens;
pub mod links;
pub mod outline;
mod overrides;
pub mod plan_edits;
pub mod rules;
pub mod status;
pub mod suppression;

use std::path::Path;

pub use diagnostic::{Diagnostic, Severity};
pub use fix::{Edit, Fix, apply_edits, fix_all};
pub use overrides::RuleOverride;
pub use rules::{Code, RULES, RuleInfo, TextFindingsMemo, rule_explanation, rule_info};

use crate::model::{PlanModel, Skeleton, Span};

/// How Progress timestamps must be written.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum TimestampStyle {
    /// `(YYYY-MM-DD HH:MMZ)`; every other form is reported (EP204).
    #[default]
    Canonical,
    /// Any form real plans use is accepted, as long as it is a real time.
    Lenient,
}

/// The settings analysis reads; built from configuration by [`crate::config`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AnalysisOptions {
    /// Per-rule severity overrides; `None` turns a rule off.
    pub severities: std::collections::HashMap<String, Option<Severity>>,
    pub timestamp_style: TimestampStyle,
    /// Rule settings for the plans some globs match (`[[overrides]]`);
    /// a later one wins over an earlier one, all over `severities`.
    pub overrides: Vec<RuleOverride>,
}

impl AnalysisOptions {
    /// The severity `code` reports at, or `None` when it is off.
    pub fn severity(&self, code: Code) -> Option<Severity> {
        match self.severities.get(code.as_str()) {
            Some(setting) => *setting,
            None => rule_info(code.as_str()).map(|r| r.default_severity),
        }
    }

    /// The severity `code` reports at in the plan at `path` (absolute), with
    /// the overrides whose globs match it, relative to `root` where an
    /// override has no folder of its own.
    pub fn severity_for(
        &self,
        code: Code,
        path: Option<&Path>,
        root: Option<&Path>,
    ) -> Option<Severity> {
        let matched = self.matching_overrides(path, root);
        self.severity_in(code, &matched)
    }

    /// The indices of the overrides that apply to the plan at `path`.
    pub fn matching_overrides(&self, path: Option<&Path>, root: Option<&Path>) -> Vec<usize> {
        match path {
            Some(path) if !self.overrides.is_empty() => (0..self.overrides.len())
                .filter(|&i| self.overrides[i].matches(path, root))
                .collect(),
            _ => Vec::new(),
        }
    }

    /// The severity of `code` given the overrides that matched.
    pub fn severity_in(&self, code: Code, matched: &[usize]) -> Option<Severity> {
        for &i in matched.iter().rev() {
            if let Some(setting) = self.overrides[i].setting(code) {
                return setting;
            }
        }
        self.severity(code)
    }
}

/// What a check knows beyond the text: the time, the options, and where the
/// plan sits in its repository.
#[derive(Clone, Debug)]
pub struct CheckContext<'a> {
    pub now: jiff::Timestamp,
    pub options: &'a AnalysisOptions,
    /// The plan's own path, absolute, when it has one.
    pub plan_path: Option<&'a Path>,
    /// The repository (workspace) root, when known.
    pub workspace_root: Option<&'a Path>,
    /// The repository's PLANS.md, absolute, when one is checked in.
    pub plans_md: Option<&'a Path>,
    /// Every PLANS.md of the repository (`plans_md` among them): a plan may
    /// name any of them.
    pub plans_mds: &'a [std::path::PathBuf],
    /// The sections a plan must have: the team's (from PLANS.md) or the
    /// canonical ones.
    pub skeleton: &'a Skeleton,
    /// Backticked paths of the plan that resolve, inside the workspace, to
    /// nothing; `None` when the file system was not looked at.
    pub missing_paths: Option<&'a std::collections::HashSet<String>>,
    /// Absolute machine paths the plan writes (`/Users/ada/repo/src/x.rs`)
    /// that name files of the workspace, each with its path from the
    /// workspace root; `None` when the file system was not looked at.
    pub machine_paths: Option<&'a std::collections::HashMap<String, String>>,
    /// Remembers the text rules' findings between checks of one document.
    pub text_memo: Option<&'a TextFindingsMemo>,
    /// Why the repository's PLANS.md gave no skeleton (EP111), when it has
    /// one that did not.
    pub skeleton_problem: Option<&'a str>,
}

impl<'a> CheckContext<'a> {
    pub fn new(now: jiff::Timestamp, options: &'a AnalysisOptions) -> Self {
        CheckContext {
            now,
            options,
            plan_path: None,
            workspace_root: None,
            plans_md: None,
            plans_mds: &[],
            skeleton: Skeleton::canonical(),
            missing_paths: None,
            machine_paths: None,
            text_memo: None,
            skeleton_problem: None,
        }
    }
}

/// Runs every enabled rule; diagnostics come sorted by position, then code.
pub fn check(text: &str, model: &PlanModel, ctx: &CheckContext<'_>) -> Vec<Diagnostic> {
    let mut cx = rules::RuleCx::new(text, model, ctx);
    rules::run_all(&mut cx);
    let severity = cx.severity_fn();
    let mut out = suppression::apply(text, model, cx.finish(), &severity);
    out.sort_by_key(|d| (d.span.start, d.code, d.span.end));
    out.dedup();
    out
}

/// The span of the line containing `offset`, without its line break.
pub fn line_span(text: &str, offset: usize) -> Span {
    let offset = offset.min(text.len());
    let start = text[..offset].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let end = text[offset..]
        .find(['\n', '\r'])
        .map_or(text.len(), |i| offset + i);
    start..end
}

/// The 1-based line number of `offset`, counting LF, CRLF and lone CR.
pub fn line_number(text: &str, offset: usize) -> usize {
    let before = &text.as_bytes()[..offset.min(text.len())];
    let mut line = 1;
    let mut i = 0;
    while i < before.len() {
        match before[i] {
            b'\n' => line += 1,
            b'\r' if before.get(i + 1) != Some(&b'\n') => line += 1,
            _ => {}
        }
        i += 1;
    }
    line
}

/// Every quick fix an editor offers for `d`: its own fix, then
/// "Disable EPxxx for this line" ([`suppression::disable_fix`]), which is
/// never applied by "fix all".
pub fn quick_fixes(text: &str, model: &PlanModel, d: &Diagnostic) -> Vec<Fix> {
    d.fix
        .iter()
        .cloned()
        .chain(suppression::disable_fix(text, model, d))
        .collect()
}

/// The living-document preamble, as fixes and new plans write it.
pub fn preamble_sentence() -> &'static str {
    rules::PREAMBLE_SENTENCE
}
