//! The commands that run the pipeline once: `herald build` (render and write, atomically)
//! and `herald check` (render, write nothing).

use std::time::Instant;

use rayon::prelude::*;

use super::{merged, BuildOptions, BuildReport, Memory, Project, Update};
use crate::error::{Diagnostics, Error};
use crate::finish;
use crate::model::Site;
use crate::output::{self, Staging};
use crate::progress::Progress;
use crate::render::templates::ThemeFile;
use crate::render::Templates;
use crate::timing::{self, stage};

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
    let mut project = Project::new(
        opts.root.clone(),
        opts.base_url.clone(),
        opts.model_options(),
        Memory::Once,
    )
    .relative(opts.relative);
    let Update {
        render: jobs,
        warnings,
        ..
    } = project.rebuild()?;
    let (Some(renderer), Some(site), Some(templates)) =
        (project.renderer(), project.site(), project.templates())
    else {
        return Err(warnings);
    };
    let mut progress = Progress::new(site.pages.len());
    let t = Instant::now();
    let timings = timing::PerKind::default();
    let fingerprints = crate::fingerprint::plan(site, templates);
    let staging = Staging::begin(&out)?;
    // Render and write in one parallel pass: pages never pile up in memory.
    progress.count(
        if opts.lang == crate::diagnostics::Lang::Zh {
            "生成页面"
        } else {
            "writing pages"
        },
        jobs.len()
            + project
                .mirror_site()
                .map_or(0, |_| jobs.iter().filter(|j| j.is_mirrored()).count()),
    );
    let mirror = project.mirror_renderer();
    // The mirror's outputs are the same jobs rendered from the converted site, in the same pass.
    let mirror_jobs: Vec<&crate::render::Job> = match &mirror {
        Some(_) => jobs.iter().filter(|j| j.is_mirrored()).collect(),
        None => Vec::new(),
    };
    let all: Vec<(&crate::render::Renderer, &crate::render::Job)> = jobs
        .iter()
        .map(|j| (&renderer, j))
        .chain(
            mirror
                .iter()
                .flat_map(|m| mirror_jobs.iter().map(move |j| (m, *j))),
        )
        .collect();
    let results: Vec<Result<(), Error>> = all
        .par_iter()
        .map(|&(renderer, job)| {
            let t = Instant::now();
            let o = renderer.render(job)?;
            timings.add(job.kind(), t);
            progress.tick();
            let page = finish::html(&site.config, &fingerprints, &o.path, &o.bytes);
            let bytes = page.as_deref().unwrap_or(&o.bytes);
            staging.write(&o.path, bytes)?;
            finish::compressed(opts.compress, &staging, &o.path, bytes)
        })
        .collect();
    progress.finish();
    stage("render and write", t);
    timings.report();
    let diags = Diagnostics::unique(results.into_iter().filter_map(Result::err));
    if !diags.errors.is_empty() {
        return Err(merged(&warnings, diags));
    }
    fingerprints
        .files
        .par_iter()
        .try_for_each(|(rel, bytes)| {
            staging.write(rel, bytes)?;
            finish::compressed(opts.compress, &staging, rel, bytes)
        })
        .map_err(|e| merged(&warnings, e.into()))?;
    let t = Instant::now();
    let images = crate::images::site::publish(site).map_err(|d| merged(&warnings, d))?;
    stage("images", t);
    images
        .files
        .par_iter()
        .try_for_each(|(rel, file)| staging.copy(rel, file))
        .map_err(|e| merged(&warnings, e.into()))?;
    let t = Instant::now();
    let mut index = crate::search::write(site, &|path, bytes| staging.write(path, bytes))
        .map_err(|e| merged(&warnings, e.into()))?;
    if let Some(mirror) = project.mirror_site() {
        // The mirror's own index, of its own words, under zh-hant/search/.
        index += crate::search::write(mirror, &|path, bytes| {
            staging.write(&format!("{}{path}", crate::hant::DIR), bytes)
        })
        .map_err(|e| merged(&warnings, e.into()))?;
    }
    stage("search index", t);
    let copied = copy_static(site, templates, &staging, opts.compress)
        .map_err(|e| merged(&warnings, e.into()))?;
    let changed = staging.is_update().then(|| staging.changed());
    staging.commit().map_err(|e| merged(&warnings, e.into()))?;
    let report = BuildReport {
        pages: site.pages.len(),
        brands: site.brands.len(),
        files: all.len() + copied + index + images.files.len() + fingerprints.files.len(),
        changed,
        images: Some((images.encoded, images.cached)),
        elapsed: start.elapsed(),
        warnings,
    };
    drop(renderer);
    if opts.exiting {
        std::mem::forget(project);
    }
    Ok(report)
}

/// Theme static files, then content assets and the site's `static/` (which win).
fn copy_static(
    site: &Site,
    templates: &Templates,
    staging: &Staging,
    compress: bool,
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
            finish::compressed(compress, staging, rel, bytes)
        }
        ThemeFile::Disk(path) => publish_file(staging, rel, path, compress),
    })?;
    // Re-encoded photos are written by `images::site::publish`, never copied with their EXIF.
    let plain: Vec<&crate::model::Asset> = site
        .assets
        .iter()
        .filter(|a| !crate::images::site::is_published(site, &a.path))
        .collect();
    plain
        .par_iter()
        .try_for_each(|a| publish_file(staging, &a.path, &a.file, compress))?;
    Ok(theme.len() + plain.len())
}

/// A file published as it is: copied, except a JPEG or PNG with location or camera data,
/// which is written without it (`images::strip`).
fn publish_file(
    staging: &Staging,
    rel: &str,
    file: &std::path::Path,
    compress: bool,
) -> Result<(), Error> {
    if crate::images::strip::may_carry_metadata(rel) {
        let bytes = std::fs::read(file).map_err(|e| Error::io(file, "read", e))?;
        if let std::borrow::Cow::Owned(clean) = crate::images::strip::published(rel, &bytes) {
            return staging.write(rel, &clean);
        }
    }
    staging.copy(rel, file)?;
    finish::compressed_file(compress, staging, rel, file)
}

/// `herald check`: every check of a build, nothing written.
pub fn check(opts: &BuildOptions) -> Result<BuildReport, Diagnostics> {
    let start = Instant::now();
    let mut project = Project::new(
        opts.root.clone(),
        opts.base_url.clone(),
        opts.model_options(),
        Memory::Once,
    );
    let Update {
        render: jobs,
        warnings,
        ..
    } = project.rebuild()?;
    let (Some(renderer), Some(site)) = (project.renderer(), project.site()) else {
        return Err(warnings);
    };
    let results: Vec<Result<usize, Error>> = jobs
        .par_iter()
        .map(|j| renderer.render(j).map(|o| o.bytes.len()))
        .collect();
    let diags = Diagnostics::unique(results.into_iter().filter_map(Result::err));
    if !diags.errors.is_empty() {
        return Err(merged(&warnings, diags));
    }
    Ok(BuildReport {
        pages: site.pages.len(),
        brands: site.brands.len(),
        files: jobs.len(),
        changed: None,
        images: None,
        elapsed: start.elapsed(),
        warnings,
    })
}
