//! SLA attainment per policy and target: horizontal bars on 0-100 %.

use maud::{Markup, html};

use super::{c, clip, datum, svg, tickets};
use crate::metrics::sla::{Target, TargetAttainment};
use crate::report::Report;
use crate::report::text::{count, percent, sanitize};

/// The targets in the order of a row's bars: the target (its JSON key), name and colour.
pub const TARGETS: [(Target, &str, &str); 3] = [
    (Target::FirstReply, "First reply", "c-first-reply"),
    (Target::NextReply, "Next reply", "c-next-reply"),
    (Target::Resolution, "Resolution", "c-resolution"),
];

/// One block of bars: a policy (or all of them) and its targets.
pub struct SlaRow<'r> {
    pub name: String,
    pub note: String,
    pub path: String,
    /// In the order of [`TARGETS`].
    pub targets: [Option<&'r TargetAttainment>; 3],
}

pub fn sla_rows(report: &Report) -> Vec<SlaRow<'_>> {
    let sla = &report.overall.sla;
    let mut rows = vec![SlaRow {
        name: "All policies".to_owned(),
        note: tickets(report.overall.tickets),
        path: "/overall/sla".to_owned(),
        targets: TARGETS.map(|(target, _, _)| sla.target(target)),
    }];
    // One policy alone is the same as all of them together.
    if sla.policies.len() > 1 {
        rows.extend(sla.policies.iter().enumerate().map(|(i, p)| SlaRow {
            name: sanitize(&p.policy),
            note: format!(
                "{}, {}",
                tickets(p.tickets),
                p.schedule.as_deref().map_or_else(
                    || "calendar time".to_owned(),
                    |s| format!("{} hours", sanitize(s))
                )
            ),
            path: format!("/overall/sla/policies/{i}"),
            targets: TARGETS.map(|(target, _, _)| p.target(target)),
        }));
    }
    rows
}

pub fn attainment_text(t: &TargetAttainment) -> String {
    format!(
        "{} — {} met, {} breached, {} running",
        percent(t.attainment),
        count(t.met),
        count(t.breached),
        count(t.running)
    )
}

pub fn sla(rows: &[SlaRow<'_>]) -> Markup {
    let (width, label_w, track_w) = (1000.0, 250.0, 420.0);
    let (x0, x1) = (label_w, label_w + track_w);
    let (bar, line_h, head_h, gap) = (14.0, 20.0, 22.0, 12.0);
    let block =
        |row: &SlaRow<'_>| head_h + line_h * row.targets.iter().flatten().count() as f64 + gap;
    let top = 26.0;
    let height = top + rows.iter().map(block).sum::<f64>() + 4.0;
    let x = |rate: f64| x0 + rate.clamp(0.0, 1.0) * track_w;
    // Where each row starts, and each of its targets' lines (targets not set are left out).
    let mut layout = Vec::with_capacity(rows.len());
    let mut y = top;
    for row in rows {
        let lines: Vec<(usize, &TargetAttainment, f64)> = row
            .targets
            .iter()
            .enumerate()
            .filter_map(|(k, t)| t.map(|t| (k, t)))
            .enumerate()
            .map(|(line, (k, t))| (k, t, y + head_h + line_h * line as f64))
            .collect();
        layout.push((row, y, lines));
        y += block(row);
    }
    let body = html! {
        @for pct in [0.0, 0.25, 0.5, 0.75, 1.0] {
            text.tick x=(c(x(pct))) y=(c(top - 10.0)) text-anchor="middle" { (format!("{:.0}%", pct * 100.0)) }
        }
        @for pct in [0.5, 1.0] {
            line.grid x1=(c(x(pct))) x2=(c(x(pct))) y1=(c(top - 4.0)) y2=(c(height - 4.0)) {}
        }
        @for (row, start, lines) in &layout {
            text.label x="8" y=(c(start + 14.0)) { (clip(&row.name, 26)) title { (row.name) } }
            text.small x=(c(x0)) y=(c(start + 14.0)) { (row.note) }
            @for (k, t, ty) in lines {
                @let (target, name, class) = TARGETS[*k];
                @let key = target.as_str();
                @let ty = *ty;
                text.small x=(c(x0 - 10.0)) y=(c(ty + bar - 3.0)) text-anchor="end" { (name) }
                rect.track x=(c(x0)) y=(c(ty)) width=(c(track_w)) height=(c(bar)) {}
                @match t.attainment {
                    Some(rate) => {
                        rect class=(class) x=(c(x0)) y=(c(ty)) width=(c(x(rate) - x0)) height=(c(bar))
                            data-json=(format!("{}/{key}/attainment", row.path)) data-value=(datum(Some(rate))) {
                            title { (row.name) ", " (name) ": " (attainment_text(t)) }
                        }
                        text.value x=(c(x1 + 8.0)) y=(c(ty + bar - 3.0)) { (attainment_text(t)) }
                    }
                    None => {
                        text.na x=(c(x0 + 6.0)) y=(c(ty + bar - 3.0))
                            data-json=(format!("{}/{key}/attainment", row.path)) data-value="null" {
                            // The target is measurable here (else it has no line): null
                            // attainment means no clock has stopped or breached yet.
                            @if t.running > 0 { "n/a — every clock still running" }
                            @else { "n/a — no clock under this policy" }
                        }
                    }
                }
            }
        }
    };
    svg(
        "chart-sla",
        "SLA attainment by policy and target",
        &rows
            .iter()
            .map(|row| {
                let targets: Vec<String> = row
                    .targets
                    .iter()
                    .zip(TARGETS)
                    .filter_map(|(t, (_, name, _))| {
                        t.map(|t| format!("{name} {}", percent(t.attainment)))
                    })
                    .collect();
                format!("{}: {}.", row.name, targets.join(", "))
            })
            .collect::<Vec<_>>()
            .join(" "),
        width,
        height,
        body,
    )
}
