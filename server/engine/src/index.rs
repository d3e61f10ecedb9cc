//! The workspace index: every plan under the workspace folders, found in
//! the background and kept current from file-watch events, so the server
//! can answer for plans that are not open (workspace symbols, workspace
//! diagnostics), and answer the editor at once when it opens a plan with
//! the text the index read (its check is kept: [`KeptCheck`]). Plain Rust;
//! the LSP front end drives it.

use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use dashmap::DashMap;

use crate::analysis::outline::{self, Symbol};
use crate::cache::kept::{KeptCheck, PathNames, settings_key};
use crate::checker::{self, PlanContext, Source};
use crate::config::ConfigLayer;
use crate::discovery;
use crate::model;
use crate::text::{LineIndex, PositionEncoding, TextLines, TextPosition};
use crate::workspace::{PathCache, record_lookups};

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
    /// What checking it found when it was read, kept so that the editor
    /// opening it with the same text is answered without checking it
    /// again ([`WorkspaceIndex::answer_open`]); `None` while it is open and
    /// for an AGENTS.md.
    pub checked: Option<KeptCheck>,
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
    /// What the paths plans name resolve to, for the checks of indexing
    /// (plans of one repository name the same files).
    paths: PathCache,
    /// The path names kept checks refer to.
    names: PathNames,
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
        // What the settings are made of, before and after they are read:
        // a check is kept only when the configuration did not change
        // meanwhile.
        let settings_before = settings_key(Some(path), editor);
        let (context, _) = PlanContext::resolve(Some(path), Some(&root), editor);
        let settings =
            (settings_key(Some(path), editor) == settings_before).then_some(settings_before);
        let classified = context.classify(&text, None);
        if !classified.detection.is_plan() {
            self.plans.remove(path);
            return false;
        }
        let open = self.open.contains_key(path);
        let (symbols, checked) = if open {
            (Vec::new(), None)
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
            // The check an open document gets ([`checker::outcome`]),
            // kept with what it read. An AGENTS.md gets other findings.
            let checked = settings
                .filter(|_| !discovery::is_agents_md(path))
                .and_then(|settings| {
                    let now = jiff::Timestamp::now();
                    let (found, looked_up) = record_lookups(|| {
                        checker::plan_diagnostics(
                            &text,
                            &model,
                            Some(path),
                            &context.env,
                            &context.settings,
                            now,
                            Some(&self.paths),
                        )
                    });
                    KeptCheck::new(&text, settings, &model, &found, looked_up, &self.names, now)
                });
            (symbols, checked)
        };
        self.plans.insert(
            path.to_path_buf(),
            Arc::new(IndexedPlan {
                path: path.to_path_buf(),
                open,
                symbols,
                context,
                checked,
            }),
        );
        true
    }

    /// Records that `path` was opened in the editor (its indexed symbols
    /// and kept check are dropped; the plan as it was is returned, for
    /// [`WorkspaceIndex::answer_open`]) or closed (call
    /// [`WorkspaceIndex::refresh`] then, to read it again).
    pub fn set_open(&self, path: &Path, open: bool) -> Option<Arc<IndexedPlan>> {
        if !open {
            self.open.remove(path);
            return None;
        }
        self.open.insert(path.to_path_buf(), ());
        let mut plan = self.plans.get_mut(path)?;
        let lent = Arc::new(IndexedPlan {
            path: plan.path.clone(),
            open: true,
            symbols: Vec::new(),
            context: plan.context.clone(),
            checked: None,
        });
        Some(std::mem::replace(&mut *plan, lent))
    }

    /// The diagnostics of `plan` (as [`WorkspaceIndex::set_open`] returned
    /// it) for the editor's `text` in the context `ctx` it resolved, whose
    /// settings are made of `settings` ([`settings_key`], taken before and
    /// after `ctx` was resolved), at `now`, from the check the index kept;
    /// `None` unless the text, the plan's path and surroundings, what its
    /// settings are made of and every path the check looked up (through
    /// `paths`) are as they were, and the time the findings hold for has
    /// not run out. Then they are the findings [`checker::outcome`] gives.
    pub fn answer_open(
        &self,
        plan: &IndexedPlan,
        text: &str,
        ctx: &PlanContext,
        settings: u128,
        paths: &PathCache,
        now: jiff::Timestamp,
    ) -> Option<Vec<crate::analysis::Diagnostic>> {
        let checked = plan.checked.as_ref()?;
        if ctx.path.as_deref() != Some(plan.path.as_path())
            || plan.context.path != ctx.path
            || plan.context.env != ctx.env
        {
            return None;
        }
        checked.answer(
            text,
            settings,
            ctx.env.root.as_deref(),
            paths,
            &self.names,
            now,
        )
    }

    /// Forgets what paths resolved to (files appeared or went).
    pub fn forget_paths(&self) {
        self.paths.clear();
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
        assert!(index.set_open(&plans.join("a.md"), true).is_some());
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

    /// The kept check answers an open with the text the index read, the
    /// same as a check would, and nothing else: not another text, not once
    /// a path it looked up resolves differently, not another context.
    #[test]
    fn a_kept_check_answers_only_what_a_check_would() {
        let root = std::env::temp_dir().join(format!("execplan-index-kept-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        let plans = root.join(".agent/plans");
        std::fs::create_dir_all(&plans).unwrap();
        std::fs::create_dir_all(root.join(".git")).unwrap();
        std::fs::create_dir_all(root.join("src")).unwrap();
        let path = plans.join("p.md");
        let text = "# P\n\nThis ExecPlan is a living document.\n\n## Progress\n\n- [x] Wrote `src/gone.rs`.\n\n## Decision Log\n\nNone.\n";
        std::fs::write(&path, text).unwrap();
        let index = WorkspaceIndex::new();
        index.set_roots(vec![root.clone()]);
        assert!(index.refresh(&path, None));
        let plan = index.set_open(&path, true).unwrap();
        assert!(plan.checked.is_some());
        assert!(index.get(&path).unwrap().checked.is_none(), "lent");
        let (ctx, _) = PlanContext::resolve(Some(&path), Some(&root), None);
        let settings = settings_key(Some(&path), None);
        let now = jiff::Timestamp::now();
        let fresh = |text: &str, ctx: &PlanContext| {
            checker::outcome(Source::Text(text), ctx, None, now).into_diagnostics()
        };
        let paths = PathCache::default();
        let answered = index
            .answer_open(&plan, text, &ctx, settings, &paths, now)
            .expect("the same text and context");
        assert_eq!(answered, fresh(text, &ctx));
        assert!(answered.iter().any(|d| d.code.as_str() == "EP503"));
        // Another text, other settings, another context: no answer.
        let edited = text.replace("Wrote", "Wrote and tested");
        assert!(
            index
                .answer_open(&plan, &edited, &ctx, settings, &paths, now)
                .is_none()
        );
        assert!(
            index
                .answer_open(&plan, text, &ctx, settings ^ 1, &paths, now)
                .is_none()
        );
        let mut other = ctx.clone();
        other.env.plans_md = Some(root.join("PLANS.md"));
        assert!(
            index
                .answer_open(&plan, text, &other, settings, &paths, now)
                .is_none()
        );
        // The named file appears: no answer, and a check no longer flags it.
        std::fs::write(root.join("src/gone.rs"), "").unwrap();
        let paths = PathCache::default();
        assert!(
            index
                .answer_open(&plan, text, &ctx, settings, &paths, now)
                .is_none()
        );
        assert!(!fresh(text, &ctx).iter().any(|d| d.code.as_str() == "EP503"));
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
