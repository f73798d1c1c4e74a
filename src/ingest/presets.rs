//! Built-in presets: mappings for the exports help desks actually write, selected with
//! `--preset NAME` or detected from the header.

use super::mapping::{Mapping, MappingError};

/// Name and TOML of every preset, in detection order (most specific first).
const PRESETS: [(&str, &str); 14] = [
    ("zendesk", include_str!("presets/zendesk.toml")),
    ("intercom", include_str!("presets/intercom.toml")),
    ("helpscout", include_str!("presets/helpscout.toml")),
    ("chatwoot", include_str!("presets/chatwoot.toml")),
    ("gorgias", include_str!("presets/gorgias.toml")),
    ("front", include_str!("presets/front.toml")),
    ("zendesk-json", include_str!("presets/zendesk-json.toml")),
    ("freshdesk", include_str!("presets/freshdesk.toml")),
    ("twitter", include_str!("presets/twitter.toml")),
    ("callcenter", include_str!("presets/callcenter.toml")),
    ("servicenow", include_str!("presets/servicenow.toml")),
    (
        "servicenow-list",
        include_str!("presets/servicenow-list.toml"),
    ),
    ("jira", include_str!("presets/jira.toml")),
    ("helpdesk", include_str!("presets/helpdesk.toml")),
];

pub fn names() -> Vec<&'static str> {
    PRESETS.iter().map(|(name, _)| *name).collect()
}

pub fn preset(name: &str) -> Option<Result<Mapping, MappingError>> {
    PRESETS
        .iter()
        .find(|(known, _)| known.eq_ignore_ascii_case(name))
        .map(|(known, text)| Mapping::from_toml(known, text))
}

/// The preset whose core columns the header carries, if any; where several do, the one that
/// reads the most of the header's columns (the first listed among equals).
pub fn detect(header: &[&str]) -> Option<Mapping> {
    let mut best: Option<(usize, Mapping)> = None;
    for mapping in PRESETS
        .iter()
        .filter_map(|(name, text)| Mapping::from_toml(name, text).ok())
    {
        if let Some(score) = mapping.detection_score(header)
            && best.as_ref().is_none_or(|(top, _)| score > *top)
        {
            best = Some((score, mapping));
        }
    }
    best.map(|(_, mapping)| mapping)
}

/// Where the records of a JSON input sit, when its first record is a preset's record wrapped
/// in that preset's `record_path` (`{"ticket": {...}}`): detection then reads the members
/// inside, so wrapped and bare records are detected alike. `names` are the first record's
/// members, flattened with dots.
pub fn json_record_path(names: &[&str]) -> Option<String> {
    PRESETS
        .iter()
        .filter_map(|(name, text)| Mapping::from_toml(name, text).ok())
        .find_map(|mapping| {
            let path = mapping.record_path.as_deref()?;
            let inner: Vec<&str> = names
                .iter()
                .filter_map(|name| name.strip_prefix(path)?.strip_prefix('.'))
                .collect();
            mapping
                .detection_score(&inner)
                .is_some()
                .then(|| path.to_owned())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_preset_compiles_and_detects_from_its_own_columns() {
        for name in names() {
            let mapping = preset(name).expect("listed").expect("compiles");
            assert!(!mapping.detect.is_empty(), "{name} has detection columns");
            let header: Vec<&str> = mapping
                .detect
                .iter()
                .chain(mapping.detect_any.first())
                .map(String::as_str)
                .collect();
            assert_eq!(detect(&header).map(|m| m.name), Some(name.to_owned()));
        }
    }

    #[test]
    fn a_subset_of_the_columns_still_detects_and_the_best_fit_wins() {
        // A Zendesk view export: only the business-hours first reply, no Assignee/Ticket type.
        let header = [
            "Id",
            "Subject",
            "Status",
            "Created at",
            "First reply time in minutes within business hours",
            "Replies",
        ];
        assert_eq!(detect(&header).map(|m| m.name).as_deref(), Some("zendesk"));
        // Core columns without any Zendesk-specific one: not Zendesk.
        assert!(detect(&["Id", "Created at", "Subject"]).is_none());
    }

    #[test]
    fn wrapped_json_records_are_detected_by_their_inner_members() {
        let wrapped = [
            "ticket",
            "ticket.id",
            "ticket.created_at",
            "ticket.status",
            "ticket.via",
            "ticket.via.channel",
        ];
        assert_eq!(json_record_path(&wrapped).as_deref(), Some("ticket"));
        let bare = ["id", "created_at", "status", "via", "via.channel"];
        assert_eq!(json_record_path(&bare), None, "nothing to unwrap");
        assert_eq!(
            detect(&bare).map(|m| m.name).as_deref(),
            Some("zendesk-json")
        );
    }

    #[test]
    fn canonical_headers_match_no_preset() {
        let header = ["ticket_id", "timestamp", "event", "author_type", "status"];
        assert!(detect(&header).is_none());
    }
}
