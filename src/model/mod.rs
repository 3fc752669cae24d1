//! Stage 3: the **model** — the whole site as plain data. Pages, sections and brands live in
//! flat vectors and refer to each other by index; taxonomies, brand report lists and
//! neighbours are computed here, once, so rendering only reads.

pub(crate) mod assemble;
pub(crate) mod links;
pub(crate) mod relations;

use std::collections::HashMap;
use std::path::PathBuf;

use crate::config::{Config, TaxonomyConfig};
use crate::content::{Brand, PageMeta, SectionMeta};
use crate::markdown::Rendered;

pub(crate) type PageId = usize;
pub(crate) type SectionId = usize;
pub(crate) type BrandId = usize;

#[derive(Debug, Clone)]
pub struct Page {
    /// Content-relative source (`cases/2022-sanjia.md`).
    pub source: String,
    pub file: PathBuf,
    pub meta: PageMeta,
    /// Site path of the page (`cases/2022-sanjia/`).
    pub path: String,
    pub section: SectionId,
    /// A case report (under `cases/`): dated, listed on the home page and in the feed.
    pub is_report: bool,
    pub brands: Vec<BrandId>,
    pub body: Rendered,
    pub body_text: crate::content::BodyText,
    pub body_line: usize,
}

#[derive(Debug, Clone)]
pub struct Section {
    /// Content-relative folder (`cases/2022`; empty for the home page).
    pub dir: String,
    pub path: String,
    pub meta: SectionMeta,
    /// The `_index.md`, if the folder has one.
    pub file: Option<PathBuf>,
    pub parent: Option<SectionId>,
    pub subsections: Vec<SectionId>,
    /// Pages directly in this folder, newest first.
    pub pages: Vec<PageId>,
    pub body: Rendered,
    pub body_text: crate::content::BodyText,
    pub body_line: usize,
}

impl Section {
    pub fn title(&self) -> String {
        self.meta
            .title
            .clone()
            .unwrap_or_else(|| self.dir.rsplit('/').next().unwrap_or("").to_string())
    }
}

#[derive(Debug, Clone)]
pub struct BrandPage {
    /// The brand's key: its file name without `.md`, as reports name it in `brand:`.
    pub key: String,
    pub source: String,
    pub file: PathBuf,
    pub meta: Brand,
    pub path: String,
    /// Reports that name this brand, newest first.
    pub reports: Vec<PageId>,
    pub body: Rendered,
    pub body_text: crate::content::BodyText,
    pub body_line: usize,
}

#[derive(Debug, Clone)]
pub struct Term {
    pub name: String,
    pub slug: String,
    /// Newest first.
    pub pages: Vec<PageId>,
}

#[derive(Debug, Clone)]
pub struct Taxonomy {
    pub config: TaxonomyConfig,
    /// Most used first.
    pub terms: Vec<Term>,
}

/// A file copied to the output as it is: content assets and `static/`.
#[derive(Debug, Clone)]
pub struct Asset {
    pub file: PathBuf,
    /// Output path relative to the output folder (`cases/foo/photo.jpg`).
    pub path: String,
}

#[derive(Debug, Clone)]
pub struct Site {
    pub config: Config,
    pub pages: Vec<Page>,
    pub sections: Vec<Section>,
    pub brands: Vec<BrandPage>,
    pub taxonomies: Vec<Taxonomy>,
    pub assets: Vec<Asset>,
    /// Content-relative Markdown source → the page, brand or section made from it.
    pub by_source: HashMap<String, SourceRef>,
    /// The photos Herald re-encodes, by output path (`images::probe_all`, in `finish_model`).
    pub images: crate::images::Images,
    /// Content-relative asset path (and `/`-prefixed static path) → output path.
    pub asset_paths: HashMap<String, String>,
    pub brand_keys: HashMap<String, BrandId>,
    /// Aliases: old site paths that redirect to a page.
    pub redirects: Vec<Redirect>,
}

/// An alias: an old path of the site that redirects to a page.
#[derive(Debug, Clone)]
pub struct Redirect {
    /// Checked by `paths::site_path`: `old/page/` or `old.html`, inside the output.
    pub from: String,
    /// The page's path.
    pub to: String,
    /// Where the alias is written.
    pub at: crate::error::Location,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceRef {
    Page(PageId),
    Brand(BrandId),
    Section(SectionId),
}

impl Site {
    /// Every rendered Markdown body: pages, brands and section intros.
    pub(crate) fn bodies(&self) -> impl Iterator<Item = &crate::markdown::Rendered> {
        self.pages
            .iter()
            .map(|p| &p.body)
            .chain(self.brands.iter().map(|b| &b.body))
            .chain(self.sections.iter().map(|s| &s.body))
    }

    /// Reports only (under `cases/`), newest first.
    pub fn reports(&self) -> Vec<PageId> {
        let mut ids: Vec<PageId> = (0..self.pages.len())
            .filter(|&i| self.pages[i].is_report)
            .collect();
        relations::sort_pages(&self.pages, &mut ids);
        ids
    }

    pub fn home(&self) -> &Section {
        &self.sections[0]
    }

    /// The brands index section (`brands/_index.md`), if the folder exists.
    pub fn brands_section(&self) -> Option<&Section> {
        self.sections.iter().find(|s| s.dir == "brands")
    }
}
