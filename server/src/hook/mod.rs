//! `execplan-ls hook`: answers agent hook events (Codex and Claude Code use
//! the same wire format: the event as JSON on stdin, the answer as JSON on
//! stdout, exit 0).
//!
//! - `PostToolUse` after `apply_patch` (Codex) or `Edit`, `MultiEdit`,
//!   `Write` (Claude Code) of a plan: the findings the edit introduced, as
//!   `hookSpecificOutput.additionalContext` for the model.
//! - `Stop`: `{"decision": "block", "reason": …}` when the active plan has
//!   error-level findings or is behind the code (EP701), so the agent goes on with the reason as its next
//!   prompt; never when `stop_hook_active` says the agent is already going
//!   on because of a Stop hook, so it blocks once and only once.
//! - `SessionStart`: where the active plan stands, as context.
//!
//! Every other event, and every event about files that are not plans, gets
//! `{}`. Input that is not a hook event is reported on stderr with exit 1,
//! which both agents treat as a failed hook that blocks nothing.

mod patch;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use serde_json::{Value, json};

use crate::analysis::introduced::introduced;
use crate::analysis::status::plan_status;
use crate::analysis::{Diagnostic, Severity, line_number};
use crate::plan_file::PlanFile;
use crate::workspace::{self, PathTarget};
use patch::{EditedFile, Replacement, Undo, parse_apply_patch, previous_text};

/// What the hook command was asked.
pub struct HookOptions {
    /// Plans to treat as active at Stop and SessionStart (default: the most
    /// recently modified plan of the repository).
    pub plans: Vec<PathBuf>,
    /// Findings below this severity are not reported after an edit.
    pub min_severity: Severity,
}

pub fn run(options: &HookOptions) -> ExitCode {
    let mut input = String::new();
    if let Err(e) = std::io::stdin().read_to_string(&mut input) {
        eprintln!("execplan-ls hook: cannot read the event from stdin: {e}");
        return ExitCode::from(1);
    }
    let event: Value = match serde_json::from_str(&input) {
        Ok(Value::Object(map)) => Value::Object(map),
        Ok(_) | Err(_) => {
            eprintln!(
                "execplan-ls hook: stdin is not a hook event (a JSON object with `hook_event_name`)"
            );
            return ExitCode::from(1);
        }
    };
    let answer = answer(&event, options, jiff::Timestamp::now());
    println!("{answer}");
    ExitCode::SUCCESS
}

/// The answer to one event.
pub fn answer(event: &Value, options: &HookOptions, now: jiff::Timestamp) -> Value {
    let cwd = event
        .get("cwd")
        .and_then(Value::as_str)
        .map(PathBuf::from)
        .or_else(|| std::env::current_dir().ok())
        .unwrap_or_default();
    let root = workspace::find_repo_root(&cwd).unwrap_or(cwd.clone());
    match event.get("hook_event_name").and_then(Value::as_str) {
        Some("PostToolUse") => after_edit(event, &cwd, &root, options, now),
        Some("Stop") | Some("SubagentStop") => on_stop(event, &root, options, now),
        Some("SessionStart") => on_session_start(&root, options),
        _ => json!({}),
    }
}

/// The files a tool call edited, with how to undo each edit.
fn edited_files(event: &Value) -> Vec<EditedFile> {
    let tool = event.get("tool_name").and_then(Value::as_str).unwrap_or("");
    let input = event.get("tool_input").cloned().unwrap_or(Value::Null);
    let text = |v: &Value, key: &str| v.get(key).and_then(Value::as_str).map(str::to_string);
    match tool {
        "apply_patch" => {
            let patch = match input.get("command") {
                Some(Value::String(s)) => s.clone(),
                Some(Value::Array(parts)) => parts
                    .iter()
                    .filter_map(Value::as_str)
                    .find(|p| p.contains("*** Begin Patch"))
                    .unwrap_or("")
                    .to_string(),
                _ => text(&input, "patch")
                    .or_else(|| text(&input, "input"))
                    .unwrap_or_default(),
            };
            parse_apply_patch(&patch)
        }
        "Edit" | "MultiEdit" | "Write" => {
            let Some(path) = text(&input, "file_path") else {
                return Vec::new();
            };
            let replacement = |v: &Value| Replacement {
                old: text(v, "old_string").unwrap_or_default(),
                new: text(v, "new_string").unwrap_or_default(),
                all: v
                    .get("replace_all")
                    .and_then(Value::as_bool)
                    .unwrap_or(false),
            };
            let undo = match tool {
                "Edit" => Undo::Replacements(vec![replacement(&input)]),
                "MultiEdit" => Undo::Replacements(
                    input
                        .get("edits")
                        .and_then(Value::as_array)
                        .map(|edits| edits.iter().map(replacement).collect())
                        .unwrap_or_default(),
                ),
                _ => Undo::Unknown,
            };
            vec![EditedFile { path, undo }]
        }
        _ => Vec::new(),
    }
}

/// A path the agent named, as a file inside the repository.
fn resolve(root: &Path, cwd: &Path, path: &str) -> Option<PathBuf> {
    let p = Path::new(path);
    let absolute = if p.is_absolute() {
        p.to_path_buf()
    } else {
        cwd.join(p)
    };
    let canonical_root = root.canonicalize().ok()?;
    let rel = absolute
        .strip_prefix(root)
        .or_else(|_| absolute.strip_prefix(&canonical_root))
        .ok()?
        .to_string_lossy()
        .into_owned();
    match workspace::resolve_in_workspace(root, &rel) {
        PathTarget::File(real) => Some(real),
        _ => None,
    }
}

fn shown(root: &Path, path: &Path) -> String {
    let canonical_root = root.canonicalize().unwrap_or(root.to_path_buf());
    path.strip_prefix(&canonical_root)
        .or_else(|_| path.strip_prefix(root))
        .map_or_else(|_| path.display().to_string(), |p| p.display().to_string())
}

fn finding_line(path: &str, text: &str, d: &Diagnostic) -> String {
    format!(
        "- {path}:{}: {}[{}] {}",
        line_number(text, d.span.start),
        d.severity.as_str(),
        d.code,
        d.message
    )
}

fn after_edit(
    event: &Value,
    cwd: &Path,
    root: &Path,
    options: &HookOptions,
    now: jiff::Timestamp,
) -> Value {
    let mut context = Vec::new();
    for file in edited_files(event) {
        let Some(path) = resolve(root, cwd, &file.path) else {
            continue;
        };
        let Ok(plan) = PlanFile::read(&path, Some(root)) else {
            continue;
        };
        if !plan.is_plan() {
            continue;
        }
        let name = shown(root, &path);
        let now_found = plan.diagnostics(now);
        let (found, whole): (Vec<&Diagnostic>, bool) = match previous_text(&plan.text, &file.undo) {
            Some(before) => {
                let old = plan.replaced(before.clone()).diagnostics(now);
                (introduced(&before, &old, &plan.text, &now_found), false)
            }
            None => (now_found.iter().collect(), true),
        };
        let found: Vec<&Diagnostic> = found
            .into_iter()
            .filter(|d| d.severity <= options.min_severity)
            .collect();
        if found.is_empty() {
            continue;
        }
        let head = if whole {
            format!(
                "execplan-ls: the ExecPlan {name} has {} finding(s) after this edit:",
                found.len()
            )
        } else {
            format!(
                "execplan-ls: this edit of the ExecPlan {name} introduced {} finding(s):",
                found.len()
            )
        };
        context.push(head);
        for d in found.iter().take(15) {
            context.push(finding_line(&name, &plan.text, d));
        }
        if found.len() > 15 {
            context.push(format!("- … and {} more", found.len() - 15));
        }
        if found.iter().any(|d| d.fix.as_ref().is_some_and(|f| f.safe)) {
            context.push(format!(
                "Safe fixes exist: `execplan-ls check --fix {name}` (or the MCP tool fix_plan) applies them."
            ));
        }
    }
    if context.is_empty() {
        return json!({});
    }
    json!({
        "hookSpecificOutput": {
            "hookEventName": "PostToolUse",
            "additionalContext": context.join("\n"),
        }
    })
}

/// The plans a Stop or SessionStart is about: the ones given, else the
/// plan of the repository modified last.
fn active_plans(root: &Path, options: &HookOptions) -> Vec<PlanFile> {
    if !options.plans.is_empty() {
        return options
            .plans
            .iter()
            .filter_map(|p| {
                let path = if p.is_absolute() {
                    p.clone()
                } else {
                    root.join(p)
                };
                PlanFile::read(&path, Some(root)).ok()
            })
            .filter(PlanFile::is_plan)
            .collect();
    }
    let mut files: Vec<(std::time::SystemTime, PathBuf)> = workspace::markdown_below(root)
        .into_iter()
        .filter_map(|p| Some((std::fs::metadata(&p).ok()?.modified().ok()?, p)))
        .collect();
    files.sort_by_key(|f| std::cmp::Reverse(f.0));
    files
        .into_iter()
        .filter_map(|(_, path)| PlanFile::read(&path, Some(root)).ok())
        .find(PlanFile::is_plan)
        .into_iter()
        .collect()
}

fn on_stop(event: &Value, root: &Path, options: &HookOptions, now: jiff::Timestamp) -> Value {
    // Already going on because a Stop hook blocked: let it stop this time.
    if event.get("stop_hook_active").and_then(Value::as_bool) == Some(true) {
        return json!({});
    }
    let mut reasons = Vec::new();
    for plan in active_plans(root, options) {
        // Errors, and the paths the plan is behind on (EP701).
        let errors: Vec<Diagnostic> = plan
            .diagnostics_with_history(now)
            .into_iter()
            .filter(|d| d.severity == Severity::Error || d.code == "EP701")
            .collect();
        if errors.is_empty() {
            continue;
        }
        let name = shown(root, &plan.path);
        let behind = errors.iter().filter(|d| d.code == "EP701").count();
        reasons.push(if behind == errors.len() {
            format!(
                "The ExecPlan {name} is behind the code: {behind} path(s) its open items name changed since its last Progress entry. Update the plan before you stop:"
            )
        } else {
            format!(
                "The ExecPlan {name} has {} finding(s) to fix before you stop:",
                errors.len()
            )
        });
        for d in errors.iter().take(10) {
            reasons.push(finding_line(&name, &plan.text, d));
        }
    }
    if reasons.is_empty() {
        return json!({});
    }
    reasons.push(
        "Then check the plan again (`execplan-ls check`, or the MCP tool check_plan) and update Progress."
            .to_string(),
    );
    json!({ "decision": "block", "reason": reasons.join("\n") })
}

fn on_session_start(root: &Path, options: &HookOptions) -> Value {
    let Some(plan) = active_plans(root, options).into_iter().next() else {
        return json!({});
    };
    let status = plan_status(&plan.text, &plan.model(), 3);
    let name = shown(root, &plan.path);
    let mut lines = vec![format!(
        "execplan-ls: the active ExecPlan is {name} ({}/{} Progress items done, last update {}).",
        status.done,
        status.total,
        status.last_update.as_deref().unwrap_or("never")
    )];
    for step in &status.next {
        lines.push(format!("- next (line {}): {}", step.line, step.step));
    }
    json!({
        "hookSpecificOutput": {
            "hookEventName": "SessionStart",
            "additionalContext": lines.join("\n"),
        }
    })
}
