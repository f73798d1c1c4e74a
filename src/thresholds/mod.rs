//! Thresholds that fail a run: `--fail-if 'EXPR'` and `[[alerts]]` in ticketkpi.toml.
//!
//! A condition (`[SCOPE:] KPI OP VALUE`, see [`grammar`]) names a KPI by its path in the JSON
//! report's KPI block, checked against the built-in schema ([`kpi_path`]), and is evaluated
//! on the report's JSON value: the overall block, or the group its scope names. It *holds*
//! (the desk is in trouble), is *clear*, or is *unknown*: the KPI is null (the input cannot
//! support it, or nothing was measured) or the group is not in the report.

pub mod grammar;
pub mod kpi_path;

use serde_json::Value;

use crate::metrics::group::Dimension;
use crate::names::Named;
use crate::report::text;
use grammar::{Op, Unit};
use kpi_path::Kind;

/// A checked condition: its KPI path exists in the KPI block and compares a number.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    /// As written, for messages.
    pub text: String,
    pub scope: Vec<(Dimension, String)>,
    pub path: Vec<String>,
    pub op: Op,
    pub value: f64,
    pub unit: Unit,
    pub kind: Kind,
}

impl std::str::FromStr for Condition {
    type Err = String;

    fn from_str(text: &str) -> Result<Condition, String> {
        let parsed = grammar::parse(text)?;
        let kind = kpi_path::check(&parsed.path)?;
        Ok(Condition {
            text: text.trim().to_owned(),
            scope: parsed.scope,
            path: parsed.path,
            op: parsed.op,
            value: parsed.value,
            unit: parsed.unit,
            kind,
        })
    }
}

/// A condition with where it comes from: an `[[alerts]]` name, or `--fail-if`.
#[derive(Debug, Clone, PartialEq)]
pub struct Threshold {
    pub name: Option<String>,
    pub condition: Condition,
}

/// What a condition says of a report.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    Holds(f64),
    Clear(f64),
    /// Why it cannot be told.
    Unknown(String),
}

impl Condition {
    /// Refuses a scope that cannot name exactly one group of a report grouped `by`.
    pub fn check_scope(&self, by: &[Dimension]) -> Result<(), String> {
        if self.scope.is_empty() {
            return Ok(());
        }
        let names = |dimensions: &mut dyn Iterator<Item = Dimension>| {
            dimensions.map(Named::as_str).collect::<Vec<_>>().join(", ")
        };
        if let Some((missing, _)) = self.scope.iter().find(|(d, _)| !by.contains(d)) {
            return Err(format!(
                "the scope names {}, but the report's groups are by {}: add --by {}",
                missing.as_str(),
                names(&mut by.iter().copied()),
                missing.as_str()
            ));
        }
        if self.scope.len() != by.len() {
            return Err(format!(
                "the report's groups are by {}: the scope must give a value of each \
                 (e.g. \"{}: ...\")",
                names(&mut by.iter().copied()),
                by.iter()
                    .map(|d| format!("{}=...", d.as_str()))
                    .collect::<Vec<_>>()
                    .join(",")
            ));
        }
        Ok(())
    }

    /// The condition on `report`, the JSON value of a `Report`.
    pub fn evaluate(&self, report: &Value) -> Verdict {
        let Some(block) = self.block(report) else {
            return Verdict::Unknown(format!("the report has no group {}", self.scope_text()));
        };
        let value = self
            .path
            .iter()
            .try_fold(block, |value, member| value.get(member));
        match value.and_then(Value::as_f64) {
            Some(value) if self.op.holds(value, self.value) => Verdict::Holds(value),
            Some(value) => Verdict::Clear(value),
            None => Verdict::Unknown(self.why_null(report)),
        }
    }

    /// The KPI block the condition reads: `overall`, or the group of its scope.
    fn block<'r>(&self, report: &'r Value) -> Option<&'r Value> {
        if self.scope.is_empty() {
            return report.get("overall");
        }
        report
            .get("groups")?
            .as_array()?
            .iter()
            .find(|group| {
                self.scope.iter().all(|(dimension, value)| {
                    group
                        .get("by")
                        .and_then(|by| by.get(dimension.as_str()))
                        .and_then(Value::as_str)
                        .is_some_and(|group_value| group_value.to_lowercase() == *value)
                })
            })?
            .get("kpis")
    }

    /// Why the KPI is null: the reason `availability` gives for the longest KPI key the path
    /// starts with, else that nothing was measured.
    fn why_null(&self, report: &Value) -> String {
        let path = self.path.join(".");
        let reason = report
            .get("availability")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter(|entry| {
                entry
                    .get("kpi")
                    .and_then(Value::as_str)
                    .is_some_and(|kpi| path == kpi || path.starts_with(&format!("{kpi}.")))
            })
            .filter_map(|entry| entry.get("reason").and_then(Value::as_str))
            .max_by_key(|reason| reason.len());
        match reason {
            Some(reason) => format!("{path} is null: {reason}"),
            None => format!("{path} is null (nothing to measure it on)"),
        }
    }

    pub fn scope_text(&self) -> String {
        self.scope
            .iter()
            .map(|(dimension, value)| format!("{}={value}", dimension.as_str()))
            .collect::<Vec<_>>()
            .join(",")
    }

    /// `value` as the condition's VALUE was written (a duration, a percentage), with the
    /// report's own number beside it when they differ.
    pub fn show(&self, value: f64) -> String {
        let unit = match (self.unit, self.kind) {
            (Unit::Number, Kind::Duration) => Unit::Duration,
            (Unit::Number, Kind::Rate) => Unit::Percent,
            (unit, _) => unit,
        };
        // The report's number to six decimals: enough to find it in the JSON.
        let raw = (value * 1e6).round() / 1e6;
        match unit {
            Unit::Number => format!("{raw}"),
            Unit::Percent => format!("{} ({raw})", text::percent(Some(value))),
            Unit::Duration => format!("{} ({raw} s)", text::duration(value)),
        }
    }
}

/// The outcome of every threshold of a run.
#[derive(Debug, Default)]
pub struct Outcome {
    /// One line per condition that holds: name, condition, the KPI's value.
    pub holding: Vec<String>,
    /// One line per condition that cannot be told, with why.
    pub unknown: Vec<String>,
    pub total: usize,
}

/// Thresholds held (or, under `--fail-on-unknown`, could not be told) after the report was
/// written: exit code 4. Each was printed to stderr before.
#[derive(Debug, thiserror::Error)]
#[error("{failing} of {total} thresholds failed the run (exit code 4); the report was written")]
pub struct ThresholdFailure {
    pub failing: usize,
    pub total: usize,
}

impl Outcome {
    /// The failure this outcome is, if any.
    pub fn failure(&self, fail_on_unknown: bool) -> Option<ThresholdFailure> {
        let failing = self.holding.len()
            + if fail_on_unknown {
                self.unknown.len()
            } else {
                0
            };
        (failing > 0).then_some(ThresholdFailure {
            failing,
            total: self.total,
        })
    }
}

/// Every threshold on `report`.
pub fn evaluate_all(thresholds: &[Threshold], report: &Value) -> Outcome {
    let mut outcome = Outcome {
        total: thresholds.len(),
        ..Outcome::default()
    };
    for threshold in thresholds {
        let condition = &threshold.condition;
        let label = match &threshold.name {
            Some(name) => format!("alert \"{name}\" ({})", condition.text),
            None => format!("--fail-if '{}'", condition.text),
        };
        match condition.evaluate(report) {
            Verdict::Holds(value) => outcome.holding.push(format!(
                "{label} holds: {} is {}",
                condition.path.join("."),
                condition.show(value)
            )),
            Verdict::Clear(_) => {}
            Verdict::Unknown(why) => outcome.unknown.push(format!("{label} is unknown: {why}")),
        }
    }
    outcome
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn condition(text: &str) -> Condition {
        text.parse().unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    fn report() -> Value {
        json!({
            "availability": [
                { "kpi": "csat", "reason": "the export has no column 'Satisfaction'" },
                { "kpi": "backlog", "reason": null }
            ],
            "overall": {
                "backlog": { "open": 45 },
                "first_response": { "median": 1800.0, "p90": 20000.0 },
                "sla": { "first_reply": { "attainment": 0.83 } },
                "csat": null
            },
            "groups": [
                { "by": { "channel": "email" },
                  "kpis": { "first_response": { "p90": 18720.0 } } },
                { "by": { "channel": null }, "kpis": { "first_response": { "p90": 5.0 } } }
            ]
        })
    }

    #[test]
    fn a_condition_holds_or_is_clear_on_the_overall_block() {
        assert_eq!(
            condition("backlog.open > 40").evaluate(&report()),
            Verdict::Holds(45.0)
        );
        assert_eq!(
            condition("backlog.open > 50").evaluate(&report()),
            Verdict::Clear(45.0)
        );
        assert_eq!(
            condition("sla.first_reply.attainment < 90%").evaluate(&report()),
            Verdict::Holds(0.83)
        );
        assert_eq!(
            condition("first_response.median >= 30m").evaluate(&report()),
            Verdict::Holds(1800.0)
        );
    }

    #[test]
    fn a_scope_reads_its_group() {
        let slow = condition("channel=email: first_response.p90 > 4h");
        assert_eq!(slow.evaluate(&report()), Verdict::Holds(18720.0));
        let chat = condition("channel=chat: first_response.p90 > 4h");
        assert_eq!(
            chat.evaluate(&report()),
            Verdict::Unknown("the report has no group channel=chat".to_owned())
        );
    }

    #[test]
    fn a_null_kpi_is_unknown_with_the_reason_the_report_gives() {
        let Verdict::Unknown(why) = condition("csat.rate < 80%").evaluate(&report()) else {
            panic!("a null KPI is unknown");
        };
        assert_eq!(
            why,
            "csat.rate is null: the export has no column 'Satisfaction'"
        );
        let Verdict::Unknown(why) = condition("fcr.rate < 50%").evaluate(&report()) else {
            panic!("an absent KPI is unknown");
        };
        assert!(why.contains("fcr.rate is null"), "{why}");
    }

    #[test]
    fn a_scope_must_name_the_report_dimensions() {
        let scoped = condition("channel=email: backlog.open > 1");
        assert_eq!(scoped.check_scope(&[Dimension::Channel]), Ok(()));
        let error = scoped
            .check_scope(&[Dimension::Agent])
            .expect_err("not grouped");
        assert!(error.contains("add --by channel"), "{error}");
        let error = scoped
            .check_scope(&[Dimension::Channel, Dimension::Priority])
            .expect_err("ambiguous");
        assert!(error.contains("channel=...,priority=..."), "{error}");
        assert_eq!(condition("backlog.open > 1").check_scope(&[]), Ok(()));
    }

    #[test]
    fn values_are_shown_as_the_condition_writes_them() {
        assert_eq!(
            condition("first_response.p90 > 4h").show(18720.0),
            "5h 12m (18720 s)"
        );
        assert_eq!(condition("csat.rate < 90%").show(0.825), "82.5% (0.825)");
        // A bare number on a rate or a duration still shows it readably.
        assert_eq!(condition("csat.rate < 0.9").show(0.5), "50.0% (0.5)");
        assert_eq!(condition("backlog.open > 4").show(45.0), "45");
    }

    #[test]
    fn evaluate_all_lists_what_holds_and_what_is_unknown() {
        let thresholds = [
            Threshold {
                name: Some("big backlog".to_owned()),
                condition: condition("backlog.open > 40"),
            },
            Threshold {
                name: None,
                condition: condition("backlog.open > 100"),
            },
            Threshold {
                name: None,
                condition: condition("csat.rate < 80%"),
            },
        ];
        let outcome = evaluate_all(&thresholds, &report());
        assert_eq!(outcome.total, 3);
        assert_eq!(
            outcome.holding,
            ["alert \"big backlog\" (backlog.open > 40) holds: backlog.open is 45"]
        );
        assert_eq!(outcome.unknown.len(), 1);
        assert!(outcome.unknown[0].starts_with("--fail-if 'csat.rate < 80%' is unknown"));
    }
}
