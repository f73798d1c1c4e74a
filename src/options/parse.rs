//! Single values, as the command line and the config file write them, checked and typed.

use chrono::{Duration, NaiveDate};
use chrono_tz::Tz;

use crate::error::BadValue;
use crate::metrics::surveys::CsatScale;
use crate::time::{Instant, TimestampError, parse_timestamp, start_of_local_day};

/// More reading threads than this only add memory (each holds a few 4 MiB chunks in flight)
/// and thread start-up: reading is bound by the booking thread long before.
pub const MAX_THREADS: usize = 64;

pub(super) fn bad(option: &'static str, value: &str, reason: impl Into<String>) -> BadValue {
    BadValue {
        option,
        value: value.to_owned(),
        reason: reason.into(),
    }
}

/// `--tz`: an IANA zone name.
pub fn zone(text: &str) -> Result<Tz, BadValue> {
    text.parse().map_err(|_| {
        bad(
            "tz",
            text,
            "not an IANA time zone name (e.g. Europe/Berlin)",
        )
    })
}

/// A timestamp in any accepted format, or a bare date: its first instant, or with
/// `end_of_day` its last (so `--until 2026-03-31` includes that day).
pub fn instant(
    option: &'static str,
    text: &str,
    tz: Tz,
    end_of_day: bool,
) -> Result<Instant, BadValue> {
    if let Ok(date) = NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d") {
        return Ok(if end_of_day {
            start_of_local_day(date + Duration::days(1), tz) - 1
        } else {
            start_of_local_day(date, tz)
        });
    }
    parse_timestamp(text.trim(), tz).map_err(|error| match error {
        TimestampError::Unparseable => bad(
            option,
            text,
            "expected a date (2026-03-31), a timestamp (2026-03-31T23:59:59Z) or Unix seconds",
        ),
        TimestampError::NonexistentLocal(tz) => bad(
            option,
            text,
            format!("this local time does not exist in {tz}"),
        ),
    })
}

/// `8G`, `512M`, `100K` or bytes; `0` for no limit. `option` names the option in errors.
pub fn size(option: &'static str, text: &str) -> Result<Option<u64>, BadValue> {
    let text = text.trim();
    let (number, unit) = text
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .map_or((text, ""), |at| text.split_at(at));
    let wrong = || bad(option, text, "expected a size such as 8G or 500M");
    let factor: f64 = match unit.trim().to_ascii_uppercase().trim_end_matches('B') {
        "" => 1.0,
        "K" => 1024.0,
        "M" => 1024.0 * 1024.0,
        "G" => 1024.0 * 1024.0 * 1024.0,
        "T" => 1024.0 * 1024.0 * 1024.0 * 1024.0,
        _ => return Err(wrong()),
    };
    let bytes = number
        .parse::<f64>()
        .ok()
        .filter(|n| n.is_finite() && *n >= 0.0)
        .ok_or_else(wrong)?
        * factor;
    Ok((bytes > 0.0).then_some(bytes as u64))
}

/// `--max-memory`, or the default.
pub fn max_memory(given: Option<&str>) -> Result<Option<u64>, BadValue> {
    match given {
        Some(text) => size("max-memory", text),
        None => Ok(memory_limit_of(machine_memory())),
    }
}

/// The default limit: 80% of the machine's memory, leaving room for the rest of the run. No
/// limit where the machine's memory is not known.
fn memory_limit_of(machine: Option<u64>) -> Option<u64> {
    machine.map(|bytes| bytes / 5 * 4)
}

/// The machine's memory as Linux reports it. Other systems have no /proc/meminfo: there the
/// run has no default limit (`--max-memory` sets one), as `--help` says.
fn machine_memory() -> Option<u64> {
    let meminfo = std::fs::read_to_string("/proc/meminfo").ok()?;
    meminfo_total(&meminfo)
}

/// `MemTotal:` of /proc/meminfo, in bytes.
fn meminfo_total(meminfo: &str) -> Option<u64> {
    let kilobytes: u64 = meminfo
        .lines()
        .find_map(|line| line.strip_prefix("MemTotal:"))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    kilobytes.checked_mul(1024)
}

/// `--threads`, or the machine's cores; at most [`MAX_THREADS`].
pub fn threads(given: Option<u16>) -> Result<usize, BadValue> {
    match given.map(usize::from) {
        Some(n) if n > MAX_THREADS => Err(bad(
            "threads",
            &n.to_string(),
            format!("at most {MAX_THREADS} (more only cost memory)"),
        )),
        Some(n) => Ok(n),
        None => Ok(std::thread::available_parallelism()
            .map_or(1, usize::from)
            .min(MAX_THREADS)),
    }
}

pub fn delimiter(text: &str) -> Result<u8, BadValue> {
    match text {
        "tab" | "\\t" | "\t" => Ok(b'\t'),
        _ if text.len() == 1 && text.is_ascii() => Ok(text.as_bytes()[0]),
        _ => Err(bad(
            "delimiter",
            text,
            "expected one ASCII character or `tab`",
        )),
    }
}

pub fn encoding(label: &str) -> Result<&'static encoding_rs::Encoding, BadValue> {
    encoding_rs::Encoding::for_label(label.trim().as_bytes()).ok_or_else(|| {
        bad(
            "encoding",
            label,
            "not a known encoding (try latin1 or windows-1252)",
        )
    })
}

/// What a CSAT scale must look like, for messages.
pub const CSAT_SCALE_EXPECTED: &str = "expected MIN-MAX with MIN < MAX, e.g. 1-5";

/// A CSAT survey scale's ends, `MIN-MAX` (`--csat-scale`, `report.csat_scale`).
pub fn csat_bounds(text: &str) -> Option<(f64, f64)> {
    text.split_once('-')
        .and_then(|(min, max)| {
            Some((
                min.trim().parse::<f64>().ok()?,
                max.trim().parse::<f64>().ok()?,
            ))
        })
        .filter(|(min, max)| min.is_finite() && max.is_finite() && min < max)
}

/// The scale between `min` and `max` whose satisfied scores start at `satisfied`, by default
/// the usual convention: the top two points of a 5-point scale, 8-10 of a 10-point one. The
/// error is the threshold that lies outside the scale, and why.
pub fn csat_scale(
    (min, max): (f64, f64),
    satisfied: Option<f64>,
) -> Result<CsatScale, (f64, String)> {
    let satisfied_min = satisfied.unwrap_or_else(|| (min + 0.75 * (max - min)).ceil());
    if !(min..=max).contains(&satisfied_min) {
        return Err((
            satisfied_min,
            format!("must lie within the scale {min}-{max}"),
        ));
    }
    Ok(CsatScale {
        min,
        max,
        satisfied_min,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_cover_whole_days_in_the_zone() {
        let berlin: Tz = "Europe/Berlin".parse().unwrap();
        let since = instant("since", "2026-03-01", berlin, false).unwrap();
        let until = instant("until", "2026-03-01", berlin, true).unwrap();
        assert_eq!(
            since,
            parse_timestamp("2026-02-28T23:00:00Z", Tz::UTC).unwrap()
        );
        assert_eq!(
            until,
            parse_timestamp("2026-03-01T23:00:00Z", Tz::UTC).unwrap() - 1
        );
        assert!(instant("as-of", "yesterday", berlin, false).is_err());
    }

    #[test]
    fn csat_scale_and_threshold() {
        let scale = |text: &str, satisfied| csat_scale(csat_bounds(text).unwrap(), satisfied);
        assert_eq!(scale("1-5", None).unwrap().satisfied_min, 4.0);
        assert_eq!(scale("1-10", None).unwrap().satisfied_min, 8.0);
        assert_eq!(scale("0-10", None).unwrap().satisfied_min, 8.0);
        assert_eq!(scale("1-7", None).unwrap().satisfied_min, 6.0);
        assert_eq!(scale("1-10", Some(8.0)).unwrap().satisfied_min, 8.0);
        assert_eq!(scale("1-5", Some(9.0)).unwrap_err().0, 9.0);
        assert_eq!(csat_bounds("5-1"), None);
        assert_eq!(csat_bounds("five"), None);
    }

    #[test]
    fn memory_sizes() {
        assert_eq!(size("max-memory", "8G").unwrap(), Some(8 << 30));
        assert_eq!(size("max-memory", "512m").unwrap(), Some(512 << 20));
        assert_eq!(size("max-memory", "1.5GB").unwrap(), Some(3 << 29));
        assert_eq!(size("max-memory", "0").unwrap(), None);
        let error = size("max-record-size", "lots").unwrap_err();
        assert_eq!(error.option, "max-record-size");
    }

    /// Whatever the system the tests run on: the parsing of Linux's report, and the share of
    /// it taken by default.
    #[test]
    fn the_default_memory_limit_is_four_fifths_of_what_linux_reports() {
        let meminfo = "MemTotal:       16303624 kB\nMemFree:         1190404 kB\n";
        assert_eq!(meminfo_total(meminfo), Some(16_303_624 * 1024));
        assert_eq!(meminfo_total("MemFree: 12 kB\n"), None);
        assert_eq!(memory_limit_of(Some(10 << 30)), Some(8 << 30));
        assert_eq!(memory_limit_of(None), None, "unknown memory: no limit");
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn linux_reports_the_machine_memory() {
        assert!(machine_memory().is_some_and(|bytes| bytes > 0));
    }

    #[test]
    fn delimiters() {
        assert_eq!(delimiter(";").unwrap(), b';');
        assert_eq!(delimiter("tab").unwrap(), b'\t');
        assert!(delimiter(";;").is_err());
    }
}
