//! Escaping policies, one per medium. A value from the input (a ticket id, an agent name, a
//! header or file name, a rejected row) must not act where a writer puts it: move a
//! terminal's cursor, turn text around with a direction override, run as a spreadsheet
//! formula, or become HTML or a link in rendered Markdown. Each writer applies its medium's
//! policy to every such value; the policies live here, once.
//!
//! | medium | policy | writers |
//! |---|---|---|
//! | terminal | [`terminal`] | tables, text, `inspect` |
//! | standard error | [`message`] (line breaks kept) | error messages, notes |
//! | spreadsheet (CSV) | [`spreadsheet`], then [`csv_field`] where we quote ourselves | `--format csv`, `tickets`/`sla` CSV, `--rejects` |
//! | Markdown | [`markdown`] | `--format markdown`, `tickets`/`sla` Markdown |
//!
//! JSON needs none (serde_json escapes what JSON requires) and HTML has maud's escaping.

use std::borrow::Cow;
use std::io;

/// Characters a terminal or a renderer acts on while showing nothing: control characters
/// (C0, DEL, C1: cursor moves, colours, bells) and the invisible format characters that
/// reorder or hide text (bidirectional overrides and isolates such as U+202E, directional
/// marks, zero-width space, word joiner, byte-order mark, line and paragraph separators).
/// The zero-width (non-)joiners stay: emoji sequences and Persian words need them.
pub fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061C}'
                | '\u{200B}'
                | '\u{200E}'
                | '\u{200F}'
                | '\u{2028}'..='\u{202E}'
                | '\u{2060}'..='\u{2064}'
                | '\u{2066}'..='\u{2069}'
                | '\u{FEFF}'
                | '\u{FFF9}'..='\u{FFFB}'
        )
}

/// Terminal: unsafe characters become visible escapes (`\u{1b}`, `\t`, `\u{202e}`), so a
/// value shows what it holds and cannot restyle or reorder what follows it.
pub fn terminal(value: &str) -> Cow<'_, str> {
    if !value.chars().any(is_unsafe) {
        return Cow::Borrowed(value);
    }
    let mut out = String::with_capacity(value.len() + 8);
    for c in value.chars() {
        if is_unsafe(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Standard error: as on a terminal, but a message keeps its own line breaks (a TOML
/// error shows the line it is about, and a caret under the column).
pub fn message(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|c| c != '\n' && is_unsafe(c)) {
        return Cow::Borrowed(text);
    }
    let lines: Vec<Cow<'_, str>> = text.split('\n').map(terminal).collect();
    Cow::Owned(lines.join("\n"))
}

/// Spreadsheet: a cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab or CR
/// first) gets a leading apostrophe, the convention spreadsheets display as plain text.
pub fn spreadsheet(value: &str) -> Cow<'_, str> {
    match value.as_bytes().first() {
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r') => format!("'{value}").into(),
        _ => value.into(),
    }
}

/// Writes `value` as one field of a comma-separated record: quoted, with quotes doubled,
/// when it holds a comma, a quote or a line break (RFC 4180). Linear in the field's length:
/// the csv crate's writer rescans a long quoted field for every 8 KiB it writes, quadratic
/// on a rejected row of 80 MB.
pub fn csv_field(out: &mut impl io::Write, value: &str) -> io::Result<()> {
    if !value
        .bytes()
        .any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r'))
    {
        return out.write_all(value.as_bytes());
    }
    out.write_all(b"\"")?;
    for (index, piece) in value.split('"').enumerate() {
        if index > 0 {
            out.write_all(b"\"\"")?;
        }
        out.write_all(piece.as_bytes())?;
    }
    out.write_all(b"\"")
}

/// Markdown (CommonMark and GitHub's tables): the text renders as itself. HTML cannot form
/// (`<`, `>`, `&` become entities), nor links or images (brackets escaped: without them
/// `(javascript:..)` is plain text), nor emphasis or code, nor a new cell or row (pipes
/// escaped, line breaks become spaces); other unsafe characters show as on a terminal.
pub fn markdown(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 8);
    for c in value.chars() {
        match c {
            '\n' | '\r' => out.push(' '),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '~' => {
                out.push('\\');
                out.push(c);
            }
            c if is_unsafe(c) => {
                // The escape's own backslash is escaped, so it shows as `\u{1b}`.
                out.push('\\');
                out.extend(c.escape_default());
            }
            c => out.push(c),
        }
    }
    out
}

/// At most `limit` characters of `text`, and then how many were left out: one value must
/// not make a message of megabytes.
pub fn elide(text: &str, limit: usize) -> Cow<'_, str> {
    match text.char_indices().nth(limit) {
        None => Cow::Borrowed(text),
        Some((cut, _)) => {
            let rest = text[cut..].chars().count();
            Cow::Owned(format!(
                "{}... ({} more characters)",
                &text[..cut],
                super::text::count(rest as u64)
            ))
        }
    }
}

/// The first of a `", "`-separated list that fit in about `limit` characters, and how many
/// items were left out (a header of a million columns in an error message).
pub fn elide_list(list: &str, limit: usize) -> Cow<'_, str> {
    if list.len() <= limit {
        return Cow::Borrowed(list);
    }
    let mut shown = 0;
    let mut end = 0;
    for (at, _) in list.match_indices(", ") {
        if at > limit {
            break;
        }
        shown += 1;
        end = at;
    }
    let total = list.matches(", ").count() + 1;
    if shown == 0 {
        return elide(list, limit);
    }
    Cow::Owned(format!(
        "{}, ... and {} more",
        &list[..end],
        super::text::count((total - shown) as u64)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_shows_control_and_direction_characters() {
        assert_eq!(
            terminal("plain café 👨\u{200d}👩"),
            "plain café 👨\u{200d}👩"
        );
        assert_eq!(terminal("chat\u{1b}[31m"), "chat\\u{1b}[31m");
        assert_eq!(terminal("a\u{7}b\0c\td\ne"), "a\\u{7}b\\u{0}c\\td\\ne");
        assert_eq!(terminal("abc\u{202e}fed"), "abc\\u{202e}fed");
        assert_eq!(
            terminal("\u{2066}x\u{2069}\u{200f}"),
            "\\u{2066}x\\u{2069}\\u{200f}"
        );
        assert_eq!(terminal("\u{9b}31m"), "\\u{9b}31m", "the C1 CSI too");
        assert!(matches!(terminal("fine"), Cow::Borrowed(_)));
    }

    #[test]
    fn messages_keep_their_lines_and_nothing_else() {
        assert_eq!(message("a\n  |\n1 | x"), "a\n  |\n1 | x");
        assert_eq!(
            message("in.csv: column 'a\u{1b}[2J\u{202e}'\nnext"),
            "in.csv: column 'a\\u{1b}[2J\\u{202e}'\nnext"
        );
        assert_eq!(message("cr\r"), "cr\\r");
    }

    #[test]
    fn spreadsheet_defuses_formula_prefixes() {
        assert_eq!(spreadsheet("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(spreadsheet("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(spreadsheet("+7"), "'+7");
        assert_eq!(spreadsheet("-5+5"), "'-5+5");
        assert_eq!(spreadsheet("\tx"), "'\tx");
        assert_eq!(spreadsheet("email"), "email");
        assert_eq!(spreadsheet(""), "");
    }

    #[test]
    fn csv_fields_round_trip_through_a_csv_reader() {
        let values = ["plain", "a,b", "say \"hi\"", "two\nlines", "\r", "", "\"\""];
        let mut line = Vec::new();
        for (index, value) in values.iter().enumerate() {
            if index > 0 {
                line.push(b',');
            }
            csv_field(&mut line, value).unwrap();
        }
        line.push(b'\n');
        let mut reader = ::csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(line.as_slice());
        let record = reader.records().next().unwrap().unwrap();
        assert_eq!(record.iter().collect::<Vec<_>>(), values);
    }

    #[test]
    fn csv_field_is_linear_in_a_long_quoted_value() {
        // 8 MB with a quote at the end: the shape that made the csv writer quadratic.
        let value = format!("{}\"", "x".repeat(8 << 20));
        let started = std::time::Instant::now();
        let mut out = Vec::new();
        csv_field(&mut out, &value).unwrap();
        assert_eq!(out.len(), value.len() + 3);
        assert!(started.elapsed().as_secs() < 5, "{:?}", started.elapsed());
    }

    #[test]
    fn markdown_cannot_form_html_links_or_cells() {
        assert_eq!(
            markdown("<script>alert(1)</script>"),
            "&lt;script&gt;alert(1)&lt;/script&gt;"
        );
        assert_eq!(
            markdown("<img src=x onerror=alert(1)>"),
            "&lt;img src=x onerror=alert(1)&gt;"
        );
        assert_eq!(
            markdown("[x](javascript:alert(1))"),
            "\\[x\\](javascript:alert(1))"
        );
        assert_eq!(markdown("![i](http://h/x.png)"), "!\\[i\\](http://h/x.png)");
        assert_eq!(markdown("a|b\nc"), "a\\|b c");
        assert_eq!(markdown("&#x3C;b>"), "&amp;#x3C;b&gt;");
        assert_eq!(
            markdown("`code` *em* _em_ ~~s~~"),
            "\\`code\\` \\*em\\* \\_em\\_ \\~\\~s\\~\\~"
        );
        assert_eq!(
            markdown("bell\u{7}esc\u{1b}nul\0"),
            "bell\\\\u{7}esc\\\\u{1b}nul\\\\u{0}"
        );
        assert_eq!(markdown("rtl\u{202e}"), "rtl\\\\u{202e}");
        assert_eq!(markdown("back\\slash"), "back\\\\slash");
        assert_eq!(markdown("email 2026-03-02 12:00"), "email 2026-03-02 12:00");
    }

    #[test]
    fn long_texts_and_lists_are_cut_with_a_count() {
        assert_eq!(elide("short", 10), "short");
        assert_eq!(elide("abcdefghij", 4), "abcd... (6 more characters)");
        let header: Vec<String> = (0..1_000_000).map(|i| format!("c{i}")).collect();
        let list = header.join(", ");
        let cut = elide_list(&list, 200);
        assert!(cut.len() < 300, "{}", cut.len());
        assert!(cut.starts_with("c0, c1, c2"), "{cut}");
        assert!(cut.ends_with("more"), "{cut}");
        let shown = cut.matches(", ").count();
        assert!(
            cut.contains(&format!(
                "and {} more",
                super::super::text::count((1_000_000 - shown) as u64)
            )),
            "{cut}"
        );
        assert_eq!(elide_list("a, b", 200), "a, b");
    }
}
