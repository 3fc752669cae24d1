//! A report's (or ordinary page's) front matter, read key by key.

use serde::{Deserialize, Serialize};

use crate::date::Date;
use crate::error::{Diagnostics, Error, Expected, Location, Warning};
use crate::yaml::{self, get_text, number_text, only_keys, Field};

pub const PAGE_KEYS: &[&str] = &[
    "title", "date", "brand", "brands", "org", "region", "author", "source", "tags", "summary",
    "cover", "metrics", "draft", "weight", "slug", "aliases", "template", "extra", "search",
];

/// A key figure: `{label: 党员, value: 286, unit: 名}`.
#[derive(Debug, Clone, PartialEq, Hash, Serialize, Deserialize)]
pub struct Metric {
    pub label: String,
    pub value: String,
    pub unit: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct PageMeta {
    pub title: String,
    pub date: Option<Date>,
    /// Brand slugs with where each was written, so an unknown one can be pointed at.
    pub brands: Vec<(String, Location)>,
    pub org: Option<String>,
    pub region: Option<String>,
    pub author: Option<String>,
    pub source: Option<String>,
    pub tags: Vec<String>,
    pub summary: Option<String>,
    pub cover: Option<(String, Location)>,
    pub metrics: Vec<Metric>,
    pub draft: bool,
    /// `search: false` keeps the page out of the search index (`None`: in it).
    pub search: Option<bool>,
    pub weight: i64,
    pub slug: Option<String>,
    /// Old URLs that redirect here, each with where it is written.
    pub aliases: Vec<(String, Location)>,
    pub template: Option<String>,
    /// Where `template:` is written.
    pub template_at: Option<Location>,
    #[serde(with = "super::json_text")]
    pub extra: serde_json::Value,
}

/// Every field, so that a fingerprint of the page changes with any of them (written out: a
/// `Debug` string of the whole is ten times slower, for its escaping of Chinese text).
impl std::hash::Hash for PageMeta {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        // Destructured: a new field does not compile until it is hashed here too.
        let PageMeta {
            title,
            date,
            brands,
            org,
            region,
            author,
            source,
            tags,
            summary,
            cover,
            metrics,
            draft,
            search,
            weight,
            slug,
            aliases,
            template,
            template_at,
            extra,
        } = self;
        (
            title, date, brands, org, region, author, source, tags, summary, cover, metrics,
        )
            .hash(h);
        (draft, search, weight, slug, aliases, template, template_at).hash(h);
        if !extra.is_null() {
            extra.to_string().hash(h);
        }
    }
}

impl PageMeta {
    /// The values of a front matter field used as a taxonomy (`tags`, `region`, `org`, …).
    pub fn terms(&self, field: &str) -> Vec<&str> {
        fn one(v: &Option<String>) -> Vec<&str> {
            v.as_deref().into_iter().collect()
        }
        match field {
            "tags" => self.tags.iter().map(String::as_str).collect(),
            "region" => one(&self.region),
            "org" => one(&self.org),
            "author" => one(&self.author),
            "source" => one(&self.source),
            "brands" | "brand" => self.brands.iter().map(|(b, _)| b.as_str()).collect(),
            _ => Vec::new(),
        }
    }
}

pub fn read_metrics(f: &Field) -> Result<Vec<Metric>, Error> {
    f.map_list(Expected::Metric, |m| {
        only_keys(m, &["label", "value", "unit"]).then_some(())?;
        Some(Metric {
            label: get_text(m, "label")?,
            value: m.get("value").and_then(number_text)?,
            unit: get_text(m, "unit").unwrap_or_default(),
        })
    })
}

/// Reads page front matter. `needs_date` is true for reports (pages in a content section):
/// one without a date is warned about.
pub fn parse(
    file_at: &Location,
    fields: &[Field],
    needs_date: bool,
    diags: &mut Diagnostics,
) -> Result<PageMeta, Vec<Error>> {
    let mut meta = PageMeta::default();
    let mut errors = Vec::new();
    let mut has_title = false;
    for f in fields {
        let r: Result<(), Error> = (|| {
            match f.key.as_str() {
                "title" => {
                    meta.title = f.text()?;
                    has_title = !meta.title.trim().is_empty();
                }
                // `date:` left empty is no date (a warning below), not a wrong one.
                "date" if f.value.is_null() => {}
                "date" => meta.date = Some(f.date()?),
                // `brand: [a, b]` means what `brands: [a, b]` means: take it as written.
                "brand" if matches!(f.value, serde_yaml::Value::Sequence(_)) => {
                    for b in f.string_list(diags)? {
                        meta.brands.push((b.trim().to_string(), f.value_at()));
                    }
                }
                "brand" => {
                    if let Some(b) = f.opt_text()? {
                        meta.brands.push((b.trim().to_string(), f.value_at()));
                    }
                }
                "brands" => {
                    for b in f.string_list(diags)? {
                        meta.brands.push((b.trim().to_string(), f.value_at()));
                    }
                }
                "org" => meta.org = f.opt_text()?,
                "region" => meta.region = f.opt_text()?,
                "author" => meta.author = f.opt_text()?,
                "source" => meta.source = f.opt_text()?,
                "tags" => meta.tags = f.string_list(diags)?,
                "summary" => meta.summary = f.opt_text()?,
                "cover" => meta.cover = f.opt_text()?.map(|c| (c, f.value_at())),
                "metrics" => meta.metrics = read_metrics(f)?,
                "draft" => meta.draft = f.bool()?,
                "search" => meta.search = Some(f.bool()?),
                "weight" => meta.weight = f.int()?,
                "slug" => meta.slug = f.opt_text()?,
                "aliases" => {
                    meta.aliases = f
                        .string_list(diags)?
                        .into_iter()
                        .enumerate()
                        .map(|(i, a)| {
                            let at = f.text_item_at(i, &a);
                            (a, at)
                        })
                        .collect()
                }
                "template" => {
                    meta.template = crate::content::template_name(f)?;
                    meta.template_at = Some(f.value_at());
                }
                "extra" => meta.extra = f.json(),
                _ => return Err(yaml::unknown_key(f, PAGE_KEYS)),
            }
            Ok(())
        })();
        if let Err(e) = r {
            errors.push(e);
        }
    }
    let fm_line = fields
        .first()
        .map_or(1, |f| f.at.line.saturating_sub(1).max(1));
    if !has_title
        && !errors
            .iter()
            .any(|e| matches!(e, Error::BadValue { key, .. } if key == "title"))
    {
        errors.push(Error::MissingKey {
            at: Location::new(&file_at.path, fm_line, 0),
            key: "title",
        });
    }
    // A report whose source gives no date gets none (never a made-up one): a warning.
    if needs_date
        && meta.date.is_none()
        && !errors
            .iter()
            .any(|e| matches!(e, Error::BadValue { key, .. } if key == "date"))
    {
        let at = fields.iter().find(|f| f.key == "date").map_or_else(
            || Location::new(&file_at.path, fm_line, 0),
            |f| f.at.clone(),
        );
        diags.warnings.push(Warning::NoDate { at });
    }
    if errors.is_empty() {
        Ok(meta)
    } else {
        Err(errors)
    }
}
