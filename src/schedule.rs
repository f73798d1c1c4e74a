//! Business hours: weekly opening intervals in a time zone, minus holidays, and the
//! arithmetic of business time between instants (exact to the microsecond, DST-correct).
//!
//! A shift belongs to the local day it starts on: `22:00-06:00` on Monday runs into Tuesday
//! morning, and a holiday cancels the shifts that start on it.

use std::collections::HashSet;

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime};
use chrono_tz::Tz;

use crate::time::{Instant, MICROS_PER_SECOND, local_to_instant, to_datetime};

const SECONDS_PER_DAY: u32 = 86_400;
/// How far `add_business` looks ahead before giving up (a schedule with almost no hours).
const MAX_DAYS_AHEAD: i64 = 3_660;

#[derive(Debug, Clone, PartialEq)]
pub struct Schedule {
    pub name: String,
    pub tz: Tz,
    /// Per weekday (Monday first): shifts as local seconds from midnight, `[start, end)`;
    /// `end` beyond 86,400 runs into the next day.
    week: [Vec<(u32, u32)>; 7],
    holidays: HashSet<NaiveDate>,
    /// (month, day) holidays that recur every year.
    yearly: HashSet<(u32, u32)>,
}

/// A malformed schedule setting; the caller names the schedule.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ScheduleError(pub String);

impl Schedule {
    /// `week`: for Monday..Sunday, intervals like `09:00-12:00`, `13:00-17:30`, `22:00-06:00`
    /// (overnight). `holidays`: `YYYY-MM-DD`, or `MM-DD` for every year.
    pub fn new(
        name: &str,
        tz: Tz,
        week: [Vec<String>; 7],
        holidays: &[String],
    ) -> Result<Schedule, ScheduleError> {
        let mut shifts: [Vec<(u32, u32)>; 7] = Default::default();
        for (day, intervals) in week.iter().enumerate() {
            for interval in intervals {
                shifts[day].push(parse_interval(interval)?);
            }
            shifts[day].sort_unstable();
        }
        let mut fixed = HashSet::new();
        let mut yearly = HashSet::new();
        for holiday in holidays {
            let text = holiday.trim();
            if let Ok(date) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
                fixed.insert(date);
            } else if let Some((month, day)) = text.split_once('-')
                && let (Ok(month), Ok(day)) = (month.parse::<u32>(), day.parse::<u32>())
                && NaiveDate::from_ymd_opt(2024, month, day).is_some()
            {
                yearly.insert((month, day));
            } else {
                return Err(ScheduleError(format!(
                    "holiday {text:?} is neither YYYY-MM-DD nor MM-DD"
                )));
            }
        }
        Ok(Schedule {
            name: name.to_owned(),
            tz,
            week: shifts,
            holidays: fixed,
            yearly,
        })
    }

    pub fn is_holiday(&self, date: NaiveDate) -> bool {
        self.holidays.contains(&date) || self.yearly.contains(&(date.month(), date.day()))
    }

    fn local_date(&self, at: Instant) -> NaiveDate {
        to_datetime(at).with_timezone(&self.tz).date_naive()
    }

    /// The shifts that start on `date`, as instants.
    fn shifts_of(&self, date: NaiveDate) -> impl Iterator<Item = (Instant, Instant)> + '_ {
        let shifts: &[(u32, u32)] = if self.is_holiday(date) {
            &[]
        } else {
            &self.week[date.weekday().num_days_from_monday() as usize]
        };
        shifts.iter().map(move |(start, end)| {
            (
                self.local_instant(date, *start),
                self.local_instant(date, *end),
            )
        })
    }

    /// `seconds` after local midnight of `date`. A wall-clock time skipped by DST is taken as
    /// the first instant after the gap.
    fn local_instant(&self, date: NaiveDate, seconds: u32) -> Instant {
        let mut naive = NaiveDateTime::from(date) + Duration::seconds(i64::from(seconds));
        for _ in 0..16 {
            if let Ok(at) = local_to_instant(naive, self.tz) {
                return at;
            }
            naive += Duration::minutes(15);
        }
        naive.and_utc().timestamp_micros()
    }

    /// Open time from `from` on, as disjoint intervals in order: shifts start in order (days
    /// in order, each day's shifts sorted), so overlapping ones, such as an overnight shift
    /// running into the next morning's, are merged with a cursor.
    fn open_intervals(
        &self,
        from: Instant,
        days: i64,
    ) -> impl Iterator<Item = (Instant, Instant)> + '_ {
        // A shift that started the day before may still run.
        let first = self.local_date(from) - Duration::days(1);
        let mut covered_until = from;
        (0..=days + 1)
            .map(move |offset| first + Duration::days(offset))
            .flat_map(move |date| self.shifts_of(date))
            .filter_map(move |(start, end)| {
                let start = start.max(covered_until);
                if end <= start {
                    return None;
                }
                covered_until = end;
                Some((start, end))
            })
    }

    /// Business seconds in `[from, to)`; zero when `to <= from`.
    pub fn business_seconds(&self, from: Instant, to: Instant) -> f64 {
        if to <= from {
            return 0.0;
        }
        let days = (self.local_date(to) - self.local_date(from)).num_days();
        let total: i64 = self
            .open_intervals(from, days)
            .take_while(|(start, _)| *start < to)
            .map(|(start, end)| end.min(to) - start)
            .sum();
        total as f64 / MICROS_PER_SECOND as f64
    }

    /// The instant at which `seconds` of business time have passed since `from`; `None` if
    /// the schedule has no hours within ten years.
    pub fn add_business(&self, from: Instant, seconds: f64) -> Option<Instant> {
        let mut remaining = (seconds * MICROS_PER_SECOND as f64).round() as i64;
        for (start, end) in self.open_intervals(from, MAX_DAYS_AHEAD) {
            if remaining <= end - start {
                return Some(start + remaining);
            }
            remaining -= end - start;
        }
        None
    }
}

/// `HH:MM-HH:MM` as seconds from midnight; an end at or before the start runs overnight.
fn parse_interval(text: &str) -> Result<(u32, u32), ScheduleError> {
    let bad = || ScheduleError(format!("interval {text:?} is not HH:MM-HH:MM"));
    let (start, end) = text.split_once('-').ok_or_else(bad)?;
    let start = clock_seconds(start.trim()).ok_or_else(bad)?;
    let end = clock_seconds(end.trim()).ok_or_else(bad)?;
    if start >= SECONDS_PER_DAY {
        return Err(bad());
    }
    Ok(if end <= start {
        (start, end + SECONDS_PER_DAY)
    } else {
        (start, end)
    })
}

/// `HH:MM` (up to `24:00`) as seconds from midnight.
fn clock_seconds(text: &str) -> Option<u32> {
    let (hours, minutes) = text.split_once(':')?;
    let hours: u32 = hours.parse().ok()?;
    let minutes: u32 = minutes.parse().ok().filter(|m| *m < 60)?;
    let seconds = hours * 3600 + minutes * 60;
    (seconds <= SECONDS_PER_DAY).then_some(seconds)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::DateTime;
    use proptest::prelude::*;

    fn at(text: &str) -> Instant {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .timestamp_micros()
    }

    fn weekdays(intervals: &[&str]) -> [Vec<String>; 7] {
        let day: Vec<String> = intervals.iter().map(|i| (*i).to_owned()).collect();
        [
            day.clone(),
            day.clone(),
            day.clone(),
            day.clone(),
            day,
            Vec::new(),
            Vec::new(),
        ]
    }

    fn office(tz: &str, holidays: &[&str]) -> Schedule {
        let holidays: Vec<String> = holidays.iter().map(|h| (*h).to_owned()).collect();
        Schedule::new(
            "office",
            tz.parse().unwrap(),
            weekdays(&["09:00-12:00", "13:00-17:30"]),
            &holidays,
        )
        .unwrap()
    }

    const HOUR: f64 = 3600.0;

    #[test]
    fn several_intervals_a_day_and_weekends() {
        let schedule = office("UTC", &[]);
        // Friday 2026-03-06 10:00 to Monday 2026-03-09 10:00: Fri 2h + 4.5h, Mon 1h.
        assert_eq!(
            schedule.business_seconds(at("2026-03-06T10:00:00Z"), at("2026-03-09T10:00:00Z")),
            7.5 * HOUR
        );
        // Lunch break and evening are closed.
        assert_eq!(
            schedule.business_seconds(at("2026-03-06T12:10:00Z"), at("2026-03-06T12:50:00Z")),
            0.0
        );
        assert_eq!(
            schedule.business_seconds(at("2026-03-07T08:00:00Z"), at("2026-03-08T20:00:00Z")),
            0.0,
            "weekend"
        );
    }

    #[test]
    fn holidays_fixed_and_yearly() {
        let schedule = office("UTC", &["2026-12-24", "12-25"]);
        // Thu 24 and Fri 25 December 2026 are holidays; the week has Mon-Wed only.
        assert_eq!(
            schedule.business_seconds(at("2026-12-21T00:00:00Z"), at("2026-12-28T00:00:00Z")),
            3.0 * 7.5 * HOUR
        );
        assert!(schedule.is_holiday(NaiveDate::from_ymd_opt(2031, 12, 25).unwrap()));
    }

    #[test]
    fn dst_changes_in_berlin_and_new_york() {
        // A 24/7 schedule counts the real length of the day: 23 h when DST starts.
        let always = Schedule::new(
            "always",
            "Europe/Berlin".parse().unwrap(),
            std::array::from_fn(|_| vec!["00:00-24:00".to_owned()]),
            &[],
        )
        .unwrap();
        assert_eq!(
            always.business_seconds(at("2026-03-28T23:00:00Z"), at("2026-03-29T22:00:00Z")),
            23.0 * HOUR,
            "Sunday 29 March 2026 has 23 hours in Berlin"
        );
        assert_eq!(
            always.business_seconds(at("2026-10-24T22:00:00Z"), at("2026-10-25T23:00:00Z")),
            25.0 * HOUR,
            "Sunday 25 October 2026 has 25 hours"
        );
        // Office hours follow the wall clock across the change: 09:00 New York is 14:00 UTC
        // before 8 March 2026 and 13:00 UTC after.
        let new_york = office("America/New_York", &[]);
        assert_eq!(
            new_york.business_seconds(at("2026-03-06T14:00:00Z"), at("2026-03-06T17:00:00Z")),
            3.0 * HOUR
        );
        assert_eq!(
            new_york.business_seconds(at("2026-03-09T13:00:00Z"), at("2026-03-09T16:00:00Z")),
            3.0 * HOUR
        );
        assert_eq!(
            new_york.business_seconds(at("2026-03-06T14:00:00Z"), at("2026-03-09T16:00:00Z")),
            (7.5 + 3.0) * HOUR
        );
    }

    #[test]
    fn an_interval_crossing_midnight() {
        let night = Schedule::new(
            "night",
            Tz::UTC,
            weekdays(&["22:00-06:00"]),
            &["2026-03-03".to_owned()],
        )
        .unwrap();
        // Monday's shift runs to Tuesday 06:00.
        assert_eq!(
            night.business_seconds(at("2026-03-02T23:00:00Z"), at("2026-03-03T05:00:00Z")),
            6.0 * HOUR
        );
        // Tuesday is a holiday: no shift starts Tuesday night.
        assert_eq!(
            night.business_seconds(at("2026-03-03T12:00:00Z"), at("2026-03-04T12:00:00Z")),
            0.0
        );
        // Friday's shift runs into Saturday morning.
        assert_eq!(
            night.business_seconds(at("2026-03-07T00:00:00Z"), at("2026-03-08T00:00:00Z")),
            6.0 * HOUR
        );
    }

    #[test]
    fn adding_business_time_finds_the_due_instant() {
        let schedule = office("UTC", &[]);
        // Friday 16:30 + 2 h of business time: 1 h on Friday, 1 h on Monday morning.
        assert_eq!(
            schedule.add_business(at("2026-03-06T16:30:00Z"), 2.0 * HOUR),
            Some(at("2026-03-09T10:00:00Z"))
        );
        let closed = Schedule::new("never", Tz::UTC, Default::default(), &[]).unwrap();
        assert_eq!(closed.add_business(at("2026-03-06T16:30:00Z"), 60.0), None);
    }

    #[test]
    fn malformed_settings_are_explained() {
        let bad = |interval: &str| {
            let mut week: [Vec<String>; 7] = Default::default();
            week[0].push(interval.to_owned());
            Schedule::new("x", Tz::UTC, week, &[]).unwrap_err().0
        };
        assert!(bad("9-17").contains("HH:MM-HH:MM"));
        assert!(bad("09:00-25:00").contains("HH:MM-HH:MM"));
        assert!(bad("09:60-10:00").contains("HH:MM-HH:MM"));
        let holiday = Schedule::new("x", Tz::UTC, Default::default(), &["Christmas".to_owned()]);
        assert!(holiday.unwrap_err().0.contains("Christmas"));
    }

    fn schedules() -> impl Strategy<Value = Schedule> {
        let zones = prop::sample::select(vec![
            "UTC",
            "Europe/Berlin",
            "America/New_York",
            "Australia/Lord_Howe",
        ]);
        let interval = (
            0u32..24,
            prop::sample::select(vec![0u32, 30]),
            0u32..25,
            prop::sample::select(vec![0u32, 30]),
        )
            .prop_map(|(h1, m1, h2, m2)| {
                format!(
                    "{h1:02}:{m1:02}-{:02}:{:02}",
                    h2,
                    if h2 == 24 { 0 } else { m2 }
                )
            });
        let day = prop::collection::vec(interval, 0..3);
        (
            zones,
            prop::collection::vec(day, 7),
            prop::collection::vec(0u32..28, 0..3),
        )
            .prop_filter_map("valid schedule", |(zone, days, holidays)| {
                let week: [Vec<String>; 7] = std::array::from_fn(|i| days[i].clone());
                let holidays: Vec<String> = holidays
                    .iter()
                    .map(|d| format!("2026-03-{:02}", d + 1))
                    .collect();
                Schedule::new("p", zone.parse().ok()?, week, &holidays).ok()
            })
    }

    proptest! {
        #[test]
        fn business_time_is_additive_bounded_and_never_negative(
            schedule in schedules(),
            a in 0i64..(60 * 86_400),
            b in 0i64..(60 * 86_400),
            c in 0i64..(60 * 86_400),
        ) {
            let base = at("2026-02-20T00:00:00Z");
            let mut points = [a, b, c].map(|s| base + s * MICROS_PER_SECOND);
            points.sort_unstable();
            let [a, b, c] = points;
            let ab = schedule.business_seconds(a, b);
            let bc = schedule.business_seconds(b, c);
            let ac = schedule.business_seconds(a, c);
            prop_assert!(ab >= 0.0 && bc >= 0.0);
            prop_assert!((ac - (ab + bc)).abs() < 1e-6, "{ac} != {ab} + {bc}");
            prop_assert!(ac <= (c - a) as f64 / MICROS_PER_SECOND as f64 + 1e-6);
            prop_assert_eq!(schedule.business_seconds(c, a), 0.0);
        }

        #[test]
        fn adding_then_measuring_gives_back_the_duration(
            schedule in schedules(),
            start in 0i64..(30 * 86_400),
            hours in 0.0f64..80.0,
        ) {
            let from = at("2026-02-20T00:00:00Z") + start * MICROS_PER_SECOND;
            if let Some(due) = schedule.add_business(from, hours * 3600.0) {
                let measured = schedule.business_seconds(from, due);
                prop_assert!((measured - hours * 3600.0).abs() < 1e-3, "{measured} vs {}", hours * 3600.0);
            }
        }
    }
}
