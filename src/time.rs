//! Instants, the timestamp formats of the canonical event log, and calendar periods.
//!
//! An instant is an `i64` count of microseconds since the Unix epoch (UTC): exact for every
//! format we accept, cheap to store per event, and trivially ordered.

use chrono::{DateTime, Datelike, Duration, LocalResult, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;

use crate::names::{self, Named, UnknownName};

/// Microseconds since 1970-01-01T00:00:00Z.
pub type Instant = i64;

pub const MICROS_PER_SECOND: i64 = 1_000_000;
pub const SECONDS_PER_DAY: f64 = 86_400.0;

/// Seconds from `start` to `end` (negative when `end` is earlier).
pub fn seconds_between(start: Instant, end: Instant) -> f64 {
    (end - start) as f64 / MICROS_PER_SECOND as f64
}

pub fn from_datetime<Z: TimeZone>(dt: &DateTime<Z>) -> Instant {
    dt.timestamp_micros()
}

pub fn to_datetime(at: Instant) -> DateTime<Utc> {
    DateTime::from_timestamp_micros(at).unwrap_or(DateTime::<Utc>::MIN_UTC)
}

/// RFC 3339 in UTC, with fractional seconds only when there are any.
pub fn format_rfc3339(at: Instant) -> String {
    let dt = to_datetime(at);
    if at.rem_euclid(MICROS_PER_SECOND) == 0 {
        dt.format("%Y-%m-%dT%H:%M:%SZ").to_string()
    } else {
        dt.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
    }
}

/// Why a timestamp was refused; the caller adds the file, line and value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TimestampError {
    Unparseable,
    /// A local time that the time zone skips (the hour lost when DST starts).
    NonexistentLocal(Tz),
}

/// Parses the formats of the contract:
/// `YYYY-MM-DD[T ]HH:MM:SS[.f...]` followed by `Z` or `±HH:MM`; the same without an offset
/// (also `YYYY-MM-DD HH:MM`), read in `tz`; or integer Unix seconds.
///
/// Hand-written because it runs once per row of multi-gigabyte exports and must accept exactly
/// these shapes and nothing else (chrono's parsers are either stricter or more permissive).
pub fn parse_timestamp(text: &str, tz: Tz) -> Result<Instant, TimestampError> {
    parse_any(text, tz).and_then(|at| {
        // Years 1 to 9999: durations between any two instants then fit in i64 microseconds.
        (EARLIEST..=LATEST)
            .contains(&at)
            .then_some(at)
            .ok_or(TimestampError::Unparseable)
    })
}

/// 0001-01-01T00:00:00Z and 9999-12-31T23:59:59.999999Z.
pub const EARLIEST: Instant = -62_135_596_800 * MICROS_PER_SECOND;
pub const LATEST: Instant = 253_402_300_800 * MICROS_PER_SECOND - 1;

/// The longest duration read from an input (a first reply, resolution or handle time):
/// 100 years of 365.25 days. Longer is no help desk's measurement but a unit or column
/// mistake, and with timestamps in years 1 to 9999 it keeps every duration and every instant
/// derived from one exact (far from f64's and u64's limits).
pub const MAX_DURATION_SECONDS: f64 = 3_155_760_000.0;

fn parse_any(text: &str, tz: Tz) -> Result<Instant, TimestampError> {
    let bytes = text.as_bytes();
    let digits_from = usize::from(bytes.first() == Some(&b'-'));
    if bytes.len() > digits_from && bytes[digits_from..].iter().all(u8::is_ascii_digit) {
        return parse_unix_seconds(text);
    }
    let (naive, rest) = parse_naive(bytes).ok_or(TimestampError::Unparseable)?;
    match rest {
        [] => local_to_instant(naive, tz),
        [b'Z' | b'z'] => Ok(naive.and_utc().timestamp_micros()),
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let hours = two_digits(*h1, *h2).filter(|h| *h <= 23);
            let minutes = two_digits(*m1, *m2).filter(|m| *m <= 59);
            let (Some(hours), Some(minutes)) = (hours, minutes) else {
                return Err(TimestampError::Unparseable);
            };
            let offset_micros = i64::from(hours * 3600 + minutes * 60) * MICROS_PER_SECOND;
            let utc = naive.and_utc().timestamp_micros();
            Ok(if *sign == b'+' {
                utc - offset_micros
            } else {
                utc + offset_micros
            })
        }
        _ => Err(TimestampError::Unparseable),
    }
}

fn parse_unix_seconds(text: &str) -> Result<Instant, TimestampError> {
    text.parse::<i64>()
        .ok()
        .and_then(|secs| secs.checked_mul(MICROS_PER_SECOND))
        .filter(|micros| DateTime::from_timestamp_micros(*micros).is_some())
        .ok_or(TimestampError::Unparseable)
}

/// Reads `YYYY-MM-DD[T ]HH:MM[:SS[.f...]]` and returns what follows it.
/// Minutes-only precision is accepted only without an offset, as the contract says.
fn parse_naive(b: &[u8]) -> Option<(NaiveDateTime, &[u8])> {
    if b.len() < 16 || b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b't' | b' ') {
        return None;
    }
    let year = i32::try_from(digits(&b[0..4])?).ok()?;
    let month = digits(&b[5..7])?;
    let day = digits(&b[8..10])?;
    if b[13] != b':' {
        return None;
    }
    let hour = digits(&b[11..13])?;
    let minute = digits(&b[14..16])?;
    let mut rest = &b[16..];
    let mut second = 0;
    let mut micros = 0;
    if let [b':', s1, s2, tail @ ..] = rest {
        second = two_digits(*s1, *s2)?;
        rest = tail;
        if let [b'.', tail @ ..] = rest {
            let count = tail.iter().take_while(|c| c.is_ascii_digit()).count();
            if count == 0 {
                return None;
            }
            // Keep microsecond precision; further digits are below what we store.
            let kept = &tail[..count.min(6)];
            micros = digits(kept)? * 10u32.pow(6 - kept.len() as u32);
            rest = &tail[count..];
        }
    } else if !rest.is_empty() {
        return None;
    }
    let date = NaiveDate::from_ymd_opt(year, month, day)?;
    let time = chrono::NaiveTime::from_hms_micro_opt(hour, minute, second, micros)?;
    Some((NaiveDateTime::new(date, time), rest))
}

fn digits(b: &[u8]) -> Option<u32> {
    b.iter().try_fold(0u32, |acc, c| {
        c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
    })
}

fn two_digits(a: u8, b: u8) -> Option<u32> {
    digits(&[a, b])
}

/// A wall-clock time in `tz`. In the repeated hour when DST ends the earlier instant is taken
/// (what a help desk that logs local time without offset most likely meant first).
pub fn local_to_instant(naive: NaiveDateTime, tz: Tz) -> Result<Instant, TimestampError> {
    match tz.from_local_datetime(&naive) {
        LocalResult::Single(dt) | LocalResult::Ambiguous(dt, _) => Ok(dt.timestamp_micros()),
        LocalResult::None => Err(TimestampError::NonexistentLocal(tz)),
    }
}

/// Calendar buckets for `--period`, in the report's time zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Period {
    Day,
    /// ISO weeks, starting on Monday.
    Week,
    Month,
    /// Calendar quarters: January, April, July and October first.
    Quarter,
}

impl Named for Period {
    const ALL: &'static [Period] = &[Period::Day, Period::Week, Period::Month, Period::Quarter];
    const WHAT: &'static str = "period";

    /// The name `--period` takes.
    fn as_str(self) -> &'static str {
        match self {
            Period::Day => "day",
            Period::Week => "week",
            Period::Month => "month",
            Period::Quarter => "quarter",
        }
    }
}

impl std::str::FromStr for Period {
    type Err = UnknownName;

    fn from_str(text: &str) -> Result<Period, UnknownName> {
        names::parse(text)
    }
}

/// One calendar bucket: `[start, end)` plus its label (`2026-03-02`, `2026-W10`, `2026-03`,
/// `2026-Q1`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PeriodBucket {
    pub label: String,
    pub start: Instant,
    pub end: Instant,
}

impl Period {
    /// The bucket that contains `at`. Buckets tile time: each starts where the one before it
    /// ends (see [`start_of_local_day`]), so an instant whose wall clock went back over
    /// midnight belongs to the period it lies in, whatever its local date says.
    pub fn bucket_of(self, at: Instant, tz: Tz) -> PeriodBucket {
        let local_date = to_datetime(at).with_timezone(&tz).date_naive();
        let mut first_day = self.first_day(local_date);
        // The local date is off by at most a day near a fold; a step or two puts it right.
        for _ in 0..4 {
            let next = self.next_first_day(first_day);
            if at < start_of_local_day(first_day, tz) {
                first_day = first_day
                    .pred_opt()
                    .map_or(first_day, |day| self.first_day(day));
            } else if at >= start_of_local_day(next, tz) {
                first_day = next;
            } else {
                break;
            }
        }
        let next = self.next_first_day(first_day);
        let start = start_of_local_day(first_day, tz);
        let end = start_of_local_day(next, tz);
        PeriodBucket {
            label: self.label(first_day),
            // Only if the steps above did not converge, which no zone does (a property test
            // walks every zone): the bucket must still hold its instant.
            start: start.min(at),
            end: end.max(at + 1),
        }
    }

    /// The first day of the period that holds `date`.
    fn first_day(self, date: NaiveDate) -> NaiveDate {
        match self {
            Period::Day => date,
            Period::Week => date
                .checked_sub_signed(Duration::days(i64::from(
                    date.weekday().num_days_from_monday(),
                )))
                .unwrap_or(date),
            Period::Month => date.with_day(1).unwrap_or(date),
            Period::Quarter => {
                let month = (date.month0() / 3) * 3 + 1;
                NaiveDate::from_ymd_opt(date.year(), month, 1).unwrap_or(date)
            }
        }
    }

    /// The first day of the next period (saturating at the end of the calendar, which
    /// timestamps, limited to years 1 to 9999, never reach).
    fn next_first_day(self, first_day: NaiveDate) -> NaiveDate {
        match self {
            Period::Day => first_day.succ_opt(),
            Period::Week => first_day.checked_add_signed(Duration::days(7)),
            Period::Month => first_day.checked_add_months(chrono::Months::new(1)),
            Period::Quarter => first_day.checked_add_months(chrono::Months::new(3)),
        }
        .unwrap_or(NaiveDate::MAX)
    }

    fn label(self, first_day: NaiveDate) -> String {
        match self {
            Period::Day => first_day.format("%Y-%m-%d").to_string(),
            Period::Week => {
                let week = first_day.iso_week();
                format!("{}-W{:02}", week.year(), week.week())
            }
            Period::Month => first_day.format("%Y-%m").to_string(),
            Period::Quarter => format!("{}-Q{}", first_day.year(), first_day.month0() / 3 + 1),
        }
    }

    /// How many periods from the one holding `first` to the one holding `last`, both
    /// included (by local dates, so it may be one off near a fold): what `--period` would
    /// list, known before any is made.
    pub fn count(self, first: Instant, last: Instant, tz: Tz) -> u64 {
        let date = |at: Instant| to_datetime(at).with_timezone(&tz).date_naive();
        let (from, to) = (
            self.first_day(date(first)),
            self.first_day(date(last.max(first))),
        );
        let periods = match self {
            Period::Day => (to - from).num_days(),
            Period::Week => (to - from).num_days() / 7,
            Period::Month => months_between(from, to),
            Period::Quarter => months_between(from, to) / 3,
        };
        u64::try_from(periods).unwrap_or(0) + 1
    }
}

/// Whole months from the month of `from` to the month of `to`.
fn months_between(from: NaiveDate, to: NaiveDate) -> i64 {
    i64::from(to.year() - from.year()) * 12 + i64::from(to.month()) - i64::from(from.month())
}

/// The first instant of `date` in `tz`, where the day before ends: just after the last
/// instant whose local date is earlier. Usually local midnight. Where clocks go back over
/// midnight (St. John's until 2011: 00:01 back to 23:01), the day begins at the second
/// midnight, after the repeated evening; where midnight repeats because clocks go back at
/// 01:00 (Havana, 2018-11-04), at the first, so the repeated hour is all the new day's. Where
/// a zone change skips midnight or a whole day (Samoa 2011-12-30), at the first wall-clock
/// time that exists; a skipped day is empty, starting where the next one does.
///
/// Days defined this way tile time exactly, and so do the weeks and months made of them.
pub fn start_of_local_day(date: NaiveDate, tz: Tz) -> Instant {
    let last_moment = date
        .pred_opt()
        .and_then(|day| day.and_hms_micro_opt(23, 59, 59, 999_999));
    match last_moment.map(|naive| tz.from_local_datetime(&naive)) {
        Some(LocalResult::Single(dt) | LocalResult::Ambiguous(_, dt)) => dt.timestamp_micros() + 1,
        // The day before ends in a gap: this day begins where the gap does.
        _ => first_existing_time(date, tz),
    }
}

/// The first occurrence of the first wall-clock time of `date` that exists in `tz` (a
/// minute after the other: zone changes are on whole minutes).
fn first_existing_time(date: NaiveDate, tz: Tz) -> Instant {
    let mut naive = date.and_hms_opt(0, 0, 0).unwrap_or_default();
    // A skipped stretch is at most a day (Samoa 2011, Kiritimati 1994), plus its offset.
    for _ in 0..(3 * 24 * 60) {
        match tz.from_local_datetime(&naive) {
            LocalResult::Single(dt) | LocalResult::Ambiguous(dt, _) => {
                return dt.timestamp_micros();
            }
            LocalResult::None => naive += Duration::minutes(1),
        }
    }
    naive.and_utc().timestamp_micros()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn utc(text: &str) -> Result<Instant, TimestampError> {
        parse_timestamp(text, Tz::UTC)
    }

    fn at(text: &str) -> Instant {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .timestamp_micros()
    }

    #[test]
    fn accepts_every_documented_shape() {
        let expected = at("2026-03-01T10:20:30Z");
        assert_eq!(utc("2026-03-01T10:20:30Z"), Ok(expected));
        assert_eq!(utc("2026-03-01 10:20:30Z"), Ok(expected));
        assert_eq!(utc("2026-03-01T10:20:30"), Ok(expected));
        assert_eq!(utc("2026-03-01T12:20:30+02:00"), Ok(expected));
        assert_eq!(utc("2026-03-01T08:20:30-02:00"), Ok(expected));
        assert_eq!(utc("1772360430"), Ok(expected));
        assert_eq!(
            utc("-60"),
            Ok(-60_000_000),
            "before 1970 is still an integer"
        );
        assert_eq!(utc("2026-03-01 10:20"), Ok(at("2026-03-01T10:20:00Z")));
        assert_eq!(
            utc("2026-03-01T10:20:30.25Z"),
            Ok(expected + 250_000),
            "fractional seconds are kept"
        );
        assert_eq!(
            utc("2026-03-01T10:20:30.123456789Z"),
            Ok(expected + 123_456)
        );
    }

    #[test]
    fn rejects_everything_else() {
        for bad in [
            "",
            "2026-13-01 10:00",
            "2026-02-30T10:00:00Z",
            "2026-03-01",
            "2026-03-01T25:00:00Z",
            "2026-03-01T10:00:00+0200",
            "2026-03-01T10:00Z",
            "2026-03-01T10:00:00.Z",
            "03/01/2026 10:00",
            "2026-03-01T10:00:00 UTC",
            "-",
            "1.5",
            "99999999999999999999",
            "8000000000000",
            "-8000000000000",
            "10000-01-01T00:00:00Z",
        ] {
            assert_eq!(utc(bad), Err(TimestampError::Unparseable), "{bad:?}");
        }
    }

    #[test]
    fn naive_times_are_read_in_the_given_zone() {
        let berlin: Tz = "Europe/Berlin".parse().unwrap();
        assert_eq!(
            parse_timestamp("2026-01-15 10:00:00", berlin),
            Ok(at("2026-01-15T09:00:00Z"))
        );
        assert_eq!(
            parse_timestamp("2026-07-15 10:00:00", berlin),
            Ok(at("2026-07-15T08:00:00Z")),
            "summer time"
        );
        assert_eq!(
            parse_timestamp("2026-03-29 02:30:00", berlin),
            Err(TimestampError::NonexistentLocal(berlin)),
            "skipped hour"
        );
        assert_eq!(
            parse_timestamp("2026-10-25 02:30:00", berlin),
            Ok(at("2026-10-25T00:30:00Z")),
            "repeated hour: the earlier instant"
        );
        assert_eq!(
            parse_timestamp("2026-01-15T10:00:00Z", berlin),
            Ok(at("2026-01-15T10:00:00Z")),
            "an explicit offset wins over --tz"
        );
    }

    #[test]
    fn periods_bucket_in_the_report_zone() {
        let week = Period::Week.bucket_of(at("2026-03-04T12:00:00Z"), Tz::UTC);
        assert_eq!(week.label, "2026-W10");
        assert_eq!(week.start, at("2026-03-02T00:00:00Z"));
        assert_eq!(week.end, at("2026-03-09T00:00:00Z"));
        let tokyo: Tz = "Asia/Tokyo".parse().unwrap();
        let day = Period::Day.bucket_of(at("2026-03-31T20:00:00Z"), tokyo);
        assert_eq!(day.label, "2026-04-01");
        let month = Period::Month.bucket_of(at("2026-03-31T20:00:00Z"), tokyo);
        assert_eq!(month.label, "2026-04");
        assert_eq!(month.start, at("2026-03-31T15:00:00Z"));
    }

    #[test]
    fn formats_utc() {
        assert_eq!(
            format_rfc3339(at("2026-03-01T10:20:30Z")),
            "2026-03-01T10:20:30Z"
        );
        assert_eq!(
            format_rfc3339(at("2026-03-01T10:20:30Z") + 5),
            "2026-03-01T10:20:30.000005Z"
        );
    }

    /// Walks the buckets from the one holding `from` until one starts at `until` or later:
    /// each must start where the one before ended (no gap, no overlap), be non-empty, hold
    /// the instant before its end, and come later in label order.
    fn assert_tiles(period: Period, tz: Tz, from: Instant, until: Instant) -> Result<(), String> {
        let mut bucket = period.bucket_of(from, tz);
        let mut walked = 0;
        while bucket.start < until {
            let show = |b: &PeriodBucket| {
                format!(
                    "{} [{}, {})",
                    b.label,
                    format_rfc3339(b.start),
                    format_rfc3339(b.end)
                )
            };
            if bucket.start >= bucket.end {
                return Err(format!("{tz}: empty {}", show(&bucket)));
            }
            if period.bucket_of(bucket.end - 1, tz) != bucket {
                return Err(format!(
                    "{tz}: its last instant is not in {}",
                    show(&bucket)
                ));
            }
            let next = period.bucket_of(bucket.end, tz);
            if next.start != bucket.end || next.label <= bucket.label {
                return Err(format!("{tz}: {} then {}", show(&bucket), show(&next)));
            }
            bucket = next;
            walked += 1;
        }
        if walked == 0 {
            return Err(format!("{tz}: nothing walked"));
        }
        Ok(())
    }

    fn new_year(year: i32, tz: Tz) -> Instant {
        start_of_local_day(NaiveDate::from_ymd_opt(year, 1, 1).unwrap(), tz)
    }

    #[test]
    fn periods_tile_time_where_dst_changes_at_midnight() {
        // Havana: clocks went back from 01:00 to 00:00 on 2018-11-04, so midnight came twice.
        let havana = Tz::America__Havana;
        let day = Period::Day.bucket_of(at("2018-11-04T04:30:00Z"), havana);
        assert_eq!(day.label, "2018-11-04", "00:30, the first time round");
        assert_eq!(day.start, at("2018-11-04T04:00:00Z"), "the first midnight");
        let before = Period::Day.bucket_of(day.start - 1, havana);
        assert_eq!(before.label, "2018-11-03");
        assert_eq!(
            before.end, day.start,
            "the day before ends where this one starts"
        );
        assert_eq!(
            Period::Day
                .bucket_of(at("2018-11-04T05:30:00Z"), havana)
                .label,
            "2018-11-04",
            "00:30, the second time round"
        );
        for period in Period::ALL.iter().copied() {
            assert_tiles(
                period,
                havana,
                new_year(2018, havana),
                new_year(2019, havana),
            )
            .unwrap();
        }
    }

    #[test]
    fn quarters_are_calendar_quarters_in_the_report_zone() {
        let q1 = Period::Quarter.bucket_of(at("2026-03-31T12:00:00Z"), Tz::UTC);
        assert_eq!(q1.label, "2026-Q1");
        assert_eq!(q1.start, at("2026-01-01T00:00:00Z"));
        assert_eq!(q1.end, at("2026-04-01T00:00:00Z"));
        // 20:00 UTC on 31 March is already 1 April in Tokyo: the second quarter there.
        let tokyo: Tz = "Asia/Tokyo".parse().unwrap();
        let q2 = Period::Quarter.bucket_of(at("2026-03-31T20:00:00Z"), tokyo);
        assert_eq!(q2.label, "2026-Q2");
        assert_eq!(q2.start, at("2026-03-31T15:00:00Z"));
        let q4 = Period::Quarter.bucket_of(at("2025-12-31T23:59:59Z"), Tz::UTC);
        assert_eq!(
            (q4.label.as_str(), q4.end),
            ("2025-Q4", at("2026-01-01T00:00:00Z"))
        );
        assert_eq!(
            Period::Quarter.count(
                at("2025-11-01T00:00:00Z"),
                at("2026-04-01T00:00:00Z"),
                Tz::UTC
            ),
            3,
            "2025-Q4, 2026-Q1, 2026-Q2"
        );
    }

    #[test]
    fn months_tile_time_in_every_zone() {
        for tz in chrono_tz::TZ_VARIANTS {
            assert_tiles(Period::Month, tz, new_year(1970, tz), new_year(2030, tz)).unwrap();
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]
        #[test]
        fn periods_tile_time_in_any_zone_and_year(
            zone in 0..chrono_tz::TZ_VARIANTS.len(),
            year in 1850i32..2100,
            period in prop::sample::select(Period::ALL.to_vec()),
        ) {
            let tz = chrono_tz::TZ_VARIANTS[zone];
            let years = if matches!(period, Period::Month | Period::Quarter) { 10 } else { 1 };
            let tiled = assert_tiles(period, tz, new_year(year, tz), new_year(year + years, tz));
            prop_assert!(tiled.is_ok(), "{}", tiled.unwrap_err());
        }

        #[test]
        fn an_instant_lies_in_its_bucket_and_the_count_agrees(
            zone in 0..chrono_tz::TZ_VARIANTS.len(),
            first in EARLIEST..LATEST,
            span in 0i64..(400 * 86_400 * MICROS_PER_SECOND),
            period in prop::sample::select(Period::ALL.to_vec()),
        ) {
            let tz = chrono_tz::TZ_VARIANTS[zone];
            let last = (first + span).min(LATEST);
            let bucket = period.bucket_of(first, tz);
            prop_assert!(bucket.start <= first && first < bucket.end, "{:?}", bucket);
            // Walking from the first bucket to the last one's takes count - 1 steps, give
            // or take one near a fold.
            let mut steps = 0u64;
            let mut walk = bucket;
            while walk.end <= last {
                walk = period.bucket_of(walk.end, tz);
                steps += 1;
            }
            let count = period.count(first, last, tz);
            prop_assert!(steps + 1 >= count.saturating_sub(1) && steps < count + 1, "{steps} steps, count {count}");
        }
    }
}
