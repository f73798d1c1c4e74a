//! Interned free-text values (channel, agent, team, priority, category).
//!
//! Exports repeat a handful of such values millions of times; events store a 4-byte symbol and
//! the text lives once here. Values are trimmed and lowercased on the way in, because the
//! contract compares them case-insensitively and reports them in lowercase.

use std::sync::Arc;

use rustc_hash::FxHashMap;

/// An interned value; `Sym::NONE` is the empty value.
///
/// Its serde form is the bare index: meaningful only with the table it came from, so whatever
/// carries symbols elsewhere carries that table's [`Symbols::names`] too, and the receiver
/// re-interns them ([`Symbols::absorb_names`]) and remaps.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Default,
    serde::Serialize,
    serde::Deserialize,
)]
#[serde(transparent)]
pub struct Sym(u32);

impl Sym {
    pub const NONE: Sym = Sym(0);

    pub fn is_none(self) -> bool {
        self == Sym::NONE
    }

    pub fn index(self) -> usize {
        self.0 as usize
    }

    /// This symbol read through `map` (old index -> new symbol), as [`Symbols::absorb`] and
    /// [`Symbols::absorb_names`] give it; itself if the map does not reach it.
    pub fn remapped(self, map: &[Sym]) -> Sym {
        map.get(self.index()).copied().unwrap_or(self)
    }

    /// `Some(self)` unless empty: "last non-empty value" rules read naturally with it.
    pub fn non_empty(self) -> Option<Sym> {
        (!self.is_none()).then_some(self)
    }
}

/// The label of a group whose value is empty.
pub const NONE_LABEL: &str = "(none)";

/// How a value is labelled for people: `(none)` when there is none, and a real value that
/// reads `(none)` quoted, `"(none)"`, so that the two groups never look alike (nor share a
/// key in `channel_share`).
pub fn label_of(value: Option<&str>) -> std::borrow::Cow<'_, str> {
    match value {
        None => NONE_LABEL.into(),
        Some(NONE_LABEL) => format!("\"{NONE_LABEL}\"").into(),
        Some(value) => value.into(),
    }
}

#[derive(Debug, Clone)]
pub struct Symbols {
    /// Per symbol, its lowercase text, shared with its key in `ids`.
    names: Vec<Arc<str>>,
    /// Every spelling seen (trimmed) -> its symbol.
    ids: FxHashMap<Arc<str>, Sym>,
    /// What the table holds, for `--max-memory`: text of any length can arrive in a value.
    bytes: u64,
}

/// Bytes a key or name takes beyond its text: the `Arc` header, the hash entry and its slack.
const ENTRY_BYTES: u64 = 64;

impl Default for Symbols {
    fn default() -> Self {
        Symbols {
            names: vec![Arc::from("")],
            ids: FxHashMap::default(),
            bytes: 0,
        }
    }
}

impl Symbols {
    pub fn intern(&mut self, raw: &str) -> Sym {
        // Values arrive trimmed from every reader but the JSON ones: skip the Unicode scan
        // when both ends are printable ASCII.
        let printable = |byte: Option<&u8>| byte.is_some_and(u8::is_ascii_graphic);
        let trimmed = if printable(raw.as_bytes().first()) && printable(raw.as_bytes().last()) {
            raw
        } else {
            raw.trim()
        };
        if trimmed.is_empty() {
            return Sym::NONE;
        }
        if let Some(sym) = self.ids.get(trimmed) {
            return *sym;
        }
        // Distinct spellings of one value ("Email", "email") share a symbol. Most values are
        // lowercase already: no copy is made to find out (a value can be megabytes long).
        let lower: std::borrow::Cow<'_, str> = if is_lowercase(trimmed) {
            trimmed.into()
        } else {
            trimmed.to_lowercase().into()
        };
        let sym = match self.ids.get(lower.as_ref()) {
            Some(sym) => *sym,
            None => {
                let sym = Sym(u32::try_from(self.names.len()).unwrap_or(u32::MAX));
                let name: Arc<str> = Arc::from(lower.as_ref());
                self.bytes += name.len() as u64 + ENTRY_BYTES;
                self.names.push(name.clone());
                self.ids.insert(name, sym);
                sym
            }
        };
        if trimmed != lower.as_ref() {
            self.bytes += trimmed.len() as u64 + ENTRY_BYTES;
            self.ids.insert(Arc::from(trimmed), sym);
        }
        sym
    }

    /// Roughly what the table holds: its texts and their entries.
    pub fn estimated_bytes(&self) -> u64 {
        self.bytes
    }

    /// The lowercase text of `sym`; empty for `Sym::NONE`.
    pub fn name(&self, sym: Sym) -> &str {
        self.names.get(sym.0 as usize).map_or("", |name| name)
    }

    /// The text of `sym`, or `(none)` for the empty value: how groups are labelled (see
    /// [`label_of`]).
    pub fn label(&self, sym: Sym) -> std::borrow::Cow<'_, str> {
        label_of(sym.non_empty().map(|sym| self.name(sym)))
    }

    /// For each symbol of `other` (by index), the same value's symbol here, interning what is
    /// new: how a table built on another thread joins this one.
    pub fn absorb(&mut self, other: &Symbols) -> Vec<Sym> {
        other.names.iter().map(|name| self.intern(name)).collect()
    }

    /// Every value's text, in symbol order (the empty value first): interned again in this
    /// order into an empty table, they get the same symbols (`--state`).
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.names.iter().map(|name| &**name)
    }

    /// For each name of another table (by index, as [`Symbols::names`] lists them), its
    /// symbol here, interning what is new.
    pub fn absorb_names<'n>(&mut self, names: impl IntoIterator<Item = &'n str>) -> Vec<Sym> {
        names.into_iter().map(|name| self.intern(name)).collect()
    }

    pub fn lookup(&self, raw: &str) -> Option<Sym> {
        // Values arrive trimmed from every reader but the JSON ones: skip the Unicode scan
        // when both ends are printable ASCII.
        let printable = |byte: Option<&u8>| byte.is_some_and(u8::is_ascii_graphic);
        let trimmed = if printable(raw.as_bytes().first()) && printable(raw.as_bytes().last()) {
            raw
        } else {
            raw.trim()
        };
        if trimmed.is_empty() {
            return Some(Sym::NONE);
        }
        self.ids
            .get(trimmed)
            .or_else(|| self.ids.get(trimmed.to_lowercase().as_str()))
            .copied()
    }
}

/// Whether `text` is its own lowercase (`to_lowercase` would change nothing).
fn is_lowercase(text: &str) -> bool {
    if text.is_ascii() {
        return !text.bytes().any(|b| b.is_ascii_uppercase());
    }
    text.chars().all(|c| {
        let mut lower = c.to_lowercase();
        lower.next() == Some(c) && lower.next().is_none()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_trimmed_and_case_folded() {
        let mut symbols = Symbols::default();
        let email = symbols.intern("Email");
        assert_eq!(symbols.intern(" email "), email);
        assert_eq!(symbols.intern("EMAIL"), email);
        assert_eq!(symbols.name(email), "email");
        assert_ne!(symbols.intern("chat"), email);
    }

    #[test]
    fn lowercase_is_recognised_without_a_copy() {
        assert!(is_lowercase("email 2 ü ß"));
        assert!(!is_lowercase("Email"));
        assert!(
            !is_lowercase("ǅ"),
            "a titlecase letter lowercases to another"
        );
        assert!(!is_lowercase("İ"), "lowercases to two characters");
    }

    #[test]
    fn the_table_counts_what_it_holds() {
        let mut symbols = Symbols::default();
        assert_eq!(symbols.estimated_bytes(), 0);
        symbols.intern("chat");
        let one = symbols.estimated_bytes();
        assert!(one >= 4, "{one}");
        symbols.intern("chat");
        assert_eq!(
            symbols.estimated_bytes(),
            one,
            "a value seen before costs nothing"
        );
        symbols.intern("Chat");
        assert!(
            symbols.estimated_bytes() > one,
            "a new spelling is a new key"
        );
        let long = "x".repeat(1 << 20);
        symbols.intern(&long);
        assert!(
            symbols.estimated_bytes() >= 1 << 20,
            "one huge value counts"
        );
    }

    #[test]
    fn names_read_into_another_table_give_the_same_values() {
        let mut theirs = Symbols::default();
        let (chat, email) = (theirs.intern("Chat"), theirs.intern("email"));
        let mut mine = Symbols::default();
        let phone = mine.intern("phone");
        let map = mine.absorb_names(theirs.names());
        assert_eq!(map[0], Sym::NONE, "the empty value stays empty");
        assert_eq!(mine.name(map[chat.index()]), "chat");
        assert_eq!(mine.name(map[email.index()]), "email");
        assert_eq!(mine.lookup("phone"), Some(phone), "what was there stays");
    }

    #[test]
    fn empty_is_none() {
        let mut symbols = Symbols::default();
        assert_eq!(symbols.intern("  "), Sym::NONE);
        assert_eq!(symbols.label(Sym::NONE), "(none)");
        let literal = symbols.intern("(None)");
        assert_eq!(symbols.name(literal), "(none)");
        assert_eq!(
            symbols.label(literal),
            "\"(none)\"",
            "a real value never reads as the missing one"
        );
        assert_eq!(symbols.name(Sym::NONE), "");
    }
}
