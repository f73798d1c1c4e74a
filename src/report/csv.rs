//! `--format csv`: tidy rows, one per (scope, group, period, metric).
//!
//! The rows are the JSON report flattened (`first_response.median`), so the two formats can
//! never disagree. Columns: `scope` (overall, group or period), one column per `--by`
//! dimension, `period`, `metric`, `value`. Cells from the input are defused against
//! spreadsheet formula injection (the spreadsheet policy of `escape`).
//!
//! A view's section in CSV ([`write_section`]) is its header and rows, label cells defused
//! the same way.

use std::io::{self, Write};

use serde_json::Value;

use super::escape::spreadsheet as defuse_formula;
use super::view::Section;
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
    if let Some(overlap) = &report.groups_overlap {
        // A ticket counts in several groups: say by how much the groups' tickets exceed.
        let counts = serde_json::json!({"groups_overlap": {
            "group_tickets": overlap.group_tickets,
            "tickets": overlap.tickets,
        }});
        emit("overall", &blank_keys, "", counts)?;
    }
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

/// A section as CSV records: its headers, then its rows with every label cell defused
/// (figures stay numbers: `-5` is no formula to a spreadsheet reading a number column).
/// Titles and notes are for people and stay out of the data.
pub fn write_section(section: &Section, out: &mut dyn Write) -> io::Result<()> {
    let mut writer = ::csv::Writer::from_writer(out);
    writer
        .write_record(section.columns.iter().map(|column| &column.header))
        .map_err(csv_io)?;
    for row in &section.rows {
        let cells = row.iter().zip(&section.columns).map(|(cell, column)| {
            if column.figure {
                cell.into()
            } else {
                defuse_formula(cell)
            }
        });
        writer
            .write_record(cells.map(|cell| cell.into_owned()))
            .map_err(csv_io)?;
    }
    writer.flush()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::view::Column;

    #[test]
    fn a_section_is_its_header_and_rows_with_labels_defused() {
        let section = Section::new(
            "ignored",
            vec![Column::label("policy"), Column::figure("met")],
            vec![vec!["=HYPERLINK(1)".to_owned(), "-1".to_owned()]],
        )
        .with_notes(vec!["ignored too".to_owned()]);
        let mut out = Vec::new();
        write_section(&section, &mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "policy,met\n'=HYPERLINK(1),-1\n"
        );
    }
}
