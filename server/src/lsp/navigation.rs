//! Reading and navigating a plan over LSP: outline, folding, hover, code
//! lens, document links and go-to-definition. Each turns an analysis
//! result into LSP types; paths resolve only inside the workspace.

use std::path::{Path, PathBuf};

use tower_lsp_server::ls_types::*;

use crate::analysis::folding::folding_ranges;
use crate::analysis::hover::{HoverContext, PathFacts, hover};
use crate::analysis::lens::lenses;
use crate::analysis::links::{FileReference, ReferenceKind, file_references, reference_at};
use crate::analysis::outline::{self, Symbol};
use crate::checker;
use crate::document::Document;
use crate::text::{PositionEncoding, TextLines};
use crate::workspace::{PathTarget, first_lines, resolve_in_workspace};

use super::{DocContext, convert};

pub(super) fn symbol_kind(kind: outline::SymbolKind) -> SymbolKind {
    match kind {
        outline::SymbolKind::Title => SymbolKind::FILE,
        outline::SymbolKind::Section => SymbolKind::NAMESPACE,
        outline::SymbolKind::Milestone => SymbolKind::EVENT,
        outline::SymbolKind::Decision => SymbolKind::KEY,
    }
}

fn document_symbol(lines: &TextLines<'_>, s: Symbol, encoding: PositionEncoding) -> DocumentSymbol {
    #[allow(deprecated)]
    DocumentSymbol {
        name: if s.name.is_empty() {
            "(untitled)".to_string()
        } else {
            s.name
        },
        detail: s.detail,
        kind: symbol_kind(s.kind),
        tags: None,
        deprecated: None,
        range: convert::range(lines, &s.span, encoding),
        selection_range: convert::range(lines, &s.selection, encoding),
        // Leaves carry no `children` at all: a smaller answer to build,
        // send and parse.
        children: (!s.children.is_empty()).then(|| {
            s.children
                .into_iter()
                .map(|c| document_symbol(lines, c, encoding))
                .collect()
        }),
    }
}

pub(super) fn symbols(doc: &Document, encoding: PositionEncoding) -> Vec<DocumentSymbol> {
    let lines = doc.lines();
    outline::outline(doc.text(), doc.model())
        .into_iter()
        .map(|s| document_symbol(&lines, s, encoding))
        .collect()
}

pub(super) fn folds(doc: &Document, encoding: PositionEncoding) -> Vec<FoldingRange> {
    folding_ranges(doc.text(), doc.model())
        .into_iter()
        .map(|f| {
            let range = convert::range(&doc.lines(), &f.span, encoding);
            FoldingRange {
                start_line: range.start.line,
                start_character: None,
                end_line: range.end.line,
                end_character: None,
                kind: Some(FoldingRangeKind::Region),
                collapsed_text: None,
            }
        })
        .collect()
}

/// Where a reference leads: backticked paths from the workspace root,
/// Markdown links from the plan's folder (or the root for `/x`).
pub(super) fn resolve(ctx: &DocContext, reference: &FileReference) -> PathTarget {
    let Some(root) = ctx.env.root.as_deref() else {
        return PathTarget::Outside;
    };
    match reference.kind {
        ReferenceKind::CodePath => resolve_in_workspace(root, &reference.path),
        ReferenceKind::MarkdownLink => {
            if let Some(from_root) = reference.path.strip_prefix('/') {
                return resolve_in_workspace(root, from_root);
            }
            let folder = ctx
                .path
                .as_deref()
                .and_then(Path::parent)
                .and_then(|p| p.strip_prefix(root).ok())
                .map(Path::to_path_buf)
                .unwrap_or_default();
            let joined = folder.join(&reference.path);
            resolve_in_workspace(root, &joined.to_string_lossy())
        }
    }
}

fn path_facts(ctx: &DocContext, path: &str) -> PathFacts {
    if ctx.env.root.is_none() {
        return PathFacts::Unknown;
    }
    let reference = FileReference {
        kind: ReferenceKind::CodePath,
        span: 0..0,
        path: path.to_string(),
    };
    match resolve(ctx, &reference) {
        PathTarget::File(p) => PathFacts::File {
            first_lines: first_lines(&p, 8),
        },
        PathTarget::Folder(_) => PathFacts::Folder,
        PathTarget::Missing(_) => PathFacts::Missing,
        PathTarget::Outside => PathFacts::Outside,
    }
}

pub(super) fn hover_at(
    doc: &Document,
    ctx: &DocContext,
    offset: usize,
    encoding: PositionEncoding,
) -> Option<Hover> {
    let now = jiff::Timestamp::now();
    let path = ctx.path.as_deref();
    let diagnostics =
        checker::diagnostics(doc.text(), doc.model(), path, &ctx.env, &ctx.settings, now);
    let resolve_path = |p: &str| path_facts(ctx, p);
    let cx = HoverContext {
        now,
        diagnostics: &diagnostics,
        resolve_path: &resolve_path,
    };
    let found = hover(doc.text(), doc.model(), offset, &cx)?;
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: found.markdown,
        }),
        range: Some(convert::range(&doc.lines(), &found.span, encoding)),
    })
}

pub(super) fn code_lenses(doc: &Document, encoding: PositionEncoding) -> Vec<CodeLens> {
    lenses(doc.model(), jiff::Timestamp::now())
        .into_iter()
        .map(|l| CodeLens {
            range: convert::range(&doc.lines(), &l.span, encoding),
            // A lens that only informs: an empty command name does nothing
            // when clicked.
            command: Some(Command {
                title: l.title,
                command: String::new(),
                arguments: None,
            }),
            data: None,
        })
        .collect()
}

fn file_uri(path: &Path) -> Option<Uri> {
    Uri::from_file_path(path)
}

fn existing(target: PathTarget) -> Option<PathBuf> {
    match target {
        PathTarget::File(p) | PathTarget::Folder(p) => Some(p),
        PathTarget::Missing(_) | PathTarget::Outside => None,
    }
}

pub(super) fn links(
    doc: &Document,
    ctx: &DocContext,
    encoding: PositionEncoding,
) -> Vec<DocumentLink> {
    file_references(doc.model())
        .into_iter()
        .filter_map(|r| {
            let target = existing(resolve(ctx, &r))?;
            Some(DocumentLink {
                range: convert::range(&doc.lines(), &r.span, encoding),
                target: file_uri(&target),
                tooltip: Some(target.display().to_string()),
                data: None,
            })
        })
        .collect()
}

pub(super) fn definition(
    doc: &Document,
    ctx: &DocContext,
    offset: usize,
) -> Option<GotoDefinitionResponse> {
    let reference = reference_at(doc.model(), offset)?;
    let target = existing(resolve(ctx, &reference))?;
    let uri = file_uri(&target)?;
    // `src/main.rs:42` opens line 42.
    let line = reference
        .path
        .split(':')
        .nth(1)
        .and_then(|l| l.parse::<u32>().ok())
        .map_or(0, |l| l.saturating_sub(1));
    let at = Position::new(line, 0);
    Some(GotoDefinitionResponse::Scalar(Location {
        uri,
        range: Range::new(at, at),
    }))
}
