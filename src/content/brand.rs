//! A brand file's front matter: the structured showcase data.

use serde::Serialize;

use crate::content::page::{read_metrics, Metric};
use crate::date::Date;
use crate::error::{Diagnostics, Error, Expected, Location};
use crate::yaml::{self, get_text, only_keys, scalar_text, Field};

pub const BRAND_KEYS: &[&str] = &[
    "name",
    "slogan",
    "org",
    "region",
    "since",
    "color",
    "logo",
    "pillars",
    "standards",
    "metrics",
    "honours",
    "events",
    "weight",
    "extra",
];

#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct Pillar {
    pub title: String,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct Honour {
    pub year: String,
    pub title: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct Event {
    /// As written, normalised: `2022-10-08`, `2022-10` or `2022`.
    pub date: String,
    pub title: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, serde::Deserialize)]
pub struct Brand {
    pub name: String,
    pub slogan: Option<String>,
    pub org: Option<String>,
    pub region: Option<String>,
    pub since: Option<Date>,
    pub color: Option<String>,
    pub logo: Option<(String, Location)>,
    pub pillars: Vec<Pillar>,
    pub standards: Vec<String>,
    pub metrics: Vec<Metric>,
    pub honours: Vec<Honour>,
    pub events: Vec<Event>,
    pub weight: i64,
    #[serde(with = "super::json_text")]
    pub extra: serde_json::Value,
}

/// `2022-10-08`, `2022-10`, `2022/10`, `2022年10月`, `2022`: events are often known to the month.
fn event_date(v: &serde_yaml::Value) -> Option<String> {
    Date::parse(&scalar_text(v)?).map(|d| d.iso_date())
}

pub fn parse(
    file_at: &Location,
    fields: &[Field],
    diags: &mut Diagnostics,
) -> Result<Brand, Vec<Error>> {
    let mut b = Brand::default();
    let mut errors = Vec::new();
    for f in fields {
        let r: Result<(), Error> = (|| {
            match f.key.as_str() {
                "name" => b.name = f.text()?,
                "slogan" => b.slogan = f.opt_text()?,
                "org" => b.org = f.opt_text()?,
                "region" => b.region = f.opt_text()?,
                "since" => b.since = Some(f.year_or_date()?),
                "color" => b.color = Some(f.color()?),
                "logo" => b.logo = f.opt_text()?.map(|l| (l, f.at.clone())),
                "pillars" => {
                    b.pillars = f.map_list(Expected::Pillar, |m| {
                        only_keys(m, &["title", "text"]).then_some(())?;
                        Some(Pillar {
                            title: get_text(m, "title")?,
                            text: get_text(m, "text").unwrap_or_default(),
                        })
                    })?
                }
                "standards" => b.standards = f.string_list(diags)?,
                "metrics" => b.metrics = read_metrics(f)?,
                "honours" => {
                    b.honours = f.map_list(Expected::Honour, |m| {
                        only_keys(m, &["year", "title"]).then_some(())?;
                        Some(Honour {
                            year: m.get("year").and_then(event_date)?,
                            title: get_text(m, "title")?,
                        })
                    })?;
                    b.honours.sort_by(|x, y| x.year.cmp(&y.year));
                }
                "events" => {
                    b.events = f.map_list(Expected::Event, |m| {
                        only_keys(m, &["date", "title"]).then_some(())?;
                        Some(Event {
                            date: m.get("date").and_then(event_date)?,
                            title: get_text(m, "title")?,
                        })
                    })?;
                    b.events.sort_by(|x, y| x.date.cmp(&y.date));
                }
                "weight" => b.weight = f.int()?,
                "extra" => b.extra = f.json(),
                _ => return Err(yaml::unknown_key(f, BRAND_KEYS)),
            }
            Ok(())
        })();
        if let Err(e) = r {
            errors.push(e);
        }
    }
    if b.name.trim().is_empty() && !fields.iter().any(|f| f.key == "name") {
        let line = fields
            .first()
            .map_or(1, |f| f.at.line.saturating_sub(1).max(1));
        errors.push(Error::MissingKey {
            at: Location::new(&file_at.path, line, 0),
            key: "name",
        });
    }
    if errors.is_empty() {
        Ok(b)
    } else {
        Err(errors)
    }
}
