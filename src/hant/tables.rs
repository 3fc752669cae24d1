//! The two tables the converter runs on: phrases by their first two characters (with a
//! filter that keeps the common "no phrase starts here" case off the hash map), and
//! characters over the Basic Multilingual Plane. Both are read from OpenCC's text
//! dictionaries (`entries`).

use std::collections::HashMap;

/// `key<TAB>first value` lines of an OpenCC dictionary (later candidates are alternatives).
pub(super) fn entries(text: &'static str) -> impl Iterator<Item = (&'static str, &'static str)> {
    text.lines().filter_map(|line| {
        if line.starts_with('#') {
            return None;
        }
        let (key, values) = line.split_once('\t')?;
        let first = values.split(' ').next()?;
        (!key.is_empty() && !first.is_empty()).then_some((key, first))
    })
}

/// Two characters as their UTF-8 bytes (at most 8), packed: no decoding on the hot path.
fn pair_bytes(b: &[u8]) -> u64 {
    let mut k = 0u64;
    for &x in b.iter().take(8) {
        k = (k << 8) | u64::from(x);
    }
    k
}

/// Pairs are well mixed by one multiplication: no SipHash per character of the site.
#[derive(Default)]
struct PairHasher(u64);

impl std::hash::Hasher for PairHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x100_0000_01B3);
        }
    }
    fn write_u64(&mut self, k: u64) {
        self.0 = k.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

/// A phrase dictionary: the phrases starting with each pair of characters, longest first,
/// so the first that the text starts with is OpenCC's longest match at that place.
pub(super) struct Phrases {
    /// One bit per hashed pair that starts a phrase (128 KB, so it stays in the cache): most
    /// places in a text start none, and are passed without touching the map.
    filter: Vec<u64>,
    /// Pair → where its phrases are in `ids` (start, count).
    by_pair: HashMap<u64, (u32, u32), std::hash::BuildHasherDefault<PairHasher>>,
    ids: Vec<u32>,
    keys: Vec<&'static str>,
    values: Vec<String>,
    /// ASCII bytes some phrase starts with (`B超`): other ASCII is never looked up.
    pub(super) ascii_starts: [bool; 128],
    /// Every character a phrase starts with.
    pub(super) first_chars: std::collections::HashSet<char>,
}

impl Phrases {
    /// `entries` in order; an earlier entry wins a key given twice. One-character keys are
    /// returned for the character table.
    pub(super) fn new(
        entries: impl Iterator<Item = (&'static str, String)>,
    ) -> (Phrases, Vec<(char, String)>) {
        let mut p = Phrases {
            filter: vec![0; FILTER_BITS / 64],
            by_pair: HashMap::default(),
            ids: Vec::new(),
            keys: Vec::new(),
            values: Vec::new(),
            ascii_starts: [false; 128],
            first_chars: std::collections::HashSet::new(),
        };
        let mut single = Vec::new();
        let mut seen: HashMap<&str, ()> = HashMap::new();
        let mut lists: HashMap<u64, Vec<u32>> = HashMap::new();
        for (k, v) in entries {
            if seen.insert(k, ()).is_some() {
                continue;
            }
            let mut cs = k.chars();
            let (Some(a), b) = (cs.next(), cs.next()) else {
                continue;
            };
            let Some(b) = b else {
                single.push((a, v));
                continue;
            };
            if a.is_ascii() {
                p.ascii_starts[a as usize] = true;
            }
            p.first_chars.insert(a);
            let id = p.keys.len() as u32;
            p.keys.push(k);
            p.values.push(v);
            let prefix = a.len_utf8() + b.len_utf8();
            lists
                .entry(pair_bytes(&k.as_bytes()[..prefix]))
                .or_default()
                .push(id);
        }
        let mut pairs: Vec<(u64, Vec<u32>)> = lists.into_iter().collect();
        pairs.sort_unstable_by_key(|(k, _)| *k);
        for (k, mut ids) in pairs {
            ids.sort_by_key(|&id| std::cmp::Reverse(p.keys[id as usize].len()));
            let bit = filter_bit(k);
            p.filter[bit / 64] |= 1 << (bit % 64);
            p.by_pair.insert(k, (p.ids.len() as u32, ids.len() as u32));
            p.ids.extend(ids);
        }
        (p, single)
    }

    /// The longest phrase starting with the pair `key` that `text` starts with: its length
    /// in bytes and its value.
    fn longest_at(&self, key: u64, prefix: usize, text: &[u8]) -> Option<(usize, &str)> {
        let bit = filter_bit(key);
        if (self.filter[bit / 64] >> (bit % 64)) & 1 == 0 {
            return None;
        }
        let &(start, count) = self.by_pair.get(&key)?;
        let ids = &self.ids[start as usize..(start + count) as usize];
        // Every candidate starts with the pair: only the rest is compared, byte by byte (the
        // rest is a character or two: a library call would cost more than the comparison).
        ids.iter().find_map(|&id| {
            let k = self.keys[id as usize].as_bytes();
            let same = k.len() <= text.len()
                && k[prefix..].iter().zip(&text[prefix..]).all(|(a, b)| a == b);
            same.then(|| (k.len(), self.values[id as usize].as_str()))
        })
    }

    /// Cuts `text` at the longest phrases: `gap` gets the text between two phrases (one
    /// segment), `phrase` each phrase's value. Each character is decoded once: it is the
    /// second of one pair and the first of the next.
    pub(super) fn segments(
        &self,
        text: &str,
        gap: &mut dyn FnMut(&str),
        phrase: &mut dyn FnMut(&str),
    ) {
        let bytes = text.as_bytes();
        let (mut from, mut i) = (0, 0);
        while i < bytes.len() {
            let b0 = bytes[i];
            let w0 = utf8_width(b0);
            if b0 < 0x80 && !self.ascii_starts[b0 as usize] {
                i += 1;
                continue;
            }
            if let Some(&b1) = bytes.get(i + w0) {
                let prefix = w0 + utf8_width(b1);
                if let Some(two) = bytes.get(i..i + prefix) {
                    if let Some((len, value)) =
                        self.longest_at(pair_bytes(two), prefix, &bytes[i..])
                    {
                        gap(&text[from..i]);
                        phrase(value);
                        i += len;
                        from = i;
                        continue;
                    }
                }
            }
            i += w0;
        }
        gap(&text[from..]);
    }
}

const FILTER_BITS: usize = 1 << 20;

/// A character's bit in a table of the Basic Multilingual Plane; set for any other.
pub(super) fn bit(table: &[u64], c: char) -> bool {
    let i = c as usize;
    table.get(i / 64).is_none_or(|w| w & (1 << (i % 64)) != 0)
}

fn filter_bit(pair: u64) -> usize {
    (pair.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 44) as usize
}

fn utf8_width(first: u8) -> usize {
    match first {
        0..=0x7F => 1,
        0xC0..=0xDF => 2,
        0xE0..=0xEF => 3,
        _ => 4,
    }
}

/// A character table over the Basic Multilingual Plane, with the rest in a map.
#[derive(Default)]
pub(super) struct Chars {
    /// Half the size of `u32` slots (128 KB), so more of it stays in the cache.
    bmp: Vec<u16>,
    other: HashMap<char, u32>,
    values: Vec<String>,
    /// The value when it is one character (nearly always): pushed without a copy call.
    single: Vec<Option<char>>,
}

impl Chars {
    pub(super) fn new() -> Chars {
        Chars {
            bmp: vec![u16::MAX; 0x10000],
            ..Chars::default()
        }
    }

    /// The one-character keys of an OpenCC dictionary, each with its first value.
    pub(super) fn from_dictionary(text: &'static str) -> Chars {
        let mut table = Chars::new();
        for (k, v) in entries(text) {
            let mut cs = k.chars();
            if let (Some(c), None) = (cs.next(), cs.next()) {
                table.insert(c, v.to_string());
            }
        }
        table
    }

    pub(super) fn insert(&mut self, c: char, value: String) {
        let at = self.values.len() as u32;
        let mut cs = value.chars();
        self.single.push(match (cs.next(), cs.next()) {
            (Some(one), None) => Some(one),
            _ => None,
        });
        self.values.push(value);
        match u16::try_from(at) {
            Ok(slot) if (c as u32) < 0x10000 && slot != u16::MAX => self.bmp[c as usize] = slot,
            _ => {
                if (c as u32) < 0x10000 {
                    self.bmp[c as usize] = u16::MAX;
                }
                self.other.insert(c, at);
            }
        }
    }

    fn slot(&self, c: char) -> Option<usize> {
        let at = match self.bmp.get(c as usize) {
            Some(&slot) if slot != u16::MAX => u32::from(slot),
            // Only a table of more than 65,535 values puts BMP characters in `other`.
            Some(_) if self.values.len() < usize::from(u16::MAX) => return None,
            _ => *self.other.get(&c)?,
        };
        Some(at as usize)
    }

    pub(super) fn get(&self, c: char) -> Option<&str> {
        self.values.get(self.slot(c)?).map(String::as_str)
    }

    /// Each character by the table, the rest as it is: runs that need nothing are copied whole.
    pub(super) fn convert_into(&self, text: &str, out: &mut String) {
        let mut start = 0;
        for (i, c) in text.char_indices() {
            if c.is_ascii() {
                continue;
            }
            if let Some(at) = self.slot(c) {
                if start < i {
                    out.push_str(&text[start..i]);
                }
                match self.single[at] {
                    Some(one) => out.push(one),
                    None => out.push_str(&self.values[at]),
                }
                start = i + c.len_utf8();
            }
        }
        out.push_str(&text[start..]);
    }
}
