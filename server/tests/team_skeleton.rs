//! A team's skeleton through the binary, in each form a PLANS.md writes it:
//! `explain-config` shows what was read and where, `check` follows it, and
//! `new` writes a plan in the team's shape and naming with no error or
//! warning. Also: two PLANS.md files with AGENTS.md naming one, a symlink
//! out of the repository, a PLANS.md with no skeleton.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn bin(dir: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_execplan-ls"));
    command.current_dir(dir);
    command
}

fn repo(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("execplan-ls-team-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(dir.join(".git")).unwrap();
    dir.canonicalize().unwrap()
}

fn write(path: &Path, text: &str) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn explain(dir: &Path) -> String {
    let out = bin(dir).arg("explain-config").output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout(&out)
}

/// `check --format short` on one file: its findings' codes and the exit code.
fn check(dir: &Path, file: &Path) -> (Vec<String>, Option<i32>) {
    let out = bin(dir)
        .args(["check", "--format", "short", "--fail-on", "warning"])
        .arg(file)
        .output()
        .unwrap();
    let codes = stdout(&out)
        .lines()
        .filter_map(|l| {
            let start = l.find("[EP")? + 1;
            Some(l[start..start + 5].to_string())
        })
        .collect();
    (codes, out.status.code())
}

/// Runs `new` and returns the file it wrote and its text.
fn new_plan(dir: &Path, title: &str) -> (PathBuf, String) {
    let out = bin(dir).args(["new", title]).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let file = PathBuf::from(stdout(&out).trim());
    let text = fs::read_to_string(&file).unwrap();
    (file, text)
}

/// The `##` headings of a text, in order.
fn sections(text: &str) -> Vec<&str> {
    text.lines().filter_map(|l| l.strip_prefix("## ")).collect()
}

/// A plan with these sections, each with a body that raises nothing.
fn plan_with(preamble_path: &str, names: &[&str]) -> String {
    let mut s = format!(
        "# Add a cache\n\nThis ExecPlan is a living document, kept up to date as work proceeds. It is maintained in accordance with `{preamble_path}`.\n\n"
    );
    for name in names {
        let body = if name.to_lowercase().starts_with("progress") {
            "- [x] (2026-01-05 10:00Z) Wrote the cache.\n- [ ] Measure it."
        } else if ["Surprises", "Decision", "Outcomes", "Hallazgos"]
            .iter()
            .any(|w| name.starts_with(w))
        {
            "None yet."
        } else {
            "Written."
        };
        s.push_str(&format!("## {name}\n\n{body}\n\n"));
    }
    s
}

struct Form {
    name: &'static str,
    plans_md: &'static str,
    /// The line `explain-config` names and the form it describes.
    line: usize,
    form: &'static str,
    /// The sections a new plan has, in order.
    sections: &'static [&'static str],
    ordered: bool,
}

const FORMS: &[Form] = &[
    Form {
        name: "indented",
        plans_md: "# How we plan\n\n## Skeleton of a Good ExecPlan\n\n    # <Title>\n\n    ## Purpose / Big Picture\n\n    ## Progress\n\n    ## Surprises & Discoveries\n\n    ## Decision Log\n\n    ## Outcomes & Retrospective\n\n    ## Risks\n\n    ## Artifacts and Notes (optional)\n",
        line: 7,
        form: "a block of `##` headings",
        sections: &[
            "Purpose / Big Picture",
            "Progress",
            "Surprises & Discoveries",
            "Decision Log",
            "Outcomes & Retrospective",
            "Risks",
            "Artifacts and Notes",
        ],
        ordered: true,
    },
    Form {
        name: "fenced",
        plans_md: "# Plans\n\n## Rules\n\nKeep plans short.\n\n## ExecPlan Template (copy for new plan)\n\n```markdown\n# <Title>\n\n## Progress\n\n## Surprises & Discoveries\n\n## Decision log\n\n## Outcomes & Retrospective\n\n## Purpose / Big Picture\n\n## Plan of work\n```\n",
        line: 12,
        form: "a block of `##` headings",
        sections: &[
            "Progress",
            "Surprises & Discoveries",
            "Decision log",
            "Outcomes & Retrospective",
            "Purpose / Big Picture",
            "Plan of work",
        ],
        ordered: true,
    },
    Form {
        name: "prose",
        // `Progress Notes` reads as the Progress section: a new plan puts
        // its checkbox there.
        plans_md: "# How we plan\n\nPlans follow this skeleton:\n\n    ## Goal\n\n    ## Progress Notes\n\n    ## Decision Log\n\n    ## Outcomes & Retrospective\n\nKeep it short.\n",
        line: 5,
        form: "a block of `##` headings",
        sections: &[
            "Goal",
            "Progress Notes",
            "Decision Log",
            "Outcomes & Retrospective",
        ],
        ordered: true,
    },
    Form {
        name: "headings",
        plans_md: "# Plans\n\n## Required sections\n\nEvery ExecPlan has all of the following, in this order.\n\n### Purpose and big picture\n\nWhy it matters.\n\n### Progress\n\nThe steps.\n\n### Surprises & Discoveries\n\nWhat we found.\n\n### Decision log\n\nWhat we chose.\n\n### Outcomes & Retrospective\n\nHow it went.\n\n## Style\n\nProse.\n",
        line: 7,
        form: "headings under a required-sections heading",
        sections: &[
            "Purpose and big picture",
            "Progress",
            "Surprises & Discoveries",
            "Decision log",
            "Outcomes & Retrospective",
        ],
        ordered: true,
    },
    Form {
        name: "list",
        plans_md: "# Standard\n\n## Required Plan Sections\n- Purpose / Big Picture\n- Progress\n- Decision Log\n- Testing Approach\n- Outcomes & Retrospective\n",
        line: 4,
        form: "a list under a required-sections heading",
        sections: &[
            "Purpose / Big Picture",
            "Progress",
            "Decision Log",
            "Testing Approach",
            "Outcomes & Retrospective",
        ],
        ordered: false,
    },
    Form {
        name: "inline",
        plans_md: "# PLANS.md\n\n## ExecPlan skeleton\n\n# <Short title>\n\n## Purpose\n\nWhy.\n\n## Scope\n\nWhat.\n\n## Progress\n\nSteps.\n\n## Decision Log\n\nChoices.\n",
        line: 7,
        form: "a template written as real headings",
        sections: &["Purpose", "Scope", "Progress", "Decision Log"],
        ordered: true,
    },
    Form {
        name: "spanish",
        plans_md: "# Planes vivos\n\n## Formato obligatorio\n\nCopiar esta estructura:\n\n```markdown\n# Plan — <resultado>\n\n## Propósito\n\n## Avance\n\n## Hallazgos\n\n## Riesgos (opcional)\n```\n",
        line: 10,
        form: "a block of `##` headings",
        sections: &["Propósito", "Avance", "Hallazgos", "Riesgos"],
        ordered: true,
    },
];

#[test]
fn each_skeleton_form_is_read_shown_followed_and_used_by_new() {
    for form in FORMS {
        let dir = repo(form.name);
        let plans_md = dir.join(".agent/PLANS.md");
        write(&plans_md, form.plans_md);
        // explain-config: what was read, from which file and line.
        let text = explain(&dir);
        let order = if form.ordered {
            "in this order"
        } else {
            "in any order"
        };
        let origin = format!(
            "skeleton: from {}:{} ({}), {order}",
            plans_md.display(),
            form.line,
            form.form
        );
        assert!(text.contains(&origin), "{}: {text}", form.name);
        for name in form.sections {
            assert!(
                text.contains(&format!("  ## {name}  (")),
                "{}: {name}: {text}",
                form.name
            );
        }
        // new: the team's sections, order and spelling; no error or warning.
        let (file, plan) = new_plan(&dir, "Add a result cache");
        assert_eq!(sections(&plan), form.sections, "{}: {plan}", form.name);
        assert!(
            plan.contains("in accordance with `.agent/PLANS.md`"),
            "{plan}"
        );
        let (codes, exit) = check(&dir, &file);
        assert_eq!(exit, Some(0), "{}: {codes:?}\n{plan}", form.name);
        // A plan that follows the team's skeleton gets no section finding;
        // one without a required section gets EP101/EP102.
        let follows = dir.join(".agent/plans/follows.md");
        write(&follows, &plan_with(".agent/PLANS.md", form.sections));
        let (codes, _) = check(&dir, &follows);
        let structural: Vec<&String> = codes
            .iter()
            .filter(|c| ["EP101", "EP102", "EP103", "EP104"].contains(&c.as_str()))
            .collect();
        assert!(structural.is_empty(), "{}: {codes:?}", form.name);
        let required: Vec<&str> = form
            .sections
            .iter()
            .copied()
            .filter(|s| !s.contains("Artifacts") && *s != "Riesgos")
            .collect();
        let dropped = dir.join(".agent/plans/dropped.md");
        write(&dropped, &plan_with(".agent/PLANS.md", &required[1..]));
        let (codes, _) = check(&dir, &dropped);
        assert!(
            codes.iter().any(|c| c == "EP101" || c == "EP102"),
            "{}: {codes:?}",
            form.name
        );
        // The team's order drives EP103 only when there is one.
        let mut swapped: Vec<&str> = form.sections.to_vec();
        swapped.swap(0, 2);
        let moved = dir.join(".agent/plans/moved.md");
        write(&moved, &plan_with(".agent/PLANS.md", &swapped));
        let (codes, _) = check(&dir, &moved);
        assert_eq!(
            codes.iter().any(|c| c == "EP103"),
            form.ordered,
            "{}: {codes:?}",
            form.name
        );
        let _ = fs::remove_dir_all(&dir);
    }
}

#[test]
fn optional_sections_are_not_required_and_the_team_spelling_is_kept() {
    let dir = repo("optional");
    write(&dir.join(".agent/PLANS.md"), FORMS[0].plans_md);
    // Artifacts and Notes is optional: not missing.
    let names = &FORMS[0].sections[..6];
    write(
        &dir.join(".agent/plans/a.md"),
        &plan_with(".agent/PLANS.md", names),
    );
    let (codes, exit) = check(&dir, &dir.join(".agent/plans/a.md"));
    assert_eq!(exit, Some(0), "{codes:?}");
    // The fenced form spells it `Decision log`: `--fix` renames the
    // canonical spelling to the team's, never the other way round.
    let dir = repo("spelling");
    write(&dir.join(".agent/PLANS.md"), FORMS[1].plans_md);
    let mut names: Vec<&str> = FORMS[1].sections.to_vec();
    names[2] = "Decision Log";
    let file = dir.join(".agent/plans/a.md");
    write(&file, &plan_with(".agent/PLANS.md", &names));
    let (codes, _) = check(&dir, &file);
    assert!(codes.contains(&"EP104".to_string()), "{codes:?}");
    bin(&dir)
        .args(["check", "--fix"])
        .arg(&file)
        .output()
        .unwrap();
    let fixed = fs::read_to_string(&file).unwrap();
    assert!(
        fixed.contains("## Decision log\n") && !fixed.contains("## Decision Log"),
        "{fixed}"
    );
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn a_plans_md_without_a_skeleton_or_out_of_the_repository_is_said() {
    let dir = repo("noskeleton");
    write(
        &dir.join(".agent/PLANS.md"),
        "# How we plan\n\nWrite good plans.\n",
    );
    let text = explain(&dir);
    assert!(
        text.contains("skeleton: the canonical twelve sections: no skeleton"),
        "{text}"
    );
    assert!(
        text.contains(&dir.join(".agent/PLANS.md").display().to_string()),
        "{text}"
    );
    // `check` says it too, on stderr, so the fallback is never silent.
    write(
        &dir.join(".agent/plans/a.md"),
        &plan_with(".agent/PLANS.md", FORMS[0].sections),
    );
    let out = bin(&dir).arg("check").output().unwrap();
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("note: plans are checked against the canonical twelve sections: no skeleton"),
        "{said}"
    );
    // And on the plan itself, as an info finding (EP111) naming the file.
    let file = dir.join(".agent/plans/a.md");
    assert!(check(&dir, &file).0.contains(&"EP111".to_string()));
    let short = stdout(
        &bin(&dir)
            .args(["check", "--format", "short", "--select", "EP111"])
            .arg(&file)
            .output()
            .unwrap(),
    );
    assert!(
        short.contains("info[EP111]") && short.contains("in `.agent/PLANS.md`"),
        "{short}"
    );
    // Once the PLANS.md holds a skeleton, the plan is checked against it and
    // EP111 is gone.
    write(&dir.join(".agent/PLANS.md"), FORMS[0].plans_md);
    assert!(!check(&dir, &file).0.contains(&"EP111".to_string()));
    #[cfg(unix)]
    {
        let outside = repo("outside-target");
        write(&outside.join("PLANS.md"), FORMS[2].plans_md);
        let dir = repo("symlink");
        std::os::unix::fs::symlink(outside.join("PLANS.md"), dir.join("PLANS.md")).unwrap();
        let text = explain(&dir);
        assert!(
            text.contains("outside the repository: not followed"),
            "{text}"
        );
        assert!(
            text.contains("skeleton: the canonical twelve sections"),
            "{text}"
        );
        // new writes the canonical skeleton and still names the PLANS.md path.
        let (file, plan) = new_plan(&dir, "Add a cache");
        assert_eq!(sections(&plan).len(), 12, "{plan}");
        let (codes, status) = check(&dir, &file);
        assert_eq!(status, Some(0));
        assert!(codes.contains(&"EP111".to_string()), "{codes:?}");
        let _ = fs::remove_dir_all(&outside);
        let _ = fs::remove_dir_all(&dir);
    }
}

#[test]
fn two_plans_md_files_with_agents_md_naming_one() {
    let dir = repo("two");
    write(&dir.join("PLANS.md"), FORMS[2].plans_md);
    write(&dir.join(".agent/PLANS.md"), FORMS[0].plans_md);
    write(
        &dir.join("AGENTS.md"),
        "# Agents\n\nUse an ExecPlan (as described in `PLANS.md`) for big work.\n",
    );
    let text = explain(&dir);
    assert!(
        text.contains(&format!(
            "PLANS.md: {} (named by AGENTS.md)",
            dir.join("PLANS.md").display()
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "other PLANS.md: {}",
            dir.join(".agent/PLANS.md").display()
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "skeleton: from {}:5",
            dir.join("PLANS.md").display()
        )),
        "{text}"
    );
    // Either path is right in the preamble.
    let names = FORMS[2].sections;
    for path in ["PLANS.md", ".agent/PLANS.md"] {
        let file = dir.join(".agent/plans/a.md");
        write(&file, &plan_with(path, names));
        let (codes, exit) = check(&dir, &file);
        assert_eq!(exit, Some(0), "{path}: {codes:?}");
    }
    // A wrong one is reported, and `--fix` leaves it alone: which of the two
    // the plan means is a guess. A later mention is history and never judged.
    let file = dir.join(".agent/plans/a.md");
    let wrong = plan_with("docs/PLANS.md", names)
        + "## Revision Notes\n\nRead `/tmp/old/PLANS.md` first.\n";
    write(&file, &wrong);
    let (codes, _) = check(&dir, &file);
    assert_eq!(
        codes.iter().filter(|c| *c == "EP108").count(),
        1,
        "{codes:?}"
    );
    bin(&dir)
        .args(["check", "--fix"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(fs::read_to_string(&file).unwrap(), wrong);
    // new names the one AGENTS.md names.
    fs::remove_file(&file).unwrap();
    let (_, plan) = new_plan(&dir, "Another");
    assert!(plan.contains("in accordance with `PLANS.md`"), "{plan}");
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn new_follows_the_naming_of_the_existing_plans_or_plans_md() {
    let dir = repo("dated");
    write(&dir.join(".agent/PLANS.md"), FORMS[0].plans_md);
    let done = plan_with(".agent/PLANS.md", FORMS[0].sections);
    write(&dir.join("docs/plans/2026-01-05-first.md"), &done);
    write(&dir.join("docs/plans/2026-02-01-second.md"), &done);
    let (file, _) = new_plan(&dir, "Add a result cache");
    let name = file.file_name().unwrap().to_str().unwrap().to_string();
    assert_eq!(file.parent().unwrap(), dir.join("docs/plans"));
    assert!(
        name.len() == "2026-12-01-add-a-result-cache.md".len()
            && name.ends_with("-add-a-result-cache.md")
            && name.as_bytes()[4] == b'-',
        "{name}"
    );
    let dir = repo("numbered");
    write(&dir.join(".agent/PLANS.md"), FORMS[0].plans_md);
    write(&dir.join(".agent/plans/001-first.md"), &done);
    write(&dir.join(".agent/plans/007-second.md"), &done);
    let (file, _) = new_plan(&dir, "Add a result cache");
    assert_eq!(file, dir.join(".agent/plans/008-add-a-result-cache.md"));
    // No plans yet: what PLANS.md says.
    let dir = repo("told");
    write(
        &dir.join(".agent/PLANS.md"),
        &format!(
            "{}\nName each plan `.agent/plans/NN-<slug>.md`.\n",
            FORMS[2].plans_md
        ),
    );
    let (file, _) = new_plan(&dir, "Add a result cache");
    assert_eq!(file, dir.join(".agent/plans/01-add-a-result-cache.md"));
    let _ = fs::remove_dir_all(&dir);
}
