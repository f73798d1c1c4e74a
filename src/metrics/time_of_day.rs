//! The week's grid of hours: tickets created in each hour of each weekday (in `--tz`) and
//! their median first response, for the HTML report's heatmap (staffing is planned from it).

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
}

impl TimeOfDay {
    /// The grid of `tickets`; `first_response` says whether the input supports FRT.
    pub fn of(tickets: &[Ticket], tz: Tz, first_response: bool) -> TimeOfDay {
        let mut grid = TimeOfDayGrid::new(tz);
        for ticket in tickets {
            grid.observe_ticket(ticket);
        }
        grid.into_grid(first_response)
    }
}

/// The grid as the tickets are folded: per weekday and hour, the tickets created then and
/// their first response times (exact, so that merged grids give one pass's medians).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct TimeOfDayGrid {
    tz: Tz,
    /// `tickets[weekday * 24 + hour]`.
    tickets: Vec<u64>,
    first_responses: Vec<Distribution>,
}

impl TimeOfDayGrid {
    pub fn new(tz: Tz) -> TimeOfDayGrid {
        TimeOfDayGrid {
            tz,
            tickets: vec![0; DAYS * HOURS],
            first_responses: vec![Distribution::default(); DAYS * HOURS],
        }
    }

    fn observe_ticket(&mut self, ticket: &Ticket) {
        let (hour, day) = hour_and_weekday(ticket.created_at, self.tz);
        let cell = usize::from(day) * HOURS + usize::from(hour);
        self.tickets[cell] += 1;
        if let Some(seconds) = ticket.first_response_seconds().filter(|s| is_plausible(*s)) {
            self.first_responses[cell].observe(seconds);
        }
    }

    fn into_grid(self, first_response: bool) -> TimeOfDay {
        let medians: Vec<Option<f64>> = self
            .first_responses
            .into_iter()
            .map(|waits| waits.finish().median)
            .collect();
        TimeOfDay {
            weekdays: WEEKDAYS.to_vec(),
            tickets: self.tickets.chunks(HOURS).map(<[u64]>::to_vec).collect(),
            first_response_median: first_response
                .then(|| medians.chunks(HOURS).map(<[Option<f64>]>::to_vec).collect()),
        }
    }
}

impl Accumulator for TimeOfDayGrid {
    type Output = TimeOfDay;

    fn observe(&mut self, observed: &Observed<'_>, _: &Context<'_>) {
        self.observe_ticket(observed.ticket);
    }

    /// `other` is in the same zone.
    fn merge(&mut self, other: TimeOfDayGrid) {
        for (mine, theirs) in self.tickets.iter_mut().zip(other.tickets) {
            *mine += theirs;
        }
        for (mine, theirs) in self.first_responses.iter_mut().zip(other.first_responses) {
            mine.merge(theirs);
        }
    }

    fn finish(self, context: &Context<'_>) -> TimeOfDay {
        let first_response = context.facts.allows(Kpi::FirstResponse);
        self.into_grid(first_response)
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
        let grid = TimeOfDay::of(&tickets, Tz::UTC, true);
        assert_eq!(grid.tickets[0][0], 1);
        assert_eq!(grid.tickets[0][10], 2);
        assert_eq!(grid.tickets.iter().flatten().sum::<u64>(), 3);
        let medians = grid.first_response_median.unwrap();
        assert_eq!(medians[0][0], Some(600.0));
        assert_eq!(medians[0][10], Some(1800.0), "C is unanswered: B alone");
        assert_eq!(medians[3][3], None, "no ticket: null, not 0");
        let new_york = TimeOfDay::of(&tickets, Tz::America__New_York, false);
        assert_eq!(new_york.tickets[6][19], 1, "Sunday 19:00");
        assert_eq!(new_york.first_response_median, None);
    }
}
