//! Why the fast whole-document parse gives up, tallied over a folder:
//! which constructs send documents to the tree-sitter path, and how much
//! text they carry.
//!
//!   cargo run --release -p execplan-engine --example give_ups -- DIR
use std::collections::BTreeMap;
use std::path::Path;

use execplan_engine::syntax::FastBlocks;

fn main() {
    let dir = std::env::args().nth(1).unwrap_or_else(|| ".".into());
    let mut tally: BTreeMap<&'static str, (usize, usize)> = BTreeMap::new();
    let (mut files, mut bytes) = (0usize, 0usize);
    walk(Path::new(&dir), &mut |text| {
        files += 1;
        bytes += text.len();
        if let Err(reason) = FastBlocks::parse_or_reason(text) {
            let entry = tally.entry(reason.0).or_default();
            entry.0 += 1;
            entry.1 += text.len();
        }
    });
    let (gave_up, lost): (usize, usize) =
        tally.values().fold((0, 0), |a, b| (a.0 + b.0, a.1 + b.1));
    println!(
        "{files} files, {bytes} bytes; {gave_up} files ({lost} bytes) take the tree-sitter path"
    );
    let mut rows: Vec<_> = tally.into_iter().collect();
    rows.sort_by_key(|(_, (_, b))| std::cmp::Reverse(*b));
    for (reason, (n, b)) in rows {
        println!("{n:6} files {b:10} bytes  {reason}");
    }
}

fn walk(dir: &Path, each: &mut dyn FnMut(&str)) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            walk(&path, each);
        } else if path.extension().is_some_and(|e| e == "md")
            && let Ok(text) = std::fs::read_to_string(&path)
        {
            each(&text);
        }
    }
}
