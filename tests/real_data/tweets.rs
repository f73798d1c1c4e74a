//! twcs-head: tweets, conversations rebuilt from reply-to ids (preset `twitter`).

use std::collections::{HashMap, HashSet};

use chrono::DateTime;

use crate::activity::{Case, Step, assert_activity_kpis, cases_of};
use crate::check::{assert_count, assert_input, detected_report, start, start_detected};
use crate::common::{self, real_data};
use crate::read::{column, read_csv};

#[test]
fn twcs_head_tweets_as_threads() {
    let Some(file) = real_data("twcs-head/twcs_head5000.csv") else {
        return;
    };
    let runs = start_detected(&file, "twitter");

    let (header, records) = read_csv(&file, b',', true);
    let (id, inbound, created, parent) = (
        column(&header, "tweet_id"),
        column(&header, "inbound"),
        column(&header, "created_at"),
        column(&header, "in_response_to_tweet_id"),
    );
    // Reply-to ids are floats written by pandas (`3.0`).
    let tweet_id = |text: &str| -> u64 {
        let value: f64 = text.parse().unwrap_or_else(|_| panic!("id {text:?}"));
        value as u64
    };
    let ids: Vec<u64> = records.iter().map(|r| tweet_id(&r[id])).collect();
    let present: HashSet<u64> = ids.iter().copied().collect();
    let parents: HashMap<u64, u64> = records
        .iter()
        .zip(&ids)
        .filter(|(r, _)| !r[parent].is_empty())
        .map(|(r, own)| (*own, tweet_id(&r[parent])))
        .collect();
    // A tweet's conversation is its earliest ancestor in the file.
    let root = |mut tweet: u64| {
        for _ in 0..ids.len() {
            match parents.get(&tweet) {
                Some(up) if present.contains(up) && *up != tweet => tweet = *up,
                _ => break,
            }
        }
        tweet
    };
    let rows = records.iter().zip(&ids).map(|(r, own)| {
        let at = DateTime::parse_from_str(&r[created], "%a %b %d %H:%M:%S %z %Y")
            .unwrap_or_else(|error| panic!("{:?}: {error}", &r[created]))
            .timestamp();
        let step = match &r[inbound] {
            "True" => Step::Customer(None),
            "False" => Step::Agent(None),
            other => panic!("inbound {other:?}"),
        };
        (root(*own).to_string(), at, step)
    });
    let cases: Vec<Case> = cases_of(rows).into_values().collect();

    let report = detected_report(runs, "twitter");
    assert_input(&report, records.len(), 0, cases.len());
    assert_eq!(records.len(), 5_000, "SOURCE.md: 5,000 tweets");
    let customer = records.iter().filter(|r| &r[inbound] == "True").count();
    assert_count(&report, "overall.volume.customer_messages", customer);
    assert_activity_kpis(&report, &cases, false);
    println!(
        "twcs: {} tweets, {} conversations, FRT median {}",
        records.len(),
        cases.len(),
        common::present(&report, "overall.first_response.median")
    );
}

/// Brands split long answers into tweets posted in the same second ("1/2", "2/2": tweets 1490
/// and 1493 of ChaseSupport, 3442 and 3444, Delta's 837 and 838). Each has its own tweet id:
/// they are distinct messages, not an export loaded twice.
#[test]
fn twcs_head_tweets_in_the_same_second_are_distinct() {
    let Some(file) = real_data("twcs-head/twcs_head5000.csv") else {
        return;
    };
    let run = start(&file, &[]);
    let (header, records) = read_csv(&file, b',', true);
    let inbound = column(&header, "inbound");
    let brand = records.iter().filter(|r| &r[inbound] == "False").count();
    let report = run.json();
    assert_count(&report, "overall.volume.agent_messages", brand);
    assert_count(&report, "data_quality.duplicate_events", 0);
}
