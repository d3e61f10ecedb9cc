//! A new plan from the skeleton (the team's, from PLANS.md, or the canonical
//! one), and the folder the repository keeps its plans in. `execplan-ls new`
//! and the MCP tool `new_plan` both write what this returns.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::analysis::preamble_sentence;
use crate::checker;
use crate::config;
use crate::model::{SectionKind, Skeleton};
use crate::workspace::PlanEnv;

/// A plan to write: where, and its text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewPlan {
    pub path: PathBuf,
    pub text: String,
}

/// The new plan titled `title` for the repository at `root`, in `folder`
/// (default: [`plan_folder`]). Refuses a title with no letter or digit and
/// a file that already exists.
pub fn new_plan(root: &Path, folder: Option<&Path>, title: &str) -> Result<NewPlan, String> {
    let title = title.trim();
    let slug = slug(title);
    if slug.is_empty() {
        return Err("the title needs at least one letter or digit".to_string());
    }
    let folder = folder.map_or_else(|| plan_folder(root), Path::to_path_buf);
    let file = folder.join(format!("{slug}.md"));
    if file.exists() {
        return Err(format!(
            "{} already exists; not overwriting it",
            file.display()
        ));
    }
    let (settings, _) = config::load_for_dir(&folder, None);
    let absolute = std::path::absolute(&file).unwrap_or(file.clone());
    let env = PlanEnv::discover(&absolute, Some(root), settings.plans_md.as_deref());
    let plans_md = env
        .plans_md
        .as_ref()
        .and_then(|p| p.strip_prefix(root).ok())
        .map(|p| p.to_string_lossy().replace('\\', "/"));
    let sections = env.skeleton.as_deref().unwrap_or(Skeleton::canonical());
    Ok(NewPlan {
        path: file,
        text: skeleton(title, plans_md.as_deref(), sections),
    })
}

/// The new plan's text, with the sections of `sections` (the team's
/// skeleton from PLANS.md, or the canonical one).
pub fn skeleton(title: &str, plans_md: Option<&str>, sections: &Skeleton) -> String {
    let mut s = format!("# {title}\n\n{}", preamble_sentence());
    if let Some(path) = plans_md {
        s.push_str(&format!(
            " This plan is maintained in accordance with `{path}`."
        ));
    }
    s.push_str("\n\n");
    for section in &sections.sections {
        let guidance = section
            .kind
            .map_or("Write this section.", SectionKind::guidance);
        s.push_str(&format!(
            "## {}\n\n<!-- {guidance} -->\n\n",
            section.heading()
        ));
        let Some(kind) = section.kind else { continue };
        match kind {
            SectionKind::Progress => s.push_str("- [ ] Write this plan's first step.\n\n"),
            SectionKind::Surprises | SectionKind::DecisionLog | SectionKind::Outcomes => {
                s.push_str("None yet.\n\n")
            }
            _ => {}
        }
    }
    s.truncate(s.trim_end().len());
    s.push('\n');
    s
}

/// `Add a result cache!` → `add-a-result-cache`.
pub fn slug(title: &str) -> String {
    let mut out = String::new();
    for c in title.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-')
        .chars()
        .take(60)
        .collect::<String>()
        .trim_end_matches('-')
        .to_string()
}

/// The plan folders AGENTS.md may name, in the order they are looked for.
pub const PLAN_FOLDERS: [&str; 8] = [
    ".agent/plans",
    ".agent/execplans",
    ".agents/exec-plans",
    ".agents/plans",
    ".ai/plans",
    "docs/execplans",
    "docs/exec-plans",
    "plans",
];

/// Where the repository keeps its plans: the folder most existing plans are
/// in, else a plan folder AGENTS.md names, else `.agent/plans`.
pub fn plan_folder(root: &Path) -> PathBuf {
    let mut counts: HashMap<PathBuf, usize> = HashMap::new();
    let walker = ignore::WalkBuilder::new(root)
        .hidden(false)
        .filter_entry(|e| e.file_name() != ".git")
        .build();
    for entry in walker.filter_map(Result::ok) {
        let path = entry.path();
        if path.extension().is_none_or(|x| x != "md") {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        let env = PlanEnv {
            root: Some(root.to_path_buf()),
            ..PlanEnv::default()
        };
        let (settings, _) = config::load_for_dir(path.parent().unwrap_or(root), None);
        if checker::detect(Some(path), &text, &env, &settings).is_plan()
            && let Some(parent) = path.parent()
        {
            *counts.entry(parent.to_path_buf()).or_default() += 1;
        }
    }
    if let Some((folder, _)) = counts
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(&a.0)))
    {
        return folder;
    }
    if let Ok(agents) = std::fs::read_to_string(root.join("AGENTS.md")) {
        for folder in PLAN_FOLDERS {
            if agents.contains(folder) {
                return root.join(folder);
            }
        }
    }
    root.join(".agent/plans")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{AnalysisOptions, CheckContext, Severity, check};
    use crate::model::build_from_text;

    #[test]
    fn slugs() {
        assert_eq!(slug("Add a result cache!"), "add-a-result-cache");
        assert_eq!(slug("  Über Straße: v2 "), "über-straße-v2");
        assert_eq!(slug("!!!"), "");
    }

    #[test]
    fn a_new_plan_has_every_section_and_no_errors() {
        let text = skeleton(
            "Add a cache",
            Some(".agent/PLANS.md"),
            Skeleton::canonical(),
        );
        let model = build_from_text(&text);
        assert!(SectionKind::ALL.iter().all(|k| model.has_section(*k)));
        let options = AnalysisOptions::default();
        let ctx = CheckContext::new(jiff::Timestamp::now(), &options);
        let found = check(&text, &model, &ctx);
        assert!(
            found.iter().all(|d| d.severity != Severity::Error),
            "{found:?}"
        );
        // What is left to write is reported as empty sections.
        assert!(found.iter().all(|d| d.code == "EP109"), "{found:?}");
    }
}
