//! The commands that run the pipeline once: `herald build` (render and write, atomically)
//! and `herald check` (render, write nothing).

use std::time::Instant;

use rayon::prelude::*;

use super::cache::{self, BuildCache};
use super::{merged, BuildOptions, BuildReport, Memory, Project, Update};
use crate::error::{Diagnostics, Error};
use crate::finish;
use crate::model::Site;
use crate::output::{self, Staging};
use crate::progress::Progress;
use crate::render::templates::ThemeFile;
use crate::render::Templates;
use crate::timing::{self, stage};

/// `herald build`: the whole pipeline, written atomically. With the build cache (unless
/// `--no-cache`), only outputs whose fingerprint changed, or whose file is not as the last
/// build left it, are rendered; the rest stay in the output as they are.
pub fn build(opts: &BuildOptions) -> Result<BuildReport, Diagnostics> {
    let start = Instant::now();
    match build_once(opts, start)? {
        Ok(report) => Ok(report),
        // The first run removed the damaged files; a second finds none (or fails plainly).
        Err(_) => match build_once(opts, start)? {
            Ok(report) => Ok(report),
            Err(file) => Err(Error::Io {
                at: crate::error::Location::file(file),
                action: "read",
                source: std::io::Error::other(
                    "the body cache changed while being read (is another herald running?)",
                ),
            }
            .into()),
        },
    }
}

/// One run of `build`; `Ok(Err(file))` when a body's HTML in the body cache did not match
/// its hash (`file` and any other such are removed, and nothing was written: run again).
fn build_once(
    opts: &BuildOptions,
    start: Instant,
) -> Result<Result<BuildReport, std::path::PathBuf>, Diagnostics> {
    let out = opts.output_dir();
    if opts.output.is_none() {
        // The site's own `output` may be a link: one leading out of the site is not followed
        // (a site copied from elsewhere must not write where it likes). `--output` is the
        // user's own choice.
        crate::paths::SiteRoot::new(&opts.root).check_inside(&out)?;
    }
    output::check_output_dir(&opts.root, &out)?;
    let abs_out = output::absolute(&out);
    let t = Instant::now();
    // Before anything is read: an edit made while this build runs is seen by the next one.
    let (cache, inputs) = if opts.no_cache {
        (BuildCache::default(), None)
    } else {
        let (cache, inputs) = rayon::join(
            || BuildCache::open(opts, &abs_out),
            || cache::inputs(&opts.root),
        );
        (cache, Some(inputs))
    };
    stage("build cache: read, and the inputs' times", t);
    let t = Instant::now();
    if let Some((pages, brands, files)) = inputs.flatten().and_then(|i| cache.unchanged(i, &out)) {
        stage("build cache: nothing changed", t);
        return Ok(Ok(BuildReport {
            pages,
            brands,
            files,
            changed: Some(0),
            images: None,
            elapsed: start.elapsed(),
            warnings: Diagnostics::default(),
        }));
    }
    let mut project = Project::new(
        opts.root.clone(),
        opts.base_url.clone(),
        opts.model_options(),
        Memory::Once,
    )
    .relative(opts.relative)
    .disk_caches(!opts.no_cache);
    let Update {
        render: jobs,
        warnings,
        ..
    } = project.rebuild()?;
    let body_files = project.body_files();
    let (Some(renderer), Some(site), Some(templates)) =
        (project.renderer(), project.site(), project.templates())
    else {
        return Err(warnings);
    };
    let fingerprints = crate::fingerprint::plan(site, templates);
    let staging = Staging::begin(&out)?;
    let t = Instant::now();
    let plan = Plan::new(opts, &renderer, &jobs, &fingerprints, project.mirror_site());
    stage("build cache: fingerprints", t);
    let mirror = project.mirror_renderer();
    // The mirror's outputs are the same jobs rendered from the converted site, in the same pass.
    let all: Vec<(
        &crate::render::Renderer,
        &crate::render::Job,
        &(String, u64),
    )> = jobs
        .iter()
        .zip(&plan.outputs)
        .map(|(j, o)| (&renderer, j, o))
        .chain(mirror.iter().flat_map(|m| {
            jobs.iter()
                .filter(|j| j.is_mirrored())
                .zip(&plan.outputs[jobs.len()..])
                .map(move |(j, o)| (m, j, o))
        }))
        .collect();
    // Outputs the last build left as they are now: kept, not rendered.
    let t = Instant::now();
    let fresh: Vec<_> = all
        .par_iter()
        .filter(|(_, _, (rel, fp))| {
            !cache
                .kept(&out, rel, *fp)
                .is_some_and(|files| files.iter().all(|f| staging.keep(f)))
        })
        .collect();
    stage("build cache: outputs as left", t);
    let mut progress = Progress::new(site.pages.len());
    let t = Instant::now();
    let timings = timing::PerKind::default();
    // Render and write in one parallel pass: pages never pile up in memory.
    progress.count(
        if opts.lang == crate::diagnostics::Lang::Zh {
            "生成页面"
        } else {
            "writing pages"
        },
        fresh.len(),
    );
    let results: Vec<Result<(), Error>> = fresh
        .par_iter()
        .map(|&&(renderer, job, _)| {
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
    let is_index =
        |rel: &str| crate::search::is_index_file(rel.strip_prefix(crate::hant::DIR).unwrap_or(rel));
    let (index, index_state) = match cache.kept_files(&out, plan.search, is_index) {
        // The same pages with the same words: the last build's index is this build's.
        Some(files) if files.iter().all(|rel| staging.keep(rel)) => {
            (files.len(), cache.last_index().to_vec())
        }
        _ => write_index(site, project.mirror_site(), &staging, &cache, &out)
            .map_err(|e| merged(&warnings, e))?,
    };
    stage("search index", t);
    let t = Instant::now();
    let copied = copy_static(site, templates, &staging, opts.compress)
        .map_err(|e| merged(&warnings, e.into()))?;
    stage("static files", t);
    let t = Instant::now();
    let changed = staging.is_update().then(|| staging.changed());
    let listing = cache.listing(&out);
    // With a listing, every folder was found as the last build left it: only what this
    // build touched needs its size and time read again for the cache.
    let untouched = listing.is_some().then(|| staging.untouched());
    // HTML of the body cache that did not match: what was made from it is wrong.
    if let Some(file) = body_files.remove_damaged().into_iter().next() {
        return Ok(Err(file));
    }
    let produced = staging
        .commit(listing)
        .map_err(|e| merged(&warnings, e.into()))?;
    stage("commit", t);
    let report = BuildReport {
        pages: site.pages.len(),
        brands: site.brands.len(),
        files: all.len() + copied + index + images.files.len() + fingerprints.files.len(),
        changed,
        images: Some((images.encoded, images.cached)),
        elapsed: start.elapsed(),
        warnings,
    };
    if let Some(inputs) = inputs {
        let t = Instant::now();
        let made = cache::Made {
            inputs,
            clean: report.warnings.warnings.is_empty(),
            pages: report.pages,
            brands: report.brands,
            files: report.files,
            outputs: plan.outputs,
            search: plan.search,
            index: index_state,
        };
        cache.save(made, &out, &produced, untouched.as_deref());
        stage("build cache: saved", t);
    }
    drop(renderer);
    if opts.exiting {
        std::mem::forget(project);
    }
    Ok(Ok(report))
}

/// The search index of the site, and the mirror's own index of its own words under
/// zh-hant/search/: each patched from the last build's where it can be (`search::update`:
/// a few pages' words changed, the index files are as the last build left them), else
/// written whole. Returns how many files they have, and what the cache keeps of them.
fn write_index(
    site: &Site,
    mirror: Option<&Site>,
    staging: &Staging,
    cache: &BuildCache,
    out: &std::path::Path,
) -> Result<(usize, Vec<crate::search::IndexState>), Diagnostics> {
    let mut files = 0;
    let mut states = Vec::new();
    for (i, (site, dir)) in std::iter::once((site, ""))
        .chain(mirror.map(|m| (m, crate::hant::DIR)))
        .enumerate()
    {
        let sink = |path: &str, bytes: &[u8]| staging.write(&format!("{dir}{path}"), bytes);
        // (The mirror's files are below zh-hant/, which no file of the site's index is.)
        let mine = |rel: &str| {
            rel.strip_prefix(dir)
                .is_some_and(crate::search::is_index_file)
        };
        let last_files = cache.last_index().get(i).and_then(|state| {
            let files = cache.files_as_left(out, mine)?;
            Some((state, files))
        });
        let patched = last_files.and_then(|(state, files)| {
            let old = |rel: &str| std::fs::read(out.join(format!("{dir}{rel}"))).ok();
            let r = crate::search::update(site, state, &old, &sink)?;
            Some(r.inspect(|_| {
                // The files not patched stay as they are.
                files.iter().for_each(|rel| {
                    staging.keep(rel);
                });
            }))
        });
        let (n, state) = match patched {
            Some(r) => r,
            None => crate::search::write(site, &sink),
        }
        .map_err(Diagnostics::from)?;
        files += n;
        states.push(state);
    }
    Ok((files, states))
}

/// Every output of this build with its fingerprint for the cache (the site's jobs in order,
/// then the mirror's), and the fingerprint of what the search index reads.
struct Plan {
    outputs: Vec<(String, u64)>,
    search: u64,
}

impl Plan {
    fn new(
        opts: &BuildOptions,
        renderer: &crate::render::Renderer,
        jobs: &[crate::render::Job],
        fingerprints: &crate::fingerprint::Fingerprints,
        mirror: Option<&Site>,
    ) -> Plan {
        use std::hash::{Hash, Hasher};
        // Without a cache to keep them in (`--no-cache`), fingerprints are not worth making.
        let (by_path, content) = if opts.no_cache {
            Default::default()
        } else {
            crate::render::plan::fingerprints_and_content(renderer, jobs)
        };
        // What a fingerprint made for the preview leaves out but a written file has: every
        // setting of site.yaml and of the command, and the names of fingerprinted stylesheets.
        let mut h = std::collections::hash_map::DefaultHasher::new();
        (
            format!("{:?}", renderer.site.config),
            fingerprints.digest(),
            opts.relative,
            opts.compress,
        )
            .hash(&mut h);
        let salt = h.finish();
        let salted = |fp: u64, mirror: bool| {
            let mut h = std::collections::hash_map::DefaultHasher::new();
            (salt, fp, mirror).hash(&mut h);
            h.finish()
        };
        let mut outputs: Vec<(String, u64)> = jobs
            .iter()
            .map(|j| {
                let path = renderer.path(j);
                let fp = by_path.get(&path).map_or(u64::MAX, |(_, fp)| *fp);
                (path, salted(fp, false))
            })
            .collect();
        if mirror.is_some() {
            let main = outputs.clone();
            outputs.extend(
                jobs.iter()
                    .zip(main)
                    .filter(|(j, _)| j.is_mirrored())
                    .map(|(_, (path, fp))| {
                        (format!("{}{path}", crate::hant::DIR), salted(fp, true))
                    }),
            );
        }
        Plan {
            outputs,
            search: salted(content, mirror.is_some()),
        }
    }
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
