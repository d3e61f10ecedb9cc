//! The one path from a document to its outcome, shared by every front end
//! (the language server, the command line, the workspace index, and the MCP
//! server to come) so all give the same answers:
//!
//! 1. [`PlanContext::resolve`] finds what applies to a document besides its
//!    text: its path, its repository, PLANS.md and its skeleton, settings.
//! 2. [`outcome`] turns the text in that context into an [`Outcome`]: not a
//!    plan, an AGENTS.md and its findings, or a plan and its findings.
//!
//! Plan edits (fixes, "fix all", the Progress and entry actions in
//! [`crate::analysis::actions`]) are engine functions returning
//! [`analysis::Edit`]s; front ends only translate them.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::analysis::links::{FileReference, ReferenceKind};
use crate::analysis::{self, CheckContext, Code, Diagnostic, Edit, TextFindingsMemo};
use crate::config::{self, ConfigError, ConfigLayer, Settings};
use crate::discovery;
use crate::document::Document;
use crate::model::{self, PlanDetection, PlanModel, SkipReason};
use crate::workspace::{PathCache, PathKind, PathTarget, PlanEnv, resolve_in_workspace};

/// Everything that applies to a document besides its text, resolved in one
/// place for every front end.
#[derive(Clone, Debug, Default)]
pub struct PlanContext {
    /// The document's absolute path, when it has one.
    pub path: Option<PathBuf>,
    /// Its repository root, PLANS.md and skeleton.
    pub env: PlanEnv,
    pub settings: Arc<Settings>,
}

impl PlanContext {
    /// The context of a document at `path` (absolute; `None` for an unsaved
    /// buffer), inside the workspace folder `root` when the caller knows it
    /// (else the repository root is searched for), with `editor` settings
    /// under the configuration files. Configuration problems come back
    /// beside it; defaults stay in force for them.
    pub fn resolve(
        path: Option<&Path>,
        root: Option<&Path>,
        editor: Option<&ConfigLayer>,
    ) -> (PlanContext, Vec<ConfigError>) {
        let (settings, errors) = match path {
            Some(path) => config::load_for_dir(path.parent().unwrap_or(Path::new("/")), editor),
            None => Settings::resolve(editor, None),
        };
        (PlanContext::with_settings(path, root, settings), errors)
    }

    /// As [`PlanContext::resolve`], with settings the caller already loaded
    /// for the document's folder (a run over many files reads each folder's
    /// configuration once).
    pub fn with_settings(path: Option<&Path>, root: Option<&Path>, settings: Settings) -> Self {
        let env = match path {
            Some(path) => PlanEnv::discover(path, root, settings.plans_md.as_deref()),
            None => PlanEnv::default(),
        };
        PlanContext {
            path: path.map(Path::to_path_buf),
            env,
            settings: Arc::new(settings),
        }
    }

    /// Whether the document with `text` is a plan, judged on `model` when
    /// the caller has it (an open document), else on one built only if the
    /// path does not decide ([`discovery::classify`]).
    pub fn classify(&self, text: &str, model: Option<&PlanModel>) -> discovery::Classified {
        discovery::classify(self.path.as_deref(), text, model, &self.env, &self.settings)
    }

    /// [`PlanContext::classify`]'s verdict alone.
    pub fn detect(&self, text: &str, model: Option<&PlanModel>) -> PlanDetection {
        self.classify(text, model).detection
    }

    /// The author for new entries: configuration, else git `user.name`.
    pub fn author(&self) -> Option<String> {
        self.settings
            .author
            .clone()
            .or_else(|| crate::workspace::git_user_name(self.env.root.as_deref()))
    }

    /// Where a file reference in the plan leads: backticked paths from the
    /// workspace root, Markdown links from the plan's folder (or the root
    /// for `/x`); never outside the workspace.
    pub fn resolve_reference(&self, reference: &FileReference) -> PathTarget {
        let Some(root) = self.env.root.as_deref() else {
            return PathTarget::Outside;
        };
        match reference.kind {
            ReferenceKind::CodePath => resolve_in_workspace(root, &reference.path),
            ReferenceKind::MarkdownLink => {
                if let Some(from_root) = reference.path.strip_prefix('/') {
                    return resolve_in_workspace(root, from_root);
                }
                let folder = self
                    .path
                    .as_deref()
                    .and_then(Path::parent)
                    .and_then(|p| p.strip_prefix(root).ok())
                    .map(Path::to_path_buf)
                    .unwrap_or_default();
                let joined = folder.join(&reference.path);
                resolve_in_workspace(root, &joined.to_string_lossy())
            }
        }
    }
}

/// What a document is, and what the checks found in it.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// Not a plan (and not an AGENTS.md), and why (what `check
    /// --show-skipped` prints): nothing to report.
    NotAPlan(SkipReason),
    /// An AGENTS.md, with its findings (EP601); possibly none.
    AgentsMd(Vec<Diagnostic>),
    /// A plan, with its findings.
    Plan(Vec<Diagnostic>),
}

impl Outcome {
    /// The findings, empty when the document is not a plan.
    pub fn into_diagnostics(self) -> Vec<Diagnostic> {
        match self {
            Outcome::NotAPlan(_) => Vec::new(),
            Outcome::AgentsMd(found) | Outcome::Plan(found) => found,
        }
    }
}

/// The document a check reads: text alone, or an open document (whose
/// model is built and whose text findings are remembered, so a check after
/// a keystroke only searches the text that changed), read where it is held:
/// copying its text first cost a keystroke more than the copy, because the
/// copy's large allocation has the allocator tidy its free lists.
#[derive(Clone, Copy)]
pub enum Source<'a> {
    Text(&'a str),
    Open(&'a Document),
}

impl Source<'_> {
    fn text(&self) -> &str {
        match self {
            Source::Text(text) => text,
            Source::Open(doc) => doc.text(),
        }
    }
}

/// The one entry point from a document to its outcome. `paths` remembers
/// what the paths plans name resolve to, across checks or across a run.
pub fn outcome(
    source: Source<'_>,
    ctx: &PlanContext,
    paths: Option<&PathCache>,
    now: jiff::Timestamp,
) -> Outcome {
    outcome_with_model(source, ctx, paths, now).0
}

/// [`outcome`], with the model built for a text that is a plan (`None` for
/// an open document, whose model the caller has, and for what is not a
/// plan), for callers that read more than the findings (EP701's history).
pub fn outcome_with_model(
    source: Source<'_>,
    ctx: &PlanContext,
    paths: Option<&PathCache>,
    now: jiff::Timestamp,
) -> (Outcome, Option<PlanModel>) {
    let text = source.text();
    let path = ctx.path.as_deref();
    if let Some(p) = path
        && discovery::is_agents_md(p)
        && let Some(found) = agents_md_diagnostics(text, p, &ctx.env, &ctx.settings)
    {
        return (Outcome::AgentsMd(found), None);
    }
    match source {
        Source::Open(doc) => {
            if let PlanDetection::Skipped(reason) = ctx.detect(text, Some(doc.model())) {
                return (Outcome::NotAPlan(reason), None);
            }
            let remembered = Remembered {
                findings: Some(doc.text_memo()),
                paths,
            };
            let found = diagnostics_with(
                text,
                doc.model(),
                remembered,
                path,
                &ctx.env,
                &ctx.settings,
                now,
            );
            (Outcome::Plan(found), None)
        }
        Source::Text(text) => {
            match classified_check(text, path, &ctx.env, &ctx.settings, now, paths) {
                Ok((model, found)) => (Outcome::Plan(found), Some(model)),
                Err(reason) => (Outcome::NotAPlan(reason), None),
            }
        }
    }
}

/// "Fix all" as one edit: every safe fix applied (as `check --fix` does),
/// the text between the unchanged start and end replaced; `None` when no
/// safe fix changes anything.
pub fn fix_all_edit(text: &str, ctx: &PlanContext, now: jiff::Timestamp) -> Option<Edit> {
    let fixed = fix_text(text, ctx.path.as_deref(), &ctx.env, &ctx.settings, now);
    (fixed != text).then(|| minimal_edit(text, &fixed))
}

/// One edit that turns `old` into `new`: the middle between their common
/// prefix and suffix.
pub fn minimal_edit(old: &str, new: &str) -> Edit {
    let mut prefix = old
        .bytes()
        .zip(new.bytes())
        .take_while(|(a, b)| a == b)
        .count();
    while !old.is_char_boundary(prefix) || !new.is_char_boundary(prefix) {
        prefix -= 1;
    }
    let max_suffix = old.len().min(new.len()) - prefix;
    let mut suffix = old
        .bytes()
        .rev()
        .zip(new.bytes().rev())
        .take(max_suffix)
        .take_while(|(a, b)| a == b)
        .count();
    while !old.is_char_boundary(old.len() - suffix) || !new.is_char_boundary(new.len() - suffix) {
        suffix -= 1;
    }
    Edit::replace(prefix..old.len() - suffix, &new[prefix..new.len() - suffix])
}

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
    plan_diagnostics(text, model, path, env, settings, now, None)
}

/// The diagnostics of an open document: like [`diagnostics`], remembering
/// the text rules' findings with the document so the next check after a
/// keystroke only searches the text that changed.
pub fn document_diagnostics(
    doc: &Document,
    paths: &PathCache,
    path: Option<&Path>,
    env: &PlanEnv,
    settings: &Settings,
    now: jiff::Timestamp,
) -> Vec<Diagnostic> {
    let remembered = Remembered {
        findings: Some(doc.text_memo()),
        paths: Some(paths),
    };
    diagnostics_with(
        doc.text(),
        doc.model(),
        remembered,
        path,
        env,
        settings,
        now,
    )
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
    let missing = missing_paths(model, env, path, remembered.paths);
    let machine = machine_paths(text, model, env, remembered.paths);
    let mut ctx = context(path, env, settings, now);
    ctx.missing_paths = missing.as_ref();
    ctx.machine_paths = machine.as_ref();
    ctx.text_memo = remembered.findings;
    analysis::check(text, model, &ctx)
}

/// The plan's backticked repository paths that point into the repository's
/// tree (a folder part whose first folder exists) and resolve to nothing;
/// `None` without a workspace root. `workspace/symbol` or a fixture's
/// `.agent/PLANS.md` in a repository without those folders are not paths
/// of this repository. A path resolves when, without a line suffix
/// (`src/x.rs:17-86`, `x.py#L10`), it names a file or folder from the
/// repository root or from any folder that holds the plan (the package of a
/// monorepo), or names a module's member (`internal/config.Config`).
fn missing_paths(
    model: &PlanModel,
    env: &PlanEnv,
    plan: Option<&Path>,
    cache: Option<&PathCache>,
) -> Option<HashSet<String>> {
    let root = env.root.as_deref()?;
    let mut cached = cache.map(|c| c.under(root));
    let mut kind = |rel: &str| match &mut cached {
        Some(cached) => cached.kind(rel),
        None => resolve_in_workspace(root, rel).kind(),
    };
    // The folders between the root and the plan, nearest first, relative.
    let bases = plan_folders(root, plan);
    let mut seen: HashSet<&str, foldhash::fast::RandomState> =
        HashSet::with_capacity_and_hasher(model.code_paths.len(), Default::default());
    let mut missing = HashSet::new();
    for code in &model.code_paths {
        if !code.path.contains('/') || !seen.insert(code.path.as_str()) {
            continue;
        }
        let path = crate::workspace::without_location(code.path.trim_start_matches("./"));
        let first = path.split('/').next().unwrap_or("");
        if kind(first) != PathKind::Folder {
            continue;
        }
        let names = |rel: &str, kind: &mut dyn FnMut(&str) -> PathKind| {
            crate::workspace::path_readings(rel)
                .iter()
                .any(|reading| kind(reading) != PathKind::Missing)
        };
        let found = names(path, &mut kind)
            || bases
                .iter()
                .any(|base| names(&format!("{base}/{path}"), &mut kind));
        if !found {
            missing.insert(code.path.clone());
        }
    }
    Some(missing)
}

/// The absolute machine paths the plan writes that name a file or folder of
/// the workspace, each with that file's path from the root: the path itself
/// when it lies under the root, else its longest tail that names a file of
/// the workspace (`/Users/ada/src/repo/src/x.rs` for `src/x.rs`), or a folder
/// two levels deep or more. `None` without a workspace root.
fn machine_paths(
    text: &str,
    model: &PlanModel,
    env: &PlanEnv,
    cache: Option<&PathCache>,
) -> Option<HashMap<String, String>> {
    let root = env.root.as_deref()?;
    let mut cached = cache.map(|c| c.under(root));
    let mut kind = |rel: &str| match &mut cached {
        Some(cached) => cached.kind(rel),
        None => resolve_in_workspace(root, rel).kind(),
    };
    let root_text = root.to_string_lossy().replace('\\', "/");
    let root_name = root.file_name().map(|n| n.to_string_lossy().into_owned());
    let mut out = HashMap::new();
    for inline in &model.inlines {
        let inline_text = text.get(inline.span.clone()).unwrap_or("");
        for span in analysis::rules::machine_paths_in(inline_text) {
            let written = &inline_text[span];
            if out.contains_key(written) {
                continue;
            }
            let slashed = written.replace('\\', "/");
            if let Some(rel) =
                slashed.strip_prefix(&format!("{}/", root_text.trim_end_matches('/')))
            {
                if matches!(kind(rel), PathKind::File | PathKind::Folder) {
                    out.insert(written.to_string(), rel.to_string());
                }
                continue;
            }
            let parts: Vec<&str> = slashed.split('/').filter(|p| !p.is_empty()).collect();
            // The drive or the home folder and the user are never part of
            // it; a tail of one name (`README.md`) counts only after a
            // folder named like the repository's.
            let found = (2..parts.len()).find_map(|from| {
                let rel = parts[from..].join("/");
                let specific =
                    parts.len() - from >= 2 || Some(parts[from - 1]) == root_name.as_deref();
                (specific && matches!(kind(&rel), PathKind::File | PathKind::Folder)).then_some(rel)
            });
            if let Some(rel) = found {
                out.insert(written.to_string(), rel);
            }
        }
    }
    Some(out)
}

/// The folders that hold the plan below `root`, nearest first, as paths
/// relative to `root` (the root itself left out).
fn plan_folders(root: &Path, plan: Option<&Path>) -> Vec<String> {
    let Some(dir) = plan.and_then(Path::parent) else {
        return Vec::new();
    };
    let Ok(relative) = dir.strip_prefix(root) else {
        return Vec::new();
    };
    let parts: Vec<String> = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    (1..=parts.len())
        .rev()
        .map(|n| parts[..n].join("/"))
        .collect()
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
    classified_check(text, path, env, settings, now, paths).ok()
}

/// Classifies, builds and checks: the model and findings of a plan, or why
/// the text is not one.
fn classified_check(
    text: &str,
    path: Option<&Path>,
    env: &PlanEnv,
    settings: &Settings,
    now: jiff::Timestamp,
    paths: Option<&PathCache>,
) -> Result<(PlanModel, Vec<Diagnostic>), SkipReason> {
    let classified = discovery::classify(path, text, None, env, settings);
    if let PlanDetection::Skipped(reason) = classified.detection {
        return Err(reason);
    }
    let model = classified
        .model
        .unwrap_or_else(|| model::build_from_text(text));
    let remembered = Remembered {
        findings: None,
        paths,
    };
    let diagnostics = diagnostics_with(text, &model, remembered, path, env, settings, now);
    Ok((model, diagnostics))
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
    // Found at their default severity, then set as the plan's settings say.
    let found = crate::analysis::agents::check_agents_md(text, &Default::default(), &exists);
    // Suppression comments and `[[overrides]]` hold in AGENTS.md too.
    let options = &settings.options;
    let matched = options.matching_overrides(Some(path), env.root.as_deref());
    let found: Vec<Diagnostic> = found
        .into_iter()
        .filter_map(|mut d| {
            d.severity = options.severity_in(d.code, &matched)?;
            Some(d)
        })
        .collect();
    if !text.contains("execplan-ls-") {
        return Some(found);
    }
    let model = model::build_from_text(text);
    let severity = |code: Code| options.severity_in(code, &matched);
    Some(analysis::suppression::apply(text, &model, found, &severity))
}

/// Applies every safe fix to a plan's text, as the editor's "fix all" does.
pub fn fix_text(
    text: &str,
    path: Option<&Path>,
    env: &PlanEnv,
    settings: &Settings,
    now: jiff::Timestamp,
) -> String {
    // EP504's fix needs to know which machine paths name repository files.
    let machine = machine_paths(text, &model::build_from_text(text), env, None);
    let mut ctx = context(path, env, settings, now);
    ctx.machine_paths = machine.as_ref();
    analysis::fix_all(text, &ctx)
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
    ctx.skeleton_problem = env.skeleton_problem.as_deref();
    if let Some(skeleton) = env.skeleton.as_deref() {
        ctx.skeleton = skeleton;
    }
    ctx
}
