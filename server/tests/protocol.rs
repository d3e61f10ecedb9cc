//! The server through the protocol, as an editor drives it.

mod support;

use serde_json::{Value, json};
use support::{Client, PLAN, codes};

const URI: &str = "file:///work/repo/.agent/plans/cache.md";

fn push_client() -> Value {
    json!({ "general": { "positionEncodings": ["utf-16"] } })
}

/// A push client that takes code action literals and versioned edits, as
/// the editors the project supports do.
fn editor_client() -> Value {
    json!({
        "general": { "positionEncodings": ["utf-16"] },
        "workspace": { "workspaceEdit": { "documentChanges": true } },
        "textDocument": { "codeAction": { "isPreferredSupport": true, "codeActionLiteralSupport": { "codeActionKind": { "valueSet": ["quickfix", "refactor", "source"] } } } }
    })
}

fn change_at(line: u64, from: u64, to: u64, text: &str) -> Value {
    json!([{ "range": { "start": { "line": line, "character": from }, "end": { "line": line, "character": to } }, "text": text }])
}

#[tokio::test]
async fn initialize_advertises_incremental_sync_and_negotiates_encoding() {
    let (client, answer) = Client::start(
        json!({ "general": { "positionEncodings": ["utf-8", "utf-16"] } }),
        None,
    )
    .await;
    let caps = &answer["capabilities"];
    assert_eq!(caps["positionEncoding"], "utf-8");
    assert_eq!(caps["textDocumentSync"]["change"], 2, "incremental");
    assert_eq!(caps["textDocumentSync"]["openClose"], true);
    assert_eq!(answer["serverInfo"]["name"], "execplan-ls");
    client.shutdown().await;

    let (client, answer) = Client::start(json!({}), None).await;
    assert_eq!(answer["capabilities"]["positionEncoding"], "utf-16");
    assert!(
        answer["capabilities"]["diagnosticProvider"].is_null(),
        "push-only clients get pushes"
    );
    client.shutdown().await;
}

#[tokio::test]
async fn diagnostics_follow_edits_with_versions() {
    let (mut client, _) = Client::start(push_client(), None).await;
    let clean = PLAN;
    client.open(URI, 1, clean).await;
    let first = client.diagnostics(URI, 1).await;
    let serious: Vec<_> = first
        .iter()
        .filter(|d| d["severity"].as_u64() <= Some(2))
        .collect();
    assert!(
        serious.is_empty(),
        "a canonical plan has no errors or warnings: {first:?}"
    );

    // Uncheck-to-check without a stamp: "- [ ] Measure it." -> "- [x] Measure it."
    client.change(URI, 2, change_at(11, 3, 4, "x")).await;
    let second = client.diagnostics(URI, 2).await;
    assert_eq!(codes(&second), [("EP203".to_string(), 11, 2)]);
    assert_eq!(second[0]["source"], "execplan-ls");
    assert_eq!(second[0]["severity"], 2);

    // Stamp it by typing.
    client
        .change(URI, 3, change_at(11, 6, 6, "(2026-01-05 11:00Z) "))
        .await;
    assert!(
        codes(&client.diagnostics(URI, 3).await)
            .iter()
            .all(|(c, _, _)| c != "EP203")
    );

    // Delete the Decision Log heading and entry: lines 18 to 23.
    client
        .change(URI, 4, json!([{ "range": { "start": { "line": 18, "character": 0 }, "end": { "line": 24, "character": 0 } }, "text": "" }]))
        .await;
    let fourth = client.diagnostics(URI, 4).await;
    assert!(
        codes(&fourth).contains(&("EP101".to_string(), 0, 0)),
        "{fourth:?}"
    );
    client.shutdown().await;
}

#[tokio::test]
async fn stale_unknown_and_out_of_range_changes_leave_the_server_running() {
    let (mut client, _) = Client::start(push_client(), None).await;
    client.open(URI, 5, PLAN).await;
    client.diagnostics(URI, 5).await;
    // A stale version is ignored: the text stays as it was.
    client.change(URI, 4, change_at(11, 3, 4, "x")).await;
    // A change for a document that is not open.
    client
        .change("file:///nowhere/plan.md", 2, change_at(0, 0, 0, "x"))
        .await;
    // A position far past the end is clamped to the end.
    client
        .change(URI, 6, change_at(999, 999, 999, "\n- [x] Appended.\n"))
        .await;
    let after = client.diagnostics(URI, 6).await;
    let found = codes(&after);
    // The stale edit did not apply (line 11 is still unchecked), the clamped one did.
    assert!(!found.contains(&("EP203".to_string(), 11, 2)), "{found:?}");
    assert!(
        found.iter().any(|(c, _, _)| c == "EP202" || c == "EP203"),
        "{found:?}"
    );
    // Still answering requests.
    client.shutdown().await;
}

#[tokio::test]
async fn only_plans_get_diagnostics() {
    let (mut client, _) = Client::start(push_client(), None).await;
    let notes = "file:///work/repo/notes/todo.md";
    client.open(notes, 1, "# Todo\n\n- [x] buy milk\n").await;
    let published = client.any_publish(notes).await;
    assert_eq!(published["diagnostics"], json!([]));
    let plans_md = "file:///work/repo/.agent/PLANS.md";
    client.open(plans_md, 1, "# How to write plans\n\nAn ExecPlan is a living document.\n\n## Progress\n\n## Decision Log\n").await;
    let published = client.any_publish(plans_md).await;
    assert_eq!(published["diagnostics"], json!([]));
    // A plan outside the plan folders is recognised by its content.
    let elsewhere = "file:///work/repo/design/cache.md";
    client
        .open(
            elsewhere,
            1,
            &PLAN.replace("- [ ] Measure it.", "- [x] Measure it."),
        )
        .await;
    assert!(
        codes(&client.diagnostics(elsewhere, 1).await)
            .iter()
            .any(|(c, _, _)| c == "EP203")
    );
    client.shutdown().await;
}

#[tokio::test]
async fn pull_clients_are_answered_and_not_pushed() {
    let (mut client, answer) = Client::start(
        json!({ "textDocument": { "diagnostic": { "dynamicRegistration": false } } }),
        None,
    )
    .await;
    assert!(answer["capabilities"]["diagnosticProvider"].is_object());
    client
        .open(
            URI,
            1,
            &PLAN.replace("- [ ] Measure it.", "- [x] Measure it."),
        )
        .await;
    let report = client
        .request(
            "textDocument/diagnostic",
            json!({ "textDocument": { "uri": URI } }),
        )
        .await;
    assert_eq!(report["kind"], "full");
    let items = report["items"].as_array().unwrap();
    assert_eq!(codes(items), [("EP203".to_string(), 11, 2)]);
    assert!(
        client
            .notifications
            .iter()
            .all(|n| n["method"] != "textDocument/publishDiagnostics"),
        "{:?}",
        client.notifications
    );
    client.shutdown().await;
}

#[tokio::test]
async fn columns_follow_the_negotiated_encoding() {
    // An emoji before the stamp: 4 bytes in UTF-8, 2 units in UTF-16.
    let text = PLAN.replace(
        "- [x] (2026-01-05 10:00Z) Wrote the cache.",
        "- [x] Wrote 😀 (2026-01-05 10:00)",
    );
    for (encoding, column) in [("utf-8", 17), ("utf-16", 15)] {
        let (mut client, _) = Client::start(
            json!({ "general": { "positionEncodings": [encoding] } }),
            None,
        )
        .await;
        client.open(URI, 1, &text).await;
        let found = codes(&client.diagnostics(URI, 1).await);
        assert!(
            found.contains(&("EP204".to_string(), 10, column)),
            "{encoding}: {found:?}"
        );
        client.shutdown().await;
    }
}

#[tokio::test]
async fn initialization_options_configure_rules() {
    let (mut client, _) = Client::start(
        push_client(),
        Some(json!({ "rules": { "EP101": "off", "EP203": "error" } })),
    )
    .await;
    let text = PLAN.replace("## Decision Log\n\n- Decision: Use an LRU.\n  Rationale: Bounded memory.\n  Date/Author: 2026-01-05 / Ada\n\n", "").replace("- [ ] Measure it.", "- [x] Measure it.");
    client.open(URI, 1, &text).await;
    let diagnostics = client.diagnostics(URI, 1).await;
    assert!(
        codes(&diagnostics).iter().all(|(c, _, _)| c != "EP101"),
        "{diagnostics:?}"
    );
    let ep203 = diagnostics
        .iter()
        .find(|d| d["code"] == "EP203")
        .expect("EP203");
    assert_eq!(ep203["severity"], 1);
    // The same keys through didChangeConfiguration.
    client
        .notify(
            "workspace/didChangeConfiguration",
            json!({ "settings": { "execplan": { "rules": { "EP203": "off" } } } }),
        )
        .await;
    let diagnostics = client.diagnostics(URI, 1).await;
    assert!(
        codes(&diagnostics).iter().all(|(c, _, _)| c != "EP203"),
        "{diagnostics:?}"
    );
    client.shutdown().await;
}

#[tokio::test]
async fn closing_clears_diagnostics_and_malformed_input_is_survived() {
    let (mut client, _) = Client::start(push_client(), None).await;
    client
        .open(
            URI,
            1,
            &PLAN.replace("- [ ] Measure it.", "- [x] Measure it."),
        )
        .await;
    assert!(!client.diagnostics(URI, 1).await.is_empty());
    client
        .notify(
            "textDocument/didClose",
            json!({ "textDocument": { "uri": URI } }),
        )
        .await;
    let cleared = client.any_publish(URI).await;
    assert_eq!(cleared["diagnostics"], json!([]));
    // Unknown methods get an error answer; the server stays up.
    let answer = client.request_raw("execplan/nonsense", json!({})).await;
    assert!(answer.get("error").is_some(), "{answer}");
    // Invalid UTF-8 cannot reach us through JSON; nonsense text can.
    client
        .open(URI, 2, "\u{0}\u{feff}```\n# \n- [\n|a|\n")
        .await;
    client.any_publish(URI).await;
    client.shutdown().await;
}

/// Applies a workspace edit's text edits (UTF-16 positions) to `text`.
fn apply(text: &str, edit: &Value) -> String {
    use execplan_ls::text::{PositionEncoding, TextPosition, position_to_offset};
    let rope = ropey::Rope::from_str(text);
    let changes = edit["documentChanges"][0]["edits"]
        .as_array()
        .expect("document changes");
    let mut spans: Vec<(usize, usize, String)> = changes
        .iter()
        .map(|e| {
            let at = |p: &Value| {
                let pos = TextPosition::new(
                    p["line"].as_u64().unwrap() as u32,
                    p["character"].as_u64().unwrap() as u32,
                );
                position_to_offset(&rope, pos, PositionEncoding::Utf16)
            };
            (
                at(&e["range"]["start"]),
                at(&e["range"]["end"]),
                e["newText"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    spans.sort();
    let mut out = text.to_string();
    for (start, end, new) in spans.into_iter().rev() {
        out.replace_range(start..end, &new);
    }
    out
}

async fn actions_at(client: &mut Client, uri: &str, line: u64, character: u64) -> Vec<Value> {
    let answer = client
        .request(
            "textDocument/codeAction",
            json!({
                "textDocument": { "uri": uri },
                "range": { "start": { "line": line, "character": character }, "end": { "line": line, "character": character } },
                "context": { "diagnostics": [] }
            }),
        )
        .await;
    answer.as_array().cloned().unwrap_or_default()
}

#[tokio::test]
async fn mark_done_stamps_the_item_with_the_current_utc_time() {
    let (mut client, answer) = Client::start(editor_client(), None).await;
    assert!(answer["capabilities"]["codeActionProvider"].is_object());
    client.open(URI, 1, PLAN).await;
    client.diagnostics(URI, 1).await;
    let actions = actions_at(&mut client, URI, 11, 8).await;
    let mark = actions
        .iter()
        .find(|a| a["title"].as_str().unwrap().starts_with("Mark done"))
        .expect("Mark done offered");
    assert_eq!(
        mark["edit"]["documentChanges"][0]["textDocument"]["version"],
        1
    );
    let before = jiff::Timestamp::now();
    let out = apply(PLAN, &mark["edit"]);
    let line = out.lines().nth(11).unwrap();
    let stamp = &line["- [x] (".len().."- [x] (".len() + 16];
    let stamped: jiff::Timestamp = format!("{}:00Z", stamp.replace(' ', "T")).parse().unwrap();
    assert!(
        line.starts_with("- [x] (") && line.ends_with("Z) Measure it."),
        "{line}"
    );
    assert!(
        (stamped.as_second() - before.as_second()).abs() < 120,
        "{line} is not now"
    );
    // Only that line changed.
    let changed = PLAN
        .lines()
        .zip(out.lines())
        .filter(|(a, b)| a != b)
        .count();
    assert_eq!(changed, 1);
    client.shutdown().await;
}

#[tokio::test]
async fn quick_fixes_are_attached_to_their_diagnostics() {
    let (mut client, _) = Client::start(editor_client(), None).await;
    let text = PLAN.replace("## Decision Log", "## Decision log");
    client.open(URI, 1, &text).await;
    let diagnostics = client.diagnostics(URI, 1).await;
    let ep104 = diagnostics
        .iter()
        .find(|d| d["code"] == "EP104")
        .expect("EP104");
    let line = ep104["range"]["start"]["line"].as_u64().unwrap();
    let actions = actions_at(&mut client, URI, line, 5).await;
    let rename = actions
        .iter()
        .find(|a| a["kind"] == "quickfix")
        .expect("a quick fix");
    assert_eq!(rename["isPreferred"], true);
    assert_eq!(rename["diagnostics"][0]["code"], "EP104");
    assert_eq!(apply(&text, &rename["edit"]), PLAN);
    client.shutdown().await;
}

#[tokio::test]
async fn disable_for_this_line_is_offered_beside_the_fix_and_silences_it() {
    let (mut client, _) = Client::start(editor_client(), None).await;
    let text = PLAN.replace("## Decision Log", "## Decision log");
    client.open(URI, 1, &text).await;
    let diagnostics = client.diagnostics(URI, 1).await;
    let line = diagnostics
        .iter()
        .find(|d| d["code"] == "EP104")
        .expect("EP104")["range"]["start"]["line"]
        .as_u64()
        .unwrap();
    let actions = actions_at(&mut client, URI, line, 5).await;
    let disable = actions
        .iter()
        .find(|a| a["title"] == "Disable EP104 for this line")
        .expect("Disable EP104 offered");
    assert_eq!(disable["kind"], "quickfix");
    assert_eq!(disable["isPreferred"], false);
    assert_eq!(disable["diagnostics"][0]["code"], "EP104");
    let silenced = apply(&text, &disable["edit"]);
    assert_eq!(
        silenced,
        text.replace(
            "## Decision log",
            "<!-- execplan-ls-disable-next-line EP104 -->\n## Decision log"
        )
    );
    client.change(URI, 2, json!([{ "text": silenced }])).await;
    let after = client.diagnostics(URI, 2).await;
    assert!(
        after
            .iter()
            .all(|d| d["code"] != "EP104" && d["code"] != "EP001"),
        "{after:?}"
    );
    client.shutdown().await;
}

#[tokio::test]
async fn fix_all_in_the_editor_equals_check_fix_on_disk() {
    let messy = PLAN
        .replace("## Decision Log", "## Decision log")
        .replace("## Plan of Work\n\n", "## Plan of Work\n")
        .replace("Run the tests.", "Run the tests:\n```sh\ncargo test\n```")
        .replace("- [x] (2026-01-05 10:00Z)", "- [x] 2026-01-05T02:00-08:00");
    let (mut client, _) = Client::start(editor_client(), None).await;
    client.open(URI, 1, &messy).await;
    client.diagnostics(URI, 1).await;
    let answer = client
        .request(
            "textDocument/codeAction",
            json!({
                "textDocument": { "uri": URI },
                "range": { "start": { "line": 0, "character": 0 }, "end": { "line": 0, "character": 0 } },
                "context": { "diagnostics": [], "only": ["source.fixAll"] }
            }),
        )
        .await;
    let actions = answer.as_array().cloned().unwrap_or_default();
    assert_eq!(actions.len(), 1, "{actions:?}");
    assert_eq!(actions[0]["kind"], "source.fixAll.execplan");
    let in_editor = apply(&messy, &actions[0]["edit"]);
    client.shutdown().await;

    let dir = std::env::temp_dir().join(format!("execplan-ls-fixall-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join(".git")).unwrap();
    std::fs::create_dir_all(dir.join(".agent/plans")).unwrap();
    let file = dir.join(".agent/plans/cache.md");
    std::fs::write(&file, &messy).unwrap();
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_execplan-ls"))
        .args(["check", "--fix"])
        .arg(&file)
        .output()
        .unwrap();
    let on_disk = std::fs::read_to_string(&file).unwrap();
    assert_eq!(in_editor, on_disk);
    assert_eq!(
        on_disk,
        PLAN.replace("Run the tests.", "Run the tests:\n\n    cargo test")
    );
    assert_eq!(
        status.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&status.stdout)
    );
}

#[tokio::test]
async fn completion_after_hashes_lists_exactly_the_missing_sections() {
    let capabilities = json!({ "textDocument": { "completion": { "completionItem": { "snippetSupport": true } } } });
    let (mut client, answer) = Client::start(capabilities, None).await;
    assert!(answer["capabilities"]["completionProvider"].is_object());
    // Drop Surprises and Outcomes, and type `## ` where Surprises belongs.
    let text = PLAN
        .replace("## Surprises & Discoveries\n\nNone yet.\n\n", "## \n\n")
        .replace("## Outcomes & Retrospective\n\nNone yet.\n\n", "");
    client.open(URI, 1, &text).await;
    let line = text.lines().position(|l| l == "## ").unwrap() as u64;
    let items = client
        .request(
            "textDocument/completion",
            json!({ "textDocument": { "uri": URI }, "position": { "line": line, "character": 3 } }),
        )
        .await;
    let mut items = items.as_array().cloned().unwrap();
    items.sort_by_key(|i| i["sortText"].as_str().unwrap().to_string());
    let labels: Vec<&str> = items.iter().map(|i| i["label"].as_str().unwrap()).collect();
    assert_eq!(
        labels,
        ["## Surprises & Discoveries", "## Outcomes & Retrospective"]
    );
    assert_eq!(
        items[0]["insertTextFormat"], 2,
        "snippets when the client supports them"
    );
    let new_text = items[0]["textEdit"]["newText"].as_str().unwrap();
    // The body the EP101 fix inserts too, selected so typing replaces it.
    assert_eq!(new_text, "## Surprises & Discoveries\n\n${0:None yet.}");
    client.shutdown().await;
}

/// Applies a `changes` workspace edit (UTF-16 positions) to `text`.
fn apply_changes(text: &str, edit: &Value, uri: &str) -> String {
    let edits = edit["changes"][uri].clone();
    assert!(edits.is_array(), "plain `changes` for {uri}: {edit}");
    assert!(edit.get("documentChanges").is_none(), "{edit}");
    apply(text, &json!({ "documentChanges": [{ "edits": edits }] }))
}

#[tokio::test]
async fn a_client_without_code_action_literals_gets_commands_that_edit_through_apply_edit() {
    let capabilities = json!({ "workspace": { "applyEdit": true } });
    let (mut client, answer) = Client::start(capabilities, None).await;
    assert_eq!(answer["capabilities"]["codeActionProvider"], true);
    let commands = answer["capabilities"]["executeCommandProvider"]["commands"].clone();
    client.open(URI, 1, PLAN).await;
    client.diagnostics(URI, 1).await;
    let actions = actions_at(&mut client, URI, 11, 8).await;
    assert!(!actions.is_empty());
    for action in &actions {
        assert!(
            action.get("edit").is_none() && action.get("kind").is_none(),
            "a Command: {action}"
        );
        assert!(
            commands.as_array().unwrap().contains(&action["command"]),
            "{action}"
        );
    }
    let mark = actions
        .iter()
        .find(|a| a["title"].as_str().unwrap().starts_with("Mark done"))
        .expect("Mark done offered")
        .clone();
    // Running the command has the server send the edit back to apply.
    let id = 900;
    client
        .send(json!({ "jsonrpc": "2.0", "id": id, "method": "workspace/executeCommand", "params": { "command": mark["command"], "arguments": mark["arguments"] } }))
        .await;
    let apply_request = loop {
        let message = client.read().await;
        if message["method"] == "workspace/applyEdit" {
            break message;
        }
        if message.get("method").is_some() && message.get("id").is_none() {
            client.notifications.push(message);
        }
    };
    let out = apply_changes(PLAN, &apply_request["params"]["edit"], URI);
    let line = out.lines().nth(11).unwrap();
    assert!(
        line.starts_with("- [x] (") && line.ends_with("Z) Measure it."),
        "{line}"
    );
    client
        .send(json!({ "jsonrpc": "2.0", "id": apply_request["id"], "result": { "applied": true } }))
        .await;
    loop {
        let message = client.read().await;
        if message["id"] == id {
            assert_eq!(message["result"], Value::Null, "{message}");
            break;
        }
        if message.get("method").is_some() && message.get("id").is_none() {
            client.notifications.push(message);
        }
    }
    client.shutdown().await;
}

#[tokio::test]
async fn a_client_without_markdown_gets_plain_text_hovers() {
    let capabilities = json!({ "textDocument": { "hover": { "contentFormat": ["plaintext"] } } });
    let (mut client, _) = Client::start(capabilities, None).await;
    let text = PLAN.replace("- [x] (2026-01-05 10:00Z) Wrote", "- [x] Wrote");
    client.open(URI, 1, &text).await;
    client.diagnostics(URI, 1).await;
    let hover = client
        .request(
            "textDocument/hover",
            json!({ "textDocument": { "uri": URI }, "position": { "line": 10, "character": 4 } }),
        )
        .await;
    assert_eq!(hover["contents"]["kind"], "plaintext");
    let value = hover["contents"]["value"].as_str().unwrap();
    assert!(
        value.starts_with("EP203 unstamped-completed-item (default: warning)"),
        "{value}"
    );
    assert!(
        !value.contains("**") && !value.contains('`'),
        "no Markdown markup: {value}"
    );
    client.shutdown().await;
}
