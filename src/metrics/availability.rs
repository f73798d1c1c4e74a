//! Which KPIs an input can support, and why not: what `inspect` tells a new user.

use serde::Serialize;

use super::KpiBlock;
use crate::ingest::Coverage;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Availability {
    pub kpi: &'static str,
    pub computable: bool,
    /// Why not, or a note on the data (e.g. "no ratings in this input").
    pub note: String,
}

const NO_STATUS: &str = "no row carries a status (or solved/closed time)";
const NO_MESSAGES: &str = "the export has one row per ticket, not one per message";

/// Each KPI of the report with whether this input supports it.
pub fn availability(block: &KpiBlock, coverage: Coverage, has_status: bool) -> Vec<Availability> {
    let mut list = Vec::new();
    let mut add = |kpi, computable: bool, why_not: &str, data: Option<u64>| {
        let note = match (computable, data) {
            (false, _) => why_not.to_owned(),
            (true, Some(0)) => "computable, but nothing to measure in this input".to_owned(),
            (true, _) => String::new(),
        };
        list.push(Availability {
            kpi,
            computable,
            note,
        });
    };
    let first_reply = "no first-reply time or timestamp column is mapped";
    add(
        "first response time",
        coverage.first_reply,
        first_reply,
        block.first_response.as_ref().map(|f| f.summary.count),
    );
    add(
        "response time",
        coverage.messages,
        NO_MESSAGES,
        block.response_time.map(|s| s.count),
    );
    add("response rate", coverage.first_reply, first_reply, None);
    add(
        "resolution time",
        has_status && coverage.resolution,
        if has_status {
            "no solved time or resolution duration is mapped"
        } else {
            NO_STATUS
        },
        block.resolution_time.map(|s| s.count),
    );
    add(
        "first resolution time",
        has_status && coverage.first_resolution,
        if has_status {
            "no first-resolution column is mapped"
        } else {
            NO_STATUS
        },
        block.first_resolution_time.map(|s| s.count),
    );
    add(
        "first contact resolution",
        has_status && coverage.replies && coverage.reopens,
        if has_status {
            "needs both a replies and a reopens column"
        } else {
            NO_STATUS
        },
        block.fcr.as_ref().map(|f| f.eligible),
    );
    add(
        "bot resolution",
        has_status && coverage.messages,
        if has_status { NO_MESSAGES } else { NO_STATUS },
        None,
    );
    add("average handle time", true, "", Some(block.aht.count));
    add(
        "CSAT",
        block.csat.is_some(),
        "no satisfaction column is mapped",
        block.csat.as_ref().map(|csat| csat.responses),
    );
    add("NPS", true, "", Some(block.nps.responses));
    add("backlog", has_status, NO_STATUS, None);
    add("SLA first reply", coverage.first_reply, first_reply, None);
    add(
        "SLA resolution",
        has_status && coverage.resolution,
        if has_status {
            "no solved time or resolution duration is mapped"
        } else {
            NO_STATUS
        },
        None,
    );
    add("volume", true, "", Some(block.tickets));
    add(
        "replies per solved ticket",
        has_status && coverage.replies,
        if has_status {
            "no replies column is mapped"
        } else {
            NO_STATUS
        },
        None,
    );
    add(
        "customer messages per ticket",
        coverage.customer_messages,
        "no customer-messages column is mapped",
        None,
    );
    add("redirect rate", coverage.messages, NO_MESSAGES, None);
    add(
        "sentiment change",
        coverage.messages,
        NO_MESSAGES,
        block.sentiment.as_ref().map(|s| s.tickets),
    );
    list
}
