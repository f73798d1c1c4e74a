//! The config file, `ticketkpi.toml`: business-hours schedules, SLA policies, value aliases,
//! report settings and the column mapping, read and checked into [`FileSettings`]. Every
//! setting has a default, so the tool works without one; command-line options win over the
//! file (see `options`).

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono_tz::Tz;
use serde::Deserialize;

use crate::ingest::Mapping;
use crate::ingest::event::{AuthorType, Status};
use crate::ingest::mapping::MappingSpec;
use crate::ingest::row::Aliases;
use crate::metrics::contact_centre::{AbandonPolicy, ContactCentreSettings};
use crate::metrics::sla::{Conditions, Policy, SlaPolicies};
use crate::options::parse::{CSAT_SCALE_EXPECTED, csat_bounds};
use crate::schedule::Schedule;
use crate::thresholds::{Condition, Threshold};

/// The commented example that `ticketkpi init` writes.
pub const EXAMPLE: &str = include_str!("../examples/ticketkpi.toml");

/// The file name looked for in the working directory.
pub const FILE_NAME: &str = "ticketkpi.toml";

/// The file as written.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    #[serde(default)]
    pub report: ReportSettings,
    #[serde(default)]
    pub aliases: AliasSettings,
    #[serde(default)]
    pub schedules: BTreeMap<String, ScheduleSettings>,
    #[serde(default)]
    pub sla: SlaSettings,
    /// A column mapping (docs/mappings.md), used when no --preset or --mapping is given.
    /// Read with the rest of the file, so that a mistake in it is placed in the file.
    pub mapping: Option<MappingSpec>,
    /// Thresholds that fail `report` (exit code 4), beside `--fail-if`.
    #[serde(default)]
    pub alerts: Vec<AlertSettings>,
    /// Calls: the service level's threshold, short abandons and the abandon policy.
    #[serde(default)]
    pub contact_centre: ContactCentreFile,
}

/// The `[contact_centre]` table as written.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContactCentreFile {
    /// T of the service level (default 20 s).
    pub service_level: Option<DurationSetting>,
    /// Abandons in the queue within this are short abandons (default: off).
    pub short_abandon: Option<DurationSetting>,
    /// `count`, `exclude` or `met-if-within-T` (default `count`).
    pub abandon_policy: Option<String>,
}

impl ContactCentreFile {
    fn resolve(self) -> Result<ContactCentreSettings, String> {
        let defaults = ContactCentreSettings::default();
        let seconds = |setting: Option<DurationSetting>, key: &str| {
            setting
                .map(|s| {
                    s.seconds()
                        .map_err(|e| format!("contact_centre.{key}: {e}"))
                })
                .transpose()
        };
        let abandon_policy = match self.abandon_policy {
            None => defaults.abandon_policy,
            Some(text) => text.parse::<AbandonPolicy>().map_err(|_| {
                format!(
                    "contact_centre.abandon_policy: \"{text}\" is not a policy (one of: {})",
                    AbandonPolicy::NAMES.join(", ")
                )
            })?,
        };
        Ok(ContactCentreSettings {
            service_level_seconds: seconds(self.service_level, "service_level")?
                .unwrap_or(defaults.service_level_seconds),
            short_abandon: seconds(self.short_abandon, "short_abandon")?,
            abandon_policy,
        })
    }
}

/// One `[[alerts]]` entry: a name for messages and a condition (`[SCOPE:] KPI OP VALUE`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AlertSettings {
    pub name: String,
    pub condition: ConditionSetting,
}

/// A condition parsed and its KPI checked while the file is read, so that a mistake is
/// placed on its line.
#[derive(Debug, Clone, Deserialize)]
#[serde(try_from = "String")]
pub struct ConditionSetting(pub Condition);

impl TryFrom<String> for ConditionSetting {
    type Error = String;

    fn try_from(text: String) -> Result<ConditionSetting, String> {
        text.parse()
            .map(ConditionSetting)
            .map_err(|error| format!("\"{text}\": {error}"))
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportSettings {
    /// Time zone for timestamps without an offset and for --period.
    pub tz: Option<String>,
    /// A schedule name: FRT, response and resolution times are also reported in its
    /// business hours (`*_business`).
    pub schedule: Option<String>,
    pub csat_scale: Option<String>,
    pub csat_satisfied: Option<f64>,
    /// A reopen later than this after its resolution does not break FCR (default: any does).
    pub fcr_reopen_window: Option<DurationSetting>,
    /// Author types whose messages count as agent replies (default: `agent` only), e.g.
    /// `["agent", "bot"]` to count bot answers as replies.
    pub agent_authors: Option<Vec<String>>,
}

/// Source value -> canonical value, per field, matched case-insensitively.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AliasSettings {
    #[serde(default)]
    pub event: BTreeMap<String, String>,
    #[serde(default)]
    pub author_type: BTreeMap<String, String>,
    #[serde(default)]
    pub status: BTreeMap<String, String>,
    /// Survey labels and the score each means, e.g. `good = 5`.
    #[serde(default)]
    pub csat: BTreeMap<String, f64>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScheduleSettings {
    pub timezone: String,
    /// Intervals for Monday to Friday, unless a day has its own.
    #[serde(default)]
    pub weekdays: Vec<String>,
    pub monday: Option<Vec<String>>,
    pub tuesday: Option<Vec<String>>,
    pub wednesday: Option<Vec<String>>,
    pub thursday: Option<Vec<String>>,
    pub friday: Option<Vec<String>>,
    pub saturday: Option<Vec<String>>,
    pub sunday: Option<Vec<String>>,
    /// `YYYY-MM-DD`, or `MM-DD` every year.
    #[serde(default)]
    pub holidays: Vec<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SlaSettings {
    #[serde(default)]
    pub policies: Vec<PolicySettings>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicySettings {
    pub name: String,
    #[serde(default)]
    pub when: ConditionSettings,
    /// A schedule name; calendar time when absent.
    pub schedule: Option<String>,
    /// Statuses that stop the clocks (default: pending and on_hold).
    pub pause_on: Option<Vec<String>>,
    pub first_reply: Option<DurationSetting>,
    pub next_reply: Option<DurationSetting>,
    pub resolution: Option<DurationSetting>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConditionSettings {
    #[serde(default)]
    pub priority: OneOrMany,
    #[serde(default)]
    pub channel: OneOrMany,
    #[serde(default)]
    pub team: OneOrMany,
    #[serde(default)]
    pub category: OneOrMany,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl Default for OneOrMany {
    fn default() -> Self {
        OneOrMany::Many(Vec::new())
    }
}

impl OneOrMany {
    fn lowercase(&self) -> Vec<String> {
        match self {
            OneOrMany::One(value) => vec![value.trim().to_lowercase()],
            OneOrMany::Many(values) => values.iter().map(|v| v.trim().to_lowercase()).collect(),
        }
    }
}

/// A duration: seconds, or text such as `"1h"`, `"8h 30m"`, `"3d"`.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum DurationSetting {
    Seconds(f64),
    Text(String),
}

impl DurationSetting {
    pub fn seconds(&self) -> Result<f64, String> {
        match self {
            DurationSetting::Seconds(seconds) if seconds.is_finite() && *seconds >= 0.0 => {
                Ok(*seconds)
            }
            DurationSetting::Seconds(seconds) => Err(format!("{seconds} is not a duration")),
            DurationSetting::Text(text) => humantime::parse_duration(text)
                .map(|duration| duration.as_secs_f64())
                .map_err(|error| {
                    format!("\"{text}\" is not a duration ({error}); try \"4h\" or \"30m\"")
                }),
        }
    }
}

/// Everything the file decides, checked and typed.
#[derive(Debug, Clone)]
pub struct FileSettings {
    pub tz: Option<Tz>,
    pub schedule: Option<Arc<Schedule>>,
    pub sla: SlaPolicies,
    /// No policy is configured: `sla` holds the contract's default targets.
    pub sla_defaults: bool,
    /// The CSAT scale's ends.
    pub csat_scale: Option<(f64, f64)>,
    pub csat_satisfied: Option<f64>,
    pub fcr_reopen_window: Option<f64>,
    pub aliases: Aliases,
    /// The `[mapping]` table, checked whether or not `--preset` or `--mapping` replaces it.
    pub mapping: Option<Mapping>,
    /// `[[alerts]]`, each condition checked but for its scope (which needs `--by`).
    pub alerts: Vec<Threshold>,
    pub contact_centre: ContactCentreSettings,
}

impl Default for FileSettings {
    /// No file: the contract's defaults.
    fn default() -> Self {
        FileSettings {
            tz: None,
            schedule: None,
            sla: SlaPolicies::default(),
            sla_defaults: true,
            csat_scale: None,
            csat_satisfied: None,
            fcr_reopen_window: None,
            aliases: Aliases::default(),
            mapping: None,
            alerts: Vec::new(),
            contact_centre: ContactCentreSettings::default(),
        }
    }
}

impl ConfigFile {
    /// The file's text read and checked: a mistake is reported at its line and column.
    pub fn read(text: &str) -> Result<FileSettings, String> {
        ConfigFile::parse(text).and_then(ConfigFile::resolve)
    }

    pub fn parse(text: &str) -> Result<ConfigFile, String> {
        toml::from_str(text).map_err(|error| error.to_string())
    }

    pub fn resolve(self) -> Result<FileSettings, String> {
        let tz = self
            .report
            .tz
            .as_deref()
            .map(|name| {
                name.parse::<Tz>()
                    .map_err(|_| format!("report.tz: \"{name}\" is not an IANA time zone"))
            })
            .transpose()?;
        let csat_scale = self
            .report
            .csat_scale
            .as_deref()
            .map(|text| {
                csat_bounds(text)
                    .ok_or_else(|| format!("report.csat_scale: \"{text}\": {CSAT_SCALE_EXPECTED}"))
            })
            .transpose()?;
        let mut schedules: BTreeMap<String, Arc<Schedule>> = BTreeMap::new();
        for (name, settings) in &self.schedules {
            let schedule = settings
                .build(name)
                .map_err(|error| format!("schedules.{name}: {error}"))?;
            schedules.insert(name.clone(), Arc::new(schedule));
        }
        let find = |place: &str, name: &str| {
            schedules.get(name).cloned().ok_or_else(|| {
                let known: Vec<&str> = schedules.keys().map(String::as_str).collect();
                format!(
                    "{place}: no schedule named \"{name}\" (defined: {})",
                    known.join(", ")
                )
            })
        };
        let schedule = self
            .report
            .schedule
            .as_deref()
            .map(|name| find("report.schedule", name))
            .transpose()?;
        let sla = if self.sla.policies.is_empty() {
            SlaPolicies::default()
        } else {
            let mut policies = Vec::new();
            for policy in &self.sla.policies {
                policies.push(policy.build(&find)?);
            }
            SlaPolicies { policies }
        };
        let fcr_reopen_window = self
            .report
            .fcr_reopen_window
            .as_ref()
            .map(|window| {
                window
                    .seconds()
                    .map_err(|e| format!("report.fcr_reopen_window: {e}"))
            })
            .transpose()?;
        let mapping = self.mapping.map(compile_mapping).transpose()?;
        let mut aliases = self.aliases.resolve()?;
        for author in self.report.agent_authors.iter().flatten() {
            let author = author.trim().to_lowercase();
            if author != "agent" {
                aliases.author_type.push((author, AuthorType::Agent));
            }
        }
        let alerts = alerts(self.alerts)?;
        let contact_centre = self.contact_centre.resolve()?;
        Ok(FileSettings {
            tz,
            schedule,
            sla_defaults: self.sla.policies.is_empty(),
            sla,
            csat_scale,
            csat_satisfied: self.report.csat_satisfied,
            fcr_reopen_window,
            aliases,
            mapping,
            alerts,
            contact_centre,
        })
    }
}

/// `[[alerts]]` as thresholds: each named, no name twice.
fn alerts(settings: Vec<AlertSettings>) -> Result<Vec<Threshold>, String> {
    let mut alerts: Vec<Threshold> = Vec::new();
    for alert in settings {
        let name = alert.name.trim().to_owned();
        if name.is_empty() {
            return Err(format!(
                "alerts: the alert \"{}\" has an empty name",
                alert.condition.0.text
            ));
        }
        if alerts
            .iter()
            .any(|known| known.name.as_deref() == Some(&name))
        {
            return Err(format!("alerts: two alerts are named \"{name}\""));
        }
        alerts.push(Threshold {
            name: Some(name),
            condition: alert.condition.0,
        });
    }
    Ok(alerts)
}

/// The `[mapping]` table, named `config mapping` unless it names itself.
fn compile_mapping(mut spec: MappingSpec) -> Result<Mapping, String> {
    spec.name.get_or_insert_with(|| "config mapping".to_owned());
    Mapping::compile(&spec).map_err(|error| error.to_string())
}

impl ScheduleSettings {
    fn build(&self, name: &str) -> Result<Schedule, String> {
        let tz: Tz = self
            .timezone
            .parse()
            .map_err(|_| format!("\"{}\" is not an IANA time zone", self.timezone))?;
        let day = |own: &Option<Vec<String>>, weekday: bool| match own {
            Some(intervals) => intervals.clone(),
            None if weekday => self.weekdays.clone(),
            None => Vec::new(),
        };
        let week = [
            day(&self.monday, true),
            day(&self.tuesday, true),
            day(&self.wednesday, true),
            day(&self.thursday, true),
            day(&self.friday, true),
            day(&self.saturday, false),
            day(&self.sunday, false),
        ];
        Schedule::new(name, tz, week, &self.holidays).map_err(|error| error.to_string())
    }
}

impl PolicySettings {
    fn build(
        &self,
        find: &impl Fn(&str, &str) -> Result<Arc<Schedule>, String>,
    ) -> Result<Policy, String> {
        let place = format!("sla.policies \"{}\"", self.name);
        let target = |value: &Option<DurationSetting>, field: &str| {
            value
                .as_ref()
                .map(|d| d.seconds().map_err(|e| format!("{place}.{field}: {e}")))
                .transpose()
        };
        let pause_on = match &self.pause_on {
            None => vec![Status::Pending, Status::OnHold],
            Some(names) => names
                .iter()
                .map(|name| {
                    name.parse::<Status>()
                        .map_err(|_| format!("{place}.pause_on: unknown status \"{name}\""))
                })
                .collect::<Result<_, _>>()?,
        };
        Ok(Policy {
            name: self.name.clone(),
            conditions: Conditions {
                priority: self.when.priority.lowercase(),
                channel: self.when.channel.lowercase(),
                team: self.when.team.lowercase(),
                category: self.when.category.lowercase(),
            },
            schedule: self
                .schedule
                .as_deref()
                .map(|name| find(&place, name))
                .transpose()?,
            pause_on,
            first_reply: target(&self.first_reply, "first_reply")?,
            next_reply: target(&self.next_reply, "next_reply")?,
            resolution: target(&self.resolution, "resolution")?,
        })
    }
}

impl AliasSettings {
    fn resolve(&self) -> Result<Aliases, String> {
        fn table<T>(
            field: &str,
            entries: &BTreeMap<String, String>,
            parse: impl Fn(&str) -> Option<T>,
        ) -> Result<Vec<(String, T)>, String> {
            entries
                .iter()
                .map(|(from, to)| {
                    parse(to)
                        .map(|value| (from.trim().to_lowercase(), value))
                        .ok_or_else(|| {
                            format!("aliases.{field}: \"{to}\" is not a canonical {field}")
                        })
                })
                .collect()
        }
        Ok(Aliases {
            event: table("event", &self.event, |name| name.parse().ok())?,
            author_type: table("author_type", &self.author_type, |name| name.parse().ok())?,
            status: table("status", &self.status, |name| name.parse().ok())?,
            csat: self
                .csat
                .iter()
                .map(|(label, score)| {
                    if score.is_finite() {
                        Ok((label.trim().to_lowercase(), *score))
                    } else {
                        Err(format!(
                            "aliases.csat: \"{label}\" = {score} is not a score"
                        ))
                    }
                })
                .collect::<Result<_, _>>()?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_example_written_by_init_is_valid() {
        let resolved = ConfigFile::read(EXAMPLE).expect("valid");
        assert!(resolved.schedule.is_some());
        assert!(resolved.sla.policies.len() >= 2);
        assert!(
            resolved
                .aliases
                .status
                .iter()
                .any(|(from, s)| from == "resolved" && *s == Status::Solved)
        );
    }

    #[test]
    fn no_file_means_the_contract_defaults() {
        let resolved = ConfigFile::default().resolve().expect("valid");
        assert_eq!(resolved.sla, SlaPolicies::default());
        assert!(resolved.schedule.is_none());
        assert_eq!(resolved.fcr_reopen_window, None);
        let none = FileSettings::default();
        assert_eq!(
            (none.sla, none.sla_defaults, none.aliases),
            (resolved.sla, resolved.sla_defaults, resolved.aliases),
            "no file decides what an empty one does"
        );
    }

    #[test]
    fn mistakes_name_their_place() {
        let error = |text: &str| ConfigFile::read(text).unwrap_err();
        assert!(error("[report]\nschedule = \"office\"").contains("no schedule named \"office\""));
        assert!(error("[schedules.x]\ntimezone = \"Mars/Base\"").contains("schedules.x"));
        assert!(
            error("[[sla.policies]]\nname = \"p\"\nfirst_reply = \"soon\"").contains("first_reply")
        );
        assert!(error("[aliases.status]\nResolved = \"done\"").contains("aliases.status"));
        assert!(error("[reprot]\n").contains("unknown field"));
        assert!(
            error("[[sla.policies]]\nname = \"p\"\npause_on = [\"waiting\"]").contains("pause_on")
        );
        let scale = error("[report]\ncsat_scale = \"five\"");
        assert!(scale.starts_with("report.csat_scale: \"five\""), "{scale}");
    }

    /// Values are quoted as written: Debug formatting would double the backslash and escape
    /// the quote, showing a name the user never wrote.
    #[test]
    fn mistakes_quote_the_users_own_spelling() {
        let error = ConfigFile::read("[report]\nschedule = 'night\\shift \"B\"'").unwrap_err();
        assert!(
            error.contains(r#"no schedule named "night\shift "B"""#),
            "{error}"
        );
        let error = ConfigFile::read("[aliases.status]\nfertig = 'erledigt\\'").unwrap_err();
        assert!(error.contains(r#""erledigt\" is not"#), "{error}");
    }

    #[test]
    fn alerts_are_named_conditions_checked_as_the_file_is_read() {
        let text = "[[alerts]]\nname = \"slow email\"\n\
                    condition = \"channel=email: first_response.p90 > 4h\"\n\n\
                    [[alerts]]\nname = \"backlog\"\ncondition = \"backlog.open > 50\"\n";
        let alerts = ConfigFile::read(text).expect("valid").alerts;
        assert_eq!(alerts.len(), 2);
        assert_eq!(alerts[0].name.as_deref(), Some("slow email"));
        assert_eq!(alerts[0].condition.value, 14_400.0);
        assert_eq!(alerts[1].condition.path, ["backlog", "open"]);
    }

    #[test]
    fn a_mistake_in_an_alert_is_placed_on_its_line_with_a_suggestion() {
        let text = "[[alerts]]\nname = \"a\"\ncondition = \"backlog.opne > 5\"\n";
        let error = ConfigFile::read(text).unwrap_err();
        assert!(error.contains("line 3"), "{error}");
        assert!(error.contains("did you mean \"backlog.open\""), "{error}");
        let twice = "[[alerts]]\nname = \"a\"\ncondition = \"backlog.open > 5\"\n\
                     [[alerts]]\nname = \"a\"\ncondition = \"backlog.open > 9\"\n";
        assert!(
            ConfigFile::read(twice)
                .unwrap_err()
                .contains("two alerts are named \"a\"")
        );
        let unnamed = "[[alerts]]\ncondition = \"backlog.open > 5\"\n";
        assert!(ConfigFile::read(unnamed).unwrap_err().contains("name"));
    }

    /// The `[mapping]` table is read with the rest of the file, never re-serialised first:
    /// its mistakes are placed on the user's own line and column.
    #[test]
    fn a_mistake_in_the_mapping_table_is_placed_in_the_file() {
        let text = "[report]\ntz = \"UTC\"\n\n[mapping]\nname = \"desk\"\ndelimiter = \";\"\n\
                    shape = \"rows\"\n\n[mapping.fields]\nticket_id = \"Case\"\n";
        let error = ConfigFile::read(text).unwrap_err();
        assert!(error.contains("line 7, column 9"), "{error}");
        assert!(error.contains("7 | shape = \"rows\""), "{error}");
        let unknown = ConfigFile::read("[mapping.fields]\nticket = \"Case\"\n").unwrap_err();
        assert!(
            unknown.starts_with("mapping config mapping: unknown field 'ticket'"),
            "a mapping is checked whether or not it is used: {unknown}"
        );
    }

    #[test]
    fn csat_aliases_are_labels_and_scores() {
        let resolved = ConfigFile::read(
            "[aliases.csat]\n\"Good, I'm satisfied\" = 5\nBad = 1.5\n[aliases]\nstatus = { Done = \"solved\" }",
        )
        .expect("valid");
        assert_eq!(
            resolved.aliases.csat,
            vec![
                ("bad".to_owned(), 1.5),
                ("good, i'm satisfied".to_owned(), 5.0)
            ]
        );
        let inline = ConfigFile::read("[aliases]\ncsat = { good = 5, bad = 1 }").expect("valid");
        assert_eq!(inline.aliases.csat.len(), 2);
        let text = ConfigFile::parse("[aliases.csat]\ngood = \"five\"").unwrap_err();
        assert!(text.contains("expected f64"), "a score is a number: {text}");
        let nan = ConfigFile::read("[aliases.csat]\ngood = nan").unwrap_err();
        assert!(nan.contains("not a score"), "{nan}");
    }

    #[test]
    fn durations_in_seconds_or_text() {
        assert_eq!(DurationSetting::Seconds(90.0).seconds(), Ok(90.0));
        assert_eq!(DurationSetting::Text("1h 30m".into()).seconds(), Ok(5400.0));
        assert_eq!(DurationSetting::Text("3d".into()).seconds(), Ok(259_200.0));
        assert!(DurationSetting::Seconds(-1.0).seconds().is_err());
    }
}
