//! Which paths are KPIs: the members of the KPI block as the built-in JSON schema
//! (docs/schema/report.schema.json, `$defs/kpi_block`) declares them, so that every KPI the
//! report holds can be named without a hand-kept list, and a misspelt one is caught before
//! anything is read, with the nearest real path suggested.

use std::sync::OnceLock;

use serde_json::{Map, Value};

use crate::schema::REPORT_SCHEMA;

/// What a KPI path's value is, as the schema says: how to show it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Seconds.
    Duration,
    /// A fraction 0..1.
    Rate,
    /// A count or any other number.
    Number,
}

/// The path `path` (members of a KPI block), checked: its kind, or why it is no KPI.
pub fn check(path: &[String]) -> Result<Kind, String> {
    let written = path.join(".");
    let defs = defs().ok_or("the built-in schema is unreadable")?;
    let mut node = Node::of(defs, "kpi_block");
    // `previous` and `change` (with --baseline) hold the numbers of the object they sit in,
    // by the same names: `first_response.change.median` is a duration like the median.
    let mut compared: Option<Node<'_>> = None;
    for (depth, segment) in path.iter().enumerate() {
        if let Some(parent) = compared.take() {
            let member = parent
                .members
                .and_then(|members| members.get(segment.as_str()));
            node = match member.map(|member| Node::from(defs, member)) {
                Some(member) if member.kind.is_some() => member,
                _ => {
                    return Err(format!(
                        "\"{written}\" is no KPI: \"{}\" holds the numbers of \"{}\", and \
                         \"{segment}\" is none of them{}",
                        path[..depth].join("."),
                        path[..depth - 1].join("."),
                        suggestion(&written)
                    ));
                }
            };
            continue;
        }
        if matches!(segment.as_str(), "previous" | "change")
            && depth + 1 < path.len()
            && node
                .members
                .is_some_and(|members| members.contains_key(segment.as_str()))
        {
            compared = Some(node);
            continue;
        }
        let next = node
            .members
            .and_then(|members| members.get(segment.as_str()));
        node = match (next, node.any_member) {
            (Some(member), _) => Node::from(defs, member),
            (None, Some(member)) => Node::from(defs, member),
            (None, None) => {
                let at = path[..depth].join(".");
                let known = if at.is_empty() {
                    "the KPI block".to_owned()
                } else {
                    format!("\"{at}\"")
                };
                return Err(format!(
                    "\"{written}\" is no KPI: {known} has no member \"{segment}\"{}",
                    suggestion(&written)
                ));
            }
        };
    }
    match node.kind {
        Some(kind) => Ok(kind),
        None => {
            let numbers: Vec<String> = leaves(defs)
                .into_iter()
                .filter(|leaf| leaf.starts_with(&format!("{written}.")))
                .collect();
            let hint = if numbers.is_empty() {
                suggestion(&written)
            } else {
                format!("; its numbers are {}", numbers.join(", "))
            };
            Err(format!(
                "\"{written}\" is no number a threshold can compare{hint}"
            ))
        }
    }
}

/// Whether the member at `path` of the KPI block is a map (its members are values, such as
/// the channels of `volume.channel_share`), not an object of fixed members.
pub fn is_map(path: &[String]) -> bool {
    let Some(defs) = defs() else {
        return false;
    };
    let mut node = Node::of(defs, "kpi_block");
    for segment in path {
        let next = node
            .members
            .and_then(|members| members.get(segment.as_str()));
        node = match (next, node.any_member) {
            (Some(member), _) | (None, Some(member)) => Node::from(defs, member),
            (None, None) => return false,
        };
    }
    node.members.is_none() && node.any_member.is_some()
}

/// Every numeric path of the KPI block (a map's members written `*`), for suggestions.
pub fn leaves(defs: &Map<String, Value>) -> Vec<String> {
    let mut found = Vec::new();
    walk(
        defs,
        Node::of(defs, "kpi_block"),
        String::new(),
        &mut found,
        0,
    );
    found
}

fn walk(defs: &Map<String, Value>, node: Node<'_>, at: String, found: &mut Vec<String>, depth: u8) {
    // The KPI block is a few levels deep; the bound only guards a schema edited into a loop.
    if depth > 8 {
        return;
    }
    if node.kind.is_some() && !at.is_empty() {
        found.push(at.clone());
    }
    let join = |name: &str| {
        if at.is_empty() {
            name.to_owned()
        } else {
            format!("{at}.{name}")
        }
    };
    if let Some(members) = node.members {
        let numbers: Vec<&String> = members
            .iter()
            .filter(|(_, member)| Node::from(defs, member).kind.is_some())
            .map(|(name, _)| name)
            .collect();
        for (name, member) in members {
            if matches!(name.as_str(), "previous" | "change") {
                // They hold the numbers of this object, by the same names.
                for number in &numbers {
                    found.push(format!("{}.{number}", join(name)));
                }
                continue;
            }
            walk(defs, Node::from(defs, member), join(name), found, depth + 1);
        }
    }
    if let Some(member) = node.any_member {
        walk(defs, Node::from(defs, member), join("*"), found, depth + 1);
    }
}

/// "; did you mean ...?" with the nearest numeric path, when one is near enough.
fn suggestion(written: &str) -> String {
    let Some(defs) = defs() else {
        return String::new();
    };
    let nearest = leaves(defs)
        .into_iter()
        .filter(|leaf| !leaf.contains('*'))
        .map(|leaf| (strsim::levenshtein(written, &leaf), leaf))
        .min();
    match nearest {
        Some((distance, leaf)) if distance <= (written.len() / 3).max(3) => {
            format!("; did you mean \"{leaf}\"?")
        }
        _ => "; the KPIs are the members of \"overall\" in `ticketkpi report --format json` \
              (`ticketkpi help json`)"
            .to_owned(),
    }
}

fn defs() -> Option<&'static Map<String, Value>> {
    static SCHEMA: OnceLock<Option<Value>> = OnceLock::new();
    SCHEMA
        .get_or_init(|| serde_json::from_str(REPORT_SCHEMA).ok())
        .as_ref()
        .and_then(|schema| schema.get("$defs"))
        .and_then(Value::as_object)
}

/// A schema node with its references followed: its members, and its kind when it is a
/// number.
#[derive(Clone, Copy)]
struct Node<'s> {
    members: Option<&'s Map<String, Value>>,
    /// A map's members (`additionalProperties`).
    any_member: Option<&'s Value>,
    kind: Option<Kind>,
}

impl<'s> Node<'s> {
    fn of(defs: &'s Map<String, Value>, name: &str) -> Node<'s> {
        match defs.get(name) {
            Some(schema) => Node::from(defs, schema),
            None => Node::empty(),
        }
    }

    fn empty() -> Node<'s> {
        Node {
            members: None,
            any_member: None,
            kind: None,
        }
    }

    /// `schema`, following `$ref` and the non-null branches of `anyOf` (a nullable KPI).
    fn from(defs: &'s Map<String, Value>, schema: &'s Value) -> Node<'s> {
        Node::resolve(defs, schema, None, 0)
    }

    fn resolve(
        defs: &'s Map<String, Value>,
        schema: &'s Value,
        named: Option<&str>,
        depth: u8,
    ) -> Node<'s> {
        if depth > 8 {
            return Node::empty();
        }
        if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
            let name = reference.trim_start_matches("#/$defs/");
            return match defs.get(name) {
                Some(target) => Node::resolve(defs, target, Some(name), depth + 1),
                None => Node::empty(),
            };
        }
        if let Some(branches) = schema.get("anyOf").and_then(Value::as_array) {
            return branches
                .iter()
                .map(|branch| Node::resolve(defs, branch, named, depth + 1))
                .find(|node| node.members.is_some() || node.kind.is_some())
                .unwrap_or_else(Node::empty);
        }
        let types: Vec<&str> = match schema.get("type") {
            Some(Value::String(one)) => vec![one.as_str()],
            Some(Value::Array(many)) => many.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        let numeric = types.iter().any(|t| *t == "number" || *t == "integer");
        Node {
            members: schema.get("properties").and_then(Value::as_object),
            any_member: schema.get("additionalProperties").filter(|v| v.is_object()),
            kind: numeric.then_some(match named {
                Some("seconds") => Kind::Duration,
                Some("rate") => Kind::Rate,
                _ => Kind::Number,
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(text: &str) -> Vec<String> {
        text.split('.').map(str::to_owned).collect()
    }

    #[test]
    fn the_kpis_of_the_issue_are_known_with_their_kind() {
        assert_eq!(check(&path("sla.first_reply.attainment")), Ok(Kind::Rate));
        assert_eq!(check(&path("first_response.median")), Ok(Kind::Duration));
        assert_eq!(check(&path("backlog.open")), Ok(Kind::Number));
        assert_eq!(check(&path("csat.rate")), Ok(Kind::Rate));
    }

    #[test]
    fn every_member_of_the_block_is_a_path_without_a_list_kept_here() {
        for known in [
            "tickets",
            "volume.inbound",
            "volume.channel_share.email",
            "backlog.age.30d+",
            "sla.overdue_backlog",
            "interactions.replies_per_solved_ticket",
            "first_response_business.p90",
            "nps.score",
            "desk_sla.first_reply.attainment",
        ] {
            assert!(
                check(&path(known)).is_ok(),
                "{known}: {:?}",
                check(&path(known))
            );
        }
    }

    #[test]
    fn a_misspelt_kpi_gets_the_nearest_path() {
        let error = check(&path("first_respons.median")).expect_err("misspelt");
        assert!(
            error.contains("did you mean \"first_response.median\""),
            "{error}"
        );
        let error = check(&path("sla.first_reply.attainement")).expect_err("misspelt");
        assert!(error.contains("\"sla.first_reply.attainment\""), "{error}");
        let error = check(&path("backlog.opened")).expect_err("misspelt");
        assert!(error.contains("\"backlog.open\""), "{error}");
    }

    #[test]
    fn an_object_is_no_number_and_its_numbers_are_listed() {
        let error = check(&path("csat")).expect_err("an object");
        assert!(error.contains("csat.rate"), "{error}");
        let error = check(&path("first_response")).expect_err("an object");
        assert!(error.contains("first_response.median"), "{error}");
    }

    #[test]
    fn a_path_far_from_any_kpi_says_where_the_kpis_are() {
        let error = check(&path("weather.tomorrow")).expect_err("no KPI");
        assert!(
            error.contains("the KPI block has no member \"weather\""),
            "{error}"
        );
        assert!(error.contains("overall"), "{error}");
    }

    #[test]
    fn previous_and_change_hold_the_numbers_of_their_object() {
        assert_eq!(
            check(&path("first_response.change.median")),
            Ok(Kind::Duration)
        );
        assert_eq!(check(&path("csat.previous.rate")), Ok(Kind::Rate));
        assert_eq!(check(&path("change.tickets")), Ok(Kind::Number));
        let error = check(&path("backlog.change.age")).expect_err("an object");
        assert!(error.contains("\"age\" is none of them"), "{error}");
        let error = check(&path("csat.change.rte")).expect_err("misspelt");
        assert!(error.contains("csat.change.rate"), "{error}");
    }

    #[test]
    fn the_leaves_cover_the_block() {
        let defs = defs().expect("the schema");
        let leaves = leaves(defs);
        assert!(leaves.contains(&"volume.channel_share.*".to_owned()));
        assert!(leaves.contains(&"response_rate.rate".to_owned()));
        assert!(leaves.contains(&"first_response.change.median".to_owned()));
        assert!(leaves.len() > 60, "{}", leaves.len());
    }

    #[test]
    fn maps_are_told_from_objects() {
        assert!(is_map(&path("volume.channel_share")));
        assert!(!is_map(&path("volume")));
        assert!(!is_map(&path("backlog.age")));
    }
}
