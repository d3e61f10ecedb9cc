//! `check`'s output formats, filters and discovery; `rules`, `new` and
//! `explain-config`.

mod support;

use support::cli::{repo, stdout, write};

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn bin(dir: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_execplan-ls"));
    command.current_dir(dir);
    command
}

/// A plan with an error (EP101), a warning with a fix that is not safe
/// (EP203), a safe fix (EP104), and an info (EP204).
fn messy() -> String {
    support::PLAN
        .replace("## Decision Log\n\n- Decision: Use an LRU.\n  Rationale: Bounded memory.\n  Date/Author: 2026-01-05 / Ada\n\n", "")
        .replace("- [ ] Measure it.", "- [x] Measure it.")
        .replace("## Plan of Work", "## Plan of work")
        .replace("- [x] (2026-01-05 10:00Z)", "- [x] (2026-01-05)")
}

fn messy_repo(name: &str) -> PathBuf {
    let dir = repo(name);
    write(&dir.join(".agent/plans/cache.md"), &messy());
    dir
}

/// Replaces today's `(YYYY-MM-DD HH:MMZ)` stamps (fixes stamp "now") with `(now)`.
fn without_now(text: &str) -> String {
    let today = format!("({} ", jiff::Timestamp::now().strftime("%Y-%m-%d"));
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find(&today) {
        out.push_str(&rest[..i]);
        let after = &rest[i..];
        let end = after.find("Z)").map_or(after.len(), |e| e + 2);
        out.push_str("(now)");
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

#[test]
fn every_format_snapshot() {
    let dir = messy_repo("snap");
    for format in ["human", "short", "json", "github", "sarif"] {
        let out = bin(&dir)
            .args(["check", "--format", format])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{format}");
        let version = env!("CARGO_PKG_VERSION");
        let text = without_now(&stdout(&out).replace(version, "[version]"));
        insta::assert_snapshot!(format!("format_{format}"), text);
    }
}

#[test]
fn json_matches_its_documented_schema_and_its_fixes_apply() {
    let dir = messy_repo("json");
    let out = bin(&dir)
        .args(["check", "--format", "json"])
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["version"], 1);
    assert_eq!(report["summary"]["plans"], 1);
    assert_eq!(report["summary"]["errors"], 1);
    let file = &report["files"][0];
    assert_eq!(file["path"], ".agent/plans/cache.md");
    for d in file["diagnostics"].as_array().unwrap() {
        for key in [
            "code",
            "name",
            "severity",
            "message",
            "range",
            "fix_available",
            "fix",
        ] {
            assert!(d.get(key).is_some(), "{key} missing in {d}");
        }
        for end in ["start", "end"] {
            for key in ["line", "column", "offset"] {
                assert!(d["range"][end][key].is_u64(), "{d}");
            }
        }
        assert_eq!(d["fix_available"], !d["fix"].is_null());
    }
    // Applying every safe fix's edits from the JSON gives what --fix writes.
    let text = messy();
    let mut edits: Vec<(usize, usize, String)> = Vec::new();
    for d in file["diagnostics"].as_array().unwrap() {
        if d["fix"]["safe"] == true {
            for e in d["fix"]["edits"].as_array().unwrap() {
                let start = e["range"]["start"]["offset"].as_u64().unwrap() as usize;
                let end = e["range"]["end"]["offset"].as_u64().unwrap() as usize;
                edits.push((start, end, e["new_text"].as_str().unwrap().to_string()));
            }
        }
    }
    edits.sort();
    let mut by_agent = text.clone();
    for (start, end, new) in edits.into_iter().rev() {
        by_agent.replace_range(start..end, &new);
    }
    let out = bin(&dir)
        .args(["check", "--fix", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "the fix inserted the Decision Log: {}",
        stdout(&out)
    );
    let fixed = fs::read_to_string(dir.join(".agent/plans/cache.md")).unwrap();
    assert_eq!(by_agent, fixed);
}

#[test]
fn sarif_has_the_required_structure() {
    let dir = messy_repo("sarif");
    let out = bin(&dir)
        .args(["check", "--format", "sarif"])
        .output()
        .unwrap();
    let sarif: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let run = &sarif["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "execplan-ls");
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    for result in run["results"].as_array().unwrap() {
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
        assert!(["error", "warning", "note"].contains(&result["level"].as_str().unwrap()));
        let region = &result["locations"][0]["physicalLocation"]["region"];
        assert!(
            region["startLine"].as_u64().unwrap() >= 1
                && region["startColumn"].as_u64().unwrap() >= 1
        );
        assert_eq!(
            result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            ".agent/plans/cache.md"
        );
    }
}

#[test]
fn filters_and_fail_on() {
    let dir = messy_repo("filters");
    let short = |args: &[&str]| {
        let out = bin(&dir)
            .args(["check", "--format", "short"])
            .args(args)
            .output()
            .unwrap();
        (out.status.code(), stdout(&out))
    };
    let (code, text) = short(&["--severity", "warning"]);
    assert_eq!(code, Some(1));
    assert!(
        !text.contains("info[") && text.contains("error[EP101]"),
        "{text}"
    );
    let (code, text) = short(&["--select", "EP203,EP204"]);
    assert_eq!(code, Some(0), "no error selected");
    assert_eq!(text.lines().count(), 2, "{text}");
    let (code, text) = short(&["--ignore", "EP101"]);
    assert_eq!(code, Some(0));
    assert!(!text.contains("EP101"));
    let (code, _) = short(&["--ignore", "EP101", "--fail-on", "warning"]);
    assert_eq!(code, Some(1));
    let out = bin(&dir).args(["check", "--quiet"]).output().unwrap();
    assert!(!stdout(&out).contains("Checked"), "quiet has no summary");
}

#[test]
fn discovery_finds_the_plans_and_only_the_plans() {
    let dir = messy_repo("discovery");
    write(&dir.join("docs/execplans/second.md"), support::PLAN);
    write(
        &dir.join(".agent/PLANS.md"),
        "# Plans\n\nA living document.\n\n## Progress\n\n## Decision Log\n",
    );
    write(
        &dir.join("README.md"),
        "# Project\n\n## Progress\n\n## Decision Log\n",
    );
    write(&dir.join("build/generated.md"), &messy());
    write(&dir.join(".gitignore"), "build/\n");
    let out = bin(&dir)
        .args(["check", "--format", "json"])
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let paths: Vec<&str> = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, [".agent/plans/cache.md", "docs/execplans/second.md"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("Checked 2 plans"), "{stderr}");
    // From a subfolder, the whole repository is still checked.
    let out = bin(&dir.join("docs"))
        .args(["check", "--format", "short", "--quiet"])
        .output()
        .unwrap();
    assert!(stdout(&out).contains(".agent/plans/cache.md"));
    // Globs.
    let out = bin(&dir)
        .args(["check", "--format", "short", "docs/**/*.md"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let out = bin(&dir).args(["check", "nothing/*.md"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn rules_lists_and_explains() {
    let dir = repo("rules");
    let out = bin(&dir).arg("rules").output().unwrap();
    let text = stdout(&out);
    assert_eq!(
        text.lines().count(),
        1 + execplan_ls::analysis::RULES.len(),
        "{text}"
    );
    assert!(text.contains("EP601  agents-md-plans-path"));
    assert!(text.contains("EP203  unstamped-completed-item"));
    let out = bin(&dir).args(["rules", "ep203"]).output().unwrap();
    let text = stdout(&out);
    assert!(
        text.starts_with("EP203 unstamped-completed-item (default: warning)"),
        "{text}"
    );
    assert!(text.contains("What.") && text.contains("Fix."), "{text}");
    assert_eq!(
        bin(&dir)
            .args(["rules", "EP999"])
            .output()
            .unwrap()
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn new_writes_a_plan_in_the_repositorys_plan_folder() {
    let dir = repo("new");
    write(&dir.join(".agent/PLANS.md"), "# How we plan\n");
    write(&dir.join("docs/exec-plans/active/old.md"), support::PLAN);
    let out = bin(&dir)
        .args(["new", "Add a result cache"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let file = dir.join("docs/exec-plans/active/add-a-result-cache.md");
    let text = fs::read_to_string(&file).unwrap();
    assert!(text.starts_with("# Add a result cache\n\nThis ExecPlan is a living document."));
    assert!(text.contains("maintained in accordance with `.agent/PLANS.md`"));
    // The new plan has no error or warning.
    let out = bin(&dir)
        .args(["check", "--format", "short", "--fail-on", "warning"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    // It refuses to overwrite.
    let again = bin(&dir)
        .args(["new", "Add a result cache"])
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(2));
    assert_eq!(fs::read_to_string(&file).unwrap(), text);
    let elsewhere = bin(&dir)
        .args(["new", "Other", "--dir", "plans"])
        .output()
        .unwrap();
    assert_eq!(elsewhere.status.code(), Some(0));
    assert!(dir.join("plans/other.md").exists());
}

#[test]
fn explain_config_shows_the_file_and_effective_settings() {
    let dir = repo("explain");
    write(
        &dir.join(".execplan.toml"),
        "timestamp_style = \"lenient\"\n[rules]\nEP102 = \"off\"\n",
    );
    write(&dir.join(".agent/plans/a.md"), support::PLAN);
    let out = bin(&dir)
        .args(["explain-config", ".agent/plans/a.md"])
        .output()
        .unwrap();
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        text.contains(&format!(
            "configuration file: {}",
            dir.join(".execplan.toml").display()
        )),
        "{text}"
    );
    assert!(text.contains("timestamp_style: lenient"));
    assert!(text.contains("EP102  off       (configured)"), "{text}");
    assert!(text.contains("EP101  error"), "{text}");
}

#[test]
fn agent_format_is_one_line_per_finding_with_the_fix_in_words() {
    let dir = messy_repo("agent");
    let out = bin(&dir)
        .args(["check", "--format", "agent"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    let short = bin(&dir)
        .args(["check", "--format", "short"])
        .output()
        .unwrap();
    assert_eq!(
        text.lines().count(),
        stdout(&short).lines().count(),
        "{text}"
    );
    let line = |code: &str| {
        text.lines()
            .find(|l| l.contains(&format!(": {code} ")))
            .unwrap_or_else(|| panic!("no {code}: {text}"))
            .to_string()
    };
    let safe = line("EP104");
    assert!(
        safe.starts_with(".agent/plans/cache.md:")
            && safe.contains(" Fix: Rename to")
            && safe.contains("`execplan-ls check --fix .agent/plans/cache.md` applies it"),
        "{safe}"
    );
    assert!(line("EP203").contains("Fix: Stamp") && line("EP203").contains("only if it is true"));
    assert!(
        line("EP101").starts_with(".agent/plans/cache.md:1: EP101 error: Missing living section")
    );
    assert!(!line("EP204").contains("Fix:"), "{}", line("EP204"));
    // No source text: nothing of the plan's lines but what messages quote.
    assert!(!text.contains("^^^"));
}
