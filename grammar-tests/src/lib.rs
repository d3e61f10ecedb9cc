//! Renders how tree-sitter-md and the plan model read a document, as stable
//! text for snapshot fixtures: a change in the grammar or the model that
//! alters how a plan construct is read shows up as a snapshot diff.

use std::fmt::Write;
use std::path::{Path, PathBuf};

use execplan_ls::model::{self, PlanModel, Span};
use execplan_ls::syntax::BlockTree;
use execplan_ls::text::{PositionEncoding, offset_to_position};
use ropey::Rope;

/// `line:col` (1-based, character columns) of a byte offset.
fn at(rope: &Rope, offset: usize) -> String {
    let p = offset_to_position(rope, offset, PositionEncoding::Utf32);
    format!("{}:{}", p.line + 1, p.character + 1)
}

fn range(rope: &Rope, span: &Span) -> String {
    format!("{}-{}", at(rope, span.start), at(rope, span.end))
}

/// The block tree's named nodes, indented by depth, each with its start line.
pub fn render_tree(text: &str) -> String {
    let tree = BlockTree::parse(text);
    let rope = Rope::from_str(text);
    let mut out = String::new();
    let mut cursor = tree.root().walk();
    let mut depth = 0;
    loop {
        let node = cursor.node();
        if node.is_named() && !matches!(node.kind(), "block_continuation" | "inline") {
            let _ = writeln!(
                out,
                "{}{} @{}",
                "  ".repeat(depth),
                node.kind(),
                at(&rope, node.start_byte())
            );
        }
        if cursor.goto_first_child() {
            depth += 1;
            continue;
        }
        while !cursor.goto_next_sibling() {
            if !cursor.goto_parent() {
                return out;
            }
            depth -= 1;
        }
    }
}

/// The plan model, one fact per line.
pub fn render_model(text: &str, model: &PlanModel) -> String {
    let rope = Rope::from_str(text);
    let slice = |span: &Span| {
        text.get(span.clone())
            .unwrap_or("")
            .replace('\r', "\\r")
            .replace('\n', "\\n")
    };
    let mut out = String::new();
    let w = &mut out;
    let _ = writeln!(w, "title: {:?}", model.title_heading().map(|h| &h.text));
    let _ = writeln!(
        w,
        "text before title: {:?}",
        model.text_before_title.as_ref().map(|s| range(&rope, s))
    );
    let _ = writeln!(w, "preamble paragraphs: {}", model.preamble.len());
    let _ = writeln!(
        w,
        "outer fence: {:?}",
        model
            .outer_fence
            .as_ref()
            .map(|f| (at(&rope, f.open.start), at(&rope, f.close.start)))
    );
    let _ = writeln!(w, "headings:");
    for h in &model.headings {
        let _ = writeln!(
            w,
            "  h{} {:?} {:?} @{} blank-after={}",
            h.level,
            h.style,
            h.text,
            at(&rope, h.span.start),
            h.blank_line_after
        );
    }
    let _ = writeln!(w, "sections:");
    for s in &model.sections {
        let heading = &model.headings[s.heading];
        let kind = s.kind.map_or("-".to_string(), |k| format!("{k:?}"));
        let _ = writeln!(
            w,
            "  h{} {:?} => {kind} content={} subsections={} parent={:?}",
            s.level, heading.text, s.has_content, s.has_subsections, s.parent
        );
    }
    let _ = writeln!(w, "checkboxes:");
    for c in &model.checkboxes {
        let ts = c.timestamp.as_ref().map_or("none".to_string(), |t| {
            format!(
                "{:?} canonical={} placeholder={} valid={}",
                t.raw,
                t.is_canonical(),
                t.placeholder,
                t.invalid_reason().is_none()
            )
        });
        let _ = writeln!(
            w,
            "  {:?} @{} depth={} progress={} text={:?} stamp={ts}{}",
            c.state,
            at(&rope, c.span.start),
            c.depth,
            c.in_progress,
            c.text,
            c.partial.as_ref().map_or(String::new(), |p| format!(
                " partial=({:?}; {:?})",
                p.completed, p.remaining
            ))
        );
    }
    for (name, entries) in [
        ("decisions", &model.decisions),
        ("surprises", &model.surprises),
    ] {
        let _ = writeln!(w, "{name}:");
        for e in entries {
            let labels: Vec<String> = e
                .labels
                .iter()
                .map(|l| format!("{:?}={:?}", l.kind, l.value))
                .collect();
            let columns: Vec<String> = e
                .columns
                .iter()
                .map(|(h, v)| format!("{h}={v:?}"))
                .collect();
            let _ = writeln!(
                w,
                "  {:?} @{} labels=[{}] columns=[{}]",
                e.shape,
                at(&rope, e.span.start),
                labels.join(", "),
                columns.join(", ")
            );
        }
    }
    let _ = writeln!(w, "fences:");
    for f in &model.fences {
        let _ = writeln!(
            w,
            "  {} info={:?} closed={} content={:?}",
            range(&rope, &f.span),
            f.info,
            f.closed,
            slice(&f.content)
        );
    }
    let _ = writeln!(
        w,
        "indented blocks: {:?}",
        model
            .indented_blocks
            .iter()
            .map(|s| at(&rope, s.start))
            .collect::<Vec<_>>()
    );
    let _ = writeln!(w, "tables:");
    for t in &model.tables {
        let _ = writeln!(
            w,
            "  @{} header={:?} rows={}",
            at(&rope, t.span.start),
            t.header,
            t.rows.len()
        );
    }
    let _ = writeln!(
        w,
        "lists: {:?}",
        model
            .lists
            .iter()
            .map(|l| (at(&rope, l.span.start), l.items))
            .collect::<Vec<_>>()
    );
    let _ = writeln!(
        w,
        "links: {:?}",
        model
            .links
            .iter()
            .map(|l| (at(&rope, l.span.start), l.target.as_str()))
            .collect::<Vec<_>>()
    );
    let _ = writeln!(
        w,
        "code paths: {:?}",
        model
            .code_paths
            .iter()
            .map(|p| (at(&rope, p.span.start), p.path.as_str()))
            .collect::<Vec<_>>()
    );
    let _ = writeln!(
        w,
        "revision note: {:?}",
        model.revision_note.as_ref().map(|s| at(&rope, s.start))
    );
    out
}

/// Both renderings of a fixture, with whether it is detected as a plan.
pub fn render(name: &str, text: &str) -> String {
    let model = model::build_from_text(text);
    let detection = model::detect_plan(Some(std::path::Path::new(name)), text, &model, &|_| None);
    format!(
        "detected: {detection:?}\n\n== model\n{}\n== block tree\n{}",
        render_model(text, &model),
        render_tree(text)
    )
}

/// The fixture files, sorted by name.
pub fn fixture_paths() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("grammar-tests/fixtures exists")
        .map(|e| e.expect("a readable fixtures folder").path())
        .collect();
    files.sort();
    files
}
