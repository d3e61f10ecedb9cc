//! EP1xx: the plan's structure — sections, title, preamble, template text.

use std::path::{Component, Path, PathBuf};
use std::sync::LazyLock;

use aho_corasick::AhoCorasick;

use super::{RuleCx, TextFinding};
use crate::analysis::fix::{Edit, Fix, insert_section_before, line_ending, new_section_body};
use crate::model::{CheckState, InlineContext, PlanModel, SectionKind, Skeleton, Span};

pub(super) fn check(cx: &mut RuleCx<'_>) {
    missing_sections(cx);
    section_order(cx);
    section_spelling(cx);
    duplicate_sections(cx);
    title(cx);
    preamble(cx);
    plans_md_path(cx);
    empty_sections(cx);
    template_text(cx);
}

/// EP101 and EP102: a section of the skeleton (the team's, from PLANS.md,
/// or the canonical one) is missing, at any heading level, so
/// `### Plan of Work` inside a milestone counts.
fn missing_sections(cx: &mut RuleCx<'_>) {
    let anchor = cx.anchor();
    let skeleton = cx.ctx.skeleton;
    let whose = if skeleton.custom {
        "of the skeleton in PLANS.md"
    } else {
        "of the recommended skeleton"
    };
    for (index, wanted) in skeleton.sections.iter().enumerate() {
        if skeleton.is_present(cx.model, index) {
            continue;
        }
        let name = wanted.heading();
        let fix = insert_section(cx.model, cx.text, skeleton, index);
        let after = skeleton.sections[..index]
            .iter()
            .enumerate()
            .rev()
            .find(|(i, _)| skeleton.is_present(cx.model, *i))
            .map(|(_, s)| format!(" after `## {}`", s.heading()))
            .unwrap_or_else(|| " after the preamble".to_string());
        if wanted.kind.is_some_and(SectionKind::is_living) {
            cx.report_fix(
                "EP101",
                anchor.clone(),
                format!(
                    "Missing living section `## {name}`: Progress, Surprises & Discoveries, Decision Log and Outcomes & Retrospective must be kept up to date in every plan. Add it{after}."
                ),
                fix,
            );
        } else {
            cx.report_fix(
                "EP102",
                anchor.clone(),
                format!("Missing section `## {name}` {whose}. Add it{after}."),
                fix,
            );
        }
    }
}

/// A fix that inserts the skeleton's `index`th section, with the body every
/// new section gets ([`new_section_body`]), before the first section of the
/// skeleton's order (the run EP103 keeps) that follows it, or at the end,
/// so the new section is never itself out of order. Inserting Outcomes &
/// Retrospective when every Progress item is done is not safe: only the
/// author can write the retrospective (EP209 then asks for it).
fn insert_section(model: &PlanModel, text: &str, skeleton: &Skeleton, index: usize) -> Option<Fix> {
    let le = line_ending(text);
    let wanted = &skeleton.sections[index];
    let name = wanted.heading();
    let body = new_section_body(wanted.kind);
    let block = format!("## {name}{le}{le}{body}{le}{le}");
    let kept: Vec<(usize, usize)> = ordered_sections(model, skeleton);
    let edit = insert_section_before(text, model, &block, |s| {
        kept.iter()
            .any(|&(i, heading)| heading == s.heading && i > index)
    })?;
    let mut items = model.progress_items().peekable();
    let all_done = items.peek().is_some() && items.all(|i| i.state == CheckState::Checked);
    let title = format!("Add `## {name}`");
    Some(if all_done && wanted.kind == Some(SectionKind::Outcomes) {
        Fix::unsafe_(title, vec![edit])
    } else {
        Fix::safe(title, vec![edit])
    })
}

/// The top-level skeleton sections in skeleton order, as EP103 keeps them:
/// (skeleton index, heading index) of the longest run already in order.
fn ordered_sections(model: &PlanModel, skeleton: &Skeleton) -> Vec<(usize, usize)> {
    let order = top_level_order(model, skeleton);
    let keep = longest_increasing(&order.iter().map(|(i, _)| *i).collect::<Vec<_>>());
    keep.into_iter().map(|k| order[k]).collect()
}

/// The first occurrence of each skeleton section at the top level, in text
/// order: (skeleton index, heading index).
fn top_level_order(model: &PlanModel, skeleton: &Skeleton) -> Vec<(usize, usize)> {
    let top_level = model
        .sections
        .iter()
        .filter(|s| s.parent.is_none())
        .map(|s| s.level)
        .min();
    let mut order: Vec<(usize, usize)> = Vec::new();
    for section in &model.sections {
        if Some(section.level) != top_level || section.parent.is_some() {
            continue;
        }
        if let Some(index) = skeleton.index_of(model, section)
            && !order.iter().any(|(i, _)| *i == index)
        {
            order.push((index, section.heading));
        }
    }
    order
}

/// EP103: skeleton sections (first occurrence, top level) out of the
/// skeleton's order. The sections that stay are the longest run already in
/// order; the others are reported, each with where it belongs.
fn section_order(cx: &mut RuleCx<'_>) {
    let skeleton = cx.ctx.skeleton;
    let order: Vec<(usize, Span)> = top_level_order(cx.model, skeleton)
        .into_iter()
        .map(|(i, h)| (i, cx.model.headings[h].span.clone()))
        .collect();
    let name = |i: usize| skeleton.sections[i].heading();
    let keep = longest_increasing(&order.iter().map(|(i, _)| *i).collect::<Vec<_>>());
    for (i, (index, span)) in order.iter().enumerate() {
        if keep.contains(&i) {
            continue;
        }
        let before = keep.iter().map(|&j| order[j].0).filter(|k| k > index).min();
        let after = keep.iter().map(|&j| order[j].0).filter(|k| k < index).max();
        let place = match (after, before) {
            (Some(a), Some(b)) => format!("after `{}` and before `{}`", name(a), name(b)),
            (Some(a), None) => format!("after `{}`", name(a)),
            (None, Some(b)) => format!("before `{}`", name(b)),
            (None, None) => "in skeleton order".to_string(),
        };
        cx.report(
            "EP103",
            span.clone(),
            format!(
                "`{}` is out of skeleton order: move it {place}.",
                name(*index)
            ),
        );
    }
}

/// Indices of one longest strictly increasing subsequence.
fn longest_increasing(values: &[usize]) -> Vec<usize> {
    let n = values.len();
    let mut best = vec![1usize; n];
    let mut prev = vec![usize::MAX; n];
    for i in 0..n {
        for j in 0..i {
            if values[j] < values[i] && best[j] + 1 > best[i] {
                best[i] = best[j] + 1;
                prev[i] = j;
            }
        }
    }
    let Some(mut i) = (0..n).max_by_key(|&i| (best[i], std::cmp::Reverse(i))) else {
        return Vec::new();
    };
    let mut out = vec![i];
    while prev[i] != usize::MAX {
        i = prev[i];
        out.push(i);
    }
    out.reverse();
    out
}

/// EP104: a known section whose heading is not spelled canonically. The
/// rename is not safe when a sibling (same level and parent) is the same
/// section under another name (`#### Validation` beside `#### Acceptance
/// Criteria`): renaming would make two identical headings out of two the
/// team tells apart.
fn section_spelling(cx: &mut RuleCx<'_>) {
    for (i, section) in cx.model.sections.iter().enumerate() {
        let Some(kind) = section.kind else { continue };
        let heading = cx.model.heading_of(section);
        if heading.text != kind.canonical_name() {
            let twin = cx.model.sections.iter().enumerate().any(|(j, s)| {
                j != i
                    && s.kind == Some(kind)
                    && s.level == section.level
                    && s.parent == section.parent
            });
            let title = format!("Rename to `{}`", kind.canonical_name());
            let edits = vec![Edit::replace(
                heading.text_span.clone(),
                kind.canonical_name(),
            )];
            cx.report_fix(
                "EP104",
                heading.text_span.clone(),
                format!(
                    "`{}` is the {} section; the skeleton spells it `{}`.",
                    heading.text,
                    kind.canonical_name(),
                    kind.canonical_name()
                ),
                Some(if twin {
                    Fix::unsafe_(title, edits)
                } else {
                    Fix::safe(title, edits)
                }),
            );
        }
    }
}

/// EP105: the same section twice at the same level under the same parent.
fn duplicate_sections(cx: &mut RuleCx<'_>) {
    let sections = &cx.model.sections;
    for (i, section) in sections.iter().enumerate() {
        let Some(kind) = section.kind else { continue };
        let first = sections[..i].iter().find(|s| {
            s.kind == Some(kind) && s.level == section.level && s.parent == section.parent
        });
        if let Some(first) = first {
            let line = crate::analysis::line_number(cx.text, first.span.start);
            cx.report(
                "EP105",
                cx.model.heading_of(section).span.clone(),
                format!(
                    "`{}` appears twice (first on line {line}); merge the two into one section.",
                    kind.canonical_name()
                ),
            );
        }
    }
}

/// EP106: no H1 title, more than one, or text before it.
fn title(cx: &mut RuleCx<'_>) {
    if cx.model.title.is_none() {
        let span = crate::analysis::line_span(cx.text, 0);
        cx.report("EP106", span, "The plan has no `# Title` heading: start it with one H1 that says what the plan delivers.");
        return;
    }
    let h1s: Vec<Span> = cx
        .model
        .headings
        .iter()
        .filter(|h| h.level == 1)
        .map(|h| h.span.clone())
        .collect();
    for span in h1s.into_iter().skip(1) {
        cx.report(
            "EP106",
            span,
            "A second H1 heading: a plan has one title; make this a `##` section.",
        );
    }
    if let Some(before) = cx.model.text_before_title.clone() {
        let line = crate::analysis::line_span(cx.text, before.start);
        cx.report("EP106", line, "Text before the plan's title: the `# Title` line comes first (front matter and a status blockquote may precede it).");
    }
}

/// The preamble the fix for EP107 inserts.
pub(crate) const PREAMBLE_SENTENCE: &str = "This ExecPlan is a living document. The sections `Progress`, `Surprises & Discoveries`, `Decision Log`, and `Outcomes & Retrospective` must be kept up to date as work proceeds.";

/// EP107: the preamble does not say the plan is a living document.
fn preamble(cx: &mut RuleCx<'_>) {
    if cx.model.title.is_none() {
        return;
    }
    let has_sentence = cx.model.preamble.iter().any(|p| {
        cx.slice(p)
            .to_lowercase()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .contains("living document")
    });
    if !has_sentence {
        let at = cx.anchor().end;
        let fix = Fix::safe(
            "Insert the living-document preamble",
            vec![paragraph_after_line(cx.text, at, PREAMBLE_SENTENCE)],
        );
        cx.report_fix(
            "EP107",
            cx.anchor(),
            "The living-document preamble is missing: after the title, say that this plan is a living document and that Progress, Surprises & Discoveries, Decision Log and Outcomes & Retrospective must be kept up to date.",
            Some(fix),
        );
    }
}

/// Inserts `paragraph` as a paragraph of its own after the line ending at
/// `at`: a blank line before it, and one after it when the next line is
/// not blank, so it never merges with the text that follows.
fn paragraph_after_line(text: &str, at: usize, paragraph: &str) -> Edit {
    let le = line_ending(text);
    let rest = &text[at..];
    let rest = rest
        .strip_prefix("\r\n")
        .or_else(|| rest.strip_prefix(['\n', '\r']));
    let next_line = rest.map(|r| &r[..r.find(['\n', '\r']).unwrap_or(r.len())]);
    let after = if next_line.is_some_and(|l| !l.trim().is_empty()) {
        le
    } else {
        ""
    };
    Edit::insert(at, format!("{le}{le}{paragraph}{after}"))
}

/// EP108: the repository has a PLANS.md but the plan does not give a path to
/// it that resolves, from the repository root or from the plan's folder.
fn plans_md_path(cx: &mut RuleCx<'_>) {
    let Some(plans_md) = cx.ctx.plans_md else {
        return;
    };
    let root = cx.ctx.workspace_root;
    let relative = root
        .and_then(|r| plans_md.strip_prefix(r).ok())
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .unwrap_or_else(|| "PLANS.md".to_string());
    // Every mention of a path ending in PLANS.md, in code spans, links or text.
    let mut mentions: Vec<(Span, String)> = Vec::new();
    for inline in &cx.model.inlines {
        let text = cx.slice(&inline.span);
        let mut from = 0;
        while let Some(pos) = text[from..].find("PLANS.md") {
            let end = from + pos + "PLANS.md".len();
            let start = text[..end]
                .rfind(|c: char| {
                    c.is_whitespace() || matches!(c, '`' | '(' | '[' | '"' | '\'' | '<')
                })
                .map_or(0, |i| i + 1);
            from = end;
            mentions.push((
                inline.span.start + start..inline.span.start + end,
                text[start..end].to_string(),
            ));
        }
    }
    if mentions.is_empty() {
        // Append the sentence to the preamble's last paragraph, or after the title.
        let at = cx.model.preamble.last().map_or(cx.anchor().end, |p| p.end);
        let sentence = format!("This plan is maintained in accordance with `{relative}`.");
        let edit = if cx.model.preamble.is_empty() {
            paragraph_after_line(cx.text, at, &sentence)
        } else {
            Edit::insert(at, format!(" {sentence}"))
        };
        cx.report_fix(
            "EP108",
            cx.anchor(),
            format!("This repository has `{relative}` but the plan does not name it: add to the preamble that this plan is maintained in accordance with `{relative}`."),
            Some(Fix::safe(format!("Name `{relative}` in the preamble"), vec![edit])),
        );
        return;
    }
    let plan_dir = cx.ctx.plan_path.and_then(Path::parent);
    let resolves = |written: &str| -> bool {
        let written = written.trim_start_matches("./");
        let as_path = Path::new(written);
        let mut candidates = Vec::new();
        if as_path.is_absolute() {
            candidates.push(as_path.to_path_buf());
        } else {
            if let Some(root) = root {
                candidates.push(root.join(as_path));
            }
            if let Some(dir) = plan_dir {
                candidates.push(dir.join(as_path));
            }
        }
        candidates
            .iter()
            .any(|c| lexical_normalize(c) == lexical_normalize(plans_md))
    };
    if mentions.iter().any(|(_, written)| resolves(written)) {
        return;
    }
    // Only a bare "PLANS.md" is ambiguous prose; a path that does not resolve is reported.
    for (span, written) in mentions {
        if written == "PLANS.md" && relative != "PLANS.md" {
            let fix = Fix::safe(
                format!("Write `{relative}`"),
                vec![Edit::replace(span.clone(), relative.clone())],
            );
            cx.report_fix("EP108", span, format!("`PLANS.md` does not say where the file is: write its path from the repository root, `{relative}`."), Some(fix));
        } else if written != "PLANS.md" {
            let fix = Fix::safe(
                format!("Write `{relative}`"),
                vec![Edit::replace(span.clone(), relative.clone())],
            );
            cx.report_fix("EP108", span, format!("`{written}` does not resolve to this repository's PLANS.md: write `{relative}`, its path from the repository root."), Some(fix));
        }
    }
}

fn lexical_normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// EP109: a section with neither content nor subsections.
fn empty_sections(cx: &mut RuleCx<'_>) {
    for section in &cx.model.sections {
        if section.has_content || section.has_subsections {
            continue;
        }
        let heading = cx.model.heading_of(section);
        let name = section
            .kind
            .map_or(heading.text.as_str(), |k| k.canonical_name());
        cx.report(
            "EP109",
            heading.span.clone(),
            format!("`{name}` is empty: write what belongs here, or `None yet.` for a living section with nothing to record."),
        );
    }
}

/// Fragments of the skeleton's own guidance sentences: text copied from the
/// template and never replaced.
const GUIDANCE: [&str; 12] = [
    "explain in a few sentences what someone gains after this change",
    "use a list with checkboxes to summarize granular steps",
    "document unexpected behaviors, bugs, optimizations, or insights",
    "record every decision made while working on the plan",
    "summarize outcomes, gaps, and lessons learned at major milestones",
    "describe the current state relevant to this task as if the reader knows nothing",
    "describe, in prose, the sequence of edits and additions",
    "state the exact commands to run and where to run them",
    "describe how to start or exercise the system and what to observe",
    "if steps can be repeated safely, say so",
    "include the most important transcripts, diffs, or snippets",
    "be prescriptive. name the libraries, modules, and services",
];

/// Template placeholders written inline, lower case.
const PLACEHOLDERS: [&str; 3] = ["(yyyy-mm-dd hh:mmz)", "(to be filled)", "(to be filled in)"];

/// One automaton per phrase list: searching every paragraph for each phrase
/// separately was half the rules' time.
static GUIDANCE_FINDER: LazyLock<AhoCorasick> =
    LazyLock::new(|| AhoCorasick::new(GUIDANCE).expect("fixed phrases build an automaton"));
static PLACEHOLDER_FINDER: LazyLock<AhoCorasick> =
    LazyLock::new(|| AhoCorasick::new(PLACEHOLDERS).expect("fixed phrases build an automaton"));

/// EP110: template text left in the plan.
fn template_text(cx: &mut RuleCx<'_>) {
    if !cx.enabled("EP110") {
        return;
    }
    let mut found: Vec<(Span, String)> = Vec::new();
    for index in 0..cx.model.inlines.len() {
        let base = cx.model.inlines[index].span.start;
        for finding in cx.text_findings(index).iter() {
            if finding.code == "EP110" {
                found.push((
                    base + finding.span.start..base + finding.span.end,
                    finding.message.clone(),
                ));
            }
        }
    }
    // Timestamp placeholders in Progress items are read by the model too.
    for item in &cx.model.checkboxes {
        if let Some(ts) = item.timestamp.as_ref().filter(|t| t.placeholder)
            && !found
                .iter()
                .any(|(s, _)| s.start <= ts.start && ts.start < s.end)
        {
            found.push((ts.start..ts.end, template_message(&format!("`{}`", ts.raw))));
        }
    }
    for (span, message) in found {
        cx.report("EP110", span, message);
    }
}

fn template_message(what: &str) -> String {
    format!("Template text left in: {what}. Replace it with this plan's own content.")
}

/// EP110 in one inline range's text: `<…>` placeholders, entries that are
/// only `…`, literal placeholders and the skeleton's guidance sentences.
/// Spans are relative to the range.
pub(super) fn template_text_in(
    text: &str,
    context: InlineContext,
    code: &[Span],
    out: &mut Vec<TextFinding>,
) {
    let mut found = |span: Span, what: String| {
        out.push(TextFinding {
            code: "EP110",
            span,
            message: template_message(&what),
        })
    };
    let outside_code = |i: usize| !code.iter().any(|c| c.contains(&i));
    // `<Short, action-oriented description>` placeholders.
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(open) = text[i..].find('<').map(|p| p + i) {
        i = open + 1;
        let Some(close) = text[open..].find('>').map(|p| p + open) else {
            break;
        };
        let inner = &text[open + 1..close];
        let is_placeholder = inner.contains(' ')
            && inner.chars().next().is_some_and(|c| c.is_alphabetic())
            && !inner.contains(['=', '"', '/', ':', '<', '\n'])
            && outside_code(open)
            && bytes.get(open.wrapping_sub(1)) != Some(&b'\\');
        if is_placeholder {
            found(
                open..close + 1,
                format!("the placeholder `{}`", &text[open..=close]),
            );
            i = close + 1;
        }
    }
    // An entry or label whose value is only an ellipsis.
    let trimmed = text.trim().trim_end_matches(['*', '_']);
    let value = trimmed
        .rsplit(':')
        .next()
        .unwrap_or(trimmed)
        .trim()
        .trim_matches(['*', '_'])
        .trim();
    if matches!(context, InlineContext::ListItem | InlineContext::Paragraph)
        && (value == "…" || value == "...")
        && text.lines().count() == 1
    {
        found(0..text.len(), "an entry that is only `…`".to_string());
    }
    let lower = text.to_lowercase();
    // The first occurrence of each placeholder, as before.
    let mut seen = [false; PLACEHOLDERS.len()];
    for m in PLACEHOLDER_FINDER.find_overlapping_iter(&lower) {
        let (pos, which) = (m.start(), m.pattern().as_usize());
        if std::mem::replace(&mut seen[which], true) || !outside_code(pos) {
            continue;
        }
        let needle = PLACEHOLDERS[which];
        found(
            pos..pos + needle.len(),
            format!("`{}`", &text[pos..pos + needle.len()]),
        );
    }
    // Guidance sentences may be wrapped: compare with whitespace folded
    // where the text has any to fold.
    let folded = lower.contains(['\n', '\r', '\t']) || lower.contains("  ");
    let is_guidance = if folded {
        GUIDANCE_FINDER.is_match(&lower.split_whitespace().collect::<Vec<_>>().join(" "))
    } else {
        GUIDANCE_FINDER.is_match(&lower)
    };
    if is_guidance {
        found(
            0..text.len(),
            "the skeleton's own guidance sentence".to_string(),
        );
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::super::testing::{PREAMBLE, codes, codes_with, of, plan};
    use super::PREAMBLE_SENTENCE;
    use crate::analysis::{CheckContext, check};

    #[test]
    fn canonical_plan_is_clean() {
        let found = codes(&plan(""));
        assert!(found.is_empty(), "{found:?}");
    }

    #[test]
    fn a_team_skeleton_from_plans_md_decides_which_sections_are_required() {
        // The team dropped Idempotence and Recovery and added Risks.
        let team: &'static crate::model::Skeleton = Box::leak(Box::new(
            crate::model::Skeleton::from_plans_md(
            "# Plans\n\n## Skeleton\n\n    ## Purpose / Big Picture\n    ## Progress\n    ## Surprises & Discoveries\n    ## Decision Log\n    ## Outcomes & Retrospective\n    ## Risks\n    ## Context and Orientation\n",
            )
            .unwrap(),
        ));
        let without_idempotence = plan("").replace(
            "## Idempotence and Recovery\n\nEvery step can be repeated.\n\n",
            "",
        );
        let with_team = |text: &str| codes_with(text, |ctx| ctx.skeleton = team);
        // Canonical: Idempotence is missing. Team: it is not required, Risks is.
        assert_eq!(of("EP102", &codes(&without_idempotence)), [1]);
        let found = with_team(&without_idempotence);
        assert_eq!(of("EP102", &found), [1], "{found:?}");
        let model = crate::model::build_from_text(&without_idempotence);
        let options = crate::analysis::AnalysisOptions::default();
        let mut ctx = crate::analysis::CheckContext::new(jiff::Timestamp::now(), &options);
        ctx.skeleton = team;
        let messages: Vec<String> = crate::analysis::check(&without_idempotence, &model, &ctx)
            .into_iter()
            .filter(|d| d.code == "EP102")
            .map(|d| d.message)
            .collect();
        assert_eq!(messages.len(), 1);
        assert!(
            messages[0].contains("`## Risks` of the skeleton in PLANS.md"),
            "{messages:?}"
        );
        // With Risks where the team put it, nothing is missing or out of order.
        let complete = without_idempotence.replace(
            "## Context and Orientation",
            "## Risks\n\nThe cache may serve stale data.\n\n## Context and Orientation",
        );
        let found = with_team(&complete);
        assert!(
            of("EP102", &found).is_empty() && of("EP103", &found).is_empty(),
            "{found:?}"
        );
        // Risks after Context is out of the team's order.
        let moved = without_idempotence.replace(
            "## Plan of Work",
            "## Risks\n\nThe cache may serve stale data.\n\n## Plan of Work",
        );
        assert_eq!(of("EP103", &with_team(&moved)).len(), 1);
    }

    #[test]
    fn ep101_missing_living_section() {
        let text = plan("").replace("## Decision Log\n\n- Decision: Use an LRU.\n  Rationale: Bounded memory.\n  Date/Author: 2026-01-05 / Ada\n\n", "");
        assert_eq!(of("EP101", &codes(&text)), [1]);
        // A variant spelling is the section: no EP101, at most EP104.
        let variant = plan("")
            .replace("## Decision Log", "## Decision log")
            .replace("## Surprises & Discoveries", "## Surprises and discoveries");
        let found = codes(&variant);
        assert!(of("EP101", &found).is_empty(), "{found:?}");
        assert_eq!(of("EP104", &found).len(), 2);
    }

    #[test]
    fn ep102_missing_skeleton_section_counts_nested_headings() {
        let text = plan("").replace(
            "## Plan of Work\n\nAdd the cache in front of the store.\n\n",
            "",
        );
        assert_eq!(of("EP102", &codes(&text)), [1]);
        let nested = plan("").replace(
            "## Plan of Work\n\nAdd the cache in front of the store.\n\n",
            "",
        ) + "## Milestone 1: Cache\n\n### Plan of Work\n\nAdd it.\n";
        assert!(of("EP102", &codes(&nested)).is_empty());
    }

    #[test]
    fn ep103_out_of_order_reports_the_moved_section() {
        let text = plan("").replace(
            "## Progress\n\n- [x] (2026-01-05 10:00Z) Wrote the cache.\n- [ ] Measure it.\n\n",
            "",
        ) + "## Progress\n\n- [x] (2026-01-05 10:00Z) Wrote the cache.\n";
        let found = codes(&text);
        let line = text.lines().position(|l| l == "## Progress").unwrap() + 1;
        assert_eq!(of("EP103", &found), [line], "{found:?}");
        assert!(of("EP103", &codes(&plan(""))).is_empty());
    }

    #[test]
    fn ep104_spelling_variants() {
        let text = plan("")
            .replace("## Artifacts and Notes", "## Artefacts and Notes")
            .replace("## Concrete Steps", "## Concrete Steps (commands)");
        let found = codes(&text);
        assert_eq!(of("EP104", &found).len(), 2, "{found:?}");
        assert!(of("EP102", &found).is_empty());
    }

    #[test]
    fn ep105_duplicate_section() {
        let text = plan(
            "## Decision Log\n\n- Decision: Again.\n  Rationale: r.\n  Date/Author: 2026-01-05 / Ada\n",
        );
        let line = text
            .lines()
            .enumerate()
            .filter(|(_, l)| *l == "## Decision Log")
            .last()
            .unwrap()
            .0
            + 1;
        assert_eq!(of("EP105", &codes(&text)), [line]);
        // The same subsection under two milestones is not a duplicate.
        let milestones = plan(
            "## Milestone 1\n\n### Validation\n\nA.\n\n## Milestone 2\n\n### Validation\n\nB.\n",
        );
        assert!(of("EP105", &codes(&milestones)).is_empty());
    }

    #[test]
    fn ep106_title_problems() {
        assert_eq!(of("EP106", &codes(&plan("# Second title\n"))).len(), 1);
        assert_eq!(
            of("EP106", &codes(&format!("Draft notes\n\n{}", plan("")))),
            [1]
        );
        let untitled = plan("").replacen("# Add a cache\n\n", "", 1);
        assert_eq!(of("EP106", &codes(&untitled)), [1]);
        // Front matter, a BOM and a status blockquote before the title are fine.
        let ok = format!(
            "\u{feff}---\nstatus: active\n---\n> **Status:** in progress\n\n{}",
            plan("")
        );
        assert!(of("EP106", &codes(&ok)).is_empty(), "{:?}", codes(&ok));
    }

    #[test]
    fn ep107_and_ep108_insert_a_paragraph_of_their_own() {
        use crate::analysis::apply_edits;
        let fix_of = |text: &str, code: &str| {
            let model = crate::model::build_from_text(text);
            let options = crate::analysis::AnalysisOptions::default();
            let mut ctx = CheckContext::new(
                jiff::Timestamp::from_second(1_800_000_000).unwrap(),
                &options,
            );
            let plans = Path::new("/r/.agent/PLANS.md");
            ctx.plans_md = Some(plans);
            ctx.workspace_root = Some(Path::new("/r"));
            let d = check(text, &model, &ctx)
                .into_iter()
                .find(|d| d.code == code)
                .unwrap();
            apply_edits(text, &d.fix.unwrap().edits).0
        };
        let text = plan("").replace(&format!("{PREAMBLE}\n\n"), "").replace(
            "# Add a cache\n\n",
            "# Add a cache\nSome words right under the title.\n\n",
        );
        let fixed = fix_of(&text, "EP107");
        assert!(
            fixed.starts_with(&format!(
                "# Add a cache\n\n{PREAMBLE_SENTENCE}\n\nSome words"
            )),
            "{fixed}"
        );
        // EP108 joins the preamble paragraph there is, as a sentence of it.
        let fixed = fix_of(&text, "EP108");
        assert!(
            fixed.contains("Some words right under the title. This plan is maintained in accordance with `.agent/PLANS.md`.\n\n## Purpose"),
            "{fixed}"
        );
        // Without a preamble, it is a paragraph of its own.
        let bare = plan("").replace(&format!("{PREAMBLE}\n\n"), "");
        let fixed = fix_of(&bare, "EP108");
        assert!(
            fixed.starts_with("# Add a cache\n\nThis plan is maintained in accordance with `.agent/PLANS.md`.\n\n## Purpose"),
            "{fixed}"
        );
        // Before a blank line, no second one.
        let text = plan("").replace(&format!("{PREAMBLE}\n\n"), "");
        let fixed = fix_of(&text, "EP107");
        assert!(
            fixed.starts_with(&format!(
                "# Add a cache\n\n{PREAMBLE_SENTENCE}\n\n## Purpose"
            )),
            "{fixed}"
        );
    }

    #[test]
    fn ep107_missing_preamble() {
        let text = plan("").replace(PREAMBLE, "This plan adds a cache.");
        assert_eq!(of("EP107", &codes(&text)), [1]);
    }

    #[test]
    fn ep108_plans_md_path() {
        let root = Path::new("/repo");
        let plans_md = Path::new("/repo/.agent/PLANS.md");
        let plan_path = Path::new("/repo/.agent/plans/cache.md");
        let with = |text: &str| {
            codes_with(text, |ctx| {
                ctx.workspace_root = Some(root);
                ctx.plans_md = Some(plans_md);
                ctx.plan_path = Some(plan_path);
            })
        };
        // Not named at all.
        assert_eq!(of("EP108", &with(&plan(""))), [1]);
        // Named from the root, or relative to the plan: fine.
        let named = plan("").replace(
            PREAMBLE,
            &format!("{PREAMBLE} It is maintained in accordance with `.agent/PLANS.md`."),
        );
        assert!(of("EP108", &with(&named)).is_empty());
        let relative = plan("").replace(
            PREAMBLE,
            &format!("{PREAMBLE} It follows [PLANS.md](../PLANS.md)."),
        );
        assert!(of("EP108", &with(&relative)).is_empty());
        // An absolute sandbox path does not resolve.
        let sandbox = plan("").replace(
            PREAMBLE,
            &format!("{PREAMBLE}\nIt follows `/home/agent/work/.agent/PLANS.md`."),
        );
        assert_eq!(of("EP108", &with(&sandbox)), [4]);
        // Without a PLANS.md in the repository, nothing to check.
        assert!(of("EP108", &codes(&plan(""))).is_empty());
    }

    #[test]
    fn ep109_empty_section() {
        let text = plan("").replace("Every step can be repeated.", "");
        let line = text
            .lines()
            .position(|l| l == "## Idempotence and Recovery")
            .unwrap()
            + 1;
        assert_eq!(of("EP109", &codes(&text)), [line]);
        // A section holding only subsections is not empty.
        let parent = plan("## Milestones\n\n### Milestone 1\n\nBuild it.\n");
        assert!(of("EP109", &codes(&parent)).is_empty());
    }

    #[test]
    fn ep110_template_text() {
        let text = plan("").replace(
            "Users get answers faster.",
            "<Short, action-oriented description>",
        );
        assert_eq!(of("EP110", &codes(&text)).len(), 1);
        let ellipsis = plan("").replace(
            "- Observation: Reads dominate.\n  Evidence: 98% of requests are GETs.",
            "- Observation: …",
        );
        assert!(!of("EP110", &codes(&ellipsis)).is_empty());
        let guidance = plan("").replace(
            "The tests pass.",
            "Describe how to start or exercise the system and what to observe.",
        );
        assert_eq!(of("EP110", &codes(&guidance)).len(), 1);
        let stamp = plan("").replace("- [ ] Measure it.", "- [x] (YYYY-MM-DD HH:MMZ) Measure it.");
        assert_eq!(of("EP110", &codes(&stamp)).len(), 1);
        // Angle brackets in code, autolinks and HTML are not placeholders.
        let fine = plan("").replace(
            "Users get answers faster.",
            "Files are named `<stem>.hevc`, see <https://localhost/x> and <br>.",
        );
        assert!(of("EP110", &codes(&fine)).is_empty(), "{:?}", codes(&fine));
    }
}
