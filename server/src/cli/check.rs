//! `execplan-ls check`: find the plans, check them in parallel, report.

use std::collections::HashMap;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use globset::Glob;

use super::CheckArgs;
use super::output::{self, FileReport, Summary};
use crate::analysis::{Diagnostic, rule_info};
use crate::checker;
use crate::checker::PlanContext;
use crate::config::{self, Settings};
use crate::discovery;
use crate::workspace::{self, PathCache};

/// Says on stderr when the repository has a PLANS.md whose skeleton could
/// not be read (none in it, or a symlink out of the repository), so the
/// canonical skeleton is not applied silently.
fn skeleton_note() {
    let cwd = std::env::current_dir().unwrap_or_default();
    let probe = cwd.join("x.md");
    let (ctx, _) = PlanContext::resolve(Some(&probe), root_for(&probe).as_deref(), None);
    let env = &ctx.env;
    if env.skeleton.is_none() && env.plans_md.is_some() {
        eprintln!(
            "execplan-ls: note: plans are checked against {}",
            env.skeleton_source.describe(None)
        );
    }
}

/// The repository root `check` works in for the file at `absolute`: the
/// nearest folder above it that holds `.git`, else the current folder when
/// the file lies below it (as the files to check are listed), so PLANS.md
/// and the plan folders are found the same way in a tree without `.git`.
pub(super) fn root_for(absolute: &Path) -> Option<PathBuf> {
    if let Some(root) = absolute.parent().and_then(workspace::find_repo_root) {
        return Some(root);
    }
    let cwd = std::path::absolute(std::env::current_dir().ok()?).ok()?;
    absolute.starts_with(&cwd).then_some(cwd)
}

/// One file to check, and whether the user named it (then a file that is
/// not a plan is mentioned rather than silently passed over).
pub(super) struct Target {
    pub(super) path: PathBuf,
    explicit: bool,
}

enum Outcome {
    Checked(FileReport),
    /// Not a plan, and why; `explicit` when the user named the file.
    NotAPlan {
        path: PathBuf,
        explicit: bool,
        reason: String,
    },
    Failed(PathBuf, String),
}

pub fn run(args: &CheckArgs) -> ExitCode {
    for code in args.select.iter().chain(&args.ignore) {
        if rule_info(code).is_none() {
            eprintln!("execplan-ls: unknown rule code `{code}`; `execplan-ls rules` lists them");
            return ExitCode::from(2);
        }
    }
    if let Some(rev) = &args.changed_since {
        let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
        let root = workspace::find_repo_root(&cwd).unwrap_or(cwd);
        if let Err(message) = crate::history::check_revision(&root, rev) {
            eprintln!("execplan-ls: --changed-since: {message}");
            return ExitCode::from(2);
        }
    }
    // Paths that do not exist are reported; the rest are still checked.
    let (targets, errors) = collect_targets(&args.paths);
    let mut problems = !errors.is_empty();
    for message in errors {
        eprintln!("execplan-ls: {message}");
    }
    let settings_cache = SettingsCache::default();
    let outcomes = check_in_parallel(&targets, args, &settings_cache);
    let mut reports = Vec::new();
    let mut skipped = Vec::new();
    for outcome in outcomes {
        match outcome {
            Outcome::Checked(mut report) => {
                report.diagnostics.retain(|d| keep(d, args));
                reports.push(report);
            }
            Outcome::NotAPlan {
                path,
                explicit,
                reason,
            } => {
                if explicit && !args.quiet {
                    eprintln!(
                        "execplan-ls: {}: skipped, not an ExecPlan: {reason}",
                        path.display()
                    );
                }
                skipped.push(output::Skipped { path, reason });
            }
            Outcome::Failed(path, message) => {
                eprintln!("execplan-ls: {}: {message}", path.display());
                problems = true;
            }
        }
    }
    for error in settings_cache.errors() {
        eprintln!("execplan-ls: configuration problem, defaults stay in force for it: {error}");
        problems = true;
    }
    if !args.quiet && !reports.is_empty() {
        skeleton_note();
    }
    let mut summary = Summary::of(&reports);
    summary.skipped = if args.show_skipped { 0 } else { skipped.len() };
    let color = args.format == output::Format::Human && std::io::stdout().is_terminal();
    let shown = args.show_skipped.then_some(skipped.as_slice());
    // Formats other than human and json keep stdout for findings: the
    // skipped files go to stderr there.
    let in_report = matches!(args.format, output::Format::Human | output::Format::Json);
    if let Some(list) = shown
        && !in_report
    {
        for s in list {
            eprintln!(
                "execplan-ls: skipped {}",
                output::skipped_lines(std::slice::from_ref(s), "").trim_end()
            );
        }
    }
    let rendered = output::render(
        args.format,
        &reports,
        shown.filter(|_| in_report),
        &summary,
        color,
        args.quiet,
    );
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(rendered.as_bytes());
    let _ = stdout.flush();
    if !args.quiet && args.format != output::Format::Human {
        eprintln!("{}", summary.line());
    }
    let fail_at = args.fail_on.severity();
    let failing = reports
        .iter()
        .flat_map(|r| &r.diagnostics)
        .any(|d| d.severity <= fail_at);
    if problems {
        ExitCode::from(2)
    } else if failing {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn keep(d: &Diagnostic, args: &CheckArgs) -> bool {
    let code_is = |codes: &[String]| {
        codes
            .iter()
            .any(|c| c.eq_ignore_ascii_case(d.code.as_str()))
    };
    d.severity <= args.severity.severity()
        && (args.select.is_empty() || code_is(&args.select))
        && !code_is(&args.ignore)
}

/// Files to check: the named files, the plans in named folders, files
/// matching named globs, or, with nothing named, the plans in the repository.
pub(super) fn collect_targets(paths: &[String]) -> (Vec<Target>, Vec<String>) {
    if paths.is_empty() {
        let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
        let root = workspace::find_repo_root(&cwd).unwrap_or(cwd.clone());
        // Relative paths in the output when run from the repository root.
        let root = if root == cwd {
            PathBuf::from(".")
        } else {
            root
        };
        let targets = discovery::markdown_files(&root)
            .into_iter()
            .map(|path| Target {
                path,
                explicit: false,
            })
            .collect();
        return (targets, Vec::new());
    }
    let mut targets = Vec::new();
    let mut errors = Vec::new();
    for raw in paths {
        let path = PathBuf::from(raw);
        if path.is_dir() {
            targets.extend(
                discovery::markdown_files(&path)
                    .into_iter()
                    .map(|path| Target {
                        path,
                        explicit: false,
                    }),
            );
        } else if path.exists() {
            targets.push(Target {
                path,
                explicit: true,
            });
        } else if raw.contains(['*', '?', '[']) {
            match Glob::new(raw) {
                Ok(glob) => {
                    let matcher = glob.compile_matcher();
                    let matched: Vec<PathBuf> = discovery::markdown_files(Path::new("."))
                        .into_iter()
                        .filter(|p| matcher.is_match(p.strip_prefix("./").unwrap_or(p)))
                        .collect();
                    if matched.is_empty() {
                        errors.push(format!("{raw}: no file matches this pattern"));
                    }
                    targets.extend(matched.into_iter().map(|path| Target {
                        path,
                        explicit: true,
                    }));
                }
                Err(e) => errors.push(format!("{raw}: not a valid pattern: {e}")),
            }
        } else {
            errors.push(format!("{raw}: no such file or folder"));
        }
    }
    (targets, errors)
}

/// Configuration per folder, read once; errors are kept to report once.
#[derive(Default)]
pub(super) struct SettingsCache {
    by_dir: Mutex<HashMap<PathBuf, Settings>>,
    errors: Mutex<Vec<String>>,
}

impl SettingsCache {
    pub(super) fn get(&self, dir: &Path) -> Settings {
        if let Some(settings) = self
            .by_dir
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(dir)
        {
            return settings.clone();
        }
        let (settings, errors) = config::load_for_dir(dir, None);
        let mut seen = self.errors.lock().unwrap_or_else(|e| e.into_inner());
        for error in errors {
            let text = error.to_string();
            if !seen.contains(&text) {
                seen.push(text);
            }
        }
        drop(seen);
        self.by_dir
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(dir.to_path_buf(), settings.clone());
        settings
    }

    pub(super) fn errors(&self) -> Vec<String> {
        self.errors
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }
}

/// Checks every target on all cores; results come back in target order.
/// The paths plans name are looked up once for the run, whichever plans
/// name them.
fn check_in_parallel(
    targets: &[Target],
    args: &CheckArgs,
    settings: &SettingsCache,
) -> Vec<Outcome> {
    let now = jiff::Timestamp::now();
    let paths = PathCache::default();
    let next = AtomicUsize::new(0);
    let results: Vec<Mutex<Option<Outcome>>> = targets.iter().map(|_| Mutex::new(None)).collect();
    let workers = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .min(targets.len().max(1));
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(target) = targets.get(i) else { break };
                    let outcome = check_one(target, args, settings, &paths, now);
                    *results[i].lock().unwrap_or_else(|e| e.into_inner()) = Some(outcome);
                }
            });
        }
    });
    results
        .into_iter()
        .filter_map(|slot| slot.into_inner().unwrap_or_else(|e| e.into_inner()))
        .collect()
}

fn check_one(
    target: &Target,
    args: &CheckArgs,
    settings: &SettingsCache,
    paths: &PathCache,
    now: jiff::Timestamp,
) -> Outcome {
    let file = &target.path;
    let bytes = match std::fs::read(file) {
        Ok(bytes) => bytes,
        Err(e) => return Outcome::Failed(file.clone(), format!("cannot read: {e}")),
    };
    let mut text = match String::from_utf8(bytes) {
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
    let absolute = std::path::absolute(file).unwrap_or_else(|_| file.clone());
    let settings = settings.get(absolute.parent().unwrap_or(Path::new("/")));
    let ctx = PlanContext::with_settings(Some(&absolute), root_for(&absolute).as_deref(), settings);
    let (outcome, model) =
        checker::outcome_with_model(checker::Source::Text(&text), &ctx, Some(paths), now);
    let diagnostics = match outcome {
        checker::Outcome::NotAPlan(reason) => {
            return Outcome::NotAPlan {
                path: file.clone(),
                explicit: target.explicit,
                reason: reason.to_string(),
            };
        }
        checker::Outcome::AgentsMd(diagnostics) => {
            let mut report = FileReport::new(file.clone(), text, diagnostics, false);
            report.agents_md = true;
            return Outcome::Checked(report);
        }
        checker::Outcome::Plan(diagnostics) => diagnostics,
    };
    let mut fixed = false;
    let (diagnostics, model) = if args.fix {
        let new_text = checker::fix_text(&text, Some(&absolute), &ctx.env, &ctx.settings, now);
        if new_text == text {
            (diagnostics, model)
        } else {
            if let Err(e) = std::fs::write(file, &new_text) {
                return Outcome::Failed(file.clone(), format!("cannot write the fixed file: {e}"));
            }
            text = new_text;
            fixed = true;
            match checker::outcome_with_model(checker::Source::Text(&text), &ctx, Some(paths), now)
            {
                (checker::Outcome::Plan(diagnostics), model) => (diagnostics, model),
                _ => (Vec::new(), None),
            }
        }
    } else {
        (diagnostics, model)
    };
    let diagnostics = match &model {
        Some(model) => with_history(diagnostics, args, &absolute, model, &ctx),
        None => diagnostics,
    };
    Outcome::Checked(FileReport::new(file.clone(), text, diagnostics, fixed))
}

/// `diagnostics` with EP701 from the repository's history added: against
/// the plan's last update, or the change set `--changed-since REV`.
fn with_history(
    mut diagnostics: Vec<Diagnostic>,
    args: &CheckArgs,
    absolute: &Path,
    model: &crate::model::PlanModel,
    ctx: &PlanContext,
) -> Vec<Diagnostic> {
    let baseline = match args.changed_since.as_deref() {
        Some(rev) => crate::history::Baseline::Rev(rev),
        None => crate::history::Baseline::LastStamp,
    };
    let Some(root) = ctx.env.root.as_deref() else {
        return diagnostics;
    };
    if let Ok(behind) =
        crate::history::behind(root, absolute, model, baseline, &ctx.settings.options)
        && !behind.is_empty()
    {
        diagnostics.extend(behind);
        diagnostics.sort_by_key(|d| (d.span.start, d.code));
    }
    diagnostics
}
