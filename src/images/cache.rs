//! `.herald/cache/images/<key>/`: the encoded widths of one image, where the key is the
//! SHA-256 of the image's bytes and of the settings it was encoded with. A folder is made
//! aside and renamed into place, so it is there whole or not at all, even with `herald build`
//! and `herald serve` encoding the same photo at once.
//!
//! Within one process, what was learnt about a file (its header, its key) is remembered by
//! path, size and modification time, so the preview neither reads nor hashes an unchanged
//! photo again.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};
use std::time::SystemTime;

use sha2::{Digest, Sha256};

use super::encode::{self, JPEG_QUALITY, WEBP_QUALITY};
use super::probe::{self, Format, Header, Problem};
use crate::error::Error;

/// Bump when the encoded bytes would change for the same input (an encoder setting, a filter).
const PIPELINE: &str = "herald-images-1 lanczos3";

pub(super) fn dir(root: &Path) -> PathBuf {
    root.join(".herald").join("cache").join("images")
}

pub(super) fn file_name(width: u32, webp: bool, format: Format) -> String {
    let ext = if webp { "webp" } else { format.ext() };
    format!("{width}.{ext}")
}

type Stamp = (PathBuf, u64, SystemTime);

#[derive(Default)]
struct Memo {
    headers: HashMap<Stamp, Result<Header, Problem>>,
    keys: HashMap<Stamp, String>,
}

fn memo() -> &'static Mutex<Memo> {
    static MEMO: OnceLock<Mutex<Memo>> = OnceLock::new();
    MEMO.get_or_init(Mutex::default)
}

fn stamp(file: &Path) -> Option<Stamp> {
    let m = std::fs::metadata(file).ok()?;
    Some((file.to_path_buf(), m.len(), m.modified().ok()?))
}

fn lock() -> std::sync::MutexGuard<'static, Memo> {
    memo()
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// `probe::probe`, remembered while the file is unchanged.
pub(super) fn probe(file: &Path, format: Format) -> Result<Header, Problem> {
    let stamp = stamp(file);
    if let Some(s) = &stamp {
        if let Some(h) = lock().headers.get(s) {
            return h.clone();
        }
    }
    let header = probe::probe(file, format);
    if let Some(s) = stamp {
        lock().headers.insert(s, header.clone());
    }
    header
}

pub(super) enum Failure {
    Image(Problem),
    Io(Error),
}

/// The cache folder of `file`'s encodings, made now if missing (then `true`).
pub(super) fn ensure(dir: &Path, file: &Path, header: &Header) -> Result<(PathBuf, bool), Failure> {
    let stamp = stamp(file);
    let known = stamp.as_ref().and_then(|s| lock().keys.get(s).cloned());
    let mut bytes = None;
    let key = match known {
        Some(k) => k,
        None => {
            let b = std::fs::read(file).map_err(|e| Failure::Io(Error::io(file, "read", e)))?;
            let k = key(&b, header);
            if let Some(s) = stamp {
                lock().keys.insert(s, k.clone());
            }
            bytes = Some(b);
            k
        }
    };
    let entry = dir.join(&key);
    let widths = super::widths(header.width);
    let complete = |e: &Path| {
        widths.iter().all(|&w| {
            e.join(file_name(w, false, header.format)).is_file()
                && (header.format == Format::Webp
                    || e.join(file_name(w, true, header.format)).is_file())
        })
    };
    if complete(&entry) {
        return Ok((entry, false));
    }
    let bytes = match bytes {
        Some(b) => b,
        None => std::fs::read(file).map_err(|e| Failure::Io(Error::io(file, "read", e)))?,
    };
    let encoded = encode::encode_all(&bytes, header, &widths)
        .map_err(|m| Failure::Image(Problem::Broken(m)))?;
    let io = |p: &Path, e| Failure::Io(Error::io(p, "write", e));
    // Unique per process and call: the same photo twice in a site (two reports, one picture)
    // is encoded by two threads at once, each into its own folder.
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let tmp = dir.join(format!("{key}.{}-{n}.tmp", std::process::id()));
    std::fs::create_dir_all(&tmp).map_err(|e| io(&tmp, e))?;
    for e in &encoded {
        let own = tmp.join(file_name(e.width, false, header.format));
        std::fs::write(&own, &e.original).map_err(|err| io(&own, err))?;
        if let Some(webp) = &e.webp {
            let w = tmp.join(file_name(e.width, true, header.format));
            std::fs::write(&w, webp).map_err(|err| io(&w, err))?;
        }
    }
    if std::fs::rename(&tmp, &entry).is_err() {
        // Another process finished the same image first, or a partial folder from a killed
        // run is in the way: keep a complete one, replace a partial one.
        if !complete(&entry) {
            let _ = std::fs::remove_dir_all(&entry);
            std::fs::rename(&tmp, &entry).map_err(|e| io(&entry, e))?;
        } else {
            let _ = std::fs::remove_dir_all(&tmp);
        }
    }
    Ok((entry, true))
}

fn key(bytes: &[u8], header: &Header) -> String {
    let mut h = Sha256::new();
    h.update(bytes);
    h.update(
        format!(
            "{PIPELINE} jpeg={JPEG_QUALITY} webp={WEBP_QUALITY} widths={:?} orientation={}",
            super::WIDTHS,
            header.orientation
        )
        .as_bytes(),
    );
    h.finalize()[..16]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
