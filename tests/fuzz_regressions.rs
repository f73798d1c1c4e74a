//! Crashes and hangs found by fuzzing (see fuzz/README.md) and by reading the code, kept as
//! regression tests now that they are fixed.
//!
//! The period tests check `Period::bucket_of` directly: `--period` walks from each bucket's
//! end to the next bucket, so a bucket that does not move on makes the report loop forever,
//! and a test of the whole pipeline would hang rather than fail.

use std::sync::Arc;

use chrono_tz::Tz;
use ticketkpi::ingest::Source;
use ticketkpi::options::AnalysisOptions;
use ticketkpi::pipeline;
use ticketkpi::time::{Instant, Period, PeriodBucket, format_rfc3339, parse_timestamp};

fn utc(text: &str) -> Instant {
    parse_timestamp(text, Tz::UTC).expect("a valid timestamp")
}

fn assert_holds(bucket: &PeriodBucket, at: Instant) {
    assert!(
        bucket.start <= at && at < bucket.end,
        "{} lies outside {} = [{}, {})",
        format_rfc3339(at),
        bucket.label,
        format_rfc3339(bucket.start),
        format_rfc3339(bucket.end),
    );
}

/// The next bucket starts where this one ends, and ends later.
fn assert_moves_on(period: Period, bucket: &PeriodBucket, tz: Tz) {
    let next = period.bucket_of(bucket.end, tz);
    assert!(
        next.start == bucket.end && next.end > next.start,
        "after {bucket:?} comes {next:?}"
    );
}

/// fuzz/timestamp: Kiritimati went from UTC-10 to UTC+14 by skipping 1994-12-31. The fuzzer's
/// input (zone byte 0x37, then `788849163`) is 18:46 on the 30th there; Samoa did the same on
/// 2011-12-30. `start_of_local_day` of the skipped day falls back to its midnight read as
/// UTC, so the day before ends hours early; the bucket of that end is the same day again, and
/// `--period day` over the skipped day never ends.
#[test]
fn day_bucket_before_a_skipped_day() {
    let kiritimati = Tz::Pacific__Kiritimati;
    let at = parse_timestamp("788849163", kiritimati).expect("Unix seconds");
    let bucket = Period::Day.bucket_of(at, kiritimati);
    assert_eq!(bucket.label, "1994-12-30");
    assert_holds(&bucket, at);
    assert_moves_on(Period::Day, &bucket, kiritimati);

    let apia = Tz::Pacific__Apia;
    let at = utc("2011-12-30T09:00:00Z"); // 23:00 on 2011-12-29 in Samoa (UTC-10)
    let bucket = Period::Day.bucket_of(at, apia);
    assert_eq!(bucket.label, "2011-12-29");
    assert_holds(&bucket, at);
    assert_moves_on(Period::Day, &bucket, apia);
}

/// fuzz/timestamp: in St. John's DST ended at 00:01 until 2011, back to 23:01 the day before,
/// so local midnight came twice. The fuzzer's input (zone byte `1`, then `877833633`) is
/// 23:10:33 on 1997-10-25 the second time round: its day bucket ends at the first midnight,
/// before it.
#[test]
fn day_bucket_of_the_repeated_hour_before_midnight() {
    let st_johns = Tz::America__St_Johns;
    let at = parse_timestamp("877833633", st_johns).expect("Unix seconds");
    assert_eq!(format_rfc3339(at), "1997-10-26T02:40:33Z");
    let bucket = Period::Day.bucket_of(at, st_johns);
    assert_eq!(bucket.label, "1997-10-25");
    assert_holds(&bucket, at);
}

/// fuzz/timestamp: Kiritimati moved from UTC-10:40 to UTC-10 at midnight on 1979-10-01, so that
/// day began at 00:40. `start_of_local_day` steps from midnight in half hours and lands on
/// 01:00. The fuzzer's input (zone byte `=`, then `307623217`) is 00:53:37 that day.
#[test]
fn day_bucket_starts_at_the_first_instant_of_the_day() {
    let kiritimati = Tz::Pacific__Kiritimati;
    let at = parse_timestamp("307623217", kiritimati).expect("Unix seconds");
    let bucket = Period::Day.bucket_of(at, kiritimati);
    assert_eq!(bucket.label, "1979-10-01");
    assert_eq!(
        format_rfc3339(bucket.start),
        "1979-10-01T10:40:00Z",
        "00:40 local"
    );
    assert_holds(&bucket, at);
}

/// Found reading the code while writing the fuzz harness (which now skips 13-digit numbers so
/// that fuzzing can go on): Unix seconds are accepted up to chrono's limits (years -262143 to
/// 262142), and instants are i64 microseconds, so the time between two such instants can
/// overflow: `seconds_between` panics with debug assertions (and wraps in release builds,
/// reporting nonsense).
#[test]
fn durations_between_extreme_timestamps_do_not_overflow() {
    let csv = "ticket_id,timestamp,event,author_type,status\n\
               T1,-8000000000000,message,customer,\n\
               T1,8000000000000,message,agent,solved\n";
    let mut config = AnalysisOptions::for_sources(vec![Source::Memory {
        name: "extreme.csv".to_owned(),
        bytes: Arc::from(csv.as_bytes()),
    }]);
    config.ingest.skip_invalid = true;
    let analysis = pipeline::analyse(&config).expect("the input is read");
    let kpis = analysis.kpis(&config);
    let overall = serde_json::to_value(&kpis.overall).expect("serialises");
    assert_eq!(analysis.stats.rows, 2);
    // Rejecting such timestamps would be a fix too; reading them must give the right time.
    if analysis.stats.rows_used == 2 {
        assert_eq!(overall["first_response"]["median"], 16e12);
    }
}

/// Found reading the code (see above): for an instant in the first or last representable
/// day, `bucket_of` adds or subtracts days past chrono's range and panics (`--period day` and
/// `week`), or cannot compute the next month and returns an empty bucket whose end is its
/// start, so `--period month` loops forever.
#[test]
fn period_buckets_at_the_ends_of_time() {
    // Timestamps are read in years 1 to 9999 (see the test above); these are its first and
    // last days.
    for text in ["253402300799", "-62135596800"] {
        let at = utc(text);
        for period in [Period::Day, Period::Week, Period::Month] {
            let bucket = period.bucket_of(at, Tz::UTC);
            assert_holds(&bucket, at);
        }
    }
}
