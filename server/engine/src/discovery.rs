//! Discovery: which Markdown files of a tree are plans, and why the others
//! are not. The one place that decides, used by `execplan-ls check`, by the
//! workspace index and (through [`crate::checker::detect`]) by the editor,
//! so CI and the editor agree on what is a plan.

use std::path::{Path, PathBuf};

use crate::config::Settings;
use crate::model::{self, PlanDetection, PlanModel, SkipReason};
use crate::workspace::PlanEnv;

/// The Markdown files below `dir`, respecting `.gitignore`, in a stable
/// order: every file discovery looks at.
pub fn markdown_files(dir: &Path) -> Vec<PathBuf> {
    crate::workspace::markdown_below(dir)
}

/// Whether `path` is an AGENTS.md, which `check` reads for EP601 and counts
/// apart from plans.
pub fn is_agents_md(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.eq_ignore_ascii_case("AGENTS.md"))
}

/// `path` relative to the repository root when it lies inside it (else to
/// the current folder, which `check` takes as the root outside a
/// repository), as the configuration's globs and the folder conventions are
/// written: the folders above the repository say nothing of a file.
pub fn relative(path: &Path, env: &PlanEnv) -> PathBuf {
    if let Some(rel) = env
        .root
        .as_deref()
        .and_then(|root| path.strip_prefix(root).ok())
    {
        return rel.to_path_buf();
    }
    if env.root.is_none()
        && let Ok(cwd) = std::env::current_dir()
        && let Ok(rel) = path.strip_prefix(&cwd)
    {
        return rel.to_path_buf();
    }
    path.to_path_buf()
}

/// A document classified, with the model built to decide (when one was
/// needed), so a caller that goes on to check the plan does not build it
/// again.
pub struct Classified {
    pub detection: PlanDetection,
    pub model: Option<PlanModel>,
}

/// Whether the document at `path` (absolute, if any) with `text` is a plan.
/// The path decides alone for the names and folders that are never plans
/// and for the user's `exclude` and `plan_globs`; otherwise the content
/// decides, read from the plan model (built here when `model` is `None`).
pub fn classify(
    path: Option<&Path>,
    text: &str,
    model: Option<&PlanModel>,
    env: &PlanEnv,
    settings: &Settings,
) -> Classified {
    // The repository's PLANS.md, whatever it is called (`plans_md` in the
    // configuration, the file AGENTS.md names).
    if let Some(p) = path
        && env.plans_mds.iter().any(|m| m == p)
        && !settings.forced(&relative(p, env)).unwrap_or(false)
    {
        return Classified {
            detection: PlanDetection::Skipped(SkipReason::PlansMd),
            model: None,
        };
    }
    let relative = path.map(|p| relative(p, env));
    let relative = relative.as_deref();
    let forced = |p: &Path| settings.forced(p);
    if let Some(rel) = relative
        && let Some(detection) = model::path_verdict(rel, &forced)
    {
        return Classified {
            detection,
            model: None,
        };
    }
    // Far from any plan folder and without a word strong evidence needs:
    // not a plan, and no model is built for it.
    let nowhere = relative.is_some_and(|rel| !model::location_suggests_plan(rel));
    if model.is_none() && nowhere && !model::may_be_plan_content(text) {
        return Classified {
            detection: PlanDetection::Skipped(SkipReason::NoEvidence),
            model: None,
        };
    }
    match model {
        Some(model) => Classified {
            detection: model::detect_plan(relative, text, model, &forced),
            model: None,
        },
        None => {
            let built = model::build_from_text(text);
            Classified {
                detection: model::detect_plan(relative, text, &built, &forced),
                model: Some(built),
            }
        }
    }
}
