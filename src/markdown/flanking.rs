//! Which delimiter runs (`*`, `_`, `~`) can open or close emphasis, under the CommonMark
//! CJK-friendly amendments (tats-u/markdown-cjk-friendly, `tests/spec/cjk-friendly/`),
//! judged on the characters as written in the source. For text without CJK characters the
//! result is CommonMark's (and GFM's for `~`) exactly.

use unicode_properties::emoji::{EmojiStatus, UnicodeEmoji};
use unicode_properties::general_category::{GeneralCategoryGroup, UnicodeGeneralCategory};

use crate::text::is_whitespace;

/// CJK characters, Unicode 17, copied from the amendments' `ranges.md` ("CJK characters": East
/// Asian Width W, F or H and not default emoji presentation, or Hangul script). A test checks
/// this table against that file.
pub const CJK_RANGES: &[(u32, u32)] = &[
    (0x1100, 0x11FF),
    (0x20A9, 0x20A9),
    (0x2329, 0x232A),
    (0x2630, 0x2637),
    (0x268A, 0x268F),
    (0x2E80, 0x2E99),
    (0x2E9B, 0x2EF3),
    (0x2F00, 0x2FD5),
    (0x2FF0, 0x303E),
    (0x3041, 0x3096),
    (0x3099, 0x30FF),
    (0x3105, 0x312F),
    (0x3131, 0x318E),
    (0x3190, 0x31E5),
    (0x31EF, 0x321E),
    (0x3220, 0x3247),
    (0x3250, 0xA48C),
    (0xA490, 0xA4C6),
    (0xA960, 0xA97C),
    (0xAC00, 0xD7A3),
    (0xD7B0, 0xD7C6),
    (0xD7CB, 0xD7FB),
    (0xF900, 0xFAFF),
    (0xFE10, 0xFE19),
    (0xFE30, 0xFE52),
    (0xFE54, 0xFE66),
    (0xFE68, 0xFE6B),
    (0xFF01, 0xFFBE),
    (0xFFC2, 0xFFC7),
    (0xFFCA, 0xFFCF),
    (0xFFD2, 0xFFD7),
    (0xFFDA, 0xFFDC),
    (0xFFE0, 0xFFE6),
    (0xFFE8, 0xFFEE),
    (0x16FE0, 0x16FE4),
    (0x16FF0, 0x16FF6),
    (0x17000, 0x18CD5),
    (0x18CFF, 0x18D1E),
    (0x18D80, 0x18DF2),
    (0x1AFF0, 0x1AFF3),
    (0x1AFF5, 0x1AFFB),
    (0x1AFFD, 0x1AFFE),
    (0x1B000, 0x1B122),
    (0x1B132, 0x1B132),
    (0x1B150, 0x1B152),
    (0x1B155, 0x1B155),
    (0x1B164, 0x1B167),
    (0x1B170, 0x1B2FB),
    (0x1D300, 0x1D356),
    (0x1D360, 0x1D376),
    (0x1F200, 0x1F200),
    (0x1F202, 0x1F202),
    (0x1F210, 0x1F219),
    (0x1F21B, 0x1F22E),
    (0x1F230, 0x1F231),
    (0x1F237, 0x1F237),
    (0x1F23B, 0x1F23B),
    (0x1F240, 0x1F248),
    (0x1F260, 0x1F265),
    (0x20000, 0x3FFFD),
];

/// A CJK character as the amendments define it.
pub fn is_cjk(c: char) -> bool {
    let u = c as u32;
    u >= 0x1100
        && CJK_RANGES
            .binary_search_by(|&(lo, hi)| {
                if hi < u {
                    std::cmp::Ordering::Less
                } else if lo > u {
                    std::cmp::Ordering::Greater
                } else {
                    std::cmp::Ordering::Equal
                }
            })
            .is_ok()
}

/// Unicode punctuation as CommonMark 0.31 defines it: general categories P and S.
pub fn is_punctuation(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_punctuation();
    }
    matches!(
        c.general_category_group(),
        GeneralCategoryGroup::Punctuation | GeneralCategoryGroup::Symbol
    )
}

/// Default emoji presentation (East Asian Width W, but not a CJK character).
pub fn is_emoji_presentation(c: char) -> bool {
    !c.is_ascii()
        && matches!(
            c.emoji_status(),
            EmojiStatus::EmojiPresentation
                | EmojiStatus::EmojiPresentationAndModifierBase
                | EmojiStatus::EmojiPresentationAndEmojiComponent
                | EmojiStatus::EmojiPresentationAndModifierAndEmojiComponent
        )
}

/// Hangul script (Scripts.txt), which CSS Text keeps spaces around.
pub fn is_hangul(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x11FF | 0x302E..=0x302F | 0x3131..=0x318E | 0x3200..=0x321E
        | 0x3260..=0x327E | 0xA960..=0xA97C | 0xAC00..=0xD7A3 | 0xD7B0..=0xD7C6
        | 0xD7CB..=0xD7FB | 0xFFA0..=0xFFBE | 0xFFC2..=0xFFC7 | 0xFFCA..=0xFFCF
        | 0xFFD2..=0xFFD7 | 0xFFDA..=0xFFDC)
}

/// Non-emoji general-use variation selectors, U+FE00–U+FE0E.
fn is_svs(c: char) -> bool {
    ('\u{FE00}'..='\u{FE0E}').contains(&c)
}

/// Ideographic variation selectors, U+E0100–U+E01EF.
fn is_ivs(c: char) -> bool {
    ('\u{E0100}'..='\u{E01EF}').contains(&c)
}

fn is_space_separator(c: char) -> bool {
    c.general_category_group() == GeneralCategoryGroup::Separator
        && c != '\u{2028}'
        && c != '\u{2029}'
}

/// (can open, can close) for a run of `marker` with `before` (the last two characters before
/// it, nearest first; `None` at the start of a line) and `after` (`None` at the end).
///
/// This is the amendments' §6.2 in the form of their reference plugin
/// (markdown-it-cjk-friendly): a variation selector defers to the character it follows, an
/// ideographic variation selector counts as CJK before a run, and `‘’“”` + U+FE01 are CJK.
pub fn can_open_close(
    marker: u8,
    before: (Option<char>, Option<char>),
    after: Option<char>,
) -> (bool, bool) {
    let last = before.0.unwrap_or(' ');
    let next = after.unwrap_or(' ');
    let mut last_main = last;
    let mut two_prev = None;
    if is_svs(last) {
        let p = before.1.unwrap_or(' ');
        two_prev = Some(p);
        if !is_space_separator(p) {
            last_main = p;
        }
    }
    let (last_ws, next_ws) = (is_whitespace(last_main), is_whitespace(next));
    if last_ws || next_ws {
        return (!next_ws, !last_ws);
    }
    let (last_p, next_p) = (is_punctuation(last_main), is_punctuation(next));
    let (mut open, mut close) = (last_p, next_p);
    // `_` never opens or closes inside a word (CommonMark rules 2 and 6, amended).
    if marker != b'_' {
        let prev_cjk = match two_prev {
            Some(p) => is_cjk(p) || (last == '\u{FE01}' && matches!(p, '‘' | '’' | '“' | '”')),
            None => is_cjk(last) || is_ivs(last),
        };
        let either_cjk = is_cjk(next) || prev_cjk;
        open |= either_cjk || !next_p;
        close |= either_cjk || !last_p;
    }
    (open, close)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_and_disjoint() {
        assert!(CJK_RANGES.windows(2).all(|w| w[0].1 < w[1].0));
        assert!(is_cjk('中') && is_cjk('。') && is_cjk('가') && is_cjk('ᅡ') && is_cjk('𠮟'));
        assert!(!is_cjk('a') && !is_cjk('“') && !is_cjk('😀') && !is_cjk('\u{E0100}'));
    }

    #[test]
    fn table_is_the_one_in_ranges_md() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/spec/cjk-friendly/ranges.md"
        );
        let Ok(text) = std::fs::read_to_string(path) else {
            panic!("{path} is missing")
        };
        let section = text
            .split("## CJK characters")
            .nth(1)
            .and_then(|s| s.split("<details>").next())
            .unwrap_or("");
        let hex = |s: &str| u32::from_str_radix(s.trim_start_matches("U+"), 16).ok();
        let listed: Vec<(u32, u32)> = section
            .lines()
            .filter_map(|l| l.strip_prefix("- "))
            .filter_map(|l| {
                let range = l.split(' ').next()?;
                let (a, b) = range.split_once("..").unwrap_or((range, range));
                Some((hex(a)?, hex(b)?))
            })
            .collect();
        assert_eq!(listed, CJK_RANGES);
    }

    #[test]
    fn punctuation_is_categories_p_and_s() {
        for c in ['!', '“', '。', '（', '¥', '€', '\u{1E2FF}', '∇', '«', '𝜵'] {
            assert!(is_punctuation(c), "{c:?}");
        }
        for c in ['a', '⁰', '¹', 'ª', 'µ', 'ℂ', '中'] {
            assert!(!is_punctuation(c), "{c:?}");
        }
    }
}
