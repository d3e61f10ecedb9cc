//! Checks kept in memory by the workspace index ([`crate::index`]): what
//! checking a plan found, with what the findings depend on, so that the
//! editor opening the plan with the text the index read gets its
//! diagnostics without a model being built or a rule run.
//!
//! A kept check answers only when everything its findings depend on is as
//! it was, as an entry of the cache on disk does: the text (its xxh3 hash),
//! what the settings are made of ([`settings_key`]: the configuration
//! file's path and bytes, the editor's settings), the current time before
//! the findings' time runs out ([`Facts`]'s `valid_until`), and every path
//! the check looked up resolving as it did. The plan's path and
//! surroundings (repository root, PLANS.md, skeleton, what AGENTS.md said)
//! are the caller's to compare: they are resolved again when a plan opens,
//! and compared whole ([`crate::workspace::PlanEnv`] is `PartialEq`).
//!
//! Paths are kept as numbers in the index's one table of path names
//! ([`PathNames`]), 4 bytes a lookup: plans of one repository name the same
//! files over and over.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};

use xxhash_rust::xxh3::xxh3_128;

use crate::analysis::Diagnostic;
use crate::config::{self, ConfigLayer};
use crate::model::PlanModel;
use crate::workspace::{PathCache, PathKind};

use super::{ContextKey, Facts, Findings};

/// The key of what the settings of the plan at `plan` are made of: the
/// configuration file that applies to its folder (path and bytes) and the
/// editor's settings. The same key means the same [`config::Settings`].
pub fn settings_key(plan: Option<&Path>, editor: Option<&ConfigLayer>) -> u128 {
    let mut key = ContextKey::new();
    let file = plan
        .and_then(Path::parent)
        .and_then(config::find_config_file);
    key.file("configuration", file.as_deref())
        .part("editor", format!("{editor:?}").as_bytes());
    key.digest()
}

/// Every path name kept checks refer to, each once.
#[derive(Debug, Default)]
pub struct PathNames {
    table: Mutex<NameTable>,
}

#[derive(Debug, Default)]
struct NameTable {
    ids: HashMap<Arc<str>, u32>,
    names: Vec<Arc<str>>,
}

/// The most names the table holds; a check that would need more keeps no
/// findings (it is then checked afresh when opened).
const MAX_NAMES: usize = 1 << 30;

impl PathNames {
    /// The numbers of `names`, adding the new ones; `None` when the table
    /// is full.
    fn ids_of<'a>(&self, names: impl Iterator<Item = &'a str>) -> Option<Vec<u32>> {
        let mut table = self.table.lock().unwrap_or_else(|e| e.into_inner());
        names
            .map(|name| {
                if let Some(&id) = table.ids.get(name) {
                    return Some(id);
                }
                if table.names.len() >= MAX_NAMES {
                    return None;
                }
                let id = table.names.len() as u32;
                let name: Arc<str> = Arc::from(name);
                table.names.push(Arc::clone(&name));
                table.ids.insert(name, id);
                Some(id)
            })
            .collect()
    }

    fn name(table: &NameTable, id: u32) -> Option<&str> {
        table.names.get(id as usize).map(|n| &**n)
    }
}

/// What checking one plan found, and what that depends on.
#[derive(Debug)]
pub struct KeptCheck {
    /// The text's xxh3 hash and length.
    content: (u128, usize),
    /// [`settings_key`] when it was checked.
    settings: u128,
    findings: Findings,
    /// Each path the check looked up: its number in [`PathNames`], what it
    /// resolved to in the top two bits.
    paths: Box<[u32]>,
    /// The second (since 1970, UTC) from which the current time may change
    /// the findings.
    valid_until: Option<i64>,
}

const KIND_SHIFT: u32 = 30;

fn pack(id: u32, kind: PathKind) -> u32 {
    let bits = match kind {
        PathKind::File => 0,
        PathKind::Folder => 1,
        PathKind::Missing => 2,
        PathKind::Outside => 3,
    };
    id | (bits << KIND_SHIFT)
}

fn unpack(packed: u32) -> (u32, PathKind) {
    let kind = match packed >> KIND_SHIFT {
        0 => PathKind::File,
        1 => PathKind::Folder,
        2 => PathKind::Missing,
        _ => PathKind::Outside,
    };
    (packed & ((1 << KIND_SHIFT) - 1), kind)
}

fn content_of(text: &str) -> (u128, usize) {
    (xxh3_128(text.as_bytes()), text.len())
}

impl KeptCheck {
    /// The check of `text` (a plan, whose model is `model`) under settings
    /// made of `settings`, at `now`, which found `diagnostics` and looked
    /// up `looked_up` ([`crate::workspace::record_lookups`]); `None` when
    /// the path table is full.
    pub fn new(
        text: &str,
        settings: u128,
        model: &PlanModel,
        diagnostics: &[Diagnostic],
        mut looked_up: Vec<(String, PathKind)>,
        names: &PathNames,
        now: jiff::Timestamp,
    ) -> Option<KeptCheck> {
        looked_up.sort_by(|a, b| a.0.cmp(&b.0));
        looked_up.dedup_by(|a, b| a.0 == b.0);
        let ids = names.ids_of(looked_up.iter().map(|(name, _)| name.as_str()))?;
        let paths = ids
            .into_iter()
            .zip(&looked_up)
            .map(|(id, (_, kind))| pack(id, *kind))
            .collect();
        Some(KeptCheck {
            content: content_of(text),
            settings,
            findings: Findings::plan(diagnostics, now),
            paths,
            valid_until: Facts::of(Vec::new(), None, Some(model), diagnostics, now).valid_until,
        })
    }

    /// The findings, as a check of `text` under settings made of `settings`
    /// at `now` would find them, when nothing they depend on changed; each
    /// path is looked up again from `root` through `paths`. `None` when
    /// anything differs.
    pub fn answer(
        &self,
        text: &str,
        settings: u128,
        root: Option<&Path>,
        paths: &PathCache,
        names: &PathNames,
        now: jiff::Timestamp,
    ) -> Option<Vec<Diagnostic>> {
        if self.settings != settings
            || self.content.1 != text.len()
            || self.content != content_of(text)
            || self
                .valid_until
                .is_some_and(|until| now.as_second() >= until)
        {
            return None;
        }
        if !self.paths.is_empty() {
            let root = root?;
            let table = names.table.lock().unwrap_or_else(|e| e.into_inner());
            let mut under = paths.under(root);
            for &packed in &self.paths {
                let (id, kind) = unpack(packed);
                if under.kind(PathNames::name(&table, id)?) != kind {
                    return None;
                }
            }
        }
        self.findings.diagnostics(now)
    }

    /// How many paths the check looked up.
    pub fn paths_looked_up(&self) -> usize {
        self.paths.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_survive_packing() {
        for kind in [
            PathKind::File,
            PathKind::Folder,
            PathKind::Missing,
            PathKind::Outside,
        ] {
            for id in [0, 1, 12345, (1 << KIND_SHIFT) - 1] {
                assert_eq!(unpack(pack(id, kind)), (id, kind));
            }
        }
    }

    #[test]
    fn names_are_numbered_once() {
        let names = PathNames::default();
        let a = names.ids_of(["src/a.rs", "src/b.rs"].into_iter()).unwrap();
        let b = names.ids_of(["src/b.rs", "src/c.rs"].into_iter()).unwrap();
        assert_eq!(a, [0, 1]);
        assert_eq!(b, [1, 2]);
    }
}
