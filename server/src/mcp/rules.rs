//! `explain_rule`: a rule of the catalogue, explained from docs/rules.md.

use rmcp::model::Tool;
use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::json;

use super::{Reply, ToolResult, read_only, tool};
use crate::analysis::{RULES, rule_explanation, rule_info};

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExplainRuleArgs {
    /// A rule code such as EP203.
    pub code: String,
}

pub fn explain_rule_tool() -> Tool {
    tool::<ExplainRuleArgs>(
        "explain_rule",
        "Explain one rule of the ExecPlan checker (a code such as EP203): what it reports, why, and how \
         to fix it.",
        read_only("Explain a rule"),
    )
}

pub fn explain_rule(args: ExplainRuleArgs) -> ToolResult {
    let code = args.code.trim().to_ascii_uppercase();
    let Some(rule) = rule_info(&code) else {
        return Err(format!(
            "unknown rule code `{}`; the codes are {}",
            args.code,
            RULES
                .iter()
                .map(|r| r.code.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    };
    let explanation =
        rule_explanation(rule.code.as_str()).unwrap_or_else(|| rule.summary.to_string());
    Ok(Reply {
        text: format!(
            "{} {} (default {}{}): {}\n\n{explanation}",
            rule.code,
            rule.name,
            rule.default_severity.as_str(),
            if rule.fixable { ", fixable" } else { "" },
            rule.summary
        ),
        data: json!({
            "code": rule.code,
            "name": rule.name,
            "default_severity": rule.default_severity.as_str(),
            "fixable": rule.fixable,
            "summary": rule.summary,
            "explanation": explanation,
        }),
    })
}
