//! Each kind of non-plan and each kind of real plan, in fixtures written
//! here that imitate what real repositories hold.

use super::*;
use crate::model::build_from_text;

fn detect(path: &str, text: &str) -> PlanDetection {
    let model = build_from_text(text);
    detect_plan(Some(Path::new(path)), text, &model, &|_| None)
}

fn skipped(path: &str, text: &str) -> SkipReason {
    match detect(path, text) {
        PlanDetection::Skipped(reason) => reason,
        other => panic!("{path} should be skipped, got {other:?}"),
    }
}

fn plan(path: &str, text: &str) -> PlanReason {
    match detect(path, text) {
        PlanDetection::Plan(reason) => reason,
        other => panic!("{path} should be a plan, got {other:?}"),
    }
}

/// A plan in the canonical shape, short.
const CANONICAL: &str = "# Cache the parsed config\n\nThis ExecPlan is a living document; keep Progress, Surprises & Discoveries, Decision Log and Outcomes & Retrospective up to date.\n\n## Purpose / Big Picture\n\nStartup reads the config once.\n\n## Progress\n\n- [x] (2026-01-02 10:00Z) Measured startup.\n- [ ] Add the cache.\n\n## Surprises & Discoveries\n\nNone yet.\n\n## Decision Log\n\n- Decision: cache in memory.\n  Rationale: the file is small.\n  Date/Author: 2026-01-02 / Ada\n\n## Outcomes & Retrospective\n\nNot yet.\n";

#[test]
fn canonical_plan_is_a_plan_wherever_it_sits() {
    for path in [
        "notes/cache.md",
        ".agent/plans/cache.md",
        "docs/plans/cache.md",
        "cache.md",
    ] {
        assert_eq!(plan(path, CANONICAL), PlanReason::Content, "{path}");
    }
    // An unsaved buffer too.
    let model = build_from_text(CANONICAL);
    assert!(detect_plan(None, CANONICAL, &model, &|_| None).is_plan());
}

#[test]
fn plan_wrapped_in_an_outer_fence_is_read_inside_it() {
    let wrapped = format!("```md\n{CANONICAL}```\n");
    assert_eq!(plan("docs/exec.md", &wrapped), PlanReason::Content);
}

#[test]
fn plan_with_its_sections_as_h1_headings() {
    let text = "# Mode switcher\n\n# Progress\n\n- [x] (2026-01-02 10:00Z) Done.\n\n# Decision Log\n\n- Decision: x.\n";
    assert_eq!(plan("docs/feature.md", text), PlanReason::Content);
}

#[test]
fn execplan_title_with_a_custom_skeleton_is_a_plan() {
    let text = "# ExecPlan: Open issue flow for #12\n\n## Goal\n\nClose the issue.\n\n## Steps\n\n1. Reproduce.\n2. Fix.\n\n## Done Criteria\n\nThe test passes.\n";
    assert_eq!(plan("work/issue-12.md", text), PlanReason::Content);
}

#[test]
fn plan_folder_plan_in_another_language_with_its_own_sections() {
    let text = "# 2026-03-07-transport-units\n\n輸送ユニットを追加する。\n\n## 目的\n\n輸送を可能にする。\n\n## 実装フェーズ\n\n### Phase 1\n\n型を定義する。\n\n## 受け入れ条件\n\nテストが通る。\n";
    assert_eq!(
        plan("docs/exec-plans/active/2026-03-07-transport-units.md", text),
        PlanReason::Location
    );
    // The same text outside any plan folder is not evidence enough.
    assert_eq!(
        skipped("docs/notes/transport.md", text),
        SkipReason::NoEvidence
    );
}

#[test]
fn execplan_name_is_a_prior_for_a_numbered_skeleton() {
    let text = "# V1 Bootstrap\n\n## 1. Goal\n\nBoot the system.\n\n## 2. Non-goals\n\nNo UI.\n\n## 3. Validation\n\nIt boots.\n";
    assert_eq!(
        plan("docs/release/V1_BOOTSTRAP_EXECPLAN.md", text),
        PlanReason::Location
    );
}

#[test]
fn a_new_or_empty_file_counts_only_where_plans_live() {
    for text in ["", "# New plan\n", "# New plan\n\nTo be written.\n"] {
        assert_eq!(plan(".agent/plans/new.md", text), PlanReason::NewFile);
        assert_eq!(plan("src/feature-execplan.md", text), PlanReason::NewFile);
        assert_eq!(skipped("notes/new.md", text), SkipReason::NoEvidence);
        // A generic plans/ folder holds other documents too.
        assert_eq!(skipped("docs/plans/new.md", text), SkipReason::NoEvidence);
    }
}

#[test]
fn preamble_that_cites_plans_md_makes_a_plan() {
    let text = "# Modernization plan\n\nMaintain this plan per `.agent/PLANS.md`.\n\n## 1. Milestone 0 - Discovery\n\nRead the code.\n";
    assert_eq!(plan("docs/handbook/PLAN.md", text), PlanReason::Content);
}

#[test]
fn generic_plans_folder_needs_more_than_a_plan_shape() {
    // A PRD in docs/plans/: purpose and requirements, nothing of a plan's
    // living sections.
    let prd = "# Billing PRD\n\n## Purpose\n\nCharge users.\n\n## Requirements\n\n- Monthly invoices.\n\n## Open questions\n\nTaxes.\n";
    assert!(!detect("docs/plans/billing.md", prd).is_plan());
    // A cost report in the same folder.
    let report = "# Cloud cost report\n\n## Summary\n\n| month | cost |\n|---|---|\n| Jan | 3 |\n";
    assert!(!detect("docs/plans/cost.md", report).is_plan());
    // A design document whose only living-like heading is "Key Decisions".
    let design = "# Physics engine architecture plan\n\n## Requirements\n\nFast.\n\n## Interfaces\n\nA trait.\n\n## Key Decisions\n\n- Use f32.\n";
    assert!(!detect("plans/physics.md", design).is_plan());
    // Most of the skeleton's sections, though, make it a plan.
    let skeleton = "# Migrate\n\n## Purpose / Big Picture\n\nx\n\n## Context and Orientation\n\nx\n\n## Plan of Work\n\nx\n\n## Validation and Acceptance\n\nx\n";
    assert_eq!(
        plan("docs/plans/migrate.md", skeleton),
        PlanReason::Location
    );
}

#[test]
fn plans_md_and_other_names_are_never_plans() {
    for (path, reason) in [
        (".agent/PLANS.md", SkipReason::PlansMd),
        ("PLANS.md", SkipReason::PlansMd),
        ("templates/plans.md", SkipReason::PlansMd),
        (".agent/plans/README.md", SkipReason::Readme),
        ("docs/exec-plans/index.md", SkipReason::Readme),
        ("AGENTS.md", SkipReason::AgentInstructions),
        ("CLAUDE.md", SkipReason::AgentInstructions),
        (".agent/plans/TEMPLATE.md", SkipReason::TemplateName),
        ("docs/EXECPLAN_TEMPLATE.md", SkipReason::TemplateName),
        ("docs/execplans/0000-template.md", SkipReason::TemplateName),
        (".agents/skills/plan/SKILL.md", SkipReason::Skill),
    ] {
        // Even with a plan's content.
        assert_eq!(skipped(path, CANONICAL), reason, "{path}");
    }
}

#[test]
fn agent_prompts_and_commands_are_never_plans() {
    for path in [
        ".claude/commands/execplan.md",
        ".claude/plans/websocket.md",
        ".cursor/plans/sync-42c2b8cc.plan.md",
        ".codex/prompts/execplan.md",
        ".github/prompts/plan.prompt.md",
        ".agents/workflows/show-plan.md",
        "tools/prompts/new-plan.md",
    ] {
        assert!(
            matches!(skipped(path, CANONICAL), SkipReason::AgentTooling(_)),
            "{path}"
        );
    }
}

#[test]
fn a_template_is_recognised_by_its_placeholders() {
    let text = "# <Short, action-oriented title>\n\nThis ExecPlan is a living document.\n\n## Purpose / Big Picture\n\n<What the user gains.>\n\n## Progress\n\n- [ ] <First step.>\n\n## Decision Log\n\n- Decision: <what>\n  Rationale: <why>\n";
    assert_eq!(
        skipped(".agent/plans/skeleton.md", text),
        SkipReason::TemplateContent
    );
    let braces = "# Tasks for the feature\n\n## Purpose\n\n{Feature Name} does {Main Thing}.\n\n## Progress\n\n- [ ] {First Task}\n\n## Decision Log\n\n{Decision Text Here}\n\n## Outcomes\n\n{Outcome Text}\n";
    assert_eq!(
        skipped("docs/feature-plan.md", braces),
        SkipReason::TemplateContent
    );
    // Code-like text, in backticks or not, and HTML tags are not
    // placeholders.
    let code = CANONICAL
        .replace(
            "Startup reads the config once.",
            "Startup returns `Result<usize, String>` once.<br>\n\n<details>x</details>",
        )
        .replace(
            "Not yet.",
            "It returns Result<usize, String> and Vec<Config>.",
        )
        .replace("None yet.", "A HashMap<K, V> was slower.")
        .replace("the file is small.", "Option<Box<Node>> is enough.");
    assert_eq!(plan("notes/cache.md", &code), PlanReason::Content);
}

#[test]
fn a_document_about_writing_execplans_is_not_a_plan() {
    let meta = "# How we plan\n\nEvery ExecPlan must be self-contained. ExecPlans must be kept up to date, and an ExecPlan should name its files.\n\n## Skeleton\n\n    # <Title>\n\n    ## Progress\n\n    ## Decision Log\n";
    assert_eq!(skipped("docs/planning.md", meta), SkipReason::MetaDocument);
    // The article that embeds the skeleton in a fence, with the
    // living-document sentence inside it.
    let article = "# Running agents for hours\n\n## 1. Set up\n\nInstall the tool.\n\n## 2. Write the plan\n\n```md\n# <Goal>\n\nThis ExecPlan is a living document.\n\n## Progress\n\n- [ ] Step.\n\n## Surprises & Discoveries\n\n## Decision Log\n```\n";
    assert!(!detect("openai-version.md", article).is_plan());
    assert!(!detect(".agent/execplans/guide.md", article).is_plan());
}

#[test]
fn headings_in_code_are_never_evidence() {
    // A research note whose only plan-like headings are fenced examples.
    let note = "# Research: how other teams plan\n\nWe looked at three repositories.\n\n```markdown\n## Progress\n\n- [x] Example.\n\n## Decision Log\n\n## Outcomes & Retrospective\n```\n\nFindings follow.\n";
    assert!(!detect("docs/plans/research.md", note).is_plan());
    // Indented code too.
    let indented =
        "# Notes\n\nAn example:\n\n    ## Progress\n\n    ## Decision Log\n\nThat is all.\n";
    assert!(!detect("notes/example.md", indented).is_plan());
    // The same headings as real headings are a plan.
    let real = "# Notes\n\n## Progress\n\n- [x] Example.\n\n## Decision Log\n\nNone.\n";
    assert!(detect("notes/example.md", real).is_plan());
}

#[test]
fn a_stub_that_points_elsewhere_is_not_a_plan() {
    let stub =
        "# Old cache plan\n\nArchived: this plan moved to [the new one](../completed/cache.md).\n";
    assert_eq!(skipped(".agent/plans/old-cache.md", stub), SkipReason::Stub);
    let see = "# Cache plan\n\nSee `docs/execplans/cache.md`; this file is kept for old links.\n";
    assert_eq!(skipped(".agent/plans/cache.md", see), SkipReason::Stub);
}

#[test]
fn files_that_belong_to_a_plan_are_not_plans() {
    let task = "---\ntask_id: 02\nplan_file: ./PLAN_import.md\ntitle: Refresh previews\n---\n\n- [ ] Trace the flow.\n\n## Progress\n\n- [x] Done.\n\n## Decision Log\n\nNone.\n";
    assert_eq!(
        skipped("docs/exec-plans/active/import/TASK_02_import.md", task),
        SkipReason::PartOfPlan
    );
    // A plan's own id in its front matter is not another plan.
    let own = format!("---\nplan_id: PLAN_import\nstatus: active\n---\n\n{CANONICAL}");
    assert!(detect("docs/exec-plans/active/import/PLAN_import.md", &own).is_plan());
    let report = "# Early tester issues report\n\n## Issues\n\n- Crash on start.\n";
    assert_eq!(
        skipped("docs/exec-plans/completed/reports/early.md", report),
        SkipReason::PlanMaterial("reports".into())
    );
    let baseline = "# Baseline (Milestone 0)\n\n## Summary metrics\n\n| metric | value |\n|---|---|\n| a | 1 |\n";
    assert!(matches!(
        skipped("docs/exec-plans/active/artifacts/baseline.md", baseline),
        SkipReason::PlanMaterial(_)
    ));
}

#[test]
fn a_title_that_names_another_kind_of_document() {
    let tracker = "# Tech Debt Tracker\n\n## Purpose\n\nTrack debt.\n\n## Priority queue\n\n- Build health.\n";
    assert_eq!(
        skipped("docs/exec-plans/tech-debt-tracker.md", tracker),
        SkipReason::OtherKind("tracker".into())
    );
    let summary = "# Shared models - Implementation Summary\n\n## Changes made\n\n### Phase 1\n\nMerged enums.\n";
    assert_eq!(
        skipped("docs/execplans/shared_models_summary.md", summary),
        SkipReason::OtherKind("summary".into())
    );
    let spec = "# Feature Spec: Core engine\n\n## Goals\n\nFast.\n\n## Acceptance\n\nTests.\n";
    assert_eq!(
        skipped("docs/execplans/0001-core.md", spec),
        SkipReason::OtherKind("spec".into())
    );
    // Away from plan folders, a mission file with a Decision Log and a
    // progress log is still a mission.
    let mission = "# Converge on green builds\n\n## Decision Log\n\n| when | decision |\n|---|---|\n| x | y |\n\n## Progress Log\n\n- Started.\n\n## Retrospective\n\nLater.\n";
    assert_eq!(
        skipped("todo/missions/m-1/mission.md", mission),
        SkipReason::OtherKind("mission".into())
    );
    // Its title alone would not be enough there.
    assert!(detect("todo/missions/m-1/converge.md", mission).is_plan());
    // A plan whose title names itself a plan is not caught by this.
    assert!(detect("docs/execplans/audit-lifecycle.md", CANONICAL).is_plan());
    // Nor is a plan whose title happens to end in such a word: its living
    // sections are stronger evidence than its title.
    let index_plan = CANONICAL
        .replace("# Cache the parsed config", "# Rebuild the search index")
        .replace("This ExecPlan is a living document; keep", "Keep");
    assert_eq!(plan("notes/search.md", &index_plan), PlanReason::Content);
    // In a plan folder with its own sections, a title in the imperative is
    // a plan's even when it ends in such a word; a noun phrase is not.
    let own =
        "# Rebuild the search index\n\n## Goal\n\nFaster search.\n\n## Steps\n\n1. Build it.\n";
    assert_eq!(plan(".agent/plans/search.md", own), PlanReason::Location);
    let noun = own.replace("Rebuild the search index", "Search index");
    assert_eq!(
        skipped(".agent/plans/search.md", &noun),
        SkipReason::OtherKind("index".into())
    );
}

#[test]
fn scratch_notes_are_skipped() {
    assert_eq!(
        skipped(".ai/plans/tmp/x.md", CANONICAL),
        SkipReason::Scratch
    );
}

#[test]
fn configuration_forces_files_in_and_out() {
    let model = build_from_text(CANONICAL);
    let out = |p: &Path| p.starts_with("docs/prd").then_some(false);
    assert_eq!(
        detect_plan(Some(Path::new("docs/prd/x.md")), CANONICAL, &model, &out),
        PlanDetection::Skipped(SkipReason::Configured)
    );
    let other = "# Notes\n\nNothing of a plan.\n";
    let other_model = build_from_text(other);
    let forced_in = |p: &Path| p.starts_with("design").then_some(true);
    assert_eq!(
        detect_plan(
            Some(Path::new("design/x.md")),
            other,
            &other_model,
            &forced_in
        ),
        PlanDetection::Plan(PlanReason::Configured)
    );
    // Even a name that is never a plan can be forced in.
    assert!(
        detect_plan(
            Some(Path::new("design/README.md")),
            other,
            &other_model,
            &forced_in
        )
        .is_plan()
    );
}

#[test]
fn every_reason_reads_as_words() {
    let reasons = [
        SkipReason::Configured,
        SkipReason::PlansMd,
        SkipReason::Readme,
        SkipReason::AgentInstructions,
        SkipReason::TemplateName,
        SkipReason::TemplateContent,
        SkipReason::AgentTooling(".claude/".into()),
        SkipReason::Skill,
        SkipReason::Scratch,
        SkipReason::MetaDocument,
        SkipReason::Stub,
        SkipReason::PartOfPlan,
        SkipReason::PlanMaterial("reports".into()),
        SkipReason::OtherKind("adr".into()),
        SkipReason::NoPlanSections,
        SkipReason::NoEvidence,
    ];
    for reason in reasons {
        let text = reason.to_string();
        assert!(text.len() > 10 && !text.contains("Skip"), "{text}");
    }
    assert_eq!(
        SkipReason::OtherKind("adr".into()).to_string(),
        "its title or name says it is an ADR, not a plan"
    );
}

/// The one-automaton search of prose phrases finds exactly what lowercasing
/// and searching phrase by phrase finds: each phrase alone, in any case,
/// inside words, overlapping another, several at once, and none.
#[test]
fn prose_phrases_agree_with_lowercased_search() {
    assert!(
        PROSE_PHRASES
            .iter()
            .all(|p| !p.is_empty() && p.is_ascii() && p.to_lowercase() == *p)
    );
    let mut pieces: Vec<String> = vec![
        String::new(),
        "Nothing to see here.".into(),
        "This ExecPlan is a LIVING DOCUMENT; every ExecPlan must say so.".into(),
        "It has moved to docs/ and was archived, superseded and replaced by another.".into(),
        "execplans mustexecplans should".into(),
        "overseen".into(),
        "An ExecPlan is what an execplan should be: see  it.".into(),
    ];
    let mut seed = 17u64;
    let mut next = move || {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) as usize
    };
    for _ in 0..2_000 {
        let mut piece = String::new();
        for _ in 0..next() % 5 {
            let phrase = PROSE_PHRASES[next() % PROSE_PHRASES.len()];
            // A random cut of the phrase, in random case, among filler.
            let cut = &phrase[..phrase.len() - next() % 3.min(phrase.len())];
            let cased: String = cut
                .chars()
                .map(|c| {
                    if next() % 2 == 0 {
                        c.to_ascii_uppercase()
                    } else {
                        c
                    }
                })
                .collect();
            piece.push_str(["", " ", "x", ". ", "see"][next() % 5]);
            piece.push_str(&cased);
        }
        pieces.push(piece);
    }
    for piece in &pieces {
        assert_eq!(
            prose_phrases(piece),
            prose_phrases_lowercased(piece),
            "{piece:?}"
        );
    }
    // Non-ASCII text takes the Unicode path, which finds the phrases too.
    assert_eq!(
        prose_phrases("Ce plan est un LIVING DOCUMENT — déplacé, archived."),
        1 | 1 << (LIVING.len() + GENERIC_PHRASES.len() + 2)
    );
}
