//! `execplan-ls hook` through the binary, fed the events Codex and Claude
//! Code send (`server/tests/hook_events/`, recorded in each agent's
//! documented shape) and checked against the answers each agent reads.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

const PLAN: &str = include_str!("mcp/fixtures/table-log.md");

fn repo(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("execplan-ls-hook-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(dir.join(".git")).unwrap();
    fs::create_dir_all(dir.join("docs/plans")).unwrap();
    dir.canonicalize().unwrap()
}

fn event(file: &str, fill: &[(&str, String)]) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/hook_events")
        .join(file);
    let mut text = fs::read_to_string(path).unwrap();
    for (key, value) in fill {
        text = text.replace(&format!("{{{{{key}}}}}"), value);
    }
    // Every recorded event is valid JSON once filled in.
    serde_json::from_str::<Value>(&text).unwrap_or_else(|e| panic!("{file}: {e}\n{text}"));
    text
}

/// A JSON string's inside, for filling a template.
fn escaped(s: &str) -> String {
    let quoted = serde_json::to_string(s).unwrap();
    quoted[1..quoted.len() - 1].to_string()
}

fn run(dir: &Path, stdin: &str, args: &[&str]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_execplan-ls"))
        .arg("hook")
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn answer(dir: &Path, stdin: &str) -> Value {
    let out = run(dir, stdin, &[]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)))
}

/// The PostToolUse answer both agents read: only `hookSpecificOutput` with
/// the event's name and the context.
fn context_of(answer: &Value) -> &str {
    let object = answer.as_object().unwrap();
    assert_eq!(
        object.keys().collect::<Vec<_>>(),
        ["hookSpecificOutput"],
        "{answer}"
    );
    let specific = &answer["hookSpecificOutput"];
    assert_eq!(specific["hookEventName"], "PostToolUse", "{answer}");
    assert_eq!(specific.as_object().unwrap().len(), 2, "{answer}");
    specific["additionalContext"].as_str().unwrap()
}

fn claude_edit(dir: &Path, old: &str, new: &str) -> String {
    let plan = dir.join("docs/plans/cache.md");
    let text = fs::read_to_string(&plan).unwrap();
    fs::write(&plan, text.replacen(old, new, 1)).unwrap();
    event(
        "claude-post-edit.json",
        &[
            ("CWD", escaped(&dir.display().to_string())),
            ("OLD", escaped(old)),
            ("NEW", escaped(new)),
        ],
    )
}

#[test]
fn claude_code_edit_reports_only_what_it_introduced() {
    let dir = repo("claude-edit");
    // The plan already has a warning the edit does not touch.
    let plan = PLAN.replace("- [x] (2026-11-20 09:12Z) Measured", "- [x] Measured");
    fs::write(dir.join("docs/plans/cache.md"), &plan).unwrap();
    let stdin = claude_edit(
        &dir,
        "- [ ] Write the cache module",
        "- [x] Write the cache module",
    );
    let answer = answer(&dir, &stdin);
    let context = context_of(&answer);
    assert!(context.contains("introduced 1 finding"), "{context}");
    assert!(
        context.contains("docs/plans/cache.md:13: warning[EP203]"),
        "{context}"
    );
    assert!(
        !context.contains(":11:"),
        "an old finding was reported: {context}"
    );

    // An edit that is right introduces nothing: an empty answer.
    let stdin = claude_edit(
        &dir,
        "- [x] Write the cache module",
        "- [x] (2026-11-21 10:00Z) Write the cache module",
    );
    assert_eq!(answer_of(&dir, &stdin), serde_json::json!({}));
}

fn answer_of(dir: &Path, stdin: &str) -> Value {
    answer(dir, stdin)
}

#[test]
fn codex_apply_patch_reports_what_it_introduced() {
    let dir = repo("codex-patch");
    let broken = PLAN.replace("## Decision Log\n\n", "");
    fs::write(dir.join("docs/plans/cache.md"), &broken).unwrap();
    let patch = "*** Begin Patch\n*** Update File: docs/plans/cache.md\n@@\n   Evidence: a profile of one build shows 71% in the invoice parser.\n \n-## Decision Log\n-\n | When | Decision | Rationale |\n*** End Patch\n";
    let stdin = event(
        "codex-post-apply-patch.json",
        &[
            ("CWD", escaped(&dir.display().to_string())),
            ("PATCH", escaped(patch)),
        ],
    );
    let answer = answer(&dir, &stdin);
    let context = context_of(&answer);
    assert!(context.contains("introduced"), "{context}");
    assert!(context.contains("error[EP101]"), "{context}");
    // A patch of a file that is not a plan gets an empty answer.
    fs::write(dir.join("notes.md"), "# Notes\n\nA list.\n").unwrap();
    let patch =
        "*** Begin Patch\n*** Update File: notes.md\n@@\n # Notes\n+\n+A list.\n*** End Patch\n";
    let stdin = event(
        "codex-post-apply-patch.json",
        &[
            ("CWD", escaped(&dir.display().to_string())),
            ("PATCH", escaped(patch)),
        ],
    );
    assert_eq!(answer_of(&dir, &stdin), serde_json::json!({}));
}

#[test]
fn stop_blocks_once_on_a_broken_plan_for_both_agents() {
    for agent in ["claude-stop.json", "codex-stop.json"] {
        let dir = repo(agent.trim_end_matches(".json"));
        let broken = PLAN.replace("## Progress\n", "## Steps\n");
        fs::write(dir.join("docs/plans/cache.md"), &broken).unwrap();
        let cwd = escaped(&dir.display().to_string());
        let first = answer(
            &dir,
            &event(agent, &[("CWD", cwd.clone()), ("ACTIVE", "false".into())]),
        );
        assert_eq!(first["decision"], "block", "{agent}: {first}");
        let reason = first["reason"].as_str().unwrap();
        assert!(
            reason.contains("docs/plans/cache.md") && reason.contains("EP101"),
            "{reason}"
        );
        assert_eq!(first.as_object().unwrap().len(), 2, "{first}");
        // The agent went on because of this hook: it may stop now.
        let second = answer(
            &dir,
            &event(agent, &[("CWD", cwd.clone()), ("ACTIVE", "true".into())]),
        );
        assert_eq!(second, serde_json::json!({}), "{agent} blocked twice");
        // A plan with no errors never blocks.
        fs::write(dir.join("docs/plans/cache.md"), PLAN).unwrap();
        let clean = answer(
            &dir,
            &event(agent, &[("CWD", cwd), ("ACTIVE", "false".into())]),
        );
        assert_eq!(clean, serde_json::json!({}), "{agent}: {clean}");
    }
}

#[test]
fn bad_input_is_a_failed_hook_with_a_message() {
    let dir = repo("bad");
    let out = run(&dir, "not json", &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a hook event"));
    // An event the hook does not handle gets an empty answer.
    let other = r#"{"hook_event_name": "PreToolUse", "tool_name": "Bash", "tool_input": {"command": "ls"}}"#;
    assert_eq!(answer(&dir, other), serde_json::json!({}));
}

#[test]
fn a_thousand_line_plan_is_answered_quickly() {
    let dir = repo("fast");
    let mut plan = PLAN.replace("## Progress\n", "## Steps\n");
    let mut extra = String::new();
    for i in 0..240 {
        extra.push_str(&format!("Paragraph {i} of the context, naming `src/module_{i}.rs`.\n\n- One point.\n- Another point.\n\n"));
    }
    plan = plan.replace("## Plan of Work\n", &format!("## Plan of Work\n\n{extra}"));
    assert!(plan.lines().count() > 1000);
    fs::write(dir.join("docs/plans/cache.md"), &plan).unwrap();
    let stdin = event(
        "claude-stop.json",
        &[
            ("CWD", escaped(&dir.display().to_string())),
            ("ACTIVE", "false".into()),
        ],
    );
    let start = std::time::Instant::now();
    let answer = answer(&dir, &stdin);
    let took = start.elapsed();
    assert_eq!(answer["decision"], "block");
    // The release build answers in a few milliseconds; this bound only
    // catches something pathological in an unoptimised test build.
    assert!(took < std::time::Duration::from_secs(3), "{took:?}");
}

/// The Claude Code plugin (`editors/claude-code/`) runs the commands this
/// binary has, on the events and tools the hook answers.
#[test]
fn the_claude_code_plugin_runs_these_commands() {
    let plugin = Path::new(env!("CARGO_MANIFEST_DIR")).join("../editors/claude-code");
    let read = |name: &str| -> Value {
        let text = fs::read_to_string(plugin.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"))
    };
    assert_eq!(read(".claude-plugin/plugin.json")["name"], "execplan-ls");
    assert_eq!(
        read(".claude-plugin/marketplace.json")["plugins"][0]["source"],
        "./"
    );
    let lsp = read(".lsp.json");
    assert_eq!(lsp["execplan"]["command"], "execplan-ls");
    assert_eq!(lsp["execplan"]["args"], serde_json::json!(["--stdio"]));
    assert_eq!(lsp["execplan"]["extensionToLanguage"][".md"], "markdown");
    let mcp = read(".mcp.json");
    assert_eq!(
        mcp["mcpServers"]["execplan"]["args"],
        serde_json::json!(["mcp"])
    );
    let hooks = read("hooks/hooks.json");
    for event in ["PostToolUse", "Stop", "SessionStart"] {
        for group in hooks["hooks"][event].as_array().unwrap() {
            for hook in group["hooks"].as_array().unwrap() {
                assert_eq!(hook["command"], "execplan-ls hook", "{event}");
            }
        }
    }
    let matcher = hooks["hooks"]["PostToolUse"][0]["matcher"]
        .as_str()
        .unwrap();
    let tools: Vec<&str> = matcher.split('|').collect();
    assert_eq!(tools, ["Edit", "MultiEdit", "Write"]);
    // The commands exist: `mcp --help` and `hook --help` succeed.
    for command in ["mcp", "hook"] {
        let out = Command::new(env!("CARGO_BIN_EXE_execplan-ls"))
            .args([command, "--help"])
            .output()
            .unwrap();
        assert!(out.status.success(), "{command} --help");
    }
}
