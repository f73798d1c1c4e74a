//! The grammar of a threshold: `[SCOPE:] KPI OP VALUE`.
//!
//! - SCOPE: `dimension=value` pairs joined by `,`, one per `--by` dimension
//!   (`channel=email:`, `channel=email,priority=high:`); values as the report's `by` writes
//!   them (lowercase).
//! - KPI: a dotted path of the JSON report's KPI block (`sla.first_reply.attainment`).
//! - OP: `<`, `<=`, `>`, `>=`, `==`, `!=`.
//! - VALUE: a number (`12`, `-0.5`), a percentage (`90%` is 0.9, as the report writes rates)
//!   or a duration (`2h`, `1d 4h`, `90s`: seconds, as the report writes durations).

use crate::metrics::group::Dimension;

/// How a condition compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
    Equal,
    NotEqual,
}

impl Op {
    /// Longest first, so that `<=` is not read as `<` then `=`.
    const SYMBOLS: [(&'static str, Op); 6] = [
        ("<=", Op::LessOrEqual),
        (">=", Op::GreaterOrEqual),
        ("==", Op::Equal),
        ("!=", Op::NotEqual),
        ("<", Op::Less),
        (">", Op::Greater),
    ];

    pub fn symbol(self) -> &'static str {
        Op::SYMBOLS
            .iter()
            .find(|(_, op)| *op == self)
            .map_or("?", |(symbol, _)| symbol)
    }

    pub fn holds(self, left: f64, right: f64) -> bool {
        match self {
            Op::Less => left < right,
            Op::LessOrEqual => left <= right,
            Op::Greater => left > right,
            Op::GreaterOrEqual => left >= right,
            Op::Equal => left == right,
            Op::NotEqual => left != right,
        }
    }
}

/// How the VALUE was written, which is also how the KPI's value is shown beside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Number,
    Percent,
    Duration,
}

/// A condition as written, its parts separated but not yet checked against the report's KPIs.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    pub scope: Vec<(Dimension, String)>,
    pub path: Vec<String>,
    pub op: Op,
    pub value: f64,
    pub unit: Unit,
}

/// Splits `text` into its parts; the error says what is wrong and how it should look.
pub fn parse(text: &str) -> Result<Parsed, String> {
    let (at, op, symbol) = find_op(text).ok_or_else(|| {
        "no comparison: write KPI OP VALUE with OP one of < <= > >= == != \
         (e.g. \"first_response.median > 4h\")"
            .to_owned()
    })?;
    let (left, right) = (&text[..at], &text[at + symbol.len()..]);
    let (scope, kpi) = match left.rsplit_once(':') {
        Some((scope, kpi)) => (parse_scope(scope)?, kpi),
        None => (Vec::new(), left),
    };
    let path = parse_path(kpi.trim())?;
    let (value, unit) = parse_value(right.trim())?;
    Ok(Parsed {
        scope,
        path,
        op,
        value,
        unit,
    })
}

/// The first comparison operator and where it is (a lone `=` is the scope's).
fn find_op(text: &str) -> Option<(usize, Op, &'static str)> {
    text.match_indices(['<', '>', '=', '!'])
        .find_map(|(at, _)| {
            Op::SYMBOLS
                .iter()
                .find(|(symbol, _)| text[at..].starts_with(symbol))
                .map(|(symbol, op)| (at, *op, *symbol))
        })
}

fn parse_scope(text: &str) -> Result<Vec<(Dimension, String)>, String> {
    let mut scope: Vec<(Dimension, String)> = Vec::new();
    for pair in text.split(',') {
        let Some((dimension, value)) = pair.split_once('=') else {
            return Err(format!(
                "the scope \"{}\" is not dimension=value (e.g. \"channel=email: ...\")",
                pair.trim()
            ));
        };
        let dimension: Dimension = dimension
            .trim()
            .parse()
            .map_err(|error| format!("in the scope, {error}"))?;
        let value = value.trim().to_lowercase();
        if value.is_empty() {
            return Err(format!(
                "the scope {}= has no value (e.g. \"{}=email: ...\")",
                crate::names::Named::as_str(dimension),
                crate::names::Named::as_str(dimension)
            ));
        }
        if scope.iter().any(|(known, _)| *known == dimension) {
            return Err(format!(
                "the scope names {} twice",
                crate::names::Named::as_str(dimension)
            ));
        }
        scope.push((dimension, value));
    }
    Ok(scope)
}

fn parse_path(text: &str) -> Result<Vec<String>, String> {
    if text.is_empty() {
        return Err("no KPI before the comparison (e.g. \"backlog.open > 50\")".to_owned());
    }
    let path: Vec<String> = text.split('.').map(str::to_owned).collect();
    let valid = |segment: &String| {
        !segment.is_empty()
            && segment
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '+'))
    };
    match path.iter().find(|segment| !valid(segment)) {
        Some(segment) => Err(format!(
            "\"{text}\" is not a KPI path: \"{segment}\" is not a member name (write the \
             members joined by dots, e.g. \"sla.first_reply.attainment\")"
        )),
        None => Ok(path),
    }
}

/// A number, a percentage or a duration, as the report writes it (fraction, seconds).
fn parse_value(text: &str) -> Result<(f64, Unit), String> {
    if text.is_empty() {
        return Err(
            "no value after the comparison (e.g. \"> 90%\", \"> 4h\", \"> 50\")".to_owned(),
        );
    }
    let finite = |value: f64| value.is_finite().then_some(value);
    if let Some(percent) = text.strip_suffix('%') {
        return percent
            .trim()
            .parse::<f64>()
            .ok()
            .and_then(finite)
            .map(|value| (value / 100.0, Unit::Percent))
            .ok_or_else(|| format!("\"{text}\" is not a percentage (e.g. \"90%\")"));
    }
    if let Some(number) = text.parse::<f64>().ok().and_then(finite) {
        return Ok((number, Unit::Number));
    }
    humantime::parse_duration(text)
        .map(|duration| (duration.as_secs_f64(), Unit::Duration))
        .map_err(|_| {
            format!(
                "\"{text}\" is no number, percentage (\"90%\") or duration (\"4h\", \"1d 4h\", \
                 \"30m\")"
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(text: &str) -> Parsed {
        parse(text).unwrap_or_else(|error| panic!("{text}: {error}"))
    }

    fn error(text: &str) -> String {
        parse(text).expect_err(text)
    }

    #[test]
    fn a_path_an_operator_and_a_number() {
        let condition = parsed("backlog.open > 50");
        assert_eq!(condition.path, ["backlog", "open"]);
        assert_eq!(condition.op, Op::Greater);
        assert_eq!((condition.value, condition.unit), (50.0, Unit::Number));
        assert!(condition.scope.is_empty());
    }

    #[test]
    fn every_operator_and_the_longest_symbol_first() {
        let ops = [
            ("<", Op::Less),
            ("<=", Op::LessOrEqual),
            (">", Op::Greater),
            (">=", Op::GreaterOrEqual),
            ("==", Op::Equal),
            ("!=", Op::NotEqual),
        ];
        for (symbol, op) in ops {
            let condition = parsed(&format!("csat.rate{symbol}0.5"));
            assert_eq!(condition.op, op, "{symbol}");
            assert_eq!(condition.value, 0.5, "{symbol}");
            assert_eq!(op.symbol(), symbol);
        }
    }

    #[test]
    fn operators_compare_as_written() {
        assert!(Op::Less.holds(1.0, 2.0) && !Op::Less.holds(2.0, 2.0));
        assert!(Op::LessOrEqual.holds(2.0, 2.0));
        assert!(Op::Greater.holds(3.0, 2.0) && !Op::Greater.holds(2.0, 2.0));
        assert!(Op::GreaterOrEqual.holds(2.0, 2.0));
        assert!(Op::Equal.holds(2.0, 2.0) && !Op::Equal.holds(2.0, 2.5));
        assert!(Op::NotEqual.holds(2.0, 2.5));
    }

    #[test]
    fn a_percentage_is_a_fraction() {
        let condition = parsed("sla.first_reply.attainment < 90%");
        assert_eq!((condition.value, condition.unit), (0.9, Unit::Percent));
        assert_eq!(parsed("csat.rate < 72.5 %").value, 0.725);
    }

    #[test]
    fn a_duration_is_seconds() {
        assert_eq!(parsed("first_response.median > 2h").value, 7200.0);
        let condition = parsed("first_response.p90 >= 1d 4h");
        assert_eq!(
            (condition.value, condition.unit),
            (100_800.0, Unit::Duration)
        );
        assert_eq!(parsed("aht.mean > 90s").value, 90.0);
        assert_eq!(parsed("aht.mean > 1h30m").value, 5400.0);
    }

    #[test]
    fn negative_and_fractional_numbers() {
        assert_eq!(parsed("sentiment.mean_change < -0.25").value, -0.25);
        assert_eq!(parsed("nps.score<=-10").value, -10.0);
    }

    #[test]
    fn a_scope_names_a_group_of_each_dimension() {
        let condition = parsed("channel=Email: first_response.p90 > 4h");
        assert_eq!(condition.scope, [(Dimension::Channel, "email".to_owned())]);
        assert_eq!(condition.path, ["first_response", "p90"]);
        let pair = parsed("channel=email, priority=high: backlog.open > 3");
        assert_eq!(
            pair.scope,
            [
                (Dimension::Channel, "email".to_owned()),
                (Dimension::Priority, "high".to_owned())
            ]
        );
    }

    #[test]
    fn a_group_value_may_hold_a_colon() {
        let condition = parsed("team=tier:1: backlog.open > 3");
        assert_eq!(condition.scope, [(Dimension::Team, "tier:1".to_owned())]);
    }

    #[test]
    fn mistakes_say_how_a_condition_is_written() {
        assert!(error("backlog.open 50").contains("no comparison"));
        assert!(error("backlog.open =< 50").contains("not a KPI path"));
        assert!(error("channel=email: backlog.open").contains("no comparison"));
        assert!(error("> 50").contains("no KPI"));
        assert!(error("backlog.open >").contains("no value"));
        assert!(error("backlog.open > lots").contains("no number, percentage"));
        assert!(error("csat.rate > ninety%").contains("not a percentage"));
        assert!(error("backlog..open > 1").contains("not a KPI path"));
        assert!(error("weather=rain: backlog.open > 1").contains("dimension"));
        assert!(error("channel: backlog.open > 1").contains("dimension=value"));
        assert!(error("channel=: backlog.open > 1").contains("no value"));
        assert!(error("channel=a,channel=b: backlog.open > 1").contains("twice"));
        assert!(error("backlog.open > inf").contains("no number"));
    }
}
