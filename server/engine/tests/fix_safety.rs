//! Fix-all is right on real plans: applied to every fixture of this
//! repository and, when it is there, to every plan of the development corpus
//! (`../shared/devcorpus` beside the clone, or `$EXECPLAN_DEVCORPUS`), then
//! checked again, it only ever removes findings (compared by code and the
//! text they cover, not by offsets; a finding whose text the fix rewrote
//! counts as the same finding), and it leaves recorded history (the
//! bodies of Surprises & Discoveries and the Decision Log, the revision
//! note) as written, blank lines aside, and merges no paragraph with the
//! text it inserts.

use std::path::{Path, PathBuf};

use execplan_engine::checker;
use execplan_engine::config::Settings;
use execplan_engine::model::{self, InlineContext, PlanModel, SectionKind};
use execplan_engine::workspace::PlanEnv;

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Every Markdown file below `dir`.
fn markdown(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(markdown(&path));
        } else if path.extension().is_some_and(|e| e == "md") {
            out.push(path);
        }
    }
    out.sort();
    out
}

/// The development corpus, when present.
fn devcorpus() -> Option<PathBuf> {
    let candidates = [
        std::env::var_os("EXECPLAN_DEVCORPUS").map(PathBuf::from),
        Some(repo_root().join("../shared/devcorpus")),
        Some(PathBuf::from("/work/shared/devcorpus")),
    ];
    candidates
        .into_iter()
        .flatten()
        .find(|p| p.join("MANIFEST.tsv").is_file())
}

/// (repository folder, plan) for every plan the corpus manifest lists.
fn corpus_plans(corpus: &Path) -> Vec<(PathBuf, PathBuf)> {
    let manifest = std::fs::read_to_string(corpus.join("MANIFEST.tsv")).unwrap();
    manifest
        .lines()
        .skip(1)
        .filter_map(|line| {
            let cols: Vec<&str> = line.split('\t').collect();
            let (repo, path, kind) = (cols.first()?, cols.get(2)?, cols.get(4)?);
            (*kind == "plan").then(|| {
                let root = corpus.join(repo.replace('/', "__"));
                let plan = root.join(path);
                (root, plan)
            })
        })
        .filter(|(_, plan)| plan.is_file())
        .collect()
}

fn now() -> jiff::Timestamp {
    jiff::Timestamp::from_second(1_800_000_000).unwrap()
}

/// One finding: its code, the text it covers, its 0-based line.
type Finding = (String, String, usize);

fn findings(text: &str, path: &Path, env: &PlanEnv, settings: &Settings) -> Vec<Finding> {
    let model = model::build_from_text(text);
    checker::diagnostics(text, &model, Some(path), env, settings, now())
        .into_iter()
        .map(|d| {
            let covered = text.get(d.span.clone()).unwrap_or("").trim().to_string();
            let line = text[..d.span.start.min(text.len())].matches('\n').count();
            (d.code.to_string(), covered, line)
        })
        .collect()
}

/// The findings of `after` that are not in `before`, by code and covered
/// text. A finding on a line the fix rewrote (a timestamp normalised, a
/// heading renamed) is the same as one of its code on a line the fix
/// replaced, when such a one is gone.
fn added(text: &str, fixed: &str, before: &[Finding], after: &[Finding]) -> Vec<Finding> {
    let diff = similar::TextDiff::from_lines(text, fixed);
    let mut old_changed = std::collections::HashSet::new();
    let mut new_changed = std::collections::HashSet::new();
    for op in diff.ops() {
        for change in diff.iter_changes(op) {
            match change.tag() {
                similar::ChangeTag::Delete => old_changed.extend(change.old_index()),
                similar::ChangeTag::Insert => new_changed.extend(change.new_index()),
                similar::ChangeTag::Equal => {}
            }
        }
    }
    let mut left: Vec<Option<&Finding>> = before.iter().map(Some).collect();
    let mut unmatched = Vec::new();
    for f in after {
        let same = left
            .iter()
            .position(|b| b.is_some_and(|b| b.0 == f.0 && b.1 == f.1));
        match same {
            Some(i) => left[i] = None,
            None => unmatched.push(f),
        }
    }
    let mut out = Vec::new();
    for f in unmatched {
        let rewritten = new_changed.contains(&f.2).then(|| {
            left.iter()
                .position(|b| b.is_some_and(|b| b.0 == f.0 && old_changed.contains(&b.2)))
        });
        match rewritten.flatten() {
            Some(i) => left[i] = None,
            None => out.push(f.clone()),
        }
    }
    out
}

/// The recorded history of a plan: its Surprises and Decision Log bodies
/// and its revision note, as non-blank lines.
fn history(text: &str, model: &PlanModel) -> Vec<(String, Vec<String>)> {
    let lines = |span: &std::ops::Range<usize>| -> Vec<String> {
        text[span.clone()]
            .lines()
            .map(str::trim_end)
            .filter(|l| !l.trim().is_empty())
            .map(str::to_string)
            .collect()
    };
    let mut out = Vec::new();
    for kind in [SectionKind::Surprises, SectionKind::DecisionLog] {
        for s in model.sections.iter().filter(|s| s.kind == Some(kind)) {
            let heading_end = model.heading_of(s).span.end;
            out.push((format!("{kind:?}"), lines(&(heading_end..s.span.end))));
        }
    }
    if let Some(note) = &model.revision_note {
        out.push(("revision note".to_string(), lines(note)));
    }
    out
}

/// What is wrong with fix-all on one file, if anything.
fn problems(root: &Path, path: &Path) -> Option<String> {
    let text = std::fs::read_to_string(path).ok()?;
    let env = PlanEnv::discover(path, Some(root), None);
    let settings = Settings::default();
    let fixed = checker::fix_text(&text, Some(path), &env, &settings, now());
    if fixed == text {
        return None;
    }
    let before = findings(&text, path, &env, &settings);
    let after = findings(&fixed, path, &env, &settings);
    let mut out: Vec<String> = added(&text, &fixed, &before, &after)
        .into_iter()
        .map(|(code, covered, line)| format!("  new {code} on line {}: {covered:?}", line + 1))
        .collect();
    // Inserted text keeps paragraphs apart: a paragraph the fix left as it
    // was is still a paragraph of its own.
    let paragraphs = |t: &str| -> Vec<String> {
        model::build_from_text(t)
            .inlines
            .iter()
            .filter(|i| i.context == InlineContext::Paragraph)
            .map(|i| t[i.span.clone()].to_string())
            .collect()
    };
    // (A sentence appended to a paragraph is part of it, so a paragraph the
    // fix extended at its end is fine; text in front of one is a merge.)
    let after_paragraphs = paragraphs(&fixed);
    for p in paragraphs(&text) {
        if fixed.contains(&p) && !after_paragraphs.iter().any(|a| a.starts_with(&p)) {
            out.push(format!("  paragraph merged with inserted text: {p:?}"));
        }
    }
    let (old, new) = (
        history(&text, &model::build_from_text(&text)),
        history(&fixed, &model::build_from_text(&fixed)),
    );
    for (name, lines) in &old {
        if !new.iter().any(|(n, l)| n == name && l == lines) {
            out.push(format!("  {name} rewritten"));
        }
    }
    (!out.is_empty()).then(|| format!("{}:\n{}", path.display(), out.join("\n")))
}

fn assert_safe(files: &[(PathBuf, PathBuf)]) {
    let failures: Vec<String> = files
        .iter()
        .filter_map(|(root, path)| problems(root, path))
        .collect();
    assert!(
        failures.is_empty(),
        "fix-all added findings or rewrote history in {} of {} files:\n{}",
        failures.len(),
        files.len(),
        failures.join("\n")
    );
}

#[test]
fn fix_all_only_removes_findings_on_every_fixture() {
    let root = repo_root();
    let mut files = Vec::new();
    for dir in [
        "grammar-tests/fixtures",
        "editors/tests/fixtures",
        "docs/plans",
    ] {
        files.extend(
            markdown(&root.join(dir))
                .into_iter()
                .map(|p| (root.clone(), p)),
        );
    }
    assert!(
        files.len() > 15,
        "fixtures not found under {}",
        root.display()
    );
    assert_safe(&files);
}

#[test]
fn fix_all_only_removes_findings_on_the_development_corpus() {
    let Some(corpus) = devcorpus() else {
        eprintln!(
            "skipped: no development corpus (looked for $EXECPLAN_DEVCORPUS, ../shared/devcorpus beside the clone and /work/shared/devcorpus)"
        );
        return;
    };
    let plans = corpus_plans(&corpus);
    assert!(
        plans.len() > 100,
        "only {} plans in {}",
        plans.len(),
        corpus.display()
    );
    assert_safe(&plans);
}
