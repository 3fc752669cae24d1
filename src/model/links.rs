//! Markdown bodies rendered against the site's URL table, and `#anchor` links checked once
//! every page's heading ids are known.

use std::path::Path;

use rayon::prelude::*;

use crate::content::BodyText;
use crate::error::{Diagnostics, Error, LinkProblem, Warning};
use crate::markdown::{self, Input, Links, Rendered, Shortcodes};
use crate::model::{Site, SourceRef};

/// The URL table Markdown links resolve against.
pub(crate) struct SiteLinks<'a> {
    site: &'a Site,
}

impl<'a> SiteLinks<'a> {
    pub(crate) fn new(site: &'a Site) -> Self {
        SiteLinks { site }
    }
}

impl Links for SiteLinks<'_> {
    fn page_url(&self, rel: &str) -> Option<String> {
        let path = match self.site.by_source.get(rel)? {
            SourceRef::Page(p) => &self.site.pages[*p].path,
            SourceRef::Brand(b) => &self.site.brands[*b].path,
            SourceRef::Section(s) => &self.site.sections[*s].path,
        };
        Some(self.site.config.url(path))
    }
    fn asset_url(&self, rel: &str) -> Option<String> {
        // Content assets are keyed by their content path, static files by `/` + their path.
        self.site
            .asset_paths
            .get(rel)
            .or_else(|| self.site.asset_paths.get(&format!("/{rel}")))
            .map(|p| self.site.config.url(p))
    }
    fn base_path(&self) -> &str {
        &self.site.config.base_path
    }
    fn image(&self, url: &str) -> Option<Result<crate::images::Srcset, crate::images::Problem>> {
        image_at(self.site, url)
    }
}

/// The widths of the re-encoded photo whose URL is `url` (as `Config::url` made it).
pub(crate) fn image_at(
    site: &Site,
    url: &str,
) -> Option<Result<crate::images::Srcset, crate::images::Problem>> {
    let path = url.strip_prefix(site.config.base_path.as_str())?;
    let image = site.images.get(path)?;
    Some(
        image
            .header
            .clone()
            .map(|h| crate::images::srcset(path, &h, |p| site.config.url(p))),
    )
}

/// What a body needs to be rendered: which file it is, where it starts, and its folder.
struct Job<'a> {
    text: &'a crate::content::BodyText,
    file: &'a Path,
    line: usize,
    dir: &'a str,
}

/// Bodies rendered by an earlier build (the preview's last site, the body cache on disk).
pub trait BodyCache: Sync {
    /// A body rendered before from a text that hashes to `text` (`BodyText::hash`), whose
    /// first line is line `line` of `file`, if it would render the same against `links`.
    fn take(&self, file: &Path, text: u64, line: usize, links: &dyn Links) -> Option<Rendered>;
}

/// Bodies taken from a cache in the current `render_bodies` (`HERALD_TIMINGS` says how many).
static REUSED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// A body's text and first line, read from its file to render it.
type ReadNow = (BodyText, usize);

/// A body from the cache, or rendered; with the text and first line it was rendered from
/// when its file had to be read for it (its parse came from the parse cache).
fn render_job(
    job: &Job,
    links: &SiteLinks,
    codes: Option<&dyn SyncShortcodes>,
    cache: Option<&dyn BodyCache>,
) -> Result<(Rendered, Option<ReadNow>), Vec<Error>> {
    if let Some(body) = cache.and_then(|c| c.take(job.file, job.text.hash(), job.line, links)) {
        REUSED.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        return Ok((body, None));
    }
    let read = match job.text.text() {
        Some(_) => None,
        None => Some(job.text.load(job.line).map_err(|d| d.errors)?),
    };
    let (text, line) = match &read {
        Some((t, line)) => (t, *line),
        None => (job.text, job.line),
    };
    let body = markdown::render(
        &Input {
            text: text.text().unwrap_or_default(),
            file: job.file,
            first_line: line,
            dir: job.dir,
        },
        links,
        codes.map(|c| c as &dyn Shortcodes),
    )?;
    Ok((body, read))
}

/// Shortcodes shared across rayon's threads.
pub(crate) trait SyncShortcodes: Shortcodes + Sync {}
impl<T: Shortcodes + Sync> SyncShortcodes for T {}

fn dir_of(rel: &str) -> &str {
    rel.rsplit_once('/').map_or("", |(d, _)| d)
}

/// Warnings from the rendered bodies: URLs left out because of their scheme.
pub(crate) fn body_warnings(site: &Site) -> Vec<Warning> {
    let bodies = site.bodies();
    bodies
        .flat_map(|b| b.refused_urls.iter())
        .map(|(at, url)| Warning::UnsafeUrl {
            at: at.clone(),
            url: url.clone(),
        })
        .collect()
}

/// Renders every body in parallel, then checks anchors. Collects all errors.
pub(crate) fn render_bodies(
    site: &mut Site,
    codes: Option<&dyn SyncShortcodes>,
    cache: Option<&dyn BodyCache>,
) -> Result<(), Diagnostics> {
    let mut diags = Diagnostics::default();
    let links = SiteLinks::new(site);
    let page_jobs: Vec<Job> = site
        .pages
        .iter()
        .map(|p| Job {
            text: &p.body_text,
            file: &p.file,
            line: p.body_line,
            dir: dir_of(&p.source),
        })
        .collect();
    let brand_jobs: Vec<Job> = site
        .brands
        .iter()
        .map(|b| Job {
            text: &b.body_text,
            file: &b.file,
            line: b.body_line,
            dir: dir_of(&b.source),
        })
        .collect();
    let fallback = Path::new("content");
    let section_jobs: Vec<Job> = site
        .sections
        .iter()
        .map(|s| Job {
            text: &s.body_text,
            file: s.file.as_deref().unwrap_or(fallback),
            line: s.body_line,
            dir: &s.dir,
        })
        .collect();
    let pages: Vec<_> = page_jobs
        .par_iter()
        .map(|j| render_job(j, &links, codes, cache))
        .collect();
    let brands: Vec<_> = brand_jobs
        .par_iter()
        .map(|j| render_job(j, &links, codes, cache))
        .collect();
    // A section without a file of its own (the home's, `brands/`) has no body to keep.
    let sections: Vec<_> = section_jobs
        .iter()
        .zip(&site.sections)
        .map(|(j, s)| render_job(j, &links, codes, cache.filter(|_| s.file.is_some())))
        .collect();
    let reused = REUSED.swap(0, std::sync::atomic::Ordering::Relaxed);
    if crate::timing::enabled() {
        let all = page_jobs.len() + brand_jobs.len() + section_jobs.len();
        eprintln!(
            "[timing] bodies: {} rendered, {reused} reused",
            all.saturating_sub(reused)
        );
    }
    drop((page_jobs, brand_jobs, section_jobs));
    for (i, r) in pages.into_iter().enumerate() {
        match r {
            Ok((body, read)) => {
                let item = &mut site.pages[i];
                item.body = body;
                if let Some((text, line)) = read {
                    (item.body_text, item.body_line) = (text, line);
                }
            }
            Err(e) => diags.errors.extend(e),
        }
    }
    for (i, r) in brands.into_iter().enumerate() {
        match r {
            Ok((body, read)) => {
                let item = &mut site.brands[i];
                item.body = body;
                if let Some((text, line)) = read {
                    (item.body_text, item.body_line) = (text, line);
                }
            }
            Err(e) => diags.errors.extend(e),
        }
    }
    for (i, r) in sections.into_iter().enumerate() {
        match r {
            Ok((body, read)) => {
                let item = &mut site.sections[i];
                item.body = body;
                if let Some((text, line)) = read {
                    (item.body_text, item.body_line) = (text, line);
                }
            }
            Err(e) => diags.errors.extend(e),
        }
    }
    check_anchors(site, &mut diags);
    if diags.errors.is_empty() {
        Ok(())
    } else {
        Err(diags)
    }
}

fn check_anchors(site: &Site, diags: &mut Diagnostics) {
    let bodies = site
        .pages
        .iter()
        .map(|p| (&p.source, &p.body))
        .chain(site.brands.iter().map(|b| (&b.source, &b.body)));
    for (source, body) in bodies {
        check_body_anchors(site, source, body, diags);
    }
}

/// The heading ids of the page or brand made from `source`.
fn heading_ids<'a>(site: &'a Site, source: &str) -> Option<&'a [String]> {
    match site.by_source.get(source)? {
        SourceRef::Page(p) => Some(&site.pages[*p].body.heading_ids),
        SourceRef::Brand(b) => Some(&site.brands[*b].body.heading_ids),
        SourceRef::Section(_) => None,
    }
}

/// Checks the `#anchor` links of one body (made from `source`) against their targets'
/// headings; `body` may be a new rendering not yet in `site` (the preview's fast path).
pub(crate) fn check_body_anchors(
    site: &Site,
    source: &str,
    body: &Rendered,
    diags: &mut Diagnostics,
) {
    for a in &body.anchors {
        // Footnote links (#fn-1) and the page's own top are fine.
        if a.anchor.is_empty() || a.anchor.starts_with("fn") || a.anchor == "top" {
            continue;
        }
        let target = if a.target.is_empty() {
            source
        } else {
            a.target.as_str()
        };
        let available = if target == source {
            Some(body.heading_ids.as_slice())
        } else {
            heading_ids(site, target)
        };
        let Some(available) = available else { continue };
        if !available.contains(&a.anchor) {
            diags.error(Error::BrokenLink {
                at: a.at.clone(),
                target: a.written.clone(),
                problem: LinkProblem::MissingAnchor {
                    available: available.to_vec(),
                },
            });
        }
    }
}
