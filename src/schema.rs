//! The JSON report's contract for scripts: docs/schema/report.schema.json (JSON Schema draft
//! 2020-12), built into the binary so that `ticketkpi schema` and the checks of threshold
//! paths need nothing from the source tree. tests/schema.rs validates every JSON report the
//! tests produce against it.

/// The schema, as the repository holds it.
pub const REPORT_SCHEMA: &str = include_str!("../docs/schema/report.schema.json");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_schema_is_json_and_names_the_schema_version_the_report_writes() {
        let schema: serde_json::Value =
            serde_json::from_str(REPORT_SCHEMA).expect("the built-in schema is JSON");
        assert_eq!(
            schema["$schema"],
            "https://json-schema.org/draft/2020-12/schema"
        );
        assert_eq!(
            schema["properties"]["schema_version"]["const"],
            crate::report::SCHEMA_VERSION
        );
    }
}
