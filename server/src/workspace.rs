//! Where a plan sits: its repository root and the repository's PLANS.md.
//! Shared by the CLI and the server so both resolve paths the same way.

use std::path::{Path, PathBuf};

/// Where PLANS.md is checked in, in order of preference.
pub const PLANS_MD_LOCATIONS: [&str; 5] = [
    ".agent/PLANS.md",
    "PLANS.md",
    "docs/PLANS.md",
    ".agents/PLANS.md",
    ".ai/plans/PLANS.md",
];

/// The nearest folder at or above `start` that holds `.git`.
pub fn find_repo_root(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .find(|dir| dir.join(".git").exists())
        .map(Path::to_path_buf)
}

/// The repository's PLANS.md, if one is checked in at a known location.
pub fn find_plans_md(root: &Path) -> Option<PathBuf> {
    PLANS_MD_LOCATIONS
        .iter()
        .map(|rel| root.join(rel))
        .find(|p| p.is_file())
}

/// What a check knows of a plan's surroundings.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PlanEnv {
    pub root: Option<PathBuf>,
    pub plans_md: Option<PathBuf>,
}

impl PlanEnv {
    /// Looks around `plan_path` (absolute); `root` is used when given (the
    /// editor's workspace folder), else the repository root is searched for.
    pub fn discover(plan_path: &Path, root: Option<&Path>) -> PlanEnv {
        let root = root
            .map(Path::to_path_buf)
            .or_else(|| plan_path.parent().and_then(find_repo_root));
        let plans_md = root.as_deref().and_then(find_plans_md);
        PlanEnv { root, plans_md }
    }
}
