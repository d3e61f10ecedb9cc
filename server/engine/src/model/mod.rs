//! The plan model: an ExecPlan as plain Rust types, built from the syntax
//! tree. No LSP types here; every range is a byte range into the text.

mod build;
mod detect;
pub mod entries;
mod section_translations;
mod sections;
mod skeleton;
mod skeleton_reader;
pub mod timestamp;
mod update;

use std::ops::Range;
use std::sync::Arc;

pub use build::{build, build_fast, build_from_text, build_whole, build_with_tree_sitter};
pub use detect::{
    Forced, PlanDetection, PlanReason, SkipReason, detect_plan, is_excluded_file_name,
    location_suggests_plan, may_be_plan_content, path_verdict,
};
pub use entries::{EntryShape, Label, LabelKind};
pub use sections::{Recognition, SectionKind, normalize as normalize_heading, recognise};
pub use skeleton::{Skeleton, SkeletonForm, SkeletonSection};
pub use timestamp::{Timestamp, Zone};
pub use update::{Change, EditRange, ReadAlone, update, update_without_tree};

use crate::syntax::InlineFacts;

/// A byte range into the document's text.
pub type Span = Range<usize>;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HeadingStyle {
    Atx,
    Setext,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Heading {
    pub level: u8,
    /// The heading's text, without markers.
    pub text: String,
    /// The heading's lines, without the final line break.
    pub span: Span,
    /// The text's own span.
    pub text_span: Span,
    pub style: HeadingStyle,
    /// Whether the line after the heading is blank (or the text ends).
    pub blank_line_after: bool,
    /// The skeleton section its text names, and how
    /// ([`sections::recognise`]), read once when the heading is built.
    pub recognised: Option<(SectionKind, Recognition)>,
}

/// A heading of level 2 or deeper and the content below it up to the next
/// heading of the same or a higher level.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Section {
    /// Index into [`PlanModel::headings`].
    pub heading: usize,
    pub level: u8,
    pub kind: Option<SectionKind>,
    /// Whether the heading names `kind` only by a synonym (`Implementation
    /// Plan` for Plan of Work): the section is there, but rules about that
    /// section's place or style do not judge it.
    pub by_synonym: bool,
    /// Heading start to the section's end.
    pub span: Span,
    /// The content after the heading, up to the first subsection or the end.
    pub own_body: Span,
    /// The enclosing section, for subsections.
    pub parent: Option<usize>,
    pub has_subsections: bool,
    /// Whether `own_body` holds anything but blank lines and rules.
    pub has_content: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CheckState {
    Unchecked,
    Checked,
    /// Any other character between the brackets, such as `~`.
    Other(char),
}

/// A list item whose first line starts with a `[?]` box, anywhere.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckboxItem {
    pub state: CheckState,
    /// The `[ ]` box itself.
    pub box_span: Span,
    /// The item's own lines (without its sub-items), trailing break excluded.
    pub span: Span,
    /// The item's text after the box, wrapped lines joined with spaces.
    pub text: String,
    /// Where the item's text starts (after the box and its space).
    pub text_start: usize,
    pub timestamp: Option<Timestamp>,
    /// `(completed: X; remaining: Y)`, when the item carries one.
    pub partial: Option<Box<PartialNote>>,
    /// Nesting depth within its list, 0 for a top-level item.
    pub depth: usize,
    /// Innermost enclosing section.
    pub section: Option<usize>,
    /// Whether the item lies within a Progress section.
    pub in_progress: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PartialNote {
    pub span: Span,
    pub completed: String,
    pub remaining: String,
}

/// A Decision Log or Surprises & Discoveries entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub span: Span,
    pub shape: EntryShape,
    pub labels: Vec<Label>,
    /// For table rows: the header cells' texts and this row's cells.
    pub columns: Vec<(String, String)>,
    /// The entry's text without markup, for unlabelled shapes.
    pub text: String,
    pub section: usize,
    /// Whether it lies under a dated heading (`### 2026-01-05`), which
    /// dates it.
    pub dated_by_heading: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FencedBlock {
    pub span: Span,
    pub info: String,
    pub closed: bool,
    /// The lines between the fences.
    pub content: Span,
    pub section: Option<usize>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Table {
    pub span: Span,
    pub header: Vec<String>,
    pub rows: Vec<TableRow>,
    pub section: Option<usize>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TableRow {
    pub span: Span,
    pub cells: Vec<String>,
}

/// A list that is not inside another list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListBlock {
    pub span: Span,
    pub items: usize,
    pub section: Option<usize>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InlineContext {
    Heading,
    Paragraph,
    ListItem,
    TableCell,
}

/// One run of inline text (a paragraph, a heading's text, a table cell) and
/// the links and code spans in it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InlineRange {
    pub span: Span,
    pub context: InlineContext,
    pub section: Option<usize>,
    pub facts: Arc<InlineFacts>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link {
    pub span: Span,
    pub target: String,
    pub section: Option<usize>,
}

/// A backticked code span that looks like a repository path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CodePath {
    pub span: Span,
    pub path: String,
    pub section: Option<usize>,
}

/// The whole file wrapped in one outer fence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OuterFence {
    pub open: Span,
    pub close: Span,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PlanModel {
    /// Every heading, in order.
    pub headings: Vec<Heading>,
    /// Index into `headings` of the first H1.
    pub title: Option<usize>,
    /// Content before the title other than a BOM, front matter, a blockquote,
    /// comments and blank lines.
    pub text_before_title: Option<Span>,
    /// The paragraphs between the title and the first section.
    pub preamble: Vec<Span>,
    pub sections: Vec<Section>,
    pub checkboxes: Vec<CheckboxItem>,
    pub decisions: Vec<Entry>,
    pub surprises: Vec<Entry>,
    pub fences: Vec<FencedBlock>,
    pub outer_fence: Option<OuterFence>,
    pub indented_blocks: Vec<Span>,
    pub tables: Vec<Table>,
    pub lists: Vec<ListBlock>,
    pub inlines: Vec<InlineRange>,
    pub links: Vec<Link>,
    pub code_paths: Vec<CodePath>,
    /// A revision note at the bottom: a `Revision Notes` section or a
    /// `Plan update note:` paragraph.
    pub revision_note: Option<Span>,
}

impl PlanModel {
    /// The first section of `kind` at the shallowest level it appears at.
    pub fn section(&self, kind: SectionKind) -> Option<&Section> {
        self.sections
            .iter()
            .filter(|s| s.kind == Some(kind))
            .min_by_key(|s| s.level)
    }

    pub fn has_section(&self, kind: SectionKind) -> bool {
        self.sections.iter().any(|s| s.kind == Some(kind))
    }

    /// Whether section `index` is, or lies within, a section of `kind`.
    pub fn within(&self, index: Option<usize>, kind: SectionKind) -> bool {
        let mut current = index;
        while let Some(i) = current {
            let section = &self.sections[i];
            if section.kind == Some(kind) {
                return true;
            }
            current = section.parent;
        }
        false
    }

    /// The innermost section containing byte `offset`. Sections are in text
    /// order and nest, so this is the last one starting at or before
    /// `offset`, or the nearest of its ancestors that reaches `offset`.
    pub fn section_at(&self, offset: usize) -> Option<usize> {
        let contains =
            |s: &Section| s.span.start <= offset && offset < s.span.end.max(s.span.start + 1);
        let last_started = self
            .sections
            .partition_point(|s| s.span.start <= offset)
            .checked_sub(1)?;
        let mut current = Some(last_started);
        while let Some(i) = current {
            if contains(&self.sections[i]) {
                return Some(i);
            }
            current = self.sections[i].parent;
        }
        None
    }

    /// Checkbox items in Progress sections.
    pub fn progress_items(&self) -> impl Iterator<Item = &CheckboxItem> {
        self.checkboxes.iter().filter(|c| c.in_progress)
    }

    pub fn heading_of(&self, section: &Section) -> &Heading {
        &self.headings[section.heading]
    }

    pub fn title_heading(&self) -> Option<&Heading> {
        self.title.map(|i| &self.headings[i])
    }
}
