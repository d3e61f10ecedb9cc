//! EP2xx: the Progress section, its checkbox items and their timestamps.

use super::Code;
use super::{RuleCx, placeholders};
use crate::analysis::TimestampStyle;
use crate::analysis::fix::{Edit, Fix};
use crate::model::timestamp::format_canonical;
use crate::model::{CheckState, CheckboxItem, SectionKind, Zone};

pub(super) fn check(cx: &mut RuleCx<'_>) {
    progress_has_items(cx);
    checkboxes_outside_progress(cx);
    items(cx);
    time_order(cx);
    outcomes_when_done(cx);
}

/// EP201: a Progress section without a single checkbox item.
fn progress_has_items(cx: &mut RuleCx<'_>) {
    let Some(progress) = cx.model.section(SectionKind::Progress) else {
        return;
    };
    if cx.model.progress_items().next().is_none() {
        cx.report(
            Code::EP201,
            cx.model.heading_of(progress).span.clone(),
            "Progress has no checkbox items: list the work as `- [ ] step` items and check them off with a timestamp as they are done.",
        );
    }
}

/// EP202: checklists belong only in Progress. Only judged when the plan has
/// a Progress section: without one (EP101 says so, unless the team's
/// skeleton drops it or names it in its own language, `## Progreso`) there is
/// no telling which checklist is the plan's Progress.
fn checkboxes_outside_progress(cx: &mut RuleCx<'_>) {
    if cx.model.section(SectionKind::Progress).is_none() {
        return;
    }
    for item in cx.model.checkboxes.iter().filter(|c| !c.in_progress) {
        cx.report(
            Code::EP202,
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
                Code::EP208,
                item.box_span.clone(),
                format!("`[{c}]` is not a checkbox state: use `[ ]` for open work and `[x]` for done; split partly done work into a done item and a remaining item."),
            ),
            CheckState::Checked if item.timestamp.is_none() => cx.report_fix(
                Code::EP203,
                item.box_span.start..item.span.end.min(crate::analysis::line_span(cx.text, item.box_span.start).end),
                "Completed item without a timestamp: add when it was done, as `(YYYY-MM-DD HH:MMZ)` in UTC, after the checkbox.",
                Some(stamp_now(item, now)),
            ),
            _ => {}
        }
        if let Some(partial) = &item.partial {
            let fix = crate::analysis::actions::split_partial(cx.text, item, now)
                .map(|a| Fix::unsafe_(a.title, a.edits));
            cx.report_fix(
                Code::EP210,
                partial.span.clone(),
                "A partially completed item: split it into a checked item for what is done and an unchecked item for what remains.",
                fix,
            );
        }
        let Some(ts) = &item.timestamp else { continue };
        if ts.placeholder {
            continue; // EP110 reports the template's placeholder.
        }
        let span = ts.start..ts.end;
        if let Some(reason) = ts.invalid_reason() {
            cx.report(
                Code::EP205,
                span,
                format!("`{}` is not a real timestamp: {reason}.", ts.raw),
            );
            continue;
        }
        if style == TimestampStyle::Canonical && !ts.is_canonical() {
            let suggestion = match ts.to_canonical() {
                Some(canonical) => format!("write `{canonical}`"),
                None => "write it as `(YYYY-MM-DD HH:MMZ)` in UTC".to_string(),
            };
            let what = describe_form(ts);
            let fix = ts.to_canonical().map(|canonical| {
                Fix::safe(
                    format!("Write `{canonical}`"),
                    vec![Edit::replace(span.clone(), canonical)],
                )
            });
            cx.report_fix(
                Code::EP204,
                span.clone(),
                format!("`{}` {what}; {suggestion}.", ts.raw),
                fix,
            );
        }
        if let Some((earliest, _)) = ts.instant_bounds()
            && earliest > now + jiff::SignedDuration::from_mins(5)
        {
            cx.report(
                Code::EP206,
                span,
                format!(
                    "`{}` is in the future; stamp items with the time the work was done.",
                    ts.raw
                ),
            );
        }
    }
}

/// Stamps an item with the current time, right after its checkbox. Not a
/// safe fix: the work may have been done earlier.
pub(crate) fn stamp_now(item: &CheckboxItem, now: jiff::Timestamp) -> Fix {
    let stamp = format_canonical(now);
    let at = item.text_start;
    let lead = if at == item.box_span.end { " " } else { "" };
    let text = if item.text.is_empty() {
        format!("{lead}{stamp}")
    } else {
        format!("{lead}{stamp} ")
    };
    Fix::unsafe_(
        format!("Stamp with the current time {stamp}"),
        vec![Edit::insert(at, text)],
    )
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
        // Date-only stamps are too coarse to order against times.
        let Some(ts) = item.timestamp.as_ref().filter(|t| t.time.is_some()) else {
            continue;
        };
        let Some(at) = ts.sort_key() else { continue };
        if let Some((before, offset, raw)) = &previous
            && at < *before
        {
            // Counted only when reported: counting lines for every item made
            // the rule quadratic in the plan's length.
            let line = crate::analysis::line_number(cx.text, *offset);
            cx.report(
                Code::EP207,
                ts.start..ts.end,
                format!("`{}` is earlier than `{raw}` on line {line}, the completed item before it: check the date, or order completed items by time.", ts.raw),
            );
        }
        previous = Some((at, item.span.start, ts.raw.clone()));
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
            !section.has_subsections
                && placeholders::blocks(cx.text, &section.own_body)
                    .iter()
                    .all(|block| {
                        let text = cx.slice(block);
                        let lower = text.trim().to_lowercase();
                        let lower = lower.trim_matches(['*', '_', '.', '…', ' ', '-']);
                        matches!(lower, "none yet" | "n/a")
                            || placeholders::is_placeholder(text)
                            || lower.starts_with("summarize outcomes, gaps, and lessons learned")
                    })
        }
    };
    if empty && let Some(section) = outcomes {
        cx.report(
            Code::EP209,
            cx.model.heading_of(section).span.clone(),
            "Every Progress item is done but Outcomes & Retrospective is still empty or a placeholder: summarise what was achieved, what remains and what was learned.",
        );
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{codes, codes_with, of, plan};

    const ITEMS: &str = "- [x] (2026-01-05 10:00Z) Wrote the cache.\n- [ ] Measure it.";

    /// The canonical plan with its Progress items replaced by `items`; the
    /// first item is on line 11 and the Progress heading on line 9.
    fn with_items(items: &str) -> String {
        plan("").replace(ITEMS, items)
    }

    #[test]
    fn ep206_future_timestamps() {
        // now = 2027-01-15 08:00Z in the test context.
        assert_eq!(
            of(
                "EP206",
                &codes(&with_items("- [x] (2027-03-01 10:00Z) Did it."))
            ),
            [11]
        );
        assert!(
            of(
                "EP206",
                &codes(&with_items("- [x] (2027-01-15 08:02Z) Just now."))
            )
            .is_empty()
        );
        // A date-only stamp for today is not in the future anywhere on Earth.
        assert!(of("EP206", &codes(&with_items("- [x] (2027-01-15) Today."))).is_empty());
        let later = codes_with(&with_items("- [x] (2027-01-15 08:02Z) Just now."), |ctx| {
            ctx.now = jiff::Timestamp::from_second(1_700_000_000).unwrap();
        });
        assert_eq!(of("EP206", &later), [11]);
    }
}
