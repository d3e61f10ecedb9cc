//! Running a case as `execplan-ls check` does: the plan written into a
//! repository of its own (a temporary folder with the case's files, a git
//! history when the case asks for one), its context resolved by
//! `PlanContext::resolve`, its findings from `checker::outcome` at a fixed
//! time, and EP701 from the history, as `check` adds it.

use std::path::Path;
use std::process::Command;

use execplan_engine::analysis::{Code, Diagnostic, Edit, apply_edits};
use execplan_engine::checker::{self, Outcome, PlanContext, Source};
use execplan_engine::history::Baseline;
use execplan_engine::plan_file::PlanFile;

use super::format::Case;

/// "Now" for every case: 2027-01-15 08:00Z (the rules' unit tests use the
/// same instant).
pub fn now() -> jiff::Timestamp {
    jiff::Timestamp::from_second(1_800_000_000).unwrap()
}

/// The findings of `text` as the plan of `case`'s repository; `None` when
/// the checker does not read it as a plan.
pub fn check(case: &Case, text: &str) -> Option<Vec<Diagnostic>> {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let setup = &case.setup;
    for (path, content) in &setup.files {
        write(&root.join(path), content);
    }
    let plan = root.join(&setup.path);
    write(&plan, text);
    match &setup.git {
        Some(date) => {
            git(root, &["init", "-q"], date);
            git(root, &["add", "-A"], date);
            git(root, &["commit", "-q", "-m", "plan and code"], date);
            for (date, path) in &setup.changes {
                let file = root.join(path);
                let mut content = std::fs::read_to_string(&file).unwrap_or_default();
                content.push_str(&format!("changed at {date}\n"));
                write(&file, &content);
                git(root, &["commit", "-q", "-am", "change"], date);
            }
        }
        None => std::fs::create_dir_all(root.join(".git")).unwrap(),
    }
    let (ctx, errors) = PlanContext::resolve(Some(&plan), Some(root), None);
    assert!(
        errors.is_empty(),
        "case `{}`: configuration errors {errors:?}",
        case.title
    );
    let mut found = match checker::outcome(Source::Text(text), &ctx, None, now()) {
        Outcome::NotAPlan(_) => return None,
        Outcome::AgentsMd(found) => return Some(found),
        Outcome::Plan(found) => found,
    };
    if setup.git.is_some() {
        let file = PlanFile {
            path: plan,
            text: text.to_string(),
            env: ctx.env.clone(),
            settings: (*ctx.settings).clone(),
        };
        found.extend(file.behind(Baseline::LastStamp).unwrap());
    }
    Some(found)
}

/// `text` with the fixes of every `code` finding applied together, as the
/// editor would one after the other (a fix whose edits overlap one taken
/// earlier is left out); `None` when no such finding has a fix.
pub fn fixed(text: &str, found: &[Diagnostic], code: Code) -> Option<String> {
    let mut edits: Vec<Edit> = Vec::new();
    let mut any = false;
    for fix in found
        .iter()
        .filter(|d| d.code == code)
        .filter_map(|d| d.fix.as_ref())
    {
        any = true;
        let overlaps = fix.edits.iter().any(|e| {
            edits
                .iter()
                .any(|o| o.span.start < e.span.end && e.span.start < o.span.end)
        });
        if !overlaps {
            edits.extend(fix.edits.iter().cloned());
        }
    }
    any.then(|| apply_edits(text, &edits).0)
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn git(dir: &Path, args: &[&str], date: &str) {
    let status = Command::new("git")
        .args([
            "-c",
            "user.name=Ada",
            "-c",
            "user.email=ada@example.com",
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        .status()
        .expect("git runs");
    assert!(status.success(), "git {args:?}");
}
