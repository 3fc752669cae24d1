//! A local folder target: a USB stick, a shared drive, a folder a web server serves.

use std::path::{Path, PathBuf};

use super::Remote;
use crate::error::Error;

pub(super) struct Local {
    pub dir: PathBuf,
}

impl Local {
    fn file(&self, rel: &str) -> PathBuf {
        rel.split('/')
            .fold(self.dir.clone(), |p, part| p.join(part))
    }
}

/// Writes beside the file and renames, so a reader never sees half a file.
fn write_atomic(to: &Path, bytes: &[u8]) -> Result<(), Error> {
    if let Some(parent) = to.parent() {
        std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, "create folder", e))?;
    }
    let name = to
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    let tmp = to.with_file_name(format!("{name}.herald-part"));
    std::fs::write(&tmp, bytes).map_err(|e| Error::io(&tmp, "write", e))?;
    std::fs::rename(&tmp, to).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        Error::io(to, "rename", e)
    })
}

impl Remote for Local {
    fn get_manifest(&mut self) -> Result<Option<Vec<u8>>, Error> {
        let p = self.dir.join(super::MANIFEST);
        match std::fs::read(&p) {
            Ok(b) => Ok(Some(b)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(Error::io(&p, "read", e)),
        }
    }

    fn put(&mut self, rel: &str, local: &Path) -> Result<(), Error> {
        let bytes = std::fs::read(local).map_err(|e| Error::io(local, "read", e))?;
        write_atomic(&self.file(rel), &bytes)
    }

    fn put_manifest(&mut self, bytes: &[u8]) -> Result<(), Error> {
        write_atomic(&self.dir.join(super::MANIFEST), bytes)
    }

    fn delete(&mut self, rel: &str) -> Result<(), Error> {
        let p = self.file(rel);
        match std::fs::remove_file(&p) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(Error::io(&p, "remove", e)),
        }
        // Folders the deleted file leaves empty go too (remove_dir refuses non-empty ones).
        let mut dir = p.parent();
        while let Some(d) = dir.filter(|d| *d != self.dir && d.starts_with(&self.dir)) {
            if std::fs::remove_dir(d).is_err() {
                break;
            }
            dir = d.parent();
        }
        Ok(())
    }
}
