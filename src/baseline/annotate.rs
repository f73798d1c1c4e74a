//! The JSON of a report compared with its baseline: each object of a KPI block (and each
//! period) that holds numbers gets `previous`, its numbers in the baseline by the same names,
//! and `change`, this minus previous (null where either is null). Blocks are matched by what
//! names them: `overall`, a group by its `by`, a period by its label, an SLA policy by its
//! name; a block the baseline lacks gets neither. Maps (`channel_share`) hold values, not
//! members, and are left alone. An additive change: schema_version stays.

use serde_json::{Map, Value};

use crate::thresholds::kpi_path;

/// Adds `previous` and `change` to `current` (a report's JSON) from `baseline`.
pub fn annotate(current: &mut Value, baseline: &Value) {
    if let Some(block) = current.get_mut("overall") {
        block_numbers(block, baseline.get("overall"), &mut Vec::new());
    }
    let list = |name: &str| {
        baseline
            .get(name)
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    let previous_groups = list("groups");
    if let Some(groups) = current.get_mut("groups").and_then(Value::as_array_mut) {
        for group in groups {
            let by = group.get("by").cloned();
            let previous = previous_groups.iter().find(|g| g.get("by") == by.as_ref());
            if let (Some(block), Some(previous)) = (group.get_mut("kpis"), previous) {
                block_numbers(block, previous.get("kpis"), &mut Vec::new());
            }
        }
    }
    let previous_periods = list("periods");
    if let Some(periods) = current.get_mut("periods").and_then(Value::as_array_mut) {
        for period in periods {
            let label = period.get("period").cloned();
            let Some(previous) = previous_periods
                .iter()
                .find(|p| p.get("period") == label.as_ref())
            else {
                continue;
            };
            if let Some(block) = period.get_mut("kpis") {
                block_numbers(block, previous.get("kpis"), &mut Vec::new());
            }
            period_numbers(period, previous);
        }
    }
}

/// A period's own numbers: the backlog at its end and its ages.
fn period_numbers(period: &mut Value, previous: &Value) {
    if let Some(age) = period.get_mut("backlog_age_at_end") {
        numbers_of(age, previous.get("backlog_age_at_end"), |_| true);
    }
    numbers_of(period, Some(previous), |name| name == "backlog_at_end");
}

/// An object of a KPI block at `path` (members from the block), and every object under it.
fn block_numbers(current: &mut Value, previous: Option<&Value>, path: &mut Vec<String>) {
    let Some(object) = current.as_object_mut() else {
        return;
    };
    for (name, value) in object.iter_mut() {
        path.push(name.clone());
        let before = previous.and_then(|p| p.get(name));
        match value {
            Value::Object(_) if !kpi_path::is_map(path) => block_numbers(value, before, path),
            Value::Array(items) => {
                for item in items {
                    // The SLA policies, matched by name.
                    let policy = item.get("policy").cloned();
                    let before = before
                        .and_then(Value::as_array)
                        .and_then(|all| all.iter().find(|p| p.get("policy") == policy.as_ref()));
                    if let Some(before) = before {
                        // Of a policy's members only the overdue backlog is a nullable number.
                        numbers_of(item, Some(before), |name| name == "overdue_backlog");
                    }
                }
            }
            _ => {}
        }
        path.pop();
    }
    let numeric = |name: &str| {
        let mut member = path.clone();
        member.push(name.to_owned());
        kpi_path::check(&member).is_ok()
    };
    numbers_of(current, previous, numeric);
}

/// Adds `previous` and `change` to `object` for its members that are numbers, and those that
/// are null where `numeric` says a number could be.
fn numbers_of(object: &mut Value, previous: Option<&Value>, numeric: impl Fn(&str) -> bool) {
    let Some(members) = object.as_object_mut() else {
        return;
    };
    let previous = previous.and_then(Value::as_object);
    let mut before = Map::new();
    let mut change = Map::new();
    for (name, value) in members.iter() {
        let is_number = value.is_number() || (value.is_null() && numeric(name));
        if !is_number {
            continue;
        }
        let was = previous
            .and_then(|p| p.get(name))
            .filter(|was| was.is_number());
        before.insert(name.clone(), was.cloned().unwrap_or(Value::Null));
        change.insert(
            name.clone(),
            was.map_or(Value::Null, |was| difference(value, was)),
        );
    }
    if !before.is_empty() {
        members.insert("previous".to_owned(), Value::Object(before));
        members.insert("change".to_owned(), Value::Object(change));
    }
}

/// `now - was`: whole when both are counts (a count's change reads as one), else a float;
/// null when `now` is null.
fn difference(now: &Value, was: &Value) -> Value {
    if let (Some(now), Some(was)) = (now.as_i64(), was.as_i64()) {
        return now.checked_sub(was).map_or(Value::Null, Value::from);
    }
    match (now.as_f64(), was.as_f64()) {
        (Some(now), Some(was)) => Value::from(now - was),
        _ => Value::Null,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn report(open: u64, median: Option<f64>, email: u64) -> Value {
        json!({
            "overall": {
                "tickets": 10,
                "volume": { "tickets": 10, "channel_share": { "email": 0.5 } },
                "first_response": { "count": 8, "median": median, "unanswered": 1 },
                "backlog": { "open": open, "age": { "0-1d": open, "30d+": 0 } },
                "sla": { "overdue_backlog": null, "policies": [
                    { "policy": "urgent", "tickets": 2 }, { "policy": "new", "tickets": 1 } ] }
            },
            "groups": [ { "by": { "channel": "email" }, "kpis": { "tickets": email } } ],
            "periods": [ { "period": "2026-W10", "backlog_at_end": open,
                           "backlog_age_at_end": null, "kpis": { "tickets": 3 } } ]
        })
    }

    #[test]
    fn numbers_get_their_previous_value_and_change_beside_them() {
        let mut current = report(45, Some(1800.0), 4);
        let mut baseline = report(40, Some(2400.0), 3);
        if let Some(policies) = baseline.pointer_mut("/overall/sla/policies") {
            *policies = json!([{ "policy": "urgent", "tickets": 5 }]);
        }
        annotate(&mut current, &baseline);
        let overall = &current["overall"];
        assert_eq!(overall["backlog"]["previous"], json!({ "open": 40 }));
        assert_eq!(overall["backlog"]["change"], json!({ "open": 5 }));
        assert_eq!(overall["backlog"]["age"]["change"]["0-1d"], 5);
        assert_eq!(overall["first_response"]["change"]["median"], -600.0);
        // Counts stay whole on both sides.
        assert!(overall["backlog"]["previous"]["open"].is_u64());
        assert!(overall["backlog"]["change"]["open"].is_i64());
        assert_eq!(overall["previous"], json!({ "tickets": 10 }));
        assert_eq!(current["groups"][0]["kpis"]["change"]["tickets"], 1);
        assert_eq!(
            current["periods"][0]["change"],
            json!({ "backlog_at_end": 5 })
        );
        assert_eq!(current["periods"][0]["kpis"]["change"]["tickets"], 0);
        // Policies by name: one the baseline lacks gets nothing.
        assert_eq!(overall["sla"]["policies"][0]["change"]["tickets"], -3);
        assert!(overall["sla"]["policies"][1].get("change").is_none());
    }

    #[test]
    fn a_null_on_either_side_is_a_null_change() {
        let mut current = report(45, None, 4);
        annotate(&mut current, &report(40, Some(60.0), 3));
        let first = &current["overall"]["first_response"];
        assert_eq!(first["previous"]["median"], 60.0);
        assert_eq!(first["change"]["median"], Value::Null);
        // A nullable number that is null on both sides is still listed.
        let sla = &current["overall"]["sla"];
        assert_eq!(sla["previous"], json!({ "overdue_backlog": null }));
    }

    #[test]
    fn maps_and_unmatched_blocks_are_left_alone() {
        let mut current = report(45, None, 4);
        let mut baseline = report(40, None, 3);
        if let Some(by) = baseline.pointer_mut("/groups/0/by") {
            *by = json!({ "channel": "chat" });
        }
        if let Some(period) = baseline.pointer_mut("/periods/0/period") {
            *period = json!("2026-W09");
        }
        annotate(&mut current, &baseline);
        let share = &current["overall"]["volume"]["channel_share"];
        assert_eq!(
            share,
            &json!({ "email": 0.5 }),
            "a channel named previous stays one"
        );
        assert!(current["groups"][0]["kpis"].get("change").is_none());
        assert!(current["periods"][0].get("change").is_none());
    }
}
