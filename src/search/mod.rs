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
//! the same bytes from the same site.

pub(crate) mod fold;
pub(crate) mod index;
pub(crate) mod text;

use std::hash::{Hash, Hasher};
use std::io::Write;

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

/// The pages search finds, in result order: reports newest first (what readers look for),
/// then brand showcases, then other pages. Drafts never (even under `--drafts`), nor a page
/// whose front matter says `search: false`.
fn docs(site: &Site) -> Vec<Doc> {
    let c = &site.config;
    let reports = site.reports();
    // The plain text of every body, on every core: a tenth of the index's time.
    let page_docs = |ids: &[usize]| -> Vec<Doc> {
        let docs: Vec<Option<Doc>> = ids.par_iter().map(|&id| page_doc(site, id)).collect();
        docs.into_iter().flatten().collect()
    };
    let mut out = page_docs(&reports);
    for b in &site.brands {
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
        out.push(Doc {
            url: c.url(&b.path),
            title: m.name.clone(),
            brands: vec![m.name.clone()],
            date: String::new(),
            fields,
            body: text::plain_text(&b.body.html),
        });
    }
    let others: Vec<usize> = (0..site.pages.len())
        .filter(|&i| !site.pages[i].is_report)
        .collect();
    out.extend(page_docs(&others));
    out
}

fn page_doc(site: &Site, id: usize) -> Option<Doc> {
    let c = &site.config;
    let p = &site.pages[id];
    let m = &p.meta;
    if m.draft || m.search == Some(false) {
        return None;
    }
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
    Some(Doc {
        url: c.url(&p.path),
        title: m.title.clone(),
        brands: p
            .brands
            .iter()
            .map(|&b| site.brands[b].meta.name.clone())
            .collect(),
        date: m.date.map(|d| d.iso_date()).unwrap_or_default(),
        fields,
        body: text::plain_text(&p.body.html),
    })
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

fn gzip(bytes: &[u8]) -> Vec<u8> {
    // Fast compression: a tenth of the time of the default level for nearly the same size
    // on Chinese text; the header's time stays 0, so equal input gives equal bytes.
    let mut e = flate2::write::GzEncoder::new(
        Vec::with_capacity(bytes.len() / 2),
        flate2::Compression::fast(),
    );
    // Writing into a Vec cannot fail.
    let _ = e.write_all(bytes);
    e.finish().unwrap_or_default()
}

fn doc_file(d: &Doc) -> Vec<u8> {
    let mut all = d.title.clone();
    for t in d.brands.iter().chain(&d.fields) {
        all.push_str(t);
    }
    all.push_str(&d.body);
    let folds: String = fold::traditional_in(&all)
        .into_iter()
        .flat_map(|(t, s)| [t, s])
        .collect();
    let mut v =
        json!({"u": d.url, "t": d.title, "b": d.brands, "d": d.date, "x": d.fields, "c": d.body});
    if !folds.is_empty() {
        v["f"] = folds.into();
    }
    // UTF-16, not gzip: two bytes a Chinese character instead of UTF-8's three, nearly what
    // fast gzip achieves on a page's text, at a hundredth of the build time (gzip of every
    // page's text was a quarter of the index's cost; encoding_rs's GB18030 is slower still).
    // Browsers decode it natively (`TextDecoder("utf-16le")`).
    v.to_string()
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect()
}

/// Every file of the index, path and bytes, in a fixed order.
pub(crate) fn files(site: &Site) -> Vec<(String, Vec<u8>)> {
    let t = std::time::Instant::now();
    let docs = docs(site);
    stage("search: page texts", t);
    let t = std::time::Instant::now();
    let fields: Vec<index::Fields> = docs
        .iter()
        .map(|d| index::Fields {
            heading: std::iter::once(d.title.as_str())
                .chain(d.brands.iter().map(String::as_str))
                .collect(),
            other: d
                .fields
                .iter()
                .map(String::as_str)
                .chain(std::iter::once(d.body.as_str()))
                .collect(),
        })
        .collect();
    let postings = index::postings(&fields);
    drop(fields);
    stage("search: postings", t);
    let t = std::time::Instant::now();
    let n = docs.len();
    let encoded: Vec<(&str, String, String)> = postings
        .tokens
        .par_iter()
        .map(|(t, all, heading)| (t.as_str(), index::encode(all, n), index::encode(heading, n)))
        .collect();
    let total: usize = encoded
        .iter()
        .map(|(t, a, h)| t.len() + a.len() + h.len() + 10)
        .sum();
    let shards = total.div_ceil(SHARD_TARGET).clamp(1, MAX_SHARDS) as u32;
    let mut maps: Vec<serde_json::Map<String, serde_json::Value>> =
        (0..shards).map(|_| serde_json::Map::new()).collect();
    for (t, a, h) in encoded {
        let entry = if h.is_empty() {
            json!([a])
        } else {
            json!([a, h])
        };
        maps[index::shard_of(t, shards) as usize].insert(t.to_string(), entry);
    }
    let mut out: Vec<(String, Vec<u8>)> = maps
        .into_par_iter()
        .enumerate()
        .map(|(i, m)| {
            let text = serde_json::Value::Object(m).to_string();
            (format!("search/i/{i}.bin"), gzip(text.as_bytes()))
        })
        .collect();
    stage("search: shards", t);
    let t = std::time::Instant::now();
    out.par_extend(
        docs.par_iter()
            .enumerate()
            .map(|(i, d)| (format!("search/d/{i}.bin"), doc_file(d))),
    );
    stage("search: page files", t);
    for (i, s) in fold::fold_shards().into_iter().enumerate() {
        out.push((format!("search/f/{i}.json"), s.into_bytes()));
    }
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for (path, bytes) in &out {
        (path, bytes).hash(&mut h);
    }
    let meta = json!({
        "version": 1,
        "pages": n,
        "shards": shards,
        "fold": fold::FOLD_SHARDS,
        "key": format!("{:016x}", h.finish()),
    });
    out.push((META.to_string(), meta.to_string().into_bytes()));
    out
}
