//! Which files `check` treats as plans, as a user meets it: the count of
//! plans checked (AGENTS.md apart), `--show-skipped` with one reason per
//! file, and the `exclude` and `plan_globs` settings.

mod support;

use support::cli::{bin, repo, write};

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn check(dir: &Path, args: &[&str]) -> Output {
    bin()
        .arg("check")
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

/// A repository with two plans, an AGENTS.md and every kind of look-alike.
fn lookalikes(name: &str) -> PathBuf {
    let dir = repo(name);
    write(&dir.join(".agent/plans/cache.md"), support::PLAN);
    write(
        &dir.join("notes/feature.md"),
        &support::PLAN.replace("Cache", "Feature"),
    );
    write(
        &dir.join(".agent/PLANS.md"),
        "# How to write plans\n\nEvery ExecPlan must be a living document.\n\n## Progress\n\n## Decision Log\n",
    );
    write(
        &dir.join("AGENTS.md"),
        "# Agents\n\nUse an ExecPlan (as described in .agent/PLANS.md).\n",
    );
    write(&dir.join("README.md"), "# The project\n");
    write(
        &dir.join("docs/plans/billing-prd.md"),
        "# Billing PRD\n\n## Purpose\n\nCharge users.\n\n## Requirements\n\n- Invoices.\n",
    );
    write(&dir.join(".claude/commands/execplan.md"), support::PLAN);
    write(&dir.join("docs/EXECPLAN_TEMPLATE.md"), support::PLAN);
    write(
        &dir.join(".agent/plans/old.md"),
        "# Old plan\n\nArchived: moved to [the new plan](cache.md).\n",
    );
    write(
        &dir.join("docs/research.md"),
        "# Research\n\nHow others plan:\n\n```md\n## Progress\n\n- [x] Example.\n\n## Decision Log\n\n## Outcomes & Retrospective\n```\n",
    );
    dir
}

#[test]
fn check_counts_plans_and_agents_md_apart_and_says_how_many_it_skipped() {
    let dir = lookalikes("count");
    let out = check(&dir, &[]);
    let stdout = text(&out.stdout);
    let summary = stdout.lines().last().unwrap_or("");
    assert!(
        summary.starts_with("Checked 2 plans and 1 AGENTS.md: "),
        "{stdout}"
    );
    assert!(
        summary.ends_with("Skipped 7 Markdown files that are not plans (--show-skipped says why)."),
        "{summary}"
    );
    // Nothing but the two plans has a finding.
    for line in stdout.lines().filter(|l| l.ends_with(".md")) {
        assert!(
            line.ends_with("cache.md") || line.ends_with("feature.md"),
            "a non-plan has findings: {stdout}"
        );
    }
}

#[test]
fn show_skipped_lists_every_file_passed_over_with_its_reason() {
    let dir = lookalikes("skipped");
    let out = check(&dir, &["--show-skipped"]);
    let stdout = text(&out.stdout);
    let listed: Vec<&str> = stdout
        .lines()
        .skip_while(|l| *l != "Skipped, not plans:")
        .skip(1)
        .take_while(|l| !l.is_empty())
        .collect();
    let expect = [
        (".agent/PLANS.md", "PLANS.md: the rules for plans"),
        (".agent/plans/old.md", "a short stub that points elsewhere"),
        (".claude/commands/execplan.md", "under `.claude/`"),
        ("README.md", "a README"),
        ("docs/EXECPLAN_TEMPLATE.md", "a template"),
        ("docs/plans/billing-prd.md", "a PRD"),
        ("docs/research.md", "only inside code"),
    ];
    assert_eq!(listed.len(), expect.len(), "{stdout}");
    for (path, reason) in expect {
        assert!(
            listed
                .iter()
                .any(|l| l.trim_start().starts_with(&format!("{path}: ")) && l.contains(reason)),
            "{path} ({reason}) not listed: {stdout}"
        );
    }
    // The summary no longer points at the option.
    assert!(!stdout.contains("--show-skipped says why"), "{stdout}");

    // In JSON, as a `skipped` list beside the files.
    let out = check(&dir, &["--format", "json", "--show-skipped"]);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let skipped = report["skipped"].as_array().unwrap();
    assert_eq!(skipped.len(), expect.len());
    assert!(
        skipped
            .iter()
            .all(|s| !s["reason"].as_str().unwrap().is_empty())
    );
    assert_eq!(report["summary"]["plans"], 2);
    assert_eq!(report["summary"]["agents_md"], 1);
    let kinds: Vec<&str> = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds.iter().filter(|k| **k == "agents-md").count(), 1);

    // Short format keeps stdout for findings: the list goes to stderr.
    let out = check(&dir, &["--format", "short", "--show-skipped"]);
    assert!(
        text(&out.stderr).contains("execplan-ls: skipped README.md: a README"),
        "{}",
        text(&out.stderr)
    );
    assert!(!text(&out.stdout).contains("README"));
}

#[test]
fn exclude_and_plan_globs_force_files_out_and_in() {
    let dir = lookalikes("config");
    write(
        &dir.join(".execplan.toml"),
        "exclude = [\"notes/**\"]\nplan_globs = [\"docs/plans/*.md\"]\n",
    );
    let out = check(&dir, &["--format", "json", "--show-skipped"]);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let files: Vec<&str> = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert!(files.contains(&"docs/plans/billing-prd.md"), "{files:?}");
    assert!(!files.contains(&"notes/feature.md"), "{files:?}");
    let excluded = report["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["path"] == "notes/feature.md")
        .expect("the excluded plan is listed as skipped");
    assert!(
        excluded["reason"].as_str().unwrap().contains("exclude"),
        "{excluded}"
    );

    // A bad glob is a configuration error that names the key.
    write(&dir.join(".execplan.toml"), "exclude = [\"[\"]\n");
    let out = check(&dir, &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("exclude: `[`"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn a_named_file_that_is_not_a_plan_is_skipped_with_its_reason() {
    let dir = lookalikes("named");
    let out = check(&dir, &["docs/EXECPLAN_TEMPLATE.md"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        text(&out.stderr)
            .contains("docs/EXECPLAN_TEMPLATE.md: skipped, not an ExecPlan: a template"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn outside_a_repository_the_current_folder_is_the_root_for_plans_md_too() {
    // No `.git`: `check` lists files below the current folder and finds the
    // PLANS.md there, as it would at a repository's root.
    let dir = std::env::temp_dir().join(format!(
        "execplan-ls-discovery-nogit-{}",
        std::process::id()
    ));
    let _ = fs::remove_dir_all(&dir);
    write(
        &dir.join(".agent/PLANS.md"),
        "# Plans\n\nEvery ExecPlan must follow this.\n",
    );
    write(&dir.join(".agent/plans/cache.md"), support::PLAN);
    let out = check(&dir, &["--format", "short"]);
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains(".agent/plans/cache.md:1:1: warning[EP108]")
            && stdout.contains("`.agent/PLANS.md`"),
        "{stdout}{}",
        text(&out.stderr)
    );
    let _ = fs::remove_dir_all(&dir);
}
