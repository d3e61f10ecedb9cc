//! The skeleton's sections and how a heading's text maps to one of them.

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
    /// a trailing parenthetical or colon, leading numbering, emphasis.
    pub fn from_heading(text: &str) -> Option<SectionKind> {
        let key = normalize(text);
        let kind = match key.as_str() {
            "purpose & big picture"
            | "purpose"
            | "big picture"
            | "purpose & scope"
            | "purpose & context" => SectionKind::Purpose,
            "progress" | "progress log" | "progress tracker" => SectionKind::Progress,
            "surprises & discoveries" | "surprises" | "discoveries" | "surprises & findings" => {
                SectionKind::Surprises
            }
            "decision log" | "decisions" | "decision record" | "decisions log" => {
                SectionKind::DecisionLog
            }
            "outcomes & retrospective"
            | "outcomes & retrospectives"
            | "outcome & retrospective"
            | "outcomes"
            | "retrospective"
            | "outcomes & lessons" => SectionKind::Outcomes,
            "context & orientation" | "context" | "orientation" => SectionKind::Context,
            "plan of work" | "work plan" => SectionKind::PlanOfWork,
            "concrete steps" | "steps" => SectionKind::ConcreteSteps,
            "validation & acceptance"
            | "validation"
            | "acceptance"
            | "acceptance criteria"
            | "validation & acceptance criteria" => SectionKind::Validation,
            "idempotence & recovery" | "idempotency & recovery" | "recovery" => {
                SectionKind::Idempotence
            }
            "artifacts & notes" | "artifacts" | "notes & artifacts" => SectionKind::Artifacts,
            "interfaces & dependencies" | "interfaces" | "dependencies" => SectionKind::Interfaces,
            other => return living_by_keyword(other),
        };
        Some(kind)
    }
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
/// choice between `&`, `and` and `/`.
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
            "and" | "/" | "+" => "&",
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
    fn canonical_names_round_trip() {
        for kind in SectionKind::ALL {
            assert_eq!(SectionKind::from_heading(kind.canonical_name()), Some(kind));
        }
    }
}
