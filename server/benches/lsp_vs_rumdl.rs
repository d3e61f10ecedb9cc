//! execplan-ls side by side with its peers through the protocol, in one run
//! on the same inputs (issue 17): rumdl (`RUMDL`, the path of its binary:
//! `rumdl server` is its language server) on every measure, and VS Code's
//! Markdown language server (`VSCODE_MARKDOWN_LS`, a command that runs it
//! with an editor's side of its protocol, `scripts/bench/vscode-markdown-ls.mjs`)
//! on keystroke → `documentSymbol`, the one measure it shares with the
//! others (its diagnostics only check links). Normally run by
//! `scripts/bench/lsp-vs-rumdl.sh`, which installs the peers:
//!
//!     RUMDL=… [VSCODE_MARKDOWN_LS=…] [PLANS_DIR=…] [KEYSTROKES=300] \
//!         cargo bench -p execplan-ls --bench lsp_vs_rumdl
//!
//! Every server runs at the same time in the same repository on disk, and
//! the measures alternate between them sample by sample, so a busy moment
//! of the machine falls on all of them alike. Inputs: generated 1,000- and
//! 10,000-line plans (`support::plan_of_lines`) and, with `PLANS_DIR`, real
//! plans from there, the largest first, joined to the same sizes. Printed
//! for each input and server: open → first diagnostics (p50/p95), keystroke
//! → diagnostics and keystroke → `documentSymbol` (p50/p95/p99), each with
//! the ratio execplan-ls ÷ peer; then resident memory with 120 plans open.
//!
//! Each server is driven as it asks: rumdl wants the whole text on every
//! change (`textDocumentSync` 1), execplan-ls and VS Code's server take
//! edits. Both rumdl and execplan-ls push diagnostics to a client that does
//! not offer to pull; execplan-ls's pushes carry the document's version,
//! rumdl's carry none, so its keystroke is timed to its first push for the
//! document after the change was sent (it pushes once per change: the bench
//! checks that no push is left over).
//!
//! A null server (`support/null_server.rs`, this binary run with
//! `--null-server`; `NO_FLOOR=1` leaves it out) answers everything at once
//! and takes every measure too: its figures are the floor of the measure on
//! the machine (pipes, the bench's client, waking an idle process), and the
//! bench prints how far above it execplan-ls is.

mod support;

use std::path::{Path, PathBuf};
use std::time::Duration;

use support::client::{Server, ServerCommand, Sync, Workspace, ms, quantile};

/// A server in the run, and what it is measured on.
struct Peer {
    command: ServerCommand,
    /// Whether its diagnostics are measured (VS Code's are not: they only
    /// check links, and only when pulled).
    diagnostics: bool,
    /// The null server: not a peer but the floor of each measure.
    floor: bool,
}

fn peers() -> Vec<Peer> {
    let mut peers = vec![Peer {
        command: ServerCommand::execplan_ls(),
        diagnostics: true,
        floor: false,
    }];
    match std::env::var_os("RUMDL") {
        Some(rumdl) => peers.push(Peer {
            command: ServerCommand::new("rumdl", PathBuf::from(rumdl), &["server"]),
            diagnostics: true,
            floor: false,
        }),
        None => eprintln!(
            "RUMDL is not set: execplan-ls alone (scripts/bench/lsp-vs-rumdl.sh installs rumdl)"
        ),
    }
    if let Some(vscode) = std::env::var_os("VSCODE_MARKDOWN_LS") {
        peers.push(Peer {
            command: ServerCommand::new("vscode-markdown", PathBuf::from(vscode), &[]),
            diagnostics: false,
            floor: false,
        });
    }
    if std::env::var_os("NO_FLOOR").is_none()
        && let Ok(this) = std::env::current_exe()
    {
        peers.push(Peer {
            command: ServerCommand::new("null server", this, &[support::null_server::ARG]),
            diagnostics: true,
            floor: true,
        });
    }
    peers
}

/// Real plans from `dir`, the largest first, joined until `lines` lines.
fn real_plan_of_lines(dir: &Path, lines: usize) -> Option<String> {
    let mut files: Vec<(u64, PathBuf)> = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let Ok(meta) = entry.metadata() else { continue };
            if meta.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|x| x == "md") {
                files.push((meta.len(), path));
            }
        }
    }
    files.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    let mut text = String::new();
    let mut count = 0;
    for (_, path) in files {
        let Ok(plan) = std::fs::read_to_string(&path) else {
            continue;
        };
        for line in plan.lines() {
            if count == lines {
                return Some(text);
            }
            text.push_str(line);
            text.push('\n');
            count += 1;
        }
        if !text.ends_with("\n\n") {
            text.push('\n');
            count += 1;
        }
    }
    (count >= lines / 2).then_some(text)
}

/// Up to `n` whole real plans from `dir`, in path order, repeated if there
/// are fewer.
fn real_plans(dir: &Path, n: usize) -> Vec<String> {
    let mut paths = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|x| x == "md") {
                paths.push(path);
            }
        }
    }
    paths.sort();
    let texts: Vec<String> = paths
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .filter(|t| !t.trim().is_empty())
        .collect();
    if texts.is_empty() {
        return Vec::new();
    }
    (0..n).map(|i| texts[i % texts.len()].clone()).collect()
}

/// The line and column where the bench types: the end of the first open
/// Progress item (else of the first list item, else the last line) in
/// ASCII, where UTF-8 and UTF-16 columns agree.
fn typing_place(text: &str) -> (usize, usize) {
    let lines: Vec<&str> = text.lines().collect();
    let fits = |l: &&str| l.is_ascii() && !l.is_empty();
    let line = lines
        .iter()
        .position(|l| l.starts_with("- [ ] ") && fits(l))
        .or_else(|| lines.iter().position(|l| l.starts_with("- ") && fits(l)))
        .unwrap_or(lines.len().saturating_sub(1));
    (line, lines.get(line).map_or(0, |l| l.len()))
}

/// One server's samples of one measure.
#[derive(Default)]
struct Samples {
    ms: Vec<f64>,
    /// Elements in the last answer (diagnostics or top-level symbols).
    last_count: usize,
}

struct Measure {
    name: &'static str,
    quantiles: &'static [(f64, &'static str)],
    /// Per server, in `peers` order; `None` where not measured.
    samples: Vec<Option<Samples>>,
}

const P50_P95: &[(f64, &str)] = &[(0.5, "p50"), (0.95, "p95")];
const P50_P95_P99: &[(f64, &str)] = &[(0.5, "p50"), (0.95, "p95"), (0.99, "p99")];

fn print_measure(measure: &Measure, peers: &[Peer]) {
    let ours = measure.samples[0].as_ref();
    for (i, samples) in measure.samples.iter().enumerate() {
        let Some(samples) = samples else { continue };
        if samples.ms.is_empty() {
            continue;
        }
        let mut line = format!("  {:<34} {:<16}", measure.name, peers[i].command.name);
        for &(p, label) in measure.quantiles {
            line.push_str(&format!(" {label} {:8.3} ms", quantile(&samples.ms, p)));
        }
        if i > 0
            && let Some(ours) = ours
            && !ours.ms.is_empty()
        {
            let (a, b) = (quantile(&ours.ms, 0.5), quantile(&samples.ms, 0.5));
            if peers[i].floor {
                line.push_str(&format!(
                    "   the floor: execplan-ls p50 is {:.3} ms above it",
                    a - b
                ));
                println!("{line}");
                continue;
            }
            line.push_str(&format!(
                "   execplan-ls/peer p50 {:.3} ({:.1}x ahead)",
                a / b,
                b / a
            ));
        }
        line.push_str(&format!("   [{} in answer]", samples.last_count));
        println!("{line}");
    }
}

fn run_input(label: &str, text: &str, peers: &[Peer], keystrokes: usize) {
    let lines = text.lines().count();
    println!(
        "\n{label}: {lines} lines ({} KB); load average {}",
        text.len() / 1024,
        load_average()
    );
    let workspace = Workspace::new(&format!("side-{lines}"));
    let uri = workspace.add_plan("plan.md", text);
    let mut servers: Vec<Server> = peers
        .iter()
        .map(|p| {
            let mut s = Server::spawn(&p.command);
            s.initialize(Some(&workspace.root), false);
            s
        })
        .collect();
    println!(
        "  changes sent as {}",
        servers
            .iter()
            .map(|s| format!(
                "{}: {}",
                s.name,
                match s.sync {
                    Sync::Full => "the whole text",
                    Sync::Incremental => "edits",
                }
            ))
            .collect::<Vec<_>>()
            .join(", ")
    );
    // Let each server's look at the workspace finish.
    std::thread::sleep(Duration::from_millis(1500));
    for s in &mut servers {
        s.drain(Duration::from_millis(100));
    }
    let n = servers.len();
    let blank = || -> Vec<Option<Samples>> { (0..n).map(|_| None).collect() };
    let mut opens = Measure {
        name: "open → first diagnostics",
        quantiles: P50_P95,
        samples: blank(),
    };
    let mut versions = vec![0i64; n];
    for round in 0..OPENS {
        for (i, server) in servers.iter_mut().enumerate() {
            if !peers[i].diagnostics {
                continue;
            }
            if round > 0 {
                server.close(&uri);
                std::thread::sleep(Duration::from_millis(20 + lines as u64 / 10));
                server.drain(Duration::from_millis(50));
            }
            versions[i] += 1;
            let started = server.open(&uri, text, versions[i]);
            let answer = server.diagnostics(&uri, versions[i], started);
            let s = opens.samples[i].get_or_insert_with(Samples::default);
            s.ms.push(ms(answer.at - started));
            s.last_count = answer.count;
        }
    }
    // Servers that were not timed on opening open the plan now.
    for (i, server) in servers.iter_mut().enumerate() {
        if versions[i] == 0 {
            versions[i] = 1;
            server.open(&uri, text, 1);
            let (id, _) = server.document_symbol(&uri);
            server.answer(id);
        }
        server.drain(Duration::from_millis(200));
    }
    print_measure(&opens, peers);

    let (line, column) = typing_place(text);
    let mut texts: Vec<String> = (0..n).map(|_| text.to_string()).collect();
    let mut columns = vec![column; n];
    let mut to_diagnostics = Measure {
        name: "keystroke → diagnostics",
        quantiles: P50_P95_P99,
        samples: blank(),
    };
    for _ in 0..keystrokes {
        for (i, server) in servers.iter_mut().enumerate() {
            if !peers[i].diagnostics {
                continue;
            }
            versions[i] += 1;
            let started = server.type_at(&uri, versions[i], &mut texts[i], line, columns[i]);
            columns[i] += 1;
            let answer = server.diagnostics(&uri, versions[i], started);
            let s = to_diagnostics.samples[i].get_or_insert_with(Samples::default);
            s.ms.push(ms(answer.at - started));
            s.last_count = answer.count;
            std::thread::sleep(pause());
        }
    }
    for (i, server) in servers.iter_mut().enumerate() {
        let left = server.drain(Duration::from_millis(300));
        if left > 0 && peers[i].diagnostics {
            println!(
                "  warning: {} pushed {left} diagnostics more than once per change; its keystroke figures may be early",
                peers[i].command.name
            );
        }
    }
    print_measure(&to_diagnostics, peers);

    let mut to_symbols = Measure {
        name: "keystroke → documentSymbol",
        quantiles: P50_P95_P99,
        samples: blank(),
    };
    for _ in 0..keystrokes {
        for (i, server) in servers.iter_mut().enumerate() {
            versions[i] += 1;
            let started = server.type_at(&uri, versions[i], &mut texts[i], line, columns[i]);
            columns[i] += 1;
            let (id, _) = server.document_symbol(&uri);
            let answer = server.answer(id);
            let s = to_symbols.samples[i].get_or_insert_with(Samples::default);
            s.ms.push(ms(answer.at - started));
            s.last_count = answer.count;
            std::thread::sleep(pause());
        }
    }
    print_measure(&to_symbols, peers);
    for server in servers {
        server.stop();
    }
}

/// Resident memory of each server with `plans` open in an indexed workspace,
/// once idle.
fn run_memory(label: &str, plans: &[String], peers: &[Peer]) {
    let size: usize = plans.iter().map(String::len).sum();
    println!(
        "\n{label}: {} plans open ({:.1} MB of text) in a workspace holding them; load average {}",
        plans.len(),
        size as f64 / 1e6,
        load_average()
    );
    let workspace = Workspace::new("side-many");
    let uris: Vec<String> = plans
        .iter()
        .enumerate()
        .map(|(i, text)| workspace.add_plan(&format!("open-{i}.md"), text))
        .collect();
    let mut servers: Vec<(usize, Server)> = peers
        .iter()
        .enumerate()
        .filter(|(_, p)| p.diagnostics && !p.floor)
        .map(|(i, p)| {
            let mut s = Server::spawn(&p.command);
            s.initialize(Some(&workspace.root), false);
            (i, s)
        })
        .collect();
    std::thread::sleep(Duration::from_millis(2000));
    let idle: Vec<u64> = servers.iter().map(|(_, s)| s.resident_kb()).collect();
    for (uri, text) in uris.iter().zip(plans) {
        for (_, server) in &mut servers {
            let started = server.open(uri, text, 1);
            server.diagnostics(uri, 1, started);
        }
    }
    // Resident once each server is idle: execplan-ls hands freed memory
    // back a second after the last plan opened.
    std::thread::sleep(Duration::from_millis(2000));
    let ours = servers[0].1.resident_kb();
    for ((i, server), idle) in servers.into_iter().zip(idle) {
        let kb = server.resident_kb();
        let mut line = format!(
            "  {:<34} {:<16} {:6.1} MB (idle before opening: {:.1} MB)",
            "resident with the plans open",
            peers[i].command.name,
            kb as f64 / 1024.0,
            idle as f64 / 1024.0
        );
        if i > 0 {
            line.push_str(&format!(
                "   execplan-ls/peer {:.2}",
                ours as f64 / kb as f64
            ));
        }
        println!("{line}");
        server.stop();
    }
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

/// The pause after each keystroke's sample (`PAUSE_MS`, 20 by default):
/// what one server still does after answering (a peer's garbage collector,
/// work it queued) would otherwise fall on the next server's sample, and on
/// two cores the fastest server's figures suffer most. Someone typing fast
/// leaves 100 ms between keystrokes.
fn pause() -> Duration {
    Duration::from_millis(
        std::env::var("PAUSE_MS")
            .ok()
            .and_then(|p| p.parse().ok())
            .unwrap_or(20),
    )
}

/// Opens of each plan per server.
const OPENS: usize = 10;

fn main() {
    if std::env::args().any(|a| a == support::null_server::ARG) {
        support::null_server::serve();
        return;
    }
    let peers = peers();
    let keystrokes = std::env::var("KEYSTROKES")
        .ok()
        .and_then(|k| k.parse().ok())
        .unwrap_or(300);
    println!(
        "through the protocol, release build, {} cores; servers: {}; {keystrokes} keystrokes per measure and server, alternating",
        std::thread::available_parallelism().map_or(1, |n| n.get()),
        peers
            .iter()
            .map(|p| p.command.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    );
    for lines in [1_000, 10_000] {
        run_input(
            &format!("generated {lines}-line plan"),
            &support::plan_of_lines(lines),
            &peers,
            keystrokes,
        );
    }
    let real = std::env::var_os("PLANS_DIR").map(PathBuf::from);
    if let Some(dir) = &real {
        for lines in [1_000, 10_000] {
            match real_plan_of_lines(dir, lines) {
                Some(text) => run_input(
                    &format!("real plans from {}, largest first, joined", dir.display()),
                    &text,
                    &peers,
                    keystrokes,
                ),
                None => println!("\n{}: too few plans for {lines} lines", dir.display()),
            }
        }
    }
    let generated: Vec<String> = (0..120).map(|_| support::plan_of_lines(550)).collect();
    run_memory("generated 20 KB plans", &generated, &peers);
    if let Some(dir) = &real {
        let plans = real_plans(dir, 120);
        if !plans.is_empty() {
            run_memory(
                &format!("real plans from {}", dir.display()),
                &plans,
                &peers,
            );
        }
    }
}
