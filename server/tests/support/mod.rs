//! A minimal LSP client that drives the real server in-process over a pipe,
//! framing JSON-RPC messages the way an editor does.

#![allow(dead_code)]

pub mod cli;
pub mod stdio;

use std::time::Duration;

use serde_json::{Value, json};
use tokio::io::{
    AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader, DuplexStream, ReadHalf, WriteHalf,
};
use tower_lsp_server::Server;

pub const TIMEOUT: Duration = Duration::from_secs(10);

pub struct Client {
    writer: WriteHalf<DuplexStream>,
    reader: BufReader<ReadHalf<DuplexStream>>,
    next_id: i64,
    /// Notifications read while waiting for something else.
    pub notifications: Vec<Value>,
    server: tokio::task::JoinHandle<()>,
}

impl Client {
    /// Starts the server and sends `initialize` with `capabilities` and
    /// `options`, then `initialized`; returns the client and the answer.
    pub async fn start(capabilities: Value, options: Option<Value>) -> (Client, Value) {
        Client::start_with(capabilities, options, None).await
    }

    /// As [`Client::start`], with `folder` as the one workspace folder.
    pub async fn start_in(
        capabilities: Value,
        options: Option<Value>,
        folder: &std::path::Path,
    ) -> (Client, Value) {
        Client::start_with(capabilities, options, Some(folder)).await
    }

    async fn start_with(
        capabilities: Value,
        options: Option<Value>,
        folder: Option<&std::path::Path>,
    ) -> (Client, Value) {
        let (client_end, server_end) = tokio::io::duplex(1 << 20);
        let (server_read, server_write) = tokio::io::split(server_end);
        let (service, socket) = execplan_ls::lsp::service();
        let server = tokio::spawn(async move {
            Server::new(server_read, server_write, socket)
                .serve(service)
                .await;
        });
        let (read, write) = tokio::io::split(client_end);
        let mut client = Client {
            writer: write,
            reader: BufReader::new(read),
            next_id: 1,
            notifications: Vec::new(),
            server,
        };
        let mut params =
            json!({ "capabilities": capabilities, "processId": null, "rootUri": null });
        if let Some(options) = options {
            params["initializationOptions"] = options;
        }
        if let Some(folder) = folder {
            let uri = file_uri(folder);
            params["rootUri"] = json!(uri);
            params["workspaceFolders"] = json!([{ "uri": uri, "name": "repo" }]);
        }
        let answer = client.request("initialize", params).await;
        client.notify("initialized", json!({})).await;
        (client, answer)
    }

    pub async fn send(&mut self, message: Value) {
        let body = message.to_string();
        let frame = format!("Content-Length: {}\r\n\r\n{body}", body.len());
        self.writer
            .write_all(frame.as_bytes())
            .await
            .expect("server pipe closed");
        self.writer.flush().await.unwrap();
    }

    pub async fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({ "jsonrpc": "2.0", "method": method, "params": params }))
            .await;
    }

    /// Sends a request and waits for its answer (its `result`, or panics on error).
    pub async fn request(&mut self, method: &str, params: Value) -> Value {
        let answer = self.request_raw(method, params).await;
        if let Some(error) = answer.get("error") {
            panic!("{method} failed: {error}");
        }
        answer["result"].clone()
    }

    pub async fn request_raw(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }))
            .await;
        loop {
            let message = self.read().await;
            if message.get("id") == Some(&json!(id)) && message.get("method").is_none() {
                return message;
            }
            self.handle(message).await;
        }
    }

    /// Reads one message, failing the test after [`TIMEOUT`].
    pub async fn read(&mut self) -> Value {
        tokio::time::timeout(TIMEOUT, self.read_unbounded())
            .await
            .expect("the server did not answer in time")
    }

    async fn read_unbounded(&mut self) -> Value {
        self.read_or_end()
            .await
            .expect("the server closed the connection")
    }

    /// The next message, or `None` when the server closed the connection.
    async fn read_or_end(&mut self) -> Option<Value> {
        let mut length = None;
        loop {
            let mut line = String::new();
            let n = self.reader.read_line(&mut line).await.unwrap();
            if n == 0 {
                return None;
            }
            if line == "\r\n" {
                break;
            }
            if let Some(value) = line.strip_prefix("Content-Length: ") {
                length = Some(value.trim().parse::<usize>().unwrap());
            }
        }
        let mut body = vec![0; length.expect("a Content-Length header")];
        self.reader.read_exact(&mut body).await.unwrap();
        Some(serde_json::from_slice(&body).unwrap())
    }

    /// Waits for a notification with `method` (one read already or the
    /// next to come) and removes it.
    pub async fn next_notification(&mut self, method: &str) -> Value {
        loop {
            if let Some(pos) = self
                .notifications
                .iter()
                .position(|n| n["method"] == method)
            {
                return self.notifications.remove(pos);
            }
            let message = self.read().await;
            self.handle(message).await;
        }
    }

    /// Removes and returns the notifications with `method` read so far.
    pub fn take_notifications(&mut self, method: &str) -> Vec<Value> {
        let (taken, kept) = std::mem::take(&mut self.notifications)
            .into_iter()
            .partition(|n| n["method"] == method);
        self.notifications = kept;
        taken
    }

    /// Keeps notifications (and stray answers); answers the server's own
    /// requests.
    async fn handle(&mut self, message: Value) {
        match (message.get("id"), message.get("method")) {
            (Some(id), Some(_)) => {
                let id = id.clone();
                self.send(json!({ "jsonrpc": "2.0", "id": id, "result": null }))
                    .await;
            }
            // Notifications, and answers nobody waits for: kept, so that
            // `shutdown` can tell whether the test looked at them.
            _ => self.notifications.push(message),
        }
    }

    /// Waits for diagnostics for `uri` whose version is at least `version`.
    pub async fn diagnostics(&mut self, uri: &str, version: i64) -> Vec<Value> {
        loop {
            if let Some(pos) = self.notifications.iter().position(|n| {
                n["method"] == "textDocument/publishDiagnostics"
                    && n["params"]["uri"] == uri
                    && n["params"]["version"]
                        .as_i64()
                        .is_some_and(|v| v >= version)
            }) {
                let found = self.notifications.remove(pos);
                return found["params"]["diagnostics"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default();
            }
            let message = self.read().await;
            self.handle(message).await;
        }
    }

    /// Waits for an (unversioned or any) publish for `uri`.
    pub async fn any_publish(&mut self, uri: &str) -> Value {
        loop {
            if let Some(pos) = self.notifications.iter().position(|n| {
                n["method"] == "textDocument/publishDiagnostics" && n["params"]["uri"] == uri
            }) {
                return self.notifications.remove(pos)["params"].clone();
            }
            let message = self.read().await;
            self.handle(message).await;
        }
    }

    pub async fn open(&mut self, uri: &str, version: i64, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": "markdown", "version": version, "text": text } }),
        )
        .await;
    }

    pub async fn change(&mut self, uri: &str, version: i64, changes: Value) {
        self.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": uri, "version": version }, "contentChanges": changes }),
        )
        .await;
    }

    /// Shuts down cleanly, checks that the server task ends, and that no
    /// message the test should have read is left: every message up to the
    /// end of the stream is read, and only the ones that merely inform
    /// (logs, progress, published diagnostics) and the server's own
    /// requests (which the harness answers whenever it reads them) may go
    /// unexamined. An answer nobody waited for or a message shown to the
    /// user that the test did not look at fails the test.
    pub async fn shutdown(mut self) {
        let answer = self.request_raw("shutdown", Value::Null).await;
        assert_eq!(answer["result"], Value::Null, "{answer}");
        self.notify("exit", Value::Null).await;
        let mut unread = std::mem::take(&mut self.notifications);
        while let Some(message) = tokio::time::timeout(TIMEOUT, self.read_or_end())
            .await
            .expect("the server did not close the connection after exit")
        {
            unread.push(message);
        }
        tokio::time::timeout(TIMEOUT, self.server)
            .await
            .expect("server did not stop after exit")
            .unwrap();
        let informs = |m: &Value| {
            let server_request = m.get("id").is_some() && m.get("method").is_some();
            server_request
                || matches!(
                    m["method"].as_str(),
                    Some("window/logMessage" | "$/progress" | "textDocument/publishDiagnostics")
                )
        };
        let left: Vec<&Value> = unread.iter().filter(|m| !informs(m)).collect();
        assert!(
            left.is_empty(),
            "messages left unread at the end of the test: {left:#?}"
        );
    }
}

/// The `file://` URI of an absolute path.
pub fn file_uri(path: &std::path::Path) -> String {
    format!("file://{}", path.display())
}

/// `(code, line, character)` of each diagnostic.
pub fn codes(diagnostics: &[Value]) -> Vec<(String, u64, u64)> {
    diagnostics
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap_or("").to_string(),
                d["range"]["start"]["line"].as_u64().unwrap(),
                d["range"]["start"]["character"].as_u64().unwrap(),
            )
        })
        .collect()
}

/// A canonical, complete plan; its Progress items are on lines 10 to 12
/// (0-based), the `## Decision Log` heading on line 18.
pub const PLAN: &str = "# Add a cache

This ExecPlan is a living document. The sections `Progress`, `Surprises & Discoveries`, `Decision Log`, and `Outcomes & Retrospective` must be kept up to date as work proceeds.

## Purpose / Big Picture

Users get answers faster.

## Progress

- [x] (2026-01-05 10:00Z) Wrote the cache.
- [ ] Measure it.
- [ ] Document it.

## Surprises & Discoveries

None yet.

## Decision Log

- Decision: Use an LRU.
  Rationale: Bounded memory.
  Date/Author: 2026-01-05 / Ada

## Outcomes & Retrospective

None yet.

## Context and Orientation

The server lives in the `server` folder.

## Plan of Work

Add the cache.

## Concrete Steps

Run the tests.

## Validation and Acceptance

The tests pass.

## Idempotence and Recovery

Every step can be repeated.

## Artifacts and Notes

None yet.

## Interfaces and Dependencies

No new dependency.
";
