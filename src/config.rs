//! `site.yaml`: read key by key into a checked `Config` (defaults filled, base URL split into
//! host and path, taxonomies validated).

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::error::{Diagnostics, Error, Expected, Location};
use crate::yaml::{self, get_text, only_keys};

use crate::layout::SiteFolder;
pub(crate) use crate::layout::SITE_FILE;

const SITE_KEYS: &[&str] = &[
    "title",
    "description",
    "base_url",
    "language",
    "theme",
    "author",
    "paginate",
    "menu",
    "taxonomies",
    "theme_settings",
    "beian",
    "deploy",
    "relative_urls",
    "zh_hant",
    "extra",
];

const BEIAN_KEYS: &[&str] = &["icp", "police", "site_code"];
const DEPLOY_KEYS: &[&str] = &["target", "endpoint"];

/// The filing numbers a Chinese government site shows in its footer (备案).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Beian {
    /// ICP 备案号, e.g. 苏ICP备12345678号.
    pub icp: Option<String>,
    /// 公安备案号, e.g. 苏公网安备 32010202000001号.
    pub police: Option<String>,
    /// The digits of `police`, for the link to its record.
    pub police_code: Option<String>,
    /// 政府网站标识码.
    pub site_code: Option<String>,
}

/// Where `herald deploy` publishes to when no target is given. Never credentials.
#[derive(Debug, Clone, Default)]
pub struct DeployConfig {
    pub target: Option<String>,
    pub endpoint: Option<String>,
    /// The `deploy:` line, for errors about its values.
    pub at: Option<Location>,
}

#[derive(Debug, Clone, Serialize)]
pub struct MenuItem {
    pub name: String,
    pub url: String,
}

/// A taxonomy: the pages' front matter `field` (`tags`, `region`, `org`) listed at `/<name>/`.
#[derive(Debug, Clone, Serialize)]
pub struct TaxonomyConfig {
    pub name: String,
    pub field: String,
    pub title: String,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub root: PathBuf,
    pub title: String,
    pub description: String,
    /// Always ends with `/`.
    pub base_url: String,
    /// The path part of `base_url`: `/` or `/minzheng/`.
    pub base_path: String,
    pub language: String,
    /// A folder name under `themes/`, or `default`.
    pub theme: String,
    /// Where `theme:` is written (site.yaml, or the file itself when it is not).
    pub theme_at: Location,
    pub author: String,
    pub paginate: usize,
    pub menu: Vec<MenuItem>,
    pub taxonomies: Vec<TaxonomyConfig>,
    pub theme_settings: serde_json::Map<String, serde_json::Value>,
    pub beian: Beian,
    pub deploy: DeployConfig,
    /// Internal URLs written relative to each page (`herald build --relative`), so the output
    /// works from any folder and opened from disk (`file://`, a USB stick).
    pub relative_urls: bool,
    /// `zh_hant:`: a Traditional-script mirror of the whole site under `/zh-hant/`.
    pub zh_hant: Option<crate::hant::Settings>,
    /// Where this script's pages are below the base path: empty, or `zh-hant/` for the mirror
    /// (files — CSS, photos — exist once, for both).
    pub script_dir: &'static str,
    /// The Simplified site's language, in both scripts (`hreflang` of the 简 link).
    pub main_language: String,
    pub extra: serde_json::Value,
    /// What reading site.yaml warns about (a partly filled `beian`).
    pub warnings: Vec<crate::error::Warning>,
}

/// A URL written in site.yaml (a menu entry, a logo) must be one a browser may follow safely.
fn check_url(url: &str, key: &str, at: Location) -> Result<crate::paths::UrlKind, Error> {
    crate::paths::check_url(url).map_err(|problem| Error::BadUrl {
        at,
        key: key.to_string(),
        url: url.to_string(),
        problem,
    })
}

/// `base_url` is an `http(s)://` address or a path starting with `/`.
fn check_base_url(url: &str, fields: &[yaml::Field]) -> Result<(), Error> {
    let at = fields
        .iter()
        .find(|f| f.key == "base_url")
        .map_or_else(|| Location::file(SITE_FILE), yaml::Field::value_at);
    match check_url(url, "base_url", at.clone())? {
        crate::paths::UrlKind::Web => Ok(()),
        crate::paths::UrlKind::Relative if url.trim().starts_with('/') => Ok(()),
        _ => Err(Error::BadValue {
            at,
            key: "base_url".into(),
            value: url.to_string(),
            expected: Expected::BaseUrl,
        }),
    }
}

/// Theme settings end up inside the theme's CSS and links: `accent` must be a colour (else it
/// could add CSS rules), `logo` a safe URL.
pub(crate) fn check_theme_settings(
    settings: &serde_json::Map<String, serde_json::Value>,
    at: &Location,
) -> Result<(), Error> {
    if let Some(accent) = settings.get("accent") {
        let text = accent.as_str().unwrap_or_default();
        if !yaml::is_css_color(text.trim()) {
            return Err(Error::BadValue {
                at: at.clone(),
                key: "theme_settings.accent".into(),
                value: accent
                    .as_str()
                    .map_or_else(|| accent.to_string(), str::to_string),
                expected: Expected::Color,
            });
        }
    }
    if let Some(logo) = settings.get("logo").and_then(|l| l.as_str()) {
        check_url(logo, "theme_settings.logo", at.clone())?;
    }
    Ok(())
}

impl Config {
    /// Reads `root/site.yaml`. `base_url` overrides the file's (for `--base-url` and `serve`).
    pub fn load(root: &Path, base_url: Option<&str>) -> Result<Config, Diagnostics> {
        let file = root.join(SITE_FILE);
        if !file.is_file() {
            return Err(Error::NoSite {
                at: Location::file(&file),
            }
            .into());
        }
        crate::paths::SiteRoot::new(root).check_inside(&file)?;
        let mut read = Diagnostics::default();
        let text = crate::fs::read_text(&file, &mut read)?;
        let mut cfg = Config::parse(root, &file, &text)?;
        // What reading it warned about (GBK, control characters) is the site's to hear too.
        cfg.warnings.extend(read.warnings);
        for w in &mut cfg.warnings {
            if w.location().path == file {
                w.location_mut().path = PathBuf::from(SITE_FILE);
            }
        }
        if let Some(url) = base_url {
            cfg.set_base_url(url);
        }
        Ok(cfg)
    }

    pub fn parse(root: &Path, file: &Path, text: &str) -> Result<Config, Diagnostics> {
        let mut diags = Diagnostics::default();
        let mut fields = yaml::parse_mapping(file, text, 1)?;
        yaml::clean_escaped_controls(&mut fields, &mut diags);
        let mut cfg = Config {
            root: root.to_path_buf(),
            title: "宣页".into(),
            description: String::new(),
            base_url: "/".into(),
            base_path: "/".into(),
            language: "zh-CN".into(),
            theme: "default".into(),
            theme_at: Location::file(SITE_FILE),
            author: String::new(),
            paginate: 10,
            menu: Vec::new(),
            taxonomies: default_taxonomies(),
            theme_settings: serde_json::Map::new(),
            beian: Beian::default(),
            deploy: DeployConfig::default(),
            relative_urls: false,
            zh_hant: None,
            script_dir: "",
            main_language: String::new(),
            extra: serde_json::Value::Object(serde_json::Map::new()),
            warnings: Vec::new(),
        };
        let mut base_url = String::from("/");
        for f in &fields {
            let r: Result<(), Error> = (|| {
                match f.key.as_str() {
                    "title" => cfg.title = f.text()?,
                    "description" => cfg.description = f.opt_text()?.unwrap_or_default(),
                    "base_url" => base_url = f.text()?,
                    "language" => cfg.language = f.text()?,
                    "theme" => {
                        cfg.theme = f.text()?;
                        cfg.theme_at = Location::new(SITE_FILE, f.at.line, f.value_at().col);
                    }
                    "author" => cfg.author = f.opt_text()?.unwrap_or_default(),
                    "relative_urls" => cfg.relative_urls = f.bool()?,
                    "paginate" => {
                        let n = f.int()?;
                        cfg.paginate =
                            usize::try_from(n).ok().filter(|n| *n > 0).ok_or_else(|| {
                                Error::BadValue {
                                    at: f.at.clone(),
                                    key: f.key.clone(),
                                    value: n.to_string(),
                                    expected: Expected::Number,
                                }
                            })?;
                    }
                    "menu" => {
                        cfg.menu = f.map_list(Expected::MenuItem, |m| {
                            only_keys(m, &["name", "url"]).then_some(())?;
                            Some(MenuItem {
                                name: get_text(m, "name")?,
                                url: get_text(m, "url")?,
                            })
                        })?;
                        for (i, item) in cfg.menu.iter().enumerate() {
                            check_url(&item.url, "menu", f.item_at(i))?;
                        }
                    }
                    "taxonomies" => {
                        cfg.taxonomies = f.map_list(Expected::Taxonomy, |m| {
                            only_keys(m, &["name", "field", "title"]).then_some(())?;
                            let name = get_text(m, "name")?;
                            let ok_name = !name.is_empty()
                                && name
                                    .chars()
                                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
                            ok_name.then_some(())?;
                            Some(TaxonomyConfig {
                                field: get_text(m, "field").unwrap_or_else(|| name.clone()),
                                title: get_text(m, "title").unwrap_or_else(|| name.clone()),
                                name,
                            })
                        })?
                    }
                    "theme_settings" => match f.json() {
                        serde_json::Value::Object(m) => {
                            check_theme_settings(&m, &f.value_at())?;
                            cfg.theme_settings = m
                        }
                        serde_json::Value::Null => {}
                        _ => {
                            return Err(Error::BadValue {
                                at: f.at.clone(),
                                key: f.key.clone(),
                                value: yaml::show_value(&f.value),
                                expected: Expected::Map,
                            })
                        }
                    },
                    "beian" => {
                        cfg.beian = parse_beian(f)?;
                        let missing = beian_missing(&cfg.beian);
                        if !missing.is_empty() && missing.len() < BEIAN_KEYS.len() {
                            cfg.warnings.push(crate::error::Warning::BeianPartial {
                                at: f.at.clone(),
                                missing,
                            });
                        }
                    }
                    "deploy" => cfg.deploy = parse_deploy(f)?,
                    "zh_hant" => cfg.zh_hant = crate::hant::settings(f, text)?,
                    "extra" => cfg.extra = f.json(),
                    _ => return Err(yaml::unknown_key(f, SITE_KEYS)),
                }
                Ok(())
            })();
            if let Err(e) = r {
                diags.error(e);
            }
        }
        if !diags.errors.is_empty() {
            return Err(diags);
        }
        cfg.warnings.extend(diags.warnings);
        if let Err(e) = check_base_url(&base_url, &fields) {
            return Err(e.into());
        }
        cfg.set_base_url(&base_url);
        cfg.main_language = cfg.language.clone();
        Ok(cfg)
    }

    /// The site's folder, against which every file of the site is checked.
    pub fn site_root(&self) -> crate::paths::SiteRoot {
        crate::paths::SiteRoot::new(&self.root)
    }

    pub fn set_base_url(&mut self, url: &str) {
        let mut url = url.trim().to_string();
        if !url.ends_with('/') {
            url.push('/');
        }
        let path = match url.find("://") {
            Some(i) => url[i + 3..].find('/').map_or("/", |p| &url[i + 3 + p..]),
            None if url.starts_with('/') => url.as_str(),
            None => "/",
        };
        self.base_path = path.to_string();
        self.base_url = url;
    }

    /// The root-relative URL of a site path (`cases/x/` → `/base/cases/x/`). A page of the
    /// mirror is under `zh-hant/`; a file is the same for both scripts.
    pub fn url(&self, site_path: &str) -> String {
        self.url_in(self.script_dir, site_path).0
    }

    /// The absolute URL of a site path, for canonical links, feeds and the sitemap.
    pub fn permalink(&self, site_path: &str) -> String {
        self.url_in(self.script_dir, site_path).1
    }

    /// A page in both scripts: (Simplified, Traditional), each as (URL, permalink).
    pub(crate) fn both_scripts(&self, site_path: &str) -> [(String, String); 2] {
        ["", crate::hant::DIR].map(|dir| self.url_in(dir, site_path))
    }

    /// (URL, permalink) of a site path in the script whose pages are under `dir`.
    fn url_in(&self, dir: &str, site_path: &str) -> (String, String) {
        let p = site_path.trim_start_matches('/');
        let dir = if is_page_path(p) { dir } else { "" };
        let url = format!("{}{dir}{p}", self.base_path);
        let permalink = if self.base_url.contains("://") {
            format!("{}{dir}{p}", self.base_url)
        } else {
            url.clone()
        };
        (url, permalink)
    }

    pub fn content_dir(&self) -> PathBuf {
        SiteFolder::Content.path(&self.root)
    }
    pub fn static_dir(&self) -> PathBuf {
        SiteFolder::Static.path(&self.root)
    }
    pub fn templates_dir(&self) -> PathBuf {
        SiteFolder::Templates.path(&self.root)
    }
    pub fn themes_dir(&self) -> PathBuf {
        SiteFolder::Themes.path(&self.root)
    }
}

/// A site path that is a page (a folder, or the feed), so it exists once per script; other
/// paths are files, the same for both.
pub(crate) fn is_page_path(site_path: &str) -> bool {
    let p = site_path.split(['#', '?']).next().unwrap_or("");
    p.is_empty() || p.ends_with('/') || p == "atom.xml"
}

/// The sub-mapping of `beian:` or `deploy:`, its keys checked against `known`.
fn sub_mapping(
    f: &yaml::Field,
    known: &'static [&'static str],
    expected: Expected,
) -> Result<Vec<(String, Option<String>)>, Error> {
    let bad = || Error::BadValue {
        at: f.value_at(),
        key: f.key.clone(),
        value: yaml::show_value(&f.value),
        expected: expected.clone(),
    };
    let m = match &f.value {
        serde_yaml::Value::Mapping(m) => m,
        serde_yaml::Value::Null => return Ok(Vec::new()),
        _ => return Err(bad()),
    };
    let mut out = Vec::new();
    for (k, v) in m {
        let key = k.as_str().ok_or_else(bad)?;
        let lower = key.to_ascii_lowercase();
        // A secret here would be committed to git with the site: say where it belongs instead.
        if ["key", "secret", "password", "passwd", "token", "credential"]
            .iter()
            .any(|w| lower.contains(w))
        {
            return Err(Error::SecretInSite {
                at: f.at.clone(),
                key: format!("{}.{key}", f.key),
            });
        }
        if !known.contains(&key) {
            return Err(Error::UnknownKey {
                at: f.at.clone(),
                key: format!("{}.{key}", f.key),
                suggestion: crate::error::suggest(key, known.iter().copied()),
                known,
            });
        }
        let text = match v {
            serde_yaml::Value::Null => None,
            v => Some(yaml::scalar_text(v).ok_or_else(|| Error::BadValue {
                at: f.at.clone(),
                key: format!("{}.{key}", f.key),
                value: yaml::show_value(v),
                expected: Expected::Text,
            })?),
        };
        out.push((key.to_string(), text.filter(|t| !t.trim().is_empty())));
    }
    Ok(out)
}

fn parse_beian(f: &yaml::Field) -> Result<Beian, Error> {
    let mut b = Beian::default();
    for (key, value) in sub_mapping(f, BEIAN_KEYS, Expected::Beian)? {
        let value = value.map(|v| v.trim().to_string());
        match key.as_str() {
            "icp" => b.icp = value,
            "police" => {
                b.police_code = value
                    .as_ref()
                    .map(|v| v.chars().filter(char::is_ascii_digit).collect::<String>());
                b.police = value;
            }
            _ => b.site_code = value,
        }
    }
    Ok(b)
}

fn beian_missing(b: &Beian) -> Vec<&'static str> {
    [
        ("icp", b.icp.is_none()),
        ("police", b.police.is_none()),
        ("site_code", b.site_code.is_none()),
    ]
    .into_iter()
    .filter_map(|(k, missing)| missing.then_some(k))
    .collect()
}

fn parse_deploy(f: &yaml::Field) -> Result<DeployConfig, Error> {
    let mut d = DeployConfig {
        at: Some(f.at.clone()),
        ..Default::default()
    };
    for (key, value) in sub_mapping(f, DEPLOY_KEYS, Expected::Deploy)? {
        match key.as_str() {
            "target" => d.target = value,
            _ => d.endpoint = value,
        }
    }
    // Checked now, so `herald check` finds a mistyped target before the day of publishing.
    if let Some(t) = &d.target {
        crate::deploy::Target::parse(t, &f.at)?;
    }
    if let Some(e) = &d.endpoint {
        crate::deploy::check_endpoint(e, &f.at)?;
    }
    Ok(d)
}

fn default_taxonomies() -> Vec<TaxonomyConfig> {
    [
        ("tags", "tags", "标签"),
        ("regions", "region", "地区"),
        ("orgs", "org", "单位"),
    ]
    .into_iter()
    .map(|(name, field, title)| TaxonomyConfig {
        name: name.into(),
        field: field.into(),
        title: title.into(),
    })
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_in_a_sub_folder() {
        let cfg = Config::parse(
            Path::new("."),
            Path::new("site.yaml"),
            "title: 测试\nbase_url: https://example.org/minzheng\n",
        );
        let Ok(cfg) = cfg else { panic!("parse failed") };
        assert_eq!(cfg.base_path, "/minzheng/");
        assert_eq!(cfg.url("cases/a/"), "/minzheng/cases/a/");
        assert_eq!(
            cfg.permalink("cases/a/"),
            "https://example.org/minzheng/cases/a/"
        );
        assert_eq!(cfg.taxonomies.len(), 3);
    }

    #[test]
    fn unknown_site_key_is_named() {
        let Err(d) = Config::parse(Path::new("."), Path::new("site.yaml"), "titel: x\n") else {
            panic!("accepted a typo")
        };
        assert!(
            matches!(&d.errors[0], Error::UnknownKey { suggestion: Some(s), .. } if s == "title")
        );
    }
}
