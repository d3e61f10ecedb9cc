//! Open documents, keyed by URI, kept in sync with the editor's edits.
//!
//! Every method is synchronous: the LSP front end calls them before its first
//! `.await`, so notifications apply in the order they arrived even though the
//! framework runs several handlers at once.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use dashmap::DashMap;
use dashmap::mapref::one::Ref;

use crate::document::{ContentChange, Document};
use crate::text::PositionEncoding;

/// How many documents keep their syntax trees: the ones edited most
/// recently. A tree costs about 27 bytes per byte of text (64 before the
/// parser read joined words), and people edit one or two plans at a time;
/// with 120 plans open, keeping 3 instead of 8 trees took the server from 36
/// to 30 MB, and 2 instead of 3 from 25.6 to 24.2 MB (`cargo bench --bench
/// latency`, before joining). A document is opened without a tree (its model
/// is read whole by the fast parse), so its first keystroke, like that of a
/// third document edited, pays one full parse (about 5 ms for 1,000 lines).
///
/// A document only opened, not edited, does not push out the trees of the
/// plans being edited: an editor restoring a session opens many plans at
/// once.
pub const HOT_DOCUMENTS: usize = 2;

#[derive(Debug, PartialEq, Eq)]
pub enum ChangeError {
    /// No open document with that URI, and the change is not a full text.
    Unknown,
    /// The version is not newer than the one held; the change was ignored.
    Stale { held: i32, got: i32 },
}

impl std::fmt::Display for ChangeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ChangeError::Unknown => write!(f, "change for a document that is not open; ignored"),
            ChangeError::Stale { held, got } => {
                write!(
                    f,
                    "change with version {got} is not newer than version {held}; ignored"
                )
            }
        }
    }
}

#[derive(Default)]
pub struct DocumentStore {
    documents: DashMap<String, Document>,
    /// The documents edited most recently, first; only these keep their
    /// trees.
    hot: Mutex<VecDeque<String>>,
    /// Whether a tree was dropped since [`DocumentStore::take_dropped_trees`].
    dropped_trees: AtomicBool,
}

impl DocumentStore {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn open(&self, uri: &str, text: String, version: i32) {
        self.documents
            .insert(uri.to_string(), Document::new(text, version));
        self.touch(uri, false);
    }

    pub fn change(
        &self,
        uri: &str,
        version: i32,
        changes: &[ContentChange],
        encoding: PositionEncoding,
    ) -> Result<(), ChangeError> {
        {
            let Some(mut doc) = self.documents.get_mut(uri) else {
                // A full-text change carries everything needed to start over.
                if let Some(full) = changes.iter().rposition(|c| c.range.is_none()) {
                    let mut doc = Document::new(changes[full].text.clone(), version);
                    doc.apply_changes(&changes[full + 1..], version, encoding);
                    self.documents.insert(uri.to_string(), doc);
                    self.touch(uri, true);
                    return Ok(());
                }
                return Err(ChangeError::Unknown);
            };
            if version <= doc.version() {
                return Err(ChangeError::Stale {
                    held: doc.version(),
                    got: version,
                });
            }
            doc.apply_changes(changes, version, encoding);
        }
        self.touch(uri, true);
        Ok(())
    }

    pub fn close(&self, uri: &str) -> bool {
        self.hot
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .retain(|u| u != uri);
        self.documents.remove(uri).is_some()
    }

    /// Builds the model of a document opened without one, from a copy of
    /// its text, with no lock held while it is read; then hands it to the
    /// document if the text is still the same. Meant for a blocking thread,
    /// so that the first request or keystroke after an open answered from
    /// the workspace index does not pay for the model.
    pub fn build_model_aside(&self, uri: &str) {
        let Some(text) = self
            .documents
            .get(uri)
            .filter(|doc| !doc.has_model())
            .map(|doc| doc.text().to_string())
        else {
            return;
        };
        let model = Arc::new(crate::model::build_whole(
            &text,
            &mut crate::syntax::InlineCache::default(),
        ));
        if let Some(doc) = self.documents.get(uri) {
            doc.offer_model(&text, model);
        }
    }

    pub fn get(&self, uri: &str) -> Option<Ref<'_, String, Document>> {
        self.documents.get(uri)
    }

    /// Whether a document's tree was dropped (it fell out of the hot set)
    /// since the last call: memory worth handing back.
    pub fn take_dropped_trees(&self) -> bool {
        self.dropped_trees.swap(false, Ordering::Relaxed)
    }

    pub fn uris(&self) -> Vec<String> {
        self.documents.iter().map(|e| e.key().clone()).collect()
    }

    pub fn len(&self) -> usize {
        self.documents.len()
    }

    pub fn is_empty(&self) -> bool {
        self.documents.is_empty()
    }

    /// Marks `uri` as just edited (or opened, which takes it out of the hot
    /// set) and drops the trees of documents that fell out of it.
    fn touch(&self, uri: &str, edited: bool) {
        let evicted: Vec<String> = {
            let mut hot = self.hot.lock().unwrap_or_else(|e| e.into_inner());
            hot.retain(|u| u != uri);
            if !edited {
                // An opened document has no tree (its model was read
                // whole): it takes no place among those that keep one.
                return;
            }
            hot.push_front(uri.to_string());
            let mut evicted = Vec::new();
            if hot.len() > HOT_DOCUMENTS {
                evicted.extend(hot.drain(HOT_DOCUMENTS..));
            }
            evicted
        };
        for cold in evicted {
            if let Some(mut doc) = self.documents.get_mut(&cold) {
                if doc.has_tree() {
                    self.dropped_trees.store(true, Ordering::Relaxed);
                }
                doc.drop_tree();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::TextPosition;

    fn edit(line: u32, from: u32, to: u32, text: &str) -> ContentChange {
        ContentChange {
            range: Some((TextPosition::new(line, from), TextPosition::new(line, to))),
            text: text.to_string(),
        }
    }

    #[test]
    fn a_model_built_aside_is_the_model_of_the_text_it_was_built_from() {
        let store = DocumentStore::new();
        let text = "# Plan\n\n## Progress\n\n- [ ] Measure.\n";
        store.open("file:///a.md", text.into(), 1);
        assert!(!store.get("file:///a.md").unwrap().has_model());
        store.build_model_aside("file:///a.md");
        let doc = store.get("file:///a.md").unwrap();
        assert!(doc.has_model());
        let fresh = crate::model::build_whole(text, &mut crate::syntax::InlineCache::default());
        assert_eq!(**doc.model(), fresh);
        drop(doc);
        // A model read from a text the document no longer holds is refused:
        // the document reads its own when asked.
        store.open("file:///b.md", "# B\n".into(), 1);
        let stale = Arc::new(crate::model::build_whole(
            text,
            &mut crate::syntax::InlineCache::default(),
        ));
        store.get("file:///b.md").unwrap().offer_model(text, stale);
        let b = store.get("file:///b.md").unwrap();
        assert!(!b.has_model());
        assert!(b.model().sections.is_empty() && b.model().title.is_some());
    }

    #[test]
    fn versions_and_unknown_documents() {
        let store = DocumentStore::new();
        store.open("file:///a.md", "# A\n".into(), 1);
        assert_eq!(
            store.change(
                "file:///a.md",
                2,
                &[edit(0, 2, 3, "B")],
                PositionEncoding::Utf16
            ),
            Ok(())
        );
        assert_eq!(store.get("file:///a.md").unwrap().text(), "# B\n");
        // A stale version is ignored and the text kept.
        assert_eq!(
            store.change(
                "file:///a.md",
                2,
                &[edit(0, 2, 3, "C")],
                PositionEncoding::Utf16
            ),
            Err(ChangeError::Stale { held: 2, got: 2 })
        );
        assert_eq!(store.get("file:///a.md").unwrap().text(), "# B\n");
        // A gap in versions is fine.
        assert_eq!(
            store.change(
                "file:///a.md",
                7,
                &[edit(0, 2, 3, "D")],
                PositionEncoding::Utf16
            ),
            Ok(())
        );
        assert_eq!(store.get("file:///a.md").unwrap().version(), 7);
        // An incremental change for an unknown document is refused.
        assert_eq!(
            store.change(
                "file:///b.md",
                1,
                &[edit(0, 0, 0, "x")],
                PositionEncoding::Utf16
            ),
            Err(ChangeError::Unknown)
        );
        assert!(store.get("file:///b.md").is_none());
        // A full-text change opens it.
        let full = ContentChange {
            range: None,
            text: "# New\n".into(),
        };
        assert_eq!(
            store.change("file:///b.md", 1, &[full], PositionEncoding::Utf16),
            Ok(())
        );
        assert_eq!(store.get("file:///b.md").unwrap().text(), "# New\n");
    }

    #[test]
    fn only_hot_documents_keep_trees() {
        let store = DocumentStore::new();
        let with_trees = |store: &DocumentStore| {
            let mut uris: Vec<String> = store
                .uris()
                .into_iter()
                .filter(|u| store.get(u).unwrap().has_tree())
                .collect();
            uris.sort();
            uris
        };
        for i in 0..HOT_DOCUMENTS + 3 {
            store.open(&format!("file:///{i}.md"), format!("# Plan {i}\n"), 1);
        }
        // Opened, never edited: no tree, the model read whole.
        assert!(with_trees(&store).is_empty());
        assert!(!store.take_dropped_trees(), "no tree to drop");
        assert_eq!(
            store
                .get("file:///4.md")
                .unwrap()
                .model()
                .title_heading()
                .unwrap()
                .text,
            "Plan 4"
        );
        // Editing a document builds its tree and keeps its model right.
        store
            .change(
                "file:///0.md",
                2,
                &[edit(0, 2, 6, "Goal")],
                PositionEncoding::Utf16,
            )
            .unwrap();
        {
            let doc = store.get("file:///0.md").unwrap();
            assert!(doc.has_tree());
            assert_eq!(doc.model().title_heading().unwrap().text, "Goal 0");
        }
        assert_eq!(with_trees(&store), ["file:///0.md"]);
        // An edited document keeps its tree when others are opened.
        store.open("file:///new.md", "# New\n".into(), 1);
        assert_eq!(with_trees(&store), ["file:///0.md"]);
        // The hot set is at most HOT_DOCUMENTS, the least recent going first.
        for (i, uri) in ["file:///1.md", "file:///2.md"].into_iter().enumerate() {
            store
                .change(uri, 2, &[edit(0, 0, 0, "x")], PositionEncoding::Utf16)
                .unwrap();
            assert_eq!(with_trees(&store).len(), (i + 2).min(HOT_DOCUMENTS));
        }
        assert_eq!(with_trees(&store), ["file:///1.md", "file:///2.md"]);
        assert!(store.take_dropped_trees(), "the first edited fell out");
        assert!(!store.take_dropped_trees(), "reported once");
    }
}
