//! The corpus report: `execplan-ls check` run, as a user runs it, from the
//! root of every repository tree of the development corpus (real public
//! repositories' plans and their look-alikes, `../shared/devcorpus` beside
//! the checkout, or the folder `EXECPLAN_DEVCORPUS` names). It prints the
//! plans found against the corpus's `MANIFEST.tsv` (missed, extra, and
//! non-plans given errors or warnings), the findings per rule, and the
//! difference against the committed baseline `docs/corpus-baseline.tsv`;
//! the test fails when the findings differ from the baseline, so every
//! change in what real plans get is reviewed in a diff. Without the corpus
//! it says so and passes.
//!
//! Regenerate the baseline: `scripts/corpus-report.sh --update`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn repository_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("server/ has a parent")
        .to_path_buf()
}

fn corpus_dir() -> PathBuf {
    match std::env::var_os("EXECPLAN_DEVCORPUS") {
        Some(dir) => PathBuf::from(dir),
        None => repository_root().join("../shared/devcorpus"),
    }
}

/// One row of MANIFEST.tsv: what a file of the corpus is.
struct ManifestRow {
    kind: String,
}

fn read_manifest(corpus: &Path) -> BTreeMap<(String, String), ManifestRow> {
    let text = std::fs::read_to_string(corpus.join("MANIFEST.tsv")).expect("MANIFEST.tsv");
    let mut rows = BTreeMap::new();
    for line in text.lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() < 5 {
            continue;
        }
        rows.insert(
            (cols[0].to_string(), cols[2].to_string()),
            ManifestRow {
                kind: cols[4].to_string(),
            },
        );
    }
    rows
}

/// A finding: line, code, severity.
type Finding = (u64, String, String);

/// What `check` said of one repository.
#[derive(Default)]
struct RepoResult {
    /// Checked files: path, kind (`plan` or `agents-md`), findings.
    files: Vec<(String, String, Vec<Finding>)>,
    skipped: Vec<(String, String)>,
}

fn check_repository(dir: &Path) -> RepoResult {
    let out = Command::new(env!("CARGO_BIN_EXE_execplan-ls"))
        // Afresh: the corpus is shared by every build on the machine, and a
        // cache entry written by another build of the same version would
        // report that build's findings, not this one's.
        .args(["check", "--format", "json", "--show-skipped", "--no-cache"])
        .current_dir(dir)
        .output()
        .expect("run execplan-ls");
    let code = out.status.code();
    assert!(
        matches!(code, Some(0) | Some(1)),
        "check in {} exited {code:?}: {}",
        dir.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).expect("a JSON report");
    let mut result = RepoResult::default();
    for file in report["files"].as_array().into_iter().flatten() {
        let findings = file["diagnostics"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|d| {
                (
                    d["range"]["start"]["line"].as_u64().unwrap_or(0),
                    d["code"].as_str().unwrap_or("").to_string(),
                    d["severity"].as_str().unwrap_or("").to_string(),
                )
            })
            .collect();
        result.files.push((
            file["path"].as_str().unwrap_or("").to_string(),
            file["kind"].as_str().unwrap_or("plan").to_string(),
            findings,
        ));
    }
    for s in report["skipped"].as_array().into_iter().flatten() {
        result.skipped.push((
            s["path"].as_str().unwrap_or("").to_string(),
            s["reason"].as_str().unwrap_or("").to_string(),
        ));
    }
    result
}

#[test]
fn corpus_report() {
    let corpus = corpus_dir();
    if !corpus.join("MANIFEST.tsv").is_file() {
        println!(
            "corpus report skipped: no development corpus at {} (set EXECPLAN_DEVCORPUS to run it)",
            corpus.display()
        );
        return;
    }
    let manifest = read_manifest(&corpus);
    let mut repos: Vec<(String, PathBuf)> = std::fs::read_dir(&corpus)
        .expect("read the corpus")
        .filter_map(Result::ok)
        .filter(|e| e.path().is_dir())
        .map(|e| {
            let dir = e.file_name().to_string_lossy().into_owned();
            (dir.replacen("__", "/", 1), e.path())
        })
        .collect();
    repos.sort();

    let mut baseline_now = BTreeSet::new();
    let mut missed = Vec::new();
    let mut extra = Vec::new();
    let mut alarms_on_non_plans = Vec::new();
    // code -> severity -> count, on plans and on files that are not plans.
    let mut per_rule: BTreeMap<String, (String, usize, usize)> = BTreeMap::new();
    let mut found_plans = 0;
    let mut skip_reasons: BTreeMap<String, usize> = BTreeMap::new();
    for (repo, dir) in &repos {
        let result = check_repository(dir);
        let mut checked = BTreeSet::new();
        for (path, kind, findings) in &result.files {
            let manifest_kind = manifest
                .get(&(repo.clone(), path.clone()))
                .map_or("unlisted", |r| r.kind.as_str());
            if kind == "plan" {
                found_plans += 1;
                checked.insert(path.clone());
                baseline_now.insert(format!("{repo}\t{path}\t-\tplan"));
                if manifest_kind != "plan" {
                    extra.push(format!("{repo}/{path} ({manifest_kind})"));
                }
            }
            let mut alarms = 0;
            for (line, code, severity) in findings {
                baseline_now.insert(format!("{repo}\t{path}\t{line}\t{code}"));
                let entry = per_rule
                    .entry(code.clone())
                    .or_insert((severity.clone(), 0, 0));
                if manifest_kind == "plan" || kind == "agents-md" {
                    entry.1 += 1;
                } else {
                    entry.2 += 1;
                }
                if matches!(severity.as_str(), "error" | "warning") {
                    alarms += 1;
                }
            }
            if kind == "plan" && manifest_kind != "plan" && alarms > 0 {
                alarms_on_non_plans.push(format!("{repo}/{path} ({manifest_kind}): {alarms}"));
            }
        }
        for ((r, path), row) in &manifest {
            if r == repo && row.kind == "plan" && !checked.contains(path) {
                let why = result
                    .skipped
                    .iter()
                    .find(|(p, _)| p == path)
                    .map_or("not seen", |(_, reason)| reason.as_str());
                missed.push(format!("{repo}/{path}: {why}"));
            }
        }
        for (_, reason) in &result.skipped {
            *skip_reasons.entry(reason.clone()).or_default() += 1;
        }
    }

    let listed_plans = manifest.values().filter(|r| r.kind == "plan").count();
    println!("== corpus report ({} repositories)", repos.len());
    println!("plans: {found_plans} checked, {listed_plans} in MANIFEST.tsv");
    println!("missed plans: {}", missed.len());
    for m in &missed {
        println!("  {m}");
    }
    println!(
        "extra (checked, but not plans in MANIFEST.tsv): {}",
        extra.len()
    );
    for e in &extra {
        println!("  {e}");
    }
    println!(
        "non-plans given errors or warnings: {}",
        alarms_on_non_plans.len()
    );
    for a in &alarms_on_non_plans {
        println!("  {a}");
    }
    println!("why the other Markdown files were skipped:");
    for (reason, n) in &skip_reasons {
        println!("  {n:>4}  {reason}");
    }
    println!("findings per rule (code, severity, on plans and AGENTS.md, on other files):");
    for (code, (severity, on_plans, elsewhere)) in &per_rule {
        println!("  {code}  {severity:<8} {on_plans:>6} {elsewhere:>6}");
    }

    let baseline_path = repository_root().join("docs/corpus-baseline.tsv");
    let header = "# execplan-ls findings on the development corpus: repo, path, line, code \
                  (`-` and `plan`: the file is checked as a plan).\n# Regenerate: \
                  scripts/corpus-report.sh --update\n";
    let mut now_text = String::from(header);
    for line in &baseline_now {
        now_text.push_str(line);
        now_text.push('\n');
    }
    if std::env::var_os("EXECPLAN_UPDATE_BASELINE").is_some() {
        std::fs::write(&baseline_path, &now_text).expect("write the baseline");
        println!("baseline written: {}", baseline_path.display());
        return;
    }
    let before_text = std::fs::read_to_string(&baseline_path).unwrap_or_default();
    let before: BTreeSet<String> = before_text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(str::to_string)
        .collect();
    let gone: Vec<&String> = before.difference(&baseline_now).collect();
    let new: Vec<&String> = baseline_now.difference(&before).collect();
    println!(
        "against docs/corpus-baseline.tsv: {} gone, {} new",
        gone.len(),
        new.len()
    );
    for line in &gone {
        println!("- {line}");
    }
    for line in &new {
        println!("+ {line}");
    }
    assert!(
        gone.is_empty() && new.is_empty(),
        "the findings on the corpus differ from docs/corpus-baseline.tsv (diff above); \
         review it, then run scripts/corpus-report.sh --update"
    );
}
