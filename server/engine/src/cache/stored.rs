//! Findings as the cache stores them: plain data, read back into the
//! engine's types (a code or severity this version does not know makes the
//! entry unusable rather than wrong).

use crate::analysis::{Code, Diagnostic, Edit, Fix, Severity};
use crate::model::timestamp::format_canonical;

/// Stands for the current minute's stamp in a stored fix that writes it.
const NOW: &str = "\u{1}now\u{1}";

/// Whether `d`'s fix is EP203's "Stamp with the current time", written at
/// `stamp`: its title and edit hold nothing from the plan but that stamp,
/// so the cache stores it with the stamp left open and writes the current
/// one back on every use.
pub(crate) fn stamps_now(d: &Diagnostic, stamp: &str) -> bool {
    d.code == Code::EP203
        && d.fix.as_ref().is_some_and(|f| {
            f.title.contains(stamp) && f.edits.iter().all(|e| e.new_text.contains(stamp))
        })
}

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
    /// The fix's stamp of the current minute is stored as [`NOW`].
    #[serde(default)]
    now_stamped: bool,
}

#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct StoredFix {
    title: String,
    safe: bool,
    edits: Vec<(usize, usize, String)>,
}

impl Findings {
    /// A plan's findings, checked at `now`.
    pub fn plan(diagnostics: &[Diagnostic], now: jiff::Timestamp) -> Findings {
        let stamp = format_canonical(now);
        Findings::Plan(
            diagnostics
                .iter()
                .map(|d| {
                    let now_stamped = stamps_now(d, &stamp);
                    let open = |t: &str| match now_stamped {
                        true => t.replace(&stamp, NOW),
                        false => t.to_string(),
                    };
                    StoredDiagnostic {
                        code: d.code.as_str().to_string(),
                        severity: d.severity.as_str().to_string(),
                        start: d.span.start,
                        end: d.span.end,
                        message: d.message.clone(),
                        fix: d.fix.as_ref().map(|f| StoredFix {
                            title: open(&f.title),
                            safe: f.safe,
                            edits: f
                                .edits
                                .iter()
                                .map(|e| (e.span.start, e.span.end, open(&e.new_text)))
                                .collect(),
                        }),
                        now_stamped,
                    }
                })
                .collect(),
        )
    }

    /// The plan's diagnostics as a check at `now` finds them; `None` for a
    /// code or severity this version does not know.
    pub fn diagnostics(&self, now: jiff::Timestamp) -> Option<Vec<Diagnostic>> {
        let stamp = format_canonical(now);
        let Findings::Plan(stored) = self else {
            return Some(Vec::new());
        };
        stored
            .iter()
            .map(|d| {
                let close = |t: &str| match d.now_stamped {
                    true => t.replace(NOW, &stamp),
                    false => t.to_string(),
                };
                Some(Diagnostic {
                    code: Code::parse(&d.code)?,
                    severity: Severity::parse(&d.severity)?,
                    span: d.start..d.end,
                    message: d.message.clone(),
                    fix: d.fix.as_ref().map(|f| Fix {
                        title: close(&f.title),
                        safe: f.safe,
                        edits: f
                            .edits
                            .iter()
                            .map(|(start, end, text)| Edit::replace(*start..*end, close(text)))
                            .collect(),
                    }),
                })
            })
            .collect()
    }
}
