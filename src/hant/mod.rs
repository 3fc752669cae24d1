//! The Traditional-script mirror (`zh_hant:` in site.yaml): the whole site a second time under
//! `/zh-hant/`, converted phrase by phrase (`convert.rs`).
//!
//! The mirror is made from the model, not from the finished pages: a second `Site` whose
//! words are converted (titles, bodies, brands, terms, the site's title and menu) and a second
//! set of templates whose own words are converted, rendered by the same renderer into the
//! same paths under `zh-hant/`. So what must stay as written stays: URLs and slugs (a term's
//! page has the same address in both), code (`html.rs`), front matter `extra` (a template
//! prints it as it was written), and the words a site protects (`keep`).
//!
//! Photos, attachments, CSS and scripts exist once and both scripts link the same files; the
//! sitemap, robots.txt, the 404 page and alias redirects are written once too.

pub(crate) mod convert;
mod html;
mod tables;

use std::sync::Arc;

use crate::config::Config;
use crate::content::page::Metric;
use crate::error::{Error, Expected, Location};
use crate::markdown::Rendered;
use crate::model::Site;
use crate::yaml;
pub(crate) use convert::{Converter, Variant};

/// Where the mirror is, below the site's base path.
pub(crate) const DIR: &str = "zh-hant/";

const KEYS: &[&str] = &["variant", "keep", "phrases"];

/// `zh_hant:` of site.yaml.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Settings {
    pub variant: Variant,
    /// Words written as they are in both scripts (`keep: [老龄办]`).
    pub keep: Vec<String>,
    /// A site's own conversions, Simplified → Traditional (`phrases: {里程碑: 里程碑}`).
    pub phrases: Vec<(String, String)>,
}

impl Settings {
    pub(crate) fn converter(&self) -> Converter {
        Converter::new(self.variant, &self.keep, &self.phrases)
    }
}

/// Reads `zh_hant:`: `true` or an empty key for Taiwan script, `false` for none, or a mapping
/// of `variant`, `keep` and `phrases`.
pub(crate) fn settings(f: &yaml::Field, text: &str) -> Result<Option<Settings>, Error> {
    let bad =
        |at: Location, key: &str, value: &serde_yaml::Value, expected: Expected| Error::BadValue {
            at,
            key: key.to_string(),
            value: yaml::show_value(value),
            expected,
        };
    let mut s = Settings {
        variant: Variant::Tw,
        keep: Vec::new(),
        phrases: Vec::new(),
    };
    let m = match &f.value {
        serde_yaml::Value::Null | serde_yaml::Value::Bool(true) => return Ok(Some(s)),
        serde_yaml::Value::Bool(false) => return Ok(None),
        serde_yaml::Value::Mapping(m) => m,
        v => return Err(bad(f.value_at(), &f.key, v, Expected::ZhHant)),
    };
    for (k, v) in m {
        let Some(key) = k.as_str() else {
            return Err(bad(f.value_at(), &f.key, &f.value, Expected::ZhHant));
        };
        // The line of the sub-key, so the error points at what to fix.
        let at = sub_key_at(f, text, key);
        let full = format!("{}.{key}", f.key);
        match key {
            "variant" => {
                s.variant = yaml::scalar_text(v)
                    .and_then(|t| Variant::parse(&t))
                    .ok_or_else(|| bad(at.clone(), &full, v, Expected::HantVariant))?;
            }
            "keep" => {
                s.keep = match v {
                    serde_yaml::Value::Null => Vec::new(),
                    serde_yaml::Value::Sequence(items) => items
                        .iter()
                        .map(|i| {
                            yaml::scalar_text(i)
                                .map(|t| t.trim().to_string())
                                .ok_or_else(|| bad(at.clone(), &full, i, Expected::Text))
                        })
                        .collect::<Result<_, _>>()?,
                    v => vec![yaml::scalar_text(v)
                        .ok_or_else(|| bad(at.clone(), &full, v, Expected::List))?],
                }
            }
            "phrases" => {
                s.phrases = match v {
                    serde_yaml::Value::Null => Vec::new(),
                    serde_yaml::Value::Mapping(pairs) => pairs
                        .iter()
                        .map(
                            |(a, b)| match (yaml::scalar_text(a), yaml::scalar_text(b)) {
                                (Some(a), Some(b)) => {
                                    Ok((a.trim().to_string(), b.trim().to_string()))
                                }
                                _ => Err(bad(at.clone(), &full, v, Expected::HantPhrases)),
                            },
                        )
                        .collect::<Result<_, _>>()?,
                    v => return Err(bad(at, &full, v, Expected::HantPhrases)),
                }
            }
            _ => {
                return Err(Error::UnknownKey {
                    at,
                    key: full,
                    suggestion: crate::error::suggest(key, KEYS.iter().copied()),
                    known: KEYS,
                })
            }
        }
    }
    s.keep.retain(|k| !k.is_empty());
    s.phrases.retain(|(k, _)| !k.is_empty());
    Ok(Some(s))
}

/// Where `key:` is written under the field (`  variant: tw`), at its value; the field's line
/// when it is written inline (`zh_hant: {variant: tw}`).
fn sub_key_at(f: &yaml::Field, text: &str, key: &str) -> Location {
    let prefix = format!("{key}:");
    for (i, line) in text.lines().enumerate().skip(f.at.line) {
        let trimmed = line.trim_start();
        if !line.starts_with([' ', '\t']) && !trimmed.is_empty() && !trimmed.starts_with('#') {
            break;
        }
        if let Some(after) = trimmed.strip_prefix(&prefix) {
            let before = line.len() - trimmed.len() + prefix.len();
            let spaces = after.len() - after.trim_start().len();
            let col = line[..before + spaces].chars().count() + 1;
            return Location::new(crate::config::SITE_FILE, i + 1, col);
        }
    }
    f.value_at()
}

/// The mirror's settings: its words converted, its pages under `zh-hant/`.
pub(crate) fn config(main: &Config, cv: &Converter) -> Config {
    let mut c = main.clone();
    c.script_dir = DIR;
    c.language = cv.variant().lang().to_string();
    c.title = cv.convert(&main.title);
    c.description = cv.convert(&main.description);
    c.author = cv.convert(&main.author);
    for m in &mut c.menu {
        m.name = cv.convert(&m.name);
    }
    for t in &mut c.taxonomies {
        t.title = cv.convert(&t.title);
    }
    c
}

/// The site with its words in Traditional script, for `config` (from `config()`).
pub(crate) fn site(main: &Site, config: Config, cv: &Converter) -> Site {
    use rayon::prelude::*;
    let link = |url: &str| page_link(&config, url);
    // Built page by page, not cloned and overwritten: a body is copied once, converted.
    let pages: Vec<crate::model::Page> = main
        .pages
        .par_iter()
        .map(|p| {
            let mut meta = p.meta.clone();
            let m = &mut meta;
            m.title = cv.convert(&m.title);
            for v in [
                &mut m.org,
                &mut m.region,
                &mut m.author,
                &mut m.source,
                &mut m.summary,
            ]
            .into_iter()
            .flatten()
            {
                *v = cv.convert(v);
            }
            for t in &mut m.tags {
                *t = cv.convert(t);
            }
            metrics(&mut m.metrics, cv);
            crate::model::Page {
                source: p.source.clone(),
                file: p.file.clone(),
                meta,
                path: p.path.clone(),
                section: p.section,
                is_report: p.is_report,
                brands: p.brands.clone(),
                body: body_of(&p.body, cv, &link),
                body_text: p.body_text.clone(),
                body_line: p.body_line,
            }
        })
        .collect();
    let mut brands = main.brands.clone();
    brands.par_iter_mut().for_each(|b| {
        let m = &mut b.meta;
        m.name = cv.convert(&m.name);
        for v in [&mut m.slogan, &mut m.org, &mut m.region]
            .into_iter()
            .flatten()
        {
            *v = cv.convert(v);
        }
        for p in &mut m.pillars {
            p.title = cv.convert(&p.title);
            p.text = cv.convert(&p.text);
        }
        for s in &mut m.standards {
            *s = cv.convert(s);
        }
        for h in &mut m.honours {
            h.title = cv.convert(&h.title);
        }
        for e in &mut m.events {
            e.title = cv.convert(&e.title);
        }
        metrics(&mut m.metrics, cv);
        body(&mut b.body, cv, &link);
    });
    let mut sections = main.sections.clone();
    for s in &mut sections {
        for v in [&mut s.meta.title, &mut s.meta.description]
            .into_iter()
            .flatten()
        {
            *v = cv.convert(v);
        }
        body(&mut s.body, cv, &link);
    }
    let mut taxonomies = main.taxonomies.clone();
    for (t, tax) in taxonomies.iter_mut().enumerate() {
        tax.config = config.taxonomies[t].clone();
        for term in &mut tax.terms {
            term.name = cv.convert(&term.name);
        }
    }
    Site {
        config,
        pages,
        sections,
        brands,
        taxonomies,
        assets: main.assets.clone(),
        by_source: main.by_source.clone(),
        images: main.images.clone(),
        asset_paths: main.asset_paths.clone(),
        brand_keys: main.brand_keys.clone(),
        redirects: Vec::new(),
    }
}

fn metrics(ms: &mut [Metric], cv: &Converter) {
    for m in ms {
        m.label = cv.convert(&m.label);
        m.unit = cv.convert(&m.unit);
    }
}

fn body(b: &mut Rendered, cv: &Converter, link: &dyn Fn(&str) -> Option<String>) {
    *b = body_of(b, cv, link);
}

/// A body in Traditional script: its HTML, summary, description and contents.
fn body_of(b: &Rendered, cv: &Converter, link: &dyn Fn(&str) -> Option<String>) -> Rendered {
    Rendered {
        html: html::convert(cv, &b.html, link).into(),
        summary: html::convert(cv, &b.summary, link),
        description: cv.convert(&b.description),
        toc: b
            .toc
            .iter()
            .map(|t| crate::markdown::TocEntry {
                title: cv.convert(&t.title),
                ..t.clone()
            })
            .collect(),
        heading_ids: b.heading_ids.clone(),
        word_count: b.word_count,
        anchors: b.anchors.clone(),
        refused_urls: b.refused_urls.clone(),
        images: b.images.clone(),
        has_code: b.has_code,
        stamp: b.stamp,
        // The mirror is made from the main site every build, never from a cache.
        asked: Default::default(),
    }
}

/// A link in a body to one of the site's pages, as the mirror's page; files stay.
fn page_link(mirror: &Config, url: &str) -> Option<String> {
    let site_path = url.strip_prefix(mirror.base_path.as_str())?;
    if site_path.starts_with(DIR) {
        return None;
    }
    crate::config::is_page_path(site_path).then(|| mirror.url(site_path))
}

/// The theme's own words in Traditional script: every template's text (Tera's syntax is
/// ASCII, so only what the template writes for the reader changes) and the theme's settings
/// (a tagline, a footer), but not `logo` or `accent`.
pub(crate) fn templates(
    main: &crate::render::Templates,
    config: &Config,
    cv: &Converter,
) -> Result<crate::render::Templates, crate::error::Diagnostics> {
    main.converted(config, &|text| cv.convert(text), &|key, value| {
        if key == "logo" || key == "accent" {
            value.clone()
        } else {
            convert_json(value, cv)
        }
    })
}

fn convert_json(v: &serde_json::Value, cv: &Converter) -> serde_json::Value {
    match v {
        serde_json::Value::String(s) => serde_json::Value::String(cv.convert(s)),
        serde_json::Value::Array(a) => a.iter().map(|x| convert_json(x, cv)).collect(),
        serde_json::Value::Object(m) => m
            .iter()
            .map(|(k, x)| (k.clone(), convert_json(x, cv)))
            .collect(),
        other => other.clone(),
    }
}

/// The mirror of a project: its site, templates and list views, made again whenever the
/// main site is.
pub(crate) struct Mirror {
    pub(crate) converter: Arc<Converter>,
    pub(crate) site: Site,
    pub(crate) templates: crate::render::Templates,
    pub(crate) views: crate::render::Views,
}

impl Mirror {
    pub(crate) fn renderer(&self) -> crate::render::Renderer<'_> {
        crate::render::Renderer::new(&self.site, &self.templates, &self.views)
    }

    /// A report's body edited (the preview's quick path): its mirror follows.
    pub(crate) fn page_body(&mut self, id: usize, main: &Rendered) {
        let config = &self.site.config;
        let b = body_of(main, &self.converter, &|url| page_link(config, url));
        if let Some(p) = self.site.pages.get_mut(id) {
            p.body = b;
            self.views.refresh_page(&self.site, id);
        }
    }

    /// A brand's introduction edited: its mirror follows.
    pub(crate) fn brand_body(&mut self, id: usize, main: &Rendered) {
        let config = &self.site.config;
        let b = body_of(main, &self.converter, &|url| page_link(config, url));
        if let Some(brand) = self.site.brands.get_mut(id) {
            brand.body = b;
        }
    }
}
