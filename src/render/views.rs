//! What templates see: typed views of the model, one definition each, as documented in
//! docs/templates.md. They become Tera values once per build; a Tera value shares its lists
//! and maps (reference-counted), so the ten PageRefs of a list page, the five related reports
//! of a page and a report's brands are the same values everywhere they are shown.

use std::collections::HashMap;

use serde::Serialize;
use tera::Value;

use super::Templates;
use crate::content::{Event, Honour, Metric, Pillar};
use crate::markdown::join_rel;
use crate::model::{BrandId, PageId, Site};
use crate::text;

pub(crate) struct Views {
    pub page_refs: Vec<Value>,
    pub brand_refs: Vec<Value>,
    /// (taxonomy index, term name) → index of the term.
    pub term_index: HashMap<(usize, String), usize>,
}

/// A Tera value of a view. Herald's views have string keys and plain fields, which always
/// convert; `none` is never seen in practice.
pub(crate) fn value(view: &impl Serialize) -> Value {
    Value::try_from_serializable(view).unwrap_or_else(|_| Value::none())
}

/// `{srcset, webp_srcset, width, height}` of a re-encoded photo (`cover_image`,
/// `logo_image`); empty strings and zeros for any other image (a web address, a GIF), so
/// templates test it with a plain `if`.
#[derive(Serialize, Default)]
pub(crate) struct ImageView {
    pub(crate) srcset: String,
    pub(crate) webp_srcset: String,
    pub(crate) width: u32,
    pub(crate) height: u32,
}

pub(crate) fn image_view(site: &Site, url: &str) -> ImageView {
    match crate::model::links::image_at(site, url) {
        Some(Ok(s)) => ImageView {
            srcset: s.srcset,
            webp_srcset: s.webp_srcset,
            width: s.width,
            height: s.height,
        },
        _ => ImageView::default(),
    }
}

/// A term as lists show it (`page.tags`, `terms.regions`, a taxonomy's `terms`).
#[derive(Serialize)]
pub(crate) struct TermRef {
    pub name: String,
    pub slug: String,
    pub url: String,
    pub count: usize,
}

/// A report or page as every list shows it: `latest`, `paginator.pages`, `brand.reports`,
/// `page.related`, `page.previous`/`next`, the feed's `pages`.
#[derive(Serialize)]
struct PageRef<'a> {
    title: &'a str,
    url: String,
    permalink: String,
    /// As precise as the source (`2022-10-08`, `2018-08`, `2018`).
    date: String,
    /// The instant for feeds (a partial date's first), with the time of day if one was given.
    datetime: String,
    summary: String,
    description: String,
    brands: Vec<Value>,
    org: &'a str,
    region: &'a str,
    tags: Vec<TermRef>,
    cover: String,
    cover_image: ImageView,
    word_count: usize,
    reading_time: usize,
    metrics: &'a [Metric],
    weight: i64,
}

/// A brand as every list shows it (`brands`, a page's `brands`).
#[derive(Serialize)]
struct BrandRef<'a> {
    slug: &'a str,
    name: &'a str,
    url: String,
    permalink: String,
    slogan: &'a str,
    color: String,
    text_color: &'static str,
    logo: String,
    logo_image: ImageView,
    monogram: String,
    org: &'a str,
    region: &'a str,
    report_count: usize,
    metrics: &'a [Metric],
}

/// What only a page's own template adds to its PageRef (`page.content`, `page.toc`, …).
#[derive(Serialize)]
pub(crate) struct PageOwn<'a> {
    pub content: &'a str,
    pub toc: &'a [crate::markdown::TocEntry],
    pub has_code: bool,
    pub author: &'a str,
    pub source: &'a str,
    pub slug: &'a str,
    /// `report` (in a content section) or `page`.
    pub kind: &'static str,
    pub section: Option<SectionLink>,
    pub previous: Option<Value>,
    pub next: Option<Value>,
    pub related: Vec<Value>,
    pub terms: PageTerms,
    pub extra: &'a serde_json::Value,
    pub draft: bool,
    pub source_path: &'a str,
}

#[derive(Serialize)]
pub(crate) struct SectionLink {
    pub title: String,
    pub url: String,
}

#[derive(Serialize)]
pub(crate) struct PageTerms {
    pub tags: Vec<TermRef>,
    pub regions: Vec<TermRef>,
    pub orgs: Vec<TermRef>,
}

/// What only a brand's showcase page adds to its BrandRef.
#[derive(Serialize)]
pub(crate) struct BrandOwn<'a> {
    pub content: &'a str,
    pub summary: &'a str,
    pub has_code: bool,
    pub description: String,
    pub since: String,
    pub pillars: &'a [Pillar],
    pub standards: &'a [String],
    pub honours: &'a [Honour],
    pub events: &'a [Event],
    pub reports: Vec<Value>,
    pub qr_svg: String,
    pub extra: &'a serde_json::Value,
}

/// `site` as templates see it.
#[derive(Serialize)]
pub(crate) struct SiteView<'a> {
    pub(crate) title: &'a str,
    pub(crate) description: &'a str,
    /// Where this script's pages start: the mirror's are under `zh-hant/`.
    pub(crate) base_url: String,
    pub(crate) base_path: String,
    pub(crate) language: &'a str,
    pub(crate) author: &'a str,
    pub(crate) menu: Vec<Link>,
    pub(crate) taxonomies: Vec<TaxonomyLink<'a>>,
    pub(crate) beian: &'a crate::config::Beian,
    pub(crate) extra: &'a serde_json::Value,
}

#[derive(Serialize)]
pub(crate) struct Link {
    pub(crate) name: String,
    pub(crate) url: String,
}

#[derive(Serialize)]
pub(crate) struct TaxonomyLink<'a> {
    pub(crate) name: &'a str,
    pub(crate) title: &'a str,
    pub(crate) url: String,
}

/// A section (`section`): its intro and its sub-folders.
#[derive(Serialize)]
pub(crate) struct SectionView<'a> {
    pub(crate) title: String,
    pub(crate) url: String,
    pub(crate) permalink: String,
    pub(crate) content: &'a str,
    pub(crate) summary: &'a str,
    pub(crate) description: String,
    pub(crate) subsections: Vec<SubsectionLink>,
    pub(crate) page_count: usize,
    pub(crate) extra: &'a serde_json::Value,
}

#[derive(Serialize)]
pub(crate) struct SubsectionLink {
    pub(crate) title: String,
    pub(crate) url: String,
    pub(crate) page_count: usize,
}

/// `paginator`: one page of a long list.
#[derive(Serialize)]
pub(crate) struct Paginator {
    pub(crate) pages: Vec<Value>,
    pub(crate) current: usize,
    pub(crate) total_pages: usize,
    pub(crate) total_items: usize,
    pub(crate) previous: Option<String>,
    pub(crate) next: Option<String>,
    pub(crate) first: String,
    pub(crate) last: String,
    pub(crate) numbers: Vec<PageNumber>,
}

#[derive(Serialize)]
pub(crate) struct PageNumber {
    pub(crate) number: Option<usize>,
    pub(crate) url: Option<String>,
    pub(crate) current: bool,
    pub(crate) gap: bool,
}

pub(crate) fn site_view(site: &Site) -> Value {
    let c = &site.config;
    value(&SiteView {
        title: &c.title,
        description: &c.description,
        base_url: format!("{}{}", c.base_url, c.script_dir),
        base_path: format!("{}{}", c.base_path, c.script_dir),
        language: &c.language,
        author: &c.author,
        menu: c
            .menu
            .iter()
            .map(|m| Link {
                name: m.name.clone(),
                url: super::menu_url(c, &m.url),
            })
            .collect(),
        taxonomies: site
            .taxonomies
            .iter()
            .map(|t| TaxonomyLink {
                name: &t.config.name,
                title: &t.config.title,
                url: c.url(&format!("{}/", t.config.name)),
            })
            .collect(),
        beian: &c.beian,
        extra: &c.extra,
    })
}

/// A list view with the keys of an object's own page added (a page's PageRef and its
/// `PageOwn`): the shared values are not copied, only the map of names.
pub(crate) fn extended(list_view: &Value, own: &impl Serialize) -> Value {
    let mut map = list_view.as_map().cloned().unwrap_or_default();
    if let Some(own) = value(own).into_map() {
        map.extend(own);
    }
    Value::from(map)
}

pub(crate) fn term_url(site: &Site, tax: usize, slug: &str) -> String {
    site.config
        .url(&format!("{}/{}/", site.taxonomies[tax].config.name, slug))
}

/// The URL of a file named in front matter (`cover`, `logo`) relative to its Markdown file.
pub(crate) fn file_url(site: &Site, source: &str, raw: &str) -> Option<String> {
    // Checked by `paths::check_url` when the site was loaded: only web addresses pass as they are.
    if crate::paths::check_url(raw) == Ok(crate::paths::UrlKind::Web) {
        return Some(raw.to_string());
    }
    let dir = source.rsplit_once('/').map_or("", |(d, _)| d);
    let rel = join_rel(dir, raw)?;
    site.asset_paths
        .get(&rel)
        .or_else(|| site.asset_paths.get(&format!("/{rel}")))
        .map(|p| site.config.url(p))
}

/// `#fff` or `#1a1a1a`, whichever reads better on `color` (WCAG relative luminance).
pub(crate) fn text_color(color: &str) -> &'static str {
    let Some((r, g, b)) = crate::yaml::hex_rgb(color) else {
        return "#fff";
    };
    let lin = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.039_28 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    let l = 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
    let contrast_white = 1.05 / (l + 0.05);
    let contrast_dark = (l + 0.05) / (0.0103 + 0.05);
    if contrast_white >= contrast_dark {
        "#fff"
    } else {
        "#1a1a1a"
    }
}

impl Views {
    pub(crate) fn build(site: &Site, templates: &Templates) -> Views {
        let accent = templates
            .settings
            .get("accent")
            .and_then(serde_json::Value::as_str)
            .unwrap_or("#b3261e");
        let mut term_index = HashMap::new();
        for (t, tax) in site.taxonomies.iter().enumerate() {
            for (i, term) in tax.terms.iter().enumerate() {
                term_index.insert((t, term.name.clone()), i);
            }
        }
        let brand_refs = (0..site.brands.len())
            .map(|b| brand_ref(site, b, accent))
            .collect();
        let mut views = Views {
            page_refs: Vec::new(),
            brand_refs,
            term_index,
        };
        use rayon::prelude::*;
        views.page_refs = (0..site.pages.len())
            .into_par_iter()
            .map(|p| views.page_ref(site, p))
            .collect();
        views
    }

    pub(crate) fn terms_of(&self, site: &Site, page: PageId, field: &str) -> Vec<TermRef> {
        let mut out = Vec::new();
        for (t, tax) in site.taxonomies.iter().enumerate() {
            if tax.config.field != field {
                continue;
            }
            for name in site.pages[page].meta.terms(field) {
                if let Some(&i) = self.term_index.get(&(t, name.trim().to_string())) {
                    let term = &site.taxonomies[t].terms[i];
                    out.push(TermRef {
                        name: term.name.clone(),
                        slug: term.slug.clone(),
                        url: term_url(site, t, &term.slug),
                        count: term.pages.len(),
                    });
                }
            }
        }
        out
    }

    /// Recomputes one page's list view after an edit; true if it changed.
    pub(crate) fn refresh_page(&mut self, site: &Site, id: PageId) -> bool {
        let new = self.page_ref(site, id);
        if self.page_refs.get(id) == Some(&new) {
            return false;
        }
        if let Some(slot) = self.page_refs.get_mut(id) {
            *slot = new;
        }
        true
    }

    fn page_ref(&self, site: &Site, id: PageId) -> Value {
        let p = &site.pages[id];
        let m = &p.meta;
        let summary = match &m.summary {
            Some(s) => format!("<p>{}</p>", crate::markdown::highlight::escape(s)),
            None => p.body.summary.clone(),
        };
        let description = match &m.summary {
            Some(s) => text::cut_at_sentence(s, 120),
            None => p.body.description.clone(),
        };
        let cover = m
            .cover
            .as_ref()
            .and_then(|(c, _)| file_url(site, &p.source, c))
            .unwrap_or_default();
        value(&PageRef {
            title: &m.title,
            url: site.config.url(&p.path),
            permalink: site.config.permalink(&p.path),
            date: m.date.map(|d| d.iso_date()).unwrap_or_default(),
            datetime: m.date.map(|d| d.rfc3339()).unwrap_or_default(),
            summary,
            description,
            brands: p
                .brands
                .iter()
                .map(|&b| self.brand_refs[b].clone())
                .collect(),
            org: m.org.as_deref().unwrap_or_default(),
            region: m.region.as_deref().unwrap_or_default(),
            tags: self.terms_of(site, id, "tags"),
            cover_image: image_view(site, &cover),
            cover,
            word_count: p.body.word_count,
            reading_time: text::reading_time(p.body.word_count),
            metrics: &m.metrics,
            weight: m.weight,
        })
    }
}

fn brand_ref(site: &Site, id: BrandId, accent: &str) -> Value {
    let b = &site.brands[id];
    let m = &b.meta;
    let color = m.color.clone().unwrap_or_else(|| accent.to_string());
    let logo = m
        .logo
        .as_ref()
        .and_then(|(l, _)| file_url(site, &b.source, l))
        .unwrap_or_default();
    value(&BrandRef {
        slug: &b.key,
        name: &m.name,
        url: site.config.url(&b.path),
        permalink: site.config.permalink(&b.path),
        slogan: m.slogan.as_deref().unwrap_or_default(),
        text_color: text_color(&color),
        color,
        logo_image: image_view(site, &logo),
        logo,
        monogram: m
            .name
            .chars()
            .find(|c| c.is_alphanumeric())
            .map(String::from)
            .unwrap_or_default(),
        org: m.org.as_deref().unwrap_or_default(),
        region: m.region.as_deref().unwrap_or_default(),
        report_count: b.reports.len(),
        metrics: &m.metrics,
    })
}

/// An inline SVG QR code of `url`, for sharing a brand page from print or a screen.
pub(crate) fn qr_svg(url: &str) -> String {
    match qrcode::QrCode::new(url.as_bytes()) {
        Ok(code) => {
            let svg = code
                .render::<qrcode::render::svg::Color>()
                .min_dimensions(160, 160)
                .quiet_zone(true)
                .build();
            let start = svg.find("<svg").unwrap_or(0);
            svg[start..].replacen("<svg", "<svg role=\"img\" aria-label=\"二维码\"", 1)
        }
        Err(_) => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_colour_contrasts() {
        assert_eq!(text_color("#b71c1c"), "#fff");
        assert_eq!(text_color("#ffeb3b"), "#1a1a1a");
    }

    #[test]
    fn qr_is_svg() {
        let svg = qr_svg("https://example.org/brands/a/");
        assert!(svg.starts_with("<svg") && svg.contains("<path"));
    }
}
