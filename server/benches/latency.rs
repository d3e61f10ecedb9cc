//! End-to-end latency through the protocol, as an editor sees it: the
//! release binary over stdio, timed from a message sent to the arrival of
//! the answer (recognised by its id, or its method, URI and version; see
//! `support/client.rs`).
//!
//!     cargo bench -p execplan-ls --bench latency
//!
//! Prints: spawn to the `initialize` answer; opening a 1,000- and a
//! 10,000-line plan to its first diagnostics (ten times each); 500
//! single-character changes, each timed to its fresh diagnostics and (in a
//! second run) to a `documentSymbol` answer, as p50/p95/p99; and the
//! resident size with 120 typical (20 KB) plans open, once the server is
//! idle. Targets are in docs/performance.md. `lsp_vs_rumdl.rs` runs the
//! same measures on execplan-ls and its peers side by side.

mod support;

use std::time::{Duration, Instant};

use support::client::{Server, ServerCommand, Workspace, ms, percentiles};

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
    let command = ServerCommand::execplan_ls();
    for _ in 0..20 {
        let started = Instant::now();
        let mut server = Server::spawn(&command);
        server.initialize(None, false);
        startups.push(ms(started.elapsed()));
        server.stop();
    }
    println!(
        "spawn to initialize answer:            {}",
        percentiles(&startups)
    );

    for lines in [1_000, 10_000] {
        let mut text = support::plan_of_lines(lines);
        let workspace = Workspace::new(&format!("plan-{lines}"));
        let uri = workspace.add_plan(&format!("plan-{lines}.md"), &text);
        let mut server = Server::spawn(&command);
        server.initialize(Some(&workspace.root), false);
        // Let the background index of the workspace's plans finish.
        std::thread::sleep(Duration::from_millis(1500));
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
            let started = server.open(&uri, &text, version);
            let answer = server.diagnostics(&uri, version, started);
            opens.push(ms(answer.at - started));
        }
        println!(
            "{lines:>6} lines ({:>3} KB): open to first diagnostics {}",
            text.len() / 1024,
            percentiles(&opens)
        );

        // Type at the end of the first open Progress item, one character at a time.
        let line = text.lines().position(|l| l.starts_with("- [ ] ")).unwrap();
        let mut column = text.lines().nth(line).unwrap().len();
        let mut to_diagnostics = Vec::new();
        for _ in 0..KEYSTROKES {
            version += 1;
            let started = server.type_at(&uri, version, &mut text, line, column);
            let answer = server.diagnostics(&uri, version, started);
            to_diagnostics.push(ms(answer.at - started));
            column += 1;
        }
        // The first keystroke after opening builds the syntax tree.
        println!(
            "{lines:>6} lines: first keystroke to diagnostics {:.2} ms",
            to_diagnostics[0]
        );
        println!(
            "{lines:>6} lines: keystroke to diagnostics      {}",
            percentiles(&to_diagnostics)
        );

        let mut alone = Vec::new();
        for _ in 0..KEYSTROKES {
            let (id, started) = server.document_symbol(&uri);
            let answer = server.answer(id);
            alone.push(ms(answer.at - started));
        }
        println!(
            "{lines:>6} lines: documentSymbol alone       {}",
            percentiles(&alone)
        );
        let mut to_symbols = Vec::new();
        for _ in 0..KEYSTROKES {
            version += 1;
            let started = server.type_at(&uri, version, &mut text, line, column);
            let (id, _) = server.document_symbol(&uri);
            let answer = server.answer(id);
            to_symbols.push(ms(answer.at - started));
            column += 1;
        }
        println!(
            "{lines:>6} lines: keystroke to documentSymbol   {}",
            percentiles(&to_symbols)
        );
        server.stop();
    }

    // 120 plans open: loose files, then plans of a workspace that the
    // server also indexes.
    let plans: Vec<String> = (0..120).map(|_| support::plan_of_lines(550)).collect();
    let size: usize = plans.iter().map(String::len).sum();
    for workspace in [None, Some(Workspace::new("many"))] {
        let mut server = Server::spawn(&command);
        let uris: Vec<String> = (0..plans.len())
            .map(|i| match &workspace {
                Some(w) => w.add_plan(&format!("open-{i}.md"), &plans[i]),
                None => format!("file:///bench/.agent/plans/open-{i}.md"),
            })
            .collect();
        server.initialize(workspace.as_ref().map(|w| w.root.as_path()), false);
        if workspace.is_some() {
            std::thread::sleep(Duration::from_millis(1500));
        }
        let baseline = server.resident_kb();
        for (uri, text) in uris.iter().zip(&plans) {
            let started = server.open(uri, text, 1);
            server.diagnostics(uri, 1, started);
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
