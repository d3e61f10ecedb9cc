//! `new_plan`: a new plan from the skeleton, as `execplan-ls new` writes it.

use rmcp::model::Tool;
use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::json;

use std::io::Write;

use super::{Reply, Roots, ToolResult, additive, tool};
use crate::cli::new_plan::prepare as plan_for;

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPlanArgs {
    /// The plan's title (an action, such as "Add a result cache").
    pub title: String,
    /// The folder to write it in, relative to the workspace root (default: the folder the
    /// repository keeps its plans in).
    #[serde(default)]
    pub folder: Option<String>,
    /// Return the text without writing the file.
    #[serde(default)]
    pub dry_run: bool,
}

pub fn new_plan_tool() -> Tool {
    tool::<NewPlanArgs>(
        "new_plan",
        "Create a new ExecPlan from the repository's skeleton (PLANS.md's, or the canonical twelve \
         sections) in its plan folder; refuses to overwrite a file.",
        additive("New plan", true),
    )
}

pub fn new_plan(roots: &Roots, args: NewPlanArgs) -> ToolResult {
    let root = roots.default_root();
    let folder = match &args.folder {
        Some(folder) => {
            let probe = format!("{}/probe.md", folder.trim_end_matches('/'));
            let (placed, _) = roots.place(&probe)?;
            Some(placed.parent().map(|p| p.to_path_buf()).unwrap_or_default())
        }
        None => None,
    };
    let plan = plan_for(root, folder.as_deref(), &args.title)?;
    let shown = roots.display(&plan.path);
    // The default folder is inside the root too; check it the same way.
    let (target, _) = roots.place(&shown)?;
    if !args.dry_run {
        if target.exists() {
            return Err(format!("{shown} already exists; not overwriting it"));
        }
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
        }
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&target)
            .and_then(|mut f| f.write_all(plan.text.as_bytes()))
            .map_err(|e| format!("{shown}: cannot write: {e}"))?;
    }
    Ok(Reply {
        text: if args.dry_run {
            format!("would write {shown} (dry run):\n{}", plan.text)
        } else {
            format!(
                "wrote {shown}; fill in Purpose / Big Picture and the first Progress items next"
            )
        },
        data: json!({
            "path": shown,
            "written": !args.dry_run,
            "text": plan.text,
        }),
    })
}
