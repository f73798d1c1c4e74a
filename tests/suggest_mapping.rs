//! `inspect --suggest-mapping` on every real export that no preset reads: the mapping it
//! prints loads as it is, and `report --mapping` reads the whole file with it. A file with no
//! ticket id at all (the call centre's staffing table) is described, and the suggestion is
//! refused with the reason.

mod common;

use common::{real_data, scratch, ticketkpi};

/// The real exports without a preset (those with one are detected: tests/real_data).
const WITHOUT_PRESET: [&str; 7] = [
    "bpic2013-incidents/VINST-new_ibm.csv",
    "bpic2013-incidents/bpi_13_incidents.csv",
    "comcast-complaints/Comcast_telecom_complaints_data.csv",
    "helpdesk-tax2017/helpdesk.csv",
    "kaggle-customer-support-tickets-synthetic/customer_support_tickets_closed_subset.csv",
    "uci-incident-event-log/incident_event_log_full_prefixes_stripped.csv",
    "anonymous-bank-callcenter/data_anonymous_bank_shifts.csv",
];

#[test]
fn no_preset_fits_these_exports_and_inspect_describes_each() {
    for relative in WITHOUT_PRESET {
        let Some(file) = real_data(relative) else {
            return;
        };
        let inspection = ticketkpi(["inspect".as_ref(), file.as_os_str()])
            .arg("--json")
            .json();
        assert_eq!(inspection["unknown_export"], true, "{relative}");
        let columns = inspection["inputs"][0]["profile"]["columns"]
            .as_array()
            .map_or(0, Vec::len);
        assert!(columns >= 3, "{relative}: {columns} columns profiled");
    }
}

#[test]
fn every_suggested_mapping_loads_and_reads_the_whole_export() {
    let dir = scratch();
    for relative in WITHOUT_PRESET.iter().filter(|r| !r.ends_with("shifts.csv")) {
        let Some(file) = real_data(relative) else {
            return;
        };
        let suggested = ticketkpi(["inspect".as_ref(), file.as_os_str()])
            .arg("--suggest-mapping")
            .text();
        assert!(suggested.starts_with("# A mapping for"), "{relative}");
        let mapping = dir.write("ours.toml", &suggested);
        let report = ticketkpi(["report".as_ref(), file.as_os_str()])
            .arg("--mapping")
            .arg(&mapping)
            .args(["--format", "json"])
            .json();
        let input = &report["input"];
        assert_eq!(
            input["read_as"][0]["mapping"]
                .as_str()
                .map(|m| m.starts_with("suggested for")),
            Some(true),
            "{relative}"
        );
        // Every row used: the guesses never make a row invalid.
        assert_eq!(input["rows_used"], input["rows"], "{relative}: {suggested}");
        assert!(input["tickets"].as_u64() > Some(100), "{relative}");
    }
}

#[test]
fn an_export_without_ticket_ids_gets_the_reason_not_a_mapping() {
    let Some(file) = real_data("anonymous-bank-callcenter/data_anonymous_bank_shifts.csv") else {
        return;
    };
    let text = ticketkpi(["inspect".as_ref(), file.as_os_str()]).text();
    assert!(text.contains("no preset fits it"), "{text}");
    assert!(text.contains("--suggest-mapping"), "{text}");
    ticketkpi(["inspect".as_ref(), file.as_os_str()])
        .arg("--suggest-mapping")
        .fails_with(1)
        .stderr_has("no column looks like a ticket id");
}
