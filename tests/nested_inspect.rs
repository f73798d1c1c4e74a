//! `inspect` on a JSON export of conversations that no preset fits: it lists the members of
//! the arrays of objects inside the records (the events a mapping's `events_path` names),
//! with samples, and `--suggest-mapping` proposes the `events_path` of the array whose objects
//! carry times, in a mapping that `report --mapping` reads as it is.

mod common;

use common::{scratch, ticketkpi};

/// The Chatwoot fixture without `inbox_id`, which the chatwoot preset needs: no preset fits.
fn unknown_conversations() -> (common::Scratch, std::path::PathBuf) {
    let dir = scratch();
    let text = std::fs::read_to_string("tests/fixtures/helpdesks/chatwoot/conversations.jsonl")
        .expect("fixture");
    let renamed = text.replace("\"inbox_id\"", "\"inbox\"");
    assert_ne!(renamed, text, "the fixture names inbox_id");
    let file = dir.write("conversations.jsonl", renamed);
    (dir, file)
}

#[test]
fn inspect_lists_the_members_of_nested_arrays_with_samples() {
    let (_dir, file) = unknown_conversations();
    let text = ticketkpi(["inspect".as_ref(), file.as_os_str()]).text();
    assert!(text.contains("no preset fits it"), "{text}");
    assert!(
        text.contains(
            "Inside the array messages (19 objects in the sample; its objects have times: \
             events_path = \"messages\" makes each one an event):"
        ),
        "{text}"
    );
    // The messages' members, named as a mapping names them, with their samples.
    assert!(
        text.contains("  messages.created_at\n      type: timestamp (format = \"unix\")"),
        "{text}"
    );
    assert!(
        text.contains("  messages.sender.type\n      type: enum: contact, user, agent_bot"),
        "{text}"
    );
    let json = ticketkpi(["inspect".as_ref(), file.as_os_str()])
        .arg("--json")
        .json();
    let profile = &json["inputs"][0]["profile"];
    assert_eq!(profile["events_path"], "messages");
    assert_eq!(profile["shape"], "events");
    let messages = &profile["arrays"][0];
    assert_eq!(messages["path"], "messages");
    assert_eq!(messages["objects"], 19, "6 + 10 + 3 messages");
    let private = messages["columns"]
        .as_array()
        .and_then(|columns| columns.iter().find(|c| c["name"] == "messages.private"))
        .expect("the private flag is listed");
    assert_eq!(private["samples"], serde_json::json!(["false", "true"]));
}

#[test]
fn the_suggested_mapping_names_the_events_path_and_reads_every_message() {
    let (dir, file) = unknown_conversations();
    let suggested = ticketkpi(["inspect".as_ref(), file.as_os_str()])
        .arg("--suggest-mapping")
        .text();
    assert!(
        suggested.contains("events_path = \"messages\""),
        "{suggested}"
    );
    assert!(suggested.contains("ticket_id = \"id\""), "{suggested}");
    assert!(
        suggested.contains("timestamp = { column = \"messages.created_at\", format = \"unix\" }"),
        "{suggested}"
    );
    assert!(
        suggested.contains("# [derive.\"messages.message_type\"]"),
        "{suggested}"
    );
    let mapping = dir.write("ours.toml", &suggested);
    let report = ticketkpi(["report".as_ref(), file.as_os_str()])
        .arg("--mapping")
        .arg(&mapping)
        .args(["--format", "json"])
        .json();
    let input = &report["input"];
    // Every message one event, of its conversation.
    assert_eq!(input["rows"], 19);
    assert_eq!(input["rows_used"], 19, "{suggested}");
    assert_eq!(input["tickets"], 3);
}
