//! JSON values as exports hold them. Numbers keep their text: ticket ids beyond 64 bits
//! (`12345678901234567890123`) would otherwise become the same float, and `1.50` minutes
//! stay what the file says.
//!
//! Each member is first read as raw text ([`RawValue`]) and then parsed on its own, which is
//! how a number's text survives serde_json. Each level of nesting reads its text once more, so
//! nesting is limited: exports nest a few levels (a Zendesk ticket's `via.source.from`), and a
//! hostile `[[[[...` must neither exhaust the stack nor take long.

use std::collections::HashMap;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

/// Nesting deeper than this is refused.
pub(super) const MAX_DEPTH: usize = 20;

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Json {
    Null,
    Bool(bool),
    /// The number's text as written.
    Number(String),
    String(String),
    Array(Vec<Json>),
    /// Members in file order; a repeated name keeps its first place and its last value (as
    /// serde_json reads it).
    Object(Vec<(String, Json)>),
}

impl Json {
    /// The member `name` of an object.
    pub fn get(&self, name: &str) -> Option<&Json> {
        match self {
            Json::Object(members) => members.iter().find(|(key, _)| key == name).map(|(_, v)| v),
            _ => None,
        }
    }

    /// A scalar as text (what a mapping reads); `None` for arrays and objects.
    pub fn text(&self) -> Option<String> {
        match self {
            Json::Null => Some(String::new()),
            Json::Bool(flag) => Some(flag.to_string()),
            Json::Number(text) | Json::String(text) => Some(text.clone()),
            Json::Array(_) | Json::Object(_) => None,
        }
    }

    /// What kind of value this is, for messages.
    pub fn kind(&self) -> &'static str {
        match self {
            Json::Null => "null",
            Json::Bool(_) => "a boolean",
            Json::Number(_) => "a number",
            Json::String(_) => "a string",
            Json::Array(_) => "an array",
            Json::Object(_) => "an object",
        }
    }
}

/// Compact JSON, numbers as they were written.
impl fmt::Display for Json {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Json::Null => f.write_str("null"),
            Json::Bool(flag) => write!(f, "{flag}"),
            Json::Number(text) => f.write_str(text),
            Json::String(text) => write_string(f, text),
            Json::Array(items) => {
                f.write_str("[")?;
                for (index, item) in items.iter().enumerate() {
                    if index > 0 {
                        f.write_str(",")?;
                    }
                    write!(f, "{item}")?;
                }
                f.write_str("]")
            }
            Json::Object(members) => {
                f.write_str("{")?;
                for (index, (key, value)) in members.iter().enumerate() {
                    if index > 0 {
                        f.write_str(",")?;
                    }
                    write_string(f, key)?;
                    write!(f, ":{value}")?;
                }
                f.write_str("}")
            }
        }
    }
}

fn write_string(f: &mut fmt::Formatter<'_>, text: &str) -> fmt::Result {
    match serde_json::to_string(text) {
        Ok(quoted) => f.write_str(&quoted),
        Err(_) => Err(fmt::Error),
    }
}

impl<'de> Deserialize<'de> for Json {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Json, D::Error> {
        JsonSeed { depth: 0 }.deserialize(deserializer)
    }
}

/// Reads a value at a nesting depth.
pub(super) struct JsonSeed {
    depth: usize,
}

impl<'de> DeserializeSeed<'de> for JsonSeed {
    type Value = Json;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Json, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for JsonSeed {
    type Value = Json;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("a JSON value")
    }

    fn visit_unit<E>(self) -> Result<Json, E> {
        Ok(Json::Null)
    }

    fn visit_bool<E>(self, flag: bool) -> Result<Json, E> {
        Ok(Json::Bool(flag))
    }

    // Only a number that is the whole value arrives here (members are read as raw text).
    fn visit_u64<E>(self, number: u64) -> Result<Json, E> {
        Ok(Json::Number(number.to_string()))
    }

    fn visit_i64<E>(self, number: i64) -> Result<Json, E> {
        Ok(Json::Number(number.to_string()))
    }

    fn visit_f64<E>(self, number: f64) -> Result<Json, E> {
        Ok(Json::Number(number.to_string()))
    }

    fn visit_str<E>(self, text: &str) -> Result<Json, E> {
        Ok(Json::String(text.to_owned()))
    }

    fn visit_string<E>(self, text: String) -> Result<Json, E> {
        Ok(Json::String(text))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Json, A::Error> {
        let mut items = Vec::new();
        while let Some(raw) = seq.next_element::<Box<RawValue>>()? {
            items.push(from_raw(&raw, self.depth + 1).map_err(de::Error::custom)?);
        }
        Ok(Json::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Json, A::Error> {
        let mut members = Members::default();
        while let Some(key) = map.next_key::<String>()? {
            let raw: Box<RawValue> = map.next_value()?;
            members.insert(
                key,
                from_raw(&raw, self.depth + 1).map_err(de::Error::custom)?,
            );
        }
        Ok(Json::Object(members.entries))
    }
}

/// A value from its raw text: scalars directly (a number keeps its text), containers by
/// parsing the text again one level deeper.
fn from_raw(raw: &RawValue, depth: usize) -> Result<Json, serde_json::Error> {
    let text = raw.get();
    match text.as_bytes().first() {
        Some(b'-' | b'0'..=b'9') => Ok(Json::Number(text.to_owned())),
        Some(b'"') => serde_json::from_str::<String>(text).map(Json::String),
        Some(b't') => Ok(Json::Bool(true)),
        Some(b'f') => Ok(Json::Bool(false)),
        Some(b'n') => Ok(Json::Null),
        _ if depth >= MAX_DEPTH => Err(de::Error::custom(format!(
            "nested deeper than {MAX_DEPTH} levels"
        ))),
        _ => {
            let mut deserializer = serde_json::Deserializer::from_str(text);
            JsonSeed { depth }.deserialize(&mut deserializer)
        }
    }
}

/// An object's members as they are added; a repeated name replaces the earlier value.
#[derive(Default)]
struct Members {
    entries: Vec<(String, Json)>,
    /// Built once an object is big enough for linear search to cost.
    index: Option<HashMap<String, usize>>,
}

impl Members {
    const INDEXED_FROM: usize = 16;

    fn insert(&mut self, key: String, value: Json) {
        let existing = match &self.index {
            Some(index) => index.get(&key).copied(),
            None => self.entries.iter().position(|(name, _)| *name == key),
        };
        if let Some(at) = existing {
            self.entries[at].1 = value;
            return;
        }
        if let Some(index) = &mut self.index {
            index.insert(key.clone(), self.entries.len());
        }
        self.entries.push((key, value));
        if self.index.is_none() && self.entries.len() >= Self::INDEXED_FROM {
            let index = self
                .entries
                .iter()
                .enumerate()
                .map(|(at, (name, _))| (name.clone(), at))
                .collect();
            self.index = Some(index);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Json {
        serde_json::from_str(text).expect("valid JSON")
    }

    #[test]
    fn numbers_keep_their_text() {
        let value = parse(r#"{"id": 12345678901234567890123, "b": 1e+23, "m": 1.50, "n": -3}"#);
        let text = |name| value.get(name).and_then(Json::text);
        assert_eq!(text("id").as_deref(), Some("12345678901234567890123"));
        assert_eq!(text("b").as_deref(), Some("1e+23"));
        assert_eq!(text("m").as_deref(), Some("1.50"));
        assert_eq!(text("n").as_deref(), Some("-3"));
        assert_eq!(parse("7").text().as_deref(), Some("7"));
    }

    #[test]
    fn values_write_back_as_compact_json() {
        let text = r#"{"a":[1,{"b":"x\"y"}],"c":null,"d":true,"e":2.50}"#;
        assert_eq!(parse(text).to_string(), text);
    }

    #[test]
    fn a_repeated_member_keeps_its_place_and_last_value() {
        let value = parse(r#"{"a": 1, "b": 2, "a": 3}"#);
        assert_eq!(value.to_string(), r#"{"a":3,"b":2}"#);
        let many: Vec<String> = (0..40).map(|i| format!("\"k{}\": {i}", i % 20)).collect();
        let value = parse(&format!("{{{}}}", many.join(",")));
        let Json::Object(members) = &value else {
            panic!("an object")
        };
        assert_eq!(members.len(), 20);
        assert_eq!(value.get("k3").and_then(Json::text).as_deref(), Some("23"));
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        assert!(serde_json::from_str::<Json>(&deep).is_err());
        let fine = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert!(serde_json::from_str::<Json>(&fine).is_ok());
    }
}
