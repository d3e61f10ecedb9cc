//! Opening a plan the workspace index has already checked, through the real
//! binary over stdio. The index's kept check may answer the first
//! diagnostics (`docs/architecture.md`, "Opening a plan"), but never with
//! findings that a check would no longer give: after each change below,
//! made on disk without telling the server (as another program would) or
//! through the editor, the plan is closed and opened again and must get
//! what a fresh check gives: another text, the configuration file, the
//! editor's settings, the team's skeleton in PLANS.md, which PLANS.md
//! AGENTS.md names, and a path the plan names appearing.

mod support;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use support::{TIMEOUT, file_uri};

/// The team's skeletons: `.agent/PLANS.md` adds Risks, `docs/PLANS.md`
/// adds Rollout, both after Validation and Acceptance.
fn skeleton(extra: &str) -> String {
    format!(
        "# Plans\n\n## Skeleton of a Good ExecPlan\n\n    # <Title>\n\n    ## Purpose / Big Picture\n    ## Progress\n    ## Surprises & Discoveries\n    ## Decision Log\n    ## Outcomes & Retrospective\n    ## Context and Orientation\n    ## Plan of Work\n    ## Concrete Steps\n    ## Validation and Acceptance\n    ## {extra}\n    ## Idempotence and Recovery\n    ## Artifacts and Notes\n    ## Interfaces and Dependencies\n"
    )
}

/// The plan: every canonical section, one path that exists and one that
/// does not (`src/later.rs`, EP503), one completed item without a stamp
/// (EP203).
const PLAN: &str = "# Add a cache

This ExecPlan is a living document. The sections `Progress`, `Surprises & Discoveries`, `Decision Log`, and `Outcomes & Retrospective` must be kept up to date as work proceeds.

## Purpose / Big Picture

The cache lives in `src/lib.rs` and reads `src/later.rs`.

## Progress

- [x] Wrote the cache.
- [ ] Measure it.

## Surprises & Discoveries

None yet.

## Decision Log

- Decision: Use an LRU.
  Rationale: Bounded memory.
  Date/Author: 2026-11-20 / Ada

## Outcomes & Retrospective

None yet.

## Context and Orientation

The store is in `src/lib.rs`.

## Plan of Work

Add the cache.

## Concrete Steps

Run the tests.

## Validation and Acceptance

The tests pass.

## Idempotence and Recovery

Run it again.

## Artifacts and Notes

None.

## Interfaces and Dependencies

None.
";

struct Repo {
    dir: PathBuf,
}

impl Repo {
    fn new() -> Repo {
        let base = std::env::temp_dir().join(format!("execplan-open-index-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&base);
        for folder in [".git", ".agent/plans", "src", "docs"] {
            std::fs::create_dir_all(base.join(folder)).unwrap();
        }
        let repo = Repo {
            dir: base.canonicalize().unwrap(),
        };
        repo.write(".agent/PLANS.md", &skeleton("Risks"));
        repo.write("docs/PLANS.md", &skeleton("Rollout"));
        repo.write("AGENTS.md", "# Agents\n\nPlans follow `.agent/PLANS.md`.\n");
        repo.write("src/lib.rs", "pub struct Cache;\n");
        repo.write(".agent/plans/cache.md", PLAN);
        repo
    }

    fn write(&self, rel: &str, text: &str) {
        std::fs::write(self.dir.join(rel), text).unwrap();
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.join(rel)
    }
}

impl Drop for Repo {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The release or debug binary cargo built, driven over stdio.
struct Binary {
    child: Child,
    stdin: ChildStdin,
    messages: mpsc::Receiver<Value>,
    next_id: i64,
}

impl Binary {
    fn start(root: &Path) -> Binary {
        let mut child = Command::new(env!("CARGO_BIN_EXE_execplan-ls"))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take().unwrap();
        let messages = support::stdio::messages(child.stdout.take().unwrap());
        let mut binary = Binary {
            child,
            stdin,
            messages,
            next_id: 1,
        };
        let root_uri = file_uri(root);
        binary.request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": root_uri,
                "workspaceFolders": [{ "uri": root_uri, "name": "repo" }],
                "capabilities": {
                    "general": { "positionEncodings": ["utf-16"] },
                    "textDocument": { "publishDiagnostics": { "versionSupport": true } }
                }
            }),
        );
        binary.notify("initialized", json!({}));
        binary
    }

    fn send(&mut self, message: &Value) {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        self.wait(|m| m["id"] == id && m.get("method").is_none())["result"].clone()
    }

    /// The first message `wanted` accepts; the server's own requests are
    /// answered on the way.
    fn wait(&mut self, wanted: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let message = self
                .messages
                .recv_timeout(left)
                .expect("the server did not answer in time");
            if message.get("id").is_some() && message.get("method").is_some() {
                let id = message["id"].clone();
                self.send(&json!({ "jsonrpc": "2.0", "id": id, "result": null }));
                continue;
            }
            if wanted(&message) {
                return message;
            }
        }
    }

    /// Waits for the index's closing log line.
    fn indexed(&mut self) {
        self.wait(|m| {
            m["method"] == "window/logMessage"
                && m["params"]["message"]
                    .as_str()
                    .is_some_and(|t| t.contains("plans found"))
        });
    }

    fn open(&mut self, uri: &str, version: i64, text: &str) -> Vec<(String, String)> {
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": "markdown", "version": version, "text": text } }),
        );
        let push = self.wait(|m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && m["params"]["version"] == version
        });
        let mut found: Vec<(String, String)> = push["params"]["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                (
                    d["code"].as_str().unwrap().to_string(),
                    d["message"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        found.sort();
        found
    }

    /// Closes the document and lets the index read it from disk again.
    fn close(&mut self, uri: &str) {
        self.notify(
            "textDocument/didClose",
            json!({ "textDocument": { "uri": uri } }),
        );
        self.wait(|m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && m["params"]["diagnostics"] == json!([])
        });
        // The index reads the plan again off the message thread; a
        // workspace/symbol request is answered once that is done only by
        // luck, so give it a moment.
        std::thread::sleep(Duration::from_millis(300));
    }

    fn stop(mut self) {
        self.request("shutdown", Value::Null);
        self.notify("exit", Value::Null);
        let _ = self.child.wait();
    }
}

/// What `execplan-ls check` finds in the plan on disk now: a fresh check.
fn checked(repo: &Repo) -> Vec<(String, String)> {
    let out = Command::new(env!("CARGO_BIN_EXE_execplan-ls"))
        .current_dir(&repo.dir)
        .args([
            "check",
            "--no-cache",
            "--format",
            "json",
            ".agent/plans/cache.md",
        ])
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut found: Vec<(String, String)> = report["files"][0]["diagnostics"]
        .as_array()
        .unwrap_or(&Vec::new())
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    found.sort();
    found
}

fn codes(found: &[(String, String)]) -> Vec<&str> {
    found.iter().map(|(c, _)| c.as_str()).collect()
}

fn mentions(found: &[(String, String)], code: &str, text: &str) -> bool {
    found.iter().any(|(c, m)| c == code && m.contains(text))
}

#[test]
fn a_plan_opened_again_never_gets_stale_findings() {
    let repo = Repo::new();
    let uri = file_uri(&repo.path(".agent/plans/cache.md"));
    let mut server = Binary::start(&repo.dir);
    server.indexed();
    let version = std::cell::Cell::new(1);
    let next = || {
        version.set(version.get() + 1);
        version.get()
    };
    // As indexed: the missing path, the unstamped item, Risks missing.
    let first = server.open(&uri, 1, PLAN);
    assert!(mentions(&first, "EP503", "src/later.rs"), "{first:?}");
    assert!(codes(&first).contains(&"EP203"), "{first:?}");
    assert!(mentions(&first, "EP102", "Risks"), "{first:?}");
    assert_eq!(first, checked(&repo));
    // Closed (the index reads the plan again), `change` made, opened again.
    let reopen = |server: &mut Binary, text: &str, change: &dyn Fn()| {
        server.close(&uri);
        change();
        server.open(&uri, next(), text)
    };
    assert_eq!(reopen(&mut server, PLAN, &|| {}), first);

    // Another text than the one on disk.
    let stamped = PLAN.replace("- [x] Wrote", "- [x] (2026-11-20 09:30Z) Wrote");
    let found = reopen(&mut server, &stamped, &|| {});
    assert!(!codes(&found).contains(&"EP203"), "{found:?}");
    assert!(codes(&found).contains(&"EP503"), "{found:?}");

    // The configuration file, written without telling the server.
    let found = reopen(&mut server, PLAN, &|| {
        repo.write(".execplan.toml", "[rules]\nEP203 = \"off\"\n")
    });
    assert!(!codes(&found).contains(&"EP203"), "{found:?}");
    assert_eq!(found, checked(&repo));
    let found = reopen(&mut server, PLAN, &|| {
        std::fs::remove_file(repo.path(".execplan.toml")).unwrap()
    });
    assert!(codes(&found).contains(&"EP203"), "{found:?}");

    // The editor's settings, while the plan is closed.
    let found = reopen(&mut server, PLAN, &|| {});
    assert_eq!(found, first);
    server.close(&uri);
    server.notify(
        "workspace/didChangeConfiguration",
        json!({ "settings": { "execplan": { "rules": { "EP503": "off" } } } }),
    );
    let found = server.open(&uri, next(), PLAN);
    assert!(!codes(&found).contains(&"EP503"), "{found:?}");
    server.close(&uri);
    server.notify(
        "workspace/didChangeConfiguration",
        json!({ "settings": { "execplan": { "rules": { "EP503": "info" } } } }),
    );
    let found = server.open(&uri, next(), PLAN);
    assert!(codes(&found).contains(&"EP503"), "{found:?}");

    // The team's skeleton, rewritten on disk.
    let found = reopen(&mut server, PLAN, &|| {
        repo.write(".agent/PLANS.md", &skeleton("Rollback"))
    });
    assert!(mentions(&found, "EP102", "Rollback"), "{found:?}");
    assert!(!mentions(&found, "EP102", "Risks"), "{found:?}");
    assert_eq!(found, checked(&repo));

    // AGENTS.md names the other PLANS.md.
    let found = reopen(&mut server, PLAN, &|| {
        repo.write("AGENTS.md", "# Agents\n\nPlans follow `docs/PLANS.md`.\n")
    });
    assert!(mentions(&found, "EP102", "Rollout"), "{found:?}");
    assert!(!mentions(&found, "EP102", "Rollback"), "{found:?}");
    assert_eq!(found, checked(&repo));

    // The path the plan names appears. The server's memory of what paths
    // resolve to lasts two seconds (`workspace::PathCache`); an editor
    // reports the new file, as here, which clears it.
    let found = reopen(&mut server, PLAN, &|| {});
    assert!(codes(&found).contains(&"EP503"), "{found:?}");
    server.close(&uri);
    repo.write("src/later.rs", "#[test]\nfn cached() {}\n");
    server.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": [{ "uri": file_uri(&repo.path("src/later.rs")), "type": 1 }] }),
    );
    let found = server.open(&uri, next(), PLAN);
    assert!(!codes(&found).contains(&"EP503"), "{found:?}");
    assert_eq!(found, checked(&repo));
    server.stop();
}
