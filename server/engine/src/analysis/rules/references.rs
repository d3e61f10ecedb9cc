//! EP5xx: references that make a plan depend on something outside it.

use super::Code;
use std::sync::LazyLock;

use aho_corasick::AhoCorasick;

use super::{RuleCx, TextFinding};
use crate::analysis::fix::{Edit, Fix};
use crate::model::{InlineContext, SectionKind, Span};

pub(super) fn check(cx: &mut RuleCx<'_>) {
    external_links(cx);
    back_references(cx);
    missing_paths(cx);
    machine_paths(cx);
}

/// `relative` (from the workspace root) as a path from the plan's folder,
/// for a link target; `None` when the plan's place is not known.
fn from_plan_folder(cx: &RuleCx<'_>, relative: &str) -> Option<String> {
    let root = cx.ctx.workspace_root?;
    let dir = cx.ctx.plan_path?.parent()?.strip_prefix(root).ok()?;
    let dir: Vec<String> = dir
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let target: Vec<&str> = relative.split('/').collect();
    let common = dir
        .iter()
        .zip(&target)
        .take_while(|(a, b)| a.as_str() == **b)
        .count();
    let mut parts: Vec<&str> = vec![".."; dir.len() - common];
    parts.extend(&target[common..]);
    Some(parts.join("/"))
}

/// Where absolute paths of one machine start: a home folder on macOS or
/// Linux, root's, or a Windows drive.
fn machine_path_at(text: &str, at: usize) -> bool {
    let rest = &text[at..];
    if ["/Users/", "/home/", "/root/"]
        .iter()
        .any(|p| rest.starts_with(p))
    {
        return true;
    }
    let b = rest.as_bytes();
    b.len() > 3 && b[0].is_ascii_alphabetic() && b[1] == b':' && (b[2] == b'\\' || b[2] == b'/')
}

/// The absolute machine paths written in `text` (`/Users/ada/repo/src/x.rs`,
/// `C:\\work\\repo\\x.py`), as spans of `text`, trailing punctuation
/// left out.
pub(crate) fn machine_paths_in(text: &str) -> Vec<Span> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    // A path can only start at a `/` or at the letter before a `:` (see
    // [`machine_path_at`]): jump from one of those bytes to the next
    // instead of trying every offset.
    while let Some(found) = memchr::memchr2(b'/', b':', &bytes[i.min(bytes.len())..]) {
        let at = i + found;
        let candidate = if bytes[at] == b'/' {
            at
        } else if at > i {
            at - 1
        } else {
            i = at + 1;
            continue;
        };
        match machine_path_from(text, candidate) {
            Some(end) => {
                out.push(candidate..end.1);
                i = end.0.max(candidate + 1);
            }
            None => i = candidate + 1,
        }
    }
    out
}

/// The machine path starting at `i`, if one does: where its word ends and
/// where the path ends (trailing punctuation left out).
fn machine_path_from(text: &str, i: usize) -> Option<(usize, usize)> {
    let starts = text.is_char_boundary(i)
        && (i == 0
            || text[..i]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_whitespace() || "`([\"'<=".contains(c)))
        && machine_path_at(text, i);
    if !starts {
        return None;
    }
    let end = text[i..]
        .find(|c: char| c.is_whitespace() || "`\"')]><|,*".contains(c))
        .map_or(text.len(), |e| i + e);
    let trimmed = text[i..end].trim_end_matches(['.', ':', ';', '!', '?']);
    Some((end, i + trimmed.len()))
}

/// EP504: an absolute path of the author's machine that names a file of the
/// repository; the fix writes the repository-relative path. (A PLANS.md path
/// is EP108's.)
fn machine_paths(cx: &mut RuleCx<'_>) {
    let Some(known) = cx.ctx.machine_paths else {
        return;
    };
    if known.is_empty() {
        return;
    }
    let history = |offset: usize| {
        let section = cx.model.section_at(offset);
        cx.model.within(section, SectionKind::Surprises)
            || cx.model.within(section, SectionKind::DecisionLog)
            || cx
                .model
                .revision_note
                .as_ref()
                .is_some_and(|n| n.contains(&offset))
    };
    let mut found = Vec::new();
    for inline in &cx.model.inlines {
        let text = cx.slice(&inline.span);
        for span in machine_paths_in(text) {
            let written = &text[span.clone()];
            let Some(relative) = known.get(written) else {
                continue;
            };
            if written.ends_with("PLANS.md") {
                continue;
            }
            let at = inline.span.start + span.start..inline.span.start + span.end;
            // A link's target is read from the plan's folder.
            let in_link = text[..span.start].ends_with("](");
            let replacement = if in_link {
                from_plan_folder(cx, relative)
            } else {
                Some(relative.clone())
            };
            let Some(replacement) = replacement else {
                continue;
            };
            found.push((at, written.to_string(), relative.clone(), replacement));
        }
    }
    found.dedup();
    for (span, written, relative, replacement) in found {
        let edits = vec![Edit::replace(span.clone(), replacement.clone())];
        let title = format!("Write `{replacement}`");
        // Recorded history (Surprises, decisions, revision notes) is only
        // changed on request.
        let fix = if history(span.start) {
            Fix::unsafe_(title, edits)
        } else {
            Fix::safe(title, edits)
        };
        cx.report_fix(
            Code::EP504,
            span,
            format!("`{written}` is a path on one machine: name the file by its path in the repository, `{relative}`."),
            Some(fix),
        );
    }
}

/// Folders that builds and tools create: paths under them need not exist.
const GENERATED: [&str; 8] = [
    "target/",
    "node_modules/",
    "dist/",
    "build/",
    "out/",
    ".cache/",
    "tmp/",
    ".tools/",
];

/// Words that say a path is still to be made.
const WILL_EXIST: [&str; 14] = [
    "create", "new", "add", "will", "write", "generat", "introduc", "scaffold", "rename", "move",
    "touch", "mkdir", "emit", "output",
];

/// EP503: a backticked repository path that does not exist, unless the text
/// around it says it will be created.
fn missing_paths(cx: &mut RuleCx<'_>) {
    let Some(missing) = cx.ctx.missing_paths else {
        return;
    };
    let mut found = Vec::new();
    for code in &cx.model.code_paths {
        if !missing.contains(&code.path)
            || GENERATED
                .iter()
                .any(|g| code.path.trim_start_matches("./").starts_with(g))
        {
            continue;
        }
        // The paragraph, list item or cell the path is in.
        let context = cx
            .model
            .inlines
            .iter()
            .find(|i| i.span.start <= code.span.start && code.span.end <= i.span.end)
            .map_or(code.span.clone(), |i| i.span.clone());
        let words = cx.text.get(context).unwrap_or("").to_lowercase();
        if WILL_EXIST.iter().any(|w| words.contains(w)) {
            continue;
        }
        found.push((code.span.clone(), code.path.clone()));
    }
    for (span, path) in found {
        cx.report(
            Code::EP503,
            span,
            format!("`{path}` does not exist in the repository: correct the path, or say that this plan creates it."),
        );
    }
}

/// Hosts a plan may link to: the program it describes, running locally.
const LOCAL_HOSTS: [&str; 4] = ["localhost", "127.0.0.1", "[::1]", "0.0.0.0"];

/// EP501: a link to material outside the repository.
fn external_links(cx: &mut RuleCx<'_>) {
    let mut found = Vec::new();
    for link in &cx.model.links {
        let target = link.target.trim();
        let rest = target
            .strip_prefix("https://")
            .or_else(|| target.strip_prefix("http://"));
        let Some(rest) = rest else { continue };
        let host = rest.split(['/', '?', '#']).next().unwrap_or("");
        let host = host.rsplit('@').next().unwrap_or(host);
        let host_name = if host.starts_with('[') {
            host.split_inclusive(']').next().unwrap_or(host)
        } else {
            host.split(':').next().unwrap_or(host)
        };
        if LOCAL_HOSTS.contains(&host_name) {
            continue;
        }
        found.push((link.span.clone(), host_name.to_string()));
    }
    for (span, host) in found {
        cx.report(
            Code::EP501,
            span,
            format!("Link to outside material ({host}): a plan must stand alone; explain in the plan what the reader needs from it, in your own words."),
        );
    }
}

/// Phrases that point the reader elsewhere instead of explaining.
const BACK_REFERENCES: [&str; 10] = [
    "as defined previously",
    "as described previously",
    "as discussed above",
    "as mentioned above",
    "as described above",
    "as noted earlier",
    "as discussed earlier",
    "see above",
    "according to the architecture doc",
    "according to the design doc",
];

/// All the phrases in one automaton, so each paragraph is read once.
static BACK_REFERENCE_FINDER: LazyLock<AhoCorasick> =
    LazyLock::new(|| AhoCorasick::new(BACK_REFERENCES).expect("fixed phrases build an automaton"));

/// Words one of which every back-reference phrase holds: a text with none
/// of them holds no phrase, and four byte searches are far cheaper than the
/// automaton.
const BACK_REFERENCE_WORDS: [&str; 4] = ["above", "previously", "earlier", "according to the "];

static BACK_REFERENCE_WORD_FINDERS: LazyLock<Vec<memchr::memmem::Finder<'static>>> =
    LazyLock::new(|| {
        BACK_REFERENCE_WORDS
            .iter()
            .map(|w| memchr::memmem::Finder::new(w.as_bytes()))
            .collect()
    });

/// Whether a lower-cased text can hold a back-reference phrase.
fn may_hold_back_reference(lower: &str) -> bool {
    BACK_REFERENCE_WORD_FINDERS
        .iter()
        .any(|f| f.find(lower.as_bytes()).is_some())
}

/// EP502: back-reference phrases in prose (not in code).
fn back_references(cx: &mut RuleCx<'_>) {
    if !cx.enabled(Code::EP502) {
        return;
    }
    for index in 0..cx.model.inlines.len() {
        let base = cx.model.inlines[index].span.start;
        let findings = cx.text_findings(index);
        for finding in findings.iter().filter(|f| f.code == "EP502") {
            let span = base + finding.span.start..base + finding.span.end;
            cx.report(Code::EP502, span, finding.message.clone());
        }
    }
}

/// EP502 in one inline range's text, spans relative to the range.
pub(super) fn back_references_in(
    text: &str,
    context: InlineContext,
    code: &[Span],
    out: &mut Vec<TextFinding>,
) {
    if !matches!(
        context,
        InlineContext::Paragraph
            | InlineContext::ListItem
            | InlineContext::TableCell
            | InlineContext::Heading
    ) {
        return;
    }
    let lower = text.to_ascii_lowercase();
    if !may_hold_back_reference(&lower) {
        return;
    }
    for m in BACK_REFERENCE_FINDER.find_overlapping_iter(&lower) {
        let (pos, from) = (m.start(), m.end());
        let before_ok = pos == 0 || !lower.as_bytes()[pos - 1].is_ascii_alphanumeric();
        let after_ok = lower
            .as_bytes()
            .get(from)
            .is_none_or(|b| !b.is_ascii_alphanumeric());
        let in_code = code.iter().any(|c| c.contains(&pos));
        if before_ok && after_ok && !in_code {
            out.push(TextFinding {
                code: Code::EP502,
                span: pos..from,
                message: format!(
                    "\"{}\" points elsewhere: repeat the explanation here, so the plan can be read on its own.",
                    &text[pos..from]
                ),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::rules::testing::phrase_soup;

    /// `machine_paths_in` as it was written first: every offset tried.
    fn machine_paths_trying_every_offset(text: &str) -> Vec<Span> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < text.len() {
            let starts = text.is_char_boundary(i)
                && (i == 0
                    || text[..i]
                        .chars()
                        .next_back()
                        .is_some_and(|c| c.is_whitespace() || "`([\"'<=".contains(c)))
                && machine_path_at(text, i);
            if !starts {
                i += 1;
                continue;
            }
            let end = text[i..]
                .find(|c: char| c.is_whitespace() || "`\"')]><|,*".contains(c))
                .map_or(text.len(), |e| i + e);
            let trimmed = text[i..end].trim_end_matches(['.', ':', ';', '!', '?']);
            out.push(i..i + trimmed.len());
            i = end.max(i + 1);
        }
        out
    }

    /// Jumping between `/` and `:` finds the paths trying every offset
    /// finds, on random text of path starts, drive letters, separators,
    /// punctuation and other scripts.
    #[test]
    fn jumping_to_slashes_and_colons_finds_every_machine_path() {
        const PIECES: [&str; 24] = [
            "/", "/Users/", "/home/", "/root/", "C:", "c:\\", "D:/", ":", "::", "\\", " ", "\n",
            "`", "(", "=", "é", "x", "ada", ".", ")", "'", "进", "a:b", "src/x.rs",
        ];
        let mut seed = 37u64;
        let mut next = move || {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as usize
        };
        let mut found = 0;
        for _ in 0..30_000 {
            let text: String = (0..next() % 12)
                .map(|_| PIECES[next() % PIECES.len()])
                .collect();
            let paths = machine_paths_in(&text);
            found += usize::from(!paths.is_empty());
            assert_eq!(paths, machine_paths_trying_every_offset(&text), "{text:?}");
        }
        assert!(found > 3_000, "{found}");
    }

    /// The word search in front of the automaton skips only texts in which
    /// the automaton finds no phrase.
    #[test]
    fn the_word_search_skips_only_texts_without_a_back_reference() {
        for phrase in BACK_REFERENCES {
            assert!(may_hold_back_reference(phrase), "{phrase}");
        }
        let (mut with, mut without) = (0, 0);
        for text in phrase_soup(&BACK_REFERENCES, 20_000) {
            let lower = text.to_ascii_lowercase();
            let found = BACK_REFERENCE_FINDER.find_overlapping_iter(&lower).count();
            if found > 0 {
                with += 1;
                assert!(may_hold_back_reference(&lower), "{text:?}");
            } else if !may_hold_back_reference(&lower) {
                without += 1;
            }
        }
        // The texts reach both sides of the word search.
        assert!(with > 1_000 && without > 1_000, "{with} {without}");
    }
}
