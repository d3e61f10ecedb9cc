//! EP4xx: Markdown formatting the format asks for.

use super::Code;
use super::RuleCx;
use crate::analysis::fix::{Edit, Fix, line_ending};
use crate::analysis::line_span;
use crate::model::{FencedBlock, HeadingStyle, SectionKind};

pub(super) fn check(cx: &mut RuleCx<'_>) {
    fenced_blocks(cx);
    outer_fence(cx);
    headings(cx);
    tables_and_long_lists(cx);
}

/// EP401: code belongs in indented blocks, which cannot close an enclosing fence.
fn fenced_blocks(cx: &mut RuleCx<'_>) {
    for fence in &cx.model.fences {
        let fix = indent_fence(cx.text, fence);
        cx.report_fix(
            Code::EP401,
            line_span(cx.text, fence.span.start),
            "Fenced code block inside the plan: indent the lines by four spaces instead, so the plan can itself be wrapped in a fence.",
            fix,
        );
    }
}

/// Turns a closed fence at the start of a line, outside lists, into an
/// indented block; a blank line is added before it where a paragraph would
/// otherwise swallow it.
fn indent_fence(text: &str, fence: &FencedBlock) -> Option<Fix> {
    let line_start = line_span(text, fence.span.start).start;
    if !fence.closed || line_start != fence.span.start {
        return None;
    }
    let le = line_ending(text);
    let content = text.get(fence.content.clone())?;
    let mut body = String::new();
    for line in content.split_inclusive('\n') {
        if line.trim().is_empty() {
            body.push_str(line.trim_start_matches([' ', '\t']));
        } else {
            body.push_str("    ");
            body.push_str(line);
        }
    }
    let body = body.trim_end_matches(['\n', '\r']);
    let previous_blank = fence.span.start == 0
        || text[line_span(text, fence.span.start - 1)]
            .trim()
            .is_empty();
    let lead = if previous_blank { "" } else { le };
    Some(Fix::safe(
        "Turn into an indented block",
        vec![Edit::replace(fence.span.clone(), format!("{lead}{body}"))],
    ))
}

/// EP402: a file that holds only the plan has no outer fence.
fn outer_fence(cx: &mut RuleCx<'_>) {
    if let Some(fence) = &cx.model.outer_fence {
        let open_end = cx.text[fence.open.end..]
            .find('\n')
            .map_or(cx.text.len(), |i| fence.open.end + i + 1);
        let fix = Fix::safe(
            "Remove the outer fence",
            vec![
                Edit::replace(fence.open.start..open_end, ""),
                Edit::replace(fence.close.clone(), ""),
            ],
        );
        cx.report_fix(
            Code::EP402,
            fence.open.clone(),
            "The whole file is wrapped in a code fence: a plan saved as its own file has no outer fence; remove the first and last lines.",
            Some(fix),
        );
    }
}

/// EP403 and EP404: a blank line after every heading; ATX headings only.
fn headings(cx: &mut RuleCx<'_>) {
    let le = line_ending(cx.text);
    for heading in &cx.model.headings {
        if !heading.blank_line_after {
            cx.report_fix(
                Code::EP403,
                heading.span.clone(),
                "Heading not followed by a blank line: add one after it.",
                Some(Fix::safe(
                    "Insert a blank line",
                    vec![Edit::insert(heading.span.end, le)],
                )),
            );
        }
        if heading.style == HeadingStyle::Setext {
            let atx = format!("{} {}", "#".repeat(heading.level as usize), heading.text);
            cx.report_fix(
                Code::EP404,
                heading.span.clone(),
                format!("Underlined (setext) heading: write it as `{atx}`."),
                Some(Fix::safe(
                    format!("Write `{atx}`"),
                    vec![Edit::replace(heading.span.clone(), atx.clone())],
                )),
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
    // The nearest enclosing narrative section named as such (a section
    // named by a synonym is not judged on its style).
    let narrative = |section: Option<usize>| {
        let mut current = section;
        while let Some(i) = current {
            let s = &cx.model.sections[i];
            if let Some(kind) = s.kind.filter(|k| NARRATIVE.contains(k)) {
                return (!s.by_synonym).then_some(kind);
            }
            current = s.parent;
        }
        None
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
        cx.report(Code::EP405, span, message);
    }
}
