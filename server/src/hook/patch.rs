//! What a plan read before an agent's edit, rebuilt from the edit itself:
//! Claude Code's `Edit` and `MultiEdit` carry the old and new strings, and
//! Codex's `apply_patch` carries a patch whose hunks can be applied in
//! reverse. `None` when the edit cannot be undone on the current text (the
//! file changed again since), and for a whole-file `Write`.

/// One file an edit touched.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EditedFile {
    /// As the agent wrote it: absolute (Claude Code) or relative to its
    /// working folder (Codex).
    pub path: String,
    pub undo: Undo,
}

/// How to get the text from before the edit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Undo {
    /// Replace `new` by `old` (the first time, or everywhere), last edit first.
    Replacements(Vec<Replacement>),
    /// Patch hunks: each hunk's new lines become its old lines.
    Hunks(Vec<Hunk>),
    /// The file is new: before, it had no text.
    Created,
    /// Not known (a whole-file write).
    Unknown,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Replacement {
    pub old: String,
    pub new: String,
    pub all: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hunk {
    pub old: Vec<String>,
    pub new: Vec<String>,
}

/// The text before the edit, from the text after it.
pub fn previous_text(current: &str, undo: &Undo) -> Option<String> {
    match undo {
        Undo::Created => Some(String::new()),
        Undo::Unknown => None,
        Undo::Replacements(list) => {
            let mut text = current.to_string();
            for r in list.iter().rev() {
                if r.new.is_empty() || !text.contains(&r.new) {
                    return None;
                }
                text = if r.all {
                    text.replace(&r.new, &r.old)
                } else {
                    text.replacen(&r.new, &r.old, 1)
                };
            }
            Some(text)
        }
        Undo::Hunks(hunks) => {
            let mut out = String::new();
            let mut cursor = 0;
            for hunk in hunks {
                let new = hunk.new.join("\n");
                let old = hunk.old.join("\n");
                if new.is_empty() {
                    // A pure deletion with no context: where it was is unknown.
                    return None;
                }
                let at = cursor + current[cursor..].find(&new)?;
                out.push_str(&current[cursor..at]);
                out.push_str(&old);
                cursor = at + new.len();
            }
            out.push_str(&current[cursor..]);
            Some(out)
        }
    }
}

/// The files of a Codex `apply_patch` envelope (`*** Begin Patch` …
/// `*** End Patch`), each with its hunks.
pub fn parse_apply_patch(patch: &str) -> Vec<EditedFile> {
    let mut files: Vec<EditedFile> = Vec::new();
    let mut hunk: Option<Hunk> = None;
    let flush = |files: &mut Vec<EditedFile>, hunk: &mut Option<Hunk>| {
        if let Some(h) = hunk.take()
            && let Some(EditedFile {
                undo: Undo::Hunks(list),
                ..
            }) = files.last_mut()
            && !(h.old.is_empty() && h.new.is_empty())
        {
            list.push(h);
        }
    };
    for line in patch.lines() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if let Some(path) = line.strip_prefix("*** Update File: ") {
            flush(&mut files, &mut hunk);
            files.push(EditedFile {
                path: path.trim().to_string(),
                undo: Undo::Hunks(Vec::new()),
            });
            hunk = Some(Hunk {
                old: vec![],
                new: vec![],
            });
        } else if let Some(path) = line.strip_prefix("*** Add File: ") {
            flush(&mut files, &mut hunk);
            files.push(EditedFile {
                path: path.trim().to_string(),
                undo: Undo::Created,
            });
        } else if line.starts_with("*** Delete File: ") || line.starts_with("*** End Patch") {
            flush(&mut files, &mut hunk);
        } else if let Some(path) = line.strip_prefix("*** Move to: ") {
            if let Some(last) = files.last_mut() {
                last.path = path.trim().to_string();
            }
        } else if line.starts_with("@@") {
            flush(&mut files, &mut hunk);
            if matches!(
                files.last(),
                Some(EditedFile {
                    undo: Undo::Hunks(_),
                    ..
                })
            ) {
                hunk = Some(Hunk {
                    old: vec![],
                    new: vec![],
                });
            }
        } else if line.starts_with("*** ") {
            // `*** Begin Patch`, `*** End of File`.
        } else if let Some(h) = hunk.as_mut() {
            let (mark, rest) = line.split_at(line.len().min(1));
            match mark {
                "+" => h.new.push(rest.to_string()),
                "-" => h.old.push(rest.to_string()),
                " " | "" => {
                    h.old.push(rest.to_string());
                    h.new.push(rest.to_string());
                }
                _ => {}
            }
        }
    }
    flush(&mut files, &mut hunk);
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_patch_is_undone_hunk_by_hunk() {
        let patch = "*** Begin Patch\n*** Update File: docs/plans/a.md\n@@ ## Progress\n \n-- [ ] Write it.\n+- [x] Write it.\n@@\n ## Decision Log\n+\n+- Decision: X.\n*** Add File: docs/plans/b.md\n+# B\n*** End Patch\n";
        let files = parse_apply_patch(patch);
        assert_eq!(files.len(), 2);
        assert_eq!(files[0].path, "docs/plans/a.md");
        assert_eq!(files[1].undo, Undo::Created);
        let after = "# A\n\n## Progress\n\n- [x] Write it.\n\n## Decision Log\n\n- Decision: X.\n";
        let before = previous_text(after, &files[0].undo).unwrap();
        assert_eq!(
            before,
            "# A\n\n## Progress\n\n- [ ] Write it.\n\n## Decision Log\n"
        );
        // Text that no longer holds the patch's new lines cannot be undone.
        assert_eq!(previous_text("# A\n", &files[0].undo), None);
    }

    #[test]
    fn replacements_are_undone_last_first() {
        let undo = Undo::Replacements(vec![
            Replacement {
                old: "a".into(),
                new: "b".into(),
                all: false,
            },
            Replacement {
                old: "b".into(),
                new: "c".into(),
                all: false,
            },
        ]);
        assert_eq!(previous_text("xc", &undo).as_deref(), Some("xa"));
        assert_eq!(previous_text("xyz", &undo), None);
    }
}
