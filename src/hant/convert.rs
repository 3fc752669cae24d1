//! Simplified → Traditional, phrase by phrase, with OpenCC's dictionaries (1.4.2, in
//! `opencc/`, Apache-2.0) and OpenCC's own method, so the mirror reads as OpenCC would write
//! it:
//!
//! 1. The text is cut into segments by longest match against the phrase dictionary; the text
//!    between two phrases is one segment.
//! 2. A phrase becomes its Traditional form; the characters between phrases become theirs,
//!    one by one (`STCharacters`, first candidate).
//! 3. For `tw` and `hk`, each segment then goes through the regional dictionaries the same
//!    way (`軟件` → `軟體`, then the variant characters).
//!
//! A phrase's whole result is worked out once when the converter is made, so converting is
//! one pass over the text: at each character, one hash lookup of it and the next character
//! gives the phrases that may start there (longest first), else the character's own table
//! entry. (ferrous-opencc converted 7 MB/s on the 10k corpus, and an Aho–Corasick automaton
//! of the 50,000 phrases spent most of its time restarting after each of the many matches.)
//!
//! A site's own words come first: `keep` words are left as they are and `phrases` are written
//! as the site says, wherever they occur, before the dictionaries see the rest.

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

use super::tables::{bit, entries, Chars, Phrases};

const ST_PHRASES: &str = include_str!("opencc/STPhrases.txt");
const ST_PHRASES_REGIONAL: &str = include_str!("opencc/STPhrases_GeneratedFromRegionalPhrases.txt");
const ST_CHARACTERS: &str = include_str!("opencc/STCharacters.txt");
const TW_PHRASES: &str = include_str!("opencc/TWPhrases.txt");
const TW_VARIANTS_PHRASES: &str = include_str!("opencc/TWVariantsPhrases.txt");
const TW_VARIANTS: &str = include_str!("opencc/TWVariants.txt");
const HK_VARIANTS_PHRASES: &str = include_str!("opencc/HKVariantsPhrases.txt");
const HK_VARIANTS: &str = include_str!("opencc/HKVariants.txt");
const COMPATIBILITY: &str = include_str!("opencc/CJK_Compatibility_Ideographs.txt");

/// Which Traditional script the mirror is written in (`zh_hant: {variant: …}`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Variant {
    /// Taiwan characters and phrasing (OpenCC `s2twp`): 软件 → 軟體, 网络 → 網路.
    Tw,
    /// Hong Kong characters (OpenCC `s2hk`).
    Hk,
    /// Traditional characters only, no regional phrasing (OpenCC `s2t`).
    Plain,
}

impl Variant {
    pub(crate) fn parse(s: &str) -> Option<Variant> {
        match s.trim() {
            "tw" => Some(Variant::Tw),
            "hk" => Some(Variant::Hk),
            "plain" => Some(Variant::Plain),
            _ => None,
        }
    }

    /// The page language: `<html lang=…>`, `hreflang`.
    pub(crate) fn lang(self) -> &'static str {
        match self {
            Variant::Tw => "zh-Hant-TW",
            Variant::Hk => "zh-Hant-HK",
            Variant::Plain => "zh-Hant",
        }
    }
}

/// Longest match by position among a site's own words (few: the automaton's prefilter
/// skips the text between them).
fn automaton<'a>(keys: impl IntoIterator<Item = &'a str>) -> Option<AhoCorasick> {
    AhoCorasick::builder()
        .match_kind(MatchKind::LeftmostLongest)
        .kind(Some(AhoCorasickKind::ContiguousNFA))
        .build(keys)
        .ok()
}

/// The regional step (`tw`, `hk`): phrases, then variant characters, within one segment.
struct Regional {
    phrases: Phrases,
    chars: Chars,
}

impl Regional {
    fn new(phrase_dicts: &[&'static str], chars: &'static str) -> Regional {
        // Earlier dictionaries win a key both have (OpenCC's short-circuit groups).
        let (phrases, single) = Phrases::new(
            phrase_dicts
                .iter()
                .flat_map(|d| entries(d))
                .map(|(k, v)| (k, v.to_string())),
        );
        let mut table = Chars::from_dictionary(chars);
        for (c, v) in single {
            table.insert(c, v);
        }
        Regional {
            phrases,
            chars: table,
        }
    }

    /// The converter's shortcuts for text between phrases: every character's form after
    /// `first` and this step, and (a bit per character of the Basic Multilingual Plane, the
    /// rest always set) which characters may start one of this step's phrases after `first`.
    fn shortcuts(&self, first: &Chars) -> (Chars, Vec<u64>) {
        let mut finished = Chars::new();
        let mut starts = vec![0u64; 0x10000 / 64];
        let starts_phrase = |c: char| {
            self.phrases
                .ascii_starts
                .get(c as usize)
                .copied()
                .unwrap_or(false)
                || self.phrases.first_chars.contains(&c)
        };
        let mut mark = |c: char| {
            if (c as u32) < 0x10000 {
                starts[c as usize / 64] |= 1 << (c as usize % 64);
            }
        };
        for code in 0..0x10000u32 {
            let Some(c) = char::from_u32(code) else {
                continue;
            };
            let traditional = first.get(c);
            let t = traditional.map_or(c, |t| t.chars().next().unwrap_or(c));
            if starts_phrase(t) {
                mark(c);
            }
            let mut s = String::new();
            let text = traditional.map_or_else(|| c.to_string(), str::to_string);
            self.chars.convert_into(&text, &mut s);
            if traditional.is_some() || s != text {
                finished.insert(c, s);
            }
        }
        (finished, starts)
    }

    fn convert_into(&self, segment: &str, out: &mut String) {
        let out = std::cell::RefCell::new(out);
        self.phrases.segments(
            segment,
            &mut |gap| self.chars.convert_into(gap, &mut out.borrow_mut()),
            &mut |value| out.borrow_mut().push_str(value),
        );
    }
}

/// Words the site decides: kept as written, or written the site's way.
struct SiteWords {
    automaton: AhoCorasick,
    values: Vec<String>,
}

pub(crate) struct Converter {
    variant: Variant,
    /// Each phrase with its finished Traditional form (regional step included).
    phrases: Phrases,
    /// Each character's Traditional form, for the text between phrases.
    chars: Chars,
    regional: Option<Regional>,
    /// For a region: each character's form after both steps (`chars`, then the regional
    /// variants), for text between phrases where no regional phrase can start.
    final_chars: Chars,
    /// For a region: the Simplified characters whose Traditional form may start a regional
    /// phrase (`软` → `軟`, which starts `軟件`); text between phrases without any of them
    /// needs only `final_chars`.
    regional_starts: Vec<u64>,
    compatibility: Chars,
    site: Option<SiteWords>,
}

impl Converter {
    /// `keep`: words never converted; `phrases`: Simplified → how the site writes it.
    pub(crate) fn new(
        variant: Variant,
        keep: &[String],
        phrases: &[(String, String)],
    ) -> Converter {
        let regional = match variant {
            Variant::Tw => Some(Regional::new(
                &[TW_PHRASES, TW_VARIANTS_PHRASES],
                TW_VARIANTS,
            )),
            Variant::Hk => Some(Regional::new(&[HK_VARIANTS_PHRASES], HK_VARIANTS)),
            Variant::Plain => None,
        };
        let finished = |traditional: &str| match &regional {
            Some(r) => {
                let mut s = String::with_capacity(traditional.len());
                r.convert_into(traditional, &mut s);
                s
            }
            None => traditional.to_string(),
        };
        let (dictionary, single) = Phrases::new(
            entries(ST_PHRASES)
                .chain(entries(ST_PHRASES_REGIONAL))
                .map(|(k, v)| (k, finished(v))),
        );
        let mut chars = Chars::from_dictionary(ST_CHARACTERS);
        for (c, v) in single {
            chars.insert(c, v);
        }
        let compatibility = Chars::from_dictionary(COMPATIBILITY);
        let site_words: Vec<(&str, String)> = keep
            .iter()
            .map(|k| (k.as_str(), k.clone()))
            .chain(phrases.iter().map(|(k, v)| (k.as_str(), v.clone())))
            .filter(|(k, _)| !k.is_empty())
            .collect();
        let site = if site_words.is_empty() {
            None
        } else {
            automaton(site_words.iter().map(|(k, _)| *k)).map(|automaton| SiteWords {
                automaton,
                values: site_words.into_iter().map(|(_, v)| v).collect(),
            })
        };
        let (final_chars, regional_starts) = match &regional {
            Some(r) => r.shortcuts(&chars),
            None => (Chars::new(), Vec::new()),
        };
        Converter {
            variant,
            phrases: dictionary,
            final_chars,
            regional_starts,
            chars,
            regional,
            compatibility,
            site,
        }
    }

    pub(crate) fn variant(&self) -> Variant {
        self.variant
    }

    pub(crate) fn convert(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len() + text.len() / 8);
        self.convert_into(text, &mut out);
        out
    }

    /// Appends the Traditional form of `text` to `out`.
    pub(crate) fn convert_into(&self, text: &str, out: &mut String) {
        // Nothing to convert in ASCII (tags, URLs, numbers): the common case of short values.
        if text.is_ascii() {
            out.push_str(text);
            return;
        }
        let normalised;
        let text = if has_compatibility_ideographs(text) {
            let mut s = String::with_capacity(text.len());
            self.compatibility.convert_into(text, &mut s);
            normalised = s;
            normalised.as_str()
        } else {
            text
        };
        let Some(site) = &self.site else {
            return self.dictionaries(text, out);
        };
        let mut last = 0;
        for m in site.automaton.find_iter(text) {
            self.dictionaries(&text[last..m.start()], out);
            out.push_str(&site.values[m.pattern().as_usize()]);
            last = m.end();
        }
        self.dictionaries(&text[last..], out);
    }

    fn dictionaries(&self, text: &str, out: &mut String) {
        let out = std::cell::RefCell::new(out);
        // One buffer for every segment's intermediate form.
        let mut scratch = String::new();
        self.phrases.segments(
            text,
            &mut |gap| self.between_phrases(gap, &mut out.borrow_mut(), &mut scratch),
            &mut |value| out.borrow_mut().push_str(value),
        );
    }

    /// One segment of characters no phrase starts in: character by character, then (for a
    /// region) the regional phrases over the whole segment, as OpenCC does.
    fn between_phrases(&self, segment: &str, out: &mut String, scratch: &mut String) {
        if segment.is_empty() {
            return;
        }
        match &self.regional {
            None => self.chars.convert_into(segment, out),
            Some(r) if segment.chars().any(|c| bit(&self.regional_starts, c)) => {
                scratch.clear();
                self.chars.convert_into(segment, scratch);
                r.convert_into(scratch, out);
            }
            Some(_) => self.final_chars.convert_into(segment, out),
        }
    }
}

/// U+F900–U+FAFF (`EF A4..AB`) or U+2F800–U+2FA1F (`F0 AF`): rare, so checked by bytes.
fn has_compatibility_ideographs(text: &str) -> bool {
    let b = text.as_bytes();
    b.windows(2)
        .any(|w| (w[0] == 0xEF && (0xA4..=0xAB).contains(&w[1])) || (w[0] == 0xF0 && w[1] == 0xAF))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tw() -> Converter {
        Converter::new(Variant::Tw, &[], &[])
    }

    #[test]
    fn taiwan_phrasing_as_opencc_writes_it() {
        let c = tw();
        assert_eq!(c.convert("软件"), "軟體");
        assert_eq!(c.convert("网络"), "網路");
        assert_eq!(c.convert("信息"), "資訊");
        assert_eq!(c.convert("头发"), "頭髮");
        assert_eq!(c.convert("长者食堂"), "長者食堂");
        assert_eq!(c.convert("首问负责制"), "首問負責制");
        assert_eq!(c.convert("里程碑"), "里程碑");
        assert_eq!(c.convert("民政局的工作"), "民政局的工作");
        assert_eq!(
            c.convert("「三家」工作法·惠民「零时差」"),
            "「三家」工作法·惠民「零時差」"
        );
    }

    #[test]
    fn plain_and_hong_kong_keep_mainland_words() {
        let plain = Converter::new(Variant::Plain, &[], &[]);
        assert_eq!(plain.convert("软件 网络"), "軟件 網絡");
        let hk = Converter::new(Variant::Hk, &[], &[]);
        assert_eq!(hk.convert("软件"), "軟件");
    }

    #[test]
    fn ascii_digits_and_punctuation_pass_through() {
        let c = tw();
        assert_eq!(
            c.convert("e福养 1+3 35634 <a href=\"/x/\">"),
            "e福養 1+3 35634 <a href=\"/x/\">"
        );
        assert_eq!(c.convert(""), "");
    }

    #[test]
    fn site_words_come_first() {
        let c = Converter::new(
            Variant::Tw,
            &["老龄办".to_string()],
            &[("软件".to_string(), "軟件".to_string())],
        );
        assert_eq!(c.convert("老龄办的软件"), "老龄办的軟件");
        assert_eq!(c.convert("老龄"), "老齡");
    }

    #[test]
    fn compatibility_ideographs_are_normalised_first() {
        // U+F900 豈 is the compatibility form of U+8C48 豈.
        assert_eq!(tw().convert("\u{F900}"), "\u{8C48}");
    }
}
