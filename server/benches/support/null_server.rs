//! A language server that does nothing: it answers `initialize`, pushes an
//! empty diagnostics list for every opened or changed document (with its
//! version), and answers every other request with an empty result, each at
//! once. Run beside the real servers, its figures are the floor of each
//! measure on the machine: the cost of the pipes, of the bench's own client
//! and of waking an idle process, which every server pays too.

use std::io::{BufReader, Write};

use serde_json::{Value, json};

use super::client::read_frame;

/// The argument that makes a bench binary run as the null server.
pub const ARG: &str = "--null-server";

/// Serves stdin and stdout until `exit` or the end of input.
pub fn serve() {
    let stdin = std::io::stdin();
    let mut input = BufReader::new(stdin.lock());
    let mut output = std::io::stdout().lock();
    while let Some(body) = read_frame(&mut input) {
        let Ok(message) = serde_json::from_slice::<Value>(&body) else {
            continue;
        };
        let method = message["method"].as_str().unwrap_or_default();
        let answer = match (method, message.get("id")) {
            ("exit", _) => return,
            ("initialize", Some(id)) => json!({ "jsonrpc": "2.0", "id": id, "result": {
                "capabilities": { "textDocumentSync": 2, "documentSymbolProvider": true }
            }}),
            (_, Some(id)) if !method.is_empty() => {
                json!({ "jsonrpc": "2.0", "id": id, "result": null })
            }
            ("textDocument/didOpen" | "textDocument/didChange", None) => {
                let document = &message["params"]["textDocument"];
                json!({ "jsonrpc": "2.0", "method": "textDocument/publishDiagnostics", "params": {
                    "uri": document["uri"], "version": document["version"], "diagnostics": []
                }})
            }
            _ => continue,
        };
        let body = answer.to_string();
        let framed = format!("Content-Length: {}\r\n\r\n{body}", body.len());
        if output
            .write_all(framed.as_bytes())
            .and_then(|_| output.flush())
            .is_err()
        {
            return;
        }
    }
}
