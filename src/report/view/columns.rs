//! The columns a breakdown table (by group, by period) can show: one registry of column
//! definitions over the KPI block. A table shows the columns whose KPI the export supports
//! (`metrics::availability` decides, through the report's `availability`), or those
//! `--columns` names; `--sort` orders the groups by a column's value. A new KPI joins the
//! tables by adding an entry here.

use crate::metrics::KpiBlock;
use crate::metrics::availability::Kpi;
use crate::metrics::group::GroupBlock;
use crate::report::Report;
use crate::report::text::{count, opt_duration, percent};

/// One column: its name (for `--columns` and `--sort`), its header, what decides whether
/// the export supports it, its value (to sort by) and its cell.
pub struct ColumnDef {
    pub name: &'static str,
    /// A line break in it is meant: a header on two lines.
    pub header: &'static str,
    pub needs: Needs,
    /// Shown when no `--columns` is given.
    pub default: bool,
    pub value: fn(&KpiBlock) -> Option<f64>,
    pub cell: fn(&KpiBlock) -> String,
}

/// What decides whether an export supports a column.
pub enum Needs {
    /// Every export (ticket counts).
    Nothing,
    Kpi(Kpi),
}

impl ColumnDef {
    /// Whether the report's input supports it.
    pub fn supported(&self, report: &Report) -> bool {
        match self.needs {
            Needs::Nothing => true,
            Needs::Kpi(kpi) => report
                .availability
                .iter()
                .find(|a| a.kpi == kpi.key())
                .is_none_or(|a| a.computable),
        }
    }
}

fn frt_median(k: &KpiBlock) -> Option<f64> {
    k.first_response.as_ref().and_then(|f| f.summary.median)
}
fn frt_p90(k: &KpiBlock) -> Option<f64> {
    k.first_response.as_ref().and_then(|f| f.summary.p90)
}
fn resolution_median(k: &KpiBlock) -> Option<f64> {
    k.resolution_time.as_ref().and_then(|s| s.median)
}
/// Solved at as_of: the group's tickets less its open backlog (the backlog is every ticket
/// not solved at as_of).
fn solved(k: &KpiBlock) -> Option<f64> {
    k.backlog
        .as_ref()
        .map(|b| k.tickets.saturating_sub(b.open) as f64)
}
fn replies(k: &KpiBlock) -> Option<f64> {
    k.volume.agent_messages.map(|n| n as f64)
}
fn fcr(k: &KpiBlock) -> Option<f64> {
    k.fcr.as_ref().and_then(|f| f.rate)
}
fn reopens(k: &KpiBlock) -> Option<f64> {
    k.reopens.as_ref().map(|r| r.reopens as f64)
}
fn reopen_rate(k: &KpiBlock) -> Option<f64> {
    k.reopens.as_ref().and_then(|r| r.rate)
}
fn csat(k: &KpiBlock) -> Option<f64> {
    k.csat.as_ref().and_then(|c| c.rate)
}
fn aht(k: &KpiBlock) -> Option<f64> {
    k.aht.as_ref().and_then(|s| s.mean)
}
fn sla_first_reply(k: &KpiBlock) -> Option<f64> {
    k.sla.first_reply.as_ref().and_then(|t| t.attainment)
}
fn sla_resolution(k: &KpiBlock) -> Option<f64> {
    k.sla.resolution.as_ref().and_then(|t| t.attainment)
}
fn backlog(k: &KpiBlock) -> Option<f64> {
    k.backlog.as_ref().map(|b| b.open as f64)
}

fn answered(k: &KpiBlock) -> Option<f64> {
    k.contact_centre.as_ref().map(|c| c.answered as f64)
}
fn asa(k: &KpiBlock) -> Option<f64> {
    k.contact_centre
        .as_ref()
        .and_then(|c| c.asa.as_ref())
        .and_then(|s| s.mean)
}
fn service_level(k: &KpiBlock) -> Option<f64> {
    k.contact_centre
        .as_ref()
        .and_then(|c| c.service_level.as_ref())
        .and_then(|s| s.rate)
}
fn abandonment(k: &KpiBlock) -> Option<f64> {
    k.contact_centre.as_ref().and_then(|c| c.abandonment.rate)
}

fn whole(value: Option<f64>) -> String {
    value.map_or_else(|| "-".to_owned(), |v| count(v as u64))
}

/// Every column, in the order tables show them.
pub const COLUMNS: &[ColumnDef] = &[
    ColumnDef {
        name: "tickets",
        header: "Tickets",
        needs: Needs::Nothing,
        default: true,
        value: |k| Some(k.tickets as f64),
        cell: |k| count(k.tickets),
    },
    ColumnDef {
        name: "solved",
        header: "Solved",
        needs: Needs::Kpi(Kpi::Backlog),
        default: true,
        value: solved,
        cell: |k| whole(solved(k)),
    },
    ColumnDef {
        name: "replies",
        header: "Re-\nplies",
        needs: Needs::Kpi(Kpi::RepliesPerSolvedTicket),
        default: true,
        value: replies,
        cell: |k| whole(replies(k)),
    },
    ColumnDef {
        name: "frt_median",
        header: "FRT\nmed.",
        needs: Needs::Kpi(Kpi::FirstResponse),
        default: true,
        value: frt_median,
        cell: |k| opt_duration(frt_median(k)),
    },
    ColumnDef {
        name: "frt_p90",
        header: "FRT\np90",
        needs: Needs::Kpi(Kpi::FirstResponse),
        default: false,
        value: frt_p90,
        cell: |k| opt_duration(frt_p90(k)),
    },
    ColumnDef {
        name: "resolution_median",
        header: "Resol.\nmedian",
        needs: Needs::Kpi(Kpi::ResolutionTime),
        default: false,
        value: resolution_median,
        cell: |k| opt_duration(resolution_median(k)),
    },
    ColumnDef {
        name: "fcr",
        header: "FCR",
        needs: Needs::Kpi(Kpi::Fcr),
        default: true,
        value: fcr,
        cell: |k| percent(fcr(k)),
    },
    ColumnDef {
        name: "reopens",
        header: "Re-\nopens",
        needs: Needs::Kpi(Kpi::Reopens),
        default: false,
        value: reopens,
        cell: |k| whole(reopens(k)),
    },
    ColumnDef {
        name: "reopen_rate",
        header: "Reopen\nrate",
        needs: Needs::Kpi(Kpi::Reopens),
        default: false,
        value: reopen_rate,
        cell: |k| percent(reopen_rate(k)),
    },
    ColumnDef {
        name: "csat",
        header: "CSAT",
        needs: Needs::Kpi(Kpi::Csat),
        default: true,
        value: csat,
        cell: |k| percent(csat(k)),
    },
    ColumnDef {
        name: "aht",
        header: "AHT",
        needs: Needs::Kpi(Kpi::Aht),
        default: true,
        value: aht,
        cell: |k| opt_duration(aht(k)),
    },
    ColumnDef {
        name: "answered",
        header: "An-\nswered",
        needs: Needs::Kpi(Kpi::ContactCentre),
        default: true,
        value: answered,
        cell: |k| whole(answered(k)),
    },
    ColumnDef {
        name: "asa",
        header: "ASA",
        needs: Needs::Kpi(Kpi::Asa),
        default: true,
        value: asa,
        cell: |k| opt_duration(asa(k)),
    },
    ColumnDef {
        name: "service_level",
        header: "Serv.\nlevel",
        needs: Needs::Kpi(Kpi::ServiceLevel),
        default: false,
        value: service_level,
        cell: |k| percent(service_level(k)),
    },
    ColumnDef {
        name: "abandonment",
        header: "Aban-\ndoned",
        needs: Needs::Kpi(Kpi::ContactCentre),
        default: false,
        value: abandonment,
        cell: |k| percent(abandonment(k)),
    },
    ColumnDef {
        name: "sla_first_reply",
        header: "SLA\n1st",
        needs: Needs::Kpi(Kpi::SlaFirstReply),
        default: true,
        value: sla_first_reply,
        cell: |k| percent(sla_first_reply(k)),
    },
    ColumnDef {
        name: "sla_resolution",
        header: "SLA\nresol.",
        needs: Needs::Kpi(Kpi::SlaResolution),
        default: false,
        value: sla_resolution,
        cell: |k| percent(sla_resolution(k)),
    },
    ColumnDef {
        name: "backlog",
        header: "Back-\nlog",
        needs: Needs::Kpi(Kpi::Backlog),
        default: false,
        value: backlog,
        cell: |k| whole(backlog(k)),
    },
];

/// The column named `name`.
pub fn column(name: &str) -> Option<&'static ColumnDef> {
    COLUMNS.iter().find(|c| c.name == name)
}

/// Every column's name, in order: what `--columns` and `--sort` accept.
pub fn names() -> Vec<&'static str> {
    COLUMNS.iter().map(|c| c.name).collect()
}

/// The columns a breakdown table of `report` shows: those `--columns` chose, in its order;
/// else every default column the export supports.
pub fn chosen(report: &Report) -> Vec<&'static ColumnDef> {
    match &report.columns {
        Some(names) => names.iter().filter_map(|name| column(name)).collect(),
        None => COLUMNS
            .iter()
            .filter(|c| c.default && c.supported(report))
            .collect(),
    }
}

/// Orders `groups` by the value of the column named `name` (ascending unless `descending`);
/// groups without a value come last either way, and ties keep their order.
pub fn sort_groups(groups: &mut [GroupBlock], name: &str, descending: bool) {
    let Some(column) = column(name) else {
        return;
    };
    groups.sort_by(
        |a, b| match ((column.value)(&a.kpis), (column.value)(&b.kpis)) {
            (Some(x), Some(y)) if descending => y.total_cmp(&x),
            (Some(x), Some(y)) => x.total_cmp(&y),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        },
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_column_has_a_unique_name_without_spaces() {
        let mut seen = std::collections::BTreeSet::new();
        for column in COLUMNS {
            assert!(seen.insert(column.name), "{} twice", column.name);
            assert!(!column.name.contains(' '), "{}", column.name);
        }
        assert!(column("frt_median").is_some());
        assert!(column("frt median").is_none());
    }
}
