//! Folding ranges: sections, milestones, long lists, indented and fenced
//! blocks, and tables.

use crate::model::{PlanModel, Span};

use super::outline::is_milestone_name;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FoldKind {
    Section,
    Milestone,
    List,
    Block,
    Table,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fold {
    pub kind: FoldKind,
    /// From the first line's start to the last non-blank character.
    pub span: Span,
}

/// A list folds when it runs to more lines than this.
const LONG_LIST_LINES: usize = 4;

fn trimmed(text: &str, span: &Span) -> Span {
    let body = text.get(span.clone()).unwrap_or("");
    span.start..span.start + body.trim_end().len()
}

fn line_count(text: &str, span: &Span) -> usize {
    text.get(span.clone()).map_or(0, |s| s.lines().count())
}

pub fn folding_ranges(text: &str, model: &PlanModel) -> Vec<Fold> {
    let mut folds = Vec::new();
    let mut push = |kind, span: &Span, min_lines: usize| {
        let span = trimmed(text, span);
        if line_count(text, &span) > min_lines {
            folds.push(Fold { kind, span });
        }
    };
    for section in &model.sections {
        let heading = model.heading_of(section);
        let kind = if is_milestone_name(&heading.text) {
            FoldKind::Milestone
        } else {
            FoldKind::Section
        };
        push(kind, &section.span, 1);
    }
    for list in &model.lists {
        push(FoldKind::List, &list.span, LONG_LIST_LINES);
    }
    for block in &model.indented_blocks {
        push(FoldKind::Block, block, 1);
    }
    for fence in &model.fences {
        push(FoldKind::Block, &fence.span, 1);
    }
    for table in &model.tables {
        push(FoldKind::Table, &table.span, 2);
    }
    folds.sort_by_key(|f| (f.span.start, std::cmp::Reverse(f.span.end)));
    folds
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::line_number;
    use crate::model::build_from_text;

    #[test]
    fn folds_sections_lists_blocks_and_tables_by_line() {
        let text = "# T\n\n## Progress\n\n- [ ] a\n- [ ] b\n- [ ] c\n- [ ] d\n- [ ] e\n\n## Milestone 1: X\n\n    cargo test\n    ok\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n## Short\n";
        let model = build_from_text(text);
        let got: Vec<(FoldKind, usize, usize)> = folding_ranges(text, &model)
            .iter()
            .map(|f| {
                (
                    f.kind,
                    line_number(text, f.span.start),
                    line_number(text, f.span.end),
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                (FoldKind::Section, 3, 9),
                (FoldKind::List, 5, 9),
                (FoldKind::Milestone, 11, 18),
                (FoldKind::Block, 13, 14),
                (FoldKind::Table, 16, 18),
            ]
        );
    }
}
