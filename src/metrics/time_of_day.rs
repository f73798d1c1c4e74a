//! The week's grid of hours: tickets created in each hour of each weekday (in `--tz`) and
//! their median first response, for the HTML report's heatmap (staffing is planned from it).

use chrono_tz::Tz;
use serde::Serialize;

use super::distribution::Distribution;
use super::group::{WEEKDAYS, hour_and_weekday};
use super::quality::is_plausible;
use crate::model::Ticket;

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
        let mut cells = TimeOfDayCells::default();
        for ticket in tickets {
            cells.observe(ticket, tz);
        }
        cells.finish(first_response)
    }
}

/// The grid's running state, mergeable (`report --state` keeps that of the tickets it folded
/// away): per weekday and hour, the tickets created and their plausible first responses.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct TimeOfDayCells {
    counts: Vec<Vec<u64>>,
    waits: Vec<Vec<Distribution>>,
}

impl Default for TimeOfDayCells {
    fn default() -> Self {
        TimeOfDayCells {
            counts: vec![vec![0u64; 24]; 7],
            waits: vec![vec![Distribution::default(); 24]; 7],
        }
    }
}

impl TimeOfDayCells {
    pub fn observe(&mut self, ticket: &Ticket, tz: Tz) {
        let (hour, day) = hour_and_weekday(ticket.created_at, tz);
        let (hour, day) = (usize::from(hour), usize::from(day));
        let (Some(count), Some(wait)) = (
            self.counts
                .get_mut(day)
                .and_then(|hours| hours.get_mut(hour)),
            self.waits
                .get_mut(day)
                .and_then(|hours| hours.get_mut(hour)),
        ) else {
            return;
        };
        *count += 1;
        if let Some(seconds) = ticket.first_response_seconds().filter(|s| is_plausible(*s)) {
            wait.observe(seconds);
        }
    }

    pub fn merge(&mut self, other: TimeOfDayCells) {
        for (mine, theirs) in self
            .counts
            .iter_mut()
            .flatten()
            .zip(other.counts.into_iter().flatten())
        {
            *mine += theirs;
        }
        for (mine, theirs) in self
            .waits
            .iter_mut()
            .flatten()
            .zip(other.waits.into_iter().flatten())
        {
            mine.merge(theirs);
        }
    }

    pub fn finish(self, first_response: bool) -> TimeOfDay {
        let medians = self
            .waits
            .into_iter()
            .map(|hours| hours.into_iter().map(|d| d.finish().median).collect())
            .collect();
        TimeOfDay {
            weekdays: WEEKDAYS.to_vec(),
            tickets: self.counts,
            first_response_median: first_response.then_some(medians),
        }
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
        let mut first = TimeOfDayCells::default();
        first.observe(&tickets[0], Tz::UTC);
        first.observe(&tickets[1], Tz::UTC);
        let mut second = TimeOfDayCells::default();
        second.observe(&tickets[2], Tz::UTC);
        first.merge(second);
        assert_eq!(first.finish(true), TimeOfDay::of(&tickets, Tz::UTC, true));
    }
}
