//! The command-line front end. `check` prints the same diagnostics the server
//! publishes, in several formats; `rules`, `new` and `explain-config` help
//! people and agents write plans without an editor.

mod check;
mod check_file;
mod explain_config;
mod init;
pub(crate) mod new_plan;
mod output;
mod report;
mod rules;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

pub use output::Format;

use crate::analysis::Severity;

#[derive(Parser, Debug)]
#[command(
    name = "execplan-ls",
    version,
    about = "A language server and checker for ExecPlans",
    long_about = "A language server and checker for ExecPlans.\n\nWith no command (or with --stdio) it speaks the Language Server Protocol on stdin/stdout, for editors. `execplan-ls check` prints the same diagnostics for files, folders or the whole repository."
)]
pub struct Cli {
    /// Speak LSP over stdin/stdout (the default; editors may pass it, some
    /// twice: vscode-languageclient appends it to the configured arguments).
    #[arg(long, overrides_with = "stdio")]
    pub stdio: bool,
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// A severity threshold on the command line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Level {
    Error,
    Warning,
    Info,
    Hint,
}

impl Level {
    pub fn severity(self) -> Severity {
        match self {
            Level::Error => Severity::Error,
            Level::Warning => Severity::Warning,
            Level::Info => Severity::Info,
            Level::Hint => Severity::Hint,
        }
    }
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Check plans and report what is wrong.
    ///
    /// With no PATH, checks every plan in the current repository (found by
    /// content, with plan folders and configured globs as hints, respecting
    /// .gitignore); --show-skipped lists the other Markdown files and why. Exits 0 when nothing at or above --fail-on remains, 1
    /// when something does, and 2 on usage, configuration or I/O errors.
    Check(CheckArgs),
    /// List every rule, or explain one: `execplan-ls rules EP203`.
    Rules {
        /// A rule code such as EP203.
        code: Option<String>,
    },
    /// Write a new plan from the skeleton.
    New {
        /// The plan's title.
        title: String,
        /// The folder to write it in (default: the repository's plan folder).
        #[arg(long)]
        dir: Option<PathBuf>,
    },
    /// Show which configuration applies to a path, and the effective settings.
    ExplainConfig {
        /// A plan or folder (default: the current folder).
        path: Option<PathBuf>,
    },
    /// Set the repository up for ExecPlans: PLANS.md, an AGENTS.md section, the plan folder.
    Init {
        /// Also add the Codex MCP entry and hooks to `.codex/config.toml`.
        #[arg(long)]
        codex: bool,
        /// Show what would be written, and write nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Serve MCP (Model Context Protocol) on stdin/stdout, for coding agents.
    Mcp {
        /// A folder the server may read and write under (repeatable; default:
        /// the repository around the current folder).
        #[arg(long = "root")]
        roots: Vec<PathBuf>,
    },
    /// Answer a Codex or Claude Code hook event (JSON on stdin, JSON on stdout).
    Hook {
        /// A plan to treat as active at Stop (repeatable; default: the plan
        /// of the repository modified last).
        #[arg(long = "plan")]
        plans: Vec<PathBuf>,
        /// Report findings an edit introduced at or above this severity.
        #[arg(long, value_enum, default_value_t = Level::Warning)]
        min_severity: Level,
    },
    /// Show where every plan stands: one self-contained HTML page (or a
    /// Markdown table) with progress, pace, stalled plans and findings.
    Report(report::ReportArgs),
}

#[derive(clap::Args, Debug)]
pub struct CheckArgs {
    /// Plan files, folders to search for plans, or globs (default: the repository).
    pub paths: Vec<String>,
    /// Apply every safe fix to the files (the editor's "fix all"), then report what remains.
    #[arg(long)]
    pub fix: bool,
    /// How to print findings.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Print only findings: no summary, no notes about skipped files.
    #[arg(long, short)]
    pub quiet: bool,
    /// Report only findings at or above this severity.
    #[arg(long, value_enum, default_value_t = Level::Hint)]
    pub severity: Level,
    /// Exit 1 when a finding at or above this severity remains.
    #[arg(long, value_enum, default_value_t = Level::Error)]
    pub fail_on: Level,
    /// Report only these codes (comma-separated, e.g. EP101,EP203).
    #[arg(long, value_delimiter = ',')]
    pub select: Vec<String>,
    /// Never report these codes (comma-separated).
    #[arg(long, value_delimiter = ',')]
    pub ignore: Vec<String>,
    /// Report plans behind the change set REV..HEAD (EP701): paths their open
    /// items name changed since REV, and the plan did not.
    #[arg(long, value_name = "REV")]
    pub changed_since: Option<String>,
    /// List every Markdown file passed over as not a plan, with the reason.
    #[arg(long)]
    pub show_skipped: bool,
    /// Neither read nor write the cache of findings (`.cache/execplan-ls/`
    /// in the repository); every file is checked afresh.
    #[arg(long)]
    pub no_cache: bool,
}

/// Runs a CLI command and returns the process exit code.
pub fn run(command: Command) -> ExitCode {
    match command {
        Command::Check(args) => check::run(&args),
        Command::Rules { code } => rules::run(code.as_deref()),
        Command::New { title, dir } => new_plan::run(&title, dir.as_deref()),
        Command::ExplainConfig { path } => explain_config::run(path.as_deref()),
        Command::Init { codex, dry_run } => init::run(codex, dry_run),
        Command::Mcp { roots } => crate::mcp::run(&roots),
        Command::Hook {
            plans,
            min_severity,
        } => crate::hook::run(&crate::hook::HookOptions {
            plans,
            min_severity: min_severity.severity(),
        }),
        Command::Report(args) => report::run(&args),
    }
}
