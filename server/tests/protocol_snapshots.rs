//! Whole answers pinned: `initialize` and one answer per method, for a
//! client that declares every capability the server reads and for one that
//! declares nothing. A change in what any editor receives shows up here as
//! a snapshot diff (`cargo insta review`).

mod support;

use std::path::{Path, PathBuf};

use serde_json::{Value, json};
use support::{Client, file_uri};

/// Lines (0-based): 4 `## Progress`, 6 the stamped item naming
/// `src/lib.rs`, 7 a done item without a stamp (EP203), 8 an open item,
/// 24 `## Milestone 1: Cache`, 28 a `## ` being typed.
const PLAN: &str = "# Add a cache

This ExecPlan is a living document. The sections `Progress`, `Surprises & Discoveries`, `Decision Log`, and `Outcomes & Retrospective` must be kept up to date as work proceeds.

## Progress

- [x] (2026-01-05 10:00Z) Milestone 1: wrote the cache in `src/lib.rs`.
- [x] Milestone 1: tested it.
- [ ] Milestone 2: measure it.

## Surprises & Discoveries

None yet.

## Decision Log

- Decision: Use an LRU.
  Rationale: Bounded memory.
  Date/Author: 2026-01-05 / Ada

## Outcomes & Retrospective

None yet.

## Milestone 1: Cache

Build it.

## 
";

/// Every client capability the server reads, declared.
fn everything() -> Value {
    json!({
        "general": { "positionEncodings": ["utf-8", "utf-16"] },
        "window": { "workDoneProgress": true },
        "workspace": {
            "applyEdit": true,
            "workspaceEdit": { "documentChanges": true },
            "didChangeWatchedFiles": { "dynamicRegistration": true },
            "symbol": { "resolveSupport": { "properties": ["location.range"] } },
            "diagnostics": { "refreshSupport": true }
        },
        "textDocument": {
            "hover": { "contentFormat": ["markdown", "plaintext"] },
            "documentSymbol": { "hierarchicalDocumentSymbolSupport": true },
            "completion": { "completionItem": { "snippetSupport": true } },
            "codeAction": {
                "codeActionLiteralSupport": {
                    "codeActionKind": { "valueSet": ["quickfix", "refactor", "source"] }
                },
                "isPreferredSupport": true
            },
            "documentLink": { "tooltipSupport": true },
            "diagnostic": {},
            "inlayHint": {},
            "codeLens": {}
        }
    })
}

struct Repo(PathBuf);

impl Repo {
    fn new(name: &str) -> Repo {
        let dir = std::env::temp_dir().join(format!("execplan-snap-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        for folder in [".git", ".agent/plans", "src"] {
            std::fs::create_dir_all(dir.join(folder)).unwrap();
        }
        std::fs::write(dir.join("src/lib.rs"), "//! The cache.\n").unwrap();
        std::fs::write(dir.join(".agent/plans/cache.md"), PLAN).unwrap();
        Repo(dir)
    }
}

impl Drop for Repo {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn doc(uri: &str) -> Value {
    json!({ "textDocument": { "uri": uri } })
}

fn at(uri: &str, line: u32, character: u32) -> Value {
    json!({ "textDocument": { "uri": uri }, "position": { "line": line, "character": character } })
}

fn whole(uri: &str) -> Value {
    json!({ "textDocument": { "uri": uri }, "range": { "start": { "line": 0, "character": 0 }, "end": { "line": 30, "character": 0 } } })
}

/// Waits until the workspace index has been built (its log line).
async fn indexed(client: &mut Client) {
    loop {
        let logs = client.take_notifications("window/logMessage");
        if logs.iter().any(|l| {
            l["params"]["message"]
                .as_str()
                .unwrap_or("")
                .contains("plans found")
        }) {
            return;
        }
        let message = client.read().await;
        match (message.get("id"), message.get("method")) {
            (Some(id), Some(_)) => {
                let id = id.clone();
                client
                    .send(json!({ "jsonrpc": "2.0", "id": id, "result": null }))
                    .await;
            }
            (None, Some(_)) => client.notifications.push(message),
            _ => {}
        }
    }
}

/// Every answer of a session, in method order.
async fn session(name: &str, capabilities: Value) -> (Value, PathBuf) {
    let repo = Repo::new(name);
    let options = json!({ "author": "Ada", "timestamp_age_hints": true });
    let (mut client, initialize) = Client::start_in(capabilities, Some(options), &repo.0).await;
    indexed(&mut client).await;
    let uri = file_uri(&repo.0.join(".agent/plans/cache.md"));
    client.open(&uri, 1, PLAN).await;
    let mut answers = serde_json::Map::new();
    let pulls = initialize["capabilities"]["diagnosticProvider"].is_object();
    answers.insert("initialize".into(), initialize);
    let requests = [
        ("textDocument/completion", at(&uri, 28, 3)),
        ("textDocument/codeAction", {
            let mut p = at(&uri, 7, 4);
            p["range"] = json!({ "start": { "line": 7, "character": 4 }, "end": { "line": 7, "character": 4 } });
            p["context"] = json!({ "diagnostics": [] });
            p.as_object_mut().unwrap().remove("position");
            p
        }),
        ("textDocument/documentSymbol", doc(&uri)),
        ("textDocument/foldingRange", doc(&uri)),
        ("textDocument/hover", at(&uri, 7, 3)),
        ("textDocument/codeLens", doc(&uri)),
        ("textDocument/inlayHint", whole(&uri)),
        ("textDocument/documentLink", doc(&uri)),
        ("textDocument/definition", at(&uri, 6, 62)),
        ("workspace/symbol", json!({ "query": "cache" })),
    ];
    for (method, params) in requests {
        answers.insert(method.into(), client.request(method, params).await);
    }
    let command = json!({ "command": "execplan-ls.showProgress", "arguments": [uri] });
    answers.insert(
        "workspace/executeCommand".into(),
        client.request("workspace/executeCommand", command).await,
    );
    answers.insert(
        "window/showMessage (after executeCommand)".into(),
        client.next_notification("window/showMessage").await,
    );
    if pulls {
        answers.insert(
            "textDocument/diagnostic".into(),
            client.request("textDocument/diagnostic", doc(&uri)).await,
        );
        answers.insert(
            "workspace/diagnostic".into(),
            client
                .request("workspace/diagnostic", json!({ "previousResultIds": [] }))
                .await,
        );
    } else {
        answers.insert(
            "textDocument/publishDiagnostics".into(),
            json!(client.diagnostics(&uri, 1).await),
        );
    }
    client.shutdown().await;
    let dir = repo.0.clone();
    (Value::Object(answers), dir)
}

fn snapshot(name: &str, answers: &Value, dir: &Path) {
    let today = jiff::Timestamp::now().strftime("%Y-%m-%d").to_string();
    let filters = vec![
        (
            regex_escape(&dir.display().to_string()),
            "[REPO]".to_string(),
        ),
        (format!(r"{today} \d\d:\d\dZ"), "[NOW]".to_string()),
        (today.clone(), "[TODAY]".to_string()),
        (
            r"\d+ (minute|hour|day|month|year)s? ago".to_string(),
            "[AGE] ago".to_string(),
        ),
        (
            r#""version": "[^"]+""#.to_string(),
            r#""version": "[VERSION]""#.to_string(),
        ),
    ];
    let mut settings = insta::Settings::clone_current();
    for (pattern, replacement) in &filters {
        settings.add_filter(pattern, replacement.as_str());
    }
    settings.bind(|| insta::assert_json_snapshot!(name, answers));
}

fn regex_escape(text: &str) -> String {
    text.chars()
        .flat_map(|c| {
            let special = "\\.+*?()|[]{}^$#&-~".contains(c);
            special.then_some('\\').into_iter().chain([c])
        })
        .collect()
}

#[tokio::test]
async fn a_client_that_declares_everything() {
    let (answers, dir) = session("everything", everything()).await;
    snapshot("everything", &answers, &dir);
}

#[tokio::test]
async fn a_client_that_declares_nothing() {
    let (answers, dir) = session("nothing", json!({})).await;
    snapshot("nothing", &answers, &dir);
}
