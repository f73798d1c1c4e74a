//! `parse_timestamp` on arbitrary text in a few awkward time zones.
//!
//! The first byte chooses the zone; the rest is the text. Whatever parses must format back
//! (RFC 3339, UTC) to text that parses to the same instant, where the year has four digits,
//! and lie in its own day, week and month bucket, which is also the bucket of its start.

#![no_main]

use chrono_tz::Tz;
use libfuzzer_sys::fuzz_target;
use ticketkpi::time::{Period, format_rfc3339, parse_timestamp};
use ticketkpi_fuzz::ZONES;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, text)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(text) else {
        return;
    };
    let tz = ZONES[usize::from(selector) % ZONES.len()];
    let Ok(at) = parse_timestamp(text, tz) else {
        return;
    };
    let formatted = format_rfc3339(at);
    if formatted.as_bytes().get(4) == Some(&b'-') {
        assert_eq!(
            parse_timestamp(&formatted, Tz::UTC),
            Ok(at),
            "{text:?} in {tz} -> {formatted}"
        );
    }
    // What --period does with the instant of a ticket created then.
    for period in [Period::Day, Period::Week, Period::Month] {
        let bucket = period.bucket_of(at, tz);
        assert!(
            bucket.start <= at && at < bucket.end,
            "{period:?} of {formatted} in {tz}: {bucket:?}"
        );
        assert_eq!(
            period.bucket_of(bucket.start, tz),
            bucket,
            "{period:?} of {formatted} in {tz}: the bucket of its start differs"
        );
    }
});
