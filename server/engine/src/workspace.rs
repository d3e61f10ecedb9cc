//! Where a plan sits: its repository root and the repository's PLANS.md.
//! Shared by the CLI and the server so both resolve paths the same way.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use crate::model::Skeleton;
use crate::plans_md::{self, SkeletonSource};

/// Where PLANS.md is checked in, in order of preference.
pub const PLANS_MD_LOCATIONS: [&str; 5] = [
    ".agent/PLANS.md",
    "PLANS.md",
    "docs/PLANS.md",
    ".agents/PLANS.md",
    ".ai/plans/PLANS.md",
];

/// The nearest folder at or above `start` that holds `.git`.
pub fn find_repo_root(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .find(|dir| dir.join(".git").exists())
        .map(Path::to_path_buf)
}

/// The repository's PLANS.md, if one is checked in at a known location.
pub fn find_plans_md(root: &Path) -> Option<PathBuf> {
    PLANS_MD_LOCATIONS
        .iter()
        .map(|rel| root.join(rel))
        .find(|p| p.is_file())
}

/// What a check knows of a plan's surroundings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlanEnv {
    pub root: Option<PathBuf>,
    /// The PLANS.md plans follow (`plans_md::find`).
    pub plans_md: Option<PathBuf>,
    /// Every PLANS.md of the repository, `plans_md` first: a plan may name
    /// any of them.
    pub plans_mds: Vec<PathBuf>,
    /// The skeleton in PLANS.md, when one could be read.
    pub skeleton: Option<Arc<Skeleton>>,
    /// Where the skeleton came from, or why the canonical one applies.
    pub skeleton_source: SkeletonSource,
    /// Why the repository's PLANS.md gave no skeleton, when it has one that
    /// did not (EP111).
    pub skeleton_problem: Option<String>,
}

impl Default for PlanEnv {
    fn default() -> Self {
        PlanEnv {
            root: None,
            plans_md: None,
            plans_mds: Vec::new(),
            skeleton: None,
            skeleton_source: SkeletonSource::NoPlansMd,
            skeleton_problem: None,
        }
    }
}

impl PlanEnv {
    /// Looks around `plan_path` (absolute); `root` is used when given (the
    /// editor's workspace folder), else the repository root is searched for.
    /// `configured` is the `plans_md` setting, relative to the root.
    pub fn discover(plan_path: &Path, root: Option<&Path>, configured: Option<&str>) -> PlanEnv {
        let root = root
            .map(Path::to_path_buf)
            .or_else(|| plan_path.parent().and_then(find_repo_root));
        let files = root
            .as_deref()
            .map(|r| plans_md::find(r, configured))
            .unwrap_or_default();
        let (skeleton, skeleton_source) = plans_md::read_skeleton(&files);
        let skeleton_problem = skeleton_source.problem(root.as_deref());
        PlanEnv {
            skeleton_problem,
            root,
            plans_md: files.chosen,
            plans_mds: files.all,
            skeleton: skeleton.map(Arc::new),
            skeleton_source,
        }
    }
}

/// The git `user.name` for a repository, read from its `.git/config`, then
/// the user's `~/.gitconfig` (without running git).
pub fn git_user_name(root: Option<&Path>) -> Option<String> {
    let mut files: Vec<PathBuf> = Vec::new();
    if let Some(root) = root {
        files.push(root.join(".git").join("config"));
    }
    if let Some(home) = std::env::var_os("HOME") {
        files.push(PathBuf::from(&home).join(".gitconfig"));
        files.push(PathBuf::from(home).join(".config/git/config"));
    }
    files.iter().find_map(|f| {
        std::fs::read_to_string(f)
            .ok()
            .and_then(|t| user_name_in(&t))
    })
}

/// `name` in the `[user]` section of a git config text.
fn user_name_in(config: &str) -> Option<String> {
    let mut in_user = false;
    for line in config.lines() {
        let t = line.trim();
        if t.starts_with('[') {
            in_user = t
                .trim_matches(['[', ']'])
                .trim()
                .eq_ignore_ascii_case("user");
        } else if in_user
            && let Some((key, value)) = t.split_once('=')
            && key.trim().eq_ignore_ascii_case("name")
        {
            let value = value.trim().trim_matches('"').trim();
            if !value.is_empty() {
                return Some(value.to_string());
            }
        }
    }
    None
}

/// Markdown files below `dir`, respecting `.gitignore`, in a stable order.
pub fn markdown_below(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = ignore::WalkBuilder::new(dir)
        .hidden(false)
        .filter_entry(|e| e.file_name() != ".git")
        .build()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_some_and(|t| t.is_file()))
        .map(|e| e.into_path())
        .filter(|p| {
            p.extension()
                .is_some_and(|x| x.eq_ignore_ascii_case("md") || x.eq_ignore_ascii_case("markdown"))
        })
        .collect();
    files.sort();
    files
}

/// What a repository-relative path in a plan refers to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PathTarget {
    /// A file inside the workspace, canonical.
    File(PathBuf),
    /// A folder inside the workspace, canonical.
    Folder(PathBuf),
    /// Inside the workspace, but nothing is there.
    Missing(PathBuf),
    /// Absolute, or leading (through `..` or a symlink) out of the workspace:
    /// never read.
    Outside,
}

impl PathTarget {
    /// The file or folder, when the target exists in the workspace.
    pub fn existing(self) -> Option<PathBuf> {
        match self {
            PathTarget::File(p) | PathTarget::Folder(p) => Some(p),
            PathTarget::Missing(_) | PathTarget::Outside => None,
        }
    }
}

/// Resolves `rel` (as a plan writes it: `server/src/lib.rs`, `./docs/`,
/// `src/main.rs:42`) against the workspace `root`, lexically and then
/// through symlinks, and refuses anything that ends up outside `root`.
pub fn resolve_in_workspace(root: &Path, rel: &str) -> PathTarget {
    let rel = rel.trim();
    // `path::symbol` names an item in the file.
    let rel = rel.split("::").next().unwrap_or(rel);
    // A `:line` or `:line:col` suffix names a place in the file.
    let rel = match rel.split_once(':') {
        Some((path, rest)) if rest.split(':').all(|p| p.parse::<u32>().is_ok()) => path,
        _ => rel,
    };
    let rel = rel.split('#').next().unwrap_or(rel);
    if rel.is_empty() || Path::new(rel).is_absolute() || rel.starts_with('~') {
        return PathTarget::Outside;
    }
    let mut joined = root.to_path_buf();
    for part in Path::new(rel).components() {
        match part {
            std::path::Component::Normal(p) => joined.push(p),
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                if joined == root || !joined.pop() {
                    return PathTarget::Outside;
                }
            }
            _ => return PathTarget::Outside,
        }
    }
    let Ok(canonical_root) = root.canonicalize() else {
        return PathTarget::Outside;
    };
    match joined.canonicalize() {
        Ok(real) if !real.starts_with(&canonical_root) => PathTarget::Outside,
        Ok(real) if real.is_dir() => PathTarget::Folder(real),
        Ok(real) if real.is_file() => PathTarget::File(real),
        // A pipe, socket or device: reading it could block or never end.
        Ok(_) => PathTarget::Outside,
        Err(_) => PathTarget::Missing(joined),
    }
}

/// What a path resolved to, without the path itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PathKind {
    File,
    Folder,
    Missing,
    Outside,
}

impl PathTarget {
    pub fn kind(&self) -> PathKind {
        match self {
            PathTarget::File(_) => PathKind::File,
            PathTarget::Folder(_) => PathKind::Folder,
            PathTarget::Missing(_) => PathKind::Missing,
            PathTarget::Outside => PathKind::Outside,
        }
    }
}

/// Remembers for a moment what [`resolve_in_workspace`] found, so a
/// keystroke does not look at every path its plan names again: a plan with
/// a few hundred paths cost thousands of `readlink` calls, milliseconds, per
/// keystroke. An answer older than [`PathCache::FRESH_FOR`] is looked up
/// again; `clear` forgets everything (the server calls it when watched files
/// change).
#[derive(Debug, Default)]
pub struct PathCache {
    /// By root (a workspace has one or a few), then by the path as the plan
    /// writes it.
    roots: Mutex<Vec<(PathBuf, PathsOfRoot)>>,
}

/// What each path, as a plan writes it, resolved to, and when. A check
/// looks up every path of its plan, so the hash is the fast one.
type PathsOfRoot = HashMap<String, (Instant, PathKind), foldhash::fast::RandomState>;

impl PathCache {
    pub const FRESH_FOR: Duration = Duration::from_secs(2);

    /// Paths under `root`, looked up with one lock and one clock reading
    /// for the lot (a check asks about a few hundred at once).
    pub fn under(&self, root: &Path) -> PathsUnder<'_> {
        let mut roots = self.roots.lock().unwrap_or_else(|e| e.into_inner());
        let index = match roots.iter().position(|(r, _)| r == root) {
            Some(i) => i,
            None => {
                roots.push((root.to_path_buf(), PathsOfRoot::default()));
                roots.len() - 1
            }
        };
        PathsUnder {
            roots,
            index,
            now: Instant::now(),
        }
    }

    pub fn clear(&self) {
        self.roots.lock().unwrap_or_else(|e| e.into_inner()).clear();
    }
}

/// See [`PathCache::under`]; holds the cache's lock while it lives.
pub struct PathsUnder<'a> {
    roots: MutexGuard<'a, Vec<(PathBuf, PathsOfRoot)>>,
    index: usize,
    now: Instant,
}

thread_local! {
    /// The lookups [`record_lookups`] is recording on this thread.
    static RECORDED: std::cell::RefCell<Option<Vec<(String, PathKind)>>> =
        const { std::cell::RefCell::new(None) };
}

/// Runs `work` and returns, beside its result, every path it looked up
/// through a [`PathCache`] on this thread, with what each resolved to (the
/// facts a cached check must find again).
pub fn record_lookups<R>(work: impl FnOnce() -> R) -> (R, Vec<(String, PathKind)>) {
    let outer = RECORDED.with(|r| r.borrow_mut().replace(Vec::new()));
    let result = work();
    let recorded = RECORDED.with(|r| std::mem::replace(&mut *r.borrow_mut(), outer));
    (result, recorded.unwrap_or_default())
}

fn note_lookup(rel: &str, kind: PathKind) {
    RECORDED.with(|r| {
        if let Some(list) = r.borrow_mut().as_mut() {
            list.push((rel.to_string(), kind));
        }
    });
}

impl PathsUnder<'_> {
    /// What `rel` resolves to from the root ([`resolve_in_workspace`]).
    pub fn kind(&mut self, rel: &str) -> PathKind {
        let kind = self.lookup(rel);
        note_lookup(rel, kind);
        kind
    }

    fn lookup(&mut self, rel: &str) -> PathKind {
        let now = self.now;
        let (root, paths) = &mut self.roots[self.index];
        if let Some((at, kind)) = paths.get(rel)
            && now.duration_since(*at) < PathCache::FRESH_FOR
        {
            return *kind;
        }
        let kind = resolve_in_workspace(root, rel).kind();
        if paths.len() >= 4096 {
            paths.retain(|_, (at, _)| now.duration_since(*at) < PathCache::FRESH_FOR);
        }
        paths.insert(rel.to_string(), (now, kind));
        kind
    }
}

/// The first `lines` lines of a file, read no further than 16 KB; `None`
/// for unreadable or binary files.
pub fn first_lines(path: &Path, lines: usize) -> Option<String> {
    use std::io::Read;
    let mut buf = Vec::with_capacity(4096);
    std::fs::File::open(path)
        .ok()?
        .take(16 * 1024)
        .read_to_end(&mut buf)
        .ok()?;
    if buf.contains(&0) {
        return None;
    }
    let text = String::from_utf8_lossy(&buf);
    Some(text.lines().take(lines).collect::<Vec<_>>().join("\n"))
}

/// `path` without a location suffix: a line (`src/x.rs:17`), a range
/// (`src/x.rs:17-86`, `src/x.rs:17:5`) or a GitHub-style anchor
/// (`x.py#L10`, `x.py#L10-L20`).
pub fn without_location(path: &str) -> &str {
    let path = match path.rfind("#L") {
        Some(i)
            if path[i + 2..]
                .bytes()
                .all(|b| b.is_ascii_digit() || b == b'-' || b == b'L') =>
        {
            &path[..i]
        }
        _ => path,
    };
    let mut end = path.len();
    while let Some(i) = path[..end].rfind(':') {
        let suffix = &path[i + 1..end];
        if suffix.is_empty() || !suffix.bytes().all(|b| b.is_ascii_digit() || b == b'-') {
            break;
        }
        end = i;
    }
    &path[..end]
}

/// Source extensions a module path may stand for (`internal/config` for
/// `internal/config.go`).
const MODULE_EXTENSIONS: [&str; 12] = [
    "go", "py", "ts", "tsx", "js", "rs", "rb", "java", "kt", "swift", "cljs", "ex",
];

/// The repository paths `path` may stand for: itself, and when its last
/// part reads as `module.Member` (`internal/config.Config`,
/// `app/models.User`), the module as a folder or a source file.
pub fn path_readings(path: &str) -> Vec<String> {
    let mut out = vec![path.to_string()];
    let (dir, last) = path.rsplit_once('/').unwrap_or(("", path));
    if let Some((module, member)) = last.split_once('.') {
        // A member is an identifier, not an extension like `rs` or `json`.
        let is_member = !module.is_empty()
            && member.chars().next().is_some_and(char::is_uppercase)
            && member
                .chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c == '.');
        if is_member {
            let stem = if dir.is_empty() {
                module.to_string()
            } else {
                format!("{dir}/{module}")
            };
            out.extend(MODULE_EXTENSIONS.iter().map(|ext| format!("{stem}.{ext}")));
            out.push(stem);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_user_name_from_git_config() {
        let config = "[core]\n\tbare = false\n[user]\n\temail = a@b\n\tname = Ada Lovelace\n";
        assert_eq!(user_name_in(config).as_deref(), Some("Ada Lovelace"));
        assert_eq!(user_name_in("[core]\n\tname = nope\n"), None);
    }

    #[test]
    fn the_path_cache_answers_from_memory_until_cleared() {
        let root = std::env::temp_dir().join(format!("execplan-cache-{}", std::process::id()));
        std::fs::create_dir_all(&root).unwrap();
        let cache = PathCache::default();
        assert_eq!(cache.under(&root).kind("new.rs"), PathKind::Missing);
        std::fs::write(root.join("new.rs"), "").unwrap();
        // Remembered: the file created a moment ago is not looked for yet.
        assert_eq!(cache.under(&root).kind("new.rs"), PathKind::Missing);
        // Another root is its own.
        let other = root.join("src");
        std::fs::create_dir_all(&other).unwrap();
        assert_eq!(cache.under(&other).kind("new.rs"), PathKind::Missing);
        assert_eq!(cache.under(&root).kind("src"), PathKind::Folder);
        cache.clear();
        assert_eq!(cache.under(&root).kind("new.rs"), PathKind::File);
        let _ = std::fs::remove_dir_all(&root);
    }

    #[test]
    fn paths_resolve_inside_the_workspace_only() {
        let dir = std::env::temp_dir().join(format!("execplan-ws-{}", std::process::id()));
        let root = dir.join("repo");
        std::fs::create_dir_all(root.join("src")).unwrap();
        std::fs::write(root.join("src/lib.rs"), "one\ntwo\nthree\n").unwrap();
        std::fs::write(dir.join("secret.txt"), "secret").unwrap();
        let real_root = root.canonicalize().unwrap();
        assert_eq!(
            resolve_in_workspace(&root, "src/lib.rs::parse"),
            PathTarget::File(real_root.join("src/lib.rs"))
        );
        assert_eq!(
            resolve_in_workspace(&root, "src/lib.rs:12"),
            PathTarget::File(real_root.join("src/lib.rs"))
        );
        assert_eq!(
            resolve_in_workspace(&root, "./src/"),
            PathTarget::Folder(real_root.join("src"))
        );
        assert_eq!(
            resolve_in_workspace(&root, "src/new.rs"),
            PathTarget::Missing(root.join("src/new.rs"))
        );
        assert_eq!(
            resolve_in_workspace(&root, "../secret.txt"),
            PathTarget::Outside
        );
        assert_eq!(
            resolve_in_workspace(&root, "/etc/passwd"),
            PathTarget::Outside
        );
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(dir.join("secret.txt"), root.join("link.txt")).unwrap();
            assert_eq!(resolve_in_workspace(&root, "link.txt"), PathTarget::Outside);
        }
        assert_eq!(
            first_lines(&root.join("src/lib.rs"), 2).as_deref(),
            Some("one\ntwo")
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn location_suffixes_are_set_aside() {
        for (written, path) in [
            ("src/x.rs:17", "src/x.rs"),
            ("src/x.rs:17-86", "src/x.rs"),
            ("src/x.rs:3:5", "src/x.rs"),
            ("src/x.py#L10", "src/x.py"),
            ("src/x.py#L10-L20", "src/x.py"),
            ("src/x.rs", "src/x.rs"),
            ("src/a:b.rs", "src/a:b.rs"),
            ("docs/x.md#usage", "docs/x.md#usage"),
        ] {
            assert_eq!(super::without_location(written), path, "{written}");
        }
    }

    #[test]
    fn module_members_read_as_their_module() {
        let readings = super::path_readings("internal/config.Config");
        assert!(readings.contains(&"internal/config".to_string()));
        assert!(readings.contains(&"internal/config.go".to_string()));
        // A file with an extension is only itself.
        assert_eq!(super::path_readings("src/cache.rs"), ["src/cache.rs"]);
        assert_eq!(super::path_readings("docs/plans/x.md"), ["docs/plans/x.md"]);
    }
}
