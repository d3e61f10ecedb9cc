//! A repository's PLANS.md: every one checked in at a usual place or named
//! by AGENTS.md, the one plans follow, and its skeleton, with what was read
//! and why when nothing could be.

use std::path::{Path, PathBuf};

use crate::model::Skeleton;
use crate::workspace::{PLANS_MD_LOCATIONS, PathTarget, resolve_in_workspace};

/// What a repository holds of PLANS.md files.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PlansMdFiles {
    /// The PLANS.md plans follow: the configured one, else the one AGENTS.md
    /// names, else the first at a usual place.
    pub chosen: Option<PathBuf>,
    /// Every PLANS.md of the repository (usual places, AGENTS.md's, the
    /// configured one), `chosen` first. A plan may name any of them.
    pub all: Vec<PathBuf>,
    /// PLANS.md files that are symlinks leading out of the repository, with
    /// where they lead: never read.
    pub outside: Vec<(PathBuf, PathBuf)>,
    /// The AGENTS.md that named `chosen`, when one did.
    pub named_by: Option<PathBuf>,
}

/// Finds the PLANS.md files under `root`; `configured` is the `plans_md`
/// setting, relative to the root.
pub fn find(root: &Path, configured: Option<&str>) -> PlansMdFiles {
    let mut found = PlansMdFiles::default();
    let add = |found: &mut PlansMdFiles, rel: &str| -> Option<PathBuf> {
        let path = root.join(rel.trim_start_matches("./").trim_start_matches('/'));
        let outside = match resolve_in_workspace(root, rel.trim_start_matches('/')) {
            PathTarget::File(_) => false,
            // A symlink out of the repository is there, but not followed;
            // `../PLANS.md` is simply not the repository's.
            PathTarget::Outside
                if !rel.split(['/', '\\']).any(|part| part == "..")
                    && path
                        .symlink_metadata()
                        .is_ok_and(|m| m.file_type().is_symlink()) =>
            {
                true
            }
            _ => return None,
        };
        if outside && !found.outside.iter().any(|(p, _)| *p == path) {
            let target = std::fs::canonicalize(&path)
                .or_else(|_| std::fs::read_link(&path))
                .unwrap_or_default();
            found.outside.push((path.clone(), target));
        }
        if !found.all.contains(&path) {
            found.all.push(path.clone());
        }
        Some(path)
    };
    let configured = configured.and_then(|rel| add(&mut found, rel));
    let agents = root.join("AGENTS.md");
    let named = std::fs::read_to_string(&agents).ok().and_then(|text| {
        mentions(&text)
            .into_iter()
            .find_map(|rel| add(&mut found, &rel))
    });
    for rel in PLANS_MD_LOCATIONS {
        add(&mut found, rel);
    }
    let followed = |p: &PathBuf| !found.outside.iter().any(|(o, _)| o == p);
    let chosen = configured
        .or_else(|| named.clone())
        .or_else(|| found.all.iter().find(|p| followed(p)).cloned())
        .or_else(|| found.all.first().cloned());
    found.chosen = chosen;
    if named.is_some() && named == found.chosen {
        found.named_by = Some(agents);
    }
    if let Some(chosen) = &found.chosen {
        found.all.retain(|p| p != chosen);
        found.all.insert(0, chosen.clone());
    }
    found
}

/// The paths ending in `PLANS.md` a text mentions, in order.
pub fn mentions(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for word in text.split(|c: char| {
        c.is_whitespace()
            || matches!(
                c,
                '`' | '(' | ')' | '[' | ']' | '"' | '\'' | '<' | '>' | ','
            )
    }) {
        let word = word.trim_end_matches(['.', ':', ';', '!', '?']);
        if word.ends_with("PLANS.md") && !word.contains("://") && !out.iter().any(|w| w == word) {
            out.push(word.to_string());
        }
    }
    out
}

/// Where the skeleton plans are checked against comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SkeletonSource {
    /// No PLANS.md: the canonical skeleton.
    NoPlansMd,
    /// Read from this PLANS.md (the skeleton's `line` says where).
    Read(PathBuf),
    /// The PLANS.md is a symlink out of the repository: not followed.
    Outside { link: PathBuf, target: PathBuf },
    /// The PLANS.md could not be read, or holds no skeleton.
    NotRead { path: PathBuf, reason: String },
}

impl SkeletonSource {
    /// Why a PLANS.md exists but gave no skeleton, in a sentence for a
    /// finding (EP111), with paths from `root`; `None` when a skeleton was
    /// read or there is no PLANS.md.
    pub fn problem(&self, root: Option<&Path>) -> Option<String> {
        let shown = |p: &Path| {
            root.and_then(|r| p.strip_prefix(r).ok())
                .unwrap_or(p)
                .display()
                .to_string()
        };
        match self {
            SkeletonSource::NoPlansMd | SkeletonSource::Read(_) => None,
            SkeletonSource::Outside { link, .. } => Some(format!(
                "`{}` is a symlink to a file outside the repository, which is not followed",
                shown(link)
            )),
            SkeletonSource::NotRead { path, reason } => {
                Some(format!("{reason} in `{}`", shown(path)))
            }
        }
    }

    /// One line for people: where the skeleton came from, or why the
    /// canonical one applies.
    pub fn describe(&self, skeleton: Option<&Skeleton>) -> String {
        match (self, skeleton) {
            (SkeletonSource::Read(path), Some(s)) => {
                format!("{}:{} ({})", path.display(), s.line, s.form.describe())
            }
            (SkeletonSource::NoPlansMd, _) => {
                "the canonical twelve sections (no PLANS.md)".to_string()
            }
            (SkeletonSource::Outside { link, target }, _) => format!(
                "the canonical twelve sections: {} is a symlink to {}, outside the repository, and is not followed",
                link.display(),
                target.display()
            ),
            (SkeletonSource::NotRead { path, reason }, _) => format!(
                "the canonical twelve sections: {reason} in {}",
                path.display()
            ),
            (SkeletonSource::Read(path), None) => format!(
                "the canonical twelve sections: no skeleton could be read in {}",
                path.display()
            ),
        }
    }
}

/// Reads the skeleton of the chosen PLANS.md; when it holds none and
/// another PLANS.md of the repository does (a short index that points to
/// the full one), that one's.
pub fn read_skeleton(files: &PlansMdFiles) -> (Option<Skeleton>, SkeletonSource) {
    let Some(path) = &files.chosen else {
        return (None, SkeletonSource::NoPlansMd);
    };
    let first = read_one(files, path);
    if first.0.is_some() {
        return first;
    }
    for other in files.all.iter().filter(|p| *p != path) {
        let found = read_one(files, other);
        if found.0.is_some() {
            return found;
        }
    }
    first
}

fn read_one(files: &PlansMdFiles, path: &Path) -> (Option<Skeleton>, SkeletonSource) {
    if let Some((link, target)) = files.outside.iter().find(|(l, _)| l == path) {
        let source = SkeletonSource::Outside {
            link: link.clone(),
            target: target.clone(),
        };
        return (None, source);
    }
    match std::fs::read_to_string(path) {
        Ok(text) => match Skeleton::from_plans_md(&text) {
            Some(s) => (Some(s), SkeletonSource::Read(path.to_path_buf())),
            None => (
                None,
                SkeletonSource::NotRead {
                    path: path.to_path_buf(),
                    reason: "no skeleton (a block of `##` headings, or required sections under a heading) could be read".to_string(),
                },
            ),
        },
        Err(e) => (
            None,
            SkeletonSource::NotRead {
                path: path.to_path_buf(),
                reason: format!("the file could not be read ({e})"),
            },
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fresh folder under the system's temporary folder, removed on drop.
    struct Temp(PathBuf);

    impl Temp {
        fn new() -> Temp {
            use std::sync::atomic::{AtomicUsize, Ordering};
            static NEXT: AtomicUsize = AtomicUsize::new(0);
            let n = NEXT.fetch_add(1, Ordering::Relaxed);
            let dir =
                std::env::temp_dir().join(format!("execplan-plans-md-{}-{n}", std::process::id()));
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).unwrap();
            Temp(dir.canonicalize().unwrap())
        }

        fn path(&self) -> &Path {
            &self.0
        }
    }

    impl Drop for Temp {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    fn repo(files: &[(&str, &str)]) -> Temp {
        let dir = Temp::new();
        std::fs::create_dir(dir.path().join(".git")).unwrap();
        for (rel, text) in files {
            let path = dir.path().join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        dir
    }

    #[test]
    fn agents_md_chooses_between_two_plans_md() {
        let dir = repo(&[
            ("PLANS.md", "# root"),
            (".agent/PLANS.md", "# agent"),
            ("AGENTS.md", "Use an ExecPlan (as described in `PLANS.md`)."),
        ]);
        let root = dir.path();
        let found = find(root, None);
        assert_eq!(found.chosen, Some(root.join("PLANS.md")));
        assert_eq!(
            found.all,
            [root.join("PLANS.md"), root.join(".agent/PLANS.md")]
        );
        assert_eq!(found.named_by, Some(root.join("AGENTS.md")));
        // Without AGENTS.md, the usual order: .agent/PLANS.md first.
        std::fs::remove_file(root.join("AGENTS.md")).unwrap();
        let found = find(root, None);
        assert_eq!(found.chosen, Some(root.join(".agent/PLANS.md")));
        assert_eq!(found.all.len(), 2);
        assert_eq!(found.named_by, None);
    }

    #[test]
    fn a_path_out_of_the_repository_is_not_its_plans_md() {
        let outer = repo(&[("PLANS.md", "# outer")]);
        let inner = outer.path().join("inner");
        std::fs::create_dir_all(inner.join(".git")).unwrap();
        std::fs::write(
            inner.join("AGENTS.md"),
            "Follow ../PLANS.md and /etc/PLANS.md.",
        )
        .unwrap();
        let found = find(&inner, None);
        assert_eq!(found, PlansMdFiles::default());
    }

    #[test]
    fn agents_md_may_name_an_unusual_place() {
        let dir = repo(&[
            ("plans/PLANS.md", "# ours"),
            ("AGENTS.md", "Plans follow plans/PLANS.md."),
        ]);
        let found = find(dir.path(), None);
        assert_eq!(found.chosen, Some(dir.path().join("plans/PLANS.md")));
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_out_of_the_repository_is_not_followed() {
        let outside = Temp::new();
        let target = outside.path().join("PLANS.md");
        std::fs::write(
            &target,
            "# Plans\n\n## Skeleton\n\n    ## A\n    ## B\n    ## C\n",
        )
        .unwrap();
        let dir = repo(&[]);
        std::os::unix::fs::symlink(&target, dir.path().join("PLANS.md")).unwrap();
        let found = find(dir.path(), None);
        assert_eq!(found.chosen, Some(dir.path().join("PLANS.md")));
        let (skeleton, source) = read_skeleton(&found);
        assert_eq!(skeleton, None);
        let said = source.describe(None);
        assert!(
            said.contains("symlink") && said.contains("not followed"),
            "{said}"
        );
        // A symlink inside the repository is followed.
        let dir = repo(&[(
            "docs/real.md",
            "# Plans\n\n## Skeleton\n\n    ## A\n    ## B\n    ## C\n",
        )]);
        std::os::unix::fs::symlink(dir.path().join("docs/real.md"), dir.path().join("PLANS.md"))
            .unwrap();
        let (skeleton, source) = read_skeleton(&find(dir.path(), None));
        assert_eq!(skeleton.map(|s| s.sections.len()), Some(3));
        assert_eq!(source, SkeletonSource::Read(dir.path().join("PLANS.md")));
    }

    #[test]
    fn a_plans_md_without_a_skeleton_says_so() {
        let dir = repo(&[(".agent/PLANS.md", "# Plans\n\nWrite good plans.\n")]);
        let (skeleton, source) = read_skeleton(&find(dir.path(), None));
        assert_eq!(skeleton, None);
        assert!(source.describe(None).contains("no skeleton"), "{source:?}");
    }

    #[test]
    fn a_short_plans_md_defers_to_the_one_with_the_skeleton() {
        let dir = repo(&[
            (
                "docs/PLANS.md",
                "# Planning\n\nThe template lives in `.agents/PLANS.md`.\n",
            ),
            (
                ".agents/PLANS.md",
                "# Plans\n\n## Skeleton\n\n    ## A\n    ## B\n    ## C\n",
            ),
        ]);
        let found = find(dir.path(), None);
        assert_eq!(found.chosen, Some(dir.path().join("docs/PLANS.md")));
        let (skeleton, source) = read_skeleton(&found);
        assert_eq!(skeleton.map(|s| s.sections.len()), Some(3));
        assert_eq!(
            source,
            SkeletonSource::Read(dir.path().join(".agents/PLANS.md"))
        );
    }

    #[test]
    fn mentions_of_plans_md() {
        assert_eq!(
            mentions("See `.agent/PLANS.md`, and (PLANS.md). Not https://x/PLANS.md."),
            [".agent/PLANS.md", "PLANS.md"]
        );
    }
}
