//! Inlay hints: what the code lenses show ([`super::lens`]), placed at the
//! end of the heading line instead, for editors that show no code lenses;
//! and, when asked for, the age of each Progress timestamp after it.

use crate::model::{PlanModel, Span};

use super::hover::ago;
use super::lens::lenses;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InlayHint {
    /// Where the hint is drawn: a byte offset, after which the label shows.
    pub offset: usize,
    pub label: String,
}

/// The hints whose offset falls in `within`: one at the end of the Progress
/// heading and of each milestone heading a lens would be on, and, with
/// `timestamp_ages`, one after each Progress item's valid timestamp.
pub fn inlay_hints(
    model: &PlanModel,
    now: jiff::Timestamp,
    timestamp_ages: bool,
    within: &Span,
) -> Vec<InlayHint> {
    let mut out: Vec<InlayHint> = lenses(model, now)
        .into_iter()
        .map(|lens| InlayHint {
            offset: lens.span.end,
            label: lens.title,
        })
        .collect();
    if timestamp_ages {
        for ts in model
            .progress_items()
            .filter_map(|item| item.timestamp.as_ref())
        {
            if ts.placeholder || ts.invalid_reason().is_some() {
                continue;
            }
            if let Some(at) = ts.sort_key() {
                out.push(InlayHint {
                    offset: ts.end,
                    label: ago(at, now),
                });
            }
        }
    }
    out.retain(|h| within.start <= h.offset && h.offset <= within.end);
    out.sort_by_key(|h| h.offset);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::build_from_text;

    const PLAN: &str = "# T\n\n## Progress\n\n- [x] (2026-11-20 09:00Z) Milestone 1: scaffold.\n- [ ] Milestone 1: tests.\n\n## Milestone 1: Scaffold\n\nText.\n";

    fn hints(ages: bool, within: Span) -> Vec<(String, String)> {
        let model = build_from_text(PLAN);
        let now: jiff::Timestamp = "2026-11-22T09:00:00Z".parse().unwrap();
        inlay_hints(&model, now, ages, &within)
            .into_iter()
            .map(|h| {
                let line_start = PLAN[..h.offset].rfind('\n').map_or(0, |i| i + 1);
                (PLAN[line_start..h.offset].to_string(), h.label)
            })
            .collect()
    }

    #[test]
    fn the_lenses_at_their_headings_and_ages_only_when_asked() {
        let lens_hints = vec![
            (
                "## Progress".to_string(),
                "1/2 done · last update 2 days ago · 1.0 items/day".to_string(),
            ),
            (
                "## Milestone 1: Scaffold".to_string(),
                "Progress: 1/2 done".to_string(),
            ),
        ];
        assert_eq!(hints(false, 0..PLAN.len()), lens_hints);
        let with_ages = hints(true, 0..PLAN.len());
        assert_eq!(with_ages.len(), 3);
        assert_eq!(
            with_ages[1],
            (
                "- [x] (2026-11-20 09:00Z)".to_string(),
                "2 days ago".to_string()
            )
        );
        // Only the hints in the range asked for.
        let heading = PLAN.find("## Milestone").unwrap();
        assert_eq!(hints(true, heading..PLAN.len()), lens_hints[1..].to_vec());
    }
}
