//! The `check` command as a user runs it: output lines, exit codes, plan
//! discovery in folders, configuration, and bad input.

mod support;

use support::cli::{bin, repo, stdout, write};

use std::fs;

/// The canonical plan every test here varies.
const GOOD: &str = support::PLAN;

#[test]
fn clean_plan_prints_nothing_and_exits_0() {
    let dir = repo("clean");
    let plan = dir.join(".agent/plans/cache.md");
    write(&plan, GOOD);
    let out = bin()
        .args(["check", "--format", "short"])
        .arg(&plan)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert_eq!(stdout(&out), "");
}

#[test]
fn defects_print_one_line_each_and_errors_exit_1() {
    let dir = repo("defects");
    let plan = dir.join(".agent/plans/cache.md");
    let text = GOOD
        .replace("- [x] (2026-01-05 10:00Z) Wrote the cache.", "- [x] Wrote the cache.")
        .replace("## Decision Log\n\n- Decision: Use an LRU.\n  Rationale: Bounded memory.\n  Date/Author: 2026-01-05 / Ada\n\n", "");
    write(&plan, &text);
    let out = bin()
        .args(["check", "--format", "short"])
        .arg(&plan)
        .output()
        .unwrap();
    let printed = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{printed}");
    let lines: Vec<&str> = printed.lines().collect();
    let shown = plan.display().to_string();
    assert!(lines.contains(&&*format!("{shown}:11:3: warning[EP203] Completed item without a timestamp: add when it was done, as `(YYYY-MM-DD HH:MMZ)` in UTC, after the checkbox.")), "{printed}");
    assert!(
        lines.iter().any(|l| l.starts_with(&format!(
            "{shown}:1:1: error[EP101] Missing living section `## Decision Log`"
        ))),
        "{printed}"
    );
    // Warnings alone do not fail the run.
    write(
        &plan,
        &GOOD.replace(
            "- [x] (2026-01-05 10:00Z) Wrote the cache.",
            "- [x] Wrote the cache.",
        ),
    );
    let out = bin()
        .args(["check", "--format", "short"])
        .arg(&plan)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stdout(&out).lines().count(), 1);
}

#[test]
fn folders_are_searched_for_plans_only() {
    let dir = repo("folders");
    write(
        &dir.join(".agent/plans/a.md"),
        &GOOD.replace("- [ ] Measure it.", "- [x] Measured."),
    );
    write(
        &dir.join(".agent/PLANS.md"),
        "# How to write plans\n\nAn ExecPlan is a living document.\n\n## Progress\n\n## Decision Log\n",
    );
    write(
        &dir.join(".agent/plans/README.md"),
        "# Plans\n\n## Progress\n\n## Decision Log\n",
    );
    write(&dir.join("notes/todo.md"), "# Todo\n\n- [x] buy milk\n");
    write(
        &dir.join("elsewhere/feature.md"),
        &GOOD.replace("- [ ] Measure it.", "- [x] Measured."),
    );
    write(
        &dir.join("ignored/plan.md"),
        &GOOD.replace("- [ ] Measure it.", "- [x] Measured."),
    );
    write(&dir.join(".gitignore"), "ignored/\n");
    let out = bin()
        .args(["check", "--format", "short"])
        .arg(&dir)
        .output()
        .unwrap();
    let printed = stdout(&out);
    let files: Vec<&str> = printed
        .lines()
        .map(|l| l.split(':').next().unwrap())
        .collect();
    assert!(
        files.iter().any(|f| f.ends_with(".agent/plans/a.md")),
        "{printed}"
    );
    assert!(
        files.iter().any(|f| f.ends_with("elsewhere/feature.md")),
        "found by content: {printed}"
    );
    for never in ["PLANS.md", "README.md", "todo.md", "ignored/plan.md"] {
        assert!(
            !files.iter().any(|f| f.ends_with(never)),
            "{never} was checked: {printed}"
        );
    }
}

#[test]
fn configuration_file_changes_severities() {
    let dir = repo("config");
    let plan = dir.join(".agent/plans/cache.md");
    let unstamped = "- [x] Wrote the cache.";
    write(
        &plan,
        &GOOD.replace("- [x] (2026-01-05 10:00Z) Wrote the cache.", unstamped),
    );
    write(&dir.join(".execplan.toml"), "[rules]\nEP203 = \"error\"\n");
    let out = bin()
        .args(["check", "--format", "short"])
        .arg(&plan)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("error[EP203]"));
    write(&dir.join(".execplan.toml"), "[rules]\nEP203 = \"off\"\n");
    let out = bin()
        .args(["check", "--format", "short"])
        .arg(&plan)
        .output()
        .unwrap();
    assert_eq!(stdout(&out), "");
    // A broken file is reported with its line; the defaults stay in force.
    write(&dir.join(".execplan.toml"), "[rules\nEP203 = \"off\"\n");
    let out = bin()
        .args(["check", "--format", "short"])
        .arg(&plan)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(".execplan.toml:1:"), "{stderr}");
    assert!(stdout(&out).contains("warning[EP203]"));
}

#[test]
fn bad_input_is_reported_and_the_rest_is_checked() {
    let dir = repo("bad");
    let plan = dir.join(".agent/plans/good.md");
    write(
        &plan,
        &GOOD.replace(
            "- [x] (2026-01-05 10:00Z) Wrote the cache.",
            "- [x] Wrote the cache.",
        ),
    );
    let binary = dir.join(".agent/plans/binary.md");
    fs::write(&binary, b"# T\n\xff\xfe\n").unwrap();
    let out = bin()
        .args(["check", "--format", "short"])
        .arg(&binary)
        .arg(dir.join("missing.md"))
        .arg(&plan)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr.contains("not valid UTF-8"), "{stderr}");
    assert!(
        stderr.contains("missing.md: no such file or folder"),
        "{stderr}"
    );
    assert!(
        stdout(&out).contains("good.md:11:3: warning[EP203]"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn usage_errors_exit_2_and_version_prints() {
    for bad in [
        &["check", "--format", "xml"][..],
        &["check", "--select", "EP999"],
        &["check", "--fail-on", "loud"],
    ] {
        let out = bin().args(bad).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{bad:?}");
    }
    let out = bin().arg("frobnicate").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = bin().arg("--version").output().unwrap();
    assert_eq!(
        stdout(&out).trim(),
        format!("execplan-ls {}", env!("CARGO_PKG_VERSION"))
    );
    let out = bin().arg("--help").output().unwrap();
    assert!(stdout(&out).contains("check"));
}

#[test]
fn server_exit_status_follows_the_protocol() {
    use std::io::{BufRead, BufReader, Read, Write};
    use std::process::Stdio;
    let frame = |body: &str| format!("Content-Length: {}\r\n\r\n{body}", body.len());
    let init = r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}"#;
    let shutdown = r#"{"jsonrpc":"2.0","id":2,"method":"shutdown"}"#;
    let exit = r#"{"jsonrpc":"2.0","method":"exit"}"#;
    let run = |with_shutdown: bool| {
        let mut child = bin()
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdin = child.stdin.take().unwrap();
        let mut reader = BufReader::new(child.stdout.take().unwrap());
        // Reads one framed message's body.
        let mut read_message = || {
            let mut length = 0;
            loop {
                let mut line = String::new();
                reader.read_line(&mut line).unwrap();
                if line == "\r\n" {
                    break;
                }
                if let Some(n) = line.strip_prefix("Content-Length: ") {
                    length = n.trim().parse().unwrap();
                }
            }
            let mut body = vec![0; length];
            reader.read_exact(&mut body).unwrap();
            String::from_utf8(body).unwrap()
        };
        stdin.write_all(frame(init).as_bytes()).unwrap();
        assert!(read_message().contains("\"id\":1"));
        if with_shutdown {
            stdin.write_all(frame(shutdown).as_bytes()).unwrap();
            // Skip notifications until the shutdown answer arrives.
            while !read_message().contains("\"id\":2") {}
        }
        stdin.write_all(frame(exit).as_bytes()).unwrap();
        drop(stdin);
        child.wait().unwrap().code()
    };
    assert_eq!(run(true), Some(0));
    assert_eq!(run(false), Some(1));
}

#[test]
fn stdio_given_twice_still_serves_lsp() {
    // vscode-languageclient appends `--stdio` to the configured arguments.
    let out = bin()
        .args(["--stdio", "--stdio"])
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stderr.contains("cannot be used multiple times"),
        "{stderr}"
    );
    // stdin closed without `shutdown`: the protocol's exit status 1, not a usage error.
    assert_eq!(out.status.code(), Some(1), "{stderr}");
}
