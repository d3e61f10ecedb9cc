//! One open document: its text (as a rope for positions and a string for
//! parsing), its version, its block tree and its plan model.
//!
//! The block tree is the heavy part (about 27 bytes per byte of text), and
//! only some edits need it: a document is opened without one; an edit in
//! one list item or one section's body is read without it (the item or
//! the body parsed alone), and the first edit that needs the tree parses it
//! with tree-sitter once, then incrementally, taking every edit since. The tree can be
//! dropped again while the document is not being edited; the model stays.
//! The model itself is read whole through the fast parse
//! ([`model::build_whole`]) when first asked for: an editor opening a plan
//! the workspace index has already checked gets its diagnostics without
//! one (`docs/architecture.md`, "Opening a plan").

use std::sync::{Arc, OnceLock};

use ropey::Rope;

use crate::analysis::TextFindingsMemo;
use crate::model::{self, Change, EditRange, PlanModel};
use crate::syntax::{BlockTree, InlineCache, TextEdit};
use crate::text::{LineIndex, PositionEncoding, TextLines, TextPosition, position_to_offset};

/// One content change as an editor sends it: a range to replace, or the
/// whole text when `range` is `None`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContentChange {
    pub range: Option<(TextPosition, TextPosition)>,
    pub text: String,
}

#[derive(Debug)]
pub struct Document {
    /// Built from `text` when first needed, and dropped with the tree: a
    /// document nobody edits needs neither.
    rope: OnceLock<Rope>,
    /// Line starts, for turning offsets into positions; built when first
    /// needed after each edit.
    lines: OnceLock<LineIndex>,
    text: String,
    version: i32,
    /// Kept in step with every edit, but reparsed only when an edit needs
    /// it: one that only a section's body needed to read again leaves its
    /// reparse to the next edit that does.
    tree: Option<BlockTree>,
    inline_cache: InlineCache,
    /// Built from `text` when first asked for ([`Document::model`]), or by
    /// the first edit.
    model: OnceLock<Arc<PlanModel>>,
    /// The edits applied since the model was last brought up to date.
    pending: Pending,
    /// How the last rebuild brought the model up to date.
    last_update: ModelUpdate,
    /// The text rules' findings, remembered between checks.
    text_memo: Arc<TextFindingsMemo>,
}

/// How an edit brought the model up to date.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ModelUpdate {
    /// Built again from the whole text (or first built).
    Whole,
    /// The section body, or the list items, the edit touched, read from the
    /// reparsed tree ([`model::update`]).
    FromTree,
    /// The list item an edit within one line touched, parsed alone without
    /// the tree ([`model::update_without_tree`]).
    ItemAlone,
    /// The section body the edit touched, parsed alone without the tree.
    BodyAlone,
}

/// What changed since the last rebuild: a single edit lets the model be
/// updated in place of rebuilt.
#[derive(Clone, Copy, Debug)]
enum Pending {
    Nothing,
    /// One edit, and whether it neither removed nor typed a line break.
    One(EditRange, bool),
    Several,
}

impl Document {
    /// Opens a document, without a syntax tree or a model: the model is read
    /// whole when first asked for, the first edit builds the tree.
    pub fn new(text: String, version: i32) -> Document {
        Document {
            rope: OnceLock::new(),
            lines: OnceLock::new(),
            text,
            version,
            tree: None,
            inline_cache: InlineCache::default(),
            model: OnceLock::new(),
            pending: Pending::Nothing,
            last_update: ModelUpdate::Whole,
            text_memo: Arc::default(),
        }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn rope(&self) -> &Rope {
        self.rope.get_or_init(|| Rope::from_str(&self.text))
    }

    /// The text with its line index, for positions.
    pub fn lines(&self) -> TextLines<'_> {
        TextLines {
            text: &self.text,
            index: self.lines.get_or_init(|| LineIndex::new(&self.text)),
        }
    }

    pub fn version(&self) -> i32 {
        self.version
    }

    /// The plan model, read whole from the text the first time it is asked
    /// for after opening.
    pub fn model(&self) -> &Arc<PlanModel> {
        self.model.get_or_init(|| {
            // The inline cache only speeds up edits; the first edit after
            // this fills it for what it touches.
            Arc::new(model::build_whole(&self.text, &mut InlineCache::default()))
        })
    }

    /// Whether the model has been built (an opened document has none until
    /// it is asked for).
    pub fn has_model(&self) -> bool {
        self.model.get().is_some()
    }

    /// Takes a model read whole from this document's text elsewhere (off
    /// the thread that applies edits); ignored when the text is no longer
    /// `text` or a model was built meanwhile.
    pub fn offer_model(&self, text: &str, model: Arc<PlanModel>) {
        if self.text == text {
            let _ = self.model.set(model);
        }
    }

    /// The text rules' findings remembered with the document, for checks.
    pub(crate) fn text_memo(&self) -> &TextFindingsMemo {
        &self.text_memo
    }

    /// How the last edit brought the model up to date.
    pub fn last_update(&self) -> ModelUpdate {
        self.last_update
    }

    pub fn has_tree(&self) -> bool {
        self.tree.is_some()
    }

    /// Drops the syntax tree, the inline cache, the rope and the remembered
    /// findings; the text and the model are kept.
    pub fn drop_tree(&mut self) {
        self.tree = None;
        self.inline_cache = InlineCache::default();
        self.rope = OnceLock::new();
        self.lines = OnceLock::new();
        self.text_memo = Arc::default();
    }

    /// Applies `changes` in order, then reparses once and rebuilds the model.
    pub fn apply_changes(
        &mut self,
        changes: &[ContentChange],
        version: i32,
        encoding: PositionEncoding,
    ) {
        for change in changes {
            let edit = match change.range {
                None => TextEdit {
                    start: 0,
                    old_end: self.text.len(),
                    new_text: change.text.clone(),
                },
                Some((start, end)) => {
                    let a = position_to_offset(self.rope(), start, encoding);
                    let b = position_to_offset(self.rope(), end, encoding);
                    TextEdit {
                        start: a.min(b),
                        old_end: a.max(b),
                        new_text: change.text.clone(),
                    }
                }
            };
            self.apply_edit(edit);
        }
        self.version = version;
        self.rebuild();
    }

    /// Applies one byte-range edit to the text and the tree, without
    /// reparsing; call [`Document::rebuild`] after the last edit.
    pub(crate) fn apply_edit(&mut self, edit: TextEdit) {
        let edit = clamp_edit(&self.text, edit);
        let range = EditRange {
            start: edit.start,
            old_end: edit.old_end,
            new_end: edit.start + edit.new_text.len(),
        };
        let breaks = |s: &str| memchr::memchr2(b'\n', b'\r', s.as_bytes()).is_some();
        let within_line = !breaks(&self.text[edit.start..edit.old_end]) && !breaks(&edit.new_text);
        // Text typed between a CR and its LF splits one line break in two.
        let bytes = self.text.as_bytes();
        let splits_crlf = edit.start > 0
            && bytes[edit.start - 1] == b'\r'
            && bytes.get(edit.old_end) == Some(&b'\n');
        match self.lines.get_mut() {
            Some(lines) if within_line && !splits_crlf => {
                lines.shift_after(edit.start, range.new_end as isize - range.old_end as isize)
            }
            _ => self.lines = OnceLock::new(),
        }
        self.pending = match self.pending {
            Pending::Nothing => Pending::One(range, within_line),
            _ => Pending::Several,
        };
        let TextEdit {
            start,
            old_end,
            new_text,
        } = &edit;
        let (start, old_end) = (*start, *old_end);
        let full_replace = start == 0 && old_end == self.text.len();
        if let Some(tree) = &mut self.tree {
            if full_replace {
                self.tree = None;
            } else {
                tree.edit_in_place(&mut self.text, &edit);
                self.rope_replace(start, old_end, new_text);
                return;
            }
        }
        self.text.replace_range(start..old_end, new_text);
        self.rope_replace(start, old_end, new_text);
    }

    /// Keeps the rope in step with the text, when there is one.
    fn rope_replace(&mut self, start: usize, old_end: usize, new_text: &str) {
        if let Some(rope) = self.rope.get_mut() {
            let a = rope.byte_to_char(start);
            let b = rope.byte_to_char(old_end);
            rope.remove(a..b);
            rope.insert(a, new_text);
        }
    }

    /// Brings the model up to date. After a single edit inside a list item
    /// or a section's body, that item or body alone is parsed again and read
    /// ([`model::update_without_tree`]), the tree left for later; else the
    /// tree is reparsed (incrementally when one is kept) and the body, the
    /// list items the edit touched ([`model::update`]) or the whole model is
    /// read from it.
    pub fn rebuild(&mut self) {
        let pending = std::mem::replace(&mut self.pending, Pending::Nothing);
        if let (Pending::One(edit, within_line), Some(previous)) = (pending, self.model.get_mut())
            && let Some(read) = model::update_without_tree(
                Arc::make_mut(previous),
                &self.text,
                &mut self.inline_cache,
                edit,
                within_line,
            )
        {
            self.last_update = match read {
                model::ReadAlone::Item => ModelUpdate::ItemAlone,
                model::ReadAlone::Body => ModelUpdate::BodyAlone,
            };
            return;
        }
        // Where the tree's structure changed, when it was reparsed
        // incrementally; a fresh parse leaves it unknown.
        let (tree, changed) = match self.tree.take() {
            Some(mut tree) => {
                let changed = tree.reparse_edited_with_changes(&self.text);
                (tree, Some(changed))
            }
            None => (BlockTree::parse(&self.text), None),
        };
        let updated = match (pending, self.model.get_mut()) {
            (Pending::One(edit, _), Some(previous)) => model::update(
                Arc::make_mut(previous),
                &self.text,
                &tree,
                &mut self.inline_cache,
                Change {
                    edit,
                    structure: changed.as_deref(),
                },
            ),
            _ => false,
        };
        if !updated {
            self.model = OnceLock::from(Arc::new(model::build(
                &self.text,
                &tree,
                &mut self.inline_cache,
            )));
        }
        self.last_update = if updated {
            ModelUpdate::FromTree
        } else {
            ModelUpdate::Whole
        };
        self.tree = Some(tree);
    }
}

/// Keeps an edit inside the text and on character boundaries.
fn clamp_edit(text: &str, edit: TextEdit) -> TextEdit {
    let floor = |mut i: usize| {
        i = i.min(text.len());
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let (a, b) = (floor(edit.start), floor(edit.old_end));
    TextEdit {
        start: a.min(b),
        old_end: a.max(b),
        new_text: edit.new_text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The line index after each edit, kept or rebuilt, is the one of the
    /// new text: edits within a line shift the lines after it, others
    /// rebuild it.
    #[test]
    fn the_line_index_follows_every_edit() {
        let mut doc = Document::new("# Plan\r\n\r\n- [ ] One.\nTwo\n".to_string(), 1);
        for (start, old_end, typed) in [
            (7, 7, "x"),  // between a CR and its LF: one more line
            (2, 4, "é"),  // within a line
            (0, 0, "a"),  // at a line's start
            (5, 7, "\n"), // a line break typed
            (3, 12, ""),  // lines removed
        ] {
            doc.lines();
            doc.apply_edit(TextEdit {
                start,
                old_end,
                new_text: typed.to_string(),
            });
            doc.rebuild();
            assert_eq!(
                *doc.lines().index,
                LineIndex::new(doc.text()),
                "{:?}",
                doc.text()
            );
        }
    }
}
