//! A body's HTML: made by this run, or still in a file of the body cache and read from it the
//! first time something asks for it. A build after a one-report edit then reads the HTML of
//! the few bodies it shows again, not the whole site's (reading it all was a third of that
//! build's time and half of its memory).
//!
//! Clones share one HTML: the preview hands a body to its next build without copying it, and
//! what one reads, every clone has.

use std::fs::File;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};

#[derive(Clone, Default)]
pub struct BodyHtml(Arc<Cell>);

#[derive(Default)]
struct Cell {
    /// `None`: it was stored and did not read.
    text: OnceLock<Option<Box<str>>>,
    stored: Option<Stored>,
}

/// Where a body's HTML is in a file that stays open, and its hash (`hash`).
struct Stored {
    file: Arc<StoredFile>,
    offset: u64,
    len: usize,
    hash: u64,
}

/// A file that HTML is read from, and whether a read from it failed (then the build that
/// read it must not be trusted: `StoredFile::damaged`).
pub(crate) struct StoredFile {
    path: PathBuf,
    file: File,
    damaged: AtomicBool,
}

impl StoredFile {
    pub(crate) fn new(path: PathBuf, file: File) -> Arc<StoredFile> {
        Arc::new(StoredFile {
            path,
            file,
            damaged: AtomicBool::new(false),
        })
    }

    /// True when HTML read from this file did not match its hash (or could not be read):
    /// what was made from it is wrong, and the file must not be used again.
    pub(crate) fn damaged(&self) -> bool {
        self.damaged.load(Ordering::Relaxed)
    }

    pub(crate) fn path(&self) -> &std::path::Path {
        &self.path
    }

    fn read(&self, offset: u64, len: usize, hash: u64) -> Option<Box<str>> {
        let mut bytes = vec![0u8; len];
        read_exact_at(&self.file, &mut bytes, offset).ok()?;
        if html_hash(&bytes) != hash {
            return None;
        }
        // Checked by simdutf8 (a tenth of the time of `str::from_utf8` on Chinese text), then
        // copied: `String::from_utf8` would check it again the slow way.
        simdutf8::basic::from_utf8(&bytes).ok().map(Box::from)
    }
}

#[cfg(unix)]
fn read_exact_at(file: &File, buf: &mut [u8], offset: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buf, offset)
}

#[cfg(windows)]
fn read_exact_at(file: &File, mut buf: &mut [u8], mut offset: u64) -> std::io::Result<()> {
    use std::os::windows::fs::FileExt;
    while !buf.is_empty() {
        match file.seek_read(buf, offset) {
            Ok(0) => return Err(std::io::ErrorKind::UnexpectedEof.into()),
            Ok(n) => {
                buf = &mut buf[n..];
                offset += n as u64;
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// The hash the body cache keeps of a body's HTML.
pub(crate) fn html_hash(bytes: &[u8]) -> u64 {
    crate::digest::quick(bytes.len() as u64, &[bytes])
}

impl BodyHtml {
    /// HTML at `offset` in `file`, `len` bytes whose `hash` is `hash`, read when first asked
    /// for. If it cannot be read or does not match, it reads as empty and the file is marked
    /// damaged.
    pub(crate) fn stored(file: Arc<StoredFile>, offset: u64, len: usize, hash: u64) -> BodyHtml {
        BodyHtml(Arc::new(Cell {
            text: OnceLock::new(),
            stored: Some(Stored {
                file,
                offset,
                len,
                hash,
            }),
        }))
    }

    pub fn as_str(&self) -> &str {
        let text = self.0.text.get_or_init(|| {
            let s = self.0.stored.as_ref()?;
            let text = s.file.read(s.offset, s.len, s.hash);
            if text.is_none() {
                s.file.damaged.store(true, Ordering::Relaxed);
            }
            text
        });
        text.as_deref().unwrap_or_default()
    }

    /// True when it was stored and did not read (it reads as empty).
    pub(crate) fn damaged(&self) -> bool {
        matches!(self.0.text.get(), Some(None))
    }
}

impl From<String> for BodyHtml {
    fn from(s: String) -> BodyHtml {
        let cell = Cell {
            text: OnceLock::from(Some(s.into_boxed_str())),
            stored: None,
        };
        BodyHtml(Arc::new(cell))
    }
}

impl std::ops::Deref for BodyHtml {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl std::hash::Hash for BodyHtml {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl std::fmt::Display for BodyHtml {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::fmt::Debug for BodyHtml {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file_with(bytes: &[u8]) -> (tempfile::TempDir, Arc<StoredFile>) {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
        let path = dir.path().join("shard.bin");
        std::fs::write(&path, bytes).unwrap_or_else(|e| panic!("write: {e}"));
        let file = File::open(&path).unwrap_or_else(|e| panic!("open: {e}"));
        (dir, StoredFile::new(path, file))
    }

    #[test]
    fn stored_html_is_read_once_and_shared_by_clones() {
        let html = "<p>长者食堂</p>";
        let bytes = format!("head{html}tail");
        let (_dir, file) = file_with(bytes.as_bytes());
        let body = BodyHtml::stored(file.clone(), 4, html.len(), html_hash(html.as_bytes()));
        let clone = body.clone();
        assert_eq!(&*body, html);
        assert_eq!(clone.as_str(), html);
        assert!(!file.damaged());
    }

    #[test]
    fn damaged_html_reads_empty_and_marks_its_file() {
        let (_dir, file) = file_with("<p>长者食堂</p>".as_bytes());
        let wrong_hash = BodyHtml::stored(file.clone(), 0, 6, 1);
        assert_eq!(&*wrong_hash, "");
        assert!(file.damaged() && wrong_hash.damaged());
        let (_dir, file) = file_with(b"short");
        let past_the_end = BodyHtml::stored(file.clone(), 2, 10, html_hash(b"short"));
        assert_eq!(&*past_the_end, "");
        assert!(file.damaged());
    }
}
