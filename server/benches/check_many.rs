//! Checks 1,000 generated plans with the release binary and prints the wall
//! time. Target (issue 4): under 1 second on a 2-core machine.
//!
//!     cargo bench -p execplan-ls --bench check_many

use std::fmt::Write;
use std::time::Instant;

/// A plan of about 150 lines; `n` varies its content and defects.
fn plan(n: usize) -> String {
    let mut s = format!(
        "# Plan {n}: add feature {n}\n\nThis ExecPlan is a living document. The sections `Progress`, `Surprises & Discoveries`, `Decision Log`, and `Outcomes & Retrospective` must be kept up to date as work proceeds.\n\n## Purpose / Big Picture\n\nUsers can do thing {n}.\n\n## Progress\n\n"
    );
    for i in 0..30usize {
        let state = if i.is_multiple_of(3) {
            "- [ ]"
        } else {
            "- [x]"
        };
        let stamp = if i.is_multiple_of(7) {
            String::new()
        } else {
            format!(
                "(2026-01-{:02} {:02}:{:02}Z) ",
                1 + i % 28,
                i % 24,
                (i * 7) % 60
            )
        };
        let _ = writeln!(
            s,
            "{state} {stamp}Step {i} of plan {n}, touching `src/module_{i}.rs`."
        );
    }
    s.push_str("\n## Surprises & Discoveries\n\n");
    for i in 0..5 {
        let _ = writeln!(
            s,
            "- Observation: finding {i}.\n  Evidence: test output {i}.\n"
        );
    }
    s.push_str("## Decision Log\n\n");
    for i in 0..5 {
        let _ = writeln!(
            s,
            "- Decision: choice {i}.\n  Rationale: because {i}.\n  Date/Author: 2026-01-0{} / Ada\n",
            1 + i % 9
        );
    }
    s.push_str("## Outcomes & Retrospective\n\nNone yet.\n\n## Context and Orientation\n\n");
    for i in 0..20 {
        let _ = writeln!(
            s,
            "Paragraph {i} explains the context of [the thing](docs/thing_{i}.md) in plain words, as discussed above.\n"
        );
    }
    // The skeleton's sections after Context and Orientation.
    for heading in execplan_ls::model::SectionKind::ALL[6..]
        .iter()
        .map(|k| k.canonical_name())
    {
        let _ = writeln!(
            s,
            "## {heading}\n\nText for {heading} in plan {n}.\n\n    cargo test -p module_{n}\n"
        );
    }
    if n.is_multiple_of(10) {
        s.push_str("```sh\ncargo build\n```\n");
    }
    s
}

fn main() {
    let dir = std::env::temp_dir().join(format!("execplan-ls-bench-{}", std::process::id()));
    let plans = dir.join(".agent/plans");
    std::fs::create_dir_all(dir.join(".git")).unwrap();
    std::fs::create_dir_all(&plans).unwrap();
    let mut bytes = 0;
    for n in 0..1000 {
        let text = plan(n);
        bytes += text.len();
        std::fs::write(plans.join(format!("plan-{n:04}.md")), text).unwrap();
    }
    let binary = env!("CARGO_BIN_EXE_execplan-ls");
    let mut times = Vec::new();
    for _ in 0..5 {
        let start = Instant::now();
        let out = std::process::Command::new(binary)
            .args(["check", "--format", "short", "--quiet"])
            .current_dir(&dir)
            .output()
            .unwrap();
        times.push(start.elapsed());
        assert!(
            out.status.code().is_some_and(|c| c <= 1),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(!out.stdout.is_empty());
    }
    times.sort();
    println!(
        "check 1,000 plans ({:.1} MB) on {} cores: best {:.3} s, median {:.3} s (target: under 1 s)",
        bytes as f64 / 1e6,
        std::thread::available_parallelism().map_or(1, |n| n.get()),
        times[0].as_secs_f64(),
        times[2].as_secs_f64()
    );
    let _ = std::fs::remove_dir_all(&dir);
}
