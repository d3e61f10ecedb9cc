//! Plans that fall behind the code (EP701), read from the repository's
//! history with gix (a library: no `git` process is started). A plan is
//! behind when a path one of its open Progress items names changed in
//! commits made after the plan's last update: its latest Progress stamp and
//! the last commit that changed the plan itself, whichever is later. With a
//! revision instead (`check --changed-since REV`), a plan is behind when
//! such a path changed between REV and HEAD and the plan did not.
//!
//! The language server does not run this (it would walk history on every
//! keystroke); `check`, the hooks and the MCP tools do.

use crate::analysis::Code;
use std::collections::HashMap;
use std::path::Path;

use crate::analysis::{AnalysisOptions, Diagnostic};
use crate::model::{CheckState, PlanModel, Span};

/// What "since the plan's last update" is measured from.
#[derive(Clone, Copy, Debug)]
pub enum Baseline<'a> {
    /// The latest Progress stamp (and the last commit of the plan).
    LastStamp,
    /// A revision: the change set REV..HEAD.
    Rev(&'a str),
}

/// Whether `rev` names a commit of the repository at `root`.
pub fn check_revision(root: &Path, rev: &str) -> Result<(), String> {
    let repo = gix::open(root).map_err(|e| format!("cannot read the git repository: {e}"))?;
    repo.rev_parse_single(rev)
        .map_err(|e| format!("`{rev}` is not a revision of this repository: {e}"))?
        .object()
        .map_err(|e| e.to_string())?
        .peel_to_commit()
        .map_err(|e| format!("`{rev}` does not name a commit: {e}"))?;
    Ok(())
}

/// At most this many commits are looked at.
const MAX_COMMITS: usize = 2000;

/// `src/cache.rs:42`, `./src/`, `lib::item` → `src/cache.rs`, `src`, `lib`.
fn tree_path(path: &str) -> &str {
    let path = path.split("::").next().unwrap_or(path);
    let path = match path.split_once(':') {
        Some((p, rest)) if rest.split(':').all(|n| n.parse::<u32>().is_ok()) => p,
        _ => path,
    };
    path.trim_start_matches("./").trim_end_matches('/')
}

fn entry_id(tree: &gix::Tree<'_>, path: &str) -> Option<gix::ObjectId> {
    tree.lookup_entry_by_path(path)
        .ok()
        .flatten()
        .map(|e| e.object_id())
}

/// The paths a plan's open Progress items name that history is asked
/// about, each with its first mention.
fn named_paths(model: &PlanModel) -> Vec<(String, Span)> {
    let open: Vec<&Span> = model
        .progress_items()
        .filter(|i| i.state != CheckState::Checked)
        .map(|i| &i.span)
        .collect();
    let mut named: Vec<(String, Span)> = Vec::new();
    for code in &model.code_paths {
        let inside = open
            .iter()
            .any(|s| s.start <= code.span.start && code.span.end <= s.end);
        let path = tree_path(&code.path);
        if inside
            && path.contains(['/', '.'])
            && !path.starts_with('/')
            && !named.iter().any(|(p, _)| p == path)
        {
            named.push((path.to_string(), code.span.clone()));
        }
    }
    named
}

/// Whether [`behind`] reads the history for this plan: EP701 is on and an
/// open item names a path. When it does not, its findings do not depend on
/// the repository's commits.
pub fn reads_history(model: &PlanModel, options: &AnalysisOptions) -> bool {
    options.severity(Code::EP701).is_some() && !named_paths(model).is_empty()
}

/// A repository opened once for many plans (gix's handle stays on the
/// thread that opened it: a run keeps one per thread).
pub struct History {
    repo: Result<gix::Repository, String>,
    root: std::path::PathBuf,
}

impl History {
    pub fn open(root: &Path) -> History {
        History {
            repo: gix::open(root).map_err(|e| format!("cannot read the git repository: {e}")),
            root: root.to_path_buf(),
        }
    }

    /// The commit HEAD names, if any.
    pub fn head(&self) -> Option<String> {
        let repo = self.repo.as_ref().ok()?;
        repo.head_id().ok().map(|id| id.to_string())
    }

    /// The commit `rev` names, if it names one.
    pub fn resolve(&self, rev: &str) -> Option<String> {
        let repo = self.repo.as_ref().ok()?;
        let commit = repo
            .rev_parse_single(rev)
            .ok()?
            .object()
            .ok()?
            .peel_to_commit()
            .ok()?;
        Some(commit.id.to_string())
    }

    /// [`behind`] in this repository.
    pub fn behind(
        &self,
        plan_path: &Path,
        model: &PlanModel,
        baseline: Baseline<'_>,
        options: &AnalysisOptions,
    ) -> Result<Vec<Diagnostic>, String> {
        let Some(severity) = options.severity(Code::EP701) else {
            return Ok(Vec::new());
        };
        let named = named_paths(model);
        if named.is_empty() {
            return Ok(Vec::new());
        }
        let repo = self.repo.as_ref().map_err(Clone::clone)?;
        behind_in(
            repo, &self.root, plan_path, model, named, severity, baseline,
        )
    }
}

/// EP701 findings for the plan at `plan_path` (inside `root`) with its
/// `model`. Errors (no repository, an unknown revision) are messages.
pub fn behind(
    root: &Path,
    plan_path: &Path,
    model: &PlanModel,
    baseline: Baseline<'_>,
    options: &AnalysisOptions,
) -> Result<Vec<Diagnostic>, String> {
    // The repository is opened only when the plan needs its history.
    if !reads_history(model, options) {
        return Ok(Vec::new());
    }
    History::open(root).behind(plan_path, model, baseline, options)
}

fn behind_in(
    repo: &gix::Repository,
    root: &Path,
    plan_path: &Path,
    model: &PlanModel,
    named: Vec<(String, Span)>,
    severity: crate::analysis::Severity,
    baseline: Baseline<'_>,
) -> Result<Vec<Diagnostic>, String> {
    let canonical_root = root.canonicalize().unwrap_or(root.to_path_buf());
    let plan_rel = plan_path
        .canonicalize()
        .unwrap_or(plan_path.to_path_buf())
        .strip_prefix(&canonical_root)
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .unwrap_or_default();
    let Ok(head) = repo.head_commit() else {
        // No commit yet: nothing can have changed.
        return Ok(Vec::new());
    };
    let head_tree = head.tree().map_err(|e| e.to_string())?;
    let finding = |span: &Span, message: String| Diagnostic {
        code: Code::EP701,
        severity,
        span: span.clone(),
        message,
        fix: None,
    };
    match baseline {
        Baseline::Rev(rev) => {
            let base = repo
                .rev_parse_single(rev)
                .map_err(|e| format!("`{rev}` is not a revision of this repository: {e}"))?
                .object()
                .map_err(|e| e.to_string())?
                .peel_to_commit()
                .map_err(|e| format!("`{rev}` does not name a commit: {e}"))?;
            let base_tree = base.tree().map_err(|e| e.to_string())?;
            if entry_id(&base_tree, &plan_rel) != entry_id(&head_tree, &plan_rel) {
                return Ok(Vec::new());
            }
            Ok(named
                .iter()
                .filter(|(path, _)| entry_id(&base_tree, path) != entry_id(&head_tree, path))
                .map(|(path, span)| {
                    finding(
                        span,
                        format!(
                            "`{path}` changed since {rev} but this plan was not updated: record the progress in Progress, or say why the open item still holds."
                        ),
                    )
                })
                .collect())
        }
        Baseline::LastStamp => {
            let Some((stamp, raw)) = model
                .progress_items()
                .filter_map(|i| i.timestamp.as_ref())
                .filter_map(|t| t.sort_key().map(|k| (k, t.raw.clone())))
                .max_by_key(|(k, _)| *k)
            else {
                return Ok(Vec::new());
            };
            // A stamp names a minute: commits within it are not later.
            let cutoff = stamp.as_second() + 59;
            let walk = repo
                .rev_walk([head.id])
                .sorting(gix::revision::walk::Sorting::ByCommitTimeCutoff {
                    order: gix::traverse::commit::simple::CommitTimeOrder::NewestFirst,
                    seconds: cutoff,
                })
                .all()
                .map_err(|e| e.to_string())?;
            let mut counts: HashMap<&str, usize> = HashMap::new();
            for info in walk.take(MAX_COMMITS) {
                let info = info.map_err(|e| e.to_string())?;
                if info.commit_time() <= cutoff {
                    continue;
                }
                let commit = info.object().map_err(|e| e.to_string())?;
                let tree = commit.tree().map_err(|e| e.to_string())?;
                let parent_tree = match info.parent_ids().next() {
                    Some(parent) => Some(
                        parent
                            .object()
                            .map_err(|e| e.to_string())?
                            .peel_to_commit()
                            .map_err(|e| e.to_string())?
                            .tree()
                            .map_err(|e| e.to_string())?,
                    ),
                    None => None,
                };
                let before = |path: &str| parent_tree.as_ref().and_then(|t| entry_id(t, path));
                // A commit that changed the plan updated it: older ones are not after its last update.
                if !plan_rel.is_empty() && entry_id(&tree, &plan_rel) != before(&plan_rel) {
                    break;
                }
                for (path, _) in &named {
                    if entry_id(&tree, path) != before(path) {
                        *counts.entry(path.as_str()).or_default() += 1;
                    }
                }
            }
            let stamp_text = raw.trim_matches(['(', ')']);
            Ok(named
                .iter()
                .filter_map(|(path, span)| {
                    let n = *counts.get(path.as_str())?;
                    let commits = if n == 1 { "1 commit".to_string() } else { format!("{n} commits") };
                    Some(finding(
                        span,
                        format!(
                            "`{path}` changed in {commits} since the last Progress entry ({stamp_text}): record the progress in Progress, or say why the open item still holds."
                        ),
                    ))
                })
                .collect())
        }
    }
}
