//! The skeleton's sections and how a heading's text maps to one of them.

use std::sync::LazyLock;

use super::section_translations::{translated, translated_term};

/// A section of the canonical ExecPlan skeleton, in skeleton order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SectionKind {
    Purpose,
    Progress,
    Surprises,
    DecisionLog,
    Outcomes,
    Context,
    PlanOfWork,
    ConcreteSteps,
    Validation,
    Idempotence,
    Artifacts,
    Interfaces,
}

impl SectionKind {
    /// Every skeleton section, in skeleton order.
    pub const ALL: [SectionKind; 12] = [
        SectionKind::Purpose,
        SectionKind::Progress,
        SectionKind::Surprises,
        SectionKind::DecisionLog,
        SectionKind::Outcomes,
        SectionKind::Context,
        SectionKind::PlanOfWork,
        SectionKind::ConcreteSteps,
        SectionKind::Validation,
        SectionKind::Idempotence,
        SectionKind::Artifacts,
        SectionKind::Interfaces,
    ];

    /// The heading text the skeleton uses.
    pub fn canonical_name(self) -> &'static str {
        match self {
            SectionKind::Purpose => "Purpose / Big Picture",
            SectionKind::Progress => "Progress",
            SectionKind::Surprises => "Surprises & Discoveries",
            SectionKind::DecisionLog => "Decision Log",
            SectionKind::Outcomes => "Outcomes & Retrospective",
            SectionKind::Context => "Context and Orientation",
            SectionKind::PlanOfWork => "Plan of Work",
            SectionKind::ConcreteSteps => "Concrete Steps",
            SectionKind::Validation => "Validation and Acceptance",
            SectionKind::Idempotence => "Idempotence and Recovery",
            SectionKind::Artifacts => "Artifacts and Notes",
            SectionKind::Interfaces => "Interfaces and Dependencies",
        }
    }

    /// What belongs in the section, in our words (`new` writes it as a
    /// comment; hover shows it on the heading).
    pub fn guidance(self) -> &'static str {
        match self {
            SectionKind::Purpose => {
                "What someone can do after this change that they could not do before, and how to see it working."
            }
            SectionKind::Progress => {
                "Every step as a checkbox; check it off with a UTC timestamp when done. Split partly done work into a done and a remaining item."
            }
            SectionKind::Surprises => {
                "Unexpected behaviour, bugs and insights found on the way, each with short evidence (test output is best)."
            }
            SectionKind::DecisionLog => "Every decision as Decision / Rationale / Date/Author.",
            SectionKind::Outcomes => {
                "At milestones and at the end: what was achieved, what remains, what was learned."
            }
            SectionKind::Context => {
                "The current state for a reader who knows nothing: key files by full path, and every term defined."
            }
            SectionKind::PlanOfWork => {
                "The sequence of edits, in prose: which file, which function, what changes."
            }
            SectionKind::ConcreteSteps => {
                "The exact commands, where to run them, and the output to expect (as indented blocks)."
            }
            SectionKind::Validation => {
                "How to exercise the result and what to observe, phrased as behaviour."
            }
            SectionKind::Idempotence => {
                "Which steps are safe to repeat, and how to retry or roll back the risky ones."
            }
            SectionKind::Artifacts => {
                "The transcripts, diffs or snippets that prove it works, kept short."
            }
            SectionKind::Interfaces => {
                "The libraries, modules, types and function signatures that must exist at the end."
            }
        }
    }

    /// The four sections every plan must keep up to date.
    pub fn is_living(self) -> bool {
        matches!(
            self,
            SectionKind::Progress
                | SectionKind::Surprises
                | SectionKind::DecisionLog
                | SectionKind::Outcomes
        )
    }

    /// Position in the skeleton, from 0.
    pub fn order(self) -> usize {
        SectionKind::ALL
            .iter()
            .position(|k| *k == self)
            .unwrap_or(0)
    }

    /// Recognises a heading's text as a skeleton section, however it is
    /// spelled: any case, `and` for `&`, `/` for `&`, British `Artefacts`,
    /// a trailing parenthetical or colon, leading numbering, emphasis, a
    /// qualifier after a dash or colon, and common synonyms (see
    /// [`recognise`]).
    pub fn from_heading(text: &str) -> Option<SectionKind> {
        recognise(text).map(|(kind, _)| kind)
    }
}

/// How a heading names its section.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Recognition {
    /// By one of the section's own names, however spelled or qualified
    /// (`Decision log`, `Progress - Current Work`).
    Named,
    /// By another common name for it (`Implementation Plan` for Plan of
    /// Work, `Key Decisions` for the Decision Log). A plan that also has a
    /// section by its own name has that one instead.
    Synonym,
}

/// Each section's names (spelling variants of its own name) and synonyms
/// (other names plans give it), as normalised keys (see [`normalize`]).
struct SectionNames {
    kind: SectionKind,
    names: &'static [&'static str],
    synonyms: &'static [&'static str],
}

const NAMES: [SectionNames; 12] = [
    SectionNames {
        kind: SectionKind::Purpose,
        names: &[
            "purpose & big picture",
            "purpose",
            "big picture",
            "purpose & scope",
            "purpose & context",
        ],
        synonyms: &[
            "why this matters",
            "motivation",
            "goal",
            "goals",
            "objective",
            "objectives",
        ],
    },
    SectionNames {
        kind: SectionKind::Progress,
        names: &["progress", "progress log", "progress tracker"],
        synonyms: &[],
    },
    SectionNames {
        kind: SectionKind::Surprises,
        names: &["surprises & discoveries", "surprises", "discoveries"],
        synonyms: &[],
    },
    SectionNames {
        kind: SectionKind::DecisionLog,
        names: &[
            "decision log",
            "decisions log",
            "decision record",
            "decisions",
        ],
        synonyms: &[],
    },
    SectionNames {
        kind: SectionKind::Outcomes,
        names: &[
            "outcomes & retrospective",
            "outcomes & retrospectives",
            "outcome & retrospective",
            "outcomes",
            "outcome",
            "retrospective",
        ],
        synonyms: &["lessons", "lessons learned"],
    },
    SectionNames {
        kind: SectionKind::Context,
        names: &["context & orientation", "context", "orientation"],
        synonyms: &["background", "current state"],
    },
    SectionNames {
        kind: SectionKind::PlanOfWork,
        names: &["plan of work", "work plan"],
        synonyms: &["implementation plan", "implementation", "approach", "plan"],
    },
    SectionNames {
        kind: SectionKind::ConcreteSteps,
        names: &["concrete steps", "steps"],
        synonyms: &["implementation steps", "execution steps", "commands"],
    },
    SectionNames {
        kind: SectionKind::Validation,
        names: &[
            "validation & acceptance",
            "validation",
            "acceptance",
            "acceptance criteria",
        ],
        synonyms: &["verification", "testing", "test plan", "tests"],
    },
    SectionNames {
        kind: SectionKind::Idempotence,
        names: &[
            "idempotence & recovery",
            "idempotency & recovery",
            "idempotence",
            "idempotency",
            "recovery",
        ],
        synonyms: &["rollback"],
    },
    SectionNames {
        kind: SectionKind::Artifacts,
        names: &["artifacts & notes", "artifacts", "notes & artifacts"],
        synonyms: &[],
    },
    SectionNames {
        kind: SectionKind::Interfaces,
        names: &[
            "interfaces & dependencies",
            "interfaces",
            "interface",
            "dependencies",
        ],
        synonyms: &[],
    },
];

/// Words that, after a section's name, only say what kind of text it
/// holds: `Validation Plan`, `Acceptance Criteria`, `Recovery Strategy`.
const GENERIC_SUFFIXES: [&str; 12] = [
    "plan",
    "references",
    "criteria",
    "strategy",
    "checklist",
    "commands",
    "steps",
    "summary",
    "overview",
    "log",
    "approach",
    "process",
];

/// Words that, before a section's name, only say which one it is:
/// `Existing Context`, `Minimal Interface`, `Technical Approach`. Words
/// that say what the section is about (`User Interface`, `Error Recovery`)
/// are not among them.
const MODIFIER_PREFIXES: [&str; 12] = [
    "existing",
    "current",
    "project",
    "technical",
    "additional",
    "relevant",
    "minimal",
    "overall",
    "general",
    "high-level",
    "detailed",
    "proposed",
];

/// Where a qualifier starts: `Progress - Current Work`, `Decision Log:
/// early choices`, `Validation | manual`.
const QUALIFIER_SEPARATORS: [&str; 5] = [" - ", " — ", " – ", ": ", " | "];

/// Recognises a heading as a skeleton section, and says how (see
/// [`Recognition`]). The key is the normalised heading; it matches when it
/// is, in this order of strength:
///
/// 1. one of a section's names or synonyms;
/// 2. names or synonyms of one section joined by `&` (`Verification and
///    Acceptance`, `Dependencies and Interfaces`);
/// 3. a name or synonym followed by a generic word (`Validation Plan`);
/// 4. any of these before a qualifier (`Progress - Current Work`);
/// 5. for the living sections, a keyword (`Key Decisions`).
///
/// A match through a synonym, a generic word or a keyword is a
/// [`Recognition::Synonym`]; through the section's own names, `Named`.
pub fn recognise(text: &str) -> Option<(SectionKind, Recognition)> {
    let key = normalize(text);
    if let Some(found) = recognise_key(&key) {
        return Some(found);
    }
    for separator in QUALIFIER_SEPARATORS {
        if let Some((head, _)) = key.split_once(separator)
            && let Some(found) = recognise_key(head.trim_end_matches(':').trim())
        {
            return Some(found);
        }
    }
    living_by_keyword(&key)
        .map(|kind| (kind, Recognition::Synonym))
        .or_else(|| misspelled_name(&key).map(|kind| (kind, Recognition::Named)))
}

/// The fewest letters a name's word has before a one-letter slip in it is
/// read as a typo: shorter words are too easily another word (`Contest`
/// is not `Context`).
const TYPO_MIN_LETTERS: usize = 8;

/// A section's own name with a typo in it (`Suprises & Discoveries`,
/// `Desicion Log`): the same words, each the same or one edit (a letter
/// added, dropped, changed or two swapped) away from a name's word of
/// eight letters or more. EP104 then offers the right spelling.
fn misspelled_name(key: &str) -> Option<SectionKind> {
    let words: Vec<&str> = key.split(' ').collect();
    NAME_WORDS.iter().find_map(|(kind, theirs)| {
        (theirs.len() == words.len()
            && *theirs != words
            && theirs.iter().zip(&words).all(|(a, b)| near_word(a, b)))
        .then_some(*kind)
    })
}

/// Whether a heading's word `b` is a name's word `a` or a one-edit typo of
/// it. One edit changes the length by at most one character, so words of
/// other lengths are never handed to the edit distance.
fn near_word(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    let theirs = a.chars().count();
    if theirs < TYPO_MIN_LETTERS {
        return false;
    }
    // Bytes bound characters from above: a word far longer in bytes may
    // still be near in characters, so count them only when it matters.
    if b.len() + 1 < theirs {
        return false;
    }
    theirs.abs_diff(b.chars().count()) <= 1 && strsim::osa_distance(a, b) <= 1
}

/// Every section name split into words once, in [`NAMES`] order.
static NAME_WORDS: LazyLock<Vec<(SectionKind, Vec<&'static str>)>> = LazyLock::new(|| {
    NAMES
        .iter()
        .flat_map(|n| {
            n.names
                .iter()
                .map(|name| (n.kind, name.split(' ').collect()))
        })
        .collect()
});

/// Steps 1 to 3 of [`recognise`] on a normalised key.
fn recognise_key(key: &str) -> Option<(SectionKind, Recognition)> {
    if key.is_empty() {
        return None;
    }
    let term = |t: &str| -> Option<(SectionKind, Recognition)> {
        NAMES
            .iter()
            .find_map(|n| {
                if n.names.contains(&t) {
                    Some((n.kind, Recognition::Named))
                } else if n.synonyms.contains(&t) {
                    Some((n.kind, Recognition::Synonym))
                } else {
                    None
                }
            })
            // A name in another language counts as a synonym: the section
            // is there, and renaming it would drop the team's language.
            .or_else(|| translated_term(t).map(|kind| (kind, Recognition::Synonym)))
    };
    // Names first: `context` is the Context section's name before it is a
    // synonym of Purpose.
    if let Some(found) = NAMES
        .iter()
        .find(|n| n.names.contains(&key))
        .map(|n| (n.kind, Recognition::Named))
    {
        return Some(found);
    }
    if let Some(found) = term(key) {
        return Some(found);
    }
    // Terms of one section joined by `&`.
    if key.contains(" & ") {
        let parts: Vec<Option<(SectionKind, Recognition)>> =
            key.split(" & ").map(|p| term(p.trim())).collect();
        if let Some(Some((kind, _))) = parts.first()
            && parts.iter().all(|p| p.is_some_and(|(k, _)| k == *kind))
        {
            let named = parts
                .iter()
                .all(|p| p.is_some_and(|(_, r)| r == Recognition::Named));
            return Some((
                *kind,
                if named {
                    Recognition::Named
                } else {
                    Recognition::Synonym
                },
            ));
        }
    }
    // A bilingual heading, `Progress / 진행 상황`: one part names the
    // section, the others are in a script without Latin letters.
    if key.contains(" & ") {
        let parts: Vec<&str> = key.split(" & ").map(str::trim).collect();
        let latin = |p: &str| p.chars().any(|c| c.is_ascii_alphabetic());
        let named: Vec<&str> = parts.iter().copied().filter(|p| latin(p)).collect();
        if named.len() < parts.len()
            && !named.is_empty()
            && let Some((kind, _)) = recognise_key(&named.join(" & "))
        {
            // Renaming it would drop the translation: a synonym's hint.
            return Some((kind, Recognition::Synonym));
        }
    }
    if let Some(kind) = translated(key) {
        return Some((kind, Recognition::Synonym));
    }
    // A modifier and a term.
    if let Some((first, rest)) = key.split_once(' ')
        && MODIFIER_PREFIXES.contains(&first)
        && let Some((kind, _)) = recognise_key(rest)
    {
        return Some((kind, Recognition::Synonym));
    }
    // A term and a generic word.
    if let Some((head, last)) = key.rsplit_once(' ')
        && GENERIC_SUFFIXES.contains(&last)
        && let Some((kind, _)) = recognise_key(head)
    {
        return Some((kind, Recognition::Synonym));
    }
    None
}

/// Whether a heading names its section in another language (a name of
/// `section_translations.rs`, alone or before a qualifier): a synonym for
/// spelling, but the section itself for what it holds.
pub fn is_translated(text: &str) -> bool {
    let key = normalize(text);
    translated(&key).is_some()
        || QUALIFIER_SEPARATORS.iter().any(|sep| {
            key.split_once(sep)
                .is_some_and(|(head, _)| translated(head.trim_end_matches(':').trim()).is_some())
        })
}

/// Recognises the living sections under freer wording (`Discoveries &
/// Surprises`, `Key Decisions`, `Progress & Status`), so a plan that has
/// one is never told it is missing.
fn living_by_keyword(key: &str) -> Option<SectionKind> {
    let words: Vec<&str> = key.split(' ').collect();
    let has = |w: &str| {
        words
            .iter()
            .any(|x| x.trim_matches(|c: char| !c.is_alphanumeric()) == w)
    };
    if has("surprises") || has("surprise") {
        Some(SectionKind::Surprises)
    } else if (has("decision") || has("decisions")) && words.len() <= 3 {
        Some(SectionKind::DecisionLog)
    } else if has("retrospective")
        || has("retrospectives")
        || matches!(words.first(), Some(&"outcomes") | Some(&"outcome"))
    {
        Some(SectionKind::Outcomes)
    } else if words.first() == Some(&"progress") && words.len() <= 3 || key == "status & progress" {
        Some(SectionKind::Progress)
    } else {
        None
    }
}

/// Lower-cases a heading and strips what does not change which section it
/// names: numbering, emphasis, a trailing parenthetical or colon, and the
/// choice between connectors (`&`, `and`, `or`, `/`, `+`).
pub fn normalize(text: &str) -> String {
    let mut s = text.trim().replace(['*', '_', '`'], "");
    // Trailing parenthetical: "Decision Log (initial recommendations)".
    while s.ends_with(')') {
        match s.rfind('(') {
            Some(open) if open > 0 => s.truncate(open),
            _ => break,
        }
        s = s.trim_end().to_string();
    }
    let s = s.trim().trim_end_matches([':', '.']).trim();
    let s = strip_numbering(s);
    // Leading emoji or symbols: "📋 Progress".
    let s = s
        .trim_start_matches(|c: char| !c.is_alphanumeric())
        .trim_start();
    let lower = s.to_lowercase().replace("artefact", "artifact");
    let words: Vec<&str> = lower
        .split(|c: char| c.is_whitespace())
        .filter(|w| !w.is_empty())
        .map(|w| match w {
            // `and` in the languages of `section_translations.rs` too, and
            // `or`: `Files To Create Or Modify` is `Files to create/modify`.
            "and" | "or" | "/" | "+" | "y" | "et" | "und" => "&",
            other => other,
        })
        .collect();
    words.join(" ").replace(" / ", " & ").replace('/', " & ")
}

/// Strips leading numbering such as `2)`, `2.`, `2 -`, `II.`, `Section 2:`.
fn strip_numbering(s: &str) -> &str {
    let mut rest = s;
    if let Some(after) = rest
        .strip_prefix("Section ")
        .or_else(|| rest.strip_prefix("section "))
    {
        rest = after;
    }
    let digits = rest
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(rest.len());
    if digits == 0 {
        return s;
    }
    let after = rest[digits..].trim_start_matches([')', ':', '-', '—', '.']);
    if after.len() < rest[digits..].len() || rest[..digits].ends_with('.') || after.starts_with(' ')
    {
        after.trim_start()
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variants_map_to_their_section() {
        let cases = [
            ("Decision log", SectionKind::DecisionLog),
            ("Surprises and discoveries", SectionKind::Surprises),
            ("Purpose and big picture", SectionKind::Purpose),
            ("Purpose / Big Picture", SectionKind::Purpose),
            ("Artefacts and Notes", SectionKind::Artifacts),
            (
                "Decision Log (initial recommendations)",
                SectionKind::DecisionLog,
            ),
            ("Concrete Steps (commands)", SectionKind::ConcreteSteps),
            ("2) Progress", SectionKind::Progress),
            ("3. Decision Log", SectionKind::DecisionLog),
            ("Outcomes and retrospective", SectionKind::Outcomes),
            ("**Progress**", SectionKind::Progress),
            ("Discoveries & Surprises", SectionKind::Surprises),
            ("Key Decisions", SectionKind::DecisionLog),
            ("📋 Progress", SectionKind::Progress),
            ("Progress & Status", SectionKind::Progress),
            ("Outcomes and Lessons Learned", SectionKind::Outcomes),
            ("Retrospective notes", SectionKind::Outcomes),
        ];
        for (text, kind) in cases {
            assert_eq!(SectionKind::from_heading(text), Some(kind), "{text}");
        }
    }

    #[test]
    fn unrelated_headings_are_not_sections() {
        for text in [
            "Milestone 1: Repository",
            "Risks",
            "Progress bars in the UI design",
            "Decision points for the reviewer to weigh",
            "2026 roadmap",
        ] {
            assert_eq!(SectionKind::from_heading(text), None, "{text}");
        }
    }

    #[test]
    fn qualifiers_after_a_dash_or_colon_keep_the_section() {
        let cases = [
            (
                "Progress - Current Work (Phases 1-5)",
                SectionKind::Progress,
            ),
            ("Decision Log: early choices", SectionKind::DecisionLog),
            ("Concrete Steps — Milestone 2", SectionKind::ConcreteSteps),
            ("Validation | manual", SectionKind::Validation),
        ];
        for (text, kind) in cases {
            assert_eq!(recognise(text), Some((kind, Recognition::Named)), "{text}");
        }
    }

    #[test]
    fn synonyms_and_generic_words_name_a_section() {
        let cases = [
            ("Validation Plan", SectionKind::Validation),
            ("Verification", SectionKind::Validation),
            ("Verification and Acceptance", SectionKind::Validation),
            ("Verification Steps", SectionKind::Validation),
            ("Testing Strategy", SectionKind::Validation),
            ("Implementation Plan", SectionKind::PlanOfWork),
            ("Implementation Steps", SectionKind::ConcreteSteps),
            ("Why this matters", SectionKind::Purpose),
            ("Goals and Motivation", SectionKind::Purpose),
            ("Background", SectionKind::Context),
            ("Rollback Plan", SectionKind::Idempotence),
            ("Context References", SectionKind::Context),
            ("Key Decisions", SectionKind::DecisionLog),
        ];
        for (text, kind) in cases {
            assert_eq!(
                recognise(text),
                Some((kind, Recognition::Synonym)),
                "{text}"
            );
        }
        // A spelling of the section's own name stays `Named`.
        for (text, kind) in [
            ("Acceptance Criteria", SectionKind::Validation),
            ("Dependencies and Interfaces", SectionKind::Interfaces),
        ] {
            assert_eq!(recognise(text), Some((kind, Recognition::Named)), "{text}");
        }
        assert_eq!(
            recognise("Purpose and Context"),
            Some((SectionKind::Purpose, Recognition::Named))
        );
        // A scope is not the purpose.
        assert_eq!(recognise("Scope"), None);
        // A modifier that only says which one: still the section.
        for (text, kind) in [
            ("Existing Context", SectionKind::Context),
            ("Minimal interface", SectionKind::Interfaces),
            ("Technical Approach", SectionKind::PlanOfWork),
            ("Proposed Implementation Plan", SectionKind::PlanOfWork),
        ] {
            assert_eq!(
                recognise(text),
                Some((kind, Recognition::Synonym)),
                "{text}"
            );
        }
        // A word that says what it is about makes it another section.
        for text in [
            "User Interface",
            "Error Recovery",
            "Existing tests of the parser",
        ] {
            assert_eq!(recognise(text), None, "{text}");
        }
    }

    #[test]
    fn a_bilingual_heading_is_its_section() {
        for (text, kind) in [
            ("Progress / 진행 상황", SectionKind::Progress),
            ("Decision Log / 결정 기록", SectionKind::DecisionLog),
            ("目的 / Purpose", SectionKind::Purpose),
            ("Surprises & Discoveries / 发现", SectionKind::Surprises),
        ] {
            assert_eq!(
                recognise(text),
                Some((kind, Recognition::Synonym)),
                "{text}"
            );
        }
        // Two Latin parts must both name the section.
        assert_eq!(SectionKind::from_heading("Validation / Risks"), None);
    }

    #[test]
    fn a_qualifier_or_generic_word_alone_names_nothing() {
        for text in [
            "Plan Revision Notes",
            "Validation of inputs in the parser",
            "Summary",
            "Status",
            "Steps to reproduce the crash",
            "Progress bars - design",
            "Testing the parser against fuzzed input",
            "Milestone 2: Verification",
        ] {
            assert_eq!(SectionKind::from_heading(text), None, "{text}");
        }
    }

    #[test]
    fn a_typo_in_a_sections_name_is_that_section() {
        for (text, kind) in [
            ("Suprises & Discoveries", SectionKind::Surprises),
            ("Decison Log", SectionKind::DecisionLog),
            ("Idempotence and Recovry", SectionKind::Idempotence),
            ("Validaton and Acceptance", SectionKind::Validation),
        ] {
            assert_eq!(recognise(text), Some((kind, Recognition::Named)), "{text}");
        }
        // Short words, two slips, or other words are not typos of a name.
        for text in [
            "Contest",
            "Purposes of the module",
            "Dependants",
            "Progres bars",
            "Decisive Logs",
        ] {
            assert_eq!(SectionKind::from_heading(text), None, "{text}");
        }
    }

    /// The typo search as it was written first: every name split on each
    /// call, the edit distance asked for every pair of words.
    fn misspelled_name_unfiltered(key: &str) -> Option<SectionKind> {
        let words: Vec<&str> = key.split(' ').collect();
        let near = |a: &str, b: &str| {
            a == b || (a.chars().count() >= TYPO_MIN_LETTERS && strsim::osa_distance(a, b) <= 1)
        };
        NAMES.iter().find_map(|n| {
            n.names.iter().find_map(|name| {
                let theirs: Vec<&str> = name.split(' ').collect();
                (theirs.len() == words.len()
                    && theirs != words
                    && theirs.iter().zip(&words).all(|(a, b)| near(a, b)))
                .then_some(n.kind)
            })
        })
    }

    /// The length bound before the edit distance changes no answer: names
    /// with up to three random slips (letters added, dropped, changed or
    /// swapped, ASCII or not), words of other names, and other words.
    #[test]
    fn typo_search_with_a_length_bound_agrees_with_the_plain_one() {
        let mut seed = 21u64;
        let mut next = move || {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as usize
        };
        let letters: Vec<char> = "abcdeinorstuvé&ßиΣ ".chars().collect();
        let names: Vec<&str> = NAMES.iter().flat_map(|n| n.names.iter().copied()).collect();
        let mut keys: Vec<String> = vec![String::new(), " ".into(), "decision  log".into()];
        for _ in 0..20_000 {
            let mut key: Vec<char> = names[next() % names.len()].chars().collect();
            for _ in 0..next() % 4 {
                let at = next() % (key.len() + 1);
                match next() % 4 {
                    0 => key.insert(at, letters[next() % letters.len()]),
                    1 if at < key.len() => {
                        key.remove(at);
                    }
                    2 if at < key.len() => key[at] = letters[next() % letters.len()],
                    _ if at + 1 < key.len() => key.swap(at, at + 1),
                    _ => {}
                }
            }
            if next() % 5 == 0 {
                key.extend(" ".chars().chain(names[next() % names.len()].chars()));
            }
            keys.push(key.into_iter().collect());
        }
        let mut typos = 0;
        for key in &keys {
            let found = misspelled_name(key);
            typos += usize::from(found.is_some());
            assert_eq!(found, misspelled_name_unfiltered(key), "{key:?}");
        }
        // The inputs reach both answers.
        assert!(typos > 1_000 && typos < keys.len() / 2, "{typos}");
    }

    #[test]
    fn canonical_names_round_trip() {
        for kind in SectionKind::ALL {
            assert_eq!(SectionKind::from_heading(kind.canonical_name()), Some(kind));
        }
    }
}
