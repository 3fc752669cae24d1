//! Parsed files → a `Site` skeleton: URLs, sections, brands resolved, duplicates caught.
//! Markdown bodies are rendered afterwards (they need the URL table for links).

use std::collections::HashMap;

use crate::config::Config;
use crate::content::{Doc, Parsed, Source};
use crate::error::{suggest, Diagnostics, Error};
use crate::markdown::Rendered;
use crate::model::{Asset, BrandPage, Page, Redirect, Section, SectionId, Site, SourceRef};
use crate::text::slugify;

/// Slugs each folder name: `cases/2022年` → `cases/2022-nian`.
fn dir_path(dir: &str) -> String {
    dir.split('/')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let s = slugify(p);
            if s.is_empty() {
                "_".to_string()
            } else {
                s
            }
        })
        .map(|s| s + "/")
        .collect()
}

/// The site path of the page made from `content/<rel>`: folders and file name slugged, or
/// the front matter's `slug` for the last part (`cases/2026/长者食堂.md` → `cases/2026/zhang-zhe-shi-tang/`).
pub(crate) fn page_path(rel: &str, slug: Option<&str>) -> String {
    let dir = parent_dir(rel);
    let (section_dir, own_slug) = if stem(rel) == "index" {
        (parent_dir(dir), dir.rsplit('/').next().unwrap_or(dir))
    } else {
        (dir, stem(rel))
    };
    let slug = slugify(slug.unwrap_or(own_slug));
    let slug = if slug.is_empty() { "_".into() } else { slug };
    format!("{}{}/", dir_path(section_dir), slug)
}

fn parent_dir(rel: &str) -> &str {
    rel.rsplit_once('/').map_or("", |(d, _)| d)
}

fn stem(rel: &str) -> &str {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    name.rsplit_once('.').map_or(name, |(s, _)| s)
}

/// The site and every mistake between files; the site is usable for further checks (links)
/// even when there are mistakes, so they can all be reported in one pass.
pub(crate) fn assemble_all(
    config: Config,
    parsed: Vec<Parsed>,
    content_assets: &[Source],
    static_files: &[(String, std::path::PathBuf)],
    drafts: bool,
) -> (Site, Diagnostics) {
    let mut diags = Diagnostics::default();
    let mut site = Site {
        config,
        pages: Vec::new(),
        sections: Vec::new(),
        brands: Vec::new(),
        taxonomies: Vec::new(),
        assets: Vec::new(),
        by_source: HashMap::new(),
        asset_paths: HashMap::new(),
        images: HashMap::new(),
        brand_keys: HashMap::new(),
        redirects: Vec::new(),
    };
    // Sections: every folder holding Markdown, plus its ancestors; the home page is section 0.
    let mut section_of_dir: HashMap<String, SectionId> = HashMap::new();
    ensure_section(&mut site, &mut section_of_dir, "");
    for p in &parsed {
        let dir = parent_dir(&p.source.rel);
        let is_bundle = stem(&p.source.rel) == "index";
        let section_dir = if is_bundle { parent_dir(dir) } else { dir };
        ensure_section(&mut site, &mut section_of_dir, section_dir);
    }
    let mut bundle_dirs: HashMap<String, String> = HashMap::new();

    for p in parsed {
        let Parsed {
            source,
            shown,
            doc,
            body,
            body_line,
        } = p;
        match doc {
            Doc::Section(meta) => {
                let dir = parent_dir(&source.rel).to_string();
                let id = ensure_section(&mut site, &mut section_of_dir, &dir);
                let s = &mut site.sections[id];
                s.meta = meta;
                s.file = Some(shown);
                s.body_text = body;
                s.body_line = body_line;
                site.by_source.insert(source.rel, SourceRef::Section(id));
            }
            Doc::Brand(meta) => {
                let key = stem(&source.rel).to_string();
                let slug = slugify(&key);
                let path = format!("brands/{}/", if slug.is_empty() { "_" } else { &slug });
                let id = site.brands.len();
                site.brand_keys.insert(key.clone(), id);
                site.by_source
                    .insert(source.rel.clone(), SourceRef::Brand(id));
                site.brands.push(BrandPage {
                    key,
                    source: source.rel,
                    file: shown,
                    meta,
                    path,
                    reports: Vec::new(),
                    body: Rendered::default(),
                    body_text: body,
                    body_line,
                });
            }
            Doc::Page(meta) => {
                if meta.draft && !drafts {
                    continue;
                }
                let read = ReadPage {
                    source,
                    shown,
                    meta,
                    body,
                    body_line,
                };
                add_page(
                    &mut site,
                    &section_of_dir,
                    &mut bundle_dirs,
                    &mut diags,
                    read,
                );
            }
        }
    }
    resolve_brands(&mut site, &mut diags);
    place_assets(&mut site, &bundle_dirs, content_assets, static_files);
    (site, diags)
}

/// A page as read from its file, before it has a place in the site.
struct ReadPage {
    source: Source,
    shown: std::path::PathBuf,
    meta: crate::content::PageMeta,
    body: crate::content::BodyText,
    body_line: usize,
}

/// A page into its section, with its URL and its aliases.
fn add_page(
    site: &mut Site,
    section_of_dir: &HashMap<String, SectionId>,
    bundle_dirs: &mut HashMap<String, String>,
    diags: &mut Diagnostics,
    read: ReadPage,
) {
    let dir = parent_dir(&read.source.rel);
    let is_bundle = stem(&read.source.rel) == "index";
    let section_dir = if is_bundle { parent_dir(dir) } else { dir };
    let path = page_path(&read.source.rel, read.meta.slug.as_deref());
    if is_bundle {
        bundle_dirs.insert(dir.to_string(), path.clone());
    }
    let section = section_of_dir.get(section_dir).copied().unwrap_or(0);
    let id = site.pages.len();
    site.by_source
        .insert(read.source.rel.clone(), SourceRef::Page(id));
    for (alias, at) in &read.meta.aliases {
        match crate::paths::site_path(alias) {
            Ok(from) => site.redirects.push(Redirect {
                from,
                to: path.clone(),
                at: at.clone(),
            }),
            Err(problem) => diags.error(Error::BadUrl {
                at: at.clone(),
                key: "aliases".into(),
                url: alias.clone(),
                problem,
            }),
        }
    }
    site.pages.push(Page {
        is_report: read.source.rel.starts_with("cases/"),
        source: read.source.rel,
        file: read.shown,
        meta: read.meta,
        path,
        section,
        brands: Vec::new(),
        body: Rendered::default(),
        body_text: read.body,
        body_line: read.body_line,
    });
}

/// Brands named by reports must exist.
fn resolve_brands(site: &mut Site, diags: &mut Diagnostics) {
    let known: Vec<String> = {
        let mut k: Vec<String> = site.brand_keys.keys().cloned().collect();
        k.sort();
        k
    };
    for page in &mut site.pages {
        for (name, at) in &page.meta.brands {
            match site.brand_keys.get(name) {
                Some(&b) => {
                    if !page.brands.contains(&b) {
                        page.brands.push(b);
                    }
                }
                None => diags.error(Error::UnknownBrand {
                    at: at.clone(),
                    brand: name.clone(),
                    suggestion: suggest(name, known.iter().map(String::as_str))
                        .or_else(|| brand_by_name(&site.brands, name)),
                    known: known.clone(),
                }),
            }
        }
    }
}

/// Assets: beside their page (bundles) or in their folder's URL path; `static/` at the root.
fn place_assets(
    site: &mut Site,
    bundle_dirs: &HashMap<String, String>,
    content_assets: &[Source],
    static_files: &[(String, std::path::PathBuf)],
) {
    for a in content_assets {
        let dir = parent_dir(&a.rel);
        let name = a.rel.rsplit('/').next().unwrap_or(&a.rel);
        let base = bundle_dirs
            .get(dir)
            .cloned()
            .unwrap_or_else(|| dir_path(dir));
        let path = format!("{base}{name}");
        site.asset_paths.insert(a.rel.clone(), path.clone());
        site.assets.push(Asset {
            file: a.abs.clone(),
            path,
        });
    }
    for (rel, file) in static_files {
        site.asset_paths.insert(format!("/{rel}"), rel.clone());
        site.assets.push(Asset {
            file: file.clone(),
            path: rel.clone(),
        });
    }
}

/// A brand written by its display name (`brand: 「三家」工作法`) instead of its file name.
fn brand_by_name(brands: &[BrandPage], name: &str) -> Option<String> {
    brands
        .iter()
        .find(|b| b.meta.name == name || b.meta.name.contains(name))
        .map(|b| b.key.clone())
}

fn ensure_section(site: &mut Site, map: &mut HashMap<String, SectionId>, dir: &str) -> SectionId {
    if let Some(&id) = map.get(dir) {
        return id;
    }
    let parent = if dir.is_empty() {
        None
    } else {
        Some(ensure_section(site, map, parent_dir(dir)))
    };
    let id = site.sections.len();
    site.sections.push(Section {
        dir: dir.to_string(),
        path: dir_path(dir),
        meta: Default::default(),
        file: None,
        parent,
        subsections: Vec::new(),
        pages: Vec::new(),
        body: Rendered::default(),
        body_text: Default::default(),
        body_line: 1,
    });
    if let Some(p) = parent {
        site.sections[p].subsections.push(id);
    }
    map.insert(dir.to_string(), id);
    id
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folder_paths_are_slugged() {
        assert_eq!(dir_path("cases/2022年"), "cases/2022-nian/");
        assert_eq!(dir_path(""), "");
    }
}
