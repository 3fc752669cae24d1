//! Links and images in Markdown: `.md` files become their pages' URLs (with `#anchor`s kept
//! for checking), files beside a page become their output URLs, and anything that points
//! nowhere is an error with its line.

use pulldown_cmark::CowStr;

use super::{AnchorRef, Input, Links, Rendered};
use crate::error::{Error, LinkProblem, Location};

/// The scheme of `url` if the site's URL rules (`paths::check_url`) refuse it
/// (`javascript:`, `data:`, `file:`…); links, images and `figure` sources all ask here.
pub(super) fn refused_scheme(url: &str) -> Option<String> {
    match crate::paths::check_url(url) {
        Err(crate::paths::UrlProblem::Scheme(scheme)) => Some(scheme),
        _ => None,
    }
}

fn is_external(url: &str) -> bool {
    let scheme_end = url.find(':');
    let slash = url.find('/');
    match (scheme_end, slash) {
        (Some(c), Some(s)) => c < s,
        (Some(_), None) => true,
        _ => url.starts_with("//"),
    }
}

/// Normalises `a/b/../c` relative to `dir`; `None` if it climbs out of `content/`.
pub fn join_rel(dir: &str, rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = if rel.starts_with('/') {
        Vec::new()
    } else {
        dir.split('/').filter(|p| !p.is_empty()).collect()
    };
    for p in rel.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_string())
}

#[allow(clippy::too_many_arguments)]
pub(super) fn resolve_link<'a>(
    dest: &CowStr<'a>,
    input: &Input,
    links: &dyn Links,
    at: Location,
    rendered: &mut Rendered,
    errors: &mut Vec<Error>,
    is_image: bool,
) -> CowStr<'a> {
    let raw = dest.as_ref();
    if raw.is_empty() || is_external(raw) {
        return dest.clone();
    }
    if let Some(anchor) = raw.strip_prefix('#') {
        rendered.anchors.push(AnchorRef {
            target: String::new(),
            anchor: percent_decode(anchor),
            written: raw.to_string(),
            at,
        });
        return dest.clone();
    }
    let (path_part, anchor) = match raw.split_once('#') {
        Some((p, a)) => (p, Some(a)),
        None => (raw, None),
    };
    let (path_part, query) = match path_part.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (path_part, None),
    };
    let decoded = percent_decode(path_part);
    let Some(rel) = join_rel(input.dir, &decoded) else {
        errors.push(Error::BrokenLink {
            at,
            target: raw.to_string(),
            problem: LinkProblem::MissingFile,
        });
        return dest.clone();
    };
    let is_markdown = decoded.to_ascii_lowercase().ends_with(".md");
    if is_markdown && !is_image {
        match links.page_url(&rel) {
            Some(url) => {
                if let Some(a) = anchor {
                    rendered.anchors.push(AnchorRef {
                        target: rel,
                        anchor: percent_decode(a),
                        written: raw.to_string(),
                        at,
                    });
                    return CowStr::from(format!("{url}#{a}"));
                }
                return CowStr::from(url);
            }
            None => {
                errors.push(Error::BrokenLink {
                    at,
                    target: raw.to_string(),
                    problem: LinkProblem::MissingFile,
                });
                return dest.clone();
            }
        }
    }
    if decoded.starts_with('/') {
        // Root-relative: a page URL or a static file; prefix the base path for sub-folder sites.
        if let Some(url) = links.asset_url(&rel) {
            return CowStr::from(with_suffix(url, query, anchor));
        }
        let base = links.base_path();
        return CowStr::from(format!("{}{}", base.trim_end_matches('/'), raw));
    }
    match links.asset_url(&rel) {
        Some(url) => CowStr::from(with_suffix(url, query, anchor)),
        // A folder or an extensionless page URL (`./foo`, `.`, `foo/`) is left as written.
        None if !has_extension(&decoded) => dest.clone(),
        None => {
            errors.push(Error::BrokenLink {
                at,
                target: raw.to_string(),
                problem: LinkProblem::MissingAsset,
            });
            dest.clone()
        }
    }
}

fn has_extension(path: &str) -> bool {
    let last = path.rsplit('/').next().unwrap_or("");
    std::path::Path::new(last).extension().is_some()
}

fn with_suffix(mut url: String, query: Option<&str>, anchor: Option<&str>) -> String {
    if let Some(q) = query {
        url.push('?');
        url.push_str(q);
    }
    if let Some(a) = anchor {
        url.push('#');
        url.push_str(a);
    }
    url
}

#[cfg(test)]
mod tests {
    use super::refused_scheme;

    #[test]
    fn only_web_mail_and_phone_schemes_pass() {
        for ok in [
            "https://e.com",
            "HTTP://e.com",
            "mailto:a@b.c",
            "tel:110",
            "a/b:c",
            "#x:y",
            "./a.md",
            "",
        ] {
            assert_eq!(refused_scheme(ok), None, "{ok:?}");
        }
        for (bad, scheme) in [
            ("javascript:alert(1)", "javascript"),
            ("  JaVaScRiPt:x", "javascript"),
            ("java\tscript:x", "javascript"),
            ("\u{1}javascript:x", "javascript"),
            ("data:text/html,x", "data"),
            ("vbscript:x", "vbscript"),
            ("file:///etc/passwd", "file"),
            ("irc://foo", "irc"),
        ] {
            assert_eq!(refused_scheme(bad).as_deref(), Some(scheme), "{bad:?}");
        }
    }
}
