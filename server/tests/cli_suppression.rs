//! Suppression through the binary, as a CI job meets it: comments in the
//! plan, `[[overrides]]` in `.execplan.toml`, EP001 for comments that do
//! nothing, and `check --fix` leaving comments alone.

mod support;

use support::cli::{bin, repo, stdout, write};

use std::fs;
use std::path::Path;
use std::process::Output;

fn check(args: &[&str], paths: &[&Path]) -> Output {
    bin()
        .arg("check")
        .args(["--format", "short"])
        .args(args)
        .args(paths)
        .output()
        .unwrap()
}

const STAMPED: &str = "- [x] (2026-01-05 10:00Z) Wrote the cache.";

/// The canonical plan with its done item unstamped (EP203) and its Decision
/// Log gone (EP101, an error).
fn defective() -> String {
    support::PLAN
        .replace(STAMPED, "- [x] Wrote the cache.")
        .replace(
            "## Decision Log\n\n- Decision: Use an LRU.\n  Rationale: Bounded memory.\n  Date/Author: 2026-01-05 / Ada\n\n",
            "",
        )
}

#[test]
fn comments_silence_findings_in_check_and_a_silenced_error_does_not_fail() {
    let dir = repo("comments");
    let plan = dir.join(".agent/plans/cache.md");
    write(&plan, &defective());
    let out = check(&[], &[&plan]);
    let printed = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{printed}");
    assert!(printed.contains("warning[EP203]") && printed.contains("error[EP101]"));

    let silenced = defective()
        .replace(
            "- [x] Wrote the cache.",
            "<!-- execplan-ls-disable-next-line EP203 -->\n- [x] Wrote the cache.",
        )
        .replace(
            "# Add a cache\n",
            "# Add a cache\n\n<!-- execplan-ls-disable-file EP101 -- the log is kept in the wiki -->\n",
        );
    write(&plan, &silenced);
    let out = check(&[], &[&plan]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert_eq!(stdout(&out), "");
}

#[test]
fn a_comment_that_does_nothing_is_a_hint_and_fix_leaves_comments_alone() {
    let dir = repo("unused");
    let plan = dir.join(".agent/plans/cache.md");
    let text = support::PLAN.replace(
        STAMPED,
        &format!("<!-- execplan-ls-disable-next-line EP203 EP999 -->\n{STAMPED}"),
    );
    write(&plan, &text);
    let out = check(&[], &[&plan]);
    let printed = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{printed}");
    let lines: Vec<&str> = printed.lines().collect();
    assert_eq!(lines.len(), 2, "{printed}");
    assert!(
        lines[0]
            .ends_with("hint[EP001] This disable-next-line comment suppresses no EP203 finding."),
        "{printed}"
    );
    assert!(
        lines[1].contains("hint[EP001] `EP999` is not a rule code"),
        "{printed}"
    );
    // The removal is not a safe fix: `--fix` keeps the comment as written.
    let out = check(&["--fix"], &[&plan]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert_eq!(fs::read_to_string(&plan).unwrap(), text);
}

#[test]
fn overrides_set_rules_for_the_files_their_globs_match() {
    let dir = repo("overrides");
    let legacy = dir.join("docs/plans/legacy/old.md");
    let current = dir.join("docs/plans/new.md");
    let unstamped = support::PLAN.replace(STAMPED, "- [x] Wrote the cache.");
    write(&legacy, &unstamped);
    write(&current, &unstamped);
    write(
        &dir.join(".execplan.toml"),
        "[[overrides]]\nfiles = [\"docs/plans/legacy/**\"]\nrules = { EP203 = \"off\" }\n",
    );
    let out = check(&[], &[&dir]);
    let printed = stdout(&out);
    assert!(printed.contains("new.md:11:3: warning[EP203]"), "{printed}");
    assert!(!printed.contains("old.md"), "{printed}");

    // A bad entry is named with the file and its line; the rest holds.
    write(
        &dir.join(".execplan.toml"),
        "[[overrides]]\nfiles = [\"docs/plans/legacy/**\"]\n\n[overrides.rules]\nEP203 = \"off\"\nEP2O3 = \"off\"\n",
    );
    let out = check(&[], &[&dir]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(".execplan.toml:6:1: unknown rule code `EP2O3` in [[overrides]]"),
        "{stderr}"
    );
    assert!(!stdout(&out).contains("old.md"), "{}", stdout(&out));
}

#[test]
fn agents_md_obeys_comments_and_overrides_too() {
    let dir = repo("agents");
    let agents = dir.join("AGENTS.md");
    let text = "# Agents\n\nUse an ExecPlan as described in `.agent/PLANS.md`.\n";
    write(&agents, text);
    let out = check(&[], &[&agents]);
    assert!(stdout(&out).contains("warning[EP601]"), "{}", stdout(&out));
    write(
        &agents,
        &text.replace(
            "Use an",
            "<!-- execplan-ls-disable-next-line EP601 -->\nUse an",
        ),
    );
    let out = check(&[], &[&agents]);
    assert_eq!(stdout(&out), "", "{}", stdout(&out));
    write(&agents, text);
    write(
        &dir.join(".execplan.toml"),
        "[[overrides]]\nfiles = [\"AGENTS.md\"]\nrules = { EP601 = \"info\" }\n",
    );
    let out = check(&[], &[&agents]);
    assert!(stdout(&out).contains("info[EP601]"), "{}", stdout(&out));
}
