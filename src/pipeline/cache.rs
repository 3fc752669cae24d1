//! The build cache, `.herald/cache/build.bin`: what the last `herald build` of a site made,
//! so the next one does only what changed.
//!
//! It holds the fingerprint of every output (`render::plan`: a hash of everything the output
//! shows), the fingerprint of what the search index reads, and the output folder as the build
//! left it (every file's size and modification time). A build renders an output again when
//! its fingerprint changed **or** its file is no longer as it was left, so an output edited
//! or deleted by hand is made again, exactly as a clean build would make it. When no source
//! file changed at all (size and modification time of every file the build reads) and the
//! output folder is as it was left, there is nothing to do.
//!
//! Never trusted blindly: a cache written by another Herald (version or binary), for other
//! options or another output folder, or one that does not decode, is ignored and replaced.

use std::collections::hash_map::DefaultHasher;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::BuildOptions;
use crate::layout::{SiteFolder, SITE_FILE};

/// Bump when what the cache holds, or what a fingerprint covers, changes meaning.
const FORMAT: u32 = 2;
const FILE: &str = "build.bin";

/// `<site>/.herald/cache/`, where the build cache and the photo cache live.
pub(crate) fn dir(root: &Path) -> PathBuf {
    root.join(".herald").join("cache")
}

/// A file as a build left it: size and modification time (seconds, nanoseconds).
type Stat = (u64, u64, u32);

/// Files or folders of the output with their stats, sorted by path.
type Stats = Vec<(String, Stat)>;

fn stat_of(m: &std::fs::Metadata) -> Stat {
    let t = m
        .modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .unwrap_or_default();
    (m.len(), t.as_secs(), t.subsec_nanos())
}

#[derive(Serialize, Deserialize)]
struct Stored {
    herald: String,
    options: u64,
    inputs: Option<u64>,
    /// The build warned about nothing (a build with warnings is never skipped: it says them
    /// again).
    clean: bool,
    pages: usize,
    brands: usize,
    files: usize,
    outputs: Vec<(String, u64)>,
    search: u64,
    /// What the search indexes (the site's, the mirror's) need to be patched.
    index: Vec<crate::search::IndexState>,
    /// Every file of the output as the build left it, sorted (the marker aside).
    manifest: Vec<(String, Stat)>,
    /// Every folder of the output (`""` is the output itself): a file added or removed by
    /// hand changes its folder's time, so no folder needs to be listed to find it.
    folders: Vec<(String, Stat)>,
}

/// What the last build left, as read from the cache (empty when there was none to trust).
#[derive(Default)]
pub(crate) struct BuildCache {
    file: PathBuf,
    options: u64,
    last: Option<Last>,
}

struct Last {
    stored: Stored,
    outputs: HashMap<String, u64>,
    manifest: HashMap<String, Stat>,
}

/// This binary: a cache from any other Herald is not read.
pub(super) fn identity() -> String {
    let exe = std::env::current_exe()
        .ok()
        .and_then(|p| std::fs::metadata(p).ok())
        .map(|m| stat_of(&m));
    format!(
        "herald {} cache {FORMAT} exe {exe:?}",
        env!("CARGO_PKG_VERSION")
    )
}

/// The flags and the output folder: another combination is another build.
fn options_key(opts: &BuildOptions, out: &Path) -> u64 {
    let mut h = DefaultHasher::new();
    (
        out,
        &opts.base_url,
        opts.relative,
        opts.compress,
        opts.drafts,
        opts.strict,
    )
        .hash(&mut h);
    h.finish()
}

/// The cache's folder, unless it (or `.herald`) leads out of the site: a site copied from
/// elsewhere must not make Herald read or write where it likes.
pub(super) fn inside(root: &Path) -> Option<PathBuf> {
    let site = crate::paths::SiteRoot::new(root);
    let herald = root.join(".herald");
    let cache = dir(root);
    (site.check_inside(&herald).is_ok() && site.check_inside(&cache).is_ok()).then_some(cache)
}

impl BuildCache {
    /// Reads the cache of `root` for a build with `opts` into `out`.
    pub(crate) fn open(opts: &BuildOptions, out: &Path) -> BuildCache {
        let options = options_key(opts, out);
        let Some(file) = inside(&opts.root).map(|c| c.join(FILE)) else {
            return BuildCache::default();
        };
        let stored = std::fs::read(&file)
            .ok()
            .and_then(|bytes| bincode::deserialize::<Stored>(&bytes).ok())
            .filter(|s| s.herald == identity() && s.options == options);
        let last = stored.map(|stored| Last {
            outputs: stored.outputs.iter().cloned().collect(),
            manifest: stored.manifest.iter().cloned().collect(),
            stored,
        });
        BuildCache {
            file,
            options,
            last,
        }
    }

    /// The last build's counts (pages, brands, files) if nothing it read changed since and
    /// the output folder is exactly as it left it.
    pub(crate) fn unchanged(&self, inputs: u64, out: &Path) -> Option<(usize, usize, usize)> {
        let last = self.last.as_ref()?;
        let s = &last.stored;
        (s.clean && s.inputs == Some(inputs) && self.folders_as_left(out) && {
            s.manifest
                .par_iter()
                .all(|(rel, was)| same_stat(&out.join(rel), was, false))
        })
        .then_some((s.pages, s.brands, s.files))
    }

    /// Every file the output has, if no file was added or removed since the last build (none
    /// of its folders changed): then the output need not be walked to find stale files.
    pub(crate) fn listing(&self, out: &Path) -> Option<Vec<String>> {
        let s = &self.last.as_ref()?.stored;
        self.folders_as_left(out)
            .then(|| s.manifest.iter().map(|(rel, _)| rel.clone()).collect())
    }

    /// Every folder of the output has the time the last build left it with.
    fn folders_as_left(&self, out: &Path) -> bool {
        self.last.as_ref().is_some_and(|last| {
            last.stored
                .folders
                .par_iter()
                .all(|(rel, was)| same_stat(&out.join(rel), was, true))
        })
    }

    /// If the output `rel`, with fingerprint `fp` now, is still in `out` as the last build
    /// left it with the same fingerprint (then it need not be made again): its files, `rel`
    /// and the `.gz` the last build wrote beside it, if any, which must be unchanged too.
    pub(crate) fn kept(&self, out: &Path, rel: &str, fp: u64) -> Option<Vec<String>> {
        let last = self.last.as_ref()?;
        if last.outputs.get(rel) != Some(&fp) || !self.is_as_left(out, rel) {
            return None;
        }
        let gz = format!("{rel}.gz");
        match last.manifest.contains_key(&gz) {
            false => Some(vec![rel.to_string()]),
            true if self.is_as_left(out, &gz) => Some(vec![rel.to_string(), gz]),
            true => None,
        }
    }

    /// The file `rel` of `out` has the size and time the last build left it with.
    fn is_as_left(&self, out: &Path, rel: &str) -> bool {
        let Some(last) = &self.last else {
            return false;
        };
        last.manifest
            .get(rel)
            .is_some_and(|was| same_stat(&out.join(rel), was, false))
    }

    /// The files of the last build's output under which `pick` is true, if its search index
    /// had the fingerprint `search` and every one of them is as it was left.
    pub(crate) fn kept_files(
        &self,
        out: &Path,
        search: u64,
        pick: impl Fn(&str) -> bool + Sync,
    ) -> Option<Vec<String>> {
        let last = self.last.as_ref()?;
        if last.stored.search != search {
            return None;
        }
        self.files_as_left(out, pick)
    }

    /// What the last build's search indexes need to be patched (`search::update`).
    pub(crate) fn last_index(&self) -> &[crate::search::IndexState] {
        self.last.as_ref().map_or(&[], |l| &l.stored.index)
    }

    /// The files of the last build's output under which `pick` is true, if there are any
    /// and every one of them is as it was left.
    pub(crate) fn files_as_left(
        &self,
        out: &Path,
        pick: impl Fn(&str) -> bool + Sync,
    ) -> Option<Vec<String>> {
        let last = self.last.as_ref()?;
        let files: Vec<String> = last
            .stored
            .manifest
            .iter()
            .map(|(rel, _)| rel)
            .filter(|rel| pick(rel))
            .cloned()
            .collect();
        (!files.is_empty() && files.par_iter().all(|rel| self.is_as_left(out, rel)))
            .then_some(files)
    }

    /// Writes what this build made: aside, then renamed, so a cache is whole or absent. A
    /// cache that cannot be written costs the next build time, nothing else: not an error.
    /// `untouched` (sorted), when every folder was found as the last build left it: the
    /// files this build kept as they were and did not touch, whose sizes and times are those
    /// the cache holds (then only the other files and their folders are looked at again).
    pub(crate) fn save(
        &self,
        made: Made,
        out: &Path,
        produced: &[String],
        untouched: Option<&[String]>,
    ) {
        if self.file.as_os_str().is_empty() {
            return;
        }
        let (manifest, folders) = match (&self.last, untouched) {
            (Some(last), Some(untouched)) => self.restat(last, out, produced, untouched),
            _ => (
                stats(out, produced.iter().map(String::as_str)),
                stats(out, folders_of(produced).into_iter()),
            ),
        };
        let stored = Stored {
            herald: identity(),
            options: self.options,
            inputs: made.inputs,
            clean: made.clean,
            pages: made.pages,
            brands: made.brands,
            files: made.files,
            outputs: made.outputs,
            search: made.search,
            index: made.index,
            manifest,
            folders,
        };
        if let Ok(bytes) = bincode::serialize(&stored) {
            write_aside(&self.file, &bytes);
        }
    }
}

/// Writes a file of the caches aside and renames it into place, so it is whole or absent. A
/// cache that cannot be written costs the next build time, nothing else: not an error.
pub(super) fn write_aside(file: &Path, bytes: &[u8]) {
    let (Some(folder), Some(name)) = (file.parent(), file.file_name()) else {
        return;
    };
    let partial = folder.join(format!(
        "{}.{}.partial",
        name.to_string_lossy(),
        std::process::id()
    ));
    let written = std::fs::create_dir_all(folder)
        .and_then(|()| std::fs::write(&partial, bytes))
        .and_then(|()| std::fs::rename(&partial, file));
    if written.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
}

impl BuildCache {
    /// The stats of `produced` and its folders, reading again only those of files not in
    /// `untouched` and of the folders above them or above files now gone.
    fn restat(
        &self,
        last: &Last,
        out: &Path,
        produced: &[String],
        untouched: &[String],
    ) -> (Stats, Stats) {
        let as_left = |rel: &str| {
            untouched
                .binary_search_by(|u| u.as_str().cmp(rel))
                .is_ok()
                .then(|| last.manifest.get(rel).copied())
                .flatten()
        };
        let mut manifest: Vec<(String, Stat)> = Vec::with_capacity(produced.len());
        let mut again: Vec<&str> = Vec::new();
        for rel in produced {
            match as_left(rel) {
                Some(stat) => manifest.push((rel.clone(), stat)),
                None => again.push(rel),
            }
        }
        // Folders whose entries may have changed: above every file written, and above every
        // file of the last build that is gone.
        let gone = last
            .stored
            .manifest
            .iter()
            .map(|(rel, _)| rel.as_str())
            .filter(|rel| produced.binary_search_by(|p| p.as_str().cmp(rel)).is_err());
        let mut moved = std::collections::HashSet::new();
        for rel in again.iter().copied().chain(gone) {
            let mut rel = rel;
            while let Some((parent, _)) = rel.rsplit_once('/') {
                if !moved.insert(parent) {
                    break;
                }
                rel = parent;
            }
        }
        moved.insert("");
        let old_folders: HashMap<&str, Stat> = last
            .stored
            .folders
            .iter()
            .map(|(rel, stat)| (rel.as_str(), *stat))
            .collect();
        let mut folders: Vec<(String, Stat)> = Vec::new();
        let mut folders_again: Vec<&str> = Vec::new();
        for folder in folders_of(produced) {
            match old_folders.get(folder) {
                Some(stat) if !moved.contains(folder) => folders.push((folder.to_string(), *stat)),
                _ => folders_again.push(folder),
            }
        }
        manifest.extend(stats(out, again.into_iter()));
        manifest.sort_unstable();
        folders.extend(stats(out, folders_again.into_iter()));
        folders.sort_unstable();
        (manifest, folders)
    }
}

/// What a build made, for the cache.
pub(crate) struct Made {
    pub(crate) inputs: Option<u64>,
    pub(crate) clean: bool,
    pub(crate) pages: usize,
    pub(crate) brands: usize,
    pub(crate) files: usize,
    pub(crate) outputs: Vec<(String, u64)>,
    pub(crate) search: u64,
    pub(crate) index: Vec<crate::search::IndexState>,
}

/// How close to now a file's time must be for it not to be trusted: file systems take file
/// times from a coarse clock (FAT even in 2 s steps), so a file saved again within the same
/// tick may keep its time. Such a build's inputs are not remembered: the next build reads
/// every file again (as git does with its "racy" entries).
const RACY: std::time::Duration = std::time::Duration::from_secs(2);

/// Size and time of every file a build reads (site.yaml and the site's folders) as one hash,
/// or `None` if a file changed too recently to be told apart by its time.
pub(crate) fn inputs(root: &Path) -> Option<u64> {
    let now = std::time::SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    let mut files: Vec<(PathBuf, Stat)> = Vec::new();
    if let Ok(m) = std::fs::metadata(root.join(SITE_FILE)) {
        files.push((PathBuf::from(SITE_FILE), stat_of(&m)));
    }
    for folder in SiteFolder::ALL {
        // Links are followed as the build follows them: an edit behind a link is an edit.
        for entry in walkdir::WalkDir::new(folder.path(root))
            .follow_links(true)
            .into_iter()
            .flatten()
        {
            // Files only: what a folder holds is already told by the paths of its files.
            if entry.file_type().is_dir() {
                continue;
            }
            if let Ok(m) = entry.metadata() {
                let rel = entry.path().strip_prefix(root).unwrap_or(entry.path());
                files.push((rel.to_path_buf(), stat_of(&m)));
            }
        }
    }
    let newest = files
        .iter()
        .map(|(_, (_, secs, nanos))| std::time::Duration::new(*secs, *nanos))
        .max()
        .unwrap_or_default();
    if newest + RACY > now {
        return None;
    }
    files.sort_unstable();
    let mut h = DefaultHasher::new();
    files.hash(&mut h);
    Some(h.finish())
}

/// Whether `path` is a file (or a folder) with the size and time `was`.
fn same_stat(path: &Path, was: &Stat, folder: bool) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| {
        let kind = if folder {
            m.file_type().is_dir()
        } else {
            m.file_type().is_file()
        };
        kind && &stat_of(&m) == was
    })
}

/// Size and time of each of `rels` in `out` (those that exist), sorted by path.
fn stats<'a>(out: &Path, rels: impl Iterator<Item = &'a str>) -> Vec<(String, Stat)> {
    let rels: Vec<&str> = rels.collect();
    let mut found: Vec<(String, Stat)> = rels
        .par_iter()
        .filter_map(|rel| {
            let m = std::fs::symlink_metadata(out.join(rel)).ok()?;
            Some((rel.to_string(), stat_of(&m)))
        })
        .collect();
    found.sort_unstable();
    found
}

/// The folders `files` are in, and theirs, up to the output itself (`""`).
fn folders_of(files: &[String]) -> std::collections::BTreeSet<&str> {
    let mut folders = std::collections::BTreeSet::new();
    folders.insert("");
    for f in files {
        let mut rel = f.as_str();
        while let Some((parent, _)) = rel.rsplit_once('/') {
            if !folders.insert(parent) {
                break;
            }
            rel = parent;
        }
    }
    folders
}

/// `herald clean`: removes `.herald/cache/` (this cache and the encoded photos). Returns how
/// many files it held, or `None` if there was none.
pub fn clean(root: &Path) -> Result<Option<usize>, crate::error::Error> {
    let cache = dir(root);
    let Ok(meta) = std::fs::symlink_metadata(&cache) else {
        return Ok(None);
    };
    if !meta.file_type().is_dir() {
        // A link (or a file) in its place: remove that, never what it points to.
        std::fs::remove_file(&cache).map_err(|e| crate::error::Error::io(&cache, "remove", e))?;
        return Ok(Some(0));
    }
    let files = walkdir::WalkDir::new(&cache)
        .follow_links(false)
        .into_iter()
        .flatten()
        .filter(|e| !e.file_type().is_dir())
        .count();
    std::fs::remove_dir_all(&cache).map_err(|e| crate::error::Error::io(&cache, "remove", e))?;
    Ok(Some(files))
}
