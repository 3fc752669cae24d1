//! The inverted index: every search character and every pair of neighbouring search
//! characters of a page is a token (`长`, `长者`, `者食`, `e福`, `1+`, `+3`), with the sorted
//! list of the pages that have it, and a second list of the pages that have it in their
//! title or brand (those rank first).
//!
//! Why pairs, not words: a word segmenter splits 长者食堂 one way in the index and another way
//! in a query, and a query then finds nothing (Pagefind/pagefind #1237, #987). Every substring
//! of two or more characters is made of pairs, so the pages that have all of a query's pairs
//! are a superset of the pages that have the query; the browser then checks the query itself
//! in each page's text. A one-character query has its own list.
//!
//! Lists are written compactly in JSON strings: gaps between page numbers as base-64 digits
//! (five bits each, a sixth saying "more follows"), or, when shorter, a bitmap of all pages
//! six to a digit (`=` first). A common character on a 10,000-page site costs at most 1.7 KB.
//! Tokens are spread over shard files by a hash of their text, so a query fetches only the
//! shards of its own tokens.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use rayon::prelude::*;

use super::fold::fold_char;

pub(crate) const DIGITS: &[u8; 64] =
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// A page as the index sees it: the texts it is found by, title and brands first.
pub(crate) struct Fields<'a> {
    /// Title and brand names: matches here rank first.
    pub heading: Vec<&'a str>,
    /// Everything else searched: organisation, region, tags, the body.
    pub other: Vec<&'a str>,
}

/// Token → lists, for a whole site.
pub(crate) struct Postings {
    pub tokens: Vec<(String, Vec<u32>, Vec<u32>)>,
}

/// Tokens are two characters packed into one integer (the second 0 for a single character).
type Key = u64;

fn key(a: char, b: Option<char>) -> Key {
    ((a as u64) << 21) | b.map_or(0, |b| b as u64)
}

fn key_text(k: Key) -> String {
    let mut s = String::new();
    s.extend(char::from_u32((k >> 21) as u32));
    let b = (k & 0x1F_FFFF) as u32;
    if b != 0 {
        s.extend(char::from_u32(b));
    }
    s
}

/// Keys are already well mixed by the multiplication: no SipHash on the index's hot path.
#[derive(Default)]
struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x100_0000_01B3);
        }
    }
    fn write_u64(&mut self, k: u64) {
        self.0 = (k ^ (k >> 29))
            .wrapping_mul(0x9E37_79B9_7F4A_7C15)
            .rotate_left(26);
    }
}

type KeyMap<V> = HashMap<Key, V, BuildHasherDefault<KeyHasher>>;

/// One chunk of pages, indexed on its own thread.
struct Partial {
    /// Single characters of the Basic Multilingual Plane → token id, without hashing (every
    /// character of the site is one lookup here).
    bmp: Vec<u32>,
    ids: KeyMap<usize>,
    keys: Vec<Key>,
    all: Vec<Vec<u32>>,
    heading: Vec<Vec<u32>>,
    /// The last page each token was listed for (a page lists a token once).
    seen: Vec<(u32, u32)>,
}

impl Partial {
    fn new() -> Partial {
        Partial {
            bmp: vec![u32::MAX; 0x10000],
            ids: KeyMap::default(),
            keys: Vec::new(),
            all: Vec::new(),
            heading: Vec::new(),
            seen: Vec::new(),
        }
    }

    fn add_field(&mut self, doc: u32, text: &str, heading: bool) {
        let mut prev: Option<char> = None;
        for c in text.chars() {
            fold_char(c, &mut |d| {
                self.add(doc, key(d, None), heading);
                if let Some(p) = prev {
                    self.add(doc, key(p, Some(d)), heading);
                }
                prev = Some(d);
            });
        }
    }

    fn add(&mut self, doc: u32, k: Key, heading: bool) {
        let next = self.keys.len();
        let id = if k & 0x1F_FFFF == 0 && (k >> 21) < 0x10000 {
            let slot = &mut self.bmp[(k >> 21) as usize];
            if *slot == u32::MAX {
                *slot = next as u32;
            }
            *slot as usize
        } else {
            *self.ids.entry(k).or_insert(next)
        };
        if id == next {
            self.keys.push(k);
            self.all.push(Vec::new());
            self.heading.push(Vec::new());
            self.seen.push((u32::MAX, u32::MAX));
        }
        let seen = &mut self.seen[id];
        if seen.0 != doc {
            seen.0 = doc;
            self.all[id].push(doc);
        }
        if heading && seen.1 != doc {
            seen.1 = doc;
            self.heading[id].push(doc);
        }
    }
}

/// Indexes `docs` (page number = position) on every core.
pub(crate) fn postings(docs: &[Fields]) -> Postings {
    let chunk = (docs.len() / (rayon::current_num_threads() * 4)).max(64);
    let parts: Vec<Partial> = docs
        .par_chunks(chunk)
        .enumerate()
        .map(|(c, slice)| {
            let mut p = Partial::new();
            for (i, doc) in slice.iter().enumerate() {
                let id = (c * chunk + i) as u32;
                for f in &doc.heading {
                    p.add_field(id, f, true);
                }
                for f in &doc.other {
                    p.add_field(id, f, false);
                }
            }
            p
        })
        .collect();
    // Chunks are in page order, so appending keeps every list sorted.
    let mut ids: KeyMap<usize> = KeyMap::default();
    let mut merged: Vec<(Key, Vec<u32>, Vec<u32>)> = Vec::new();
    for part in parts {
        for ((k, all), heading) in part.keys.into_iter().zip(part.all).zip(part.heading) {
            let next = merged.len();
            let id = *ids.entry(k).or_insert(next);
            if id == next {
                merged.push((k, all, heading));
            } else {
                merged[id].1.extend(all);
                merged[id].2.extend(heading);
            }
        }
    }
    merged.sort_unstable_by_key(|t| t.0);
    Postings {
        tokens: merged
            .into_iter()
            .map(|(k, a, h)| (key_text(k), a, h))
            .collect(),
    }
}

/// A sorted list of page numbers, as the shorter of its two encodings.
pub(crate) fn encode(list: &[u32], pages: usize) -> String {
    let mut gaps = String::new();
    let mut prev: i64 = -1;
    let mut digits = [0u8; 7];
    for &id in list {
        let mut v = (i64::from(id) - prev - 1) as u64;
        prev = i64::from(id);
        let mut n = 0;
        loop {
            digits[n] = (v & 31) as u8;
            n += 1;
            v >>= 5;
            if v == 0 {
                break;
            }
        }
        for j in (0..n).rev() {
            let more = if j > 0 { 32 } else { 0 };
            gaps.push(DIGITS[(digits[j] + more) as usize] as char);
        }
    }
    let bitmap_len = pages.div_ceil(6) + 1;
    if gaps.len() <= bitmap_len {
        return gaps;
    }
    let mut bits = vec![0u8; pages.div_ceil(6)];
    for &id in list {
        bits[id as usize / 6] |= 1 << (id % 6);
    }
    while bits.last() == Some(&0) {
        bits.pop();
    }
    let mut s = String::with_capacity(bits.len() + 1);
    s.push('=');
    s.extend(bits.iter().map(|&b| DIGITS[b as usize] as char));
    s
}

/// The shard of a token: FNV-1a over its code points, as `search.js` computes it.
pub(crate) fn shard_of(token: &str, shards: u32) -> u32 {
    let mut h: u32 = 0x811C_9DC5;
    for c in token.chars() {
        h ^= c as u32;
        h = h.wrapping_mul(0x0100_0193);
    }
    h % shards
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(s: &str, pages: usize) -> Vec<u32> {
        let digit = |c: u8| DIGITS.iter().position(|&d| d == c).unwrap_or(0) as u64;
        if let Some(bits) = s.strip_prefix('=') {
            return (0..pages as u32)
                .filter(|&i| {
                    bits.as_bytes()
                        .get(i as usize / 6)
                        .is_some_and(|&b| (digit(b) >> (i % 6)) & 1 == 1)
                })
                .collect();
        }
        let (mut out, mut prev, mut v) = (Vec::new(), -1i64, 0u64);
        for &b in s.as_bytes() {
            let d = digit(b);
            v = (v << 5) | (d & 31);
            if d < 32 {
                prev += v as i64 + 1;
                out.push(prev as u32);
                v = 0;
            }
        }
        out
    }

    #[test]
    fn lists_round_trip_in_both_encodings() {
        for (list, pages) in [
            (vec![0, 1, 2, 3, 5, 8, 13, 21], 30),
            (vec![7, 4000, 4001, 9999], 10_000),
            ((0..10_000).step_by(2).collect::<Vec<u32>>(), 10_000),
            (vec![], 5),
        ] {
            let s = encode(&list, pages);
            assert_eq!(decode(&s, pages), list, "{s}");
        }
        assert!(encode(&(0..10_000).collect::<Vec<u32>>(), 10_000).len() <= 1668);
    }

    #[test]
    fn pairs_and_single_characters_title_apart() {
        let docs = [
            Fields {
                heading: vec!["長者食堂"],
                other: vec!["e福养"],
            },
            Fields {
                heading: vec!["别的"],
                other: vec!["长者"],
            },
        ];
        let p = postings(&docs);
        let get = |t: &str| p.tokens.iter().find(|x| x.0 == t).map(|x| (&x.1, &x.2));
        assert_eq!(get("长者"), Some((&vec![0, 1], &vec![0])));
        assert_eq!(get("食"), Some((&vec![0], &vec![0])));
        assert_eq!(get("e福"), Some((&vec![0], &vec![])));
        assert_eq!(get("堂e"), None, "fields are not joined");
    }
}
