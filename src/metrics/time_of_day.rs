//! The week's grid of hours: tickets created in each hour of each weekday (in `--tz`), their
//! median first response and, for calls, their median speed of answer, for the HTML report's
//! heatmaps (staffing is planned from them).

use chrono_tz::Tz;
use serde::Serialize;

use super::availability::Kpi;
use super::distribution::Distribution;
use super::group::{WEEKDAYS, hour_and_weekday};
use super::quality::is_plausible;
use super::{Accumulator, Context, Observed};
use crate::model::Ticket;

const HOURS: usize = 24;
const DAYS: usize = 7;

/// Rows are weekdays (Monday first), columns hours 0-23.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TimeOfDay {
    pub weekdays: Vec<&'static str>,
    /// `tickets[weekday][hour]`: tickets created then.
    pub tickets: Vec<Vec<u64>>,
    /// `first_response_median[weekday][hour]`: the median first response time (seconds) of
    /// the tickets created then; null in a cell with no answered ticket, and null as a whole
    /// where the input cannot support first response time.
    pub first_response_median: Option<Vec<Vec<Option<f64>>>>,
    /// `speed_of_answer_median[weekday][hour]`: the median speed of answer (seconds, queue
    /// entry to the answer; 0 for a call never queued) of the calls answered that arrived
    /// then, as the ASA counts them; null in a cell with none, and null as a whole where
    /// the input cannot support the ASA (no calls, or no queue data).
    pub speed_of_answer_median: Option<Vec<Vec<Option<f64>>>>,
}

/// What the input supports of the grid's layers.
#[derive(Debug, Clone, Copy, Default)]
pub struct Layers {
    pub first_response: bool,
    pub speed_of_answer: bool,
}

/// Seven weekdays of 24 hours of distributions (weekday-major), finished into their medians.
fn medians(cells: Vec<Distribution>) -> Vec<Vec<Option<f64>>> {
    let medians: Vec<Option<f64>> = cells.into_iter().map(|d| d.finish().median).collect();
    medians.chunks(HOURS).map(<[Option<f64>]>::to_vec).collect()
}

impl TimeOfDay {
    /// The grid of `tickets`; `layers` says what the input supports beyond the volume.
    pub fn of(tickets: &[Ticket], tz: Tz, layers: Layers) -> TimeOfDay {
        let mut grid = TimeOfDayGrid::new(tz);
        for ticket in tickets {
            grid.observe_ticket(ticket);
        }
        grid.into_grid(layers)
    }
}

/// The grid as the tickets are folded, an accumulator of the report's fold: per weekday and
/// hour, the tickets created then, their plausible first responses and the speeds of answer
/// of the answered calls (exact, so that merged grids give one pass's medians, wherever the
/// parts were folded: threads, a DataFusion partition, the state's earlier nights).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct TimeOfDayGrid {
    tz: Tz,
    /// `tickets[weekday * 24 + hour]`.
    tickets: Vec<u64>,
    first_responses: Vec<Distribution>,
    answers: Vec<Distribution>,
}

impl TimeOfDayGrid {
    pub fn new(tz: Tz) -> TimeOfDayGrid {
        TimeOfDayGrid {
            tz,
            tickets: vec![0; DAYS * HOURS],
            first_responses: vec![Distribution::default(); DAYS * HOURS],
            answers: vec![Distribution::default(); DAYS * HOURS],
        }
    }

    fn observe_ticket(&mut self, ticket: &Ticket) {
        let (hour, day) = hour_and_weekday(ticket.created_at, self.tz);
        // In range by construction (hour < 24, weekday < 7).
        let cell = usize::from(day) * HOURS + usize::from(hour);
        self.tickets[cell] += 1;
        if let Some(seconds) = ticket.first_response_seconds().filter(|s| is_plausible(*s)) {
            self.first_responses[cell].observe(seconds);
        }
        // The ASA's values: answered calls whose wait is known.
        if let Some(wait) = ticket
            .call
            .filter(|call| call.answered)
            .and_then(|call| call.wait_seconds)
        {
            self.answers[cell].observe(wait);
        }
    }

    fn into_grid(self, layers: Layers) -> TimeOfDay {
        TimeOfDay {
            weekdays: WEEKDAYS.to_vec(),
            tickets: self.tickets.chunks(HOURS).map(<[u64]>::to_vec).collect(),
            first_response_median: layers.first_response.then(|| medians(self.first_responses)),
            speed_of_answer_median: layers.speed_of_answer.then(|| medians(self.answers)),
        }
    }
}

impl Accumulator for TimeOfDayGrid {
    type Output = TimeOfDay;

    fn observe(&mut self, observed: &Observed<'_>, _: &Context<'_>) {
        self.observe_ticket(observed.ticket);
    }

    /// `other` counted in the same zone.
    fn merge(&mut self, other: TimeOfDayGrid) {
        for (mine, theirs) in self.tickets.iter_mut().zip(other.tickets) {
            *mine += theirs;
        }
        for (mine, theirs) in self.first_responses.iter_mut().zip(other.first_responses) {
            mine.merge(theirs);
        }
        for (mine, theirs) in self.answers.iter_mut().zip(other.answers) {
            mine.merge(theirs);
        }
    }

    /// The layers the input supports: first response, and the ASA (calls with queue data).
    fn finish(self, context: &Context<'_>) -> TimeOfDay {
        let layers = Layers {
            first_response: context.facts.allows(Kpi::FirstResponse),
            speed_of_answer: context.facts.allows(Kpi::Asa),
        };
        self.into_grid(layers)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::tests::build;

    /// Minute 0 of the test log is 2026-03-02 (a Monday) 00:00 UTC; 600 minutes later is
    /// 10:00. In New York (UTC-5) the first ticket is created at 19:00 on Sunday.
    #[test]
    fn tickets_fall_in_the_hour_and_weekday_of_their_creation() {
        let (tickets, _, _) = build(
            &[
                "A 0 message customer",
                "A 10 message agent",
                "B 600 message customer",
                "B 630 message agent",
                "C 610 message customer",
            ],
            Some(700),
        );
        let frt = Layers {
            first_response: true,
            speed_of_answer: false,
        };
        let grid = TimeOfDay::of(&tickets, Tz::UTC, frt);
        assert_eq!(grid.tickets[0][0], 1);
        assert_eq!(grid.tickets[0][10], 2);
        assert_eq!(grid.tickets.iter().flatten().sum::<u64>(), 3);
        let medians = grid.first_response_median.unwrap();
        assert_eq!(medians[0][0], Some(600.0));
        assert_eq!(medians[0][10], Some(1800.0), "C is unanswered: B alone");
        assert_eq!(medians[3][3], None, "no ticket: null, not 0");
        assert_eq!(grid.speed_of_answer_median, None, "no calls");
        let new_york = TimeOfDay::of(&tickets, Tz::America__New_York, Layers::default());
        assert_eq!(new_york.tickets[6][19], 1, "Sunday 19:00");
        assert_eq!(new_york.first_response_median, None);
    }

    #[test]
    fn answered_calls_give_their_speed_of_answer_to_the_hour_of_arrival() {
        use crate::model::Call;
        let (mut tickets, _, _) = build(
            &[
                "A 600 message customer",
                "B 610 message customer",
                "C 620 message customer",
                "D 0 message customer",
            ],
            Some(700),
        );
        let call = |answered: bool, wait: Option<f64>| Call {
            answered,
            queued: true,
            wait_seconds: wait,
            ended_at: 0,
        };
        tickets.sort_by(|a, b| a.id.cmp(&b.id));
        tickets[0].call = Some(call(true, Some(30.0)));
        tickets[1].call = Some(call(true, Some(10.0)));
        tickets[2].call = Some(call(false, Some(50.0)));
        tickets[3].call = Some(call(true, Some(0.0)));
        let layers = Layers {
            first_response: false,
            speed_of_answer: true,
        };
        let grid = TimeOfDay::of(&tickets, Tz::UTC, layers);
        let asa = grid.speed_of_answer_median.expect("calls");
        assert_eq!(asa[0][10], Some(20.0), "A and B; C was abandoned");
        assert_eq!(asa[0][0], Some(0.0), "never queued: 0, a value");
        assert_eq!(asa[2][10], None, "no call: null");
        assert_eq!(grid.first_response_median, None);
    }

    #[test]
    fn cells_merged_give_the_grid_of_all_the_tickets() {
        let (tickets, _, _) = build(
            &[
                "A 0 message customer",
                "A 10 message agent",
                "B 600 message customer",
                "B 630 message agent",
                "C 610 message customer",
                "C 640 message agent",
            ],
            Some(700),
        );
        let mut first = TimeOfDayGrid::new(Tz::UTC);
        first.observe_ticket(&tickets[0]);
        first.observe_ticket(&tickets[1]);
        let mut second = TimeOfDayGrid::new(Tz::UTC);
        second.observe_ticket(&tickets[2]);
        Accumulator::merge(&mut first, second);
        assert_eq!(
            first.into_grid(Layers {
                first_response: true,
                speed_of_answer: true
            }),
            TimeOfDay::of(
                &tickets,
                Tz::UTC,
                Layers {
                    first_response: true,
                    speed_of_answer: true
                }
            )
        );
    }
}
