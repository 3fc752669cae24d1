//! What must be re-rendered after an edit: the dependency map.
//!
//! Every output gets a fingerprint of everything it shows — its own page or brand, and the
//! list views of the pages and brands it lists — computed from the model without running a
//! template. After an edit the preview compares fingerprints and re-renders only the outputs
//! whose fingerprint changed (Zola gave incremental rebuilds up because its templates could
//! read anything; ours read only what the job hands them, so the map is complete).

use std::collections::hash_map::DefaultHasher;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};

use rayon::prelude::*;

use crate::model::PageId;
use crate::render::{Job, Renderer};

/// Hashes of what each page and brand contributes to other outputs.
struct Parts {
    page_ref: Vec<u64>,
    page_own: Vec<u64>,
    brand_ref: Vec<u64>,
    brand_own: Vec<u64>,
}

fn hash_of(v: impl Hash) -> u64 {
    let mut h = DefaultHasher::new();
    v.hash(&mut h);
    h.finish()
}

fn hash_value(v: &tera::Value) -> u64 {
    let mut h = DefaultHasher::new();
    feed_value(v, &mut h);
    h.finish()
}

/// Hashes a Tera value in place: no string is built for it. A map's entries are hashed one
/// by one and their hashes added up, as Tera's maps have no order of their own (sorting
/// every page's keys was a fifth of this step).
fn feed_value(v: &tera::Value, h: &mut DefaultHasher) {
    if let Some(s) = v.as_str() {
        (3u8, s).hash(h);
    } else if let Some(a) = v.as_array() {
        (4u8, a.len()).hash(h);
        a.iter().for_each(|x| feed_value(x, h));
    } else if let Some(m) = v.as_map() {
        let entries = m.iter().fold(0u64, |sum, (k, x)| {
            let mut e = DefaultHasher::new();
            k.hash(&mut e);
            feed_value(x, &mut e);
            sum.wrapping_add(e.finish())
        });
        (5u8, m.len(), entries).hash(h);
    } else {
        // Numbers, booleans and none: their printed form is what a template shows.
        use std::fmt::Write;
        6u8.hash(h);
        let _ = write!(HashWriter(h), "{v}");
    }
}

/// Text written into a hasher, as if it were hashed as one string's bytes.
struct HashWriter<'a>(&'a mut DefaultHasher);

impl std::fmt::Write for HashWriter<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.0.write(s.as_bytes());
        Ok(())
    }
}

impl Parts {
    fn new(r: &Renderer) -> Parts {
        let s = r.site;
        Parts {
            page_ref: r.views.page_refs.par_iter().map(hash_value).collect(),
            page_own: s
                .pages
                .par_iter()
                .map(|p| hash_of((p.body.stamp, &p.meta, &p.path)))
                .collect(),
            brand_ref: r.views.brand_refs.iter().map(hash_value).collect(),
            brand_own: s
                .brands
                .iter()
                .map(|b| hash_of((b.body.stamp, format!("{:?}", b.meta), &b.path)))
                .collect(),
        }
    }
}

/// Output path → fingerprint, for every job.
pub(crate) fn fingerprints(r: &Renderer, jobs: &[Job]) -> HashMap<String, (Job, u64)> {
    fingerprints_with(r, jobs, &Parts::new(r))
}

/// The fingerprints, and one of everything the search index reads: every page and brand
/// (their own content and what lists show of them) and the site.
pub(crate) fn fingerprints_and_content(
    r: &Renderer,
    jobs: &[Job],
) -> (HashMap<String, (Job, u64)>, u64) {
    let parts = Parts::new(r);
    let content = hash_of((
        &parts.page_ref,
        &parts.page_own,
        &parts.brand_ref,
        &parts.brand_own,
        site_wide(r.site),
    ));
    (fingerprints_with(r, jobs, &parts), content)
}

/// What every page shows of the site (its title, menu, base URL) and the mirror's settings:
/// a change to site.yaml re-renders what it shows up in, in both scripts.
fn site_wide(s: &crate::model::Site) -> u64 {
    hash_of((
        hash_value(&crate::render::views::site_view(s)),
        &s.config.zh_hant,
        s.config.script_dir,
    ))
}

fn fingerprints_with(r: &Renderer, jobs: &[Job], parts: &Parts) -> HashMap<String, (Job, u64)> {
    let s = r.site;
    let reads: Vec<_> = jobs.par_iter().map(|j| r.reads(j)).collect();
    let primaries: std::collections::HashSet<String> = reads
        .iter()
        .map(|x| x.template.clone())
        .filter(|t| !t.is_empty())
        .collect();
    let template_hashes: HashMap<&str, u64> = primaries
        .iter()
        .map(|t| (t.as_str(), r.templates.dependency_hash(t, &primaries)))
        .collect();
    let site_wide = site_wide(s);
    // Outputs without a primary template (redirects, the highlight stylesheet) depend on no template.
    jobs.par_iter()
        .zip(reads.par_iter())
        .map(|(job, reads)| {
            let mut h = DefaultHasher::new();
            site_wide.hash(&mut h);
            template_hashes.get(reads.template.as_str()).hash(&mut h);
            reads.template.hash(&mut h);
            for &p in &reads.pages {
                parts.page_ref[p].hash(&mut h);
            }
            for &b in &reads.brands {
                parts.brand_ref[b].hash(&mut h);
            }
            match job {
                Job::Page(id) => parts.page_own[*id].hash(&mut h),
                Job::Brand(id) => parts.brand_own[*id].hash(&mut h),
                Job::Section { id, page } => {
                    let sec = &s.sections[*id];
                    (
                        &sec.body.html,
                        format!("{:?}", sec.meta),
                        page,
                        sec.pages.len(),
                        &sec.subsections.len(),
                    )
                        .hash(&mut h);
                    for &c in &sec.subsections {
                        (s.sections[c].title(), s.sections[c].pages.len()).hash(&mut h);
                    }
                }
                Job::Term { tax, term, page } => {
                    let t = &s.taxonomies[*tax].terms[*term];
                    (&t.name, t.pages.len(), page).hash(&mut h);
                }
                Job::Redirect(i) => {
                    s.redirects[*i].from.hash(&mut h);
                    s.redirects[*i].to.hash(&mut h);
                }
                // Small outputs that summarise the whole site: always re-rendered.
                _ => u64::MAX.hash(&mut h),
            }
            let fp = if matches!(
                job,
                Job::Page(_)
                    | Job::Brand(_)
                    | Job::Section { .. }
                    | Job::Term { .. }
                    | Job::Redirect(_)
            ) {
                h.finish()
            } else {
                // A value that never repeats, so these always count as changed.
                hash_of((h.finish(), std::time::Instant::now()))
            };
            (r.path(job), (job.clone(), fp))
        })
        .collect()
}

/// The outputs to render (changed or new) and the paths to drop (gone).
pub(crate) fn diff(
    old: &HashMap<String, (Job, u64)>,
    new: &HashMap<String, (Job, u64)>,
) -> (Vec<Job>, Vec<String>) {
    let changed = new
        .iter()
        .filter(|(path, (_, fp))| old.get(*path).is_none_or(|(_, o)| o != fp))
        .map(|(_, (job, _))| job.clone())
        .collect();
    let gone = old
        .keys()
        .filter(|p| !new.contains_key(*p))
        .cloned()
        .collect();
    (changed, gone)
}

/// Ids of the pages one page of a paginated list shows.
pub(crate) fn page_slice(ids: &[PageId], page: usize, per: usize) -> &[PageId] {
    let per = per.max(1);
    let start = ((page.max(1) - 1) * per).min(ids.len());
    &ids[start..(start + per).min(ids.len())]
}
