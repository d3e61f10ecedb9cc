//! `execplan-ls report`: one page showing where every plan of the repository
//! stands. The plans are found as `check` finds them and each is read with the
//! engine's `report::plan_status` (the same check `check` runs); this module
//! only gathers the rows, and `html.rs` and `markdown.rs` draw them.

mod html;
mod markdown;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::ValueEnum;
use jiff::{SignedDuration, Timestamp};

use super::check::{SettingsCache, collect_targets};
use crate::report::{FindingCounts, PlanStatus, plan_status};
use crate::workspace::{PathCache, PlanEnv};

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// One self-contained HTML page: no network, no external assets.
    Html,
    /// A Markdown table, for a pull request comment or a job summary.
    Markdown,
}

#[derive(clap::Args, Debug)]
pub struct ReportArgs {
    /// Plan files, folders to search for plans, or globs (default: the repository).
    pub paths: Vec<String>,
    /// What to write.
    #[arg(long, value_enum, default_value_t = ReportFormat::Html)]
    pub format: ReportFormat,
    /// Write the report to this file instead of standard output.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// A plan with open items and no update for this long has stalled:
    /// a number and a unit, `m` (minutes), `h`, `d` or `w` (e.g. `36h`, `7d`).
    #[arg(long, default_value = "7d", value_parser = parse_duration)]
    pub stalled_after: SignedDuration,
}

/// `90m`, `36h`, `7d`, `2w` (also `7 days`, `1 week`).
pub fn parse_duration(text: &str) -> Result<SignedDuration, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let number: f64 = number
        .parse()
        .map_err(|_| format!("`{text}` is not a duration such as `7d` or `36h`"))?;
    let hours = match unit.trim().to_ascii_lowercase().as_str() {
        "m" | "min" | "mins" | "minute" | "minutes" => 1.0 / 60.0,
        "h" | "hour" | "hours" => 1.0,
        "d" | "day" | "days" => 24.0,
        "w" | "week" | "weeks" => 24.0 * 7.0,
        "" => return Err(format!("`{text}` needs a unit: m, h, d or w (e.g. `7d`)")),
        other => {
            return Err(format!(
                "unknown unit `{other}` in `{text}`: use m, h, d or w"
            ));
        }
    };
    SignedDuration::try_from_secs_f64(number * hours * 3600.0)
        .map_err(|_| format!("`{text}` is out of range"))
}

/// One plan's row.
pub struct Row {
    /// As `check` prints it: relative to the current folder when run there.
    pub path: String,
    pub status: PlanStatus,
    pub stalled: bool,
}

/// Everything a report shows.
pub struct Overview {
    /// The repository's folder name.
    pub name: String,
    pub now: Timestamp,
    pub stalled_after: SignedDuration,
    pub rows: Vec<Row>,
}

impl Overview {
    pub fn findings(&self) -> FindingCounts {
        let mut total = FindingCounts::default();
        for row in &self.rows {
            let f = row.status.findings;
            total.errors += f.errors;
            total.warnings += f.warnings;
            total.infos += f.infos;
            total.hints += f.hints;
        }
        total
    }

    pub fn stalled(&self) -> usize {
        self.rows.iter().filter(|r| r.stalled).count()
    }
}

pub fn run(args: &ReportArgs) -> ExitCode {
    let (targets, errors) = collect_targets(&args.paths);
    let mut problems = !errors.is_empty();
    for message in errors {
        eprintln!("execplan-ls: {message}");
    }
    let now = Timestamp::now();
    let settings = SettingsCache::default();
    let paths = PathCache::default();
    let mut rows = Vec::new();
    for target in &targets {
        match row(&target.path, &settings, &paths, now, args.stalled_after) {
            Ok(Some(row)) => rows.push(row),
            Ok(None) => {}
            Err(message) => {
                eprintln!("execplan-ls: {}: {message}", target.path.display());
                problems = true;
            }
        }
    }
    for error in settings.errors() {
        eprintln!("execplan-ls: configuration problem, defaults stay in force for it: {error}");
        problems = true;
    }
    // Stalled plans first, then by path.
    rows.sort_by(|a, b| b.stalled.cmp(&a.stalled).then_with(|| a.path.cmp(&b.path)));
    let overview = Overview {
        name: repository_name(),
        now,
        stalled_after: args.stalled_after,
        rows,
    };
    let page = match args.format {
        ReportFormat::Html => html::render(&overview),
        ReportFormat::Markdown => markdown::render(&overview),
    };
    let written = match &args.output {
        Some(file) => std::fs::write(file, page.as_bytes())
            .map_err(|e| format!("cannot write {}: {e}", file.display())),
        None => {
            let mut stdout = std::io::stdout().lock();
            stdout
                .write_all(page.as_bytes())
                .and_then(|()| stdout.flush())
                .map_err(|e| format!("cannot write the report: {e}"))
        }
    };
    if let Err(message) = written {
        eprintln!("execplan-ls: {message}");
        return ExitCode::from(2);
    }
    eprintln!(
        "Reported {} {}, {} stalled.",
        overview.rows.len(),
        if overview.rows.len() == 1 {
            "plan"
        } else {
            "plans"
        },
        overview.stalled()
    );
    if problems {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    }
}

/// The row of the plan at `file`, `None` when it is not a plan.
fn row(
    file: &Path,
    settings: &SettingsCache,
    paths: &PathCache,
    now: Timestamp,
    stalled_after: SignedDuration,
) -> Result<Option<Row>, String> {
    let bytes = std::fs::read(file).map_err(|e| format!("cannot read: {e}"))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        format!(
            "not valid UTF-8 (first bad byte at offset {})",
            e.utf8_error().valid_up_to()
        )
    })?;
    let absolute = std::path::absolute(file).unwrap_or_else(|_| file.to_path_buf());
    let settings = settings.get(absolute.parent().unwrap_or(Path::new("/")));
    let root = super::check::root_for(&absolute);
    let env = PlanEnv::discover(&absolute, root.as_deref(), settings.plans_md.as_deref());
    let Some((status, _)) = plan_status(&text, Some(&absolute), &env, &settings, now, Some(paths))
    else {
        return Ok(None);
    };
    let path = file.display().to_string();
    Ok(Some(Row {
        path: path.trim_start_matches("./").to_string(),
        stalled: status.is_stalled(now, stalled_after),
        status,
    }))
}

fn repository_name() -> String {
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let root = crate::workspace::find_repo_root(&cwd).unwrap_or(cwd);
    root.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "repository".to_string())
}

/// `just now`, `40 min`, `5 h`, `3 d`: how long ago, shortly.
pub fn ago(duration: SignedDuration) -> String {
    let mins = duration.as_secs() / 60;
    if mins < 1 {
        "just now".to_string()
    } else if mins < 60 {
        format!("{mins} min ago")
    } else if mins < 48 * 60 {
        format!("{} h ago", mins / 60)
    } else {
        format!("{} d ago", mins / (24 * 60))
    }
}

/// `12.5/day`, `0.4/day`, or `—` when no pace can be read. Work done within
/// a day is given per hour (`6.0/h`): a day's rate read from a few hours
/// would promise far more than the plan will do.
pub fn pace(status: &PlanStatus) -> String {
    let Some(per_day) = status.pace_per_day() else {
        return "—".to_string();
    };
    let within_a_day = match (status.done_at.first(), status.done_at.last()) {
        (Some(first), Some(last)) => last.duration_since(*first) < SignedDuration::from_hours(24),
        _ => false,
    };
    let (rate, unit) = if within_a_day {
        (per_day / 24.0, "h")
    } else {
        (per_day, "day")
    };
    if rate >= 10.0 {
        format!("{rate:.0}/{unit}")
    } else if rate < 0.1 {
        format!("<0.1/{unit}")
    } else {
        format!("{rate:.1}/{unit}")
    }
}

/// `2026-11-24 13:12Z`.
pub fn stamp(at: Timestamp) -> String {
    at.strftime("%Y-%m-%d %H:%MZ").to_string()
}

/// The stalled threshold as given: `7d`, `36h`.
pub fn threshold(after: SignedDuration) -> String {
    let mins = after.as_secs() / 60;
    if mins % (24 * 60) == 0 {
        format!("{}d", mins / (24 * 60))
    } else if mins % 60 == 0 {
        format!("{}h", mins / 60)
    } else {
        format!("{mins}m")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_with_units() {
        assert_eq!(parse_duration("7d"), Ok(SignedDuration::from_hours(168)));
        assert_eq!(parse_duration("36h"), Ok(SignedDuration::from_hours(36)));
        assert_eq!(parse_duration("2w"), Ok(SignedDuration::from_hours(336)));
        assert_eq!(parse_duration("90m"), Ok(SignedDuration::from_mins(90)));
        assert_eq!(
            parse_duration("1.5 days"),
            Ok(SignedDuration::from_hours(36))
        );
        assert!(parse_duration("7").unwrap_err().contains("needs a unit"));
        assert!(parse_duration("7y").unwrap_err().contains("unknown unit"));
        assert!(parse_duration("soon").is_err());
    }

    #[test]
    fn pace_is_per_hour_within_a_day_and_per_day_beyond() {
        let status = |stamps: &[&str]| PlanStatus {
            title: None,
            progress: Default::default(),
            done_at: stamps.iter().map(|s| s.parse().unwrap()).collect(),
            last_update: None,
            decisions: 0,
            surprises: 0,
            findings: FindingCounts::default(),
        };
        // Three items in two hours.
        let hours = status(&[
            "2026-11-20T10:00Z",
            "2026-11-20T11:00Z",
            "2026-11-20T12:00Z",
        ]);
        assert_eq!(pace(&hours), "1.5/h");
        // Three items over two days.
        let days = status(&[
            "2026-11-20T10:00Z",
            "2026-11-21T10:00Z",
            "2026-11-22T10:00Z",
        ]);
        assert_eq!(pace(&days), "1.5/day");
        assert_eq!(pace(&status(&["2026-11-20T10:00Z"])), "—");
    }

    #[test]
    fn thresholds_and_ages_print_shortly() {
        assert_eq!(threshold(SignedDuration::from_hours(168)), "7d");
        assert_eq!(threshold(SignedDuration::from_hours(36)), "36h");
        assert_eq!(ago(SignedDuration::from_secs(20)), "just now");
        assert_eq!(ago(SignedDuration::from_mins(40)), "40 min ago");
        assert_eq!(ago(SignedDuration::from_hours(30)), "30 h ago");
        assert_eq!(ago(SignedDuration::from_hours(24 * 9)), "9 d ago");
    }
}
