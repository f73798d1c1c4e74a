//! `--where FIELD=VALUE`: which tickets a command reads. Every condition must hold (they are
//! repeated); `=` and `!=` take a comma list meaning any of its values; `<`, `<=`, `>`, `>=`
//! compare numbers. `report`, `tickets` and `sla` select on the ticket's attributes (channel,
//! agent, team, priority, category, status, hour, weekday, tag); `tickets` also on the facts it
//! lists (`sla_first_reply=breached`, `reopens>0`). A ticket has a set of tags: `tag=a,b`
//! holds when any of its tags is one of them, `tag!=a,b` when none is, `tag=(none)` when it
//! has no tag.

use chrono_tz::Tz;
use serde::Serialize;

use super::parse::bad;
use crate::error::BadValue;
use crate::metrics::group::{Dimension, GroupValue};
use crate::model::Ticket;
use crate::symbols::{NONE_LABEL, Symbols};

/// The fields every command selects on: the ticket's attributes at as_of.
pub const TICKET_FIELDS: [&str; 9] = [
    "channel", "agent", "team", "priority", "category", "status", "hour", "weekday", "tag",
];

/// The facts of the `tickets` list beyond the attributes (its JSON members).
pub const ROW_FIELDS: [&str; 28] = [
    "ticket_id",
    "direction",
    "created_at",
    "first_customer_message_at",
    "first_reply_at",
    "first_response_seconds",
    "replies",
    "customer_messages",
    "bot_messages",
    "reopens",
    "first_resolved_at",
    "resolved_at",
    "resolution_seconds",
    "csat",
    "nps",
    "handle_seconds",
    "sla_policy",
    "sla_first_reply",
    "sla_next_reply_breaches",
    "sla_resolution",
    "requester_wait_seconds",
    "agent_wait_seconds",
    "on_hold_seconds",
    "requester_wait_business_seconds",
    "agent_wait_business_seconds",
    "on_hold_business_seconds",
    "call_outcome",
    "call_wait_seconds",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl Op {
    /// Longest first, so that `>=` is not read as `>`.
    const WRITTEN: [(&'static str, Op); 6] = [
        ("!=", Op::Ne),
        (">=", Op::Ge),
        ("<=", Op::Le),
        ("=", Op::Eq),
        (">", Op::Gt),
        ("<", Op::Lt),
    ];

    fn compares_numbers(self) -> bool {
        !matches!(self, Op::Eq | Op::Ne)
    }
}

/// Which value a condition reads.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Subject {
    Dimension(Dimension),
    Status,
    /// A member of the `tickets` list's row.
    Row(&'static str),
    /// One of the mapping's attribute columns (`[attributes]`), by name.
    Attribute(String),
}

/// One `--where` condition.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    subject: Subject,
    op: Op,
    /// Lowercase; any of them for `=` and `!=`; one number otherwise.
    values: Vec<String>,
    text: String,
}

/// Every `--where` of a command.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filter {
    conditions: Vec<Condition>,
}

/// What the report says of its filter (JSON `filter`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FilterSummary {
    /// The conditions as written; all of them hold for every ticket reported.
    pub conditions: Vec<String>,
    /// Tickets read but left out by the conditions.
    pub tickets_left_out: u64,
}

impl Filter {
    /// The conditions of `--where`; `row_facts` for `tickets`, which also selects on its
    /// list's facts; `attributes`: the mapping's attribute columns, which it selects on too.
    pub fn parse(
        texts: &[String],
        row_facts: bool,
        attributes: &[String],
    ) -> Result<Filter, BadValue> {
        let conditions = texts
            .iter()
            .map(|text| Condition::parse(text, row_facts, attributes))
            .collect::<Result<_, _>>()?;
        Ok(Filter { conditions })
    }

    pub fn is_empty(&self) -> bool {
        self.conditions.is_empty()
    }

    /// Whether a condition reads the tickets' tags or a mapping's attribute column (what
    /// travels beside the events, which `--state` does not keep).
    pub fn reads_extras(&self) -> bool {
        self.conditions.iter().any(|c| {
            matches!(
                c.subject,
                Subject::Dimension(Dimension::Tag) | Subject::Attribute(_)
            )
        })
    }

    /// The conditions as written.
    pub fn texts(&self) -> Vec<String> {
        self.conditions.iter().map(|c| c.text.clone()).collect()
    }

    /// Keeps the tickets whose attributes meet every condition; how many it left out.
    pub fn select(&self, tickets: &mut Vec<Ticket>, symbols: &Symbols, tz: Tz) -> u64 {
        if self.is_empty() {
            return 0;
        }
        let before = tickets.len();
        tickets.retain(|ticket| self.keeps(ticket, symbols, tz));
        (before - tickets.len()) as u64
    }

    /// What the report says of the filter, when there is one.
    pub fn summary(&self, tickets_left_out: u64) -> Option<FilterSummary> {
        (!self.is_empty()).then(|| FilterSummary {
            conditions: self.texts(),
            tickets_left_out,
        })
    }

    /// Whether every condition on the ticket's attributes holds (those on the `tickets`
    /// list's facts are [`Filter::keeps_row`]'s).
    pub fn keeps(&self, ticket: &Ticket, symbols: &Symbols, tz: Tz) -> bool {
        self.conditions.iter().all(|c| match &c.subject {
            Subject::Dimension(Dimension::Tag) => {
                let tags: Vec<&str> = ticket.tags.iter().map(|t| symbols.name(*t)).collect();
                c.holds_for_any(&tags)
            }
            Subject::Dimension(dimension) => {
                let value = match dimension.of(ticket, tz) {
                    GroupValue::Attribute(sym) => {
                        sym.non_empty().map(|sym| symbols.name(sym).to_owned())
                    }
                    other => other.name(symbols),
                };
                c.holds(value.as_deref())
            }
            Subject::Status => c.holds(ticket.status.map(|s| s.as_str())),
            Subject::Attribute(name) => {
                let value = ticket
                    .attributes
                    .iter()
                    .find(|(known, _)| symbols.name(*known) == name)
                    .map(|(_, value)| symbols.name(*value));
                c.holds(value)
            }
            Subject::Row(_) => true,
        })
    }

    /// Whether every condition on the list's facts holds for `row` (its JSON object).
    pub fn keeps_row(&self, row: &serde_json::Value) -> bool {
        self.conditions.iter().all(|c| match &c.subject {
            Subject::Row(member) => {
                let value = match row.get(*member) {
                    Some(serde_json::Value::String(text)) => Some(text.clone()),
                    Some(serde_json::Value::Number(n)) => Some(n.to_string()),
                    Some(serde_json::Value::Bool(b)) => Some(b.to_string()),
                    _ => None,
                };
                c.holds(value.as_deref())
            }
            _ => true,
        })
    }
}

impl Condition {
    fn parse(text: &str, row_facts: bool, attributes: &[String]) -> Result<Condition, BadValue> {
        let fail = |reason: String| bad("where", text, reason);
        let (at, written, op) = Op::WRITTEN
            .iter()
            .filter_map(|(written, op)| text.find(written).map(|at| (at, *written, *op)))
            // The leftmost operator; at one place, the longest (`>=` over `>`).
            .min_by_key(|(at, written, _)| (*at, std::cmp::Reverse(written.len())))
            .ok_or_else(|| {
                fail("expected FIELD=VALUE (or !=, <, <=, >, >=), e.g. channel=email".to_owned())
            })?;
        let field = text[..at].trim().to_lowercase();
        let value = text[at + written.len()..].trim().to_lowercase();
        let subject = subject(&field, row_facts, attributes).map_err(fail)?;
        let values: Vec<String> = value.split(',').map(|v| v.trim().to_owned()).collect();
        if op.compares_numbers() {
            if values.len() != 1 || values[0].parse::<f64>().is_err() {
                return Err(fail(format!(
                    "{written} compares with one number, e.g. reopens>0"
                )));
            }
        } else if values.iter().any(String::is_empty) {
            return Err(fail(format!(
                "an empty value; to select tickets without a {field}, write {field}={NONE_LABEL}"
            )));
        }
        Ok(Condition {
            subject,
            op,
            values,
            text: text.trim().to_owned(),
        })
    }

    /// Whether the condition holds for a ticket whose value is `value` (`None`: it has none).
    fn holds(&self, value: Option<&str>) -> bool {
        match self.op {
            Op::Eq => self.any_equal(value),
            Op::Ne => !self.any_equal(value),
            op => {
                let (Some(value), Some(bound)) = (
                    value.and_then(|v| v.parse::<f64>().ok()),
                    self.values.first().and_then(|v| v.parse::<f64>().ok()),
                ) else {
                    return false;
                };
                match op {
                    Op::Lt => value < bound,
                    Op::Le => value <= bound,
                    Op::Gt => value > bound,
                    _ => value >= bound,
                }
            }
        }
    }

    /// For a set of values (a ticket's tags): `=` holds when any of them is wanted (`(none)`
    /// when there is none), `!=` when none is.
    fn holds_for_any(&self, values: &[&str]) -> bool {
        let any = if values.is_empty() {
            self.any_equal(None)
        } else {
            values.iter().any(|value| self.any_equal(Some(value)))
        };
        match self.op {
            Op::Ne => !any,
            Op::Eq => any,
            _ => values.iter().any(|value| self.holds(Some(value))),
        }
    }

    /// Values compare without case, numbers as numbers (`4` is `4.0`); `(none)` is no value.
    fn any_equal(&self, value: Option<&str>) -> bool {
        let value = value.filter(|v| !v.is_empty()).map(str::to_lowercase);
        self.values.iter().any(|wanted| match &value {
            None => wanted == NONE_LABEL,
            Some(value) => match (value.parse::<f64>(), wanted.parse::<f64>()) {
                (Ok(a), Ok(b)) => a == b,
                _ => value == wanted,
            },
        })
    }
}

/// The field a condition names, or why it names none (with the fields there are and the
/// nearest of them). The built-in fields come first: a mapping cannot declare one of their
/// names as an attribute.
fn subject(field: &str, row_facts: bool, attributes: &[String]) -> Result<Subject, String> {
    if field == "status" {
        return Ok(Subject::Status);
    }
    // The `tickets` list's member is `tags`: every member of the list selects.
    if field == "tags" {
        return Ok(Subject::Dimension(Dimension::Tag));
    }
    if let Ok(dimension) = field.parse::<Dimension>() {
        return Ok(Subject::Dimension(dimension));
    }
    if row_facts && let Some(member) = ROW_FIELDS.iter().find(|m| **m == field) {
        return Ok(Subject::Row(member));
    }
    if let Some(name) = attributes.iter().find(|name| *name == field) {
        return Ok(Subject::Attribute(name.clone()));
    }
    let mut known: Vec<&str> = TICKET_FIELDS.to_vec();
    known.extend(attributes.iter().map(String::as_str));
    if row_facts {
        known.extend(ROW_FIELDS);
    }
    let nearest = known
        .iter()
        .map(|name| (strsim::osa_distance(field, name), *name))
        .min()
        .filter(|(distance, _)| *distance <= 3)
        .map(|(_, name)| format!("; did you mean \"{name}\"?"))
        .unwrap_or_default();
    let more = match (row_facts, attributes.is_empty()) {
        (true, false) => "",
        (true, true) => " (and a mapping's [attributes] columns)",
        (false, false) => " (the `tickets` command also selects on the facts it lists)",
        (false, true) => {
            " (the `tickets` command also selects on the facts it lists; and a mapping's \
             [attributes] columns)"
        }
    };
    Err(format!(
        "no field \"{field}\"{nearest} Fields: {}{more}",
        known.join(", ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::tests::tickets_from;

    fn filter(texts: &[&str], row_facts: bool) -> Result<Filter, BadValue> {
        let texts: Vec<String> = texts.iter().map(|t| (*t).to_owned()).collect();
        Filter::parse(&texts, row_facts, &[])
    }

    fn kept(texts: &[&str], rows: &[&str]) -> Vec<String> {
        let (tickets, symbols) = tickets_from(rows, None);
        let filter = filter(texts, false).unwrap();
        let mut ids: Vec<String> = tickets
            .iter()
            .filter(|t| filter.keeps(t, &symbols, Tz::UTC))
            .map(|t| t.id.clone())
            .collect();
        ids.sort();
        ids
    }

    /// A ticket's agent is that of its last agent message (the assignee).
    const ROWS: &[&str] = &[
        "A 0 message customer channel=email status=new",
        "A 1 message agent agent=alice",
        "B 60 message customer channel=chat",
        "B 61 message agent agent=bob",
        "C 600 message customer channel=phone status=solved",
    ];

    #[test]
    fn conditions_all_hold_and_a_comma_list_means_any_of() {
        assert_eq!(kept(&["channel=email,chat"], ROWS), ["A", "B"]);
        assert_eq!(kept(&["channel=email,chat", "agent!=alice"], ROWS), ["B"]);
        assert_eq!(
            kept(&["Channel = EMAIL"], ROWS),
            ["A"],
            "no case, spaces trimmed"
        );
        assert_eq!(kept(&["channel!=email,chat"], ROWS), ["C"]);
    }

    #[test]
    fn none_selects_tickets_without_a_value_and_status_is_a_field() {
        assert_eq!(kept(&["agent=(none)"], ROWS), ["C"]);
        assert_eq!(kept(&["status=solved"], ROWS), ["C"]);
        assert_eq!(
            kept(&["status!=solved"], ROWS),
            ["A", "B"],
            "no status is not solved"
        );
    }

    #[test]
    fn hours_compare_as_numbers_and_weekdays_by_name() {
        // Minute 600 is 10:00 on Monday 2026-03-02.
        assert_eq!(kept(&["hour>=10"], ROWS), ["C"]);
        assert_eq!(kept(&["hour<10"], ROWS), ["A", "B"]);
        assert_eq!(kept(&["hour=0"], ROWS), ["A"], "B is 01:00");
        assert_eq!(kept(&["weekday=monday"], ROWS).len(), 3);
        assert!(kept(&["weekday=sunday"], ROWS).is_empty());
    }

    #[test]
    fn a_tag_condition_reads_the_set_of_tags() {
        let rows = [
            "A 0 message customer tags=billing;vip",
            "B 60 message customer tags=refund",
            "C 600 message customer",
        ];
        assert_eq!(kept(&["tag=vip"], &rows), ["A"]);
        assert_eq!(kept(&["TAG=Refund,vip"], &rows), ["A", "B"], "any of");
        assert_eq!(
            kept(&["tag!=billing"], &rows),
            ["B", "C"],
            "none of its tags matches"
        );
        assert_eq!(kept(&["tag!=billing,refund"], &rows), ["C"]);
        assert_eq!(kept(&["tag=(none)"], &rows), ["C"]);
        assert_eq!(kept(&["tag!=(none)"], &rows), ["A", "B"]);
        assert_eq!(kept(&["tags=vip"], &rows), ["A"], "the list's member name");
    }

    #[test]
    fn an_unknown_field_names_the_fields_and_the_nearest() {
        let error = filter(&["chanel=email"], false).unwrap_err();
        assert_eq!(error.option, "where");
        assert!(
            error.reason.contains("did you mean \"channel\""),
            "{}",
            error.reason
        );
        assert!(
            error.reason.contains("Fields: channel, agent"),
            "{}",
            error.reason
        );
        let error = filter(&["reopens>0"], false).unwrap_err();
        assert!(
            error.reason.contains("tickets` command"),
            "{}",
            error.reason
        );
        assert!(filter(&["reopens>0"], true).is_ok());
    }

    #[test]
    fn malformed_conditions_say_what_is_expected() {
        assert!(
            filter(&["channel"], false)
                .unwrap_err()
                .reason
                .contains("FIELD=VALUE")
        );
        assert!(
            filter(&["hour>nine"], false)
                .unwrap_err()
                .reason
                .contains("one number")
        );
        assert!(
            filter(&["channel="], false)
                .unwrap_err()
                .reason
                .contains("(none)")
        );
    }

    #[test]
    fn row_facts_compare_numbers_and_states() {
        let f = filter(&["reopens>0", "sla_first_reply=breached"], true).unwrap();
        let row = serde_json::json!({"reopens": 1, "sla_first_reply": "breached"});
        assert!(f.keeps_row(&row));
        let row = serde_json::json!({"reopens": 0, "sla_first_reply": "breached"});
        assert!(!f.keeps_row(&row));
        let row = serde_json::json!({"reopens": null, "sla_first_reply": "breached"});
        assert!(!f.keeps_row(&row), "an unknown count is not > 0");
        let csat = filter(&["csat=4"], true).unwrap();
        assert!(
            csat.keeps_row(&serde_json::json!({"csat": 4.0})),
            "4 is 4.0"
        );
    }
}
