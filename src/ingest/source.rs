//! Opening inputs: files or stdin, gzip by its magic bytes, and the input format.

use std::fmt;
use std::fs::File;
use std::io::{self, BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::names::{self, Named, UnknownName};
use crate::progress::Progress;

const BUFFER_SIZE: usize = 256 * 1024;
const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];
const UTF8_BOM: [u8; 3] = [0xef, 0xbb, 0xbf];
/// What a Parquet file starts (and ends) with.
pub const PARQUET_MAGIC: &[u8; 4] = b"PAR1";

/// An input named on the command line; `-` is standard input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Stdin,
    Path(PathBuf),
    /// An in-memory input (tests, fuzzing, embedding): a display name and its bytes.
    Memory {
        name: String,
        bytes: Arc<[u8]>,
    },
}

impl Source {
    pub fn from_arg(arg: &Path) -> Source {
        if arg.as_os_str() == "-" {
            Source::Stdin
        } else {
            Source::Path(arg.to_path_buf())
        }
    }

    /// The extension that names the format, looking through a trailing `.gz`.
    fn format_extension(&self) -> Option<String> {
        let path = match self {
            Source::Path(path) => path.as_path(),
            Source::Memory { name, .. } => Path::new(name),
            Source::Stdin => return None,
        };
        let name = path.file_name()?.to_string_lossy().to_lowercase();
        let name = name.strip_suffix(".gz").unwrap_or(&name);
        Path::new(name)
            .extension()
            .map(|ext| ext.to_string_lossy().into_owned())
    }

    /// Opens the input, undoes gzip compression (concatenated members too) and, when an
    /// encoding is given, decodes it to UTF-8.
    pub fn open(
        &self,
        encoding: Option<&'static encoding_rs::Encoding>,
        progress: Option<&Progress>,
    ) -> io::Result<Box<dyn BufRead>> {
        // Progress counts the bytes of the file itself, compressed or not, so its total and
        // time left are right for gzip inputs too.
        let counted = |reader: Box<dyn io::Read + Send>| -> Box<dyn BufRead + Send> {
            match progress {
                Some(progress) => {
                    Box::new(BufReader::with_capacity(BUFFER_SIZE, progress.wrap(reader)))
                }
                None => Box::new(BufReader::with_capacity(BUFFER_SIZE, reader)),
            }
        };
        let raw: Box<dyn BufRead + Send> = match self {
            Source::Stdin => counted(Box::new(io::stdin())),
            Source::Path(path) => counted(Box::new(File::open(path)?)),
            Source::Memory { bytes, .. } => Box::new(io::Cursor::new(bytes.clone())),
        };
        let plain = decompress(raw)?;
        Ok(match encoding {
            None => plain,
            Some(encoding) => with_first_line(Box::new(BufReader::with_capacity(
                BUFFER_SIZE,
                encoding_rs_io::DecodeReaderBytesBuilder::new()
                    .encoding(Some(encoding))
                    .build(plain),
            )))?,
        })
    }
}

/// The most of a first line read ahead for sniffing the format and the delimiter.
const FIRST_LINE_LIMIT: usize = 64 * 1024;

/// The same stream, with its first line whole in the first buffer: a decoder hands out its
/// text a few bytes at a time (the first read may hold only the BOM check), and the format
/// and the delimiter are sniffed from what the buffer holds.
fn with_first_line(mut reader: Box<dyn BufRead>) -> io::Result<Box<dyn BufRead>> {
    let mut head = Vec::new();
    while head.len() < FIRST_LINE_LIMIT {
        let chunk = reader.fill_buf()?;
        if chunk.is_empty() {
            break;
        }
        let room = FIRST_LINE_LIMIT - head.len();
        let (taken, ends) = match chunk.iter().take(room).position(|&b| b == b'\n') {
            Some(at) => (at + 1, true),
            None => (chunk.len().min(room), false),
        };
        head.extend_from_slice(&chunk[..taken]);
        reader.consume(taken);
        if ends {
            break;
        }
    }
    Ok(Box::new(BufReader::with_capacity(
        BUFFER_SIZE,
        io::Read::chain(io::Cursor::new(head), reader),
    )))
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Stdin => f.write_str("<stdin>"),
            Source::Path(path) => write!(f, "{}", path.display()),
            Source::Memory { name, .. } => f.write_str(name),
        }
    }
}

/// gzip is inflated on a thread of its own (`inflate`), beside the parsing.
fn decompress(mut raw: Box<dyn BufRead + Send>) -> io::Result<Box<dyn BufRead>> {
    if starts_with(&mut raw, &GZIP_MAGIC)? {
        Ok(Box::new(super::inflate::gunzip_on_thread(raw)?))
    } else {
        Ok(raw)
    }
}

/// Whether the stream starts with `prefix`, without consuming anything. It peeks at what the
/// first read brought; every decision made this way needs only a few bytes.
fn starts_with(reader: &mut dyn BufRead, prefix: &[u8]) -> io::Result<bool> {
    Ok(reader.fill_buf()?.starts_with(prefix))
}

/// Skips a UTF-8 byte order mark: Excel writes one, and it would glue itself to the first
/// header name.
pub fn skip_bom(reader: &mut dyn BufRead) -> io::Result<()> {
    if starts_with(reader, &UTF8_BOM)? {
        reader.consume(UTF8_BOM.len());
    }
    Ok(())
}

/// The formats of the canonical event log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputFormat {
    Csv,
    /// A JSON array of objects.
    Json,
    /// One JSON object per line (also called NDJSON).
    Jsonl,
    /// Apache Parquet (`PAR1`), its typed cells read as text (see `ingest::parquet_input`).
    Parquet,
}

impl Named for InputFormat {
    const ALL: &'static [InputFormat] = &[
        InputFormat::Csv,
        InputFormat::Json,
        InputFormat::Jsonl,
        InputFormat::Parquet,
    ];
    const WHAT: &'static str = "input format";

    fn as_str(self) -> &'static str {
        match self {
            InputFormat::Csv => "csv",
            InputFormat::Json => "json",
            InputFormat::Jsonl => "jsonl",
            InputFormat::Parquet => "parquet",
        }
    }
}

impl std::str::FromStr for InputFormat {
    type Err = UnknownName;

    fn from_str(text: &str) -> Result<InputFormat, UnknownName> {
        names::parse(text)
    }
}

/// Chooses the format: `--input-format`, else the extension for CSV, else the content
/// (Parquet's magic bytes `PAR1`; `[` opens a JSON array, `{` a JSON Lines file; anything else
/// is CSV). `.json` files are sniffed too, because many "JSON exports" are really JSON Lines.
pub fn detect_format(
    source: &Source,
    forced: Option<InputFormat>,
    reader: &mut dyn BufRead,
) -> io::Result<InputFormat> {
    if let Some(format) = forced {
        return Ok(format);
    }
    if matches!(
        source.format_extension().as_deref(),
        Some("csv" | "tsv" | "tab")
    ) {
        return Ok(InputFormat::Csv);
    }
    let head = reader.fill_buf()?;
    if head.starts_with(PARQUET_MAGIC) {
        return Ok(InputFormat::Parquet);
    }
    Ok(match head.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'[') => InputFormat::Json,
        Some(b'{') => InputFormat::Jsonl,
        _ => InputFormat::Csv,
    })
}

/// The delimiter of a CSV input: `--delimiter`, tab for `.tsv`, else the most frequent of
/// comma, tab, semicolon and pipe in the header line (outside quotes); comma on a tie.
pub fn detect_delimiter(
    source: &Source,
    forced: Option<u8>,
    reader: &mut dyn BufRead,
) -> io::Result<u8> {
    if let Some(delimiter) = forced {
        return Ok(delimiter);
    }
    if matches!(source.format_extension().as_deref(), Some("tsv" | "tab")) {
        return Ok(b'\t');
    }
    Ok(sniff_delimiter(reader.fill_buf()?))
}

pub fn sniff_delimiter(head: &[u8]) -> u8 {
    let mut counts = [(b',', 0usize), (b'\t', 0), (b';', 0), (b'|', 0)];
    let mut quoted = false;
    for byte in head {
        match byte {
            b'"' => quoted = !quoted,
            b'\n' | b'\r' if !quoted => break,
            _ if !quoted => {
                if let Some(entry) = counts.iter_mut().find(|(d, _)| d == byte) {
                    entry.1 += 1;
                }
            }
            _ => {}
        }
    }
    // max_by_key keeps the last maximum; iterate reversed so comma wins ties.
    counts
        .iter()
        .rev()
        .max_by_key(|(_, count)| *count)
        .map_or(b',', |(delimiter, _)| *delimiter)
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::Compression;
    use flate2::write::GzEncoder;
    use std::io::{Cursor, Read, Write};

    fn read_all(reader: &mut dyn Read) -> Vec<u8> {
        let mut buffer = Vec::new();
        reader.read_to_end(&mut buffer).unwrap();
        buffer
    }

    fn gzip(data: &[u8]) -> Vec<u8> {
        let mut encoder = GzEncoder::new(Vec::new(), Compression::fast());
        encoder.write_all(data).unwrap();
        encoder.finish().unwrap()
    }

    #[test]
    fn gzip_is_detected_by_magic_and_members_are_concatenated() {
        let mut data = gzip(b"a,b\n");
        data.extend(gzip(b"1,2\n"));
        let reader: Box<dyn BufRead + Send> = Box::new(Cursor::new(data));
        let mut plain = decompress(reader).unwrap();
        assert_eq!(read_all(&mut plain), b"a,b\n1,2\n");
    }

    #[test]
    fn plain_input_passes_through() {
        let reader: Box<dyn BufRead + Send> = Box::new(Cursor::new(b"x".to_vec()));
        assert_eq!(read_all(&mut decompress(reader).unwrap()), b"x");
    }

    #[test]
    fn delimiter_is_sniffed_from_the_header() {
        assert_eq!(sniff_delimiter(b"a,b,c\n1;2;3;4;5"), b',');
        assert_eq!(sniff_delimiter(b"a\tb\tc"), b'\t');
        assert_eq!(sniff_delimiter(b"a;b;\"c,d,e\""), b';');
        assert_eq!(sniff_delimiter(b"single"), b',');
    }

    #[test]
    fn the_delimiter_is_sniffed_from_decoded_text_too() {
        let cases: [(&[u8], &str, u8); 3] = [
            (
                b"id;when;canal\n1;2024-01-01;t\xe9l\xe9phone\n",
                "windows-1252",
                b';',
            ),
            (b"id|when|canal\n1|2024-01-01|t\xe9l\n", "latin1", b'|'),
            (b"id\twhen\n1\t2024-01-01\n", "windows-1252", b'\t'),
        ];
        for (bytes, label, delimiter) in cases {
            let source = Source::Memory {
                name: "export.txt".to_owned(),
                bytes: bytes.into(),
            };
            let encoding = encoding_rs::Encoding::for_label(label.as_bytes());
            let mut reader = source.open(encoding, None).unwrap();
            skip_bom(&mut reader).unwrap();
            assert_eq!(
                detect_format(&source, None, &mut reader).unwrap(),
                InputFormat::Csv
            );
            assert_eq!(
                detect_delimiter(&source, None, &mut reader).unwrap(),
                delimiter,
                "{label}"
            );
            let text = String::from_utf8(read_all(&mut reader)).unwrap();
            assert!(text.starts_with("id"), "nothing is lost: {text:?}");
            assert_eq!(text.lines().count(), 2);
        }
    }

    /// A stream that hands out one byte a read, as a decoder may at its start.
    struct Trickle(Cursor<Vec<u8>>);

    impl Read for Trickle {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let one = buf.len().min(1);
            self.0.read(&mut buf[..one])
        }
    }

    #[test]
    fn the_first_line_is_whole_before_the_delimiter_is_sniffed() {
        let bytes = b"id;when;canal\n1;2024-01-01;phone\n".to_vec();
        let trickle = || -> Box<dyn BufRead> {
            Box::new(BufReader::with_capacity(
                1,
                Trickle(Cursor::new(bytes.clone())),
            ))
        };
        let source = Source::Path("export.txt".into());
        let mut bare = trickle();
        assert_eq!(
            detect_delimiter(&source, None, &mut bare).unwrap(),
            b',',
            "one byte says nothing"
        );
        let mut ahead = with_first_line(trickle()).unwrap();
        assert_eq!(detect_delimiter(&source, None, &mut ahead).unwrap(), b';');
        assert_eq!(read_all(&mut ahead), bytes, "the stream is unchanged");
    }

    #[test]
    fn a_long_first_line_is_read_ahead_to_its_limit_only() {
        let mut bytes = vec![b'a'; FIRST_LINE_LIMIT * 2];
        bytes.extend_from_slice(b";b\n1;2\n");
        let reader: Box<dyn BufRead> = Box::new(Cursor::new(bytes.clone()));
        let mut reader = with_first_line(reader).unwrap();
        assert_eq!(read_all(&mut reader), bytes, "the stream is unchanged");
    }

    #[test]
    fn format_is_sniffed_from_content_unless_named() {
        let stdin = Source::Stdin;
        let detect = |text: &str| {
            detect_format(&stdin, None, &mut Cursor::new(text.as_bytes().to_vec())).unwrap()
        };
        assert_eq!(detect("  [{\"a\":1}]"), InputFormat::Json);
        assert_eq!(detect("{\"a\":1}\n"), InputFormat::Jsonl);
        assert_eq!(detect("ticket_id,timestamp\n"), InputFormat::Csv);
        assert_eq!(
            detect("PAR1\x15\x04"),
            InputFormat::Parquet,
            "by its magic bytes"
        );
        let named = Source::Path(PathBuf::from("events.csv"));
        let parquet = detect_format(&named, None, &mut Cursor::new(b"PAR1".to_vec())).unwrap();
        assert_eq!(
            parquet,
            InputFormat::Csv,
            "an extension that names CSV wins"
        );
        let csv_file = Source::Path(PathBuf::from("export.CSV.gz"));
        let forced = detect_format(&csv_file, None, &mut Cursor::new(b"[".to_vec())).unwrap();
        assert_eq!(forced, InputFormat::Csv, "the extension names CSV");
    }
}
