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
//! How lists are written and sharded: `postings`.
//!
//! How it is made fast and small: pages are indexed in *parts* (runs of pages, each on one
//! thread, starting at a multiple of 64), and within a part in *chunks* of 64 pages. While a
//! chunk is read, a token's pages are bits of one word (no list grows per character); when
//! the chunk ends, each token it had appends its word to the token's list, which holds page
//! numbers while they are few and becomes a bitmap of the part once that is smaller (so a
//! token costs at most min(4 × pages, part / 8) bytes). Parts are not merged: each token's
//! lists are encoded straight from its parts, in page order.

use std::collections::HashMap;

use super::fold::{fold_char, simplified};
use super::postings::{List, CHUNK};

/// Tokens are two characters packed into one integer (the second 0 for a single character).
pub(crate) type Key = u64;

fn key(a: u32, b: u32) -> Key {
    (u64::from(a) << 21) | u64::from(b)
}

/// A token's text, as the shards and the browser spell it.
pub(crate) fn key_text(k: Key) -> String {
    let mut s = String::new();
    s.extend(char::from_u32((k >> 21) as u32));
    let b = (k & 0x1F_FFFF) as u32;
    if b != 0 {
        s.extend(char::from_u32(b));
    }
    s
}

/// A token's pages in the current chunk (`mask`) and, for a pair, its key; the id is kept
/// apart, as it is needed only when a token is new and when a chunk ends.
#[derive(Clone, Copy, Default)]
struct Cell {
    key: u64,
    mask: u64,
}

/// An open-addressing table of pairs of character numbers (keys are never 0), each with its
/// pages in the current chunk: one cache line touched a pair of characters read.
struct Pairs {
    cells: Vec<Cell>,
    ids: Vec<u32>,
    len: usize,
    shift: u32,
    /// The cells whose mask is not empty.
    touched: Vec<u32>,
}

impl Pairs {
    fn new(bits: u32) -> Pairs {
        Pairs {
            cells: vec![Cell::default(); 1 << bits],
            ids: vec![0; 1 << bits],
            len: 0,
            shift: 64 - bits,
            touched: Vec::new(),
        }
    }

    #[inline]
    fn slot(&self, k: u64) -> usize {
        (k.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> self.shift) as usize
    }

    /// Adds `bit` to the pages of pair `k`; `Err(cell)` when the pair is new (then give it
    /// an id with `set_id`).
    #[inline]
    fn mark(&mut self, k: u64, bit: u64) -> Result<usize, usize> {
        let mask = self.cells.len() - 1;
        let mut i = self.slot(k);
        loop {
            let c = &mut self.cells[i];
            if c.key == k {
                if c.mask == 0 {
                    self.touched.push(i as u32);
                }
                c.mask |= bit;
                return Ok(i);
            }
            if c.key == 0 {
                c.key = k;
                c.mask = bit;
                self.touched.push(i as u32);
                self.len += 1;
                return Err(i);
            }
            i = (i + 1) & mask;
        }
    }

    /// Sets the id of a new pair; grows the table when it is 70 % full.
    fn set_id(&mut self, cell: usize, id: u32) {
        self.ids[cell] = id;
        if self.len * 10 > self.cells.len() * 7 {
            self.grow();
        }
    }

    fn grow(&mut self) {
        let bits = 64 - self.shift + 1;
        let mut bigger = Pairs::new(bits);
        let mask = bigger.cells.len() - 1;
        for (c, &id) in self.cells.iter().zip(&self.ids) {
            if c.key == 0 {
                continue;
            }
            let mut i = bigger.slot(c.key);
            while bigger.cells[i].key != 0 {
                i = (i + 1) & mask;
            }
            bigger.cells[i] = *c;
            bigger.ids[i] = id;
            if c.mask != 0 {
                bigger.touched.push(i as u32);
            }
        }
        bigger.len = self.len;
        *self = bigger;
    }

    /// The id of the pair in a cell.
    fn id(&self, cell: usize) -> u32 {
        self.ids[cell]
    }
}

/// In a fold table entry: not yet looked up.
const UNKNOWN: u32 = u32::MAX;
/// In a fold table entry: the character folds to more than one (through the slow path).
const MULTI: u32 = 1 << 30;
/// In a fold table entry: the character is Traditional (its Simplified form differs).
const TRAD: u32 = 1 << 31;
/// In a fold table entry: the number of the search character it folds to, plus one (0:
/// it folds to none).
const NUMBER: u32 = 0xFF_FFFF;

/// A search character of a part: its token id and its pages in the current chunk.
#[derive(Clone, Copy)]
struct Single {
    mask: u64,
    id: u32,
}

/// The pages of one part, indexed on one thread.
pub(crate) struct Part {
    /// The part's first page (a multiple of 64) and how many chunks it spans.
    base: u32,
    chunks: usize,
    /// Characters of the Basic Multilingual Plane → what they fold to, as a `NUMBER` and
    /// flags, filled in as they are met.
    fold: Vec<u32>,
    /// Search characters → their number (in the order they were met).
    numbers: HashMap<u32, u32>,
    /// By number: the search character, its token, its pages in the current chunk.
    chars: Vec<u32>,
    singles: Vec<Single>,
    touched_singles: Vec<u32>,
    pairs: Pairs,
    pub(crate) keys: Vec<Key>,
    pub(crate) all: Vec<List>,
    pub(crate) heading: Vec<List>,
    /// The chunk being read; the tokens of its headings and their pages.
    chunk: usize,
    mask_heading: Vec<u64>,
    touched_heading: Vec<u32>,
    /// The current page's bit, and whether the field being read is a heading.
    bit: u64,
    in_heading: bool,
    /// The Traditional characters of the current page and what they fold to.
    traditional: Vec<(char, char)>,
    /// Characters of the Basic Multilingual Plane → the last page (plus one) whose
    /// `traditional` has them: each goes in once a page, not once an occurrence (made when
    /// the first Traditional character is met).
    traditional_on: Vec<u32>,
    /// The current page plus one.
    page_mark: u32,
}

impl Part {
    /// A part of `pages` pages from page `base` (a multiple of 64).
    pub(crate) fn new(base: u32, pages: usize) -> Part {
        debug_assert_eq!(base as usize % CHUNK, 0);
        Part {
            base,
            chunks: pages.div_ceil(CHUNK),
            fold: vec![UNKNOWN; 0x10000],
            numbers: HashMap::new(),
            chars: Vec::new(),
            singles: Vec::new(),
            touched_singles: Vec::new(),
            pairs: Pairs::new(12),
            keys: Vec::new(),
            all: Vec::new(),
            heading: Vec::new(),
            chunk: 0,
            mask_heading: Vec::new(),
            touched_heading: Vec::new(),
            bit: 0,
            in_heading: false,
            traditional: Vec::new(),
            traditional_on: Vec::new(),
            page_mark: 0,
        }
    }

    pub(crate) fn base(&self) -> u32 {
        self.base
    }

    /// Starts page `page` (pages come in ascending order).
    pub(crate) fn page(&mut self, page: u32) {
        let chunk = (page - self.base) as usize / CHUNK;
        if chunk != self.chunk {
            self.flush();
            self.chunk = chunk;
        }
        self.bit = 1 << (page as usize % CHUNK);
        self.traditional.clear();
        self.page_mark = page + 1;
    }

    /// The Traditional characters of the current page so far and their Simplified forms,
    /// sorted, each once.
    pub(crate) fn traditional(&mut self) -> &[(char, char)] {
        self.traditional.sort_unstable();
        self.traditional.dedup();
        &self.traditional
    }

    /// Reads one text of the current page (pairs do not cross from one text to the next).
    pub(crate) fn field(&mut self, text: &str, heading: bool) {
        self.in_heading = heading;
        let mut prev = 0u32;
        for c in text.chars() {
            let cp = c as u32;
            let mut e = match self.fold.get(cp as usize) {
                Some(&e) if e != UNKNOWN => e,
                _ => self.entry(c),
            };
            if e & (TRAD | MULTI) != 0 {
                if e & TRAD != 0 {
                    self.note_traditional(c);
                }
                if e & MULTI != 0 {
                    let mut folded = [0u32; 8];
                    let mut n = 0;
                    fold_char(c, &mut |d| {
                        if n < folded.len() {
                            folded[n] = d as u32;
                            n += 1;
                        }
                    });
                    for &d in &folded[..n] {
                        let number = self.number(d);
                        self.token(prev, number);
                        prev = number;
                    }
                    continue;
                }
                e &= NUMBER;
            }
            if e != 0 {
                self.token(prev, e);
                prev = e;
            }
        }
    }

    /// A Traditional character of the current page.
    fn note_traditional(&mut self, c: char) {
        let i = c as usize;
        if i < 0x1_0000 {
            if self.traditional_on.is_empty() {
                self.traditional_on = vec![0; 0x1_0000];
            }
            if self.traditional_on[i] == self.page_mark {
                return;
            }
            self.traditional_on[i] = self.page_mark;
        }
        self.traditional.push((c, simplified(c)));
    }

    /// The fold table entry of a character, made the first time it is met.
    #[cold]
    fn entry(&mut self, c: char) -> u32 {
        let mut out = [0u32; 2];
        let mut n = 0;
        fold_char(c, &mut |d| {
            if n < 2 {
                out[n] = d as u32;
            }
            n += 1;
        });
        let mut e = match n {
            0 => 0,
            1 => self.number(out[0]),
            _ => MULTI,
        };
        if simplified(c) != c {
            e |= TRAD;
        }
        if let Some(slot) = self.fold.get_mut(c as usize) {
            *slot = e;
        }
        e
    }

    /// The number of a search character, plus one (a new one gets the next).
    fn number(&mut self, d: u32) -> u32 {
        let next = self.chars.len() as u32 + 1;
        let n = *self.numbers.entry(d).or_insert(next);
        if n == next {
            self.chars.push(d);
            let id = self.new_token(key(d, 0));
            self.singles.push(Single { mask: 0, id });
        }
        n
    }

    #[inline]
    fn token(&mut self, prev: u32, number: u32) {
        let s = &mut self.singles[number as usize - 1];
        if s.mask == 0 {
            self.touched_singles.push(number - 1);
        }
        s.mask |= self.bit;
        let single = s.id;
        if self.in_heading {
            self.mark_heading(single);
        }
        if prev != 0 {
            let k = (u64::from(prev) << 24) | u64::from(number);
            match self.pairs.mark(k, self.bit) {
                Ok(cell) => {
                    if self.in_heading {
                        self.mark_heading(self.pairs.id(cell));
                    }
                }
                Err(cell) => {
                    let (a, b) = (
                        self.chars[prev as usize - 1],
                        self.chars[number as usize - 1],
                    );
                    let id = self.new_token(key(a, b));
                    self.pairs.set_id(cell, id);
                    if self.in_heading {
                        self.mark_heading(id);
                    }
                }
            }
        }
    }

    fn new_token(&mut self, k: Key) -> u32 {
        self.keys.push(k);
        self.all.push(List::new());
        self.heading.push(List::new());
        self.mask_heading.push(0);
        self.keys.len() as u32 - 1
    }

    fn mark_heading(&mut self, id: u32) {
        let m = &mut self.mask_heading[id as usize];
        if *m == 0 {
            self.touched_heading.push(id);
        }
        *m |= self.bit;
    }

    /// Ends the current chunk: each token it had appends its pages to its lists.
    fn flush(&mut self) {
        let (base, chunks, chunk) = (self.base, self.chunks, self.chunk);
        for n in self.touched_singles.drain(..) {
            let s = &mut self.singles[n as usize];
            let m = std::mem::take(&mut s.mask);
            self.all[s.id as usize].append(base, chunks, chunk, m);
        }
        for cell in self.pairs.touched.drain(..) {
            let c = &mut self.pairs.cells[cell as usize];
            let m = std::mem::take(&mut c.mask);
            let id = self.pairs.ids[cell as usize];
            self.all[id as usize].append(base, chunks, chunk, m);
        }
        for id in self.touched_heading.drain(..) {
            let m = std::mem::take(&mut self.mask_heading[id as usize]);
            self.heading[id as usize].append(base, chunks, chunk, m);
        }
    }

    /// Ends the part: what is left is its tokens and their lists.
    pub(crate) fn finish(&mut self) {
        self.flush();
        self.fold = Vec::new();
        self.traditional_on = Vec::new();
        self.numbers = HashMap::new();
        self.chars = Vec::new();
        self.singles = Vec::new();
        self.pairs = Pairs::new(1);
        self.mask_heading = Vec::new();
    }
}

#[cfg(test)]
mod tests {
    use super::super::postings::*;
    use super::*;

    /// Indexes one text per page (the title when it starts with `#`), in parts of `part`.
    fn index(pages: &[&str], part: usize) -> Vec<Part> {
        let mut parts = Vec::new();
        for (n, slice) in pages.chunks(part).enumerate() {
            let base = (n * part) as u32;
            let mut p = Part::new(base, slice.len());
            for (i, text) in slice.iter().enumerate() {
                p.page(base + i as u32);
                match text.strip_prefix('#') {
                    Some(t) => p.field(t, true),
                    None => p.field(text, false),
                }
            }
            p.finish();
            parts.push(p);
        }
        parts
    }

    /// Token text → (all, heading) decoded, over parts.
    fn lists_of(parts: &[Part], token: &str, pages: usize) -> Option<(Vec<u32>, Vec<u32>)> {
        let lists: Vec<(u32, &List, &List)> = parts
            .iter()
            .filter_map(|p| {
                let i = p.keys.iter().position(|&k| key_text(k) == token)?;
                Some((p.base(), &p.all[i], &p.heading[i]))
            })
            .collect();
        if lists.is_empty() {
            return None;
        }
        let (a, h) = encode_token(&lists, pages, &mut Vec::new());
        Some((decode(&a, pages), decode(&h, pages)))
    }

    #[test]
    fn dense_and_sparse_parts_encode_as_one_list() {
        // 1,000 pages in parts of 192: 中 on every page (bitmaps), 字 on every 50th
        // (page numbers), 中文 on every third page and in a few titles.
        let texts: Vec<String> = (0..1000)
            .map(|i| {
                let mut t = String::from(if i % 3 == 0 { "中文" } else { "中" });
                if i % 50 == 0 {
                    t.push('字');
                }
                if i % 97 == 0 {
                    t.insert(0, '#');
                }
                t
            })
            .collect();
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let parts = index(&refs, 192);
        assert!(parts.iter().all(|p| matches!(p.all[0], List::Dense(_))));
        let want = |f: &dyn Fn(u32) -> bool| (0..1000).filter(|&i| f(i)).collect::<Vec<u32>>();
        let (a, h) = lists_of(&parts, "中", 1000).unwrap_or_default();
        assert_eq!(a, want(&|_| true));
        assert_eq!(h, want(&|i| i % 97 == 0));
        let (a, _) = lists_of(&parts, "字", 1000).unwrap_or_default();
        assert_eq!(a, want(&|i| i % 50 == 0));
        let (a, _) = lists_of(&parts, "中字", 1000).unwrap_or_default();
        assert_eq!(a, want(&|i| i % 50 == 0 && i % 3 != 0));
        let (a, h) = lists_of(&parts, "中文", 1000).unwrap_or_default();
        assert_eq!(a, want(&|i| i % 3 == 0));
        assert_eq!(h, want(&|i| i % 3 == 0 && i % 97 == 0));
        // 中 on one page in three through a bitmap, the same from page numbers.
        let l = List::Sparse(want(&|i| i % 3 == 0));
        let direct = encode_parts(std::iter::once((0, &l)), 1000, &mut Vec::new());
        let parts_enc = encode_token(
            &parts
                .iter()
                .map(|p| {
                    let i = p
                        .keys
                        .iter()
                        .position(|&k| key_text(k) == "中文")
                        .unwrap_or(0);
                    (p.base(), &p.all[i], &p.heading[i])
                })
                .collect::<Vec<_>>(),
            1000,
            &mut Vec::new(),
        );
        assert_eq!(parts_enc.0, direct);
    }

    #[test]
    fn pairs_and_single_characters_title_apart() {
        let mut p = Part::new(0, 2);
        p.page(0);
        p.field("長者食堂", true);
        p.field("e福养", false);
        assert_eq!(p.traditional(), &[('長', '长')]);
        p.page(1);
        p.field("别的", true);
        p.field("长者", false);
        assert!(p.traditional().is_empty());
        p.finish();
        let parts = [p];
        let get = |t: &str| lists_of(&parts, t, 2);
        assert_eq!(get("长者"), Some((vec![0, 1], vec![0])));
        assert_eq!(get("食"), Some((vec![0], vec![0])));
        assert_eq!(get("e福"), Some((vec![0], vec![])));
        assert_eq!(get("堂e"), None, "fields are not joined");
        assert_eq!(get("長"), None, "folded");
    }

    #[test]
    fn characters_folding_to_several_make_pairs_of_each() {
        // ㍿ (U+337F) is 株式会社 under NFKC; punctuation between characters is dropped.
        let mut p = Part::new(0, 1);
        p.page(0);
        p.field("a㍿「b」", false);
        p.finish();
        let parts = [p];
        for t in ["a株", "株式", "式会", "会社", "社b", "b"] {
            assert_eq!(lists_of(&parts, t, 1), Some((vec![0], vec![])), "{t}");
        }
    }
}
