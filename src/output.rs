//! Stage 5: **write**, atomically. A build writes into a staging folder beside the output and
//! swaps it in only when everything succeeded, so a failed or interrupted build leaves the
//! previous site exactly as it was. Herald deletes nothing outside the folders it made, and
//! refuses output folders where a mistake would destroy a user's work.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::error::{Error, Location, UnsafeOutput};

/// A file in every output folder Herald makes; a non-empty folder without it is not ours.
pub const MARKER: &str = ".herald";
const STAGING_TAG: &str = ".herald-staging-";
const OLD_TAG: &str = ".herald-old-";

fn absolute(p: &Path) -> PathBuf {
    let abs = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir()
            .map(|d| d.join(p))
            .unwrap_or_else(|_| p.to_path_buf())
    };
    // Resolve `..` and links where the path exists, lexically where it does not yet.
    if let Ok(c) = abs.canonicalize() {
        return c;
    }
    let mut out = PathBuf::new();
    for comp in abs.components() {
        match comp {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            c => out.push(c),
        }
    }
    match (out.parent(), out.file_name()) {
        (Some(parent), Some(name)) => parent.canonicalize().map(|p| p.join(name)).unwrap_or(out),
        _ => out,
    }
}

/// Refuses output folders where writing (and later replacing) would destroy someone's work.
pub fn check_output_dir(root: &Path, out: &Path) -> Result<(), Error> {
    let root = absolute(root);
    let out_abs = absolute(out);
    let at = Location::file(out);
    let refuse = |reason| {
        Err(Error::UnsafeOutput {
            at: at.clone(),
            reason,
        })
    };
    if out_abs == root {
        return refuse(UnsafeOutput::IsSiteRoot);
    }
    if root.starts_with(&out_abs) {
        return refuse(if out_abs.parent().is_none() {
            UnsafeOutput::IsHomeOrRoot
        } else {
            UnsafeOutput::ContainsSource
        });
    }
    let home = std::env::var_os("HOME")
        .or_else(|| std::env::var_os("USERPROFILE"))
        .map(PathBuf::from);
    if out_abs.parent().is_none() || home.is_some_and(|h| absolute(&h) == out_abs) {
        return refuse(UnsafeOutput::IsHomeOrRoot);
    }
    for dir in ["content", "static", "templates", "themes"] {
        if out_abs.starts_with(root.join(dir)) {
            return refuse(UnsafeOutput::IsContent);
        }
    }
    if out_abs.is_file() {
        return refuse(UnsafeOutput::NotHerald);
    }
    if out_abs.is_dir() && !out_abs.join(MARKER).is_file() {
        let empty = std::fs::read_dir(&out_abs)
            .map(|mut d| d.next().is_none())
            .unwrap_or(false);
        if !empty {
            return refuse(UnsafeOutput::NotHerald);
        }
    }
    Ok(())
}

/// The staging folder of one build. Dropped without `commit`, it removes itself.
pub struct Staging {
    pub dir: PathBuf,
    out: PathBuf,
    committed: bool,
}

impl Staging {
    pub fn begin(out: &Path) -> Result<Staging, Error> {
        let out = absolute(out);
        let parent = out
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."));
        crate::fs::create_dir_all(&parent)?;
        let name = out
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_else(|| "output".into());
        recover(&parent, &name, &out);
        let dir = parent.join(format!(".{name}{STAGING_TAG}{}", std::process::id()));
        if dir.exists() {
            std::fs::remove_dir_all(&dir).map_err(|e| Error::io(&dir, "remove", e))?;
        }
        crate::fs::create_dir_all(&dir)?;
        crate::fs::write(
            &dir.join(MARKER),
            b"This folder was built by Herald (herald build).\n",
        )?;
        Ok(Staging {
            dir,
            out,
            committed: false,
        })
    }

    /// Writes files in parallel; folders first.
    pub fn write_all<'a>(
        &self,
        files: impl IntoParallelIterator<Item = (&'a str, &'a [u8])>,
    ) -> Result<(), Error> {
        files
            .into_par_iter()
            .try_for_each(|(rel, bytes)| self.write(rel, bytes))
    }

    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), Error> {
        let path = self.dir.join(rel);
        if let Some(parent) = path.parent() {
            if !parent.is_dir() {
                crate::fs::create_dir_all(parent)?;
            }
        }
        crate::fs::write(&path, bytes)
    }

    pub fn copy(&self, rel: &str, from: &Path) -> Result<(), Error> {
        let path = self.dir.join(rel);
        if let Some(parent) = path.parent() {
            if !parent.is_dir() {
                crate::fs::create_dir_all(parent)?;
            }
        }
        crate::fs::copy(from, &path)
    }

    /// Swaps the staging folder in: old output aside, new in, old removed.
    pub fn commit(mut self) -> Result<(), Error> {
        let parent = self
            .out
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."));
        let name = self
            .out
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        let old = parent.join(format!(".{name}{OLD_TAG}{}", std::process::id()));
        let had_old = self.out.exists();
        if had_old {
            std::fs::rename(&self.out, &old).map_err(|e| Error::io(&self.out, "rename", e))?;
        }
        if let Err(e) = std::fs::rename(&self.dir, &self.out) {
            // Put the previous site back before reporting.
            if had_old {
                let _ = std::fs::rename(&old, &self.out);
            }
            return Err(Error::io(&self.out, "rename", e));
        }
        self.committed = true;
        if had_old {
            // Only ever a folder we renamed ourselves a moment ago.
            remove_tree(&old);
        }
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed && self.dir.join(MARKER).is_file() {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// Removes a folder tree with both cores: tens of thousands of small files are mostly
/// waiting on the file system, one unlink at a time.
fn remove_tree(dir: &Path) {
    let mut files = Vec::new();
    let mut dirs = Vec::new();
    for entry in walkdir::WalkDir::new(dir)
        .follow_links(false)
        .into_iter()
        .flatten()
    {
        if entry.file_type().is_dir() {
            dirs.push((entry.depth(), entry.into_path()));
        } else {
            files.push(entry.into_path());
        }
    }
    files.par_iter().for_each(|f| {
        let _ = std::fs::remove_file(f);
    });
    // Deepest first, so each folder is empty when its turn comes.
    dirs.sort_by_key(|d| std::cmp::Reverse(d.0));
    for (_, d) in dirs {
        let _ = std::fs::remove_dir(&d);
    }
    if dir.exists() {
        let _ = std::fs::remove_dir_all(dir);
    }
}

/// Cleans up after an interrupted build: a stale staging folder is removed; a previous output
/// left aside by a swap that did not finish is put back.
fn recover(parent: &Path, name: &str, out: &Path) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for e in entries.flatten() {
        let n = e.file_name().to_string_lossy().to_string();
        let ours = e.path().join(MARKER).is_file();
        if !ours {
            continue;
        }
        if n.starts_with(&format!(".{name}{STAGING_TAG}")) {
            let pid = n.rsplit('-').next().unwrap_or("");
            if pid != std::process::id().to_string() && !process_alive(pid) {
                let _ = std::fs::remove_dir_all(e.path());
            }
        } else if n.starts_with(&format!(".{name}{OLD_TAG}")) {
            if !out.exists() {
                let _ = std::fs::rename(e.path(), out);
            } else {
                let _ = std::fs::remove_dir_all(e.path());
            }
        }
    }
}

fn process_alive(pid: &str) -> bool {
    if cfg!(target_os = "linux") {
        Path::new("/proc").join(pid).exists()
    } else {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dangerous_outputs_are_refused() {
        let Ok(site) = tempfile::tempdir() else {
            return;
        };
        let root = site.path();
        let _ = std::fs::create_dir_all(root.join("content"));
        let _ = std::fs::write(root.join("site.yaml"), "title: t\n");
        let refused =
            |p: &Path| matches!(check_output_dir(root, p), Err(Error::UnsafeOutput { .. }));
        assert!(refused(root));
        assert!(refused(&root.join("content")));
        assert!(refused(&root.join("content/out")));
        assert!(refused(root.parent().unwrap_or(root)));
        assert!(refused(Path::new("/")));
        assert!(!refused(&root.join("output")));
        let _ = std::fs::create_dir_all(root.join("docs"));
        let _ = std::fs::write(root.join("docs/note.txt"), "mine");
        assert!(refused(&root.join("docs")));
    }
}
