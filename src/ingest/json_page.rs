//! Pages of API responses saved as they came: `{"tickets": [...], "next_page": ..., "count":
//! ...}`. A page's records are its list of objects; its other members paginate, and arrays
//! beside the records are side-loads (`include=users,metric_sets`).

use std::collections::HashMap;

use super::json_value::Json;

/// Members that paginate a response (Zendesk offset and cursor pagination, incremental
/// exports): they say nothing about any record.
const PAGINATION: [&str; 12] = [
    "next_page",
    "previous_page",
    "count",
    "end_of_stream",
    "end_time",
    "after_cursor",
    "before_cursor",
    "after_url",
    "before_url",
    "meta",
    "links",
    "has_more",
];

/// The records of a page, with side-loaded objects joined in; the value itself back when it
/// is not a page.
///
/// A page is an object whose members are arrays and pagination members only, one array being
/// of objects (the records: the first such array, as APIs list the resource before its
/// side-loads) that is not empty, or beside a pagination member (an empty last page).
pub(super) fn into_records(value: Json) -> Result<Vec<Json>, Json> {
    let Some(at) = page_records_at(&value) else {
        return Err(value);
    };
    let Json::Object(mut members) = value else {
        return Err(value);
    };
    let (name, list) = members.swap_remove(at);
    let Json::Array(mut records) = list else {
        return Ok(Vec::new());
    };
    join_side_loads(&name, &mut records, &members);
    Ok(records)
}

fn page_records_at(value: &Json) -> Option<usize> {
    let Json::Object(members) = value else {
        return None;
    };
    let mut records_at = None;
    let mut paginated = false;
    for (index, (name, member)) in members.iter().enumerate() {
        match member {
            Json::Array(items) => {
                if records_at.is_none() && items.iter().all(|item| matches!(item, Json::Object(_)))
                {
                    records_at = Some(index);
                }
            }
            _ if PAGINATION.contains(&name.as_str()) => paginated = true,
            _ => return None,
        }
    }
    let at = records_at?;
    let listed = matches!(&members[at].1, Json::Array(items) if !items.is_empty());
    (listed || paginated).then_some(at)
}

/// Side-loads that name their record (`metric_sets` objects carry `ticket_id`) join it under
/// their singular name (`metric_set`), as the APIs that embed them write it; a record that
/// has that member already keeps its own.
fn join_side_loads(records_name: &str, records: &mut [Json], members: &[(String, Json)]) {
    let key = format!("{}_id", singular(records_name));
    for (name, member) in members {
        let Json::Array(items) = member else {
            continue;
        };
        let by_record: HashMap<String, &Json> = items
            .iter()
            .filter_map(|item| Some((item.get(&key)?.text()?, item)))
            .filter(|(id, _)| !id.is_empty())
            .collect();
        if by_record.is_empty() {
            continue;
        }
        let joined = singular(name);
        for record in records.iter_mut() {
            let id = record.get("id").and_then(Json::text);
            let found = id.and_then(|id| by_record.get(&id).copied());
            if let (Some(found), Json::Object(fields)) = (found, &mut *record)
                && !fields.iter().any(|(field, _)| field == joined)
            {
                fields.push((joined.to_owned(), found.clone()));
            }
        }
    }
}

fn singular(name: &str) -> &str {
    name.strip_suffix('s').unwrap_or(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Json {
        serde_json::from_str(text).expect("valid JSON")
    }

    #[test]
    fn pages_give_their_records_and_other_objects_stay_records() {
        let page = parse(r#"{"tickets": [{"id": 1}, {"id": 2}], "next_page": null, "count": 2}"#);
        assert_eq!(into_records(page).expect("a page").len(), 2);
        let last = parse(r#"{"tickets": [], "end_of_stream": true, "after_cursor": "x"}"#);
        assert_eq!(into_records(last).expect("an empty last page").len(), 0);
        let ticket = parse(r#"{"id": 1, "tags": [], "custom_fields": [{"id": 3}]}"#);
        assert!(
            into_records(ticket).is_err(),
            "a record with lists is a record"
        );
        let wrapper = parse(r#"{"ticket": {"id": 1}}"#);
        assert!(into_records(wrapper).is_err());
        let bare_list = parse(r#"{"tags": []}"#);
        assert!(
            into_records(bare_list).is_err(),
            "an empty list alone is no page"
        );
    }

    #[test]
    fn side_loaded_metric_sets_join_their_tickets() {
        let page = parse(
            r#"{"tickets": [{"id": 7}, {"id": 8}, {"id": 9, "metric_set": {"replies": 4}}],
                "metric_sets": [{"ticket_id": 7, "replies": 2}, {"ticket_id": 9, "replies": 5}],
                "users": [{"id": 7, "name": "not ticket 7"}], "count": 3}"#,
        );
        let records = into_records(page).expect("a page");
        let replies = |record: &Json| {
            record
                .get("metric_set")
                .and_then(|set| set.get("replies"))
                .and_then(Json::text)
        };
        assert_eq!(replies(&records[0]).as_deref(), Some("2"));
        assert_eq!(replies(&records[1]), None, "no metric set for ticket 8");
        assert_eq!(replies(&records[2]).as_deref(), Some("4"), "its own kept");
        assert!(
            records[0].get("user").is_none(),
            "users do not name tickets"
        );
    }
}
