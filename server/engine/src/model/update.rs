//! Brings a model up to date after one edit by rebuilding only the body of
//! the section the edit fell in, or within it only the list items it
//! touched.
//!
//! Typing happens inside a section's body far more often than on a heading.
//! When the edit starts after a section's heading line and ends before the
//! next heading, and the new tree shows both headings where they were with
//! no heading between them, every heading and section is unchanged but for
//! shifted offsets. Then only that body is walked again, or, when the edit
//! lies in one list that keeps its extent, the run of items the edit and the
//! tree's structural changes touched; the elements before are kept, the ones
//! after shifted. Anything else (an edit on a
//! heading, in the title's preamble, a new fence swallowing the next heading,
//! a whole plan in one fence) is left to a full build: [`update`] says so.
//! `random_edits` tests every edit both ways and compares the models.

use tree_sitter::Node;

use super::build::{Builder, outer_fence};
use super::*;
use crate::syntax::{BlockTree, InlineCache};

/// One replacement, in byte offsets: `start..old_end` of the old text became
/// `start..new_end` of the new one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EditRange {
    pub start: usize,
    pub old_end: usize,
    pub new_end: usize,
}

/// An edit and, when known, where it changed the tree's structure (byte
/// ranges of the new text, from tree-sitter's `changed_ranges`).
#[derive(Clone, Copy, Debug)]
pub struct Change<'a> {
    pub edit: EditRange,
    pub structure: Option<&'a [Span]>,
}

impl EditRange {
    fn delta(&self) -> isize {
        self.new_end as isize - self.old_end as isize
    }
}

/// Updates `model` (built from the text before `edit`) to `text`, whose
/// block tree is `tree`. Returns `false`, with `model` untouched, when the
/// edit is not one a partial rebuild handles; build from scratch then.
pub fn update(
    model: &mut PlanModel,
    text: &str,
    tree: &BlockTree,
    cache: &mut InlineCache,
    change: Change<'_>,
) -> bool {
    let edit = change.edit;
    let Some(region) = Region::find(model, text, tree, edit) else {
        return false;
    };

    // Walk the body's blocks in the new tree, or only the items touched
    // when the edit fell inside one list.
    let items = change
        .structure
        .and_then(|structure| ListItems::find(model, text, &region, edit, structure));
    // Entries span items (a `- Rationale:` item joins the `- Decision:`
    // before it) and subsections (a dated `###` is one entry): in a Decision
    // Log or Surprises section, only a whole body without subsections is
    // rebuilt in place, and only when no such section has subsections.
    let entry_kinds = [SectionKind::DecisionLog, SectionKind::Surprises];
    if entry_kinds
        .iter()
        .any(|kind| model.within(Some(region.section), *kind))
        && (items.is_some()
            || model.sections.iter().any(|s| {
                s.parent.is_some() && entry_kinds.iter().any(|k| model.within(s.parent, *k))
            }))
    {
        return false;
    }
    let (old, nodes, parent) = match &items {
        Some(items) => (items.old.clone(), &items.items, "list"),
        None => (region.old.clone(), &region.blocks, "section"),
    };
    let mut builder = Builder::new(text, 0, cache);
    for node in nodes {
        builder.walk(*node, Some(parent), 0, false);
    }
    if !builder.model.headings.is_empty() || builder.has_revision_paragraph() {
        // A heading inside a list or quote, or a new revision note: leave the
        // document-wide parts to a full build.
        return false;
    }
    if model
        .revision_note
        .as_ref()
        .is_some_and(|note| region.old.contains(&note.start))
    {
        return false;
    }

    // From here on the update cannot fail.
    let shift = Shift::new(edit);
    for heading in &mut model.headings {
        shift.span(&mut heading.span);
        shift.span(&mut heading.text_span);
    }
    for section in &mut model.sections {
        shift.span(&mut section.span);
        shift.span(&mut section.own_body);
    }
    let section = &mut model.sections[region.section];
    section.has_content = super::build::body_has_content(&text[section.own_body.clone()]);
    let heading = &mut model.headings[region.heading];
    heading.blank_line_after = super::build::next_line_is_blank(text, heading.span.end);
    if let Some(note) = &mut model.revision_note {
        shift.span(note);
    }

    // Place the new elements with the unchanged sections.
    builder.model.headings = std::mem::take(&mut model.headings);
    builder.model.sections = std::mem::take(&mut model.sections);
    let mut fresh = builder.finish_region();
    model.headings = std::mem::take(&mut fresh.headings);
    model.sections = std::mem::take(&mut fresh.sections);

    let old = &old;
    splice(&mut model.checkboxes, fresh.checkboxes, old, &shift, |c| {
        c.span.start
    });
    splice(&mut model.decisions, fresh.decisions, old, &shift, |e| {
        e.span.start
    });
    splice(&mut model.surprises, fresh.surprises, old, &shift, |e| {
        e.span.start
    });
    splice(&mut model.fences, fresh.fences, old, &shift, |f| {
        f.span.start
    });
    splice(
        &mut model.indented_blocks,
        fresh.indented_blocks,
        old,
        &shift,
        |s| s.start,
    );
    splice(&mut model.tables, fresh.tables, old, &shift, |t| {
        t.span.start
    });
    match &items {
        // The list itself stays, grown or shrunk by the edit.
        Some(items) => {
            for list in &mut model.lists {
                list.shift(&shift);
            }
            let list = &mut model.lists[items.list];
            list.span = items.span.clone();
            list.items = items.count;
        }
        None => splice(&mut model.lists, fresh.lists, old, &shift, |l| l.span.start),
    }
    splice(&mut model.inlines, fresh.inlines, old, &shift, |i| {
        i.span.start
    });
    splice(&mut model.links, fresh.links, old, &shift, |l| l.span.start);
    splice(&mut model.code_paths, fresh.code_paths, old, &shift, |c| {
        c.span.start
    });
    true
}

/// The section body an edit fell in.
struct Region<'t> {
    /// Index of the section, and of its heading.
    section: usize,
    heading: usize,
    /// The body in the old text: after the heading's line break, up to the
    /// next heading or the end.
    old: Span,
    /// The body's blocks in the new tree.
    blocks: Vec<Node<'t>>,
}

impl<'t> Region<'t> {
    fn find(
        model: &PlanModel,
        text: &str,
        tree: &'t BlockTree,
        edit: EditRange,
    ) -> Option<Region<'t>> {
        if model.outer_fence.is_some() || edit.start > edit.old_end || edit.new_end < edit.start {
            return None;
        }
        let old_len = text.len().checked_add_signed(-edit.delta())?;
        // The last heading starting at or before the edit.
        let heading = model
            .headings
            .partition_point(|h| h.span.start <= edit.start)
            .checked_sub(1)?;
        // The title's body is the preamble, rebuilt with the whole model,
        // even when the title is also a section (a plan of H1 sections).
        if model.title == Some(heading) {
            return None;
        }
        let section = model.sections.iter().position(|s| s.heading == heading)?;
        let h = &model.headings[heading];
        if let Some(title) = model.title_heading()
            && title.span.start > h.span.start
        {
            return None;
        }
        // The heading line, up to its line break, must lie before the edit
        // (its offsets are the old text's; the new text matches it there).
        if h.span.end >= edit.start {
            return None;
        }
        let body_start = after_line_break(text, h.span.end);
        let next = model.headings.get(heading + 1);
        let old_end = next.map_or(old_len, |next| next.span.start);
        // Typing at the very end of the text is in the last body; an edit
        // reaching the next heading is not in this one.
        let reaches_next = next.is_some() && edit.old_end >= old_end;
        if edit.start < body_start || edit.old_end > old_end || reaches_next {
            return None;
        }
        let new_end = old_end.checked_add_signed(edit.delta())?;
        if new_end > text.len() || new_end < edit.new_end || outer_fence(text).is_some() {
            return None;
        }

        // The new tree must show this heading opening its section, and the
        // next heading (shifted) opening its own.
        let root = tree.root();
        let here = heading_node(root, h.span.start)?;
        let owner = here.parent().filter(|p| p.kind() == "section")?;
        // A heading inside a list item or quote opens a section there; only
        // sections of the document's own outline are handled.
        owner
            .parent()
            .filter(|p| matches!(p.kind(), "section" | "document"))?;
        // The section must reach the next heading: one ending early means a
        // new heading in the body opened a section of its own.
        if owner.start_byte() != h.span.start || owner.end_byte() < new_end {
            return None;
        }
        if let Some(next) = model.headings.get(heading + 1) {
            let node = heading_node(root, new_end)?;
            let opens = node
                .parent()
                .is_some_and(|p| p.kind() == "section" && p.start_byte() == new_end);
            let same_level = heading_level(node) == Some(next.level);
            let end = trim_end(text, node.end_byte());
            if !opens || !same_level || end != next.span.end.checked_add_signed(edit.delta())? {
                return None;
            }
        }
        // Nothing but blocks between them.
        let mut blocks = Vec::new();
        let mut cursor = owner.walk();
        for child in owner.children(&mut cursor).skip(1) {
            if child.start_byte() >= new_end {
                break;
            }
            if matches!(child.kind(), "section" | "atx_heading" | "setext_heading")
                || child.start_byte() < body_start
                || child.end_byte() > new_end
            {
                return None;
            }
            blocks.push(child);
        }
        Some(Region {
            section,
            heading,
            old: body_start..old_end,
            blocks,
        })
    }
}

/// The items of one list in the body that an edit fell in: typing in a
/// long Progress list rebuilds the items it touched, not the whole list.
struct ListItems<'t> {
    /// Index of the list in [`PlanModel::lists`].
    list: usize,
    /// The list's span and item count in the new tree.
    span: Span,
    count: usize,
    /// The items touching the edit, in the new tree.
    items: Vec<Node<'t>>,
    /// Where those items were in the old text.
    old: Span,
}

impl<'t> ListItems<'t> {
    fn find(
        model: &PlanModel,
        text: &str,
        region: &Region<'t>,
        edit: EditRange,
        structure: &[Span],
    ) -> Option<ListItems<'t>> {
        let node = region.blocks.iter().find(|b| {
            b.kind() == "list" && b.start_byte() <= edit.start && edit.new_end <= b.end_byte()
        })?;
        // The list must be the one the model had, only longer or shorter
        // by the edit: a list split or merged by it is rebuilt with the body.
        let start = node.start_byte();
        let list = model
            .lists
            .binary_search_by_key(&start, |l| l.span.start)
            .ok()?;
        let old_end = model.lists[list].span.end;
        let new_end = trim_end(text, node.end_byte());
        if old_end < edit.old_end || old_end.checked_add_signed(edit.delta())? != new_end {
            return None;
        }
        let mut cursor = node.walk();
        let children: Vec<Node<'t>> = node
            .children(&mut cursor)
            .filter(|c| c.kind() == "list_item")
            .collect();
        // The items the edit touched, and any whose structure it changed
        // (an item that became a sub-item of the one typed in, say).
        let touches = |i: &Node<'_>, r: &Span| i.start_byte() <= r.end && r.start <= i.end_byte();
        let typed = edit.start..edit.new_end;
        let touched = |i: &Node<'_>| touches(i, &typed) || structure.iter().any(|r| touches(i, r));
        let first = children.iter().position(touched)?;
        let last = children.iter().rposition(touched)?;
        // The run of items from the first touched to the last is rebuilt;
        // every change must lie inside it.
        let items = children[first..=last].to_vec();
        let (from, to) = (items[0].start_byte(), items[items.len() - 1].end_byte());
        let inside = |r: &Span| from <= r.start && r.end <= to;
        if from > edit.start || to < edit.new_end || !structure.iter().all(inside) {
            return None;
        }
        let (first, last) = (&items[0], &items[items.len() - 1]);
        let old = first.start_byte()..last.end_byte().checked_add_signed(-edit.delta())?;
        Some(ListItems {
            list,
            span: start..new_end,
            count: children.len(),
            items,
            old,
        })
    }
}

/// The heading node (ATX or setext) that starts exactly at `offset`.
fn heading_node(root: Node<'_>, offset: usize) -> Option<Node<'_>> {
    let mut node = root.descendant_for_byte_range(offset, offset)?;
    loop {
        if matches!(node.kind(), "atx_heading" | "setext_heading") {
            return (node.start_byte() == offset).then_some(node);
        }
        node = node.parent()?;
    }
}

fn heading_level(node: Node<'_>) -> Option<u8> {
    let mut cursor = node.walk();
    node.children(&mut cursor).find_map(|c| match c.kind() {
        "setext_h1_underline" => Some(1),
        "setext_h2_underline" => Some(2),
        kind => kind
            .strip_prefix("atx_h")
            .and_then(|k| k.strip_suffix("_marker"))
            .and_then(|n| n.parse().ok()),
    })
}

/// `end` with trailing line breaks and blanks before it removed.
fn trim_end(text: &str, end: usize) -> usize {
    let end = end.min(text.len());
    text[..end].trim_end_matches(['\n', '\r', ' ', '\t']).len()
}

/// The start of the line after the one `offset` is on, or the text's end.
fn after_line_break(text: &str, offset: usize) -> usize {
    let offset = offset.min(text.len());
    let bytes = text.as_bytes();
    match memchr::memchr2(b'\n', b'\r', &bytes[offset..]) {
        Some(i) if bytes[offset + i..].starts_with(b"\r\n") => offset + i + 2,
        Some(i) => offset + i + 1,
        None => text.len(),
    }
}

/// Moves offsets of the old text to the new one: unchanged before the edit,
/// shifted by its length change after it; a span around it grows or shrinks.
struct Shift {
    at: usize,
    delta: isize,
}

impl Shift {
    fn new(edit: EditRange) -> Shift {
        Shift {
            at: edit.old_end,
            delta: edit.delta(),
        }
    }

    fn offset(&self, offset: &mut usize) {
        if *offset >= self.at {
            *offset = offset.saturating_add_signed(self.delta);
        }
    }

    fn span(&self, span: &mut Span) {
        self.offset(&mut span.start);
        self.offset(&mut span.end);
    }
}

/// Something with offsets into the text.
trait Shifted {
    fn shift(&mut self, shift: &Shift);
}

impl Shifted for Span {
    fn shift(&mut self, shift: &Shift) {
        shift.span(self);
    }
}

impl Shifted for CheckboxItem {
    fn shift(&mut self, shift: &Shift) {
        shift.span(&mut self.box_span);
        shift.span(&mut self.span);
        shift.offset(&mut self.text_start);
        if let Some(ts) = &mut self.timestamp {
            shift.offset(&mut ts.start);
            shift.offset(&mut ts.end);
        }
        if let Some(partial) = &mut self.partial {
            shift.span(&mut partial.span);
        }
    }
}

impl Shifted for Entry {
    fn shift(&mut self, shift: &Shift) {
        shift.span(&mut self.span);
        for label in &mut self.labels {
            shift.span(&mut label.span);
        }
    }
}

impl Shifted for FencedBlock {
    fn shift(&mut self, shift: &Shift) {
        shift.span(&mut self.span);
        shift.span(&mut self.content);
    }
}

impl Shifted for Table {
    fn shift(&mut self, shift: &Shift) {
        shift.span(&mut self.span);
        for row in &mut self.rows {
            shift.span(&mut row.span);
        }
    }
}

impl Shifted for ListBlock {
    fn shift(&mut self, shift: &Shift) {
        shift.span(&mut self.span);
    }
}

impl Shifted for InlineRange {
    fn shift(&mut self, shift: &Shift) {
        shift.span(&mut self.span);
    }
}

impl Shifted for Link {
    fn shift(&mut self, shift: &Shift) {
        shift.span(&mut self.span);
    }
}

impl Shifted for CodePath {
    fn shift(&mut self, shift: &Shift) {
        shift.span(&mut self.span);
    }
}

/// Replaces the elements of `items` that start in `old` (the body in the old
/// text) with `fresh`, and shifts the ones after it. `items` is in text order.
fn splice<T: Shifted>(
    items: &mut Vec<T>,
    fresh: Vec<T>,
    old: &Span,
    shift: &Shift,
    start: impl Fn(&T) -> usize,
) {
    let from = items.partition_point(|i| start(i) < old.start);
    let to = items.partition_point(|i| start(i) < old.end);
    for item in &mut items[to..] {
        item.shift(shift);
    }
    items.splice(from..to, fresh);
}
