//! The parse cache, `.herald/cache/sources.bin`: every Markdown file's front matter as the
//! last build parsed it, with the hash and first line of its body, so the next build reads
//! and parses only the files that changed. A file found here is not read at all: its body's
//! hash is what the body cache (`bodies.rs`) is asked with, and the text is read only if the
//! body must be rendered again (`content::BodyText::load`).
//!
//! A file counts as unchanged when its size, modification time and (on Unix) inode and
//! change time, or (on Windows) creation time, are those the cache saw, as make and git
//! trust them. Like git, a file modified less than `RACY` before it was looked at is not
//! kept: a second edit within the file system's time resolution (two seconds on FAT) would
//! leave the same time. Nor is a file whose parse warned (the warning must be said again),
//! nor one that failed. A cache from another Herald, or one that does not decode, is ignored.

use std::collections::HashMap;
use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::content::{self, BodyText, Doc, Parsed, Source};
use crate::error::Diagnostics;

/// Bump when what an entry holds changes meaning.
const FORMAT: u32 = 1;
const FILE: &str = "sources.bin";
/// A file younger than this when it was looked at is parsed again next time.
const RACY: Duration = Duration::from_secs(3);

/// What identifies a file's content without reading it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
struct Stamp {
    len: u64,
    modified: (u64, u32),
    /// Unix: change time and inode (a file replaced by another, even with the same size
    /// and time, has another). Windows: creation time.
    changed: (u64, u32),
    inode: u64,
}

fn time_of(t: std::io::Result<SystemTime>) -> Option<(u64, u32)> {
    let d = t.ok()?.duration_since(UNIX_EPOCH).ok()?;
    Some((d.as_secs(), d.subsec_nanos()))
}

/// The file's stamp, and whether it may be kept (it is not too young).
fn stamp_of(path: &Path, now: SystemTime) -> Option<(Stamp, bool)> {
    let m = std::fs::metadata(path).ok()?;
    let modified = m.modified().ok()?;
    #[cfg(unix)]
    let (changed, inode) = {
        use std::os::unix::fs::MetadataExt;
        let ctime = (
            u64::try_from(m.ctime()).unwrap_or_default(),
            u32::try_from(m.ctime_nsec()).unwrap_or_default(),
        );
        (ctime, m.ino())
    };
    #[cfg(not(unix))]
    let (changed, inode) = (time_of(m.created()).unwrap_or_default(), 0);
    let stamp = Stamp {
        len: m.len(),
        modified: time_of(Ok(modified))?,
        changed,
        inode,
    };
    let settled = now.duration_since(modified).is_ok_and(|age| age >= RACY);
    Some((stamp, settled))
}

#[derive(Deserialize)]
struct Stored {
    herald: String,
    entries: Vec<Entry>,
}

#[derive(Deserialize)]
struct Entry {
    rel: String,
    stamp: Stamp,
    doc: Doc,
    body: u64,
    body_line: usize,
}

#[derive(Serialize)]
struct StoredRef<'a> {
    herald: &'a str,
    entries: Vec<EntryRef<'a>>,
}

#[derive(Serialize)]
struct EntryRef<'a> {
    rel: &'a str,
    stamp: Stamp,
    doc: &'a Doc,
    body: u64,
    body_line: usize,
}

fn identity() -> String {
    format!("{} sources {FORMAT}", super::cache::identity())
}

/// The parses a site's cache holds.
pub(crate) struct StoredSources {
    file: std::path::PathBuf,
    herald: String,
    entries: HashMap<String, Entry>,
}

/// How `parse` came by a file's parse.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Read {
    /// From the cache.
    Cached,
    /// Parsed, and the cache must change for it: its entry is stale, or it is now kept.
    Changed,
    /// Parsed, and neither in the cache before nor kept now (it is too young, or warned).
    Again,
}

/// What `parse` did, for `save`: the stamp of every file parsed or reused that may be kept.
pub(crate) struct Parses {
    stamps: Vec<Option<Stamp>>,
    /// Whether anything differs from what the cache held.
    changed: bool,
}

impl StoredSources {
    /// Reads the cache of the site at `root` (an empty one when there is none or it is not
    /// usable; none when `.herald` leads out of the site).
    pub(crate) fn open(root: &Path) -> Option<StoredSources> {
        let file = super::cache::inside(root)?.join(FILE);
        crate::paths::SiteRoot::new(root).check_inside(&file).ok()?;
        let herald = identity();
        let entries = std::fs::symlink_metadata(&file)
            .ok()
            .filter(|m| m.is_file())
            .and_then(|_| std::fs::read(&file).ok())
            .and_then(|bytes| bincode::deserialize::<Stored>(&bytes).ok())
            .filter(|s| s.herald == herald)
            .map(|s| s.entries.into_iter().map(|e| (e.rel.clone(), e)).collect())
            .unwrap_or_default();
        Some(StoredSources {
            file,
            herald,
            entries,
        })
    }

    /// Parses `sources`, taking from the cache every file that did not change.
    pub(crate) fn parse(&mut self, sources: &[Source]) -> (Vec<Parsed>, Diagnostics, Parses) {
        let now = SystemTime::now();
        let kept: Vec<Option<Entry>> = sources
            .iter()
            .map(|s| self.entries.remove(&s.rel))
            .collect();
        let mut changed = !self.entries.is_empty();
        self.entries.clear();
        let results: Vec<_> = sources
            .par_iter()
            .zip(kept)
            .map(|(s, kept)| {
                let stamp = stamp_of(&s.abs, now);
                match (kept, stamp) {
                    (Some(e), Some((stamp, _))) if e.stamp == stamp => {
                        let parsed = Parsed {
                            source: s.clone(),
                            shown: Path::new("content").join(&s.rel),
                            doc: e.doc,
                            body: BodyText::unread(e.body, s.clone()),
                            body_line: e.body_line,
                        };
                        (
                            Ok((parsed, Diagnostics::default())),
                            Some(stamp),
                            Read::Cached,
                        )
                    }
                    (old, stamp) => {
                        let parsed = content::parse(s);
                        let keep = match (&parsed, stamp) {
                            (Ok((_, d)), Some((stamp, true))) if d.warnings.is_empty() => {
                                Some(stamp)
                            }
                            _ => None,
                        };
                        // A young file that was not in the cache is not in it now either.
                        let read = match old.is_some() || keep.is_some() {
                            true => Read::Changed,
                            false => Read::Again,
                        };
                        (parsed, keep, read)
                    }
                }
            })
            .collect();
        let mut diags = Diagnostics::default();
        let mut parsed = Vec::with_capacity(results.len());
        let mut stamps = Vec::with_capacity(results.len());
        let fresh = results
            .iter()
            .filter(|(_, _, read)| *read != Read::Cached)
            .count();
        if crate::timing::enabled() {
            eprintln!(
                "[timing] sources: {fresh} parsed, {} from the parse cache",
                results.len() - fresh
            );
        }
        changed |= results.iter().any(|(_, _, read)| *read == Read::Changed);
        for (r, stamp, _) in results {
            match r {
                Ok((p, d)) => {
                    parsed.push(p);
                    stamps.push(stamp);
                    diags.extend(d);
                }
                Err(d) => diags.extend(d),
            }
        }
        (parsed, diags, Parses { stamps, changed })
    }

    /// Writes the cache for the files just parsed, if anything changed. A cache that cannot
    /// be written is left out: it only saves time.
    pub(crate) fn save(&self, parsed: &[Parsed], parses: &Parses) {
        if !parses.changed {
            return;
        }
        let entries = parsed
            .iter()
            .zip(&parses.stamps)
            .filter_map(|(p, stamp)| {
                Some(EntryRef {
                    rel: &p.source.rel,
                    stamp: (*stamp)?,
                    doc: &p.doc,
                    body: p.body.hash(),
                    body_line: p.body_line,
                })
            })
            .collect();
        let stored = StoredRef {
            herald: &self.herald,
            entries,
        };
        if let Ok(bytes) = bincode::serialize(&stored) {
            super::cache::write_aside(&self.file, &bytes);
        }
    }
}
