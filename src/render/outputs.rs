//! Where every output lands, and the rule that no two land on the same file: a page, an alias,
//! a list, the feed, the sitemap, robots.txt, the 404 page, a theme file and a copied file each
//! claim their path, and a second claim is an error naming both. Nothing Herald generates is
//! ever replaced by a site's file, and no file turns a generated one into a folder.
//!
//! Paths are compared without case: on Windows and macOS `About.html` and `about.html` are one file.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::error::{Diagnostics, Error, Generated, Location, Producer};
use crate::model::Site;
use crate::render::templates::Templates;
use crate::render::{jobs_of, path_of, Job};

/// Who claimed a path: what it is and where it is written.
#[derive(Clone)]
struct Claimant {
    producer: Producer,
    at: Option<Location>,
}

#[derive(Default)]
struct Claims {
    /// Folded output file path → its first claimant and the path as written.
    files: HashMap<String, (Claimant, String)>,
    /// Folded folder path (`cases/a/`) → the first claimant of a file inside it.
    folders: HashMap<String, Claimant>,
    diags: Diagnostics,
}

/// Most paths are lower case already (slugs are): those are not copied.
fn fold(path: &str) -> std::borrow::Cow<'_, str> {
    if path.chars().any(char::is_uppercase) {
        std::borrow::Cow::Owned(path.to_lowercase())
    } else {
        std::borrow::Cow::Borrowed(path)
    }
}

/// The URL a user knows an output by: `cases/a/index.html` → `/cases/a/`.
fn shown_url(path: &str) -> String {
    match path.strip_suffix("index.html") {
        Some(dir) if dir.is_empty() || dir.ends_with('/') => format!("/{dir}"),
        _ => format!("/{path}"),
    }
}

impl Claims {
    fn claim(&mut self, path: &str, who: Claimant) {
        if let Err(problem) = crate::paths::output_file(path) {
            // Not reachable from a site today (every source of a path is checked before);
            // kept as the one last check before anything is written.
            let at = who.at.unwrap_or_else(|| Location::file(path));
            self.diags.error(Error::BadUrl {
                at,
                key: "output".into(),
                url: path.to_string(),
                problem,
            });
            return;
        }
        let key = fold(path);
        let key = key.as_ref();
        let clash = if let Some((first, _)) = self.files.get(key) {
            Some(first.clone())
        } else if let Some(first) = self.folders.get(&format!("{key}/")) {
            // A file where another output needs a folder (`atom.xml/index.html`).
            Some(first.clone())
        } else {
            ancestors(key).find_map(|dir| {
                self.files
                    .get(dir.trim_end_matches('/'))
                    .map(|(first, _)| first.clone())
            })
        };
        if let Some(first) = clash {
            self.clash(path, who, first);
            return;
        }
        for dir in ancestors(key) {
            if !self.folders.contains_key(dir) {
                self.folders.insert(dir.to_string(), who.clone());
            }
        }
        self.files.insert(key.to_string(), (who, path.to_string()));
    }

    /// Reports at the claimant that has a place to point at: the later file, else the earlier.
    fn clash(&mut self, path: &str, second: Claimant, first: Claimant) {
        let (at, other) = match (second.at, first.at) {
            (Some(at), _) => (at, first.producer),
            (None, Some(at)) => (at, second.producer),
            // Two things Herald generates: not the user's mistake, and not possible today.
            (None, None) => return,
        };
        self.diags.error(Error::DuplicateUrl {
            at,
            url: shown_url(path),
            other,
        });
    }
}

/// `a/b/c.html` → `a/`, `a/b/`.
fn ancestors(path: &str) -> impl Iterator<Item = &str> {
    path.match_indices('/').map(move |(i, _)| &path[..=i])
}

fn generated(kind: Generated) -> Claimant {
    Claimant {
        producer: Producer::Generated(kind),
        at: None,
    }
}

fn file(path: &Path, at: Option<Location>) -> Claimant {
    Claimant {
        at: Some(at.unwrap_or_else(|| Location::file(path))),
        producer: Producer::File(path.to_path_buf()),
    }
}

/// What makes the output of `job`.
fn claimant(site: &Site, job: &Job) -> Claimant {
    let site_yaml = || Some(Location::file(crate::config::SITE_FILE));
    match *job {
        Job::Home => generated(Generated::Home),
        Job::NotFound => generated(Generated::NotFound),
        Job::Feed => generated(Generated::Feed),
        Job::Sitemap => generated(Generated::Sitemap),
        Job::Robots => generated(Generated::Robots),
        Job::HighlightCss => generated(Generated::HighlightCss),
        Job::BrandsIndex => generated(Generated::BrandsIndex),
        Job::Search => generated(Generated::Search),
        Job::TaxonomyIndex(_) | Job::Term { .. } => Claimant {
            producer: Producer::Generated(Generated::Taxonomy),
            at: site_yaml(),
        },
        Job::Section { id, .. } => match &site.sections[id].file {
            Some(f) => file(f, None),
            None => generated(Generated::SectionList),
        },
        Job::Page(id) => file(&site.pages[id].file, None),
        Job::Brand(b) => file(&site.brands[b].file, None),
        Job::Redirect(i) => {
            let r = &site.redirects[i];
            file(&r.at.path, Some(r.at.clone()))
        }
    }
}

/// Shows a file on disk relative to the site (copied files are known by their full path).
fn shown(site: &Site, path: &Path) -> PathBuf {
    path.strip_prefix(&site.config.root)
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| path.to_path_buf())
}

/// Checks that every output of the site has a path of its own.
pub(crate) fn check(site: &Site, templates: &Templates) -> Result<(), Diagnostics> {
    let mut claims = Claims::default();
    let jobs = jobs_of(site);
    // Generated outputs first, so a site's file that lands on one is the one reported.
    let (fixed, from_site): (Vec<&Job>, Vec<&Job>) = jobs.iter().partition(|j| {
        matches!(
            j,
            Job::Home
                | Job::NotFound
                | Job::Feed
                | Job::Sitemap
                | Job::Robots
                | Job::HighlightCss
                | Job::BrandsIndex
                | Job::Search
        )
    });
    for job in fixed {
        claims.claim(&path_of(site, job), claimant(site, job));
    }
    claims.claim(crate::search::META, generated(Generated::Search));
    if site.config.zh_hant.is_some() {
        // The whole folder: nothing of the site's may land inside the mirror.
        claims.claim(
            crate::hant::DIR.trim_end_matches('/'),
            generated(Generated::Mirror),
        );
    }
    // A site's own file replaces the theme's file of the same name (a logo, a stylesheet):
    // that is how a theme is adjusted, like templates/.
    let copied: std::collections::HashSet<String> = site
        .assets
        .iter()
        .map(|a| fold(&a.path).into_owned())
        .collect();
    for rel in templates.static_files.keys() {
        if !copied.contains(fold(rel).as_ref()) {
            claims.claim(rel, generated(Generated::ThemeFile));
        }
    }
    for job in from_site {
        claims.claim(&path_of(site, job), claimant(site, job));
    }
    for asset in &site.assets {
        let shown = shown(site, &asset.file);
        claims.claim(&asset.path, file(&shown, None));
        // A re-encoded photo's other widths (`photo-480w.jpg`, `photo-480w.webp`…) are its too.
        if let Some(Ok(h)) = site.images.get(&asset.path).map(|i| &i.header) {
            for v in crate::images::variants(&asset.path, h) {
                if v.path != asset.path {
                    claims.claim(&v.path, file(&shown, None));
                }
            }
        }
    }
    if claims.diags.errors.is_empty() {
        Ok(())
    } else {
        claims.diags.sort();
        Err(claims.diags)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn who(name: &str) -> Claimant {
        file(Path::new(name), None)
    }

    #[test]
    fn a_second_claim_and_a_file_in_place_of_a_folder_clash() {
        let mut c = Claims::default();
        c.claim("atom.xml", generated(Generated::Feed));
        c.claim("index.html", generated(Generated::Home));
        c.claim("cases/a/index.html", who("content/cases/a.md"));
        c.claim("Cases/A/index.html", who("content/cases/A.md"));
        c.claim("atom.xml/index.html", who("content/cases/b.md"));
        c.claim("cases/a", who("static/cases/a"));
        c.claim("index.html", who("content/cases/c.md"));
        c.claim("about/index.html", who("content/about.md"));
        let urls: Vec<String> = c
            .diags
            .errors
            .iter()
            .map(|e| match e {
                Error::DuplicateUrl { url, .. } => url.clone(),
                other => other.to_string(),
            })
            .collect();
        assert_eq!(urls, ["/Cases/A/", "/atom.xml/", "/cases/a", "/"]);
    }
}
