//! The preview's site in memory: a `pipeline::Project` kept for the whole session, the
//! outputs it rendered (the in-memory sink), and the error the browser shows until it is
//! fixed. The watcher's changes decide which of the project's two paths runs (see
//! `pipeline::project`); this file only routes them and stores what was rendered.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diagnostics::Lang;
use crate::error::Diagnostics;
use crate::layout::SiteFolder;
use crate::pipeline::{Memory, ModelOptions, Project, Update};
use crate::render::templates::ThemeFile;
use crate::render::Job;
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
pub(crate) enum Served {
    Memory(Arc<Vec<u8>>),
    /// An output of the site (or of its 繁體 mirror), rendered when it is asked for.
    Page {
        job: Job,
        mirror: bool,
    },
    Embedded(&'static [u8]),
    Disk(PathBuf),
}

pub struct State {
    pub root: PathBuf,
    pub lang: Lang,
    project: Project,
    /// Output path (`cases/a/index.html`) → what to send.
    pub(crate) files: HashMap<String, Served>,
    /// The fingerprinted CSS/JS names pages link, as `herald build` writes them.
    pub asset_names: crate::fingerprint::Fingerprints,
    /// The current build error, as the terminal shows it.
    error: Option<String>,
    /// What the check of the start found (`check`, on another thread while the preview
    /// already answers): shown like a build error until a rebuild checks every output again.
    late: std::sync::Mutex<Option<String>>,
    /// The search index of the current site, made when the browser first asks for it
    /// (`herald build` writes the same bytes): an edit does not wait for it.
    search: std::sync::OnceLock<HashMap<String, Arc<Vec<u8>>>>,
    /// The same for the Traditional mirror (`zh-hant/search/`).
    mirror_search: std::sync::OnceLock<HashMap<String, Arc<Vec<u8>>>>,
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

impl State {
    pub fn new(root: PathBuf, base_url: String, options: ModelOptions) -> State {
        State {
            project: Project::new(root.clone(), Some(base_url), options, Memory::Keep)
                .disk_caches(true),
            root,
            lang: Lang::En,
            files: HashMap::new(),
            asset_names: Default::default(),
            error: None,
            late: std::sync::Mutex::new(None),
            search: std::sync::OnceLock::new(),
            mirror_search: std::sync::OnceLock::new(),
        }
    }

    /// A file of the search index (`search/i/0.bin`), made from the current site.
    pub(crate) fn search_file(&self, path: &str) -> Option<Served> {
        // Only the index's own paths make it: a missing favicon must not cost a whole index.
        let (site, cell, inner) = match path.strip_prefix(crate::hant::DIR) {
            Some(inner) => (self.project.mirror_site()?, &self.mirror_search, inner),
            None => (self.project.site()?, &self.search, path),
        };
        if !inner.starts_with(crate::search::PAGE) {
            return None;
        }
        let files = cell.get_or_init(|| {
            crate::search::files(site)
                .into_iter()
                .map(|(p, b)| (p, Arc::new(b)))
                .collect()
        });
        files.get(inner).cloned().map(Served::Memory)
    }

    /// Builds everything (after site.yaml or the theme changed, or in tests).
    pub fn full_rebuild(&mut self) -> Result<Summary, Diagnostics> {
        self.project.forget_config();
        let r = self.rebuild(true).map(|(summary, _)| summary);
        self.note(r)
    }

    /// The first build of the preview: the model, every check between files, and where each
    /// output goes, but no output rendered. The outputs returned are checked by `check`,
    /// which the preview runs while it already answers (pages render when they are asked
    /// for): at 10,000 reports that is a second and a half less before the first page.
    pub(crate) fn start(&mut self) -> Result<(Summary, Vec<Job>), Diagnostics> {
        self.project.forget_config();
        let r = self.rebuild(false);
        let (summary, jobs) = match r {
            Ok((summary, jobs)) => (Ok(summary), jobs),
            Err(d) => (Err(d), Vec::new()),
        };
        self.note(summary).map(|s| (s, jobs))
    }

    /// Renders the outputs `start` left unchecked (and their mirror). A mistake found is
    /// shown as a build error (its text returned, with how many there are) until a rebuild
    /// has checked every output again.
    pub(crate) fn check(&self, jobs: &[Job]) -> Result<(), (String, usize)> {
        let t = Instant::now();
        let result = self.render_checked(jobs);
        stage("check", t);
        let Err(d) = result else { return Ok(()) };
        let text = crate::diagnostics::render(&d, self.lang, &self.root);
        if let Ok(mut late) = self.late.lock() {
            *late = Some(text.clone());
        }
        Err((text, d.errors.len()))
    }

    /// After `check`: when some of the body cache's HTML did not match (what the preview
    /// showed from it is wrong), those files are removed and everything is built again.
    /// True if it was.
    pub(crate) fn repair_bodies(&mut self) -> bool {
        if self.project.remove_damaged_bodies().is_empty() {
            return false;
        }
        let _ = self.full_rebuild();
        true
    }

    /// Makes what the first build left for later (`Project::settle`).
    pub(crate) fn settle(&mut self) {
        self.project.settle();
    }

    /// The build error the browser shows, if any.
    pub fn error(&self) -> Option<String> {
        self.error.clone().or_else(|| {
            self.late
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .clone()
        })
    }

    /// Applies a batch of changes; rebuilds as little as is correct.
    pub fn apply(&mut self, changes: &[Change]) -> Result<Summary, Diagnostics> {
        let r = self.try_apply(changes);
        self.note(r)
    }

    fn note(&mut self, result: Result<Summary, Diagnostics>) -> Result<Summary, Diagnostics> {
        // Whatever changed, the index is made again from the site as it now is.
        self.search = std::sync::OnceLock::new();
        self.mirror_search = std::sync::OnceLock::new();
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
                self.project.forget_config();
                rebuild = true;
            } else if folder == Some(SiteFolder::Templates) {
                self.project.forget_templates();
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
        let late = self
            .late
            .get_mut()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take();
        if late.is_some() {
            // Which outputs failed is not kept: every one is checked again.
            self.project.forget_outputs();
        }
        if !self.project.is_built() || self.error.is_some() || late.is_some() {
            rebuild = true;
        }
        if !rebuild && !body_edits.is_empty() {
            let mut jobs: HashSet<Job> = HashSet::new();
            for path in &body_edits {
                match self.project.body_edit(path)? {
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
            return self.rebuild(true).map(|(summary, _)| summary);
        }
        // Pages loaded from now on link the stylesheet's new fingerprinted name.
        if let (Some(site), Some(templates)) = (self.project.site(), self.project.templates()) {
            self.asset_names = crate::fingerprint::plan(site, templates);
        }
        Ok(Summary {
            css_only: Some(css.unwrap_or_default()),
            ..Summary::default()
        })
    }

    fn render_jobs(&mut self, jobs: Vec<Job>) -> Result<Summary, Diagnostics> {
        let done = self
            .render_checked(&jobs)
            .inspect_err(|_| self.project.forget_outputs())?;
        let n = done.len();
        self.files.extend(done);
        Ok(Summary {
            rendered: n,
            ..Summary::default()
        })
    }

    /// Renders `jobs` (and their mirror) to find errors, and says where each goes: the pages
    /// themselves are rendered again when the browser asks (`page`).
    fn render_checked(&self, jobs: &[Job]) -> Result<Vec<(String, Served)>, Diagnostics> {
        let Some(renderer) = self.project.renderer() else {
            return Ok(Vec::new());
        };
        let served =
            |mirror: bool| move |(path, job): (String, Job)| (path, Served::Page { job, mirror });
        let mut done: Vec<(String, Served)> = renderer
            .paths_of_all(jobs)?
            .into_iter()
            .map(served(false))
            .collect();
        if let Some(mirror) = self.project.mirror_renderer() {
            let mirrored: Vec<Job> = jobs.iter().filter(|j| j.is_mirrored()).cloned().collect();
            done.extend(
                mirror
                    .paths_of_all(&mirrored)?
                    .into_iter()
                    .map(served(true)),
            );
        }
        Ok(done)
    }

    /// An output of the current site (the last good one while a build error is shown).
    pub(crate) fn page(&self, job: &Job, mirror: bool) -> Option<Vec<u8>> {
        let renderer = if mirror {
            self.project.mirror_renderer()?
        } else {
            self.project.renderer()?
        };
        renderer.render(job).ok().map(|o| o.bytes)
    }

    /// Where each of `jobs` goes (and its mirror), without rendering them.
    fn unchecked(&self, jobs: &[Job]) -> Vec<(String, Served)> {
        let mut done = Vec::with_capacity(jobs.len());
        if let Some(r) = self.project.renderer() {
            done.extend(jobs.iter().map(|j| {
                let (path, job) = (r.path(j), j.clone());
                (path, Served::Page { job, mirror: false })
            }));
        }
        if let Some(r) = self.project.mirror_renderer() {
            done.extend(jobs.iter().filter(|j| j.is_mirrored()).map(|j| {
                let (path, job) = (r.path(j), j.clone());
                (path, Served::Page { job, mirror: true })
            }));
        }
        done
    }

    /// The general path of the project, then the changed outputs into memory: rendered to
    /// check them, or (`check` false) only placed, and returned for `check`.
    fn rebuild(&mut self, check: bool) -> Result<(Summary, Vec<Job>), Diagnostics> {
        let Update {
            render,
            gone,
            warnings,
        } = self.project.rebuild()?;
        let t = Instant::now();
        let outputs = if check {
            let checked = self.render_checked(&render);
            checked.inspect_err(|_| self.project.forget_outputs())?
        } else {
            self.unchecked(&render)
        };
        let (Some(site), Some(templates)) = (self.project.site(), self.project.templates()) else {
            return Ok((Summary::default(), Vec::new()));
        };
        let mirror = self.project.mirror_site().is_some();
        stage("render", t);
        // Photos from the same cache as `herald build` (encoded into it if new), so the
        // preview serves the bytes a build writes; an unchanged photo costs a `stat`.
        let t = Instant::now();
        let images = crate::images::site::publish(site)?;
        self.asset_names = crate::fingerprint::plan(site, templates);
        stage("images", t);
        let summary = Summary {
            rendered: outputs.len(),
            removed: gone.len(),
            css_only: None,
            warnings,
        };
        for path in &gone {
            self.files.remove(path);
            self.files.remove(&format!("{}{path}", crate::hant::DIR));
        }
        if !mirror {
            self.files.retain(|p, _| !p.starts_with(crate::hant::DIR));
        }
        self.files.extend(outputs);
        // Static files and assets: cheap to list again.
        self.files
            .retain(|_, s| matches!(s, Served::Memory(_) | Served::Page { .. }));
        for (rel, f) in &templates.static_files {
            self.files.entry(rel.clone()).or_insert_with(|| match f {
                ThemeFile::Embedded(b) => Served::Embedded(b),
                ThemeFile::Disk(p) => Served::Disk(p.clone()),
            });
        }
        for a in &site.assets {
            if !crate::images::site::is_published(site, &a.path) {
                self.files
                    .insert(a.path.clone(), Served::Disk(a.file.clone()));
            }
        }
        for (path, file) in images.files {
            self.files.insert(path, Served::Disk(file));
        }
        let unchecked = if check { Vec::new() } else { render };
        Ok((summary, unchecked))
    }

    /// The 404 page of the theme, if the site built.
    pub(crate) fn not_found(&self) -> Option<Served> {
        self.files.get("404.html").cloned()
    }
}

fn is_markdown(p: &Path) -> bool {
    p.extension().is_some_and(|e| e.eq_ignore_ascii_case("md"))
}
