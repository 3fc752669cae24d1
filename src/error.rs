//! The one error type of Herald.
//!
//! Every mistake a user can make in a file is a variant that carries the file and the position,
//! so the message can say where to look. The wording lives in `diagnostics` (Chinese and
//! English catalogues); this module only says *what* went wrong.

use std::fmt;
use std::path::{Path, PathBuf};

/// A place in a user's file: 1-based line and column (columns count characters, not bytes).
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct Location {
    pub path: PathBuf,
    pub line: usize,
    pub col: usize,
}

impl Location {
    pub fn new(path: impl Into<PathBuf>, line: usize, col: usize) -> Self {
        Location {
            path: path.into(),
            line,
            col,
        }
    }
    /// The whole file, when no line can be named (an empty file, an unreadable one).
    pub fn file(path: impl Into<PathBuf>) -> Self {
        Location::new(path, 0, 0)
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // A file of the site reads the same on every system (`content/cases/a.md`); a full
        // path (`C:\Users\…`, typed or made from what was typed) is shown as given.
        let shown = self.path.display().to_string();
        let path = if self.path.is_absolute() {
            strip_verbatim(&shown).to_string()
        } else {
            shown.replace('\\', "/")
        };
        match (self.line, self.col) {
            (0, _) => write!(f, "{path}"),
            (line, 0) => write!(f, "{path}:{line}"),
            (line, col) => write!(f, "{path}:{line}:{col}"),
        }
    }
}

/// `\\?\C:\x` (what Windows' canonicalize gives) → `C:\x`; `\\?\UNC\host\x` → `\\host\x`.
fn strip_verbatim(s: &str) -> std::borrow::Cow<'_, str> {
    if let Some(rest) = s.strip_prefix(r"\\?\UNC\") {
        format!(r"\\{rest}").into()
    } else {
        s.strip_prefix(r"\\?\").unwrap_or(s).into()
    }
}

/// What is wrong with a value in front matter or site.yaml.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expected {
    Text,
    Number,
    Bool,
    Date,
    Year,
    Color,
    List,
    Map,
    Metric,
    Pillar,
    Honour,
    Event,
    Taxonomy,
    MenuItem,
    BaseUrl,
    Beian,
    Deploy,
    ZhHant,
    HantVariant,
    HantPhrases,
}

/// Why a link inside Markdown does not resolve.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkProblem {
    /// The file it names does not exist under content/.
    MissingFile,
    /// The file exists but has no heading with that id; the ids it has are listed.
    MissingAnchor { available: Vec<String> },
    /// An image or other file next to the page does not exist.
    MissingAsset,
}

/// What to write instead of a template mistake.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TemplateAdvice {
    /// A Tera 1 name or habit, and what Tera 2 calls it.
    Tera2(String),
    /// A field or variable that does not exist, and the existing one spelled most like it.
    DidYouMean(String),
    /// A value that may be missing (the expression as written).
    Optional(String),
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{at}: cannot {action}: {source}")]
    Io {
        at: Location,
        action: &'static str,
        #[source]
        source: std::io::Error,
    },
    #[error("{at}: not UTF-8")]
    NotUtf8 {
        at: Location,
        /// Our guess at the real encoding (e.g. "GB18030"), if it decodes cleanly as one.
        guess: Option<&'static str>,
    },
    #[error("{at}: file too large ({size} bytes, limit {limit})")]
    TooLarge { at: Location, size: u64, limit: u64 },
    #[error("{at}: front matter is not closed")]
    FrontMatterUnclosed { at: Location },
    #[error("{at}: front matter is not at the top of the file")]
    FrontMatterNotAtTop { at: Location },
    #[error("{at}: empty file")]
    EmptyFile { at: Location },
    #[error("{at}: full-width colon")]
    FullWidthColon { at: Location },
    #[error("{at}: tab used for indentation")]
    TabIndent { at: Location },
    #[error("{at}: YAML: {message}")]
    Yaml { at: Location, message: String },
    #[error("{at}: front matter must be a list of `key: value` lines")]
    NotAMapping { at: Location },
    #[error("{at}: unknown key `{key}`")]
    UnknownKey {
        at: Location,
        key: String,
        suggestion: Option<String>,
        known: &'static [&'static str],
    },
    #[error("{at}: `{key}` is missing")]
    MissingKey { at: Location, key: &'static str },
    #[error("{at}: `{key}` has a bad value `{value}`")]
    BadValue {
        at: Location,
        key: String,
        value: String,
        expected: Expected,
    },
    #[error("{at}: unknown brand `{brand}`")]
    UnknownBrand {
        at: Location,
        brand: String,
        suggestion: Option<String>,
        known: Vec<String>,
    },
    #[error("{at}: two outputs land on {url}")]
    DuplicateUrl {
        at: Location,
        url: String,
        /// What else lands there: another file, or something Herald generates.
        other: Producer,
    },
    #[error("{at}: the link leads outside the site, to {}", target.display())]
    LinkOutside {
        /// The link itself (relative to the site).
        at: Location,
        /// Where it points, as the link says.
        target: PathBuf,
    },
    #[error("{at}: `{key}`: `{url}` is not allowed ({problem:?})")]
    BadUrl {
        at: Location,
        /// The field that holds it (`aliases`, `menu`, `cover`…).
        key: String,
        url: String,
        problem: crate::paths::UrlProblem,
    },
    #[error("{at}: link to `{target}` does not resolve")]
    BrokenLink {
        at: Location,
        target: String,
        problem: LinkProblem,
    },
    #[error("{at}: image `{image}`: {problem:?}")]
    BadImage {
        /// Where a page uses it (a Markdown image, a `figure`, a `cover` or `logo`).
        at: Location,
        /// The image file, relative to the site.
        image: String,
        problem: crate::images::Problem,
    },
    #[error("{at}: shortcode: {message}")]
    Shortcode { at: Location, message: String },
    #[error("template {name}: {message}")]
    Template {
        /// Template name as Tera knows it, e.g. `page.html`.
        name: String,
        /// Where the template file is, when it is a file (site override or theme folder).
        at: Option<Location>,
        message: String,
        /// The includes and components the mistake was reached through, innermost first.
        called_from: Vec<Location>,
        /// What to write instead, when Herald can tell.
        advice: Option<Box<TemplateAdvice>>,
    },
    #[error("{at}: no template `{name}`")]
    UnknownTemplate {
        at: Location,
        name: String,
        /// The page templates there are (not partials or shortcodes).
        available: Vec<String>,
    },
    #[error("unknown theme `{name}`")]
    UnknownTheme {
        at: Location,
        name: String,
        available: Vec<String>,
    },
    #[error("{at}: site.yaml not found")]
    NoSite { at: Location },
    #[error("{at}: unsafe output folder")]
    UnsafeOutput { at: Location, reason: UnsafeOutput },
    #[error("{at}: already exists")]
    AlreadyExists { at: Location },
    #[error("{at}: {message}")]
    Invalid { at: Location, message: String },
    /// A password, key or secret written in site.yaml's `deploy` (it would end up in git).
    #[error("{at}: `{key}`: credentials do not belong in site.yaml")]
    SecretInSite { at: Location, key: String },
    #[error("{at}: bad deploy target `{target}`")]
    BadTarget {
        /// site.yaml's `deploy` line, or an empty path for the command line.
        at: Location,
        target: String,
        problem: TargetProblem,
    },
    #[error("{at}: no deploy target")]
    NoTarget { at: Location },
    #[error("{at}: no output to publish")]
    NoOutput { at: Location },
    #[error("{at}: not a Herald output folder")]
    NotOutput { at: Location },
    #[error("{count} remote files would be deleted (limit {max})")]
    TooManyDeletes {
        at: Location,
        count: usize,
        max: usize,
    },
    #[error("{var} is not set")]
    NoCredentials { at: Location, var: &'static str },
    #[error("{host}: unknown ssh host key")]
    UnknownHost {
        at: Location,
        host: String,
        port: u16,
    },
    #[error("{}: cannot {} {}: {}", .0.target, .0.action, .0.path, .0.message)]
    Remote(Box<RemoteFailure>),
}

/// A deploy target that failed (boxed: it is large, and rare).
#[derive(Debug)]
pub struct RemoteFailure {
    pub at: Location,
    pub target: String,
    pub action: &'static str,
    /// The file (relative to the output) or remote path concerned; empty for the connection.
    pub path: String,
    pub message: String,
}

impl Error {
    pub fn remote(
        at: &Location,
        target: &str,
        action: &'static str,
        path: &str,
        message: String,
    ) -> Error {
        Error::Remote(Box::new(RemoteFailure {
            at: at.clone(),
            target: target.to_string(),
            action,
            path: path.to_string(),
            message,
        }))
    }
}

/// Why a deploy target cannot be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TargetProblem {
    /// `ftp://…`, `http://…`: not something Herald publishes to.
    Scheme,
    /// `sftp://` without `user@`, host, or an absolute path.
    Sftp,
    /// `s3://` without a bucket.
    S3,
    /// `--endpoint` is not an `http(s)://` address.
    Endpoint,
    /// The local folder is the output itself, inside it, or holds the site.
    Overlaps,
}

/// What produces an output: a file of the site, or something Herald generates for every site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Producer {
    File(PathBuf),
    /// The home page, the feed, a taxonomy list…
    Generated(Generated),
}

/// An output Herald makes for every site, or from site.yaml.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Generated {
    Home,
    NotFound,
    Feed,
    Sitemap,
    Robots,
    HighlightCss,
    BrandsIndex,
    /// A taxonomy's list (`/tags/`) or one of its terms' lists.
    Taxonomy,
    /// The list of a folder without `_index.md`.
    SectionList,
    /// A file of the theme (`css/style.css`).
    ThemeFile,
    /// The search page and its index (`search/`).
    Search,
    /// The Traditional mirror (`zh-hant/`).
    Mirror,
}

impl fmt::Display for Producer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Producer::File(p) => write!(f, "{}", p.display().to_string().replace('\\', "/")),
            Producer::Generated(what) => write!(f, "{what:?}"),
        }
    }
}

/// Why Herald refuses an output folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnsafeOutput {
    IsSiteRoot,
    ContainsSource,
    IsContent,
    IsHomeOrRoot,
    NotHerald,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn io(path: &Path, action: &'static str, source: std::io::Error) -> Self {
        Error::Io {
            at: Location::file(path),
            action,
            source,
        }
    }

    /// The file and position the error points at, if any (used to sort and to show a snippet).
    pub fn location(&self) -> Option<&Location> {
        use Error::*;
        match self {
            Io { at, .. }
            | NotUtf8 { at, .. }
            | TooLarge { at, .. }
            | FrontMatterUnclosed { at }
            | FrontMatterNotAtTop { at }
            | EmptyFile { at }
            | FullWidthColon { at }
            | TabIndent { at }
            | Yaml { at, .. }
            | NotAMapping { at }
            | UnknownKey { at, .. }
            | MissingKey { at, .. }
            | BadValue { at, .. }
            | UnknownBrand { at, .. }
            | DuplicateUrl { at, .. }
            | LinkOutside { at, .. }
            | BadUrl { at, .. }
            | BrokenLink { at, .. }
            | BadImage { at, .. }
            | Shortcode { at, .. }
            | UnknownTheme { at, .. }
            | UnknownTemplate { at, .. }
            | NoSite { at }
            | UnsafeOutput { at, .. }
            | AlreadyExists { at }
            | Invalid { at, .. }
            | SecretInSite { at, .. }
            | BadTarget { at, .. }
            | NoTarget { at }
            | NoOutput { at }
            | NotOutput { at }
            | TooManyDeletes { at, .. }
            | NoCredentials { at, .. }
            | UnknownHost { at, .. } => Some(at),
            Remote(r) => Some(&r.at),
            Template { at, .. } => at.as_ref(),
        }
    }
}

/// A problem that does not stop the build unless `--strict` is given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Warning {
    /// A file was not UTF-8 but decoded cleanly as `encoding`; it should be saved as UTF-8.
    Decoded {
        at: Location,
        encoding: &'static str,
    },
    /// A list written with full-width brackets or separators is probably meant as a list.
    FullWidthList { at: Location, key: String },
    /// A report has no `date`: it is listed after dated ones and left out of the feed.
    NoDate { at: Location },
    /// Invisible control characters (pasted from Word: \x01, \x0b, ESC…) were removed; `at` is
    /// the first line with one.
    ControlChars { at: Location, count: usize },
    /// A link, image or `figure` source in a Markdown body with a scheme other than http,
    /// https, mailto and tel (`javascript:`, `data:`…); it was rendered without its URL.
    UnsafeUrl { at: Location, url: String },
    /// site.yaml's `beian` has some of `icp`, `police`, `site_code` but not all.
    BeianPartial {
        at: Location,
        missing: Vec<&'static str>,
    },
}

impl Warning {
    /// To show a path the user knows (relative to the site) instead of the one that was read.
    pub fn location_mut(&mut self) -> &mut Location {
        match self {
            Warning::Decoded { at, .. }
            | Warning::FullWidthList { at, .. }
            | Warning::NoDate { at }
            | Warning::ControlChars { at, .. }
            | Warning::UnsafeUrl { at, .. }
            | Warning::BeianPartial { at, .. } => at,
        }
    }

    pub fn location(&self) -> &Location {
        match self {
            Warning::Decoded { at, .. }
            | Warning::FullWidthList { at, .. }
            | Warning::NoDate { at }
            | Warning::ControlChars { at, .. }
            | Warning::UnsafeUrl { at, .. }
            | Warning::BeianPartial { at, .. } => at,
        }
    }
}

/// Every error and warning of one build, so a user can fix them all in one pass.
#[derive(Debug, Default)]
pub struct Diagnostics {
    pub errors: Vec<Error>,
    pub warnings: Vec<Warning>,
}

impl Diagnostics {
    pub fn is_empty(&self) -> bool {
        self.errors.is_empty() && self.warnings.is_empty()
    }
    pub fn error(&mut self, e: Error) {
        self.errors.push(e);
    }
    pub fn extend(&mut self, other: Diagnostics) {
        self.errors.extend(other.errors);
        self.warnings.extend(other.warnings);
    }
    /// Errors of many outputs, each distinct one once: a broken template fails every page
    /// that uses it, and the user needs to read it once.
    pub fn unique(errors: impl IntoIterator<Item = Error>) -> Diagnostics {
        let mut seen = std::collections::HashSet::new();
        let errors = errors
            .into_iter()
            .filter(|e| seen.insert(e.to_string()))
            .collect();
        Diagnostics {
            errors,
            warnings: Vec::new(),
        }
    }

    /// Sort by file and position, so the report reads top to bottom per file.
    pub fn sort(&mut self) {
        self.errors.sort_by(|a, b| a.location().cmp(&b.location()));
        self.warnings.sort_by(|a, b| a.location().cmp(b.location()));
    }
}

impl From<Error> for Diagnostics {
    fn from(e: Error) -> Self {
        Diagnostics {
            errors: vec![e],
            warnings: Vec::new(),
        }
    }
}

/// The closest known word to a mistyped one, if it is close enough to be a plausible typo.
pub fn suggest<'a>(word: &str, known: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let known_list: Vec<&str> = known.into_iter().collect();
    let mut best: Option<(usize, &str)> = None;
    for &k in &known_list {
        // Optimal string alignment: a swap of two neighbours (`brnad`) is one edit.
        let d = strsim::osa_distance(word, k);
        if best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, k));
        }
    }
    let (distance, k) = best?;
    let limit = (word.chars().count().max(k.chars().count()) / 3).max(1);
    if distance <= limit || k.starts_with(word) || word.starts_with(k) {
        return Some(k.to_string());
    }
    // `sanjia` for `xuzhou-sanjia`: a part of the name is what people remember.
    (word.chars().count() >= 3)
        .then(|| {
            known_list
                .iter()
                .find(|k| k.contains(word))
                .map(|k| k.to_string())
        })
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_transposed_key() {
        let known = ["title", "date", "brand", "brands", "tags"];
        assert_eq!(suggest("brnad", known), Some("brand".into()));
        assert_eq!(suggest("titel", known), Some("title".into()));
        assert_eq!(suggest("zzzzzz", known), None);
        assert_eq!(
            suggest("sanjia", ["xuzhou-sanjia", "fuzhou-sixing"]),
            Some("xuzhou-sanjia".into())
        );
    }

    #[test]
    fn location_prints_like_a_compiler() {
        assert_eq!(
            Location::new("content/a.md", 3, 6).to_string(),
            "content/a.md:3:6"
        );
        assert_eq!(Location::file("site.yaml").to_string(), "site.yaml");
    }
}
