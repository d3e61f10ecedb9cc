//! `check_plan` and `fix_plan`.

use std::path::PathBuf;

use rmcp::model::Tool;
use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::json;

use super::findings::{self, Finding};
use super::{Reply, Roots, ToolResult, additive, diff, read_only, tool, write_guarded};
use crate::analysis::introduced::introduced;
use crate::analysis::{Diagnostic, Severity};
use crate::plan_file::PlanFile;

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckPlanArgs {
    /// The plan's path, relative to the workspace root (or absolute inside it).
    pub path: String,
    /// Check this text instead of the file's; the path still gives the context (its
    /// repository, PLANS.md, configuration) and the file need not exist.
    #[serde(default)]
    pub text: Option<String>,
    /// A previous text of the plan: report only the findings that the change from it
    /// to the current text introduced.
    #[serde(default)]
    pub previous_text: Option<String>,
    /// Report only findings at or above this severity: error, warning, info or hint
    /// (the default).
    #[serde(default)]
    pub min_severity: Option<String>,
    /// Include each finding's source line (default false, to keep answers small).
    #[serde(default)]
    pub include_source: bool,
}

pub fn check_plan_tool() -> Tool {
    tool::<CheckPlanArgs>(
        "check_plan",
        "Check an ExecPlan against the format's rules. Returns each finding with its code, severity, \
         1-based range, message and whether a fix exists; with previous_text, only the findings an edit \
         introduced.",
        read_only("Check a plan"),
    )
}

/// The plan at `path` (or `text` for it), resolved inside the roots.
fn load(roots: &Roots, path: &str, text: Option<String>) -> Result<(PlanFile, PathBuf), String> {
    match text {
        Some(text) => {
            let (file, root) = roots.place(path)?;
            Ok((PlanFile::with_text(&file, text, Some(&root)), root))
        }
        None => {
            let (file, root) = roots.file(path)?;
            Ok((PlanFile::read(&file, Some(&root))?, root))
        }
    }
}

fn threshold(min: Option<&str>) -> Result<Severity, String> {
    match min {
        None => Ok(Severity::Hint),
        Some(s) => Severity::parse(s)
            .ok_or_else(|| format!("min_severity must be error, warning, info or hint, not `{s}`")),
    }
}

pub fn check_plan(roots: &Roots, args: CheckPlanArgs) -> ToolResult {
    let min = threshold(args.min_severity.as_deref())?;
    let (plan, _) = load(roots, &args.path, args.text)?;
    let shown = roots.display(&plan.path);
    if !plan.is_plan() {
        return Ok(Reply {
            text: format!(
                "{shown}: not an ExecPlan (no living-document preamble or plan sections); nothing to check"
            ),
            data: json!({ "path": shown, "is_plan": false, "findings": [] }),
        });
    }
    let now = jiff::Timestamp::now();
    let all = match &args.previous_text {
        Some(_) => plan.diagnostics(now),
        None => plan.diagnostics_with_history(now),
    };
    let selected: Vec<&Diagnostic> = match &args.previous_text {
        Some(previous) => {
            let before = plan.replaced(previous.clone());
            let old = before.diagnostics(now);
            introduced(previous, &old, &plan.text, &all)
        }
        None => all.iter().collect(),
    }
    .into_iter()
    .filter(|d| d.severity <= min)
    .collect();
    let found: Vec<Finding> = selected
        .iter()
        .map(|d| findings::finding(&plan.text, d, args.include_source))
        .collect();
    let counts = findings::counts(selected.iter().copied());
    let scope = if args.previous_text.is_some() {
        " introduced by the edit"
    } else {
        ""
    };
    let text = format!(
        "{shown}: {}{scope}{}",
        counts.describe(),
        findings::lines(&shown, &found, 20)
    );
    Ok(Reply {
        text,
        data: json!({
            "path": shown,
            "is_plan": true,
            "introduced_only": args.previous_text.is_some(),
            "counts": counts,
            "findings": found,
        }),
    })
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FixPlanArgs {
    /// The plan's path, relative to the workspace root (or absolute inside it).
    pub path: String,
    /// Return the diff without writing (default false: the fixes are applied).
    #[serde(default)]
    pub dry_run: bool,
}

pub fn fix_plan_tool() -> Tool {
    tool::<FixPlanArgs>(
        "fix_plan",
        "Apply every safe fix (those that need no guess, as `check --fix` does) to a plan, or with \
         dry_run show the diff. Returns the diff and the findings that remain.",
        additive("Apply the safe fixes", true).destructive(true),
    )
}

pub fn fix_plan(roots: &Roots, args: FixPlanArgs) -> ToolResult {
    let (plan, _) = load(roots, &args.path, None)?;
    let shown = roots.display(&plan.path);
    if !plan.is_plan() {
        return Err(format!("{shown} is not an ExecPlan; nothing to fix"));
    }
    let now = jiff::Timestamp::now();
    let fixed = plan.fixed_text(now);
    let changed = fixed != plan.text;
    let patch = diff(&shown, &plan.text, &fixed);
    if changed && !args.dry_run {
        write_guarded(&plan.path, &plan.text, &fixed)?;
    }
    let after = plan.replaced(fixed);
    let remaining = after.diagnostics(now);
    let found: Vec<Finding> = remaining
        .iter()
        .map(|d| findings::finding(&after.text, d, false))
        .collect();
    let counts = findings::counts(&remaining);
    let verb = match (changed, args.dry_run) {
        (false, _) => "nothing to fix",
        (true, true) => "would apply the safe fixes (dry run, nothing written)",
        (true, false) => "applied the safe fixes",
    };
    Ok(Reply {
        text: format!("{shown}: {verb}; remaining: {}\n{patch}", counts.describe()),
        data: json!({
            "path": shown,
            "changed": changed,
            "applied": changed && !args.dry_run,
            "dry_run": args.dry_run,
            "diff": patch,
            "remaining": found,
        }),
    })
}
