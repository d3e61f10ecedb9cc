//! EP701 through the binary, in a scripted git repository: code a plan's
//! open item names changes after the plan's last Progress stamp, and
//! `check` reports the plan as behind; `--changed-since` names it for a
//! change set; updating the plan clears it. (The test drives `git` to build
//! the history; execplan-ls reads it with gix.)

mod support;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;
use support::cli::git;

fn rev(dir: &Path) -> String {
    let out = Command::new("git")
        .args(["rev-parse", "HEAD"])
        .current_dir(dir)
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

fn check(dir: &Path, extra: &[&str]) -> (Output, Vec<Value>) {
    let out = Command::new(env!("CARGO_BIN_EXE_execplan-ls"))
        .args(["check", "--format", "json"])
        .args(extra)
        .current_dir(dir)
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    let found = report["files"]
        .as_array()
        .map(|files| {
            files
                .iter()
                .flat_map(|f| f["diagnostics"].as_array().unwrap().clone())
                .filter(|d| d["code"] == "EP701")
                .collect()
        })
        .unwrap_or_default();
    (out, found)
}

fn hook(dir: &Path, event: &str) -> Value {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_execplan-ls"))
        .arg("hook")
        .current_dir(dir)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(event.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    serde_json::from_slice(&out.stdout).unwrap()
}

const PLAN: &str = include_str!("mcp/fixtures/table-log.md");

fn scripted_repo(name: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("execplan-ls-behind-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(dir.join("docs/plans")).unwrap();
    fs::create_dir_all(dir.join("src")).unwrap();
    git(&dir, &["init", "-q"], "2026-11-20T09:00:00Z");
    // The plan's open item names the cache module; its last stamp is 11:40Z.
    let plan = PLAN.replace(
        "- [ ] Write the cache module with its tests.",
        "- [ ] Write the cache module `src/cache.rs` with its tests.",
    );
    fs::write(dir.join("docs/plans/cache.md"), plan).unwrap();
    fs::write(dir.join("src/cache.rs"), "// cache\n").unwrap();
    fs::write(dir.join("src/other.rs"), "// other\n").unwrap();
    git(&dir, &["add", "."], "2026-11-20T11:41:00Z");
    git(
        &dir,
        &["commit", "-q", "-m", "plan and skeleton"],
        "2026-11-20T11:41:00Z",
    );
    dir
}

#[test]
fn a_plan_whose_named_code_changed_after_its_last_stamp_is_behind() {
    let dir = scripted_repo("stamp");
    let (out, found) = check(&dir, &[]);
    assert!(
        found.is_empty(),
        "nothing changed yet: {found:?} {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let base = rev(&dir);

    for (i, date) in ["2026-11-21T08:00:00Z", "2026-11-21T09:00:00Z"]
        .iter()
        .enumerate()
    {
        fs::write(dir.join("src/cache.rs"), format!("// cache v{i}\n")).unwrap();
        git(&dir, &["commit", "-q", "-am", "cache work"], date);
    }
    // A change to a path no open item names does not count.
    fs::write(dir.join("src/other.rs"), "// other v2\n").unwrap();
    git(
        &dir,
        &["commit", "-q", "-am", "other work"],
        "2026-11-21T10:00:00Z",
    );

    let (_, found) = check(&dir, &[]);
    assert_eq!(found.len(), 1, "{found:?}");
    let message = found[0]["message"].as_str().unwrap();
    assert!(
        message.starts_with(
            "`src/cache.rs` changed in 2 commits since the last Progress entry (2026-11-20 11:40Z)"
        ),
        "{message}"
    );
    assert_eq!(found[0]["severity"], "warning");
    assert_eq!(found[0]["range"]["start"]["line"], 13);

    // The Stop hook blocks on a plan that is behind, once.
    let event = fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/hook_events/codex-stop.json"),
    )
    .unwrap()
    .replace("{{CWD}}", &dir.display().to_string())
    .replace("{{ACTIVE}}", "false");
    let answer = hook(&dir, &event);
    assert_eq!(answer["decision"], "block", "{answer}");
    assert!(
        answer["reason"]
            .as_str()
            .unwrap()
            .contains("is behind the code"),
        "{answer}"
    );
    assert_eq!(
        hook(
            &dir,
            &event.replace("\"stop_hook_active\": false", "\"stop_hook_active\": true")
        ),
        serde_json::json!({})
    );

    // For a change set: the plan names changed code and was not updated.
    let (out, found) = check(&dir, &["--changed-since", &base]);
    assert_eq!(
        found.len(),
        1,
        "{found:?} {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        found[0]["message"]
            .as_str()
            .unwrap()
            .contains(&format!("changed since {base}"))
    );
    let (out, _) = check(&dir, &["--changed-since", "no-such-rev"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no-such-rev"));

    // The plan is updated (and committed): it is no longer behind.
    let plan = fs::read_to_string(dir.join("docs/plans/cache.md"))
        .unwrap()
        .replace(
            "- [ ] Write the cache module",
            "- [x] (2026-11-21 10:05Z) Write the cache module",
        );
    fs::write(dir.join("docs/plans/cache.md"), plan).unwrap();
    git(
        &dir,
        &["commit", "-q", "-am", "plan: cache module done"],
        "2026-11-21T10:06:00Z",
    );
    let (_, found) = check(&dir, &[]);
    assert!(found.is_empty(), "{found:?}");
    let (_, found) = check(&dir, &["--changed-since", &base]);
    assert!(
        found.is_empty(),
        "the plan was updated in the change set: {found:?}"
    );
}

#[test]
fn a_commit_that_updates_the_plan_is_its_last_update() {
    let dir = scripted_repo("plan-commit");
    // The code and a plan edit land together after the stamp (the stamp was
    // not moved, but the plan was looked at and changed): not behind.
    fs::write(dir.join("src/cache.rs"), "// cache v1\n").unwrap();
    let plan = fs::read_to_string(dir.join("docs/plans/cache.md")).unwrap() + "\nA note.\n";
    fs::write(dir.join("docs/plans/cache.md"), plan).unwrap();
    git(
        &dir,
        &["commit", "-q", "-am", "cache and plan"],
        "2026-11-21T08:00:00Z",
    );
    let (_, found) = check(&dir, &[]);
    assert!(found.is_empty(), "{found:?}");
}
