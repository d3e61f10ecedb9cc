//! The framing layer between the editor's pipes and tower-lsp-server.
//!
//! tower-lsp-server decodes stdin with tokio-util's `FramedRead`, whose stream
//! ends after the first decode error: one malformed message would end the
//! server and lose every open document. So the server never sees stdin
//! itself. [`CheckedInput`] reads the frames, checks each one, and hands the
//! server only well-formed messages, framed again; every malformed frame gets
//! the JSON-RPC answer instead (`-32700` with a null id for a body that is not
//! JSON, or a frame that cannot be read; `-32600` for JSON that is not a
//! message), and the reader resynchronises at the next `Content-Length`
//! header. The server writes into an in-memory pipe that [`write_output`]
//! drains; that task owns stdout and writes the server's messages and the
//! error answers as whole frames, so the two never interleave.
//!
//! Bounds: a header block is at most [`MAX_HEADER`] bytes and a body at most
//! [`MAX_BODY`]; a frame over either is answered and then skipped, without
//! buffering it, like garbage, up to the next header.
//!
//! Cost: each message is copied once more (from this layer's buffer into the
//! server's) and parsed once more, without building it (`serde_json` into the
//! few members a message has, checking what tower-lsp-server's own decoding
//! would reject, so that nothing passed on can end its stream); the searches
//! for header ends use `memchr`.

use std::borrow::Cow;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use memchr::memmem;
use serde::de::{MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::{Value, json};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::sync::mpsc;
use tower_lsp_server::{ClientSocket, LanguageServer, LspService, Server};

/// The longest header block read before the frame is treated as garbage.
pub const MAX_HEADER: usize = 8 * 1024;
/// The longest body accepted (64 MiB); a longer one is answered and skipped.
pub const MAX_BODY: usize = 64 * 1024 * 1024;

/// How much is read from stdin at a time.
const READ_CHUNK: usize = 64 * 1024;
/// The largest read buffer kept once it is empty.
const KEEP_BUFFER: usize = 1024 * 1024;
/// Where the reader looks for the next frame after a malformed one.
const RESYNC_AT: &[u8] = b"Content-Length:";
/// The capacity of the pipe from the server to the output task.
const OUTPUT_PIPE: usize = 256 * 1024;

/// JSON-RPC's "Parse error".
pub const PARSE_ERROR: i64 = -32700;
/// JSON-RPC's "Invalid Request".
pub const INVALID_REQUEST: i64 = -32600;

/// Serves `service` on `input` and `output`, through the framing layer.
pub async fn serve<S: LanguageServer>(
    input: Box<dyn AsyncRead + Unpin + Send>,
    output: Box<dyn AsyncWrite + Unpin + Send>,
    service: LspService<S>,
    socket: ClientSocket,
) {
    let (answers, answered) = mpsc::unbounded_channel();
    let (server_out, from_server) = tokio::io::duplex(OUTPUT_PIPE);
    let server = async move {
        Server::new(CheckedInput::new(input, answers), server_out, socket)
            .serve(service)
            .await;
        // `serve` drops its input and output here, which ends `write_output`.
    };
    // One task for both: the output side wakes on the server's own thread.
    let (_, _) = tokio::join!(server, write_output(from_server, answered, output));
}

/// What the decoder found at the front of its buffer.
#[derive(Debug, PartialEq)]
enum Step {
    /// A well-formed message: its body is `buf[start..end]`.
    Frame { start: usize, end: usize },
    /// A malformed frame, and the answer to send for it.
    Malformed(Answer),
    /// Nothing whole yet: read more.
    NeedMore,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum State {
    /// Expecting a header block.
    Header,
    /// Expecting a body of this many bytes.
    Body(usize),
    /// Discarding bytes until the next `Content-Length:`.
    Skipping,
}

/// The frame decoder, without I/O: bytes go in with [`Decoder::spare`] and
/// [`Decoder::filled`], steps come out of [`Decoder::next`].
#[derive(Debug)]
struct Decoder {
    /// Allocated bytes; `buf[start..end]` is what has not been decoded yet.
    buf: Vec<u8>,
    start: usize,
    end: usize,
    state: State,
}

impl Decoder {
    fn new() -> Decoder {
        Decoder {
            buf: Vec::new(),
            start: 0,
            end: 0,
            state: State::Header,
        }
    }

    /// Room for at least `READ_CHUNK` more bytes, after moving what is left
    /// to the front. Only call it when no frame handed out is still in use.
    fn spare(&mut self) -> &mut [u8] {
        if self.start > 0 {
            self.buf.copy_within(self.start..self.end, 0);
            self.end -= self.start;
            self.start = 0;
        }
        if self.end == 0 && self.buf.len() > KEEP_BUFFER {
            // A big message has gone through: give its memory back.
            self.buf = Vec::new();
        }
        let wanted = self.end + READ_CHUNK;
        if self.buf.len() < wanted {
            self.buf.resize(wanted.next_power_of_two(), 0);
        }
        &mut self.buf[self.end..]
    }

    /// `n` bytes were written into [`Decoder::spare`].
    fn filled(&mut self, n: usize) {
        self.end += n;
    }

    fn next(&mut self) -> Step {
        loop {
            let data = &self.buf[self.start..self.end];
            match self.state {
                State::Header => {
                    // Blank lines between frames are tolerated silently.
                    let blank = data
                        .iter()
                        .take_while(|b| matches!(b, b'\r' | b'\n'))
                        .count();
                    if blank > 0 {
                        self.start += blank;
                        continue;
                    }
                    if data.is_empty() {
                        return Step::NeedMore;
                    }
                    // Bytes that cannot begin a header line are garbage now,
                    // without waiting for the end of a header block.
                    let name = data.iter().take_while(|b| is_name_byte(**b)).count();
                    if name < data.len() && data[name] != b':' {
                        return self.malformed(
                            PARSE_ERROR,
                            "bytes that are not a header where a header should begin".to_string(),
                        );
                    }
                    let window = &data[..data.len().min(MAX_HEADER + 4)];
                    let Some((header_len, blank_line)) = header_end(window) else {
                        if data.len() < MAX_HEADER {
                            return Step::NeedMore;
                        }
                        return self.malformed(
                            PARSE_ERROR,
                            format!("no header block ends within {MAX_HEADER} bytes"),
                        );
                    };
                    match content_length(&data[..header_len]) {
                        Ok(len) if len > MAX_BODY => {
                            return self.malformed(
                                PARSE_ERROR,
                                format!(
                                    "Content-Length {len} is over the limit of {MAX_BODY} bytes; the body is skipped"
                                ),
                            );
                        }
                        Ok(len) => {
                            self.start += header_len + blank_line;
                            self.state = State::Body(len);
                        }
                        Err(why) => return self.malformed(PARSE_ERROR, why),
                    }
                }
                State::Body(len) => {
                    if data.len() < len {
                        return Step::NeedMore;
                    }
                    let (start, end) = (self.start, self.start + len);
                    self.start = end;
                    self.state = State::Header;
                    return match check_message(&self.buf[start..end]) {
                        Ok(()) => Step::Frame { start, end },
                        Err(answer) => Step::Malformed(answer),
                    };
                }
                State::Skipping => match memmem::find(data, RESYNC_AT) {
                    Some(at) => {
                        self.start += at;
                        self.state = State::Header;
                    }
                    None => {
                        // Keep only what could be the start of the header.
                        let keep = data.len().min(RESYNC_AT.len() - 1);
                        self.start = self.end - keep;
                        return Step::NeedMore;
                    }
                },
            }
        }
    }

    /// Answers the frame at the front and skips to the next header after it.
    fn malformed(&mut self, code: i64, why: String) -> Step {
        self.start += 1;
        self.state = State::Skipping;
        Step::Malformed(Answer::new(code, &why, &Value::Null))
    }
}

/// Where the header block at the front of `data` ends, and the length of
/// the blank line that ends it: `\r\n\r\n` as the protocol says, or a bare
/// `\n\n` from a client that writes Unix line ends, taken as well.
fn header_end(data: &[u8]) -> Option<(usize, usize)> {
    let crlf = memmem::find(data, b"\r\n\r\n").map(|at| (at, 4));
    let lf = memmem::find(data, b"\n\n").map(|at| (at, 2));
    match (crlf, lf) {
        (Some(crlf), Some(lf)) => Some(if lf.0 < crlf.0 { lf } else { crlf }),
        (crlf, lf) => crlf.or(lf),
    }
}

/// The value of the one `Content-Length` header of a header block.
fn content_length(block: &[u8]) -> Result<usize, String> {
    let mut length = None;
    for line in block.split(|&b| b == b'\n') {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let Some(colon) = line.iter().position(|&b| b == b':') else {
            return Err(format!(
                "a header line has no `:`: {:?}",
                String::from_utf8_lossy(&line[..line.len().min(80)])
            ));
        };
        let (name, value) = (&line[..colon], &line[colon + 1..]);
        if name.is_empty() || !name.iter().all(|b| is_name_byte(*b)) {
            return Err(format!(
                "not a header name: {:?}",
                String::from_utf8_lossy(&name[..name.len().min(80)])
            ));
        }
        if name.eq_ignore_ascii_case(b"content-length") {
            let value = value.trim_ascii();
            if value.is_empty() || !value.iter().all(u8::is_ascii_digit) {
                return Err(format!(
                    "Content-Length is not a number: {:?}",
                    String::from_utf8_lossy(&value[..value.len().min(80)])
                ));
            }
            // All digits: only overflow can fail, and that is over the limit.
            let parsed = std::str::from_utf8(value)
                .ok()
                .and_then(|v| v.parse::<usize>().ok())
                .unwrap_or(usize::MAX);
            if length.replace(parsed).is_some() {
                return Err("two Content-Length headers".to_string());
            }
        }
    }
    length.ok_or_else(|| "a header block without Content-Length".to_string())
}

/// A byte of a header's name.
fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'_'
}

/// The members of a JSON-RPC message, typed as tower-lsp-server reads them,
/// so that everything this accepts, the server can decode.
#[derive(Deserialize)]
struct Shape<'a> {
    #[serde(borrow)]
    jsonrpc: Cow<'a, str>,
    #[serde(default, deserialize_with = "present")]
    method: Option<Cow<'a, str>>,
    #[serde(default, deserialize_with = "present")]
    id: Option<Value>,
    #[serde(default, deserialize_with = "present")]
    params: Option<Kind>,
    #[serde(default, deserialize_with = "present")]
    result: Option<Kind>,
    #[serde(default, deserialize_with = "present")]
    error: Option<Value>,
}

/// What kind of JSON value a member holds. Reading one walks the value
/// without building it (no allocation), through `serde_json`'s own nesting
/// limit, as the server's decoding into `serde_json::Value` does.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Kind {
    Null,
    Scalar,
    Array,
    Object,
}

impl<'de> Deserialize<'de> for Kind {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Kind, D::Error> {
        d.deserialize_any(KindVisitor)
    }
}

struct KindVisitor;

impl<'de> Visitor<'de> for KindVisitor {
    type Value = Kind;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, _: bool) -> Result<Kind, E> {
        Ok(Kind::Scalar)
    }
    fn visit_i64<E>(self, _: i64) -> Result<Kind, E> {
        Ok(Kind::Scalar)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Kind, E> {
        Ok(Kind::Scalar)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Kind, E> {
        Ok(Kind::Scalar)
    }
    fn visit_str<E>(self, _: &str) -> Result<Kind, E> {
        Ok(Kind::Scalar)
    }
    fn visit_unit<E>(self) -> Result<Kind, E> {
        Ok(Kind::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Kind, A::Error> {
        while seq.next_element::<Kind>()?.is_some() {}
        Ok(Kind::Array)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Kind, A::Error> {
        while map.next_entry::<Kind, Kind>()?.is_some() {}
        Ok(Kind::Object)
    }
}

/// `Some` for a member that is there, even when it is `null`.
fn present<'de, T: Deserialize<'de>, D: Deserializer<'de>>(d: D) -> Result<Option<T>, D::Error> {
    T::deserialize(d).map(Some)
}

/// Whether `body` is a JSON-RPC request, notification or response; the
/// framed error answer when it is not.
fn check_message(body: &[u8]) -> Result<(), Answer> {
    let text = std::str::from_utf8(body).map_err(|e| {
        Answer::new(
            PARSE_ERROR,
            &format!("the body is not valid UTF-8: {e}"),
            &Value::Null,
        )
    })?;
    let shape = match serde_json::from_str::<Shape>(text) {
        Ok(shape) => shape,
        Err(e) if e.is_data() => {
            // JSON, but not a message; answer with its id when it has one.
            return Err(match serde_json::from_str::<Value>(text) {
                Ok(value) => {
                    let id = value.get("id").filter(|id| valid_id(id));
                    let why = if value.is_object() {
                        format!("not a JSON-RPC message: {e}")
                    } else {
                        "not a JSON-RPC message: the body is not a JSON object".to_string()
                    };
                    Answer::new(INVALID_REQUEST, &why, id.unwrap_or(&Value::Null))
                }
                Err(e) => Answer::new(
                    PARSE_ERROR,
                    &format!("the body is not JSON: {e}"),
                    &Value::Null,
                ),
            });
        }
        Err(e) => {
            return Err(Answer::new(
                PARSE_ERROR,
                &format!("the body is not JSON: {e}"),
                &Value::Null,
            ));
        }
    };
    let invalid = |why: &str, id: Option<&Value>| {
        let id = id.filter(|id| valid_id(id)).unwrap_or(&Value::Null);
        Err(Answer::new(
            INVALID_REQUEST,
            &format!("not a JSON-RPC message: {why}"),
            id,
        ))
    };
    let id = shape.id.as_ref();
    if !text.trim_start().starts_with('{') {
        return invalid("the body is not a JSON object", id);
    }
    if shape.jsonrpc != "2.0" {
        return invalid("`jsonrpc` must be \"2.0\"", id);
    }
    if let Some(id) = id
        && !valid_id(id)
    {
        return invalid("`id` must be an integer, a string or null", None);
    }
    match (&shape.method, &shape.result, &shape.error) {
        (Some(_), None, None) => {
            if shape.params == Some(Kind::Scalar) {
                return invalid("`params` must be an object or an array", id);
            }
            Ok(())
        }
        (Some(_), _, _) => invalid("a request has no `result` or `error`", id),
        (None, None, None) if id.is_some() => invalid("no `method`, `result` or `error`", id),
        (None, None, None) => invalid("neither `method` nor `id`", None),
        (None, Some(_), Some(_)) => invalid("a response has `result` or `error`, not both", id),
        (None, _, _) if id.is_none() => invalid("a response needs an `id`", None),
        (None, Some(_), None) => Ok(()),
        (None, None, Some(error)) => {
            let code_ok = error.get("code").is_some_and(|c| c.as_i64().is_some());
            let message_ok = error.get("message").is_some_and(Value::is_string);
            if code_ok && message_ok {
                Ok(())
            } else {
                invalid(
                    "`error` must have an integer `code` and a string `message`",
                    id,
                )
            }
        }
    }
}

/// An `id` tower-lsp-server accepts: an integer that fits 64 bits, a
/// string, or null.
fn valid_id(id: &Value) -> bool {
    id.is_i64() || id.is_string() || id.is_null()
}

/// The JSON-RPC error answer to a malformed frame.
#[derive(Debug, PartialEq)]
struct Answer {
    code: i64,
    message: String,
    id: Value,
}

impl Answer {
    fn new(code: i64, message: &str, id: &Value) -> Answer {
        Answer {
            code,
            message: message.to_string(),
            id: id.clone(),
        }
    }

    /// The answer as a frame, ready to write.
    fn framed(&self) -> Vec<u8> {
        let body = json!({
            "jsonrpc": "2.0",
            "id": self.id,
            "error": { "code": self.code, "message": self.message },
        })
        .to_string();
        let mut frame = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
        frame.extend_from_slice(body.as_bytes());
        frame
    }
}

/// A frame handed to the server: its header, then `buf[body..body_end]`.
struct Pending {
    header: [u8; 40],
    header_len: usize,
    /// How much of header and body has been handed out.
    sent: usize,
    body: usize,
    body_end: usize,
}

/// Stdin as the server sees it: only well-formed messages, each framed
/// again with a plain `Content-Length` header. The answers to malformed
/// frames go to `answers`, which [`write_output`] writes out.
pub struct CheckedInput<R> {
    inner: R,
    decoder: Decoder,
    pending: Option<Pending>,
    answers: mpsc::UnboundedSender<Vec<u8>>,
    eof: bool,
}

impl<R> CheckedInput<R> {
    pub fn new(inner: R, answers: mpsc::UnboundedSender<Vec<u8>>) -> CheckedInput<R> {
        CheckedInput {
            inner,
            decoder: Decoder::new(),
            pending: None,
            answers,
            eof: false,
        }
    }
}

impl<R: AsyncRead + Unpin> AsyncRead for CheckedInput<R> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        out: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        loop {
            if let Some(p) = &mut this.pending {
                let total = p.header_len + (p.body_end - p.body);
                while p.sent < total && out.remaining() > 0 {
                    let part = if p.sent < p.header_len {
                        &p.header[p.sent..p.header_len]
                    } else {
                        &this.decoder.buf[p.body + p.sent - p.header_len..p.body_end]
                    };
                    let n = part.len().min(out.remaining());
                    out.put_slice(&part[..n]);
                    p.sent += n;
                }
                if p.sent == total {
                    this.pending = None;
                }
                return Poll::Ready(Ok(()));
            }
            match this.decoder.next() {
                Step::Frame { start, end } => {
                    let mut header = [0u8; 40];
                    let text = format!("Content-Length: {}\r\n\r\n", end - start);
                    header[..text.len()].copy_from_slice(text.as_bytes());
                    this.pending = Some(Pending {
                        header,
                        header_len: text.len(),
                        sent: 0,
                        body: start,
                        body_end: end,
                    });
                }
                Step::Malformed(answer) => {
                    // Stderr is the editor's log of the server.
                    eprintln!(
                        "execplan-ls: a malformed message on stdin, answered {} and skipped: {}",
                        answer.code, answer.message
                    );
                    // The output task is gone only when the server is.
                    let _ = this.answers.send(answer.framed());
                }
                Step::NeedMore => {
                    if this.eof {
                        return Poll::Ready(Ok(()));
                    }
                    let spare = this.decoder.spare();
                    let mut read = ReadBuf::new(spare);
                    ready!(Pin::new(&mut this.inner).poll_read(cx, &mut read))?;
                    let n = read.filled().len();
                    if n == 0 {
                        this.eof = true;
                    } else {
                        this.decoder.filled(n);
                    }
                }
            }
        }
    }
}

/// Writes the server's messages (read from `from_server`) and the answers
/// to malformed frames to `out`, each as a whole frame, until both end.
pub async fn write_output(
    mut from_server: impl AsyncRead + Unpin,
    mut answers: mpsc::UnboundedReceiver<Vec<u8>>,
    mut out: impl AsyncWrite + Unpin,
) -> io::Result<()> {
    let mut buf: Vec<u8> = Vec::with_capacity(READ_CHUNK);
    let (mut server_open, mut answers_open) = (true, true);
    while server_open || answers_open {
        tokio::select! {
            // Answers first: an answer was due before anything the server
            // wrote after reading the frames that came next.
            biased;
            answer = answers.recv(), if answers_open => match answer {
                Some(answer) => {
                    out.write_all(&answer).await?;
                    out.flush().await?;
                }
                None => answers_open = false,
            },
            read = from_server.read_buf(&mut buf), if server_open => {
                match read {
                    Ok(0) | Err(_) => server_open = false,
                    Ok(_) => {
                        let whole = whole_frames(&buf);
                        if whole > 0 {
                            out.write_all(&buf[..whole]).await?;
                            out.flush().await?;
                            buf.drain(..whole);
                        }
                        if buf.capacity() - buf.len() < 4096 {
                            buf.reserve(READ_CHUNK);
                        }
                    }
                }
            }
        }
    }
    out.flush().await
}

/// How many bytes at the front of `buf` are whole frames. The frames come
/// from tower-lsp-server's encoder: `Content-Length: N\r\n\r\n` and a body.
fn whole_frames(buf: &[u8]) -> usize {
    let mut at = 0;
    loop {
        let rest = &buf[at..];
        let Some(header_len) = memmem::find(&rest[..rest.len().min(MAX_HEADER)], b"\r\n\r\n")
        else {
            return at;
        };
        let Ok(len) = content_length(&rest[..header_len]) else {
            // Not the server's framing: pass it on rather than hold it.
            return buf.len();
        };
        let frame = header_len + 4 + len;
        if rest.len() < frame {
            return at;
        }
        at += frame;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(input: &[u8]) -> Vec<Result<String, Value>> {
        let mut decoder = Decoder::new();
        // Feed in small pieces, as a pipe might deliver them.
        let mut steps = Vec::new();
        for piece in input.chunks(7) {
            decoder.spare()[..piece.len()].copy_from_slice(piece);
            decoder.filled(piece.len());
            loop {
                match decoder.next() {
                    Step::Frame { start, end } => steps
                        .push(Ok(
                            String::from_utf8(decoder.buf[start..end].to_vec()).unwrap()
                        )),
                    Step::Malformed(answer) => {
                        let framed = answer.framed();
                        let body = framed.split(|&b| b == b'\n').next_back().unwrap();
                        steps.push(Err(serde_json::from_slice(body).unwrap()));
                    }
                    Step::NeedMore => break,
                }
            }
        }
        steps
    }

    fn frame(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    const PING: &str = r#"{"jsonrpc":"2.0","id":1,"method":"ping"}"#;

    fn codes(steps: &[Result<String, Value>]) -> Vec<i64> {
        steps
            .iter()
            .map(|s| match s {
                Ok(_) => 0,
                Err(v) => v["error"]["code"].as_i64().unwrap(),
            })
            .collect()
    }

    #[test]
    fn well_formed_messages_pass_whole() {
        let notification = r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#;
        let response = r#"{"jsonrpc":"2.0","id":"a","result":null}"#;
        let input = format!(
            "{}\r\n{}Content-Type: application/vscode-jsonrpc; charset=utf-8\r\ncontent-length: {}\r\n\r\n{response}",
            frame(PING),
            frame(notification),
            response.len()
        );
        let steps = decode(input.as_bytes());
        assert_eq!(
            steps,
            vec![
                Ok(PING.to_string()),
                Ok(notification.to_string()),
                Ok(response.to_string())
            ]
        );
    }

    #[test]
    fn each_malformed_body_gets_its_answer_and_the_next_frame_passes() {
        let cases: &[(&[u8], i64)] = &[
            (b"{not json!!}", PARSE_ERROR),
            (b"", PARSE_ERROR),
            (b"[1, 2]", INVALID_REQUEST),
            (b"42", INVALID_REQUEST),
            (br#"{"jsonrpc":"2.0"}"#, INVALID_REQUEST),
            (br#"{"jsonrpc":"2.0","id":3}"#, INVALID_REQUEST),
            (br#"{"jsonrpc":"2.0","id":4,"method":7}"#, INVALID_REQUEST),
            (
                br#"{"jsonrpc":"2.0","id":1.5,"method":"x"}"#,
                INVALID_REQUEST,
            ),
            (br#"{"jsonrpc":"1.0","id":5,"method":"x"}"#, INVALID_REQUEST),
            (
                br#"{"jsonrpc":"2.0","method":"x","method":"y"}"#,
                INVALID_REQUEST,
            ),
            (
                br#"{"jsonrpc":"2.0","id":6,"error":{"code":"x"}}"#,
                INVALID_REQUEST,
            ),
            (
                b"{\"jsonrpc\":\"2.0\",\"method\":\"\xff\xfe\"}",
                PARSE_ERROR,
            ),
        ];
        for (body, code) in cases {
            let mut input = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
            input.extend_from_slice(body);
            input.extend_from_slice(frame(PING).as_bytes());
            let steps = decode(&input);
            assert_eq!(
                codes(&steps),
                vec![*code, 0],
                "{:?}: {steps:?}",
                String::from_utf8_lossy(body)
            );
        }
    }

    #[test]
    fn unix_line_ends_in_headers_are_taken_too() {
        let input = format!(
            "Content-Length: {}\n\n{PING}Content-Length: {}\r\n\n{PING}",
            PING.len(),
            PING.len()
        );
        assert_eq!(
            decode(input.as_bytes()),
            vec![Ok(PING.to_string()), Ok(PING.to_string())]
        );
    }

    #[test]
    fn an_invalid_request_keeps_its_id() {
        let steps = decode(frame(r#"{"jsonrpc":"2.0","id":4,"method":7}"#).as_bytes());
        assert_eq!(steps[0].as_ref().unwrap_err()["id"], 4);
        let steps = decode(frame(r#"{not json"#).as_bytes());
        assert_eq!(steps[0].as_ref().unwrap_err()["id"], Value::Null);
    }

    #[test]
    fn bad_headers_and_garbage_resynchronise_at_the_next_header() {
        let ping = frame(PING);
        let cases = [
            format!("Content-Type: text/plain\r\n\r\n{PING}{ping}"),
            format!("Content-Length: twelve\r\n\r\n{PING}{ping}"),
            format!("Content-Length: 99999999999999999999999\r\n\r\n{PING}{ping}"),
            format!("Content-Length: {}\r\n\r\n{PING}{ping}", MAX_BODY + 1),
            format!("garbage bytes{ping}"),
            format!("{ping}\u{0}\u{7f}noise\r\n\r\nmore{ping}"),
        ];
        for case in cases {
            let steps = decode(case.as_bytes());
            let codes = codes(&steps);
            assert!(codes.ends_with(&[PARSE_ERROR, 0]), "{case:?}: {steps:?}");
            assert_eq!(
                codes.iter().filter(|c| **c == PARSE_ERROR).count(),
                1,
                "{case:?}"
            );
        }
    }

    #[test]
    fn a_skipped_body_that_names_the_header_yields_no_false_frame() {
        let body =
            r#"{"jsonrpc":"2.0","method":"x","params":{"text":"Content-Length: 12\r\n\r\n{}"}}"#;
        let input = format!(
            "Content-Length: {}\r\n\r\n{body}{}",
            MAX_BODY + 1,
            frame(PING)
        );
        let steps = decode(input.as_bytes());
        let (last, before) = steps.split_last().unwrap();
        assert_eq!(last, &Ok(PING.to_string()));
        assert!(before.iter().all(Result::is_err), "{steps:?}");
    }

    #[test]
    fn skipping_holds_no_more_than_a_header_start() {
        let mut decoder = Decoder::new();
        let junk = vec![b'x'; 3 * MAX_HEADER];
        decoder.spare()[..junk.len().min(READ_CHUNK)].copy_from_slice(&junk);
        decoder.filled(junk.len());
        assert!(matches!(decoder.next(), Step::Malformed(_)));
        assert_eq!(decoder.next(), Step::NeedMore);
        assert!(decoder.end - decoder.start < RESYNC_AT.len());
    }

    /// Whether tower-lsp-server decodes `body` (its `Message` is a response
    /// or else a request, tried in that order).
    fn server_decodes(body: &str) -> bool {
        use tower_lsp_server::jsonrpc::{Request, Response};
        serde_json::from_str::<Response>(body).is_ok()
            || serde_json::from_str::<Request>(body).is_ok()
    }

    #[test]
    fn what_passes_the_server_decodes_at_every_nesting_depth() {
        let mut passed = 0;
        for depth in 100..140 {
            let body = format!(
                r#"{{"jsonrpc":"2.0","method":"x","params":{}{}}}"#,
                "[".repeat(depth),
                "]".repeat(depth)
            );
            let ours = check_message(body.as_bytes()).is_ok();
            assert_eq!(ours, server_decodes(&body), "depth {depth}");
            passed += usize::from(ours);
        }
        assert!(passed > 0 && passed < 40, "the limit lies inside the range");
    }

    #[test]
    fn what_passes_the_server_decodes() {
        let bodies = [
            r#"{"jsonrpc":"2.0","id":1,"method":"shutdown","params":null}"#,
            r#"{"jsonrpc":"2.0","id":"x","method":"a\u00e9","params":[1,{"a":[]}]}"#,
            r#"{"jsonrpc":"2.0","id":null,"method":""}"#,
            r#"{"jsonrpc":"2.0","id":9223372036854775807,"method":"a"}"#,
            r#"{"jsonrpc":"2.0","id":9223372036854775808,"method":"a"}"#,
            r#"{"jsonrpc":"2.0","id":-1,"result":{"a":"\ud83d\ude00"}}"#,
            r#"{"jsonrpc":"2.0","id":2,"error":{"code":-32601,"message":"m","data":[1]}}"#,
            r#"{"jsonrpc":"2.0","id":2,"error":{"code":1.5,"message":"m"}}"#,
            r#"{"jsonrpc":"2.0","method":"a","params":{"t":"\ud800"}}"#,
            r#"{"jsonrpc":"2.0","method":"a","extra":{"deep":[[[]]]}}"#,
            r#"{"jsonrpc":"2\u002e0","method":"a"}"#,
            r#"{"jsonrpc":"2.0","method":"a","params":{"k":1,"k":2}}"#,
        ];
        for body in bodies {
            if check_message(body.as_bytes()).is_ok() {
                assert!(server_decodes(body), "passed on but undecodable: {body}");
            }
        }
    }

    #[test]
    fn random_damage_passes_on_only_what_the_server_decodes() {
        let clean = [
            frame(PING),
            frame(r##"{"jsonrpc":"2.0","method":"textDocument/didChange","params":{"contentChanges":[{"text":"# Plan\n"}]}}"##),
            frame(r#"{"jsonrpc":"2.0","id":"r","result":[null, {"a": 1.5}]}"#),
        ]
        .concat()
        .into_bytes();
        let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
        let mut random = move |below: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % below as u64) as usize
        };
        let specials = b"{}[]\":,\r\n0123456789-Content-Length: \xff";
        for _ in 0..1_000 {
            let mut input = clean.repeat(1 + random(3));
            for _ in 0..1 + random(4) {
                let at = random(input.len());
                match random(3) {
                    0 => input[at] = specials[random(specials.len())],
                    1 => input.insert(at, specials[random(specials.len())]),
                    _ => {
                        input.remove(at);
                    }
                }
            }
            let mut decoder = Decoder::new();
            let mut fed = 0;
            while fed < input.len() {
                let n = (1 + random(300)).min(input.len() - fed);
                decoder.spare()[..n].copy_from_slice(&input[fed..fed + n]);
                decoder.filled(n);
                fed += n;
                loop {
                    match decoder.next() {
                        Step::Frame { start, end } => {
                            let body = std::str::from_utf8(&decoder.buf[start..end]).unwrap();
                            assert!(server_decodes(body), "{body:?}");
                        }
                        Step::Malformed(_) => {}
                        Step::NeedMore => break,
                    }
                }
                assert!(decoder.buf.len() <= 2 * (MAX_HEADER + READ_CHUNK));
            }
        }
    }

    #[test]
    fn whole_frames_stop_before_a_partial_one() {
        let two = format!("{}{}", frame(PING), frame(PING));
        let cut = two.len() - 3;
        assert_eq!(whole_frames(&two.as_bytes()[..cut]), frame(PING).len());
        assert_eq!(whole_frames(two.as_bytes()), two.len());
        assert_eq!(whole_frames(b"Content-Len"), 0);
    }
}
