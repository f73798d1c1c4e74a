//! Business-time arithmetic: unit and property tests.
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

/// Schedules with holidays every year and on fixed dates over the decades the long-span
/// tests cover, in zones with DST (Lord Howe's is half an hour).
fn long_schedules() -> impl Strategy<Value = Schedule> {
    (
        schedules(),
        prop::collection::vec((1u32..13, 1u32..29), 0..4),
        prop::collection::vec((1990i32..2030, 1u32..13, 1u32..29), 0..6),
    )
        .prop_filter_map("valid schedule", |(base, yearly, fixed)| {
            let week: [Vec<String>; 7] = std::array::from_fn(|day| {
                base.week[day]
                    .iter()
                    .map(|(start, end)| {
                        let clock = |s: u32| format!("{:02}:{:02}", s / 3600 % 24, s % 3600 / 60);
                        format!(
                            "{}-{}",
                            clock(*start),
                            if *end == 86_400 {
                                "24:00".to_owned()
                            } else {
                                clock(*end)
                            }
                        )
                    })
                    .collect()
            });
            let holidays: Vec<String> = yearly
                .iter()
                .map(|(m, d)| format!("{m:02}-{d:02}"))
                .chain(fixed.iter().map(|(y, m, d)| format!("{y}-{m:02}-{d:02}")))
                .collect();
            Schedule::new("long", base.tz, week, &holidays).ok()
        })
}

/// What `add_business` did before weeks were summed: every shift for ten years.
fn add_by_walking(schedule: &Schedule, from: Instant, seconds: f64) -> Option<Instant> {
    let mut remaining = (seconds * MICROS_PER_SECOND as f64).round() as i64;
    for (start, end) in schedule.open_intervals(from, 3_660) {
        if remaining <= end - start {
            return Some(start + remaining);
        }
        remaining -= end - start;
    }
    None
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn whole_weeks_at_once_give_what_the_day_walk_gives(
        schedule in long_schedules(),
        from in 0i64..(30 * 365 * 86_400),
        span in (28i64 * 86_400)..(3 * 365 * 86_400),
    ) {
        let base = at("1995-01-01T00:00:00Z");
        let from = base + from * MICROS_PER_SECOND;
        let to = from + span * MICROS_PER_SECOND;
        prop_assert_eq!(schedule.business_micros(from, to), schedule.walk(from, to));
    }

    #[test]
    fn adding_by_weeks_finds_what_walking_finds(
        schedule in long_schedules(),
        from in 0i64..(30 * 365 * 86_400),
        hours in 0.0f64..5_000.0,
    ) {
        let from = at("1995-01-01T00:00:00Z") + from * MICROS_PER_SECOND;
        let walked = add_by_walking(&schedule, from, hours * 3600.0);
        let added = schedule.add_business(from, hours * 3600.0);
        // Both look about ten years ahead; they may disagree only at that horizon.
        if let (Some(walked), Some(added)) = (walked, added) {
            prop_assert_eq!(walked, added);
        } else {
            let horizon = from + 3_600 * 86_400 * MICROS_PER_SECOND;
            prop_assert!(walked.or(added).is_none_or(|at| at > horizon), "{walked:?} vs {added:?}");
        }
    }
}

#[test]
fn tickets_open_for_millennia_take_a_table_lookup() {
    // Office hours in Berlin with three yearly holidays; a hundred tickets open from year
    // 1 to 9999 took 2.7 s each by walking every day.
    let schedule = office("Europe/Berlin", &["01-01", "05-01", "12-25"]);
    let first = at("0001-01-01T00:00:00Z");
    let last = at("9999-12-31T23:59:59Z");
    let started = std::time::Instant::now();
    let seconds = schedule.business_seconds(first, last);
    for offset in 1..100 {
        let other = schedule.business_seconds(first + offset * 3_600_000_000, last);
        assert!(other <= seconds);
    }
    // 7.5 h on each of 260.9 weekdays a year, less 3 x 5/7 holidays on weekdays.
    let years = seconds / (7.5 * HOUR * (365.2425 * 5.0 / 7.0 - 15.0 / 7.0));
    assert!((9_990.0..10_010.0).contains(&years), "{years} years");
    assert!(started.elapsed().as_secs() < 30, "{:?}", started.elapsed());
    // The same over the epoch's first decades, from 2,000 tickets.
    let epoch = at("1970-01-01T00:00:00Z");
    for ticket in 0..2_000 {
        let from = epoch + ticket * 60_000_000;
        assert!(schedule.business_seconds(from, at("2026-03-01T00:00:00Z")) > 0.0);
    }
}
