//! The fixture format: how a fixture file is split into cases, how its
//! annotations are recognised and stripped, and how a case is written back
//! with the findings the checker reported.
//!
//! A fixture is a sequence of cases. Each case starts with a header comment,
//! on one line or several:
//!
//!     <!-- case: An item checked without a stamp. -->
//!
//!     <!-- case: PLANS.md at the usual place, named by a sandbox path.
//!     path: .agent/plans/cache.md
//!     file: .agent/PLANS.md
//!     -->
//!
//! and runs to the next header. The lines after the title say what the
//! case's repository holds besides the plan (see [`Setup`]). The plan's text
//! is every line of the case that is not an annotation, trailing blank
//! lines dropped.
//!
//! Under each line a finding starts on, one annotation per finding:
//!
//!     - [x] Wrote the cache.
//!     <!-- ^ 3-22 EP203 warning: Completed item without a timestamp: … -->
//!     <!--   fix (unsafe): Add timestamp -->
//!
//! `3-22` are the first and last columns the finding covers on that line (in
//! characters, from 1); `3` alone is an empty range before column 3;
//! `1-+1:6` ends on column 6 of the line one below. The second line, when a
//! finding offers a fix, gives its title and whether "fix all" applies it
//! (safe) or only the editor offers it (unsafe). A case the checker does not
//! read as a plan at all says so under its header: `<!-- (not a plan) -->`.
//!
//! Annotations and headers are HTML comments, which Markdown renders as
//! nothing, so each case reads (and renders) as the plan that is checked.

use execplan_engine::analysis::Diagnostic;

/// The annotation a case gets when the checker does not read it as a plan.
pub const NOT_A_PLAN: &str = "<!-- (not a plan) -->";

const FINDING: &str = "<!-- ^ ";
const FIX: &str = "<!--   fix (";
const HEADER: &str = "<!-- case:";

/// One case of a fixture.
#[derive(Clone, Debug)]
pub struct Case {
    /// The header as written (one line or several), kept verbatim.
    pub header: Vec<String>,
    /// The header's first line after `case:`, to name the case in errors.
    pub title: String,
    pub setup: Setup,
    /// The text checked: the case without its annotations, ending in one
    /// line break.
    pub text: String,
}

/// What the repository of a case holds besides the plan, read from the
/// header's lines `key: value`.
#[derive(Clone, Debug)]
pub struct Setup {
    /// `path: …`, where the plan sits, from the repository root
    /// (`.agent/plans/plan.md` by default).
    pub path: String,
    /// `file: PATH` (a one-line file) or `file: PATH | TEXT` (`\n` in TEXT
    /// for a line break): other files of the repository.
    pub files: Vec<(String, String)>,
    /// `git: DATE`: the repository is a git repository, everything in it
    /// committed at DATE (RFC 3339).
    pub git: Option<String>,
    /// `change: DATE PATH`: then PATH gets one more line, committed at DATE.
    pub changes: Vec<(String, String)>,
}

impl Default for Setup {
    fn default() -> Self {
        Setup {
            path: ".agent/plans/plan.md".to_string(),
            files: Vec::new(),
            git: None,
            changes: Vec::new(),
        }
    }
}

/// Whether `line` is an annotation the harness writes (and strips).
pub fn is_annotation(line: &str) -> bool {
    line.starts_with(FINDING) || line.starts_with(FIX) || line == NOT_A_PLAN
}

/// The cases of a fixture.
pub fn parse(fixture: &str) -> Result<Vec<Case>, String> {
    let lines: Vec<&str> = fixture.lines().collect();
    let mut cases = Vec::new();
    let mut i = 0;
    if lines.first().is_some_and(|l| !l.starts_with(HEADER)) {
        return Err("a fixture starts with a `<!-- case: … -->` header".to_string());
    }
    while i < lines.len() {
        // The header: up to the line that closes the comment.
        let start = i;
        while !lines[i].trim_end().ends_with("-->") {
            i += 1;
            if i == lines.len() {
                return Err(format!("the header on line {} is not closed", start + 1));
            }
        }
        i += 1;
        let header: Vec<String> = lines[start..i].iter().map(|l| l.to_string()).collect();
        let (title, setup) =
            read_header(&header).map_err(|e| format!("line {}: {e}", start + 1))?;
        let body_start = i;
        while i < lines.len() && !lines[i].starts_with(HEADER) {
            i += 1;
        }
        let mut body: Vec<&str> = lines[body_start..i]
            .iter()
            .copied()
            .filter(|l| !is_annotation(l))
            .collect();
        while body.last().is_some_and(|l| l.trim().is_empty()) {
            body.pop();
        }
        let mut text = body.join("\n");
        text.push('\n');
        cases.push(Case {
            header,
            title,
            setup,
            text,
        });
    }
    Ok(cases)
}

fn read_header(header: &[String]) -> Result<(String, Setup), String> {
    let first = header[0].strip_prefix(HEADER).unwrap_or(&header[0]);
    let title = first.trim().trim_end_matches("-->").trim().to_string();
    let mut setup = Setup::default();
    for line in &header[1..] {
        let line = line.trim();
        if line == "-->" || line.is_empty() {
            continue;
        }
        let (key, value) = line
            .split_once(": ")
            .ok_or_else(|| format!("`{line}` is not `key: value`"))?;
        match key {
            "path" => setup.path = value.to_string(),
            "file" => {
                let (path, text) = match value.split_once(" | ") {
                    Some((path, text)) => (path, text.replace("\\n", "\n")),
                    None => (value, "A file of the repository.".to_string()),
                };
                let mut text = text;
                if !text.ends_with('\n') {
                    text.push('\n');
                }
                setup.files.push((path.to_string(), text));
            }
            "git" => setup.git = Some(value.to_string()),
            "change" => {
                let (date, path) = value
                    .split_once(' ')
                    .ok_or_else(|| format!("`{line}` is not `change: DATE PATH`"))?;
                setup.changes.push((date.to_string(), path.to_string()));
            }
            _ => return Err(format!("unknown key `{key}` (path, file, git, change)")),
        }
    }
    Ok((title, setup))
}

/// A case written back: its header, then its text with the annotations of
/// `found` (`None`: not a plan) under the lines they start on.
pub fn render(header: &[String], text: &str, found: Option<&[Diagnostic]>) -> String {
    let mut out = String::new();
    for line in header {
        out.push_str(line);
        out.push('\n');
    }
    let Some(found) = found else {
        out.push_str(NOT_A_PLAN);
        out.push('\n');
        out.push_str(text);
        return out;
    };
    let starts = line_starts(text);
    let line_of = |offset: usize| starts.partition_point(|&s| s <= offset).saturating_sub(1);
    let mut sorted: Vec<&Diagnostic> = found.iter().collect();
    sorted.sort_by(|a, b| {
        (a.span.start, a.span.end, a.code, &a.message).cmp(&(
            b.span.start,
            b.span.end,
            b.code,
            &b.message,
        ))
    });
    let lines: Vec<&str> = text.lines().collect();
    let last = lines.len().saturating_sub(1);
    for (i, line) in lines.iter().enumerate() {
        out.push_str(line);
        out.push('\n');
        for d in sorted
            .iter()
            .filter(|d| line_of(d.span.start).min(last) == i)
        {
            out.push_str(&annotation(text, &starts, d));
        }
    }
    out
}

/// Byte offsets where each line of `text` starts.
fn line_starts(text: &str) -> Vec<usize> {
    let mut starts = vec![0];
    starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
    starts
}

fn annotation(text: &str, starts: &[usize], d: &Diagnostic) -> String {
    let line_of = |offset: usize| starts.partition_point(|&s| s <= offset).saturating_sub(1);
    let column = |offset: usize| text[starts[line_of(offset)]..offset].chars().count();
    let (first, last) = (line_of(d.span.start), line_of(d.span.end));
    let from = column(d.span.start) + 1;
    let range = if d.span.is_empty() {
        from.to_string()
    } else if first == last {
        format!("{from}-{}", column(d.span.end))
    } else {
        format!("{from}-+{}:{}", last - first, column(d.span.end))
    };
    let message = d.message.replace('\n', "\\n");
    let mut out = format!(
        "{FINDING}{range} {} {}: {message} -->\n",
        d.code,
        d.severity.as_str()
    );
    if let Some(fix) = &d.fix {
        let safety = if fix.safe { "safe" } else { "unsafe" };
        out.push_str(&format!("{FIX}{safety}): {} -->\n", fix.title));
    }
    out
}
