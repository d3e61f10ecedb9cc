//! Findings as the cache stores them: plain data, read back into the
//! engine's types (a code or severity this version does not know makes the
//! entry unusable rather than wrong).

use crate::analysis::{Code, Diagnostic, Edit, Fix, Severity};

/// What a check of one file found.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Findings {
    /// Not a plan, and why, in words.
    NotAPlan(String),
    /// A plan's findings.
    Plan(Vec<StoredDiagnostic>),
}

#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct StoredDiagnostic {
    code: String,
    severity: String,
    start: usize,
    end: usize,
    message: String,
    fix: Option<StoredFix>,
}

#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct StoredFix {
    title: String,
    safe: bool,
    edits: Vec<(usize, usize, String)>,
}

impl Findings {
    pub fn plan(diagnostics: &[Diagnostic]) -> Findings {
        Findings::Plan(
            diagnostics
                .iter()
                .map(|d| StoredDiagnostic {
                    code: d.code.as_str().to_string(),
                    severity: d.severity.as_str().to_string(),
                    start: d.span.start,
                    end: d.span.end,
                    message: d.message.clone(),
                    fix: d.fix.as_ref().map(|f| StoredFix {
                        title: f.title.clone(),
                        safe: f.safe,
                        edits: f
                            .edits
                            .iter()
                            .map(|e| (e.span.start, e.span.end, e.new_text.clone()))
                            .collect(),
                    }),
                })
                .collect(),
        )
    }

    /// The plan's diagnostics; `None` for a code or severity this version
    /// does not know.
    pub fn diagnostics(&self) -> Option<Vec<Diagnostic>> {
        let Findings::Plan(stored) = self else {
            return Some(Vec::new());
        };
        stored
            .iter()
            .map(|d| {
                Some(Diagnostic {
                    code: Code::parse(&d.code)?,
                    severity: Severity::parse(&d.severity)?,
                    span: d.start..d.end,
                    message: d.message.clone(),
                    fix: d.fix.as_ref().map(|f| Fix {
                        title: f.title.clone(),
                        safe: f.safe,
                        edits: f
                            .edits
                            .iter()
                            .map(|(start, end, text)| Edit::replace(*start..*end, text.clone()))
                            .collect(),
                    }),
                })
            })
            .collect()
    }
}
