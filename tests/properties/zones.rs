//! Periods in any zone, even where the clock skips or repeats midnight or a whole day.

use chrono::DateTime;
use chrono_tz::Tz;
use proptest::prelude::*;
use proptest::sample::select;
use ticketkpi::time::{MICROS_PER_SECOND, Period, format_rfc3339, parse_timestamp};

use crate::logs::{HEADER, Options, Row, SLOTS, TIMESTAMP, VALUES, row};
use crate::{analyse, config, single_run_config};

/// Instants where a zone's clock jumps, and the zone: midnight skipped or repeated, a whole day
/// skipped, DST changes at night or by half an hour, and UTC.
pub const TRANSITIONS: [(Tz, &str); 10] = [
    (Tz::UTC, "2026-03-02T00:00:00Z"),
    (Tz::Europe__Berlin, "2026-03-29T01:00:00Z"),
    (Tz::Europe__Berlin, "2026-10-25T01:00:00Z"),
    // 00:01 NDT back to 23:01 NST: midnight comes twice.
    (Tz::America__St_Johns, "1997-10-26T02:31:00Z"),
    (Tz::America__St_Johns, "2026-11-01T04:30:00Z"),
    // 24:00 forward to 01:00: midnight skipped; and 24:00 back to 23:00.
    (Tz::America__Santiago, "2026-09-06T04:00:00Z"),
    (Tz::America__Santiago, "2026-04-05T03:00:00Z"),
    // 02:00 back to 01:30.
    (Tz::Australia__Lord_Howe, "2026-04-04T15:00:00Z"),
    // Whole days skipped: 2011-12-30 in Samoa, 1994-12-31 in Kiritimati.
    (Tz::Pacific__Apia, "2011-12-30T10:00:00Z"),
    (Tz::Pacific__Kiritimati, "1994-12-31T10:00:00Z"),
];

proptest! {
    #![proptest_config(single_run_config())]

    /// In any zone, even where the clock skips or repeats midnight or a whole day, every ticket
    /// is in the period of its creation, which holds its creation instant, and the periods
    /// follow each other.
    #[test]
    fn periods_hold_every_ticket_in_any_zone(
        rows in prop::collection::vec(row(&VALUES, true), 1..30),
        (tz, transition) in select(TRANSITIONS.to_vec()),
        step in select(vec![900, 3_600, 3 * 3_600, 12 * 3_600]),
        period in select(vec![Period::Day, Period::Week, Period::Month]),
    ) {
        periods_hold_every_ticket(&rows, tz, transition, step, period)?;
    }
}

/// Rows `step` seconds apart around `transition` (slot 6 is the transition), in `tz`, by
/// `period`.
pub fn periods_hold_every_ticket(
    rows: &[Row],
    tz: Tz,
    transition: &str,
    step: i64,
    period: Period,
) -> Result<(), TestCaseError> {
    let around = parse_timestamp(transition, Tz::UTC).expect("a valid instant");
    let mut text = HEADER.join(",");
    for row in rows {
        let mut fields = row.fields(step);
        fields[TIMESTAMP] =
            format_rfc3339(around + (row.slot - SLOTS / 2) * step * MICROS_PER_SECOND);
        text.push('\n');
        text.push_str(&fields.join(","));
    }
    let options = Options {
        as_of_slot: None,
        by: Vec::new(),
        period: Some(period),
    };
    let mut config = config(
        vec![("zoned.csv".to_owned(), text.into_bytes())],
        &options,
        step,
    );
    config.tz = tz;
    config.ingest.rules.tz = tz;
    let analysis = analyse(&config);
    let kpis = analysis.kpis(&config);

    let instant = |text: &str| {
        DateTime::parse_from_rfc3339(text)
            .expect("RFC 3339")
            .timestamp_micros()
    };
    let periods: Vec<(&str, i64, i64)> = kpis
        .periods
        .iter()
        .map(|p| (p.period.as_str(), instant(&p.start), instant(&p.end)))
        .collect();
    for pair in periods.windows(2) {
        prop_assert!(pair[0].1 < pair[1].1, "periods out of order: {:?}", pair);
    }
    for ticket in &analysis.tickets {
        let label = period.bucket_of(ticket.created_at, tz).label;
        let holder = periods.iter().find(|(name, _, _)| *name == label);
        prop_assert!(
            holder.is_some_and(
                |&(_, start, end)| start <= ticket.created_at && ticket.created_at < end
            ),
            "ticket {} created {} is not in period {} of {:?}",
            ticket.id,
            format_rfc3339(ticket.created_at),
            label,
            periods
        );
    }
    let in_periods: u64 = kpis.periods.iter().map(|p| p.kpis.tickets).sum();
    prop_assert_eq!(in_periods, kpis.overall.tickets);
    Ok(())
}
