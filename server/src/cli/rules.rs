//! `execplan-ls rules [CODE]`: the catalogue, or one rule explained. The
//! explanation is the rule's section of docs/rules.md, built in.

use std::process::ExitCode;

use crate::analysis::{RULES, rule_explanation as explanation, rule_info};

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
    match explanation(rule.code.as_str()) {
        Some(text) => println!("{text}"),
        None => println!("{}", rule.summary),
    }
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_is_documented() {
        for r in RULES {
            let text = explanation(r.code.as_str())
                .unwrap_or_else(|| panic!("{} has no section in docs/rules.md", r.code));
            assert!(text.contains("What."), "{}: {text}", r.code);
            assert!(
                crate::analysis::rules::RULES_DOC.contains(&format!("## {} {}", r.code, r.name)),
                "{} heading names {}",
                r.code,
                r.name
            );
        }
    }
}
