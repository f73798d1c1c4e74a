//! A ticket's tags as exports write them: a list in one cell. Zendesk's CSV export separates
//! them with spaces (its tags cannot hold one), Freshdesk's with commas (its tags can hold
//! spaces), some exports with semicolons, and JSON inputs give an array of strings, which the
//! JSON reader joins with [`LIST_SEPARATOR`].

use crate::symbols::{Sym, Symbols};

/// What the JSON reader puts between the strings of an array read as a list: a control
/// character no export writes inside a tag, so that `["on hold"]` stays one tag.
pub const LIST_SEPARATOR: char = '\u{1f}';

/// A set of tags: interned (trimmed, lowercase), distinct, in symbol order.
pub type Tags = Vec<Sym>;

/// The tags of a cell. A JSON array's strings are the tags; else the mapping's `separator`
/// separates them (whitespace for `" "`); without one, where the cell holds a comma or a
/// semicolon, those do (Freshdesk's "tag one,tag two"), else whitespace does (Zendesk's
/// "billing vip").
pub fn split(cell: &str, separator: Option<char>) -> Vec<&str> {
    let pieces: Vec<&str> = if cell.contains(LIST_SEPARATOR) {
        cell.split(LIST_SEPARATOR).collect()
    } else if let Some(separator) = separator.filter(|c| !c.is_whitespace()) {
        cell.split(separator).collect()
    } else if separator.is_none() && cell.contains([',', ';']) {
        cell.split([',', ';']).collect()
    } else {
        cell.split_whitespace().collect()
    };
    pieces
        .into_iter()
        .map(str::trim)
        .filter(|piece| !piece.is_empty())
        .collect()
}

/// The cell's tags, interned like every other value.
pub fn intern(cell: &str, separator: Option<char>, symbols: &mut Symbols) -> Tags {
    let mut tags: Tags = split(cell, separator)
        .into_iter()
        .map(|tag| symbols.intern(tag))
        .filter(|sym| !sym.is_none())
        .collect();
    tags.sort_unstable();
    tags.dedup();
    tags
}

/// `into` joined with `more`, still a set.
pub fn union(into: &mut Tags, more: &[Sym]) {
    into.extend_from_slice(more);
    into.sort_unstable();
    into.dedup();
}

/// Rewrites each tag through `map` (old index -> new symbol), as `Attributes::remap` does.
pub fn remap(tags: &mut Tags, map: &[Sym]) {
    for sym in tags.iter_mut() {
        *sym = map.get(sym.index()).copied().unwrap_or(*sym);
    }
    tags.sort_unstable();
    tags.dedup();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spaces_commas_semicolons_and_json_lists_separate_tags() {
        assert_eq!(
            split("billing vip", None),
            ["billing", "vip"],
            "Zendesk CSV"
        );
        assert_eq!(
            split("tag one, tag two", None),
            ["tag one", "tag two"],
            "Freshdesk: commas, spaces kept inside a tag"
        );
        assert_eq!(split("a;b ; c", None), ["a", "b", "c"]);
        assert_eq!(
            split("on hold\u{1f}vip", Some(',')),
            ["on hold", "vip"],
            "a JSON array's strings"
        );
        assert_eq!(split("on hold\u{1f}", None), ["on hold"], "one string");
        assert!(split("", None).is_empty());
        assert!(split(" , ;", None).is_empty());
    }

    #[test]
    fn a_mapping_separator_is_the_only_one() {
        assert_eq!(
            split("payment issue", Some(',')),
            ["payment issue"],
            "one Freshdesk tag with a space"
        );
        assert_eq!(split("a;b, c", Some(',')), ["a;b", "c"]);
        assert_eq!(
            split("a,b c", Some(' ')),
            ["a,b", "c"],
            "whitespace, commas kept"
        );
    }

    #[test]
    fn a_separator_is_one_character_on_the_tags_only() {
        use crate::ingest::mapping::Mapping;
        let mapping = |fields: &str| {
            Mapping::from_toml(
                "t",
                &format!("[fields]\nticket_id = \"id\"\ntimestamp = \"at\"\n{fields}"),
            )
        };
        let ok = mapping(r#"tags = { column = "Tags", separator = "," }"#).expect("valid");
        assert_eq!(ok.tag_separator, Some(','));
        assert_eq!(
            mapping(r#"tags = "Tags""#).expect("valid").tag_separator,
            None
        );
        let two = mapping(r#"tags = { column = "Tags", separator = ", " }"#).unwrap_err();
        assert!(two.message.contains("one character"), "{}", two.message);
        let elsewhere = mapping(r#"channel = { column = "Via", separator = "," }"#).unwrap_err();
        assert!(
            elsewhere.message.contains("tags only"),
            "{}",
            elsewhere.message
        );
    }

    #[test]
    fn tags_are_interned_lowercase_and_distinct() {
        let mut symbols = Symbols::default();
        let tags = intern("VIP billing vip Billing", None, &mut symbols);
        let mut names: Vec<&str> = tags.iter().map(|t| symbols.name(*t)).collect();
        names.sort_unstable();
        assert_eq!(names, ["billing", "vip"]);
        let mut more = intern("refund vip", None, &mut symbols);
        union(&mut more, &tags);
        assert_eq!(more.len(), 3);
    }
}
