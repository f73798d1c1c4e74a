//! gzip decompressed on a thread of its own, so that inflating and parsing overlap: a
//! compressed input then costs little more than its decompressed bytes piped in.
//!
//! The thread fills blocks and hands them over a bounded channel; used blocks come back to
//! be refilled, so memory stays at a few blocks and nothing is allocated per block once
//! running. An error of the decoder arrives in order, after the bytes before it.

use std::io::{self, BufRead, Read};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

use flate2::bufread::MultiGzDecoder;

/// Bytes per block: large enough that handing one over costs nothing next to filling it.
const BLOCK_BYTES: usize = 1 << 20;
/// Blocks filled ahead of the reader.
const BLOCKS_AHEAD: usize = 3;

/// What the thread sends: a filled block, the end, or the decoder's error.
enum Block {
    Data(Vec<u8>),
    End,
    Failed(io::Error),
}

/// The decompressed stream of `raw` (gzip, concatenated members too), inflated on its own
/// thread.
pub(super) fn gunzip_on_thread(raw: Box<dyn BufRead + Send>) -> io::Result<ThreadedGunzip> {
    let (filled_tx, filled) = sync_channel(BLOCKS_AHEAD);
    let (spare, spare_rx) = sync_channel(BLOCKS_AHEAD + 2);
    std::thread::Builder::new()
        .name("gunzip".into())
        .spawn(move || inflate(MultiGzDecoder::new(raw), &filled_tx, &spare_rx))?;
    Ok(ThreadedGunzip {
        filled,
        spare,
        current: Vec::new(),
        at: 0,
        ended: false,
    })
}

/// The thread's loop: fill a block (a spare one if any came back), send it; stop at the end,
/// at an error, or when the reader is gone (a send fails).
fn inflate(mut decoder: impl Read, filled: &SyncSender<Block>, spare: &Receiver<Vec<u8>>) {
    loop {
        let mut block = spare.try_recv().unwrap_or_default();
        block.clear();
        block.resize(BLOCK_BYTES, 0);
        let mut len = 0;
        let outcome = loop {
            match decoder.read(&mut block[len..]) {
                Ok(0) => break Ok(true),
                Ok(n) => {
                    len += n;
                    if len == block.len() {
                        break Ok(false);
                    }
                }
                Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
                Err(error) => break Err(error),
            }
        };
        block.truncate(len);
        if len > 0 && filled.send(Block::Data(block)).is_err() {
            return;
        }
        let last = match outcome {
            Ok(false) => continue,
            Ok(true) => Block::End,
            Err(error) => Block::Failed(error),
        };
        // The reader may be gone already: nothing left to tell.
        let _ = filled.send(last);
        return;
    }
}

/// The reading end: a `BufRead` over the blocks as they arrive.
pub(super) struct ThreadedGunzip {
    filled: Receiver<Block>,
    spare: SyncSender<Vec<u8>>,
    current: Vec<u8>,
    at: usize,
    ended: bool,
}

impl BufRead for ThreadedGunzip {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.at == self.current.len() && !self.ended {
            let next = self.filled.recv().unwrap_or_else(|_| {
                Block::Failed(io::Error::other("the gzip decompression thread stopped"))
            });
            match next {
                Block::Data(block) => {
                    let used = std::mem::replace(&mut self.current, block);
                    // A full spare queue only means the thread allocates one more block.
                    let _ = self.spare.try_send(used);
                    self.at = 0;
                }
                Block::End => self.ended = true,
                Block::Failed(error) => {
                    self.ended = true;
                    return Err(error);
                }
            }
        }
        Ok(&self.current[self.at..])
    }

    fn consume(&mut self, amount: usize) {
        self.at = (self.at + amount).min(self.current.len());
    }
}

impl Read for ThreadedGunzip {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(out.len());
        out[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::Compression;
    use flate2::write::GzEncoder;
    use std::io::Write;

    fn gzip(data: &[u8]) -> Vec<u8> {
        let mut encoder = GzEncoder::new(Vec::new(), Compression::fast());
        encoder.write_all(data).expect("in memory");
        encoder.finish().expect("in memory")
    }

    fn gunzip(compressed: Vec<u8>) -> io::Result<Vec<u8>> {
        let mut reader = gunzip_on_thread(Box::new(io::Cursor::new(compressed)))?;
        let mut out = Vec::new();
        reader.read_to_end(&mut out)?;
        Ok(out)
    }

    #[test]
    fn many_blocks_and_concatenated_members_arrive_whole_and_in_order() {
        // Several blocks' worth, with a pattern that shows any reordering.
        let data: Vec<u8> = (0..(BLOCK_BYTES * 3 + 12_345))
            .map(|i| (i % 251) as u8)
            .collect();
        let mut compressed = gzip(&data);
        compressed.extend(gzip(b"tail"));
        let mut expected = data;
        expected.extend_from_slice(b"tail");
        assert_eq!(gunzip(compressed).expect("valid gzip"), expected);
    }

    #[test]
    fn a_truncated_stream_is_an_error_after_the_bytes_before_it() {
        let mut compressed = gzip(&vec![b'x'; 100_000]);
        compressed.truncate(compressed.len() / 2);
        let mut reader =
            gunzip_on_thread(Box::new(io::Cursor::new(compressed))).expect("thread starts");
        let mut out = Vec::new();
        let error = reader.read_to_end(&mut out).expect_err("truncated");
        assert!(out.iter().all(|b| *b == b'x'));
        assert_eq!(error.kind(), io::ErrorKind::UnexpectedEof, "{error}");
    }

    #[test]
    fn an_empty_stream_is_empty() {
        assert_eq!(gunzip(gzip(b"")).expect("valid"), Vec::<u8>::new());
    }
}
