//! Fingerprinted stylesheets and scripts: `herald build` also writes each CSS and JS file of
//! the theme (or the site's `static/` file that replaces it) as `style.<hash>.css`, and the
//! pages link that name. A name whose content never changes can be cached for a year
//! (docs/deploy.md: nginx; S3 objects get the same header from `herald deploy`), and a
//! changed theme is a new name, so no visitor keeps a stale stylesheet.
//!
//! Done on the finished pages, like relative mode, so templates keep writing
//! `url_for(path="css/style.css")`. The plain name is written too, for anything that names it
//! directly. `herald serve` serves the plain names: the preview never caches.

use std::path::Path;

use sha2::{Digest, Sha256};

use crate::model::Site;
use crate::render::templates::ThemeFile;
use crate::render::Templates;

/// (plain URL in quotes, fingerprinted URL in quotes) and the files to write.
#[derive(Debug, Default)]
pub struct Fingerprints {
    replace: Vec<(String, String)>,
    /// Finds every `from` of `replace` in one pass.
    finder: Option<aho_corasick::AhoCorasick>,
    /// (fingerprinted output path, bytes).
    pub files: Vec<(String, Vec<u8>)>,
}

fn wants(rel: &str) -> bool {
    rel.ends_with(".css") || rel.ends_with(".js")
}

/// `css/style.css` with `bytes` → `css/style.3f9a1c2b5d.css`.
fn hashed_path(rel: &str, bytes: &[u8]) -> String {
    let hash: String = Sha256::digest(bytes)[..5]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    match rel.rsplit_once('.') {
        Some((stem, ext)) => format!("{stem}.{hash}.{ext}"),
        None => format!("{rel}.{hash}"),
    }
}

impl Fingerprints {
    /// A hash of the names it gives: a page linking a stylesheet changes when its name does.
    pub(crate) fn digest(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        self.replace.hash(&mut h);
        h.finish()
    }
}

pub(crate) fn plan(site: &Site, templates: &Templates) -> Fingerprints {
    let mut out = Fingerprints::default();
    let mut add = |rel: &str, bytes: Vec<u8>| {
        let hashed = hashed_path(rel, &bytes);
        out.replace.push((
            format!("\"{}\"", site.config.url(rel)),
            format!("\"{}\"", site.config.url(&hashed)),
        ));
        out.files.push((hashed, bytes));
    };
    let from_site: std::collections::HashMap<&str, &Path> = site
        .assets
        .iter()
        .map(|a| (a.path.as_str(), a.file.as_path()))
        .collect();
    for (rel, file) in templates.static_files.iter().filter(|(r, _)| wants(r)) {
        // The site's own file of that name is the one published.
        let bytes = match (from_site.get(rel.as_str()), file) {
            (Some(path), _) => std::fs::read(path).ok(),
            (None, ThemeFile::Embedded(b)) => Some(b.to_vec()),
            (None, ThemeFile::Disk(path)) => std::fs::read(path).ok(),
        };
        // An unreadable file is reported by the copy that follows; it is just not renamed.
        if let Some(bytes) = bytes {
            add(rel, bytes);
        }
    }
    // Leftmost-first over distinct quoted URLs: the same replacements `str::replace` made
    // one name at a time.
    out.finder = aho_corasick::AhoCorasick::new(out.replace.iter().map(|(from, _)| from)).ok();
    out
}

/// `css/style.3f9a1c2b5d.css` → `css/style.css`: the plain name of a fingerprinted one.
pub(crate) fn plain_of(path: &str) -> Option<String> {
    let (rest, ext) = path.rsplit_once('.')?;
    let (stem, hash) = rest.rsplit_once('.')?;
    (wants(path) && hash.len() == 10 && hash.bytes().all(|b| b.is_ascii_hexdigit()))
        .then(|| format!("{stem}.{ext}"))
}

impl Fingerprints {
    /// `html` with each `"…/style.css"` attribute value replaced by its fingerprinted name;
    /// `None` when it names none. One pass over the page for all the names (this runs on
    /// every page of a build), on bytes: a rendered page needs no UTF-8 check for it.
    pub(crate) fn apply(&self, html: &[u8]) -> Option<Vec<u8>> {
        let finder = self.finder.as_ref()?;
        let mut matches = finder.find_iter(html).peekable();
        matches.peek()?;
        let mut out = Vec::with_capacity(html.len() + 64);
        let mut last = 0;
        for m in matches {
            out.extend_from_slice(&html[last..m.start()]);
            out.extend_from_slice(self.replace[m.pattern().as_usize()].1.as_bytes());
            last = m.end();
        }
        out.extend_from_slice(&html[last..]);
        Some(out)
    }
}

#[cfg(test)]
mod tests {
    use super::hashed_path;

    #[test]
    fn the_hash_goes_before_the_extension() {
        let p = hashed_path("css/style.css", b"body{}");
        assert!(
            p.starts_with("css/style.") && p.ends_with(".css") && p.len() == 24,
            "{p}"
        );
        assert_ne!(p, hashed_path("css/style.css", b"body{color:red}"));
        assert_eq!(super::plain_of(&p).as_deref(), Some("css/style.css"));
        assert_eq!(super::plain_of("css/style.css"), None);
    }
}
