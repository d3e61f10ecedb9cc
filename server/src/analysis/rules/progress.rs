//! EP2xx: the Progress section, its checkbox items and their timestamps.

use super::RuleCx;
use crate::analysis::TimestampStyle;
use crate::model::{CheckState, SectionKind, Zone};

pub(super) fn check(cx: &mut RuleCx<'_>) {
    progress_has_items(cx);
    checkboxes_outside_progress(cx);
    items(cx);
    time_order(cx);
    outcomes_when_done(cx);
}

/// EP201: a Progress section without a single checkbox item.
fn progress_has_items(cx: &mut RuleCx<'_>) {
    let Some(progress) = cx.model.section(SectionKind::Progress) else { return };
    if cx.model.progress_items().next().is_none() {
        cx.report(
            "EP201",
            cx.model.heading_of(progress).span.clone(),
            "Progress has no checkbox items: list the work as `- [ ] step` items and check them off with a timestamp as they are done.",
        );
    }
}

/// EP202: checklists belong only in Progress.
fn checkboxes_outside_progress(cx: &mut RuleCx<'_>) {
    for item in cx.model.checkboxes.iter().filter(|c| !c.in_progress) {
        cx.report(
            "EP202",
            item.box_span.clone(),
            "A checkbox outside Progress: checklists belong only in the Progress section; write this as prose or a plain list item.",
        );
    }
}

/// EP203–EP206, EP208, EP210 on each Progress item.
fn items(cx: &mut RuleCx<'_>) {
    let style = cx.ctx.options.timestamp_style;
    let now = cx.ctx.now;
    for item in cx.model.progress_items() {
        match item.state {
            CheckState::Other(c) => cx.report(
                "EP208",
                item.box_span.clone(),
                format!("`[{c}]` is not a checkbox state: use `[ ]` for open work and `[x]` for done; split partly done work into a done item and a remaining item."),
            ),
            CheckState::Checked if item.timestamp.is_none() => cx.report(
                "EP203",
                item.box_span.start..item.span.end.min(crate::analysis::line_span(cx.text, item.box_span.start).end),
                "Completed item without a timestamp: add when it was done, as `(YYYY-MM-DD HH:MMZ)` in UTC, after the checkbox.",
            ),
            _ => {}
        }
        if let Some(partial) = &item.partial {
            cx.report(
                "EP210",
                partial.span.clone(),
                "A partially completed item: split it into a checked item for what is done and an unchecked item for what remains.",
            );
        }
        let Some(ts) = &item.timestamp else { continue };
        if ts.placeholder {
            continue; // EP110 reports the template's placeholder.
        }
        let span = ts.start..ts.end;
        if let Some(reason) = ts.invalid_reason() {
            cx.report("EP205", span, format!("`{}` is not a real timestamp: {reason}.", ts.raw));
            continue;
        }
        if style == TimestampStyle::Canonical && !ts.is_canonical() {
            let suggestion = match ts.to_canonical() {
                Some(canonical) => format!("write `{canonical}`"),
                None => "write it as `(YYYY-MM-DD HH:MMZ)` in UTC".to_string(),
            };
            let what = describe_form(ts);
            cx.report("EP204", span.clone(), format!("`{}` {what}; {suggestion}.", ts.raw));
        }
        if let Some((earliest, _)) = ts.instant_bounds()
            && earliest > now + jiff::SignedDuration::from_mins(5)
        {
            cx.report("EP206", span, format!("`{}` is in the future; stamp items with the time the work was done.", ts.raw));
        }
    }
}

fn describe_form(ts: &crate::model::Timestamp) -> &'static str {
    if ts.time.is_none() {
        "has a date but no time"
    } else if let Zone::Named(_) = ts.zone {
        "names a time zone instead of UTC"
    } else if let Zone::Offset(_) = ts.zone {
        "has a UTC offset instead of being in UTC"
    } else if ts.zone == Zone::None {
        "does not say it is UTC"
    } else if ts.time.is_some_and(|(_, _, s)| s.is_some()) {
        "has seconds"
    } else if ts.t_separator {
        "uses a `T` separator"
    } else if !ts.parenthesized {
        "is not in parentheses"
    } else {
        "is not in the canonical form"
    }
}

/// EP207: a completed item stamped earlier than the completed item before it.
fn time_order(cx: &mut RuleCx<'_>) {
    let mut previous: Option<(jiff::Timestamp, usize, String)> = None;
    let mut section = None;
    for item in cx.model.progress_items() {
        if item.state != CheckState::Checked {
            continue;
        }
        if item.section != section {
            section = item.section;
            previous = None;
        }
        let Some(ts) = &item.timestamp else { continue };
        let Some(at) = ts.sort_key() else { continue };
        if let Some((before, line, raw)) = &previous
            && at < *before
            && ts.time.is_some()
        {
            cx.report(
                "EP207",
                ts.start..ts.end,
                format!("`{}` is earlier than `{raw}` on line {line}, the completed item before it: check the date, or order completed items by time.", ts.raw),
            );
        }
        previous = Some((at, crate::analysis::line_number(cx.text, item.span.start), ts.raw.clone()));
    }
}

/// EP209: all work is done but Outcomes & Retrospective says nothing.
fn outcomes_when_done(cx: &mut RuleCx<'_>) {
    let mut items = cx.model.progress_items().peekable();
    if items.peek().is_none() || !items.all(|i| i.state == CheckState::Checked) {
        return;
    }
    let outcomes = cx.model.section(SectionKind::Outcomes);
    let empty = match outcomes {
        None => return, // EP101 reports the missing section.
        Some(section) => {
            let body = cx.slice(&section.own_body).trim().to_lowercase();
            let body = body.trim_matches(['*', '_', '.', '…', ' ']);
            !section.has_subsections
                && (body.is_empty()
                    || ["none yet", "tbd", "todo", "to be filled", "pending", "n/a", "(to be filled)"].contains(&body)
                    || body.starts_with("summarize outcomes, gaps, and lessons learned"))
        }
    };
    if empty && let Some(section) = outcomes {
        cx.report(
            "EP209",
            cx.model.heading_of(section).span.clone(),
            "Every Progress item is done but Outcomes & Retrospective is empty: summarise what was achieved, what remains and what was learned.",
        );
    }
}
