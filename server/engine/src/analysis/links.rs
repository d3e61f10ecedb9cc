//! The file references a plan makes: backticked repository paths and
//! Markdown links to local files (not URLs or in-page anchors). Resolving
//! them against the workspace is the caller's job.

use crate::model::{PlanModel, Span};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReferenceKind {
    /// `` `server/src/lib.rs` ``: relative to the workspace root.
    CodePath,
    /// `[text](../docs/x.md)`: relative to the plan's folder first.
    MarkdownLink,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileReference {
    pub kind: ReferenceKind,
    pub span: Span,
    /// The path as written, without a `#fragment`.
    pub path: String,
}

/// Whether a link target names a local file rather than a URL or an anchor.
fn is_local(target: &str) -> bool {
    let target = target.trim();
    !(target.is_empty()
        || target.starts_with('#')
        || target.starts_with("//")
        || target.split_once(':').is_some_and(|(scheme, _)| {
            scheme.len() > 1
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        }))
}

pub fn file_references(model: &PlanModel) -> Vec<FileReference> {
    let mut out: Vec<FileReference> = model
        .code_paths
        .iter()
        .map(|p| FileReference {
            kind: ReferenceKind::CodePath,
            span: p.span.clone(),
            path: p.path.clone(),
        })
        .collect();
    out.extend(model.links.iter().filter(|l| is_local(&l.target)).map(|l| {
        let path = l.target.split('#').next().unwrap_or("").trim();
        FileReference {
            kind: ReferenceKind::MarkdownLink,
            span: l.span.clone(),
            path: path.trim_matches(['<', '>']).to_string(),
        }
    }));
    out.retain(|r| !r.path.is_empty());
    out.sort_by_key(|r| r.span.start);
    out
}

/// The reference under `offset`, if any.
pub fn reference_at(model: &PlanModel, offset: usize) -> Option<FileReference> {
    file_references(model)
        .into_iter()
        .find(|r| r.span.start <= offset && offset <= r.span.end)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::build_from_text;

    #[test]
    fn local_paths_and_links_but_not_urls_or_anchors() {
        let text = "# T\n\nSee `server/src/lib.rs`, [the docs](../docs/cli.md#exit), [site](https://example.com), [top](#t) and [mail](mailto:a@b).\n";
        let model = build_from_text(text);
        let got: Vec<(ReferenceKind, String)> = file_references(&model)
            .into_iter()
            .map(|r| (r.kind, r.path))
            .collect();
        assert_eq!(
            got,
            vec![
                (ReferenceKind::CodePath, "server/src/lib.rs".to_string()),
                (ReferenceKind::MarkdownLink, "../docs/cli.md".to_string()),
            ]
        );
    }
}
