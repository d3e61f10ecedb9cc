//! The command-line front end: `execplan-ls check PATH...` prints the same
//! diagnostics the server publishes.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use ropey::Rope;

use crate::analysis::{Diagnostic, Severity};
use crate::checker;
use crate::config;
use crate::text::{PositionEncoding, offset_to_position};
use crate::workspace::PlanEnv;

#[derive(Parser, Debug)]
#[command(
    name = "execplan-ls",
    version,
    about = "A language server and checker for ExecPlans",
    long_about = "A language server and checker for ExecPlans.\n\nWith no command (or with --stdio) it speaks the Language Server Protocol on stdin/stdout, for editors. `execplan-ls check PATH...` prints the same diagnostics for files and folders."
)]
pub struct Cli {
    /// Speak LSP over stdin/stdout (the default; editors may pass it).
    #[arg(long)]
    pub stdio: bool,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Check plans and print diagnostics as `path:line:col: severity[CODE] message`.
    ///
    /// Exits 0 when no error-level diagnostic is found, 1 when one is, and 2
    /// on usage errors or files that cannot be read.
    Check {
        /// Plan files, or folders to search for plans.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Apply every safe fix to the files (the same fixes as the editor's
        /// "fix all"), then report what remains.
        #[arg(long)]
        fix: bool,
    },
}

/// Runs a CLI command and returns the process exit code.
pub fn run(command: Command) -> ExitCode {
    match command {
        Command::Check { paths, fix } => check(&paths, fix),
    }
}

fn check(paths: &[PathBuf], fix: bool) -> ExitCode {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut had_error = false;
    let mut had_problem = false;
    let now = jiff::Timestamp::now();
    for path in paths {
        if !path.exists() {
            eprintln!("execplan-ls: {}: no such file or folder", path.display());
            had_problem = true;
            continue;
        }
        let (files, explicit) = if path.is_dir() {
            (find_markdown(path), false)
        } else {
            (vec![path.clone()], true)
        };
        for file in files {
            match check_file(&file, explicit, fix, now, &mut out) {
                Ok(errors) => had_error |= errors,
                Err(message) => {
                    eprintln!("execplan-ls: {}: {message}", file.display());
                    had_problem = true;
                }
            }
        }
    }
    let _ = out.flush();
    if had_problem {
        ExitCode::from(2)
    } else if had_error {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Markdown files below `dir`, respecting `.gitignore`, in a stable order.
fn find_markdown(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = ignore::WalkBuilder::new(dir)
        .hidden(false)
        .filter_entry(|e| e.file_name() != ".git")
        .build()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_some_and(|t| t.is_file()))
        .map(|e| e.into_path())
        .filter(|p| {
            p.extension()
                .is_some_and(|x| x.eq_ignore_ascii_case("md") || x.eq_ignore_ascii_case("markdown"))
        })
        .collect();
    files.sort();
    files
}

/// Checks one file (fixing it first with `fix`); returns whether an
/// error-level diagnostic was printed.
fn check_file(
    file: &Path,
    explicit: bool,
    fix: bool,
    now: jiff::Timestamp,
    out: &mut impl Write,
) -> Result<bool, String> {
    let bytes = std::fs::read(file).map_err(|e| format!("cannot read: {e}"))?;
    let mut text = String::from_utf8(bytes).map_err(|e| {
        format!(
            "not valid UTF-8 (first bad byte at offset {})",
            e.utf8_error().valid_up_to()
        )
    })?;
    let absolute = std::path::absolute(file).unwrap_or_else(|_| file.to_path_buf());
    let env = PlanEnv::discover(&absolute, None);
    let dir = absolute.parent().unwrap_or(Path::new("/"));
    let (settings, errors) = config::load_for_dir(dir, None);
    for error in &errors {
        eprintln!("execplan-ls: configuration problem, defaults stay in force for it: {error}");
    }
    if !checker::detect(Some(&absolute), &text, &env, &settings).is_plan() {
        if explicit {
            eprintln!(
                "execplan-ls: {}: skipped, not an ExecPlan (no living-document preamble or plan sections)",
                file.display()
            );
        }
        return Ok(false);
    }
    if fix {
        let fixed = checker::fix_text(&text, Some(&absolute), &env, &settings, now);
        if fixed != text {
            std::fs::write(file, &fixed)
                .map_err(|e| format!("cannot write the fixed file: {e}"))?;
            eprintln!("execplan-ls: {}: fixed", file.display());
            text = fixed;
        }
    }
    let diagnostics =
        checker::check_text(&text, Some(&absolute), &env, &settings, now).unwrap_or_default();
    let rope = Rope::from_str(&text);
    for d in &diagnostics {
        writeln!(out, "{}", format_line(file, &rope, d))
            .map_err(|e| format!("cannot write output: {e}"))?;
    }
    Ok(diagnostics.iter().any(|d| d.severity == Severity::Error))
}

/// `path:line:col: severity[CODE] message`, with 1-based line and character column.
pub fn format_line(file: &Path, rope: &Rope, d: &Diagnostic) -> String {
    let pos = offset_to_position(rope, d.span.start, PositionEncoding::Utf32);
    format!(
        "{}:{}:{}: {}[{}] {}",
        file.display(),
        pos.line + 1,
        pos.character + 1,
        d.severity.as_str(),
        d.code,
        d.message
    )
}
