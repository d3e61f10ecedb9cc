//! Brings a model up to date after one edit by rebuilding only the body of
//! the section the edit fell in, or within it only the list items it
//! touched.
//!
//! Typing happens inside a section's body far more often than on a heading.
//! When the edit starts after a section's heading line and ends before the
//! next heading, and the new text still has both headings where they were
//! with no heading between them, every heading and section is unchanged but
//! for shifted offsets. Then only that body is read again, or, when the edit
//! lies in one list that keeps its extent, the run of items the edit and the
//! tree's structural changes touched; the elements before are kept, the ones
//! after shifted. Anything else (an edit on a heading, in the title's
//! preamble, a new fence swallowing the next heading, a whole plan in one
//! fence) is left to a full build: both entry points say so.
//!
//! Three readings, the first that applies:
//! - [`update_without_tree`] parses the list item that an edit within one
//!   line fell in alone (`LoneItem`), or else the body's text alone, with
//!   pulldown-cmark ([`FastBlocks`]), without the tree-sitter tree. A part
//!   is read alone only where it cannot read differently there than inside
//!   the document: for the body, both headings are ATX headings at the
//!   start of their lines (nothing is open after the first; the second
//!   closes whatever the body left open but a fence or an HTML block,
//!   which are refused) and a blank line comes before the next heading (no
//!   paragraph or table runs on into it); for an item, see `LoneItem`; and
//!   never in a text where tree-sitter-md may read lines by what is far
//!   from them ([`FastBlocks::reads_locally`]). The tree is then left
//!   edited but not reparsed, until an edit needs it.
//! - [`update`] reads the body, or the list items the edit touched, from
//!   the reparsed tree-sitter tree.
//!
//! `random_edits` tests every edit and compares the model with a fresh parse.

use tree_sitter::Node;

use super::build::{Builder, outer_fence};
use super::*;
use crate::syntax::{BlockNode, BlockTree, FastBlocks, InlineCache, line_start};

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
    let (replaced, nodes, list) = match &items {
        Some(items) => (
            items.old.clone(),
            &items.items,
            Some((items.list, items.span.clone(), items.count)),
        ),
        None => (region.body.old.clone(), &region.blocks, None),
    };
    rebuild(
        model,
        text,
        cache,
        edit,
        &region.body,
        replaced,
        nodes,
        0,
        list,
    )
}

/// What [`update_without_tree`] parsed alone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReadAlone {
    /// The one list item an edit within a line fell in.
    Item,
    /// The section body the edit fell in.
    Body,
}

/// Updates `model` (built from the text before `edit`) to `text` by parsing
/// the list item or the section body the edit fell in alone, without a
/// tree; `within_line` says the edit neither removed nor typed a line
/// break. `None`, with `model` untouched, when the edit is not one this
/// handles (then reparse the tree and try [`update`]).
pub fn update_without_tree(
    model: &mut PlanModel,
    text: &str,
    cache: &mut InlineCache,
    edit: EditRange,
    within_line: bool,
) -> Option<ReadAlone> {
    let body = Body::find(model, text, edit)?;
    // A part read alone reads as in the document only where tree-sitter-md
    // reads the document line by line.
    if !FastBlocks::reads_locally(text) {
        return None;
    }
    // Typing in one item of a long list reads that item alone.
    if within_line && let Some(item) = LoneItem::find(model, text, &body, edit) {
        let alone = item.blocks.root().children().next();
        let nodes: Vec<_> = alone.iter().flat_map(|list| list.children()).collect();
        let list = Some((item.list, item.span.clone(), model.lists[item.list].items));
        if rebuild(
            model,
            text,
            cache,
            edit,
            &body,
            item.old.clone(),
            &nodes,
            item.start,
            list,
        ) {
            return Some(ReadAlone::Item);
        }
    }
    // Both headings open their lines with `#`: an ATX heading at the line's
    // start is in no list item or quote, and nothing stays open after it.
    let opens_line = |at: usize| {
        text.as_bytes().get(at) == Some(&b'#') && (at == 0 || text.as_bytes()[at - 1] == b'\n')
    };
    if !opens_line(model.headings[body.heading].span.start) {
        return None;
    }
    let end = body.new_end;
    if model.headings.get(body.heading + 1).is_some()
        && !(opens_line(end) && text[..end].ends_with("\n\n"))
    {
        return None;
    }
    let own = &text[body.start..end];
    // Front matter is read at a document's start only.
    if own.starts_with("---") || own.starts_with("+++") {
        return None;
    }
    let blocks = FastBlocks::parse(own)?;
    let nodes: Vec<_> = blocks.root().children().collect();
    // A fence left open, or an HTML block of a kind that blank lines do not
    // end (the kinds are not told apart here: any HTML block last is
    // refused), would run on over the next heading in the whole document.
    let runs_on = nodes.last().is_some_and(|last| match last.kind() {
        "html_block" => true,
        "fenced_code_block" => {
            last.children()
                .filter(|c| c.kind() == "fenced_code_block_delimiter")
                .count()
                < 2
        }
        _ => false,
    });
    if runs_on {
        return None;
    }
    let replaced = body.old.clone();
    rebuild(
        model, text, cache, edit, &body, replaced, &nodes, body.start, None,
    )
    .then_some(ReadAlone::Body)
}

/// Reads `nodes` (the body's blocks, or a run of one list's items, with
/// offsets from `base`) into elements and puts them in place of the ones
/// the model had in `replaced` (of the old text), shifting those after it.
/// `list` is the list, its new span and item count, when `nodes` are its
/// items.
#[allow(clippy::too_many_arguments)]
fn rebuild<N: BlockNode>(
    model: &mut PlanModel,
    text: &str,
    cache: &mut InlineCache,
    edit: EditRange,
    body: &Body,
    replaced: Span,
    nodes: &[N],
    base: usize,
    list: Option<(usize, Span, usize)>,
) -> bool {
    // Entries span items (a `- Rationale:` item joins the `- Decision:`
    // before it) and subsections (a dated `###` is one entry): in a Decision
    // Log or Surprises section, only a whole body without subsections is
    // rebuilt in place, and only when no such section has subsections.
    let entry_kinds = [SectionKind::DecisionLog, SectionKind::Surprises];
    if entry_kinds
        .iter()
        .any(|kind| model.within(Some(body.section), *kind))
        && (list.is_some()
            || model.sections.iter().any(|s| {
                s.parent.is_some() && entry_kinds.iter().any(|k| model.within(s.parent, *k))
            }))
    {
        return false;
    }
    let parent = if list.is_some() { "list" } else { "section" };
    let mut builder = Builder::new(text, base, cache);
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
        .is_some_and(|note| body.old.contains(&note.start))
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
    let section = &mut model.sections[body.section];
    section.has_content = super::build::body_has_content(&text[section.own_body.clone()]);
    let heading = &mut model.headings[body.heading];
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

    let old = &replaced;
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
    match list {
        // The list itself stays, grown or shrunk by the edit.
        Some((index, span, count)) => {
            for list in &mut model.lists {
                list.shift(&shift);
            }
            let list = &mut model.lists[index];
            list.span = span;
            list.items = count;
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

/// The section body an edit fell in, as the model places it.
#[derive(Clone, Debug)]
struct Body {
    /// Index of the section, and of its heading.
    section: usize,
    heading: usize,
    /// The body in the old text: after the heading's line break, up to the
    /// next heading or the end.
    old: Span,
    /// Where the body starts and ends in the new text.
    start: usize,
    new_end: usize,
}

impl Body {
    /// The body of the section whose heading line lies before the edit and
    /// whose next heading lies after it, if there is one.
    fn find(model: &PlanModel, text: &str, edit: EditRange) -> Option<Body> {
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
        let start = after_line_break(text, h.span.end);
        let next = model.headings.get(heading + 1);
        let old_end = next.map_or(old_len, |next| next.span.start);
        // Typing at the very end of the text is in the last body; an edit
        // reaching the next heading is not in this one.
        let reaches_next = next.is_some() && edit.old_end >= old_end;
        if edit.start < start || edit.old_end > old_end || reaches_next {
            return None;
        }
        let new_end = old_end.checked_add_signed(edit.delta())?;
        if new_end > text.len() || new_end < edit.new_end || outer_fence(text).is_some() {
            return None;
        }
        Some(Body {
            section,
            heading,
            old: start..old_end,
            start,
            new_end,
        })
    }
}

/// The one item of a bullet list that an edit within one line fell in,
/// parsed alone.
///
/// Its marker line and the next item's are lines opening with the list's
/// bullet and a space, at the start of the line, with text after them, and
/// the edit leaves both alone (on the marker line it starts after the
/// item's first character of text). Such a line inside the list is always
/// one of its items, and a new item of it after whatever the item before
/// left open: nothing in an item reaches back to the start of a line. The
/// item's own lines then read alone as they read in the document, and the
/// edit, within one line past those first characters, can have made no
/// item start or stop being one: the list keeps its number of items.
struct LoneItem {
    /// Index of the list in [`PlanModel::lists`], and its span in the new
    /// text.
    list: usize,
    span: Span,
    /// Where the item starts (in both texts), and where it was in the old.
    start: usize,
    old: Span,
    /// The item's lines, parsed alone: one list of one item.
    blocks: FastBlocks,
}

impl LoneItem {
    fn find(model: &PlanModel, text: &str, body: &Body, edit: EditRange) -> Option<LoneItem> {
        let bytes = text.as_bytes();
        let list = model
            .lists
            .partition_point(|l| l.span.start <= edit.start)
            .checked_sub(1)?;
        let old_span = &model.lists[list].span;
        if edit.old_end > old_span.end || old_span.start < body.start {
            return None;
        }
        let bullet = *bytes.get(old_span.start)?;
        if !matches!(bullet, b'-' | b'*' | b'+') {
            return None;
        }
        // Where the text of a line opening an item starts, if it opens one.
        let text_start = |at: usize| -> Option<usize> {
            let line = &bytes[at..];
            if line.first() != Some(&bullet) || line.get(1) != Some(&b' ') {
                return None;
            }
            let first = at + 1 + line[1..].iter().position(|&b| b != b' ')?;
            (!matches!(bytes[first], b'\n' | b'\r')).then_some(first)
        };
        // The edited line's head must be left alone: its indentation, its
        // first word and the first character after it say whether it opens
        // an item (`- x`, ` * x`), and of which list.
        let edited_line = line_start(bytes, edit.start);
        if edit.start < head_end(bytes, edited_line)? {
            return None;
        }
        // The item's marker line: the nearest line opening an item at or
        // before the edit's.
        let mut start = edited_line;
        loop {
            if start < old_span.start {
                return None;
            }
            if let Some(first) = text_start(start) {
                if start == edited_line && first >= edit.start {
                    return None;
                }
                break;
            }
            if start == 0 {
                return None;
            }
            start = line_start(bytes, start - 1);
        }
        // A marker line that reads as a thematic break (`- - -`) is none.
        let marker_line = &text[start..start + text[start..].find('\n')?];
        if marker_line.bytes().filter(|&b| b == bullet).count() >= 3
            && marker_line.bytes().all(|b| b == bullet || b == b' ')
        {
            return None;
        }
        // The next item's marker line, after the edit and inside the list.
        let new_list_end = old_span.end.checked_add_signed(edit.delta())?;
        let mut end = edit.new_end;
        let end = loop {
            end += memchr::memchr(b'\n', &bytes[end..])? + 1;
            if end >= new_list_end {
                return None;
            }
            if text_start(end).is_some() {
                break end;
            }
        };
        let blocks = FastBlocks::parse(&text[start..end])?;
        let one_item = {
            let root = blocks.root();
            let mut lists = root.children();
            let alone = lists.next();
            lists.next().is_none()
                && alone.is_some_and(|l| l.kind() == "list" && l.children().count() == 1)
        };
        if !one_item {
            return None;
        }
        Some(LoneItem {
            list,
            span: old_span.start..new_list_end,
            start,
            old: start..end.checked_add_signed(-edit.delta())?,
            blocks,
        })
    }
}

/// Where the head of the line starting at `line` ends: after its leading
/// spaces, its first word, the spaces after it and the first character of
/// the next word. `None` for a line of one word or none, which an edit
/// anywhere may turn into another construct (`--` into `---`).
fn head_end(bytes: &[u8], line: usize) -> Option<usize> {
    let rest = &bytes[line..];
    let line_end = memchr::memchr(b'\n', rest).unwrap_or(rest.len());
    let rest = &rest[..line_end];
    let word = rest.iter().position(|&b| b != b' ')?;
    let after_word = word + rest[word..].iter().position(|&b| b == b' ')?;
    let next = after_word + rest[after_word..].iter().position(|&b| b != b' ')?;
    Some(line + next + 1)
}

/// The section body an edit fell in, with its blocks in the new tree.
struct Region<'t> {
    body: Body,
    blocks: Vec<Node<'t>>,
}

impl<'t> Region<'t> {
    fn find(
        model: &PlanModel,
        text: &str,
        tree: &'t BlockTree,
        edit: EditRange,
    ) -> Option<Region<'t>> {
        let body = Body::find(model, text, edit)?;
        let (body_start, new_end) = (body.start, body.new_end);
        let h = &model.headings[body.heading];

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
        if let Some(next) = model.headings.get(body.heading + 1) {
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
        Some(Region { body, blocks })
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

#[cfg(test)]
mod tests {
    use crate::document::{Document, ModelUpdate};
    use crate::model::build_from_text;
    use crate::syntax::TextEdit;

    const PLAN: &str = "# Plan\n\n## Progress\n\n- [ ] One.\n\n## Decision Log\n\n- Decision: A.\n  Rationale: B.\n  Date/Author: 2026-01-01 / Ada\n\n## Outcomes & Retrospective\n\nNone yet.\n";

    /// Inserts `insert` after the first `after` in `text` through a document
    /// that has been edited once (so it keeps a tree), and returns how the
    /// model was brought up to date; the model must be a fresh parse's.
    fn insert(text: &str, after: &str, insert: &str) -> ModelUpdate {
        let mut doc = Document::new(text.to_string(), 1);
        doc.model();
        let at = text.find(after).expect("the text has the anchor") + after.len();
        let typed = [TextEdit {
            start: at,
            old_end: at,
            new_text: insert.to_string(),
        }];
        for edit in typed {
            doc.apply_edit(edit);
            doc.rebuild();
        }
        let fresh = build_from_text(doc.text());
        assert!(
            **doc.model() == fresh,
            "{:?}: the model is not a fresh parse's",
            doc.text()
        );
        doc.last_update()
    }

    #[test]
    fn typing_in_a_body_reads_the_body_alone() {
        assert_eq!(insert(PLAN, "One", " more"), ModelUpdate::BodyAlone);
        assert_eq!(
            insert(PLAN, "- [ ] One.\n", "- [x] (2026-01-02 10:00Z) Two.\n"),
            ModelUpdate::BodyAlone
        );
        assert_eq!(insert(PLAN, "Rationale: B", ", C"), ModelUpdate::BodyAlone);
        // The last body, up to the end of the text.
        assert_eq!(insert(PLAN, "None yet.", " Soon."), ModelUpdate::BodyAlone);
        // Blocks closed before the blank line ahead of the next heading.
        for closed in [
            "\n```sh\nls\n```\n",
            "\n> A quote.\n",
            "\n<!-- note -->\n\nText.\n",
        ] {
            assert_eq!(insert(PLAN, "- [ ] One.\n", closed), ModelUpdate::BodyAlone);
        }
    }

    #[test]
    fn a_body_that_would_read_differently_alone_goes_through_the_tree() {
        for (after, typed, why) in [
            (
                "- [ ] One.\n",
                "\n```sh\n",
                "a fence left open swallows the next heading",
            ),
            (
                "- [ ] One.\n",
                "\n<!-- note\n",
                "an open comment swallows the next heading",
            ),
            (
                "- [ ] One.\n",
                "\n<div>\n",
                "an HTML block reaches the next heading",
            ),
            (
                "- [ ] One.\n",
                "\nTitle\n---\n",
                "a setext heading typed in the body",
            ),
            (
                "- [ ] One.\n",
                "\n## Surprises\n",
                "an ATX heading typed in the body",
            ),
            (
                "## Progress\n",
                "---\nkey: value\n---\n",
                "front matter only opens a document",
            ),
            (
                "- [ ] One.\n",
                "\n[a]: https://example.com\n",
                "the fast parse gives up",
            ),
        ] {
            assert_ne!(insert(PLAN, after, typed), ModelUpdate::BodyAlone, "{why}");
        }
        // The next heading right after the body's last line, or not at the
        // start of its line: the body alone might end differently.
        let tight = PLAN.replace("One.\n\n## Decision", "One.\n## Decision");
        assert_eq!(insert(&tight, "One", " more"), ModelUpdate::FromTree);
        let indented = PLAN.replace("\n## Decision", "\n ## Decision");
        assert_eq!(insert(&indented, "One", " more"), ModelUpdate::FromTree);
    }

    const LIST: &str = "# Plan\n\n## Progress\n\n- [x] (2026-01-01 09:00Z) One.\n- [ ] Two, in `src/lib.rs`.\n  More of two.\n  - [ ] Nested.\n- [ ] Three.\n\n## Outcomes & Retrospective\n\nNone yet.\n";

    #[test]
    fn typing_in_one_item_of_a_list_reads_that_item_alone() {
        for (after, typed) in [
            ("One", " more"),
            ("Two", " `docs/x.md`"),
            ("More of two", " and more"),
            ("Nested", "!"),
            ("- [x] (2026-01-01 09:00Z) One.", " [link](a.md)"),
        ] {
            assert_eq!(
                insert(LIST, after, typed),
                ModelUpdate::ItemAlone,
                "{after:?}"
            );
        }
        // Deleting within an item's line, and ticking a box.
        let mut doc = Document::new(LIST.to_string(), 1);
        doc.model();
        let at = LIST.find("- [ ] Two").unwrap() + 3;
        doc.apply_edit(TextEdit {
            start: at,
            old_end: at + 1,
            new_text: "x".into(),
        });
        doc.rebuild();
        assert_eq!(doc.last_update(), ModelUpdate::ItemAlone);
        assert!(**doc.model() == build_from_text(doc.text()));
    }

    #[test]
    fn an_edit_that_could_change_which_lines_are_items_reads_more() {
        for (after, typed, why) in [
            ("Three", " and four", "the last item: no item line after it"),
            (
                "One.\n",
                "x",
                "the first two bytes of a line opening an item",
            ),
            (
                "One.\n-",
                "x",
                "the first two bytes of a line opening an item",
            ),
            ("- ", "  ", "before the item's first character"),
            ("More of two.\n", "-", "the start of an item's own line"),
            ("Nested.\n", "  - [ ] Deeper.\n", "a line break typed"),
            ("- [ ] Two", "\n- [ ] Between", "a line break typed"),
        ] {
            assert_ne!(insert(LIST, after, typed), ModelUpdate::ItemAlone, "{why}");
        }
        // A marker line typed into a thematic break ends the list there.
        let rule = "## Progress\n\n- a\n- -\n- b\n\n## Outcomes & Retrospective\n\nNone.\n";
        assert_ne!(insert(rule, "- -", " -"), ModelUpdate::ItemAlone);
        // An item may open with spaces before its bullet: typing right after
        // that bullet makes it text of the item before.
        let indented = "## Progress\n\n- a\n - b\n- c\n\n## Outcomes & Retrospective\n\nNone.\n";
        assert_ne!(insert(indented, " -", "x"), ModelUpdate::ItemAlone);
        assert_eq!(insert(indented, " - b", "x"), ModelUpdate::BodyAlone);
        // Where tree-sitter-md may read lines by what is far from them (an
        // escape in a bracket opening a line), nothing is read alone.
        let far = "## Progress\n\n- [\\] *>Second.\n  Its line.\n lazy l*```inée.\n- [ >] Third.-\n  - [ Nested.\n- [ ] Four.\n\n## Outcomes & Retrospective\n\nNone.\n";
        assert_eq!(insert(far, "Third", "x"), ModelUpdate::FromTree);
        // An item of another bullet is another list.
        let mixed = "## Progress\n\n- a\n- b\n* c\n\n## Outcomes & Retrospective\n\nNone.\n";
        assert_eq!(insert(mixed, "- b", "c"), ModelUpdate::BodyAlone);
    }

    #[test]
    fn edits_read_alone_leave_the_tree_to_be_reparsed_later() {
        // Many keystrokes read with the body alone, then one on a heading:
        // the tree, edited all along but not reparsed, must give the model
        // of a fresh parse.
        let mut doc = Document::new(PLAN.to_string(), 1);
        doc.model();
        let mut text = PLAN.to_string();
        let mut type_at = |doc: &mut Document, at: usize, s: &str| {
            text.insert_str(at, s);
            doc.apply_edit(TextEdit {
                start: at,
                old_end: at,
                new_text: s.to_string(),
            });
            doc.rebuild();
            assert_eq!(doc.text(), text);
            assert!(**doc.model() == build_from_text(&text), "{text:?}");
            doc.last_update()
        };
        // The first edit builds the tree.
        let heading = PLAN.find("Plan").unwrap() + 4;
        assert_eq!(type_at(&mut doc, heading, "s"), ModelUpdate::Whole);
        let mut at = PLAN.find("One").unwrap() + 4;
        for c in ["x", " ", "y", "\n- [ ] Two", "."] {
            assert_eq!(type_at(&mut doc, at, c), ModelUpdate::BodyAlone);
            at += c.len();
        }
        // Now an item with another after it.
        let first = doc.text().find("One").unwrap() + 3;
        assert_eq!(type_at(&mut doc, first, "!"), ModelUpdate::ItemAlone);
        let log = doc.text().find("## Decision Log").unwrap() + 3;
        assert_ne!(type_at(&mut doc, log, "A "), ModelUpdate::BodyAlone);
        assert!(doc.has_tree());
    }
}
