//! `execplan-ls init [--codex] [--dry-run]`: sets a repository up for
//! ExecPlans. It writes `.agent/PLANS.md` (what an ExecPlan is, what it must
//! hold, its skeleton), appends an ExecPlans section to AGENTS.md (creating
//! the file when there is none), creates the plan folder and, with
//! `--codex`, the Codex MCP entry and hooks in `.codex/config.toml`. It says
//! what it will write before writing, never overwrites a file, and leaves
//! alone what is already set up, so it can be run again.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::workspace;

/// Where PLANS.md and the plans go, relative to the repository root.
const PLANS_MD: &str = ".agent/PLANS.md";
const PLAN_FOLDER: &str = ".agent/plans";

/// What `init` does to one path.
enum Step {
    Create { path: PathBuf, text: String },
    Append { path: PathBuf, text: String },
    Folder(PathBuf),
    Leave { path: PathBuf, why: String },
}

pub fn run(codex: bool, dry_run: bool) -> ExitCode {
    let cwd = std::env::current_dir().unwrap_or_default();
    let root = workspace::find_repo_root(&cwd).unwrap_or(cwd);
    let steps = plan_steps(&root, codex);
    let rel = |p: &Path| p.strip_prefix(&root).unwrap_or(p).display().to_string();
    println!(
        "execplan-ls init in {}{}:",
        root.display(),
        if dry_run {
            " (dry run: nothing is written)"
        } else {
            ""
        }
    );
    for step in &steps {
        match step {
            Step::Create { path, text } => {
                println!("  create {} ({} lines)", rel(path), text.lines().count())
            }
            Step::Append { path, text } => {
                println!("  append to {}:", rel(path));
                for line in text.trim_start_matches('\n').lines() {
                    println!("    | {line}");
                }
            }
            Step::Folder(path) => println!("  create the folder {}/", rel(path)),
            Step::Leave { path, why } => println!("  leave {} as it is: {why}", rel(path)),
        }
    }
    if dry_run {
        return ExitCode::SUCCESS;
    }
    for step in &steps {
        if let Err(e) = apply(step) {
            eprintln!("execplan-ls: {e}");
            return ExitCode::from(2);
        }
    }
    println!(
        "Next: `execplan-ls new \"Title\"` writes a plan in {PLAN_FOLDER}/, and `execplan-ls check` checks it."
    );
    ExitCode::SUCCESS
}

fn plan_steps(root: &Path, codex: bool) -> Vec<Step> {
    let mut steps = Vec::new();
    let plans_md = root.join(PLANS_MD);
    match workspace::find_plans_md(root) {
        Some(existing) => steps.push(Step::Leave {
            path: existing,
            why: "the repository already has a PLANS.md; it is never overwritten".to_string(),
        }),
        None => steps.push(Step::Create {
            path: plans_md,
            text: PLANS_MD_TEXT.to_string(),
        }),
    }
    let plans_md_rel = workspace::find_plans_md(root)
        .and_then(|p| p.strip_prefix(root).ok().map(|p| p.display().to_string()))
        .unwrap_or_else(|| PLANS_MD.to_string());
    let agents = root.join("AGENTS.md");
    let section = agents_section(&plans_md_rel);
    match std::fs::read_to_string(&agents) {
        Ok(text) if text.contains("PLANS.md") || text.to_lowercase().contains("execplan") => steps
            .push(Step::Leave {
                path: agents,
                why: "it already speaks of ExecPlans".to_string(),
            }),
        Ok(text) => {
            let lead = if text.is_empty() || text.ends_with("\n\n") {
                ""
            } else if text.ends_with('\n') {
                "\n"
            } else {
                "\n\n"
            };
            steps.push(Step::Append {
                path: agents,
                text: format!("{lead}{section}"),
            })
        }
        Err(_) => steps.push(Step::Create {
            path: agents,
            text: format!("# AGENTS.md\n\n{section}"),
        }),
    }
    let folder = root.join(PLAN_FOLDER);
    if folder.is_dir() {
        steps.push(Step::Leave {
            path: folder,
            why: "the folder exists".to_string(),
        });
    } else {
        steps.push(Step::Folder(folder));
    }
    if codex {
        let config = root.join(".codex/config.toml");
        match std::fs::read_to_string(&config) {
            Ok(text)
                if text.contains("[mcp_servers.execplan]") || text.contains("execplan-ls hook") =>
            {
                steps.push(Step::Leave {
                    path: config,
                    why: "it already runs execplan-ls".to_string(),
                })
            }
            Ok(text) => {
                if let Err(e) = text.parse::<toml::Table>() {
                    steps.push(Step::Leave {
                        path: config,
                        why: format!(
                            "it is not valid TOML, so nothing is appended ({})",
                            e.message()
                        ),
                    });
                } else {
                    let lead = if text.is_empty() || text.ends_with('\n') {
                        "\n"
                    } else {
                        "\n\n"
                    };
                    steps.push(Step::Append {
                        path: config,
                        text: format!("{lead}{CODEX_CONFIG}"),
                    });
                }
            }
            Err(_) => steps.push(Step::Create {
                path: config,
                text: CODEX_CONFIG.to_string(),
            }),
        }
    }
    steps
}

fn apply(step: &Step) -> Result<(), String> {
    use std::io::Write;
    let fail = |path: &Path, e: std::io::Error| format!("{}: {e}", path.display());
    match step {
        Step::Create { path, text } => {
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).map_err(|e| fail(parent, e))?;
            }
            std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(path)
                .and_then(|mut f| f.write_all(text.as_bytes()))
                .map_err(|e| fail(path, e))
        }
        Step::Append { path, text } => std::fs::OpenOptions::new()
            .append(true)
            .open(path)
            .and_then(|mut f| f.write_all(text.as_bytes()))
            .map_err(|e| fail(path, e)),
        Step::Folder(path) => std::fs::create_dir_all(path).map_err(|e| fail(path, e)),
        Step::Leave { .. } => Ok(()),
    }
}

fn agents_section(plans_md: &str) -> String {
    format!(
        "## ExecPlans\n\n\
         For a feature or refactor that takes more than a short session, write an ExecPlan as \
         `{plans_md}` describes, keep it in `{PLAN_FOLDER}/`, and work from it from design to \
         implementation. Update its Progress (with UTC timestamps), Surprises & Discoveries, \
         Decision Log and Outcomes & Retrospective at every stopping point, so that the next \
         session can restart from the plan alone. `execplan-ls new \"Title\"` starts one and \
         `execplan-ls check` checks it.\n"
    )
}

const CODEX_CONFIG: &str = r#"# execplan-ls: MCP tools for ExecPlans, and hooks that report what an edit
# of a plan broke and keep the agent from stopping with a broken plan.
[mcp_servers.execplan]
command = "execplan-ls"
args = ["mcp"]

[[hooks.PostToolUse]]
matcher = "apply_patch"
[[hooks.PostToolUse.hooks]]
type = "command"
command = "execplan-ls hook"
timeout = 10

[[hooks.Stop]]
[[hooks.Stop.hooks]]
type = "command"
command = "execplan-ls hook"
timeout = 10
"#;

/// The meta-document: what an ExecPlan is and how to write one, in this
/// project's words.
pub const PLANS_MD_TEXT: &str = r#"# ExecPlans

This file says how to write an ExecPlan in this repository. An ExecPlan is a design document that
one person or coding agent follows to deliver a change that takes many hours, and that anyone new
to the repository could pick up halfway. It is written before the work starts and kept true while
the work goes on.

## What every plan must do

- Stand on its own. A reader who has only the plan and the repository must be able to do the work:
  name files by their full path from the repository root, say what each term of art means in
  plain words, and put any explanation the work depends on into the plan instead of linking to it.
- Say what will work afterwards that does not work now, and how to see it working: a command to
  run and what it prints, a test that fails before and passes after.
- Stay alive. Whoever works from the plan updates it at every stopping point: Progress, Surprises &
  Discoveries, Decision Log and Outcomes & Retrospective are never left behind the work.
- Prefer prose. Checklists belong in Progress, where they are required; elsewhere, explain in
  sentences. Commands, output and code go in indented blocks, never in fenced ones, so the plan can
  itself be pasted inside a fence.

## The living sections

- Progress: one checkbox per step. A finished step is checked and stamped with the UTC time it was
  finished, written `(YYYY-MM-DD HH:MMZ)` right after the box. A step that is half done becomes two
  items: the done part, checked and stamped, and the rest, open.
- Surprises & Discoveries: what turned out differently than expected, each with the evidence that
  showed it (a test result, a measurement, a log line).
- Decision Log: every choice that shaped the work, with why it was made and when and by whom.
- Outcomes & Retrospective: at each milestone and at the end, what was achieved, what is left, and
  what was learned.

Each revision of a plan ends with a short note at the bottom saying what changed and why.

## Skeleton of a Good ExecPlan

A plan starts with a title, one line saying what it delivers, then a paragraph saying that it is a
living document whose Progress, Surprises & Discoveries, Decision Log and Outcomes & Retrospective
are kept up to date, and that it is maintained in accordance with this file. Then these sections,
in this order:

    ## Purpose / Big Picture
    ## Progress
    ## Surprises & Discoveries
    ## Decision Log
    ## Outcomes & Retrospective
    ## Context and Orientation
    ## Plan of Work
    ## Concrete Steps
    ## Validation and Acceptance
    ## Idempotence and Recovery
    ## Artifacts and Notes
    ## Interfaces and Dependencies

Purpose / Big Picture says why the work matters to someone using the result. Context and
Orientation describes the parts of the repository the work touches, as if to a newcomer. Plan of
Work is the sequence of edits in prose, with milestones where the work can be checked on its own.
Concrete Steps are the exact commands, run from where. Validation and Acceptance says how to prove
the change works. Idempotence and Recovery says what may be repeated safely and how to back out.
Artifacts and Notes holds short transcripts and excerpts worth keeping. Interfaces and
Dependencies names the types, functions and libraries the work adds or relies on.

## Tools

`execplan-ls new "Title"` writes a new plan from this skeleton, `execplan-ls check` reports what a
plan is missing, and `execplan-ls mcp` gives coding agents tools to keep a plan while they work.
"#;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{SectionKind, Skeleton};

    #[test]
    fn plans_md_gives_the_canonical_skeleton() {
        let skeleton = Skeleton::from_plans_md(PLANS_MD_TEXT).expect("a skeleton");
        let kinds: Vec<_> = skeleton.sections.iter().map(|s| s.kind).collect();
        assert_eq!(kinds, SectionKind::ALL.map(Some).to_vec());
    }

    #[test]
    fn codex_config_is_valid_toml_with_the_mcp_entry_and_hooks() {
        let table: toml::Table = CODEX_CONFIG.parse().unwrap();
        assert_eq!(
            table["mcp_servers"]["execplan"]["args"][0].as_str(),
            Some("mcp")
        );
        assert_eq!(
            table["hooks"]["PostToolUse"][0]["hooks"][0]["command"].as_str(),
            Some("execplan-ls hook")
        );
        assert_eq!(
            table["hooks"]["Stop"][0]["hooks"][0]["type"].as_str(),
            Some("command")
        );
    }
}
