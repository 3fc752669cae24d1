//! The preview's site in memory, and the incremental rebuild.
//!
//! Two paths, both exact:
//! - **A report's or brand's body edited** (the common case while writing): that file is parsed and its
//!   Markdown rendered again; its page is re-rendered, and — if what lists show of it (summary,
//!   word count…) changed — the outputs that list it: its brand's showcase, its section and
//!   taxonomy pages, the home page and the feed. Milliseconds, whatever the site's size.
//! - **Anything else** (front matter, a new, renamed or deleted file, a brand, a template,
//!   site.yaml): the model is rebuilt from cached parses and cached Markdown, every output's
//!   fingerprint is recomputed (`render::plan`), and only outputs whose fingerprint changed
//!   are rendered; outputs that no longer exist are dropped (their URLs answer 404).

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use rayon::prelude::*;

use crate::build;
use crate::config::Config;
use crate::content::{self, Doc, Parsed, SourceKind};
use crate::diagnostics::Lang;
use crate::error::Diagnostics;
use crate::layout::SiteFolder;
use crate::markdown::Rendered;
use crate::model::links::{BodyCache, SiteLinks};
use crate::model::{self, Site, SourceRef};
use crate::render::templates::{ShortcodeTemplates, ThemeFile};
use crate::render::{plan, Job, Renderer, Templates, Views};
use crate::timing::stage;
use std::time::Instant;

/// One changed path, as the watcher saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// A file that existed was written.
    Modified(PathBuf),
    /// Files appeared, disappeared or were renamed.
    Structure(PathBuf),
}

#[derive(Debug, Clone)]
pub enum Served {
    Memory(Arc<Vec<u8>>),
    Embedded(&'static [u8]),
    Disk(PathBuf),
}

/// A parse, valid while the file's modification time and size are the same.
type ParseCache = HashMap<PathBuf, (SystemTime, u64, Parsed)>;

pub struct State {
    pub root: PathBuf,
    pub base_url: String,
    /// The flags a build takes too (`--drafts`, `--strict`).
    pub options: build::ModelOptions,
    pub lang: Lang,
    config: Option<Config>,
    templates: Option<Templates>,
    site: Option<Site>,
    views: Option<Views>,
    parses: ParseCache,
    /// The shortcode templates the current bodies were rendered with.
    shortcodes: u64,
    /// Output path → (job, fingerprint) of what is being served.
    fingerprints: HashMap<String, (Job, u64)>,
    /// Page → the jobs whose output shows it (for the body-edit path).
    page_readers: HashMap<usize, Vec<Job>>,
    /// Output path (`cases/a/index.html`) → what to send.
    pub files: HashMap<String, Served>,
    /// The fingerprinted CSS/JS names pages link, as `herald build` writes them.
    pub asset_names: crate::fingerprint::Fingerprints,
    /// The current build error, as the terminal shows it.
    pub error: Option<String>,
}

/// What a rebuild did, for the one line the terminal prints.
#[derive(Debug, Default)]
pub struct Summary {
    pub rendered: usize,
    pub removed: usize,
    pub css_only: Option<String>,
    /// What the build warned about, as `herald build` would.
    pub warnings: Diagnostics,
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let Some(css) = &self.css_only {
            return write!(f, "stylesheet {css}");
        }
        write!(f, "{} outputs rendered", self.rendered)?;
        if self.removed > 0 {
            write!(f, ", {} removed", self.removed)?;
        }
        Ok(())
    }
}

/// Bodies of the previous site, moved (not copied) into the next one when unchanged.
struct PreviousBodies(Mutex<HashMap<PathBuf, (Arc<str>, Rendered)>>);

impl BodyCache for PreviousBodies {
    fn take(&self, file: &Path, text: &str) -> Option<Rendered> {
        let mut map = self.0.lock().ok()?;
        match map.get(file) {
            Some((old_text, _)) if &**old_text == text => map.remove(file).map(|(_, r)| r),
            _ => None,
        }
    }
}

fn url_table(site: &Site) -> Vec<(String, String)> {
    let mut t: Vec<(String, String)> = site
        .pages
        .iter()
        .map(|p| (p.source.clone(), p.path.clone()))
        .chain(
            site.brands
                .iter()
                .map(|b| (b.source.clone(), b.path.clone())),
        )
        .chain(site.asset_paths.iter().map(|(k, v)| (k.clone(), v.clone())))
        .collect();
    t.sort();
    t
}

impl State {
    pub fn new(root: PathBuf, base_url: String, options: build::ModelOptions) -> State {
        State {
            root,
            base_url,
            options,
            lang: Lang::En,
            config: None,
            templates: None,
            site: None,
            views: None,
            parses: HashMap::new(),
            shortcodes: 0,
            fingerprints: HashMap::new(),
            page_readers: HashMap::new(),
            files: HashMap::new(),
            asset_names: Default::default(),
            error: None,
        }
    }

    /// Builds everything (the first build, or after site.yaml or the theme changed).
    pub fn full_rebuild(&mut self) -> Result<Summary, Diagnostics> {
        self.config = None;
        self.templates = None;
        let r = self.rebuild();
        self.note(r)
    }

    /// Applies a batch of changes; rebuilds as little as is correct.
    pub fn apply(&mut self, changes: &[Change]) -> Result<Summary, Diagnostics> {
        let r = self.try_apply(changes);
        self.note(r)
    }

    fn note(&mut self, result: Result<Summary, Diagnostics>) -> Result<Summary, Diagnostics> {
        match &result {
            Ok(_) => self.error = None,
            Err(d) => self.error = Some(crate::diagnostics::render(d, self.lang, &self.root)),
        }
        result
    }

    fn try_apply(&mut self, changes: &[Change]) -> Result<Summary, Diagnostics> {
        let static_dir = SiteFolder::Static.path(&self.root);
        let mut body_edits = Vec::new();
        let mut css = None;
        let mut rebuild = false;
        for c in changes {
            let (Change::Modified(p) | Change::Structure(p)) = c;
            let folder = SiteFolder::of(&self.root, p);
            let modified = matches!(c, Change::Modified(_));
            if p == &self.root.join(crate::layout::SITE_FILE) || folder == Some(SiteFolder::Themes)
            {
                self.config = None;
                self.templates = None;
                rebuild = true;
            } else if folder == Some(SiteFolder::Templates) {
                self.templates = None;
                rebuild = true;
            } else if modified && folder == Some(SiteFolder::Static) {
                if p.extension().is_some_and(|e| e == "css") {
                    let rel = p
                        .strip_prefix(&static_dir)
                        .map(|r| r.to_string_lossy().replace('\\', "/"))
                        .unwrap_or_default();
                    css = Some(format!("/{rel}"));
                }
            } else if modified && folder == Some(SiteFolder::Content) && is_markdown(p) {
                body_edits.push(p.clone());
            } else if modified
                && folder == Some(SiteFolder::Content)
                && crate::images::Format::of_name(&p.to_string_lossy()).is_none()
            {
                // An attachment rewritten in place: served from disk as it is. (A photo is
                // encoded again: the general path below.)
            } else {
                rebuild = true;
            }
        }
        if self.site.is_none() || self.error.is_some() {
            rebuild = true;
        }
        if !rebuild && !body_edits.is_empty() {
            let mut jobs: HashSet<Job> = HashSet::new();
            for path in &body_edits {
                match self.body_edit(path)? {
                    Some(js) => jobs.extend(js),
                    None => {
                        rebuild = true;
                        break;
                    }
                }
            }
            if !rebuild {
                return self.render_jobs(jobs.into_iter().collect());
            }
        }
        if rebuild {
            return self.rebuild();
        }
        // Pages loaded from now on link the stylesheet's new fingerprinted name.
        if let (Some(site), Some(templates)) = (self.site.as_ref(), self.templates.as_ref()) {
            self.asset_names = crate::fingerprint::plan(site, templates);
        }
        Ok(Summary {
            css_only: Some(css.unwrap_or_default()),
            ..Summary::default()
        })
    }

    /// Re-renders an edited report whose front matter and headings did not change; `None`
    /// when the edit needs the general path.
    fn body_edit(&mut self, path: &Path) -> Result<Option<Vec<Job>>, Diagnostics> {
        let (Some(site), Some(views), Some(templates)) = (
            self.site.as_mut(),
            self.views.as_mut(),
            self.templates.as_ref(),
        ) else {
            return Ok(None);
        };
        let Ok(rel) = path.strip_prefix(SiteFolder::Content.path(&self.root)) else {
            return Ok(None);
        };
        let rel = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        // Reports and brands; a section's intro goes the general way.
        let (target, kind) = match site.by_source.get(&rel) {
            Some(&SourceRef::Page(id)) => (SourceRef::Page(id), SourceKind::Page),
            Some(&SourceRef::Brand(id)) => (SourceRef::Brand(id), SourceKind::Brand),
            _ => return Ok(None),
        };
        let source = content::Source {
            rel: rel.clone(),
            abs: path.to_path_buf(),
            kind,
        };
        let (parsed, warnings) = content::parse(&source)?;
        if !warnings.warnings.is_empty() {
            // Warnings are reported (and, under --strict, refused) the general way.
            return Ok(None);
        }
        let (same, old_ids) = match (&parsed.doc, target) {
            (Doc::Page(meta), SourceRef::Page(id)) => (
                same_meta(&site.pages[id].meta, meta),
                &site.pages[id].body.heading_ids,
            ),
            (Doc::Brand(meta), SourceRef::Brand(id)) => (
                &site.brands[id].meta == meta,
                &site.brands[id].body.heading_ids,
            ),
            _ => return Ok(None),
        };
        if !same {
            return Ok(None);
        }
        let old_ids = old_ids.clone();
        let codes = ShortcodeTemplates { templates };
        let links = SiteLinks::new(site);
        let dir = rel.rsplit_once('/').map_or("", |(d, _)| d);
        let body = crate::markdown::render(
            &crate::markdown::Input {
                text: &parsed.body,
                file: &parsed.shown,
                first_line: parsed.body_line,
                dir,
            },
            &links,
            Some(&codes),
        )
        .map_err(|errors| Diagnostics {
            errors,
            warnings: Vec::new(),
        })?;
        if body.heading_ids != old_ids || !body.refused_urls.is_empty() {
            // Refused URLs are warnings: reported (and refused under --strict) the general way.
            // Other pages may link to the old headings: let the general path check them.
            return Ok(None);
        }
        let mut anchors = Diagnostics::default();
        model::links::check_body_anchors(site, &rel, &body, &mut anchors);
        if !anchors.errors.is_empty() {
            return Err(anchors);
        }
        let body_text = parsed.body.clone();
        let body_line = parsed.body_line;
        if let Ok(m) = std::fs::metadata(path) {
            if let Ok(t) = m.modified() {
                self.parses.insert(path.to_path_buf(), (t, m.len(), parsed));
            }
        }
        match target {
            SourceRef::Page(id) => {
                let page = &mut site.pages[id];
                (page.body, page.body_text, page.body_line) = (body, body_text, body_line);
                let mut jobs = vec![Job::Page(id)];
                if views
                    .refresh_page(site, templates, id)
                    .map_err(Diagnostics::from)?
                {
                    jobs.extend(self.page_readers.get(&id).into_iter().flatten().cloned());
                }
                Ok(Some(jobs))
            }
            SourceRef::Brand(id) => {
                // A brand's intro shows on its own page only (lists show its front matter).
                let brand = &mut site.brands[id];
                (brand.body, brand.body_text, brand.body_line) = (body, body_text, body_line);
                Ok(Some(vec![Job::Brand(id)]))
            }
            SourceRef::Section(_) => Ok(None),
        }
    }

    fn render_jobs(&mut self, jobs: Vec<Job>) -> Result<Summary, Diagnostics> {
        let (Some(site), Some(views), Some(templates)) = (
            self.site.as_ref(),
            self.views.as_ref(),
            self.templates.as_ref(),
        ) else {
            return Ok(Summary::default());
        };
        let renderer = Renderer::new(site, templates, views);
        let done = renderer.render_all(&jobs)?;
        let n = done.len();
        for o in done {
            // The general path re-checks these against fresh fingerprints.
            self.fingerprints.remove(&o.path);
            self.files.insert(o.path, Served::Memory(Arc::new(o.bytes)));
        }
        Ok(Summary {
            rendered: n,
            ..Summary::default()
        })
    }

    /// The general path: model from cached parses and bodies, outputs by fingerprint.
    fn rebuild(&mut self) -> Result<Summary, Diagnostics> {
        let config = match &self.config {
            Some(c) => c.clone(),
            None => {
                let c = Config::load(&self.root, Some(&self.base_url))?;
                self.config = Some(c.clone());
                c
            }
        };
        if self.templates.is_none() {
            self.templates = Some(Templates::load(&config)?);
        }
        let Some(templates) = self.templates.as_ref() else {
            return Ok(Summary::default());
        };
        let t = Instant::now();
        let parses = &mut self.parses;
        let read = build::read_content(&config, |sources| parse_cached(parses, sources));
        stage("walk and parse (cached)", t);
        // Bodies render the same when their text, the URL table and the shortcodes are the same.
        let same_shortcodes = self.shortcodes == templates.shortcodes_hash();
        self.shortcodes = templates.shortcodes_hash();
        let old_site = &mut self.site;
        let previous = |site: &Site| match old_site {
            Some(old)
                if same_shortcodes
                    && url_table(old) == url_table(site)
                    && same_photos(old, site) =>
            {
                let mut map = HashMap::new();
                if let Some(old) = old_site.take() {
                    for p in old.pages {
                        map.insert(p.file, (p.body_text, p.body));
                    }
                    for b in old.brands {
                        map.insert(b.file, (b.body_text, b.body));
                    }
                }
                Some(PreviousBodies(Mutex::new(map)))
            }
            _ => None,
        };
        // The same stages as `herald build`: the same mistakes and warnings, the same flags.
        let (site, warnings) = build::model(config, templates, read, self.options, previous)?;
        let t = Instant::now();
        let views = Views::build(&site, templates)?;
        stage("views", t);
        // Photos from the same cache as `herald build` (encoded into it if new), so the
        // preview serves the bytes a build writes; an unchanged photo costs a `stat`.
        let t = Instant::now();
        let images = crate::images::site::publish(&site)?;
        self.asset_names = crate::fingerprint::plan(&site, templates);
        stage("images", t);
        let t = Instant::now();
        let renderer = Renderer::new(&site, templates, &views);
        let jobs = renderer.jobs();
        let fingerprints = plan::fingerprints(&renderer, &jobs);
        let (changed, gone) = plan::diff(&self.fingerprints, &fingerprints);
        stage("fingerprints", t);
        // Lending PageRefs pays off when most of the site re-renders (the first build, a
        // template edit); for a handful of outputs cloning is cheaper than the shelf.
        let renderer = if changed.len() > 256 {
            renderer.lending()
        } else {
            renderer
        };
        let t = Instant::now();
        let outputs = renderer.render_all(&changed)?;
        stage("render", t);
        let t = Instant::now();
        let mut readers: HashMap<usize, Vec<Job>> = HashMap::new();
        for job in &jobs {
            for p in renderer.reads(job).pages {
                readers.entry(p).or_default().push(job.clone());
            }
        }
        drop(renderer);
        stage("readers", t);
        let summary = Summary {
            rendered: outputs.len(),
            removed: gone.len(),
            css_only: None,
            warnings,
        };
        for path in &gone {
            self.files.remove(path);
        }
        for o in outputs {
            self.files.insert(o.path, Served::Memory(Arc::new(o.bytes)));
        }
        // Static files and assets: cheap to list again.
        self.files.retain(|_, s| matches!(s, Served::Memory(_)));
        for (rel, f) in &templates.static_files {
            self.files.entry(rel.clone()).or_insert_with(|| match f {
                ThemeFile::Embedded(b) => Served::Embedded(b),
                ThemeFile::Disk(p) => Served::Disk(p.clone()),
            });
        }
        for a in &site.assets {
            if !crate::images::site::is_published(&site, &a.path) {
                self.files
                    .insert(a.path.clone(), Served::Disk(a.file.clone()));
            }
        }
        for (path, file) in images.files {
            self.files.insert(path, Served::Disk(file));
        }
        self.fingerprints = fingerprints;
        self.page_readers = readers;
        self.site = Some(site);
        self.views = Some(views);
        Ok(summary)
    }

    /// The 404 page of the theme, if the site built.
    pub fn not_found(&self) -> Option<Served> {
        self.files.get("404.html").cloned()
    }
}

/// Parses what changed since the last build; reuses the rest.
fn parse_cached(cache: &mut ParseCache, sources: &[content::Source]) -> (Vec<Parsed>, Diagnostics) {
    let stamps: Vec<Option<(SystemTime, u64)>> = sources
        .iter()
        .map(|s| {
            std::fs::metadata(&s.abs)
                .ok()
                .and_then(|m| Some((m.modified().ok()?, m.len())))
        })
        .collect();
    let results: Vec<Result<(Parsed, Diagnostics), Diagnostics>> = sources
        .par_iter()
        .zip(stamps.par_iter())
        .map(|(s, stamp)| match (cache.get(&s.abs), stamp) {
            (Some((t, len, p)), Some((t2, len2)))
                if t == t2 && len == len2 && p.source.rel == s.rel =>
            {
                Ok((p.clone(), Diagnostics::default()))
            }
            _ => content::parse(s),
        })
        .collect();
    let mut diags = Diagnostics::default();
    let mut parsed = Vec::with_capacity(results.len());
    let mut fresh = HashMap::with_capacity(sources.len());
    for ((r, s), stamp) in results.into_iter().zip(sources).zip(stamps) {
        match r {
            Ok((p, d)) => {
                if let Some((t, len)) = stamp {
                    fresh.insert(s.abs.clone(), (t, len, p.clone()));
                }
                parsed.push(p);
                diags.extend(d);
            }
            Err(d) => diags.extend(d),
        }
    }
    *cache = fresh;
    diags.sort();
    (parsed, diags)
}

/// The same photos with the same sizes: bodies rendered with them may be reused.
fn same_photos(a: &Site, b: &Site) -> bool {
    a.images.len() == b.images.len()
        && a.images
            .iter()
            .all(|(p, i)| b.images.get(p).is_some_and(|j| j.header == i.header))
}

/// Front matter equal in everything the model and lists use.
fn same_meta(a: &content::PageMeta, b: &content::PageMeta) -> bool {
    let brands =
        |m: &content::PageMeta| m.brands.iter().map(|(b, _)| b.clone()).collect::<Vec<_>>();
    a.title == b.title
        && a.date == b.date
        && brands(a) == brands(b)
        && a.org == b.org
        && a.region == b.region
        && a.author == b.author
        && a.source == b.source
        && a.tags == b.tags
        && a.summary == b.summary
        && a.cover.as_ref().map(|c| &c.0) == b.cover.as_ref().map(|c| &c.0)
        && a.metrics == b.metrics
        && a.draft == b.draft
        && a.weight == b.weight
        && a.slug == b.slug
        && a.aliases == b.aliases
        && a.template == b.template
        && a.extra == b.extra
}

fn is_markdown(p: &Path) -> bool {
    p.extension().is_some_and(|e| e.eq_ignore_ascii_case("md"))
}
