//! The writing tools over `analysis::plan_edits`: `mark_done`,
//! `log_decision`, `log_surprise` and `record_outcome`. Each reads the plan,
//! asks the engine for the edit, and either returns the diff (`dry_run`) or
//! writes it, refusing when the file changed in between; every answer says
//! which findings the edit introduced (none, when it is right).

use rmcp::model::Tool;
use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::{Value, json};

use super::findings::{self, Finding};
use super::{Reply, Roots, ToolResult, additive, diff, tool, write_guarded};
use crate::analysis::introduced::introduced;
use crate::analysis::plan_edits::{self, EntryFields, EntryKind};
use crate::analysis::{Edit, apply_edits};
use crate::model::PlanModel;
use crate::plan_file::PlanFile;
use crate::workspace;

/// Reads the plan, makes the edit `make` asks for, and writes or shows it.
fn edit_plan(
    roots: &Roots,
    path: &str,
    dry_run: bool,
    make: impl FnOnce(
        &PlanFile,
        &PlanModel,
        jiff::Timestamp,
    ) -> Result<(Vec<Edit>, String, Value), String>,
) -> ToolResult {
    let (file, root) = roots.file(path)?;
    let plan = PlanFile::read(&file, Some(&root))?;
    let shown = roots.display(&plan.path);
    if !plan.is_plan() {
        return Err(format!(
            "{shown} is not an ExecPlan (no living-document preamble or plan sections)"
        ));
    }
    let now = jiff::Timestamp::now();
    let model = plan.model();
    let (edits, summary, mut data) = make(&plan, &model, now)?;
    let (after, _) = apply_edits(&plan.text, &edits);
    let patch = diff(&shown, &plan.text, &after);
    let old = plan.diagnostics(now);
    let edited = plan.replaced(after);
    let new = edited.diagnostics(now);
    let fresh: Vec<Finding> = introduced(&plan.text, &old, &edited.text, &new)
        .into_iter()
        .map(|d| findings::finding(&edited.text, d, false))
        .collect();
    if !dry_run {
        write_guarded(&plan.path, &plan.text, &edited.text)?;
    }
    let mut text = format!(
        "{shown}: {summary}{}",
        if dry_run {
            " (dry run, nothing written)"
        } else {
            ""
        }
    );
    if fresh.is_empty() {
        text.push_str("; no new findings");
    } else {
        text.push_str(&format!(
            "; the edit introduced {} finding(s):",
            fresh.len()
        ));
        text.push_str(&findings::lines(&shown, &fresh, 10));
    }
    if dry_run {
        text.push('\n');
        text.push_str(&patch);
    }
    data["path"] = json!(shown);
    data["applied"] = json!(!dry_run);
    data["dry_run"] = json!(dry_run);
    data["diff"] = json!(patch);
    data["introduced"] = json!(fresh);
    Ok(Reply { text, data })
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MarkDoneArgs {
    /// The plan's path, relative to the workspace root (or absolute inside it).
    pub path: String,
    /// The item's text as plan_status or the file shows it (a part of it is enough when only one
    /// open item has that part). With `line`, it must be the item's text, or the edit is refused.
    #[serde(default)]
    pub item: Option<String>,
    /// The item's 1-based line.
    #[serde(default)]
    pub line: Option<usize>,
    /// The item's full text as last read: the edit is refused if the item now reads otherwise.
    #[serde(default)]
    pub expected_text: Option<String>,
    /// A short note appended to the item (what was done, the evidence).
    #[serde(default)]
    pub note: Option<String>,
    /// Return the diff without writing.
    #[serde(default)]
    pub dry_run: bool,
}

pub fn mark_done_tool() -> Tool {
    tool::<MarkDoneArgs>(
        "mark_done",
        "Check off one Progress item and stamp it with the current UTC minute from the server's clock, \
         in the plan's own timestamp style (canonical `(YYYY-MM-DD HH:MMZ)`). Name the item by `item` \
         text or `line`; refused when the item no longer reads as expected. dry_run returns the diff.",
        additive("Mark a Progress item done", true),
    )
}

pub fn mark_done(roots: &Roots, args: MarkDoneArgs) -> ToolResult {
    edit_plan(roots, &args.path, args.dry_run, |plan, model, now| {
        let edit = plan_edits::mark_done(
            &plan.text,
            model,
            args.item.as_deref(),
            args.line,
            args.expected_text.as_deref(),
            args.note.as_deref(),
            now,
        )
        .map_err(|e| e.to_string())?;
        let summary = format!(
            "marked line {} done {}: {}",
            edit.line, edit.stamp, edit.item
        );
        let data = json!({ "line": edit.line, "item": edit.item, "stamp": edit.stamp });
        Ok((edit.edits, summary, data))
    })
}

/// The author for a decision: given, configured, or git's `user.name`.
fn author_for(plan: &PlanFile, given: Option<&str>) -> Option<String> {
    given
        .map(str::to_string)
        .filter(|a| !a.trim().is_empty())
        .or_else(|| plan.settings.author.clone())
        .or_else(|| workspace::git_user_name(plan.env.root.as_deref()))
}

fn append(
    roots: &Roots,
    path: &str,
    dry_run: bool,
    kind: EntryKind,
    fields: EntryFields<'_>,
    author: Option<&str>,
) -> ToolResult {
    edit_plan(roots, path, dry_run, |plan, model, now| {
        let author = author_for(plan, author);
        let fields = EntryFields {
            author: author.as_deref(),
            ..fields
        };
        let edit = plan_edits::append_entry(&plan.text, model, kind, &fields, now)
            .map_err(|e| e.to_string())?;
        let summary = format!(
            "appended to {} ({})",
            kind.section().canonical_name(),
            edit.style
        );
        Ok((
            edit.edits,
            summary,
            json!({ "section": kind.section().canonical_name(), "style": edit.style }),
        ))
    })
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LogDecisionArgs {
    /// The plan's path, relative to the workspace root (or absolute inside it).
    pub path: String,
    /// What was decided.
    pub decision: String,
    /// Why.
    pub rationale: String,
    /// Alternatives considered, if the log records them.
    #[serde(default)]
    pub alternatives: Option<String>,
    /// Who decided (default: the configured author, or git's user.name).
    #[serde(default)]
    pub author: Option<String>,
    /// Return the diff without writing.
    #[serde(default)]
    pub dry_run: bool,
}

pub fn log_decision_tool() -> Tool {
    tool::<LogDecisionArgs>(
        "log_decision",
        "Append a decision to the plan's Decision Log in the log's own style (a table row under its \
         columns, bold labels, or Decision/Rationale/Date-Author bullets), dated now in UTC; touches no \
         existing line except a lone \"None yet.\".",
        additive("Log a decision", false),
    )
}

pub fn log_decision(roots: &Roots, args: LogDecisionArgs) -> ToolResult {
    let fields = EntryFields {
        main: &args.decision,
        second: Some(&args.rationale),
        alternatives: args.alternatives.as_deref(),
        author: None,
    };
    append(
        roots,
        &args.path,
        args.dry_run,
        EntryKind::Decision,
        fields,
        args.author.as_deref(),
    )
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LogSurpriseArgs {
    /// The plan's path, relative to the workspace root (or absolute inside it).
    pub path: String,
    /// What was unexpected.
    pub observation: String,
    /// What showed it: test output, a log line, a measurement.
    pub evidence: String,
    /// Return the diff without writing.
    #[serde(default)]
    pub dry_run: bool,
}

pub fn log_surprise_tool() -> Tool {
    tool::<LogSurpriseArgs>(
        "log_surprise",
        "Append an observation with its evidence to Surprises & Discoveries, in the section's own style; \
         touches no existing line except a lone \"None yet.\".",
        additive("Log a surprise", false),
    )
}

pub fn log_surprise(roots: &Roots, args: LogSurpriseArgs) -> ToolResult {
    let fields = EntryFields {
        main: &args.observation,
        second: Some(&args.evidence),
        ..Default::default()
    };
    append(
        roots,
        &args.path,
        args.dry_run,
        EntryKind::Surprise,
        fields,
        None,
    )
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordOutcomeArgs {
    /// The plan's path, relative to the workspace root (or absolute inside it).
    pub path: String,
    /// What was achieved, what remains, what was learned.
    pub outcome: String,
    /// Return the diff without writing.
    #[serde(default)]
    pub dry_run: bool,
}

pub fn record_outcome_tool() -> Tool {
    tool::<RecordOutcomeArgs>(
        "record_outcome",
        "Append a stamped paragraph (or bullet, or table row, as the section already has) to Outcomes & \
         Retrospective; touches no existing line except a lone \"None yet.\".",
        additive("Record an outcome", false),
    )
}

pub fn record_outcome(roots: &Roots, args: RecordOutcomeArgs) -> ToolResult {
    let fields = EntryFields {
        main: &args.outcome,
        ..Default::default()
    };
    append(
        roots,
        &args.path,
        args.dry_run,
        EntryKind::Outcome,
        fields,
        None,
    )
}
