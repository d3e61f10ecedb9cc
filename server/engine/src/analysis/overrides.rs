//! Per-path rule settings: the `[[overrides]]` tables of `.execplan.toml`,
//! each a list of globs and the rule settings for the plans they match, as
//! ruff's per-file-ignores and markdownlint's overrides.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};

use super::{Code, Severity};

/// Rule settings for the plans some globs match.
#[derive(Clone, Debug)]
pub struct RuleOverride {
    /// The globs as written.
    pub files: Vec<String>,
    matcher: GlobSet,
    /// The folder the globs are relative to (the configuration file's);
    /// `None` for editor settings, which match from the workspace root.
    pub base: Option<PathBuf>,
    /// Per-rule severities; `None` turns a rule off.
    pub severities: HashMap<String, Option<Severity>>,
}

impl PartialEq for RuleOverride {
    fn eq(&self, other: &Self) -> bool {
        self.files == other.files && self.base == other.base && self.severities == other.severities
    }
}

impl RuleOverride {
    /// Compiles `files`; a glob without `/` matches a file name at any
    /// depth. Returns the globs that are not valid with their errors beside
    /// the override made of the others.
    pub fn new(
        files: &[String],
        base: Option<PathBuf>,
        severities: HashMap<String, Option<Severity>>,
    ) -> (RuleOverride, Vec<(String, String)>) {
        let mut builder = GlobSetBuilder::new();
        let mut good = Vec::new();
        let mut bad = Vec::new();
        for glob in files {
            let pattern = glob.trim_start_matches("./");
            let pattern = if pattern.contains('/') {
                pattern.to_string()
            } else {
                format!("**/{pattern}")
            };
            match Glob::new(&pattern) {
                Ok(g) => {
                    builder.add(g);
                    good.push(glob.clone());
                }
                Err(e) => bad.push((glob.clone(), e.kind().to_string())),
            }
        }
        let matcher = builder.build().unwrap_or_else(|_| GlobSet::empty());
        (
            RuleOverride {
                files: good,
                matcher,
                base,
                severities,
            },
            bad,
        )
    }

    /// Whether the plan at `path` is one of this override's files: its path
    /// relative to the override's folder (else to `root`) matches a glob.
    pub fn matches(&self, path: &Path, root: Option<&Path>) -> bool {
        let base = self.base.as_deref().or(root);
        let relative = match base {
            Some(base) => match path.strip_prefix(base) {
                Ok(relative) => relative,
                Err(_) if path.is_relative() => path,
                Err(_) => return false,
            },
            None => path,
        };
        self.matcher.is_match(relative)
    }

    /// This override's setting for `code`: `Some(None)` when it turns the
    /// rule off, `None` when it says nothing about it.
    pub fn setting(&self, code: Code) -> Option<Option<Severity>> {
        self.severities.get(code.as_str()).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn legacy() -> RuleOverride {
        let severities = HashMap::from([
            ("EP203".to_string(), None),
            ("EP102".to_string(), Some(Severity::Info)),
        ]);
        let files = ["docs/plans/legacy/**".to_string(), "old-*.md".to_string()];
        let (o, bad) = RuleOverride::new(&files, Some("/repo".into()), severities);
        assert!(bad.is_empty());
        o
    }

    #[test]
    fn globs_match_relative_to_the_config_folder() {
        let o = legacy();
        assert!(o.matches(Path::new("/repo/docs/plans/legacy/a.md"), None));
        assert!(o.matches(Path::new("/repo/docs/plans/legacy/x/b.md"), None));
        assert!(!o.matches(Path::new("/repo/docs/plans/new.md"), None));
        assert!(!o.matches(Path::new("/elsewhere/docs/plans/legacy/a.md"), None));
        // A glob without a slash matches a file name at any depth.
        assert!(o.matches(Path::new("/repo/plans/old-cache.md"), None));
    }

    #[test]
    fn matching_overrides_set_severities_and_later_ones_win() {
        let mut options = super::super::AnalysisOptions::default();
        options.overrides.push(legacy());
        let (later, _) = RuleOverride::new(
            &["docs/plans/legacy/keep.md".to_string()],
            Some("/repo".into()),
            HashMap::from([("EP203".to_string(), Some(Severity::Error))]),
        );
        options.overrides.push(later);
        let at = |p: &str, code: &str| {
            options.severity_for(Code::parse(code).unwrap(), Some(Path::new(p)), None)
        };
        assert_eq!(at("/repo/docs/plans/legacy/a.md", "EP203"), None);
        assert_eq!(
            at("/repo/docs/plans/legacy/a.md", "EP102"),
            Some(Severity::Info)
        );
        assert_eq!(
            at("/repo/docs/plans/legacy/a.md", "EP101"),
            Some(Severity::Error)
        );
        assert_eq!(
            at("/repo/docs/plans/legacy/keep.md", "EP203"),
            Some(Severity::Error)
        );
        assert_eq!(
            at("/repo/docs/plans/new.md", "EP203"),
            Some(Severity::Warning)
        );
    }

    #[test]
    fn a_bad_glob_is_returned_and_the_others_kept() {
        let (o, bad) = RuleOverride::new(
            &["a/[b.md".to_string(), "c/*.md".to_string()],
            None,
            HashMap::new(),
        );
        assert_eq!(bad.len(), 1);
        assert_eq!(o.files, vec!["c/*.md".to_string()]);
        assert!(o.matches(Path::new("c/d.md"), None));
    }
}
