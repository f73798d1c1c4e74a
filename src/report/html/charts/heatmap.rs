//! The week's hours as heatmaps: a row per weekday (Monday first), a cell per hour of
//! creation in the report's zone, shaded by the tickets created then, by their median
//! first response, or by the median speed of answer of the calls answered. Each cell says its value in its `<title>` and `aria-label` and carries
//! its JSON Pointer (`/time_of_day/...`), like every other mark.

use maud::{Markup, html};

use super::{c, datum, svg, tickets};
use crate::metrics::time_of_day::TimeOfDay;
use crate::report::text::duration;

const LABEL_W: f64 = 92.0;
const CELL_W: f64 = 30.0;
const CELL_H: f64 = 24.0;
const TOP: f64 = 22.0;

/// What one heatmap shows: its id, title, JSON member and how a value reads.
pub struct Heat<'a> {
    pub id: &'a str,
    pub title: &'a str,
    /// The member of `time_of_day` its cells point into.
    pub member: &'a str,
    /// `class` of the shaded cells (their hue).
    pub class: &'a str,
    pub values: Vec<Vec<Option<f64>>>,
    pub text: fn(f64) -> String,
    /// Shade on a logarithmic scale: waits span seconds to days, and a few long ones
    /// would leave every other cell pale.
    pub log: bool,
}

/// The volume heatmap: tickets created in each hour of each weekday.
pub fn volume(grid: &TimeOfDay) -> Heat<'static> {
    Heat {
        id: "heat-volume",
        title: "Tickets created by weekday and hour",
        member: "tickets",
        class: "c-heat-volume",
        values: grid
            .tickets
            .iter()
            .map(|hours| hours.iter().map(|n| Some(*n as f64)).collect())
            .collect(),
        text: |n| tickets(n as u64),
        log: false,
    }
}

/// The median first response heatmap, where the input supports FRT.
pub fn first_response(grid: &TimeOfDay) -> Option<Heat<'static>> {
    let medians = grid.first_response_median.as_ref()?;
    Some(Heat {
        id: "heat-frt",
        title: "Median first response by weekday and hour of creation",
        member: "first_response_median",
        class: "c-heat-frt",
        values: medians.clone(),
        text: |seconds| format!("median first response {}", duration(seconds)),
        log: true,
    })
}

/// The median speed of answer heatmap, where the input has calls with queue data.
pub fn speed_of_answer(grid: &TimeOfDay) -> Option<Heat<'static>> {
    let medians = grid.speed_of_answer_median.as_ref()?;
    Some(Heat {
        id: "heat-asa",
        title: "Median speed of answer by weekday and hour of arrival",
        member: "speed_of_answer_median",
        class: "c-heat-asa",
        values: medians.clone(),
        text: |seconds| format!("median speed of answer {}", duration(seconds)),
        log: true,
    })
}

/// `Monday 09:00-10:00`.
fn cell_name(weekday: &str, hour: usize) -> String {
    let mut day = weekday.to_owned();
    if let Some(first) = day.get_mut(0..1) {
        first.make_ascii_uppercase();
    }
    format!("{day} {hour:02}:00-{:02}:00", hour + 1)
}

/// Opacity from 0.08 (a value near 0) to 1 (the largest): a cell with a value is never
/// invisible, and an empty one is drawn apart (hatched panel colour).
fn shade(value: f64, max: f64) -> f64 {
    if max <= 0.0 {
        0.08
    } else {
        0.08 + 0.92 * (value / max).clamp(0.0, 1.0)
    }
}

pub fn heatmap(grid: &TimeOfDay, heat: &Heat<'_>, zone: &str) -> Markup {
    let scale = |v: f64| if heat.log { v.max(0.0).ln_1p() } else { v };
    let max = heat
        .values
        .iter()
        .flatten()
        .flatten()
        .fold(0.0_f64, |a, b| a.max(scale(*b)));
    let width = LABEL_W + 24.0 * CELL_W + 4.0;
    let height = TOP + 7.0 * CELL_H + 4.0;
    let desc = format!(
        "A row per weekday, a column per hour of creation (in {zone}); darker is more. \
         Each cell's value is in its title."
    );
    svg(
        heat.id,
        heat.title,
        &desc,
        width,
        height,
        html! {
            @for hour in (0..24).step_by(3) {
                text.tick x=(c(LABEL_W + (hour as f64 + 0.5) * CELL_W)) y=(c(TOP - 7.0)) text-anchor="middle" {
                    (format!("{hour:02}"))
                }
            }
            @for (d, weekday) in grid.weekdays.iter().enumerate() {
                @let y = TOP + d as f64 * CELL_H;
                text.label x=(c(LABEL_W - 8.0)) y=(c(y + CELL_H * 0.68)) text-anchor="end" {
                    (cell_name(weekday, 0).split(' ').next().unwrap_or_default())
                }
                @for hour in 0..24 {
                    @let value = heat.values.get(d).and_then(|h| h.get(hour)).copied().flatten();
                    @let label = format!("{}: {}", cell_name(weekday, hour),
                        value.map_or_else(|| "no value".to_owned(), heat.text));
                    @let x = LABEL_W + hour as f64 * CELL_W;
                    @let pointer = format!("/time_of_day/{}/{d}/{hour}", heat.member);
                    @match value {
                        Some(v) => {
                            rect class=(heat.class) x=(c(x + 1.0)) y=(c(y + 1.0)) width=(c(CELL_W - 2.0)) height=(c(CELL_H - 2.0))
                                fill-opacity=(format!("{:.2}", shade(scale(v), max)))
                                role="img" aria-label=(label) data-json=(pointer) data-value=(datum(Some(v))) {
                                title { (label) }
                            }
                        }
                        None => {
                            rect.heat-empty x=(c(x + 1.0)) y=(c(y + 1.0)) width=(c(CELL_W - 2.0)) height=(c(CELL_H - 2.0))
                                role="img" aria-label=(label) data-json=(pointer) data-value="null" {
                                title { (label) }
                            }
                        }
                    }
                }
            }
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_named_by_weekday_and_hour() {
        assert_eq!(cell_name("monday", 9), "Monday 09:00-10:00");
        assert_eq!(cell_name("sunday", 23), "Sunday 23:00-24:00");
    }

    #[test]
    fn shades_run_from_faint_to_full_and_never_vanish() {
        assert_eq!(shade(0.0, 10.0), 0.08);
        assert_eq!(shade(10.0, 10.0), 1.0);
        assert_eq!(shade(3.0, 0.0), 0.08);
    }
}
