//! The workspace roots the MCP server may read and write under, and the one
//! place a path an agent gives becomes a file. Reads go through
//! `workspace::resolve_in_workspace` (no absolute path outside a root, no
//! `..` above it, no symbolic link out of it); a new file is allowed only
//! where its nearest existing folder resolves inside a root.

use std::path::{Component, Path, PathBuf};

use crate::workspace::{self, PathTarget};

#[derive(Clone, Debug)]
pub struct Roots {
    /// Canonical, first one the default.
    roots: Vec<PathBuf>,
}

impl Roots {
    /// `given` folders, or the repository around the current folder.
    pub fn new(given: &[PathBuf]) -> Result<Roots, String> {
        let cwd = std::env::current_dir().map_err(|e| format!("no current folder: {e}"))?;
        let wanted: Vec<PathBuf> = if given.is_empty() {
            vec![workspace::find_repo_root(&cwd).unwrap_or(cwd.clone())]
        } else {
            given.iter().map(|g| cwd.join(g)).collect()
        };
        let mut roots = Vec::new();
        for root in wanted {
            let canonical = root
                .canonicalize()
                .map_err(|e| format!("workspace root {}: {e}", root.display()))?;
            if !canonical.is_dir() {
                return Err(format!("workspace root {} is not a folder", root.display()));
            }
            roots.push(canonical);
        }
        Ok(Roots { roots })
    }

    pub fn default_root(&self) -> &Path {
        &self.roots[0]
    }

    pub fn all(&self) -> &[PathBuf] {
        &self.roots
    }

    /// The root `path` is in and the path relative to it.
    fn split(&self, path: &str) -> Result<(&Path, String), String> {
        let trimmed = path.trim();
        if trimmed.is_empty() {
            return Err("`path` must not be empty".to_string());
        }
        let p = Path::new(trimmed);
        if !p.is_absolute() {
            return Ok((self.default_root(), trimmed.to_string()));
        }
        for root in &self.roots {
            if let Ok(rel) = p.strip_prefix(root) {
                return Ok((root, rel.to_string_lossy().into_owned()));
            }
        }
        // An absolute path through a symbolic link to a root.
        if let Ok(real) = p.canonicalize() {
            for root in &self.roots {
                if let Ok(rel) = real.strip_prefix(root) {
                    return Ok((root, rel.to_string_lossy().into_owned()));
                }
            }
        }
        Err(self.outside(trimmed))
    }

    fn outside(&self, path: &str) -> String {
        format!(
            "{path} is outside the workspace roots ({}); paths are relative to {} or absolute inside a root",
            self.roots
                .iter()
                .map(|r| r.display().to_string())
                .collect::<Vec<_>>()
                .join(", "),
            self.default_root().display()
        )
    }

    /// An existing file inside a root, canonical, with its root.
    pub fn file(&self, path: &str) -> Result<(PathBuf, PathBuf), String> {
        let (root, rel) = self.split(path)?;
        match workspace::resolve_in_workspace(root, &rel) {
            PathTarget::File(real) => Ok((real, root.to_path_buf())),
            PathTarget::Folder(_) => Err(format!("{path} is a folder, not a plan file")),
            PathTarget::Missing(_) => Err(format!("{path}: no such file")),
            PathTarget::Outside => Err(self.outside(path)),
        }
    }

    /// A file that may not exist yet, inside a root: its nearest existing
    /// folder must resolve inside the same root.
    pub fn place(&self, path: &str) -> Result<(PathBuf, PathBuf), String> {
        let (root, rel) = self.split(path)?;
        if Path::new(&rel)
            .components()
            .any(|c| !matches!(c, Component::Normal(_) | Component::CurDir))
        {
            return Err(self.outside(path));
        }
        match workspace::resolve_in_workspace(root, &rel) {
            PathTarget::File(real) => Ok((real, root.to_path_buf())),
            PathTarget::Folder(_) => Err(format!("{path} is a folder, not a file")),
            PathTarget::Outside => Err(self.outside(path)),
            PathTarget::Missing(joined) => {
                let mut ancestor = joined.parent();
                while let Some(a) = ancestor {
                    if a.exists() {
                        let real = a.canonicalize().map_err(|e| format!("{path}: {e}"))?;
                        if !real.starts_with(root) || !real.is_dir() {
                            return Err(self.outside(path));
                        }
                        let rest = joined.strip_prefix(a).map_err(|_| self.outside(path))?;
                        return Ok((real.join(rest), root.to_path_buf()));
                    }
                    ancestor = a.parent();
                }
                Err(self.outside(path))
            }
        }
    }

    /// `path` as the agent should write it: relative to its root.
    pub fn display(&self, path: &Path) -> String {
        for root in &self.roots {
            if let Ok(rel) = path.strip_prefix(root) {
                return rel.to_string_lossy().replace('\\', "/");
            }
        }
        path.display().to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("execplan-mcp-roots-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("ws/docs")).unwrap();
        std::fs::write(dir.join("ws/docs/plan.md"), "# P\n").unwrap();
        std::fs::write(dir.join("secret.md"), "# S\n").unwrap();
        dir
    }

    #[test]
    fn paths_stay_inside_the_roots() {
        let dir = temp("inside");
        let roots = Roots::new(&[dir.join("ws")]).unwrap();
        assert!(roots.file("docs/plan.md").is_ok());
        let abs = dir.join("ws/docs/plan.md").canonicalize().unwrap();
        assert!(roots.file(abs.to_str().unwrap()).is_ok());
        assert!(roots.file("../secret.md").unwrap_err().contains("outside"));
        assert!(
            roots
                .file(dir.join("secret.md").to_str().unwrap())
                .unwrap_err()
                .contains("outside")
        );
        assert!(
            roots
                .file("docs/none.md")
                .unwrap_err()
                .contains("no such file")
        );
        assert!(roots.place("docs/new/x.md").is_ok());
        assert!(roots.place("docs/../../x.md").is_err());
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(&dir, dir.join("ws/out")).unwrap();
            assert!(roots.file("out/secret.md").unwrap_err().contains("outside"));
            assert!(roots.place("out/new.md").unwrap_err().contains("outside"));
            assert!(
                roots
                    .place("out/sub/new.md")
                    .unwrap_err()
                    .contains("outside")
            );
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}
