//! The trend section: for each headline KPI, its sparkline over the periods, the value of
//! the latest complete period and its change against the one before (the definitions are
//! `report::trend`'s, which the HTML tiles read too).

use super::{Column, Section};
use crate::report::Report;
use crate::report::trend::{
    Change, HEADLINES, Headline, NOT_COMPARABLE, arrow, change, compared, format_delta,
    format_value, not_comparable_notes, partial_after, period_label, sparkline, verdict,
};

/// At 80 columns the sparkline has room for this many periods; older ones are left out.
const MAX_SPARK: usize = 24;

/// `None` with fewer than two periods. Where a KPI is "not comparable yet", the notes say
/// why.
pub(super) fn section(report: &Report) -> Option<Section> {
    if report.periods.len() < 2 {
        return None;
    }
    let shown = &report.periods[report.periods.len().saturating_sub(MAX_SPARK)..];
    let pair = compared(report);
    // Without two complete periods, the value shown is the latest period's, marked partial.
    let shown_index = pair.map_or(report.periods.len() - 1, |(latest, _)| latest);
    let shown_period = &report.periods[shown_index];
    let rows: Vec<Vec<String>> = HEADLINES
        .iter()
        .map(|kpi| {
            let series: Vec<Option<f64>> = shown.iter().map(|p| (kpi.period)(p)).collect();
            let change = change(report, kpi);
            vec![
                kpi.name.to_owned(),
                sparkline(&series),
                format_value((kpi.period)(shown_period), kpi.unit),
                change_text(change.as_ref(), kpi),
            ]
        })
        .collect();
    let unit = report.period.as_deref().unwrap_or("period");
    let mut qualifiers = Vec::new();
    let partial = partial_after(report);
    if !partial.is_empty() && pair.is_some() {
        qualifiers.push(format!("{} partial, not compared", partial.join(", ")));
    }
    if shown.len() < report.periods.len() {
        qualifiers.push(format!("last {} shown", shown.len()));
    }
    let title = if qualifiers.is_empty() {
        format!("Trend by {unit}")
    } else {
        format!("Trend by {unit} ({})", qualifiers.join("; "))
    };
    let change_header = match pair {
        Some((_, previous)) => format!("Change vs {}", report.periods[previous].period),
        None => "Change".to_owned(),
    };
    let marked = rows.iter().any(|row| row[3] == NOT_COMPARABLE);
    let notes = if marked {
        not_comparable_notes(report)
    } else {
        Vec::new()
    };
    let columns = vec![
        Column::label("KPI"),
        Column::label("Trend"),
        Column::figure(&period_label(shown_period)),
        Column::label(&change_header),
    ];
    Some(Section::new(title, columns, rows).with_notes(notes))
}

/// What a KPI's change cell says: the arrow, the change and the verdict; "not comparable
/// yet" while the latest period's tickets are too young; "n/a" when a value is unknown.
fn change_text(change: Option<&Change<'_>>, kpi: &Headline) -> String {
    let Some(change) = change else {
        return NOT_COMPARABLE.to_owned();
    };
    if change.settles_at.is_some() {
        return NOT_COMPARABLE.to_owned();
    }
    change.delta().map_or_else(
        || "n/a".to_owned(),
        |delta| {
            let mut text = format!("{} {}", arrow(delta), format_delta(delta, kpi.unit));
            if let Some(word) = verdict(delta, kpi.better) {
                text.push_str(", ");
                text.push_str(word);
            }
            text
        },
    )
}
