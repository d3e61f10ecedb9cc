//! The cache of findings through the binary: a run answered from the cache
//! prints byte for byte what a run without it prints, and the answer
//! changes when anything it depends on changes: the plan's text, a path it
//! names appearing or disappearing, `.execplan.toml`, PLANS.md's skeleton,
//! AGENTS.md, a new commit (EP701), the tool's version, `--fix`.

mod support;

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

use support::cli::{bin, git, repo, write};

const PLAN: &str = include_str!("mcp/fixtures/table-log.md");

const CACHE: &str = ".cache/execplan-ls/check.json";

fn run(dir: &Path, extra: &[&str]) -> Output {
    bin()
        .args(["check", "--format", "json"])
        .args(extra)
        .current_dir(dir)
        .env_remove("EXECPLAN_LS_CACHE_VERSION")
        .output()
        .unwrap()
}

/// stdout of a run with the cache, after checking it equals, byte for byte,
/// that of a run without it.
fn cached(dir: &Path) -> String {
    let with = run(dir, &[]);
    let without = run(dir, &["--no-cache"]);
    assert_eq!(
        String::from_utf8_lossy(&with.stdout),
        String::from_utf8_lossy(&without.stdout),
        "cached and fresh runs differ; stderr: {}",
        String::from_utf8_lossy(&with.stderr)
    );
    assert_eq!(with.status.code(), without.status.code());
    String::from_utf8(with.stdout).unwrap()
}

/// Replaces every finding's message in the stored cache by `marker`, so a
/// run that prints `marker` was answered from the cache.
fn tamper(dir: &Path, marker: &str) {
    let path = dir.join(CACHE);
    let mut stored: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
    for entry in stored["entries"].as_object_mut().unwrap().values_mut() {
        if let Some(found) = entry["findings"]["Plan"].as_array_mut() {
            for d in found {
                d["message"] = marker.into();
            }
        }
    }
    fs::write(&path, stored.to_string()).unwrap();
}

fn answered_from_cache(dir: &Path) -> bool {
    String::from_utf8_lossy(&run(dir, &[]).stdout).contains("TAMPERED")
}

/// The fixture plan with findings: a stamp in a form EP204's safe fix
/// rewrites, a checkbox outside Progress (EP202).
fn flawed_plan() -> String {
    PLAN.replacen("- [x] (2026-11-20 11:40Z)", "- [x] 2026-11-20T11:40Z", 1)
        .replacen(
            "## Plan of Work\n\n",
            "## Plan of Work\n\n- [ ] A stray checkbox.\n\n",
            1,
        )
}

fn plan_repo(name: &str) -> std::path::PathBuf {
    let dir = repo(name);
    write(&dir.join(".agent/plans/cache.md"), &flawed_plan());
    dir
}

#[test]
fn an_unchanged_file_is_answered_from_the_cache_with_the_same_bytes() {
    let dir = plan_repo("same");
    let first = cached(&dir);
    assert!(first.contains("\"diagnostics\""), "{first}");
    assert!(dir.join(CACHE).is_file());
    // Every format prints the same from the cache as without it.
    for format in ["human", "short", "github", "sarif", "agent", "json"] {
        let args = ["check", "--format", format];
        let fresh = bin()
            .args(args)
            .arg("--no-cache")
            .current_dir(&dir)
            .output()
            .unwrap();
        let from_cache = bin().args(args).current_dir(&dir).output().unwrap();
        assert_eq!(fresh.stdout, from_cache.stdout, "{format}");
    }
    tamper(&dir, "TAMPERED");
    assert!(answered_from_cache(&dir), "the entry was not used");
    // --no-cache neither reads nor writes it.
    let out = run(&dir, &["--no-cache"]);
    assert!(!String::from_utf8_lossy(&out.stdout).contains("TAMPERED"));
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn no_cache_leaves_no_cache_behind() {
    let dir = plan_repo("none");
    run(&dir, &["--no-cache"]);
    assert!(!dir.join(".cache").exists());
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn a_changed_plan_is_checked_again() {
    let dir = plan_repo("text");
    let before = cached(&dir);
    tamper(&dir, "TAMPERED");
    let plan = dir.join(".agent/plans/cache.md");
    let text = fs::read_to_string(&plan).unwrap();
    fs::write(
        &plan,
        text.replacen("## Progress", "## Progress\n\nSome words.", 1),
    )
    .unwrap();
    let after = cached(&dir);
    assert!(!after.contains("TAMPERED"));
    assert_ne!(before, after);
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn a_named_path_appearing_or_disappearing_is_seen() {
    let dir = plan_repo("paths");
    fs::create_dir_all(dir.join("src")).unwrap();
    let plan = dir.join(".agent/plans/cache.md");
    let text = fs::read_to_string(&plan).unwrap();
    fs::write(
        &plan,
        text.replacen(
            "## Context and Orientation\n",
            "## Context and Orientation\n\nThe store lives in `src/store/disk.rs`.\n",
            1,
        ),
    )
    .unwrap();
    let missing = cached(&dir);
    assert!(missing.contains("EP503"), "{missing}");
    write(&dir.join("src/store/disk.rs"), "// here\n");
    let found = cached(&dir);
    assert!(!found.contains("EP503"), "{found}");
    fs::remove_file(dir.join("src/store/disk.rs")).unwrap();
    assert_eq!(cached(&dir), missing);
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn configuration_skeleton_and_agents_md_are_part_of_the_key() {
    let dir = plan_repo("settings");
    let plain = cached(&dir);
    // .execplan.toml turns a rule the plan trips off.
    let code = ["EP203", "EP204", "EP301", "EP101", "EP106"]
        .into_iter()
        .find(|c| plain.contains(c))
        .expect("the fixture trips a common rule");
    write(
        &dir.join(".execplan.toml"),
        &format!("[rules]\n{code} = \"off\"\n"),
    );
    let configured = cached(&dir);
    assert_ne!(configured, plain);
    fs::remove_file(dir.join(".execplan.toml")).unwrap();
    assert_eq!(cached(&dir), plain);

    // A team skeleton in PLANS.md that asks for a section the plan lacks.
    let skeleton = "# ExecPlans\n\n## Skeleton of a Good ExecPlan\n\n    # Title\n\n    ## Purpose / Big Picture\n\n    ## Progress\n\n    ## Surprises & Discoveries\n\n    ## Decision Log\n\n    ## Outcomes & Retrospective\n\n    ## Rollout Checklist\n";
    write(&dir.join("process/PLANS.md"), skeleton);
    let unnamed = cached(&dir);
    // AGENTS.md naming that PLANS.md makes it the plans' skeleton.
    write(
        &dir.join("AGENTS.md"),
        "# Agents\n\nUse an ExecPlan (as described in process/PLANS.md) from design to implementation.\n",
    );
    let named = cached(&dir);
    assert_ne!(named, unnamed, "AGENTS.md did not change the skeleton");
    assert!(named.contains("Rollout"), "{named}");
    // The skeleton's text itself.
    write(
        &dir.join("process/PLANS.md"),
        &skeleton.replace("Rollout Checklist", "Launch Notes"),
    );
    let renamed = cached(&dir);
    assert!(renamed.contains("Launch"), "{renamed}");
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn the_tool_version_is_part_of_the_key() {
    let dir = plan_repo("version");
    let check = |version: &str| {
        bin()
            .args(["check", "--format", "json"])
            .env("EXECPLAN_LS_CACHE_VERSION", version)
            .current_dir(&dir)
            .output()
            .unwrap()
    };
    check("1");
    tamper(&dir, "TAMPERED");
    assert!(String::from_utf8_lossy(&check("1").stdout).contains("TAMPERED"));
    assert!(!String::from_utf8_lossy(&check("2").stdout).contains("TAMPERED"));
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn another_build_of_the_same_version_checks_afresh() {
    // A rebuilt binary keeps its version but may have other rules: its
    // identity (size and time of last change) is part of the key.
    let dir = plan_repo("build");
    let original = std::path::PathBuf::from(env!("CARGO_BIN_EXE_execplan-ls"));
    let copy = dir.join("rebuilt-execplan-ls");
    fs::copy(&original, &copy).unwrap();
    let touched = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    fs::File::options()
        .write(true)
        .open(&copy)
        .unwrap()
        .set_modified(touched)
        .unwrap();
    let check = |binary: &Path| {
        Command::new(binary)
            .args(["check", "--format", "json"])
            .env_remove("EXECPLAN_LS_CACHE_VERSION")
            .current_dir(&dir)
            .output()
            .unwrap()
    };
    check(&original);
    tamper(&dir, "TAMPERED");
    assert!(String::from_utf8_lossy(&check(&original).stdout).contains("TAMPERED"));
    assert!(!String::from_utf8_lossy(&check(&copy).stdout).contains("TAMPERED"));
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn a_corrupt_cache_is_ignored_with_a_note() {
    let dir = plan_repo("corrupt");
    let good = cached(&dir);
    fs::write(dir.join(CACHE), b"\x00{ this is not a cache").unwrap();
    let out = run(&dir, &[]);
    assert_eq!(String::from_utf8_lossy(&out.stdout), good);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        stderr.lines().filter(|l| l.contains("cache")).count(),
        1,
        "{stderr}"
    );
    // The run wrote a good one back.
    assert_eq!(cached(&dir), good);
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn runs_at_once_do_not_tear_the_cache() {
    let dir = plan_repo("concurrent");
    for i in 0..20 {
        write(
            &dir.join(format!(".agent/plans/copy-{i}.md")),
            &flawed_plan().replacen("# ", &format!("# Copy {i}: "), 1),
        );
    }
    let fresh = run(&dir, &["--no-cache"]);
    let children: Vec<_> = (0..4)
        .map(|_| {
            bin()
                .args(["check", "--format", "json"])
                .current_dir(&dir)
                .stdout(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        assert_eq!(child.wait_with_output().unwrap().stdout, fresh.stdout);
    }
    let stored: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(dir.join(CACHE)).unwrap()).unwrap();
    assert_eq!(stored["entries"].as_object().unwrap().len(), 21);
    assert_eq!(cached(&dir).as_bytes(), fresh.stdout.as_slice());
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn fix_writes_and_the_next_run_sees_the_fixed_text() {
    let dir = plan_repo("fix");
    let plan = dir.join(".agent/plans/cache.md");
    let text = fs::read_to_string(&plan).unwrap();
    let before = cached(&dir);
    bin()
        .args(["check", "--fix", "--format", "json"])
        .current_dir(&dir)
        .output()
        .unwrap();
    assert_ne!(
        fs::read_to_string(&plan).unwrap(),
        text,
        "nothing was fixed"
    );
    assert_ne!(cached(&dir), before);
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn a_new_commit_is_seen_by_ep701() {
    let dir = std::env::temp_dir().join(format!("execplan-ls-cache-git-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(dir.join("src")).unwrap();
    git(&dir, &["init", "-q"], "2026-11-20T09:00:00Z");
    let plan = PLAN.replace(
        "- [ ] Write the cache module with its tests.",
        "- [ ] Write the cache module `src/cache.rs` with its tests.",
    );
    write(&dir.join("docs/plans/cache.md"), &plan);
    write(&dir.join("src/cache.rs"), "// cache\n");
    git(&dir, &["add", "."], "2026-11-20T11:41:00Z");
    git(
        &dir,
        &["commit", "-q", "-m", "plan"],
        "2026-11-20T11:41:00Z",
    );
    let before = cached(&dir);
    assert!(!before.contains("EP701"), "{before}");
    write(&dir.join("src/cache.rs"), "// cache v2\n");
    git(
        &dir,
        &["commit", "-q", "-am", "work"],
        "2026-11-21T08:00:00Z",
    );
    let after = cached(&dir);
    assert!(after.contains("EP701"), "{after}");
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn a_fix_that_stamps_the_current_minute_is_cached_with_the_stamp_left_open() {
    let dir = repo("stamp");
    let plan = flawed_plan().replacen(
        "## Progress\n\n",
        "## Progress\n\n- [x] Done without a stamp.\n",
        1,
    );
    write(&dir.join(".agent/plans/cache.md"), &plan);
    let first = cached(&dir);
    assert!(first.contains("Stamp with the current time ("), "{first}");
    let stored: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(dir.join(CACHE)).unwrap()).unwrap();
    let entry = stored["entries"]
        .as_object()
        .unwrap()
        .values()
        .next()
        .unwrap();
    // Stored without this minute's stamp, so it does not expire with the minute.
    assert!(entry["facts"]["valid_until"].is_null(), "{entry}");
    let text = entry["findings"].to_string();
    assert!(text.contains("\\u0001now\\u0001"), "{text}");
    // Used, with the current stamp written back (cached() compares it with a fresh run).
    tamper(&dir, "TAMPERED");
    let out = String::from_utf8(run(&dir, &[]).stdout).unwrap();
    assert!(out.contains("TAMPERED") && out.contains("Stamp with the current time ("));
    assert!(!out.contains('\u{1}'));
    let _ = fs::remove_dir_all(&dir);
}
