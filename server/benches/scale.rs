//! A workspace of 5,000 real-sized plans (about 20 KB each, 100 MB in all)
//! through the protocol (issue 17, item 4):
//!
//!     cargo bench -p execplan-ls --bench scale        # PLANS=5000 by default
//!
//! Prints the time from `initialized` to the end of the index's progress
//! (`$/progress` `end`, then its "N plans found" log line), keystroke →
//! diagnostics (p50/p95/p99) on a plan open while the index is being built,
//! the resident size once indexing is over and freed memory was handed back
//! (`lsp/heap.rs`), and the CPU time the idle server used over five seconds
//! after that (from `/proc/<pid>/stat`), which should be none.

mod support;

use std::time::{Duration, Instant};

use support::client::{Server, ServerCommand, Workspace, ms, percentiles};

fn main() {
    let count: usize = std::env::var("PLANS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(5_000);
    let base = support::plan_of_lines(550);
    let workspace = Workspace::new("scale");
    let started = Instant::now();
    let mut bytes = 0;
    // Each plan differs in its title, so none is a copy of another.
    for i in 0..count {
        let text = base.replacen(
            "# Add a result cache",
            &format!("# Add result cache {i}"),
            1,
        );
        bytes += text.len();
        if i == 0 {
            workspace.add_plan(&format!("plan-{i:05}.md"), &text);
        } else {
            let path = workspace.root.join(format!(".agent/plans/plan-{i:05}.md"));
            std::fs::write(path, &text).unwrap();
        }
    }
    let typed = base.replacen("# Add a result cache", "# The plan being edited", 1);
    let uri = workspace.add_plan("edited.md", &typed);
    println!(
        "execplan-ls {}, {count} plans ({:.1} MB) written in {:.1} s; load average {}",
        env!("CARGO_PKG_VERSION"),
        bytes as f64 / 1e6,
        started.elapsed().as_secs_f64(),
        load_average()
    );

    let mut server = Server::spawn(&ServerCommand::execplan_ls());
    server.initialize(Some(&workspace.root), true);
    let initialized = Instant::now();
    // The editor opens a plan at once and types into it while the index
    // is built.
    let mut text = typed.clone();
    let started = server.open(&uri, &text, 1);
    server.diagnostics(&uri, 1, started);
    let line = text.lines().position(|l| l.starts_with("- [ ] ")).unwrap();
    let mut column = text.lines().nth(line).unwrap().len();
    let mut version = 1;
    let mut while_indexing = Vec::new();
    let done = loop {
        if let Some(end) = server.progress_ended {
            break end;
        }
        version += 1;
        let started = server.type_at(&uri, version, &mut text, line, column);
        column += 1;
        let answer = server.diagnostics(&uri, version, started);
        while_indexing.push(ms(answer.at - started));
        // About ten keystrokes a second, as someone typing.
        std::thread::sleep(Duration::from_millis(100));
        if initialized.elapsed() > Duration::from_secs(600) {
            panic!("indexing did not end in ten minutes");
        }
    };
    // Its closing log line says how many plans it found.
    let found = loop {
        if let Some((_, log)) = server.logs.iter().find(|(_, l)| l.contains("plans found")) {
            break log.clone();
        }
        if server.poll(Duration::from_secs(30)).is_none() {
            break "(no closing log line)".to_string();
        }
    };
    println!(
        "initialized to index complete:          {:.2} s ({found}; load average {})",
        (done - initialized).as_secs_f64(),
        load_average()
    );
    println!(
        "keystroke to diagnostics while indexing: {} ({} keystrokes)",
        percentiles(&while_indexing),
        while_indexing.len()
    );
    // Memory is handed back once indexing ends and again a second after
    // the last burst of frees.
    server.drain(Duration::from_millis(2000));
    println!(
        "resident after indexing:                {:.1} MB ({:.2} bytes per byte of plan text)",
        server.resident_kb() as f64 / 1024.0,
        server.resident_kb() as f64 * 1024.0 / bytes as f64
    );
    let before = server.cpu_time();
    let idle = Duration::from_secs(5);
    std::thread::sleep(idle);
    let used = server.cpu_time() - before;
    println!(
        "CPU while idle after indexing:          {:.1} ms over {} s",
        ms(used),
        idle.as_secs()
    );
    let mut after = Vec::new();
    for _ in 0..100 {
        version += 1;
        let started = server.type_at(&uri, version, &mut text, line, column);
        column += 1;
        let answer = server.diagnostics(&uri, version, started);
        after.push(ms(answer.at - started));
    }
    println!(
        "keystroke to diagnostics after indexing: {}",
        percentiles(&after)
    );
    server.stop();
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}
