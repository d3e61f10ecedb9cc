//! `execplan-ls rules [CODE]`: the catalogue, or one rule explained. The
//! explanation is the rule's section of docs/rules.md, built in.

use std::process::ExitCode;

use crate::analysis::{RULES, rule_info};

const RULES_DOC: &str = include_str!("../../../docs/rules.md");

pub fn run(code: Option<&str>) -> ExitCode {
    let Some(code) = code else {
        println!(
            "{:<5}  {:<26}  {:<8}  {:<3}  summary",
            "code", "name", "default", "fix"
        );
        for r in RULES {
            let fix = if r.fixable { "yes" } else { "" };
            println!(
                "{:<5}  {:<26}  {:<8}  {:<3}  {}",
                r.code,
                r.name,
                r.default_severity.as_str(),
                fix,
                r.summary
            );
        }
        return ExitCode::SUCCESS;
    };
    let Some(rule) = rule_info(code) else {
        eprintln!("execplan-ls: unknown rule code `{code}`; `execplan-ls rules` lists them");
        return ExitCode::from(2);
    };
    println!(
        "{} {} (default: {})\n",
        rule.code,
        rule.name,
        rule.default_severity.as_str()
    );
    match explanation(rule.code) {
        Some(text) => println!("{text}"),
        None => println!("{}", rule.summary),
    }
    ExitCode::SUCCESS
}

/// The body of `## CODE name` in docs/rules.md, up to the next `## `.
pub fn explanation(code: &str) -> Option<String> {
    let heading = format!("## {code} ");
    let start = RULES_DOC.find(&heading)?;
    let body_start = RULES_DOC[start..]
        .find('\n')
        .map_or(RULES_DOC.len(), |i| start + i + 1);
    let end = RULES_DOC[body_start..]
        .find("\n## ")
        .map_or(RULES_DOC.len(), |i| body_start + i);
    Some(RULES_DOC[body_start..end].trim().replace("**", ""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_is_documented() {
        for r in RULES {
            let text = explanation(r.code)
                .unwrap_or_else(|| panic!("{} has no section in docs/rules.md", r.code));
            assert!(text.contains("What."), "{}: {text}", r.code);
            assert!(
                RULES_DOC.contains(&format!("## {} {}", r.code, r.name)),
                "{} heading names {}",
                r.code,
                r.name
            );
        }
    }
}
