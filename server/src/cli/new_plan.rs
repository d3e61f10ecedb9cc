//! `execplan-ls new "Title" [--dir DIR]`: a new plan from the skeleton, in
//! the folder the repository keeps its plans in.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::analysis::preamble_sentence;
use crate::checker::{self, PlanContext};
use crate::config;
use crate::model::{SectionKind, Skeleton, SkeletonSection};
use crate::workspace::{self, PlanEnv};

pub fn run(title: &str, dir: Option<&Path>) -> ExitCode {
    let cwd = std::env::current_dir().unwrap_or_default();
    let root = workspace::find_repo_root(&cwd).unwrap_or(cwd.clone());
    let plan = match prepare(&root, dir, title) {
        Ok(plan) => plan,
        Err(message) => {
            eprintln!("execplan-ls: {message}");
            return ExitCode::from(2);
        }
    };
    let folder = plan.path.parent().unwrap_or(Path::new("."));
    if let Err(e) =
        std::fs::create_dir_all(folder).and_then(|_| std::fs::write(&plan.path, &plan.text))
    {
        eprintln!("execplan-ls: cannot write {}: {e}", plan.path.display());
        return ExitCode::from(2);
    }
    println!("{}", plan.path.display());
    ExitCode::SUCCESS
}

/// A plan to write: where, and its text.
pub struct NewPlan {
    pub path: PathBuf,
    pub text: String,
}

/// The new plan titled `title` for the repository at `root`, in `dir` or
/// the repository's plan folder, named as its plans are; refuses a title
/// with no letter or digit and a file that exists. `new` and the MCP tool
/// `new_plan` both write what this returns.
pub fn prepare(root: &Path, dir: Option<&Path>, title: &str) -> Result<NewPlan, String> {
    let title = title.trim();
    let slug = slug(title);
    if slug.is_empty() {
        return Err("the title needs at least one letter or digit".to_string());
    }
    let root = root.to_path_buf();
    let plans = plans_by_folder(&root);
    let folder = match dir {
        Some(d) => std::path::absolute(d).unwrap_or(d.to_path_buf()),
        None => plan_folder(&root, &plans),
    };
    // What applies to a plan in that folder: its settings, PLANS.md and
    // skeleton, resolved as for any document.
    let (context, _) = PlanContext::resolve(Some(&folder.join("new.md")), Some(&root), None);
    let env = &context.env;
    let plans_md_text = env.plans_md.as_deref().and_then(|p| {
        // A symlink out of the repository is not read.
        let outside = matches!(
            env.skeleton_source,
            crate::plans_md::SkeletonSource::Outside { .. }
        );
        (!outside)
            .then(|| std::fs::read_to_string(p).ok())
            .flatten()
    });
    // The plans of this folder and of its neighbours (`active/` and
    // `completed/`, an `archive/` inside it) share one naming and numbering.
    let related =
        |f: &Path| f == folder || f.parent() == folder.parent() || f.parent() == Some(&folder);
    let mut existing: Vec<String> = plans.get(&folder).cloned().unwrap_or_default();
    if existing.is_empty() {
        existing = plans
            .iter()
            .filter(|(f, _)| related(f))
            .flat_map(|(_, n)| n.iter().cloned())
            .collect();
    }
    let mut names = files_in(&folder);
    names.extend(
        plans
            .iter()
            .filter(|(f, _)| related(f))
            .flat_map(|(_, n)| n.iter().cloned()),
    );
    let naming = naming_of(&existing, plans_md_text.as_deref());
    let file = folder.join(
        naming.file_name(
            &slug,
            &names,
            jiff::tz::Offset::UTC
                .to_datetime(jiff::Timestamp::now())
                .date(),
        ),
    );
    if file.exists() {
        return Err(format!(
            "{} already exists; not overwriting it",
            file.display()
        ));
    }
    let plans_md = env
        .plans_md
        .as_ref()
        .and_then(|p| p.strip_prefix(&root).ok())
        .map(|p| p.to_string_lossy().replace('\\', "/"));
    let sections = env.skeleton.as_deref().unwrap_or(Skeleton::canonical());
    Ok(NewPlan {
        path: file,
        text: skeleton(title, plans_md.as_deref(), sections),
    })
}

/// The new plan's text, with the sections of `sections` (the team's
/// skeleton from PLANS.md, or the canonical one), in its order and
/// spelling. Every section has a body, so the plan has no error or warning.
pub fn skeleton(title: &str, plans_md: Option<&str>, sections: &Skeleton) -> String {
    let mut s = format!("# {title}\n\n{}", preamble(sections));
    if let Some(path) = plans_md {
        s.push_str(&format!(
            " This plan is maintained in accordance with `{path}`."
        ));
    }
    s.push_str("\n\n");
    for section in &sections.sections {
        s.push_str(&format!("## {}\n\n", section.heading()));
        let kind = read_as(sections, section);
        if let Some(kind) = kind {
            s.push_str(&format!("<!-- {} -->\n\n", kind.guidance()));
        }
        if section.optional {
            s.push_str(
                "<!-- Optional in PLANS.md: delete this section if it does not apply. -->\n\n",
            );
        }
        let body = match kind {
            Some(SectionKind::Progress) => "- [ ] Write this plan's first step.",
            Some(SectionKind::Surprises | SectionKind::DecisionLog | SectionKind::Outcomes) => {
                "None yet."
            }
            _ => "To be written.",
        };
        s.push_str(body);
        s.push_str("\n\n");
    }
    s.truncate(s.trim_end().len());
    s.push('\n');
    s
}

/// The section a plan's heading of this name is read as: the skeleton's
/// own kind, else what the heading reads as by a synonym (a team's
/// `Progress Notes` is the plan's Progress, and must hold its checkboxes)
/// unless the skeleton has that section under its own name.
fn read_as(sections: &Skeleton, section: &SkeletonSection) -> Option<SectionKind> {
    section.kind.or_else(|| {
        SectionKind::from_heading(section.heading())
            .filter(|k| sections.index_of_kind(*k).is_none())
    })
}

/// The living-document sentence, naming the living sections the skeleton
/// has, in its spelling (the canonical sentence for the canonical skeleton).
fn preamble(sections: &Skeleton) -> String {
    if !sections.custom {
        return preamble_sentence().to_string();
    }
    let living: Vec<String> = sections
        .sections
        .iter()
        .filter(|s| read_as(sections, s).is_some_and(SectionKind::is_living))
        .map(|s| format!("`{}`", s.heading()))
        .collect();
    let list = match living.as_slice() {
        [] => {
            return "This ExecPlan is a living document: keep it up to date as work proceeds."
                .to_string();
        }
        [one] => format!("The section {one} must"),
        [a, b] => format!("The sections {a} and {b} must"),
        [init @ .., last] => format!("The sections {}, and {last} must", init.join(", ")),
    };
    format!("This ExecPlan is a living document. {list} be kept up to date as work proceeds.")
}

/// How a repository names its plan files.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Naming {
    /// `slug.md`.
    Plain,
    /// `YYYY-MM-DD-slug.md`.
    Dated,
    /// `NNN-slug.md`, with this many digits.
    Numbered(usize),
}

impl Naming {
    /// The new file's name; a number is one past the highest in `names`
    /// (every file of the folder, so no number is taken twice).
    fn file_name(self, slug: &str, names: &[String], today: jiff::civil::Date) -> String {
        match self {
            Naming::Plain => format!("{slug}.md"),
            Naming::Dated => format!("{}-{slug}.md", today.strftime("%Y-%m-%d")),
            Naming::Numbered(width) => {
                let next = names
                    .iter()
                    .filter_map(|n| number_prefix(n))
                    .map(|(n, _)| n)
                    .max()
                    .map_or(1, |n| n + 1);
                format!("{next:0width$}-{slug}.md")
            }
        }
    }
}

/// `2026-01-05-add-cache.md` starts with a date.
fn has_date_prefix(name: &str) -> bool {
    let b = name.as_bytes();
    b.len() > 11
        && b[..10].iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        })
        && matches!(b[10], b'-' | b'_')
}

/// `007-add-cache.md` → (7, 3 digits); a date prefix is not a number.
fn number_prefix(name: &str) -> Option<(u64, usize)> {
    if has_date_prefix(name) {
        return None;
    }
    let digits = name.chars().take_while(char::is_ascii_digit).count();
    let rest = &name[digits..];
    if !(1..=6).contains(&digits) || !rest.starts_with(['-', '_']) || rest.len() < 2 {
        return None;
    }
    Some((name[..digits].parse().ok()?, digits))
}

/// The naming the existing plans of the folder use (most of them), else
/// the one PLANS.md describes (`YYYY-MM-DD-<slug>.md`, `NNN-<slug>.md`),
/// else plain.
fn naming_of(existing: &[String], plans_md: Option<&str>) -> Naming {
    let dated = existing.iter().filter(|n| has_date_prefix(n)).count();
    let numbered: Vec<usize> = existing
        .iter()
        .filter_map(|n| number_prefix(n))
        .map(|(_, w)| w)
        .collect();
    let half = existing.len().div_ceil(2).max(1);
    if dated >= half && dated >= numbered.len() {
        return Naming::Dated;
    }
    if numbered.len() >= half {
        let mut widths = numbered.clone();
        widths.sort_unstable();
        // The width most plans use.
        let width = widths
            .iter()
            .max_by_key(|w| (widths.iter().filter(|v| v == w).count(), **w))
            .copied()
            .unwrap_or(3);
        return Naming::Numbered(width);
    }
    if !existing.is_empty() {
        return Naming::Plain;
    }
    let Some(text) = plans_md else {
        return Naming::Plain;
    };
    let lower = text.to_lowercase();
    if ["yyyy-mm-dd-", "yyyymmdd-", "<date>-", "{date}-"]
        .iter()
        .any(|p| lower.contains(p))
    {
        return Naming::Dated;
    }
    // Placeholders only: a sample date such as `2026-01-05` is no rule.
    for (pattern, width) in [
        ("nnnn-", 4),
        ("nnn-", 3),
        ("nn-", 2),
        ("<nnnn>-", 4),
        ("<nnn>-", 3),
        ("<nn>-", 2),
        ("<n>-", 3),
        ("<number>-", 3),
    ] {
        if lower.contains(pattern) {
            return Naming::Numbered(width);
        }
    }
    Naming::Plain
}

/// The names of the files in `folder`.
fn files_in(folder: &Path) -> Vec<String> {
    std::fs::read_dir(folder)
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .filter_map(|e| e.file_name().into_string().ok())
        .collect()
}

/// `Add a result cache!` → `add-a-result-cache`.
fn slug(title: &str) -> String {
    let mut out = String::new();
    for c in title.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-')
        .chars()
        .take(60)
        .collect::<String>()
        .trim_end_matches('-')
        .to_string()
}

/// The file names of the repository's plans, by folder.
fn plans_by_folder(root: &Path) -> HashMap<PathBuf, Vec<String>> {
    let mut plans: HashMap<PathBuf, Vec<String>> = HashMap::new();
    let walker = ignore::WalkBuilder::new(root)
        .hidden(false)
        .filter_entry(|e| e.file_name() != ".git")
        .build();
    for entry in walker.filter_map(Result::ok) {
        let path = entry.path();
        if path.extension().is_none_or(|x| x != "md") {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        let env = PlanEnv {
            root: Some(root.to_path_buf()),
            ..PlanEnv::default()
        };
        let (settings, _) = config::load_for_dir(path.parent().unwrap_or(root), None);
        if checker::detect(Some(path), &text, &env, &settings).is_plan()
            && let (Some(parent), Some(name)) = (path.parent(), path.file_name())
        {
            plans
                .entry(parent.to_path_buf())
                .or_default()
                .push(name.to_string_lossy().into_owned());
        }
    }
    plans
}

/// Folder names that hold finished plans, not where a new one goes.
const FINISHED: [&str; 8] = [
    "completed",
    "complete",
    "done",
    "archive",
    "archived",
    "finished",
    "old",
    "past",
];

/// Folder names that hold the plans being worked on.
const ACTIVE: [&str; 5] = ["active", "in-progress", "current", "open", "wip"];

fn is_named(folder: &Path, names: &[&str]) -> bool {
    folder
        .file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| names.iter().any(|f| n.eq_ignore_ascii_case(f)))
}

/// Where the repository keeps its plans: the folder most existing plans are
/// in (not one for finished plans: its `active/` sibling or its parent
/// then), else a plan folder AGENTS.md names, else `.agent/plans`.
fn plan_folder(root: &Path, plans: &HashMap<PathBuf, Vec<String>>) -> PathBuf {
    let most = |finished: bool| {
        plans
            .iter()
            .filter(|(f, _)| is_named(f, &FINISHED) == finished)
            .max_by(|a, b| a.1.len().cmp(&b.1.len()).then_with(|| b.0.cmp(a.0)))
            .map(|(f, _)| f.clone())
    };
    let overall = plans
        .iter()
        .max_by(|a, b| a.1.len().cmp(&b.1.len()).then_with(|| b.0.cmp(a.0)))
        .map(|(f, _)| f.clone());
    let finished = overall.filter(|f| is_named(f, &FINISHED));
    if finished.is_none()
        && let Some(folder) = most(false)
    {
        return folder;
    }
    // Most plans are finished ones: their `active/` sibling, else the folder
    // with the most plans that are not finished.
    if let Some(parent) = finished.as_deref().and_then(Path::parent) {
        for name in ACTIVE {
            if parent.join(name).is_dir() {
                return parent.join(name);
            }
        }
    }
    if let Some(folder) = most(false) {
        return folder;
    }
    let finished = most(true);
    if let Ok(agents) = std::fs::read_to_string(root.join("AGENTS.md")) {
        for folder in [
            ".agent/plans",
            ".agent/execplans",
            ".agents/exec-plans",
            ".agents/plans",
            ".ai/plans",
            "docs/execplans",
            "docs/exec-plans",
            "plans",
        ] {
            if agents.contains(folder) {
                return root.join(folder);
            }
        }
    }
    if let Some(parent) = finished.as_deref().and_then(Path::parent) {
        return parent.to_path_buf();
    }
    root.join(".agent/plans")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{AnalysisOptions, CheckContext, Severity, check};
    use crate::model::build_from_text;

    #[test]
    fn slugs() {
        assert_eq!(slug("Add a result cache!"), "add-a-result-cache");
        assert_eq!(slug("  Über Straße: v2 "), "über-straße-v2");
        assert_eq!(slug("!!!"), "");
    }

    #[test]
    fn a_new_plan_has_every_section_and_no_error_or_warning() {
        let text = skeleton(
            "Add a cache",
            Some(".agent/PLANS.md"),
            Skeleton::canonical(),
        );
        let model = build_from_text(&text);
        assert!(SectionKind::ALL.iter().all(|k| model.has_section(*k)));
        let options = AnalysisOptions::default();
        let ctx = CheckContext::new(jiff::Timestamp::now(), &options);
        let found = check(&text, &model, &ctx);
        assert!(
            found
                .iter()
                .all(|d| !matches!(d.severity, Severity::Error | Severity::Warning)),
            "{found:?}"
        );
    }

    #[test]
    fn naming_follows_the_existing_plans_then_plans_md() {
        let names = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let today = jiff::civil::date(2026, 12, 1);
        let dated = naming_of(
            &names(&["2026-01-05-a.md", "2026-02-01-b.md", "notes.md"]),
            None,
        );
        assert_eq!(dated, Naming::Dated);
        assert_eq!(dated.file_name("cache", &[], today), "2026-12-01-cache.md");
        let numbered = naming_of(&names(&["001-a.md", "002-b.md"]), None);
        assert_eq!(numbered, Naming::Numbered(3));
        assert_eq!(
            numbered.file_name(
                "cache",
                &names(&["001-a.md", "007-b.md", "README.md"]),
                today
            ),
            "008-cache.md"
        );
        assert_eq!(
            naming_of(&names(&["a.md", "b.md", "001-c.md"]), None),
            Naming::Plain
        );
        // No plans yet: what PLANS.md says.
        assert_eq!(
            naming_of(&[], Some("Name plans `docs/plans/YYYY-MM-DD-<slug>.md`.")),
            Naming::Dated
        );
        assert_eq!(
            naming_of(&[], Some("Plans live in `plans/NNN-short-name.md`.")),
            Naming::Numbered(3)
        );
        assert_eq!(naming_of(&[], Some("Write good plans.")), Naming::Plain);
        assert_eq!(Naming::Numbered(2).file_name("x", &[], today), "01-x.md");
        // A date is not a number.
        assert_eq!(number_prefix("2026-01-05-a.md"), None);
        assert_eq!(number_prefix("12-a.md"), Some((12, 2)));
    }
}
