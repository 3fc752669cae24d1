//! A folder's `_index.md` front matter: the section's title, intro and list settings.

use crate::error::{Error, Expected};
use crate::yaml::{self, Field};

pub const SECTION_KEYS: &[&str] = &[
    "title",
    "description",
    "weight",
    "paginate",
    "template",
    "extra",
];

#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct SectionMeta {
    pub title: Option<String>,
    pub description: Option<String>,
    pub weight: i64,
    pub paginate: Option<usize>,
    pub template: Option<String>,
    /// Where `template:` is written.
    pub template_at: Option<crate::error::Location>,
    #[serde(with = "super::json_text")]
    pub extra: serde_json::Value,
}

pub fn parse(fields: &[Field]) -> Result<SectionMeta, Vec<Error>> {
    let mut s = SectionMeta::default();
    let mut errors = Vec::new();
    for f in fields {
        let r: Result<(), Error> = (|| {
            match f.key.as_str() {
                "title" => s.title = f.opt_text()?,
                "description" => s.description = f.opt_text()?,
                "weight" => s.weight = f.int()?,
                "paginate" => {
                    let n = f.int()?;
                    s.paginate =
                        Some(usize::try_from(n).ok().filter(|n| *n > 0).ok_or_else(|| {
                            Error::BadValue {
                                at: f.at.clone(),
                                key: f.key.clone(),
                                value: n.to_string(),
                                expected: Expected::Number,
                            }
                        })?);
                }
                "template" => {
                    s.template = crate::content::template_name(f)?;
                    s.template_at = Some(f.value_at());
                }
                "extra" => s.extra = f.json(),
                _ => return Err(yaml::unknown_key(f, SECTION_KEYS)),
            }
            Ok(())
        })();
        if let Err(e) = r {
            errors.push(e);
        }
    }
    if errors.is_empty() {
        Ok(s)
    } else {
        Err(errors)
    }
}
