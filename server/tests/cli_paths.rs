//! The path rules as a user meets them through `check`: EP503 resolves
//! paths with a line suffix, module paths and paths relative to the package
//! that holds the plan before it reports one missing; EP504 reports an
//! absolute machine path that names a repository file, and `--fix` writes the
//! repository-relative path.

mod support;

use support::cli::{bin, repo, write};

use std::fs;
use std::path::Path;

/// `check --format short --select CODES` on `plan`, from the repository root.
fn check(dir: &Path, plan: &Path, codes: &str) -> String {
    let out = bin()
        .current_dir(dir)
        .args(["check", "--format", "short", "--select", codes])
        .arg(plan)
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn with_context(context: &str) -> String {
    support::PLAN.replace("The server lives in the `server` folder.", context)
}

#[test]
fn ep503_resolves_line_suffixes_module_paths_and_package_paths() {
    let dir = repo("ep503");
    write(&dir.join("src/cache.rs"), "// cache\n");
    write(&dir.join("internal/config/config.go"), "package config\n");
    write(&dir.join("app/models.py"), "class User: pass\n");
    write(&dir.join("packages/api/src/handler.ts"), "export {}\n");
    // The root has a `src` too, so `src/handler.ts` looks like a root path.
    let plan = dir.join("packages/api/docs/plans/cache.md");
    let fine = with_context(
        "See `src/cache.rs:17-86`, `src/cache.rs:3:5`, `src/cache.rs#L10-L20`, `internal/config.Config`, `app/models.User` and, in this package, `src/handler.ts`.",
    );
    write(&plan, &fine);
    assert_eq!(check(&dir, &plan, "EP503"), "", "{fine}");
    // Missing stays missing, with or without a suffix.
    let missing = with_context("See `src/store.rs:12` and `internal/config.Missing`.");
    write(&plan, &missing);
    let out = check(&dir, &plan, "EP503");
    assert_eq!(out.lines().count(), 1, "{out}");
    assert!(out.contains("`src/store.rs:12` does not exist"), "{out}");
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn ep504_machine_paths_are_reported_and_fixed_to_repository_paths() {
    let dir = repo("ep504");
    write(&dir.join("src/cache.rs"), "// cache\n");
    let plan = dir.join(".agent/plans/cache.md");
    let text = with_context(
        "The cache is `/Users/ada/code/shop/src/cache.rs`; on the build box it is C:\\work\\shop\\src\\cache.rs. Logs go to `/home/ada/logs/run.txt`. See [the cache](/Users/ada/code/shop/src/cache.rs).",
    );
    write(&plan, &text);
    let out = check(&dir, &plan, "EP504");
    assert_eq!(out.lines().count(), 3, "{out}");
    assert!(
        out.contains("`/Users/ada/code/shop/src/cache.rs` is a path on one machine: name the file by its path in the repository, `src/cache.rs`."),
        "{out}"
    );
    // A path that is not the repository's (the log folder) is left alone.
    assert!(!out.contains("run.txt"), "{out}");
    let fixed = bin()
        .current_dir(&dir)
        .args(["check", "--fix", "--format", "short", "--select", "EP504"])
        .arg(&plan)
        .output()
        .unwrap();
    assert!(fixed.status.success(), "{fixed:?}");
    let after = fs::read_to_string(&plan).unwrap();
    // A link's target is written from the plan's folder.
    assert_eq!(
        after,
        text.replace(
            "(/Users/ada/code/shop/src/cache.rs)",
            "(../../src/cache.rs)"
        )
        .replace("/Users/ada/code/shop/src/cache.rs", "src/cache.rs")
        .replace("C:\\work\\shop\\src\\cache.rs", "src/cache.rs")
    );
    assert_eq!(check(&dir, &plan, "EP504"), "");
    let _ = fs::remove_dir_all(&dir);
}
