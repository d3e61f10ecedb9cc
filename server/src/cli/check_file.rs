//! One file of `execplan-ls check`: read it, find what applies to it (once
//! per folder for the run), answer from the cache of findings when nothing
//! it depends on changed, else check it (`checker::outcome_with_model`),
//! add EP701 from the repository's history (opened once per run), and
//! remember the result with the facts it read.

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use super::CheckArgs;
use super::check::{Outcome, SettingsCache, Target, keep, root_for};
use super::output::{self, FileReport};
use crate::analysis::Diagnostic;
use crate::cache::{ContextKey, Entry, Facts, Findings, FindingsCache, content_key};
use crate::checker::{self, PlanContext};
use crate::config::{self, Settings};
use crate::history::{self, Baseline, History};
use crate::model::PlanModel;
use crate::workspace::{self, PathCache, PlanEnv};

/// What a run shares between its files.
pub(super) struct Run<'a> {
    args: &'a CheckArgs,
    settings: &'a SettingsCache,
    /// What the paths plans name resolve to, looked up once for the run.
    paths: PathCache,
    now: jiff::Timestamp,
    /// `None` with `--no-cache` and `--fix`.
    cache: Option<FindingsCache>,
    folders: Mutex<HashMap<PathBuf, Arc<Folder>>>,
    /// Each repository's HEAD, read once.
    heads: Mutex<HashMap<PathBuf, String>>,
    /// What `--changed-since` resolved to, for the cache's key.
    baseline_key: String,
}

/// What applies to every file of one folder.
struct Folder {
    env: PlanEnv,
    settings: Arc<Settings>,
    /// The cache key of all of it.
    key: String,
}

thread_local! {
    /// Each repository's history, opened once per worker thread.
    static HISTORIES: RefCell<HashMap<PathBuf, History>> = RefCell::default();
}

/// `work` on the history of the repository at `root`, opened on this
/// thread's first need of it.
fn with_repository<R>(root: &Path, work: impl FnOnce(&History) -> R) -> R {
    HISTORIES.with(|histories| {
        let mut histories = histories.borrow_mut();
        let history = histories
            .entry(root.to_path_buf())
            .or_insert_with(|| History::open(root));
        work(history)
    })
}

impl<'a> Run<'a> {
    pub(super) fn new(args: &'a CheckArgs, settings: &'a SettingsCache) -> Run<'a> {
        let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
        let cwd = std::path::absolute(&cwd).unwrap_or(cwd);
        let root = workspace::find_repo_root(&cwd).unwrap_or(cwd);
        let cache = (!args.no_cache && !args.fix).then(|| FindingsCache::open(&root));
        let baseline_key = match &args.changed_since {
            Some(rev) => format!(
                "rev {}",
                History::open(&root)
                    .resolve(rev)
                    .unwrap_or_else(|| rev.clone())
            ),
            None => "last stamp".to_string(),
        };
        Run {
            args,
            settings,
            paths: PathCache::default(),
            now: jiff::Timestamp::now(),
            cache,
            folders: Mutex::default(),
            heads: Mutex::default(),
            baseline_key,
        }
    }

    /// Why the stored cache could not be used, if it could not.
    pub(super) fn cache_note(&self) -> Option<&str> {
        self.cache.as_ref().and_then(FindingsCache::note)
    }

    /// Writes the cache back.
    pub(super) fn save_cache(self) -> Result<(), String> {
        match self.cache {
            Some(cache) => cache.save(),
            None => Ok(()),
        }
    }

    fn folder(&self, dir: &Path) -> Arc<Folder> {
        if let Some(found) = self.lock_folders().get(dir) {
            return found.clone();
        }
        let settings = self.settings.get(dir);
        let probe = dir.join("x.md");
        let env = PlanEnv::discover(
            &probe,
            root_for(&probe).as_deref(),
            settings.plans_md.as_deref(),
        );
        let mut key = ContextKey::new();
        key.file("configuration", config::find_config_file(dir).as_deref())
            .part("root", format!("{:?}", env.root).as_bytes())
            .file("PLANS.md", env.plans_md.as_deref())
            .part("every PLANS.md", format!("{:?}", env.plans_mds).as_bytes())
            .part("skeleton", format!("{:?}", env.skeleton).as_bytes())
            .part(
                "skeleton source",
                format!("{:?}", env.skeleton_source).as_bytes(),
            )
            .part("EP701 baseline", self.baseline_key.as_bytes());
        for agents in [env.root.as_deref(), Some(dir)].into_iter().flatten() {
            key.file("AGENTS.md", Some(&agents.join("AGENTS.md")));
        }
        let folder = Arc::new(Folder {
            env,
            settings: Arc::new(settings),
            key: key.finish(),
        });
        self.lock_folders()
            .entry(dir.to_path_buf())
            .or_insert(folder)
            .clone()
    }

    fn lock_folders(&self) -> std::sync::MutexGuard<'_, HashMap<PathBuf, Arc<Folder>>> {
        self.folders.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// HEAD's commit in the repository at `root`, or `none` (no
    /// repository, no commit yet), read once for the run.
    fn head(&self, root: &Path) -> String {
        if let Some(head) = self
            .heads
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(root)
        {
            return head.clone();
        }
        let head = with_repository(root, History::head).unwrap_or_else(|| "none".to_string());
        self.heads
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(root.to_path_buf(), head.clone());
        head
    }

    /// Checks one file.
    pub(super) fn check(&self, target: &Target) -> Outcome {
        let args = self.args;
        let file = &target.path;
        let bytes = match std::fs::read(file) {
            Ok(bytes) => bytes,
            Err(e) => return Outcome::Failed(file.clone(), format!("cannot read: {e}")),
        };
        let content = self.cache.as_ref().map(|_| content_key(&bytes));
        let text = match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(e) => {
                return Outcome::Failed(
                    file.clone(),
                    format!(
                        "not valid UTF-8 (first bad byte at offset {})",
                        e.utf8_error().valid_up_to()
                    ),
                );
            }
        };
        // The human format shows each finding's source line.
        let lines = args.format == output::Format::Human;
        let report = |text: &str, diagnostics: Vec<Diagnostic>, fixed: bool| {
            let diagnostics = diagnostics.into_iter().filter(|d| keep(d, args)).collect();
            FileReport::new(file.clone(), text, diagnostics, fixed, lines)
        };
        let absolute = std::path::absolute(file).unwrap_or_else(|_| file.clone());
        let folder = self.folder(absolute.parent().unwrap_or(Path::new("/")));
        let ctx = PlanContext {
            path: Some(absolute.clone()),
            env: folder.env.clone(),
            settings: folder.settings.clone(),
        };
        let root = ctx.env.root.as_deref();
        let cache = self.cache.as_ref().zip(content);
        if let Some((cache, content)) = &cache
            && let Some(entry) = cache.get(&absolute, content, &folder.key)
            && entry
                .facts
                .hold(root, &self.paths, || root.map(|r| self.head(r)), self.now)
            && let Some(diagnostics) = entry.findings.diagnostics(self.now)
        {
            return match &entry.findings {
                Findings::NotAPlan(reason) => Outcome::NotAPlan {
                    path: file.clone(),
                    explicit: target.explicit,
                    reason: reason.clone(),
                },
                Findings::Plan(_) => Outcome::Checked(report(&text, diagnostics, false)),
            };
        }
        let ((outcome, model), looked_up) = workspace::record_lookups(|| {
            checker::outcome_with_model(
                checker::Source::Text(&text),
                &ctx,
                Some(&self.paths),
                self.now,
            )
        });
        let remember = |findings: Findings, facts: Facts| {
            if let Some((cache, content)) = &cache {
                let entry = Entry {
                    content: content.clone(),
                    context: folder.key.clone(),
                    findings,
                    facts,
                };
                cache.put(&absolute, entry);
            }
        };
        let diagnostics = match outcome {
            checker::Outcome::NotAPlan(reason) => {
                let reason = reason.to_string();
                remember(
                    Findings::NotAPlan(reason.clone()),
                    Facts::of(looked_up, None, None, &[], self.now),
                );
                return Outcome::NotAPlan {
                    path: file.clone(),
                    explicit: target.explicit,
                    reason,
                };
            }
            // AGENTS.md (one a repository) is checked afresh every run.
            checker::Outcome::AgentsMd(diagnostics) => {
                let mut report = report(&text, diagnostics, false);
                report.agents_md = true;
                return Outcome::Checked(report);
            }
            checker::Outcome::Plan(diagnostics) => diagnostics,
        };
        if args.fix {
            return self.fix(file, &absolute, text, diagnostics, model, &ctx, &report);
        }
        let (diagnostics, head) = match &model {
            Some(model) => self.with_history(diagnostics, &absolute, model, &ctx),
            None => (diagnostics, None),
        };
        remember(
            Findings::plan(&diagnostics, self.now),
            Facts::of(looked_up, head, model.as_ref(), &diagnostics, self.now),
        );
        Outcome::Checked(report(&text, diagnostics, false))
    }

    /// `check --fix`: applies every safe fix, writes the file when that
    /// changed it, and reports what remains.
    #[allow(clippy::too_many_arguments)]
    fn fix(
        &self,
        file: &Path,
        absolute: &Path,
        text: String,
        diagnostics: Vec<Diagnostic>,
        model: Option<PlanModel>,
        ctx: &PlanContext,
        report: &dyn Fn(&str, Vec<Diagnostic>, bool) -> FileReport,
    ) -> Outcome {
        let new_text = checker::fix_text(&text, Some(absolute), &ctx.env, &ctx.settings, self.now);
        let (text, diagnostics, model, fixed) = if new_text == text {
            (text, diagnostics, model, false)
        } else {
            if let Err(e) = std::fs::write(file, &new_text) {
                return Outcome::Failed(
                    file.to_path_buf(),
                    format!("cannot write the fixed file: {e}"),
                );
            }
            let source = checker::Source::Text(&new_text);
            let (outcome, model) =
                checker::outcome_with_model(source, ctx, Some(&self.paths), self.now);
            (new_text, outcome.into_diagnostics(), model, true)
        };
        let diagnostics = match &model {
            Some(model) => self.with_history(diagnostics, absolute, model, ctx).0,
            None => diagnostics,
        };
        Outcome::Checked(report(&text, diagnostics, fixed))
    }

    /// `diagnostics` with EP701 from the repository's history added: against
    /// the plan's last update, or the change set `--changed-since REV`; and
    /// the commit the history was read at, when it was.
    fn with_history(
        &self,
        mut diagnostics: Vec<Diagnostic>,
        absolute: &Path,
        model: &PlanModel,
        ctx: &PlanContext,
    ) -> (Vec<Diagnostic>, Option<String>) {
        let Some(root) = ctx.env.root.as_deref() else {
            return (diagnostics, None);
        };
        if !history::reads_history(model, &ctx.settings.options) {
            return (diagnostics, None);
        }
        let baseline = match self.args.changed_since.as_deref() {
            Some(rev) => Baseline::Rev(rev),
            None => Baseline::LastStamp,
        };
        let behind = with_repository(root, |repo| {
            repo.behind(absolute, model, baseline, &ctx.settings.options)
        });
        if let Ok(behind) = behind
            && !behind.is_empty()
        {
            diagnostics.extend(behind);
            diagnostics.sort_by_key(|d| (d.span.start, d.code));
        }
        (diagnostics, Some(self.head(root)))
    }
}
