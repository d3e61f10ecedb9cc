//! The skeleton a plan is checked against: the canonical twelve sections,
//! or the team's own, read from the skeleton in their PLANS.md (teams add
//! sections, drop some, or reorder them).

use std::sync::LazyLock;

use super::{PlanModel, Section, SectionKind, sections::normalize};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SkeletonSection {
    /// The heading as the skeleton writes it.
    pub name: String,
    /// The canonical section it is, if it is one.
    pub kind: Option<SectionKind>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skeleton {
    pub sections: Vec<SkeletonSection>,
    /// Whether it came from a PLANS.md rather than the canonical format.
    pub custom: bool,
}

impl SkeletonSection {
    /// The heading to write: the canonical spelling for known sections.
    pub fn heading(&self) -> &str {
        match self.kind {
            Some(kind) => kind.canonical_name(),
            None => &self.name,
        }
    }
}

static CANONICAL: LazyLock<Skeleton> = LazyLock::new(|| Skeleton {
    sections: SectionKind::ALL
        .iter()
        .map(|k| SkeletonSection {
            name: k.canonical_name().to_string(),
            kind: Some(*k),
        })
        .collect(),
    custom: false,
});

impl Skeleton {
    pub fn canonical() -> &'static Skeleton {
        &CANONICAL
    }

    /// The skeleton in a PLANS.md: the `##` headings written (indented or
    /// fenced) under its heading that mentions "skeleton". `None` when the
    /// file has no such skeleton, so the canonical one applies.
    pub fn from_plans_md(text: &str) -> Option<Skeleton> {
        let mut in_skeleton: Option<usize> = None;
        let mut fence: Option<String> = None;
        let mut sections = Vec::new();
        for line in text.lines() {
            let trimmed = line.trim_start();
            let indent = line.len() - trimmed.len();
            if indent < 4 && (trimmed.starts_with("```") || trimmed.starts_with("~~~")) {
                let marker: String = trimmed
                    .chars()
                    .take_while(|c| *c == '`' || *c == '~')
                    .collect();
                match &fence {
                    Some(open) if marker.starts_with(open.as_str()) => fence = None,
                    Some(_) => {}
                    None => fence = Some(marker),
                }
                continue;
            }
            let level = trimmed.chars().take_while(|c| *c == '#').count();
            let is_heading_line =
                (1..=6).contains(&level) && trimmed[level..].starts_with([' ', '\t']);
            if fence.is_none() && indent < 4 && is_heading_line {
                // A real heading of the PLANS.md itself.
                match in_skeleton {
                    Some(open) if level <= open => break,
                    Some(_) => {}
                    None if trimmed.to_ascii_lowercase().contains("skeleton") => {
                        in_skeleton = Some(level);
                    }
                    None => {}
                }
                continue;
            }
            if in_skeleton.is_none() || level != 2 || !is_heading_line {
                continue;
            }
            let name = trimmed[level..].trim().trim_end_matches('#').trim();
            if name.is_empty() {
                continue;
            }
            let kind = SectionKind::from_heading(name);
            let duplicate = sections.iter().any(|s: &SkeletonSection| {
                (kind.is_some() && s.kind == kind) || normalize(&s.name) == normalize(name)
            });
            if !duplicate {
                sections.push(SkeletonSection {
                    name: name.to_string(),
                    kind,
                });
            }
        }
        (!sections.is_empty()).then_some(Skeleton {
            sections,
            custom: true,
        })
    }

    /// Where a section of the plan stands in this skeleton.
    pub fn index_of(&self, model: &PlanModel, section: &Section) -> Option<usize> {
        match section.kind {
            Some(kind) => self.index_of_kind(kind),
            // Only a team's own sections can match an unknown heading; the
            // canonical skeleton has none, and rules ask for every section.
            None if self.sections.iter().all(|s| s.kind.is_some()) => None,
            None => {
                let key = normalize(&model.heading_of(section).text);
                self.sections
                    .iter()
                    .position(|s| s.kind.is_none() && normalize(&s.name) == key)
            }
        }
    }

    pub fn index_of_kind(&self, kind: SectionKind) -> Option<usize> {
        self.sections.iter().position(|s| s.kind == Some(kind))
    }

    /// Whether the plan has the skeleton's `index`th section, at any level.
    pub fn is_present(&self, model: &PlanModel, index: usize) -> bool {
        model
            .sections
            .iter()
            .any(|s| self.index_of(model, s) == Some(index))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_customised_skeleton_from_plans_md() {
        let plans_md = "# Plans\n\n## How to write one\n\n    ## Not this\n\n## Skeleton of a Good ExecPlan\n\n```md\n# <Title>\n\n## Purpose / Big Picture\n\n## Progress\n\n### Milestone 1\n\n## Decision Log\n\n## Risks and Rollback\n\n## Outcomes & Retrospective\n```\n\n## Afterwards\n\n    ## Ignored too\n";
        let skeleton = Skeleton::from_plans_md(plans_md).unwrap();
        let names: Vec<(&str, Option<SectionKind>)> = skeleton
            .sections
            .iter()
            .map(|s| (s.name.as_str(), s.kind))
            .collect();
        assert_eq!(
            names,
            vec![
                ("Purpose / Big Picture", Some(SectionKind::Purpose)),
                ("Progress", Some(SectionKind::Progress)),
                ("Decision Log", Some(SectionKind::DecisionLog)),
                ("Risks and Rollback", None),
                ("Outcomes & Retrospective", Some(SectionKind::Outcomes)),
            ]
        );
        assert!(skeleton.custom);
    }

    #[test]
    fn no_skeleton_heading_means_none() {
        assert_eq!(
            Skeleton::from_plans_md("# Plans\n\n    ## Progress\n"),
            None
        );
    }

    #[test]
    fn the_canonical_skeleton_has_the_twelve_sections() {
        let canonical = Skeleton::canonical();
        assert_eq!(canonical.sections.len(), 12);
        assert_eq!(canonical.index_of_kind(SectionKind::DecisionLog), Some(3));
    }
}
