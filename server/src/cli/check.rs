//! `execplan-ls check`: find the plans, check them in parallel, report.

use std::collections::{BTreeMap, HashMap};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use globset::Glob;

use super::CheckArgs;
use super::check_file::Run;
use super::output::{self, FileReport, Summary};
use crate::analysis::{Diagnostic, rule_info};
use crate::checker::PlanContext;
use crate::config::{self, Settings};
use crate::discovery;
use crate::workspace;

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
    pub(super) explicit: bool,
}

pub(super) enum Outcome {
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
    let color = args.format == output::Format::Human && std::io::stdout().is_terminal();
    let stdout = std::io::stdout().lock();
    let mut stream = output::Stream::new(
        args.format,
        color,
        args.quiet,
        std::io::BufWriter::with_capacity(1 << 16, stdout),
    );
    let mut summary = Summary::default();
    let mut skipped = Vec::new();
    let mut failing = false;
    let mut noted = false;
    let fail_at = args.fail_on.severity();
    // Each file's outcome in the order of `targets`, as soon as it and every
    // file before it are done.
    let run = Run::new(args, &settings_cache);
    if let Some(note) = run.cache_note() {
        eprintln!("execplan-ls: note: {note}");
    }
    check_in_parallel(&targets, &run, |outcome| match outcome {
        Outcome::Checked(report) => {
            if !noted && !args.quiet {
                skeleton_note();
                noted = true;
            }
            failing |= report.diagnostics.iter().any(|d| d.severity <= fail_at);
            summary.add(&report);
            // A closed stdout (`| head`) is not a failure of the check.
            let _ = stream.file(&report);
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
    });
    if let Err(message) = run.save_cache() {
        eprintln!("execplan-ls: note: {message}");
    }
    for error in settings_cache.errors() {
        eprintln!("execplan-ls: configuration problem, defaults stay in force for it: {error}");
        problems = true;
    }
    summary.skipped = if args.show_skipped { 0 } else { skipped.len() };
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
    let _ = stream.finish(shown.filter(|_| in_report), &summary);
    if !args.quiet && args.format != output::Format::Human {
        eprintln!("{}", summary.line());
    }
    if problems {
        ExitCode::from(2)
    } else if failing {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

pub(super) fn keep(d: &Diagnostic, args: &CheckArgs) -> bool {
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

/// How many files may be done ahead of the first one not yet written: a
/// slow file holds back at most this many finished reports.
const REORDER_WINDOW: usize = 256;

/// Checks every target on all cores, handing each outcome to `each` in
/// target order as soon as it and all before it are done (a bounded
/// reorder buffer), so the output is the same on every run and no more
/// than [`REORDER_WINDOW`] reports wait at once. The paths plans name are
/// looked up once for the run, whichever plans name them.
fn check_in_parallel(targets: &[Target], run: &Run<'_>, mut each: impl FnMut(Outcome)) {
    let next = AtomicUsize::new(0);
    // How many outcomes were handed over, and a wake-up for workers that
    // ran too far ahead.
    let written = (Mutex::new(0usize), std::sync::Condvar::new());
    let workers = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .min(targets.len().max(1));
    let (sender, receiver) = std::sync::mpsc::channel::<(usize, Outcome)>();
    std::thread::scope(|scope| {
        for _ in 0..workers {
            let sender = sender.clone();
            let (next, written) = (&next, &written);
            scope.spawn(move || {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(target) = targets.get(i) else { break };
                    let (count, wake) = written;
                    let mut done = count.lock().unwrap_or_else(|e| e.into_inner());
                    while i >= *done + REORDER_WINDOW {
                        done = wake.wait(done).unwrap_or_else(|e| e.into_inner());
                    }
                    drop(done);
                    let outcome = run.check(target);
                    if sender.send((i, outcome)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(sender);
        let mut waiting: BTreeMap<usize, Outcome> = BTreeMap::new();
        let mut first = 0;
        for (i, outcome) in receiver {
            waiting.insert(i, outcome);
            while let Some(outcome) = waiting.remove(&first) {
                each(outcome);
                first += 1;
            }
            let (count, wake) = &written;
            *count.lock().unwrap_or_else(|e| e.into_inner()) = first;
            wake.notify_all();
        }
    });
}
