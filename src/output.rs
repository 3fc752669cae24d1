//! Stage 5: **write**, atomically. A build writes into a staging folder beside the output and
//! moves it in only when everything succeeded, so a failed or interrupted build leaves the
//! previous site exactly as it was. Herald deletes nothing outside the folders it made, and
//! refuses output folders where a mistake would destroy a user's work.
//!
//! A first build swaps the whole staging folder in. A rebuild into a previous Herald output
//! stages only the files whose bytes changed and then moves them in, so unchanged files keep
//! their dates (upload tools send only what changed) and a no-change rebuild writes nothing.
//! The move is journalled: a build killed half-way through it is finished by the next one.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rayon::prelude::*;

use crate::error::{Error, Location, UnsafeOutput};

/// A file in every output folder Herald makes; a non-empty folder without it is not ours.
pub(crate) const MARKER: &str = ".herald";
const STAGING_TAG: &str = ".herald-staging-";
/// Written into the staging folder when its files start moving into the output: the list of
/// stale output files to delete afterwards. Its presence means "finish me", not "throw me away".
const JOURNAL: &str = ".herald-commit";
const OLD_TAG: &str = ".herald-old-";

/// `p` as an absolute path, resolved where it exists (so `./output` before and after the
/// first build is the same folder).
pub(crate) fn absolute(p: &Path) -> PathBuf {
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
pub(crate) fn check_output_dir(root: &Path, out: &Path) -> Result<(), Error> {
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
    for folder in crate::layout::SiteFolder::ALL {
        if out_abs.starts_with(folder.path(&root)) {
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
pub(crate) struct Staging {
    pub dir: PathBuf,
    /// The marker file, locked for as long as this build runs: a staging folder whose marker
    /// can be locked belongs to a build that is gone (whatever its process id became since).
    lock: Option<std::fs::File>,
    out: PathBuf,
    committed: bool,
    /// Rebuilding into a previous Herald output: only changed files are staged.
    update: bool,
    /// Every path this build produces, whether its bytes changed (staged) or not (left in
    /// place).
    produced: Mutex<Vec<String>>,
    /// Paths kept as the last build left them (`keep`), and paths written or compared
    /// (`write`, `copy`): the first without the second were not touched by this build.
    kept: Mutex<Vec<String>>,
    handled: Mutex<Vec<String>>,
    changed: std::sync::atomic::AtomicUsize,
}

impl Staging {
    pub(crate) fn begin(out: &Path) -> Result<Staging, Error> {
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
        let update = out.join(MARKER).is_file();
        let dir = parent.join(format!(".{name}{STAGING_TAG}{}", std::process::id()));
        if dir.exists() {
            std::fs::remove_dir_all(&dir).map_err(|e| Error::io(&dir, "remove", e))?;
        }
        crate::fs::create_dir_all(&dir)?;
        crash_point("staging-created");
        let marker = dir.join(MARKER);
        let lock = std::fs::File::create(&marker).map_err(|e| Error::io(&marker, "write", e))?;
        lock.lock().map_err(|e| Error::io(&marker, "lock", e))?;
        std::io::Write::write_all(
            &mut &lock,
            b"This folder was built by Herald (herald build).\n",
        )
        .map_err(|e| Error::io(&marker, "write", e))?;
        crash_point("staging-marked");
        Ok(Staging {
            lock: Some(lock),
            dir,
            out,
            committed: false,
            update,
            produced: Mutex::default(),
            kept: Mutex::default(),
            handled: Mutex::default(),
            changed: Default::default(),
        })
    }

    /// Whether this is a rebuild into a previous output (only changed files are written).
    pub(crate) fn is_update(&self) -> bool {
        self.update
    }

    /// How many files this build added or changed (all of them on a first build).
    pub(crate) fn changed(&self) -> usize {
        self.changed.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// On a rebuild: records `rel` as produced and tells whether the output already has it
    /// with these bytes (then there is nothing to write).
    fn unchanged(&self, rel: &str, same: impl FnOnce(&Path) -> bool) -> bool {
        self.record(rel);
        push(&self.handled, rel);
        self.update && same(&self.out.join(rel))
    }

    /// On a rebuild: records `rel` as produced, left in the output as it is (the build cache
    /// found it unchanged). Without a previous output there is nothing to keep: false.
    pub(crate) fn keep(&self, rel: &str) -> bool {
        if self.update {
            self.record(rel);
            push(&self.kept, rel);
        }
        self.update
    }

    /// The paths this build kept as the last one left them and neither wrote nor compared,
    /// sorted: their files are as the build cache last saw them.
    pub(crate) fn untouched(&self) -> Vec<String> {
        let take = |m: &Mutex<Vec<String>>| {
            let mut v = m
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .clone();
            v.sort_unstable();
            v
        };
        let handled = take(&self.handled);
        let mut kept = take(&self.kept);
        kept.retain(|rel| handled.binary_search(rel).is_err());
        kept.dedup();
        kept
    }

    fn record(&self, rel: &str) {
        push(&self.produced, rel);
    }

    fn stage_path(&self, rel: &str) -> Result<PathBuf, Error> {
        let before = self
            .changed
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        if before == 10 {
            crash_point("writing");
        }
        let path = self.dir.join(rel);
        if let Some(parent) = path.parent() {
            if !parent.is_dir() {
                crate::fs::create_dir_all(parent)?;
            }
        }
        Ok(path)
    }

    pub(crate) fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), Error> {
        if self.unchanged(rel, |old| file_holds(old, bytes)) {
            return Ok(());
        }
        crate::fs::write(&self.stage_path(rel)?, bytes)
    }

    pub(crate) fn copy(&self, rel: &str, from: &Path) -> Result<(), Error> {
        // Sizes first: a changed photo is not read twice to find out.
        let same = |old: &Path| {
            let size = |p: &Path| std::fs::symlink_metadata(p).ok().map(|m| m.len());
            size(old).is_some()
                && size(old) == size(from)
                && std::fs::read(from).is_ok_and(|bytes| file_holds(old, &bytes))
        };
        if self.unchanged(rel, same) {
            return Ok(());
        }
        crate::fs::copy(from, &self.stage_path(rel)?)
    }

    /// Moves the build in: on a rebuild the changed files, on a first build the whole folder.
    /// `listing` is every file the output has now, if known (the build cache checked it),
    /// else the output is walked to find the files to delete. Returns every path produced.
    pub(crate) fn commit(mut self, listing: Option<Vec<String>>) -> Result<Vec<String>, Error> {
        let mut produced = std::mem::take(
            &mut *self
                .produced
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        );
        produced.sort_unstable();
        produced.dedup();
        if self.update {
            let stale = match listing {
                Some(files) => files
                    .into_iter()
                    .filter(|f| produced.binary_search(f).is_err())
                    .collect(),
                None => {
                    let set: HashSet<&String> = produced.iter().collect();
                    stale_files(&self.out, &set)
                }
            };
            let journal = self.dir.join(JOURNAL);
            // Written aside and renamed: a journal is there whole or not at all.
            let partial = self.dir.join(format!("{JOURNAL}.partial"));
            crate::fs::write(&partial, stale.join("\n").as_bytes())?;
            crash_point("journal-partial");
            std::fs::rename(&partial, &journal).map_err(|e| Error::io(&journal, "rename", e))?;
            crash_point("journal-written");
            // From here on the build is finished, by this process or by the next build.
            self.committed = true;
            finish_commit(&self.dir, &self.out)?;
            return Ok(produced);
        }
        self.swap()?;
        Ok(produced)
    }

    /// Swaps the staging folder in: old output aside, new in, old removed.
    fn swap(mut self) -> Result<(), Error> {
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
        // Windows cannot rename a folder with a file open in it; the swap takes a moment.
        self.lock = None;
        if had_old {
            std::fs::rename(&self.out, &old).map_err(|e| Error::io(&self.out, "rename", e))?;
            crash_point("swap-aside");
        }
        if let Err(e) = std::fs::rename(&self.dir, &self.out) {
            // Put the previous site back before reporting.
            if had_old {
                let _ = std::fs::rename(&old, &self.out);
            }
            return Err(Error::io(&self.out, "rename", e));
        }
        self.committed = true;
        crash_point("swapped");
        if had_old {
            // Only ever a folder we renamed ourselves a moment ago.
            remove_tree(&old);
        }
        Ok(())
    }
}

fn push(list: &Mutex<Vec<String>>, rel: &str) {
    list.lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .push(rel.to_string());
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed && self.dir.join(MARKER).is_file() {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// Removes a folder tree of ours with both cores: tens of thousands of small files are mostly
/// waiting on the file system, one unlink at a time. Its marker goes last, so a removal cut
/// short still leaves a folder the next build recognises as ours and finishes removing.
fn remove_tree(dir: &Path) {
    let marker = dir.join(MARKER);
    let mut files = Vec::new();
    let mut dirs = Vec::new();
    for entry in walkdir::WalkDir::new(dir)
        .min_depth(1)
        .follow_links(false)
        .into_iter()
        .flatten()
    {
        if entry.file_type().is_dir() {
            dirs.push((entry.depth(), entry.into_path()));
        } else if entry.path() != marker {
            files.push(entry.into_path());
        }
    }
    files.par_iter().for_each(|f| {
        let _ = std::fs::remove_file(f);
    });
    // Deepest first, so each folder is empty when its turn comes.
    dirs.sort_by_key(|d| std::cmp::Reverse(d.0));
    for (i, (_, d)) in dirs.iter().enumerate() {
        let _ = std::fs::remove_dir(d);
        if i == 1 {
            crash_point("removing");
        }
    }
    let _ = std::fs::remove_file(&marker);
    if std::fs::remove_dir(dir).is_err() && dir.exists() {
        let _ = std::fs::remove_dir_all(dir);
    }
}

/// Cleans up after interrupted builds of this output, whatever stage they were stopped in: a
/// journalled staging folder is finished, any other staging folder removed, and a previous
/// output left aside by a swap that did not finish is put back (or removed, if the new one
/// is in place). Only folders named like ours, of builds that are no longer running.
fn recover(parent: &Path, name: &str, out: &Path) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    let staging_prefix = format!(".{name}{STAGING_TAG}");
    let old_prefix = format!(".{name}{OLD_TAG}");
    let numbered = |n: &str, prefix: &str| {
        n.strip_prefix(prefix)
            .is_some_and(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()))
    };
    let mut found: Vec<(String, PathBuf)> = entries
        .flatten()
        .map(|e| (e.file_name().to_string_lossy().to_string(), e.path()))
        .filter(|(n, p)| {
            (numbered(n, &staging_prefix) || numbered(n, &old_prefix))
                && std::fs::symlink_metadata(p).is_ok_and(|m| m.is_dir())
        })
        .collect();
    // Staging folders first: a journal is finished before an old output is judged.
    found.sort_by_key(|(n, _)| !n.starts_with(&staging_prefix));
    for (n, path) in found {
        if n.starts_with(&staging_prefix) {
            if still_building(&path) {
                continue;
            }
            if path.join(JOURNAL).is_file() && out.join(MARKER).is_file() {
                let _ = finish_commit(&path, out);
            } else {
                remove_tree(&path);
            }
        } else if !path.join(MARKER).is_file() && !is_empty_dir(&path) {
            // Not recognisably ours any more: leave it.
            continue;
        } else if !out.exists() && path.join(MARKER).is_file() {
            let _ = std::fs::rename(&path, out);
        } else {
            remove_tree(&path);
        }
    }
}

/// Whether the build that made this staging folder still runs: it holds its marker locked.
/// A folder without a marker was cut short before the marker was written or after it was
/// removed; only its own process could still be using it.
fn still_building(staging: &Path) -> bool {
    match std::fs::OpenOptions::new()
        .append(true)
        .open(staging.join(MARKER))
    {
        Ok(marker) => match marker.try_lock() {
            Ok(()) => false,
            Err(std::fs::TryLockError::WouldBlock) => true,
            Err(std::fs::TryLockError::Error(_)) => false,
        },
        Err(_) => {
            let pid = staging
                .file_name()
                .map(|n| {
                    n.to_string_lossy()
                        .rsplit('-')
                        .next()
                        .unwrap_or("")
                        .to_string()
                })
                .unwrap_or_default();
            pid != std::process::id().to_string() && process_alive(&pid) && !is_empty_dir(staging)
        }
    }
}

fn is_empty_dir(dir: &Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|mut d| d.next().is_none())
}

/// Stops the process at a named moment of writing, when a test asks for it with
/// `HERALD_CRASH_AT=<moment>` (debug builds only): the next build must cope with what is left,
/// as after a power cut. `exit` runs no destructors, like a kill.
fn crash_point(moment: &str) {
    #[cfg(debug_assertions)]
    if std::env::var("HERALD_CRASH_AT").is_ok_and(|m| m == moment) {
        std::process::exit(86);
    }
    let _ = moment;
}

/// Whether the file at `path` holds exactly `bytes` (the size is checked before reading).
fn file_holds(path: &Path, bytes: &[u8]) -> bool {
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.is_file() && m.len() == bytes.len() as u64 => {
            std::fs::read(path).is_ok_and(|old| old == bytes)
        }
        _ => false,
    }
}

/// Output files this build did not produce. Top-level names starting with a dot (`.git`, our
/// marker) are left alone: Herald never makes them, and a deploy checkout lives there.
fn stale_files(out: &Path, produced: &HashSet<&String>) -> Vec<String> {
    let mut stale = Vec::new();
    let walk = walkdir::WalkDir::new(out)
        .min_depth(1)
        .follow_links(false)
        .into_iter()
        .filter_entry(|e| e.depth() > 1 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walk.flatten() {
        if entry.file_type().is_dir() {
            continue;
        }
        let Ok(rel) = entry.path().strip_prefix(out) else {
            continue;
        };
        let rel = rel.to_string_lossy().replace('\\', "/");
        if !produced.contains(&rel) {
            stale.push(rel);
        }
    }
    stale
}

/// Moves every file of a journalled staging folder into the output, deletes the stale files
/// the journal lists and then the staging folder. Safe to run again after an interruption:
/// a file already moved is simply no longer in the staging folder.
fn finish_commit(staging: &Path, out: &Path) -> Result<(), Error> {
    let journal = staging.join(JOURNAL);
    let stale = std::fs::read_to_string(&journal).map_err(|e| Error::io(&journal, "read", e))?;
    let walk = walkdir::WalkDir::new(staging)
        .min_depth(1)
        .follow_links(false);
    for entry in walk.into_iter().flatten() {
        if entry.file_type().is_dir() {
            continue;
        }
        let Ok(rel) = entry.path().strip_prefix(staging) else {
            continue;
        };
        if rel == Path::new(MARKER) || rel == Path::new(JOURNAL) {
            continue;
        }
        let target = out.join(rel);
        make_room(out, &target)?;
        std::fs::rename(entry.path(), &target).map_err(|e| Error::io(&target, "rename", e))?;
        crash_point("moving");
    }
    crash_point("moved");
    let mut emptied = Vec::new();
    for rel in stale.lines().filter(|l| !l.is_empty()) {
        let path = out.join(rel);
        // Only ever inside the output; the journal is ours, but be sure.
        if rel.split('/').any(|c| c == "..") || !path.starts_with(out) {
            continue;
        }
        let _ = std::fs::remove_file(&path);
        emptied.extend(path.parent().map(Path::to_path_buf));
    }
    // Folders left empty by the deletions, deepest first; a folder still in use stays.
    emptied.sort_by_key(|d| std::cmp::Reverse(d.components().count()));
    emptied.dedup();
    for mut dir in emptied {
        while dir != out && dir.starts_with(out) && std::fs::remove_dir(&dir).is_ok() {
            if !dir.pop() {
                break;
            }
        }
    }
    remove_tree(staging);
    Ok(())
}

/// Makes `target`'s folder exist and `target` free for a file, where the previous output had
/// a file in place of a folder or the other way round (a page that became a bundle).
fn make_room(out: &Path, target: &Path) -> Result<(), Error> {
    let Some(parent) = target.parent() else {
        return Ok(());
    };
    if !parent.is_dir() {
        let mut at = parent;
        while at != out && at.starts_with(out) {
            if std::fs::symlink_metadata(at).is_ok_and(|m| !m.is_dir()) {
                let _ = std::fs::remove_file(at);
            }
            match at.parent() {
                Some(p) => at = p,
                None => break,
            }
        }
        crate::fs::create_dir_all(parent)?;
    }
    if std::fs::symlink_metadata(target).is_ok_and(|m| m.is_dir()) {
        remove_tree(target);
    }
    Ok(())
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
