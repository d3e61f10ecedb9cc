//! `execplan-ls new "Title" [--dir DIR]`: a new plan from the skeleton, in
//! the folder the repository keeps its plans in (`execplan_engine::new_plan`).

use std::path::Path;
use std::process::ExitCode;

use crate::new_plan;
use crate::workspace;

pub fn run(title: &str, dir: Option<&Path>) -> ExitCode {
    let cwd = std::env::current_dir().unwrap_or_default();
    let root = workspace::find_repo_root(&cwd).unwrap_or(cwd.clone());
    let plan = match new_plan::new_plan(&root, dir, title) {
        Ok(plan) => plan,
        Err(message) => {
            eprintln!("execplan-ls: {message}");
            return ExitCode::from(2);
        }
    };
    let folder = plan.path.parent().unwrap_or(Path::new("."));
    let written = std::fs::create_dir_all(folder).and_then(|_| {
        use std::io::Write;
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&plan.path)
            .and_then(|mut f| f.write_all(plan.text.as_bytes()))
    });
    if let Err(e) = written {
        eprintln!("execplan-ls: cannot write {}: {e}", plan.path.display());
        return ExitCode::from(2);
    }
    println!("{}", plan.path.display());
    ExitCode::SUCCESS
}
