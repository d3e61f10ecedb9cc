//! The plan's outline: title, sections, milestones and Decision Log entries,
//! nested as the headings nest. Also the Progress counts the outline, the
//! code lens and the editors' status bars show.

use crate::model::{CheckState, InlineContext, PlanModel, SectionKind, Span};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SymbolKind {
    Title,
    Section,
    Milestone,
    Decision,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Symbol {
    pub name: String,
    pub detail: Option<String>,
    pub kind: SymbolKind,
    /// The whole extent: a section's heading to its end.
    pub span: Span,
    /// What to select when the symbol is picked: the heading's text.
    pub selection: Span,
    pub children: Vec<Symbol>,
}

/// A plan's symbols in one flat list, each with the name of the symbol it
/// sits in (for `workspace/symbol`); children are moved out of their parents.
pub fn flat_outline(text: &str, model: &PlanModel) -> Vec<(Symbol, Option<String>)> {
    fn walk(
        symbols: Vec<Symbol>,
        container: Option<&str>,
        out: &mut Vec<(Symbol, Option<String>)>,
    ) {
        for mut s in symbols {
            let children = std::mem::take(&mut s.children);
            let name = s.name.clone();
            out.push((s, container.map(str::to_string)));
            walk(children, Some(&name), out);
        }
    }
    let mut out = Vec::new();
    walk(outline(text, model), None, &mut out);
    out.shrink_to_fit();
    out
}

/// Progress items checked off, of all.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ProgressCount {
    pub done: usize,
    pub total: usize,
}

impl ProgressCount {
    pub fn of(model: &PlanModel) -> ProgressCount {
        let mut count = ProgressCount::default();
        for item in model.progress_items() {
            count.total += 1;
            if item.state == CheckState::Checked {
                count.done += 1;
            }
        }
        count
    }

    /// `3/7 done`, the form the outline's Progress detail takes (editors
    /// read it for their status bars).
    pub fn describe(self) -> String {
        format!("{}/{} done", self.done, self.total)
    }
}

/// Whether `text` starts by naming a milestone: `Milestone 2`,
/// `**Milestone B: …**`; not `Milestones` or `the milestone`.
pub fn is_milestone_name(text: &str) -> bool {
    let trimmed = text.trim_start_matches(['*', '_', ' ', '#']);
    let Some(rest) = trimmed
        .get(..9)
        .filter(|head| head.eq_ignore_ascii_case("milestone"))
        .map(|_| &trimmed[9..])
    else {
        return false;
    };
    rest.starts_with(char::is_whitespace)
        && rest
            .trim_start()
            .starts_with(|c: char| c.is_ascii_alphanumeric())
}

/// The first line of `text`, without emphasis markers, at most `max` chars.
fn short_name(text: &str, max: usize) -> String {
    let line = text.lines().next().unwrap_or("").trim();
    let clean: String = line.chars().filter(|c| !matches!(c, '*' | '`')).collect();
    let clean = clean.trim();
    if clean.chars().count() <= max {
        return clean.to_string();
    }
    let cut: String = clean.chars().take(max.saturating_sub(1)).collect();
    format!("{}…", cut.trim_end())
}

pub fn outline(text: &str, model: &PlanModel) -> Vec<Symbol> {
    let count = ProgressCount::of(model);
    // Sections first, each with its subsections, built bottom-up by index
    // (a parent always comes before its children).
    let mut built: Vec<Option<Symbol>> = model
        .sections
        .iter()
        .map(|section| {
            let heading = model.heading_of(section);
            let milestone = is_milestone_name(&heading.text);
            Some(Symbol {
                name: heading.text.trim().to_string(),
                detail: match section.kind {
                    Some(SectionKind::Progress) => Some(count.describe()),
                    _ => None,
                },
                kind: if milestone {
                    SymbolKind::Milestone
                } else {
                    SymbolKind::Section
                },
                span: section.span.clone(),
                selection: heading.text_span.clone(),
                children: Vec::new(),
            })
        })
        .collect();

    // Milestones written as paragraphs (`**Milestone 1: …**`) inside a section.
    for inline in &model.inlines {
        if inline.context != InlineContext::Paragraph {
            continue;
        }
        let Some(section) = inline.section else {
            continue;
        };
        let body = text.get(inline.span.clone()).unwrap_or("");
        if !is_milestone_name(body) {
            continue;
        }
        if let Some(Some(parent)) = built.get_mut(section) {
            parent.children.push(Symbol {
                name: short_name(body, 80),
                detail: None,
                kind: SymbolKind::Milestone,
                span: inline.span.clone(),
                selection: inline.span.clone(),
                children: Vec::new(),
            });
        }
    }

    for entry in &model.decisions {
        let name = entry
            .labels
            .iter()
            .find(|l| l.kind == crate::model::LabelKind::Decision)
            .map(|l| l.value.clone())
            .or_else(|| {
                entry.columns.iter().find_map(|(h, v)| {
                    h.to_ascii_lowercase()
                        .contains("decision")
                        .then(|| v.clone())
                })
            })
            .unwrap_or_else(|| entry.text.clone());
        let name = short_name(&name, 80);
        if let Some(Some(parent)) = built.get_mut(entry.section) {
            parent.children.push(Symbol {
                name: if name.is_empty() {
                    "(entry)".to_string()
                } else {
                    name
                },
                detail: None,
                kind: SymbolKind::Decision,
                span: entry.span.clone(),
                selection: entry.span.clone(),
                children: Vec::new(),
            });
        }
    }

    let mut roots = Vec::new();
    for index in (0..model.sections.len()).rev() {
        let Some(mut symbol) = built[index].take() else {
            continue;
        };
        symbol.children.sort_by_key(|c| c.span.start);
        match model.sections[index].parent {
            Some(parent) => match built.get_mut(parent) {
                Some(Some(p)) => p.children.push(symbol),
                _ => roots.push(symbol),
            },
            None => roots.push(symbol),
        }
    }
    roots.sort_by_key(|s| s.span.start);

    match model.title_heading() {
        Some(title) => {
            let end = text.len().max(title.span.end);
            vec![Symbol {
                name: title.text.trim().to_string(),
                detail: None,
                kind: SymbolKind::Title,
                span: title.span.start..end,
                selection: title.text_span.clone(),
                children: roots,
            }]
        }
        None => roots,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::build_from_text;

    fn names(symbols: &[Symbol], depth: usize, out: &mut Vec<String>) {
        for s in symbols {
            let detail = s
                .detail
                .as_deref()
                .map(|d| format!(" [{d}]"))
                .unwrap_or_default();
            out.push(format!(
                "{}{:?} {}{detail}",
                "  ".repeat(depth),
                s.kind,
                s.name
            ));
            names(&s.children, depth + 1, out);
        }
    }

    fn render(text: &str) -> String {
        let model = build_from_text(text);
        let mut out = Vec::new();
        names(&outline(text, &model), 0, &mut out);
        out.join("\n")
    }

    #[test]
    fn nests_sections_milestones_and_decisions_under_the_title() {
        let text = "# Cache plan\n\nPreamble.\n\n## Progress\n\n- [x] (2026-01-01 10:00Z) One.\n- [ ] Two.\n- [ ] Three.\n\n## Decision Log\n\n- Decision: Use an LRU cache.\n  Rationale: Simple.\n  Date/Author: 2026-01-01 / Ada\n\n## Plan of Work\n\n### Milestone 1: Parse\n\nText.\n\n**Milestone 2: Serve.** More text.\n\n## Milestones\n\nMilestone 3 - ship it.\n";
        assert_eq!(
            render(text),
            "Title Cache plan
  Section Progress [1/3 done]
  Section Decision Log
    Decision Use an LRU cache.
  Section Plan of Work
    Milestone Milestone 1: Parse
      Milestone Milestone 2: Serve. More text.
  Section Milestones
    Milestone Milestone 3 - ship it."
        );
    }

    #[test]
    fn milestone_names_need_a_number_or_word_after_the_keyword() {
        assert!(is_milestone_name("Milestone 1: Parse"));
        assert!(is_milestone_name("**Milestone A** text"));
        assert!(!is_milestone_name("Milestones"));
        assert!(!is_milestone_name("Mile"));
        assert!(!is_milestone_name("The milestone 1"));
    }
}
