//! The preview's site in memory, and the incremental rebuild.
//!
//! Every rendered output remembers which pages and brands it showed (`render::Reads`). After
//! an edit to a report's body, only that report's page is re-rendered, plus — if what lists
//! show of it (title, summary, word count…) changed — the outputs that list it: its brand's
//! showcase, its section and taxonomy pages, the home page and the feed. Everything else
//! (a new or deleted file, a front matter change, site.yaml, a theme file) rebuilds in memory
//! from scratch, which is correct by construction.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::build::{self, BuildOptions, Loaded};
use crate::content::{self, Doc, SourceKind};
use crate::diagnostics::Lang;
use crate::error::{Diagnostics, Error};
use crate::model::links::SiteLinks;
use crate::model::SourceRef;
use crate::render::templates::{ShortcodeTemplates, ThemeFile};
use crate::render::{Job, Output, Renderer, Templates, Views};

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

pub struct State {
    pub root: PathBuf,
    pub base_url: String,
    pub drafts: bool,
    pub lang: Lang,
    loaded: Option<Loaded>,
    views: Option<Views>,
    /// Output path (`cases/a/index.html`) → what to send.
    pub files: HashMap<String, Served>,
    job_paths: HashMap<Job, String>,
    /// Page → the jobs whose output shows it.
    page_readers: HashMap<usize, Vec<Job>>,
    /// The current build error, as the terminal shows it.
    pub error: Option<String>,
}

/// What a rebuild did, for the one line the terminal prints.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    pub rendered: usize,
    pub full: bool,
    pub css_only: Option<String>,
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let Some(css) = &self.css_only {
            return write!(f, "stylesheet {css}");
        }
        write!(
            f,
            "{} {}",
            self.rendered,
            if self.full {
                "outputs (full rebuild)"
            } else {
                "outputs"
            }
        )
    }
}

impl State {
    pub fn new(root: PathBuf, base_url: String, drafts: bool) -> State {
        State {
            root,
            base_url,
            drafts,
            lang: Lang::En,
            loaded: None,
            views: None,
            files: HashMap::new(),
            job_paths: HashMap::new(),
            page_readers: HashMap::new(),
            error: None,
        }
    }

    fn options(&self) -> BuildOptions {
        BuildOptions {
            root: self.root.clone(),
            output: None,
            base_url: Some(self.base_url.clone()),
            drafts: self.drafts,
            strict: false,
        }
    }

    /// Loads and renders the whole site into memory.
    pub fn full_rebuild(&mut self) -> Result<Summary, Diagnostics> {
        let result = self.try_full_rebuild();
        self.note(result)
    }

    fn note(&mut self, result: Result<Summary, Diagnostics>) -> Result<Summary, Diagnostics> {
        match &result {
            Ok(_) => self.error = None,
            Err(d) => self.error = Some(crate::diagnostics::render(d, self.lang, &self.root)),
        }
        result
    }

    fn try_full_rebuild(&mut self) -> Result<Summary, Diagnostics> {
        let loaded = build::load(&self.options())?;
        let views = Views::build(&loaded.site, &loaded.templates);
        let renderer = Renderer::new(&loaded.site, &loaded.templates, &views);
        let jobs = renderer.jobs();
        let outputs = renderer.render_all(&jobs)?;
        let mut files = HashMap::with_capacity(outputs.len() + loaded.site.assets.len());
        for (rel, f) in &loaded.templates.static_files {
            files.insert(
                rel.clone(),
                match f {
                    ThemeFile::Embedded(b) => Served::Embedded(b),
                    ThemeFile::Disk(p) => Served::Disk(p.clone()),
                },
            );
        }
        for a in &loaded.site.assets {
            files.insert(a.path.clone(), Served::Disk(a.file.clone()));
        }
        self.job_paths.clear();
        self.page_readers.clear();
        let rendered = outputs.len();
        for o in outputs {
            self.index(&o);
            files.insert(o.path, Served::Memory(Arc::new(o.bytes)));
        }
        drop(renderer);
        self.files = files;
        self.loaded = Some(loaded);
        self.views = Some(views);
        Ok(Summary {
            rendered,
            full: true,
            css_only: None,
        })
    }

    fn index(&mut self, o: &Output) {
        self.job_paths.insert(o.job.clone(), o.path.clone());
        for &p in &o.reads.pages {
            self.page_readers.entry(p).or_default().push(o.job.clone());
        }
    }

    /// Applies a batch of changes; rebuilds as little as is correct.
    pub fn apply(&mut self, changes: &[Change]) -> Result<Summary, Diagnostics> {
        let result = self.try_apply(changes);
        self.note(result)
    }

    fn try_apply(&mut self, changes: &[Change]) -> Result<Summary, Diagnostics> {
        if self.loaded.is_none() || self.error.is_some() {
            return self.try_full_rebuild();
        }
        let content = self.root.join("content");
        let static_dir = self.root.join("static");
        let mut edited = Vec::new();
        let mut css = None;
        for c in changes {
            match c {
                Change::Modified(p)
                    if p.starts_with(&static_dir)
                        || (p.starts_with(&content) && !is_markdown(p)) =>
                {
                    // Served from disk: nothing to render.
                    if p.extension().is_some_and(|e| e == "css") {
                        css = p
                            .strip_prefix(&static_dir)
                            .ok()
                            .map(|r| format!("/{}", r.to_string_lossy().replace('\\', "/")));
                    }
                }
                Change::Modified(p) if p.starts_with(&content) && is_markdown(p) => {
                    edited.push(p.clone())
                }
                Change::Modified(p)
                    if p.starts_with(self.root.join("templates")) && is_template(p) =>
                {
                    return self.rerender_templates();
                }
                _ => return self.try_full_rebuild(),
            }
        }
        if edited.is_empty() {
            return Ok(Summary {
                rendered: 0,
                full: false,
                css_only: css.or_else(|| Some(String::new())),
            });
        }
        let mut jobs: HashSet<Job> = HashSet::new();
        for path in &edited {
            match self.body_edit(path)? {
                Some(js) => jobs.extend(js),
                None => return self.try_full_rebuild(),
            }
        }
        self.rerender(jobs.into_iter().collect())
    }

    /// Re-renders an edited Markdown file whose front matter did not change. `None` when the
    /// change needs a full rebuild (front matter, headings, a section or brand file).
    fn body_edit(&mut self, path: &Path) -> Result<Option<Vec<Job>>, Diagnostics> {
        let (Some(loaded), Some(views)) = (self.loaded.as_mut(), self.views.as_mut()) else {
            return Ok(None);
        };
        let content = self.root.join("content");
        let Ok(rel) = path.strip_prefix(&content) else {
            return Ok(None);
        };
        let rel = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        let Some(&SourceRef::Page(id)) = loaded.site.by_source.get(&rel) else {
            return Ok(None);
        };
        let source = content::Source {
            rel: rel.clone(),
            abs: path.to_path_buf(),
            kind: SourceKind::Page,
        };
        let (parsed, _warnings) = content::parse(&source)?;
        let Doc::Page(meta) = parsed.doc else {
            return Ok(None);
        };
        let page = &loaded.site.pages[id];
        if !same_meta(&page.meta, &meta) {
            return Ok(None);
        }
        let codes = ShortcodeTemplates {
            templates: &loaded.templates,
        };
        let links = SiteLinks::new(&loaded.site);
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
        if body.heading_ids != page.body.heading_ids {
            // Other pages may link to the old headings: check everything.
            return Ok(None);
        }
        check_own_anchors(loaded, &rel, &body)?;
        let page = &mut loaded.site.pages[id];
        page.body = body;
        page.body_text = parsed.body;
        page.body_line = parsed.body_line;
        let mut jobs = vec![Job::Page(id)];
        if views.refresh_page(&loaded.site, id) {
            jobs.extend(self.page_readers.get(&id).into_iter().flatten().cloned());
        }
        Ok(Some(jobs))
    }

    fn rerender_templates(&mut self) -> Result<Summary, Diagnostics> {
        let Some(loaded) = self.loaded.as_mut() else {
            return self.try_full_rebuild();
        };
        let templates = Templates::load(&loaded.site.config)?;
        if templates.settings != loaded.templates.settings
            || templates.shortcode_names() != loaded.templates.shortcode_names()
        {
            return self.try_full_rebuild();
        }
        loaded.templates = templates;
        let all: Vec<Job> = self.job_paths.keys().cloned().collect();
        self.rerender(all)
    }

    fn rerender(&mut self, jobs: Vec<Job>) -> Result<Summary, Diagnostics> {
        let (Some(loaded), Some(views)) = (self.loaded.as_ref(), self.views.as_ref()) else {
            return Ok(Summary::default());
        };
        let renderer = Renderer::new(&loaded.site, &loaded.templates, views);
        let outputs: Vec<Result<Output, Error>> =
            jobs.par_iter().map(|j| renderer.render(j)).collect();
        let mut diags = Diagnostics::default();
        let mut done = Vec::with_capacity(outputs.len());
        for o in outputs {
            match o {
                Ok(o) => done.push(o),
                Err(e) => diags.error(e),
            }
        }
        if !diags.errors.is_empty() {
            return Err(diags);
        }
        let n = done.len();
        for o in done {
            // A re-rendered output may read new pages (a new neighbour): index them too.
            for &p in &o.reads.pages {
                let readers = self.page_readers.entry(p).or_default();
                if !readers.contains(&o.job) {
                    readers.push(o.job.clone());
                }
            }
            self.files.insert(o.path, Served::Memory(Arc::new(o.bytes)));
        }
        Ok(Summary {
            rendered: n,
            full: false,
            css_only: None,
        })
    }

    /// The 404 page of the theme, if the site built.
    pub fn not_found(&self) -> Option<Served> {
        self.files.get("404.html").cloned()
    }
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

fn check_own_anchors(
    loaded: &Loaded,
    rel: &str,
    body: &crate::markdown::Rendered,
) -> Result<(), Diagnostics> {
    let site = &loaded.site;
    let mut diags = Diagnostics::default();
    for a in &body.anchors {
        if a.anchor.is_empty() || a.anchor.starts_with("fn") || a.anchor == "top" {
            continue;
        }
        let target = if a.target.is_empty() {
            rel
        } else {
            a.target.as_str()
        };
        let ids = if target == rel {
            Some(&body.heading_ids)
        } else {
            match site.by_source.get(target) {
                Some(SourceRef::Page(p)) => Some(&site.pages[*p].body.heading_ids),
                Some(SourceRef::Brand(b)) => Some(&site.brands[*b].body.heading_ids),
                _ => None,
            }
        };
        if let Some(ids) = ids {
            if !ids.contains(&a.anchor) {
                diags.error(Error::BrokenLink {
                    at: a.at.clone(),
                    target: a.written.clone(),
                    problem: crate::error::LinkProblem::MissingAnchor {
                        available: ids.clone(),
                    },
                });
            }
        }
    }
    if diags.errors.is_empty() {
        Ok(())
    } else {
        Err(diags)
    }
}

fn is_markdown(p: &Path) -> bool {
    p.extension().is_some_and(|e| e.eq_ignore_ascii_case("md"))
}

fn is_template(p: &Path) -> bool {
    p.extension()
        .is_some_and(|e| e == "html" || e == "xml" || e == "txt")
}
