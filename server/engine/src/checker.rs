//! The one path from a document to its diagnostics, shared by the server and
//! the CLI so both give the same answers.

use std::collections::HashSet;
use std::path::Path;

use crate::analysis::{self, CheckContext, Diagnostic, TextFindingsMemo};
use crate::config::Settings;
use crate::discovery;
use crate::document::Snapshot;
use crate::model::{self, PlanDetection, PlanModel};
use crate::workspace::{PathCache, PathKind, PathTarget, PlanEnv, resolve_in_workspace};

/// Whether the document at `path` (absolute, if any) with `text` is a plan
/// ([`discovery::classify`], which reads the content from the plan model and
/// builds one for it when the path does not decide).
pub fn detect(
    path: Option<&Path>,
    text: &str,
    env: &PlanEnv,
    settings: &Settings,
) -> PlanDetection {
    discovery::classify(path, text, None, env, settings).detection
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
    diagnostics_with(text, model, Remembered::default(), path, env, settings, now)
}

/// The diagnostics of an open document: like [`diagnostics`], remembering
/// the text rules' findings with the document so the next check after a
/// keystroke only searches the text that changed.
pub fn document_diagnostics(
    doc: &Snapshot,
    paths: &PathCache,
    path: Option<&Path>,
    env: &PlanEnv,
    settings: &Settings,
    now: jiff::Timestamp,
) -> Vec<Diagnostic> {
    let remembered = Remembered {
        findings: Some(&doc.text_memo),
        paths: Some(paths),
    };
    diagnostics_with(&doc.text, &doc.model, remembered, path, env, settings, now)
}

/// What a check may reuse from earlier checks of an open document.
#[derive(Clone, Copy, Default)]
struct Remembered<'a> {
    findings: Option<&'a TextFindingsMemo>,
    paths: Option<&'a PathCache>,
}

fn diagnostics_with(
    text: &str,
    model: &PlanModel,
    remembered: Remembered<'_>,
    path: Option<&Path>,
    env: &PlanEnv,
    settings: &Settings,
    now: jiff::Timestamp,
) -> Vec<Diagnostic> {
    let missing = missing_paths(model, env, remembered.paths);
    let mut ctx = context(path, env, settings, now);
    ctx.missing_paths = missing.as_ref();
    ctx.text_memo = remembered.findings;
    analysis::check(text, model, &ctx)
}

/// The plan's backticked repository paths that point into the repository's
/// tree (a folder part whose first folder exists) and resolve to nothing;
/// `None` without a workspace root. `workspace/symbol` or a fixture's
/// `.agent/PLANS.md` in a repository without those folders are not paths
/// of this repository.
fn missing_paths(
    model: &PlanModel,
    env: &PlanEnv,
    cache: Option<&PathCache>,
) -> Option<HashSet<String>> {
    let root = env.root.as_deref()?;
    let mut cached = cache.map(|c| c.under(root));
    let mut kind = |rel: &str| match &mut cached {
        Some(cached) => cached.kind(rel),
        None => resolve_in_workspace(root, rel).kind(),
    };
    let mut seen = HashSet::new();
    let mut missing = HashSet::new();
    for code in &model.code_paths {
        if !code.path.contains('/') || !seen.insert(code.path.as_str()) {
            continue;
        }
        let first = code
            .path
            .trim_start_matches("./")
            .split('/')
            .next()
            .unwrap_or("");
        if kind(first) == PathKind::Folder && kind(&code.path) == PathKind::Missing {
            missing.insert(code.path.clone());
        }
    }
    Some(missing)
}

/// Detects, builds and checks in one go; `None` when the text is not a plan.
/// A run over many plans passes one `paths` cache to them all, so the paths
/// they share are looked up once.
pub fn check_text(
    text: &str,
    path: Option<&Path>,
    env: &PlanEnv,
    settings: &Settings,
    now: jiff::Timestamp,
    paths: Option<&PathCache>,
) -> Option<Vec<Diagnostic>> {
    check_plan(text, path, env, settings, now, paths).map(|(_, diagnostics)| diagnostics)
}

/// Like [`check_text`], keeping the model it built (for callers that read
/// more than the findings, such as the report).
pub fn check_plan(
    text: &str,
    path: Option<&Path>,
    env: &PlanEnv,
    settings: &Settings,
    now: jiff::Timestamp,
    paths: Option<&PathCache>,
) -> Option<(PlanModel, Vec<Diagnostic>)> {
    let classified = discovery::classify(path, text, None, env, settings);
    if !classified.detection.is_plan() {
        return None;
    }
    let model = classified
        .model
        .unwrap_or_else(|| model::build_from_text(text));
    let remembered = Remembered {
        findings: None,
        paths,
    };
    let diagnostics = diagnostics_with(text, &model, remembered, path, env, settings, now);
    Some((model, diagnostics))
}

/// The diagnostics of a plan whose model is built, looking paths up in
/// `paths` (a run-wide cache) when given: for a caller that classified the
/// document first ([`discovery::classify`]) and keeps its model.
pub fn plan_diagnostics(
    text: &str,
    model: &PlanModel,
    path: Option<&Path>,
    env: &PlanEnv,
    settings: &Settings,
    now: jiff::Timestamp,
    paths: Option<&PathCache>,
) -> Vec<Diagnostic> {
    let remembered = Remembered {
        findings: None,
        paths,
    };
    diagnostics_with(text, model, remembered, path, env, settings, now)
}

/// EP601 for an AGENTS.md: `Some` (possibly empty) when `path` is one.
/// Mentions resolve from the repository root, then from the file's folder;
/// a bare `PLANS.md` is satisfied by one at any usual place.
pub fn agents_md_diagnostics(
    text: &str,
    path: &Path,
    env: &PlanEnv,
    settings: &Settings,
) -> Option<Vec<Diagnostic>> {
    let name = path.file_name()?.to_str()?;
    if !name.eq_ignore_ascii_case("AGENTS.md") {
        return None;
    }
    let folder = path.parent().unwrap_or(Path::new("/"));
    let root = env.root.as_deref().unwrap_or(folder);
    let exists = |mention: &str| {
        let found = |base: &Path| {
            matches!(
                resolve_in_workspace(base, mention.trim_start_matches('/')),
                PathTarget::File(_)
            )
        };
        found(root) || found(folder) || (mention == "PLANS.md" && env.plans_md.is_some())
    };
    Some(crate::analysis::agents::check_agents_md(
        text,
        &settings.options,
        &exists,
    ))
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
    ctx.plans_mds = &env.plans_mds;
    if let Some(skeleton) = env.skeleton.as_deref() {
        ctx.skeleton = skeleton;
    }
    ctx
}
