//! Bad input, each case through the real server (in-process, over a pipe)
//! or the command line: the server answers or ignores as the protocol says,
//! stays up, and keeps its documents intact.

mod support;

use std::process::Command;
use std::time::Duration;

use serde_json::{Value, json};
use support::{Client, PLAN, codes};

const URI: &str = "file:///nonexistent-bad-input/repo/.agent/plans/cache.md";

fn push() -> Value {
    json!({ "general": { "positionEncodings": ["utf-16"] } })
}

/// The server still answers, and still holds `URI` with the canonical plan:
/// completion on the last line sees the plan's sections.
async fn still_serving(client: &mut Client) {
    let symbols = client
        .request(
            "textDocument/documentSymbol",
            json!({ "textDocument": { "uri": URI } }),
        )
        .await;
    assert_eq!(symbols[0]["name"], "Add a cache", "{symbols}");
}

#[tokio::test]
async fn a_5_mb_plan_and_a_1_mb_line_are_checked() {
    let (mut client, _) = Client::start(push(), None).await;
    // 5 MB: the canonical plan with a very long Context section.
    let paragraph =
        "The service answers queries from a store; each answer is computed again. ".repeat(20);
    let mut big = PLAN.replace(
        "The server lives in the `server` folder.",
        &format!("{paragraph}\n\n").repeat(5_000_000 / (paragraph.len() + 2) + 1),
    );
    big.push('\n');
    assert!(big.len() > 5_000_000);
    client.open(URI, 1, &big).await;
    let found = client.diagnostics(URI, 1).await;
    let serious: Vec<_> = found
        .iter()
        .filter(|d| d["severity"].as_u64() <= Some(2))
        .map(|d| d["message"].as_str().unwrap_or(""))
        .collect();
    assert!(serious.is_empty(), "{serious:?}");

    // One line of 1 MB.
    let long_line = PLAN.replace("Add the cache.", &"word ".repeat(200_000));
    client.open(URI, 2, &long_line).await;
    client.diagnostics(URI, 2).await;
    // Edit at its end.
    let line = long_line
        .lines()
        .position(|l| l.starts_with("word word"))
        .unwrap();
    client
        .change(URI, 3, json!([{ "range": { "start": { "line": line, "character": 1_000_000 }, "end": { "line": line, "character": 1_000_000 } }, "text": "!" }]))
        .await;
    client.diagnostics(URI, 3).await;
    client.open(URI, 4, PLAN).await;
    still_serving(&mut client).await;
    client.shutdown().await;
}

#[tokio::test]
async fn ten_thousand_nested_list_levels_do_not_overflow() {
    let (mut client, _) = Client::start(push(), None).await;
    // Ten thousand levels on one line each (`- - - … x`, `> > > … x`), and a
    // thousand by indentation (a megabyte: each level indents further).
    let mut nested = PLAN.replace("Add the cache.", "");
    nested.push_str(&"- ".repeat(10_000));
    nested.push_str("deep\n\n");
    nested.push_str(&"> ".repeat(10_000));
    nested.push_str("deep\n\n");
    for depth in 0..1_000 {
        nested.push_str(&"  ".repeat(depth));
        nested.push_str("- level\n");
    }
    client.open(URI, 1, &nested).await;
    client.diagnostics(URI, 1).await;
    let symbols = client
        .request(
            "textDocument/documentSymbol",
            json!({ "textDocument": { "uri": URI } }),
        )
        .await;
    assert!(symbols.is_array());
    client
        .request(
            "textDocument/foldingRange",
            json!({ "textDocument": { "uri": URI } }),
        )
        .await;
    client.open(URI, 2, PLAN).await;
    still_serving(&mut client).await;
    client.shutdown().await;
}

#[tokio::test]
async fn crlf_and_lone_cr_count_lines_as_the_protocol_says() {
    let (mut client, _) = Client::start(push(), None).await;
    let defect = PLAN.replace("- [ ] Measure it.", "- [x] Measure it.");
    // EP203 is on line 11 (0-based) whatever the line endings.
    for (version, ending) in [(1, "\r\n"), (2, "\r")] {
        client
            .open(URI, version, &defect.replace('\n', ending))
            .await;
        let found = codes(&client.diagnostics(URI, version).await);
        assert!(
            found.contains(&("EP203".to_string(), 11, 2)),
            "{ending:?}: {found:?}"
        );
    }
    // An edit on a CRLF document lands on the right line.
    client.open(URI, 3, &defect.replace('\n', "\r\n")).await;
    client.diagnostics(URI, 3).await;
    client
        .change(URI, 4, json!([{ "range": { "start": { "line": 11, "character": 3 }, "end": { "line": 11, "character": 4 } }, "text": " " }]))
        .await;
    let found = codes(&client.diagnostics(URI, 4).await);
    assert!(!found.iter().any(|(c, _, _)| c == "EP203"), "{found:?}");
    client.shutdown().await;
}

#[tokio::test]
async fn out_of_order_versions_and_unknown_documents_change_nothing() {
    let (mut client, _) = Client::start(push(), None).await;
    client.open(URI, 5, PLAN).await;
    client.diagnostics(URI, 5).await;
    // An older version, and a change to a document never opened.
    client
        .change(URI, 3, json!([{ "range": { "start": { "line": 0, "character": 0 }, "end": { "line": 0, "character": 7 } }, "text": "" }]))
        .await;
    client
        .change("file:///never/opened.md", 2, json!([{ "text": "# x" }]))
        .await;
    client
        .notify(
            "textDocument/didClose",
            json!({ "textDocument": { "uri": "file:///never/opened.md" } }),
        )
        .await;
    still_serving(&mut client).await;
    client.shutdown().await;
}

#[tokio::test]
async fn malformed_messages_and_unknown_methods_get_errors() {
    let (mut client, _) = Client::start(push(), None).await;
    client.open(URI, 1, PLAN).await;
    client.diagnostics(URI, 1).await;
    // A request with parameters of the wrong shape.
    let answer = client
        .request_raw("textDocument/hover", json!({ "textDocument": 42 }))
        .await;
    assert_eq!(answer["error"]["code"], -32602, "invalid params: {answer}");
    // An unknown request.
    let answer = client.request_raw("execplan/nonsense", json!({})).await;
    assert_eq!(
        answer["error"]["code"], -32601,
        "method not found: {answer}"
    );
    // A notification with nonsense parameters and an unknown notification.
    client
        .notify("textDocument/didChange", json!({ "nonsense": true }))
        .await;
    client
        .notify("execplan/unknownNotification", json!([1, 2]))
        .await;
    still_serving(&mut client).await;
    client.shutdown().await;
}

#[tokio::test]
async fn a_cancelled_request_is_answered_and_the_server_goes_on() {
    let (mut client, _) = Client::start(push(), None).await;
    client.open(URI, 1, PLAN).await;
    client.diagnostics(URI, 1).await;
    // Send a request and cancel it at once; the answer is either the result
    // or the protocol's RequestCancelled error, never nothing.
    let id = 9_999;
    client
        .send(json!({ "jsonrpc": "2.0", "id": id, "method": "textDocument/documentSymbol", "params": { "textDocument": { "uri": URI } } }))
        .await;
    client.notify("$/cancelRequest", json!({ "id": id })).await;
    let answer = tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            let message = client.read().await;
            if message["id"] == id {
                return message;
            }
        }
    })
    .await
    .expect("the cancelled request is answered");
    assert!(
        answer.get("result").is_some() || answer["error"]["code"] == -32800,
        "{answer}"
    );
    still_serving(&mut client).await;
    client.shutdown().await;
}

#[tokio::test]
async fn a_config_file_that_is_not_toml_is_reported_and_checks_go_on() {
    let root = std::env::temp_dir().join(format!("execplan-bad-config-{}", std::process::id()));
    let plans = root.join(".agent/plans");
    std::fs::create_dir_all(&plans).unwrap();
    std::fs::create_dir_all(root.join(".git")).unwrap();
    std::fs::write(root.join(".execplan.toml"), "this is [not toml\n").unwrap();
    let path = plans.join("cache.md");
    let uri = format!("file://{}", path.display());
    let (mut client, _) = Client::start(push(), None).await;
    client
        .open(
            &uri,
            1,
            &PLAN.replace("- [ ] Measure it.", "- [x] Measure it."),
        )
        .await;
    let found = codes(&client.diagnostics(&uri, 1).await);
    assert!(
        found.iter().any(|(c, _, _)| c == "EP203"),
        "defaults stay in force: {found:?}"
    );
    let shown = loop {
        if let Some(n) = client.take_notifications("window/showMessage").pop() {
            break n;
        }
        let message = client.read().await;
        if message.get("method").is_some() && message.get("id").is_none() {
            client.notifications.push(message);
        }
    };
    let text = shown["params"]["message"].as_str().unwrap();
    assert!(text.contains(".execplan.toml:1:"), "{text}");
    client.shutdown().await;
    std::fs::remove_dir_all(&root).unwrap();
}

#[test]
fn the_cli_survives_invalid_utf8_and_reads_a_bom() {
    let dir = std::env::temp_dir().join(format!("execplan-bad-cli-{}", std::process::id()));
    let plans = dir.join(".agent/plans");
    std::fs::create_dir_all(&plans).unwrap();
    std::fs::write(plans.join("bad.md"), b"# Plan\n\xff\xfe broken\n").unwrap();
    let with_bom = format!(
        "\u{feff}{}",
        PLAN.replace("- [ ] Measure it.", "- [x] Measure it.")
    );
    std::fs::write(plans.join("bom.md"), with_bom).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_execplan-ls"))
        .args(["check", "--format", "short"])
        .arg(&plans)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(2),
        "an unreadable file is an I/O error: {stderr}"
    );
    assert!(
        stderr.contains("bad.md") && stderr.contains("not valid UTF-8"),
        "{stderr}"
    );
    // The BOM plan is still checked, with lines and columns as written.
    assert!(stdout.contains("bom.md:12:3: warning[EP203]"), "{stdout}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_server_ends_promptly_when_the_client_vanishes() {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_execplan-ls"))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let body = json!({ "jsonrpc": "2.0", "id": 1, "method": "initialize", "params": { "capabilities": {} } }).to_string();
    write!(stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
    drop(stdin);
    let started = std::time::Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert_eq!(status.code(), Some(1), "no shutdown was asked for");
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "the server outlived its client"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}
