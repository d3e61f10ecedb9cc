//! The one path from a document to its diagnostics, shared by the server and
//! the CLI so both give the same answers.

use std::path::Path;

use crate::analysis::{self, CheckContext, Diagnostic};
use crate::config::Settings;
use crate::model::{self, PlanDetection, PlanModel};
use crate::workspace::PlanEnv;

/// Whether the document at `path` (absolute, if any) with `text` is a plan.
pub fn detect(
    path: Option<&Path>,
    text: &str,
    env: &PlanEnv,
    settings: &Settings,
) -> PlanDetection {
    let relative = match (path, env.root.as_deref()) {
        (Some(p), Some(root)) => p.strip_prefix(root).ok().or(Some(p)),
        (p, None) => p,
        (None, Some(_)) => None,
    };
    model::detect_plan(relative, text, &|p| settings.matches_plan_glob(p))
}

/// The diagnostics of a plan whose model is already built.
pub fn diagnostics(
    text: &str,
    model: &PlanModel,
    path: Option<&Path>,
    env: &PlanEnv,
    settings: &Settings,
    now: jiff::Timestamp,
) -> Vec<Diagnostic> {
    analysis::check(text, model, &context(path, env, settings, now))
}

/// Detects, builds and checks in one go; `None` when the text is not a plan.
pub fn check_text(
    text: &str,
    path: Option<&Path>,
    env: &PlanEnv,
    settings: &Settings,
    now: jiff::Timestamp,
) -> Option<Vec<Diagnostic>> {
    if !detect(path, text, env, settings).is_plan() {
        return None;
    }
    let model = model::build_from_text(text);
    Some(diagnostics(text, &model, path, env, settings, now))
}

/// Applies every safe fix to a plan's text, as the editor's "fix all" does.
pub fn fix_text(
    text: &str,
    path: Option<&Path>,
    env: &PlanEnv,
    settings: &Settings,
    now: jiff::Timestamp,
) -> String {
    analysis::fix_all(text, &context(path, env, settings, now))
}

fn context<'a>(
    path: Option<&'a Path>,
    env: &'a PlanEnv,
    settings: &'a Settings,
    now: jiff::Timestamp,
) -> CheckContext<'a> {
    let mut ctx = CheckContext::new(now, &settings.options);
    ctx.plan_path = path;
    ctx.workspace_root = env.root.as_deref();
    ctx.plans_md = env.plans_md.as_deref();
    if let Some(skeleton) = env.skeleton.as_deref() {
        ctx.skeleton = skeleton;
    }
    ctx
}
