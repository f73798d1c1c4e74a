//! What a row says of its ticket beyond the canonical attributes: its tags, and the values of
//! the mapping's own attribute columns (`[attributes]`, e.g. `plan = "Plan"`). They travel
//! beside the event rather than in it: an event waits in memory packed small, and these are
//! lists of any length that few rows carry.

use super::mapping::{MappedField, MappedRow, Mapping};
use super::row::Field;
use super::tags::{self, Tags};
use crate::symbols::{Sym, Symbols};

#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Extras {
    pub tags: Tags,
    /// (attribute name, value), both interned (lowercase); non-empty values only, in the
    /// mapping's order.
    pub attributes: Vec<(Sym, Sym)>,
}

impl Extras {
    /// The row's tags and attribute values.
    pub fn of(row: &MappedRow<'_>, mapping: &Mapping, symbols: &mut Symbols) -> Extras {
        let tags = tags::intern(
            row.get(MappedField::Event(Field::Tags)),
            mapping.tag_separator,
            symbols,
        );
        let attributes = mapping
            .attribute_names()
            .into_iter()
            .zip(&row.attributes)
            .filter(|(_, value)| !value.trim().is_empty())
            .map(|(name, value)| (symbols.intern(name), symbols.intern(value)))
            .collect();
        Extras { tags, attributes }
    }

    pub fn is_empty(&self) -> bool {
        self.tags.is_empty() && self.attributes.is_empty()
    }

    /// Rewrites each symbol through `map` (old index -> new symbol).
    pub fn remap(&mut self, map: &[Sym]) {
        tags::remap(&mut self.tags, map);
        let at = |sym: Sym| map.get(sym.index()).copied().unwrap_or(sym);
        for (name, value) in &mut self.attributes {
            *name = at(*name);
            *value = at(*value);
        }
    }

    /// Bytes it holds, for the memory estimate.
    pub fn bytes(&self) -> usize {
        (self.tags.len() + 2 * self.attributes.len()) * std::mem::size_of::<Sym>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mapping(attributes: &str) -> Result<Mapping, String> {
        let text = format!(
            "[fields]\nticket_id = \"id\"\ntimestamp = \"at\"\ntags = \"Tags\"\n\
             [attributes]\n{attributes}"
        );
        Mapping::from_toml("t", &text).map_err(|e| e.message)
    }

    #[test]
    fn attribute_columns_are_read_with_null_markers_and_aliases() {
        let mapping = mapping(
            "Plan = { column = \"Plan\", values = { ent = \"enterprise\" } }\n\
             region = { column = \"Region\", null_values = [\"n/a\"] }\n",
        )
        .expect("valid");
        assert_eq!(mapping.attribute_names(), ["plan", "region"]);
        let cells = |slot: usize| {
            let column = mapping.columns[slot].as_str();
            Some(match column {
                "id" => "T",
                "at" => "2026-03-02T09:00:00Z",
                "Tags" => "a b",
                "Plan" => " ENT ",
                _ => "N/A",
            })
        };
        let row = mapping.apply(cells).expect("maps");
        let mut symbols = Symbols::default();
        let extras = Extras::of(&row, &mapping, &mut symbols);
        assert_eq!(extras.tags.len(), 2);
        let named: Vec<(&str, &str)> = extras
            .attributes
            .iter()
            .map(|(n, v)| (symbols.name(*n), symbols.name(*v)))
            .collect();
        assert_eq!(named, [("plan", "enterprise")], "n/a is no value: left out");
        assert!(!extras.is_empty());
        assert!(Extras::default().is_empty());
    }

    #[test]
    fn attribute_names_are_plain_and_never_a_field_s() {
        assert!(mapping("customer_tier = \"Tier\"\n").is_ok());
        let clash = mapping("Priority = \"P\"\n").unwrap_err();
        assert!(clash.contains("is a field already"), "{clash}");
        assert!(mapping("hour = \"H\"\n").is_err(), "a derived field");
        let spaced = mapping("\"my plan\" = \"P\"\n").unwrap_err();
        assert!(spaced.contains("letters, digits and _"), "{spaced}");
        let typed = mapping("plan = { column = \"P\", unit = \"minutes\" }\n").unwrap_err();
        assert!(typed.contains("is text"), "{typed}");
    }
}
