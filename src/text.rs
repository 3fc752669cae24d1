//! Chinese-text rules shared by the Markdown renderer, slugs and summaries.
//!
//! The ranges follow the CommonMark CJK-friendly amendments (tats-u/markdown-cjk-friendly,
//! ranges.md) closely enough for Chinese: East Asian Wide/Fullwidth blocks and Hangul.

use pinyin::ToPinyin;

/// A CJK character in the sense of the amendments: East Asian Wide or Fullwidth, or Hangul.
pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x115F        // Hangul Jamo (leading)
        | 0x2E80..=0x2FDF      // CJK radicals, Kangxi
        | 0x2FF0..=0x303E      // ideographic description, CJK symbols and punctuation
        | 0x3041..=0x33FF      // kana, bopomofo, Hangul compatibility, enclosed, compatibility
        | 0x3400..=0x4DBF      // extension A
        | 0x4E00..=0x9FFF      // unified ideographs
        | 0xA000..=0xA4CF      // Yi
        | 0xA960..=0xA97F
        | 0xAC00..=0xD7A3      // Hangul syllables
        | 0xF900..=0xFAFF      // compatibility ideographs
        | 0xFE10..=0xFE19      // vertical forms
        | 0xFE30..=0xFE6F      // compatibility forms, small forms
        | 0xFF00..=0xFF60      // full-width forms
        | 0xFFE0..=0xFFE6
        | 0x1B000..=0x1B2FF    // kana supplement
        | 0x1F200..=0x1F2FF    // enclosed ideographic supplement
        | 0x20000..=0x3FFFD    // extensions B–H
    )
}

/// Han ideographs only (what a Chinese word count counts).
pub(crate) fn is_han(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3FFFD)
}

/// Unicode whitespace as CommonMark defines it (Zs, tab, line feed, form feed, carriage return).
pub(crate) fn is_whitespace(c: char) -> bool {
    matches!(
        c,
        '\t' | '\n' | '\u{0C}' | '\r' | ' ' | '\u{A0}' | '\u{1680}' | '\u{2000}'
            ..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}'
    )
}

/// Unicode punctuation as CommonMark 0.31 defines it (general categories P and S), by block.
pub(crate) fn is_punctuation(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_punctuation();
    }
    let u = c as u32;
    matches!(u,
        0xA1..=0xBF | 0xD7 | 0xF7
        | 0x2010..=0x2027 | 0x2030..=0x205E
        | 0x2070..=0x209F | 0x20A0..=0x20CF
        | 0x2100..=0x214F | 0x2190..=0x23FF | 0x2500..=0x27FF | 0x2900..=0x2BFF
        | 0x2E00..=0x2E7F
        | 0x3001..=0x3004 | 0x3008..=0x3020 | 0x3030 | 0x303D
        | 0x30FB
        | 0xFE10..=0xFE19 | 0xFE30..=0xFE6B
        | 0xFF01..=0xFF0F | 0xFF1A..=0xFF20 | 0xFF3B..=0xFF40 | 0xFF5B..=0xFF65
        | 0xFFE0..=0xFFEE
    )
}

/// Words as a Chinese reader counts them: each Han character, plus each run of Latin letters
/// or digits.
pub(crate) fn word_count(text: &str) -> usize {
    let mut count = 0;
    let mut in_word = false;
    for c in text.chars() {
        if is_han(c) {
            count += 1;
            in_word = false;
        } else if is_word_char(c) {
            if !in_word {
                count += 1;
            }
            in_word = true;
        } else {
            in_word = false;
        }
    }
    count
}

/// `char::is_alphanumeric`, with the characters of Chinese prose answered without the
/// Unicode table search: ASCII, and the punctuation between Chinese words (，。“”、《》…).
fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    if is_cjk_punctuation(c) {
        return false;
    }
    c.is_alphanumeric()
}

/// General punctuation, CJK symbols and punctuation and full-width punctuation: none of it
/// is a letter or a digit (the ideographic `〇`, `々` and Hangzhou numerals are left out).
fn is_cjk_punctuation(c: char) -> bool {
    matches!(c as u32,
        0x2000..=0x206F | 0x3000..=0x3004 | 0x3008..=0x3020 | 0x3030 | 0x303D..=0x303F
        | 0xFF01..=0xFF0F | 0xFF1A..=0xFF20 | 0xFF3B..=0xFF40 | 0xFF5B..=0xFF65)
}

/// Reading time in minutes at about 400 characters a minute; at least one minute.
pub(crate) fn reading_time(words: usize) -> usize {
    words.div_ceil(400).max(1)
}

/// A readable ASCII slug: Chinese becomes pinyin syllables, Latin stays, the rest becomes `-`.
/// `2022年「三家」工作法` → `2022-nian-san-jia-gong-zuo-fa`.
pub(crate) fn slugify(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_dash = false;
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            if pending_dash && !out.is_empty() {
                out.push('-');
            }
            pending_dash = false;
            out.push(c.to_ascii_lowercase());
        } else if let Some(p) = c.to_pinyin() {
            if !out.is_empty() {
                out.push('-');
            }
            out.push_str(p.plain());
            // A syllable is a word of its own; the next Latin letter gets a dash too.
            pending_dash = true;
        } else if c == '_' || c == '-' || c == '.' || is_whitespace(c) || is_punctuation(c) {
            pending_dash = true;
        } else if c.is_alphanumeric() {
            // Letters outside ASCII and Chinese (é, ü, ａ): keep them readable where possible.
            let folded = fold_latin(c);
            if !folded.is_empty() {
                if pending_dash && !out.is_empty() {
                    out.push('-');
                }
                pending_dash = false;
                out.push_str(folded);
            } else {
                pending_dash = true;
            }
        }
    }
    out
}

fn fold_latin(c: char) -> &'static str {
    // Full-width ASCII (ａ, １) is common from Chinese input methods.
    let u = c as u32;
    if (0xFF10..=0xFF19).contains(&u)
        || (0xFF21..=0xFF3A).contains(&u)
        || (0xFF41..=0xFF5A).contains(&u)
    {
        const DIGITS: [&str; 10] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];
        const LETTERS: [&str; 26] = [
            "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "p", "q",
            "r", "s", "t", "u", "v", "w", "x", "y", "z",
        ];
        return match u {
            0xFF10..=0xFF19 => DIGITS[(u - 0xFF10) as usize],
            0xFF21..=0xFF3A => LETTERS[(u - 0xFF21) as usize],
            _ => LETTERS[(u - 0xFF41) as usize],
        };
    }
    match c {
        'à' | 'á' | 'â' | 'ä' | 'ā' | 'ǎ' => "a",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ě' => "e",
        'ì' | 'í' | 'î' | 'ï' | 'ī' | 'ǐ' => "i",
        'ò' | 'ó' | 'ô' | 'ö' | 'ō' | 'ǒ' => "o",
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ǔ' | 'ǖ' | 'ǘ' | 'ǚ' | 'ǜ' => "u",
        'ç' => "c",
        'ñ' => "n",
        _ => "",
    }
}

/// Cuts plain text to at most `max` characters, ending at a sentence end (。！？!?；) when there
/// is one in the second half; otherwise at `max` with an ellipsis. Never cuts inside a character.
pub(crate) fn cut_at_sentence(text: &str, max: usize) -> String {
    let text = text.trim();
    let chars: Vec<char> = text.chars().collect();
    if chars.len() <= max {
        return text.to_string();
    }
    let window = &chars[..max];
    if let Some(end) = window
        .iter()
        .rposition(|c| matches!(c, '。' | '！' | '？' | '!' | '?' | '；'))
    {
        if end >= max / 2 {
            return window[..=end].iter().collect();
        }
    }
    let mut s: String = window.iter().collect();
    s = s
        .trim_end_matches(|c: char| is_punctuation(c) || is_whitespace(c))
        .to_string();
    s.push('…');
    s
}

/// A heading id that works for Chinese headings: the heading text without its leading ordinal
/// (`二、`, `（一）`, `1.`) and without punctuation; spaces become `-`, Latin is lower-cased.
/// `二、主要做法` → `主要做法`, `Part 1: Scope` → `part-1-scope`.
pub(crate) fn heading_id(text: &str) -> String {
    let stripped = strip_ordinal(text.trim());
    let mut out = String::new();
    let mut dash = false;
    for c in stripped.chars() {
        if c.is_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.extend(c.to_lowercase());
        } else if is_whitespace(c) || c == '-' || c == '_' {
            dash = true;
        }
        // Other punctuation is dropped: 「」“”、。 are not part of a readable anchor.
    }
    out
}

fn strip_ordinal(s: &str) -> &str {
    const NUMERALS: &str = "一二三四五六七八九十百零〇0123456789０１２３４５６７８９";
    let is_num = |c: char| NUMERALS.contains(c);
    // （一） (一) 【一】
    for (open, close) in [('（', '）'), ('(', ')'), ('【', '】')] {
        if let Some(rest) = s.strip_prefix(open) {
            let digits = rest.chars().take_while(|c| is_num(*c)).count();
            if digits > 0 {
                let after: String = rest.chars().skip(digits).take(1).collect();
                if after.starts_with(close) {
                    let byte = rest
                        .char_indices()
                        .nth(digits + 1)
                        .map_or(rest.len(), |(i, _)| i);
                    let tail = rest[byte..].trim_start();
                    if !tail.is_empty() {
                        return tail;
                    }
                }
            }
        }
    }
    // 一、  1.  1、  第一章
    let digits = s.chars().take_while(|c| is_num(*c)).count();
    if digits > 0 {
        let mut it = s.char_indices().skip(digits);
        if let Some((i, c)) = it.next() {
            if matches!(c, '、' | '.' | '．' | '，' | ' ' | '\u{3000}') {
                let tail = s[i + c.len_utf8()..].trim_start();
                if !tail.is_empty() {
                    return tail;
                }
            }
        }
    }
    s
}

/// Chinese date words for templates: `2022-10-08` → `2022年10月8日`.
pub(crate) fn date_zh(iso: &str) -> String {
    crate::date::Date::parse(iso).map_or_else(|| iso.to_string(), |d| d.zh())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_char_shortcut_agrees_with_unicode() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            assert_eq!(is_word_char(c), c.is_alphanumeric(), "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn counts_han_and_latin_words() {
        assert_eq!(word_count("三家工作法 works well"), 7);
        assert_eq!(word_count("2022年度"), 3);
        assert_eq!(reading_time(401), 2);
        assert_eq!(reading_time(0), 1);
    }

    #[test]
    fn slugs_are_pinyin() {
        assert_eq!(slugify("三家工作法"), "san-jia-gong-zuo-fa");
        assert_eq!(
            slugify("2022年「三家」工作法"),
            "2022-nian-san-jia-gong-zuo-fa"
        );
        assert_eq!(slugify("Hello World_v2"), "hello-world-v2");
        assert_eq!(slugify("两个1+3模式"), "liang-ge-1-3-mo-shi");
        assert_eq!(slugify("ｅ福养"), "e-fu-yang");
    }

    #[test]
    fn heading_ids_drop_ordinals() {
        assert_eq!(heading_id("二、主要做法"), "主要做法");
        assert_eq!(heading_id("（一）抓实“三套方案”"), "抓实三套方案");
        assert_eq!(heading_id("1. Scope and Aims"), "scope-and-aims");
        assert_eq!(heading_id("一"), "一");
    }

    #[test]
    fn cuts_at_sentence_end() {
        let s = "第一句话。第二句话比较长一些！第三句";
        assert_eq!(cut_at_sentence(s, 8), "第一句话。");
        assert_eq!(cut_at_sentence(s, 14), "第一句话。第二句话比较长一些…");
        assert_eq!(cut_at_sentence(s, 16), "第一句话。第二句话比较长一些！");
        assert_eq!(cut_at_sentence("短", 10), "短");
        assert_eq!(cut_at_sentence("一二三四五六七八九十", 4), "一二三四…");
    }

    #[test]
    fn classifies_cjk_punctuation() {
        assert!(is_cjk('。') && is_punctuation('。'));
        assert!(!is_cjk('”') && is_punctuation('”'));
        assert!(is_cjk('三') && !is_punctuation('三'));
        assert!(is_whitespace('\u{3000}'));
    }

    #[test]
    fn dates_in_chinese() {
        assert_eq!(date_zh("2022-10-08"), "2022年10月8日");
        assert_eq!(date_zh("2022-10-08T19:00:00"), "2022年10月8日");
        assert_eq!(date_zh("2018-08"), "2018年8月");
        assert_eq!(date_zh("2018"), "2018年");
    }
}
