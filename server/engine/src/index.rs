//! The workspace index: every plan under the workspace folders, found in
//! the background and kept current from file-watch events, so the server
//! can answer for plans that are not open (workspace symbols, workspace
//! diagnostics). Plain Rust; the LSP front end drives it.

use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use dashmap::DashMap;

use crate::analysis::outline::{self, Symbol};
use crate::checker::{self, PlanContext, Source};
use crate::config::ConfigLayer;
use crate::discovery;
use crate::model;
use crate::text::{LineIndex, PositionEncoding, TextLines, TextPosition};

/// A plan on disk, read. It keeps its symbols, where they sit, and its
/// context: not its model (about four times the text) nor its text, which
/// only diagnostics of a closed plan need and read from disk again. With
/// 5,000 plans of 20 KB that is 100 MB not held. While the plan is open in
/// the editor the open document stands in for it, and the index keeps no
/// symbols.
#[derive(Debug)]
pub struct IndexedPlan {
    pub path: PathBuf,
    /// Whether the plan is open in the editor (then `symbols` is empty).
    pub open: bool,
    /// The plan's symbols with their containers ([`outline::flat_outline`])
    /// and their places.
    pub symbols: Vec<IndexedSymbol>,
    /// Its path, environment and settings, as [`PlanContext::resolve`] found them.
    pub context: PlanContext,
}

/// A symbol of an indexed plan, with where its name sits in the text in
/// every position encoding, since the text is not kept.
#[derive(Clone, Debug)]
pub struct IndexedSymbol {
    pub symbol: Symbol,
    pub container: Option<String>,
    /// The start and end of `symbol.selection`, in UTF-8, UTF-16 and UTF-32
    /// columns.
    places: [[TextPosition; 2]; 3],
}

impl IndexedSymbol {
    fn new(lines: &TextLines<'_>, symbol: Symbol, container: Option<String>) -> IndexedSymbol {
        let at = |e| {
            [
                lines.position(symbol.selection.start, e),
                lines.position(symbol.selection.end, e),
            ]
        };
        let places = [
            at(PositionEncoding::Utf8),
            at(PositionEncoding::Utf16),
            at(PositionEncoding::Utf32),
        ];
        IndexedSymbol {
            symbol,
            container,
            places,
        }
    }

    /// Where the symbol's name starts and ends, in `encoding`.
    pub fn selection(&self, encoding: PositionEncoding) -> [TextPosition; 2] {
        self.places[match encoding {
            PositionEncoding::Utf8 => 0,
            PositionEncoding::Utf16 => 1,
            PositionEncoding::Utf32 => 2,
        }]
    }
}

#[derive(Default)]
pub struct WorkspaceIndex {
    roots: RwLock<Vec<PathBuf>>,
    plans: DashMap<PathBuf, Arc<IndexedPlan>>,
    /// Files open in the editor.
    open: DashMap<PathBuf, ()>,
}

impl WorkspaceIndex {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn set_roots(&self, roots: Vec<PathBuf>) {
        *self.roots.write().unwrap_or_else(|e| e.into_inner()) = roots;
    }

    fn root_of(&self, path: &Path) -> Option<PathBuf> {
        self.roots
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .filter(|r| path.starts_with(r))
            .max_by_key(|r| r.as_os_str().len())
            .cloned()
    }

    /// The Markdown files to look at under every root.
    pub fn candidates(&self) -> Vec<PathBuf> {
        let roots = self.roots.read().unwrap_or_else(|e| e.into_inner()).clone();
        roots
            .iter()
            .flat_map(|r| discovery::markdown_files(r))
            .collect()
    }

    /// Reads `path` again: indexes it when it is a plan, forgets it when it
    /// is gone, unreadable or not a plan. Returns whether it is indexed now.
    pub fn refresh(&self, path: &Path, editor: Option<&ConfigLayer>) -> bool {
        let Some(root) = self.root_of(path) else {
            self.plans.remove(path);
            return false;
        };
        let text = match std::fs::read(path) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(text) => text,
                Err(_) => {
                    self.plans.remove(path);
                    return false;
                }
            },
            Err(_) => {
                self.plans.remove(path);
                return false;
            }
        };
        let (context, _) = PlanContext::resolve(Some(path), Some(&root), editor);
        let classified = context.classify(&text, None);
        if !classified.detection.is_plan() {
            self.plans.remove(path);
            return false;
        }
        let open = self.open.contains_key(path);
        let symbols = if open {
            Vec::new()
        } else {
            let model = classified
                .model
                .unwrap_or_else(|| model::build_from_text(&text));
            let index = LineIndex::new(&text);
            let lines = TextLines {
                text: &text,
                index: &index,
            };
            let mut symbols: Vec<IndexedSymbol> = outline::flat_outline(&text, &model)
                .into_iter()
                .map(|(symbol, container)| IndexedSymbol::new(&lines, symbol, container))
                .collect();
            symbols.shrink_to_fit();
            symbols
        };
        self.plans.insert(
            path.to_path_buf(),
            Arc::new(IndexedPlan {
                path: path.to_path_buf(),
                open,
                symbols,
                context,
            }),
        );
        true
    }

    /// Records that `path` was opened in the editor (its indexed symbols
    /// are dropped) or closed (call [`WorkspaceIndex::refresh`]
    /// then, to read it again).
    pub fn set_open(&self, path: &Path, open: bool) {
        if !open {
            self.open.remove(path);
            return;
        }
        self.open.insert(path.to_path_buf(), ());
        if let Some(mut plan) = self.plans.get_mut(path) {
            *plan = Arc::new(IndexedPlan {
                path: plan.path.clone(),
                open: true,
                symbols: Vec::new(),
                context: plan.context.clone(),
            });
        }
    }

    pub fn remove(&self, path: &Path) {
        self.plans.remove(path);
    }

    pub fn get(&self, path: &Path) -> Option<Arc<IndexedPlan>> {
        self.plans.get(path).map(|p| Arc::clone(&p))
    }

    /// Every indexed plan, by path.
    pub fn plans(&self) -> Vec<Arc<IndexedPlan>> {
        let mut all: Vec<_> = self.plans.iter().map(|p| Arc::clone(&p)).collect();
        all.sort_by(|a, b| a.path.cmp(&b.path));
        all
    }

    pub fn len(&self) -> usize {
        self.plans.len()
    }

    pub fn is_empty(&self) -> bool {
        self.plans.is_empty()
    }
}

impl IndexedPlan {
    /// The plan's text, read from disk again; `None` while it is open (the
    /// open document's text is the one that counts) or when it can no longer
    /// be read as UTF-8. (A change on disk since it was indexed is read; the
    /// file watcher brings the symbols up to date soon after.)
    pub fn text(&self) -> Option<String> {
        if self.open {
            return None;
        }
        String::from_utf8(std::fs::read(&self.path).ok()?).ok()
    }

    /// The plan's diagnostics from disk, with the text they were found in;
    /// none while it is open (the open document's are the ones that count).
    pub fn diagnostics(&self, now: jiff::Timestamp) -> (String, Vec<crate::analysis::Diagnostic>) {
        let Some(text) = self.text() else {
            return (String::new(), Vec::new());
        };
        let found =
            checker::outcome(Source::Text(&text), &self.context, None, now).into_diagnostics();
        (text, found)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_plans_only_and_follows_changes() {
        let root = std::env::temp_dir().join(format!("execplan-index-{}", std::process::id()));
        let plans = root.join(".agent/plans");
        std::fs::create_dir_all(&plans).unwrap();
        std::fs::create_dir_all(root.join(".git")).unwrap();
        std::fs::write(root.join(".agent/PLANS.md"), "# PLANS\n").unwrap();
        std::fs::write(root.join("README.md"), "# Readme\n").unwrap();
        std::fs::write(plans.join("a.md"), "# A\n\n## Progress\n\n- [ ] One.\n").unwrap();
        std::fs::write(root.join("notes.md"), "# Notes\n").unwrap();
        // Discovery's verdicts: a template and an agent command are not
        // plans, even with a plan's content; a plan by content elsewhere is.
        let content = "# B\n\nThis ExecPlan is a living document.\n\n## Progress\n\n- [ ] One.\n\n## Decision Log\n\nNone.\n";
        std::fs::write(plans.join("TEMPLATE.md"), content).unwrap();
        std::fs::create_dir_all(root.join(".claude/commands")).unwrap();
        std::fs::write(root.join(".claude/commands/plan.md"), content).unwrap();
        std::fs::create_dir_all(root.join("docs")).unwrap();
        std::fs::write(root.join("docs/b.md"), content).unwrap();
        let index = WorkspaceIndex::new();
        index.set_roots(vec![root.clone()]);
        for path in index.candidates() {
            index.refresh(&path, None);
        }
        let found: Vec<PathBuf> = index.plans().iter().map(|p| p.path.clone()).collect();
        assert_eq!(found, vec![plans.join("a.md"), root.join("docs/b.md")]);
        std::fs::remove_file(root.join("docs/b.md")).unwrap();
        assert!(!index.refresh(&root.join("docs/b.md"), None));
        assert!(
            !index.plans()[0]
                .diagnostics(jiff::Timestamp::now())
                .1
                .is_empty()
        );

        // Opened in the editor, the plan keeps no symbols in the index, and
        // has its diagnostics from the open document, not from here.
        index.set_open(&plans.join("a.md"), true);
        let lent = index.get(&plans.join("a.md")).unwrap();
        assert!(lent.open && lent.text().is_none() && lent.symbols.is_empty());
        assert!(lent.diagnostics(jiff::Timestamp::now()).1.is_empty());
        // Closed, it is read again.
        index.set_open(&plans.join("a.md"), false);
        assert!(index.refresh(&plans.join("a.md"), None));
        let back = index.get(&plans.join("a.md")).unwrap();
        assert!(!back.open && back.text().unwrap().starts_with("# A") && !back.symbols.is_empty());

        std::fs::remove_file(plans.join("a.md")).unwrap();
        assert!(!index.refresh(&plans.join("a.md"), None));
        assert!(index.is_empty());
        std::fs::remove_dir_all(&root).unwrap();
    }

    /// Without the text, a symbol's place is kept in every encoding, and is
    /// where the text puts it: a title after a word of two-byte letters and
    /// a heading after an emoji.
    #[test]
    fn symbol_places_are_kept_in_every_encoding() {
        let root =
            std::env::temp_dir().join(format!("execplan-index-places-{}", std::process::id()));
        let plans = root.join(".agent/plans");
        std::fs::create_dir_all(&plans).unwrap();
        std::fs::create_dir_all(root.join(".git")).unwrap();
        let text = "# Übergröße plan\n\nThis ExecPlan is a living document.\n\n## Progress\n\n- [ ] One.\n\n## Decision Log\n\n- 😀 x\n\n### 😀 Milestone\n\nText.\n";
        std::fs::write(plans.join("p.md"), text).unwrap();
        let index = WorkspaceIndex::new();
        index.set_roots(vec![root.clone()]);
        assert!(index.refresh(&plans.join("p.md"), None));
        let plan = index.get(&plans.join("p.md")).unwrap();
        let line_index = LineIndex::new(text);
        let lines = TextLines {
            text,
            index: &line_index,
        };
        assert!(plan.symbols.iter().any(|s| s.symbol.name.contains('😀')));
        for s in &plan.symbols {
            for e in [
                PositionEncoding::Utf8,
                PositionEncoding::Utf16,
                PositionEncoding::Utf32,
            ] {
                assert_eq!(
                    s.selection(e),
                    [
                        lines.position(s.symbol.selection.start, e),
                        lines.position(s.symbol.selection.end, e)
                    ]
                );
            }
        }
        let milestone = plan
            .symbols
            .iter()
            .find(|s| s.symbol.name.contains("Milestone"))
            .unwrap();
        let [_, end] = milestone.selection(PositionEncoding::Utf8);
        let [_, end16] = milestone.selection(PositionEncoding::Utf16);
        // "😀" is four bytes and two UTF-16 units.
        assert_eq!(end.character - end16.character, 2);
        std::fs::remove_dir_all(&root).unwrap();
    }
}
