//! Whether a Markdown document is an ExecPlan. A file is a plan because its
//! content is a plan; where it sits is only a prior. The evidence is read
//! from the plan model, the same structure the checker reads, so a heading
//! or a sentence inside a code block is never evidence.
//!
//! The order of the questions (each answers or passes on):
//!
//! 1. the user's `exclude` and `plan_globs` settings;
//! 2. names and folders that are never plans (PLANS.md, READMEs, AGENTS.md,
//!    templates, agent tooling such as `.claude/`);
//! 3. content that is plainly something else: a document about writing
//!    ExecPlans, a template full of placeholders;
//! 4. strong plan evidence (living sections, the living-document sentence,
//!    an "ExecPlan" title): a plan wherever it sits;
//! 5. content that belongs to or points at a plan (task files, artifacts,
//!    "moved, see …" stubs) or whose title names another kind of document;
//! 6. the location prior: in an ExecPlan folder or with an `*execplan*`
//!    name, an empty file or one with plan-like sections is a plan; in a
//!    generic `plans/` folder some living evidence is needed.

use std::cell::OnceCell;
use std::fmt;
use std::path::Path;

use super::{InlineContext, PlanModel, SectionKind};

/// Why a document is, or is not, treated as a plan.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PlanDetection {
    Plan(PlanReason),
    Skipped(SkipReason),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PlanReason {
    /// A `plan_globs` pattern of the configuration matches it.
    Configured,
    /// Its content is a plan's (wherever it sits).
    Content,
    /// It sits where plans sit and its content has a plan's sections.
    Location,
    /// It is empty or only a title, where plans sit: a plan being started.
    NewFile,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SkipReason {
    /// An `exclude` pattern of the configuration matches it.
    Configured,
    /// A file named PLANS.md: the team's rules for plans.
    PlansMd,
    /// A README or an index page.
    Readme,
    /// AGENTS.md, CLAUDE.md or a similar agent instructions file.
    AgentInstructions,
    /// Its name says it is a template.
    TemplateName,
    /// A skeleton whose sections hold placeholders (`<…>`, `{…}`).
    TemplateContent,
    /// Under an agent tool's folder (prompts, commands, skills, plan-mode
    /// files): `.claude/`, `.cursor/`, `.github/prompts/`, `skills/`, …
    AgentTooling(String),
    /// An agent skill (`SKILL.md`).
    Skill,
    /// Scratch notes (`.ai/plans/tmp/`).
    Scratch,
    /// It describes how to write ExecPlans (a copy or variant of PLANS.md).
    MetaDocument,
    /// Short, and only points elsewhere ("archived, see …").
    Stub,
    /// Its front matter names the plan it belongs to (a task file).
    PartOfPlan,
    /// Under a folder of a plan's material (`artifacts/`, `reports/`, …).
    PlanMaterial(String),
    /// Its title says it is another kind of document (a report, a tracker).
    OtherKind(String),
    /// In a plan folder or named like a plan, but no section of a plan.
    NoPlanSections,
    /// No evidence of a plan at all.
    NoEvidence,
}

impl PlanDetection {
    pub fn is_plan(&self) -> bool {
        matches!(self, PlanDetection::Plan(_))
    }

    /// Why the file was skipped, when it was.
    pub fn skip_reason(&self) -> Option<&SkipReason> {
        match self {
            PlanDetection::Skipped(reason) => Some(reason),
            PlanDetection::Plan(_) => None,
        }
    }
}

impl fmt::Display for PlanReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            PlanReason::Configured => "matched by plan_globs in .execplan.toml",
            PlanReason::Content => "its content is a plan's",
            PlanReason::Location => "in a plan folder or named as a plan, with a plan's sections",
            PlanReason::NewFile => "a new plan (empty or only a title) where plans live",
        })
    }
}

impl fmt::Display for SkipReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SkipReason::Configured => f.write_str("excluded by `exclude` in .execplan.toml"),
            SkipReason::PlansMd => f.write_str("PLANS.md: the rules for plans, not a plan"),
            SkipReason::Readme => f.write_str("a README or index page"),
            SkipReason::AgentInstructions => f.write_str("agent instructions (AGENTS.md, CLAUDE.md)"),
            SkipReason::TemplateName => f.write_str("a template (by its name)"),
            SkipReason::TemplateContent => {
                f.write_str("a template: its sections hold placeholders such as `<…>`")
            }
            SkipReason::AgentTooling(folder) => {
                write!(f, "an agent prompt, command or skill (under `{folder}`)")
            }
            SkipReason::Skill => f.write_str("an agent skill (SKILL.md)"),
            SkipReason::Scratch => f.write_str("scratch notes (`.ai/plans/tmp/`)"),
            SkipReason::MetaDocument => {
                f.write_str("about ExecPlans, not one: it says how to write them or shows a plan's sections only inside code (like PLANS.md)")
            }
            SkipReason::Stub => f.write_str("a short stub that points elsewhere"),
            SkipReason::PartOfPlan => {
                f.write_str("its front matter names the plan it belongs to (part of a plan)")
            }
            SkipReason::PlanMaterial(folder) => {
                write!(f, "a plan's material (under `{folder}/`), not a plan")
            }
            SkipReason::OtherKind(kind) => {
                let shown = match kind.as_str() {
                    "adr" => "ADR",
                    "rfc" => "RFC",
                    "prd" => "PRD",
                    "tasks" => "task list",
                    other => other,
                };
                let article = if shown.starts_with(['a', 'e', 'i', 'o', 'u', 'A', 'E', 'I', 'O', 'U'])
                    || shown == "RFC"
                {
                    "an"
                } else {
                    "a"
                };
                write!(f, "its title or name says it is {article} {shown}, not a plan")
            }
            SkipReason::NoPlanSections => f.write_str(
                "where plans live, but it has none of a plan's sections or its living-document sentence",
            ),
            SkipReason::NoEvidence => f.write_str(
                "no plan content: no living sections, no living-document sentence, no ExecPlan title",
            ),
        }
    }
}

/// What the configuration says of a path: `Some(true)` forced in by
/// `plan_globs`, `Some(false)` forced out by `exclude`.
pub type Forced<'a> = &'a dyn Fn(&Path) -> Option<bool>;

/// File names that are never plans, wherever they sit.
pub fn is_excluded_file_name(name: &str) -> bool {
    name_verdict(name).is_some()
}

fn name_verdict(name: &str) -> Option<SkipReason> {
    let lower = name.to_ascii_lowercase();
    let stem = lower
        .strip_suffix(".markdown")
        .or_else(|| lower.strip_suffix(".md"))
        .unwrap_or(&lower);
    if stem == "plans" {
        return Some(SkipReason::PlansMd);
    }
    if stem == "readme" || stem.starts_with("readme.") || stem == "index" || stem == "_index" {
        return Some(SkipReason::Readme);
    }
    if matches!(
        stem,
        "agents" | "claude" | "gemini" | "copilot-instructions"
    ) {
        return Some(SkipReason::AgentInstructions);
    }
    if stem.contains("template") || stem == "skill" {
        return Some(if stem == "skill" {
            SkipReason::Skill
        } else {
            SkipReason::TemplateName
        });
    }
    None
}

/// Folders of agent tools: their Markdown is prompts, commands, skills or
/// the tool's own plan-mode files, never an ExecPlan.
const TOOL_FOLDERS: [&str; 10] = [
    ".claude",
    ".cursor",
    ".windsurf",
    ".gemini",
    ".opencode",
    ".continue",
    ".roo",
    ".kiro",
    ".clinerules",
    ".aider",
];

/// Folder names that hold prompts, commands, skills and templates, at any
/// depth (`.codex/prompts/`, `.agents/skills/`, `templates/`).
const TOOLING_SUBFOLDERS: [&str; 6] = [
    "prompts",
    "commands",
    "skills",
    "chatmodes",
    "instructions",
    "templates",
];

/// Folders that hold a plan's material rather than plans.
const MATERIAL_FOLDERS: [&str; 9] = [
    "artifacts",
    "artefacts",
    "reports",
    "evidence",
    "assets",
    "attachments",
    "logs",
    "screenshots",
    "outputs",
];

/// Folders (as consecutive path parts) meant for ExecPlans. A folder named
/// `execplans` or `exec-plans` anywhere counts too.
const PLAN_FOLDERS: [&[&str]; 9] = [
    &[".agent", "plans"],
    &[".agent", "tasks"],
    &[".agent", "done"],
    &[".agents", "plans"],
    &[".agents", "tasks"],
    &[".ai", "plans"],
    &[".agent", "execplan"],
    &[".agents", "execplan"],
    &["docs", "execplan"],
];

/// How strongly a path suggests a plan.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Prior {
    None,
    /// A generic `plans/` folder or `plan` in the name.
    Generic,
    /// An ExecPlan folder or an `*execplan*` name.
    Specific,
}

/// The parts of a path, lower-cased, folders then the file name.
fn parts(path: &Path) -> Vec<String> {
    path.to_string_lossy()
        .replace('\\', "/")
        .to_lowercase()
        .split('/')
        .filter(|p| !p.is_empty() && *p != ".")
        .map(str::to_string)
        .collect()
}

fn path_prior(folders: &[String], name: &str) -> Prior {
    let stem = name.split('.').next().unwrap_or(name);
    let squashed: String = stem.chars().filter(|c| c.is_alphanumeric()).collect();
    let plan_folder = |f: &str| {
        let f: String = f.chars().filter(|c| c.is_alphanumeric()).collect();
        f == "execplans" || f == "execplan"
    };
    let specific_pair = folders.windows(2).any(|w| {
        PLAN_FOLDERS
            .iter()
            .any(|p| w[0] == p[0] && w[1].replace(['-', '_'], "").starts_with(p[1]))
    });
    if squashed.contains("execplan") || folders.iter().any(|f| plan_folder(f)) || specific_pair {
        return Prior::Specific;
    }
    if folders.iter().any(|f| f == "plans" || f == "plan") || stem.contains("plan") {
        return Prior::Generic;
    }
    Prior::None
}

/// The path-only verdicts: configuration, names and folders that are never
/// plans. `None` when the content must decide.
pub fn path_verdict(path: &Path, forced: Forced<'_>) -> Option<PlanDetection> {
    match forced(path) {
        Some(false) => return Some(PlanDetection::Skipped(SkipReason::Configured)),
        Some(true) => return Some(PlanDetection::Plan(PlanReason::Configured)),
        None => {}
    }
    let all = parts(path);
    let (name, folders) = all.split_last()?;
    if let Some(reason) = name_verdict(name) {
        return Some(PlanDetection::Skipped(reason));
    }
    if let Some(f) = folders.iter().find(|f| TOOL_FOLDERS.contains(&f.as_str())) {
        return Some(PlanDetection::Skipped(SkipReason::AgentTooling(format!(
            "{f}/"
        ))));
    }
    for (i, f) in folders.iter().enumerate() {
        let github_part = f == ".github" && folders.get(i + 1).is_some_and(|n| n != "workflows");
        if github_part {
            return Some(PlanDetection::Skipped(SkipReason::AgentTooling(format!(
                ".github/{}/",
                folders[i + 1]
            ))));
        }
        if TOOLING_SUBFOLDERS.contains(&f.as_str())
            || (f == "workflows" && i > 0 && folders[i - 1].starts_with('.'))
        {
            let shown = folders[..=i].join("/");
            return if f == "templates" {
                Some(PlanDetection::Skipped(SkipReason::TemplateName))
            } else {
                Some(PlanDetection::Skipped(SkipReason::AgentTooling(format!(
                    "{shown}/"
                ))))
            };
        }
    }
    let joined = folders.join("/");
    if joined.contains(".ai/plans/tmp") {
        return Some(PlanDetection::Skipped(SkipReason::Scratch));
    }
    None
}

/// Whether the path alone makes a plan likely (an ExecPlan or `plans/`
/// folder, a name with `plan` in it), so its content is worth reading even
/// without the words strong evidence needs.
pub fn location_suggests_plan(path: &Path) -> bool {
    let mut all = parts(path);
    let name = all.pop().unwrap_or_default();
    path_prior(&all, &name) != Prior::None
}

/// Decides whether the document at `path` (relative to the repository root;
/// `None` for unsaved buffers) with `text` and its `model` is a plan.
pub fn detect_plan(
    path: Option<&Path>,
    text: &str,
    model: &PlanModel,
    forced: Forced<'_>,
) -> PlanDetection {
    if let Some(path) = path
        && let Some(verdict) = path_verdict(path, forced)
    {
        return verdict;
    }
    let (folders, name) = match path {
        Some(p) => {
            let mut all = parts(p);
            let name = all.pop().unwrap_or_default();
            (all, name)
        }
        None => (Vec::new(), String::new()),
    };
    let prior = if path.is_some() {
        path_prior(&folders, &name)
    } else {
        Prior::None
    };
    let stem = name.split('.').next().unwrap_or(&name).to_string();
    let evidence = Evidence::read(text, model, &stem);
    if evidence.names_its_plan {
        return PlanDetection::Skipped(SkipReason::PartOfPlan);
    }
    if evidence.is_new() {
        return if prior == Prior::Specific {
            PlanDetection::Plan(PlanReason::NewFile)
        } else {
            PlanDetection::Skipped(SkipReason::NoEvidence)
        };
    }
    if evidence.is_meta() {
        return PlanDetection::Skipped(SkipReason::MetaDocument);
    }
    if evidence.is_template() {
        return PlanDetection::Skipped(SkipReason::TemplateContent);
    }
    // Away from plan folders, a document whose file name says what else it
    // is (a report, a tracker, a mission) is that, even with a Decision
    // Log, unless it calls itself a living document or an ExecPlan. (A
    // title is weaker evidence: "Rebuild the search index" is a plan.)
    if prior == Prior::None
        && !evidence.execplan_title
        && let Some(kind) = head_kind(&stem)
        && !evidence.prose().sentence
    {
        return PlanDetection::Skipped(SkipReason::OtherKind(kind));
    }
    if evidence.is_strong() {
        return PlanDetection::Plan(PlanReason::Content);
    }
    if let Some(f) = folders
        .iter()
        .find(|f| MATERIAL_FOLDERS.contains(&f.as_str()))
    {
        return PlanDetection::Skipped(SkipReason::PlanMaterial(f.clone()));
    }
    if evidence.is_stub() {
        return PlanDetection::Skipped(SkipReason::Stub);
    }
    if let Some(kind) = &evidence.title_kind {
        return PlanDetection::Skipped(SkipReason::OtherKind(kind.clone()));
    }
    match prior {
        Prior::Specific if evidence.has_plan_sections() => {
            PlanDetection::Plan(PlanReason::Location)
        }
        Prior::Specific => PlanDetection::Skipped(SkipReason::NoPlanSections),
        Prior::Generic if evidence.is_canonical() => PlanDetection::Plan(PlanReason::Location),
        Prior::Generic => PlanDetection::Skipped(SkipReason::NoPlanSections),
        Prior::None => PlanDetection::Skipped(SkipReason::NoEvidence),
    }
}

/// Whether `text` could be a plan by content at all: every kind of strong
/// evidence needs one of these words. Lets a caller skip building a model
/// for Markdown that sits nowhere near plans.
pub fn may_be_plan_content(text: &str) -> bool {
    let lower = text.to_lowercase();
    [
        "progress",
        "decision",
        "surprise",
        "discover",
        "outcome",
        "retrospective",
        "living document",
        "execplan",
        "exec plan",
        "exec-plan",
        "execution plan",
    ]
    .iter()
    .any(|w| lower.contains(w))
}

/// What the content says, read from the model. What is cheap to count is
/// counted at once; what needs the text searched (the prose's words and
/// phrases, code blocks, placeholders, the preamble) is read the first time
/// a question asks for it. Detection runs on every check of an open plan,
/// and for a plan in progress the questions are answered by its headings
/// and checkboxes before any of that is needed.
#[derive(Debug)]
struct Evidence<'a> {
    text: &'a str,
    model: &'a PlanModel,
    /// Distinct living sections among the headings (the title excluded).
    living: usize,
    /// Distinct skeleton sections among the headings.
    skeleton: usize,
    /// Headings other than the title.
    headings: usize,
    /// The title says ExecPlan (or execution plan).
    execplan_title: bool,
    /// Checkbox items in a Progress section.
    progress_items: usize,
    checked_items: usize,
    title_placeholder: bool,
    links: usize,
    /// Front matter naming the plan this file belongs to.
    names_its_plan: bool,
    /// Tables, fenced and indented blocks.
    blocks: usize,
    checkboxes: usize,
    /// The kind of document the title names, when it is not a plan.
    title_kind: Option<String>,
    prose: OnceCell<Prose>,
    /// Headings that name a part of a plan, in any of several languages.
    plan_vocabulary: OnceCell<usize>,
    /// A code block holding a skeleton: two or more living headings.
    skeleton_in_code: OnceCell<bool>,
    /// Sections whose body holds a placeholder, and sections with content.
    placeholders: OnceCell<Placeholders>,
    /// The preamble says this plan follows PLANS.md.
    cites_plans_md: OnceCell<bool>,
}

/// What the prose (paragraphs and list items) says.
#[derive(Debug, Default)]
struct Prose {
    /// Words, counted up to just past the most any question asks (80).
    words: usize,
    /// "living document" (not in code).
    sentence: bool,
    /// Phrases that speak of ExecPlans in general ("every ExecPlan must").
    generic_phrases: usize,
    /// Pointing elsewhere ("moved to", "archived", "see").
    redirect: bool,
}

#[derive(Debug, Default)]
struct Placeholders {
    sections: usize,
    content_sections: usize,
}

impl<'a> Evidence<'a> {
    fn read(text: &'a str, model: &'a PlanModel, stem: &str) -> Evidence<'a> {
        let mut living = [false; 12];
        let mut skeleton = [false; 12];
        let mut headings = 0;
        for (i, heading) in model.headings.iter().enumerate() {
            if Some(i) == model.title {
                continue;
            }
            headings += 1;
            if let Some((kind, _)) = heading.recognised {
                skeleton[kind.order()] = true;
                if kind.is_living() {
                    living[kind.order()] = true;
                }
            }
        }
        let mut e = Evidence {
            text,
            model,
            living: living.iter().filter(|x| **x).count(),
            skeleton: skeleton.iter().filter(|x| **x).count(),
            headings,
            execplan_title: false,
            progress_items: model.progress_items().count(),
            checked_items: model
                .checkboxes
                .iter()
                .filter(|c| c.state == super::CheckState::Checked)
                .count(),
            title_placeholder: false,
            links: model.links.len() + model.code_paths.len(),
            names_its_plan: front_matter_names_plan(text, stem),
            blocks: model.tables.len() + model.fences.len() + model.indented_blocks.len(),
            checkboxes: model.checkboxes.len(),
            title_kind: None,
            prose: OnceCell::new(),
            plan_vocabulary: OnceCell::new(),
            skeleton_in_code: OnceCell::new(),
            placeholders: OnceCell::new(),
            cites_plans_md: OnceCell::new(),
        };
        if let Some(title) = model.title_heading() {
            let lower = title.text.to_lowercase();
            e.execplan_title = ["execplan", "exec plan", "exec-plan"]
                .iter()
                .any(|w| lower.contains(w));
            e.title_placeholder = placeholders_in(&title.text) > 0;
            if !e.execplan_title {
                e.title_kind = title_kind(&title.text);
            }
        }
        e
    }

    fn prose(&self) -> &Prose {
        self.prose.get_or_init(|| {
            let mut p = Prose::default();
            for inline in &self.model.inlines {
                if !matches!(
                    inline.context,
                    InlineContext::Paragraph | InlineContext::ListItem
                ) {
                    continue;
                }
                let piece = &self.text[inline.span.clone()];
                // Only "at most 40" and "at most 80" words are ever asked.
                if p.words <= 80 {
                    p.words += piece.split_whitespace().count();
                }
                let found = prose_phrases(piece);
                p.sentence |= found & LIVING_BITS != 0;
                p.generic_phrases += (found & GENERIC_BITS).count_ones() as usize;
                p.redirect |= found & REDIRECT_BITS != 0;
            }
            p
        })
    }

    fn plan_vocabulary(&self) -> usize {
        *self.plan_vocabulary.get_or_init(|| {
            let model = self.model;
            (model.headings.iter().enumerate())
                .filter(|(i, h)| Some(*i) != model.title && plan_vocabulary(&h.text))
                .count()
        })
    }

    fn skeleton_in_code(&self) -> bool {
        *self.skeleton_in_code.get_or_init(|| {
            let model = self.model;
            let mut code_blocks = (model.fences.iter().map(|f| f.content.clone()))
                .chain(model.indented_blocks.iter().cloned());
            code_blocks.any(|span| {
                let mut seen = [false; 12];
                for line in self.text[span].lines() {
                    let t = line.trim_start();
                    let hashes = t.chars().take_while(|c| *c == '#').count();
                    if (1..=4).contains(&hashes)
                        && let Some(kind) = SectionKind::from_heading(&t[hashes..])
                        && kind.is_living()
                    {
                        seen[kind.order()] = true;
                    }
                }
                seen.iter().filter(|x| **x).count() >= 2
            })
        })
    }

    fn placeholders(&self) -> &Placeholders {
        self.placeholders.get_or_init(|| {
            let mut p = Placeholders::default();
            for section in self.model.sections.iter().filter(|s| s.has_content) {
                p.content_sections += 1;
                if placeholders_in(&self.text[section.own_body.clone()]) > 0 {
                    p.sections += 1;
                }
            }
            p
        })
    }

    fn cites_plans_md(&self) -> bool {
        *self.cites_plans_md.get_or_init(|| {
            self.model.preamble.iter().any(|span| {
                let lower = self.text[span.clone()].to_lowercase();
                lower.contains("plans.md")
                    && ["this plan", "this execplan", "this document", "this spec"]
                        .iter()
                        .any(|w| lower.contains(w))
            })
        })
    }

    /// Empty, or a title and a sentence or two with no section yet.
    fn is_new(&self) -> bool {
        self.headings == 0
            && self.blocks == 0
            && self.checkboxes == 0
            && self.prose().words <= 40
            && !self.prose().redirect
    }

    /// A document about writing plans: several generic phrases, or a
    /// skeleton shown in a code block, without living sections of its own.
    fn is_meta(&self) -> bool {
        let own = self.living >= 2 && self.progress_items > 0;
        !own && (self.prose().generic_phrases >= 3 || (self.living < 2 && self.skeleton_in_code()))
    }

    /// Most sections hold placeholders, and nothing is done.
    fn is_template(&self) -> bool {
        if self.checked_items > 0 {
            return false;
        }
        let p = self.placeholders();
        self.title_placeholder && p.sections >= 1
            || p.sections >= 3 && p.sections * 3 >= p.content_sections * 2
    }

    /// A plan wherever it sits.
    fn is_strong(&self) -> bool {
        self.living >= 2
            || self.living >= 1 && self.execplan_title
            || self.living >= 1 && self.progress_items > 0 && self.skeleton >= 2
            || self.execplan_title && self.headings >= 1
            || (self.living >= 1 || self.skeleton >= 1) && self.prose().sentence
            || self.headings >= 1 && self.cites_plans_md()
    }

    /// Enough for a generic `plans/` folder without strong evidence: most
    /// of the skeleton's sections.
    fn is_canonical(&self) -> bool {
        self.skeleton >= 4
    }

    /// Enough for an ExecPlan folder.
    fn has_plan_sections(&self) -> bool {
        self.skeleton >= 1 || self.progress_items > 0 || self.plan_vocabulary() >= 1
    }

    fn is_stub(&self) -> bool {
        self.skeleton == 0
            && self.progress_items == 0
            && self.links > 0
            && self.prose().words <= 80
            && self.prose().redirect
    }
}

/// Phrases a plan uses of itself: "This ExecPlan is a living document".
const LIVING: [&str; 2] = ["living document", "living execplan"];

/// The phrases [`Evidence::read`] looks for in prose, in one list: the
/// living sentence, then [`GENERIC_PHRASES`], then [`REDIRECTS`]. Bit `i` of
/// [`prose_phrases`]'s answer is the `i`th.
const PROSE_PHRASES: [&str; 28] = {
    let mut all = [""; 28];
    let mut i = 0;
    while i < LIVING.len() {
        all[i] = LIVING[i];
        i += 1;
    }
    let mut j = 0;
    while j < GENERIC_PHRASES.len() {
        all[i + j] = GENERIC_PHRASES[j];
        j += 1;
    }
    let mut k = 0;
    while k < REDIRECTS.len() {
        all[i + j + k] = REDIRECTS[k];
        k += 1;
    }
    all
};
const LIVING_BITS: u32 = (1 << LIVING.len()) - 1;
const GENERIC_BITS: u32 = ((1 << GENERIC_PHRASES.len()) - 1) << LIVING.len();
const REDIRECT_BITS: u32 = ((1 << REDIRECTS.len()) - 1) << (LIVING.len() + GENERIC_PHRASES.len());

/// Which of [`PROSE_PHRASES`] `piece` holds, ignoring case, as bits.
/// Detection runs on every request a plan gets, over all its prose, so an
/// ASCII piece (nearly all) is searched once for all phrases, without
/// lowercasing it; any other is lowercased as Unicode says and searched
/// phrase by phrase, as before. The two agree on ASCII: the phrases are
/// lowercase ASCII, and ASCII lowercases to ASCII.
fn prose_phrases(piece: &str) -> u32 {
    static AUTOMATON: std::sync::LazyLock<aho_corasick::AhoCorasick> =
        std::sync::LazyLock::new(|| {
            aho_corasick::AhoCorasick::builder()
                .ascii_case_insensitive(true)
                .build(PROSE_PHRASES)
                .expect("the phrases make an automaton")
        });
    if piece.is_ascii() {
        // Most prose holds none: the first search skips it fast, and only
        // a piece with a phrase is searched again for every one.
        if !AUTOMATON.is_match(piece) {
            return 0;
        }
        AUTOMATON
            .find_overlapping_iter(piece)
            .fold(0, |bits, m| bits | 1 << m.pattern().as_usize())
    } else {
        prose_phrases_lowercased(piece)
    }
}

/// [`prose_phrases`] by lowercasing `piece` and searching for each phrase.
fn prose_phrases_lowercased(piece: &str) -> u32 {
    let lower = piece.to_lowercase();
    PROSE_PHRASES
        .iter()
        .enumerate()
        .filter(|(_, p)| lower.contains(*p))
        .fold(0, |bits, (i, _)| bits | 1 << i)
}

/// Phrases that speak of ExecPlans in general, as PLANS.md and articles
/// about it do; a plan speaks of itself ("this ExecPlan").
const GENERIC_PHRASES: [&str; 16] = [
    "every execplan",
    "each execplan",
    "execplans must",
    "execplans should",
    "an execplan must",
    "an execplan should",
    "execplans are",
    "an execplan is",
    "writing an execplan",
    "write an execplan",
    "authoring an execplan",
    "author an execplan",
    "skeleton of a good execplan",
    "how to use execplans",
    "when writing execplans",
    "execplan must",
];

const REDIRECTS: [&str; 10] = [
    "moved to",
    "has moved",
    "archived",
    "superseded",
    "replaced by",
    "now lives",
    "deprecated",
    "relocated",
    "see ",
    "was merged into",
];

/// Words of headings that name a part of a plan: its purpose, scope,
/// steps, phases, milestones, validation, risks, progress and decisions, in
/// English and the other languages plans are written in.
const PLAN_WORDS: [&str; 90] = [
    // English
    "goal",
    "objective",
    "purpose",
    "scope",
    "plan",
    "step",
    "task",
    "phase",
    "milestone",
    "implement",
    "validat",
    "verif",
    "accept",
    "done criteria",
    "definition of done",
    "rollback",
    "recovery",
    "risk",
    "deliverable",
    "approach",
    "progress",
    "decision",
    "outcome",
    "context",
    "constraint",
    "non-goal",
    "test",
    "interface",
    "checklist",
    "work breakdown",
    // Spanish, Portuguese, French, German
    "objetivo",
    "propósito",
    "alcance",
    "paso",
    "fase",
    "validación",
    "validação",
    "verificación",
    "progreso",
    "progresso",
    "decisi",
    "decisõ",
    "contexto",
    "riesgo",
    "hito",
    "tarea",
    "objectif",
    "étape",
    "ziel",
    "schritt",
    "umsetzung",
    // Japanese
    "目的",
    "目標",
    "計画",
    "手順",
    "フェーズ",
    "実装",
    "検証",
    "受け入れ",
    "進捗",
    "決定",
    "範囲",
    "前提",
    "タスク",
    "完了条件",
    // Chinese
    "目标",
    "计划",
    "步骤",
    "阶段",
    "实施",
    "验证",
    "验收",
    "进度",
    "决策",
    "范围",
    "背景",
    "任务",
    "里程碑",
    // Korean
    "목표",
    "목적",
    "계획",
    "단계",
    "구현",
    "검증",
    "진행",
    "결정",
    // Russian
    "цель",
    "этап",
    "реализац",
    "проверк",
];

fn plan_vocabulary(heading: &str) -> bool {
    let lower = heading.to_lowercase();
    PLAN_WORDS.iter().any(|w| lower.contains(w))
}

/// The kinds of document a title can name that are not plans.
const OTHER_KINDS: [&str; 33] = [
    "mission",
    "outcome",
    "tracker",
    "index",
    "report",
    "reports",
    "summary",
    "retrospective",
    "postmortem",
    "post-mortem",
    "record",
    "records",
    "baseline",
    "audit",
    "changelog",
    "findings",
    "investigation",
    "review",
    "adr",
    "rfc",
    "spec",
    "specification",
    "prd",
    "requirements",
    "roadmap",
    "backlog",
    "brief",
    "guide",
    "overview",
    "handbook",
    "glossary",
    "faq",
    "tasks",
];

/// Verbs plan titles start with: a title in the imperative says what the
/// plan will do.
const ACTION_VERBS: [&str; 44] = [
    "add",
    "adopt",
    "align",
    "build",
    "cache",
    "clean",
    "complete",
    "consolidate",
    "convert",
    "create",
    "deliver",
    "deprecate",
    "enable",
    "extract",
    "finish",
    "fix",
    "harden",
    "implement",
    "improve",
    "integrate",
    "introduce",
    "make",
    "migrate",
    "move",
    "optimize",
    "port",
    "rebuild",
    "refactor",
    "remove",
    "rename",
    "repair",
    "replace",
    "restore",
    "rewrite",
    "ship",
    "simplify",
    "speed",
    "split",
    "stabilize",
    "support",
    "switch",
    "unify",
    "update",
    "upgrade",
];

/// The kind of document a title names, when that is not a plan: its head
/// word (the last, after dropping a parenthetical and what follows a dash),
/// or the word before a colon ("Feature Spec: …", "ADR 0002: …"). A title
/// whose head is "ExecPlans" or "Plans" is a list of plans.
fn title_kind(title: &str) -> Option<String> {
    let mut t = title.trim().to_lowercase();
    // A title that says what to do is a plan's ("Rebuild the search
    // index"), whatever its last word.
    let first = t
        .split(|c: char| !c.is_alphanumeric())
        .find(|w| !w.is_empty())
        .unwrap_or("");
    if ACTION_VERBS.contains(&first) {
        return None;
    }
    if let Some(open) = t.find('(') {
        t.truncate(open);
    }
    let words = |s: &str| -> Vec<String> {
        s.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty() && !w.chars().all(|c| c.is_ascii_digit() || c == '-'))
            .map(str::to_string)
            .collect()
    };
    if let Some((before, _)) = t.split_once(':') {
        let head = words(before);
        if let Some(last) = head.last()
            && head.len() <= 3
            && OTHER_KINDS.contains(&last.as_str())
        {
            return Some(last.clone());
        }
    }
    let main = t
        .split([':', '—', '–'])
        .next()
        .unwrap_or(&t)
        .split(" - ")
        .last()
        .unwrap_or(&t)
        .to_string();
    let main_words = words(&main);
    let last = main_words.last()?;
    if main_words.len() >= 2 && last == "plans" {
        return Some("list of plans".into());
    }
    if last == "execplans" {
        return Some("list of plans".into());
    }
    OTHER_KINDS.contains(&last.as_str()).then(|| last.clone())
}

/// The kind of document a file name's last word names (`tech-debt-tracker`,
/// `release_summary`), when it is not a plan.
fn head_kind(stem: &str) -> Option<String> {
    let last = stem
        .split(|c: char| !c.is_alphanumeric())
        .rfind(|w| !w.is_empty() && !w.chars().all(|c| c.is_ascii_digit()))?
        .to_lowercase();
    OTHER_KINDS.contains(&last.as_str()).then_some(last)
}

/// Counts placeholders in prose: `<Short Title>`, `<PLAN_NAME>`,
/// `{Feature Name}`, `YYYY-MM-DD`; text in backticks is code and HTML tags,
/// autolinks and comments are not placeholders.
fn placeholders_in(text: &str) -> usize {
    let mut count = text.matches("YYYY-MM-DD").count();
    // Only a line with an opening bracket can hold one more (most hold
    // none; detection runs on every request a plan gets).
    if memchr::memchr2(b'<', b'{', text.as_bytes()).is_none() {
        return count;
    }
    for line in text.lines() {
        if memchr::memchr2(b'<', b'{', line.as_bytes()).is_none() {
            continue;
        }
        // Drop code spans: every other backtick-separated piece.
        let prose: String = line
            .split('`')
            .enumerate()
            .filter(|(i, _)| i % 2 == 0)
            .map(|(_, p)| p)
            .collect::<Vec<_>>()
            .join(" ");
        for (open, close) in [('<', '>'), ('{', '}')] {
            let mut rest = prose.as_str();
            while let Some(start) = rest.find(open) {
                let after = &rest[start + 1..];
                let Some(end) = after.find(close) else { break };
                let inner = &after[..end];
                // `Result<usize, String>`, `Vec<T>`: a type's parameters.
                let generic = rest[..start]
                    .chars()
                    .next_back()
                    .is_some_and(|c| c.is_alphanumeric() || c == '_');
                if !generic && is_placeholder(inner, open) {
                    count += 1;
                }
                rest = &after[end + 1..];
            }
        }
    }
    count
}

fn is_placeholder(inner: &str, open: char) -> bool {
    let inner = inner.trim();
    let len = inner.chars().count();
    if !(2..=60).contains(&len)
        || inner.starts_with(['!', '/', '?', '-'])
        || inner.contains(['=', ':', '@', '/', '"', '<', '{', '('])
        || !inner.chars().next().is_some_and(char::is_alphabetic)
    {
        return false;
    }
    let has_space = inner.contains(' ');
    let upper_snake = inner
        .chars()
        .all(|c| c.is_ascii_uppercase() || c == '_' || c.is_ascii_digit())
        && len >= 3;
    let capitalised = inner.chars().next().is_some_and(char::is_uppercase);
    match open {
        // `<br>`, `<details>`: a lower-case single word is an HTML tag.
        '<' => has_space || upper_snake || capitalised,
        _ => (has_space && capitalised) || upper_snake,
    }
}

/// YAML front matter with a key that names the plan this file belongs to
/// (`plan:`, `plan_id:`, `plan_file:`, `parent_plan:`), other than the file
/// itself (`stem`, its name without `.md`).
fn front_matter_names_plan(text: &str, stem: &str) -> bool {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let Some(rest) = text
        .strip_prefix("---\n")
        .or_else(|| text.strip_prefix("---\r\n"))
    else {
        return false;
    };
    for line in rest.lines() {
        let line = line.trim_end();
        if line == "---" || line == "..." {
            break;
        }
        if let Some((key, value)) = line.split_once(':') {
            let key = key.trim().to_ascii_lowercase();
            if matches!(
                key.as_str(),
                "plan" | "plan_id" | "plan_file" | "parent_plan" | "plan_path" | "execplan"
            ) {
                // The plan's own id (`plan_id: PLAN_x` in `PLAN_x.md`) is not
                // another plan.
                let value = value.trim().trim_matches(['"', '\'']);
                let value = value.trim_start_matches("./");
                let value = value.strip_suffix(".md").unwrap_or(value);
                if !value.is_empty() && !value.eq_ignore_ascii_case(stem) {
                    return true;
                }
            }
        }
    }
    false
}

#[cfg(test)]
#[path = "detect_tests.rs"]
mod tests;
