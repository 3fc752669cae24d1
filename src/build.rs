//! The pipeline, stage by stage: load → parse → model → render → write.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::config::Config;
use crate::content::{self, Parsed};
use crate::error::{Diagnostics, Error};
use crate::finish;
use crate::model::{self, Site};
use crate::output::{self, Staging};
use crate::progress::Progress;
use crate::render::templates::{ShortcodeTemplates, ThemeFile};
use crate::render::{Renderer, Templates, Views};
use crate::timing::{self, stage};

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
    /// The process exits right after the build: the site's memory is left to the operating
    /// system instead of being freed piece by piece (over a second at 50,000 pages).
    pub exiting: bool,
}

impl BuildOptions {
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

/// Stages 1–3: the whole site as data, with every body rendered and every link checked.
pub struct Loaded {
    pub site: Site,
    pub templates: Templates,
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
    // Bodies are reused only if no photo changed size: their HTML holds its width and height.
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

/// A build reuses nothing.
pub struct NoBodies;

impl model::links::BodyCache for NoBodies {
    fn take(&self, _: &std::path::Path, _: &str) -> Option<crate::markdown::Rendered> {
        None
    }
}

pub fn load(opts: &BuildOptions) -> Result<Loaded, Diagnostics> {
    let t = Instant::now();
    let mut config = Config::load(&opts.root, opts.base_url.as_deref())?;
    config.relative_urls |= opts.relative;
    // The theme's templates compile on one core while the content is read on the other.
    let (templates, read) = rayon::join(
        || Templates::load(&config),
        || read_content(&config, parse_all),
    );
    let templates = templates?;
    stage("config, theme, walk and parse", t);
    let options = ModelOptions {
        drafts: opts.drafts,
        strict: opts.strict,
    };
    let (site, warnings) = model(config, &templates, read, options, |_| None::<NoBodies>)?;
    Ok(Loaded {
        site,
        templates,
        warnings,
    })
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

/// `herald build`: the whole pipeline, written atomically.
pub fn build(opts: &BuildOptions) -> Result<BuildReport, Diagnostics> {
    let start = Instant::now();
    let out = opts.output_dir();
    if opts.output.is_none() {
        // The site's own `output` may be a link: one leading out of the site is not followed
        // (a site copied from elsewhere must not write where it likes). `--output` is the
        // user's own choice.
        crate::paths::SiteRoot::new(&opts.root).check_inside(&out)?;
    }
    output::check_output_dir(&opts.root, &out)?;
    let mut loaded = load(opts)?;
    release_sources(&mut loaded.site);
    let t = Instant::now();
    let mut progress = Progress::new(loaded.site.pages.len());
    let views =
        Views::build(&loaded.site, &loaded.templates).map_err(|d| merged(&loaded.warnings, d))?;
    let renderer = Renderer::new(&loaded.site, &loaded.templates, &views).lending();
    let jobs = renderer.jobs();
    stage("views", t);
    let t = Instant::now();
    let timings = timing::PerKind::default();
    let fingerprints = crate::fingerprint::plan(&loaded.site, &loaded.templates);
    let staging = Staging::begin(&out)?;
    // Render and write in one parallel pass: pages never pile up in memory.
    progress.count(
        if opts.lang == crate::diagnostics::Lang::Zh {
            "生成页面"
        } else {
            "writing pages"
        },
        jobs.len(),
    );
    let results: Vec<Result<(), Error>> = jobs
        .par_iter()
        .map(|job| {
            let t = Instant::now();
            let o = renderer.render(job)?;
            timings.add(job.kind(), t);
            progress.tick();
            let page = finish::html(&loaded.site.config, &fingerprints, &o.path, &o.bytes);
            let bytes = page.as_ref().map_or(&o.bytes[..], |h| h.as_bytes());
            staging.write(&o.path, bytes)?;
            finish::compressed(opts.compress, &staging, &o.path, bytes)
        })
        .collect();
    progress.finish();
    stage("render and write", t);
    timings.report();
    let diags = Diagnostics::unique(results.into_iter().filter_map(Result::err));
    if !diags.errors.is_empty() {
        return Err(merged(&loaded.warnings, diags));
    }
    fingerprints
        .files
        .par_iter()
        .try_for_each(|(rel, bytes)| {
            staging.write(rel, bytes)?;
            finish::compressed(opts.compress, &staging, rel, bytes)
        })
        .map_err(|e| merged(&loaded.warnings, e.into()))?;
    let t = Instant::now();
    let images =
        crate::images::site::publish(&loaded.site).map_err(|d| merged(&loaded.warnings, d))?;
    stage("images", t);
    images
        .files
        .par_iter()
        .try_for_each(|(rel, file)| staging.copy(rel, file))
        .map_err(|e| merged(&loaded.warnings, e.into()))?;
    let copied = copy_static(&loaded.site, &loaded.templates, &staging, opts)
        .map_err(|e| merged(&loaded.warnings, e.into()))?;
    let changed = staging.is_update().then(|| staging.changed());
    staging
        .commit()
        .map_err(|e| merged(&loaded.warnings, e.into()))?;
    let files = jobs.len() + copied + images.files.len() + fingerprints.files.len();
    if opts.exiting {
        std::mem::forget(renderer);
        std::mem::forget(views);
    }
    let mut loaded = loaded;
    let report = BuildReport {
        pages: loaded.site.pages.len(),
        brands: loaded.site.brands.len(),
        files,
        changed,
        images: Some((images.encoded, images.cached)),
        elapsed: start.elapsed(),
        warnings: std::mem::take(&mut loaded.warnings),
    };
    if opts.exiting {
        std::mem::forget(loaded);
    }
    Ok(report)
}

/// Frees the Markdown sources: once every body is rendered and every link checked, nothing
/// reads them, and rendering reuses their memory (a tenth of the peak at 10,000 reports).
fn release_sources(site: &mut Site) {
    let empty: std::sync::Arc<str> = std::sync::Arc::from("");
    for p in &mut site.pages {
        p.body_text = empty.clone();
    }
    for b in &mut site.brands {
        b.body_text = empty.clone();
    }
    for s in &mut site.sections {
        s.body_text = empty.clone();
    }
}

/// Theme static files, then content assets and the site's `static/` (which win).
fn copy_static(
    site: &Site,
    templates: &Templates,
    staging: &Staging,
    opts: &BuildOptions,
) -> Result<usize, Error> {
    let site_paths: std::collections::HashSet<&str> =
        site.assets.iter().map(|a| a.path.as_str()).collect();
    let theme: Vec<(&String, &ThemeFile)> = templates
        .static_files
        .iter()
        .filter(|(p, _)| !site_paths.contains(p.as_str()))
        .collect();
    theme.par_iter().try_for_each(|(rel, file)| match file {
        ThemeFile::Embedded(bytes) => {
            staging.write(rel, bytes)?;
            finish::compressed(opts.compress, staging, rel, bytes)
        }
        ThemeFile::Disk(path) => {
            staging.copy(rel, path)?;
            finish::compressed_file(opts.compress, staging, rel, path)
        }
    })?;
    // Re-encoded photos are written by `publish_images`, never copied with their EXIF.
    let plain: Vec<&crate::model::Asset> = site
        .assets
        .iter()
        .filter(|a| !crate::images::site::is_published(site, &a.path))
        .collect();
    plain.par_iter().try_for_each(|a| {
        staging.copy(&a.path, &a.file)?;
        finish::compressed_file(opts.compress, staging, &a.path, &a.file)
    })?;
    Ok(theme.len() + plain.len())
}

/// `herald check`: every check of a build, nothing written.
pub fn check(opts: &BuildOptions) -> Result<BuildReport, Diagnostics> {
    let start = Instant::now();
    let loaded = load(opts)?;
    let views =
        Views::build(&loaded.site, &loaded.templates).map_err(|d| merged(&loaded.warnings, d))?;
    let renderer = Renderer::new(&loaded.site, &loaded.templates, &views).lending();
    let jobs = renderer.jobs();
    let results: Vec<Result<usize, Error>> = jobs
        .par_iter()
        .map(|j| renderer.render(j).map(|o| o.bytes.len()))
        .collect();
    let diags = Diagnostics::unique(results.into_iter().filter_map(Result::err));
    if !diags.errors.is_empty() {
        return Err(merged(&loaded.warnings, diags));
    }
    Ok(BuildReport {
        pages: loaded.site.pages.len(),
        brands: loaded.site.brands.len(),
        files: jobs.len(),
        changed: None,
        images: None,
        elapsed: start.elapsed(),
        warnings: loaded.warnings,
    })
}
