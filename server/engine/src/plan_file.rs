//! A plan read from disk with what a check of it needs (its settings and
//! surroundings), for the front ends that work on files rather than open
//! documents: the MCP server and the agent hooks.

use std::path::{Path, PathBuf};

use crate::analysis::Diagnostic;
use crate::checker;
use crate::config::{self, Settings};
use crate::model::{self, PlanModel};
use crate::workspace::PlanEnv;

/// A plan's text and surroundings.
#[derive(Clone, Debug)]
pub struct PlanFile {
    /// Absolute.
    pub path: PathBuf,
    pub text: String,
    pub env: PlanEnv,
    pub settings: Settings,
}

impl PlanFile {
    /// Reads the file at `path` (absolute); the message says what failed.
    pub fn read(path: &Path, root: Option<&Path>) -> Result<PlanFile, String> {
        let bytes = std::fs::read(path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => format!("{}: no such file", path.display()),
            _ => format!("{}: cannot read: {e}", path.display()),
        })?;
        let text = String::from_utf8(bytes).map_err(|e| {
            format!(
                "{}: not valid UTF-8 (first bad byte at offset {})",
                path.display(),
                e.utf8_error().valid_up_to()
            )
        })?;
        Ok(PlanFile::with_text(path, text, root))
    }

    /// `text` as the plan at `path` (absolute; the file need not exist).
    pub fn with_text(path: &Path, text: String, root: Option<&Path>) -> PlanFile {
        let dir = path.parent().unwrap_or(Path::new("/"));
        let (settings, _) = config::load_for_dir(dir, None);
        let env = PlanEnv::discover(path, root, settings.plans_md.as_deref());
        PlanFile {
            path: path.to_path_buf(),
            text,
            env,
            settings,
        }
    }

    /// The same surroundings with another text (a previous or edited one).
    pub fn replaced(&self, text: String) -> PlanFile {
        PlanFile {
            text,
            ..self.clone()
        }
    }

    pub fn is_plan(&self) -> bool {
        checker::detect(Some(&self.path), &self.text, &self.env, &self.settings).is_plan()
    }

    pub fn model(&self) -> PlanModel {
        model::build_from_text(&self.text)
    }

    /// Every finding, as `check` reports them (for a plan; none otherwise).
    pub fn diagnostics(&self, now: jiff::Timestamp) -> Vec<Diagnostic> {
        let model = self.model();
        checker::diagnostics(
            &self.text,
            &model,
            Some(&self.path),
            &self.env,
            &self.settings,
            now,
        )
    }

    /// EP701: the paths open items name that changed after the plan's last
    /// update (nothing when the plan is not in a git repository).
    pub fn behind(
        &self,
        baseline: crate::history::Baseline<'_>,
    ) -> Result<Vec<Diagnostic>, String> {
        let Some(root) = self.env.root.as_deref() else {
            return Ok(Vec::new());
        };
        let model = self.model();
        crate::history::behind(root, &self.path, &model, baseline, &self.settings.options)
    }

    /// Every finding, EP701 (against the last stamp) included.
    pub fn diagnostics_with_history(&self, now: jiff::Timestamp) -> Vec<Diagnostic> {
        let mut all = self.diagnostics(now);
        all.extend(
            self.behind(crate::history::Baseline::LastStamp)
                .unwrap_or_default(),
        );
        all.sort_by_key(|d| (d.span.start, d.code));
        all
    }

    /// The text with every safe fix applied.
    pub fn fixed_text(&self, now: jiff::Timestamp) -> String {
        checker::fix_text(&self.text, Some(&self.path), &self.env, &self.settings, now)
    }
}
