//! A language-server client for the protocol benches: it runs any server
//! command over stdio, as an editor drives it, and times messages to their
//! answers. Used by `latency.rs` (execplan-ls alone), `lsp_vs_rumdl.rs`
//! (execplan-ls and its peers, alternating, on the same inputs) and
//! `scale.rs` (a 5,000-plan workspace).
//!
//! A reader thread takes each message off the server's stdout, stamps it
//! with the instant it arrived in full and was recognised, and hands it to
//! the bench; the bench's clock stops at that stamp, so the hand-off between
//! threads is not counted. What is read of a message is only what
//! recognises it ([`Envelope`]): building objects from an answer is the
//! editor's own work after it has arrived. The server's own requests
//! (`workspace/configuration`, `client/registerCapability`,
//! `window/workDoneProgress/create`…) are answered at once by the reader
//! thread, so a server never waits on the bench.

use std::collections::VecDeque;
use std::fmt;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde::Deserialize;
use serde::de::{Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::{Value, json};

/// What the bench reads of a message from the server.
#[derive(Deserialize)]
struct Envelope {
    id: Option<Value>,
    method: Option<String>,
    params: Option<Subject>,
    result: Option<Shape>,
}

/// What the bench reads of a result: an array's length, or the text sync
/// kind of an `initialize` answer.
#[derive(Clone, Copy, Debug, Default)]
struct Shape {
    count: usize,
    sync: Option<u8>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Capabilities {
    text_document_sync: Option<SyncOption>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum SyncOption {
    Kind(u8),
    Options { change: Option<u8> },
}

impl<'de> Deserialize<'de> for Shape {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Shape, D::Error> {
        struct Reader;
        impl<'de> Visitor<'de> for Reader {
            type Value = Shape;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Shape, A::Error> {
                let Count(count) = Counter.visit_seq(seq)?;
                Ok(Shape { count, sync: None })
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Shape, A::Error> {
                let mut shape = Shape::default();
                while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
                    if key == "capabilities" {
                        let caps: Capabilities = map.next_value()?;
                        shape.sync = caps.text_document_sync.map(|s| match s {
                            SyncOption::Kind(k) => k,
                            SyncOption::Options { change } => change.unwrap_or(0),
                        });
                    } else {
                        map.next_value::<IgnoredAny>()?;
                    }
                }
                Ok(shape)
            }
            fn visit_unit<E>(self) -> Result<Shape, E> {
                Ok(Shape::default())
            }
            fn visit_bool<E>(self, _: bool) -> Result<Shape, E> {
                Ok(Shape::default())
            }
            fn visit_i64<E>(self, _: i64) -> Result<Shape, E> {
                Ok(Shape::default())
            }
            fn visit_u64<E>(self, _: u64) -> Result<Shape, E> {
                Ok(Shape::default())
            }
            fn visit_f64<E>(self, _: f64) -> Result<Shape, E> {
                Ok(Shape::default())
            }
            fn visit_str<E>(self, _: &str) -> Result<Shape, E> {
                Ok(Shape::default())
            }
        }
        d.deserialize_any(Reader)
    }
}

/// The parts of a notification's or request's parameters the benches use.
#[derive(Deserialize)]
struct Subject {
    uri: Option<String>,
    version: Option<i64>,
    diagnostics: Option<Count>,
    /// `workspace/configuration`'s items: one answer each.
    items: Option<Count>,
    /// `window/logMessage`'s text.
    message: Option<String>,
    /// `$/progress`'s value.
    value: Option<Value>,
}

/// How many elements an array has (0 for anything else), read without
/// building them.
#[derive(Clone, Copy, Debug, Default)]
pub struct Count(pub usize);

struct Counter;

impl<'de> Visitor<'de> for Counter {
    type Value = Count;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Count, A::Error> {
        let mut n = 0;
        while seq.next_element::<IgnoredAny>()?.is_some() {
            n += 1;
        }
        Ok(Count(n))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Count, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Count(0))
    }
    fn visit_unit<E>(self) -> Result<Count, E> {
        Ok(Count(0))
    }
    fn visit_bool<E>(self, _: bool) -> Result<Count, E> {
        Ok(Count(0))
    }
    fn visit_i64<E>(self, _: i64) -> Result<Count, E> {
        Ok(Count(0))
    }
    fn visit_u64<E>(self, _: u64) -> Result<Count, E> {
        Ok(Count(0))
    }
    fn visit_f64<E>(self, _: f64) -> Result<Count, E> {
        Ok(Count(0))
    }
    fn visit_str<E>(self, _: &str) -> Result<Count, E> {
        Ok(Count(0))
    }
}

impl<'de> Deserialize<'de> for Count {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Count, D::Error> {
        d.deserialize_any(Counter)
    }
}

/// A message from the server, as the bench sees it.
#[derive(Debug)]
pub struct Message {
    /// When it had arrived in full and was recognised.
    pub at: Instant,
    pub id: Option<Value>,
    pub method: Option<String>,
    pub uri: Option<String>,
    pub version: Option<i64>,
    /// A result's or a diagnostics push's number of elements.
    pub count: usize,
    /// An `initialize` answer's text sync kind (1 full, 2 incremental).
    pub sync: Option<u8>,
    pub log: Option<String>,
    pub progress_kind: Option<String>,
    /// The body's length in bytes.
    pub bytes: usize,
}

/// How a server wants text changes: as edits, or each time the whole text.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Sync {
    Incremental,
    Full,
}

/// One server to drive.
#[derive(Clone, Debug)]
pub struct ServerCommand {
    /// The name printed for it.
    pub name: String,
    pub program: PathBuf,
    pub args: Vec<String>,
}

impl ServerCommand {
    pub fn new(name: &str, program: impl Into<PathBuf>, args: &[&str]) -> ServerCommand {
        ServerCommand {
            name: name.to_string(),
            program: program.into(),
            args: args.iter().map(|a| a.to_string()).collect(),
        }
    }

    /// execplan-ls, the release binary cargo built for the bench.
    /// This build, or the one `EXECPLAN_LS_BIN` names (a before/after pair
    /// run alternately on a shared machine).
    pub fn execplan_ls() -> ServerCommand {
        let binary = std::env::var_os("EXECPLAN_LS_BIN")
            .unwrap_or_else(|| env!("CARGO_BIN_EXE_execplan-ls").into());
        ServerCommand::new("execplan-ls", binary, &[])
    }
}

pub struct Server {
    pub name: String,
    child: Child,
    stdin: Arc<Mutex<ChildStdin>>,
    incoming: Receiver<Message>,
    /// Messages read while waiting for another, in arrival order.
    held: VecDeque<Message>,
    next_id: i64,
    /// How the server syncs text (from its `initialize` answer).
    pub sync: Sync,
    /// Every `window/logMessage` seen so far, with its arrival.
    pub logs: Vec<(Instant, String)>,
    /// When a `$/progress` `end` arrived, if one has.
    pub progress_ended: Option<Instant>,
}

fn frame(message: &Value) -> Vec<u8> {
    let body = message.to_string();
    let mut framed = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    framed.extend_from_slice(body.as_bytes());
    framed
}

/// The body of the next frame of `input` (a header block with a
/// `Content-Length`, then that many bytes); `None` at the end of input.
/// Header blocks without a length are skipped.
pub fn read_frame(input: &mut impl BufRead) -> Option<Vec<u8>> {
    let mut line = String::new();
    loop {
        let mut length = None;
        loop {
            line.clear();
            match input.read_line(&mut line) {
                Ok(0) | Err(_) => return None,
                Ok(_) => {}
            }
            if line == "\r\n" || line == "\n" {
                break;
            }
            let lower = line.to_ascii_lowercase();
            if let Some(v) = lower.strip_prefix("content-length:") {
                length = v.trim().parse::<usize>().ok();
            }
        }
        let Some(length) = length else { continue };
        let mut body = vec![0; length];
        input.read_exact(&mut body).ok()?;
        return Some(body);
    }
}

fn read_messages(
    stdout: impl Read,
    stdin: Arc<Mutex<ChildStdin>>,
    out: std::sync::mpsc::Sender<Message>,
) {
    let mut stdout = BufReader::with_capacity(1 << 16, stdout);
    while let Some(body) = read_frame(&mut stdout) {
        let envelope: Envelope = match serde_json::from_slice(&body) {
            Ok(e) => e,
            Err(e) => panic!(
                "not a JSON-RPC message from the server ({e}): {}",
                String::from_utf8_lossy(&body[..body.len().min(200)])
            ),
        };
        let at = Instant::now();
        if let (Some(id), Some(method)) = (&envelope.id, &envelope.method) {
            // The server's own request: answered at once.
            let result = match method.as_str() {
                "workspace/configuration" => {
                    let n = envelope
                        .params
                        .as_ref()
                        .and_then(|p| p.items)
                        .map_or(0, |c| c.0);
                    Value::Array(vec![Value::Null; n])
                }
                _ => Value::Null,
            };
            let answer = frame(&json!({ "jsonrpc": "2.0", "id": id, "result": result }));
            let mut stdin = stdin.lock().unwrap();
            let _ = stdin.write_all(&answer);
            let _ = stdin.flush();
        }
        let params = envelope.params;
        let message = Message {
            at,
            id: envelope.id,
            method: envelope.method,
            uri: params.as_ref().and_then(|p| p.uri.clone()),
            version: params.as_ref().and_then(|p| p.version),
            count: envelope
                .result
                .map(|r| r.count)
                .or(params.as_ref().and_then(|p| p.diagnostics).map(|c| c.0))
                .unwrap_or(0),
            sync: envelope.result.and_then(|r| r.sync),
            log: params.as_ref().and_then(|p| p.message.clone()),
            progress_kind: params
                .as_ref()
                .and_then(|p| p.value.as_ref())
                .and_then(|v| v.get("kind"))
                .and_then(Value::as_str)
                .map(str::to_string),
            bytes: body.len(),
        };
        if out.send(message).is_err() {
            return;
        }
    }
}

/// How long the bench waits for any one message before it gives up.
const PATIENCE: Duration = Duration::from_secs(120);

impl Server {
    pub fn spawn(command: &ServerCommand) -> Server {
        let mut child = Command::new(&command.program)
            .args(&command.args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("{} starts: {e}", command.program.display()));
        let stdin = Arc::new(Mutex::new(child.stdin.take().unwrap()));
        let stdout = child.stdout.take().unwrap();
        let (tx, incoming) = channel();
        let writer = Arc::clone(&stdin);
        std::thread::spawn(move || read_messages(stdout, writer, tx));
        Server {
            name: command.name.clone(),
            child,
            stdin,
            incoming,
            held: VecDeque::new(),
            next_id: 1,
            sync: Sync::Incremental,
            logs: Vec::new(),
            progress_ended: None,
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Sends a message, one write, as an editor sends it; returns the
    /// instant the write was done.
    pub fn send(&mut self, message: &Value) -> Instant {
        self.send_bytes(&frame(message))
    }

    /// Sends a framed message built beforehand; the clock starts here.
    pub fn send_bytes(&mut self, framed: &[u8]) -> Instant {
        let started = Instant::now();
        let mut stdin = self.stdin.lock().unwrap();
        stdin.write_all(framed).unwrap();
        stdin.flush().unwrap();
        started
    }

    pub fn notify(&mut self, method: &str, params: Value) -> Instant {
        self.send(&json!({ "jsonrpc": "2.0", "method": method, "params": params }))
    }

    pub fn request(&mut self, method: &str, params: Value) -> (i64, Instant) {
        let id = self.next_id;
        self.next_id += 1;
        let started =
            self.send(&json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        (id, started)
    }

    /// The next message from the server.
    fn receive(&mut self) -> Message {
        if let Some(m) = self.held.pop_front() {
            return m;
        }
        match self.incoming.recv_timeout(PATIENCE) {
            Ok(m) => m,
            Err(RecvTimeoutError::Timeout) => {
                panic!("{} sent nothing for {PATIENCE:?}", self.name)
            }
            Err(RecvTimeoutError::Disconnected) => panic!("{} closed its output", self.name),
        }
    }

    /// Waits for the first message `wanted` accepts; the others are dropped
    /// (log messages and the end of progress are noted first).
    pub fn wait(&mut self, wanted: impl Fn(&Message) -> bool) -> Message {
        loop {
            let message = self.receive();
            self.note(&message);
            if wanted(&message) {
                return message;
            }
        }
    }

    fn note(&mut self, message: &Message) {
        if let Some(log) = &message.log {
            self.logs.push((message.at, log.clone()));
        }
        if message.method.as_deref() == Some("$/progress")
            && message.progress_kind.as_deref() == Some("end")
        {
            self.progress_ended.get_or_insert(message.at);
        }
    }

    /// Waits up to `timeout` for the next message, noting it.
    pub fn poll(&mut self, timeout: Duration) -> Option<Message> {
        let message = match self.held.pop_front() {
            Some(m) => m,
            None => self.incoming.recv_timeout(timeout).ok()?,
        };
        self.note(&message);
        Some(message)
    }

    /// Drops every message that arrives within `quiet` of the last one:
    /// what is left of earlier work, before something is timed. Returns how
    /// many diagnostics pushes were among them.
    pub fn drain(&mut self, quiet: Duration) -> usize {
        let mut pushes = self
            .held
            .drain(..)
            .filter(|m| m.method.as_deref() == Some("textDocument/publishDiagnostics"))
            .count();
        while let Ok(m) = self.incoming.recv_timeout(quiet) {
            if m.method.as_deref() == Some("textDocument/publishDiagnostics") {
                pushes += 1;
            }
        }
        pushes
    }

    /// The answer to request `id`.
    pub fn answer(&mut self, id: i64) -> Message {
        self.wait(|m| m.id.as_ref().is_some_and(|i| *i == id) && m.method.is_none())
    }

    /// The first diagnostics pushed for `uri` at `version`; a server that
    /// sends no version (rumdl) is taken at its first push for the URI that
    /// arrives after `since`.
    pub fn diagnostics(&mut self, uri: &str, version: i64, since: Instant) -> Message {
        self.wait(|m| {
            m.method.as_deref() == Some("textDocument/publishDiagnostics")
                && m.uri.as_deref() == Some(uri)
                && match m.version {
                    Some(v) => v == version,
                    None => m.at >= since,
                }
        })
    }

    /// `initialize` and `initialized`, declaring what an editor of today
    /// declares that matters here: pushed diagnostics with versions,
    /// hierarchical symbols, UTF-8 positions offered, and (when `progress`)
    /// work-done progress. Reads the text sync the server asks for.
    pub fn initialize(&mut self, root: Option<&Path>, progress: bool) {
        let root_uri = root.map(|r| format!("file://{}", r.display()));
        let folders =
            root.map(|r| json!([{ "uri": format!("file://{}", r.display()), "name": "bench" }]));
        let (id, _) = self.request(
            "initialize",
            json!({
                "processId": std::process::id(),
                "rootUri": root_uri,
                "workspaceFolders": folders,
                "capabilities": {
                    "general": { "positionEncodings": ["utf-8", "utf-16"] },
                    "window": { "workDoneProgress": progress },
                    "textDocument": {
                        "synchronization": { "didSave": true },
                        "publishDiagnostics": { "versionSupport": true },
                        "documentSymbol": { "hierarchicalDocumentSymbolSupport": true }
                    },
                    "workspace": { "configuration": true, "workspaceFolders": true }
                }
            }),
        );
        let answer = self.answer(id);
        self.sync = if answer.sync == Some(1) {
            Sync::Full
        } else {
            Sync::Incremental
        };
        self.notify("initialized", json!({}));
    }

    pub fn open(&mut self, uri: &str, text: &str, version: i64) -> Instant {
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": "markdown", "version": version, "text": text } }),
        )
    }

    pub fn close(&mut self, uri: &str) {
        self.notify(
            "textDocument/didClose",
            json!({ "textDocument": { "uri": uri } }),
        );
    }

    /// Types one character at `line`, `character` (in an ASCII line) of the
    /// document whose text is `text`, as the server syncs it; `text` is
    /// updated. The message is built before the clock starts; returns the
    /// instant it was sent.
    pub fn type_at(
        &mut self,
        uri: &str,
        version: i64,
        text: &mut String,
        line: usize,
        character: usize,
    ) -> Instant {
        let offset = line_start(text, line) + character;
        text.insert(offset, 'x');
        let change = match self.sync {
            Sync::Incremental => {
                json!({ "range": { "start": { "line": line, "character": character }, "end": { "line": line, "character": character } }, "text": "x" })
            }
            Sync::Full => json!({ "text": text }),
        };
        let framed = frame(&json!({
            "jsonrpc": "2.0",
            "method": "textDocument/didChange",
            "params": { "textDocument": { "uri": uri, "version": version }, "contentChanges": [change] }
        }));
        self.send_bytes(&framed)
    }

    /// A `documentSymbol` request for `uri`; returns its id and when it was sent.
    pub fn document_symbol(&mut self, uri: &str) -> (i64, Instant) {
        self.request(
            "textDocument/documentSymbol",
            json!({ "textDocument": { "uri": uri } }),
        )
    }

    /// Resident memory of the server's process and its children, in KB.
    pub fn resident_kb(&self) -> u64 {
        process_tree(self.child.id())
            .into_iter()
            .map(|pid| {
                std::fs::read_to_string(format!("/proc/{pid}/status"))
                    .unwrap_or_default()
                    .lines()
                    .find_map(|l| l.strip_prefix("VmRSS:"))
                    .and_then(|v| v.split_whitespace().next()?.parse().ok())
                    .unwrap_or(0)
            })
            .sum()
    }

    /// CPU time the server's process has used (user and system), from
    /// `/proc/<pid>/stat`.
    pub fn cpu_time(&self) -> Duration {
        let stat =
            std::fs::read_to_string(format!("/proc/{}/stat", self.child.id())).unwrap_or_default();
        // Fields after the parenthesised name; utime and stime are the
        // 14th and 15th of the line.
        let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
        let fields: Vec<&str> = rest.split_whitespace().collect();
        let ticks: u64 = fields
            .get(11..13)
            .map_or(0, |f| f.iter().filter_map(|v| v.parse::<u64>().ok()).sum());
        // SAFETY: sysconf only reads a constant of the system.
        let per_second = unsafe { libc::sysconf(libc::_SC_CLK_TCK) }.max(1);
        Duration::from_secs_f64(ticks as f64 / per_second as f64)
    }

    pub fn stop(mut self) {
        let (id, _) = self.request("shutdown", Value::Null);
        self.answer(id);
        self.notify("exit", Value::Null);
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `pid` and every process below it.
fn process_tree(pid: u32) -> Vec<u32> {
    let mut all = vec![pid];
    let mut at = 0;
    while at < all.len() {
        let parent = all[at];
        let children = std::fs::read_to_string(format!("/proc/{parent}/task/{parent}/children"))
            .unwrap_or_default();
        all.extend(
            children
                .split_whitespace()
                .filter_map(|c| c.parse::<u32>().ok()),
        );
        at += 1;
    }
    all
}

/// The byte offset where `line` (0-based) starts in `text`.
pub fn line_start(text: &str, line: usize) -> usize {
    if line == 0 {
        return 0;
    }
    text.match_indices('\n')
        .nth(line - 1)
        .map_or(text.len(), |(i, _)| i + 1)
}

/// A repository on disk: `.git`, the plans, and every file they name, so
/// a server resolves paths and indexes plans as in real use, and a plainly
/// fine plan has nothing missing.
pub struct Workspace {
    pub root: PathBuf,
}

impl Workspace {
    pub fn new(name: &str) -> Workspace {
        let root =
            std::env::temp_dir().join(format!("execplan-bench-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(root.join(".git")).unwrap();
        Workspace { root }
    }

    pub fn uri(&self) -> String {
        format!("file://{}", self.root.display())
    }

    /// Writes a plan under `.agent/plans/` and the files it names; returns
    /// its URI.
    pub fn add_plan(&self, name: &str, text: &str) -> String {
        let path = self.root.join(".agent/plans").join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        let named = text
            .split('`')
            .skip(1)
            .step_by(2)
            .chain(text.split("](").skip(1).filter_map(|s| s.split(')').next()));
        for rel in named.filter(|p| {
            p.contains('/')
                && !p.contains(' ')
                && !p.starts_with('/')
                && !p.contains("..")
                && !p.contains(':')
                && p.len() < 200
        }) {
            let file = self.root.join(rel);
            if let Some(parent) = file.parent()
                && std::fs::create_dir_all(parent).is_ok()
                && !file.exists()
            {
                let _ = std::fs::write(&file, "");
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

pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// The p-th quantile (0 to 1) of `samples`, by nearest rank.
pub fn quantile(samples: &[f64], p: f64) -> f64 {
    let mut sorted = samples.to_vec();
    sorted.sort_by(f64::total_cmp);
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

pub fn percentiles(samples: &[f64]) -> String {
    format!(
        "p50 {:7.3} ms   p95 {:7.3} ms   p99 {:7.3} ms",
        quantile(samples, 0.5),
        quantile(samples, 0.95),
        quantile(samples, 0.99)
    )
}
