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
//! cache of the whole site; each is written aside and renamed.

use std::collections::hash_map::DefaultHasher;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::markdown::{Links, Rendered};
use crate::model::links::BodyCache;
use crate::model::Site;

/// Bump when what a body holds changes meaning.
const FORMAT: u32 = 1;
const SHARDS: usize = 64;
const DIR: &str = "bodies";

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
    body: Rendered,
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
        let shards: Vec<Option<Shard>> = (0..SHARDS)
            .into_par_iter()
            .map(|i| {
                let file = folder.join(format!("{i:02}.bin"));
                // A file, not a link to one elsewhere.
                std::fs::symlink_metadata(&file)
                    .ok()
                    .filter(|m| m.is_file())?;
                let bytes = std::fs::read(&file).ok()?;
                bincode::deserialize::<Shard>(&bytes)
                    .ok()
                    .filter(|s| s.herald == herald)
            })
            .collect();
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
        })
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
                let shard = ShardRef {
                    herald: &self.herald,
                    shortcodes: self.shortcodes,
                    entries: bodies
                        .into_iter()
                        .map(|(file, line, text, body)| EntryRef {
                            file,
                            line,
                            text,
                            body,
                        })
                        .collect(),
                };
                if let Ok(bytes) = bincode::serialize(&shard) {
                    super::cache::write_aside(&self.folder.join(format!("{i:02}.bin")), &bytes);
                }
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
