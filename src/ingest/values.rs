//! Values real exports carry that the contract's vocabulary does not: help-desk-defined
//! statuses and "no date" placeholders. Read by one documented rule each, never silently: every
//! such value is noted per row and counted for the report's data quality.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::event::Status;

/// What a mapping does with a status that is neither canonical nor aliased.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum UnknownStatus {
    /// The row is invalid (`bad_status`): the canonical event log's rule.
    Reject,
    /// The status falls into a category by keyword ([`classify_status`]) and is counted:
    /// help desks let admins define their own statuses.
    #[default]
    Classify,
}

/// Words (lowercase) that put a status in a category, tried in this order: a waiting status
/// that mentions a fix ("Fixed/Waiting for Release") is still waiting.
const KEYWORDS: [(Status, &[&str]); 4] = [
    (Status::Pending, &["wait", "await", "pend"]),
    (Status::OnHold, &["hold", "paused", "suspended"]),
    (
        Status::Solved,
        &[
            "resolved",
            "solved",
            "fixed",
            "done",
            "complete",
            "completed",
            "finished",
        ],
    ),
    (
        Status::Closed,
        &["closed", "cancelled", "canceled", "cancel"],
    ),
];

/// The category of a help-desk-defined status: pending when a word starts with wait, await or
/// pend; on hold for hold, paused, suspended; solved for resolved, solved, fixed, done,
/// complete(d), finished; closed for closed, cancel(l)ed; else open. A word right after "not"
/// does not count ("Not resolved" is open).
pub fn classify_status(text: &str) -> Status {
    let lower = text.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .collect();
    let affirmed = |index: usize| index == 0 || words[index - 1] != "not";
    for (status, keywords) in KEYWORDS {
        // Waiting words are prefixes (waiting, awaiting, pending); the others whole words, so
        // that "Fixing" or "Holdings" do not count as fixed or on hold.
        let prefix = status == Status::Pending;
        let hit = words.iter().enumerate().any(|(index, word)| {
            affirmed(index)
                && keywords.iter().any(|keyword| {
                    if prefix {
                        word.starts_with(keyword)
                    } else {
                        word == keyword
                    }
                })
        });
        if hit {
            return status;
        }
    }
    Status::Open
}

/// Dates that exports write for "no date": Zendesk's `1900-01-01` for a ticket not solved, the
/// zero dates of databases (`0000-00-00`) and of .NET/Java defaults (`0001-01-01`), at any time
/// of day. `text` is a timestamp in a canonical format (what a mapping's `format` produces).
pub fn is_placeholder_date(text: &str) -> bool {
    ["1900-01-01", "0000-00-00", "0001-01-01"]
        .iter()
        .any(|date| text.starts_with(date))
}

/// What one valid row says that the report should mention.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ValueNotes {
    /// A status read by keyword: the value as written and its category.
    pub status_by_keyword: Option<(String, Status)>,
    /// The source columns whose value was a placeholder date, read as empty.
    pub placeholder_dates: Vec<String>,
}

impl ValueNotes {
    pub fn is_empty(&self) -> bool {
        self.status_by_keyword.is_none() && self.placeholder_dates.is_empty()
    }
}

/// A status value read by keyword, and how many rows carried it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeywordStatus {
    pub status: Status,
    pub rows: u64,
}

/// The notes of all rows, counted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValueFindings {
    /// Status value as written -> its category and rows.
    pub statuses_by_keyword: BTreeMap<String, KeywordStatus>,
    /// Source column -> rows whose value there was a placeholder date.
    pub placeholder_dates: BTreeMap<String, u64>,
}

impl ValueFindings {
    pub fn record(&mut self, notes: ValueNotes) {
        if let Some((value, status)) = notes.status_by_keyword {
            self.statuses_by_keyword
                .entry(value)
                .or_insert(KeywordStatus { status, rows: 0 })
                .rows += 1;
        }
        for column in notes.placeholder_dates {
            *self.placeholder_dates.entry(column).or_default() += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waiting_comes_first_then_hold_solved_closed_else_open() {
        for (text, expected) in [
            ("Waiting on Customer", Status::Pending),
            ("Waiting on Acme Corp", Status::Pending),
            ("Fixed/Waiting for Release", Status::Pending),
            ("Awaiting approval", Status::Pending),
            ("Pending - vendor", Status::Pending),
            ("On Hold", Status::OnHold),
            ("Paused", Status::OnHold),
            ("Resolved - duplicate", Status::Solved),
            ("Fixed", Status::Solved),
            ("Done", Status::Solved),
            ("Completed", Status::Solved),
            ("Closed (won't fix)", Status::Closed),
            ("Cancelled", Status::Closed),
            ("In Progress", Status::Open),
            ("Reopened", Status::Open),
            ("Unresolved", Status::Open),
            ("Not resolved", Status::Open),
            ("Fixing", Status::Open),
            ("Holdings review", Status::Open),
        ] {
            assert_eq!(classify_status(text), expected, "{text}");
        }
    }

    #[test]
    fn placeholder_dates_at_any_time_of_day() {
        assert!(is_placeholder_date("1900-01-01T00:00:00.000000"));
        assert!(is_placeholder_date("1900-01-01 13:45:00 +0000"));
        assert!(is_placeholder_date("0000-00-00 00:00:00"));
        assert!(is_placeholder_date("0001-01-01T00:00:00Z"));
        assert!(!is_placeholder_date("1900-01-02T00:00:00"));
        assert!(!is_placeholder_date("2026-03-01T10:00:00Z"));
        assert!(!is_placeholder_date(""));
    }

    #[test]
    fn findings_count_rows_per_value_and_column() {
        let mut findings = ValueFindings::default();
        let note = |value: &str, column: &str| ValueNotes {
            status_by_keyword: Some((value.to_owned(), Status::Pending)),
            placeholder_dates: vec![column.to_owned()],
        };
        findings.record(note("Waiting on Acme", "Solved at"));
        findings.record(note("Waiting on Acme", "Solved at"));
        findings.record(ValueNotes::default());
        assert_eq!(findings.statuses_by_keyword["Waiting on Acme"].rows, 2);
        assert_eq!(findings.placeholder_dates["Solved at"], 2);
        assert!(ValueNotes::default().is_empty());
    }
}
