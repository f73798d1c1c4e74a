//! `--format csv`: tidy rows, one per (scope, group, period, metric).
//!
//! The rows are the JSON report flattened (`first_response.median`), so the two formats can
//! never disagree. Columns: `scope` (overall, group or period), one column per `--by`
//! dimension, `period`, `metric`, `value`. Cells from the input are defused against
//! spreadsheet formula injection.

use std::io::{self, Write};

use serde_json::Value;

use super::text::defuse_formula;
use super::{Report, csv_io};

pub fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let mut writer = ::csv::Writer::from_writer(out);
    let mut header: Vec<&str> = vec!["scope"];
    header.extend(report.group_by.iter().map(String::as_str));
    header.extend(["period", "metric", "value"]);
    writer.write_record(&header).map_err(csv_io)?;

    let blank_keys = vec![String::new(); report.group_by.len()];
    let mut emit = |scope: &str, keys: &[String], period: &str, kpis: Value| -> io::Result<()> {
        let mut metrics = Vec::new();
        flatten("", &kpis, &mut metrics);
        for (metric, value) in metrics {
            let mut record: Vec<String> = vec![scope.to_owned()];
            record.extend(keys.iter().map(|key| defuse_formula(key).into_owned()));
            record.push(period.to_owned());
            record.push(defuse_formula(&metric).into_owned());
            record.push(value);
            writer.write_record(&record).map_err(csv_io)?;
        }
        Ok(())
    };
    emit("overall", &blank_keys, "", to_value(&report.overall)?)?;
    for group in &report.groups {
        let keys: Vec<String> = report
            .group_by
            .iter()
            .map(|dimension| group.label(dimension).into_owned())
            .collect();
        emit("group", &keys, "", to_value(&group.kpis)?)?;
    }
    for period in &report.periods {
        let backlog = period.backlog_at_end.map_or(Value::Null, Value::from);
        let mut kpis = to_value(&period.kpis)?;
        if let Value::Object(map) = &mut kpis {
            map.insert("backlog_at_end".to_owned(), backlog);
        }
        emit("period", &blank_keys, &period.period, kpis)?;
    }
    writer.flush()
}

fn to_value<T: serde::Serialize>(value: &T) -> io::Result<Value> {
    serde_json::to_value(value).map_err(io::Error::other)
}

/// Leaves of a JSON tree as (dotted path, text); null becomes an empty cell.
fn flatten(prefix: &str, value: &Value, out: &mut Vec<(String, String)>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                let path = if prefix.is_empty() {
                    key.clone()
                } else {
                    format!("{prefix}.{key}")
                };
                flatten(&path, child, out);
            }
        }
        Value::Null => out.push((prefix.to_owned(), String::new())),
        Value::String(text) => out.push((prefix.to_owned(), defuse_formula(text).into_owned())),
        other => out.push((prefix.to_owned(), other.to_string())),
    }
}
