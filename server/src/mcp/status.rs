//! `plan_status` and `list_plans`.

use rmcp::model::Tool;
use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::json;

use super::findings;
use super::{Reply, Roots, ToolResult, read_only, tool};
use crate::analysis::status::plan_status as status_of;
use crate::plan_file::PlanFile;
use crate::workspace;

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanStatusArgs {
    /// The plan's path, relative to the workspace root (or absolute inside it).
    pub path: String,
    /// How many open items to return as `next` (default 3).
    #[serde(default)]
    pub next: Option<usize>,
}

pub fn plan_status_tool() -> Tool {
    tool::<PlanStatusArgs>(
        "plan_status",
        "Where a plan stands: its title, Progress done/total, every item as {step, status} \
         (completed, in_progress, pending; the shape of Codex's plan tool) with its line, the next \
         open items, the latest Progress stamp, and the living sections that are missing, empty or stale.",
        read_only("Plan status"),
    )
}

pub fn plan_status(roots: &Roots, args: PlanStatusArgs) -> ToolResult {
    let (file, root) = roots.file(&args.path)?;
    let plan = PlanFile::read(&file, Some(&root))?;
    let shown = roots.display(&plan.path);
    if !plan.is_plan() {
        return Err(format!(
            "{shown} is not an ExecPlan (no living-document preamble or plan sections)"
        ));
    }
    let model = plan.model();
    let status = status_of(&plan.text, &model, args.next.unwrap_or(3));
    let diagnostics = plan.diagnostics(jiff::Timestamp::now());
    let counts = findings::counts(&diagnostics);
    let mut text = format!(
        "{shown}: {} — {}/{} done, last update {}; {}",
        status.title.as_deref().unwrap_or("(no title)"),
        status.done,
        status.total,
        status.last_update.as_deref().unwrap_or("never"),
        counts.describe()
    );
    for step in &status.next {
        text.push_str(&format!("\nnext (line {}): {}", step.line, step.step));
    }
    for living in &status.living {
        text.push_str(&format!(
            "\n{} is {}: {}",
            living.section, living.state, living.why
        ));
    }
    let mut data = serde_json::to_value(&status).map_err(|e| e.to_string())?;
    data["path"] = json!(shown);
    data["counts"] = json!(counts);
    Ok(Reply { text, data })
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ListPlansArgs {
    /// A folder to list, relative to the workspace root (default: every root).
    #[serde(default)]
    pub folder: Option<String>,
}

pub fn list_plans_tool() -> Tool {
    tool::<ListPlansArgs>(
        "list_plans",
        "List the ExecPlans in the workspace (found by content, respecting .gitignore) with each one's \
         title, Progress done/total, latest stamp and error and warning counts.",
        read_only("List plans"),
    )
}

pub fn list_plans(roots: &Roots, args: ListPlansArgs) -> ToolResult {
    let folders: Vec<(std::path::PathBuf, std::path::PathBuf)> = match &args.folder {
        Some(folder) => {
            let (root, rel) = (roots.default_root().to_path_buf(), folder.clone());
            match workspace::resolve_in_workspace(&root, &rel) {
                workspace::PathTarget::Folder(real) => vec![(real, root)],
                workspace::PathTarget::File(_) => {
                    return Err(format!("{folder} is a file, not a folder"));
                }
                workspace::PathTarget::Missing(_) => {
                    return Err(format!("{folder}: no such folder"));
                }
                workspace::PathTarget::Outside => {
                    return Err(format!("{folder} is outside the workspace roots"));
                }
            }
        }
        None => roots.all().iter().map(|r| (r.clone(), r.clone())).collect(),
    };
    let now = jiff::Timestamp::now();
    let mut plans = Vec::new();
    let mut text = String::new();
    for (folder, root) in folders {
        for path in workspace::markdown_below(&folder) {
            let Ok(plan) = PlanFile::read(&path, Some(&root)) else {
                continue;
            };
            if !plan.is_plan() {
                continue;
            }
            let model = plan.model();
            let status = status_of(&plan.text, &model, 0);
            let counts = findings::counts(&plan.diagnostics(now));
            let shown = roots.display(&path);
            text.push_str(&format!(
                "{shown}: {} ({}/{} done, {} errors, {} warnings)\n",
                status.title.as_deref().unwrap_or("(no title)"),
                status.done,
                status.total,
                counts.error,
                counts.warning
            ));
            plans.push(json!({
                "path": shown,
                "title": status.title,
                "done": status.done,
                "total": status.total,
                "last_update": status.last_update,
                "errors": counts.error,
                "warnings": counts.warning,
            }));
        }
    }
    if plans.is_empty() {
        text = "no ExecPlans found".to_string();
    }
    Ok(Reply {
        text: text.trim_end().to_string(),
        data: json!({ "plans": plans }),
    })
}
