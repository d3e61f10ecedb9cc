//! End-to-end latency through the protocol, as an editor sees it: the
//! release binary over stdio, timed from a message sent to the arrival of
//! the answer (recognised by its id, or its method, URI and version; see
//! [`Envelope`]).
//!
//!     cargo bench -p execplan-ls --bench latency
//!
//! Prints: spawn to the `initialize` answer; opening a 1,000- and a
//! 10,000-line plan to its first diagnostics (ten times each); 500
//! single-character changes, each timed to its fresh diagnostics and (in a
//! second run) to a `documentSymbol` answer, as p50/p95/p99; and the
//! resident size with 120 typical (20 KB) plans open, once the server is
//! idle. Targets are in docs/performance.md.

mod support;

use std::io::{BufRead, BufReader, Read, Write};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::time::{Duration, Instant};

use serde::Deserialize;
use serde_json::{Value, json};

struct Server {
    child: Child,
    stdin: ChildStdin,
    /// Read on the bench's one thread, as an editor's event loop reads it.
    stdout: BufReader<ChildStdout>,
    next_id: i64,
}

/// What the bench reads of a message from the server to recognise it: the
/// rest (a result, the diagnostics) is checked as well-formed JSON and
/// skipped. Turning an answer into objects is the editor's own work, done
/// after it has arrived, and costs very different amounts in different
/// editors; the clock stops when the answer is here and recognised.
#[derive(Deserialize)]
struct Envelope {
    id: Option<Value>,
    method: Option<String>,
    params: Option<Subject>,
}

/// The document a notification is about.
#[derive(Deserialize)]
struct Subject {
    uri: Option<String>,
    version: Option<i64>,
}

impl Server {
    fn spawn() -> Server {
        // EXECPLAN_LS_BIN measures another build (a before/after pair run
        // alternately on a shared machine).
        let binary = std::env::var_os("EXECPLAN_LS_BIN")
            .unwrap_or_else(|| env!("CARGO_BIN_EXE_execplan-ls").into());
        let mut child = Command::new(binary)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the release binary starts");
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        Server {
            child,
            stdin,
            stdout: BufReader::new(stdout),
            next_id: 1,
        }
    }

    fn send(&mut self, message: Value) {
        // One write per message, as an editor sends it.
        let body = message.to_string();
        let framed = format!("Content-Length: {}\r\n\r\n{body}", body.len());
        self.stdin.write_all(framed.as_bytes()).unwrap();
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    fn request(&mut self, method: &str, params: Value) -> i64 {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        id
    }

    /// The next message from the server.
    fn receive(&mut self) -> Envelope {
        let mut length = 0;
        loop {
            let mut line = String::new();
            let read = self.stdout.read_line(&mut line).unwrap();
            assert!(read > 0, "the server closed its output");
            if line == "\r\n" {
                break;
            }
            if let Some(v) = line.strip_prefix("Content-Length: ") {
                length = v.trim().parse().unwrap();
            }
        }
        let mut body = vec![0; length];
        self.stdout.read_exact(&mut body).unwrap();
        serde_json::from_slice(&body).unwrap()
    }

    /// Waits for the first message `wanted` accepts, answering the server's
    /// own requests on the way.
    fn wait(&mut self, wanted: impl Fn(&Envelope) -> bool) -> Envelope {
        loop {
            let message = self.receive();
            if wanted(&message) {
                return message;
            }
            if let (Some(id), Some(_)) = (&message.id, &message.method) {
                let id = id.clone();
                self.send(json!({ "jsonrpc": "2.0", "id": id, "result": null }));
            }
        }
    }

    fn answer(&mut self, id: i64) -> Envelope {
        self.wait(|m| m.id.as_ref().is_some_and(|i| *i == id) && m.method.is_none())
    }

    fn diagnostics(&mut self, uri: &str, version: i64) -> Envelope {
        self.wait(|m| {
            m.method.as_deref() == Some("textDocument/publishDiagnostics")
                && m.params
                    .as_ref()
                    .is_some_and(|p| p.uri.as_deref() == Some(uri) && p.version == Some(version))
        })
    }

    fn initialize(&mut self, root: Option<&Workspace>) {
        let root_uri = root.map(Workspace::uri);
        let id = self.request(
            "initialize",
            json!({ "processId": null, "rootUri": root_uri, "capabilities": { "general": { "positionEncodings": ["utf-8"] } } }),
        );
        self.answer(id);
        self.notify("initialized", json!({}));
        if root.is_some() {
            // Let the background index of the workspace's plans finish.
            std::thread::sleep(Duration::from_millis(1500));
        }
    }

    fn open(&mut self, uri: &str, text: &str, version: i64) {
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": "markdown", "version": version, "text": text } }),
        );
    }

    fn close(&mut self, uri: &str) {
        self.notify(
            "textDocument/didClose",
            json!({ "textDocument": { "uri": uri } }),
        );
    }

    fn type_at(&mut self, uri: &str, version: i64, line: usize, character: usize) {
        self.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": uri, "version": version }, "contentChanges": [{ "range": { "start": { "line": line, "character": character }, "end": { "line": line, "character": character } }, "text": "x" }] }),
        );
    }

    fn resident_kb(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .unwrap_or_default();
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.split_whitespace().next()?.parse().ok())
            .unwrap_or(0)
    }

    fn stop(mut self) {
        let id = self.request("shutdown", Value::Null);
        self.answer(id);
        self.notify("exit", Value::Null);
        let _ = self.child.wait();
    }
}

/// A repository on disk: `.git`, the plans, and every file they name, so
/// the server resolves paths and indexes plans as in real use, and a plainly
/// fine plan has nothing missing.
struct Workspace {
    root: PathBuf,
}

impl Workspace {
    fn new(name: &str) -> Workspace {
        let root =
            std::env::temp_dir().join(format!("execplan-latency-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(root.join(".git")).unwrap();
        Workspace { root }
    }

    fn uri(&self) -> String {
        format!("file://{}", self.root.display())
    }

    /// Writes a plan under `.agent/plans/` and the files it names; returns
    /// its URI.
    fn add_plan(&self, name: &str, text: &str) -> String {
        let path = self.root.join(".agent/plans").join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        let named = text
            .split('`')
            .skip(1)
            .step_by(2)
            .chain(text.split("](").skip(1).filter_map(|s| s.split(')').next()));
        for rel in named.filter(|p| p.contains('/') && !p.contains(' ')) {
            let file = self.root.join(rel);
            std::fs::create_dir_all(file.parent().unwrap()).unwrap();
            if !file.exists() {
                std::fs::write(&file, "").unwrap();
            }
        }
        format!("file://{}", path.display())
    }
}

impl Drop for Workspace {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn percentiles(mut samples: Vec<f64>) -> String {
    samples.sort_by(f64::total_cmp);
    let at = |p: f64| samples[((samples.len() - 1) as f64 * p).round() as usize];
    format!(
        "p50 {:7.3} ms   p95 {:7.3} ms   p99 {:7.3} ms",
        at(0.5),
        at(0.95),
        at(0.99)
    )
}

const KEYSTROKES: usize = 500;
/// Opens of each plan.
const OPENS: usize = 10;

fn main() {
    let machine = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!(
        "execplan-ls {} through the protocol, {machine} cores, release build",
        env!("CARGO_PKG_VERSION")
    );

    let mut startups = Vec::new();
    for _ in 0..20 {
        let started = Instant::now();
        let mut server = Server::spawn();
        server.initialize(None);
        startups.push(ms(started.elapsed()));
        server.stop();
    }
    println!(
        "spawn to initialize answer:            {}",
        percentiles(startups)
    );

    for lines in [1_000, 10_000] {
        let text = support::plan_of_lines(lines);
        let workspace = Workspace::new(&format!("plan-{lines}"));
        let uri = workspace.add_plan(&format!("plan-{lines}.md"), &text);
        let mut server = Server::spawn();
        server.initialize(Some(&workspace));
        // Open the plan, then close it and open it again, each time timed
        // to its first diagnostics. Closing has the workspace index read the
        // plan from disk again; that is let finish first.
        let mut opens = Vec::new();
        let mut version = 0;
        for _ in 0..OPENS {
            if version > 0 {
                server.close(&uri);
                std::thread::sleep(Duration::from_millis(lines as u64 / 10));
            }
            version += 1;
            let started = Instant::now();
            server.open(&uri, &text, version);
            server.diagnostics(&uri, version);
            opens.push(ms(started.elapsed()));
        }
        println!(
            "{lines:>6} lines ({:>3} KB): open to first diagnostics {}",
            text.len() / 1024,
            percentiles(opens)
        );

        // Type at the end of the first open Progress item, one character at a time.
        let line = text.lines().position(|l| l.starts_with("- [ ] ")).unwrap();
        let mut column = text.lines().nth(line).unwrap().len();
        let mut to_diagnostics = Vec::new();
        for _ in 0..KEYSTROKES {
            version += 1;
            let started = Instant::now();
            server.type_at(&uri, version, line, column);
            server.diagnostics(&uri, version);
            to_diagnostics.push(ms(started.elapsed()));
            column += 1;
        }
        // The first keystroke after opening builds the syntax tree.
        println!(
            "{lines:>6} lines: first keystroke to diagnostics {:.2} ms",
            to_diagnostics[0]
        );
        println!(
            "{lines:>6} lines: keystroke to diagnostics      {}",
            percentiles(to_diagnostics)
        );

        let mut alone = Vec::new();
        for _ in 0..KEYSTROKES {
            let started = Instant::now();
            let id = server.request(
                "textDocument/documentSymbol",
                json!({ "textDocument": { "uri": uri } }),
            );
            server.answer(id);
            alone.push(ms(started.elapsed()));
        }
        println!(
            "{lines:>6} lines: documentSymbol alone       {}",
            percentiles(alone)
        );
        let mut to_symbols = Vec::new();
        for _ in 0..KEYSTROKES {
            version += 1;
            let started = Instant::now();
            server.type_at(&uri, version, line, column);
            let id = server.request(
                "textDocument/documentSymbol",
                json!({ "textDocument": { "uri": uri } }),
            );
            server.answer(id);
            to_symbols.push(ms(started.elapsed()));
            column += 1;
        }
        println!(
            "{lines:>6} lines: keystroke to documentSymbol   {}",
            percentiles(to_symbols)
        );
        server.stop();
    }

    // 120 plans open: loose files, then plans of a workspace that the
    // server also indexes.
    let plans: Vec<String> = (0..120).map(|_| support::plan_of_lines(550)).collect();
    let size: usize = plans.iter().map(String::len).sum();
    for workspace in [None, Some(Workspace::new("many"))] {
        let mut server = Server::spawn();
        let uris: Vec<String> = (0..plans.len())
            .map(|i| match &workspace {
                Some(w) => w.add_plan(&format!("open-{i}.md"), &plans[i]),
                None => format!("file:///bench/.agent/plans/open-{i}.md"),
            })
            .collect();
        server.initialize(workspace.as_ref());
        let baseline = server.resident_kb();
        for (uri, text) in uris.iter().zip(&plans) {
            server.open(uri, text, 1);
            server.diagnostics(uri, 1);
        }
        // Resident once the server is idle: it hands freed memory back a
        // second after the last plan opened.
        std::thread::sleep(Duration::from_millis(1500));
        println!(
            "resident with 120 plans open ({:.1} MB of text), {}: {:.1} MB (idle server: {:.1} MB)",
            size as f64 / 1e6,
            if workspace.is_some() {
                "all in the indexed workspace"
            } else {
                "no workspace"
            },
            server.resident_kb() as f64 / 1024.0,
            baseline as f64 / 1024.0
        );
        server.stop();
    }
}
