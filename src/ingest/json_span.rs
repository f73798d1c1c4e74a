//! Where a member's value lies in the text of a JSON record, so that a rejected record can
//! show its bad cell. Members are named as the reader names them (dotted paths, the
//! `record_path` member unwrapped, a repeated name's last value), so that the span found is
//! that of the value the mapping read.

use std::collections::HashMap;
use std::ops::Range;

/// Deeper than the reader accepts: a record that got this far is never this deep.
const MAX_DEPTH: usize = super::json_value::MAX_DEPTH + 2;

/// The byte range of the value the member `column` holds in `text` (a JSON object), read as
/// the mapping reads it: inside the `record_path` member when that is an object.
pub(super) fn member_span(
    text: &str,
    record_path: Option<&str>,
    column: &str,
) -> Option<Range<usize>> {
    let members = members(text)?;
    let unwrapped = record_path.and_then(|path| {
        let prefix = format!("{path}.");
        members
            .iter()
            .any(|member| member.path == path && member.is_object)
            .then(|| {
                members
                    .iter()
                    .filter_map(|member| {
                        let inner = member.path.strip_prefix(&prefix)?;
                        Some((inner, member.span.clone()))
                    })
                    .collect::<Vec<_>>()
            })
    });
    let mut named = match unwrapped {
        Some(inner) => inner,
        None => members
            .iter()
            .map(|member| (member.path.as_str(), member.span.clone()))
            .collect(),
    };
    let found = named
        .iter()
        .position(|(name, _)| name.eq_ignore_ascii_case(column))?;
    Some(named.swap_remove(found).1)
}

#[derive(Debug)]
struct Member {
    path: String,
    span: Range<usize>,
    is_object: bool,
}

/// Every member of the object `text`, flattened with dots, in document order; a name repeated
/// in one object keeps its first place and takes its last value (as the reader does).
fn members(text: &str) -> Option<Vec<Member>> {
    let mut scanner = Scanner {
        bytes: text.as_bytes(),
        text,
        at: 0,
        members: Vec::new(),
        index: HashMap::new(),
    };
    scanner.skip_space();
    if scanner.peek()? != b'{' {
        return None;
    }
    scanner.object("", 0)?;
    Some(scanner.members)
}

struct Scanner<'t> {
    bytes: &'t [u8],
    text: &'t str,
    at: usize,
    members: Vec<Member>,
    /// Path -> its place in `members`.
    index: HashMap<String, usize>,
}

impl Scanner<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn skip_space(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    fn expect(&mut self, byte: u8) -> Option<()> {
        self.skip_space();
        (self.peek()? == byte).then(|| self.at += 1)
    }

    /// An object at `self.at`, its members named under `prefix`.
    fn object(&mut self, prefix: &str, depth: usize) -> Option<()> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.expect(b'{')?;
        self.skip_space();
        if self.peek()? == b'}' {
            self.at += 1;
            return Some(());
        }
        loop {
            self.skip_space();
            let key = self.key()?;
            self.expect(b':')?;
            self.skip_space();
            let path = if prefix.is_empty() {
                key
            } else {
                format!("{prefix}.{key}")
            };
            let start = self.at;
            let is_object = self.peek()? == b'{';
            self.note(&path, start..start, is_object);
            if is_object {
                self.object(&path, depth + 1)?;
            } else {
                self.value(depth + 1)?;
            }
            let span = start..self.at;
            let place = self.index.get(&path).copied();
            if let Some(member) = place.and_then(|place| self.members.get_mut(place)) {
                member.span = span;
            }
            self.skip_space();
            match self.peek()? {
                b',' => self.at += 1,
                b'}' => {
                    self.at += 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }

    /// Books a member at its first place (a repeated name keeps it).
    fn note(&mut self, path: &str, span: Range<usize>, is_object: bool) {
        if let Some(place) = self.index.get(path).copied() {
            if let Some(member) = self.members.get_mut(place) {
                member.is_object = is_object;
            }
            return;
        }
        self.index.insert(path.to_owned(), self.members.len());
        self.members.push(Member {
            path: path.to_owned(),
            span,
            is_object,
        });
    }

    /// A member name, unescaped.
    fn key(&mut self) -> Option<String> {
        let start = self.at;
        self.string()?;
        serde_json::from_str(self.text.get(start..self.at)?).ok()
    }

    /// Skips a string, its quotes included.
    fn string(&mut self) -> Option<()> {
        if self.peek()? != b'"' {
            return None;
        }
        self.at += 1;
        loop {
            let offset = memchr::memchr2(b'"', b'\\', self.bytes.get(self.at..)?)?;
            self.at += offset;
            if self.bytes[self.at] == b'\\' {
                self.at += 2;
            } else {
                self.at += 1;
                return Some(());
            }
        }
    }

    /// Skips any value but an object's members (arrays hold none a mapping reads).
    fn value(&mut self, depth: usize) -> Option<()> {
        if depth > MAX_DEPTH {
            return None;
        }
        match self.peek()? {
            b'"' => self.string(),
            b'{' => {
                let mut nested = Scanner {
                    bytes: self.bytes,
                    text: self.text,
                    at: self.at,
                    members: Vec::new(),
                    index: HashMap::new(),
                };
                nested.object("", depth)?;
                self.at = nested.at;
                Some(())
            }
            b'[' => {
                self.at += 1;
                self.skip_space();
                if self.peek()? == b']' {
                    self.at += 1;
                    return Some(());
                }
                loop {
                    self.skip_space();
                    self.value(depth + 1)?;
                    self.skip_space();
                    match self.peek()? {
                        b',' => self.at += 1,
                        b']' => {
                            self.at += 1;
                            return Some(());
                        }
                        _ => return None,
                    }
                }
            }
            _ => {
                // A number, true, false or null: up to the next delimiter.
                let rest = self.bytes.get(self.at..)?;
                let end = rest
                    .iter()
                    .position(|b| matches!(b, b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r'))
                    .unwrap_or(rest.len());
                (end > 0).then(|| self.at += end)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown<'t>(text: &'t str, record_path: Option<&str>, column: &str) -> Option<&'t str> {
        member_span(text, record_path, column).map(|span| &text[span])
    }

    #[test]
    fn members_are_found_by_dotted_name_ignoring_case() {
        let text = r#"{"id": 35436, "via": {"channel": "email", "source": {"from": {}}},
            "tags": ["a", {"x": 1}], "Created_At": "yesterday", "n": null}"#;
        assert_eq!(shown(text, None, "id"), Some("35436"));
        assert_eq!(shown(text, None, "via.channel"), Some("\"email\""));
        assert_eq!(shown(text, None, "VIA.source"), Some("{\"from\": {}}"));
        assert_eq!(shown(text, None, "created_at"), Some("\"yesterday\""));
        assert_eq!(shown(text, None, "n"), Some("null"));
        assert_eq!(shown(text, None, "tags"), Some("[\"a\", {\"x\": 1}]"));
        assert_eq!(shown(text, None, "x"), None, "arrays hold no members");
        assert_eq!(shown(text, None, "missing"), None);
    }

    #[test]
    fn a_wrapped_record_is_read_inside_its_record_path() {
        let wrapped = r#"{"id": 1, "ticket": {"id": "T-9", "status": "?"}}"#;
        assert_eq!(shown(wrapped, Some("ticket"), "id"), Some("\"T-9\""));
        let bare = r#"{"id": "T-9", "ticket": "not an object"}"#;
        assert_eq!(shown(bare, Some("ticket"), "id"), Some("\"T-9\""));
    }

    #[test]
    fn a_repeated_name_points_at_its_last_value_and_escapes_are_read() {
        let text = r#"{"a": 1, "b\"c": "q\"x", "a": "two"}"#;
        assert_eq!(shown(text, None, "a"), Some("\"two\""));
        assert_eq!(shown(text, None, "b\"c"), Some("\"q\\\"x\""));
        assert_eq!(
            shown(r#"{"k":"\u00e9t\u00e9"}"#, None, "k"),
            Some("\"\\u00e9t\\u00e9\"")
        );
    }

    #[test]
    fn text_that_is_no_object_has_no_members() {
        assert_eq!(member_span("[1, 2]", None, "a"), None);
        assert_eq!(member_span("{\"a\": ", None, "a"), None);
        let deep = format!("{{\"a\":{}1{}}}", "[".repeat(100), "]".repeat(100));
        assert_eq!(member_span(&deep, None, "a"), None, "bounded depth");
    }
}
