//! Turning numbers into text for people (durations, percentages, counts), and input values
//! into text for a terminal.

/// `45s`, `12m 5s`, `1h 23m`, `2d 4h`: two units at most, the precision a reader can use.
pub fn duration(seconds: f64) -> String {
    if !seconds.is_finite() {
        return "n/a".to_owned();
    }
    let sign = if seconds < 0.0 { "-" } else { "" };
    let total = seconds.abs().round() as u64;
    let (days, hours, minutes, secs) = (
        total / 86_400,
        total % 86_400 / 3600,
        total % 3600 / 60,
        total % 60,
    );
    let text = if days > 0 {
        format!("{days}d {hours}h")
    } else if hours > 0 {
        format!("{hours}h {minutes}m")
    } else if minutes > 0 {
        format!("{minutes}m {secs}s")
    } else {
        format!("{secs}s")
    };
    format!("{sign}{text}")
}

pub fn opt_duration(seconds: Option<f64>) -> String {
    seconds.map_or_else(not_available, duration)
}

/// A 0..1 rate as a percentage with one decimal.
pub fn percent(rate: Option<f64>) -> String {
    rate.map_or_else(not_available, |rate| format!("{:.1}%", rate * 100.0))
}

pub fn decimal(value: Option<f64>, places: usize) -> String {
    value.map_or_else(not_available, |value| format!("{value:.places$}"))
}

/// A signed decimal, for changes and NPS (`+25`, `-0.12`).
pub fn signed(value: Option<f64>, places: usize) -> String {
    value.map_or_else(not_available, |value| format!("{value:+.places$}"))
}

/// `12,345`: thousands separated, for counts a reader compares at a glance.
pub fn count(value: u64) -> String {
    let digits = value.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

pub fn not_available() -> String {
    "n/a".to_owned()
}

/// A value from the input shown on a terminal (the policy: [`super::escape::terminal`]).
pub fn sanitize(value: &str) -> String {
    super::escape::terminal(value).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_are_humanised_to_two_units() {
        assert_eq!(duration(0.0), "0s");
        assert_eq!(duration(45.4), "45s");
        assert_eq!(duration(725.0), "12m 5s");
        assert_eq!(duration(4980.0), "1h 23m");
        assert_eq!(duration(187_200.0), "2d 4h");
        assert_eq!(duration(-90.0), "-1m 30s");
        assert_eq!(opt_duration(None), "n/a");
    }

    #[test]
    fn rates_and_counts() {
        assert_eq!(percent(Some(0.8333)), "83.3%");
        assert_eq!(percent(None), "n/a");
        assert_eq!(count(0), "0");
        assert_eq!(count(1234), "1,234");
        assert_eq!(count(1_234_567), "1,234,567");
        assert_eq!(signed(Some(25.0), 0), "+25");
        assert_eq!(signed(Some(-0.125), 2), "-0.12");
    }

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(sanitize("chat\u{1b}[31m"), "chat\\u{1b}[31m");
        assert_eq!(sanitize("plain"), "plain");
        assert_eq!(sanitize("rtl\u{202e}"), "rtl\\u{202e}");
    }
}
