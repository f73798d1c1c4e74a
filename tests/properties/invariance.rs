//! The KPIs do not depend on how an export is ordered (beyond the contract's tie rule), split
//! into files or written.

use std::collections::{HashMap, VecDeque};

use proptest::prelude::*;

use crate::logs::{HEADER, Log, Options, Row, VALUES, Values, log, options};
use crate::writers::{csv_file, gzip, json_array, json_lines, reordered_csv};
use crate::{analyse, config, kpis, kpis_of, pipeline_config};

/// `shuffled` (a permutation of the row indices), changed so that rows with the same ticket
/// and instant keep their input order: the contract orders such ties by input order, so only
/// these permutations must leave the KPIs alone.
pub fn keep_tie_order(rows: &[Row], step: i64, shuffled: &[usize]) -> Vec<usize> {
    let key = |index: usize| (rows[index].ticket, rows[index].at(step));
    let mut ties: HashMap<_, VecDeque<usize>> = HashMap::new();
    for index in 0..rows.len() {
        ties.entry(key(index)).or_default().push_back(index);
    }
    shuffled
        .iter()
        .map(|&index| {
            ties.get_mut(&key(index))
                .and_then(VecDeque::pop_front)
                .expect("one index per row")
        })
        .collect()
}

pub fn pick(rows: &[Row], order: &[usize]) -> Vec<Row> {
    order.iter().map(|&index| rows[index].clone()).collect()
}

/// A log with its rows in a random order (to be fixed up by the test).
pub fn log_and_shuffle(values: &'static Values) -> impl Strategy<Value = (Log, Vec<usize>)> {
    log(values, 1..40).prop_flat_map(|log| {
        let indices: Vec<usize> = (0..log.rows.len()).collect();
        (Just(log), Just(indices).prop_shuffle())
    })
}

pub fn tie_preserving_permutation(
    log: &Log,
    shuffled: &[usize],
    options: &Options,
) -> Result<(), TestCaseError> {
    let order = keep_tie_order(&log.rows, log.step, shuffled);
    let permuted = pick(&log.rows, &order);
    prop_assert_eq!(
        kpis_of(&log.rows, options, log.step),
        kpis_of(&permuted, options, log.step),
        "rows reordered as {:?}",
        order
    );
    Ok(())
}

proptest! {
    #![proptest_config(pipeline_config())]


    /// Any reordering of the rows that keeps rows with equal (ticket_id, timestamp) in their
    /// input order gives the same KPIs.
    #[test]
    fn kpis_ignore_row_order_except_ties(
        (log, shuffled) in log_and_shuffle(&VALUES),
        options in options(),
    ) {
        tie_preserving_permutation(&log, &shuffled, &options)?;
    }

    /// When every row has its own instant, any order at all gives the same KPIs.
    #[test]
    fn kpis_ignore_any_order_of_distinct_timestamps(
        (log, slots, shuffled) in log(&VALUES, 1..30).prop_flat_map(|log| {
            let n = log.rows.len();
            let indices: Vec<i64> = (0..n as i64).collect();
            let order: Vec<usize> = (0..n).collect();
            (Just(log), Just(indices).prop_shuffle(), Just(order).prop_shuffle())
        }),
        options in options(),
    ) {
        // One slot per row (there are at least as many as rows): all instants differ.
        let rows: Vec<Row> = log
            .rows
            .iter()
            .zip(&slots)
            .map(|(row, &slot)| Row { slot, ..row.clone() })
            .collect();
        let step = log.step;
        let options = Options {
            as_of_slot: options.as_of_slot.map(|slot| slot * 3),
            ..options
        };
        prop_assert_eq!(
            kpis_of(&rows, &options, step),
            kpis_of(&pick(&rows, &shuffled), &options, step),
            "rows reordered as {:?}",
            shuffled
        );
    }

    /// Splitting the rows into several files, in order, changes nothing (a file may hold
    /// only its header).
    #[test]
    fn kpis_ignore_how_rows_are_split_into_files(
        (log, mut cuts) in log(&VALUES, 1..40).prop_flat_map(|log| {
            let n = log.rows.len();
            (Just(log), prop::collection::vec(0..=n, 0..4))
        }),
        options in options(),
    ) {
        cuts.sort_unstable();
        let mut files = Vec::new();
        let mut start = 0;
        for end in cuts.into_iter().chain([log.rows.len()]) {
            let name = format!("part-{}.csv", files.len() + 1);
            files.push((name, csv_file(&log.rows[start..end], log.step)));
            start = end;
        }
        let parts = files.len();
        let split = config(files, &options, log.step);
        let split_analysis = analyse(&split);
        prop_assert_eq!(split_analysis.stats.files.len(), parts);
        prop_assert_eq!(split_analysis.stats.rows, log.rows.len() as u64);
        prop_assert_eq!(
            kpis(&split, &split_analysis),
            kpis_of(&log.rows, &options, log.step)
        );
    }

    /// The same rows as CSV (columns reordered, header names in other cases, an unknown
    /// column, CRLF line ends, a byte order mark), JSON array, JSON Lines or gzip give the
    /// same KPIs.
    #[test]
    fn kpis_ignore_how_the_export_is_written(
        log in log(&VALUES, 1..30),
        options in options(),
        columns in Just((0..HEADER.len()).collect::<Vec<_>>()).prop_shuffle(),
        layout in 0..5u8,
        empty_as in 0..3u8,
    ) {
        let mut expected = kpis_of(&log.rows, &options, log.step);
        // JSON that leaves empty members out has no column that is empty in every row: an
        // export without that column, which docs/mappings.md reads as unmapped.
        if matches!(layout, 1..=3) && empty_as % 3 == 0 {
            let filled: Vec<usize> = (0..HEADER.len())
                .filter(|&c| log.rows.iter().any(|row| !row.fields(log.step)[c].is_empty()))
                .collect();
            let csv = reordered_csv(&log, &filled);
            let without = config(vec![("export.csv".to_owned(), csv)], &options, log.step);
            expected = kpis(&without, &analyse(&without));
        }
        let (name, bytes) = match layout {
            0 => ("export.csv", reordered_csv(&log, &columns)),
            1 => ("export.json", json_array(&log, empty_as)),
            2 => ("export.jsonl", json_lines(&log, empty_as)),
            3 => ("export.ndjson", json_lines(&log, empty_as)),
            _ => ("export.csv.gz", gzip(&csv_file(&log.rows, log.step))),
        };
        let written = config(vec![(name.to_owned(), bytes)], &options, log.step);
        let analysis = analyse(&written);
        prop_assert_eq!(analysis.stats.rows, log.rows.len() as u64);
        prop_assert_eq!(kpis(&written, &analysis), expected);
    }
}
