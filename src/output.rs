//! Where outputs go (`-o`, `--rejects`, `init`), and what writing them guarantees:
//!
//! - `-` is standard output, and at most one output goes there;
//! - no output is an input (an export, the config or mapping file) or another output, by
//!   canonical path and by file identity (device and inode), so symbolic and hard links to
//!   an input are caught too;
//! - a regular file is written to a temporary file beside it and renamed over it only once
//!   it is complete, so a failed run leaves the old file as it was and an input is never
//!   truncated before it is read. A symbolic link keeps pointing where it did: its target is
//!   replaced. Devices and pipes (`/dev/null`, `/dev/stdout`, `>(gzip)`) are written as they
//!   are: they hold nothing to lose.

use std::fs::{self, File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::error::BadValue;

/// Where one output goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Destination {
    Stdout,
    File(PathBuf),
}

impl Destination {
    /// `-` is standard output.
    pub fn from_arg(path: &Path) -> Destination {
        if path.as_os_str() == "-" {
            Destination::Stdout
        } else {
            Destination::File(path.to_path_buf())
        }
    }
}

/// An output to check: the option that names it, what it holds, and where it goes.
pub struct NamedOutput<'a> {
    pub option: &'static str,
    /// For messages: "the report", "the rejected rows".
    pub what: &'static str,
    pub destination: &'a Destination,
}

/// Refuses two outputs on standard output, an output that is an input, and two outputs that
/// are one file. `inputs` are paths as given (`-` for standard input).
pub fn check(inputs: &[&Path], outputs: &[NamedOutput<'_>]) -> Result<(), BadValue> {
    let on_stdout: Vec<&NamedOutput<'_>> = outputs
        .iter()
        .filter(|output| *output.destination == Destination::Stdout)
        .collect();
    if let [first, second, ..] = on_stdout.as_slice() {
        return Err(BadValue {
            option: second.option,
            value: "-".to_owned(),
            reason: format!(
                "{} goes to standard output already; give {} a file",
                first.what, second.what
            ),
        });
    }
    let inputs: Vec<(&Path, Identity)> = inputs
        .iter()
        .filter_map(|path| input_identity(path).map(|identity| (*path, identity)))
        .collect();
    let mut seen: Vec<(&NamedOutput<'_>, Identity)> = Vec::new();
    for output in outputs {
        let Destination::File(path) = output.destination else {
            continue;
        };
        let refuse = |reason: String| BadValue {
            option: output.option,
            value: path.display().to_string(),
            reason,
        };
        let identity = output_identity(path).map_err(|error| refuse(error.to_string()))?;
        if !identity.regular {
            continue;
        }
        if let Some((input, _)) = inputs.iter().find(|(_, input)| input.same(&identity)) {
            return Err(refuse(format!(
                "it is the input {} (through a link, or under another name); writing it \
                 would destroy the input: give another file",
                input.display()
            )));
        }
        if let Some((other, _)) = seen.iter().find(|(_, other)| other.same(&identity)) {
            return Err(refuse(format!(
                "{} goes to this file already (--{}); give each output its own file",
                other.what, other.option
            )));
        }
        seen.push((output, identity));
    }
    Ok(())
}

/// What makes two names one file.
#[derive(Debug)]
struct Identity {
    /// Canonical (for a file that does not exist yet: its canonical directory and name).
    path: PathBuf,
    /// Device and inode, for a file that exists.
    file: Option<(u64, u64)>,
    /// A regular file (or one to be created), rather than a device or a pipe.
    regular: bool,
}

impl Identity {
    fn same(&self, other: &Identity) -> bool {
        self.path == other.path || (self.file.is_some() && self.file == other.file)
    }
}

#[cfg(unix)]
fn file_id(metadata: &fs::Metadata) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    Some((metadata.dev(), metadata.ino()))
}

#[cfg(not(unix))]
fn file_id(_: &fs::Metadata) -> Option<(u64, u64)> {
    None
}

/// An input's identity; standard input counts when it is a redirected file. An input that
/// cannot be read has none (reading it fails later, with its own message).
fn input_identity(path: &Path) -> Option<Identity> {
    let path = if path.as_os_str() == "-" {
        Path::new("/dev/stdin")
    } else {
        path
    };
    let metadata = fs::metadata(path).ok()?;
    Some(Identity {
        path: fs::canonicalize(path).ok()?,
        file: file_id(&metadata),
        regular: metadata.is_file(),
    })
}

/// An output's identity, whether or not it exists yet. A symbolic link to nowhere is
/// refused: writing through it would create a file wherever it points.
fn output_identity(path: &Path) -> io::Result<Identity> {
    match fs::metadata(path) {
        Ok(metadata) => Ok(Identity {
            path: fs::canonicalize(path)?,
            file: file_id(&metadata),
            regular: metadata.is_file(),
        }),
        Err(error) if error.kind() == io::ErrorKind::NotFound => {
            if let Ok(target) = fs::read_link(path) {
                return Err(io::Error::other(format!(
                    "it is a symbolic link to {}, which does not exist; remove the link or \
                     give another file",
                    target.display()
                )));
            }
            Ok(Identity {
                path: absolute_new(path),
                file: None,
                regular: true,
            })
        }
        Err(error) => Err(error),
    }
}

/// The canonical form of a path that does not exist yet: its directory canonical.
fn absolute_new(path: &Path) -> PathBuf {
    let name = path.file_name().map(PathBuf::from).unwrap_or_default();
    let parent = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    match fs::canonicalize(parent) {
        Ok(parent) => parent.join(name),
        Err(_) => std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf()),
    }
}

/// A file being written: into a temporary file beside the destination, renamed over it by
/// [`PendingFile::commit`]; dropped without it, the temporary file is removed and the
/// destination is untouched.
#[derive(Debug)]
pub struct PendingFile {
    out: BufWriter<File>,
    /// The file written, and the destination to rename it to (none: written in place).
    temp: Option<(PathBuf, PathBuf)>,
}

impl PendingFile {
    pub fn create(path: &Path) -> io::Result<PendingFile> {
        let target = match fs::symlink_metadata(path) {
            // Replace what a link points to, not the link.
            Ok(metadata) if metadata.file_type().is_symlink() => {
                fs::canonicalize(path).map_err(|_| {
                    io::Error::other(
                        "it is a symbolic link to a file that does not exist; remove the link \
                         or give another file",
                    )
                })?
            }
            _ => path.to_path_buf(),
        };
        let existing = fs::metadata(&target).ok();
        if existing
            .as_ref()
            .is_some_and(|metadata| !metadata.is_file())
        {
            // A device or a pipe: nothing to keep, and nowhere to rename to.
            let file = OpenOptions::new().write(true).open(&target)?;
            return Ok(PendingFile {
                out: BufWriter::new(file),
                temp: None,
            });
        }
        let (temp, file) = create_temp(&target)?;
        if let Some(metadata) = existing {
            // The replacement keeps the old file's permissions (a report shared read-only).
            let _ = file.set_permissions(metadata.permissions());
        }
        Ok(PendingFile {
            out: BufWriter::new(file),
            temp: Some((temp, target)),
        })
    }

    /// Flushes and puts the file in place.
    pub fn commit(mut self) -> io::Result<()> {
        self.out.flush()?;
        if let Some((temp, target)) = self.temp.take()
            && let Err(error) = fs::rename(&temp, &target)
        {
            let _ = fs::remove_file(&temp);
            return Err(error);
        }
        Ok(())
    }
}

impl Write for PendingFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.out.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

impl Drop for PendingFile {
    fn drop(&mut self) {
        if let Some((temp, _)) = self.temp.take() {
            let _ = fs::remove_file(temp);
        }
    }
}

/// A new file `.NAME.PID.N.tmp` in the directory of `target`.
fn create_temp(target: &Path) -> io::Result<(PathBuf, File)> {
    let directory = match target.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let name = target
        .file_name()
        .map_or_else(|| "output".into(), |name| name.to_string_lossy());
    let mut attempt = 0;
    loop {
        let temp = directory.join(format!(".{name}.{}.{attempt}.tmp", std::process::id()));
        match OpenOptions::new().write(true).create_new(true).open(&temp) {
            Ok(file) => return Ok((temp, file)),
            Err(error) if error.kind() == io::ErrorKind::AlreadyExists && attempt < 100 => {
                attempt += 1;
            }
            Err(error) => {
                return Err(io::Error::new(
                    error.kind(),
                    format!(
                        "cannot create a temporary file in {}: {error}",
                        directory.display()
                    ),
                ));
            }
        }
    }
}

/// An output being written: standard output, or a file put in place on `finish`.
#[derive(Debug)]
pub enum Output {
    Stdout(BufWriter<io::Stdout>),
    File(PendingFile),
}

impl Output {
    pub fn open(destination: &Destination) -> io::Result<Output> {
        Ok(match destination {
            Destination::Stdout => Output::Stdout(BufWriter::new(io::stdout())),
            Destination::File(path) => Output::File(PendingFile::create(path)?),
        })
    }

    pub fn finish(self) -> io::Result<()> {
        match self {
            Output::Stdout(mut out) => out.flush(),
            Output::File(file) => file.commit(),
        }
    }
}

impl Write for Output {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Output::Stdout(out) => out.write(buf),
            Output::File(file) => file.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Output::Stdout(out) => out.flush(),
            Output::File(file) => file.flush(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &Path) -> Destination {
        Destination::File(path.to_path_buf())
    }

    fn outputs<'a>(pairs: &'a [(&'static str, Destination)]) -> Vec<NamedOutput<'a>> {
        pairs
            .iter()
            .map(|(option, destination)| NamedOutput {
                option,
                what: option,
                destination,
            })
            .collect()
    }

    #[test]
    fn dash_is_standard_output_and_only_one_output_may_take_it() {
        assert_eq!(Destination::from_arg(Path::new("-")), Destination::Stdout);
        assert_eq!(
            Destination::from_arg(Path::new("./-")),
            Destination::File("./-".into())
        );
        let both = [
            ("output", Destination::Stdout),
            ("rejects", Destination::Stdout),
        ];
        let error = check(&[], &outputs(&both)).unwrap_err();
        assert_eq!(error.option, "rejects");
        assert!(
            error.reason.contains("output goes to standard output"),
            "{error}"
        );
    }

    #[test]
    fn an_input_under_any_name_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("in.csv");
        fs::write(&input, "a\n").unwrap();
        let symlink = dir.path().join("link.csv");
        let hard = dir.path().join("hard.csv");
        std::os::unix::fs::symlink(&input, &symlink).unwrap();
        fs::hard_link(&input, &hard).unwrap();
        fs::create_dir(dir.path().join("sub")).unwrap();
        let dotted = dir.path().join("sub/../in.csv");
        for name in [&input, &symlink, &hard, &dotted] {
            let given = [("output", file(name))];
            let error = check(&[&input], &outputs(&given)).unwrap_err();
            assert!(
                error.reason.contains("it is the input"),
                "{name:?}: {error}"
            );
            let given = [("rejects", file(&input))];
            assert!(
                check(&[name], &outputs(&given)).is_err(),
                "{name:?} as the input"
            );
        }
        let fine = [("output", file(&dir.path().join("report.json")))];
        assert!(check(&[&input], &outputs(&fine)).is_ok());
    }

    #[test]
    fn two_outputs_on_one_file_are_refused_even_before_it_exists() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out.csv");
        let relative_twin = dir.path().join(".").join("out.csv");
        let given = [("output", file(&out)), ("rejects", file(&relative_twin))];
        let error = check(&[], &outputs(&given)).unwrap_err();
        assert_eq!(error.option, "rejects");
        assert!(error.reason.contains("output goes to this file"), "{error}");
    }

    #[test]
    fn devices_never_conflict_and_dangling_links_are_refused() {
        let null = [
            ("output", file(Path::new("/dev/null"))),
            ("rejects", file(Path::new("/dev/null"))),
        ];
        assert!(check(&[Path::new("/dev/null")], &outputs(&null)).is_ok());
        let dir = tempfile::tempdir().unwrap();
        let dangling = dir.path().join("dangling");
        std::os::unix::fs::symlink(dir.path().join("nowhere"), &dangling).unwrap();
        let given = [("output", file(&dangling))];
        let error = check(&[], &outputs(&given)).unwrap_err();
        assert!(error.reason.contains("symbolic link"), "{error}");
        assert!(PendingFile::create(&dangling).is_err());
        assert!(!dir.path().join("nowhere").exists());
    }

    #[test]
    fn a_file_is_replaced_only_on_commit() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("report.txt");
        fs::write(&path, "old").unwrap();
        let mut pending = PendingFile::create(&path).unwrap();
        pending.write_all(b"new").unwrap();
        pending.flush().unwrap();
        assert_eq!(
            fs::read_to_string(&path).unwrap(),
            "old",
            "untouched until commit"
        );
        drop(pending);
        assert_eq!(
            fs::read_to_string(&path).unwrap(),
            "old",
            "a dropped write changes nothing"
        );
        let leftovers = fs::read_dir(dir.path()).unwrap().count();
        assert_eq!(leftovers, 1, "the temporary file is gone");
        let mut pending = PendingFile::create(&path).unwrap();
        pending.write_all(b"new").unwrap();
        pending.commit().unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "new");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_symbolic_link_keeps_pointing_at_its_replaced_target() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("target.txt");
        let link = dir.path().join("link.txt");
        fs::write(&target, "old").unwrap();
        std::os::unix::fs::symlink(&target, &link).unwrap();
        let mut pending = PendingFile::create(&link).unwrap();
        pending.write_all(b"new").unwrap();
        pending.commit().unwrap();
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(fs::read_to_string(&target).unwrap(), "new");
    }

    #[test]
    fn devices_are_written_in_place() {
        use std::os::unix::fs::FileTypeExt;
        let mut pending = PendingFile::create(Path::new("/dev/null")).unwrap();
        pending.write_all(b"discarded").unwrap();
        pending.commit().unwrap();
        assert!(
            fs::metadata("/dev/null")
                .unwrap()
                .file_type()
                .is_char_device()
        );
    }
}
