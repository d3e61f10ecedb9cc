//! The framing layer, through the real binary over stdio: every kind of
//! malformed frame gets the JSON-RPC answer, the next request is answered,
//! and a plan opened before is still there, symbols and diagnostics, after.

mod support;

use std::io::Write;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use serde_json::{Value, json};
use support::{PLAN, TIMEOUT, codes};

const URI: &str = "file:///nonexistent-transport/repo/.agent/plans/cache.md";

struct Binary {
    child: Child,
    stdin: ChildStdin,
    messages: mpsc::Receiver<Value>,
    next_id: i64,
}

impl Binary {
    fn start() -> Binary {
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
        // Nested symbols, so the plan's sections are the title's children.
        let capabilities = json!({
            "general": { "positionEncodings": ["utf-16"] },
            "textDocument": { "documentSymbol": { "hierarchicalDocumentSymbolSupport": true } }
        });
        binary.request(
            "initialize",
            json!({ "processId": null, "rootUri": null, "capabilities": capabilities }),
        );
        binary.send(&json!({ "jsonrpc": "2.0", "method": "initialized", "params": {} }));
        binary
    }

    fn write(&mut self, bytes: &[u8]) {
        self.stdin.write_all(bytes).unwrap();
        self.stdin.flush().unwrap();
    }

    fn send(&mut self, message: &Value) {
        let body = message.to_string();
        self.write(format!("Content-Length: {}\r\n\r\n{body}", body.len()).as_bytes());
    }

    /// The next message that is not a notification.
    fn next_answer(&mut self) -> Value {
        loop {
            let message = self
                .messages
                .recv_timeout(TIMEOUT)
                .expect("the server answered in time");
            if message.get("id").is_some() {
                return message;
            }
        }
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        let answer = self.next_answer();
        assert_eq!(answer["id"], id, "answers come in order here: {answer}");
        answer
    }

    /// The next diagnostics published for `URI` at `version` or later.
    fn diagnostics(&mut self, version: i64) -> Vec<Value> {
        loop {
            let message = self
                .messages
                .recv_timeout(TIMEOUT)
                .expect("diagnostics in time");
            if message["method"] == "textDocument/publishDiagnostics"
                && message["params"]["uri"] == URI
                && message["params"]["version"].as_i64() >= Some(version)
            {
                return message["params"]["diagnostics"]
                    .as_array()
                    .cloned()
                    .unwrap();
            }
        }
    }

    /// The plan opened at the start is still held, whole.
    fn plan_is_intact(&mut self) {
        let answer = self.request(
            "textDocument/documentSymbol",
            json!({ "textDocument": { "uri": URI } }),
        );
        assert_eq!(answer["result"][0]["name"], "Add a cache", "{answer}");
    }

    /// Asks for the plan's symbols; the answer that comes before theirs, of
    /// which there must be exactly one, goes to `first`.
    fn plan_is_intact_after(&mut self, first: impl Fn(&Value)) {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({ "jsonrpc": "2.0", "id": id, "method": "textDocument/documentSymbol", "params": { "textDocument": { "uri": URI } } }));
        let answer = self.next_answer();
        first(&answer);
        let answer = self.next_answer();
        assert_eq!(answer["id"], id, "{answer}");
        let symbols = &answer["result"];
        assert_eq!(symbols[0]["name"], "Add a cache", "{answer}");
        let sections = symbols[0]["children"].as_array().map_or(0, Vec::len);
        assert!(sections >= 12, "every section is still there: {answer}");
    }
}

/// `frame` as the header and body bytes given.
fn raw(header: &str, body: &[u8]) -> Vec<u8> {
    let mut bytes = header.as_bytes().to_vec();
    bytes.extend_from_slice(body);
    bytes
}

fn with_length(body: &[u8]) -> Vec<u8> {
    raw(&format!("Content-Length: {}\r\n\r\n", body.len()), body)
}

#[test]
fn every_malformed_frame_is_answered_and_the_server_keeps_its_documents() {
    let mut server = Binary::start();
    let defect = PLAN.replace("- [ ] Measure it.", "- [x] Measure it.");
    server.send(&json!({ "jsonrpc": "2.0", "method": "textDocument/didOpen", "params": { "textDocument": { "uri": URI, "languageId": "markdown", "version": 1, "text": defect } } }));
    let before = codes(&server.diagnostics(1));
    assert!(before.iter().any(|(c, _, _)| c == "EP203"), "{before:?}");

    // (what is sent, the error code, the id of the answer)
    let shutdown_in_body = br#"{"jsonrpc":"2.0","id":999,"method":"shutdown"}"#;
    let cases: Vec<(&str, Vec<u8>, i64, Value)> = vec![
        (
            "a body that is not JSON",
            with_length(b"{not json!!}"),
            -32700,
            Value::Null,
        ),
        (
            "JSON that is not an object",
            with_length(b"[1, 2, 3]"),
            -32600,
            Value::Null,
        ),
        (
            "a JSON string",
            with_length(br#""initialize""#),
            -32600,
            Value::Null,
        ),
        (
            "neither method nor id",
            with_length(br#"{"jsonrpc":"2.0","params":{}}"#),
            -32600,
            Value::Null,
        ),
        (
            "an id but no method, result or error",
            with_length(br#"{"jsonrpc":"2.0","id":77}"#),
            -32600,
            json!(77),
        ),
        (
            "a wrong-typed method",
            with_length(br#"{"jsonrpc":"2.0","id":78,"method":42}"#),
            -32600,
            json!(78),
        ),
        (
            "a null method",
            with_length(br#"{"jsonrpc":"2.0","method":null}"#),
            -32600,
            Value::Null,
        ),
        (
            "a fractional id",
            with_length(br#"{"jsonrpc":"2.0","id":1.5,"method":"shutdown"}"#),
            -32600,
            Value::Null,
        ),
        (
            "a wrong JSON-RPC version",
            with_length(br#"{"jsonrpc":"1.0","id":79,"method":"shutdown"}"#),
            -32600,
            json!(79),
        ),
        (
            "a repeated member",
            with_length(br#"{"jsonrpc":"2.0","method":"a","method":"b"}"#),
            -32600,
            Value::Null,
        ),
        (
            "scalar params",
            with_length(br#"{"jsonrpc":"2.0","id":80,"method":"shutdown","params":5}"#),
            -32600,
            json!(80),
        ),
        (
            "invalid UTF-8 in a body",
            with_length(b"{\"jsonrpc\":\"2.0\",\"method\":\"x\xff\xfe\"}"),
            -32700,
            Value::Null,
        ),
        ("an empty body", with_length(b""), -32700, Value::Null),
        (
            "nesting past the JSON limit",
            with_length(
                format!(
                    "{{\"jsonrpc\":\"2.0\",\"method\":\"x\",\"params\":{}{}}}",
                    "[".repeat(300),
                    "]".repeat(300)
                )
                .as_bytes(),
            ),
            -32700,
            Value::Null,
        ),
        (
            "a header without Content-Length",
            raw(
                "Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n",
                shutdown_in_body,
            ),
            -32700,
            Value::Null,
        ),
        (
            "a non-numeric Content-Length",
            raw("Content-Length: forty\r\n\r\n", shutdown_in_body),
            -32700,
            Value::Null,
        ),
        (
            "a negative Content-Length",
            raw("Content-Length: -5\r\n\r\n", shutdown_in_body),
            -32700,
            Value::Null,
        ),
        (
            "a huge Content-Length",
            raw(
                "Content-Length: 99999999999999999999\r\n\r\n",
                shutdown_in_body,
            ),
            -32700,
            Value::Null,
        ),
        (
            "a Content-Length just over 64 MiB",
            raw(
                &format!("Content-Length: {}\r\n\r\n", 64 * 1024 * 1024 + 1),
                shutdown_in_body,
            ),
            -32700,
            Value::Null,
        ),
        (
            "garbage bytes between messages",
            b"\x00\x01garbage from a proxy\xff".to_vec(),
            -32700,
            Value::Null,
        ),
        (
            "a header line that is not a header",
            raw("Content-Length 12\r\n\r\n", b"{not json!!}"),
            -32700,
            Value::Null,
        ),
    ];
    for (what, bytes, code, id) in cases {
        // The bad frame, then at once a request: the answer to the one, then
        // the answer to the other.
        server.write(&bytes);
        server.plan_is_intact_after(|answer| {
            assert_eq!(answer["error"]["code"], code, "{what}: {answer}");
            assert_eq!(answer["id"], id, "{what}: {answer}");
            assert!(
                answer["error"]["message"]
                    .as_str()
                    .is_some_and(|m| !m.is_empty()),
                "{what}: {answer}"
            );
        });
    }

    // Garbage glued to the front of a request, in one write: one answer for
    // the garbage, then the request itself.
    let body = json!({ "jsonrpc": "2.0", "id": 500, "method": "textDocument/documentSymbol", "params": { "textDocument": { "uri": URI } } }).to_string();
    server.write(format!("junk\r\n\r\nContent-Length: {}\r\n\r\n{body}", body.len()).as_bytes());
    assert_eq!(server.next_answer()["error"]["code"], -32700);
    let answer = server.next_answer();
    assert_eq!(answer["id"], 500, "{answer}");
    assert_eq!(answer["result"][0]["name"], "Add a cache", "{answer}");

    // A frame split across writes still passes whole.
    let body = json!({ "jsonrpc": "2.0", "id": 501, "method": "textDocument/foldingRange", "params": { "textDocument": { "uri": URI } } }).to_string();
    let frame = format!("Content-Length: {}\r\n\r\n{body}", body.len());
    let (a, b) = frame.split_at(10);
    server.write(a.as_bytes());
    std::thread::sleep(Duration::from_millis(50));
    server.write(b.as_bytes());
    let answer = server.next_answer();
    assert_eq!(answer["id"], 501, "{answer}");
    assert!(answer["result"].is_array(), "{answer}");

    // The document is intact, its diagnostics too: an edit elsewhere keeps EP203.
    server.send(&json!({ "jsonrpc": "2.0", "method": "textDocument/didChange", "params": { "textDocument": { "uri": URI, "version": 2 }, "contentChanges": [{ "range": { "start": { "line": 6, "character": 0 }, "end": { "line": 6, "character": 0 } }, "text": "Soon. " }] } }));
    let after = codes(&server.diagnostics(2));
    assert_eq!(after, before, "the same findings as before the bad frames");

    // None of the bodies behind a bad header was run: `shutdown` was never
    // asked, so this is its first and only answer.
    let answer = server.request("shutdown", Value::Null);
    assert_eq!(answer["result"], Value::Null, "{answer}");
    server.send(&json!({ "jsonrpc": "2.0", "method": "exit" }));
    let started = std::time::Instant::now();
    loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            assert_eq!(status.code(), Some(0), "a clean exit after shutdown");
            break;
        }
        assert!(started.elapsed() < TIMEOUT, "the server did not exit");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_large_plan_passes_through_whole() {
    let mut server = Binary::start();
    let paragraph = "The service answers queries from a store; each is computed again. ".repeat(20);
    let big = PLAN.replace(
        "The server lives in the `server` folder.",
        &format!("{paragraph}\n\n").repeat(2_000_000 / (paragraph.len() + 2) + 1),
    );
    assert!(big.len() > 2_000_000);
    server.send(&json!({ "jsonrpc": "2.0", "method": "textDocument/didOpen", "params": { "textDocument": { "uri": URI, "languageId": "markdown", "version": 1, "text": big } } }));
    server.diagnostics(1);
    server.plan_is_intact();
    let answer = server.request("shutdown", Value::Null);
    assert_eq!(answer["result"], Value::Null, "{answer}");
    server.send(&json!({ "jsonrpc": "2.0", "method": "exit" }));
    assert_eq!(server.child.wait().unwrap().code(), Some(0));
}
