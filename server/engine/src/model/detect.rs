//! Whether a Markdown document is an ExecPlan, by its path and its content.

use std::path::Path;

use super::SectionKind;

/// Why a document is, or is not, treated as a plan.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PlanDetection {
    /// Its path matches a plan folder or file-name convention.
    ByPath,
    /// Its text has the living-document sentence or several living headings.
    ByContent,
    /// `PLANS.md`, a template or a README: never linted.
    ExcludedName,
    NotAPlan,
}

impl PlanDetection {
    pub fn is_plan(&self) -> bool {
        matches!(self, PlanDetection::ByPath | PlanDetection::ByContent)
    }
}

/// File names that are never plans: the format's own definition, templates
/// and folder READMEs.
pub fn is_excluded_file_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    matches!(
        lower.as_str(),
        "plans.md" | "template.md" | "readme.md" | "agents.md"
    )
}

/// Folders that hold plans, by convention.
const PLAN_FOLDERS: [&str; 9] = [
    ".agent/plans/",
    ".agent/execplans/",
    ".agent/tasks/",
    ".agents/exec-plans/",
    ".agents/plans/",
    ".ai/plans/",
    "docs/execplans/",
    "docs/exec-plans/",
    "plans/",
];

/// Decides whether the document at `path` (repository-relative or absolute;
/// `None` for unsaved buffers) with `text` is a plan. `extra_globs` are the
/// configured plan path globs, matched against the path.
pub fn detect_plan(
    path: Option<&Path>,
    text: &str,
    extra: &dyn Fn(&Path) -> bool,
) -> PlanDetection {
    if let Some(path) = path {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if is_excluded_file_name(name) {
            return PlanDetection::ExcludedName;
        }
        let normalized = path
            .to_string_lossy()
            .replace('\\', "/")
            .to_ascii_lowercase();
        let is_markdown = normalized.ends_with(".md") || normalized.ends_with(".markdown");
        // Scratch notes under .ai/plans/tmp/ are not plans.
        let scratch = normalized.contains(".ai/plans/tmp/");
        if is_markdown && !scratch {
            let in_folder = PLAN_FOLDERS.iter().any(|folder| {
                normalized.starts_with(folder) || normalized.contains(&format!("/{folder}"))
            });
            if in_folder || name.to_ascii_lowercase().contains("execplan") || extra(path) {
                return PlanDetection::ByPath;
            }
        }
    }
    if looks_like_plan(text) {
        PlanDetection::ByContent
    } else {
        PlanDetection::NotAPlan
    }
}

/// The living-document sentence with a living section heading, or at least
/// two living section headings. The format's own definition (a PLANS.md under
/// another name) is not a plan: its skeleton sits in an indented block.
fn looks_like_plan(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    if lower.contains("skeleton of a good execplan") {
        return false;
    }
    let living = living_headings(text);
    living >= 2 || (living >= 1 && lower.contains("is a living document"))
}

/// How many distinct living sections have an ATX heading (level 2 or 3).
fn living_headings(text: &str) -> usize {
    let mut living = 0;
    let mut seen = [false; 12];
    // Lines end at LF, CRLF or a lone CR.
    for line in text.split(['\n', '\r']) {
        let indent = line.len() - line.trim_start_matches(' ').len();
        if indent > 3 {
            continue;
        }
        let t = line.trim_start();
        let hashes = t.chars().take_while(|c| *c == '#').count();
        if !(2..=3).contains(&hashes) {
            continue;
        }
        if let Some(kind) = SectionKind::from_heading(&t[hashes..])
            && kind.is_living()
            && !seen[kind.order()]
        {
            seen[kind.order()] = true;
            living += 1;
        }
    }
    living
}

#[cfg(test)]
mod tests {
    use super::*;

    fn never(_: &Path) -> bool {
        false
    }

    #[test]
    fn plan_folders_and_names() {
        for p in [
            ".agent/plans/001-x.md",
            "repo/.agents/exec-plans/a.md",
            "docs/execplans/phase-1.md",
            "src/feature-execplan.md",
            "docs/exec-plans/active/x.md",
        ] {
            assert_eq!(
                detect_plan(Some(Path::new(p)), "", &never),
                PlanDetection::ByPath,
                "{p}"
            );
        }
    }

    #[test]
    fn excluded_names_are_never_plans() {
        let text = "# X\n\nThis ExecPlan is a living document.\n\n## Progress\n\n## Decision Log\n";
        for p in [
            ".agent/PLANS.md",
            ".agent/plans/TEMPLATE.md",
            ".agent/plans/README.md",
            "PLANS.md",
        ] {
            assert_eq!(
                detect_plan(Some(Path::new(p)), text, &never),
                PlanDetection::ExcludedName,
                "{p}"
            );
        }
    }

    #[test]
    fn content_detection() {
        let plan = "# X\n\nThis ExecPlan is a living document.\n\n## Progress\n";
        assert_eq!(
            detect_plan(Some(Path::new("notes/x.md")), plan, &never),
            PlanDetection::ByContent
        );
        let headings = "# X\n\n## Progress\n\n- [ ] a\n\n## Decision log\n";
        assert_eq!(
            detect_plan(None, headings, &never),
            PlanDetection::ByContent
        );
        let other = "# Notes\n\n## Progress\n\nSome prose.\n";
        assert_eq!(
            detect_plan(Some(Path::new("notes/x.md")), other, &never),
            PlanDetection::NotAPlan
        );
        assert_eq!(
            detect_plan(Some(Path::new(".ai/plans/tmp/x.md")), other, &never),
            PlanDetection::NotAPlan
        );
        let meta = "# ExecPlans\n\nAn ExecPlan is a living document.\n\n## Skeleton of a Good ExecPlan\n\n    ## Progress\n\n    ## Decision Log\n";
        assert_eq!(
            detect_plan(Some(Path::new("docs/format.md")), meta, &never),
            PlanDetection::NotAPlan
        );
    }
}
