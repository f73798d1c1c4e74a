//! Instants, the timestamp formats of the canonical event log, and calendar periods.
//!
//! An instant is an `i64` count of microseconds since the Unix epoch (UTC): exact for every
//! format we accept, cheap to store per event, and trivially ordered.

use chrono::{DateTime, Datelike, Duration, LocalResult, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;

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
const EARLIEST: Instant = -62_135_596_800 * MICROS_PER_SECOND;
const LATEST: Instant = 253_402_300_800 * MICROS_PER_SECOND - 1;

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
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Period {
    Day,
    /// ISO weeks, starting on Monday.
    Week,
    Month,
}

/// One calendar bucket: `[start, end)` plus its label (`2026-03-02`, `2026-W10`, `2026-03`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeriodBucket {
    pub label: String,
    pub start: Instant,
    pub end: Instant,
}

impl Period {
    /// The bucket that contains `at`.
    pub fn bucket_of(self, at: Instant, tz: Tz) -> PeriodBucket {
        let local_date = to_datetime(at).with_timezone(&tz).date_naive();
        let first_day = match self {
            Period::Day => local_date,
            Period::Week => local_date
                .checked_sub_signed(Duration::days(i64::from(
                    local_date.weekday().num_days_from_monday(),
                )))
                .unwrap_or(local_date),
            Period::Month => local_date.with_day(1).unwrap_or(local_date),
        };
        let next_first_day = match self {
            Period::Day => first_day.succ_opt(),
            Period::Week => first_day.checked_add_signed(Duration::days(7)),
            Period::Month => first_day.checked_add_months(chrono::Months::new(1)),
        };
        let label = match self {
            Period::Day => first_day.format("%Y-%m-%d").to_string(),
            Period::Week => {
                let week = first_day.iso_week();
                format!("{}-W{:02}", week.year(), week.week())
            }
            Period::Month => first_day.format("%Y-%m").to_string(),
        };
        let start = day_bound(first_day, tz, Bound::First).min(at);
        // The end is the last instant the next period's first wall-clock time occurs: where
        // DST ends around midnight, this period's clock times come round again before it.
        let end = next_first_day.map_or(at + 1, |day| day_bound(day, tz, Bound::Last));
        PeriodBucket {
            label,
            start,
            end: end.max(at + 1),
        }
    }
}

#[derive(Clone, Copy)]
enum Bound {
    First,
    Last,
}

/// The first wall-clock time of `date` that exists in `tz` (midnight, unless a zone change
/// skips it, or the whole day), at its first or last occurrence.
fn day_bound(date: NaiveDate, tz: Tz, bound: Bound) -> Instant {
    let mut naive = date.and_hms_opt(0, 0, 0).unwrap_or_default();
    // A skipped stretch is at most a day (Samoa 2011, Kiritimati 1994), plus its offset.
    for _ in 0..(3 * 24 * 60) {
        match tz.from_local_datetime(&naive) {
            LocalResult::Single(dt) => return dt.timestamp_micros(),
            LocalResult::Ambiguous(first, last) => {
                return match bound {
                    Bound::First => first.timestamp_micros(),
                    Bound::Last => last.timestamp_micros(),
                };
            }
            LocalResult::None => naive += Duration::minutes(1),
        }
    }
    naive.and_utc().timestamp_micros()
}

/// The first instant of `date` in `tz` (local midnight, or the first wall-clock time after
/// it when a zone change skips midnight).
pub fn start_of_local_day(date: NaiveDate, tz: Tz) -> Instant {
    day_bound(date, tz, Bound::First)
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
