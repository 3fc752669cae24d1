//! The manifest Herald keeps on the target: every file it published, with size and SHA-256,
//! so a deploy compares against it instead of re-reading the remote files.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::Error;

/// The one hidden file Herald creates on a target, at its top.
pub const MANIFEST: &str = ".herald-manifest.json";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub size: u64,
    pub sha256: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Manifest {
    pub version: u32,
    /// Output-relative paths with `/`, as on the target.
    pub files: BTreeMap<String, Entry>,
}

impl Manifest {
    /// A missing or unreadable manifest means "nothing known": everything is uploaded again,
    /// which is slow but never wrong.
    pub fn parse(bytes: Option<&[u8]>) -> Manifest {
        bytes
            .and_then(|b| serde_json::from_slice::<Manifest>(b).ok())
            .unwrap_or_default()
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let m = Manifest {
            version: 1,
            files: self.files.clone(),
        };
        serde_json::to_vec_pretty(&m).unwrap_or_default()
    }
}

/// A file of the output to publish.
#[derive(Debug, Clone)]
pub struct LocalFile {
    pub rel: String,
    pub path: PathBuf,
    pub entry: Entry,
}

pub fn hash_file(path: &Path) -> Result<Entry, Error> {
    let mut f = std::fs::File::open(path).map_err(|e| Error::io(path, "read", e))?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 64 * 1024];
    let mut size = 0u64;
    loop {
        let n = f.read(&mut buf).map_err(|e| Error::io(path, "read", e))?;
        if n == 0 {
            break;
        }
        size += n as u64;
        h.update(&buf[..n]);
    }
    Ok(Entry {
        size,
        sha256: hex(&h.finalize()),
    })
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Every file of the output folder but Herald's own hidden files at its top (the marker,
/// staging and journal files), sorted by path.
pub fn scan(output: &Path) -> Result<Vec<LocalFile>, Error> {
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(output).sort_by_file_name() {
        let entry = entry.map_err(|e| {
            let path = e.path().unwrap_or(output).to_path_buf();
            Error::io(&path, "list folder", std::io::Error::other(e.to_string()))
        })?;
        if !entry.file_type().is_file() {
            continue;
        }
        let Ok(rel) = entry.path().strip_prefix(output) else {
            continue;
        };
        let rel = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/");
        if rel.starts_with(".herald") {
            continue;
        }
        files.push(LocalFile {
            entry: hash_file(entry.path())?,
            path: entry.path().to_path_buf(),
            rel,
        });
    }
    Ok(files)
}
