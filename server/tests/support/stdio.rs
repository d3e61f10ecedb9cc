//! The server's side of a stdio session, read as the protocol frames it:
//! one thread reads `Content-Length` frames from the binary's stdout and
//! hands each message on, so a test can wait for one with a timeout.

use std::io::{BufRead, BufReader, Read};
use std::process::ChildStdout;
use std::sync::mpsc;

use serde_json::Value;

/// Every message the server writes, in order, until its stdout closes.
/// The server's frames are checked as they come: its only header is
/// `Content-Length`, and every body is whole JSON.
pub fn messages(stdout: ChildStdout) -> mpsc::Receiver<Value> {
    let mut stdout = BufReader::new(stdout);
    let (tx, messages) = mpsc::channel();
    std::thread::spawn(move || {
        loop {
            let mut length = None;
            loop {
                let mut line = String::new();
                if stdout.read_line(&mut line).unwrap_or(0) == 0 {
                    return;
                }
                if line == "\r\n" {
                    break;
                }
                let (name, value) = line.split_once(':').expect("a header line");
                assert_eq!(name, "Content-Length", "the server's own header: {line:?}");
                length = Some(value.trim().parse::<usize>().unwrap());
            }
            let mut body = vec![0; length.expect("Content-Length")];
            stdout.read_exact(&mut body).unwrap();
            let message: Value =
                serde_json::from_slice(&body).expect("the server writes whole JSON messages");
            if tx.send(message).is_err() {
                return;
            }
        }
    });
    messages
}
