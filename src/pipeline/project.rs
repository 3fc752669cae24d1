//! The site between builds: what was read, parsed, modelled and rendered last, so the next
//! build does only what changed. `herald build` and `herald check` drive a project once;
//! `herald serve` keeps one for the whole session and tells it what the watcher saw.
//!
//! Two ways to bring it up to date, both exact:
//! - **A report's or brand's body edited** (`body_edit`, the common case while writing): that
//!   file is parsed and its Markdown rendered again; its page is re-rendered, and — if what
//!   lists show of it (summary, word count…) changed — the outputs that list it.
//! - **Anything else** (`rebuild`: front matter, a new, renamed or deleted file, a brand, a
//!   template, site.yaml): the model is rebuilt from cached parses and cached Markdown, every
//!   output's fingerprint is recomputed (`render::plan`), and only outputs whose fingerprint
//!   changed are rendered; outputs that no longer exist are listed as gone.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Instant, SystemTime};

use rayon::prelude::*;

use super::bodies::{OpenShards, StoredBodies};
use super::sources::StoredSources;
use super::{model, parse_all, read_content, ModelOptions};
use crate::config::Config;
use crate::content::{self, Doc, Parsed, SourceKind};
use crate::error::Diagnostics;
use crate::hant::{Converter, Mirror};
use crate::layout::SiteFolder;
use crate::markdown::{Links, Rendered};
use crate::model::links::{BodyCache, SiteLinks};
use crate::model::{Site, SourceRef};
use crate::render::templates::ShortcodeTemplates;
use crate::render::{plan, Job, Renderer, Templates, Views};
use crate::timing::stage;

/// A parse, valid while the file's modification time and size are the same.
type ParseCache = HashMap<PathBuf, (SystemTime, u64, Parsed)>;

/// What a project keeps between builds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Memory {
    /// One build, then the process ends (`build`, `check`): nothing is cached, and the
    /// Markdown sources are freed once rendered (a tenth of the peak at 10,000 reports).
    Once,
    /// Many builds (`serve`): parses, bodies and output fingerprints are kept.
    Keep,
}

/// What changed in the outputs.
#[derive(Debug, Default)]
pub(crate) struct Update {
    /// Outputs to render (new or changed).
    pub(crate) render: Vec<Job>,
    /// Output paths that no longer exist.
    pub(crate) gone: Vec<String>,
    /// What the build warned about.
    pub(crate) warnings: Diagnostics,
}

pub(crate) struct Project {
    pub(crate) root: PathBuf,
    base_url: Option<String>,
    /// The flags every command shares (`--drafts`, `--strict`).
    pub(crate) options: ModelOptions,
    /// `herald build --relative`: relative URLs whatever site.yaml says.
    relative: bool,
    memory: Memory,
    config: Option<Config>,
    templates: Option<Templates>,
    /// site.yaml (or the theme) changed: read again on the next rebuild. What was read before
    /// is kept until then, so a failed rebuild leaves the last good site in place.
    config_stale: bool,
    /// A template changed: compiled again on the next rebuild.
    templates_stale: bool,
    site: Option<Site>,
    views: Option<Views>,
    parses: ParseCache,
    /// The shortcode templates the current bodies were rendered with.
    shortcodes: u64,
    /// Output path → (job, fingerprint) of the last build.
    fingerprints: HashMap<String, (Job, u64)>,
    /// Page → the jobs whose output shows it (for the body-edit path).
    page_readers: HashMap<usize, Vec<Job>>,
    /// The Traditional mirror (`zh_hant:`), made from the site after every build.
    mirror: Option<Mirror>,
    /// Its converter, kept while site.yaml is the same (its dictionaries take about 50 ms
    /// to load).
    converter: Option<Arc<Converter>>,
    /// Whether the parse and body caches on disk are read and written.
    disk_caches: bool,
    /// `fingerprints` and `page_readers` describe the current site (`settle`).
    settled: bool,
    /// The body cache's files the current site's bodies read their HTML from.
    body_files: OpenShards,
    /// The current site's bodies must not be reused (some of their HTML did not read).
    bodies_stale: bool,
}

type Readers = HashMap<usize, Vec<Job>>;

/// Writes what changed of the body cache a build was given, once its site is made.
fn save_bodies(stored: Option<StoredBodies>, site: &Site) {
    if let Some(stored) = stored {
        let t = Instant::now();
        stored.save(site);
        stage("body cache: write", t);
    }
}

/// Every output's fingerprint, and which outputs show each page (for the body-edit path).
fn fingerprints_and_readers(
    site: &Site,
    templates: &Templates,
    views: &Views,
) -> (HashMap<String, (Job, u64)>, Readers) {
    let t = Instant::now();
    let renderer = Renderer::new(site, templates, views);
    let jobs = renderer.jobs();
    let fingerprints = plan::fingerprints(&renderer, &jobs);
    let mut readers: Readers = HashMap::new();
    for job in &jobs {
        for p in renderer.reads(job).pages {
            readers.entry(p).or_default().push(job.clone());
        }
    }
    stage("fingerprints and readers", t);
    (fingerprints, readers)
}

/// Bodies of the previous site (their HTML shared, not copied), for the next one where the
/// text is the same and starts on the same line (error positions are lines of the file).
struct PreviousBodies(Mutex<HashMap<PathBuf, PreviousBody>>);

/// The hash of a body's Markdown text, the file line it starts on, and what it rendered to.
type PreviousBody = (u64, usize, Rendered);

impl BodyCache for PreviousBodies {
    fn take(&self, file: &Path, text: u64, line: usize, links: &dyn Links) -> Option<Rendered> {
        let mut map = self.0.lock().ok()?;
        match map.get(file) {
            Some((old_text, old_line, body))
                if *old_text == text && *old_line == line && body.asked.still_true(links) =>
            {
                map.remove(file).map(|(_, _, r)| r)
            }
            _ => None,
        }
    }
}

/// Where a rebuild finds bodies rendered before: the last site (the preview), or the body
/// cache on disk (a build, the preview's start).
enum Earlier<'a> {
    Site(PreviousBodies),
    Disk(&'a StoredBodies),
}

impl BodyCache for Earlier<'_> {
    fn take(&self, file: &Path, text: u64, line: usize, links: &dyn Links) -> Option<Rendered> {
        match self {
            Earlier::Site(p) => p.take(file, text, line, links),
            Earlier::Disk(d) => d.take(file, text, line, links),
        }
    }
}

impl Project {
    /// `base_url` replaces site.yaml's (`--base-url`, the preview's own address).
    pub(crate) fn new(
        root: PathBuf,
        base_url: Option<String>,
        options: ModelOptions,
        memory: Memory,
    ) -> Project {
        Project {
            root,
            base_url,
            options,
            relative: false,
            memory,
            config: None,
            templates: None,
            config_stale: false,
            templates_stale: false,
            site: None,
            views: None,
            parses: HashMap::new(),
            shortcodes: 0,
            fingerprints: HashMap::new(),
            page_readers: HashMap::new(),
            mirror: None,
            converter: None,
            disk_caches: false,
            settled: true,
            body_files: OpenShards::default(),
            bodies_stale: false,
        }
    }

    /// Reads and writes the parse cache (`.herald/cache/sources.bin`) and the body cache
    /// (`.herald/cache/bodies/`).
    pub(crate) fn disk_caches(mut self, on: bool) -> Project {
        self.disk_caches = on;
        self
    }

    /// The site's body cache, if it is used.
    fn stored_bodies(&self) -> Option<StoredBodies> {
        let t = Instant::now();
        let stored = self.disk_caches.then(|| StoredBodies::open(&self.root))?;
        stage("  body cache: read", t);
        stored
    }

    /// Relative URLs (`--relative`) even if site.yaml does not ask for them.
    pub(crate) fn relative(mut self, relative: bool) -> Project {
        self.relative = relative;
        self
    }

    /// site.yaml, with the command's own overrides.
    fn load_config(&self) -> Result<Config, Diagnostics> {
        let mut config = Config::load(&self.root, self.base_url.as_deref())?;
        config.relative_urls |= self.relative;
        Ok(config)
    }

    /// site.yaml or the theme changed: read both again on the next rebuild.
    pub(crate) fn forget_config(&mut self) {
        self.config_stale = true;
        self.templates_stale = true;
    }

    /// A template changed: compile the templates again on the next rebuild.
    pub(crate) fn forget_templates(&mut self) {
        self.templates_stale = true;
    }

    /// Rendering some outputs failed: the next rebuild renders every output again (it would
    /// otherwise render only those whose fingerprints changed, and the error would vanish
    /// unfixed).
    pub(crate) fn forget_outputs(&mut self) {
        self.fingerprints.clear();
        self.settled = true;
    }

    /// Makes the fingerprints of the current site's outputs and which outputs show each
    /// page, if the last rebuild left them for later (the preview calls this once its
    /// first check is done; an edit before that makes them itself).
    pub(crate) fn settle(&mut self) {
        if self.settled {
            return;
        }
        if let (Some(site), Some(templates), Some(views)) =
            (&self.site, &self.templates, &self.views)
        {
            (self.fingerprints, self.page_readers) =
                fingerprints_and_readers(site, templates, views);
        }
        self.settled = true;
    }

    /// The files of the body cache in which a body's HTML did not match its hash, removed:
    /// what was made from them is wrong, so the next rebuild renders every body again.
    pub(crate) fn remove_damaged_bodies(&mut self) -> Vec<std::path::PathBuf> {
        let damaged = self.body_files.remove_damaged();
        if !damaged.is_empty() {
            self.bodies_stale = true;
            self.body_files = OpenShards::default();
        }
        damaged
    }

    /// The body cache's files the current site's bodies read their HTML from.
    pub(crate) fn body_files(&self) -> OpenShards {
        self.body_files.clone()
    }

    /// True when the last build failed or there was none: only a rebuild can follow.
    pub(crate) fn is_built(&self) -> bool {
        self.site.is_some()
    }

    pub(crate) fn site(&self) -> Option<&Site> {
        self.site.as_ref()
    }

    pub(crate) fn templates(&self) -> Option<&Templates> {
        self.templates.as_ref()
    }

    /// The renderer of the current site (none before the first successful build).
    pub(crate) fn renderer(&self) -> Option<Renderer<'_>> {
        Some(Renderer::new(
            self.site.as_ref()?,
            self.templates.as_ref()?,
            self.views.as_ref()?,
        ))
    }

    /// The renderer of the Traditional mirror, if the site has one and the last build passed.
    pub(crate) fn mirror_renderer(&self) -> Option<Renderer<'_>> {
        self.site.as_ref()?;
        self.mirror.as_ref().map(Mirror::renderer)
    }

    pub(crate) fn mirror_site(&self) -> Option<&Site> {
        self.site.as_ref()?;
        self.mirror.as_ref().map(|m| &m.site)
    }

    /// Makes the mirror of the current site (none if site.yaml asks for none).
    fn make_mirror(&mut self) -> Result<(), Diagnostics> {
        self.mirror = None;
        let (Some(site), Some(templates)) = (self.site.as_ref(), self.templates.as_ref()) else {
            return Ok(());
        };
        let Some(settings) = &site.config.zh_hant else {
            return Ok(());
        };
        let t = Instant::now();
        let converter = match &self.converter {
            Some(c) => c.clone(),
            None => Arc::new(settings.converter()),
        };
        self.converter = Some(converter.clone());
        let config = crate::hant::config(&site.config, &converter);
        let templates = crate::hant::templates(templates, &config, &converter)?;
        let mirror_site = crate::hant::site(site, config, &converter);
        let views = Views::build(&mirror_site, &templates);
        self.mirror = Some(Mirror {
            converter,
            site: mirror_site,
            templates,
            views,
        });
        stage("zh-hant mirror: convert", t);
        Ok(())
    }

    /// The general path: the model from (cached) parses and bodies, outputs by fingerprint.
    /// Until it succeeds, the last good site, templates and views stay as they were (the
    /// preview goes on serving them while it shows the error).
    pub(crate) fn rebuild(&mut self) -> Result<Update, Diagnostics> {
        if self.memory == Memory::Once {
            return self.build_once();
        }
        // What the last site's outputs were, to compare the new ones with.
        self.settle();
        let t = Instant::now();
        let options = self.options;
        let fresh_config = match &self.config {
            Some(c) if !self.config_stale => c.clone(),
            _ => self.load_config()?,
        };
        let fresh_templates = match &self.templates {
            Some(_) if !self.templates_stale => None,
            _ => Some(Templates::load(&fresh_config)?),
        };
        let Some(templates) = fresh_templates.as_ref().or(self.templates.as_ref()) else {
            return Err(Diagnostics::default());
        };
        let config = fresh_config.clone();
        let mut parses = std::mem::take(&mut self.parses);
        let first = self.site.is_none();
        let root = &self.root;
        let on_disk = first && self.disk_caches;
        let (read, stored) = rayon::join(
            || {
                read_content(&config, |sources| match on_disk {
                    true => parse_stored(root, Some(&mut parses), sources),
                    false => parse_cached(&mut parses, sources),
                })
            },
            || first.then(|| self.stored_bodies()).flatten(),
        );
        stage("walk and parse (cached)", t);
        // A body renders the same from the same text and shortcodes when what it asked the
        // site is answered the same (`Asked`, checked body by body).
        let shortcodes = templates.shortcodes_hash();
        // The old site's bodies: reused with the same shortcodes, unless some of their HTML
        // did not read from the body cache.
        let reuse_bodies = self.shortcodes == shortcodes && !self.bodies_stale;
        self.bodies_stale = false;
        let stored = stored.map(|s| s.for_shortcodes(shortcodes));
        if let Some(s) = &stored {
            self.body_files = s.files();
        }
        let old_site = self.site.as_ref();
        let previous = |_: &Site| match old_site {
            None => stored.as_ref().map(Earlier::Disk),
            Some(old) if reuse_bodies => {
                // Shared, not moved: the old site stays whole until the new one is made.
                let pages = old
                    .pages
                    .iter()
                    .map(|p| (&p.file, &p.body_text, p.body_line, &p.body));
                let brands = old
                    .brands
                    .iter()
                    .map(|b| (&b.file, &b.body_text, b.body_line, &b.body));
                let map = pages
                    .chain(brands)
                    .map(|(file, text, line, body)| {
                        (file.clone(), (text.hash(), line, body.clone()))
                    })
                    .collect();
                Some(Earlier::Site(PreviousBodies(Mutex::new(map))))
            }
            _ => None,
        };
        // The same stages as every command: the same mistakes and warnings, the same flags.
        let modelled = model(config, templates, read, options, previous);
        self.parses = parses;
        let (site, warnings) = modelled?;
        save_bodies(stored, &site);
        let t = Instant::now();
        let views = Views::build(&site, templates);
        stage("views", t);
        // With no fingerprints to compare with (the first build, or after a failed render),
        // every output is rendered: the fingerprints are made later (`settle`), so the
        // preview's first build answers sooner.
        let (render, gone, settled) = if self.fingerprints.is_empty() {
            (crate::render::jobs_of(&site), Vec::new(), None)
        } else {
            let (fingerprints, readers) = fingerprints_and_readers(&site, templates, &views);
            let (render, gone) = plan::diff(&self.fingerprints, &fingerprints);
            (render, gone, Some((fingerprints, readers)))
        };
        // Made: from here on the new site replaces the last good one.
        self.shortcodes = shortcodes;
        self.settled = settled.is_some();
        let (fingerprints, readers) = settled.unwrap_or_default();
        self.fingerprints = fingerprints;
        self.page_readers = readers;
        self.site = Some(site);
        self.views = Some(views);
        if self.config_stale {
            self.converter = None;
        }
        self.config = Some(fresh_config);
        if let Some(t) = fresh_templates {
            self.templates = Some(t);
        }
        (self.config_stale, self.templates_stale) = (false, false);
        self.make_mirror()?;
        Ok(Update {
            render,
            gone,
            warnings,
        })
    }

    /// One build from nothing: every output renders, nothing is kept for a next time.
    fn build_once(&mut self) -> Result<Update, Diagnostics> {
        let t = Instant::now();
        let config = self.load_config()?;
        let (templates, (read, stored)) = rayon::join(
            || {
                let t = Instant::now();
                let templates = Templates::load(&config);
                stage("  theme", t);
                templates
            },
            || {
                rayon::join(
                    || {
                        let t = Instant::now();
                        let read = match self.disk_caches {
                            true => read_content(&config, |sources| {
                                parse_stored(&self.root, None, sources)
                            }),
                            false => read_content(&config, parse_all),
                        };
                        stage("  walk and parse", t);
                        read
                    },
                    || self.stored_bodies(),
                )
            },
        );
        let templates = templates?;
        stage("config, theme, walk and parse", t);
        let stored = stored.map(|s| s.for_shortcodes(templates.shortcodes_hash()));
        if let Some(s) = &stored {
            self.body_files = s.files();
        }
        let (mut site, warnings) = model(config, &templates, read, self.options, |_| {
            stored.as_ref().map(Earlier::Disk)
        })?;
        save_bodies(stored, &site);
        release_sources(&mut site);
        let t = Instant::now();
        let views = Views::build(&site, &templates);
        let render = crate::render::jobs_of(&site);
        stage("views", t);
        self.site = Some(site);
        self.templates = Some(templates);
        self.views = Some(views);
        self.make_mirror()?;
        Ok(Update {
            render,
            gone: Vec::new(),
            warnings,
        })
    }

    /// Re-renders an edited report whose front matter and headings did not change; `None`
    /// when the edit needs the general path.
    pub(crate) fn body_edit(&mut self, path: &Path) -> Result<Option<Vec<Job>>, Diagnostics> {
        self.settle();
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
                text: parsed.body.text().unwrap_or_default(),
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
        crate::model::links::check_body_anchors(site, &rel, &body, &mut anchors);
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
                if let Some(m) = &mut self.mirror {
                    m.page_body(id, &body);
                }
                let page = &mut site.pages[id];
                (page.body, page.body_text, page.body_line) = (body, body_text, body_line);
                let mut jobs = vec![Job::Page(id)];
                if views.refresh_page(site, id) {
                    jobs.extend(self.page_readers.get(&id).into_iter().flatten().cloned());
                }
                // The general path re-checks these against fresh fingerprints.
                for job in &jobs {
                    self.fingerprints.remove(&crate::render::path_of(site, job));
                }
                Ok(Some(jobs))
            }
            SourceRef::Brand(id) => {
                // A brand's intro shows on its own page only (lists show its front matter).
                if let Some(m) = &mut self.mirror {
                    m.brand_body(id, &body);
                }
                let brand = &mut site.brands[id];
                (brand.body, brand.body_text, brand.body_line) = (body, body_text, body_line);
                self.fingerprints
                    .remove(&crate::render::path_of(site, &Job::Brand(id)));
                Ok(Some(vec![Job::Brand(id)]))
            }
            SourceRef::Section(_) => Ok(None),
        }
    }
}

/// Frees the Markdown sources: once every body is rendered and every link checked, nothing
/// reads them, and rendering reuses their memory.
fn release_sources(site: &mut Site) {
    for p in &mut site.pages {
        p.body_text = p.body_text.released();
    }
    for b in &mut site.brands {
        b.body_text = b.body_text.released();
    }
    for s in &mut site.sections {
        s.body_text = s.body_text.released();
    }
}

/// Parses what changed since the last build, as the parse cache on disk tells it (a build,
/// the preview's start), and keeps the parses in `cache` for the preview's next rebuild.
fn parse_stored(
    root: &Path,
    cache: Option<&mut ParseCache>,
    sources: &[content::Source],
) -> (Vec<Parsed>, Diagnostics) {
    let Some(mut stored) = StoredSources::open(root) else {
        return match cache {
            Some(cache) => parse_cached(cache, sources),
            None => parse_all(sources),
        };
    };
    let (parsed, diags, parses) = stored.parse(sources);
    stored.save(&parsed, &parses);
    let Some(cache) = cache else {
        return (parsed, diags);
    };
    *cache = parsed
        .par_iter()
        .filter_map(|p| {
            let m = std::fs::metadata(&p.source.abs).ok()?;
            Some((
                p.source.abs.clone(),
                (m.modified().ok()?, m.len(), p.clone()),
            ))
        })
        .collect();
    (parsed, diags)
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
        && a.search == b.search
        && a.weight == b.weight
        && a.slug == b.slug
        && a.aliases == b.aliases
        && a.template == b.template
        && a.extra == b.extra
}
