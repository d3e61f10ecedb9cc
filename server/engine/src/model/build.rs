//! Builds a [`PlanModel`] from a block tree and its text.

use super::entries::{contains_date, find_labels, shape_of, starts_with_date};
use super::sections::{Recognition, recognise};
use super::timestamp::find_in_item;
use super::*;
use crate::syntax::{BlockNode, BlockTree, FastBlocks, GiveUp, InlineCache, InlineKind};

/// Reads `text` whole and builds its model: through pulldown-cmark
/// ([`FastBlocks`]) where that reads the document as tree-sitter-md does,
/// else through a tree-sitter parse. The model is the one [`build`] gives
/// from a tree-sitter tree either way (`fast_build_tests`).
pub fn build_from_text(text: &str) -> PlanModel {
    build_whole(text, &mut InlineCache::default())
}

/// [`build_from_text`] with the caller's inline cache.
pub fn build_whole(text: &str, cache: &mut InlineCache) -> PlanModel {
    match build_fast(text, cache) {
        Ok(model) => model,
        Err(_) => build(text, &BlockTree::parse(text), cache),
    }
}

/// The model through [`FastBlocks`] alone, or why the adapter gave up.
#[doc(hidden)]
pub fn build_fast(text: &str, cache: &mut InlineCache) -> Result<PlanModel, GiveUp> {
    let (inner, fence) = match outer_fence(text) {
        Some((fence, inner)) => (inner, Some(fence)),
        None => (0..text.len(), None),
    };
    // tree-sitter-md reads a byte-order mark as nothing, pulldown-cmark as
    // text: parse after it.
    let bom = if inner.start == 0 && text.starts_with('\u{feff}') {
        3
    } else {
        0
    };
    let start = inner.start + bom;
    let blocks = FastBlocks::parse_or_reason(&text[start..inner.end])?;
    let mut model = Builder::new(text, start, cache).run(blocks.root());
    model.outer_fence = fence;
    Ok(model)
}

/// The model through a tree-sitter parse alone, as the editor builds it.
#[doc(hidden)]
pub fn build_with_tree_sitter(text: &str) -> PlanModel {
    build(text, &BlockTree::parse(text), &mut InlineCache::default())
}

/// Builds the model of `text`, whose block tree is `tree`. Inline ranges are
/// read through `cache`, so only those whose text changed are parsed again.
pub fn build(text: &str, tree: &BlockTree, cache: &mut InlineCache) -> PlanModel {
    if let Some((fence, inner)) = outer_fence(text) {
        // The whole plan sits in one fence: read what is inside it.
        let inner_tree = BlockTree::parse(&text[inner.clone()]);
        let mut model = Builder::new(text, inner.start, cache).run(inner_tree.root());
        model.outer_fence = Some(fence);
        return model;
    }
    Builder::new(text, 0, cache).run(tree.root())
}

struct ItemInfo {
    full: Span,
    own: Span,
    /// Where the text after the list marker starts.
    content_start: usize,
    depth: usize,
}

pub(super) struct Builder<'a> {
    text: &'a str,
    base: usize,
    cache: &'a mut InlineCache,
    pub(super) model: PlanModel,
    items: Vec<ItemInfo>,
    /// Paragraphs outside list items.
    paragraphs: Vec<Span>,
    /// Blocks directly under the document or a section: (kind, span).
    top_blocks: Vec<(&'static str, Span)>,
    inline_contexts: Vec<(Span, InlineContext)>,
}

impl<'a> Builder<'a> {
    pub(super) fn new(text: &'a str, base: usize, cache: &'a mut InlineCache) -> Self {
        Builder {
            text,
            base,
            cache,
            model: PlanModel::default(),
            items: Vec::new(),
            paragraphs: Vec::new(),
            top_blocks: Vec::new(),
            inline_contexts: Vec::new(),
        }
    }

    fn run<N: BlockNode>(mut self, root: N) -> PlanModel {
        self.walk(root, None, 0, false);
        self.finish_headings_and_sections();
        self.finish_preamble();
        self.finish_inlines();
        self.finish_checkboxes();
        self.finish_entries();
        self.finish_placement();
        self.finish_revision_note();
        shrink(&mut self.model);
        self.model
    }

    /// Finishes the elements of one section body walked with
    /// [`Builder::walk`], placed in the headings and sections already set in
    /// `model`; see [`super::update`].
    pub(super) fn finish_region(mut self) -> PlanModel {
        self.finish_inlines();
        self.finish_checkboxes();
        self.finish_entries();
        self.finish_placement();
        self.model
    }

    /// Whether a paragraph walked so far reads as a revision note.
    pub(super) fn has_revision_paragraph(&self) -> bool {
        self.paragraphs
            .iter()
            .any(|p| is_revision_paragraph(self.slice(p)))
    }

    /// The node's byte range in the full text.
    fn span<N: BlockNode>(&self, node: N) -> Span {
        let start = (self.base + node.start_byte()).min(self.text.len());
        let end = (self.base + node.end_byte()).clamp(start, self.text.len());
        start..end
    }

    /// The range with trailing line breaks and spaces removed.
    fn trimmed(&self, span: Span) -> Span {
        let slice = &self.text[span.clone()];
        let trimmed = slice.trim_end_matches(['\n', '\r', ' ', '\t']);
        span.start..span.start + trimmed.len()
    }

    fn slice(&self, span: &Span) -> &'a str {
        self.text.get(span.clone()).unwrap_or("")
    }

    /// `parent_kind` is passed down because `Node::parent` walks from the root.
    pub(super) fn walk<N: BlockNode>(
        &mut self,
        node: N,
        parent_kind: Option<&str>,
        list_depth: usize,
        in_item: bool,
    ) {
        let kind = node.kind();
        if matches!(parent_kind, Some("document") | Some("section")) {
            let span = self.trimmed(self.span(node));
            let static_kind = match kind {
                "paragraph" => "paragraph",
                "list" => "list",
                "fenced_code_block" => "fenced_code_block",
                "indented_code_block" => "indented_code_block",
                "pipe_table" => "pipe_table",
                "atx_heading" | "setext_heading" => "heading",
                "block_quote" => "block_quote",
                "html_block" => "html_block",
                "minus_metadata" | "plus_metadata" => "metadata",
                "thematic_break" => "thematic_break",
                "link_reference_definition" => "link_reference_definition",
                _ => "other",
            };
            if static_kind != "other" {
                self.top_blocks.push((static_kind, span));
            }
        }
        match kind {
            // A `#` line inside a list item (most often a comment line of
            // code indented too little to be code) does not structure the
            // plan: it is the item's text.
            "atx_heading" | "setext_heading" if in_item => self.heading_in_item(node),
            "atx_heading" => self.atx_heading(node),
            "setext_heading" => self.setext_heading(node),
            "list" => {
                if list_depth == 0 {
                    let items = node.children().filter(|c| c.kind() == "list_item").count();
                    let span = self.trimmed(self.span(node));
                    self.model.lists.push(ListBlock {
                        span,
                        items,
                        section: None,
                    });
                }
                self.walk_children(node, list_depth, in_item);
            }
            "list_item" => {
                self.list_item(node, list_depth);
                self.walk_children(node, list_depth + 1, true);
            }
            "fenced_code_block" => self.fenced_block(node),
            "indented_code_block" => {
                let span = self.trimmed(self.span(node));
                self.model.indented_blocks.push(span);
            }
            "pipe_table" => self.table(node),
            "paragraph" => {
                if !in_item {
                    let span = self.trimmed(self.span(node));
                    self.paragraphs.push(span);
                }
                self.walk_children(node, list_depth, in_item);
            }
            "inline" => {
                let context = match parent_kind {
                    Some("atx_heading") | Some("setext_heading") => InlineContext::Heading,
                    Some("pipe_table_cell") => InlineContext::TableCell,
                    _ if in_item => InlineContext::ListItem,
                    _ => InlineContext::Paragraph,
                };
                let span = self.trimmed(self.span(node));
                self.inline_contexts.push((span, context));
            }
            "minus_metadata" | "plus_metadata" | "html_block" | "code_fence_content" => {}
            _ => self.walk_children(node, list_depth, in_item),
        }
    }

    fn walk_children<N: BlockNode>(&mut self, node: N, list_depth: usize, in_item: bool) {
        let kind = node.kind();
        for child in node.children() {
            self.walk(child, Some(kind), list_depth, in_item);
        }
    }

    fn heading_in_item<N: BlockNode>(&mut self, node: N) {
        for child in node.children() {
            if matches!(child.kind(), "inline" | "paragraph") {
                let span = self.trimmed(self.span(child));
                self.inline_contexts.push((span, InlineContext::ListItem));
            }
        }
    }

    fn atx_heading<N: BlockNode>(&mut self, node: N) {
        let mut level = 1;
        let mut content = None;
        for child in node.children() {
            if let Some(n) = child
                .kind()
                .strip_prefix("atx_h")
                .and_then(|k| k.strip_suffix("_marker"))
            {
                level = n.parse().unwrap_or(1);
            }
            if child.kind() == "inline" {
                content = Some(self.trimmed(self.span(child)));
            }
        }
        let span = self.trimmed(self.span(node));
        let text_span = content.unwrap_or(span.end..span.end);
        // A closing sequence of #s is not part of the text.
        let raw = self.slice(&text_span);
        let without_closing = raw.trim_end_matches('#');
        let text = if without_closing.len() < raw.len()
            && (without_closing.is_empty() || without_closing.ends_with([' ', '\t']))
        {
            without_closing.trim_end()
        } else {
            raw
        };
        let text_span = text_span.start..text_span.start + text.len();
        self.push_heading(
            level,
            text.trim().to_string(),
            span,
            text_span.clone(),
            HeadingStyle::Atx,
        );
        self.inline_contexts
            .push((text_span, InlineContext::Heading));
    }

    fn setext_heading<N: BlockNode>(&mut self, node: N) {
        let mut level = 1;
        let mut text_span = None;
        for child in node.children() {
            match child.kind() {
                "setext_h2_underline" => level = 2,
                "setext_h1_underline" => level = 1,
                "paragraph" => text_span = Some(self.trimmed(self.span(child))),
                _ => {}
            }
        }
        let span = self.trimmed(self.span(node));
        let text_span = text_span.unwrap_or(span.start..span.start);
        let text = self
            .slice(&text_span)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        self.push_heading(level, text, span, text_span.clone(), HeadingStyle::Setext);
        self.inline_contexts
            .push((text_span, InlineContext::Heading));
    }

    fn push_heading(
        &mut self,
        level: u8,
        text: String,
        span: Span,
        text_span: Span,
        style: HeadingStyle,
    ) {
        let blank_line_after = next_line_is_blank(self.text, span.end);
        let recognised = recognise(&text);
        self.model.headings.push(Heading {
            level,
            text,
            span,
            text_span,
            style,
            blank_line_after,
            recognised,
        });
    }

    fn list_item<N: BlockNode>(&mut self, node: N, depth: usize) {
        let full = self.trimmed(self.span(node));
        let mut marker_end = full.start;
        let mut own_end = full.end;
        for child in node.children() {
            if child.kind().starts_with("list_marker") {
                marker_end = self.span(child).end;
            }
            if child.kind() == "list" {
                own_end = own_end.min(self.span(child).start);
            }
        }
        let own = self.trimmed(full.start..own_end.max(full.start));
        // The marker node may include the following space; find the content.
        let mut content_start = marker_end.min(own.end);
        while self
            .text
            .as_bytes()
            .get(content_start)
            .is_some_and(|b| *b == b' ' || *b == b'\t')
            && content_start < own.end
        {
            content_start += 1;
        }
        self.items.push(ItemInfo {
            full,
            own,
            content_start,
            depth,
        });
    }

    fn fenced_block<N: BlockNode>(&mut self, node: N) {
        let span = self.trimmed(self.span(node));
        let mut delimiters = 0;
        let mut info = String::new();
        let mut content = None;
        for child in node.children() {
            match child.kind() {
                "fenced_code_block_delimiter" => delimiters += 1,
                "info_string" => info = self.slice(&self.span(child)).trim().to_string(),
                "code_fence_content" => content = Some(self.span(child)),
                _ => {}
            }
        }
        let content = content.unwrap_or_else(|| {
            // An empty block: content is the empty range after the opening line.
            let line_end = self.text[span.start..span.end]
                .find('\n')
                .map_or(span.end, |i| span.start + i + 1);
            line_end..line_end
        });
        self.model.fences.push(FencedBlock {
            span,
            info,
            closed: delimiters >= 2,
            content,
            section: None,
        });
    }

    fn table<N: BlockNode>(&mut self, node: N) {
        let span = self.trimmed(self.span(node));
        let mut header = Vec::new();
        let mut rows = Vec::new();
        for child in node.children() {
            let cells = self.cells(child);
            match child.kind() {
                "pipe_table_header" => header = cells,
                "pipe_table_row" => rows.push(TableRow {
                    span: self.trimmed(self.span(child)),
                    cells,
                }),
                _ => {}
            }
        }
        self.model.tables.push(Table {
            span,
            header,
            rows,
            section: None,
        });
        // Cells hold inline text too.
        for row in node.children() {
            for cell in row.children() {
                if cell.kind() == "pipe_table_cell" {
                    let span = self.trimmed(self.span(cell));
                    self.inline_contexts.push((span, InlineContext::TableCell));
                }
            }
        }
    }

    fn cells<N: BlockNode>(&self, row: N) -> Vec<String> {
        row.children()
            .filter(|c| c.kind() == "pipe_table_cell")
            .map(|c| self.slice(&self.span(c)).trim().to_string())
            .collect()
    }

    fn finish_headings_and_sections(&mut self) {
        let headings = &self.model.headings;
        self.model.title = headings.iter().position(|h| h.level == 1);
        let end_of_text = self.text.len();
        let mut sections: Vec<Section> = Vec::new();
        let h1_sections = h1_sections(headings, self.model.title);
        for (i, heading) in headings.iter().enumerate() {
            if heading.level < 2 && !h1_sections.contains(&i) {
                continue;
            }
            let end = headings[i + 1..]
                .iter()
                .find(|h| h.level <= heading.level)
                .map_or(end_of_text, |h| h.span.start);
            let next_any = headings.get(i + 1).map_or(end_of_text, |h| h.span.start);
            let own_body = heading.span.end..next_any.min(end).max(heading.span.end);
            let parent = sections.iter().rposition(|s| {
                s.level < heading.level && s.span.end >= end && s.span.start < heading.span.start
            });
            let has_content = body_has_content(&self.text[own_body.clone()]);
            let recognised = heading.recognised;
            sections.push(Section {
                heading: i,
                level: heading.level,
                kind: recognised.map(|(kind, _)| kind),
                by_synonym: matches!(recognised, Some((_, Recognition::Synonym))),
                span: heading.span.start..end,
                own_body,
                parent,
                has_subsections: next_any < end,
                has_content,
            });
        }
        demote_synonyms(&mut sections, headings);
        self.model.sections = sections;
    }

    fn finish_preamble(&mut self) {
        let Some(title) = self.model.title_heading().cloned() else {
            return;
        };
        let first_section = self
            .model
            .headings
            .iter()
            .find(|h| h.span.start > title.span.start && h.level >= 2)
            .map_or(self.text.len(), |h| h.span.start);
        // A section written as an H1 ends the preamble too.
        let first_section = self
            .model
            .sections
            .iter()
            .map(|s| s.span.start)
            .find(|&start| start > title.span.start)
            .map_or(first_section, |start| start.min(first_section));
        self.model.preamble = self
            .paragraphs
            .iter()
            .filter(|p| p.start >= title.span.end && p.start < first_section)
            .cloned()
            .collect();
        // Anything but front matter, a blockquote, comments or rules before
        // the title is text before it.
        self.model.text_before_title = self
            .top_blocks
            .iter()
            .filter(|(_, span)| span.start < title.span.start)
            .find(|(kind, _)| {
                !matches!(
                    *kind,
                    "metadata"
                        | "block_quote"
                        | "html_block"
                        | "thematic_break"
                        | "link_reference_definition"
                )
            })
            .map(|(_, span)| span.clone());
    }

    fn finish_inlines(&mut self) {
        let contexts = std::mem::take(&mut self.inline_contexts);
        for (span, context) in contexts {
            let facts = self.cache.get(self.slice(&span));
            let section = self.model.section_at(span.start);
            for inline in &facts.spans {
                let abs = span.start + inline.start..span.start + inline.end;
                match inline.kind {
                    InlineKind::Link => self.model.links.push(Link {
                        span: abs,
                        target: inline.target.clone(),
                        section,
                    }),
                    InlineKind::CodeSpan if looks_like_path(&inline.target) => {
                        self.model.code_paths.push(CodePath {
                            span: abs,
                            path: inline.target.clone(),
                            section,
                        })
                    }
                    InlineKind::CodeSpan => {}
                }
            }
            self.model.inlines.push(InlineRange {
                span,
                context,
                section,
                facts,
            });
        }
        self.model.inlines.sort_by_key(|i| i.span.start);
    }

    fn finish_checkboxes(&mut self) {
        let mut checkboxes = Vec::new();
        for item in &self.items {
            let bytes = self.text.as_bytes();
            let b = item.content_start;
            if !(bytes.get(b) == Some(&b'[') && bytes.get(b + 2) == Some(&b']')) {
                // A multi-byte state character such as `[✓]`.
                if bytes.get(b) == Some(&b'[')
                    && let Some(c) = self.text[b + 1..].chars().next()
                    && !c.is_ascii()
                    && self.text[b + 1 + c.len_utf8()..].starts_with(']')
                {
                    let box_end = b + 2 + c.len_utf8();
                    checkboxes.push(self.checkbox(item, CheckState::Other(c), b..box_end));
                }
                continue;
            }
            let after = bytes.get(b + 3).copied();
            if !matches!(
                after,
                None | Some(b' ') | Some(b'\t') | Some(b'\n') | Some(b'\r')
            ) {
                continue;
            }
            let state = match bytes[b + 1] {
                b' ' => CheckState::Unchecked,
                b'x' | b'X' => CheckState::Checked,
                c if c.is_ascii_graphic() && c != b']' && c != b'[' => CheckState::Other(c as char),
                _ => continue,
            };
            checkboxes.push(self.checkbox(item, state, b..b + 3));
        }
        self.model.checkboxes = checkboxes;
    }

    fn checkbox(&self, item: &ItemInfo, state: CheckState, box_span: Span) -> CheckboxItem {
        let mut text_start = box_span.end.min(item.own.end);
        while self.text.as_bytes().get(text_start) == Some(&b' ') && text_start < item.own.end {
            text_start += 1;
        }
        let own_text = self.slice(&(text_start..item.own.end));
        let text = words_joined(own_text);
        let first_line_end = own_text.find(['\n', '\r']).unwrap_or(own_text.len());
        let mut timestamp = find_in_item(&own_text[..first_line_end]).map(|mut ts| {
            ts.start += text_start;
            ts.end += text_start;
            ts
        });
        if timestamp.is_none() {
            let last_line_start = own_text.rfind(['\n', '\r']).map_or(0, |i| i + 1);
            timestamp = find_in_item(&own_text[last_line_start..])
                .filter(|ts| ts.start > 0 || last_line_start > 0)
                .map(|mut ts| {
                    ts.start += text_start + last_line_start;
                    ts.end += text_start + last_line_start;
                    ts
                });
        }
        let section = self.model.section_at(item.own.start);
        CheckboxItem {
            state,
            box_span,
            span: item.own.clone(),
            text,
            text_start,
            timestamp,
            partial: partial_note(own_text, text_start).map(Box::new),
            depth: item.depth,
            section,
            in_progress: self.model.within(section, SectionKind::Progress),
        }
    }

    /// Reads Decision Log and Surprises & Discoveries entries as the plan
    /// writes them: a subsection that holds one entry (a dated heading, or
    /// one entry's labels) is one entry; a top-level item or a paragraph
    /// that starts with a label is one, and labelled items or paragraphs
    /// that continue it (`- Rationale: …` after `- Decision: …`) join it; a
    /// row of a table with decision or observation columns is one. Under a
    /// heading that only resembles the section (`Key Design Decisions`), and
    /// in numbered lists, only text with an entry's shape (labels, a date)
    /// is an entry.
    fn finish_entries(&mut self) {
        let mut decisions: Vec<Entry> = Vec::new();
        let mut surprises: Vec<Entry> = Vec::new();
        let model = &self.model;
        let text = self.text;
        // The living section (Decision Log or Surprises) around `offset`,
        // the innermost section there, and whether the living section is
        // named only by a synonym.
        let kind_of = |offset: usize| -> Option<(SectionKind, usize, bool)> {
            let section = model.section_at(offset)?;
            let mut current = Some(section);
            while let Some(i) = current {
                let s = &model.sections[i];
                if let Some(kind @ (SectionKind::DecisionLog | SectionKind::Surprises)) = s.kind {
                    // A translated name (`Decisiones`) is the section itself;
                    // only an English synonym (`Key Design Decisions`) is
                    // read loosely.
                    // (`by_synonym` is the heading's recognition, kept
                    // while the section keeps its kind.)
                    let heading = &model.headings[s.heading].text;
                    let loose = s.by_synonym && !super::sections::is_translated(heading);
                    return Some((kind, section, loose));
                }
                current = s.parent;
            }
            None
        };
        let entry_labels = |kind: SectionKind| -> &'static [LabelKind] {
            match kind {
                SectionKind::DecisionLog => &[
                    LabelKind::Decision,
                    LabelKind::Rationale,
                    LabelKind::DateAuthor,
                    LabelKind::Date,
                    LabelKind::Author,
                    LabelKind::Alternatives,
                ],
                _ => &[
                    LabelKind::Observation,
                    LabelKind::Evidence,
                    LabelKind::Resolution,
                ],
            }
        };
        let opening = |kind: SectionKind| match kind {
            SectionKind::DecisionLog => LabelKind::Decision,
            _ => LabelKind::Observation,
        };
        let push =
            |kind: SectionKind, entry: Entry, d: &mut Vec<Entry>, s: &mut Vec<Entry>| match kind {
                SectionKind::DecisionLog => d.push(entry),
                _ => s.push(entry),
            };

        // Subsections that are one entry each, and dated subsections.
        let mut heading_entries: Vec<Span> = Vec::new();
        let mut dated_headings: Vec<Span> = Vec::new();
        for (index, section) in model.sections.iter().enumerate() {
            let Some(parent) = section.parent else {
                continue;
            };
            let Some((kind, _, loose)) = kind_of(model.sections[parent].span.start) else {
                continue;
            };
            if !model.within(Some(parent), kind) || section.has_subsections {
                continue;
            }
            let heading = &model.headings[section.heading];
            let body_span = heading.span.end.min(section.span.end)..section.span.end;
            let body = &text[body_span.clone()];
            let labels = find_labels(body, body_span.start);
            let dated = contains_date(&heading.text);
            let kinds = entry_labels(kind);
            let openings = labels.iter().filter(|l| l.kind == opening(kind)).count();
            let labelled = labels.iter().any(|l| kinds.contains(&l.kind));
            if dated {
                dated_headings.push(section.span.clone());
            }
            if openings > 1 || !(dated || labelled) {
                continue;
            }
            if loose && !dated && !labelled {
                continue;
            }
            let shape = if labels.is_empty() {
                EntryShape::Heading
            } else {
                shape_of(&labels)
            };
            let span = self.trimmed(section.span.clone());
            heading_entries.push(span.clone());
            let entry = Entry {
                span,
                shape,
                labels,
                columns: Vec::new(),
                text: words_joined(&format!("{} {}", heading.text, body)),
                section: index,
                dated_by_heading: dated,
            };
            push(kind, entry, &mut decisions, &mut surprises);
        }
        let in_heading_entry = |offset: usize| heading_entries.iter().any(|s| s.contains(&offset));
        let under_dated_heading =
            |offset: usize| dated_headings.iter().any(|s| s.contains(&offset));

        let mut candidates: Vec<(Span, bool)> = self
            .items
            .iter()
            .filter(|i| i.depth == 0)
            .map(|i| (i.full.clone(), true))
            .collect();
        candidates.extend(self.paragraphs.iter().map(|p| (p.clone(), false)));
        candidates.sort_by_key(|c| c.0.start);
        // The entry the previous candidate of each kind made, for labelled
        // continuations.
        let mut last: Option<(SectionKind, usize)> = None;
        for (span, is_item) in candidates {
            let Some((kind, section, loose)) = kind_of(span.start) else {
                last = None;
                continue;
            };
            if in_heading_entry(span.start) {
                last = None;
                continue;
            }
            let raw = self.slice(&span);
            let labels = find_labels(raw, span.start);
            let body = if is_item { strip_list_marker(raw) } else { raw };
            let shape = if labels.is_empty() && starts_with_date(body) {
                EntryShape::ProseLine
            } else {
                shape_of(&labels)
            };
            let lead_label = labels.first().filter(|l| {
                l.line_start
                    && text[span.start..l.span.start]
                        .trim_matches(|c: char| {
                            c.is_whitespace()
                                || "-*+_>".contains(c)
                                || c.is_ascii_digit()
                                || c == '.'
                                || c == ')'
                        })
                        .is_empty()
            });
            // A paragraph is an entry only when it starts like one.
            if !is_item && lead_label.is_none() && shape != EntryShape::ProseLine {
                last = None;
                continue;
            }
            let kinds = entry_labels(kind);
            let dated_by_heading = under_dated_heading(span.start);
            let shaped = labels.iter().any(|l| kinds.contains(&l.kind))
                || shape == EntryShape::ProseLine
                || dated_by_heading;
            let numbered = is_item && is_ordered_marker_line(raw);
            if (loose || numbered) && !shaped {
                last = None;
                continue;
            }
            // `- Rationale: …` after `- Decision: …` continues that entry.
            let continues =
                lead_label.is_some_and(|l| l.kind != opening(kind) && kinds.contains(&l.kind));
            let list = match kind {
                SectionKind::DecisionLog => &mut decisions,
                _ => &mut surprises,
            };
            if continues
                && let Some((last_kind, at)) = last
                && last_kind == kind
                && let Some(previous) = list.get_mut(at)
                && previous.section == section
                && previous.shape != EntryShape::TableRow
                && !previous
                    .labels
                    .iter()
                    .any(|l| labels.iter().any(|n| n.kind == l.kind))
            {
                previous.span.end = span.end;
                previous.labels.extend(labels);
                previous.shape = shape_of(&previous.labels);
                previous.text.push(' ');
                previous.text.push_str(&words_joined(body));
                continue;
            }
            let entry = Entry {
                span,
                shape,
                labels,
                columns: Vec::new(),
                text: words_joined(body),
                section,
                dated_by_heading,
            };
            list.push(entry);
            last = Some((kind, list.len() - 1));
        }
        for table in &self.model.tables {
            let Some((kind, section, _)) = kind_of(table.span.start) else {
                continue;
            };
            if in_heading_entry(table.span.start) || !is_entry_table(kind, &table.header) {
                continue;
            }
            for row in &table.rows {
                let columns: Vec<(String, String)> = table
                    .header
                    .iter()
                    .cloned()
                    .zip(
                        row.cells
                            .iter()
                            .cloned()
                            .chain(std::iter::repeat(String::new())),
                    )
                    .collect();
                let entry = Entry {
                    span: row.span.clone(),
                    shape: EntryShape::TableRow,
                    labels: Vec::new(),
                    text: row.cells.join(" | "),
                    columns,
                    section,
                    dated_by_heading: false,
                };
                push(kind, entry, &mut decisions, &mut surprises);
            }
        }
        decisions.sort_by_key(|e| e.span.start);
        surprises.sort_by_key(|e| e.span.start);
        self.model.decisions = decisions;
        self.model.surprises = surprises;
    }

    fn finish_placement(&mut self) {
        let model = &mut self.model;
        let section_at = |sections: &[Section], offset: usize| {
            sections
                .iter()
                .enumerate()
                .filter(|(_, s)| s.span.start <= offset && offset < s.span.end)
                .max_by_key(|(_, s)| s.level)
                .map(|(i, _)| i)
        };
        for fence in &mut model.fences {
            fence.section = section_at(&model.sections, fence.span.start);
        }
        for table in &mut model.tables {
            table.section = section_at(&model.sections, table.span.start);
        }
        for list in &mut model.lists {
            list.section = section_at(&model.sections, list.span.start);
        }
    }

    fn finish_revision_note(&mut self) {
        let from_section = self
            .model
            .sections
            .iter()
            .filter(|s| {
                let name = normalize_heading(&self.model.headings[s.heading].text);
                name.contains("revision")
                    || name.contains("change log")
                    || name.contains("changelog")
            })
            .map(|s| s.span.clone())
            .next_back();
        let from_paragraph = self
            .paragraphs
            .iter()
            .rfind(|p| is_revision_paragraph(self.slice(p)))
            .cloned();
        self.model.revision_note = match (from_section, from_paragraph) {
            (Some(a), Some(b)) => Some(if b.start > a.start { b } else { a }),
            (a, b) => a.or(b),
        };
    }
}

/// Whether the line after the one ending at `end` is blank or absent.
/// A heading that names a section only by a synonym (`Testing`, `Key
/// Decisions`) is that section only when the plan has no other heading for
/// it: one that names it by its own name, or an earlier one.
/// The H1 headings that are sections: a plan that writes its sections as
/// H1s (EP106 reports each) still has them. An H1 after the title is a
/// section when it names a skeleton section, and every H1 is once two do
/// (the plan's own sections are H1s too); the title itself is one too
/// when it names a section and a later H1 does (`# Purpose / Big Picture`
/// over `# Progress`, `# Decision Log`, ...).
fn h1_sections(headings: &[Heading], title: Option<usize>) -> Vec<usize> {
    let mut out: Vec<usize> = headings
        .iter()
        .enumerate()
        .filter(|(i, h)| h.level == 1 && Some(*i) != title && h.recognised.is_some())
        .map(|(i, _)| i)
        .collect();
    // Two or more H1 sections: the plan writes its sections as H1s, so its
    // other H1s (`# Constraints & Considerations`) are sections too.
    // The title is a section only by a section's own name (`# Purpose /
    // Big Picture`), never by a synonym (`# Plan`, `# Goals`).
    let title_names =
        title.is_some_and(|t| matches!(headings[t].recognised, Some((_, Recognition::Named))));
    if out.len() + usize::from(title_names) >= 2 {
        out = headings
            .iter()
            .enumerate()
            .filter(|(i, h)| h.level == 1 && Some(*i) != title)
            .map(|(i, _)| i)
            .collect();
    }
    if let Some(t) = title
        && !out.is_empty()
        && title_names
    {
        out.insert(0, t);
    }
    out
}

/// `by_heading` is every heading's recognition, by heading index.
fn demote_synonyms(sections: &mut [Section], headings: &[Heading]) {
    let recognised: Vec<Option<(SectionKind, Recognition)>> = sections
        .iter()
        .map(|s| headings[s.heading].recognised)
        .collect();
    for i in 0..sections.len() {
        let Some((kind, Recognition::Synonym)) = recognised[i] else {
            continue;
        };
        let taken = recognised.iter().enumerate().any(|(j, r)| {
            j != i
                && sections[j].kind == Some(kind)
                && (j < i || matches!(r, Some((_, Recognition::Named))))
        });
        if taken {
            sections[i].kind = None;
            sections[i].by_synonym = false;
        }
    }
}

pub(super) fn next_line_is_blank(text: &str, end: usize) -> bool {
    let rest = &text[end..];
    let rest = rest
        .strip_prefix("\r\n")
        .or_else(|| rest.strip_prefix('\n'))
        .or_else(|| rest.strip_prefix('\r'));
    match rest {
        None => true,
        Some(after) => {
            let line_end = after.find(['\n', '\r']).unwrap_or(after.len());
            after[..line_end].trim().is_empty()
        }
    }
}

/// Whether a paragraph starts like a revision note (`Plan update note:` …).
fn is_revision_paragraph(paragraph: &str) -> bool {
    let lower = paragraph.trim_start_matches(['*', '_']).to_lowercase();
    [
        "plan update note",
        "revision note",
        "plan revision",
        "update note",
        "revision:",
    ]
    .iter()
    .any(|prefix| lower.starts_with(prefix))
}

/// Whether a section body holds anything but blank lines, rules and comments.
pub(super) fn body_has_content(body: &str) -> bool {
    body.lines().any(|line| {
        let t = line.trim();
        !(t.is_empty()
            || (t.len() >= 3 && t.chars().all(|c| c == '-' || c == ' ') && t.contains("---"))
            || (t.len() >= 3 && t.chars().all(|c| c == '*' || c == ' '))
            || (t.len() >= 3 && t.chars().all(|c| c == '_' || c == ' '))
            || (t.starts_with("<!--") && t.ends_with("-->")))
    })
}

fn strip_list_marker(raw: &str) -> &str {
    let t = raw.trim_start();
    let t = t.strip_prefix(['-', '*', '+']).unwrap_or_else(|| {
        t.trim_start_matches(|c: char| c.is_ascii_digit())
            .trim_start_matches(['.', ')'])
    });
    t.trim_start()
}

/// The text's words joined by single spaces (wrapped lines joined).
/// Whether a list item's first line starts with a number marker (`1.`, `2)`).
fn is_ordered_marker_line(raw: &str) -> bool {
    let t = raw.trim_start();
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    digits > 0 && matches!(t.as_bytes().get(digits), Some(b'.') | Some(b')'))
}

/// Whether a table under a Decision Log or Surprises heading is a table of
/// entries (a column says what was decided or observed, why, or when),
/// rather than data.
fn is_entry_table(kind: SectionKind, header: &[String]) -> bool {
    let words: &[&str] = match kind {
        SectionKind::DecisionLog => &["decision", "choice", "rationale", "why", "reason"],
        _ => &[
            "observation",
            "surprise",
            "discovery",
            "finding",
            "evidence",
        ],
    };
    header.iter().any(|h| {
        let h = h.to_lowercase();
        words.iter().any(|w| h.contains(w))
    })
}

fn words_joined(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// `(completed: X; remaining: Y)` in an item's text.
fn partial_note(text: &str, base: usize) -> Option<PartialNote> {
    // Most items have none: look before lowering a copy of the text.
    let has_note = text
        .as_bytes()
        .windows("(completed:".len())
        .any(|w| w.eq_ignore_ascii_case(b"(completed:"));
    if !has_note {
        return None;
    }
    let lower = text.to_ascii_lowercase();
    let open = lower.find("(completed:")?;
    let rest = &lower[open..];
    let semi = rest.find(';')?;
    let remaining = rest[semi..].find("remaining:")? + semi;
    let close = rest[remaining..].find(')')? + remaining;
    let completed_text = text[open + "(completed:".len()..open + semi]
        .trim()
        .to_string();
    let remaining_text = text[open + remaining + "remaining:".len()..open + close]
        .trim()
        .to_string();
    Some(PartialNote {
        span: base + open..base + open + close + 1,
        completed: completed_text,
        remaining: remaining_text,
    })
}

/// Whether a code span's text names a file or folder in a repository.
fn looks_like_path(s: &str) -> bool {
    const EXTENSIONS: [&str; 24] = [
        ".rs", ".md", ".toml", ".json", ".yaml", ".yml", ".py", ".ts", ".tsx", ".js", ".go",
        ".lua", ".sh", ".txt", ".lock", ".c", ".h", ".cpp", ".java", ".rb", ".css", ".html",
        ".sql", ".scm",
    ];
    if s.is_empty()
        || s.len() > 200
        || s.contains(char::is_whitespace)
        || s.contains("://")
        || s.starts_with(['-', '$', '<', '@', '#', '~', '.', '/'])
            && !s.starts_with("./")
            && !s.starts_with(".agent")
        || s.contains([
            '(', ')', '=', '{', '}', '"', '\'', ',', ';', '*', '?', '<', '>', '|', '`',
        ])
    {
        return false;
    }
    let lower = s.to_ascii_lowercase();
    (s.contains('/') && s.chars().any(|c| c.is_ascii_alphabetic()) && !s.contains("//"))
        || EXTENSIONS
            .iter()
            .any(|ext| lower.ends_with(ext) && lower.len() > ext.len())
}

/// Detects a whole file wrapped in one outer fence: returns the fence's lines
/// and the inner text's span.
pub(super) fn outer_fence(text: &str) -> Option<(OuterFence, Span)> {
    let start = first_content_line(text)?;
    let first_line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let open_line = text[start..first_line_end].trim_end_matches('\r');
    let fence_char = open_line
        .chars()
        .next()
        .filter(|c| *c == '`' || *c == '~')?;
    let fence_len = open_line.chars().take_while(|c| *c == fence_char).count();
    if fence_len < 3 {
        return None;
    }
    let info = open_line[fence_len..].trim().to_ascii_lowercase();
    if !(info.is_empty() || info == "md" || info == "markdown") {
        return None;
    }
    let trimmed_end = text.trim_end_matches(['\n', '\r', ' ', '\t']).len();
    let close_start = text[..trimmed_end].rfind('\n').map_or(0, |i| i + 1);
    if close_start <= first_line_end {
        return None;
    }
    let close_line = text[close_start..trimmed_end].trim();
    if close_line.len() < fence_len || !close_line.chars().all(|c| c == fence_char) {
        return None;
    }
    let inner_start = (first_line_end + 1).min(close_start);
    let inner = &text[inner_start..close_start];
    if !inner
        .lines()
        .any(|l| l.starts_with("# ") || l.starts_with("## "))
    {
        return None;
    }
    Some((
        OuterFence {
            open: start..first_line_end,
            close: close_start..trimmed_end,
        },
        inner_start..close_start,
    ))
}

/// The start of the first line that is not blank, after any BOM.
fn first_content_line(text: &str) -> Option<usize> {
    let mut offset = if text.starts_with('\u{feff}') { 3 } else { 0 };
    for line in text[offset..].split_inclusive('\n') {
        if !line.trim().is_empty() {
            return Some(offset);
        }
        offset += line.len();
    }
    None
}

/// Drops the spare capacity the vectors grew while building: a model lives
/// as long as its document, so the slack would be held for hours.
fn shrink(model: &mut PlanModel) {
    model.headings.shrink_to_fit();
    model.preamble.shrink_to_fit();
    model.sections.shrink_to_fit();
    model.checkboxes.shrink_to_fit();
    model.decisions.shrink_to_fit();
    model.surprises.shrink_to_fit();
    for entry in model.decisions.iter_mut().chain(&mut model.surprises) {
        entry.labels.shrink_to_fit();
        entry.columns.shrink_to_fit();
        entry.text.shrink_to_fit();
    }
    model.fences.shrink_to_fit();
    model.indented_blocks.shrink_to_fit();
    model.tables.shrink_to_fit();
    model.lists.shrink_to_fit();
    model.inlines.shrink_to_fit();
    model.links.shrink_to_fit();
    model.code_paths.shrink_to_fit();
}
