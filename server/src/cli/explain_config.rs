//! `execplan-ls explain-config [PATH]`: which configuration applies to a
//! path, and the settings in force, resolved exactly as the server does.

use std::path::Path;
use std::process::ExitCode;

use crate::analysis::{RULES, TimestampStyle};
use crate::checker::PlanContext;
use crate::config;
use crate::plans_md;
use crate::workspace::PlanEnv;

pub fn run(path: Option<&Path>) -> ExitCode {
    let path = path
        .map(Path::to_path_buf)
        .unwrap_or_else(|| std::env::current_dir().unwrap_or_default());
    if !path.exists() {
        eprintln!("execplan-ls: {}: no such file or folder", path.display());
        return ExitCode::from(2);
    }
    let absolute = std::path::absolute(&path).unwrap_or(path.clone());
    let dir = if absolute.is_dir() {
        absolute.clone()
    } else {
        absolute.parent().unwrap_or(Path::new("/")).to_path_buf()
    };
    // What applies to a plan in that folder (or to that file).
    let probe = if absolute.is_dir() {
        absolute.join("x.md")
    } else {
        absolute.clone()
    };
    let (ctx, errors) = PlanContext::resolve(Some(&probe), None, None);
    let (settings, env) = (&ctx.settings, &ctx.env);
    println!("path: {}", absolute.display());
    match config::find_config_file(&dir) {
        Some(file) => println!("configuration file: {}", file.display()),
        None => println!(
            "configuration file: none (defaults; looked from {} up to the repository root)",
            dir.display()
        ),
    }
    println!(
        "repository root: {}",
        env.root
            .as_ref()
            .map_or("not found".to_string(), |r| r.display().to_string())
    );
    print_plans_md(env, settings.plans_md.as_deref());
    let style = match settings.options.timestamp_style {
        TimestampStyle::Canonical => "canonical",
        TimestampStyle::Lenient => "lenient",
    };
    println!("timestamp_style: {style}");
    println!("plan_globs: {:?}", settings.plan_globs);
    println!(
        "author: {}",
        settings
            .author
            .as_deref()
            .unwrap_or("(not set; git user.name is used)")
    );
    // For a file, the [[overrides]] that match it count too.
    let file = absolute.is_file().then_some(absolute.as_path());
    let matched = settings
        .options
        .matching_overrides(file, env.root.as_deref());
    println!("rules:");
    for rule in RULES {
        let effective = settings
            .options
            .severity_in(rule.code, &matched)
            .map_or("off", |s| s.as_str());
        let by_override = matched
            .iter()
            .any(|&i| settings.options.overrides[i].setting(rule.code).is_some());
        let note = if by_override {
            "  (override)"
        } else if settings.options.severities.contains_key(rule.code.as_str()) {
            "  (configured)"
        } else {
            ""
        };
        println!("  {}  {:<8}{note}", rule.code, effective);
    }
    if !settings.options.overrides.is_empty() {
        println!("overrides:");
        for (i, o) in settings.options.overrides.iter().enumerate() {
            let mut rules: Vec<String> = o
                .severities
                .iter()
                .map(|(code, s)| format!("{code} = {}", s.map_or("off", |s| s.as_str())))
                .collect();
            rules.sort();
            let applies = if matched.contains(&i) {
                "  (applies to this file)"
            } else {
                ""
            };
            println!("  {:?}: {}{applies}", o.files, rules.join(", "));
        }
    }
    for error in &errors {
        eprintln!("execplan-ls: configuration problem, defaults stay in force for it: {error}");
    }
    if errors.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    }
}

/// The PLANS.md files, which one plans follow and why, and the skeleton
/// read from it with its file and line (or why none was read).
fn print_plans_md(env: &PlanEnv, configured: Option<&str>) {
    let files = env
        .root
        .as_deref()
        .map(|root| plans_md::find(root, configured))
        .unwrap_or_default();
    match &env.plans_md {
        None => println!("PLANS.md: none"),
        Some(path) => {
            let why = if files.named_by.is_some() {
                " (named by AGENTS.md)"
            } else if configured.is_some() && files.chosen.as_ref() == Some(path) {
                " (configured)"
            } else {
                ""
            };
            println!("PLANS.md: {}{why}", path.display());
        }
    }
    for other in env.plans_mds.iter().skip(1) {
        println!(
            "other PLANS.md: {} (a plan may name it too)",
            other.display()
        );
    }
    for (link, target) in &files.outside {
        println!(
            "note: {} is a symlink to {}, outside the repository: not followed",
            link.display(),
            target.display()
        );
    }
    let Some(skeleton) = env.skeleton.as_deref() else {
        println!("skeleton: {}", env.skeleton_source.describe(None));
        return;
    };
    let order = if skeleton.ordered {
        "in this order"
    } else {
        "in any order (PLANS.md states none)"
    };
    println!(
        "skeleton: from {}, {order}:",
        env.skeleton_source.describe(Some(skeleton))
    );
    for section in &skeleton.sections {
        let mut notes = Vec::new();
        match section.kind {
            Some(kind) if kind.is_living() => {
                notes.push(format!("the {} section, living", kind.canonical_name()))
            }
            Some(kind) => notes.push(format!("the {} section", kind.canonical_name())),
            None => notes.push("the team's own section".to_string()),
        }
        if section.optional {
            notes.push("optional".to_string());
        }
        println!("  ## {}  ({})", section.heading(), notes.join(", "));
    }
}
