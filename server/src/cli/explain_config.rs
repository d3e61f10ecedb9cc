//! `execplan-ls explain-config [PATH]`: which configuration applies to a
//! path, and the settings in force, resolved exactly as the server does.

use std::path::Path;
use std::process::ExitCode;

use crate::analysis::{RULES, TimestampStyle};
use crate::checker::PlanContext;
use crate::config;

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
    println!(
        "PLANS.md: {}",
        env.plans_md
            .as_ref()
            .map_or("none".to_string(), |p| p.display().to_string())
    );
    let sections = match env.skeleton.as_deref() {
        Some(s) => format!(
            "from PLANS.md: {}",
            s.sections
                .iter()
                .map(|s| s.heading())
                .collect::<Vec<_>>()
                .join(", ")
        ),
        None => "the canonical twelve sections".to_string(),
    };
    println!("skeleton: {sections}");
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
    println!("rules:");
    for rule in RULES {
        let effective = settings
            .options
            .severity(rule.code)
            .map_or("off", |s| s.as_str());
        let note = if settings.options.severities.contains_key(rule.code) {
            "  (configured)"
        } else {
            ""
        };
        println!("  {}  {:<8}{note}", rule.code, effective);
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
