//! `--baseline PREVIOUS.json`: the report compared with an earlier one of the same schema.
//! Every KPI gets its previous value and change: in the JSON beside each value
//! ([`annotate`]), in the table as an arrow and the delta of each headline KPI ([`table`]),
//! and on the HTML tiles (`report::html::Compared`).

pub mod annotate;
pub mod table;

use std::path::Path;

use serde_json::Value;

use crate::error::BadValue;
use crate::report::SCHEMA_VERSION;
use crate::report::html::Compared;
use crate::report::trend::{self, HEADLINES};

/// The previous report, read and checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Baseline {
    /// As given, for messages and the report's `baseline` member.
    pub file: String,
    /// Its JSON.
    pub report: Value,
}

impl Baseline {
    /// Reads `path`: a JSON report of this tool's schema version, else a usage error that says
    /// what it is.
    pub fn read(path: &Path) -> Result<Baseline, BadValue> {
        let file = path.display().to_string();
        let bad = |reason: String| BadValue {
            option: "baseline",
            value: file.clone(),
            reason,
        };
        let text =
            std::fs::read_to_string(path).map_err(|e| bad(format!("cannot read it: {e}")))?;
        let report: Value = serde_json::from_str(&text).map_err(|e| {
            bad(format!(
                "it is not JSON ({e}); give a report written with --format json"
            ))
        })?;
        check(&report).map_err(bad)?;
        Ok(Baseline { file, report })
    }

    /// The report's `baseline` member.
    pub fn summary(&self) -> Value {
        serde_json::json!({
            "file": self.file,
            "as_of": self.report.get("as_of").cloned().unwrap_or(Value::Null),
            "tool_version": self
                .report
                .pointer("/tool/version")
                .and_then(Value::as_str)
                .unwrap_or_default(),
        })
    }

    /// The file and the moment it described, for headings.
    pub fn label(&self) -> String {
        match self.report.get("as_of").and_then(Value::as_str) {
            Some(at) => format!("{} (as of {})", self.file, trend::readable_instant(at)),
            None => self.file.clone(),
        }
    }

    /// The overall value of each headline KPI in the baseline, by headline id.
    pub fn headline_values(&self) -> Compared {
        Compared {
            label: self.label(),
            previous: HEADLINES
                .iter()
                .map(|kpi| {
                    let value = self
                        .report
                        .pointer(kpi.overall_path)
                        .and_then(Value::as_f64);
                    (kpi.id, value)
                })
                .collect(),
        }
    }
}

/// A report of another schema version means other things by the same names: refused.
fn check(report: &Value) -> Result<(), String> {
    let version = report
        .get("schema_version")
        .filter(|_| report.get("overall").is_some_and(Value::is_object));
    match version.map(Value::as_u64) {
        None => Err(
            "it is no ticketkpi JSON report (no schema_version and overall); give a report \
             written with --format json"
                .to_owned(),
        ),
        Some(Some(version)) if version == u64::from(SCHEMA_VERSION) => Ok(()),
        Some(found) => Err(format!(
            "it is a report of schema_version {}, and this ticketkpi writes version \
             {SCHEMA_VERSION}: their KPIs are not comparable by name (`ticketkpi help json`); \
             write the baseline again with this version",
            found.map_or_else(|| "(not a number)".to_owned(), |v| v.to_string())
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_report_of_this_version_is_a_baseline() {
        let report = json!({ "schema_version": SCHEMA_VERSION, "overall": {} });
        assert_eq!(check(&report), Ok(()));
    }

    #[test]
    fn another_schema_version_is_refused_with_both_versions() {
        let error =
            check(&json!({ "schema_version": 1, "overall": {} })).expect_err("another version");
        assert!(error.contains("schema_version 1"), "{error}");
        assert!(
            error.contains(&format!("writes version {SCHEMA_VERSION}")),
            "{error}"
        );
        let error = check(&json!({ "schema_version": "2", "overall": {} })).expect_err("text");
        assert!(error.contains("(not a number)"), "{error}");
    }

    #[test]
    fn json_that_is_no_report_is_refused() {
        for value in [
            json!([1, 2]),
            json!({ "overall": {} }),
            json!({ "schema_version": 2 }),
        ] {
            let error = check(&value).expect_err("no report");
            assert!(
                error.contains("no ticketkpi JSON report"),
                "{value}: {error}"
            );
        }
    }
}
