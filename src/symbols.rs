//! Interned free-text values (channel, agent, team, priority, category).
//!
//! Exports repeat a handful of such values millions of times; events store a 4-byte symbol and
//! the text lives once here. Values are trimmed and lowercased on the way in, because the
//! contract compares them case-insensitively and reports them in lowercase.

use rustc_hash::FxHashMap;

/// An interned value; `Sym::NONE` is the empty value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Sym(u32);

impl Sym {
    pub const NONE: Sym = Sym(0);

    pub fn is_none(self) -> bool {
        self == Sym::NONE
    }

    pub fn index(self) -> usize {
        self.0 as usize
    }

    /// `Some(self)` unless empty: "last non-empty value" rules read naturally with it.
    pub fn non_empty(self) -> Option<Sym> {
        (!self.is_none()).then_some(self)
    }
}

/// The label of a group whose value is empty.
pub const NONE_LABEL: &str = "(none)";

#[derive(Debug, Clone)]
pub struct Symbols {
    names: Vec<String>,
    ids: FxHashMap<String, Sym>,
}

impl Default for Symbols {
    fn default() -> Self {
        Symbols {
            names: vec![String::new()],
            ids: FxHashMap::default(),
        }
    }
}

impl Symbols {
    pub fn intern(&mut self, raw: &str) -> Sym {
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return Sym::NONE;
        }
        if let Some(sym) = self.ids.get(trimmed) {
            return *sym;
        }
        // Distinct spellings of one value ("Email", "email") share a symbol.
        let lower = trimmed.to_lowercase();
        let sym = match self.ids.get(&lower) {
            Some(sym) => *sym,
            None => {
                let sym = Sym(u32::try_from(self.names.len()).unwrap_or(u32::MAX));
                self.names.push(lower.clone());
                self.ids.insert(lower, sym);
                sym
            }
        };
        self.ids.insert(trimmed.to_owned(), sym);
        sym
    }

    /// The lowercase text of `sym`; empty for `Sym::NONE`.
    pub fn name(&self, sym: Sym) -> &str {
        self.names.get(sym.0 as usize).map_or("", String::as_str)
    }

    /// The text of `sym`, or `(none)` for the empty value: how groups are labelled.
    pub fn label(&self, sym: Sym) -> &str {
        if sym.is_none() {
            NONE_LABEL
        } else {
            self.name(sym)
        }
    }

    /// For each symbol of `other` (by index), the same value's symbol here, interning what is
    /// new: how a table built on another thread joins this one.
    pub fn absorb(&mut self, other: &Symbols) -> Vec<Sym> {
        other.names.iter().map(|name| self.intern(name)).collect()
    }

    pub fn lookup(&self, raw: &str) -> Option<Sym> {
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return Some(Sym::NONE);
        }
        self.ids
            .get(trimmed)
            .or_else(|| self.ids.get(&trimmed.to_lowercase()))
            .copied()
    }
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
    fn empty_is_none() {
        let mut symbols = Symbols::default();
        assert_eq!(symbols.intern("  "), Sym::NONE);
        assert_eq!(symbols.label(Sym::NONE), "(none)");
        assert_eq!(symbols.name(Sym::NONE), "");
    }
}
