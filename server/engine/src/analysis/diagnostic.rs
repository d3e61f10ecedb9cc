//! Diagnostics as analysis produces them: byte ranges, stable codes.

use super::fix::Fix;
use super::rules::Code;
use crate::model::Span;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
    Info,
    Hint,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
            Severity::Hint => "hint",
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        match s.to_ascii_lowercase().as_str() {
            "error" => Some(Severity::Error),
            "warning" | "warn" => Some(Severity::Warning),
            "info" | "information" => Some(Severity::Info),
            "hint" => Some(Severity::Hint),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// The stable rule code, such as `EP203`.
    pub code: Code,
    pub severity: Severity,
    /// The byte range the diagnostic covers.
    pub span: Span,
    /// What is wrong and how to fix it.
    pub message: String,
    /// An edit that makes it right, where one exists.
    pub fix: Option<Fix>,
}
