//! Stage 1 and 2 of the pipeline: **load** the files under `content/` and **parse** each into
//! typed front matter plus a Markdown body. Nothing here knows about other files; relations
//! between pages are the model's business.

pub mod brand;
pub mod front_matter;
pub mod load;
pub mod page;
pub mod section;

pub use brand::{Brand, Event, Honour, Pillar};
pub use load::{ContentFiles, Source, SourceKind};
pub use page::{Metric, PageMeta};
pub use section::SectionMeta;

use std::path::{Path, PathBuf};

use crate::error::{Diagnostics, Location};

/// A parsed Markdown source: typed front matter and the Markdown body.
#[derive(Debug, Clone)]
pub struct Parsed {
    pub source: Source,
    /// Path as shown to the user (`content/cases/a.md`).
    pub shown: PathBuf,
    pub doc: Doc,
    pub body: BodyText,
    /// File line of the body's first line.
    pub body_line: usize,
}

/// A Markdown body's text and its hash. When the file's parse came from the parse cache
/// (`pipeline::sources`), the text is not read: a body is rendered again only when the body
/// cache cannot give it, and only then is its file read again (`BodyText::load`).
#[derive(Debug, Clone)]
pub struct BodyText {
    /// Shared, so the preview's caches hold it without copying.
    text: Option<std::sync::Arc<str>>,
    /// Made when first asked (a build without caches never asks), and shared by the clones:
    /// the preview's parse cache and each site made from it hash a text once.
    hash: std::sync::Arc<std::sync::OnceLock<u64>>,
    /// Where an unread text is.
    unread: Option<std::sync::Arc<Source>>,
}

impl BodyText {
    pub fn read(text: &str) -> BodyText {
        BodyText {
            text: Some(std::sync::Arc::from(text)),
            hash: Default::default(),
            unread: None,
        }
    }

    /// The body of `source`, known by its hash only.
    pub fn unread(hash: u64, source: Source) -> BodyText {
        BodyText {
            text: None,
            hash: std::sync::Arc::new(hash.into()),
            unread: Some(std::sync::Arc::new(source)),
        }
    }

    /// The text, if it was read (and not released after rendering).
    pub fn text(&self) -> Option<&str> {
        self.text.as_deref()
    }

    pub fn hash(&self) -> u64 {
        *self
            .hash
            .get_or_init(|| text_hash(self.text.as_deref().unwrap_or_default()))
    }

    /// The text, reading its file if it was not read: the body and the line it starts on
    /// as the file is now (`line` for a text already read).
    pub fn load(&self, line: usize) -> Result<(BodyText, usize), Diagnostics> {
        match (&self.text, &self.unread) {
            (Some(_), _) | (None, None) => Ok((self.clone(), line)),
            (None, Some(source)) => {
                let (parsed, _) = parse(source)?;
                Ok((parsed.body, parsed.body_line))
            }
        }
    }

    /// The same body without its text: once rendered, nothing reads it again. (Nor asks its
    /// hash: a build releases the texts after the body cache is saved, and keeps the hash
    /// only if that asked for it.)
    pub fn released(&self) -> BodyText {
        BodyText {
            text: None,
            hash: self.hash.clone(),
            unread: None,
        }
    }
}

impl Default for BodyText {
    fn default() -> BodyText {
        BodyText::read("")
    }
}

/// Stable within one Herald binary (the caches that keep it are tied to the binary).
fn text_hash(text: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    text.hash(&mut h);
    h.finish()
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub enum Doc {
    Page(PageMeta),
    Brand(Brand),
    Section(SectionMeta),
}

/// `extra` in the parse cache: JSON text (bincode cannot read a `serde_json::Value` back,
/// which needs a self-describing format).
pub(crate) mod json_text {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub(crate) fn serialize<S: Serializer>(v: &serde_json::Value, s: S) -> Result<S::Ok, S::Error> {
        v.to_string().serialize(s)
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<serde_json::Value, D::Error> {
        let text = String::deserialize(d)?;
        serde_json::from_str(&text).map_err(serde::de::Error::custom)
    }
}

/// Reads and parses one Markdown source. All of its mistakes are returned together.
pub fn parse(source: &Source) -> Result<(Parsed, Diagnostics), Diagnostics> {
    let mut diags = Diagnostics::default();
    let shown = Path::new("content").join(&source.rel);
    let text = crate::fs::read_text(&source.abs, &mut diags).map_err(|e| {
        let mut d = Diagnostics::default();
        d.error(relocate(e, &shown));
        d
    })?;
    // Positions point at the path the user knows, relative to the site root.
    for w in &mut diags.warnings {
        relocate_warning(w, &shown);
    }
    match parse_text(source, &shown, &text, &mut diags) {
        Ok(parsed) => Ok((parsed, diags)),
        Err(errors) => {
            diags.errors.extend(errors);
            Err(diags)
        }
    }
}

pub fn parse_text(
    source: &Source,
    shown: &Path,
    text: &str,
    diags: &mut Diagnostics,
) -> Result<Parsed, Vec<crate::error::Error>> {
    let split = front_matter::split(shown, text, source.kind == SourceKind::Section)
        .map_err(|e| vec![e])?;
    let mut fields = match split.yaml {
        Some(yaml) => {
            crate::yaml::parse_mapping(shown, yaml, split.yaml_line).map_err(|e| vec![e])?
        }
        None => Vec::new(),
    };
    crate::yaml::clean_escaped_controls(&mut fields, diags);
    let file_at = Location::file(shown);
    let doc = match source.kind {
        SourceKind::Brand => Doc::Brand(brand::parse(&file_at, &fields, diags)?),
        SourceKind::Section => Doc::Section(section::parse(&fields)?),
        _ => {
            if split.yaml.is_none() {
                // No front matter at all: say what is missing, at the top of the file.
                return Err(vec![crate::error::Error::MissingKey {
                    at: Location::new(shown, 1, 0),
                    key: "title",
                }]);
            }
            let is_report = source.rel.starts_with("cases/");
            Doc::Page(page::parse(&file_at, &fields, is_report, diags)?)
        }
    };
    Ok(Parsed {
        source: source.clone(),
        shown: shown.to_path_buf(),
        doc,
        body: BodyText::read(split.body),
        body_line: split.body_line,
    })
}

fn relocate(e: crate::error::Error, shown: &Path) -> crate::error::Error {
    use crate::error::Error;
    match e {
        Error::Io { at, action, source } => Error::Io {
            at: Location {
                path: shown.to_path_buf(),
                ..at
            },
            action,
            source,
        },
        Error::NotUtf8 { at, guess } => Error::NotUtf8 {
            at: Location {
                path: shown.to_path_buf(),
                ..at
            },
            guess,
        },
        Error::TooLarge { at, size, limit } => Error::TooLarge {
            at: Location {
                path: shown.to_path_buf(),
                ..at
            },
            size,
            limit,
        },
        other => other,
    }
}

fn relocate_warning(w: &mut crate::error::Warning, shown: &Path) {
    w.location_mut().path = shown.to_path_buf();
}

/// `template:` names a template of the theme (`page.html`, `special/wide.html`): a path inside
/// the templates, never one that leads out of them.
pub fn template_name(f: &crate::yaml::Field) -> Result<Option<String>, crate::error::Error> {
    let Some(name) = f.opt_text()? else {
        return Ok(None);
    };
    match crate::paths::relative_parts(&name) {
        Ok(_) => Ok(Some(name)),
        Err(problem) => Err(crate::error::Error::BadUrl {
            at: f.value_at(),
            key: f.key.clone(),
            url: name,
            problem,
        }),
    }
}
