//! Pages of API responses saved as they came: `{"tickets": [...], "next_page": ..., "count":
//! ...}`. A page's records are its list of objects; its other members paginate, and arrays
//! beside the records are side-loads (`include=users,metric_sets`).

use std::collections::HashMap;

use super::json_value::Json;

/// Members that paginate a response (Zendesk offset and cursor pagination, incremental
/// exports; Intercom's `pages` and `total_count`; Help Scout's HAL `page` and `_links`; Front's
/// `_pagination`): they say nothing about any record.
const PAGINATION: [&str; 17] = [
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
    "pages",
    "total_count",
    "page",
    "_links",
    "_pagination",
];

/// The records of a page, with side-loaded objects joined in; the value itself back when it
/// is not a page.
///
/// A page is an object whose members are arrays and pagination members only, one array being
/// of objects (the records: the first such array, as APIs list the resource before its
/// side-loads) that is not empty, or beside a pagination member (an empty last page).
pub(super) fn into_records(value: Json) -> Result<Vec<Json>, Json> {
    let value = unwrap_hal(value);
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

/// A HAL page (Help Scout: `{"_embedded": {"conversations": [...]}, "page": {...}, "_links":
/// {...}}`) as a plain page: the members of `_embedded` beside the pagination members. Any
/// other value is returned as it is.
fn unwrap_hal(value: Json) -> Json {
    let Json::Object(members) = &value else {
        return value;
    };
    let hal = members.iter().any(|(name, member)| {
        name == "_embedded" && matches!(member, Json::Object(inner) if !inner.is_empty())
    }) && members
        .iter()
        .all(|(name, _)| name == "_embedded" || PAGINATION.contains(&name.as_str()));
    if !hal {
        return value;
    }
    let Json::Object(members) = value else {
        return value;
    };
    let mut flat = Vec::new();
    for (name, member) in members {
        match (name.as_str(), member) {
            ("_embedded", Json::Object(inner)) => flat.extend(inner),
            (_, member) => flat.push((name, member)),
        }
    }
    Json::Object(flat)
}

/// Whether a member is a list response's type tag (Intercom's `"type": "conversation.list"`).
fn is_list_type(name: &str, member: &Json) -> bool {
    name == "type" && matches!(member, Json::String(text) if text.ends_with(".list"))
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
            _ if PAGINATION.contains(&name.as_str()) || is_list_type(name, member) => {
                paginated = true
            }
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
    fn intercom_lists_help_scout_hal_and_front_pages_give_their_records() {
        let intercom = parse(
            r#"{"type": "conversation.list", "pages": {"type": "pages", "page": 1},
                "total_count": 2, "conversations": [{"id": "1"}, {"id": "2"}]}"#,
        );
        assert_eq!(into_records(intercom).expect("a page").len(), 2);
        let help_scout = parse(
            r#"{"_embedded": {"conversations": [{"id": 1}]}, "_links": {"self": {"href": "x"}},
                "page": {"size": 25, "totalElements": 1, "totalPages": 1, "number": 1}}"#,
        );
        assert_eq!(into_records(help_scout).expect("a page").len(), 1);
        let front = parse(
            r#"{"_pagination": {"next": null}, "_links": {"self": "x"},
                "_results": [{"id": "evt_1"}, {"id": "evt_2"}]}"#,
        );
        assert_eq!(into_records(front).expect("a page").len(), 2);
        let front_last = parse(r#"{"_pagination": {"next": null}, "_results": []}"#);
        assert_eq!(
            into_records(front_last).expect("an empty last page").len(),
            0
        );
        let record = parse(r#"{"type": "conversation", "id": "1", "tags": [{"id": 3}]}"#);
        assert!(into_records(record).is_err(), "a conversation is a record");
        let embedded = parse(r#"{"id": 1, "_embedded": {"threads": [{"id": 2}]}}"#);
        assert!(
            into_records(embedded).is_err(),
            "a record with embeds is a record"
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
