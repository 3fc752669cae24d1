//! The body cache, `.herald/cache/bodies/`: every Markdown body as the last build (or preview)
//! rendered it, so the next one renders only the bodies that would come out differently.
//!
//! A body is a function of its text, its file and first line, the shortcode templates, and
//! the answers to what it asked the site while it was rendered (`markdown::Asked`: the URL of
//! each page or file it links, the base path, a photo's sizes). Each body is kept with those
//! questions and a hash of each answer, and reused only when its text is the same and every
//! answer is the same in the new site: a report moved to a new URL re-renders exactly the
//! bodies that link to it. A cache from another Herald, or one that does not decode, is
//! ignored.
//!
//! Kept in `SHARDS` files by the body's path, so an edit rewrites one small file, not the
//! cache of the whole site; each is written aside and renamed. A file is the length and hash
//! of its head (everything of its bodies but their HTML), the head, then their HTML one after
//! another: a build reads the HTML of a body only when it needs it (`markdown::BodyHtml`),
//! each checked by a hash. A head that does not match is not used; HTML that does not makes
//! the build that read it start again without that file.

use std::collections::hash_map::DefaultHasher;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::markdown::{html_hash, BodyHtml, Links, Rendered, StoredFile};
use crate::model::links::BodyCache;
use crate::model::Site;

/// Bump when what a body holds changes meaning.
const FORMAT: u32 = 2;
const SHARDS: usize = 64;
const DIR: &str = "bodies";
/// A file's first bytes: its head's length and hash.
const PREFIX: u64 = 16;

#[derive(Deserialize)]
struct Shard {
    herald: String,
    shortcodes: u64,
    entries: Vec<Entry>,
}

#[derive(Deserialize)]
struct Entry {
    file: PathBuf,
    line: usize,
    text: u64,
    /// Without its HTML, which follows the entries (`html_len` bytes, hash `html_hash`).
    body: Rendered,
    html_len: u64,
    html_hash: u64,
}

/// `Shard` as it is written, borrowing the site's bodies.
#[derive(Serialize)]
struct ShardRef<'a> {
    herald: &'a str,
    shortcodes: u64,
    entries: Vec<EntryRef<'a>>,
}

#[derive(Serialize)]
struct EntryRef<'a> {
    file: &'a Path,
    line: usize,
    text: u64,
    body: &'a Rendered,
    html_len: u64,
    html_hash: u64,
}

fn shard_of(file: &Path) -> usize {
    let mut h = DefaultHasher::new();
    file.hash(&mut h);
    (h.finish() % SHARDS as u64) as usize
}

fn identity() -> String {
    format!("{} bodies {FORMAT}", super::cache::identity())
}

/// The bodies a site's cache holds, handed out once each to the build that renders the site.
pub(crate) struct StoredBodies {
    folder: PathBuf,
    herald: String,
    shortcodes: u64,
    bodies: Mutex<HashMap<PathBuf, Entry>>,
    /// Shards to write again: unreadable, or holding a body that changed or is gone.
    dirty: Vec<AtomicBool>,
    /// The files the bodies' HTML is read from.
    files: OpenShards,
}

/// The files of the body cache a build's bodies may still read HTML from.
#[derive(Clone, Default)]
pub(crate) struct OpenShards(Arc<Vec<Arc<StoredFile>>>);

impl OpenShards {
    /// The files a body's HTML did not match in, each removed (the next build renders their
    /// bodies again): what was made from them is wrong.
    pub(crate) fn remove_damaged(&self) -> Vec<PathBuf> {
        let damaged: Vec<PathBuf> = self
            .0
            .iter()
            .filter(|f| f.damaged())
            .map(|f| f.path().to_path_buf())
            .collect();
        for path in &damaged {
            let _ = std::fs::remove_file(path);
        }
        damaged
    }
}

/// Reads one shard file: its bodies, each with its HTML left in the file.
fn read_shard(path: &Path, herald: &str) -> Option<(Shard, Arc<StoredFile>)> {
    use std::io::Read;
    // A file, not a link to one elsewhere.
    std::fs::symlink_metadata(path)
        .ok()
        .filter(|m| m.is_file())?;
    let mut file = std::fs::File::open(path).ok()?;
    let size = file.metadata().ok()?.len();
    let mut prefix = [0u8; PREFIX as usize];
    file.read_exact(&mut prefix).ok()?;
    let (len, hash) = prefix.split_at(8);
    let head_len = u64::from_le_bytes(len.try_into().ok()?);
    let mut head = vec![0u8; usize::try_from(head_len.min(size)).ok()?];
    file.read_exact(&mut head).ok()?;
    if html_hash(&head).to_le_bytes() != hash {
        return None;
    }
    let mut shard = bincode::deserialize::<Shard>(&head)
        .ok()
        .filter(|s| s.herald == herald)?;
    let html: u64 = shard
        .entries
        .iter()
        .try_fold(0u64, |sum, e| sum.checked_add(e.html_len))?;
    if Some(size) != (PREFIX + head_len).checked_add(html) {
        return None;
    }
    let stored = StoredFile::new(path.to_path_buf(), file);
    let mut offset = PREFIX + head_len;
    for e in &mut shard.entries {
        let len = usize::try_from(e.html_len).ok()?;
        e.body.html = BodyHtml::stored(stored.clone(), offset, len, e.html_hash);
        offset += e.html_len;
    }
    Some((shard, stored))
}

impl StoredBodies {
    /// Reads the cache of the site at `root` (nothing when `.herald` leads out of the site);
    /// bodies rendered with other shortcode templates than `shortcodes` are not used.
    pub(crate) fn open(root: &Path) -> Option<StoredBodies> {
        let folder = super::cache::inside(root)?.join(DIR);
        crate::paths::SiteRoot::new(root)
            .check_inside(&folder)
            .ok()?;
        let herald = identity();
        let shards: Vec<Option<(Shard, Arc<StoredFile>)>> = (0..SHARDS)
            .into_par_iter()
            .map(|i| read_shard(&folder.join(format!("{i:02}.bin")), &herald))
            .collect();
        let files = OpenShards(Arc::new(
            shards.iter().flatten().map(|(_, f)| f.clone()).collect(),
        ));
        let shards: Vec<Option<Shard>> = shards.into_iter().map(|s| Some(s?.0)).collect();
        let dirty = shards
            .iter()
            .map(|s| AtomicBool::new(s.is_none()))
            .collect();
        // Every shard must agree on the shortcodes; the first readable one sets them.
        let shortcodes = shards.iter().flatten().map(|s| s.shortcodes).next();
        let bodies = shards
            .into_iter()
            .flatten()
            .filter(|s| Some(s.shortcodes) == shortcodes)
            .flat_map(|s| s.entries)
            .map(|e| (e.file.clone(), e))
            .collect();
        Some(StoredBodies {
            folder,
            herald,
            shortcodes: shortcodes.unwrap_or_default(),
            bodies: Mutex::new(bodies),
            dirty,
            files,
        })
    }

    /// The files this cache's bodies read their HTML from (see `OpenShards`).
    pub(crate) fn files(&self) -> OpenShards {
        self.files.clone()
    }

    /// For a build whose shortcode templates hash to `shortcodes`: none of the bodies if
    /// they were rendered with others.
    pub(crate) fn for_shortcodes(mut self, shortcodes: u64) -> StoredBodies {
        if self.shortcodes != shortcodes {
            self.bodies = Mutex::new(HashMap::new());
            self.dirty
                .iter()
                .for_each(|d| d.store(true, Ordering::Relaxed));
            self.shortcodes = shortcodes;
        }
        self
    }

    fn mark(&self, file: &Path) {
        self.dirty[shard_of(file)].store(true, Ordering::Relaxed);
    }

    /// Writes the shards that changed, from the bodies of `site` (just made with these
    /// bodies). A shard that cannot be written is left out: the cache only saves time.
    pub(crate) fn save(self, site: &Site) {
        let mut left = self
            .bodies
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        // Bodies not taken: their files are gone or changed.
        for file in left.keys() {
            self.dirty[shard_of(file)].store(true, Ordering::Relaxed);
        }
        left.clear();
        let mut by_shard: Vec<Vec<(&Path, usize, u64, &Rendered)>> = vec![Vec::new(); SHARDS];
        let bodies = site
            .pages
            .iter()
            .map(|p| (p.file.as_path(), p.body_line, p.body_text.hash(), &p.body))
            .chain(
                site.brands
                    .iter()
                    .map(|b| (b.file.as_path(), b.body_line, b.body_text.hash(), &b.body)),
            )
            .chain(site.sections.iter().filter_map(|s| {
                Some((s.file.as_deref()?, s.body_line, s.body_text.hash(), &s.body))
            }));
        for body in bodies {
            by_shard[shard_of(body.0)].push(body);
        }
        if std::fs::create_dir_all(&self.folder).is_err() {
            return;
        }
        by_shard
            .into_par_iter()
            .enumerate()
            .filter(|(i, _)| self.dirty[*i].load(Ordering::Relaxed))
            .for_each(|(i, bodies)| {
                // Every body's HTML, read now from the file being replaced where it is still
                // there; a shard one of whose bodies' HTML did not read is not written.
                let html: Vec<&str> = bodies.iter().map(|b| b.3.html.as_str()).collect();
                if bodies.iter().any(|b| b.3.html.damaged()) {
                    return;
                }
                let shard = ShardRef {
                    herald: &self.herald,
                    shortcodes: self.shortcodes,
                    entries: bodies
                        .iter()
                        .zip(&html)
                        .map(|(&(file, line, text, body), html)| EntryRef {
                            file,
                            line,
                            text,
                            body,
                            html_len: html.len() as u64,
                            html_hash: html_hash(html.as_bytes()),
                        })
                        .collect(),
                };
                let Ok(head) = bincode::serialize(&shard) else {
                    return;
                };
                let html_len: usize = html.iter().map(|h| h.len()).sum();
                let mut bytes = Vec::with_capacity(PREFIX as usize + head.len() + html_len);
                bytes.extend_from_slice(&(head.len() as u64).to_le_bytes());
                bytes.extend_from_slice(&html_hash(&head).to_le_bytes());
                bytes.extend_from_slice(&head);
                html.iter()
                    .for_each(|h| bytes.extend_from_slice(h.as_bytes()));
                super::cache::write_aside(&self.folder.join(format!("{i:02}.bin")), &bytes);
            });
    }
}

impl BodyCache for &StoredBodies {
    fn take(&self, file: &Path, text: u64, line: usize, links: &dyn Links) -> Option<Rendered> {
        let found = {
            let mut bodies = self.bodies.lock().ok()?;
            bodies.remove(file)
        };
        let reused =
            found.filter(|e| e.line == line && e.text == text && e.body.asked.still_true(links));
        if reused.is_none() {
            self.mark(file);
        }
        reused.map(|e| e.body)
    }
}
