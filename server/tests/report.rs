//! `execplan-ls report` as a user runs it: the Markdown table and the HTML
//! page for a repository of plans, whose findings must be the ones
//! `check --format json` gives, and whose stalled plans must stand out.

mod support;

use support::cli::{bin, stdout, write};

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::Value;

/// A repository with a stalled plan (last stamp long ago, items open), a
/// finished one, one updated a minute ago, one with defects, and a README.
fn repository(name: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("execplan-ls-report-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(dir.join(".git")).unwrap();
    let plans = dir.join("docs/plans");
    write(&plans.join("stalled.md"), support::PLAN);
    let done = support::PLAN
        .replace("- [ ] Measure it.", "- [x] (2026-01-06 09:00Z) Measure it.")
        .replace(
            "- [ ] Document it.",
            "- [x] (2026-01-07 09:00Z) Document it.",
        )
        .replace(
            "## Outcomes & Retrospective\n\nNone yet.",
            "## Outcomes & Retrospective\n\nThe cache is in and documented.",
        );
    write(&plans.join("done.md"), &done);
    let now = jiff::Timestamp::now()
        .strftime("%Y-%m-%d %H:%MZ")
        .to_string();
    let fresh = support::PLAN
        .replace("# Add a cache", "# Add a fresh cache")
        .replace("(2026-01-05 10:00Z)", &format!("({now})"));
    write(&plans.join("fresh.md"), &fresh);
    let broken = support::PLAN
        .replace("# Add a cache", "# Broken | plan")
        .replace("- [x] (2026-01-05 10:00Z) Wrote", "- [x] Wrote")
        .replace("## Surprises & Discoveries\n\nNone yet.\n\n", "")
        .replace("## Concrete Steps\n\n", "## Concrete Steps\n");
    write(&plans.join("broken.md"), &broken);
    write(&dir.join("README.md"), "# A repository\n\nNot a plan.\n");
    dir
}

/// Findings per plan path and severity, from `check --format json`.
fn check_counts(dir: &Path) -> BTreeMap<String, [usize; 4]> {
    let out = bin()
        .args(["check", "--format", "json"])
        .current_dir(dir)
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut counts = BTreeMap::new();
    for file in report["files"].as_array().unwrap() {
        let mut c = [0; 4];
        for d in file["diagnostics"].as_array().unwrap() {
            let i = ["error", "warning", "info", "hint"]
                .iter()
                .position(|s| d["severity"] == *s)
                .unwrap();
            c[i] += 1;
        }
        counts.insert(file["path"].as_str().unwrap().to_string(), c);
    }
    counts
}

fn report(dir: &Path, args: &[&str]) -> Output {
    bin()
        .arg("report")
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

#[test]
fn markdown_rows_match_check_and_flag_the_stalled_plan() {
    let dir = repository("markdown");
    let out = report(&dir, &["--format", "markdown", "--stalled-after", "7d"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = stdout(&out);
    assert!(
        text.contains("4 plans, 6 of 12 items done, **1 stalled**"),
        "{text}"
    );
    let mut rows = BTreeMap::new();
    for line in text.lines().filter(|l| l.starts_with("| **")) {
        let path = line.split('`').nth(1).unwrap().to_string();
        let cells: Vec<&str> = line.split(" | ").collect();
        assert_eq!(cells.len(), 11, "{line}");
        let findings: Vec<usize> = cells[6..10].iter().map(|c| c.parse().unwrap()).collect();
        rows.insert(
            path,
            (findings, cells[10].to_string(), cells[1].to_string()),
        );
    }
    let expected = check_counts(&dir);
    assert_eq!(
        rows.keys().collect::<Vec<_>>(),
        expected.keys().collect::<Vec<_>>()
    );
    for (path, counts) in &expected {
        assert_eq!(rows[path].0, counts.to_vec(), "findings of {path}");
    }
    assert!(expected["docs/plans/broken.md"][0] > 0, "{expected:?}");
    assert!(rows["docs/plans/stalled.md"].1.contains("**stalled**"));
    assert!(rows["docs/plans/done.md"].1.contains("done"));
    assert!(rows["docs/plans/fresh.md"].1.contains("active"));
    assert!(rows["docs/plans/done.md"].2.ends_with("3/3"));
    // The pipe in a title does not split the cell.
    assert!(text.contains("**Broken \\| plan**"), "{text}");
    // Stalled plans come first.
    let first = text.lines().find(|l| l.starts_with("| **")).unwrap();
    assert!(first.contains("docs/plans/stalled.md"), "{first}");
}

#[test]
fn html_page_is_self_contained_and_marks_only_the_stalled_row() {
    let dir = repository("html");
    let file = dir.join("report.html");
    let out = report(&dir, &["--output", file.to_str().unwrap()]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(stdout(&out), "");
    assert!(String::from_utf8_lossy(&out.stderr).contains("Reported 4 plans, 1 stalled."));
    let page = fs::read_to_string(&file).unwrap();
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(page.contains("Content-Security-Policy\" content=\"default-src 'none'"));
    for external in ["<link", "src=", "http://", "https://", "@import", "url("] {
        assert!(
            !page.contains(external),
            "the page refers outside itself: {external}"
        );
    }
    let rows: Vec<&str> = page
        .lines()
        .filter(|l| l.starts_with("<tr data-path="))
        .collect();
    assert_eq!(rows.len(), 4);
    for row in rows {
        let stalled = row.contains("class=\"stalled\"");
        assert_eq!(stalled, row.contains("docs/plans/stalled.md"), "{row}");
        // Every plan with stamps has its chart.
        if !row.contains("broken.md") {
            assert!(row.contains("<svg class=\"spark\""), "{row}");
        }
    }
    assert!(page.contains("Broken | plan"));
}

#[test]
fn the_stalled_threshold_is_configurable_and_checked() {
    let dir = repository("threshold");
    let out = report(&dir, &["--format", "markdown", "--stalled-after", "5000d"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).contains("**0 stalled**"), "{}", stdout(&out));
    let out = report(&dir, &["--stalled-after", "7"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("needs a unit"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
