//! Activity logs (events shape): tickets rebuilt here from the rows, as docs/metrics.md says.

use std::collections::HashMap;

use serde_json::Value;

use crate::check::{assert_count, assert_distribution, assert_null};

/// The statuses that matter to the KPIs: the solved state is `Solved` or `Closed`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// new, open, pending or on_hold.
    Unsolved,
    Solved,
    Closed,
}

impl State {
    pub fn is_solved(self) -> bool {
        self != State::Unsolved
    }
}

/// What a row of an activity log is, as the mapping under test reads it, with the status it
/// sets, if any.
#[derive(Debug, Clone, Copy)]
pub enum Step {
    Customer(Option<State>),
    Agent(Option<State>),
    Status(State),
    /// An internal note: no message, no status.
    Note,
}

/// One ticket's facts after walking its rows in event order.
#[derive(Debug, Default)]
pub struct Case {
    pub created: i64,
    /// `Some(true)` inbound, `Some(false)` outbound, `None` no customer or agent message.
    pub inbound: Option<bool>,
    pub first_customer: Option<i64>,
    pub first_reply: Option<i64>,
    pub replies: u32,
    /// `None` while no row has set a status.
    pub state: Option<State>,
    pub first_resolved: Option<i64>,
    pub last_resolved: Option<i64>,
    pub reopens: u32,
}

impl Case {
    /// `steps` are `(seconds, input position, step)` of one ticket, in any order.
    pub fn walk(mut steps: Vec<(i64, usize, Step)>) -> Case {
        // Event order: timestamp, then input order.
        steps.sort_by_key(|(at, position, _)| (*at, *position));
        let mut case = Case {
            created: steps.first().map_or(0, |(at, _, _)| *at),
            ..Case::default()
        };
        for (at, _, step) in steps {
            match step {
                Step::Customer(status) => {
                    case.inbound.get_or_insert(true);
                    case.first_customer.get_or_insert(at);
                    // A customer writing on a solved (not closed) ticket reopens it.
                    let status = match (status, case.state) {
                        (None, Some(State::Solved)) => Some(State::Unsolved),
                        _ => status,
                    };
                    case.set(status, at);
                }
                Step::Agent(status) => {
                    case.inbound.get_or_insert(false);
                    case.replies += 1;
                    if case.inbound == Some(true) && case.first_reply.is_none() {
                        case.first_reply = Some(at);
                    }
                    case.set(status, at);
                }
                Step::Status(state) => case.set(Some(state), at),
                Step::Note => {}
            }
        }
        case
    }

    fn set(&mut self, status: Option<State>, at: i64) {
        let Some(state) = status else { return };
        match (self.is_solved(), state.is_solved()) {
            (false, true) => {
                self.first_resolved.get_or_insert(at);
                self.last_resolved = Some(at);
            }
            (true, false) => self.reopens += 1,
            _ => {}
        }
        self.state = Some(state);
    }

    pub fn is_solved(&self) -> bool {
        self.state.is_some_and(State::is_solved)
    }
}

/// The KPIs of an activity log, computed from its cases.
pub fn assert_activity_kpis(report: &Value, cases: &[Case], has_status: bool) {
    let inbound: Vec<&Case> = cases.iter().filter(|c| c.inbound == Some(true)).collect();
    let outbound = cases.iter().filter(|c| c.inbound == Some(false)).count();
    assert_count(report, "overall.volume.inbound", inbound.len());
    assert_count(report, "overall.volume.outbound", outbound);
    let frt: Vec<f64> = inbound
        .iter()
        .filter_map(|c| Some((c.first_reply? - c.first_customer?) as f64))
        .collect();
    assert_distribution(report, "overall.first_response", frt);
    let unanswered = inbound
        .iter()
        .filter(|c| c.first_reply.is_none() && !c.is_solved())
        .count();
    assert_count(report, "overall.first_response.unanswered", unanswered);
    if !has_status {
        for path in ["resolution_time", "backlog", "fcr"] {
            assert_null(report, &format!("overall.{path}"));
        }
        return;
    }
    let closed_without_reply = inbound
        .iter()
        .filter(|c| c.first_reply.is_none() && c.is_solved())
        .count();
    assert_count(
        report,
        "overall.response_rate.closed_without_reply",
        closed_without_reply,
    );
    let solved: Vec<&Case> = cases.iter().filter(|c| c.is_solved()).collect();
    let resolution = solved
        .iter()
        .filter_map(|c| Some((c.last_resolved? - c.created) as f64))
        .collect();
    assert_distribution(report, "overall.resolution_time", resolution);
    let first_resolution = cases
        .iter()
        .filter_map(|c| Some((c.first_resolved? - c.created) as f64))
        .collect();
    assert_distribution(report, "overall.first_resolution_time", first_resolution);
    assert_count(report, "overall.backlog.open", cases.len() - solved.len());
    let eligible: Vec<&&Case> = solved.iter().filter(|c| c.replies >= 1).collect();
    let first_contact = eligible
        .iter()
        .filter(|c| c.replies == 1 && c.reopens == 0)
        .count();
    assert_count(report, "overall.fcr.eligible", eligible.len());
    assert_count(report, "overall.fcr.first_contact", first_contact);
}

/// Rows grouped into cases by id: `(case id, seconds, step)` in input order.
pub fn cases_of(rows: impl IntoIterator<Item = (String, i64, Step)>) -> HashMap<String, Case> {
    let mut by_case: HashMap<String, Vec<(i64, usize, Step)>> = HashMap::new();
    for (position, (id, at, step)) in rows.into_iter().enumerate() {
        by_case.entry(id).or_default().push((at, position, step));
    }
    by_case
        .into_iter()
        .map(|(id, steps)| (id, Case::walk(steps)))
        .collect()
}
