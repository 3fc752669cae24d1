//! A page body's plain text, from the HTML its Markdown rendered to: what a reader reads,
//! with a line break where a block ends, so excerpts do not run two paragraphs together.
//!
//! The HTML is Herald's own (pulldown-cmark and the shortcode templates), not arbitrary
//! markup, so a small scanner is enough: tags are dropped, `<script>`, `<style>` and `<svg>`
//! with their content, and the entities pulldown-cmark writes are decoded.

/// Elements whose end is the end of a line of text.
const BLOCKS: &[&str] = &[
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "tr",
    "br",
    "div",
    "blockquote",
    "pre",
    "table",
    "figure",
    "figcaption",
    "dd",
    "dt",
    "section",
    "ul",
    "ol",
    "hr",
];

/// Elements whose content is not text a reader reads.
const HIDDEN: &[&str] = &["script", "style", "svg"];

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
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .map(|c| c.to_ascii_lowercase())
            .collect();
        if !closing && HIDDEN.contains(&name.as_str()) && !tag.ends_with('/') {
            let end = format!("</{name}");
            match rest.find(&end) {
                Some(i) => {
                    rest = &rest[i..];
                    rest = rest.find('>').map_or("", |j| &rest[j + 1..]);
                }
                None => rest = "",
            }
            continue;
        }
        if BLOCKS.contains(&name.as_str()) && (closing || name == "br" || name == "hr") {
            newline(&mut out);
        } else if matches!(name.as_str(), "td" | "th") && closing {
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

/// Text between tags: entities decoded, runs of white space one space.
fn push_text(out: &mut String, text: &str) {
    let mut rest = text;
    while !rest.is_empty() {
        let (c, len) = match rest.strip_prefix('&').and_then(entity) {
            Some((c, len)) => (c, len + 1),
            None => {
                let c = rest.chars().next().unwrap_or(' ');
                (c, c.len_utf8())
            }
        };
        rest = &rest[len..];
        if c.is_whitespace() {
            if !out.is_empty() && !out.ends_with([' ', '\n']) {
                out.push(' ');
            }
        } else {
            out.push(c);
        }
    }
}

/// The character of an entity after its `&`, and the length up to its `;`.
fn entity(s: &str) -> Option<(char, usize)> {
    let end = s.get(..12.min(s.len()))?.find(';')?;
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
}
