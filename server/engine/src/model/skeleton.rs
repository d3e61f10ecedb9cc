//! The skeleton a plan is checked against: the canonical twelve sections,
//! or the team's own, read from the skeleton in their PLANS.md (teams add
//! sections, drop some, or reorder them).

use std::sync::LazyLock;

use super::{PlanModel, Section, SectionKind, sections::normalize};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SkeletonSection {
    /// The heading as the skeleton writes it (without an optional marker).
    pub name: String,
    /// The canonical section it is, if it is one.
    pub kind: Option<SectionKind>,
    /// Marked optional by the team: never reported missing.
    pub optional: bool,
    /// Whether the team's template writes checkbox items in this section's
    /// body (`Some(true)`), writes a body without any (`Some(false)`), or
    /// shows no body to tell (`None`: a list of names, descriptions under
    /// required-section headings).
    pub checklist: Option<bool>,
    /// The canonical section its name reads as, by a name or a synonym
    /// (`Validation Plan`, `Progress Notes`): a team section with no `kind`
    /// is still matched by a plan section of that kind when no other
    /// section of the skeleton is that kind.
    pub reads_as: Option<SectionKind>,
}

/// What a team's template (a block or an inline template) shows of a plan's
/// form beyond its sections: the team's file wins over the canonical
/// format where it models something else.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TemplateShape {
    /// Its text between the title and the first section says the plan is a
    /// living document (or names the living sections).
    pub living_sentence: bool,
    /// That text names PLANS.md.
    pub names_plans_md: bool,
    /// Every section heading of the template is followed by a blank line.
    pub blank_after_headings: bool,
}

/// How a PLANS.md writes its skeleton (`skeleton_reader.rs`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SkeletonForm {
    /// The canonical twelve sections: no PLANS.md skeleton was read.
    Canonical,
    /// A fenced or indented block of `##` headings.
    Block,
    /// Real headings one level below a "Required sections"-like heading.
    Headings,
    /// A list of section names under such a heading.
    List,
    /// A placeholder H1 (`# <Title>`) followed by real `##` sections.
    InlineTemplate,
}

impl SkeletonForm {
    pub fn describe(self) -> &'static str {
        match self {
            SkeletonForm::Canonical => "the canonical skeleton",
            SkeletonForm::Block => "a block of `##` headings",
            SkeletonForm::Headings => "headings under a required-sections heading",
            SkeletonForm::List => "a list under a required-sections heading",
            SkeletonForm::InlineTemplate => "a template written as real headings",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skeleton {
    pub sections: Vec<SkeletonSection>,
    /// Whether it came from a PLANS.md rather than the canonical format.
    pub custom: bool,
    /// Whether its order is one plans must keep (EP103): a template's
    /// order always, a list of required sections' only when stated.
    pub ordered: bool,
    pub form: SkeletonForm,
    /// The line (from 1) of its first section in the PLANS.md; 0 for the
    /// canonical skeleton.
    pub line: usize,
    /// What the team's template shows of a plan's form, when the skeleton
    /// is a template (a block or an inline one); `None` otherwise.
    pub template: Option<TemplateShape>,
}

impl SkeletonSection {
    /// The heading to write: the skeleton's own spelling.
    pub fn heading(&self) -> &str {
        &self.name
    }
}

static CANONICAL: LazyLock<Skeleton> = LazyLock::new(|| Skeleton {
    sections: SectionKind::ALL
        .iter()
        .map(|k| SkeletonSection {
            name: k.canonical_name().to_string(),
            kind: Some(*k),
            optional: false,
            checklist: None,
            reads_as: Some(*k),
        })
        .collect(),
    custom: false,
    ordered: true,
    form: SkeletonForm::Canonical,
    line: 0,
    template: None,
});

impl Skeleton {
    pub fn canonical() -> &'static Skeleton {
        &CANONICAL
    }

    /// This skeleton with what its template shows of a plan's form.
    pub fn with_template(mut self, shape: TemplateShape) -> Skeleton {
        self.template = Some(shape);
        self
    }

    /// Whether the team's template asks for the living-document sentence
    /// (EP107): the canonical skeleton does, and so does a template without
    /// a title (it shows no preamble either way).
    pub fn asks_living_sentence(&self) -> bool {
        self.template.is_none_or(|t| t.living_sentence)
    }

    /// Whether the team's template asks plans to name PLANS.md (EP108).
    pub fn asks_plans_md_reference(&self) -> bool {
        self.template.is_none_or(|t| t.names_plans_md)
    }

    /// Whether the team's template puts a blank line after its headings
    /// (EP403).
    pub fn asks_blank_after_headings(&self) -> bool {
        self.template.is_none_or(|t| t.blank_after_headings)
    }

    /// Where a section of the plan stands in this skeleton.
    pub fn index_of(&self, model: &PlanModel, section: &Section) -> Option<usize> {
        // A team's own section (one no canonical name gives a kind) matches
        // by its name first: under a skeleton with a `Goal` section, a
        // `## Goal` heading is that section, though `Goal` alone would be
        // read as a synonym of Purpose. The canonical skeleton has no such
        // sections, and rules ask for every section.
        if self.sections.iter().any(|s| s.kind.is_none()) {
            let key = normalize(&model.heading_of(section).text);
            if let Some(i) = self
                .sections
                .iter()
                .position(|s| s.kind.is_none() && normalize(&s.name) == key)
            {
                return Some(i);
            }
            // The first part of a team's joined name (`Risks` for `Risks &
            // Mitigations`, `Comandos` for `Comandos y validación`), when
            // exactly one team section starts so.
            let mut by_first_part = self.sections.iter().enumerate().filter(|(_, s)| {
                s.kind.is_none()
                    && normalize(&s.name)
                        .split_once(" & ")
                        .is_some_and(|(first, _)| first == key)
            });
            if let (Some((i, _)), None) = (by_first_part.next(), by_first_part.next()) {
                return Some(i);
            }
        }
        let kind = section.kind?;
        self.index_of_kind(kind).or_else(|| {
            // The team names the section by a synonym (`Validation Plan`):
            // the plan's `## Validation` is that section.
            let mut by_synonym = self
                .sections
                .iter()
                .enumerate()
                .filter(|(_, s)| s.kind.is_none() && s.reads_as == Some(kind));
            match (by_synonym.next(), by_synonym.next()) {
                (Some((i, _)), None) => Some(i),
                _ => None,
            }
        })
    }

    pub fn index_of_kind(&self, kind: SectionKind) -> Option<usize> {
        self.sections.iter().position(|s| s.kind == Some(kind))
    }

    /// How this skeleton spells the section `kind`: the team's spelling when
    /// its skeleton has the section, the canonical one otherwise.
    pub fn spelling_of(&self, kind: SectionKind) -> &str {
        self.index_of_kind(kind)
            .map_or(kind.canonical_name(), |i| self.sections[i].heading())
    }

    /// The skeleton section that plan section `index`, or a section around
    /// it, is.
    pub fn section_around(&self, model: &PlanModel, index: Option<usize>) -> Vec<&SkeletonSection> {
        let mut out = Vec::new();
        let mut current = index;
        while let Some(i) = current {
            let section = &model.sections[i];
            if let Some(k) = self.index_of(model, section) {
                out.push(&self.sections[k]);
            }
            current = section.parent;
        }
        out
    }

    /// Whether the team's template writes checklists in plan section
    /// `index` (or a section around it), or in any section but its Progress:
    /// a team whose template keeps checklists outside Progress (`Done
    /// Criteria`, a validation checklist) does not hold to checklists in
    /// Progress only, so EP202 does not judge them.
    pub fn allows_checklist(&self, model: &PlanModel, index: Option<usize>) -> bool {
        self.custom
            && (self.checklists_outside_progress()
                || self
                    .section_around(model, index)
                    .iter()
                    .any(|s| s.checklist == Some(true)))
    }

    /// Whether the team's template writes checkbox items in a section that
    /// is not its Progress.
    pub fn checklists_outside_progress(&self) -> bool {
        self.sections.iter().any(|s| {
            s.checklist == Some(true) && s.kind.or(s.reads_as) != Some(SectionKind::Progress)
        })
    }

    /// Whether the team's template writes this plan section's body without
    /// checkbox items, so a section without them is the team's form (EP201).
    pub fn writes_without_checklist(&self, model: &PlanModel, section: &Section) -> bool {
        self.custom
            && self
                .index_of(model, section)
                .is_some_and(|k| self.sections[k].checklist == Some(false))
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
    fn the_team_spelling_wins() {
        let team = Skeleton::from_plans_md(
            "# P\n\n## Skeleton\n\n    ## Decision log\n    ## Progress\n    ## Plan Of Work\n",
        )
        .unwrap();
        assert_eq!(team.spelling_of(SectionKind::DecisionLog), "Decision log");
        assert_eq!(
            team.spelling_of(SectionKind::Outcomes),
            "Outcomes & Retrospective"
        );
        assert_eq!(
            Skeleton::canonical().spelling_of(SectionKind::DecisionLog),
            "Decision Log"
        );
    }

    #[test]
    fn the_canonical_skeleton_has_the_twelve_sections() {
        let canonical = Skeleton::canonical();
        assert_eq!(canonical.sections.len(), 12);
        assert_eq!(canonical.index_of_kind(SectionKind::DecisionLog), Some(3));
    }
}
