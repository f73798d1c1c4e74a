//! Business hours: weekly opening intervals in a time zone, minus holidays, and the
//! arithmetic of business time between instants (exact to the microsecond, DST-correct).
//!
//! A shift belongs to the local day it starts on: `22:00-06:00` on Monday runs into Tuesday
//! morning, and a holiday cancels the shifts that start on it.

use std::collections::HashSet;
use std::sync::Mutex;

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, Offset, TimeZone};
use chrono_tz::Tz;

use crate::time::{Instant, MICROS_PER_SECOND, local_to_instant, start_of_local_day, to_datetime};

const SECONDS_PER_DAY: u32 = 86_400;
const MICROS_PER_DAY: i64 = 86_400 * MICROS_PER_SECOND;
/// How far `add_business` looks ahead before giving up (a schedule with almost no hours):
/// about ten years, in whole weeks.
const MAX_WEEKS_AHEAD: i64 = 523;
/// Spans shorter than this are walked day by day; longer ones go by whole weeks.
const WALK_AT_MOST: i64 = 28 * MICROS_PER_DAY;

#[derive(Debug)]
pub struct Schedule {
    pub name: String,
    pub tz: Tz,
    /// Per weekday (Monday first): shifts as local seconds from midnight, `[start, end)`;
    /// `end` beyond 86,400 runs into the next day.
    week: [Vec<(u32, u32)>; 7],
    holidays: HashSet<NaiveDate>,
    /// (month, day) holidays that recur every year.
    yearly: HashSet<(u32, u32)>,
    /// The business time of a week without holidays or clock changes, in microseconds.
    plain_week: i64,
    /// Business time per week, summed, for the weeks asked about so far (see `WeekTable`).
    weeks: Mutex<WeekTable>,
}

impl Clone for Schedule {
    fn clone(&self) -> Schedule {
        Schedule {
            name: self.name.clone(),
            tz: self.tz,
            week: self.week.clone(),
            holidays: self.holidays.clone(),
            yearly: self.yearly.clone(),
            plain_week: self.plain_week,
            weeks: Mutex::new(WeekTable::default()),
        }
    }
}

/// Equal settings (the table of weeks is a cache of them).
impl PartialEq for Schedule {
    fn eq(&self, other: &Schedule) -> bool {
        self.name == other.name
            && self.tz == other.tz
            && self.week == other.week
            && self.holidays == other.holidays
            && self.yearly == other.yearly
    }
}

/// Business time summed week by week over a range of weeks, filled in as queries reach
/// further: a ticket open for centuries (or thousands of tickets open since 1970) costs a
/// lookup, not a walk over every day. Week `k` starts on the Monday `k` weeks after
/// 1970-01-05, at the start of that local day.
#[derive(Debug, Default)]
struct WeekTable {
    /// The first week held.
    first: i64,
    /// `sums[i]`: business microseconds in weeks `first .. first + i`.
    sums: Vec<i64>,
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
                    "holiday \"{text}\" is neither YYYY-MM-DD nor MM-DD"
                )));
            }
        }
        let mut schedule = Schedule {
            name: name.to_owned(),
            tz,
            week: shifts,
            holidays: fixed,
            yearly,
            plain_week: 0,
            weeks: Mutex::new(WeekTable::default()),
        };
        schedule.plain_week = schedule.measure_plain_week();
        Ok(schedule)
    }

    /// A week of the same shifts in UTC without holidays, walked: what every week whose
    /// days are no holidays and whose clock does not change takes.
    fn measure_plain_week(&self) -> i64 {
        let plain = Schedule {
            name: String::new(),
            tz: Tz::UTC,
            week: self.week.clone(),
            holidays: HashSet::new(),
            yearly: HashSet::new(),
            plain_week: 0,
            weeks: Mutex::new(WeekTable::default()),
        };
        plain.walk(plain.week_start(0), plain.week_start(1))
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
        self.business_micros(from, to) as f64 / MICROS_PER_SECOND as f64
    }

    /// Business microseconds in `[from, to)`: the partial weeks at either end walked day by
    /// day, the whole weeks between from the table.
    fn business_micros(&self, from: Instant, to: Instant) -> i64 {
        if to <= from {
            return 0;
        }
        if to - from <= WALK_AT_MOST {
            return self.walk(from, to);
        }
        let (first, last) = (self.week_of(from) + 1, self.week_of(to));
        if last <= first {
            return self.walk(from, to);
        }
        self.walk(from, self.week_start(first))
            + self.weeks_sum(first, last)
            + self.walk(self.week_start(last), to)
    }

    /// Business microseconds in `[from, to)`, shift by shift.
    fn walk(&self, from: Instant, to: Instant) -> i64 {
        if to <= from {
            return 0;
        }
        let days = (self.local_date(to) - self.local_date(from)).num_days();
        self.open_intervals(from, days)
            .take_while(|(start, _)| *start < to)
            .map(|(start, end)| end.min(to) - start)
            .sum()
    }

    /// The instant at which `seconds` of business time have passed since `from`; `None` if
    /// the schedule has no hours within about ten years.
    pub fn add_business(&self, from: Instant, seconds: f64) -> Option<Instant> {
        let wanted = (seconds * MICROS_PER_SECOND as f64).round() as i64;
        // Within the rest of this week, shift by shift.
        let first = self.week_of(from) + 1;
        let first_start = self.week_start(first);
        if let Some(at) = self.add_walking(from, wanted, first_start) {
            return Some(at);
        }
        let remaining = wanted - self.walk(from, first_start);
        // The week in which it is reached, from the table; then shift by shift in it.
        let weeks = self.weeks_sums(first, first + MAX_WEEKS_AHEAD);
        // The first week whose end reaches it (with nothing left to add: the first week
        // with any open time, where the old walk would have stopped too).
        let reached = weeks.partition_point(|sum| *sum < remaining.max(1));
        if reached == weeks.len() {
            return None;
        }
        let full = reached.checked_sub(1)?;
        let week = first + i64::try_from(full).ok()?;
        let week_start = self.week_start(week);
        self.add_walking(
            week_start,
            remaining - weeks[full],
            self.week_start(week + 1),
        )
    }

    /// `wanted` microseconds of business time after `from`, if reached before `until`.
    fn add_walking(&self, from: Instant, wanted: i64, until: Instant) -> Option<Instant> {
        let days = (self.local_date(until) - self.local_date(from)).num_days();
        let mut remaining = wanted;
        for (start, end) in self.open_intervals(from, days) {
            if start >= until {
                break;
            }
            let end = end.min(until);
            if remaining <= end - start {
                return Some(start + remaining);
            }
            remaining -= end - start;
        }
        None
    }

    /// The Monday of week `k` (see `WeekTable`).
    fn monday(week: i64) -> NaiveDate {
        let epoch = NaiveDate::from_ymd_opt(1970, 1, 5).unwrap_or_default();
        epoch
            .checked_add_signed(Duration::days(week.saturating_mul(7)))
            .unwrap_or(if week < 0 {
                NaiveDate::MIN
            } else {
                NaiveDate::MAX
            })
    }

    fn week_start(&self, week: i64) -> Instant {
        start_of_local_day(Self::monday(week), self.tz)
    }

    /// The week that holds `at`.
    fn week_of(&self, at: Instant) -> i64 {
        let date = self.local_date(at);
        let monday = date - Duration::days(i64::from(date.weekday().num_days_from_monday()));
        let week = (monday - Self::monday(0)).num_days().div_euclid(7);
        // Near a fold the local date can be a day ahead of the week's start.
        if at < self.week_start(week) {
            week - 1
        } else {
            week
        }
    }

    /// Whether week `k` takes the plain week's business time: no holiday on its days or the
    /// Sunday before (whose night shift runs into it), and the same UTC offset from a day
    /// before it to a day after it (checked every 24 hours; no zone has changed its clock
    /// and back within a day).
    fn is_plain(&self, week: i64, start: Instant, end: Instant) -> bool {
        let monday = Self::monday(week);
        let holiday = (-1..7).any(|day| self.is_holiday(monday + Duration::days(day)));
        if holiday {
            return false;
        }
        let offset = |at: Instant| {
            self.tz
                .offset_from_utc_datetime(&to_datetime(at).naive_utc())
                .fix()
                .local_minus_utc()
        };
        let first = offset(start - MICROS_PER_DAY);
        let mut at = start;
        while at < end + MICROS_PER_DAY {
            if offset(at) != first {
                return false;
            }
            at += MICROS_PER_DAY;
        }
        offset(end + MICROS_PER_DAY) == first
    }

    fn week_micros(&self, week: i64) -> i64 {
        let (start, end) = (self.week_start(week), self.week_start(week + 1));
        if self.is_plain(week, start, end) {
            self.plain_week
        } else {
            self.walk(start, end)
        }
    }

    /// Business microseconds in the whole weeks `first .. last`.
    fn weeks_sum(&self, first: i64, last: i64) -> i64 {
        let mut table = self
            .weeks
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        self.cover(&mut table, first, last);
        let at = |week: i64| table.sums[usize::try_from(week - table.first).unwrap_or(0)];
        at(last) - at(first)
    }

    /// For weeks `first ..= last`: the business microseconds from the start of `first` to
    /// the start of each (so the first is 0).
    fn weeks_sums(&self, first: i64, last: i64) -> Vec<i64> {
        let mut table = self
            .weeks
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        self.cover(&mut table, first, last);
        let from = usize::try_from(first - table.first).unwrap_or(0);
        let to = usize::try_from(last - table.first).unwrap_or(0);
        let base = table.sums[from];
        table.sums[from..=to].iter().map(|sum| sum - base).collect()
    }

    /// Extends the table to hold the sums of weeks `first ..= last`, by at least as many weeks
    /// as it holds already, up to a century (so that growing it costs each week about once).
    fn cover(&self, table: &mut WeekTable, first: i64, last: i64) {
        if table.sums.is_empty() {
            table.first = first;
            table.sums.push(0);
        }
        let held = (table.sums.len() as i64 - 1).min(5_218);
        let table_end = table.first + table.sums.len() as i64 - 1;
        if last > table_end {
            let until = last.max(table_end + held);
            for week in table_end..until {
                let next = table.sums[table.sums.len() - 1] + self.week_micros(week);
                table.sums.push(next);
            }
        }
        if first < table.first {
            let from = first.min(table.first - held);
            let mut earlier = vec![0i64];
            for week in from..table.first {
                let next = earlier[earlier.len() - 1] + self.week_micros(week);
                earlier.push(next);
            }
            let shift = earlier.pop().unwrap_or(0);
            earlier.extend(table.sums.iter().map(|sum| sum + shift));
            table.sums = earlier;
            table.first = from;
        }
    }
}

/// `HH:MM-HH:MM` as seconds from midnight; an end at or before the start runs overnight.
fn parse_interval(text: &str) -> Result<(u32, u32), ScheduleError> {
    let bad = || ScheduleError(format!("interval \"{text}\" is not HH:MM-HH:MM"));
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
mod tests;
