//! A whole-document block parse with pulldown-cmark, shaped as the
//! tree-sitter-md nodes the model builder reads.
//!
//! tree-sitter-md lexes prose token by token and takes about 140 ns per byte
//! even on joined input; pulldown-cmark reads a plan in a few nanoseconds
//! per byte. A document read whole (`check`, the workspace index, opening a
//! document) is parsed here; the editor's incremental path keeps tree-sitter.
//! Both must give the same model, so this adapter gives each node the kind
//! and the byte range tree-sitter-md gives it, for the kinds and ranges the
//! builder reads (`model/build.rs`): blocks directly under the document,
//! headings and their text, lists, items and their markers, paragraphs and
//! their inline ranges, fences (delimiters, info string, content), indented
//! blocks, tables (rows, cells), quotes, HTML blocks and front matter.
//!
//! Where the two parsers read a construct differently, or where the range
//! tree-sitter-md gives cannot be told from pulldown-cmark's events, the
//! adapter gives up ([`FastBlocks::parse`] returns `None`) and the caller
//! parses with tree-sitter. `model::fast_build_tests` compares the two
//! models on every fixture, the corpora and random Markdown; each reason to
//! give up is one of the constructs those comparisons found, named at the
//! place it is detected.

use pulldown_cmark::{CodeBlockKind, Event, MetadataBlockKind, Options, Parser, Tag, TagEnd};

use super::fast_tables;
use super::node::BlockNode;

const NONE: u32 = u32::MAX;

/// How deep containers may nest on the fast path.
const MAX_DEPTH: usize = 64;

#[derive(Clone, Debug)]
struct NodeData {
    kind: &'static str,
    start: usize,
    end: usize,
    first_child: u32,
    last_child: u32,
    next_sibling: u32,
}

/// A block tree made from pulldown-cmark's events, in tree-sitter-md's
/// shape for what the model builder reads.
#[derive(Debug)]
pub struct FastBlocks {
    nodes: Vec<NodeData>,
}

/// One node of a [`FastBlocks`] tree.
#[derive(Clone, Copy, Debug)]
pub struct FastNode<'a> {
    nodes: &'a [NodeData],
    id: u32,
}

impl<'a> BlockNode for FastNode<'a> {
    fn kind(&self) -> &'static str {
        self.nodes[self.id as usize].kind
    }

    fn start_byte(&self) -> usize {
        self.nodes[self.id as usize].start
    }

    fn end_byte(&self) -> usize {
        self.nodes[self.id as usize].end
    }

    fn children(&self) -> impl Iterator<Item = Self> {
        let nodes = self.nodes;
        let mut next = nodes[self.id as usize].first_child;
        std::iter::from_fn(move || {
            if next == NONE {
                return None;
            }
            let id = next;
            next = nodes[id as usize].next_sibling;
            Some(FastNode { nodes, id })
        })
    }
}

/// Why the adapter gave up on a document: a construct whose tree-sitter-md
/// reading it does not reproduce. For tests and measurements.
#[doc(hidden)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct GiveUp(pub &'static str);

impl FastBlocks {
    /// Parses `text`, or `None` when the document holds a construct this
    /// adapter does not reproduce; parse it with tree-sitter then.
    pub fn parse(text: &str) -> Option<FastBlocks> {
        Self::parse_or_reason(text).ok()
    }

    /// Like [`FastBlocks::parse`], saying why it gave up.
    #[doc(hidden)]
    pub fn parse_or_reason(text: &str) -> Result<FastBlocks, GiveUp> {
        prescreen(text)?;
        Adapter::new(text).run()
    }

    /// Whether `text` holds none of the constructs found by a look at the
    /// text alone that make the adapter give up. Those are also where
    /// tree-sitter-md reads some lines by what is far from them (its error
    /// recovery after a bracket that might open a link reference
    /// definition can swallow the paragraphs after it), so a part of such a
    /// document may read differently alone.
    pub fn reads_locally(text: &str) -> bool {
        prescreen(text).is_ok()
    }

    pub fn root(&self) -> FastNode<'_> {
        FastNode {
            nodes: &self.nodes,
            id: 0,
        }
    }
}

/// Constructs found by a look at the text, before parsing.
fn prescreen(text: &str) -> Result<(), GiveUp> {
    let bytes = text.as_bytes();
    // Line breaks other than LF: tree-sitter-md and pulldown-cmark agree on
    // CRLF in most places, but not all were compared; a lone CR is a line
    // break to one and not the other.
    if memchr::memchr(b'\r', bytes).is_some() {
        return Err(GiveUp("carriage return"));
    }
    // Tabs change columns, and the two parsers count them differently in
    // list items and quotes.
    if memchr::memchr(b'\t', bytes).is_some() {
        return Err(GiveUp("tab"));
    }
    // tree-sitter-md's error recovery at the end of a text without a final
    // line break guesses by the tokens (`syntax::check_joining`).
    if !bytes.is_empty() && bytes.last() != Some(&b'\n') {
        return Err(GiveUp("no final line break"));
    }
    if memchr::memchr(0, bytes).is_some() {
        return Err(GiveUp("NUL"));
    }
    // Vertical tab and form feed: CommonMark counts them as whitespace in
    // some rules and not others, and the two parsers read a line of
    // `\x0b  ` differently (found by the `fast_parse` fuzz target).
    if memchr::memchr2(0x0b, 0x0c, bytes).is_some() {
        return Err(GiveUp("vertical tab or form feed"));
    }
    // Link reference definitions: pulldown-cmark reports them apart from
    // the blocks, and which lines are one differs between the parsers.
    for at in memchr::memmem::find_iter(bytes, b"]:") {
        if line_lead(text, at).starts_with('[') {
            return Err(GiveUp("link reference definition"));
        }
    }
    // A bracket opening a line with an escape after it: tree-sitter-md
    // tries it as a link reference definition and recovers with an error
    // that can swallow the next paragraphs.
    // A task box (`[ ]`, `[x]`) is one token to tree-sitter-md, no bracket.
    for at in memchr::memchr_iter(b'\\', bytes) {
        let lead = line_lead(text, at);
        let lead = match lead.get(..4) {
            Some("[ ] " | "[x] " | "[X] ") => lead[4..].trim_start_matches(' '),
            _ => lead,
        };
        if lead.starts_with('[') {
            return Err(GiveUp("escape in a bracket opening a line"));
        }
    }
    Ok(())
}

/// The line of `at` up to `at`, without leading spaces, quote markers and
/// list markers.
fn line_lead(text: &str, at: usize) -> &str {
    let line_start = text.as_bytes()[..at]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let lead = text[line_start..at].trim_start_matches([' ', '>', '-', '*', '+']);
    lead.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.' || c == ')' || c == ' ')
}

/// What is open while events arrive.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Open {
    Document,
    Quote,
    List,
    Item {
        /// Where the item's marker line starts, and the column its content
        /// starts at on that line.
        line_start: usize,
        content_column: usize,
    },
    /// A paragraph; `implicit` for the text of a tight list item, which
    /// pulldown-cmark gives no paragraph tags.
    Paragraph {
        implicit: bool,
    },
    Heading,
    Fence,
    Indented,
    Html,
    Metadata,
    Table,
    TableRow,
    TableCell,
}

struct Adapter<'a> {
    text: &'a str,
    bytes: &'a [u8],
    nodes: Vec<NodeData>,
    /// Open containers: what, and its node.
    stack: Vec<(Open, u32)>,
    /// The end of the last inline event in the open paragraph.
    inline_end: usize,
    /// The start of the first text in the open fenced block.
    fence_text: Option<usize>,
    /// pulldown-cmark's cells of the open table row.
    table_cells: Vec<std::ops::Range<usize>>,
}

impl<'a> Adapter<'a> {
    fn new(text: &'a str) -> Self {
        let mut nodes = Vec::with_capacity(text.len() / 24 + 8);
        nodes.push(NodeData {
            kind: "document",
            start: 0,
            end: text.len(),
            first_child: NONE,
            last_child: NONE,
            next_sibling: NONE,
        });
        Adapter {
            text,
            bytes: text.as_bytes(),
            nodes,
            stack: vec![(Open::Document, 0)],
            inline_end: 0,
            fence_text: None,
            table_cells: Vec::new(),
        }
    }

    fn run(mut self) -> Result<FastBlocks, GiveUp> {
        let mut options = Options::ENABLE_TABLES | Options::ENABLE_TASKLISTS;
        // Front matter only where tree-sitter-md reads it: at the start
        // (pulldown-cmark also takes a `---` block further down).
        if self.text.starts_with("---") {
            options |= Options::ENABLE_YAML_STYLE_METADATA_BLOCKS;
        }
        if self.text.starts_with("+++") {
            options |= Options::ENABLE_PLUSES_DELIMITED_METADATA_BLOCKS;
        }
        let text = self.text;
        for (event, range) in Parser::new_ext(text, options).into_offset_iter() {
            self.event(event, range)?;
        }
        self.close_implicit_paragraph()?;
        if self.stack.len() != 1 {
            return Err(GiveUp("unbalanced events"));
        }
        // Front matter: tree-sitter-md reads a `---` (or `+++`) first line
        // up to the next such line as front matter, blank lines and all;
        // pulldown-cmark only a block without a blank line after the
        // opening. Kept where both read one block ending the same way.
        let delimiter = text.get(..3).unwrap_or("");
        if delimiter == "---" || delimiter == "+++" {
            let first = self.nodes[0].first_child;
            let agreed = first != NONE && {
                let node = &self.nodes[first as usize];
                node.kind.ends_with("_metadata")
                    && node.start == 0
                    && text[..node.end].trim_end().ends_with(delimiter)
                    && !text[..node.end].contains("\n\n")
            };
            if !agreed {
                return Err(GiveUp("front matter read differently"));
            }
        }
        Ok(FastBlocks { nodes: self.nodes })
    }

    fn top(&self) -> Open {
        self.stack.last().map_or(Open::Document, |(o, _)| *o)
    }

    fn add(&mut self, kind: &'static str, start: usize, end: usize) -> u32 {
        let id = self.nodes.len() as u32;
        self.nodes.push(NodeData {
            kind,
            start,
            end,
            first_child: NONE,
            last_child: NONE,
            next_sibling: NONE,
        });
        let parent = self.stack.last().map_or(0, |(_, p)| *p) as usize;
        let last = self.nodes[parent].last_child;
        if last == NONE {
            self.nodes[parent].first_child = id;
        } else {
            self.nodes[last as usize].next_sibling = id;
        }
        self.nodes[parent].last_child = id;
        id
    }

    fn open(&mut self, what: Open, kind: &'static str, start: usize) -> u32 {
        let id = self.add(kind, start, start);
        self.stack.push((what, id));
        id
    }

    fn close(&mut self, end: usize) -> Result<(Open, u32), GiveUp> {
        if self.stack.len() <= 1 {
            return Err(GiveUp("unbalanced events"));
        }
        let (what, id) = self.stack.pop().expect("checked above");
        let node = &mut self.nodes[id as usize];
        node.end = end.max(node.start);
        Ok((what, id))
    }

    fn line_start(&self, at: usize) -> usize {
        self.bytes[..at]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1)
    }

    fn line_end(&self, at: usize) -> usize {
        memchr::memchr(b'\n', &self.bytes[at..]).map_or(self.bytes.len(), |i| at + i)
    }

    /// Where tree-sitter-md starts a block that pulldown-cmark starts at
    /// `start`: with the spaces before it that its container does not
    /// consume (tree-sitter-md's block starts after its container's
    /// prefix, pulldown-cmark's at the block's first character).
    fn block_start(&self, start: usize) -> Result<usize, GiveUp> {
        let line_start = self.line_start(start);
        let lead = &self.bytes[line_start..start];
        if lead.is_empty() || !lead.iter().all(|&b| b == b' ') {
            // Not preceded by spaces alone: either at the line start, or
            // after a container's marker on the same line.
            // tree-sitter-md's quote marker takes one space after `>`.
            if lead.last() == Some(&b' ') && self.in_quote() && !lead.ends_with(b"> ") {
                return Err(GiveUp("spaces after a quote marker"));
            }
            return Ok(start);
        }
        // After a list or an indented block, tree-sitter-md has read the
        // line's spaces as a failed continuation of it: the block starts
        // after them. (A list's last item takes the spaces while there are
        // fewer than its content column, so all of them: with more, the
        // line would be in the item. The random tests compare this at the
        // top level and in items.)
        let after_continuable = match self.last_sibling() {
            Some(("list", _)) => true,
            // An indented block tries the line right after it only.
            Some(("indented_code_block", end)) => end == line_start,
            _ => false,
        };
        match self.container() {
            Open::Document if self.last_sibling_kind() == Some("block_quote") => {
                Err(GiveUp("indented block after a quote"))
            }
            Open::Document if after_continuable => Ok(start),
            Open::Document => Ok(line_start),
            Open::Item { .. } if after_continuable => Ok(start),
            Open::Item {
                line_start: item_line,
                content_column,
            } => {
                if item_line == line_start {
                    // On the marker line: right after the marker.
                    return Ok(start);
                }
                if self.in_quote() {
                    return Err(GiveUp("indented block in a quoted item"));
                }
                // Columns are bytes here: the prescreen refused tabs.
                if lead.len() < content_column {
                    return Err(GiveUp("block indented less than its item"));
                }
                Ok(line_start + content_column)
            }
            _ => Err(GiveUp("indented block in a quote")),
        }
    }

    /// Where the container's prefix ends on the line of `at` (which is
    /// after it), for the lines of a fence.
    fn after_prefix(&self, at: usize) -> Result<usize, GiveUp> {
        let line = self.line_start(at);
        match self.container() {
            Open::Document => Ok(line),
            Open::Item { content_column, .. } => {
                let lead = self.bytes[line..at]
                    .iter()
                    .take_while(|&&b| b == b' ')
                    .count();
                Ok(line + lead.min(content_column))
            }
            _ => Err(GiveUp("fence in a quote")),
        }
    }

    /// Gives up on a paragraph with a line that starts like a block which
    /// tree-sitter-md lets interrupt a paragraph where CommonMark does not
    /// (a list starting at another number than 1, an empty item, HTML, a
    /// table's delimiter row).
    fn check_paragraph_lines(&self, start: usize, end: usize) -> Result<(), GiveUp> {
        self.check_table_in_paragraph(start, end)?;
        let Some(first_break) = memchr::memchr(b'\n', &self.bytes[start..end]) else {
            return Ok(());
        };
        let column = match self.container() {
            Open::Item { content_column, .. } => content_column,
            _ => 0,
        };
        for line in self.text[start + first_break + 1..end].split('\n') {
            // An indented line continues a paragraph in both parsers, but
            // tree-sitter-md's scanner tries some block starts without
            // looking at the indentation (a fence, a quote marker, a `*`
            // item, a `___` break, a `===` underline, HTML): such a line
            // ends the paragraph there and starts an indented block.
            let unquoted = line.trim_start_matches([' ', '>']);
            let unindented = line.trim_start_matches(' ');
            let indent = line.len() - unindented.len();
            let quoted = unquoted.len() < unindented.len();
            // (At four spaces or more: an item's lazy line less indented
            // than its content is no indented block to either parser.)
            let _ = column;
            if (indent >= 4 && starts_block_at_any_indent(unindented))
                || (quoted && unquoted.len() + 4 <= line.len())
            {
                return Err(GiveUp("indented line inside a paragraph"));
            }
            let t = unquoted;
            let digits = t.bytes().take_while(u8::is_ascii_digit).count();
            let rest = if t.starts_with(['-', '*', '+']) {
                Some(&t[1..])
            } else if digits > 0 && t[digits..].starts_with(['.', ')']) {
                Some(&t[digits + 1..])
            } else {
                None
            };
            if rest.is_some_and(|r| r.is_empty() || r.starts_with(' ')) {
                return Err(GiveUp("list marker inside a paragraph"));
            }
            if t.starts_with('<') {
                return Err(GiveUp("HTML inside a paragraph"));
            }
            if is_delimiter_row(t) && t.contains('|') {
                return Err(GiveUp("delimiter row inside a paragraph"));
            }
        }
        Ok(())
    }

    /// Gives up on a paragraph of which a line and the line after it start
    /// a table to tree-sitter-md's scanner: pulldown-cmark read no table
    /// there (its delimiter rows need a `-` and no `||`, its header no
    /// other cell count), tree-sitter-md reads one, or recovers from an
    /// error trying to.
    fn check_table_in_paragraph(&self, start: usize, end: usize) -> Result<(), GiveUp> {
        if memchr::memchr(b'|', &self.bytes[start..end]).is_none() {
            return Ok(());
        }
        let unprefixed = |line: &'a [u8]| {
            let lead = line.iter().take_while(|&&b| b == b' ' || b == b'>').count();
            &line[lead..]
        };
        let mut line = start;
        while line < end {
            let line_end = self.line_end(line);
            let next = (line_end + 1).min(self.bytes.len());
            let header = unprefixed(&self.bytes[line..line_end]);
            if memchr::memchr(b'|', header).is_some()
                && fast_tables::scanner_starts_table(
                    header,
                    unprefixed(&self.bytes[next..self.line_end(next)]),
                )
            {
                return Err(GiveUp("table tree-sitter-md starts in a paragraph"));
            }
            line = line_end + 1;
        }
        Ok(())
    }

    /// The innermost container (document, quote or item).
    fn container(&self) -> Open {
        self.stack
            .iter()
            .rev()
            .map(|(o, _)| *o)
            .find(|o| matches!(o, Open::Document | Open::Quote | Open::Item { .. }))
            .unwrap_or(Open::Document)
    }

    fn in_quote(&self) -> bool {
        self.stack.iter().any(|(o, _)| *o == Open::Quote)
    }

    fn in_item(&self) -> bool {
        self.stack
            .iter()
            .any(|(o, _)| matches!(o, Open::Item { .. }))
    }

    /// Closes the paragraph pulldown-cmark gives a tight item's text, with
    /// its inline range.
    fn close_implicit_paragraph(&mut self) -> Result<(), GiveUp> {
        if let Some((Open::Paragraph { implicit: true }, id)) = self.stack.last().copied() {
            let start = self.nodes[id as usize].start;
            let end = self.inline_end.max(start);
            self.check_paragraph_lines(start, end)?;
            self.nodes[id as usize].end = end;
            self.add("inline", start, end);
            self.stack.pop();
        }
        Ok(())
    }

    /// An inline event at `range`: opens a tight item's paragraph when
    /// none is open, and extends the open paragraph.
    fn inline(&mut self, range: &std::ops::Range<usize>) -> Result<(), GiveUp> {
        match self.top() {
            Open::Item { .. } => {
                // An escaped first character: pulldown-cmark's text starts
                // after the backslash.
                let at = if range.start > 0 && self.bytes[range.start - 1] == b'\\' {
                    range.start - 1
                } else {
                    range.start
                };
                let start = self.block_start(at)?;
                self.open(Open::Paragraph { implicit: true }, "paragraph", start);
                self.inline_end = range.end;
            }
            Open::Paragraph { .. } => self.inline_end = self.inline_end.max(range.end),
            Open::Heading | Open::TableCell | Open::Html | Open::Metadata | Open::Indented => {}
            Open::Fence => {
                if self.fence_text.is_none() {
                    self.fence_text = Some(range.start);
                }
            }
            Open::Document | Open::Quote | Open::List | Open::Table | Open::TableRow => {
                return Err(GiveUp("inline event outside a block"));
            }
        }
        Ok(())
    }

    fn event(&mut self, event: Event<'_>, range: std::ops::Range<usize>) -> Result<(), GiveUp> {
        match event {
            Event::Start(tag) => self.start(tag, range),
            Event::End(tag) => self.end(tag, range),
            Event::Rule => {
                self.close_implicit_paragraph()?;
                let start = self.block_start(range.start)?;
                self.add("thematic_break", start, range.end);
                Ok(())
            }
            Event::TaskListMarker(_) => {
                // A box with nothing after it on its line is the item's
                // text to tree-sitter-md.
                let line_end = self.line_end(range.end);
                if self.text[range.end..line_end].trim().is_empty() {
                    // pulldown-cmark ends such an item at its line, where
                    // tree-sitter-md continues it lazily with the next.
                    let next = (line_end + 1).min(self.bytes.len());
                    let next_line = &self.text[next..self.line_end(next)];
                    if !(next >= self.bytes.len()
                        || is_atx_line(next_line)
                        || (next_line.starts_with(['-', '*', '+'])
                            && next_line[1..].starts_with(' ')))
                    {
                        return Err(GiveUp("task box alone on its line"));
                    }
                    return self.inline(&range);
                }
                // The item's text starts after the box; the paragraph
                // pulldown-cmark opened before it (a loose item) starts
                // there too.
                match self.top() {
                    Open::Item { .. } => {
                        let start = skip_spaces(self.bytes, range.end);
                        self.open(Open::Paragraph { implicit: true }, "paragraph", start);
                        self.inline_end = start;
                        Ok(())
                    }
                    Open::Paragraph { implicit: false } => {
                        let (_, id) = *self.stack.last().expect("a paragraph is open");
                        let start = skip_spaces(self.bytes, range.end);
                        self.nodes[id as usize].start = start;
                        self.inline_end = start;
                        Ok(())
                    }
                    _ => Err(GiveUp("task marker outside an item")),
                }
            }
            Event::Text(_)
            | Event::Code(_)
            | Event::InlineHtml(_)
            | Event::InlineMath(_)
            | Event::DisplayMath(_)
            | Event::FootnoteReference(_)
            | Event::SoftBreak
            | Event::HardBreak => self.inline(&range),
            Event::Html(_) => match self.top() {
                Open::Html => Ok(()),
                _ => self.inline(&range),
            },
        }
    }

    fn start(&mut self, tag: Tag<'_>, range: std::ops::Range<usize>) -> Result<(), GiveUp> {
        match tag {
            Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Superscript
            | Tag::Subscript
            | Tag::Link { .. }
            | Tag::Image { .. } => return self.inline(&range),
            _ => {}
        }
        self.close_implicit_paragraph()?;
        // The builder walks the tree recursively; tree-sitter-md bounds how
        // deep its trees nest, pulldown-cmark does not (ten thousand nested
        // items would overflow the stack).
        if self.stack.len() > MAX_DEPTH {
            return Err(GiveUp("nesting deeper than the bound"));
        }
        match tag {
            Tag::Paragraph => {
                let start = self.block_start(range.start)?;
                self.open(Open::Paragraph { implicit: false }, "paragraph", start);
                self.inline_end = range.start;
            }
            Tag::Heading { .. } if self.in_item() => {
                return Err(GiveUp("heading in a list item"));
            }
            Tag::Heading { .. } if self.in_quote() => {
                // tree-sitter-md opens a section inside the quote.
                return Err(GiveUp("heading in a quote"));
            }
            Tag::Heading { level, .. } => {
                let start = self.block_start(range.start)?;
                let at = skip_spaces(self.bytes, range.start);
                if is_atx_line(&self.text[at..self.line_end(at)]) {
                    self.atx_heading(start, at, level as usize, range.end)?;
                } else {
                    self.setext_heading(start, level as usize, range.end)?;
                }
                self.stack.push((Open::Heading, NONE));
            }
            Tag::BlockQuote(_) => {
                if self.in_item() {
                    return Err(GiveUp("quote in a list item"));
                }
                let start = self.block_start(range.start)?;
                self.open(Open::Quote, "block_quote", start);
            }
            Tag::CodeBlock(CodeBlockKind::Fenced(_)) => {
                let start = self.block_start(range.start)?;
                self.open(Open::Fence, "fenced_code_block", start);
                self.fence_text = None;
            }
            Tag::CodeBlock(CodeBlockKind::Indented) => {
                if let Open::Item { line_start, .. } = self.top()
                    && self.line_start(range.start) == line_start
                {
                    return Err(GiveUp("indented block on an item's marker line"));
                }
                let start = self.block_start(range.start)?;
                self.open(Open::Indented, "indented_code_block", start);
            }
            Tag::HtmlBlock if self.in_item() => {
                return Err(GiveUp("HTML block in a list item"));
            }
            Tag::HtmlBlock => {
                let start = self.block_start(range.start)?;
                self.open(Open::Html, "html_block", start);
            }
            Tag::List(_) => {
                if self.in_quote() {
                    return Err(GiveUp("list in a quote"));
                }
                // tree-sitter-md starts it after the spaces that the block
                // before read as a failed continuation of itself: a list,
                // or an indented block on the line before.
                let mut start = range.start;
                if self.bytes.get(range.start) == Some(&b' ') {
                    match self.last_sibling() {
                        Some(("list", _)) => start = skip_spaces(self.bytes, range.start),
                        Some(("indented_code_block", end))
                            if end == self.line_start(range.start) =>
                        {
                            start = skip_spaces(self.bytes, range.start)
                        }
                        Some(("indented_code_block" | "block_quote", _)) => {
                            return Err(GiveUp("indented list after a quote or indented block"));
                        }
                        _ => {}
                    }
                }
                self.open(Open::List, "list", start);
            }
            Tag::Item => {
                let line_start = self.line_start(range.start);
                // An item after another whose marker is indented: the item
                // before has read the spaces as a failed continuation of
                // itself, so tree-sitter-md's item starts at its marker.
                let list_start = self
                    .stack
                    .last()
                    .map_or(0, |&(_, id)| self.nodes[id as usize].start);
                let start = if self.bytes.get(range.start) == Some(&b' ')
                    && (self.last_sibling_kind().is_some() || list_start > range.start)
                {
                    skip_spaces(self.bytes, range.start)
                } else {
                    range.start
                };
                let marker = skip_spaces(self.bytes, range.start);
                let marker_end = marker_end(self.bytes, marker);
                // An empty item and a blank line: tree-sitter-md ends the
                // list there, pulldown-cmark goes on with the next item.
                let line_end = self.line_end(marker_end);
                let next = (line_end + 1).min(self.bytes.len());
                if self.text[marker_end..line_end].trim().is_empty()
                    && next < self.bytes.len()
                    && self.text[next..self.line_end(next)].trim().is_empty()
                {
                    return Err(GiveUp("empty item before a blank line"));
                }
                let content = content_start(self.bytes, marker_end);
                self.open(
                    Open::Item {
                        line_start,
                        content_column: content - line_start,
                    },
                    "list_item",
                    start,
                );
                self.add("list_marker", start, marker_end);
            }
            Tag::Table(_) => {
                if self.in_quote() || self.in_item() {
                    return Err(GiveUp("table in a container"));
                }
                // pulldown-cmark lets a table interrupt a paragraph; after
                // an ATX heading line, both start one.
                let line = self.line_start(range.start);
                if line > 0 {
                    let previous = &self.text[self.line_start(line - 1)..line];
                    let after_heading = self.last_sibling_kind() == Some("atx_heading")
                        && is_atx_line(previous.trim_start_matches(' '));
                    if !previous.trim().is_empty() && !after_heading {
                        return Err(GiveUp("table right after a line of text"));
                    }
                }
                // Only tables whose rows open with a pipe at the line
                // start: tree-sitter-md's scanner tries other first
                // characters as other blocks, and indented rows were not
                // compared.
                if range.start != line || self.bytes.get(line) != Some(&b'|') {
                    return Err(GiveUp("table not opening with a pipe"));
                }
                let header_end = self.line_end(line);
                let delimiter = (header_end + 1).min(self.bytes.len());
                let delimiter_line = &self.bytes[delimiter..self.line_end(delimiter)];
                if !fast_tables::starts_table(&self.bytes[line..header_end], delimiter_line) {
                    return Err(GiveUp("table tree-sitter-md does not start"));
                }
                if memchr::memmem::find(delimiter_line, b"||").is_some() {
                    return Err(GiveUp("empty table cell"));
                }
                let start = self.block_start(range.start)?;
                self.open(Open::Table, "pipe_table", start);
            }
            Tag::TableHead => {
                // Rows start at their line's start (tables are only read
                // outside containers).
                let start = self.line_start(range.start);
                self.table_cells.clear();
                self.open(Open::TableRow, "pipe_table_header", start);
            }
            Tag::TableRow => {
                let start = self.line_start(range.start);
                if start != range.start || self.bytes.get(start) != Some(&b'|') {
                    return Err(GiveUp("table not opening with a pipe"));
                }
                let line_end = self.line_end(start);
                // tree-sitter-md tries every line of a table as the header
                // of a new one: a row and a delimiter-like line after it
                // end the table there.
                let next = (line_end + 1).min(self.bytes.len());
                if fast_tables::scanner_starts_table(
                    &self.bytes[start..line_end],
                    &self.bytes[next..self.line_end(next)],
                ) {
                    return Err(GiveUp("table starting inside a table"));
                }
                self.table_cells.clear();
                self.open(Open::TableRow, "pipe_table_row", start);
            }
            Tag::TableCell => {
                // Cells are added with their row, once checked.
                self.stack.push((Open::TableCell, NONE));
            }
            Tag::MetadataBlock(_) if range.start > 0 => {
                return Err(GiveUp("front matter after the start"));
            }
            Tag::MetadataBlock(kind) => {
                let name = match kind {
                    MetadataBlockKind::YamlStyle => "minus_metadata",
                    MetadataBlockKind::PlusesStyle => "plus_metadata",
                };
                self.open(Open::Metadata, name, range.start);
            }
            Tag::FootnoteDefinition(_)
            | Tag::DefinitionList
            | Tag::DefinitionListTitle
            | Tag::DefinitionListDefinition => return Err(GiveUp("extension block")),
            Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Superscript
            | Tag::Subscript
            | Tag::Link { .. }
            | Tag::Image { .. } => unreachable!("handled above"),
        }
        Ok(())
    }

    fn last_sibling_kind(&self) -> Option<&'static str> {
        self.last_sibling().map(|(kind, _)| kind)
    }

    /// The kind and end of the open container's last child.
    fn last_sibling(&self) -> Option<(&'static str, usize)> {
        let parent = self.stack.last().map_or(0, |(_, p)| *p);
        let last = self.nodes[parent as usize].last_child;
        (last != NONE).then(|| {
            let node = &self.nodes[last as usize];
            (node.kind, node.end)
        })
    }

    fn atx_heading(
        &mut self,
        start: usize,
        marker: usize,
        level: usize,
        end: usize,
    ) -> Result<(), GiveUp> {
        let line_end = self.line_end(marker);
        let id = self.open(Open::Heading, "atx_heading", start);
        const MARKERS: [&str; 6] = [
            "atx_h1_marker",
            "atx_h2_marker",
            "atx_h3_marker",
            "atx_h4_marker",
            "atx_h5_marker",
            "atx_h6_marker",
        ];
        self.add(MARKERS[level.clamp(1, 6) - 1], start, marker + level);
        // The text runs from after the marker's spaces to the line's last
        // character, closing `#`s included (the builder drops them).
        let content = skip_spaces(self.bytes, marker + level);
        let content_end = content + self.text[content..line_end].trim_end().len();
        if content_end > content {
            self.add("inline", content, content_end);
        }
        self.stack.pop();
        self.nodes[id as usize].end = end.max(line_end);
        Ok(())
    }

    fn setext_heading(&mut self, start: usize, level: usize, end: usize) -> Result<(), GiveUp> {
        // The underline is the heading's last line.
        let trimmed_end = start + self.text[start..end].trim_end().len();
        let underline = self.line_start(trimmed_end);
        if underline <= start {
            return Err(GiveUp("setext heading without text"));
        }
        self.check_paragraph_lines(start, underline)?;
        // Pipes over an underline read as a table to tree-sitter-md.
        if self.text[start..underline].contains('|') {
            return Err(GiveUp("setext heading with pipes"));
        }
        let id = self.open(Open::Heading, "setext_heading", start);
        self.add("paragraph", start, underline);
        let kind = if level == 1 {
            "setext_h1_underline"
        } else {
            "setext_h2_underline"
        };
        let line = skip_spaces(self.bytes, underline);
        // tree-sitter-md reads a short `-` underline as a list item.
        if trimmed_end - line < 3 {
            return Err(GiveUp("setext underline shorter than three"));
        }
        self.add(kind, line, trimmed_end);
        self.stack.pop();
        self.nodes[id as usize].end = end;
        Ok(())
    }

    fn end(&mut self, tag: TagEnd, range: std::ops::Range<usize>) -> Result<(), GiveUp> {
        match tag {
            TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::Link
            | TagEnd::Image => return self.inline(&range),
            _ => {}
        }
        if !matches!(tag, TagEnd::Paragraph) {
            self.close_implicit_paragraph()?;
        }
        match tag {
            TagEnd::Paragraph => {
                let end = self.inline_end.max(range.end);
                let (_, id) = *self.stack.last().ok_or(GiveUp("unbalanced events"))?;
                self.check_paragraph_lines(self.nodes[id as usize].start, end)?;
                // A paragraph in a quote that goes on: tree-sitter-md's
                // paragraph takes the next line's `>`.
                if self.in_quote() {
                    let next = self.line_start(end.min(self.bytes.len()));
                    let next = if next < end {
                        self.line_end(end) + 1
                    } else {
                        next
                    };
                    let next = next.min(self.bytes.len());
                    if self.text[next..].trim_start_matches(' ').starts_with('>') {
                        return Err(GiveUp("paragraph in a quote that goes on"));
                    }
                }
                let (_, id) = self.close(end)?;
                let start = self.nodes[id as usize].start;
                self.stack.push((Open::Paragraph { implicit: false }, id));
                self.add("inline", start, end.max(start));
                self.stack.pop();
            }
            TagEnd::Heading(_) => {
                if self.stack.pop().map(|(o, _)| o) != Some(Open::Heading) {
                    return Err(GiveUp("unbalanced events"));
                }
            }
            TagEnd::CodeBlock => match self.top() {
                Open::Fence => self.end_fence(range)?,
                _ => {
                    self.close(range.end)?;
                }
            },
            TagEnd::TableCell => {
                // Cells are checked and added with their row.
                self.stack.pop();
                self.table_cells.push(range);
            }
            TagEnd::TableHead | TagEnd::TableRow => {
                let (_, id) = self.close(range.end)?;
                self.table_row(id)?;
                if tag == TagEnd::TableHead {
                    // The delimiter row follows the header.
                    let line_end = self.nodes[id as usize].end;
                    let delimiter = (line_end + 1).min(self.bytes.len());
                    let end = self.line_end(delimiter);
                    self.add("pipe_table_delimiter_row", delimiter, end);
                }
            }
            TagEnd::Table => {
                // tree-sitter-md reads every line up to a blank one as a
                // row; pulldown-cmark ends the table at any block.
                let next = range.end.min(self.bytes.len());
                if !self.text[next..self.line_end(next)].trim().is_empty() {
                    return Err(GiveUp("block right after a table"));
                }
                self.close(range.end)?;
            }
            TagEnd::BlockQuote(_)
            | TagEnd::HtmlBlock
            | TagEnd::MetadataBlock(_)
            | TagEnd::List(_)
            | TagEnd::Item => {
                self.close(range.end)?;
            }
            TagEnd::FootnoteDefinition
            | TagEnd::DefinitionList
            | TagEnd::DefinitionListTitle
            | TagEnd::DefinitionListDefinition => return Err(GiveUp("extension block")),
            TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::Link
            | TagEnd::Image => unreachable!("handled above"),
        }
        Ok(())
    }

    /// Gives a closed table row (node `id`) tree-sitter-md's cells, after
    /// checking that pulldown-cmark's cells (`table_cells`) are the same
    /// ones: where the two split a row differently, give up.
    fn table_row(&mut self, id: u32) -> Result<(), GiveUp> {
        let row_start = self.nodes[id as usize].start;
        let line_end = self.line_end(row_start);
        let line = &self.bytes[row_start..line_end];
        let Some(cells) = fast_tables::row_cells(line) else {
            return Err(GiveUp("empty table cell"));
        };
        let text = self.text;
        let trim = |r: std::ops::Range<usize>| {
            let s = &text[r.clone()];
            let lead = s.len() - s.trim_start_matches(' ').len();
            (r.start + lead, r.start + s.trim_end_matches(' ').len())
        };
        for (i, theirs) in self.table_cells.iter().enumerate() {
            let agree = match cells.get(i) {
                Some(cell) if cell.blank => text[theirs.clone()].trim_matches(' ').is_empty(),
                Some(cell) => {
                    trim(theirs.clone()) == trim(row_start + cell.start..row_start + cell.end)
                }
                // pulldown-cmark pads a short row with empty cells at its
                // end; tree-sitter-md gives only the cells written.
                None => {
                    theirs.start == theirs.end
                        && theirs.start >= row_start + line.trim_ascii_end().len()
                }
            };
            if !agree {
                return Err(GiveUp("table cell read differently"));
            }
        }
        // A row with more cells than the header: pulldown-cmark drops the
        // rest, tree-sitter-md keeps them, as the cells above do.
        self.stack.push((Open::TableRow, id));
        for cell in &cells {
            self.add(
                "pipe_table_cell",
                row_start + cell.start,
                row_start + cell.end,
            );
        }
        self.stack.pop();
        self.nodes[id as usize].end = line_end;
        Ok(())
    }

    /// Closes a fenced block: its delimiters, info string and content.
    fn end_fence(&mut self, range: std::ops::Range<usize>) -> Result<(), GiveUp> {
        let (_, id) = *self.stack.last().expect("a fence is open");
        let start = self.nodes[id as usize].start;
        let open_at = skip_spaces(self.bytes, start);
        let fence_char = self.bytes[open_at];
        let open_len = self.bytes[open_at..]
            .iter()
            .take_while(|&&b| b == fence_char)
            .count();
        let open_line_end = self.line_end(open_at);
        self.add("fenced_code_block_delimiter", open_at, open_at + open_len);
        let info_start = open_at + open_len;
        let info = self.text[info_start..open_line_end].trim();
        // tree-sitter-md's info string starts at a word.
        if info.starts_with(|c: char| c.is_ascii_punctuation()) {
            return Err(GiveUp("info string starting with punctuation"));
        }
        if !info.is_empty() {
            self.add("info_string", info_start, open_line_end);
        }
        // Closed when the block's last line is a fence at least as long.
        let body = self.text[start..range.end].trim_end_matches('\n');
        let last_line = start + body.rfind('\n').map_or(0, |i| i + 1);
        let closing = if last_line > open_line_end {
            let line = &self.text[last_line..start + body.len()];
            // Quote markers are the container's prefix only in a quote:
            // elsewhere `>```` is a line of the fence's content.
            let prefix: &[char] = if self.in_quote() { &[' ', '>'] } else { &[' '] };
            let lead = line.len() - line.trim_start_matches(prefix).len();
            let fence = line[lead..].trim_end();
            // A closing fence is indented at most three spaces past its
            // container's prefix; tree-sitter-md's scanner checks the
            // same, and pulldown-cmark then reads no closing fence.
            let column = match self.container() {
                Open::Item { content_column, .. } => content_column,
                _ => 0,
            };
            let spaces = line.len() - line.trim_start_matches(' ').len();
            (fence.len() >= open_len
                && fence.bytes().all(|b| b == fence_char)
                && (self.in_quote() || spaces <= column + 3))
                .then_some((last_line + lead, fence.len()))
        } else {
            None
        };
        if let Some(text) = self.fence_text.take() {
            // The content starts after the container's prefix on its first
            // line, the fence's own indentation included, and ends after
            // it on the closing line.
            let text_start = self.after_prefix(text)?;
            let end = match closing {
                Some((at, _)) => self.after_prefix(at)?,
                // An unclosed fence that its item ends: tree-sitter-md's
                // content takes the next line's leading spaces.
                None if self.in_item() => return Err(GiveUp("unclosed fence in an item")),
                None => range.end,
            };
            self.add("code_fence_content", text_start, end.max(text_start));
        }
        if let Some((at, len)) = closing {
            self.add("fenced_code_block_delimiter", at, at + len);
        }
        self.close(range.end)?;
        Ok(())
    }
}

fn skip_spaces(bytes: &[u8], mut at: usize) -> usize {
    while bytes.get(at) == Some(&b' ') {
        at += 1;
    }
    at
}

/// The end of a list marker (`-`, `*`, `+`, `12.`, `3)`) starting at `at`.
fn marker_end(bytes: &[u8], at: usize) -> usize {
    let digits = bytes[at..]
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .count();
    (at + digits + 1).min(bytes.len())
}

/// The column an item's content starts at (as a byte offset on the marker
/// line): after one to four spaces, or after one when more follow (the
/// content is then an indented block) or the line is blank.
fn content_start(bytes: &[u8], marker_end: usize) -> usize {
    let spaces = bytes[marker_end..]
        .iter()
        .take_while(|&&b| b == b' ')
        .count();
    let blank = matches!(bytes.get(marker_end + spaces), None | Some(b'\n'));
    if blank || spaces > 4 {
        // A column, which the marker line may not reach.
        marker_end + 1
    } else {
        marker_end + spaces
    }
}

/// Whether a line (from its first non-space character) is an ATX heading:
/// one to six `#` and then a space or nothing.
fn is_atx_line(line: &str) -> bool {
    let hashes = line.bytes().take_while(|&b| b == b'#').count();
    (1..=6).contains(&hashes) && matches!(line.as_bytes().get(hashes), None | Some(b' '))
}

/// Whether a line (from its first non-space character) starts a block that
/// tree-sitter-md's scanner lets interrupt a paragraph however far the line
/// is indented: a fence of three backticks or tildes, a quote marker, a `*`
/// item or break, a `___` break, a `===` underline, HTML; and, kept with
/// them, a pipe. A code span (`` `a` ``) or emphasis is none of these.
fn starts_block_at_any_indent(line: &str) -> bool {
    let b = line.as_bytes();
    let run = |c: u8| b.iter().take_while(|&&x| x == c).count();
    match b.first() {
        Some(b'`') => run(b'`') >= 3,
        Some(b'~') => run(b'~') >= 3,
        Some(b'*') => matches!(b.get(1), None | Some(b' ' | b'*')),
        Some(b'_') => b.iter().all(|&x| x == b'_' || x == b' '),
        Some(b'=') => b.iter().all(|&x| x == b'=' || x == b' '),
        Some(b'>' | b'<' | b'|') => true,
        _ => false,
    }
}

/// Whether a line reads as a table's delimiter row (`|---|:-:|`).
fn is_delimiter_row(line: &str) -> bool {
    let t = line.trim();
    t.contains('-') && t.bytes().all(|b| matches!(b, b'|' | b'-' | b':' | b' '))
}
