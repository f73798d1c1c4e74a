//! Invalid rows of every kind are counted exactly, by reason, and left out.

use std::collections::BTreeMap;

use proptest::prelude::*;
use proptest::sample::select;

use crate::logs::{
    AUTHOR, CHANNEL, CSAT, EVENT, HANDLE, HEADER, NPS, SENTIMENT, STATUS, TICKET, TIMESTAMP,
    VALUES, log, options,
};
use crate::{analyse, config, kpis, kpis_of, pipeline_config};

proptest! {
    #![proptest_config(pipeline_config())]

    /// With skip_invalid, invalid rows of every kind and blank lines mixed into a valid log
    /// are counted exactly, by reason, and leave the KPIs of the valid rows alone.
    #[test]
    fn invalid_rows_are_counted_and_left_out(
        (log, faults, blanks) in log(&VALUES, 1..30).prop_flat_map(|log| {
            let n = log.rows.len();
            (
                Just(log),
                prop::collection::vec((0..n, 0..FAULTS.len(), 0..=n), 0..16),
                prop::collection::vec((0..=n, select(vec!["", "   ", " \t "])), 0..5),
            )
        }),
        options in options(),
    ) {
        // Lines after valid row `i` (position `n` is before the first row).
        let n = log.rows.len();
        let mut after: Vec<Vec<Vec<u8>>> = vec![Vec::new(); n + 1];
        let mut expected_reasons: BTreeMap<&str, u64> = BTreeMap::new();
        for &(template, fault, position) in &faults {
            let (reason, mutate) = FAULTS[fault];
            let mut fields: Vec<Vec<u8>> = log.rows[template]
                .fields(log.step)
                .into_iter()
                .map(String::into_bytes)
                .collect();
            mutate(&mut fields);
            after[position].push(fields.join(&b","[..]));
            *expected_reasons.entry(reason).or_default() += 1;
        }
        for &(position, blank) in &blanks {
            after[position].push(blank.as_bytes().to_vec());
        }
        let mut dirty = HEADER.join(",").into_bytes();
        let mut line = |bytes: &[u8]| {
            dirty.push(b'\n');
            dirty.extend_from_slice(bytes);
        };
        for extra in &after[n] {
            line(extra);
        }
        for (row, extras) in log.rows.iter().zip(&after) {
            line(row.csv_line(log.step).as_bytes());
            for extra in extras {
                line(extra);
            }
        }
        dirty.push(b'\n');

        let mut config = config(vec![("dirty.csv".to_owned(), dirty)], &options, log.step);
        config.ingest.skip_invalid = true;
        let analysis = analyse(&config);
        let stats = &analysis.stats;
        prop_assert_eq!(stats.rows, stats.rows_used + stats.rows_rejected);
        prop_assert_eq!(stats.rows, (n + faults.len()) as u64);
        prop_assert_eq!(stats.rows_used, n as u64);
        prop_assert_eq!(stats.rows_rejected, faults.len() as u64);
        let reasons: BTreeMap<&str, u64> = stats
            .rejects_by_reason
            .iter()
            .map(|(reason, count)| (reason.as_str(), *count))
            .collect();
        prop_assert_eq!(reasons, expected_reasons);
        prop_assert_eq!(kpis(&config, &analysis), kpis_of(&log.rows, &options, log.step));
    }
}

/// Invalid-row kinds: the `rejects_by_reason` key and how to spoil one valid row with it.
pub type Fault = (&'static str, fn(&mut Vec<Vec<u8>>));

pub const FAULTS: [Fault; 25] = [
    ("field_count", |f| {
        f.pop();
    }),
    ("field_count", |f| f.push(b"extra".to_vec())),
    ("invalid_utf8", |f| f[CHANNEL] = b"em\xffail".to_vec()),
    ("invalid_utf8", |f| f[TICKET] = b"T\xc3(".to_vec()),
    ("empty_ticket_id", |f| f[TICKET] = b"".to_vec()),
    ("empty_ticket_id", |f| f[TICKET] = b"   ".to_vec()),
    ("bad_timestamp", |f| {
        f[TIMESTAMP] = b"2026-13-01T00:00:00Z".to_vec()
    }),
    ("bad_timestamp", |f| {
        f[TIMESTAMP] = b"2026-03-02T09:00:00+0200".to_vec()
    }),
    ("bad_timestamp", |f| f[TIMESTAMP] = b"yesterday".to_vec()),
    ("bad_timestamp", |f| f[TIMESTAMP] = b"".to_vec()),
    ("bad_event", |f| f[EVENT] = b"call".to_vec()),
    ("bad_author_type", |f| f[AUTHOR] = b"robot".to_vec()),
    ("missing_author_type", |f| {
        f[EVENT] = b"message".to_vec();
        f[AUTHOR] = b"".to_vec();
    }),
    ("bad_status", |f| f[STATUS] = b"resolved".to_vec()),
    ("bad_number", |f| f[CSAT] = b"great".to_vec()),
    ("bad_number", |f| f[HANDLE] = b"1e3".to_vec()),
    ("bad_number", |f| f[NPS] = b"NaN".to_vec()),
    ("bad_number", |f| f[SENTIMENT] = b"inf".to_vec()),
    ("bad_number", |f| f[HANDLE] = b"1.2.3".to_vec()),
    ("out_of_range", |f| f[CSAT] = b"6".to_vec()),
    ("out_of_range", |f| f[NPS] = b"11".to_vec()),
    ("out_of_range", |f| f[SENTIMENT] = b"-1.5".to_vec()),
    ("out_of_range", |f| f[HANDLE] = b"-3".to_vec()),
    ("rating_without_csat", |f| {
        f[EVENT] = b"rating".to_vec();
        f[CSAT] = b"".to_vec();
    }),
    ("rating_without_csat", |f| {
        f[EVENT] = b"Rating".to_vec();
        f[CSAT] = b"  ".to_vec();
    }),
];
