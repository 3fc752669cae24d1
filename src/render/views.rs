//! What templates see: serialisable views of the model, as documented in docs/templates.md.
//! PageRefs and BrandRefs are built once per build and shared by every list that shows them.

use std::collections::HashMap;

use serde::Serialize;
use serde_json::{json, Map, Value};

use super::Templates;
use crate::error::{Diagnostics, Error};
use crate::markdown::join_rel;
use crate::model::{BrandId, PageId, Site};
use crate::text;

pub struct Views {
    pub page_refs: Vec<Value>,
    pub brand_refs: Vec<Value>,
    /// (taxonomy index, term name) → index of the term.
    pub term_index: HashMap<(usize, String), usize>,
}

#[derive(Serialize)]
pub struct TermRef {
    pub name: String,
    pub slug: String,
    pub url: String,
    pub count: usize,
}

pub fn term_url(site: &Site, tax: usize, slug: &str) -> String {
    site.config
        .url(&format!("{}/{}/", site.taxonomies[tax].config.name, slug))
}

/// The URL of a file named in front matter (`cover`, `logo`) relative to its Markdown file.
pub fn file_url(site: &Site, source: &str, raw: &str) -> Option<String> {
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

/// `{srcset, webp_srcset, width, height}` of the re-encoded photo at `url`; empty strings and
/// zeros for any other image (a web address, a GIF), so templates test it with a plain `if`.
pub fn image_view(site: &Site, url: &str) -> Value {
    match crate::model::links::image_at(site, url) {
        Some(Ok(s)) => json!({
            "srcset": s.srcset,
            "webp_srcset": s.webp_srcset,
            "width": s.width,
            "height": s.height,
        }),
        _ => json!({"srcset": "", "webp_srcset": "", "width": 0, "height": 0}),
    }
}

/// `#fff` or `#1a1a1a`, whichever reads better on `color` (WCAG relative luminance).
pub fn text_color(color: &str) -> &'static str {
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

/// The theme's card of one report, rendered once per page and build into its PageRef.
pub const CARD_TEMPLATE: &str = "partials/report_card.html";

impl Views {
    pub fn build(site: &Site, templates: &Templates) -> Result<Views, Diagnostics> {
        let accent = templates
            .settings
            .get("accent")
            .and_then(Value::as_str)
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
        let base = super::base_context(site, templates);
        let refs: Vec<Result<Value, Error>> = (0..site.pages.len())
            .into_par_iter()
            .map(|p| with_cards(templates, &base, views.page_ref(site, p)))
            .collect();
        let mut errors = Vec::new();
        views.page_refs = refs
            .into_iter()
            .map(|r| {
                r.unwrap_or_else(|e| {
                    errors.push(e);
                    Value::Null
                })
            })
            .collect();
        let diags = Diagnostics::unique(errors);
        if diags.errors.is_empty() {
            Ok(views)
        } else {
            Err(diags)
        }
    }

    pub fn terms_of(&self, site: &Site, page: PageId, field: &str) -> Vec<TermRef> {
        let _ = self;
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
    pub fn refresh_page(
        &mut self,
        site: &Site,
        templates: &Templates,
        id: PageId,
    ) -> Result<bool, Error> {
        let base = super::base_context(site, templates);
        let new = with_cards(templates, &base, self.page_ref(site, id))?;
        if self.page_refs.get(id) == Some(&new) {
            return Ok(false);
        }
        if let Some(slot) = self.page_refs.get_mut(id) {
            *slot = new;
        }
        Ok(true)
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
        json!({
            "title": m.title,
            "url": site.config.url(&p.path),
            "permalink": site.config.permalink(&p.path),
            // As precise as the source (`2022-10-08`, `2018-08`, `2018`); `datetime` is the
            // instant for feeds (a partial date's first), with the time of day if one was given.
            "date": m.date.map(|d| d.iso_date()).unwrap_or_default(),
            "datetime": m.date.map(|d| d.rfc3339()).unwrap_or_default(),
            "summary": summary,
            "description": description,
            "brands": p.brands.iter().map(|&b| &self.brand_refs[b]).collect::<Vec<_>>(),
            "org": m.org.clone().unwrap_or_default(),
            "region": m.region.clone().unwrap_or_default(),
            "tags": self.terms_of(site, id, "tags"),
            "cover": cover,
            "cover_image": image_view(site, &cover),
            "word_count": p.body.word_count,
            "reading_time": text::reading_time(p.body.word_count),
            "metrics": m.metrics,
            "weight": m.weight,
        })
    }
}

/// Adds `card` (with brand chips) and `card_plain` (without) to a PageRef: the theme's
/// card template rendered twice, with the ref moved into the context and back out.
fn with_cards(
    templates: &Templates,
    base: &Map<String, Value>,
    page_ref: Value,
) -> Result<Value, Error> {
    let mut map = base.clone();
    map.insert("p".into(), page_ref);
    map.insert("grid_level".into(), json!(3));
    map.insert("grid_brands".into(), json!(true));
    let mut ctx = tera::Context::from_value(Value::Object(map)).unwrap_or_default();
    let card = templates.render_bytes(CARD_TEMPLATE, &ctx);
    ctx.insert("grid_brands", &false);
    let card_plain = templates.render_bytes(CARD_TEMPLATE, &ctx);
    let mut page_ref = ctx.remove("p").unwrap_or(Value::Null);
    if let Value::Object(m) = &mut page_ref {
        let text = |bytes: Vec<u8>| Value::String(String::from_utf8_lossy(&bytes).into_owned());
        m.insert("card".into(), text(card?));
        m.insert("card_plain".into(), text(card_plain?));
    }
    Ok(page_ref)
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
    json!({
        "slug": b.key,
        "name": m.name,
        "url": site.config.url(&b.path),
        "permalink": site.config.permalink(&b.path),
        "slogan": m.slogan.clone().unwrap_or_default(),
        "text_color": text_color(&color),
        "color": color,
        "logo": logo,
        "logo_image": image_view(site, &logo),
        "monogram": m.name.chars().find(|c| c.is_alphanumeric()).map(String::from).unwrap_or_default(),
        "org": m.org.clone().unwrap_or_default(),
        "region": m.region.clone().unwrap_or_default(),
        "report_count": b.reports.len(),
        "metrics": m.metrics,
    })
}

/// An inline SVG QR code of `url`, for sharing a brand page from print or a screen.
pub fn qr_svg(url: &str) -> String {
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
