//! Merging accumulators equals one pass.

use proptest::prelude::*;
use ticketkpi::metrics::{Accumulator, KpiAccumulator, Observed};

use crate::logs::{Log, Options, VALUES, log, options};
use crate::writers::csv_file;
use crate::{analyse, config, single_run_config};

pub fn merge_of_disjoint_subsets(
    log: &Log,
    options: &Options,
    parts: &[u8],
) -> Result<(), TestCaseError> {
    let config = config(
        vec![("export.csv".to_owned(), csv_file(&log.rows, log.step))],
        options,
        log.step,
    );
    let analysis = analyse(&config);
    let context = analysis.context(&config);
    let mut whole = KpiAccumulator::default();
    let mut subsets = vec![KpiAccumulator::default(); 4];
    for (ticket, part) in analysis.tickets.iter().zip(parts.iter().cycle()) {
        let observed = Observed::new(ticket, &context);
        whole.observe(&observed, &context);
        subsets[usize::from(*part) % 4].observe(&observed, &context);
    }
    let mut merged = KpiAccumulator::default();
    for subset in subsets {
        merged.merge(subset);
    }
    let whole = whole.finish(&context);
    prop_assert_eq!(&whole, &analysis.kpis(&config).overall);
    prop_assert_eq!(
        serde_json::to_value(merged.finish(&context)).expect("serialises"),
        serde_json::to_value(whole).expect("serialises")
    );
    Ok(())
}

proptest! {
    #![proptest_config(single_run_config())]

    /// Merging the accumulators of disjoint subsets of the tickets equals one accumulator over
    /// all of them.
    #[test]
    fn merged_accumulators_equal_one_pass(
        log in log(&VALUES, 1..40),
        options in options(),
        parts in prop::collection::vec(any::<u8>(), 1..8),
    ) {
        merge_of_disjoint_subsets(&log, &options, &parts)?;
    }
}
