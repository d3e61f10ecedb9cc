//! EP1xx: the plan's structure — sections, title, preamble, template text.

use super::Code;
use std::path::{Component, Path, PathBuf};
use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, MatchKind};

use super::{RuleCx, TextFinding, placeholders};
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
    unread_skeleton(cx);
}

/// EP111: the repository has a PLANS.md, but no skeleton could be read from
/// it, so the plan is checked against the canonical skeleton; said on the
/// plan, rather than only by `explain-config`.
fn unread_skeleton(cx: &mut RuleCx<'_>) {
    let Some(problem) = cx.ctx.skeleton_problem else {
        return;
    };
    if cx.ctx.skeleton.custom {
        return;
    }
    cx.report(
        Code::EP111,
        cx.anchor(),
        format!(
            "The sections are checked against the canonical skeleton: {problem}. Write the team's sections in PLANS.md as a block of `##` headings (or as headings under a `Required sections` heading) to have plans checked against them."
        ),
    );
}

/// Whether a word is written in Latin letters.
fn latin(text: &str) -> bool {
    let letters: Vec<char> = text.chars().filter(|c| c.is_alphabetic()).collect();
    !letters.is_empty()
        && letters
            .iter()
            .filter(|c| c.is_ascii_alphabetic() || ('\u{c0}'..='\u{24f}').contains(c))
            .count()
            * 2
            > letters.len()
}

/// Whether most of the plan's section headings are in another script than
/// most of the team's section names (Latin against CJK, Cyrillic, ...).
fn written_in_other_script(model: &PlanModel, skeleton: &Skeleton) -> bool {
    let headings: Vec<bool> = model
        .sections
        .iter()
        .map(|s| latin(&model.heading_of(s).text))
        .collect();
    let names: Vec<bool> = skeleton.sections.iter().map(|s| latin(&s.name)).collect();
    let mostly = |v: &[bool]| v.iter().filter(|l| **l).count() * 2 > v.len();
    !headings.is_empty() && mostly(&names) != mostly(&headings)
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
    // A plan whose headings are written in another script than the team's
    // own section names (a Chinese plan under an English PLANS.md) cannot
    // be compared with them by name: those are not reported missing. The
    // skeleton's sections are still found through their translations.
    let other_script = skeleton.custom && written_in_other_script(cx.model, skeleton);
    for (index, wanted) in skeleton.sections.iter().enumerate() {
        // A section the team marks optional is never missing.
        if wanted.optional || skeleton.is_present(cx.model, index) {
            continue;
        }
        if other_script && wanted.kind.is_none() && wanted.reads_as.is_none() {
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
                Code::EP101,
                anchor.clone(),
                format!(
                    "Missing living section `## {name}`: Progress, Surprises & Discoveries, Decision Log and Outcomes & Retrospective must be kept up to date in every plan. Add it{after}."
                ),
                fix,
            );
        } else {
            cx.report_fix(
                Code::EP102,
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
/// author can write the retrospective (EP209 then asks for it); nor is
/// inserting Progress in a plan that has checklists elsewhere.
fn insert_section(model: &PlanModel, text: &str, skeleton: &Skeleton, index: usize) -> Option<Fix> {
    let le = line_ending(text);
    let wanted = &skeleton.sections[index];
    let name = wanted.heading();
    // The body fits what the heading will be read as: a team's own
    // `Progress Notes` is a Progress section to the rules, unless the plan
    // already has one (then the new heading is only the team's section).
    let read_as = wanted
        .kind
        .or_else(|| SectionKind::from_heading(name).filter(|&kind| !model.has_section(kind)));
    let body = new_section_body(read_as);
    let block = format!("## {name}{le}{le}{body}{le}{le}");
    let kept: Vec<(usize, usize)> = ordered_sections(model, skeleton);
    let edit = insert_section_before(text, model, &block, |s| {
        kept.iter()
            .any(|&(i, heading)| heading == s.heading && i > index)
    })?;
    let mut items = model.progress_items().peekable();
    let all_done = items.peek().is_some() && items.all(|i| i.state == CheckState::Checked);
    let title = format!("Add `## {name}`");
    // A plan with checklists but no Progress keeps its progress somewhere
    // (task sections, a Progress in its own language): a new, empty Progress
    // beside them is a guess, and would make those checklists EP202's.
    let progress_elsewhere = read_as == Some(SectionKind::Progress) && !model.checkboxes.is_empty();
    Some(
        if progress_elsewhere || (all_done && read_as == Some(SectionKind::Outcomes)) {
            Fix::unsafe_(title, vec![edit])
        } else {
            Fix::safe(title, vec![edit])
        },
    )
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
        let index = skeleton.index_of(model, section);
        // A section named by a synonym is present, but not placed, unless
        // the heading is the team's own name for a section of its skeleton
        // (a team's `Goal` is placed where the team puts it).
        let team_named = index.is_some_and(|i| skeleton.sections[i].kind.is_none());
        if section.by_synonym && !team_named {
            continue;
        }
        if let Some(index) = index
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
    // A team's list of required sections that states no order has none.
    if !skeleton.ordered {
        return;
    }
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
            Code::EP103,
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

/// EP104: a known section whose heading is not spelled the way the
/// skeleton spells it: the team's spelling when its PLANS.md has the
/// section, the canonical one otherwise. A team's own section is matched
/// loosely (case, `and` for `&`) and gets the team's spelling too. The
/// rename is not safe when a sibling (same level and parent) is the same
/// section under another name (`#### Validation` beside `#### Acceptance
/// Criteria`): renaming would make two identical headings out of two the
/// team tells apart. Nor is renaming a heading that names its section by a
/// synonym (`Verification Plan`): the rename is a reading of what the team
/// meant, and the canonical name brings the section under the rules about
/// its place and content, which it was not judged by.
fn section_spelling(cx: &mut RuleCx<'_>) {
    let skeleton = cx.ctx.skeleton;
    for (i, section) in cx.model.sections.iter().enumerate() {
        let heading = cx.model.heading_of(section);
        // A team's own section first: its heading may also read as a
        // synonym of a canonical section (`Goal`), but the team's name wins.
        let team_section = skeleton
            .index_of(cx.model, section)
            .filter(|&i| skeleton.sections[i].kind.is_none());
        let (what, wanted) = match (team_section, section.kind) {
            (Some(i), _) => (
                skeleton.sections[i].heading(),
                skeleton.sections[i].heading(),
            ),
            (None, Some(kind)) => (kind.canonical_name(), skeleton.spelling_of(kind)),
            (None, None) => continue,
        };
        if heading.text != wanted {
            let whose = if skeleton.custom {
                "the skeleton in PLANS.md"
            } else {
                "the skeleton"
            };
            let twin = cx.model.sections.iter().enumerate().any(|(j, s)| {
                j != i
                    && s.kind.is_some()
                    && s.kind == section.kind
                    && s.level == section.level
                    && s.parent == section.parent
            });
            let title = format!("Rename to `{wanted}`");
            let edits = vec![Edit::replace(heading.text_span.clone(), wanted)];
            cx.report_fix(
                Code::EP104,
                heading.text_span.clone(),
                format!(
                    "`{}` is the {what} section; {whose} spells it `{wanted}`.",
                    heading.text
                ),
                Some(if twin || section.by_synonym {
                    Fix::unsafe_(title, edits)
                } else {
                    Fix::safe(title, edits)
                }),
            );
        }
    }
}

/// EP105: the same section twice at the top level. A subheading nested
/// under another section (`#### Acceptance Criteria` after `#### Validation`
/// inside a milestone) is part of that section, not a second one.
fn duplicate_sections(cx: &mut RuleCx<'_>) {
    let sections = &cx.model.sections;
    for (i, section) in sections.iter().enumerate() {
        let Some(kind) = section.kind else { continue };
        if section.parent.is_some() {
            continue;
        }
        // A team skeleton with two sections of this kind (`Validation
        // commands` and `Acceptance criteria`) asks for both.
        let skeleton = cx.ctx.skeleton;
        if skeleton.custom
            && skeleton
                .sections
                .iter()
                .filter(|s| s.kind.or(s.reads_as) == Some(kind))
                .count()
                > 1
        {
            continue;
        }
        let first = sections[..i].iter().find(|s| {
            s.kind == Some(kind) && s.level == section.level && s.parent == section.parent
        });
        if let Some(first) = first {
            let line = crate::analysis::line_number(cx.text, first.span.start);
            cx.report(
                Code::EP105,
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
        cx.report(Code::EP106, span, "The plan has no `# Title` heading: start it with one H1 that says what the plan delivers.");
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
            Code::EP106,
            span,
            "A second H1 heading: a plan has one title; make this a `##` section.",
        );
    }
    if let Some(before) = cx.model.text_before_title.clone() {
        let line = crate::analysis::line_span(cx.text, before.start);
        cx.report(Code::EP106, line, "Text before the plan's title: the `# Title` line comes first (front matter and a status blockquote may precede it).");
    }
}

/// The preamble the fix for EP107 inserts.
pub(crate) const PREAMBLE_SENTENCE: &str = "This ExecPlan is a living document. The sections `Progress`, `Surprises & Discoveries`, `Decision Log`, and `Outcomes & Retrospective` must be kept up to date as work proceeds.";

/// EP107: the preamble does not say the plan is a living document.
fn preamble(cx: &mut RuleCx<'_>) {
    // A team whose template has no such sentence does not ask for one.
    if cx.model.title.is_none() || !cx.ctx.skeleton.asks_living_sentence() {
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
            Code::EP107,
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

/// EP108: the repository has a PLANS.md but the plan's preamble does not
/// give a path to one that resolves, from the repository root or from the
/// plan's folder. Any of the repository's PLANS.md files is right. Only the
/// preamble's reference is judged: later mentions (Surprises, evidence,
/// revision notes) are history. With more than one PLANS.md, which one the
/// plan means is a guess, so the fixes are not applied in bulk.
fn plans_md_path(cx: &mut RuleCx<'_>) {
    let Some(plans_md) = cx.ctx.plans_md else {
        return;
    };
    let root = cx.ctx.workspace_root;
    let relative = root
        .and_then(|r| plans_md.strip_prefix(r).ok())
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .unwrap_or_else(|| "PLANS.md".to_string());
    let mut all: Vec<&Path> = vec![plans_md];
    for other in cx.ctx.plans_mds {
        if !all.contains(&other.as_path()) {
            all.push(other);
        }
    }
    let fix = |title: String, edits: Vec<Edit>| {
        if all.len() > 1 {
            Fix::unsafe_(title, edits)
        } else {
            Fix::safe(title, edits)
        }
    };
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
    let plan_dir = cx.ctx.plan_path.and_then(Path::parent);
    let resolves = |written: &str| -> bool {
        let written = written.trim_start_matches("./");
        let as_path = Path::new(written);
        let mut candidates = Vec::new();
        if as_path.is_absolute() {
            candidates.push(as_path.to_path_buf());
            if let Some(root) = root {
                candidates.extend(repository_rooted(root, written));
            }
        } else {
            if let Some(root) = root {
                candidates.push(root.join(as_path));
            }
            if let Some(dir) = plan_dir {
                candidates.push(dir.join(as_path));
            }
        }
        candidates.iter().any(|c| {
            all.iter()
                .any(|p| lexical_normalize(c) == lexical_normalize(p))
        })
    };
    let in_preamble = |span: &Span| {
        cx.model
            .preamble
            .iter()
            .any(|p| p.start <= span.start && span.end <= p.end)
    };
    let (preamble, later): (Vec<_>, Vec<_>) =
        mentions.into_iter().partition(|(s, _)| in_preamble(s));
    if preamble.is_empty() {
        // Named rightly somewhere else: the plan does say where it is. A
        // team whose template names no PLANS.md does not ask for it.
        if later.iter().any(|(_, written)| resolves(written))
            || !cx.ctx.skeleton.asks_plans_md_reference()
        {
            return;
        }
        // Append the sentence to the living-document paragraph; else make it
        // a paragraph of its own after the preamble (or the title), never
        // the tail of a status line or a metadata block.
        let sentence = format!("This plan is maintained in accordance with `{relative}`.");
        let living = cx.model.preamble.iter().find(|p| {
            cx.slice(p)
                .to_lowercase()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .contains("living document")
        });
        let edit = match living {
            Some(p) => Edit::insert(p.end, format!(" {sentence}")),
            None => {
                let at = cx.model.preamble.last().map_or(cx.anchor().end, |p| p.end);
                paragraph_after_line(cx.text, at, &sentence)
            }
        };
        let fix = fix(format!("Name `{relative}` in the preamble"), vec![edit]);
        cx.report_fix(
            Code::EP108,
            cx.anchor(),
            format!("This repository has `{relative}` but the plan does not name it: add to the preamble that this plan is maintained in accordance with `{relative}`."),
            Some(fix),
        );
        return;
    }
    if preamble.iter().any(|(_, written)| resolves(written)) {
        return;
    }
    for (span, written) in preamble {
        let message = if written == "PLANS.md" {
            format!(
                "`PLANS.md` does not say where the file is: write its path from the repository root, `{relative}`."
            )
        } else {
            format!(
                "`{written}` does not resolve to this repository's PLANS.md: write `{relative}`, its path from the repository root."
            )
        };
        let fix = fix(
            format!("Write `{relative}`"),
            vec![Edit::replace(span.clone(), relative.clone())],
        );
        cx.report_fix(Code::EP108, span, message, Some(fix));
    }
}

/// The files an absolute path written from the repository's root may mean:
/// `/docs/PLANS.md` (rooted at the repository, as Markdown links on code
/// hosts write it) and `/myrepo/docs/PLANS.md` (rooted at a folder named
/// like the repository: its checkout or mount point), each under `root`.
fn repository_rooted(root: &Path, written: &str) -> Vec<PathBuf> {
    let rest = written.trim_start_matches('/');
    let mut out = vec![root.join(rest)];
    if let Some((first, tail)) = rest.split_once('/')
        && root
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|name| names_repository(name, first))
    {
        out.push(root.join(tail));
    }
    out
}

/// Whether a folder `segment` a plan writes names the repository checked out
/// at a folder called `folder`: the same name, or the name after an owner
/// prefix (`ada__myrepo`, `ada-myrepo`).
fn names_repository(folder: &str, segment: &str) -> bool {
    if segment.is_empty() {
        return false;
    }
    folder == segment
        || folder
            .strip_suffix(segment)
            .is_some_and(|prefix| prefix.chars().last().is_some_and(|c| !c.is_alphanumeric()))
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
            Code::EP109,
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
/// The guidance automaton is only asked whether a sentence is there, which
/// every match kind answers alike; leftmost-first lets aho-corasick use its
/// vectorised search (Teddy), which the standard kind cannot.
static GUIDANCE_FINDER: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasick::builder()
        .match_kind(MatchKind::LeftmostFirst)
        .build(GUIDANCE)
        .expect("fixed phrases build an automaton")
});
static PLACEHOLDER_FINDER: LazyLock<AhoCorasick> =
    LazyLock::new(|| AhoCorasick::new(PLACEHOLDERS).expect("fixed phrases build an automaton"));

/// The shortest guidance sentence: a shorter text holds none.
const GUIDANCE_MIN_LEN: usize = {
    let mut min = usize::MAX;
    let mut i = 0;
    while i < GUIDANCE.len() {
        if GUIDANCE[i].len() < min {
            min = GUIDANCE[i].len();
        }
        i += 1;
    }
    min
};

/// Whether a lower-cased text can hold a placeholder: every one of them
/// opens a parenthesis, and one byte search is far cheaper than the
/// automaton.
fn may_hold_placeholder(lower: &str) -> bool {
    memchr::memchr(b'(', lower.as_bytes()).is_some()
}

/// EP110: template text left in the plan.
fn template_text(cx: &mut RuleCx<'_>) {
    if !cx.enabled(Code::EP110) {
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
    stale_placeholders(cx, &mut found);
    for (span, message) in found {
        cx.report(Code::EP110, span, message);
    }
}

/// Sections that describe the work before it starts: once any Progress item
/// is done, a placeholder in them is stale. Placeholders elsewhere outside
/// the living sections are stale once every item is done.
const DESIGN_SECTIONS: [SectionKind; 6] = [
    SectionKind::Purpose,
    SectionKind::Context,
    SectionKind::PlanOfWork,
    SectionKind::ConcreteSteps,
    SectionKind::Validation,
    SectionKind::Interfaces,
];

/// EP110 on placeholders (`TBD`, `(To be filled …)`, `_Pending_`) in a plan
/// that has moved past them: a whole block, or a `(to be …)` parenthesis.
/// The living sections are left alone (a placeholder there says "nothing
/// yet"; EP209 judges Outcomes at the end).
fn stale_placeholders(cx: &mut RuleCx<'_>, found: &mut Vec<(Span, String)>) {
    let mut items = cx
        .model
        .progress_items()
        .map(|i| i.state == CheckState::Checked);
    let Some(first) = items.next() else { return };
    let (mut any_done, mut all_done) = (first, first);
    for done in items {
        any_done |= done;
        all_done &= done;
    }
    if !any_done {
        return;
    }
    let in_code = |span: &Span| {
        cx.model
            .fences
            .iter()
            .map(|f| &f.span)
            .chain(&cx.model.indented_blocks)
            .any(|c| c.start < span.end && span.start < c.end)
    };
    for section in &cx.model.sections {
        let stale = match section.kind {
            Some(kind) if kind.is_living() => false,
            Some(kind) if DESIGN_SECTIONS.contains(&kind) => true,
            _ => all_done,
        };
        // A section inside a living one is part of it.
        if !stale
            || SectionKind::ALL
                .iter()
                .any(|k| k.is_living() && cx.model.within(section.parent, *k))
        {
            continue;
        }
        let when = if all_done {
            "every Progress item is done"
        } else {
            "work has begun"
        };
        for block in placeholders::blocks(cx.text, &section.own_body) {
            if in_code(&block)
                || found
                    .iter()
                    .any(|(s, _)| block.start <= s.start && s.start < block.end)
            {
                continue;
            }
            let text = cx.slice(&block);
            if placeholders::is_placeholder(text) {
                found.push((
                    block.clone(),
                    format!("A placeholder is left in, but {when}: write what belongs here, or remove it."),
                ));
            } else if let Some(at) = promised_parenthesis(text) {
                let end = text[at..].find(')').map_or(text.len(), |i| at + i + 1);
                found.push((
                    block.start + at..block.start + end,
                    format!(
                        "`{}` is left in, but {when}: write it, or remove it.",
                        &text[at..end]
                    ),
                ));
            }
        }
    }
}

/// The openings of [`promised_parenthesis`], lower-case.
const PROMISED_OPEN: [&str; 8] = [
    "(to be filled",
    "(to be determined",
    "(to be decided",
    "(to be confirmed",
    "(to be written",
    "(to be documented",
    "(to be recorded",
    "(to be updated as",
];

/// Where a parenthesis that leaves the plan's own text open starts in
/// `text`: `(to be filled …)`, `(to be determined)`, `(to be written)`.
/// Not `(to be added)` or `(to be updated nightly)`, which can describe the
/// code rather than the plan.
fn promised_parenthesis(text: &str) -> Option<usize> {
    // The first `(` that opens one, ignoring ASCII case: the leftmost of
    // every phrase's first occurrence. Most blocks hold a parenthesis but
    // none of these, and this runs on every block of a plan at work on
    // every check, so no lowercased copy is made.
    let bytes = text.as_bytes();
    memchr::memchr_iter(b'(', bytes).find(|&at| {
        PROMISED_OPEN.iter().any(|o| {
            bytes
                .get(at..at + o.len())
                .is_some_and(|b| b.eq_ignore_ascii_case(o.as_bytes()))
        })
    })
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
            code: Code::EP110,
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
        // Code written without backticks: generics (`Result<usize, String>`,
        // `Vec<T>`, `<T: Clone>`), type lists (`<K, V>`).
        let generic = open > 0
            && text[..open]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_alphanumeric() || matches!(c, '_' | ':' | '>' | '&'));
        let type_list = inner
            .split(',')
            .all(|part| part.split_whitespace().count() == 1);
        let is_placeholder = !generic
            && !type_list
            && inner.contains(' ')
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
    let placeholders = may_hold_placeholder(&lower)
        .then(|| PLACEHOLDER_FINDER.find_overlapping_iter(&lower))
        .into_iter()
        .flatten();
    for m in placeholders {
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
    // Folding whitespace only shortens the text.
    let is_guidance = if lower.len() < GUIDANCE_MIN_LEN {
        false
    } else if folded {
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

    /// The search from each `(` finds what lower-casing the text and
    /// searching it for each opening found first.
    #[test]
    fn promised_parentheses_are_found_where_a_search_of_the_lowered_text_finds_them() {
        use super::super::testing::phrase_soup;
        use super::{PROMISED_OPEN, promised_parenthesis};
        let mut found = 0;
        for text in phrase_soup(&PROMISED_OPEN, 20_000) {
            let lower = text.to_ascii_lowercase();
            let expected = PROMISED_OPEN.iter().filter_map(|o| lower.find(o)).min();
            assert_eq!(promised_parenthesis(&text), expected, "{text:?}");
            found += usize::from(expected.is_some());
        }
        assert!(found > 1_000, "the inputs hold openings: {found}");
    }

    /// The byte search and the length bound in front of the automata skip
    /// only texts in which the automata find nothing.
    #[test]
    fn the_cheap_checks_skip_only_texts_without_template_text() {
        use super::super::testing::phrase_soup;
        use super::{
            GUIDANCE, GUIDANCE_FINDER, GUIDANCE_MIN_LEN, PLACEHOLDER_FINDER, PLACEHOLDERS,
            may_hold_placeholder,
        };
        let phrases: Vec<&str> = GUIDANCE.iter().chain(&PLACEHOLDERS).copied().collect();
        let standard = aho_corasick::AhoCorasick::new(GUIDANCE).unwrap();
        let (mut placeholders, mut guidance, mut skipped) = (0, 0, 0);
        for text in phrase_soup(&phrases, 20_000) {
            let lower = text.to_lowercase();
            if PLACEHOLDER_FINDER
                .find_overlapping_iter(&lower)
                .next()
                .is_some()
            {
                placeholders += 1;
                assert!(may_hold_placeholder(&lower), "{text:?}");
            } else if !may_hold_placeholder(&lower) {
                skipped += 1;
            }
            let folded = lower.split_whitespace().collect::<Vec<_>>().join(" ");
            // Leftmost-first answers "is one there?" as the standard kind does.
            for t in [&lower, &folded] {
                assert_eq!(
                    GUIDANCE_FINDER.is_match(t),
                    standard.is_match(t),
                    "{text:?}"
                );
            }
            if GUIDANCE_FINDER.is_match(&lower) || GUIDANCE_FINDER.is_match(&folded) {
                guidance += 1;
                assert!(lower.len() >= GUIDANCE_MIN_LEN, "{text:?}");
            }
        }
        assert!(
            placeholders > 1_000 && guidance > 1_000 && skipped > 1_000,
            "{placeholders} {guidance} {skipped}"
        );
        assert_eq!(
            GUIDANCE_MIN_LEN,
            GUIDANCE.iter().map(|g| g.len()).min().unwrap()
        );
    }

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
    fn synonyms_and_qualifiers_count_as_the_section() {
        let text = plan("")
            .replace("## Validation and Acceptance", "## Validation Plan")
            .replace("## Plan of Work", "## Implementation Plan")
            .replace("## Progress", "## Progress - Current Work (Phases 1-5)")
            .replace("## Purpose / Big Picture", "## Why this matters");
        let found = codes(&text);
        for code in ["EP101", "EP102", "EP103", "EP105"] {
            assert!(of(code, &found).is_empty(), "{code}: {found:?}");
        }
        assert_eq!(of("EP104", &found).len(), 4, "{found:?}");
        // Fix-all renames a qualified name, not a synonym.
        let options = crate::analysis::AnalysisOptions::default();
        let ctx = crate::analysis::CheckContext::new(jiff::Timestamp::now(), &options);
        let fixed = crate::analysis::fix_all(&text, &ctx);
        assert!(
            fixed.contains("\n## Progress\n") && fixed.contains("## Validation Plan"),
            "{fixed}"
        );
        // A synonym is not placed: a `Testing` section after the end is fine
        // when the plan already has Validation and Acceptance, and is no
        // second Validation section.
        let extra = plan("## Testing\n\nThe unit tests cover it.\n");
        let found = codes(&extra);
        assert!(
            of("EP103", &found).is_empty()
                && of("EP105", &found).is_empty()
                && of("EP104", &found).is_empty(),
            "{found:?}"
        );
    }

    #[test]
    fn ep105_only_at_the_top_level() {
        // Two subheadings of one milestone that name the same section are
        // parts of that milestone, not a second Validation section.
        let nested = plan(
            "## Milestones\n\n### Milestone 1\n\n#### Validation\n\nRun it.\n\n#### Acceptance Criteria\n\nIt works.\n",
        );
        assert!(of("EP105", &codes(&nested)).is_empty());
        // The same at the top level is a duplicate.
        let top = plan("## Acceptance Criteria\n\nIt works.\n");
        assert_eq!(of("EP105", &codes(&top)).len(), 1);
    }

    #[test]
    fn a_plan_in_another_script_is_not_told_the_teams_own_sections_are_missing() {
        use crate::model::Skeleton;
        let team: &'static Skeleton = Box::leak(Box::new(
            Skeleton::from_plans_md(
                "# P\n\n## Skeleton\n\n    ## Goal\n    ## Risk Register\n    ## Progress\n    ## Decision Log\n",
            )
            .unwrap(),
        ));
        let chinese = format!(
            "# 添加缓存\n\n{PREAMBLE}\n\n## 目标\n\n更快。\n\n## 风险\n\n无。\n\n## 进度\n\n- [ ] 开始。\n"
        );
        let found = codes_with(&chinese, |ctx| ctx.skeleton = team);
        // `Goal` and `Risk Register` cannot be compared; the Decision Log is
        // a skeleton section, found (or not) by its translations.
        assert_eq!(of("EP101", &found).len(), 1, "{found:?}");
        assert!(of("EP102", &found).is_empty(), "{found:?}");
        // The same plan in English is told.
        let english = format!(
            "# Add a cache\n\n{PREAMBLE}\n\n## Aims\n\nFaster.\n\n## Progress\n\n- [ ] Start.\n\n## Decision Log\n\nNone yet.\n"
        );
        let found = codes_with(&english, |ctx| ctx.skeleton = team);
        assert_eq!(of("EP102", &found).len(), 2, "{found:?}");
    }

    #[test]
    fn team_sections_match_whatever_connector_joins_their_words() {
        use crate::model::Skeleton;
        let team: &'static Skeleton = Box::leak(Box::new(
            Skeleton::from_plans_md(
                "# P\n\n## Skeleton\n\n    ## Goal\n    ## Files to create/modify\n    ## Progress\n    ## Decision Log\n",
            )
            .unwrap(),
        ));
        let plan_with = |name: &str| {
            format!(
                "# Add a cache\n\n{PREAMBLE}\n\n## Goal\n\nFaster.\n\n## {name}\n\n- `src/cache.rs`\n\n## Progress\n\n- [ ] Write it.\n\n## Decision Log\n\nNone yet.\n"
            )
        };
        for spelled in [
            "Files to create/modify",
            "Files To Create Or Modify",
            "Files to create and modify",
            "Files to create & modify",
        ] {
            let found = codes_with(&plan_with(spelled), |ctx| ctx.skeleton = team);
            assert!(of("EP102", &found).is_empty(), "{spelled}: {found:?}");
        }
        let other = codes_with(&plan_with("Files to delete"), |ctx| ctx.skeleton = team);
        assert_eq!(of("EP102", &other), [1]);
    }

    #[test]
    fn sections_written_as_h1_headings_are_sections() {
        // Every section an H1: EP106 reports each second H1, but the
        // sections are there (no EP101, EP102), the title's among them.
        let all_h1 = plan("")
            .replace(
                "# Add a cache\n\n",
                "# Purpose / Big Picture\n\nUsers get answers faster.\n\n",
            )
            .replace(
                "\n## Purpose / Big Picture\n\nUsers get answers faster.\n",
                "\n",
            )
            .replace("\n## ", "\n# ");
        let found = codes(&all_h1);
        assert!(
            of("EP101", &found).is_empty() && of("EP102", &found).is_empty(),
            "{found:?}"
        );
        assert_eq!(of("EP106", &found).len(), 11, "{found:?}");
        // An H1 that names no section is no section: its content stays in the
        // section before it, and a plan of such H1s still lacks its sections.
        let stray = codes(&plan("# Appendix\n\nMore.\n"));
        assert_eq!(of("EP106", &stray).len(), 1);
        let model = crate::model::build_from_text(&plan("# Appendix\n\nMore.\n"));
        assert_eq!(model.sections.len(), 12);
        // A title that names a section only by a synonym (`# Plan`) stays
        // the title alone.
        let titled = crate::model::build_from_text(
            "# Plan\n\nIntro.\n\n# Purpose / Big Picture\n\nWhy.\n\n# Progress\n\n- [ ] Start.\n",
        );
        assert!(titled.sections.iter().all(|s| s.heading != 0));
        assert_eq!(titled.sections.len(), 2);
        let bare = "# Add a cache\n\n# Goals\n\nFaster.\n\n# Steps\n\nRun it.\n";
        assert_eq!(of("EP101", &codes(bare)).len(), 4);
        // Once two H1s are sections, the plan's own H1 sections are too: a
        // team's `# Risks` is present.
        let team: &'static crate::model::Skeleton = Box::leak(Box::new(
            crate::model::Skeleton::from_plans_md(
                "# P\n\n## Skeleton\n\n    ## Progress\n    ## Decision Log\n    ## Risks\n",
            )
            .unwrap(),
        ));
        let own = "# Progress\n\n- [ ] Start.\n\n# Decision Log\n\nNone yet.\n\n# Risks\n\nNone.\n";
        let found = codes_with(own, |ctx| ctx.skeleton = team);
        assert!(of("EP102", &found).is_empty(), "{found:?}");
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
        // EP108 joins the living-document paragraph, and makes a paragraph
        // of its own beside any other preamble text.
        let fixed = fix_of(&text, "EP108");
        assert!(
            fixed.contains("Some words right under the title.\n\nThis plan is maintained in accordance with `.agent/PLANS.md`.\n\n## Purpose"),
            "{fixed}"
        );
        let fixed = fix_of(&plan(""), "EP108");
        assert!(
            fixed.contains(&format!("{PREAMBLE} This plan is maintained in accordance with `.agent/PLANS.md`.\n\n## Purpose")),
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
    fn ep106_a_hash_line_inside_a_list_item_is_no_title() {
        // A comment line of code indented too little for the item's code
        // block is a heading inside the item, not a second H1, and does not
        // end the section around it.
        let text = plan("").replace(
            "Run the tests.\n\n    cargo test",
            "1. Check the scripts:\n\n       bash -n run.sh\n\n    # Optional when Docker is there:\n       ./docker/run.sh true\n\nThen record the output.",
        );
        let found = codes(&text);
        assert!(of("EP106", &found).is_empty(), "{found:?}");
        let model = crate::model::build_from_text(&text);
        assert!(
            model
                .headings
                .iter()
                .all(|h| !h.text.starts_with("Optional"))
        );
        let steps = model
            .section(crate::model::SectionKind::ConcreteSteps)
            .unwrap();
        assert!(text[steps.span.clone()].contains("Then record the output."));
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
    fn ep108_reads_paths_rooted_at_the_repository_or_its_name() {
        let check = |root: &str, written: &str| {
            let root = Path::new(root);
            let agent = root.join(".agent/PLANS.md");
            let options = crate::analysis::AnalysisOptions::default();
            let mut ctx = crate::analysis::CheckContext::new(jiff::Timestamp::now(), &options);
            ctx.workspace_root = Some(root);
            ctx.plans_md = Some(&agent);
            let text = plan("").replace(PREAMBLE, &format!("{PREAMBLE} It follows `{written}`."));
            let model = crate::model::build_from_text(&text);
            crate::analysis::check(&text, &model, &ctx)
                .into_iter()
                .filter(|d| d.code == "EP108")
                .count()
        };
        // Rooted at the repository, as a code host's links write it.
        assert_eq!(check("/work/myrepo", "/.agent/PLANS.md"), 0);
        // Rooted at a folder named like the repository, its checkout or mount.
        assert_eq!(check("/work/myrepo", "/myrepo/.agent/PLANS.md"), 0);
        assert_eq!(check("/work/ada__myrepo", "/myrepo/.agent/PLANS.md"), 0);
        // Another folder's name, a deeper sandbox path, a file that is not there.
        assert_eq!(check("/work/myrepo", "/other/.agent/PLANS.md"), 1);
        assert_eq!(
            check("/work/myrepo", "/home/agent/myrepo/.agent/PLANS.md"),
            1
        );
        assert_eq!(check("/work/myrepo", "/myrepo/docs/PLANS.md"), 1);
        assert_eq!(check("/work/notmyrepo", "/myrepo/.agent/PLANS.md"), 1);
    }

    #[test]
    fn ep108_judges_only_the_preamble_and_accepts_every_plans_md() {
        let root = Path::new("/repo");
        let agent = Path::new("/repo/.agent/PLANS.md");
        let both = [agent.to_path_buf(), root.join("PLANS.md")];
        let plan_path = Path::new("/repo/.agent/plans/cache.md");
        let check = |text: &str, all: &[std::path::PathBuf]| {
            let options = crate::analysis::AnalysisOptions::default();
            let mut ctx = crate::analysis::CheckContext::new(jiff::Timestamp::now(), &options);
            ctx.workspace_root = Some(root);
            ctx.plans_md = Some(agent);
            ctx.plans_mds = all;
            ctx.plan_path = Some(plan_path);
            let model = crate::model::build_from_text(text);
            crate::analysis::check(text, &model, &ctx)
                .into_iter()
                .filter(|d| d.code == "EP108")
                .collect::<Vec<_>>()
        };
        // A right preamble; a sandbox path in a Surprise is history, not judged.
        let history = plan("")
            .replace(
                PREAMBLE,
                &format!("{PREAMBLE} It is maintained in accordance with `.agent/PLANS.md`."),
            )
            .replace(
                "Evidence: 98% of requests are GETs.",
                "Evidence: 98% of requests are GETs; read in `/tmp/sandbox/PLANS.md`.",
            );
        assert!(check(&history, &both[..1]).is_empty());
        // A preamble naming the root PLANS.md is right when the repository has both.
        let root_named = plan("").replace(PREAMBLE, &format!("{PREAMBLE} It follows `PLANS.md`."));
        assert!(check(&root_named, &both).is_empty());
        let found = check(&root_named, &both[..1]);
        assert_eq!(found.len(), 1);
        assert!(found[0].fix.as_ref().is_some_and(|f| f.safe), "{found:?}");
        // A wrong preamble path: the fix rewrites that reference only, and is
        // not safe in bulk when the repository has two PLANS.md files.
        let wrong = root_named.replace("`PLANS.md`", "`docs/PLANS.md`")
            + "## Revision Notes\n\nMoved from `docs/PLANS.md`.\n";
        let found = check(&wrong, &both);
        assert_eq!(found.len(), 1, "{found:?}");
        let fix = found[0].fix.as_ref().unwrap();
        assert!(!fix.safe);
        let at = wrong.find("`docs/PLANS.md`").unwrap() + 1;
        assert_eq!(fix.edits.len(), 1);
        assert_eq!(fix.edits[0].span.start, at);
        assert!(
            crate::analysis::fix_all(&wrong, &{
                let options = Box::leak(Box::new(crate::analysis::AnalysisOptions::default()));
                let mut ctx = crate::analysis::CheckContext::new(jiff::Timestamp::now(), options);
                ctx.workspace_root = Some(root);
                ctx.plans_md = Some(agent);
                ctx.plans_mds = Box::leak(Box::new(both.clone()));
                ctx
            })
            .contains("It follows `docs/PLANS.md`")
        );
        // Named rightly only later: the plan does say where it is.
        let later = plan("## Revision Notes\n\nFollows `.agent/PLANS.md`.\n");
        assert!(check(&later, &both[..1]).is_empty());
    }

    #[test]
    fn a_team_skeleton_in_each_form_drives_ep101_to_ep104() {
        use crate::model::Skeleton;
        let leak = |text: &str| -> &'static Skeleton {
            Box::leak(Box::new(Skeleton::from_plans_md(text).unwrap()))
        };
        let plan_of = |sections: &[&str]| {
            let mut s = format!("# Add a cache\n\n{PREAMBLE}\n\n");
            for name in sections {
                let body = if name.to_lowercase().starts_with("progress") {
                    "- [x] (2026-01-05 10:00Z) Wrote the cache."
                } else {
                    "Written."
                };
                s.push_str(&format!("## {name}\n\n{body}\n\n"));
            }
            s
        };
        let with =
            |text: &str, team: &'static Skeleton| codes_with(text, |ctx| ctx.skeleton = team);
        let structural = |found: &[(&'static str, usize)]| -> Vec<&'static str> {
            found
                .iter()
                .map(|(c, _)| *c)
                .filter(|c| ["EP101", "EP102", "EP103", "EP104"].contains(c))
                .collect()
        };
        // Fenced, living sections first, sentence case, Artifacts dropped.
        let fenced = leak(
            "# Plans\n\n## ExecPlan Template (copy for new plan)\n\n```markdown\n# <Title>\n\n## Progress\n\n## Surprises & Discoveries\n\n## Decision log\n\n## Outcomes & Retrospective\n\n## Purpose / Big Picture\n\n## Plan of work\n```\n",
        );
        let follows = plan_of(&[
            "Progress",
            "Surprises & Discoveries",
            "Decision log",
            "Outcomes & Retrospective",
            "Purpose / Big Picture",
            "Plan of work",
        ]);
        assert!(
            structural(&with(&follows, fenced)).is_empty(),
            "{:?}",
            with(&follows, fenced)
        );
        // The canonical spelling gets the team's spelling as EP104, the
        // canonical order no EP103 but the team's does.
        let canonical_spelling = follows.replace("## Decision log", "## Decision Log");
        assert_eq!(structural(&with(&canonical_spelling, fenced)), ["EP104"]);
        let moved = plan_of(&[
            "Purpose / Big Picture",
            "Progress",
            "Surprises & Discoveries",
            "Decision log",
            "Outcomes & Retrospective",
            "Plan of work",
        ]);
        assert_eq!(structural(&with(&moved, fenced)), ["EP103"]);
        let dropped = follows.replace("## Plan of work\n\nWritten.\n\n", "");
        assert_eq!(structural(&with(&dropped, fenced)), ["EP102"]);
        // Required sections as real headings, in a stated order, one optional.
        let headings = leak(
            "# Plans\n\n## Required sections\n\nEvery ExecPlan has all of the following, in this order:\n\n### Purpose and big picture\n\nWhy.\n\n### Progress\n\nSteps.\n\n### Decision Log\n\nWhy so.\n\n### Outcomes & Retrospective\n\nEnd.\n\n### Risks (optional)\n\nWhat may break.\n",
        );
        let follows = plan_of(&[
            "Purpose and big picture",
            "Progress",
            "Decision Log",
            "Outcomes & Retrospective",
        ]);
        // Surprises is dropped by the team: not required; Risks is optional.
        assert!(
            structural(&with(&follows, headings)).is_empty(),
            "{:?}",
            with(&follows, headings)
        );
        let reordered = plan_of(&[
            "Progress",
            "Purpose and big picture",
            "Decision Log",
            "Outcomes & Retrospective",
        ]);
        assert_eq!(structural(&with(&reordered, headings)), ["EP103"]);
        // The same list without a stated order: any order.
        let unordered = leak(
            "# Plans\n\n## Required sections\n\n### Purpose and big picture\n\n### Progress\n\n### Decision Log\n\n### Outcomes & Retrospective\n",
        );
        assert!(structural(&with(&reordered, unordered)).is_empty());
        // A living section the team marks optional is never missing.
        let optional_living = leak(
            "# Plans\n\nPlans follow this skeleton:\n\n    ## Goal\n\n    ## Progress\n\n    ## Surprises & Discoveries (optional)\n\n    ## Decision Log\n\n    ## Outcomes & Retrospective\n",
        );
        let follows = plan_of(&[
            "Goal",
            "Progress",
            "Decision Log",
            "Outcomes & Retrospective",
        ]);
        assert!(
            structural(&with(&follows, optional_living)).is_empty(),
            "{:?}",
            with(&follows, optional_living)
        );
        let no_goal = plan_of(&["Progress", "Decision Log", "Outcomes & Retrospective"]);
        assert_eq!(structural(&with(&no_goal, optional_living)), ["EP102"]);
        // A team section spelled loosely gets the team's spelling.
        let loose = follows.replace("## Goal", "## goal");
        assert_eq!(structural(&with(&loose, optional_living)), ["EP104"]);
        // Without the team's skeleton the same plan gets canonical findings.
        assert!(structural(&codes(&follows)).contains(&"EP101"));
    }

    #[test]
    fn ep110_placeholders_left_in_once_work_has_moved_on() {
        let items = "- [x] (2026-01-05 10:00Z) Wrote the cache.\n- [ ] Measure it.";
        let all_done = "- [x] (2026-01-05 10:00Z) Wrote the cache.";
        let none_done = "- [ ] Write the cache.";
        // The plan with its Progress items and one text replaced.
        let with = |progress: &str, from: &str, to: &str| {
            plan("").replace(items, progress).replace(from, to)
        };
        // A design section with a placeholder, once work has begun.
        let context = "The server lives in `src/server.rs`.";
        let text = with(items, context, "TBD");
        let line = text.lines().position(|l| l == "TBD").unwrap() + 1;
        assert_eq!(of("EP110", &codes(&text)), [line]);
        let text = with(
            items,
            context,
            "The cache sits in front of the store (to be determined once measured).",
        );
        assert_eq!(of("EP110", &codes(&text)).len(), 1);
        // Before any work, a placeholder is only a plan not written yet.
        assert!(of("EP110", &codes(&with(none_done, context, "TBD"))).is_empty());
        // Artifacts are written at the end: stale only once everything is done.
        let artifacts = "## Artifacts and Notes\n\nNone yet.";
        let filler =
            "## Artifacts and Notes\n\n_To be filled with transcripts after implementation._";
        assert!(of("EP110", &codes(&with(items, artifacts, filler))).is_empty());
        assert_eq!(
            of("EP110", &codes(&with(all_done, artifacts, filler))).len(),
            1
        );
        // The living sections' "nothing yet" is not stale, and a description
        // that happens to say "to be" is no placeholder.
        let living = plan("")
            .replace(
                "- Observation: Reads dominate.\n  Evidence: 98% of requests are GETs.",
                "(To be updated as work proceeds.)",
            )
            .replace(
                context,
                "`src/vm.rs` (to be split into three modules) holds the view model.",
            );
        assert!(
            of("EP110", &codes(&living)).is_empty(),
            "{:?}",
            codes(&living)
        );
    }

    #[test]
    fn progress_is_not_inserted_in_bulk_beside_checklists_elsewhere() {
        let options = crate::analysis::AnalysisOptions::default();
        let ctx = crate::analysis::CheckContext::new(jiff::Timestamp::now(), &options);
        let progress_fix = |text: &str| {
            let model = crate::model::build_from_text(text);
            crate::analysis::check(text, &model, &ctx)
                .into_iter()
                .find(|d| d.code == super::Code::EP101 && d.message.contains("`## Progress`"))
                .and_then(|d| d.fix)
                .expect("EP101 for Progress, with its fix")
        };
        let start = plan("").find("## Progress").unwrap();
        let end = start + 1 + plan("")[start + 1..].find("\n## ").unwrap() + 1;
        let without = format!("{}{}", &plan("")[..start], &plan("")[end..]);
        // No checklist anywhere: the new Progress is the plan's, safe.
        assert!(progress_fix(&without).safe);
        // Checklists under a task section: where progress lives is the
        // author's call, so the insertion is offered, not applied by fix-all.
        let tasks = format!("{without}\n## Task 1: Cache\n\n- [x] Wrote it.\n- [ ] Test it.\n");
        assert!(!progress_fix(&tasks).safe);
        let fixed = crate::analysis::fix_all(&tasks, &ctx);
        assert!(!fixed.contains("## Progress"), "{fixed}");
    }
}
