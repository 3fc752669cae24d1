//! The HTML of a photo Herald re-encodes: a `<picture>` whose WebP source a browser takes
//! when it can, and an `<img>` in the photo's own format otherwise, both with every width,
//! so a phone downloads the 960 px file rather than the 8 MB original. `width` and `height`
//! let the page keep the photo's place before it arrives (no layout shift).

use crate::images::Srcset;

/// `<picture>…<img …></picture>` for `s`. `lazy`: the browser fetches it only near the
/// viewport (every image but a page's first, which is likely in view).
pub(super) fn picture(
    s: &Srcset,
    sizes: &str,
    alt: &str,
    title: Option<&str>,
    lazy: bool,
) -> String {
    let mut h = String::with_capacity(256 + s.srcset.len() + s.webp_srcset.len());
    h.push_str("<picture>");
    if !s.webp_srcset.is_empty() {
        h.push_str("<source type=\"image/webp\" srcset=\"");
        h.push_str(&attr(&s.webp_srcset));
        h.push_str("\" sizes=\"");
        h.push_str(&attr(sizes));
        h.push_str("\">");
    }
    h.push_str("<img src=\"");
    h.push_str(&attr(&s.src));
    h.push_str("\" srcset=\"");
    h.push_str(&attr(&s.srcset));
    h.push_str("\" sizes=\"");
    h.push_str(&attr(sizes));
    h.push_str(&format!(
        "\" width=\"{}\" height=\"{}\" alt=\"",
        s.width, s.height
    ));
    h.push_str(&attr(alt));
    h.push('"');
    if let Some(t) = title.filter(|t| !t.is_empty()) {
        h.push_str(" title=\"");
        h.push_str(&attr(t));
        h.push('"');
    }
    if lazy {
        h.push_str(" loading=\"lazy\"");
    }
    h.push_str(" decoding=\"async\"></picture>");
    h
}

/// Escaped for a double-quoted attribute.
fn attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}
