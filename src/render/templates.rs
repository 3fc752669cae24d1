//! Themes and Tera: the embedded default theme, a theme folder layered over it, and the site's
//! own `templates/` over both. Filters, functions and shortcodes are registered here.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use serde_json::Value;
use tera::{Kwargs, State, Tera, TeraResult};

use crate::config::Config;
use crate::error::{Diagnostics, Error, Location};

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/default_theme.rs"));
}

/// A file of a theme: from the binary or from disk.
#[derive(Debug, Clone)]
pub enum ThemeFile {
    Embedded(&'static [u8]),
    Disk(PathBuf),
}

pub struct Templates {
    pub tera: Tera,
    /// Template name → the file it came from, for error locations.
    pub files: HashMap<String, PathBuf>,
    /// Template name → its text, to find where an unknown variable is written.
    sources: HashMap<String, String>,
    /// Theme settings merged with site.yaml `theme_settings`.
    pub settings: serde_json::Map<String, Value>,
    /// Theme static files: output path → source.
    pub static_files: BTreeMap<String, ThemeFile>,
    /// What reading the theme and template files warned about (paths relative to the site).
    pub warnings: Vec<crate::error::Warning>,
}

impl Templates {
    /// A hash of the shortcode templates: Markdown bodies rendered with other shortcodes
    /// cannot be reused.
    pub fn shortcodes_hash(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        let mut codes: Vec<(&String, &String)> = self
            .sources
            .iter()
            .filter(|(n, _)| n.starts_with("shortcodes/"))
            .collect();
        codes.sort();
        codes.hash(&mut h);
        h.finish()
    }

    /// A hash of what rendering with `primary` depends on: its own text and that of every
    /// template that is not itself a primary one (base, macros, partials, shortcodes), which
    /// it may extend, import or include. Editing page.html re-renders pages, not lists.
    pub fn dependency_hash(
        &self,
        primary: &str,
        primaries: &std::collections::HashSet<String>,
    ) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        self.sources.get(primary).hash(&mut h);
        let mut shared: Vec<(&String, &String)> = self
            .sources
            .iter()
            .filter(|(n, _)| !primaries.contains(*n))
            .collect();
        shared.sort();
        shared.hash(&mut h);
        self.settings
            .iter()
            .map(|(k, v)| (k, v.to_string()))
            .collect::<Vec<_>>()
            .hash(&mut h);
        h.finish()
    }
}

pub(crate) fn embedded_files() -> impl Iterator<Item = (&'static str, &'static [u8])> {
    embedded::DEFAULT_THEME.iter().copied()
}

impl Templates {
    pub fn load(config: &Config) -> Result<Templates, Diagnostics> {
        check_theme(config)?;
        let theme_dir = config.themes_dir().join(&config.theme);
        // Layers, lowest first: embedded default, theme folder, site templates/.
        let mut templates: BTreeMap<String, (String, Option<PathBuf>)> = BTreeMap::new();
        let mut static_files: BTreeMap<String, ThemeFile> = BTreeMap::new();
        let mut theme_yaml: Option<(String, PathBuf)> = None;
        let mut diags = Diagnostics::default();
        for (rel, bytes) in embedded_files() {
            if let Some(name) = rel.strip_prefix("templates/") {
                templates.insert(
                    name.to_string(),
                    (String::from_utf8_lossy(bytes).into_owned(), None),
                );
            } else if let Some(name) = rel.strip_prefix("static/") {
                static_files.insert(name.to_string(), ThemeFile::Embedded(bytes));
            } else if rel == "theme.yaml" {
                theme_yaml = Some((
                    String::from_utf8_lossy(bytes).into_owned(),
                    PathBuf::from("themes/default/theme.yaml"),
                ));
            }
        }
        let shown_root = |p: &Path| {
            p.strip_prefix(&config.root)
                .map(Path::to_path_buf)
                .unwrap_or_else(|_| p.to_path_buf())
        };
        let site_root = config.site_root();
        let mut read_layer = |dir: &Path, templates_only: bool, diags: &mut Diagnostics| {
            let (files, errors) = site_root.files(dir);
            diags.errors.extend(errors);
            for (rel, path) in files {
                let shown = shown_root(&path);
                if templates_only {
                    if let Ok(text) = crate::fs::read_text(&path, diags).map_err(|e| diags.error(e))
                    {
                        templates.insert(rel, (text, Some(shown)));
                    }
                } else if let Some(name) = rel.strip_prefix("templates/") {
                    if let Ok(text) = crate::fs::read_text(&path, diags).map_err(|e| diags.error(e))
                    {
                        templates.insert(name.to_string(), (text, Some(shown)));
                    }
                } else if let Some(name) = rel.strip_prefix("static/") {
                    static_files.insert(name.to_string(), ThemeFile::Disk(path));
                } else if rel == "theme.yaml" {
                    if let Ok(text) = crate::fs::read_text(&path, diags).map_err(|e| diags.error(e))
                    {
                        theme_yaml = Some((text, shown));
                    }
                }
            }
        };
        if theme_dir.is_dir() {
            read_layer(&theme_dir, false, &mut diags);
        }
        if config.templates_dir().is_dir() {
            read_layer(&config.templates_dir(), true, &mut diags);
        }
        if !diags.errors.is_empty() {
            return Err(diags);
        }
        for w in &mut diags.warnings {
            let at = w.location_mut();
            at.path = shown_root(&at.path);
        }
        let mut settings = serde_json::Map::new();
        if let Some((text, path)) = theme_yaml {
            settings = theme_settings(&text, &path)?;
            crate::config::check_theme_settings(&settings, &Location::file(&path))?;
        }
        for (k, v) in &config.theme_settings {
            settings.insert(k.clone(), v.clone());
        }

        let mut tera = Tera::new();
        // Filters and functions first: Tera 2 checks every name a template uses when it is added.
        register(&mut tera, config);
        tera.autoescape_on(vec![".html", ".htm", ".xml"]);
        // The same entities as Herald's Markdown (`'` included), so a title reads the same
        // wherever it is printed.
        tera.set_escape_fn(escape_to);
        let files: HashMap<String, PathBuf> = templates
            .iter()
            .filter_map(|(name, (_, p))| p.clone().map(|p| (name.clone(), p)))
            .collect();
        let raw: Vec<(String, String)> = templates.into_iter().map(|(n, (t, _))| (n, t)).collect();
        let sources: HashMap<String, String> = raw.iter().cloned().collect();
        if let Err(e) = tera.add_raw_templates(raw) {
            return Err(Diagnostics::unique(super::engine_errors::convert(
                &e, &files, &sources,
            )));
        }
        Ok(Templates {
            tera,
            files,
            sources,
            settings,
            static_files,
            warnings: diags.warnings,
        })
    }

    /// The same templates with their text changed by `text` (the Traditional mirror's: the
    /// theme's own words converted) and each theme setting by `setting`, for `config`.
    pub(crate) fn converted(
        &self,
        config: &Config,
        text: &dyn Fn(&str) -> String,
        setting: &dyn Fn(&str, &Value) -> Value,
    ) -> Result<Templates, Diagnostics> {
        let mut tera = Tera::new();
        register(&mut tera, config);
        tera.autoescape_on(vec![".html", ".htm", ".xml"]);
        tera.set_escape_fn(escape_to);
        let mut raw: Vec<(String, String)> = self
            .sources
            .iter()
            .map(|(n, t)| (n.clone(), text(t)))
            .collect();
        raw.sort();
        let sources: HashMap<String, String> = raw.iter().cloned().collect();
        if let Err(e) = tera.add_raw_templates(raw) {
            return Err(Diagnostics::unique(super::engine_errors::convert(
                &e,
                &self.files,
                &sources,
            )));
        }
        Ok(Templates {
            tera,
            files: self.files.clone(),
            sources,
            settings: self
                .settings
                .iter()
                .map(|(k, v)| (k.clone(), setting(k, v)))
                .collect(),
            static_files: self.static_files.clone(),
            warnings: Vec::new(),
        })
    }

    pub fn has(&self, name: &str) -> bool {
        self.tera.contains_template(name)
    }

    pub fn render(&self, name: &str, ctx: &tera::Context) -> Result<String, Error> {
        self.tera.render(name, ctx).map_err(|e| self.error(&e))
    }

    /// Renders straight into bytes: an output is written as it is, so checking that the
    /// whole page is UTF-8 again (what `render` does) is wasted work.
    pub fn render_bytes(&self, name: &str, ctx: &tera::Context) -> Result<Vec<u8>, Error> {
        let mut out = Vec::with_capacity(32 * 1024);
        self.tera
            .render_to(name, ctx, &mut out)
            .map_err(|e| self.error(&e))?;
        // No control character reaches an output: sources are cleaned when read, YAML escapes
        // when parsed (`yaml::clean_escaped_controls`), character references in Markdown when
        // rendered (`markdown::walk`), so the rendered bytes are not scanned again.
        Ok(out)
    }

    /// A render stops at its first mistake: one error.
    fn error(&self, e: &tera::Error) -> Error {
        let errors = super::engine_errors::convert(e, &self.files, &self.sources);
        errors
            .into_iter()
            .next()
            .unwrap_or_else(|| Error::Template {
                name: String::new(),
                at: None,
                message: e.to_string(),
                called_from: Vec::new(),
                advice: None,
            })
    }

    /// Templates a page can name in `template:` (not partials, macros or shortcodes).
    pub fn page_template_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self
            .tera
            .get_template_names()
            .filter(|n| n.ends_with(".html") && !n.contains('/'))
            .map(str::to_string)
            .collect();
        names.sort();
        names
    }

    /// Names of the shortcode templates, for a helpful error.
    pub fn shortcode_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self
            .tera
            .get_template_names()
            .filter_map(|n| {
                n.strip_prefix("shortcodes/")?
                    .strip_suffix(".html")
                    .map(str::to_string)
            })
            .collect();
        names.sort();
        names
    }
}

/// A theme is a folder name under themes/ that exists (or `default`): never a path that could
/// lead elsewhere. The error lists the themes there are.
fn check_theme(config: &Config) -> Result<(), Diagnostics> {
    let known = config.theme == "default" || crate::paths::is_folder_name(&config.theme);
    let theme_dir = config.themes_dir().join(&config.theme);
    if config.theme != "default" && (!known || !theme_dir.is_dir()) {
        let mut available = vec!["default".to_string()];
        if let Ok(entries) = std::fs::read_dir(config.themes_dir()) {
            for e in entries.flatten() {
                let n = e.file_name().to_string_lossy().to_string();
                if e.path().is_dir() && n != "default" && crate::paths::is_folder_name(&n) {
                    available.push(n);
                }
            }
        }
        available.sort();
        return Err(Error::UnknownTheme {
            at: config.theme_at.clone(),
            name: config.theme.clone(),
            available,
        }
        .into());
    }
    Ok(())
}

fn theme_settings(text: &str, path: &Path) -> Result<serde_json::Map<String, Value>, Diagnostics> {
    let mut fields = crate::yaml::parse_mapping(path, text, 1)?;
    // theme.yaml is the theme author's: its escapes are removed without a warning.
    crate::yaml::clean_escaped_controls(&mut fields, &mut Diagnostics::default());
    let mut settings = serde_json::Map::new();
    for f in &fields {
        match f.key.as_str() {
            "settings" => {
                if let Value::Object(m) = f.json() {
                    settings = m;
                }
            }
            "name" | "description" | "author" | "version" => {}
            _ => {
                return Err(crate::yaml::unknown_key(
                    f,
                    &["name", "description", "author", "version", "settings"],
                )
                .into())
            }
        }
    }
    Ok(settings)
}

fn escape_to(input: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    // Runs between special characters are written whole: most values have none.
    let mut start = 0;
    for (i, b) in input.bytes().enumerate() {
        let entity: &[u8] = match b {
            b'&' => b"&amp;",
            b'<' => b"&lt;",
            b'>' => b"&gt;",
            b'"' => b"&quot;",
            b'\'' => b"&#39;",
            _ => continue,
        };
        out.write_all(&input.as_bytes()[start..i])?;
        out.write_all(entity)?;
        start = i + 1;
    }
    out.write_all(&input.as_bytes()[start..])
}

/// What Herald adds to Tera: `url_for`, the Chinese date, the feed date, and `striptags`
/// (Tera 1 had it built in; Tera 2 does not).
fn register(tera: &mut Tera, config: &Config) {
    // Pages in this script (the mirror's under `zh-hant/`), files the same for both.
    let (base, script_dir) = (config.base_path.clone(), config.script_dir);
    tera.register_function(
        "url_for",
        move |kwargs: Kwargs, _: &State| -> TeraResult<String> {
            let path = kwargs
                .get::<&str>("path")?
                .unwrap_or("")
                .trim_start_matches('/');
            let dir = if crate::config::is_page_path(path) {
                script_dir
            } else {
                ""
            };
            Ok(format!("{base}{dir}{path}"))
        },
    );
    tera.register_filter("date_zh", |v: &str, _: Kwargs, _: &State| {
        crate::text::date_zh(v)
    });
    tera.register_filter("rfc3339", |v: &str, _: Kwargs, _: &State| {
        crate::date::Date::parse(v).map_or_else(|| v.to_string(), |d| d.rfc3339())
    });
    tera.register_filter("striptags", |v: &str, _: Kwargs, _: &State| strip_tags(v));
}

/// Text without its HTML tags and comments, as Tera 1's `striptags` did.
fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        let after = &rest[i..];
        let end = if after.starts_with("<!--") {
            after.find("-->").map(|e| e + 3)
        } else {
            after.find('>').map(|e| e + 1)
        };
        match end {
            Some(e) => rest = &after[e..],
            None => {
                out.push_str(after);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// Shortcodes rendered by `shortcodes/<name>.html`.
pub(crate) struct ShortcodeTemplates<'a> {
    pub templates: &'a Templates,
}

impl crate::markdown::Shortcodes for ShortcodeTemplates<'_> {
    fn render(
        &self,
        name: &str,
        args: &serde_json::Map<String, Value>,
        body: Option<&str>,
    ) -> Result<String, String> {
        let template = format!("shortcodes/{name}.html");
        if !self.templates.has(&template) {
            return Err(format!(
                "unknown shortcode `{name}`; available: {}",
                self.templates.shortcode_names().join(", ")
            ));
        }
        let mut ctx = tera::Context::new();
        for (k, v) in args {
            ctx.insert(k.clone(), v);
        }
        if let Some(body) = body {
            ctx.insert("body", body);
            if name == "timeline" {
                ctx.insert("items", &timeline_items(body));
            }
        }
        self.templates.render(&template, &ctx).map_err(|e| match e {
            Error::Template { message, .. } => message,
            other => other.to_string(),
        })
    }
}

/// `2021-03 | 品牌创建启动` lines of a timeline body (already rendered as HTML paragraphs).
fn timeline_items(body_html: &str) -> Vec<serde_json::Value> {
    let text = body_html
        .replace("<p>", "")
        .replace("</p>", "\n")
        .replace("<br />", "\n");
    text.lines()
        .filter_map(|l| {
            let (date, title) = l.split_once(['|', '｜'])?;
            Some(serde_json::json!({"date": date.trim(), "title": title.trim()}))
        })
        .collect()
}
