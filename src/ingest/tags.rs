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

/// The tags of a cell. A JSON array's strings are the tags; else, where the cell holds a
/// comma or a semicolon, those separate the tags (Freshdesk's "tag one,tag two"); else
/// whitespace does (Zendesk's "billing vip").
pub fn split(cell: &str) -> Vec<&str> {
    let pieces: Vec<&str> = if cell.contains(LIST_SEPARATOR) {
        cell.split(LIST_SEPARATOR).collect()
    } else if cell.contains([',', ';']) {
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
pub fn intern(cell: &str, symbols: &mut Symbols) -> Tags {
    let mut tags: Tags = split(cell)
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
        assert_eq!(split("billing vip"), ["billing", "vip"], "Zendesk CSV");
        assert_eq!(
            split("tag one, tag two"),
            ["tag one", "tag two"],
            "Freshdesk: commas, spaces kept inside a tag"
        );
        assert_eq!(split("a;b ; c"), ["a", "b", "c"]);
        assert_eq!(
            split("on hold\u{1f}vip"),
            ["on hold", "vip"],
            "a JSON array's strings"
        );
        assert_eq!(split("on hold\u{1f}"), ["on hold"], "one string");
        assert!(split("").is_empty());
        assert!(split(" , ;").is_empty());
    }

    #[test]
    fn tags_are_interned_lowercase_and_distinct() {
        let mut symbols = Symbols::default();
        let tags = intern("VIP billing vip Billing", &mut symbols);
        let mut names: Vec<&str> = tags.iter().map(|t| symbols.name(*t)).collect();
        names.sort_unstable();
        assert_eq!(names, ["billing", "vip"]);
        let mut more = intern("refund vip", &mut symbols);
        union(&mut more, &tags);
        assert_eq!(more.len(), 3);
    }
}
