//! `execplan-ls init` through the binary, in an empty git repository and in
//! repositories that already have some of what it writes.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn bin(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_execplan-ls"))
        .args(args)
        .current_dir(dir)
        .env("HOME", dir.join("home"))
        .output()
        .unwrap()
}

/// An empty git repository (`git init` when git is there).
fn repo(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("execplan-ls-init-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(dir.join("home")).unwrap();
    let git = Command::new("git")
        .args(["init", "-q"])
        .current_dir(&dir)
        .status();
    if !git.is_ok_and(|s| s.success()) {
        fs::create_dir_all(dir.join(".git")).unwrap();
    }
    dir
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Every file below `dir` (outside .git and home) with its text.
fn snapshot(dir: &Path) -> Vec<(PathBuf, String)> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if name == ".git" || name == "home" {
                continue;
            }
            if path.is_dir() {
                stack.push(path);
            } else {
                files.push((path.clone(), fs::read_to_string(&path).unwrap()));
            }
        }
    }
    files.sort();
    files
}

#[test]
fn init_then_new_then_check_in_an_empty_repository() {
    let dir = repo("empty");
    // A dry run says what it would write, and writes nothing.
    let dry = bin(&dir, &["init", "--codex", "--dry-run"]);
    assert!(dry.status.success(), "{}", text(&dry));
    let said = text(&dry);
    for line in [
        "create .agent/PLANS.md",
        "create AGENTS.md",
        "create the folder .agent/plans/",
        "create .codex/config.toml",
    ] {
        assert!(said.contains(line), "{line}: {said}");
    }
    assert!(
        snapshot(&dir).is_empty(),
        "a dry run wrote {:?}",
        snapshot(&dir)
    );

    let out = bin(&dir, &["init", "--codex"]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(dir.join(".agent/plans").is_dir());
    let plans_md = fs::read_to_string(dir.join(".agent/PLANS.md")).unwrap();
    assert!(plans_md.contains("## Skeleton of a Good ExecPlan"));
    let agents = fs::read_to_string(dir.join("AGENTS.md")).unwrap();
    assert!(
        agents.contains("## ExecPlans") && agents.contains("`.agent/PLANS.md`"),
        "{agents}"
    );
    let codex: toml::Table = fs::read_to_string(dir.join(".codex/config.toml"))
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(
        codex["mcp_servers"]["execplan"]["command"].as_str(),
        Some("execplan-ls")
    );

    let new = bin(&dir, &["new", "Add a result cache"]);
    assert!(new.status.success(), "{}", text(&new));
    let plan = dir.join(".agent/plans/add-a-result-cache.md");
    let plan_text = fs::read_to_string(&plan).unwrap();
    assert!(
        plan_text.contains("maintained in accordance with `.agent/PLANS.md`"),
        "{plan_text}"
    );

    // The whole repository is clean: no finding on PLANS.md, AGENTS.md or
    // the new plan.
    let check = bin(&dir, &["check", "--format", "json"]);
    assert_eq!(check.status.code(), Some(0), "{}", text(&check));
    let report: Value = serde_json::from_slice(&check.stdout).unwrap();
    let summary = &report["summary"];
    for key in ["errors", "warnings", "info", "hints"] {
        assert_eq!(summary[key], 0, "{key}: {report}");
    }
    let files = report["files"].as_array().unwrap();
    assert!(
        files.iter().any(|f| f["path"]
            .as_str()
            .unwrap()
            .ends_with("add-a-result-cache.md")),
        "{report}"
    );

    // Run again: everything is left as it is.
    let before = snapshot(&dir);
    let again = bin(&dir, &["init", "--codex"]);
    assert!(again.status.success(), "{}", text(&again));
    assert_eq!(
        text(&again).matches("leave ").count(),
        4,
        "{}",
        text(&again)
    );
    assert_eq!(snapshot(&dir), before);
}

#[test]
fn init_appends_to_what_exists_and_overwrites_nothing() {
    let dir = repo("existing");
    let agents = "# Agents\n\nRun `make test` before committing.";
    fs::write(dir.join("AGENTS.md"), agents).unwrap();
    fs::create_dir_all(dir.join(".codex")).unwrap();
    let config = "model = \"gpt-5.3-codex\"\n";
    fs::write(dir.join(".codex/config.toml"), config).unwrap();
    let out = bin(&dir, &["init", "--codex"]);
    assert!(out.status.success(), "{}", text(&out));
    let now = fs::read_to_string(dir.join("AGENTS.md")).unwrap();
    assert!(
        now.starts_with(&format!("{agents}\n\n## ExecPlans\n\n")),
        "{now}"
    );
    let now = fs::read_to_string(dir.join(".codex/config.toml")).unwrap();
    assert!(now.starts_with(config), "{now}");
    let table: toml::Table = now.parse().unwrap();
    assert_eq!(table["model"].as_str(), Some("gpt-5.3-codex"));
    assert!(table.contains_key("hooks"));

    // A repository with its own PLANS.md keeps it; AGENTS.md names that one.
    let dir = repo("own-plans-md");
    fs::write(dir.join("PLANS.md"), "# Our plans\n").unwrap();
    fs::create_dir_all(dir.join(".codex")).unwrap();
    fs::write(dir.join(".codex/config.toml"), "this is = not toml [").unwrap();
    let out = bin(&dir, &["init", "--codex"]);
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(
        fs::read_to_string(dir.join("PLANS.md")).unwrap(),
        "# Our plans\n"
    );
    assert!(!dir.join(".agent/PLANS.md").exists());
    assert!(
        fs::read_to_string(dir.join("AGENTS.md"))
            .unwrap()
            .contains("`PLANS.md` describes")
    );
    assert_eq!(
        fs::read_to_string(dir.join(".codex/config.toml")).unwrap(),
        "this is = not toml ["
    );
    assert!(text(&out).contains("not valid TOML"), "{}", text(&out));
}
