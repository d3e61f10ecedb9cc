//! The report as a Markdown table, for a pull request comment or a GitHub
//! job summary (`>> $GITHUB_STEP_SUMMARY`).

use super::{Overview, Row, ago, pace, stamp, threshold};

pub fn render(overview: &Overview) -> String {
    let findings = overview.findings();
    let (done, total) = overview.rows.iter().fold((0, 0), |(d, t), r| {
        (d + r.status.progress.done, t + r.status.progress.total)
    });
    let mut out = format!(
        "## ExecPlans: {}\n\n{} {}, {done} of {total} items done, **{} stalled** (open items, no update for {}). \
         Findings: {} errors, {} warnings, {} info, {} hints. Generated {}.\n\n",
        escape(&overview.name),
        overview.rows.len(),
        if overview.rows.len() == 1 {
            "plan"
        } else {
            "plans"
        },
        overview.stalled(),
        threshold(overview.stalled_after),
        findings.errors,
        findings.warnings,
        findings.infos,
        findings.hints,
        stamp(overview.now),
    );
    if overview.rows.is_empty() {
        out.push_str("No plans found.\n");
        return out;
    }
    out.push_str(
        "| Plan | Progress | Last update | Pace | Decisions | Surprises | Errors | Warnings | Info | Hints | Status |\n\
         |---|---|---|--:|--:|--:|--:|--:|--:|--:|---|\n",
    );
    for row in &overview.rows {
        out.push_str(&line(row, overview));
    }
    out
}

fn line(row: &Row, overview: &Overview) -> String {
    let s = &row.status;
    let title = s.title.as_deref().unwrap_or("(no title)");
    let last = match (s.last_update, s.idle_for(overview.now)) {
        (Some(at), Some(idle)) => format!("{} ({})", stamp(at), ago(idle)),
        _ => "—".to_string(),
    };
    let status = if row.stalled {
        format!(
            "⚠️ **stalled** {}",
            s.idle_for(overview.now).map(ago).unwrap_or_default()
        )
    } else if s.progress.total > 0 && s.open() == 0 {
        "✅ done".to_string()
    } else {
        "active".to_string()
    };
    format!(
        "| **{}**<br>`{}` | {} {}/{} | {last} | {} | {} | {} | {} | {} | {} | {} | {status} |\n",
        escape(title),
        row.path.replace('`', "'"),
        bar(s.progress.done, s.progress.total),
        s.progress.done,
        s.progress.total,
        pace(s),
        s.decisions,
        s.surprises,
        s.findings.errors,
        s.findings.warnings,
        s.findings.infos,
        s.findings.hints,
    )
}

/// `▰▰▰▰▱▱▱▱▱▱`: ten cells, filled by the share done.
fn bar(done: usize, total: usize) -> String {
    let filled = (done * 10 + total / 2)
        .checked_div(total)
        .unwrap_or(0)
        .min(10);
    format!("{}{}", "▰".repeat(filled), "▱".repeat(10 - filled))
}

/// Table cells cannot hold a pipe or a line break.
fn escape(text: &str) -> String {
    text.replace('|', "\\|").replace(['\n', '\r'], " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_round_to_the_nearest_tenth() {
        assert_eq!(bar(0, 0), "▱▱▱▱▱▱▱▱▱▱");
        assert_eq!(bar(1, 3), "▰▰▰▱▱▱▱▱▱▱");
        assert_eq!(bar(3, 3), "▰▰▰▰▰▰▰▰▰▰");
    }

    #[test]
    fn pipes_in_titles_do_not_break_the_table() {
        assert_eq!(escape("a | b\nc"), "a \\| b c");
    }
}
