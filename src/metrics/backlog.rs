//! Backlog: tickets not solved at an instant, with their age.

use serde::Serialize;

use crate::model::Ticket;
use crate::time::{Instant, SECONDS_PER_DAY, seconds_between};

/// Upper bounds (exclusive, in days) of the age buckets, and their labels.
pub(crate) const AGE_BUCKETS: [(f64, &str); 5] = [
    (1.0, "0-1d"),
    (3.0, "1-3d"),
    (7.0, "3-7d"),
    (30.0, "7-30d"),
    (f64::INFINITY, "30d+"),
];

/// The bucket index for an age in seconds: [0,1d), [1d,3d), [3d,7d), [7d,30d), [30d,inf).
pub fn age_bucket(age_seconds: f64) -> usize {
    let days = age_seconds / SECONDS_PER_DAY;
    AGE_BUCKETS
        .iter()
        .position(|(below, _)| days < *below)
        .unwrap_or(AGE_BUCKETS.len() - 1)
}

#[derive(Debug, Clone, Default)]
pub struct Backlog {
    by_age: [u64; AGE_BUCKETS.len()],
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BacklogReport {
    pub open: u64,
    pub age: AgeBuckets,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct AgeBuckets {
    #[serde(rename = "0-1d")]
    pub under_1d: u64,
    #[serde(rename = "1-3d")]
    pub from_1d_to_3d: u64,
    #[serde(rename = "3-7d")]
    pub from_3d_to_7d: u64,
    #[serde(rename = "7-30d")]
    pub from_7d_to_30d: u64,
    #[serde(rename = "30d+")]
    pub from_30d: u64,
}

impl AgeBuckets {
    pub fn labelled(&self) -> [(&'static str, u64); 5] {
        let counts = [
            self.under_1d,
            self.from_1d_to_3d,
            self.from_3d_to_7d,
            self.from_7d_to_30d,
            self.from_30d,
        ];
        std::array::from_fn(|i| (AGE_BUCKETS[i].1, counts[i]))
    }
}

impl Backlog {
    pub fn observe(&mut self, ticket: &Ticket, as_of: Instant) {
        if !ticket.is_solved() {
            self.by_age[age_bucket(seconds_between(ticket.created_at, as_of))] += 1;
        }
    }

    pub fn merge(&mut self, other: Backlog) {
        for (mine, theirs) in self.by_age.iter_mut().zip(other.by_age) {
            *mine += theirs;
        }
    }

    /// `None` when the input has no status: every ticket would look open.
    pub fn finish(self, has_status: bool) -> Option<BacklogReport> {
        has_status.then(|| BacklogReport {
            open: self.by_age.iter().sum(),
            age: AgeBuckets {
                under_1d: self.by_age[0],
                from_1d_to_3d: self.by_age[1],
                from_3d_to_7d: self.by_age[2],
                from_7d_to_30d: self.by_age[3],
                from_30d: self.by_age[4],
            },
        })
    }
}

/// The tickets open at `at`, by age then.
pub fn open_by_age<'t>(tickets: impl IntoIterator<Item = &'t Ticket>, at: Instant) -> AgeBuckets {
    let mut by_age = [0u64; AGE_BUCKETS.len()];
    for ticket in tickets {
        if ticket.created_at <= at && !ticket.solved_at(at) {
            by_age[age_bucket(seconds_between(ticket.created_at, at))] += 1;
        }
    }
    AgeBuckets {
        under_1d: by_age[0],
        from_1d_to_3d: by_age[1],
        from_3d_to_7d: by_age[2],
        from_7d_to_30d: by_age[3],
        from_30d: by_age[4],
    }
}

/// How many tickets were open at `at`: created at or before it and not solved then.
pub fn open_at<'t>(tickets: impl IntoIterator<Item = &'t Ticket>, at: Instant) -> u64 {
    tickets
        .into_iter()
        .filter(|ticket| ticket.created_at <= at && !ticket.solved_at(at))
        .count() as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn age_buckets_are_half_open() {
        let day = SECONDS_PER_DAY;
        assert_eq!(age_bucket(0.0), 0);
        assert_eq!(age_bucket(day - 1.0), 0);
        assert_eq!(age_bucket(day), 1);
        assert_eq!(age_bucket(3.0 * day), 2);
        assert_eq!(age_bucket(7.0 * day), 3);
        assert_eq!(age_bucket(29.9 * day), 3);
        assert_eq!(age_bucket(30.0 * day), 4);
        assert_eq!(age_bucket(400.0 * day), 4);
    }
}
