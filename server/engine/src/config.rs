//! Configuration: `.execplan.toml`, found upward from a plan, and the same
//! keys from the editor (initializationOptions and
//! `workspace/didChangeConfiguration`). The file wins over editor settings,
//! which win over defaults. A broken file is reported with its path and line
//! and the rest of the configuration stays in force.
//!
//! ```toml
//! timestamp_style = "canonical"   # or "lenient"
//! plan_globs = ["notes/plans/*.md"]   # always checked as plans
//! exclude = ["docs/plans/prd-*.md"]   # never checked (wins over plan_globs)
//! author = "Ada"
//! plans_md = "design/PLANS.md"   # when it is not at a usual place
//! workspace_diagnostics = true   # check plans that are not open (editor)
//! timestamp_age_hints = true     # inlay hints with each Progress stamp's age
//!
//! [rules]
//! EP102 = "info"    # error | warning | info | hint | off
//! EP501 = "off"
//!
//! [[overrides]]     # rule settings for some plans; later tables win
//! files = ["docs/plans/legacy/**"]
//! rules = { EP203 = "off" }
//! ```

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::Deserialize;

use crate::analysis::{AnalysisOptions, RuleOverride, Severity, TimestampStyle, rule_info};

pub const CONFIG_FILE_NAME: &str = ".execplan.toml";

/// The keys a configuration source may set; every key is optional.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigLayer {
    pub timestamp_style: Option<String>,
    pub plan_globs: Option<Vec<String>>,
    /// Paths (globs, relative to the repository root) never checked as plans.
    pub exclude: Option<Vec<String>>,
    pub author: Option<String>,
    pub rules: Option<BTreeMap<String, String>>,
    /// The repository's PLANS.md, relative to the root, when it is not at a
    /// usual place.
    pub plans_md: Option<String>,
    /// Push diagnostics for plans that are not open (editors that pull get
    /// them through `workspace/diagnostic` anyway).
    pub workspace_diagnostics: Option<bool>,
    /// Inlay hints with the age of each Progress timestamp.
    pub timestamp_age_hints: Option<bool>,
    /// Rule settings for the plans some globs match, relative to the
    /// configuration file's folder.
    pub overrides: Option<Vec<OverrideLayer>>,
}

/// One `[[overrides]]` table.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OverrideLayer {
    pub files: Vec<String>,
    #[serde(default)]
    pub rules: BTreeMap<String, String>,
}

/// A configuration problem, with where it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    /// The file, or `None` for editor settings.
    pub path: Option<PathBuf>,
    /// 1-based line and column, when known.
    pub line: Option<(usize, usize)>,
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let source = match &self.path {
            Some(p) => p.display().to_string(),
            None => "editor settings".to_string(),
        };
        match self.line {
            Some((line, col)) => write!(f, "{source}:{line}:{col}: {}", self.message),
            None => write!(f, "{source}: {}", self.message),
        }
    }
}

/// The effective settings for one plan.
#[derive(Clone, Debug, Default)]
pub struct Settings {
    pub options: AnalysisOptions,
    pub plan_globs: Vec<String>,
    compiled_globs: Option<GlobSet>,
    pub exclude: Vec<String>,
    compiled_exclude: Option<GlobSet>,
    pub author: Option<String>,
    pub plans_md: Option<String>,
    pub workspace_diagnostics: bool,
    pub timestamp_age_hints: bool,
    /// The file these came from, if any.
    pub file: Option<PathBuf>,
}

impl Settings {
    /// Whether a configured plan glob matches `path` (relative to the root).
    pub fn matches_plan_glob(&self, path: &Path) -> bool {
        self.compiled_globs
            .as_ref()
            .is_some_and(|g| g.is_match(path))
    }

    /// Whether a configured `exclude` glob matches `path` (relative to the
    /// root).
    pub fn matches_exclude(&self, path: &Path) -> bool {
        self.compiled_exclude
            .as_ref()
            .is_some_and(|g| g.is_match(path))
    }

    /// What the configuration forces for `path` (relative to the root):
    /// `Some(false)` when `exclude` matches (it wins), `Some(true)` when
    /// `plan_globs` does, `None` when the content decides.
    pub fn forced(&self, path: &Path) -> Option<bool> {
        if self.matches_exclude(path) {
            Some(false)
        } else if self.matches_plan_glob(path) {
            Some(true)
        } else {
            None
        }
    }

    /// Layers `editor` then `file` over the defaults. Problems are returned
    /// beside the settings; a bad value leaves that key at its default.
    pub fn resolve(
        editor: Option<&ConfigLayer>,
        file: Option<(&Path, &str, &ConfigLayer)>,
    ) -> (Settings, Vec<ConfigError>) {
        let mut settings = Settings::default();
        let mut errors = Vec::new();
        if let Some(layer) = editor {
            settings.apply(layer, None, None, &mut errors);
        }
        if let Some((path, text, layer)) = file {
            settings.apply(layer, Some(path), Some(text), &mut errors);
            settings.file = Some(path.to_path_buf());
        }
        (settings, errors)
    }

    fn apply(
        &mut self,
        layer: &ConfigLayer,
        path: Option<&Path>,
        text: Option<&str>,
        errors: &mut Vec<ConfigError>,
    ) {
        let error = |key: &str, message: String| ConfigError {
            path: path.map(Path::to_path_buf),
            line: text.and_then(|t| locate_key(t, key)),
            message,
        };
        if let Some(style) = &layer.timestamp_style {
            match style.as_str() {
                "canonical" => self.options.timestamp_style = TimestampStyle::Canonical,
                "lenient" => self.options.timestamp_style = TimestampStyle::Lenient,
                other => errors.push(error(
                    "timestamp_style",
                    format!(
                        "timestamp_style must be \"canonical\" or \"lenient\", not \"{other}\""
                    ),
                )),
            }
        }
        if let Some(rules) = &layer.rules {
            let settings = rule_settings(rules, "[rules]", &mut |code, message| {
                errors.push(error(code, message))
            });
            self.options.severities.extend(settings);
        }
        for (i, table) in layer.overrides.iter().flatten().enumerate() {
            let at = |key: &str| text.and_then(|t| locate_in_override(t, i, key));
            let mut report = |key: &str, message: String| {
                errors.push(ConfigError {
                    path: path.map(Path::to_path_buf),
                    line: at(key),
                    message,
                })
            };
            let severities = rule_settings(&table.rules, "[[overrides]]", &mut report);
            let base = path.and_then(Path::parent).map(Path::to_path_buf);
            let (rule_override, bad) = RuleOverride::new(&table.files, base, severities);
            for (glob, e) in bad {
                report(
                    &glob,
                    format!("[[overrides]] files: `{glob}` is not a valid glob: {e}"),
                );
            }
            if table.files.is_empty() {
                report(
                    "files",
                    "[[overrides]] needs `files`, the globs of the plans it applies to".to_string(),
                );
            }
            self.options.overrides.push(rule_override);
        }
        if let Some(globs) = &layer.plan_globs {
            let (good, set) = compile_globs("plan_globs", globs, &error, errors);
            self.compiled_globs = set;
            self.plan_globs = good;
        }
        if let Some(globs) = &layer.exclude {
            let (good, set) = compile_globs("exclude", globs, &error, errors);
            self.compiled_exclude = set;
            self.exclude = good;
        }
        if let Some(author) = &layer.author {
            self.author = Some(author.clone()).filter(|a| !a.trim().is_empty());
        }
        if let Some(plans_md) = &layer.plans_md {
            self.plans_md = Some(plans_md.clone()).filter(|p| !p.trim().is_empty());
        }
        if let Some(on) = layer.workspace_diagnostics {
            self.workspace_diagnostics = on;
        }
        if let Some(on) = layer.timestamp_age_hints {
            self.timestamp_age_hints = on;
        }
    }
}

/// Reads a `CODE = "severity"` table; `table` names it in messages.
fn rule_settings(
    rules: &BTreeMap<String, String>,
    table: &str,
    report: &mut dyn FnMut(&str, String),
) -> std::collections::HashMap<String, Option<Severity>> {
    let mut out = std::collections::HashMap::new();
    for (code, value) in rules {
        let Some(rule) = rule_info(code) else {
            report(
                code,
                format!("unknown rule code `{code}` in {table}; `execplan-ls rules` lists them"),
            );
            continue;
        };
        let setting = if value.eq_ignore_ascii_case("off") {
            None
        } else if let Some(severity) = Severity::parse(value) {
            Some(severity)
        } else {
            report(
                code,
                format!("`{code}` must be error, warning, info, hint or off, not \"{value}\""),
            );
            continue;
        };
        out.insert(rule.code.to_string(), setting);
    }
    out
}

/// Compiles the globs of `key`, reporting the bad ones and keeping the rest.
fn compile_globs(
    key: &str,
    globs: &[String],
    error: &dyn Fn(&str, String) -> ConfigError,
    errors: &mut Vec<ConfigError>,
) -> (Vec<String>, Option<GlobSet>) {
    let mut builder = GlobSetBuilder::new();
    let mut good = Vec::new();
    for glob in globs {
        match Glob::new(glob) {
            Ok(g) => {
                builder.add(g);
                good.push(glob.clone());
            }
            Err(e) => errors.push(error(
                key,
                format!("{key}: `{glob}` is not a valid glob: {e}"),
            )),
        }
    }
    (good, builder.build().ok())
}

/// Parses a `.execplan.toml` file's text.
pub fn parse_file(path: &Path, text: &str) -> Result<ConfigLayer, ConfigError> {
    toml::from_str::<ConfigLayer>(text).map_err(|e| ConfigError {
        path: Some(path.to_path_buf()),
        line: e.span().map(|span| line_col(text, span.start)),
        message: e.message().trim().to_string(),
    })
}

/// Reads editor settings, given either flat or under an `execplan` key.
pub fn parse_editor_settings(
    value: &serde_json::Value,
) -> Result<Option<ConfigLayer>, ConfigError> {
    let value = value.get("execplan").unwrap_or(value);
    if value.is_null() || value.as_object().is_some_and(|o| o.is_empty()) {
        return Ok(None);
    }
    // Editors send keys they do not own (such as `server`); keep only ours.
    let mut object = value.as_object().cloned().unwrap_or_default();
    object.retain(|k, _| {
        matches!(
            k.as_str(),
            "timestamp_style"
                | "plan_globs"
                | "exclude"
                | "author"
                | "rules"
                | "plans_md"
                | "workspace_diagnostics"
                | "overrides"
                | "timestamp_age_hints"
        )
    });
    serde_json::from_value(serde_json::Value::Object(object))
        .map(Some)
        .map_err(|e| ConfigError {
            path: None,
            line: None,
            message: format!("invalid execplan settings: {e}"),
        })
}

/// The nearest `.execplan.toml` at or above `start`, not looking past the
/// repository root (the first folder holding `.git`).
pub fn find_config_file(start: &Path) -> Option<PathBuf> {
    for dir in start.ancestors() {
        let candidate = dir.join(CONFIG_FILE_NAME);
        if candidate.is_file() {
            return Some(candidate);
        }
        if dir.join(".git").exists() {
            return None;
        }
    }
    None
}

/// Finds, reads and resolves the configuration for a plan in `dir`.
pub fn load_for_dir(dir: &Path, editor: Option<&ConfigLayer>) -> (Settings, Vec<ConfigError>) {
    let Some(path) = find_config_file(dir) else {
        return Settings::resolve(editor, None);
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) => {
            let (settings, mut errors) = Settings::resolve(editor, None);
            errors.push(ConfigError {
                path: Some(path),
                line: None,
                message: format!("cannot read the configuration file: {e}"),
            });
            return (settings, errors);
        }
    };
    match parse_file(&path, &text) {
        Ok(layer) => Settings::resolve(editor, Some((&path, &text, &layer))),
        Err(error) => {
            let (settings, mut errors) = Settings::resolve(editor, None);
            errors.push(error);
            (settings, errors)
        }
    }
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before
        .rfind('\n')
        .map_or(before.len(), |i| before.len() - i - 1)
        + 1;
    (line, col)
}

/// The line of `key = …` in a TOML text, for errors found after parsing.
fn locate_key(text: &str, key: &str) -> Option<(usize, usize)> {
    text.lines().enumerate().find_map(|(i, line)| {
        let t = line.trim_start();
        let rest = t
            .strip_prefix(key)
            .or_else(|| t.strip_prefix(&format!("\"{key}\"")))?;
        rest.trim_start()
            .starts_with('=')
            .then(|| (i + 1, line.len() - t.len() + 1))
    })
}

/// The line of `key` (a key, or a glob in `files`) inside the `index`-th
/// `[[overrides]]` table, else that table's header line.
fn locate_in_override(text: &str, index: usize, key: &str) -> Option<(usize, usize)> {
    let is_header = |line: &str| {
        line.trim_start()
            .strip_prefix("[[")
            .is_some_and(|r| r.trim_start().starts_with("overrides") && !r.contains('.'))
    };
    let lines: Vec<&str> = text.lines().collect();
    let header = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| is_header(l))
        .nth(index)?
        .0;
    let found = lines[header + 1..]
        .iter()
        .take_while(|l| !is_header(l))
        .enumerate()
        .find_map(|(i, line)| {
            let col = line.find(&format!("\"{key}\"")).or_else(|| {
                line.match_indices(key).map(|(c, _)| c).find(|&c| {
                    let after = line[c + key.len()..].trim_start();
                    let before = line[..c].chars().next_back();
                    after.starts_with('=') && !before.is_some_and(|b| b.is_alphanumeric())
                })
            })?;
            Some((header + i + 2, col + 1))
        });
    found.or(Some((header + 1, 1)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_overrides_editor_and_defaults() {
        let editor = ConfigLayer {
            timestamp_style: Some("lenient".into()),
            author: Some("Editor".into()),
            ..Default::default()
        };
        let text = "author = \"Ada\"\n[rules]\nEP102 = \"off\"\nEP204 = \"error\"\n";
        let path = Path::new("/repo/.execplan.toml");
        let layer = parse_file(path, text).unwrap();
        let (settings, errors) = Settings::resolve(Some(&editor), Some((path, text, &layer)));
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(settings.author.as_deref(), Some("Ada"));
        assert_eq!(settings.options.timestamp_style, TimestampStyle::Lenient);
        assert_eq!(
            settings.options.severity(crate::analysis::Code::EP102),
            None
        );
        assert_eq!(
            settings.options.severity(crate::analysis::Code::EP204),
            Some(Severity::Error)
        );
        assert_eq!(
            settings.options.severity(crate::analysis::Code::EP101),
            Some(Severity::Error)
        );
    }

    #[test]
    fn broken_toml_names_file_and_line() {
        let path = Path::new("/repo/.execplan.toml");
        let err = parse_file(path, "author = \"Ada\"\n[rules\nEP102 = 1\n").unwrap_err();
        assert_eq!(err.line.map(|l| l.0), Some(2));
        assert!(
            err.to_string().starts_with("/repo/.execplan.toml:2:"),
            "{err}"
        );
    }

    #[test]
    fn bad_values_are_reported_and_defaults_stay() {
        let path = Path::new("/r/.execplan.toml");
        let text = "timestamp_style = \"sloppy\"\n[rules]\nEP999 = \"off\"\nEP203 = \"loud\"\n";
        let layer = parse_file(path, text).unwrap();
        let (settings, errors) = Settings::resolve(None, Some((path, text, &layer)));
        assert_eq!(errors.len(), 3);
        assert_eq!(errors[0].line, Some((1, 1)));
        assert!(
            errors
                .iter()
                .any(|e| e.message.contains("EP999") && e.line == Some((3, 1)))
        );
        assert_eq!(
            settings.options.severity(crate::analysis::Code::EP203),
            Some(Severity::Warning)
        );
        assert_eq!(settings.options.timestamp_style, TimestampStyle::Canonical);
    }

    #[test]
    fn overrides_apply_to_their_files_and_bad_entries_name_their_line() {
        let path = Path::new("/repo/.execplan.toml");
        let text = "[rules]\nEP203 = \"error\"\n\n[[overrides]]\nfiles = [\"docs/plans/legacy/**\"]\nrules = { EP203 = \"off\" }\n\n[[overrides]]\nfiles = [\"x/[.md\"]\n[overrides.rules]\nEP999 = \"off\"\nEP102 = \"loud\"\n";
        let layer = parse_file(path, text).unwrap();
        let (settings, errors) = Settings::resolve(None, Some((path, text, &layer)));
        let lines: Vec<_> = errors
            .iter()
            .map(|e| (e.line.map(|l| l.0), e.message.as_str()))
            .collect();
        assert_eq!(errors.len(), 3, "{lines:?}");
        assert!(
            errors
                .iter()
                .any(|e| e.message.contains("EP999") && e.line.map(|l| l.0) == Some(11)),
            "{lines:?}"
        );
        assert!(
            errors
                .iter()
                .any(|e| e.message.contains("EP102") && e.line.map(|l| l.0) == Some(12)),
            "{lines:?}"
        );
        assert!(
            errors
                .iter()
                .any(|e| e.message.contains("x/[.md") && e.line.map(|l| l.0) == Some(9)),
            "{lines:?}"
        );
        assert!(
            errors[0].to_string().starts_with("/repo/.execplan.toml:"),
            "{}",
            errors[0]
        );
        let options = &settings.options;
        let legacy = Path::new("/repo/docs/plans/legacy/a.md");
        assert_eq!(
            options.severity_for(crate::analysis::Code::EP203, Some(legacy), None),
            None
        );
        let new = Path::new("/repo/docs/plans/b.md");
        assert_eq!(
            options.severity_for(crate::analysis::Code::EP203, Some(new), None),
            Some(Severity::Error)
        );
    }

    #[test]
    fn an_override_without_files_or_with_unknown_keys_is_an_error() {
        let path = Path::new("/r/.execplan.toml");
        let err = parse_file(path, "[[overrides]]\nfiles = [\"a\"]\nrule = {}\n").unwrap_err();
        assert_eq!(err.line.map(|l| l.0), Some(3), "{err}");
        let err = parse_file(path, "[[overrides]]\nrules = { EP203 = \"off\" }\n").unwrap_err();
        assert!(err.message.contains("files"), "{err}");
    }

    #[test]
    fn unknown_keys_are_errors() {
        let err = parse_file(Path::new("c.toml"), "colour = true\n").unwrap_err();
        assert!(err.message.contains("colour"), "{}", err.message);
    }

    #[test]
    fn editor_settings_nested_or_flat() {
        let v = serde_json::json!({"execplan": {"rules": {"EP101": "warning"}, "server": {"path": "x"}}});
        let layer = parse_editor_settings(&v).unwrap().unwrap();
        assert_eq!(layer.rules.unwrap()["EP101"], "warning");
        assert!(parse_editor_settings(&serde_json::json!({"rules": 5})).is_err());
    }
}
