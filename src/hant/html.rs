//! The text of an HTML fragment (a rendered body, a summary) in Traditional script; its markup
//! as it is. What code shows is never converted (`<code>`, `<pre>`, `<kbd>`, `<samp>`,
//! `<script>`, `<style>`, and anything under `translate="no"`), nor are URLs: only `alt`,
//! `title`, `aria-label` and `placeholder` among the attributes are words a reader sees.
//! Links to the site's pages are handed to `page_link`, so the mirror's pages link each
//! other; links to files (photos, attachments) stay, the files exist once.

use super::convert::Converter;

/// Elements whose text is shown as it is written.
const VERBATIM: [&str; 6] = ["code", "pre", "kbd", "samp", "script", "style"];
/// Attributes whose values are words for the reader.
const TEXT_ATTRIBUTES: [&str; 4] = ["alt", "title", "aria-label", "placeholder"];

/// `html` with its text converted and its page links passed through `page_link` (which
/// returns the new URL, or `None` to keep the link).
pub(crate) fn convert(
    cv: &Converter,
    html: &str,
    page_link: &dyn Fn(&str) -> Option<String>,
) -> String {
    let mut out = String::with_capacity(html.len() + html.len() / 8);
    // Nesting of verbatim elements (a `<code>` inside a `<pre>`), and of `translate="no"`
    // elements by tag name, closed by the matching end tag.
    let mut verbatim: Vec<String> = Vec::new();
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        text(cv, &rest[..lt], verbatim.is_empty(), &mut out);
        let tag = &rest[lt..];
        let next = tag.as_bytes().get(1).copied().unwrap_or(b' ');
        if tag.starts_with("<!--") {
            let end = tag.find("-->").map_or(tag.len(), |e| e + 3);
            out.push_str(&tag[..end]);
            rest = &tag[end..];
            continue;
        }
        if !(next.is_ascii_alphabetic() || next == b'/' || next == b'!') {
            // A `<` that starts no tag (`a < b` written raw): text.
            text(cv, "<", verbatim.is_empty(), &mut out);
            rest = &tag[1..];
            continue;
        }
        let end = tag_end(tag);
        let whole = &tag[..end];
        let closing = next == b'/';
        let name: String = whole[if closing { 2 } else { 1 }..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
            .map(|c| c.to_ascii_lowercase())
            .collect();
        let self_closing = whole.ends_with("/>");
        if closing {
            if verbatim.last() == Some(&name) {
                verbatim.pop();
            }
            out.push_str(whole);
        } else {
            let untranslated = attributes(cv, whole, verbatim.is_empty(), page_link, &mut out);
            if !self_closing
                && (VERBATIM.contains(&name.as_str()) || untranslated)
                && !is_void(&name)
            {
                verbatim.push(name);
            }
        }
        rest = &tag[end..];
    }
    text(cv, rest, verbatim.is_empty(), &mut out);
    out
}

fn text(cv: &Converter, t: &str, convert: bool, out: &mut String) {
    if convert {
        cv.convert_into(t, out);
    } else {
        out.push_str(t);
    }
}

fn is_void(name: &str) -> bool {
    matches!(
        name,
        "br" | "hr" | "img" | "input" | "meta" | "link" | "source" | "wbr" | "col" | "area"
    )
}

/// Where a tag ends: after its `>`, quotes respected.
fn tag_end(tag: &str) -> usize {
    let mut quote: Option<u8> = None;
    for (i, b) in tag.bytes().enumerate().skip(1) {
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if b == b'"' || b == b'\'' => quote = Some(b),
            None if b == b'>' => return i + 1,
            None => {}
        }
    }
    tag.len()
}

/// A start tag with its reader-facing attribute values converted and its `href` passed on;
/// true if it says `translate="no"`.
fn attributes(
    cv: &Converter,
    tag: &str,
    convert: bool,
    page_link: &dyn Fn(&str) -> Option<String>,
    out: &mut String,
) -> bool {
    let mut untranslated = false;
    let bytes = tag.as_bytes();
    let mut copied = 0;
    let mut i = 1;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'"' || b == b'\'' {
            // A quoted value not preceded by a name we handle: skip it whole.
            i = tag[i + 1..]
                .find(b as char)
                .map_or(bytes.len(), |e| i + e + 2);
            continue;
        }
        if b != b'=' {
            i += 1;
            continue;
        }
        let name_end = i;
        let name_start = tag[..name_end]
            .rfind(|c: char| c.is_ascii_whitespace())
            .map_or(name_end, |s| s + 1);
        let name = tag[name_start..name_end].to_ascii_lowercase();
        let Some(&q) = bytes.get(i + 1) else { break };
        if q != b'"' && q != b'\'' {
            i += 1;
            continue;
        }
        let value_start = i + 2;
        let Some(len) = tag[value_start..].find(q as char) else {
            break;
        };
        let value = &tag[value_start..value_start + len];
        untranslated |= name == "translate" && value == "no";
        let replaced = if name == "href" {
            page_link(value)
        } else if convert && TEXT_ATTRIBUTES.contains(&name.as_str()) {
            Some(cv.convert(value))
        } else {
            None
        };
        if let Some(new) = replaced {
            out.push_str(&tag[copied..value_start]);
            out.push_str(&new);
            copied = value_start + len;
        }
        i = value_start + len + 1;
    }
    out.push_str(&tag[copied..]);
    untranslated
}

#[cfg(test)]
mod tests {
    use super::super::convert::{Converter, Variant};
    use super::convert;

    fn mirror_link(url: &str) -> Option<String> {
        url.ends_with('/').then(|| format!("/zh-hant{url}"))
    }

    #[test]
    fn text_converts_markup_and_code_do_not() {
        let cv = Converter::new(Variant::Tw, &[], &[]);
        let html = "<p>软件<a href=\"/cases/x/\" title=\"网络\">网络</a> <code>软件</code></p>\
                    <pre><code class=\"language-rust\">// 软件\n</code></pre>\
                    <img src=\"/cases/x/图.jpg\" alt=\"长者食堂\"><!-- 软件 --><p translate=\"no\">软件<b>软件</b></p>软件";
        assert_eq!(
            convert(&cv, html, &mirror_link),
            "<p>軟體<a href=\"/zh-hant/cases/x/\" title=\"網路\">網路</a> <code>软件</code></p>\
             <pre><code class=\"language-rust\">// 软件\n</code></pre>\
             <img src=\"/cases/x/图.jpg\" alt=\"長者食堂\"><!-- 软件 --><p translate=\"no\">软件<b>软件</b></p>軟體"
        );
    }

    #[test]
    fn a_stray_angle_bracket_is_text() {
        let cv = Converter::new(Variant::Tw, &[], &[]);
        assert_eq!(convert(&cv, "1 < 2 软件", &mirror_link), "1 < 2 軟體");
    }
}
