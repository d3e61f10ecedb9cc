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

/// The git `user.name` for a repository, read from its `.git/config`, then
/// the user's `~/.gitconfig` (without running git).
pub fn git_user_name(root: Option<&Path>) -> Option<String> {
    let mut files: Vec<PathBuf> = Vec::new();
    if let Some(root) = root {
        files.push(root.join(".git").join("config"));
    }
    if let Some(home) = std::env::var_os("HOME") {
        files.push(PathBuf::from(&home).join(".gitconfig"));
        files.push(PathBuf::from(home).join(".config/git/config"));
    }
    files.iter().find_map(|f| {
        std::fs::read_to_string(f)
            .ok()
            .and_then(|t| user_name_in(&t))
    })
}

/// `name` in the `[user]` section of a git config text.
fn user_name_in(config: &str) -> Option<String> {
    let mut in_user = false;
    for line in config.lines() {
        let t = line.trim();
        if t.starts_with('[') {
            in_user = t
                .trim_matches(['[', ']'])
                .trim()
                .eq_ignore_ascii_case("user");
        } else if in_user
            && let Some((key, value)) = t.split_once('=')
            && key.trim().eq_ignore_ascii_case("name")
        {
            let value = value.trim().trim_matches('"').trim();
            if !value.is_empty() {
                return Some(value.to_string());
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_user_name_from_git_config() {
        let config = "[core]\n\tbare = false\n[user]\n\temail = a@b\n\tname = Ada Lovelace\n";
        assert_eq!(user_name_in(config).as_deref(), Some("Ada Lovelace"));
        assert_eq!(user_name_in("[core]\n\tname = nope\n"), None);
    }
}
