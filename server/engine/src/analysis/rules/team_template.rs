//! Tests: what a team's template shows of a plan's form wins over the
//! canonical format (EP107, EP108, EP201, EP202, EP403). The readings are
//! `model::skeleton_reader`'s; the rules ask `Skeleton` what the team's
//! template writes.

use super::testing::{codes_with, of};
use crate::model::Skeleton;

/// A PLANS.md whose fenced template writes checklists under `Done when` and
/// `Checks`, dated notes without checkboxes under `Progress Notes`, no
/// living-document sentence, no PLANS.md path, and headings directly over
/// their text.
const TIGHT_TEMPLATE: &str = "# How we plan\n\n## Template\n\n```md\n# PLAN-<slug>\n\n## Goal\n- <what this achieves>\n\n## Done when\n- [ ] <an observable result>\n\n## Checks\n- [ ] `make test`\n\n## Progress Notes\n- YYYY-MM-DD: <what happened>\n```\n";

/// The same template with a blank line after each heading, the living
/// sentence and the PLANS.md path in its preamble, and a checklist in its
/// Progress section only.
const CANONICAL_LIKE: &str = "# How we plan\n\n## Template\n\n```md\n# PLAN-<slug>\n\nThis plan is a living document, kept in accordance with `PLANS.md`.\n\n## Goal\n\n- <what this achieves>\n\n## Done when\n\n- <an observable result>\n\n## Checks\n\n- `make test`\n\n## Progress Notes\n\n- [ ] <step>\n```\n";

fn team(text: &str) -> &'static Skeleton {
    Box::leak(Box::new(Skeleton::from_plans_md(text).expect("a skeleton")))
}

/// A plan written the way [`TIGHT_TEMPLATE`] shows.
const TIGHT_PLAN: &str = "# PLAN-cache\n\n## Goal\n- Answer reads from memory.\n\n## Done when\n- [x] Reads take under 1 ms.\n- [ ] The hit rate is logged.\n\n## Checks\n- [x] `make test`\n\n## Progress Notes\n- 2026-01-05: Wrote the cache.\n";

fn check_with(text: &str, skeleton: &'static Skeleton) -> Vec<(&'static str, usize)> {
    let root = Box::leak(Box::new(std::env::temp_dir()));
    let plans_md = Box::leak(Box::new(root.join("PLANS.md")));
    codes_with(text, |ctx| {
        ctx.skeleton = skeleton;
        ctx.workspace_root = Some(root.as_path());
        ctx.plans_md = Some(plans_md.as_path());
    })
}

#[test]
fn the_template_is_read_for_what_it_shows() {
    let tight = team(TIGHT_TEMPLATE);
    let shape = tight.template.expect("a template's shape");
    assert!(!shape.living_sentence && !shape.names_plans_md && !shape.blank_after_headings);
    let checklists: Vec<(&str, Option<bool>)> = tight
        .sections
        .iter()
        .map(|s| (s.name.as_str(), s.checklist))
        .collect();
    assert_eq!(
        checklists,
        [
            ("Goal", Some(false)),
            ("Done when", Some(true)),
            ("Checks", Some(true)),
            ("Progress Notes", Some(false)),
        ]
    );
    let shape = team(CANONICAL_LIKE).template.unwrap();
    assert!(shape.living_sentence && shape.names_plans_md && shape.blank_after_headings);
    // A list of required sections shows no body and no preamble: nothing is
    // relaxed.
    let list = team("# Standard\n\n## Required sections\n- Goal\n- Progress\n- Checks\n");
    assert_eq!(list.template, None);
    assert!(list.sections.iter().all(|s| s.checklist.is_none()));
    assert!(list.asks_living_sentence() && list.asks_blank_after_headings());
}

#[test]
fn a_plan_written_like_the_teams_template_gets_none_of_these_findings() {
    let found = check_with(TIGHT_PLAN, team(TIGHT_TEMPLATE));
    for code in ["EP107", "EP108", "EP201", "EP202", "EP403"] {
        assert!(of(code, &found).is_empty(), "{code}: {found:?}");
    }
}

#[test]
fn a_template_that_shows_the_canonical_form_keeps_the_rules() {
    let found = check_with(TIGHT_PLAN, team(CANONICAL_LIKE));
    assert_eq!(of("EP107", &found), [1]);
    assert_eq!(of("EP108", &found), [1]);
    // Progress Notes has no checkbox, and the team's template has one there.
    assert_eq!(of("EP201", &found), [13]);
    // Checklists where the template has none.
    assert_eq!(of("EP202", &found), [7, 8, 11]);
    assert_eq!(of("EP403", &found), [3, 6, 10, 13]);
}

#[test]
fn a_team_with_checklists_outside_progress_gets_no_ep202() {
    // The team's template keeps checklists outside Progress: a checklist in
    // another section, or one of the plan's own, is the team's habit too.
    let plan = TIGHT_PLAN.replace(
        "- Answer reads from memory.",
        "- [ ] Answer reads from memory.",
    ) + "\n## Extra\n- [ ] Something else.\n";
    let tight = team(TIGHT_TEMPLATE);
    assert!(tight.checklists_outside_progress());
    assert!(of("EP202", &check_with(&plan, tight)).is_empty());
    // A template whose only checklist is in Progress keeps EP202 everywhere
    // else.
    let canonical_like = team(CANONICAL_LIKE);
    assert!(!canonical_like.checklists_outside_progress());
    assert_eq!(
        of("EP202", &check_with(&plan, canonical_like)),
        [4, 7, 8, 11, 17]
    );
}

#[test]
fn two_team_sections_of_one_kind_are_no_duplicate() {
    let plan = "# PLAN-cache\n\n## Goal\n- Faster.\n\n## Validation\n- `make test`\n\n## Acceptance Criteria\n- Fast.\n";
    let both = team(
        "# Plans\n\n## Required sections\n- Goal\n- Validation commands\n- Acceptance criteria\n",
    );
    assert!(of("EP105", &check_with(plan, both)).is_empty());
    let one = team("# Plans\n\n## Required sections\n- Goal\n- Acceptance criteria\n- Risks\n");
    assert_eq!(of("EP105", &check_with(plan, one)), [9]);
}

#[test]
fn a_team_section_named_by_a_synonym_is_the_plans_section_of_that_kind() {
    // The team writes `Validation Plan` and `Progress Notes`; a plan's
    // `## Validation` and `## Progress Log` are those sections.
    let plan = "# PLAN-cache\n\n## Goal\n- Faster.\n\n## Done when\n- [ ] Fast.\n\n## Validation\n- [ ] `make test`\n\n## Progress Log\n- 2026-01-05: Wrote it.\n";
    let skeleton = team(&TIGHT_TEMPLATE.replace("## Checks", "## Validation Plan"));
    let found = check_with(plan, skeleton);
    assert!(of("EP102", &found).is_empty(), "{found:?}");
    // Two team sections reading as the same kind: neither is guessed.
    let two = team(&TIGHT_TEMPLATE.replace("## Checks", "## Validation Plan\n- x\n\n## Test Plan"));
    let found = check_with(plan, two);
    assert_eq!(of("EP102", &found).len(), 2, "{found:?}");
}

#[test]
fn the_first_part_of_a_team_sections_joined_name_is_that_section() {
    let skeleton = team(
        "# Plans\n\n## Required sections\n- Goal\n- Risks and Mitigations\n- Commands / Validation\n- Progress\n",
    );
    let plan = "# PLAN-cache\n\n## Goal\n\nFaster.\n\n## Risks\n\nNone.\n\n## Commands\n\n    make\n\n## Progress\n\n- [ ] Start.\n";
    let found = check_with(plan, skeleton);
    assert!(of("EP102", &found).is_empty(), "{found:?}");
    // The second part alone, or another word, is not.
    let other = plan
        .replace("## Risks", "## Mitigations")
        .replace("## Commands", "## Scripts");
    assert_eq!(of("EP102", &check_with(&other, skeleton)).len(), 2);
}
