//! kaggle-customer-support-tickets-synthetic: synthetic ticket table, parsing only.

use std::collections::HashSet;

use crate::check::{
    assert_channel_share, assert_count, assert_input, assert_near, assert_null, mapping, read_as,
    start, tally,
};
use crate::common::real_data;
use crate::read::{column, read_csv};

#[test]
fn kaggle_synthetic_tickets() {
    let Some(file) = real_data(
        "kaggle-customer-support-tickets-synthetic/customer_support_tickets_closed_subset.csv",
    ) else {
        return;
    };
    let run = start(
        &file,
        &[
            "--mapping",
            &mapping("kaggle-customer-support-tickets-synthetic"),
        ],
    );
    let report = run.json();
    assert_eq!(
        read_as(&report),
        "kaggle-customer-support-tickets-synthetic"
    );

    let (header, records) = read_csv(&file, b',', false);
    let ids: HashSet<&str> = records
        .iter()
        .map(|r| &r[column(&header, "Ticket_ID")])
        .collect();
    assert_input(&report, records.len(), 0, ids.len());
    let channel = column(&header, "Ticket_Channel");
    assert_channel_share(&report, &tally(records.iter().map(|r| &r[channel])));
    let rating = column(&header, "Customer_Satisfaction_Rating");
    let scores: Vec<f64> = records
        .iter()
        .map(|r| r[rating].parse().expect("rating"))
        .collect();
    assert_count(&report, "overall.csat.responses", scores.len());
    let satisfied = scores.iter().filter(|score| **score >= 4.0).count();
    assert_count(&report, "overall.csat.satisfied", satisfied);
    assert_near(
        &report,
        "overall.csat.mean_score",
        scores.iter().sum::<f64>() / scores.len() as f64,
    );
    // Nothing the export cannot tell is made up.
    for path in [
        "first_response",
        "resolution_time",
        "backlog",
        "fcr",
        "csat.response_rate",
    ] {
        assert_null(&report, &format!("overall.{path}"));
    }
    println!(
        "kaggle: {} tickets, CSAT {satisfied}/{} satisfied",
        ids.len(),
        scores.len()
    );
}
