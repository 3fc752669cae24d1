//! Full-text search, written by the build itself: an index of the site's pages in small
//! files under `search/`, and the page `/search/` whose script reads them.
//!
//! What is written (every path below `search/`):
//! - `meta.json`: how many pages and shards there are, and a key that changes with the
//!   index (the script adds it to every request, so a browser never mixes two builds).
//! - `i/<n>.bin`: the shards of the index (`index.rs`): token → pages, gzip-compressed JSON.
//! - `d/<n>.bin`: one file per page: URL, title, brands, date and the plain text the browser
//!   checks a query against and cuts the excerpt from, JSON in UTF-16LE. Fetched only for the
//!   results shown.
//! - `f/<n>.json`: the Traditional → Simplified table in shards (`fold.rs`), for the query.
//!
//! Pages are numbered reports first, newest first, then brands, then other pages: the order
//! results are shown in within "title or brand matches" and "text matches".
//!
//! Nothing here reads the disk: the index is made from the model, so `herald serve` makes
//! the same bytes from the same site. Nor is the index ever whole in memory: `write` makes
//! each page's text, indexes it and hands its page file to the caller's sink at once (on
//! every core), then the shards from the parts' lists (`index.rs`); `files` collects the
//! same files for `herald serve`.

pub(crate) mod fold;
pub(crate) mod index;
pub(crate) mod postings;
pub(crate) mod text;
mod update;

pub(crate) use update::update;

use rayon::prelude::*;
use serde_json::json;

use crate::model::Site;
use crate::timing::stage;

/// The search page's template; a theme without it has no search (and no index is written).
pub(crate) const TEMPLATE: &str = "search.html";
/// The search page's site path.
pub(crate) const PAGE: &str = "search/";
/// The one index file whose name does not depend on the site: claimed with the page.
pub(crate) const META: &str = "search/meta.json";

/// Shards are sized so that a query of two pairs fetches about 2 × this much.
const SHARD_TARGET: usize = 12 * 1024;
const MAX_SHARDS: usize = 4096;

/// One page as it is searched and shown.
struct Doc {
    url: String,
    title: String,
    brands: Vec<String>,
    date: String,
    /// Searched, not shown: organisation, region, tags.
    fields: Vec<String>,
    body: String,
}

/// A page search finds: a page of the site or a brand showcase.
#[derive(Clone, Copy)]
enum Source {
    Page(usize),
    Brand(usize),
}

/// The pages search finds, in result order: reports newest first (what readers look for),
/// then brand showcases, then other pages. Drafts never (even under `--drafts`), nor a page
/// whose front matter says `search: false`.
fn sources(site: &Site) -> Vec<Source> {
    let found = |&id: &usize| {
        let m = &site.pages[id].meta;
        !m.draft && m.search != Some(false)
    };
    let mut out: Vec<Source> = site
        .reports()
        .iter()
        .filter(|id| found(id))
        .map(|&id| Source::Page(id))
        .collect();
    out.extend((0..site.brands.len()).map(Source::Brand));
    out.extend(
        (0..site.pages.len())
            .filter(|&i| !site.pages[i].is_report && found(&i))
            .map(Source::Page),
    );
    out
}

fn doc(site: &Site, source: Source) -> Doc {
    let mut d = doc_head(site, source);
    d.body = text::plain_text(&rendered(site, source).html);
    d
}

/// A page's doc without its text (`body` empty): what is cheap to make for every page.
fn doc_head(site: &Site, source: Source) -> Doc {
    match source {
        Source::Page(id) => page_doc(site, id),
        Source::Brand(b) => brand_doc(site, b),
    }
}

fn rendered(site: &Site, source: Source) -> &crate::markdown::Rendered {
    match source {
        Source::Page(id) => &site.pages[id].body,
        Source::Brand(b) => &site.brands[b].body,
    }
}

/// What a page is searched and shown by, as one hash: its doc, its text by the hash of the
/// body it is cut from (`Rendered::stamp`), so it is made without cutting the text.
fn doc_key(d: &Doc, stamp: u64) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    (&d.url, &d.title, &d.brands, &d.date, &d.fields, stamp).hash(&mut h);
    h.finish()
}

fn brand_doc(site: &Site, b: usize) -> Doc {
    let b = &site.brands[b];
    let m = &b.meta;
    let mut fields: Vec<String> = [&m.slogan, &m.org, &m.region]
        .into_iter()
        .flatten()
        .cloned()
        .collect();
    for p in &m.pillars {
        fields.push(p.title.clone());
        fields.push(p.text.clone());
    }
    fields.extend(m.standards.iter().cloned());
    fields.extend(m.honours.iter().map(|h| h.title.clone()));
    fields.extend(m.events.iter().map(|e| e.title.clone()));
    fields.extend(m.metrics.iter().map(metric));
    strings_in(&m.extra, &mut fields);
    Doc {
        url: site.config.url(&b.path),
        title: m.name.clone(),
        brands: vec![m.name.clone()],
        date: String::new(),
        fields,
        body: String::new(),
    }
}

fn page_doc(site: &Site, id: usize) -> Doc {
    let c = &site.config;
    let p = &site.pages[id];
    let m = &p.meta;
    let mut fields: Vec<String> = [&m.org, &m.region, &m.author, &m.source]
        .into_iter()
        .flatten()
        .cloned()
        .collect();
    fields.extend(m.tags.iter().cloned());
    // As the page shows it: 2022年10月8日 finds the report of that day.
    fields.extend(m.date.map(|d| d.zh()));
    fields.extend(m.metrics.iter().map(metric));
    strings_in(&m.extra, &mut fields);
    Doc {
        url: c.url(&p.path),
        title: m.title.clone(),
        brands: p
            .brands
            .iter()
            .map(|&b| site.brands[b].meta.name.clone())
            .collect(),
        date: m.date.map(|d| d.iso_date()).unwrap_or_default(),
        fields,
        body: String::new(),
    }
}

/// A key figure as the theme shows it: `长者食堂 5 个`.
fn metric(m: &crate::content::page::Metric) -> String {
    format!("{} {}{}", m.label, m.value, m.unit)
}

/// The texts of `extra` (the default theme shows `note`, `date_note`, `honours_undated`;
/// a site's own templates may show any of them).
fn strings_in(v: &serde_json::Value, out: &mut Vec<String>) {
    match v {
        serde_json::Value::String(s) if !s.trim().is_empty() => out.push(s.clone()),
        serde_json::Value::Array(a) => a.iter().for_each(|x| strings_in(x, out)),
        serde_json::Value::Object(m) => m.values().for_each(|x| strings_in(x, out)),
        _ => {}
    }
}

/// Gzip with one compressor per thread, reset between files (making one costs as much as
/// compressing a shard).
struct Gzip(flate2::Compress);

impl Gzip {
    fn new() -> Gzip {
        // Fast compression: a tenth of the time of the default level for nearly the same
        // size on Chinese text.
        Gzip(flate2::Compress::new(flate2::Compression::fast(), false))
    }

    fn gzip(&mut self, bytes: &[u8]) -> Vec<u8> {
        self.0.reset();
        // The header as flate2's GzEncoder writes it: no name, time 0 (equal input gives
        // equal bytes), "fast", unknown system.
        let mut out = Vec::with_capacity(bytes.len() / 2 + 64);
        out.extend_from_slice(&[0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 4, 255]);
        loop {
            let before = self.0.total_in() as usize;
            let status =
                self.0
                    .compress_vec(&bytes[before..], &mut out, flate2::FlushCompress::Finish);
            match status {
                Ok(flate2::Status::StreamEnd) => break,
                // Out of room (or an error, which compressing into memory cannot have).
                Ok(_) => out.reserve(out.capacity().max(1024)),
                Err(_) => return Vec::new(),
            }
        }
        let mut crc = flate2::Crc::new();
        crc.update(bytes);
        out.extend_from_slice(&crc.sum().to_le_bytes());
        out.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
        out
    }
}

/// JSON written straight into UTF-16LE, as serde_json writes it (the same escapes).
struct Utf16(Vec<u16>);

/// Whether JSON writes the byte escaped (only ASCII bytes are: a run between them is whole
/// characters).
fn escaped(b: u8) -> bool {
    b < 0x20 || b == b'"' || b == b'\\'
}

impl Utf16 {
    fn raw(&mut self, ascii: &str) {
        self.0.extend(ascii.bytes().map(u16::from));
    }

    /// Text with nothing to escape, converted with SIMD (`encoding_rs`): a char at a time
    /// was most of the cost of a page file.
    fn run(&mut self, s: &str) {
        let len = self.0.len();
        // Never more UTF-16 units than UTF-8 bytes.
        self.0.resize(len + s.len(), 0);
        let n = encoding_rs::mem::convert_str_to_utf16(s, &mut self.0[len..]);
        self.0.truncate(len + n);
    }

    fn string(&mut self, s: &str) {
        self.raw("\"");
        let bytes = s.as_bytes();
        let mut start = 0;
        // Blocks of 32 bytes are looked at together (the compiler makes it a few vector
        // instructions); only a block with a byte to escape is looked at byte by byte.
        for (k, block) in bytes.chunks(32).enumerate() {
            if !block.iter().fold(false, |any, &b| any | escaped(b)) {
                continue;
            }
            for (j, &b) in block.iter().enumerate() {
                if !escaped(b) {
                    continue;
                }
                let at = k * 32 + j;
                self.run(&s[start..at]);
                match b {
                    b'"' => self.raw("\\\""),
                    b'\\' => self.raw("\\\\"),
                    b'\n' => self.raw("\\n"),
                    b'\r' => self.raw("\\r"),
                    b'\t' => self.raw("\\t"),
                    0x08 => self.raw("\\b"),
                    0x0c => self.raw("\\f"),
                    _ => self.raw(&format!("\\u{b:04x}")),
                }
                start = at + 1;
            }
        }
        self.run(&s[start..]);
        self.raw("\"");
    }

    fn strings(&mut self, list: &[String]) {
        self.raw("[");
        for (i, s) in list.iter().enumerate() {
            if i > 0 {
                self.raw(",");
            }
            self.string(s);
        }
        self.raw("]");
    }

    /// The units as little-endian bytes, into `out`.
    fn bytes_into(&self, out: &mut Vec<u8>) {
        out.clear();
        out.resize(2 * self.0.len(), 0);
        for (pair, unit) in out.chunks_exact_mut(2).zip(&self.0) {
            pair.copy_from_slice(&unit.to_le_bytes());
        }
    }
}

/// A page's file: `{"b":…,"c":…,"d":…,"f":…,"t":…,"u":…,"x":…}` (`f`, the Traditional
/// characters and their Simplified forms, only when it has any), into `out`.
fn doc_file(d: &Doc, traditional: &[(char, char)], out: &mut Vec<u8>) {
    // UTF-16, not gzip: two bytes a Chinese character instead of UTF-8's three, nearly what
    // fast gzip achieves on a page's text, at a hundredth of the build time (gzip of every
    // page's text was a quarter of the index's cost; encoding_rs's GB18030 is slower still).
    // Browsers decode it natively (`TextDecoder("utf-16le")`).
    let mut w = Utf16(Vec::with_capacity(
        d.body.len() + d.title.len() + d.url.len() + 64,
    ));
    w.raw("{\"b\":");
    w.strings(&d.brands);
    w.raw(",\"c\":");
    w.string(&d.body);
    w.raw(",\"d\":");
    w.string(&d.date);
    if !traditional.is_empty() {
        let folds: String = traditional.iter().flat_map(|&(t, s)| [t, s]).collect();
        w.raw(",\"f\":");
        w.string(&folds);
    }
    w.raw(",\"t\":");
    w.string(&d.title);
    w.raw(",\"u\":");
    w.string(&d.url);
    w.raw(",\"x\":");
    w.strings(&d.fields);
    w.raw("}");
    w.bytes_into(out);
}

/// A quick digest of one file for the meta key (not cryptographic: it only has to change
/// when the index does).
fn digest(path: &str, bytes: &[u8]) -> u64 {
    crate::digest::quick(bytes.len() as u64, &[path.as_bytes(), bytes])
}

/// CPU time of the steps of making the index, summed over threads (`HERALD_TIMINGS`).
struct Cpu([std::sync::atomic::AtomicU64; 4]);

static CPU: Cpu = Cpu([const { std::sync::atomic::AtomicU64::new(0) }; 4]);

impl Cpu {
    fn report(&self, names: &[&str]) {
        if !crate::timing::enabled() {
            return;
        }
        for (n, a) in names.iter().zip(&self.0) {
            let ns = a.swap(0, std::sync::atomic::Ordering::Relaxed);
            eprintln!("[timing]   search {n}: {:.0} ms CPU", ns as f64 / 1e6);
        }
    }
}

/// Laps of one thread's work, timed only under `HERALD_TIMINGS`.
struct Clock {
    last: Option<std::time::Instant>,
    laps: [u64; 4],
}

impl Clock {
    fn new() -> Clock {
        Clock {
            last: crate::timing::enabled().then(std::time::Instant::now),
            laps: [0; 4],
        }
    }

    fn lap(&mut self, step: usize) {
        if let Some(last) = self.last {
            let now = std::time::Instant::now();
            self.laps[step] += (now - last).as_nanos() as u64;
            self.last = Some(now);
        }
    }

    fn add_to(&self, cpu: &Cpu) {
        for (a, &ns) in cpu.0.iter().zip(&self.laps) {
            a.fetch_add(ns, std::sync::atomic::Ordering::Relaxed);
        }
    }
}

/// Whether `rel` (relative to the search folder's parent) is a file of the index `write`
/// makes, as opposed to the search page, which is rendered.
pub(crate) fn is_index_file(rel: &str) -> bool {
    rel == META
        || ["search/d/", "search/i/", "search/f/"]
            .iter()
            .any(|p| rel.starts_with(p))
}

/// Pages per part (a multiple of 64): a few parts per core, for an even load.
fn part_size(pages: usize) -> usize {
    let parts = rayon::current_num_threads() * 4;
    pages.div_ceil(parts).div_ceil(postings::CHUNK).max(1) * postings::CHUNK
}

/// What the build cache keeps of an index, so the next build can patch it (`update`).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct IndexState {
    /// By page number: `doc_key` of the page.
    docs: Vec<u64>,
    /// The size `write` shards by, and the number of shards it gave.
    total: usize,
    shards: u32,
    /// The digest of every file, in the order the meta key folds them: shards, page files,
    /// fold files.
    digests: Vec<u64>,
}

fn shard_count(total: usize) -> u32 {
    total.div_ceil(SHARD_TARGET).clamp(1, MAX_SHARDS) as u32
}

/// What a token adds to the size the index is sharded by.
fn entry_size(token: &str, all: &str, heading: &str) -> usize {
    token.len() + all.len() + heading.len() + 10
}

/// A shard as JSON: `{"token":["all","heading"],…}` (heading left out when empty), its
/// tokens in the order given (the order of their text).
fn shard_json<'a>(entries: impl Iterator<Item = (&'a str, &'a str, &'a str)>) -> Vec<u8> {
    let mut json = Vec::with_capacity(SHARD_TARGET + SHARD_TARGET / 4);
    json.push(b'{');
    for (j, (t, a, h)) in entries.enumerate() {
        if j > 0 {
            json.push(b',');
        }
        // Token texts need no escapes (search characters are letters, digits and
        // `+%#&@`), nor do the lists (base-64 digits and `=`).
        let _ = serde_json::to_writer(&mut json, t);
        json.extend_from_slice(b":[\"");
        json.extend_from_slice(a.as_bytes());
        if !h.is_empty() {
            json.extend_from_slice(b"\",\"");
            json.extend_from_slice(h.as_bytes());
        }
        json.extend_from_slice(b"\"]");
    }
    json.push(b'}');
    json
}

/// `meta.json`, with a key that changes with any file of the index.
fn meta(pages: usize, shards: u32, digests: &[u64]) -> String {
    let key = digests.iter().fold(0u64, |h, &d| {
        (h ^ d).wrapping_mul(0x9E37_79B9_7F4A_7C15).rotate_left(31)
    });
    json!({
        "version": 1,
        "pages": pages,
        "shards": shards,
        "fold": fold::FOLD_SHARDS,
        "key": format!("{key:016x}"),
    })
    .to_string()
}

/// Makes the index of `site` and hands every file to `sink` (a path relative to the output
/// root and its bytes), from every core, as soon as it is made: the index is never whole
/// in memory. Returns how many files there were, and what a next build needs to patch it.
/// The same site gives the same files.
pub(crate) fn write<E, F>(site: &Site, sink: &F) -> Result<(usize, IndexState), E>
where
    E: Send,
    F: Fn(&str, &[u8]) -> Result<(), E> + Sync,
{
    let t = std::time::Instant::now();
    let sources = sources(site);
    let n = sources.len();
    // Each part on one thread: its pages' texts, their tokens, their page files.
    let parts: Vec<(index::Part, Vec<(u64, u64)>)> = sources
        .par_chunks(part_size(n))
        .enumerate()
        .map(|(i, chunk)| {
            let base = (i * part_size(n)) as u32;
            let mut part = index::Part::new(base, chunk.len());
            let mut digests = Vec::with_capacity(chunk.len());
            let mut bytes = Vec::new();
            let mut clock = Clock::new();
            for (j, &source) in chunk.iter().enumerate() {
                let page = base + j as u32;
                let d = doc(site, source);
                let key = doc_key(&d, rendered(site, source).stamp);
                clock.lap(0);
                part.page(page);
                part.field(&d.title, true);
                for b in &d.brands {
                    part.field(b, true);
                }
                for f in &d.fields {
                    part.field(f, false);
                }
                part.field(&d.body, false);
                clock.lap(1);
                doc_file(&d, part.traditional(), &mut bytes);
                let path = format!("search/d/{page}.bin");
                digests.push((key, digest(&path, &bytes)));
                clock.lap(2);
                sink(&path, &bytes)?;
                clock.lap(3);
            }
            part.finish();
            clock.lap(1);
            clock.add_to(&CPU);
            Ok((part, digests))
        })
        .collect::<Result<_, E>>()?;
    stage("search: pages (texts, tokens, page files)", t);
    CPU.report(&["page texts", "tokens", "page files", "writing page files"]);
    let t = std::time::Instant::now();
    // Every token with its lists in the parts that have it, in key and part order.
    let mut refs: Vec<(index::Key, u32, u32)> = parts
        .iter()
        .enumerate()
        .flat_map(|(p, (part, _))| {
            part.keys
                .iter()
                .enumerate()
                .map(move |(i, &k)| (k, p as u32, i as u32))
        })
        .collect();
    refs.par_sort_unstable();
    let mut runs: Vec<std::ops::Range<usize>> = Vec::new();
    for (i, r) in refs.iter().enumerate() {
        match runs.last_mut() {
            Some(last) if refs[last.start].0 == r.0 => last.end = i + 1,
            _ => runs.push(i..i + 1),
        }
    }
    let encoded: Vec<(String, String, String)> = runs
        .par_iter()
        .map_init(Vec::new, |words, run| {
            let lists: Vec<(u32, &postings::List, &postings::List)> = refs[run.clone()]
                .iter()
                .map(|&(_, p, i)| {
                    let part = &parts[p as usize].0;
                    (
                        part.base(),
                        &part.all[i as usize],
                        &part.heading[i as usize],
                    )
                })
                .collect();
            let (a, h) = postings::encode_token(&lists, n, words);
            (index::key_text(refs[run.start].0), a, h)
        })
        .collect();
    drop(refs);
    let mut digests: Vec<u64> = Vec::new();
    let mut page_digests: Vec<u64> = Vec::with_capacity(n);
    let mut docs: Vec<u64> = Vec::with_capacity(n);
    for (part, d) in parts {
        drop(part);
        for (key, digest) in d {
            docs.push(key);
            page_digests.push(digest);
        }
    }
    let total: usize = encoded.iter().map(|(t, a, h)| entry_size(t, a, h)).sum();
    let shards = shard_count(total);
    let mut members: Vec<Vec<u32>> = vec![Vec::new(); shards as usize];
    for (i, (t, _, _)) in encoded.iter().enumerate() {
        members[postings::shard_of(t, shards) as usize].push(i as u32);
    }
    // A shard is a JSON object, its tokens in the order of their text.
    let shard_digests: Vec<u64> = members
        .into_par_iter()
        .enumerate()
        .map_init(Gzip::new, |gz, (s, mut ids)| {
            ids.sort_unstable_by(|&a, &b| encoded[a as usize].0.cmp(&encoded[b as usize].0));
            let json = shard_json(ids.iter().map(|&i| {
                let (t, a, h) = &encoded[i as usize];
                (t.as_str(), a.as_str(), h.as_str())
            }));
            let path = format!("search/i/{s}.bin");
            let bytes = gz.gzip(&json);
            sink(&path, &bytes)?;
            Ok(digest(&path, &bytes))
        })
        .collect::<Result<_, E>>()?;
    digests.extend(shard_digests);
    digests.extend(page_digests);
    for (i, s) in fold::fold_shards().into_iter().enumerate() {
        let path = format!("search/f/{i}.json");
        sink(&path, s.as_bytes())?;
        digests.push(digest(&path, s.as_bytes()));
    }
    sink(META, meta(n, shards, &digests).as_bytes())?;
    stage("search: shards", t);
    let state = IndexState {
        docs,
        total,
        shards,
        digests,
    };
    Ok((shards as usize + n + fold::FOLD_SHARDS as usize + 1, state))
}

/// Every file of the index, path and bytes, in the order of their paths (for `herald
/// serve`, which keeps them in memory: the same bytes as `write` gives a build).
pub(crate) fn files(site: &Site) -> Vec<(String, Vec<u8>)> {
    let out = std::sync::Mutex::new(Vec::new());
    let keep = |path: &str, bytes: &[u8]| -> Result<(), std::convert::Infallible> {
        out.lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push((path.to_string(), bytes.to_vec()));
        Ok(())
    };
    let _ = write(site, &keep);
    let mut files = out
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    files.sort_unstable();
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16(bytes: &[u8]) -> String {
        let units: Vec<u16> = bytes
            .chunks_exact(2)
            .map(|b| u16::from_le_bytes([b[0], b[1]]))
            .collect();
        String::from_utf16(&units).unwrap_or_default()
    }

    #[test]
    fn page_files_are_serde_json_in_utf16() {
        let d = Doc {
            url: "/cases/a/".into(),
            title: "「长者」食堂 \"引号\" \\ 😀".into(),
            brands: vec!["长者食堂".into(), "e福养".into()],
            date: "2023-05-06".into(),
            fields: vec!["tab\there".into(), "ctl\u{1}\u{8}\u{c}\r\u{7f}".into()],
            body: "第一段\n第二段 𠀋 end".into(),
        };
        for traditional in [vec![], vec![('長', '长'), ('們', '们')]] {
            let mut bytes = Vec::new();
            doc_file(&d, &traditional, &mut bytes);
            let mut want = json!({"u": d.url, "t": d.title, "b": d.brands, "d": d.date,
                                  "x": d.fields, "c": d.body});
            if !traditional.is_empty() {
                want["f"] = "長长們们".into();
            }
            assert_eq!(utf16(&bytes), want.to_string());
        }
    }

    #[test]
    fn shards_gzip_as_gz_encoder_does_and_unpack() {
        use std::io::{Read, Write};
        let text: String = (0..3000).map(|i| format!("\"长{i}\":[\"=AB\"],")).collect();
        let mut gz = Gzip::new();
        for input in [text.as_bytes(), b"{}", text.as_bytes()] {
            let ours = gz.gzip(input);
            let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            let _ = e.write_all(input);
            assert_eq!(ours, e.finish().unwrap_or_default());
            let mut back = Vec::new();
            let _ = flate2::read::GzDecoder::new(&ours[..]).read_to_end(&mut back);
            assert_eq!(back, input);
        }
    }

    #[test]
    fn the_digest_changes_with_path_and_every_byte() {
        let base = digest("search/d/0.bin", b"0123456789abcdef!");
        assert_ne!(base, digest("search/d/1.bin", b"0123456789abcdef!"));
        assert_ne!(base, digest("search/d/0.bin", b"0123456789abcdef?"));
        assert_ne!(base, digest("search/d/0.bin", b"1123456789abcdef!"));
        assert_ne!(base, digest("search/d/0.bin", b"0123456789abcdef!\0"));
        assert_eq!(base, digest("search/d/0.bin", b"0123456789abcdef!"));
    }
}
