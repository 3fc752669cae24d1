//! How the index's page lists are written, and which shard holds a token. Lists are written
//! compactly in JSON strings: gaps between page numbers as base-64 digits (five bits each, a
//! sixth saying "more follows"), or, when shorter, a bitmap of all pages six to a digit (`=`
//! first). A common character on a 10,000-page site costs at most 1.7 KB. Tokens are spread
//! over shard files by a hash of their text, so a query fetches only the shards of its own
//! tokens.

pub(crate) const DIGITS: &[u8; 64] =
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Pages per chunk: the bits of one word.
pub(crate) const CHUNK: usize = 64;

/// The pages of one token within one part.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum List {
    /// Page numbers, ascending (while that is smaller than a bitmap).
    Sparse(Vec<u32>),
    /// One bit a page of the part, a word per chunk.
    Dense(Box<[u64]>),
}

impl List {
    pub(crate) fn new() -> List {
        List::Sparse(Vec::new())
    }

    /// Adds the pages of chunk `chunk` of the part (`mask`: bit i is the chunk's i-th page).
    pub(crate) fn append(&mut self, base: u32, chunks: usize, chunk: usize, mask: u64) {
        match self {
            List::Dense(words) => words[chunk] = mask,
            List::Sparse(pages) => {
                let first = base + (chunk * CHUNK) as u32;
                let mut m = mask;
                while m != 0 {
                    pages.push(first + m.trailing_zeros());
                    m &= m - 1;
                }
                // Four bytes a page against one bit a page of the part.
                if pages.len() * 32 > chunks * CHUNK {
                    let mut words = vec![0u64; chunks].into_boxed_slice();
                    for &p in pages.iter() {
                        let i = (p - base) as usize;
                        words[i / CHUNK] |= 1 << (i % CHUNK);
                    }
                    *self = List::Dense(words);
                }
            }
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        match self {
            List::Sparse(p) => p.is_empty(),
            List::Dense(w) => w.iter().all(|&w| w == 0),
        }
    }

    fn len(&self) -> usize {
        match self {
            List::Sparse(p) => p.len(),
            List::Dense(w) => w.iter().map(|w| w.count_ones() as usize).sum(),
        }
    }

    /// Calls `f` with every page, ascending; stops when it returns false.
    fn each(&self, base: u32, f: &mut impl FnMut(u32) -> bool) -> bool {
        match self {
            List::Sparse(p) => p.iter().all(|&p| f(p)),
            List::Dense(words) => {
                for (i, &w) in words.iter().enumerate() {
                    let mut m = w;
                    while m != 0 {
                        if !f(base + (i * CHUNK) as u32 + m.trailing_zeros()) {
                            return false;
                        }
                        m &= m - 1;
                    }
                }
                true
            }
        }
    }

    /// Sets the list's pages in `words`, a bitmap of the whole site.
    fn set_bits(&self, base: u32, words: &mut [u64]) {
        match self {
            List::Sparse(p) => {
                for &p in p {
                    words[p as usize / CHUNK] |= 1 << (p as usize % CHUNK);
                }
            }
            List::Dense(w) => {
                // Parts start at a multiple of 64 pages: word for word.
                let at = base as usize / CHUNK;
                for (d, s) in words[at..].iter_mut().zip(w.iter()) {
                    *d |= s;
                }
            }
        }
    }
}

/// A token's lists in every part that has it, in page order: `(part base, all, heading)`.
pub(crate) type Lists<'a> = [(u32, &'a List, &'a List)];

/// Encodes the lists of one token (all pages, heading pages) as the shards hold them.
pub(crate) fn encode_token(lists: &Lists, pages: usize, words: &mut Vec<u64>) -> (String, String) {
    let all = encode_parts(lists.iter().map(|l| (l.0, l.1)), pages, words);
    let heading = encode_parts(lists.iter().map(|l| (l.0, l.2)), pages, words);
    (all, heading)
}

/// A sorted list of page numbers, as the shorter of its two encodings, from its parts.
pub(crate) fn encode_parts<'a, I>(parts: I, pages: usize, words: &mut Vec<u64>) -> String
where
    I: Iterator<Item = (u32, &'a List)> + Clone,
{
    let bitmap_len = pages.div_ceil(6) + 1;
    let count: usize = parts.clone().map(|(_, l)| l.len()).sum();
    // Every page is at least one digit of gaps.
    if count <= bitmap_len {
        let mut gaps = String::new();
        let mut prev: i64 = -1;
        let short = parts.clone().all(|(base, l)| {
            l.each(base, &mut |id| {
                push_gap(&mut gaps, (i64::from(id) - prev - 1) as u64);
                prev = i64::from(id);
                gaps.len() <= bitmap_len
            })
        });
        if short {
            return gaps;
        }
    }
    words.clear();
    words.resize(pages.div_ceil(CHUNK), 0);
    for (base, l) in parts {
        l.set_bits(base, words);
    }
    bitmap(words, pages)
}

fn push_gap(out: &mut String, mut v: u64) {
    let mut digits = [0u8; 13];
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
        out.push(DIGITS[(digits[j] + more) as usize] as char);
    }
}

/// `=` and six pages a digit, trailing empty digits left out.
fn bitmap(words: &[u64], pages: usize) -> String {
    let digits = pages.div_ceil(6);
    let six = |j: usize| -> u8 {
        let bit = j * 6;
        let (w, s) = (bit / CHUNK, bit % CHUNK);
        let mut v = words[w] >> s;
        if s > CHUNK - 6 {
            if let Some(&next) = words.get(w + 1) {
                v |= next << (CHUNK - s);
            }
        }
        (v & 63) as u8
    };
    let used = (0..digits)
        .rev()
        .find(|&j| six(j) != 0)
        .map_or(0, |j| j + 1);
    let mut s = String::with_capacity(used + 1);
    s.push('=');
    s.extend((0..used).map(|j| DIGITS[six(j) as usize] as char));
    s
}

/// A sorted list of page numbers, as the shorter of its two encodings.
#[cfg(test)]
pub(crate) fn encode(list: &[u32], pages: usize) -> String {
    let l = List::Sparse(list.to_vec());
    encode_parts(std::iter::once((0, &l)), pages, &mut Vec::new())
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

/// The page numbers an encoded list holds (as the browser decodes it; `update` patches lists
/// with it).
pub(crate) fn decode(s: &str, pages: usize) -> Vec<u32> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_round_trip_in_both_encodings() {
        for (list, pages) in [
            (vec![0, 1, 2, 3, 5, 8, 13, 21], 30),
            (vec![7, 4000, 4001, 9999], 10_000),
            ((0..10_000).step_by(2).collect::<Vec<u32>>(), 10_000),
            ((0..10_000).step_by(7).collect::<Vec<u32>>(), 10_000),
            (vec![62, 63, 64, 65, 127, 128], 130),
            (vec![], 5),
        ] {
            let s = encode(&list, pages);
            assert_eq!(decode(&s, pages), list, "{s}");
        }
        assert!(encode(&(0..10_000).collect::<Vec<u32>>(), 10_000).len() <= 1668);
        assert!(encode(&(0..10_000).step_by(2).collect::<Vec<u32>>(), 10_000).starts_with('='));
        assert!(!encode(&[7, 4000], 10_000).starts_with('='));
    }

    #[test]
    fn sparse_lists_become_bitmaps_when_smaller() {
        let mut l = List::new();
        // A part of 640 pages from page 128: a bitmap is 80 bytes, 20 page numbers.
        l.append(128, 10, 0, 0b1011);
        assert_eq!(l, List::Sparse(vec![128, 129, 131]));
        l.append(128, 10, 3, u64::MAX >> 44);
        assert!(matches!(l, List::Dense(_)), "{l:?}");
        assert_eq!(l.len(), 23);
        let mut got = Vec::new();
        l.each(128, &mut |p| {
            got.push(p);
            true
        });
        let mut want = vec![128, 129, 131];
        want.extend(128 + 192..128 + 192 + 20);
        assert_eq!(got, want);
        l.append(128, 10, 9, 1 << 63);
        let mut words = vec![0u64; 13];
        l.set_bits(128, &mut words);
        assert_eq!(words[2], 0b1011);
        assert_eq!(words[5], (1 << 20) - 1);
        assert_eq!(words[11], 1 << 63);
    }
}
