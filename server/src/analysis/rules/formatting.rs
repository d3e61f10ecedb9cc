//! EP4xx: Markdown formatting the format asks for.

use super::RuleCx;
use crate::analysis::line_span;
use crate::model::{HeadingStyle, SectionKind};

pub(super) fn check(cx: &mut RuleCx<'_>) {
    fenced_blocks(cx);
    outer_fence(cx);
    headings(cx);
    tables_and_long_lists(cx);
}

/// EP401: code belongs in indented blocks, which cannot close an enclosing fence.
fn fenced_blocks(cx: &mut RuleCx<'_>) {
    for fence in &cx.model.fences {
        cx.report(
            "EP401",
            line_span(cx.text, fence.span.start),
            "Fenced code block inside the plan: indent the lines by four spaces instead, so the plan can itself be wrapped in a fence.",
        );
    }
}

/// EP402: a file that holds only the plan has no outer fence.
fn outer_fence(cx: &mut RuleCx<'_>) {
    if let Some(fence) = &cx.model.outer_fence {
        cx.report(
            "EP402",
            fence.open.clone(),
            "The whole file is wrapped in a code fence: a plan saved as its own file has no outer fence; remove the first and last lines.",
        );
    }
}

/// EP403 and EP404: a blank line after every heading; ATX headings only.
fn headings(cx: &mut RuleCx<'_>) {
    for heading in &cx.model.headings {
        if !heading.blank_line_after {
            cx.report(
                "EP403",
                heading.span.clone(),
                "Heading not followed by a blank line: add one after it.",
            );
        }
        if heading.style == HeadingStyle::Setext {
            let marks = "#".repeat(heading.level as usize);
            cx.report(
                "EP404",
                heading.span.clone(),
                format!(
                    "Underlined (setext) heading: write it as `{marks} {}`.",
                    heading.text
                ),
            );
        }
    }
}

/// Sections that must stay prose-first.
const NARRATIVE: [SectionKind; 4] = [
    SectionKind::Purpose,
    SectionKind::Context,
    SectionKind::PlanOfWork,
    SectionKind::Idempotence,
];

/// A list with this many items or more is a long enumeration.
const LONG_LIST: usize = 8;

/// EP405: tables and long lists in narrative sections.
fn tables_and_long_lists(cx: &mut RuleCx<'_>) {
    let narrative = |section: Option<usize>| {
        NARRATIVE
            .iter()
            .find(|k| cx.model.within(section, **k))
            .copied()
    };
    let mut found = Vec::new();
    for table in &cx.model.tables {
        if let Some(kind) = narrative(table.section) {
            found.push((line_span(cx.text, table.span.start), format!("A table in {}: narrative sections are prose first; describe this in sentences, or move the table to Artifacts and Notes.", kind.canonical_name())));
        }
    }
    for list in &cx.model.lists {
        if list.items < LONG_LIST {
            continue;
        }
        if let Some(kind) = narrative(list.section) {
            found.push((line_span(cx.text, list.span.start), format!("A list of {} items in {}: narrative sections are prose first; tell this as a sequence of sentences or milestones.", list.items, kind.canonical_name())));
        }
    }
    for (span, message) in found {
        cx.report("EP405", span, message);
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{codes, of, plan};

    #[test]
    fn ep401_fenced_block() {
        let text = plan("").replace(
            "Run the tests.\n\n    cargo test",
            "Run the tests.\n\n```sh\ncargo test\n```",
        );
        let line = text.lines().position(|l| l == "```sh").unwrap() + 1;
        assert_eq!(of("EP401", &codes(&text)), [line]);
        // Indented blocks are the right way.
        assert!(of("EP401", &codes(&plan(""))).is_empty());
    }

    #[test]
    fn ep402_outer_fence() {
        let text = format!("```md\n{}```\n", plan(""));
        let found = codes(&text);
        assert_eq!(of("EP402", &found), [1]);
        // The plan inside is still read: no section is reported missing.
        assert!(of("EP101", &found).is_empty(), "{found:?}");
        assert!(of("EP401", &found).is_empty(), "{found:?}");
    }

    #[test]
    fn ep403_heading_without_blank_line() {
        let text = plan("").replace("## Plan of Work\n\nAdd", "## Plan of Work\nAdd");
        let line = text.lines().position(|l| l == "## Plan of Work").unwrap() + 1;
        assert_eq!(of("EP403", &codes(&text)), [line]);
        // The last line of the file needs nothing after it.
        assert!(
            of(
                "EP403",
                &codes(&plan("## Revision Notes\n\nFirst version.\n"))
            )
            .is_empty()
        );
    }

    #[test]
    fn ep404_setext_heading() {
        let text = plan("Revision Notes\n--------------\n\nFirst version.\n");
        let line = text.lines().position(|l| l == "Revision Notes").unwrap() + 1;
        assert_eq!(of("EP404", &codes(&text)), [line]);
        assert!(of("EP404", &codes(&plan(""))).is_empty());
    }

    #[test]
    fn ep405_tables_and_long_lists_in_narrative_sections() {
        let table = plan("").replace(
            "The server lives in `src/server.rs`.",
            "| File | Purpose |\n|---|---|\n| a.rs | b |",
        );
        let line = table
            .lines()
            .position(|l| l == "| File | Purpose |")
            .unwrap()
            + 1;
        assert_eq!(of("EP405", &codes(&table)), [line]);
        let items: String = (1..=8).map(|i| format!("- Step {i}.\n")).collect();
        let list = plan("").replace("Add the cache in front of the store.", items.trim_end());
        assert_eq!(of("EP405", &codes(&list)).len(), 1);
        // Short lists, and tables in Artifacts and Notes, are fine.
        let short = plan("").replace("Add the cache in front of the store.", "- One.\n- Two.");
        assert!(of("EP405", &codes(&short)).is_empty());
        let artifacts = plan("").replace(
            "## Artifacts and Notes\n\nNone yet.",
            "## Artifacts and Notes\n\n| a | b |\n|---|---|\n| 1 | 2 |",
        );
        assert!(of("EP405", &codes(&artifacts)).is_empty());
    }
}
