//! Patching the last build's index in place when a few pages changed and every page kept
//! its number (a report's body, title or tags edited): instead of indexing every page again,
//! only the edited pages' files and the shards of the tokens they gained or lost are
//! written. The result is byte for byte what `write` makes of the same site; where that
//! cannot be guaranteed (pages added, removed or reordered, the shard count would change, a
//! file of the last index missing) it declines, and the build writes the whole index.
//!
//! A page's tokens before the edit come from its page file in the output (its title,
//! brands, fields and text, as indexed), after it from the site: only tokens whose pages
//! changed are patched.

use std::collections::{BTreeMap, HashMap};
use std::io::Read;

use rayon::prelude::*;

use super::index::{self, Key};
use super::postings::{self, List};
use super::{
    digest, doc, doc_file, doc_head, doc_key, entry_size, fold, meta, rendered, shard_count,
    shard_json, sources, Gzip, IndexState, META,
};
use crate::model::Site;

/// A token's change on one page: the page, and the token there before and after (absent,
/// or present with whether it is in the title or a brand).
type Edit = (u32, Option<bool>, Option<bool>);

/// More changed pages than this, and writing the whole index is as quick.
fn most_changed(pages: usize) -> usize {
    (pages / 100).max(16)
}

/// The tokens of one page (key → whether it is in the title or a brand) and its Traditional
/// characters, exactly as `write` indexes it.
fn tokens(
    title: &str,
    brands: &[String],
    fields: &[String],
    body: &str,
) -> (HashMap<Key, bool>, Vec<(char, char)>) {
    let mut part = index::Part::new(0, 1);
    part.page(0);
    part.field(title, true);
    for b in brands {
        part.field(b, true);
    }
    for f in fields {
        part.field(f, false);
    }
    part.field(body, false);
    let traditional = part.traditional().to_vec();
    part.finish();
    let keys = part
        .keys
        .iter()
        .zip(&part.heading)
        .map(|(&k, h)| (k, !h.is_empty()))
        .collect();
    (keys, traditional)
}

/// The fields of a page file that are indexed.
#[derive(serde::Deserialize)]
struct PageFile {
    b: Vec<String>,
    c: String,
    t: String,
    x: Vec<String>,
}

/// The tokens of a page as its page file (UTF-16LE JSON) says.
fn tokens_of_file(bytes: &[u8]) -> Option<HashMap<Key, bool>> {
    let units: Vec<u16> = bytes
        .chunks_exact(2)
        .map(|b| u16::from_le_bytes([b[0], b[1]]))
        .collect();
    let text = String::from_utf16(&units).ok()?;
    let f: PageFile = serde_json::from_str(&text).ok()?;
    Some(tokens(&f.t, &f.b, &f.x, &f.c).0)
}

fn gunzip(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_end(&mut out)
        .ok()?;
    Some(out)
}

/// Sets whether `page` is in the sorted list `pages`.
fn set(pages: &mut Vec<u32>, page: u32, member: bool) {
    match (pages.binary_search(&page), member) {
        (Err(i), true) => pages.insert(i, page),
        (Ok(i), false) => {
            pages.remove(i);
        }
        _ => {}
    }
}

/// Patches the index `last` describes into the index of `site`, reading the last index's
/// files with `old` (a path below the output root, as `write` names them) and handing the
/// changed ones to `sink`. `None` when it cannot (nothing was handed to `sink` then).
pub(crate) fn update<E, F>(
    site: &Site,
    last: &IndexState,
    old: &(dyn Fn(&str) -> Option<Vec<u8>> + Sync),
    sink: &F,
) -> Option<Result<(usize, IndexState), E>>
where
    F: Fn(&str, &[u8]) -> Result<(), E> + Sync,
{
    let sources = sources(site);
    let n = sources.len();
    let folds = fold::FOLD_SHARDS as usize;
    if n != last.docs.len() || last.digests.len() != last.shards as usize + n + folds {
        return None;
    }
    let docs: Vec<u64> = sources
        .par_iter()
        .map(|&s| doc_key(&doc_head(site, s), rendered(site, s).stamp))
        .collect();
    let changed: Vec<usize> = (0..n).filter(|&i| docs[i] != last.docs[i]).collect();
    if changed.len() > most_changed(n) {
        return None;
    }
    let mut edits: BTreeMap<Key, Vec<Edit>> = BTreeMap::new();
    let mut page_files: Vec<(usize, String, Vec<u8>)> = Vec::new();
    for &p in &changed {
        let path = format!("search/d/{p}.bin");
        let before = tokens_of_file(&old(&path)?)?;
        let d = doc(site, sources[p]);
        let (after, traditional) = tokens(&d.title, &d.brands, &d.fields, &d.body);
        for (&k, &h) in &after {
            let was = before.get(&k).copied();
            if was != Some(h) {
                edits.entry(k).or_default().push((p as u32, was, Some(h)));
            }
        }
        for (&k, &h) in &before {
            if !after.contains_key(&k) {
                edits.entry(k).or_default().push((p as u32, Some(h), None));
            }
        }
        let mut bytes = Vec::new();
        doc_file(&d, &traditional, &mut bytes);
        page_files.push((p, path, bytes));
    }
    // The shards of the edited tokens, as the last build wrote them, patched.
    let mut shards: BTreeMap<u32, BTreeMap<String, Vec<String>>> = BTreeMap::new();
    let mut total = last.total;
    let mut words = Vec::new();
    for (k, page_edits) in edits {
        let text = index::key_text(k);
        let s = postings::shard_of(&text, last.shards);
        let shard = match shards.entry(s) {
            std::collections::btree_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::btree_map::Entry::Vacant(e) => {
                let json = gunzip(&old(&format!("search/i/{s}.bin"))?)?;
                e.insert(serde_json::from_slice(&json).ok()?)
            }
        };
        let (a, h) = match shard.get(&text) {
            Some(v) => (v.first()?.clone(), v.get(1).cloned().unwrap_or_default()),
            None => (String::new(), String::new()),
        };
        if shard.contains_key(&text) {
            total = total.checked_sub(entry_size(&text, &a, &h))?;
        }
        let (mut all, mut heading) = (postings::decode(&a, n), postings::decode(&h, n));
        for (page, _, after) in page_edits {
            set(&mut all, page, after.is_some());
            set(&mut heading, page, after == Some(true));
        }
        let encode = |pages: Vec<u32>, words: &mut Vec<u64>| {
            let l = List::Sparse(pages);
            postings::encode_parts(std::iter::once((0, &l)), n, words)
        };
        let (a, h) = (encode(all, &mut words), encode(heading, &mut words));
        if a.is_empty() {
            shard.remove(&text);
        } else {
            total += entry_size(&text, &a, &h);
            let mut lists = vec![a];
            if !h.is_empty() {
                lists.push(h);
            }
            shard.insert(text, lists);
        }
    }
    if shard_count(total) != last.shards {
        return None;
    }
    // Everything is known: now the files.
    let mut digests = last.digests.clone();
    let mut gz = Gzip::new();
    let written = (|| {
        for (&s, tokens) in &shards {
            let json = shard_json(tokens.iter().map(|(t, lists)| {
                let a = lists.first().map_or("", String::as_str);
                let h = lists.get(1).map_or("", String::as_str);
                (t.as_str(), a, h)
            }));
            let path = format!("search/i/{s}.bin");
            let bytes = gz.gzip(&json);
            sink(&path, &bytes)?;
            digests[s as usize] = digest(&path, &bytes);
        }
        for (p, path, bytes) in &page_files {
            sink(path, bytes)?;
            digests[last.shards as usize + p] = digest(path, bytes);
        }
        sink(META, meta(n, last.shards, &digests).as_bytes())
    })();
    Some(written.map(|()| {
        let state = IndexState {
            docs,
            total,
            shards: last.shards,
            digests,
        };
        (last.shards as usize + n + folds + 1, state)
    }))
}
