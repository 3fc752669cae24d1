//! Where a site's words may lead. Every URL, site path and file path that comes from a site
//! (front matter, site.yaml, Markdown, shortcodes, the folders themselves) is checked here, so
//! that nothing a site says reaches outside it: one set of rules, not a patch per field.
//!
//! Three kinds of thing are checked:
//! - **URLs a user writes** (menu entries, covers, links): only `http`, `https`, `mailto`,
//!   `tel`, relative paths and fragments; `javascript:`, `data:`, `file:` and the like are refused.
//! - **Site paths** (aliases): a path of this site, never `..`, a backslash, a scheme, a host or
//!   an encoded escape; it becomes a file under the output folder.
//! - **Files on disk** (content, static, themes, templates): a symbolic link is followed only
//!   while it stays inside the site's folder.

use std::cell::RefCell;
use std::path::{Path, PathBuf};

use crate::error::{Error, Location};

/// What a user-written URL is, once it passed the rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum UrlKind {
    /// `http://…`, `https://…` or `//host/…`.
    Web,
    Mail,
    Phone,
    /// A path: `a.md`, `../b/`, `/about/`, `a.md#x`.
    Relative,
    /// `#x` only.
    Fragment,
}

/// Why a URL or path written in a site is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UrlProblem {
    /// A scheme other than http, https, mailto and tel (`javascript:`, `file:`, `C:`).
    Scheme(String),
    /// A backslash: Windows writes paths with `\`, URLs use `/`.
    Backslash,
    /// A `..` part (also written `%2e%2e`), which would leave the folder it is in.
    ParentDir,
    /// An encoded `/`, `\`, `.` or `%` (`%2f`, `%5c`, `%2e`, `%25`), or a `%` that encodes nothing.
    EncodedEscape,
    /// Another host (`//example.org/x`) where only this site's paths are allowed.
    OtherHost,
    /// A character a file name cannot hold on Windows or the web (`<>:"|?*`, a control character).
    BadCharacter(char),
    /// `a//b`: an empty part.
    EmptyPart,
    /// `/home/…` or `C:\\…` where a path inside the site is expected.
    Absolute,
}

/// The schemes a publicity site links to.
const ALLOWED_SCHEMES: &[(&str, UrlKind)] = &[
    ("http", UrlKind::Web),
    ("https", UrlKind::Web),
    ("mailto", UrlKind::Mail),
    ("tel", UrlKind::Phone),
];

/// The scheme of `url` as a browser reads it (lower case), if it has one. Browsers drop tabs
/// and line breaks anywhere in a URL and control characters and spaces at its ends, so
/// `java\tscript:` is `javascript:`; a colon after a `/`, `?` or `#` is part of a path.
fn scheme(url: &str) -> Option<String> {
    // Most URLs have no colon at all: nothing to allocate for them.
    if !url.contains(':') {
        return None;
    }
    let cleaned: String = url
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let end = cleaned.find([':', '/', '?', '#', '\\'])?;
    if cleaned.as_bytes().get(end) != Some(&b':') || end == 0 {
        return None;
    }
    let name = &cleaned[..end];
    let mut chars = name.chars();
    let valid = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    valid.then(|| name.to_ascii_lowercase())
}

/// Checks a URL a user wrote (a menu entry, a cover, a link). Relative paths are not resolved
/// here: the caller looks them up among the site's files.
pub(crate) fn check_url(raw: &str) -> Result<UrlKind, UrlProblem> {
    let url = raw.trim();
    if let Some(name) = scheme(url) {
        return ALLOWED_SCHEMES
            .iter()
            .find(|(s, _)| *s == name)
            .map(|(_, kind)| *kind)
            .ok_or(UrlProblem::Scheme(name));
    }
    if let Some(c) = url.chars().find(|c| c.is_control()) {
        return Err(UrlProblem::BadCharacter(c));
    }
    if url.contains('\\') {
        return Err(UrlProblem::Backslash);
    }
    if url.starts_with("//") {
        return Ok(UrlKind::Web);
    }
    if url.starts_with('#') {
        return Ok(UrlKind::Fragment);
    }
    Ok(UrlKind::Relative)
}

/// Decodes `%XX` escapes; an escape of `/`, `\` or `.`, or a `%` that escapes nothing, is
/// refused, since it can only be there to hide a path from a check like this one.
fn decode_escapes(raw: &str) -> Result<String, UrlProblem> {
    let bytes = raw.as_bytes();
    let mut i = 0;
    while let Some(at) = bytes[i..].iter().position(|&b| b == b'%') {
        let at = i + at;
        let hex = bytes
            .get(at + 1..at + 3)
            .and_then(|h| std::str::from_utf8(h).ok());
        match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
            Some(b'/' | b'\\' | b'.' | b'%' | 0) | None => return Err(UrlProblem::EncodedEscape),
            Some(_) => i = at + 3,
        }
    }
    percent_encoding::percent_decode_str(raw)
        .decode_utf8()
        .map(|s| s.into_owned())
        .map_err(|_| UrlProblem::EncodedEscape)
}

/// Checks a path of this site (an alias) and returns it as a path below the output folder:
/// `/old/page` → `old/page/`, `/old.html` → `old.html`, `/` → `` (the home page).
pub(crate) fn site_path(raw: &str) -> Result<String, UrlProblem> {
    let raw = raw.trim();
    if let Some(name) = scheme(raw) {
        return Err(if ALLOWED_SCHEMES.iter().any(|(s, _)| *s == name) {
            UrlProblem::OtherHost
        } else {
            UrlProblem::Scheme(name)
        });
    }
    if raw.contains('\\') {
        return Err(UrlProblem::Backslash);
    }
    if raw.starts_with("//") {
        return Err(UrlProblem::OtherHost);
    }
    let decoded = decode_escapes(raw)?;
    let trimmed = decoded.trim_start_matches('/');
    let is_file = trimmed.ends_with(".html") || trimmed.ends_with(".htm");
    let body = trimmed.strip_suffix('/').unwrap_or(trimmed);
    let mut out = String::with_capacity(body.len() + 1);
    for part in body.split('/').filter(|_| !body.is_empty()) {
        check_name(part)?;
        out.push_str(part);
        out.push('/');
    }
    if is_file {
        out.pop();
    }
    Ok(out)
}

/// One part of a path: a name a file or folder can have on Linux, macOS and Windows alike.
fn check_name(part: &str) -> Result<(), UrlProblem> {
    match part {
        "" => Err(UrlProblem::EmptyPart),
        "." | ".." => Err(UrlProblem::ParentDir),
        _ => match part
            .chars()
            .find(|&c| c.is_control() || matches!(c, '<' | '>' | ':' | '"' | '|' | '?' | '*'))
        {
            Some(c) => Err(UrlProblem::BadCharacter(c)),
            None => Ok(()),
        },
    }
}

/// An output file's path below the output folder (`cases/a/index.html`): every part a plain
/// name. Whatever made the path (a slug, a folder, an alias, a static file), this is the last
/// word before anything is written.
pub(crate) fn output_file(path: &str) -> Result<(), UrlProblem> {
    if path.contains('\\') {
        return Err(UrlProblem::Backslash);
    }
    if path.starts_with('/') {
        return Err(UrlProblem::Absolute);
    }
    path.split('/').try_for_each(check_name)
}

/// A folder name (a theme): one plain name, no path.
pub(crate) fn is_folder_name(name: &str) -> bool {
    !name.contains(['/', '\\']) && check_name(name).is_ok() && !name.starts_with('.')
}

/// A path relative to some folder (`2026/长者食堂`, a template name): its parts are names, no
/// `..`, not absolute. Returns the parts.
pub(crate) fn relative_parts(raw: &str) -> Result<Vec<&str>, UrlProblem> {
    let drive =
        raw.len() >= 2 && raw.as_bytes()[1] == b':' && raw.as_bytes()[0].is_ascii_alphabetic();
    if drive || raw.starts_with('/') || raw.starts_with('\\') {
        return Err(UrlProblem::Absolute);
    }
    if let Some(name) = scheme(raw) {
        return Err(UrlProblem::Scheme(name));
    }
    if raw.contains('\\') {
        return Err(UrlProblem::Backslash);
    }
    let parts: Vec<&str> = raw.split('/').collect();
    for p in &parts {
        check_name(p)?;
    }
    Ok(parts)
}

/// The site's folder, resolved once, against which every file is checked.
#[derive(Debug, Clone)]
pub struct SiteRoot {
    /// As the user named it (errors show paths relative to it).
    pub given: PathBuf,
    /// With links and `..` resolved.
    resolved: PathBuf,
}

impl SiteRoot {
    pub fn new(root: &Path) -> SiteRoot {
        SiteRoot {
            given: root.to_path_buf(),
            resolved: root.canonicalize().unwrap_or_else(|_| root.to_path_buf()),
        }
    }

    fn shown(&self, path: &Path) -> PathBuf {
        path.strip_prefix(&self.given)
            .map(Path::to_path_buf)
            .unwrap_or_else(|_| path.to_path_buf())
    }

    /// Fails when `path` is a symbolic link (or lies under one) that leads outside the site.
    /// The error names the link and where it points, never what is there.
    pub fn check_inside(&self, path: &Path) -> Result<(), Error> {
        match path.canonicalize() {
            Ok(real) if real.starts_with(&self.resolved) => Ok(()),
            Ok(real) => Err(Error::LinkOutside {
                at: Location::file(self.shown(path)),
                target: std::fs::read_link(path).unwrap_or(real),
            }),
            // A broken link: reading it fails with the usual message where it is used.
            Err(_) => Ok(()),
        }
    }

    /// Lists the files under `dir` (sorted, editor leftovers skipped), each as its path
    /// relative to `dir` with `/` and its path on disk. Links inside the site are followed
    /// (walkdir stops loops); a link leading outside is an error and is not entered.
    pub fn files(&self, dir: &Path) -> (Vec<(String, PathBuf)>, Vec<Error>) {
        let mut files = Vec::new();
        let errors = RefCell::new(Vec::new());
        if !dir.exists() && std::fs::symlink_metadata(dir).is_err() {
            return (files, Vec::new());
        }
        let walker = walkdir::WalkDir::new(dir)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| {
                let keep = e.depth() == 0
                    || !crate::content::load::is_ignored_name(&e.file_name().to_string_lossy());
                if keep && (e.path_is_symlink() || e.depth() == 0) {
                    if let Err(err) = self.check_inside(e.path()) {
                        errors.borrow_mut().push(err);
                        return false;
                    }
                }
                keep
            });
        for entry in walker {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    if e.loop_ancestor().is_some() {
                        // A link back to an ancestor folder: its files are listed already.
                        continue;
                    }
                    let path = e
                        .path()
                        .map_or_else(|| dir.to_path_buf(), Path::to_path_buf);
                    let message = e.to_string();
                    errors.borrow_mut().push(match e.into_io_error() {
                        Some(io) => Error::io(&self.shown(&path), "list folder", io),
                        None => Error::Invalid {
                            at: Location::file(self.shown(&path)),
                            message,
                        },
                    });
                    continue;
                }
            };
            if !entry.file_type().is_file() {
                continue;
            }
            let Ok(rel) = entry.path().strip_prefix(dir) else {
                continue;
            };
            let rel = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            files.push((rel, entry.into_path()));
        }
        (files, errors.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_web_mail_phone_and_relative_urls_pass() {
        assert_eq!(check_url("https://example.org/"), Ok(UrlKind::Web));
        assert_eq!(check_url("HTTP://example.org/"), Ok(UrlKind::Web));
        assert_eq!(check_url("mailto:a@b.cn"), Ok(UrlKind::Mail));
        assert_eq!(check_url("tel:+86-10-1234"), Ok(UrlKind::Phone));
        assert_eq!(check_url("../a.md#x"), Ok(UrlKind::Relative));
        assert_eq!(check_url("/about/"), Ok(UrlKind::Relative));
        assert_eq!(check_url("a/b:c"), Ok(UrlKind::Relative));
        assert_eq!(check_url("#主要做法"), Ok(UrlKind::Fragment));
        for bad in [
            "javascript:alert(1)",
            " JavaScript:alert(1)",
            "java\tscript:alert(1)",
            "java\nscript:alert(1)",
            "\u{1}javascript:x",
            "data:text/html,x",
            "vbscript:x",
            "file:///etc/passwd",
            "C:\\Users\\a.jpg",
        ] {
            assert!(
                matches!(check_url(bad), Err(UrlProblem::Scheme(_))),
                "{bad:?}"
            );
        }
        assert_eq!(check_url("img\\a.jpg"), Err(UrlProblem::Backslash));
    }

    #[test]
    fn aliases_stay_in_the_site() {
        assert_eq!(site_path("/old/page").as_deref(), Ok("old/page/"));
        assert_eq!(site_path("old/page/").as_deref(), Ok("old/page/"));
        assert_eq!(site_path("/old.html").as_deref(), Ok("old.html"));
        assert_eq!(site_path("/").as_deref(), Ok(""));
        assert_eq!(site_path("/%E6%97%A7/").as_deref(), Ok("旧/"));
        assert_eq!(site_path("/../../x/"), Err(UrlProblem::ParentDir));
        assert_eq!(site_path("../../../x/"), Err(UrlProblem::ParentDir));
        assert_eq!(site_path("/a/./b"), Err(UrlProblem::ParentDir));
        assert_eq!(site_path("/%2e%2e/x/"), Err(UrlProblem::EncodedEscape));
        assert_eq!(site_path("/%2E%2E%2Fx/"), Err(UrlProblem::EncodedEscape));
        assert_eq!(site_path("/a%5cb"), Err(UrlProblem::EncodedEscape));
        assert_eq!(site_path("/a%zz"), Err(UrlProblem::EncodedEscape));
        assert_eq!(site_path("/%252e%252e/"), Err(UrlProblem::EncodedEscape));
        assert_eq!(site_path("\\..\\x"), Err(UrlProblem::Backslash));
        assert_eq!(site_path("//evil.example/x"), Err(UrlProblem::OtherHost));
        assert_eq!(site_path("https://a.cn/x"), Err(UrlProblem::OtherHost));
        assert!(matches!(
            site_path("javascript:x"),
            Err(UrlProblem::Scheme(_))
        ));
        assert_eq!(site_path("/a//b/"), Err(UrlProblem::EmptyPart));
        assert_eq!(site_path("/a?b=1"), Err(UrlProblem::BadCharacter('?')));
    }

    #[test]
    fn output_files_are_plain_names_below_the_output() {
        assert_eq!(output_file("cases/a/index.html"), Ok(()));
        assert_eq!(output_file("旧/b.html"), Ok(()));
        assert_eq!(output_file("../x/index.html"), Err(UrlProblem::ParentDir));
        assert_eq!(output_file("/etc/x"), Err(UrlProblem::Absolute));
        assert_eq!(output_file("a//b"), Err(UrlProblem::EmptyPart));
        assert_eq!(output_file("a\\b"), Err(UrlProblem::Backslash));
    }

    #[test]
    fn folder_and_relative_names() {
        assert!(is_folder_name("zhengwu"));
        assert!(!is_folder_name("/"));
        assert!(!is_folder_name("/usr/share"));
        assert!(!is_folder_name(".."));
        assert!(!is_folder_name("a/b"));
        assert!(relative_parts("2026/长者食堂").is_ok());
        assert_eq!(relative_parts("/abs/path"), Err(UrlProblem::Absolute));
        assert_eq!(relative_parts("C:\\Users\\a"), Err(UrlProblem::Absolute));
        assert!(relative_parts("../x").is_err());
        assert!(relative_parts("a\\b").is_err());
    }
}
