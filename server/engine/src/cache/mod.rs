//! The cache of findings `check` keeps between runs, as ruff and rumdl do:
//! one file per repository, `.cache/execplan-ls/check.json` under its root
//! (or the platform's cache folder when the tree cannot be written), with
//! one entry per checked file.
//!
//! An entry is used only when everything its findings depend on is as it
//! was: the file's bytes and the run's context (`key.rs`: the tool's
//! version, the configuration file's text, PLANS.md and where it came from,
//! the skeleton, AGENTS.md, the revision `--changed-since` names), and the
//! outside facts the check read, recorded with the entry (`facts.rs`: what
//! each path the plan names resolved to, the commit history was read at,
//! until when the current time leaves the findings as they are). So a cached
//! result is never stale. A file that cannot be read or parsed is ignored
//! (a note says so); the file is written whole to a temporary file and
//! renamed over the old one, so two runs at once never leave it torn.
//!
//! The language server keeps checks in memory instead (`kept.rs`): the
//! workspace index checks each plan it reads, so that the editor opening
//! that plan with the same text is answered at once, under the same rule:
//! the text, what the settings come from and the plan's surroundings as
//! they were, and every path the check looked up resolving as it did.

pub mod facts;
pub mod kept;
pub mod key;
mod stored;

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

pub use facts::Facts;
pub use key::{ContextKey, content_key};
pub use stored::Findings;

/// The stored form's version: entries of another are never read.
const FORMAT: u32 = 1;

/// One cached result: what the file was, what it was checked in, what the
/// check found and the facts it read.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Entry {
    /// [`content_key`] of the file's bytes.
    pub content: String,
    /// [`ContextKey`] of everything else the run applied to it.
    pub context: String,
    pub findings: Findings,
    pub facts: Facts,
}

#[derive(Default, serde::Serialize, serde::Deserialize)]
struct CacheFile {
    format: u32,
    /// By the file's absolute path.
    entries: HashMap<String, Entry>,
}

/// The cache of one repository for one run: the entries read at the start,
/// the ones this run found, written back together by [`FindingsCache::save`].
pub struct FindingsCache {
    file: PathBuf,
    old: HashMap<String, Entry>,
    new: Mutex<HashMap<String, Entry>>,
    /// Why the stored file was not used, when it existed but could not be.
    note: Option<String>,
}

impl FindingsCache {
    /// The cache of the repository at `root`, read from where it is kept
    /// ([`cache_file`]); empty when there is none or it cannot be used.
    pub fn open(root: &Path) -> FindingsCache {
        let file = cache_file(root);
        let (old, note) = match std::fs::read(&file) {
            Ok(bytes) => match serde_json::from_slice::<CacheFile>(&bytes) {
                Ok(stored) if stored.format == FORMAT => (stored.entries, None),
                Ok(_) => (HashMap::new(), None),
                Err(e) => (
                    HashMap::new(),
                    Some(format!(
                        "the cache {} cannot be read ({e}); checking afresh",
                        file.display()
                    )),
                ),
            },
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => (HashMap::new(), None),
            Err(e) => (
                HashMap::new(),
                Some(format!(
                    "the cache {} cannot be read ({e}); checking afresh",
                    file.display()
                )),
            ),
        };
        FindingsCache {
            file,
            old,
            new: Mutex::new(HashMap::new()),
            note,
        }
    }

    /// The stored entry for the file at `path` (absolute) when its bytes and
    /// context are the ones given; its facts are for the caller to check.
    pub fn get(&self, path: &Path, content: &str, context: &str) -> Option<&Entry> {
        self.old
            .get(path.to_string_lossy().as_ref())
            .filter(|e| e.content == content && e.context == context)
    }

    /// Remembers what this run found for the file at `path`.
    pub fn put(&self, path: &Path, entry: Entry) {
        self.new
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(path.to_string_lossy().into_owned(), entry);
    }

    /// Why the stored cache was not used, if it existed and could not be.
    pub fn note(&self) -> Option<&str> {
        self.note.as_deref()
    }

    /// Where the cache is kept.
    pub fn file(&self) -> &Path {
        &self.file
    }

    /// Writes the entries back: this run's, and the stored ones of files it
    /// did not check (a run on one file keeps the others'). Nothing is
    /// written when nothing changed.
    pub fn save(self) -> Result<(), String> {
        let new = self.new.into_inner().unwrap_or_else(|e| e.into_inner());
        if new
            .iter()
            .all(|(path, entry)| self.old.get(path) == Some(entry))
        {
            return Ok(());
        }
        let mut entries = self.old;
        entries.extend(new);
        let stored = CacheFile {
            format: FORMAT,
            entries,
        };
        let bytes = serde_json::to_vec(&stored).map_err(|e| e.to_string())?;
        write_atomically(&self.file, &bytes)
            .map_err(|e| format!("cannot write the cache {}: {e}", self.file.display()))
    }
}

/// The cache file of the repository at `root`: `.cache/execplan-ls/check.json`
/// under it when that folder can be created and written, else in the
/// platform's cache folder (`$XDG_CACHE_HOME` or `~/.cache`, then the
/// system's temporary folder), in a folder named by the root's path.
pub fn cache_file(root: &Path) -> PathBuf {
    let in_tree = root.join(".cache").join("execplan-ls");
    if writable(&in_tree) {
        return in_tree.join("check.json");
    }
    let base = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
        .unwrap_or_else(std::env::temp_dir);
    let name = key::hex(xxhash_rust::xxh3::xxh3_128(
        root.to_string_lossy().as_bytes(),
    ));
    base.join("execplan-ls").join(name).join("check.json")
}

/// Whether `dir` exists or can be made, and a file can be written in it.
/// A new folder gets a `.gitignore` of `*`, so the cache is never committed.
fn writable(dir: &Path) -> bool {
    if !dir.is_dir() {
        if std::fs::create_dir_all(dir).is_err() {
            return false;
        }
        let _ = std::fs::write(dir.join(".gitignore"), "# Made by execplan-ls.\n*\n");
    }
    let probe = dir.join(format!(".probe-{}", std::process::id()));
    let ok = std::fs::write(&probe, b"").is_ok();
    let _ = std::fs::remove_file(&probe);
    ok
}

/// Writes `bytes` to a temporary file beside `file`, then renames it over
/// `file`: a reader sees the old cache or the new one, never half of one.
fn write_atomically(file: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = file.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let temporary = dir.join(format!(
        ".check.json.{}.{:?}.tmp",
        std::process::id(),
        std::thread::current().id()
    ));
    let result = (|| {
        let mut out = std::fs::File::create(&temporary)?;
        out.write_all(bytes)?;
        out.flush()?;
        std::fs::rename(&temporary, file)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(content: &str) -> Entry {
        Entry {
            content: content.to_string(),
            context: "c".to_string(),
            findings: Findings::NotAPlan("a README".to_string()),
            facts: Facts::default(),
        }
    }

    #[test]
    fn entries_survive_a_save_and_a_corrupt_file_is_ignored() {
        let root = std::env::temp_dir().join(format!("execplan-cache-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(&root).unwrap();
        let plan = root.join("a.md");
        let cache = FindingsCache::open(&root);
        assert!(cache.get(&plan, "1", "c").is_none());
        cache.put(&plan, entry("1"));
        cache.save().unwrap();
        let dir = root.join(".cache/execplan-ls");
        assert!(dir.join("check.json").is_file());
        assert!(
            std::fs::read_to_string(dir.join(".gitignore"))
                .unwrap()
                .contains('*')
        );
        let cache = FindingsCache::open(&root);
        assert_eq!(cache.get(&plan, "1", "c"), Some(&entry("1")));
        assert!(cache.get(&plan, "2", "c").is_none());
        assert!(cache.get(&plan, "1", "other").is_none());
        // A run on another file keeps this one's entry.
        cache.put(&root.join("b.md"), entry("3"));
        cache.save().unwrap();
        let cache = FindingsCache::open(&root);
        assert!(cache.get(&plan, "1", "c").is_some());
        std::fs::write(dir.join("check.json"), b"{ not json").unwrap();
        let cache = FindingsCache::open(&root);
        assert!(cache.get(&plan, "1", "c").is_none());
        assert!(cache.note().unwrap().contains("cannot be read"));
        let _ = std::fs::remove_dir_all(&root);
    }
}
