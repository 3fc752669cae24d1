//! Stage 4: **render** the model through Tera into outputs in memory. No disk IO here, so the
//! preview server can render into memory and re-render only what an edit touched.
//!
//! Every output is a `Job`. A job records what it read (pages, brands), which is the
//! dependency map the preview server uses to decide what to re-render after an edit.

mod contexts;
mod lend;
pub mod outputs;
pub mod plan;
pub mod templates;
pub mod views;

use rayon::prelude::*;
use serde_json::Map;
use serde_json::{json, Value};
use tera::Context;

use crate::error::{Diagnostics, Error};
use crate::model::{BrandId, PageId, SectionId, Site};
use lend::Loan;

pub use templates::Templates;
use views::term_url;
pub use views::Views;

/// One file of the built site.
#[derive(Debug, Clone)]
pub struct Output {
    /// Relative to the output folder, with `/` (`cases/a/index.html`).
    pub path: String,
    pub bytes: Vec<u8>,
    pub job: Job,
    /// Pages and brands whose data this output shows.
    pub reads: Reads,
}

#[derive(Debug, Clone, Default)]
pub struct Reads {
    pub pages: Vec<PageId>,
    pub brands: Vec<BrandId>,
    pub template: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Job {
    Home,
    Page(PageId),
    Section {
        id: SectionId,
        page: usize,
    },
    BrandsIndex,
    Brand(BrandId),
    TaxonomyIndex(usize),
    Term {
        tax: usize,
        term: usize,
        page: usize,
    },
    NotFound,
    Feed,
    Sitemap,
    Robots,
    Redirect(usize),
    HighlightCss,
    /// The search page (`search/`); its index files come from `crate::search`.
    Search,
}

const FEED_SIZE: usize = 20;
const HOME_LATEST: usize = 10;
const RELATED: usize = 5;

pub struct Renderer<'a> {
    pub site: &'a Site,
    pub templates: &'a Templates,
    pub views: &'a Views,
    /// What every template sees (`site`, `theme`, …); cloned per output.
    base: Map<String, Value>,
    /// Set for whole-site renders: PageRefs are lent to contexts instead of cloned.
    lender: Option<lend::Lender<'a>>,
}

fn pages_count(total: usize, per: usize) -> usize {
    total.div_ceil(per.max(1)).max(1)
}

fn paged_path(base: &str, page: usize) -> String {
    if page <= 1 {
        base.to_string()
    } else {
        format!("{base}page/{page}/")
    }
}

/// What every template sees (`site`, `theme`, `herald_version`), report cards included.
fn base_context(site: &Site, templates: &Templates) -> Map<String, Value> {
    let c = &site.config;
    let mut base = Map::new();
    base.insert(
        "site".into(),
        json!({
            "title": c.title,
            "description": c.description,
            "base_url": c.base_url,
            "base_path": c.base_path,
            "language": c.language,
            "author": c.author,
            "menu": c.menu.iter().map(|m| json!({"name": m.name, "url": menu_url(c, &m.url)})).collect::<Vec<_>>(),
            "taxonomies": site.taxonomies.iter().map(|t| json!({"name": t.config.name, "title": t.config.title, "url": c.url(&format!("{}/", t.config.name))})).collect::<Vec<_>>(),
            "beian": c.beian,
            "extra": c.extra,
        }),
    );
    base.insert("theme".into(), Value::Object(templates.settings.clone()));
    base.insert("herald_version".into(), json!(env!("CARGO_PKG_VERSION")));
    base
}

impl Job {
    /// The kind of output, for timings.
    pub fn kind(&self) -> &'static str {
        match self {
            Job::Home => "home",
            Job::Page(_) => "page",
            Job::Section { .. } => "section",
            Job::BrandsIndex => "brands",
            Job::Brand(_) => "brand",
            Job::TaxonomyIndex(_) => "taxonomy",
            Job::Term { .. } => "term",
            Job::NotFound => "404",
            Job::Feed => "feed",
            Job::Sitemap => "sitemap",
            Job::Robots => "robots",
            Job::Redirect(_) => "redirect",
            Job::HighlightCss => "css",
            Job::Search => "search",
        }
    }
}

impl<'a> Renderer<'a> {
    pub fn new(site: &'a Site, templates: &'a Templates, views: &'a Views) -> Renderer<'a> {
        let base = base_context(site, templates);
        Renderer {
            site,
            templates,
            views,
            base,
            lender: None,
        }
    }

    /// For rendering every output of a site: lends PageRefs to contexts from a per-thread
    /// shelf instead of cloning them (see `lend`). Not worth it for the few outputs of an edit.
    pub fn lending(mut self) -> Self {
        self.lender = Some(lend::Lender::new(&self.views.page_refs));
        self
    }

    /// Every job of the site.
    pub fn jobs(&self) -> Vec<Job> {
        jobs_of(self.site)
    }

    /// Renders jobs in parallel; all distinct errors are collected.
    pub fn render_all(&self, jobs: &[Job]) -> Result<Vec<Output>, Diagnostics> {
        let results: Vec<Result<Output, Error>> = jobs.par_iter().map(|j| self.render(j)).collect();
        let (outputs, errors): (Vec<_>, Vec<_>) = results.into_iter().partition(Result::is_ok);
        let diags = Diagnostics::unique(errors.into_iter().filter_map(Result::err));
        if diags.errors.is_empty() {
            Ok(outputs.into_iter().filter_map(Result::ok).collect())
        } else {
            Err(diags)
        }
    }

    fn context(&self, job: &Job, site_path: &str) -> Ctx {
        let mut ctx = Ctx {
            map: self.base.clone(),
            loans: Vec::new(),
        };
        // Which object this output has (`page`, `brand`, …): templates test this instead of
        // `page is defined`, which makes Tera copy the whole page.
        ctx.insert("output_kind", json!(job.kind()));
        ctx.insert("current_path", json!(site_path));
        ctx.insert("current_url", json!(self.site.config.url(site_path)));
        ctx.insert("permalink", json!(self.site.config.permalink(site_path)));
        ctx
    }

    fn html(
        &self,
        job: Job,
        site_path: &str,
        template: &str,
        ctx: Ctx,
        reads: Reads,
    ) -> Result<Output, Error> {
        // Moving the map in avoids Tera serialising every value a second time.
        let Ctx { map, mut loans } = ctx;
        let ctx = Context::from_value(Value::Object(map)).unwrap_or_default();
        let rendered = self.templates.render_bytes(template, &ctx);
        if let (Some(lender), false) = (&self.lender, loans.is_empty()) {
            lender.take_back(ctx.into_json(), &mut loans);
        }
        let bytes = rendered?;
        let path = if site_path.ends_with(".html")
            || site_path.ends_with(".xml")
            || site_path.ends_with(".txt")
            || site_path.ends_with(".css")
        {
            site_path.to_string()
        } else {
            format!("{site_path}index.html")
        };
        Ok(Output {
            path,
            bytes,
            job,
            reads: Reads {
                template: template.to_string(),
                ..reads
            },
        })
    }

    /// The pages before and after `id` in its section (newest first).
    fn neighbours(&self, id: PageId) -> (Option<PageId>, Option<PageId>) {
        let siblings = &self.site.sections[self.site.pages[id].section].pages;
        let pos = siblings.iter().position(|&x| x == id);
        let previous = pos.and_then(|i| i.checked_sub(1)).map(|i| siblings[i]);
        let next = pos.and_then(|i| siblings.get(i + 1).copied());
        (previous, next)
    }

    /// Up to five other reports of the same brands, newest first.
    fn related(&self, id: PageId) -> Vec<PageId> {
        let s = self.site;
        let mut related: Vec<PageId> = Vec::new();
        for &b in &s.pages[id].brands {
            for &r in &s.brands[b].reports {
                if related.len() >= RELATED {
                    return related;
                }
                if r != id && !related.contains(&r) {
                    related.push(r);
                }
            }
        }
        related
    }

    fn latest(&self, n: usize) -> Vec<PageId> {
        self.site.reports().into_iter().take(n).collect()
    }

    /// What an output shows of other pages and brands, without rendering it.
    pub fn reads(&self, job: &Job) -> Reads {
        let s = self.site;
        let per = s.config.paginate;
        let template =
            |t: &Option<String>, default: &str| t.clone().unwrap_or_else(|| default.to_string());
        match *job {
            Job::Home => Reads {
                pages: self.latest(HOME_LATEST),
                brands: (0..s.brands.len()).collect(),
                template: "index.html".into(),
            },
            Job::Page(id) => {
                let (previous, next) = self.neighbours(id);
                let mut pages = vec![id];
                pages.extend(previous);
                pages.extend(next);
                pages.extend(self.related(id));
                Reads {
                    pages,
                    brands: s.pages[id].brands.clone(),
                    template: template(&s.pages[id].meta.template, "page.html"),
                }
            }
            Job::Section { id, page } => {
                let sec = &s.sections[id];
                let pages =
                    plan::page_slice(&sec.pages, page, sec.meta.paginate.unwrap_or(per)).to_vec();
                Reads {
                    pages,
                    brands: Vec::new(),
                    template: template(&sec.meta.template, "section.html"),
                }
            }
            Job::BrandsIndex => Reads {
                pages: Vec::new(),
                brands: (0..s.brands.len()).collect(),
                template: "brands.html".into(),
            },
            Job::Brand(b) => Reads {
                pages: s.brands[b].reports.clone(),
                brands: vec![b],
                template: "brand.html".into(),
            },
            Job::Term { tax, term, page } => {
                let pages =
                    plan::page_slice(&s.taxonomies[tax].terms[term].pages, page, per).to_vec();
                Reads {
                    pages,
                    brands: Vec::new(),
                    template: "taxonomy_term.html".into(),
                }
            }
            Job::Feed => Reads {
                pages: self.latest(FEED_SIZE),
                brands: Vec::new(),
                template: "atom.xml".into(),
            },
            _ => Reads::default(),
        }
    }

    /// The output file of a job, relative to the output folder.
    pub fn path(&self, job: &Job) -> String {
        path_of(self.site, job)
    }

    /// The PageRefs of `ids`, for the array at `path` of a context: lent when lending, else
    /// cloned (a clone of a JSON value is much cheaper than serialising it again).
    fn refs(&self, ids: &[PageId], loans: &mut Vec<Loan>, path: &'static [&'static str]) -> Value {
        Value::Array(
            ids.iter()
                .enumerate()
                .map(|(index, &id)| self.page_ref(id, loans, path, Some(index)))
                .collect(),
        )
    }

    /// One PageRef, for `path` (and `index` in the array there) of a context.
    fn page_ref(
        &self,
        id: PageId,
        loans: &mut Vec<Loan>,
        path: &'static [&'static str],
        index: Option<usize>,
    ) -> Value {
        match &self.lender {
            Some(lender) => {
                loans.push(Loan { path, index, id });
                lender.lend(id)
            }
            None => self.views.page_refs[id].clone(),
        }
    }

    fn paginator(
        &self,
        base: &str,
        ids: &[PageId],
        page: usize,
        per: usize,
        loans: &mut Vec<Loan>,
    ) -> (Value, Vec<PageId>) {
        let total = pages_count(ids.len(), per);
        let start = ((page - 1) * per).min(ids.len());
        let slice: Vec<PageId> = ids[start..(start + per).min(ids.len())].to_vec();
        let c = &self.site.config;
        let url = |n: usize| c.url(&paged_path(base, n));
        let numbers: Vec<Value> = page_window(page, total)
            .into_iter()
            .map(|n| match n {
                Some(n) => json!({"number": n, "url": url(n), "current": n == page, "gap": false}),
                None => json!({"number": null, "url": null, "current": false, "gap": true}),
            })
            .collect();
        // Inserted, not written inside `json!`: that macro serialises a `Value` again, which
        // copies every PageRef (and would defeat lending them).
        let mut p = Map::new();
        p.insert(
            "pages".into(),
            self.refs(&slice, loans, &["paginator", "pages"]),
        );
        p.insert("current".into(), json!(page));
        p.insert("total_pages".into(), json!(total));
        p.insert("total_items".into(), json!(ids.len()));
        p.insert("previous".into(), json!((page > 1).then(|| url(page - 1))));
        p.insert("next".into(), json!((page < total).then(|| url(page + 1))));
        p.insert("first".into(), json!(url(1)));
        p.insert("last".into(), json!(url(total)));
        p.insert("numbers".into(), Value::Array(numbers));
        let p = Value::Object(p);
        (p, slice)
    }

    fn terms_json(&self, field: &str, limit: usize) -> Value {
        let s = self.site;
        let mut out = Vec::new();
        for (t, tax) in s.taxonomies.iter().enumerate() {
            if tax.config.field == field {
                out.extend(tax.terms.iter().take(limit).map(|term| {
                    json!({"name": term.name, "slug": term.slug, "url": term_url(s, t, &term.slug), "count": term.pages.len()})
                }));
            }
        }
        Value::Array(out)
    }

    /// What a section holds, counting its sub-folders: pages, or brands for `brands/`.
    fn count_in(&self, id: SectionId) -> usize {
        let sec = &self.site.sections[id];
        if sec.dir == "brands" {
            return self.site.brands.len();
        }
        sec.pages.len()
            + sec
                .subsections
                .iter()
                .map(|&c| self.count_in(c))
                .sum::<usize>()
    }

    fn section_json(&self, id: SectionId) -> Value {
        let s = self.site;
        let sec = &s.sections[id];
        json!({
            "title": sec.title(),
            "url": s.config.url(&sec.path),
            "permalink": s.config.permalink(&sec.path),
            "content": sec.body.html,
            "summary": sec.body.summary,
            "description": sec.meta.description.clone().unwrap_or_else(|| sec.body.description.clone()),
            "subsections": sec.subsections.iter().map(|&c| {
                let child = &s.sections[c];
                json!({"title": child.title(), "url": s.config.url(&child.path), "page_count": self.count_in(c)})
            }).collect::<Vec<_>>(),
            "page_count": self.count_in(id),
            "extra": sec.meta.extra,
        })
    }
}

/// A template context under construction, and the PageRefs lent to it.
struct Ctx {
    map: Map<String, Value>,
    loans: Vec<Loan>,
}

impl Ctx {
    fn insert(&mut self, key: &str, value: Value) {
        self.map.insert(key.to_string(), value);
    }
}

/// The page numbers a pager shows: the first, the last, and two either side of the current
/// one, with `None` for a gap ("…"). Listing all 150 pages of a big tag on each of its 150
/// pages would make the site quadratic in size.
fn page_window(current: usize, total: usize) -> Vec<Option<usize>> {
    let mut out = Vec::new();
    let mut last = 0;
    for n in 1..=total {
        let near = n + 2 >= current && n <= current + 2;
        if n == 1 || n == total || near {
            if last != 0 && n > last + 1 {
                out.push(None);
            }
            out.push(Some(n));
            last = n;
        }
    }
    out
}

/// Menu URLs in site.yaml are written from the site root (`/brands/`); a sub-folder site
/// needs its base path in front.
fn menu_url(c: &crate::config::Config, url: &str) -> String {
    if url.contains("://") || !url.starts_with('/') {
        url.to_string()
    } else {
        c.url(url)
    }
}

/// Every output of the site but the copied files, in a fixed order.
pub fn jobs_of(s: &Site) -> Vec<Job> {
    let per = s.config.paginate;
    let mut jobs = vec![
        Job::Home,
        Job::NotFound,
        Job::Feed,
        Job::Sitemap,
        Job::Robots,
        Job::HighlightCss,
        Job::BrandsIndex,
        Job::Search,
    ];
    jobs.extend((0..s.pages.len()).map(Job::Page));
    for (id, sec) in s.sections.iter().enumerate() {
        if id == 0 || sec.dir == "brands" {
            continue;
        }
        for page in 1..=pages_count(sec.pages.len(), sec.meta.paginate.unwrap_or(per)) {
            jobs.push(Job::Section { id, page });
        }
    }
    jobs.extend((0..s.brands.len()).map(Job::Brand));
    for (t, tax) in s.taxonomies.iter().enumerate() {
        jobs.push(Job::TaxonomyIndex(t));
        for (i, term) in tax.terms.iter().enumerate() {
            for page in 1..=pages_count(term.pages.len(), per) {
                jobs.push(Job::Term {
                    tax: t,
                    term: i,
                    page,
                });
            }
        }
    }
    jobs.extend((0..s.redirects.len()).map(Job::Redirect));
    jobs
}

/// The output file of a job, relative to the output folder.
pub fn path_of(s: &Site, job: &Job) -> String {
    let dir = match *job {
        Job::Home => String::new(),
        Job::Page(id) => s.pages[id].path.clone(),
        Job::Section { id, page } => paged_path(&s.sections[id].path, page),
        Job::BrandsIndex => "brands/".into(),
        Job::Search => crate::search::PAGE.into(),
        Job::Brand(b) => s.brands[b].path.clone(),
        Job::TaxonomyIndex(t) => format!("{}/", s.taxonomies[t].config.name),
        Job::Term { tax, term, page } => {
            let t = &s.taxonomies[tax];
            paged_path(&format!("{}/{}/", t.config.name, t.terms[term].slug), page)
        }
        Job::NotFound => return "404.html".into(),
        Job::Feed => return "atom.xml".into(),
        Job::Sitemap => return "sitemap.xml".into(),
        Job::Robots => return "robots.txt".into(),
        Job::HighlightCss => return "css/highlight.css".into(),
        Job::Redirect(i) => {
            let from = &s.redirects[i].from;
            if from.ends_with(".html") {
                return from.clone();
            }
            from.clone()
        }
    };
    format!("{dir}index.html")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pager_window_stays_small() {
        assert_eq!(page_window(1, 3), vec![Some(1), Some(2), Some(3)]);
        assert_eq!(
            page_window(50, 150),
            vec![
                Some(1),
                None,
                Some(48),
                Some(49),
                Some(50),
                Some(51),
                Some(52),
                None,
                Some(150)
            ]
        );
        assert_eq!(
            page_window(2, 150),
            vec![Some(1), Some(2), Some(3), Some(4), None, Some(150)]
        );
    }
}
