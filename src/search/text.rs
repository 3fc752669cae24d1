//! A page body's plain text, from the HTML its Markdown rendered to: what a reader reads,
//! with a line break where a block ends, so excerpts do not run two paragraphs together.
//!
//! The HTML is Herald's own (pulldown-cmark and the shortcode templates), not arbitrary
//! markup, so a small scanner is enough: tags are dropped, `<script>`, `<style>` and `<svg>`
//! with their content, and the entities pulldown-cmark writes are decoded.

/// Elements whose end is the end of a line of text.
const BLOCKS: &[&[u8]] = &[
    b"p",
    b"h1",
    b"h2",
    b"h3",
    b"h4",
    b"h5",
    b"h6",
    b"li",
    b"tr",
    b"br",
    b"div",
    b"blockquote",
    b"pre",
    b"table",
    b"figure",
    b"figcaption",
    b"dd",
    b"dt",
    b"section",
    b"ul",
    b"ol",
    b"hr",
];

/// Elements whose content is not text a reader reads.
const HIDDEN: &[&[u8]] = &[b"script", b"style", b"svg"];

pub(crate) fn plain_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        push_text(&mut out, &rest[..lt]);
        let tag_src = &rest[lt + 1..];
        let Some(gt) = tag_src.find('>') else {
            rest = "";
            break;
        };
        let tag = &tag_src[..gt];
        rest = &tag_src[gt + 1..];
        let closing = tag.starts_with('/');
        // The name, lower case, in a small buffer: no element Herald cares about is longer.
        let bytes = tag.trim_start_matches('/').as_bytes();
        let len = bytes
            .iter()
            .position(|b| !b.is_ascii_alphanumeric())
            .unwrap_or(bytes.len());
        let mut buf = [0u8; 12];
        let name: &[u8] = if len <= buf.len() {
            for (d, s) in buf.iter_mut().zip(&bytes[..len]) {
                *d = s.to_ascii_lowercase();
            }
            &buf[..len]
        } else {
            b"-"
        };
        if !closing && HIDDEN.contains(&name) && !tag.ends_with('/') {
            let end = format!("</{}", String::from_utf8_lossy(name));
            match rest.find(&end) {
                Some(i) => {
                    rest = &rest[i..];
                    rest = rest.find('>').map_or("", |j| &rest[j + 1..]);
                }
                None => rest = "",
            }
            continue;
        }
        if BLOCKS.contains(&name) && (closing || name == b"br" || name == b"hr") {
            newline(&mut out);
        } else if closing && (name == b"td" || name == b"th") {
            out.push(' ');
        }
    }
    push_text(&mut out, rest);
    let trimmed = out.trim_end().len();
    out.truncate(trimmed);
    out
}

fn newline(out: &mut String) {
    let trimmed = out.trim_end_matches([' ', '\n']).len();
    out.truncate(trimmed);
    if !out.is_empty() {
        out.push('\n');
    }
}

/// One space for a run of white space (none at the start or after a line break).
fn space(out: &mut String) {
    if !out.is_empty() && !out.ends_with([' ', '\n']) {
        out.push(' ');
    }
}

/// Text between tags: entities decoded, runs of white space one space. Copied in runs
/// between the bytes that need a look: `&`, ASCII white space, and the lead bytes of the
/// only non-ASCII white space there is (U+0085, U+00A0, U+1680, U+2000–U+205F, U+3000).
fn push_text(out: &mut String, text: &str) {
    let bytes = text.as_bytes();
    let mut run = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            b'&' => {
                out.push_str(&text[run..i]);
                match entity(&text[i + 1..]) {
                    Some((c, len)) => {
                        if c.is_whitespace() {
                            space(out);
                        } else {
                            out.push(c);
                        }
                        i += len + 1;
                    }
                    None => {
                        out.push('&');
                        i += 1;
                    }
                }
                run = i;
            }
            b' ' | b'\t' | b'\n' | b'\r' | 0x0B | 0x0C => {
                out.push_str(&text[run..i]);
                space(out);
                i += 1;
                run = i;
            }
            0xC2 | 0xE1 | 0xE2 | 0xE3 => {
                let c = text[i..].chars().next().unwrap_or(' ');
                if c.is_whitespace() {
                    out.push_str(&text[run..i]);
                    space(out);
                    i += c.len_utf8();
                    run = i;
                } else {
                    i += c.len_utf8();
                }
            }
            // Other characters, a whole one at a time (most of them Chinese, three bytes).
            0xE0 | 0xE4..=0xEF => i += 3,
            0xC3..=0xDF => i += 2,
            0xF0..=0xF4 => i += 4,
            _ => i += 1,
        }
    }
    out.push_str(&text[run..]);
}

/// The character of an entity after its `&`, and the length up to its `;`.
fn entity(s: &str) -> Option<(char, usize)> {
    // By bytes: the twelfth byte may be inside a Chinese character (`&amp;中文字`).
    let end = s.as_bytes().iter().take(12).position(|&b| b == b';')?;
    let name = &s[..end];
    let c = match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => ' ',
        _ => {
            let num = name.strip_prefix('#')?;
            let cp = match num.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => num.parse().ok()?,
            };
            char::from_u32(cp)?
        }
    };
    Some((c, end + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_become_lines_and_markup_goes() {
        let html = "<h2 id=\"x\">一、背景</h2>\n<p>甲&amp;乙 <strong>丙</strong>\n丁</p><ul><li>一</li><li>二</li></ul>\
                    <script>var x = 1;</script><table><tr><td>a</td><td>b</td></tr></table><p>&#x4e2d;&#25991;</p>";
        assert_eq!(plain_text(html), "一、背景\n甲&乙 丙 丁\n一\n二\na b\n中文");
    }

    #[test]
    fn white_space_of_any_script_is_one_space() {
        let html = "<p>甲\u{3000}\u{a0}乙\u{3000}丙&nbsp; 丁\u{2003}戊é © 𠀋\u{85}x</p>";
        assert_eq!(plain_text(html), "甲 乙 丙 丁 戊é © 𠀋 x");
        assert_eq!(plain_text("  <br>\u{3000}a&amp;&bogus;b\t"), "a&&bogus;b");
        assert_eq!(plain_text("<p>甲&amp;中文字</p>"), "甲&中文字");
        assert_eq!(plain_text("&lt;长者食堂&gt;"), "<长者食堂>");
    }
}
