//! Relative mode (`herald build --relative`, `relative_urls: true`): every internal URL of a
//! page is rewritten relative to that page, and a folder URL gets its `index.html`, so the
//! output works from any folder of any host and opened straight from disk (`file://`, a USB
//! stick handed to an IT office), where a browser shows a folder listing for `brands/x/`.
//!
//! It is done on the finished HTML rather than in each template and in the Markdown, so a
//! site's own templates, shortcodes and raw HTML in bodies are covered the same way: an
//! internal URL is one that starts with the site's base path (`/` or `/minzheng/`), in `href`,
//! `src`, `srcset`, `action`, `poster` and a redirect's `<meta http-equiv="refresh">`. Web
//! addresses (`https://…`, `//host/…`), `mailto:`, `#fragments` and URLs that are relative
//! already are left as written. The feed and the sitemap keep their absolute URLs: feed readers
//! and search engines need them.

/// `html`, the page at `out_path` (`cases/x/index.html`), with its internal URLs relative.
pub(crate) fn html(out_path: &str, html: &str, base_path: &str) -> String {
    // `cases/x/index.html` is two folders down: `../../` leads to the site's top.
    let up = "../".repeat(out_path.matches('/').count());
    let mut out = String::with_capacity(html.len() + html.len() / 16);
    let mut rest = html;
    while let Some((at, name_len, quote)) = next_attr(rest) {
        let value_start = at + name_len;
        out.push_str(&rest[..value_start]);
        let after = &rest[value_start..];
        let Some(end) = after.find(quote) else {
            out.push_str(after);
            return out;
        };
        let value = &after[..end];
        let name = &rest[at..value_start];
        if name.starts_with("srcset") {
            out.push_str(&srcset(value, &up, base_path));
        } else if name.starts_with("content") {
            out.push_str(&refresh(value, &up, base_path));
        } else {
            out.push_str(&url(value, &up, base_path));
        }
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

/// The next URL attribute: its offset, the length of `name=` plus the opening quote, and the
/// quote. Attribute names are matched after a space, as HTML writes them.
fn next_attr(s: &str) -> Option<(usize, usize, char)> {
    const NAMES: [&str; 6] = ["href=", "src=", "srcset=", "action=", "poster=", "content="];
    let mut from = 0;
    while let Some(i) = s[from..].find('=') {
        let eq = from + i;
        from = eq + 1;
        let &q = s.as_bytes().get(eq + 1)?;
        if q != b'"' && q != b'\'' {
            continue;
        }
        for name in NAMES {
            let start = (eq + 1).checked_sub(name.len());
            let Some(start) = start else { continue };
            if s.get(start..=eq) == Some(name)
                && start > 0
                && s.as_bytes()[start - 1].is_ascii_whitespace()
            {
                return Some((start, name.len() + 1, char::from(q)));
            }
        }
    }
    None
}

/// One URL: internal ones become `up` + their site path, with `index.html` for a folder.
fn url(value: &str, up: &str, base_path: &str) -> String {
    let Some(site_path) = value.strip_prefix(base_path) else {
        return value.to_string();
    };
    // `//host/x` is another host, whatever the base path.
    if value.starts_with("//") {
        return value.to_string();
    }
    let split = site_path.find(['?', '#']).unwrap_or(site_path.len());
    let (path, suffix) = site_path.split_at(split);
    let mut rel = String::with_capacity(up.len() + path.len() + 11 + suffix.len());
    rel.push_str(up);
    rel.push_str(path);
    if path.is_empty() || path.ends_with('/') {
        rel.push_str("index.html");
    }
    rel.push_str(suffix);
    rel
}

/// `a.jpg 480w, b.jpg 960w`: each candidate's URL.
fn srcset(value: &str, up: &str, base_path: &str) -> String {
    value
        .split(',')
        .map(|candidate| {
            let c = candidate.trim_start();
            let lead = &candidate[..candidate.len() - c.len()];
            let (u, descriptor) = c.split_once(' ').unwrap_or((c, ""));
            let sep = if descriptor.is_empty() { "" } else { " " };
            format!("{lead}{}{sep}{descriptor}", url(u, up, base_path))
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// `0; url=/new/`, the redirect of an alias page; any other `content` is left alone.
fn refresh(value: &str, up: &str, base_path: &str) -> String {
    match value.split_once("url=") {
        Some((delay, target)) if delay.trim_end_matches([' ', ';']).parse::<u32>().is_ok() => {
            format!("{delay}url={}", url(target, up, base_path))
        }
        _ => value.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::html;

    #[test]
    fn internal_urls_become_relative_and_folders_get_index_html() {
        let page = r##"<a href="/">首页</a> <a href="/brands/foo/#x">品牌</a> <link rel="stylesheet" href="/css/style.css"> <img src="/cases/a/p.jpg" srcset="/cases/a/p-480w.jpg 480w, /cases/a/p.jpg 1600w"> <a href="https://e.org/">外</a> <a href="//cdn/x">cdn</a> <a href="#top">顶</a> <a href="mailto:a@b.c">信</a> <a href="../x.html">相对</a> <meta name="description" content="/not/a/url"> <meta http-equiv="refresh" content="0; url=/cases/b/"> <p>href="/text"</p>"##;
        let out = html("cases/a/index.html", page, "/");
        for want in [
            r#"href="../../index.html""#,
            r#"href="../../brands/foo/index.html#x""#,
            r#"href="../../css/style.css""#,
            r#"src="../../cases/a/p.jpg""#,
            r#"srcset="../../cases/a/p-480w.jpg 480w, ../../cases/a/p.jpg 1600w""#,
            r#"href="https://e.org/""#,
            r#"href="//cdn/x""#,
            r##"href="#top""##,
            r#"href="mailto:a@b.c""#,
            r#"href="../x.html""#,
            r#"content="/not/a/url""#,
            r#"content="0; url=../../cases/b/index.html""#,
            r#"<p>href="/text"</p>"#,
        ] {
            assert!(out.contains(want), "{want} not in\n{out}");
        }
        assert_eq!(
            html("index.html", r#"<a href="/m/x/">x</a>"#, "/m/"),
            r#"<a href="x/index.html">x</a>"#
        );
    }
}
