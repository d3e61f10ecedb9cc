//! Reading a team's skeleton out of its PLANS.md, in each form real PLANS.md
//! files write it:
//!
//! - a block (fenced or indented) of `##` headings under a heading that
//!   says what it is (skeleton, template, format, structure, "copy for new
//!   plan"), or introduced by a prose line ending in a colon ("Plans follow
//!   this skeleton:"), or, failing both, the one block of the file with the
//!   most `##` headings (so a PLANS.md in any language is read);
//! - required sections written as real headings one level below a
//!   "Required sections"-like heading, or as a list under it;
//! - a template written inline as real headings: a placeholder H1
//!   (`# <Short title>`) followed by its `##` sections.
//!
//! A template (a block or an inline one) gives its sections in the order a
//! plan copies; a list of required sections gives an order only when the
//! file says so ("in this order"). A section marked optional (in its heading
//! or in the first line of its body) is never required.

use super::sections::{Recognition, normalize, recognise};
use super::skeleton::{Skeleton, SkeletonForm, SkeletonSection, TemplateShape};

/// The fewest sections a skeleton has: two headings are an example, not a
/// plan's shape.
const MIN_SECTIONS: usize = 3;

/// What one line of the PLANS.md is, outside or inside code.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Line<'a> {
    Blank,
    /// A real heading of the PLANS.md.
    Heading {
        level: usize,
        text: &'a str,
    },
    /// A list item of the PLANS.md itself (not in code).
    ListItem(&'a str),
    Prose(&'a str),
    /// A line inside code block number `block`, without its indentation.
    Code {
        block: usize,
        text: &'a str,
    },
    /// A fence line (opening or closing) of block `block`.
    Fence {
        block: usize,
    },
}

fn heading_of(trimmed: &str) -> Option<(usize, &str)> {
    let level = trimmed.chars().take_while(|c| *c == '#').count();
    if !(1..=6).contains(&level) {
        return None;
    }
    let rest = &trimmed[level..];
    if !(rest.is_empty() || rest.starts_with([' ', '\t'])) {
        return None;
    }
    let text = rest.trim().trim_end_matches('#').trim();
    Some((level, text))
}

fn list_item(trimmed: &str) -> Option<&str> {
    if let Some(rest) = trimmed.strip_prefix(['-', '*', '+'])
        && rest.starts_with([' ', '\t'])
    {
        return Some(rest.trim());
    }
    let digits = trimmed.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 && digits < 4 {
        let rest = &trimmed[digits..];
        if let Some(rest) = rest.strip_prefix(['.', ')'])
            && rest.starts_with([' ', '\t'])
        {
            return Some(rest.trim());
        }
    }
    None
}

/// Classifies every line: fences and indented blocks become code lines of
/// numbered blocks; the rest is the PLANS.md's own structure.
fn classify(text: &str) -> Vec<Line<'_>> {
    let mut out = Vec::new();
    let mut fence: Option<(char, usize, usize)> = None; // marker, length, block
    let mut blocks = 0usize;
    // The block an indented run belongs to, while it lasts.
    let mut indented: Option<usize> = None;
    // Whether the previous non-blank line was a list item or its
    // continuation: indented text after it continues the item.
    let mut in_list = false;
    let mut previous_blank = true;
    for raw in text.lines() {
        let line = raw.trim_end_matches('\r');
        let trimmed = line.trim_start();
        let indent: usize = line[..line.len() - trimmed.len()]
            .chars()
            .map(|c| if c == '\t' { 4 } else { 1 })
            .sum();
        if let Some((marker, length, block)) = fence {
            let run = trimmed.chars().take_while(|c| *c == marker).count();
            if indent < 4 && run >= length && trimmed[run * marker.len_utf8()..].trim().is_empty() {
                fence = None;
                out.push(Line::Fence { block });
            } else {
                out.push(Line::Code {
                    block,
                    text: trimmed,
                });
            }
            continue;
        }
        if trimmed.is_empty() {
            out.push(Line::Blank);
            previous_blank = true;
            continue;
        }
        if indent >= 4 && !in_list && (previous_blank || indented.is_some()) {
            let block = *indented.get_or_insert_with(|| {
                blocks += 1;
                blocks
            });
            out.push(Line::Code {
                block,
                text: trimmed,
            });
            previous_blank = false;
            continue;
        }
        indented = None;
        previous_blank = false;
        let marker = trimmed.chars().next().unwrap_or(' ');
        if indent < 4 && (marker == '`' || marker == '~') {
            let run = trimmed.chars().take_while(|c| *c == marker).count();
            if run >= 3 {
                blocks += 1;
                fence = Some((marker, run, blocks));
                out.push(Line::Fence { block: blocks });
                in_list = false;
                continue;
            }
        }
        if let Some((level, text)) = heading_of(trimmed) {
            in_list = false;
            out.push(Line::Heading { level, text });
        } else if let Some(item) = list_item(trimmed) {
            in_list = true;
            out.push(Line::ListItem(item));
        } else {
            if indent == 0 {
                in_list = false;
            }
            out.push(Line::Prose(trimmed));
        }
    }
    out
}

/// Words that say a heading introduces the plans' shape.
const SHAPE_WORDS: [&str; 14] = [
    "skeleton",
    "template",
    "format",
    "structure",
    "outline",
    "copy for new plan",
    "plantilla",
    "estructura",
    "formato",
    "modèle",
    "vorlage",
    "テンプレート",
    "模板",
    "结构",
];

/// Words that, with "section", say a heading lists the required sections.
const REQUIRED_WORDS: [&str; 7] = [
    "required",
    "mandatory",
    "must",
    "every",
    "obligatori",
    "requerid",
    "必須",
];

fn is_shape_heading(text: &str) -> bool {
    let lower = text.to_lowercase();
    SHAPE_WORDS.iter().any(|w| lower.contains(w))
}

/// A heading under which sections are listed (as subheadings or a list):
/// "Required sections", "Skeleton", "Template" (not "Formatting", whose
/// subheadings and bullets are rules, not sections).
fn is_sections_heading(text: &str) -> bool {
    let lower = text.to_lowercase();
    let sections = lower.contains("section") || lower.contains("secci") || lower.contains("章");
    (sections && REQUIRED_WORDS.iter().any(|w| lower.contains(w)))
        || ["skeleton", "template", "structure", "outline"]
            .iter()
            .any(|w| lower.contains(w))
}

/// Phrases that state the sections' order.
const ORDER_PHRASES: [&str; 9] = [
    "in this order",
    "in the following order",
    "in the order",
    "in that order",
    "same order",
    "en este orden",
    "en el siguiente orden",
    "この順",
    "按此顺序",
];

fn states_order(text: &str) -> bool {
    let lower = text.to_lowercase();
    !lower.contains("any order") && ORDER_PHRASES.iter().any(|p| lower.contains(p))
}

/// Markers of an optional section, in its heading or its body's first line.
const OPTIONAL_WORDS: [&str; 9] = [
    "optional",
    "if applicable",
    "if needed",
    "when applicable",
    "opcional",
    "optionnel",
    "任意",
    "可选",
    "オプション",
];

fn says_optional(text: &str) -> bool {
    let lower = text.to_lowercase();
    OPTIONAL_WORDS.iter().any(|w| lower.contains(w))
}

/// A section name without its optional marker: `Artifacts and Notes
/// (optional)` → `Artifacts and Notes`, `Risks — optional` → `Risks`.
fn strip_optional(name: &str) -> String {
    let mut s = name.trim().to_string();
    loop {
        let before = s.clone();
        if s.ends_with(')') || s.ends_with(']') || s.ends_with('）') {
            let open = s.rfind(['(', '[', '（']);
            if let Some(open) = open
                && says_optional(&s[open..])
            {
                s.truncate(open);
            }
        }
        for sep in [" - ", " — ", " – ", ": "] {
            if let Some((head, tail)) = s.rsplit_once(sep)
                && says_optional(tail)
                && !head.trim().is_empty()
            {
                s = head.to_string();
            }
        }
        for prefix in ["optional:", "(optional)", "optional -"] {
            if s.get(..prefix.len())
                .is_some_and(|head| head.eq_ignore_ascii_case(prefix))
            {
                s = s[prefix.len()..].to_string();
            }
        }
        s = s.trim().trim_matches(['*', '_']).trim().to_string();
        if s == before {
            return s;
        }
    }
}

/// One section as a skeleton writes it, with the first line of its body.
fn section(name: &str, body_first_line: Option<&str>) -> Option<SkeletonSection> {
    // A marker (`(optional)`, `— optional`, `Optional:`), not a name that
    // merely contains the word (`Optional Dependencies`).
    let stripped = strip_optional(name);
    let optional = stripped != name.trim()
        || body_first_line.is_some_and(|l| {
            let l = l
                .trim_start_matches(['*', '_', '(', '[', '<', '>', ' '])
                .to_lowercase();
            OPTIONAL_WORDS.iter().any(|w| l.starts_with(w))
        });
    let clean = stripped;
    if clean.is_empty() {
        return None;
    }
    // A section the team names is a canonical one only by one of that
    // section's own names: under a team's own skeleton, `Scope` is the
    // team's section, not a synonym of Purpose.
    let kind = match recognise(&clean) {
        Some((kind, Recognition::Named)) => Some(kind),
        _ => None,
    };
    let reads_as = recognise(&clean).map(|(kind, _)| kind);
    Some(SkeletonSection {
        kind,
        reads_as,
        name: clean,
        optional,
        checklist: None,
    })
}

/// Adds `s` unless the skeleton already has that section. A heading that
/// names a section the skeleton already has only by a synonym (`Testing`
/// after `Validation and Acceptance`) is a section of the team's own.
fn push(sections: &mut Vec<SkeletonSection>, mut s: SkeletonSection) {
    let key = normalize(&s.name);
    if s.kind.is_some()
        && matches!(
            super::sections::recognise(&s.name),
            Some((_, super::sections::Recognition::Synonym))
        )
        && sections.iter().any(|t| t.kind == s.kind)
    {
        s.kind = None;
    }
    let duplicate = sections
        .iter()
        .any(|t| (s.kind.is_some() && t.kind == s.kind) || normalize(&t.name) == key);
    if !duplicate {
        sections.push(s);
    }
}

/// A list item with a checkbox: `- [ ] step`, `1. [x] done`.
fn is_checkbox_item(trimmed: &str) -> bool {
    list_item(trimmed).is_some_and(|rest| ["[ ]", "[x]", "[X]"].iter().any(|b| rest.starts_with(b)))
}

/// Words of a template's text before its first section that say the plan
/// is a living document, in the languages PLANS.md files are written in.
const LIVING_WORDS: [&str; 6] = [
    "living document",
    "documento vivo",
    "document vivant",
    "lebendes dokument",
    "生きた",
    "活文档",
];

/// What a template's text between its title and its first section shows.
fn preamble_shape(text: &str) -> (bool, bool) {
    let lower = text.to_lowercase();
    let living = LIVING_WORDS.iter().any(|w| lower.contains(w))
        || (lower.contains("progress") && lower.contains("decision"));
    (living, lower.contains("plans.md"))
}

/// The `##` sections written inside code block `block`, with the line
/// (from 1) of the first, and what the block shows of a plan's form.
fn block_sections(
    lines: &[Line<'_>],
    block: usize,
) -> (Vec<SkeletonSection>, usize, TemplateShape) {
    let mut sections = Vec::new();
    let mut first = 0;
    // (line index, text, whether the next line of the block is blank)
    let code: Vec<(usize, &str)> = lines
        .iter()
        .enumerate()
        .filter_map(|(i, l)| match l {
            Line::Code { block: b, text } if *b == block => Some((i, *text)),
            _ => None,
        })
        .collect();
    let mut blank_after_headings = true;
    let mut title = false;
    let mut before_first = Vec::new();
    for (n, (i, text)) in code.iter().enumerate() {
        let heading = heading_of(text);
        if sections.is_empty() && first == 0 {
            match heading {
                Some((1, _)) => title = true,
                Some(_) => {}
                None => before_first.push(*text),
            }
        }
        let Some((2, name)) = heading else {
            continue;
        };
        if matches!(lines.get(i + 1), Some(Line::Code { block: b, text }) if *b == block && !text.trim().is_empty())
        {
            blank_after_headings = false;
        }
        let body: Vec<&str> = code[n + 1..]
            .iter()
            .map(|(_, t)| t.trim())
            .take_while(|t| !matches!(heading_of(t), Some((l, _)) if l <= 2))
            .collect();
        let body_first = body
            .iter()
            .copied()
            .take_while(|t| heading_of(t).is_none())
            .find(|t| !t.is_empty());
        if let Some(mut s) = section(name, body_first) {
            s.checklist = Some(body.iter().any(|t| is_checkbox_item(t)));
            if sections.is_empty() {
                first = i + 1;
            }
            push(&mut sections, s);
        }
    }
    let (living_sentence, names_plans_md) = if title {
        preamble_shape(&before_first.join(" "))
    } else {
        // No title: the block shows no preamble to follow.
        (true, true)
    };
    let shape = TemplateShape {
        living_sentence,
        names_plans_md,
        blank_after_headings,
    };
    (sections, first, shape)
}

/// The code blocks that start within `range` of lines, in order.
fn blocks_in(lines: &[Line<'_>], range: std::ops::Range<usize>) -> Vec<usize> {
    let mut out: Vec<usize> = Vec::new();
    for line in &lines[range] {
        if let Line::Code { block, .. } | Line::Fence { block } = line
            && !out.contains(block)
        {
            out.push(*block);
        }
    }
    out
}

fn skeleton(
    sections: Vec<SkeletonSection>,
    form: SkeletonForm,
    line: usize,
    ordered: bool,
) -> Option<Skeleton> {
    (sections.len() >= MIN_SECTIONS).then_some(Skeleton {
        sections,
        custom: true,
        ordered,
        form,
        line,
        template: None,
    })
}

/// The text of lines `range` that is the PLANS.md's own prose and items.
fn prose_of(lines: &[Line<'_>], range: std::ops::Range<usize>) -> String {
    lines[range]
        .iter()
        .filter_map(|l| match l {
            Line::Prose(t) | Line::ListItem(t) => Some(*t),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Under the heading at line `at`: a block of `##` headings, else real
/// subheadings one level down, else a list of section names.
fn under_heading(lines: &[Line<'_>], at: usize, level: usize, text: &str) -> Option<Skeleton> {
    let end = lines[at + 1..]
        .iter()
        .position(|l| matches!(l, Line::Heading { level: l2, .. } if *l2 <= level))
        .map_or(lines.len(), |p| at + 1 + p);
    if is_shape_heading(text) || is_sections_heading(text) {
        for block in blocks_in(lines, at + 1..end) {
            let (sections, first, shape) = block_sections(lines, block);
            if let Some(s) = skeleton(sections, SkeletonForm::Block, first, true) {
                return Some(s.with_template(shape));
            }
        }
    }
    if !is_sections_heading(text) {
        return None;
    }
    let ordered = states_order(&prose_of(lines, at + 1..end));
    // Real subheadings one level down.
    let mut sections = Vec::new();
    let mut first = 0;
    for i in at + 1..end {
        let Line::Heading {
            level: l,
            text: name,
        } = lines[i]
        else {
            continue;
        };
        if l != level + 1 {
            continue;
        }
        let body = lines[i + 1..end]
            .iter()
            .take_while(|l| !matches!(l, Line::Heading { .. }))
            .find_map(|l| match l {
                Line::Prose(t) | Line::ListItem(t) => Some(*t),
                _ => None,
            });
        if let Some(s) = section(name, body) {
            if sections.is_empty() {
                first = i + 1;
            }
            push(&mut sections, s);
        }
    }
    if let Some(s) = skeleton(sections, SkeletonForm::Headings, first, ordered) {
        return Some(s);
    }
    // The first list under the heading, if its items are section names.
    let mut sections = Vec::new();
    let mut first = 0;
    let mut started = false;
    for (i, line) in lines.iter().enumerate().take(end).skip(at + 1) {
        match line {
            Line::ListItem(item) => {
                started = true;
                // A section name is short and is not a sentence.
                let name = item.trim_matches(['`', '*', '_']);
                let words = name.split_whitespace().count();
                if words == 0 || words > 8 || name.ends_with('.') {
                    return None;
                }
                if let Some(s) = section(name, None) {
                    if sections.is_empty() {
                        first = i + 1;
                    }
                    push(&mut sections, s);
                }
            }
            Line::Blank => {}
            _ if started => break,
            _ => {}
        }
    }
    skeleton(sections, SkeletonForm::List, first, ordered)
}

impl Skeleton {
    /// The skeleton in a PLANS.md, in whichever form it is written; `None`
    /// when no skeleton can be read from it (the canonical one applies).
    pub fn from_plans_md(text: &str) -> Option<Skeleton> {
        let lines = classify(text);
        // 1. Under a heading that says what follows.
        for (i, line) in lines.iter().enumerate() {
            if let Line::Heading { level, text } = line
                && let Some(s) = under_heading(&lines, i, *level, text)
            {
                return Some(s);
            }
        }
        // 2. A block introduced by prose: "Plans follow this skeleton:".
        for (i, line) in lines.iter().enumerate() {
            let Line::Prose(t) = line else { continue };
            if !(t.ends_with(':') || t.ends_with('：'))
                || !(is_shape_heading(t) || says_sections(t))
            {
                continue;
            }
            let next = lines[i + 1..].iter().find(|l| **l != Line::Blank);
            if let Some(Line::Code { block, .. } | Line::Fence { block }) = next {
                let (sections, first, shape) = block_sections(&lines, *block);
                if let Some(s) = skeleton(sections, SkeletonForm::Block, first, true) {
                    return Some(s.with_template(shape));
                }
            }
        }
        // 3. A template written inline: a placeholder H1 and its sections.
        let mut seen_title = false;
        for (i, line) in lines.iter().enumerate() {
            let Line::Heading { level: 1, text } = line else {
                continue;
            };
            if !seen_title {
                seen_title = true;
                if !is_placeholder(text) {
                    continue;
                }
            }
            if !is_placeholder(text) {
                continue;
            }
            let mut sections = Vec::new();
            let mut first = 0;
            let mut before_first = Vec::new();
            let mut blank_after_headings = true;
            for (j, l) in lines.iter().enumerate().skip(i + 1) {
                match l {
                    Line::Heading { level: 1, .. } => break,
                    Line::Heading { level: 2, text } => {
                        let body: Vec<&Line<'_>> = lines[j + 1..]
                            .iter()
                            .take_while(
                                |l| !matches!(l, Line::Heading { level, .. } if *level <= 2),
                            )
                            .collect();
                        if !matches!(lines.get(j + 1), None | Some(Line::Blank)) {
                            blank_after_headings = false;
                        }
                        let body_first = body
                            .iter()
                            .take_while(|l| !matches!(l, Line::Heading { .. }))
                            .find_map(|l| match l {
                                Line::Prose(t) | Line::ListItem(t) => Some(*t),
                                _ => None,
                            });
                        if let Some(mut s) = section(text, body_first) {
                            s.checklist = Some(body.iter().any(|l| {
                                matches!(l, Line::ListItem(t) if ["[ ]", "[x]", "[X]"].iter().any(|b| t.starts_with(b)))
                            }));
                            if sections.is_empty() {
                                first = j + 1;
                            }
                            push(&mut sections, s);
                        }
                    }
                    Line::Prose(t) | Line::ListItem(t) if first == 0 => before_first.push(*t),
                    _ => {}
                }
            }
            let (living_sentence, names_plans_md) = preamble_shape(&before_first.join(" "));
            let shape = TemplateShape {
                living_sentence,
                names_plans_md,
                blank_after_headings,
            };
            if let Some(s) = skeleton(sections, SkeletonForm::InlineTemplate, first, true) {
                return Some(s.with_template(shape));
            }
        }
        // 4. The block with the most `##` headings, whatever surrounds it.
        let count = lines
            .iter()
            .filter_map(|l| match l {
                Line::Code { block, .. } | Line::Fence { block } => Some(*block),
                _ => None,
            })
            .max()
            .unwrap_or(0);
        (1..=count)
            .map(|b| block_sections(&lines, b))
            .filter(|(s, _, _)| s.len() >= MIN_SECTIONS)
            .max_by(|a, b| a.0.len().cmp(&b.0.len()).then(b.1.cmp(&a.1)))
            .and_then(|(sections, first, shape)| {
                skeleton(sections, SkeletonForm::Block, first, true).map(|s| s.with_template(shape))
            })
    }
}

fn says_sections(text: &str) -> bool {
    let lower = text.to_lowercase();
    lower.contains("section") || lower.contains("heading")
}

/// `<Short, action-oriented title>`, `ExecPlan: <title>`, `[Title]`.
fn is_placeholder(text: &str) -> bool {
    matches!((text.find('<'), text.rfind('>')), (Some(a), Some(b)) if a < b)
        || (text.starts_with('[') && text.ends_with(']'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(s: &Skeleton) -> Vec<&str> {
        s.sections.iter().map(|s| s.name.as_str()).collect()
    }

    #[test]
    fn an_indented_block_under_a_skeleton_heading() {
        let text = "# Plans\n\nIntro.\n\n## Skeleton of a Good ExecPlan\n\n    # <Title>\n\n    ## Purpose / Big Picture\n\n    Say why.\n\n    ## Progress\n\n    ## Decision Log\n\n    ## Outcomes & Retrospective\n\n## After\n";
        let s = Skeleton::from_plans_md(text).unwrap();
        assert_eq!(
            names(&s),
            [
                "Purpose / Big Picture",
                "Progress",
                "Decision Log",
                "Outcomes & Retrospective"
            ]
        );
        assert_eq!(s.form, SkeletonForm::Block);
        assert_eq!(s.line, 9);
        assert!(s.ordered);
    }

    #[test]
    fn a_fenced_template_under_copy_for_new_plan() {
        let text = "# Plans\n\n## Rules\n\n- Keep it short.\n\n## Plan template (copy for new plan)\n\n```markdown\n# Plan: <title>\n\n## Progress\n\n- [ ] step\n\n## Surprises & Discoveries\n\n## Decision Log\n\n## Outcomes & Retrospective\n\n## Purpose / Big Picture\n\n## Plan of Work\n```\n";
        let s = Skeleton::from_plans_md(text).unwrap();
        assert_eq!(
            names(&s),
            [
                "Progress",
                "Surprises & Discoveries",
                "Decision Log",
                "Outcomes & Retrospective",
                "Purpose / Big Picture",
                "Plan of Work"
            ]
        );
        assert_eq!(s.line, 12);
    }

    #[test]
    fn a_block_introduced_only_by_prose() {
        let text = "# How we plan\n\nPlans follow this skeleton:\n\n    ## Goal\n\n    ## Progress\n\n    ## Decision Log\n\n    ## Risks\n\nThat is all.\n";
        let s = Skeleton::from_plans_md(text).unwrap();
        assert_eq!(names(&s), ["Goal", "Progress", "Decision Log", "Risks"]);
        assert_eq!(s.line, 5);
    }

    #[test]
    fn required_sections_as_real_subheadings_in_a_stated_order() {
        let text = "# Plans\n\n## Required sections\n\nEvery plan has all of the following, in this order.\n\n### Purpose and big picture\n\nWhy.\n\n### Progress\n\nSteps.\n\n### Decision log\n\nDecisions.\n\n### Risks\n\nOptional: what may go wrong.\n\n## Style\n\n### Prose\n";
        let s = Skeleton::from_plans_md(text).unwrap();
        assert_eq!(
            names(&s),
            [
                "Purpose and big picture",
                "Progress",
                "Decision log",
                "Risks"
            ]
        );
        assert_eq!(s.form, SkeletonForm::Headings);
        assert!(s.ordered);
        assert_eq!(s.line, 7);
        assert!(s.sections[3].optional && !s.sections[1].optional);
        // Without the sentence, no order is stated.
        let unordered = text.replace(", in this order", "");
        assert!(!Skeleton::from_plans_md(&unordered).unwrap().ordered);
    }

    #[test]
    fn required_sections_as_a_list() {
        let text = "# Standard\n\n## Required Plan Sections\n- Purpose / Big Picture\n- Progress\n- Testing Approach\n- Artifacts and Notes (optional)\n\n## Other\n";
        let s = Skeleton::from_plans_md(text).unwrap();
        assert_eq!(
            names(&s),
            [
                "Purpose / Big Picture",
                "Progress",
                "Testing Approach",
                "Artifacts and Notes"
            ]
        );
        assert_eq!(s.form, SkeletonForm::List);
        assert!(!s.ordered);
        assert!(s.sections[3].optional);
        // Bullets that are sentences are rules, not sections.
        let rules = "# Standard\n\n## Plan template rules\n- Write prose first.\n- Keep every step small.\n- Use UTC.\n";
        assert_eq!(Skeleton::from_plans_md(rules), None);
    }

    #[test]
    fn a_synonym_beside_the_sections_own_name_is_the_teams_section() {
        let text = "# PLANS.md\n\n## ExecPlan skeleton\n\n    ## Progress\n    ## Validation and Acceptance\n    ## Testing\n";
        let s = Skeleton::from_plans_md(text).unwrap();
        assert_eq!(
            names(&s),
            ["Progress", "Validation and Acceptance", "Testing"]
        );
        assert_eq!(
            s.sections[1].kind,
            Some(crate::model::SectionKind::Validation)
        );
        assert_eq!(s.sections[2].kind, None);
    }

    #[test]
    fn an_inline_template_of_real_headings() {
        let text = "# PLANS.md\n\n## Rules\n\nBe brief.\n\n## ExecPlan skeleton\n\n# <Short title>\n\n## Purpose\n\nWhy.\n\n## Scope\n\nWhat.\n\n## Progress\n\nSteps.\n\n## Decision Log\n\nWhy so.\n";
        let s = Skeleton::from_plans_md(text).unwrap();
        assert_eq!(names(&s), ["Purpose", "Scope", "Progress", "Decision Log"]);
        assert_eq!(s.form, SkeletonForm::InlineTemplate);
    }

    #[test]
    fn a_block_in_another_language_under_any_heading() {
        let text = "# Planes vivos\n\n## Formato obligatorio\n\nCopiar esta estructura:\n\n```markdown\n# Plan — <resultado>\n\n## Propósito\n\n<Valor.>\n\n## Avance\n\n- [ ] <paso>\n\n## Hallazgos\n\n## Riesgos (opcional)\n```\n";
        let s = Skeleton::from_plans_md(text).unwrap();
        assert_eq!(names(&s), ["Propósito", "Avance", "Hallazgos", "Riesgos"]);
        assert!(s.sections[3].optional);
        // Under a heading that names nothing, the one block of sections is read.
        let bare = text
            .replace("## Formato obligatorio", "## Uso")
            .replace("Copiar esta estructura:", "Así.");
        assert_eq!(names(&Skeleton::from_plans_md(&bare).unwrap()).len(), 4);
    }

    #[test]
    fn what_is_not_a_skeleton() {
        // Two headings are an example; formatting rules are not sections.
        assert_eq!(
            Skeleton::from_plans_md("# Plans\n\n    ## Progress\n    ## Decision Log\n"),
            None
        );
        let formatting = "# Plans\n\n## Formatting\n\n### Headings\n\nATX.\n\n### Lists\n\nDashes.\n\n### Fences\n\nNone.\n";
        assert_eq!(Skeleton::from_plans_md(formatting), None);
        assert_eq!(Skeleton::from_plans_md(""), None);
        // Indented lines continuing a list item are not a code block.
        let list = "# Plans\n\n- item\n\n    ## One\n    ## Two\n    ## Three\n";
        assert_eq!(Skeleton::from_plans_md(list), None);
    }

    #[test]
    fn optional_markers_are_stripped() {
        assert_eq!(
            strip_optional("Artifacts and Notes (optional)"),
            "Artifacts and Notes"
        );
        assert_eq!(strip_optional("Risks — optional"), "Risks");
        assert_eq!(strip_optional("Optional: Risks"), "Risks");
        assert_eq!(strip_optional("Decision Log"), "Decision Log");
        // A name with the word in it is not marked optional.
        let named = section("Optional Dependencies", None).unwrap();
        assert!(!named.optional && named.name == "Optional Dependencies");
        let marked = section("Risks *(optional)*", None).unwrap();
        assert!(marked.optional && marked.name == "Risks", "{marked:?}");
        assert!(
            section("Notes", Some("_Optional._ Anything else."))
                .unwrap()
                .optional
        );
    }
}
