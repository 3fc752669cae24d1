//! The pipeline, stage by stage: load → parse → model → render → write.
//!
//! The stages are functions here; `Project` holds what they produced between builds (the
//! caches the preview keeps), and `commands` drives a project for `herald build` and
//! `herald check`. `herald serve` drives the same `Project`.

mod bodies;
mod cache;
mod commands;
mod project;
mod sources;

pub use cache::clean;
pub use commands::{build, check};
pub(crate) use project::{Memory, Project, Update};

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::config::Config;
use crate::content::{self, Parsed};
use crate::error::{Diagnostics, Error};
use crate::model::{self, Site};
use crate::render::templates::ShortcodeTemplates;
use crate::render::Templates;
use crate::timing::stage;

#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Defaults to `<root>/output`.
    pub output: Option<PathBuf>,
    pub base_url: Option<String>,
    /// `--relative`: internal URLs relative to each page, whatever site.yaml says.
    pub relative: bool,
    /// `--compress`: a `.gz` beside every text output (`compress`).
    pub compress: bool,
    pub drafts: bool,
    /// Warnings fail the build.
    pub strict: bool,
    /// The language of what the build says while it runs (the progress line).
    pub lang: crate::diagnostics::Lang,
    /// `--no-cache`: neither read nor write the build cache (`.herald/cache/build.bin`).
    pub no_cache: bool,
    /// The process exits right after the build: the site's memory is left to the operating
    /// system instead of being freed piece by piece (over a second at 50,000 pages).
    pub exiting: bool,
}

impl BuildOptions {
    pub(crate) fn model_options(&self) -> ModelOptions {
        ModelOptions {
            drafts: self.drafts,
            strict: self.strict,
        }
    }

    pub fn output_dir(&self) -> PathBuf {
        self.output
            .clone()
            .unwrap_or_else(|| self.root.join("output"))
    }
}

#[derive(Debug, Default)]
pub struct BuildReport {
    pub pages: usize,
    pub brands: usize,
    pub files: usize,
    /// On a rebuild into a previous output: how many files were added or changed.
    pub changed: Option<usize>,
    /// Photos encoded now and photos taken from `.herald/cache/images/` (a build only).
    pub images: Option<(usize, usize)>,
    pub elapsed: Duration,
    pub warnings: Diagnostics,
}

/// Lists `static/` of the site (links followed inside the site only).
pub fn static_files(
    root: &crate::paths::SiteRoot,
    dir: &Path,
) -> Result<Vec<(String, PathBuf)>, Diagnostics> {
    let (files, errors) = root.files(dir);
    if errors.is_empty() {
        Ok(files)
    } else {
        Err(Diagnostics {
            errors,
            warnings: Vec::new(),
        })
    }
}

/// Parses every Markdown file in parallel; all errors of all files are collected.
pub fn parse_all(sources: &[content::Source]) -> (Vec<Parsed>, Diagnostics) {
    let results: Vec<_> = sources.par_iter().map(content::parse).collect();
    let mut diags = Diagnostics::default();
    let mut parsed = Vec::with_capacity(results.len());
    for r in results {
        match r {
            Ok((p, d)) => {
                parsed.push(p);
                diags.extend(d);
            }
            Err(d) => diags.extend(d),
        }
    }
    (parsed, diags)
}

/// What stage 1 read of the content: its files, their parses, and what went wrong.
pub struct ReadContent {
    pub files: content::ContentFiles,
    pub parsed: Vec<Parsed>,
    pub diags: Diagnostics,
}

/// Stage 1 for the content: walk `content/` and parse every Markdown file with `parse`
/// (`parse_all` for a build; the preview passes one that reuses unchanged files).
pub fn read_content(
    config: &Config,
    parse: impl FnOnce(&[content::Source]) -> (Vec<Parsed>, Diagnostics),
) -> ReadContent {
    let (files, mut diags) = content::load::walk(&config.site_root(), &config.content_dir());
    let (parsed, more) = parse(&files.markdown);
    diags.extend(more);
    ReadContent {
        files,
        parsed,
        diags,
    }
}

/// How a site is modelled: the flags every command shares.
#[derive(Debug, Clone, Copy, Default)]
pub struct ModelOptions {
    pub drafts: bool,
    pub strict: bool,
}

/// Stages 2–3, the same for `build`, `check` and `serve`: the model from what was read, with
/// every check between files, so all three report the same mistakes and warnings. `previous`
/// may hand over bodies rendered before (the preview), once the new site's URLs are known.
pub fn model<C: model::links::BodyCache>(
    config: Config,
    templates: &Templates,
    read: ReadContent,
    opts: ModelOptions,
    previous: impl FnOnce(&Site) -> Option<C>,
) -> Result<(Site, Diagnostics), Diagnostics> {
    let ReadContent {
        files,
        parsed,
        mut diags,
    } = read;
    diags.warnings.extend(templates.warnings.iter().cloned());
    diags.warnings.extend(config.warnings.iter().cloned());
    let statics = match static_files(&config.site_root(), &config.static_dir()) {
        Ok(s) => s,
        Err(d) => {
            diags.extend(d);
            Vec::new()
        }
    };
    if !diags.errors.is_empty() {
        return Err(model_with_errors(
            config, templates, files, parsed, statics, opts, diags,
        ));
    }
    let t = Instant::now();
    let (mut site, mut model_errors) =
        model::assemble::assemble_all(config, parsed, &files.assets, &statics, opts.drafts);
    stage("model", t);
    probe_images(&mut site);
    // After the photos are probed: a body reused must show the sizes they have now.
    let cache = previous(&site);
    let finished = finish_model(
        &mut site,
        templates,
        cache.as_ref().map(|c| c as &dyn model::links::BodyCache),
    );
    if let Err(more) = finished {
        model_errors.extend(more);
    }
    if !model_errors.errors.is_empty() {
        return Err(merged(&diags, model_errors));
    }
    diags.warnings.extend(model::links::body_warnings(&site));
    diags.sort();
    if opts.strict && !diags.warnings.is_empty() {
        return Err(diags);
    }
    Ok((site, diags))
}

/// Some files failed to read or parse: still look for mistakes between the others (unknown
/// brands, duplicate URLs, links), so the user sees them in the same pass. A brand whose own
/// file failed counts as known, and links into a failed file are not the linking file's fault.
fn model_with_errors(
    config: Config,
    templates: &Templates,
    files: content::ContentFiles,
    parsed: Vec<Parsed>,
    statics: Vec<(String, PathBuf)>,
    opts: ModelOptions,
    mut diags: Diagnostics,
) -> Diagnostics {
    let parsed_rels: std::collections::HashSet<&str> =
        parsed.iter().map(|p| p.source.rel.as_str()).collect();
    let failed: std::collections::HashSet<String> = files
        .markdown
        .iter()
        .filter(|s| !parsed_rels.contains(s.rel.as_str()))
        .map(|s| s.rel.clone())
        .collect();
    let broken_brands: Vec<String> = files
        .markdown
        .iter()
        .filter(|s| s.kind == content::SourceKind::Brand && failed.contains(&s.rel))
        .map(|s| {
            s.rel
                .trim_start_matches("brands/")
                .trim_end_matches(".md")
                .to_string()
        })
        .collect();
    let spurious = |e: &Error| match e {
        Error::UnknownBrand { brand, .. } => broken_brands.contains(brand),
        Error::BrokenLink { at, target, .. } => {
            link_target(at, target).is_some_and(|t| failed.contains(&t))
        }
        _ => false,
    };
    let (mut site, more) =
        model::assemble::assemble_all(config, parsed, &files.assets, &statics, opts.drafts);
    diags
        .errors
        .extend(more.errors.into_iter().filter(|e| !spurious(e)));
    probe_images(&mut site);
    if let Err(more) = finish_model(&mut site, templates, None) {
        diags
            .errors
            .extend(more.errors.into_iter().filter(|e| !spurious(e)));
    }
    diags.sort();
    diags
}

/// Every photo's header (size, orientation), before bodies are rendered with them.
fn probe_images(site: &mut Site) {
    let t = Instant::now();
    site.images = crate::images::probe_all(
        site.assets
            .iter()
            .map(|a| (a.path.as_str(), a.file.as_path())),
        &site.config.static_dir(),
    );
    stage("image headers", t);
}

/// The content-relative file a Markdown link in `at` points to (`../b.md#x` → `cases/b.md`).
fn link_target(at: &crate::error::Location, target: &str) -> Option<String> {
    let from = at
        .path
        .strip_prefix("content")
        .ok()?
        .to_string_lossy()
        .replace('\\', "/");
    let dir = from.rsplit_once('/').map_or("", |(d, _)| d);
    let path = target.split(['#', '?']).next()?;
    crate::markdown::join_rel(dir, path)
}

/// Bodies, relations, and the checks that need the whole site.
pub fn finish_model(
    site: &mut Site,
    templates: &Templates,
    cache: Option<&dyn model::links::BodyCache>,
) -> Result<(), Diagnostics> {
    let codes = ShortcodeTemplates { templates };
    let t = Instant::now();
    let bodies = model::links::render_bodies(site, Some(&codes), cache);
    stage("markdown", t);
    let t = Instant::now();
    model::relations::link(site);
    stage("relations", t);
    // Every check runs, so one pass shows every mistake.
    let t = Instant::now();
    let outputs = crate::render::outputs::check(site, templates);
    stage("output paths", t);
    let mut diags = Diagnostics::default();
    for result in [
        bodies,
        check_files(site),
        check_templates(site, templates),
        outputs,
    ] {
        if let Err(d) = result {
            diags.extend(d);
        }
    }
    if diags.errors.is_empty() {
        Ok(())
    } else {
        diags.sort();
        Err(diags)
    }
}

/// A `template:` in front matter must name a template the theme or the site has.
fn check_templates(site: &Site, templates: &Templates) -> Result<(), Diagnostics> {
    let named = site
        .pages
        .iter()
        .map(|p| (&p.meta.template, &p.meta.template_at))
        .chain(
            site.sections
                .iter()
                .map(|s| (&s.meta.template, &s.meta.template_at)),
        );
    let mut diags = Diagnostics::default();
    for (name, at) in named {
        let (Some(name), Some(at)) = (name, at) else {
            continue;
        };
        if !templates.has(name) {
            diags.error(Error::UnknownTemplate {
                at: at.clone(),
                name: name.clone(),
                available: templates.page_template_names(),
            });
        }
    }
    if diags.errors.is_empty() {
        Ok(())
    } else {
        Err(diags)
    }
}

/// Covers and logos named in front matter must exist.
fn check_files(site: &Site) -> Result<(), Diagnostics> {
    let mut diags = Diagnostics::default();
    let named = site
        .pages
        .iter()
        .filter_map(|p| p.meta.cover.as_ref().map(|c| ("cover", &p.source, c)))
        .chain(
            site.brands
                .iter()
                .filter_map(|b| b.meta.logo.as_ref().map(|l| ("logo", &b.source, l))),
        );
    for (key, source, (raw, at)) in named {
        match crate::paths::check_url(raw) {
            Err(problem) => diags.error(Error::BadUrl {
                at: at.clone(),
                key: key.into(),
                url: raw.clone(),
                problem,
            }),
            Ok(crate::paths::UrlKind::Web) => {}
            Ok(crate::paths::UrlKind::Relative)
                if crate::render::views::file_url(site, source, raw).is_some() =>
            {
                let url = crate::render::views::file_url(site, source, raw).unwrap_or_default();
                if let Some(Err(problem)) = model::links::image_at(site, &url) {
                    diags.error(Error::BadImage {
                        at: at.clone(),
                        image: raw.clone(),
                        problem,
                    });
                }
            }
            Ok(_) => diags.error(Error::BrokenLink {
                at: at.clone(),
                target: raw.clone(),
                problem: crate::error::LinkProblem::MissingAsset,
            }),
        }
    }
    if diags.errors.is_empty() {
        Ok(())
    } else {
        Err(diags)
    }
}

fn merged(warnings: &Diagnostics, mut errors: Diagnostics) -> Diagnostics {
    errors.warnings.extend(warnings.warnings.iter().cloned());
    errors.sort();
    errors
}
