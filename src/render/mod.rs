//! Stage 4: **render** the model through Tera into outputs in memory. No disk IO here, so the
//! preview server can render into memory and re-render only what an edit touched.
//!
//! Every output is a `Job`. A job records what it read (pages, brands), which is the
//! dependency map the preview server uses to decide what to re-render after an edit.

pub mod plan;
pub mod templates;
pub mod views;

use rayon::prelude::*;
use serde_json::Map;
use serde_json::{json, Value};
use tera::Context;

use crate::error::{Diagnostics, Error};
use crate::model::{BrandId, PageId, SectionId, Site};

pub use templates::Templates;
pub use views::Views;
use views::{qr_svg, term_url};

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
        }
    }
}

impl<'a> Renderer<'a> {
    pub fn new(site: &'a Site, templates: &'a Templates, views: &'a Views) -> Renderer<'a> {
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
                "extra": c.extra,
            }),
        );
        base.insert("theme".into(), Value::Object(templates.settings.clone()));
        base.insert("herald_version".into(), json!(env!("CARGO_PKG_VERSION")));
        Renderer {
            site,
            templates,
            views,
            base,
        }
    }

    /// Every job of the site.
    pub fn jobs(&self) -> Vec<Job> {
        let s = self.site;
        let per = s.config.paginate;
        let mut jobs = vec![
            Job::Home,
            Job::NotFound,
            Job::Feed,
            Job::Sitemap,
            Job::Robots,
            Job::HighlightCss,
            Job::BrandsIndex,
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
        let mut ctx = Ctx(self.base.clone());
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
        let ctx = Context::from_value(Value::Object(ctx.0)).unwrap_or_default();
        let bytes = self.templates.render_bytes(template, &ctx)?;
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
        let s = self.site;
        let dir = match *job {
            Job::Home => String::new(),
            Job::Page(id) => s.pages[id].path.clone(),
            Job::Section { id, page } => paged_path(&s.sections[id].path, page),
            Job::BrandsIndex => "brands/".into(),
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
                let from = &s.redirects[i].0;
                if from.ends_with(".html") {
                    return from.clone();
                }
                from.clone()
            }
        };
        format!("{dir}index.html")
    }

    /// The PageRefs of `ids`, cloned (a clone of a JSON value is much cheaper than
    /// serialising it again).
    fn refs(&self, ids: &[PageId]) -> Value {
        Value::Array(
            ids.iter()
                .map(|&i| self.views.page_refs[i].clone())
                .collect(),
        )
    }

    fn paginator(
        &self,
        base: &str,
        ids: &[PageId],
        page: usize,
        per: usize,
    ) -> (Value, Vec<PageId>) {
        let total = pages_count(ids.len(), per);
        let start = ((page - 1) * per).min(ids.len());
        let slice: Vec<PageId> = ids[start..(start + per).min(ids.len())].to_vec();
        let c = &self.site.config;
        let url = |n: usize| c.url(&paged_path(base, n));
        let p = json!({
            "pages": self.refs(&slice),
            "current": page,
            "total_pages": total,
            "total_items": ids.len(),
            "previous": if page > 1 { Some(url(page - 1)) } else { None },
            "next": if page < total { Some(url(page + 1)) } else { None },
            "first": url(1),
            "last": url(total),
            "numbers": page_window(page, total).into_iter().map(|n| match n {
                Some(n) => json!({"number": n, "url": url(n), "current": n == page, "gap": false}),
                None => json!({"number": null, "url": null, "current": false, "gap": true}),
            }).collect::<Vec<_>>(),
        });
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

    pub fn render(&self, job: &Job) -> Result<Output, Error> {
        let s = self.site;
        let c = &s.config;
        match *job {
            Job::Home => {
                let reports = s.reports();
                let latest: Vec<PageId> = reports.iter().take(HOME_LATEST).copied().collect();
                let mut ctx = self.context(job, "");
                ctx.insert("section", self.section_json(0));
                ctx.insert("latest", self.refs(&latest));
                ctx.insert("brands", Value::Array(self.views.brand_refs.clone()));
                let count = |field: &str| {
                    s.taxonomies
                        .iter()
                        .find(|t| t.config.field == field)
                        .map_or(0, |t| t.terms.len())
                };
                ctx.insert("stats", json!({"reports": reports.len(), "brands": s.brands.len(), "regions": count("region"), "orgs": count("org")}));
                ctx.insert("terms", json!({"tags": self.terms_json("tags", 30), "regions": self.terms_json("region", 30), "orgs": self.terms_json("org", 30)}));
                let reads = Reads {
                    pages: latest,
                    brands: (0..s.brands.len()).collect(),
                    ..Reads::default()
                };
                self.html(job.clone(), "", "index.html", ctx, reads)
            }
            Job::Page(id) => {
                let p = &s.pages[id];
                let mut ctx = self.context(job, &p.path);
                let mut view = self.views.page_refs[id].clone();
                let (previous, next) = self.neighbours(id);
                let related = self.related(id);
                if let Value::Object(m) = &mut view {
                    m.insert("content".into(), Value::String(p.body.html.clone()));
                    m.insert("toc".into(), json!(p.body.toc));
                    m.insert("has_code".into(), json!(p.body.has_code));
                    m.insert(
                        "author".into(),
                        json!(p.meta.author.clone().unwrap_or_default()),
                    );
                    m.insert(
                        "source".into(),
                        json!(p.meta.source.clone().unwrap_or_default()),
                    );
                    m.insert(
                        "slug".into(),
                        json!(p
                            .path
                            .trim_end_matches('/')
                            .rsplit('/')
                            .next()
                            .unwrap_or("")),
                    );
                    m.insert(
                        "kind".into(),
                        json!(if p.is_report { "report" } else { "page" }),
                    );
                    let sec = &s.sections[p.section];
                    m.insert(
                        "section".into(),
                        if p.section == 0 {
                            Value::Null
                        } else {
                            json!({"title": sec.title(), "url": c.url(&sec.path)})
                        },
                    );
                    m.insert(
                        "previous".into(),
                        previous.map_or(Value::Null, |i| self.views.page_refs[i].clone()),
                    );
                    m.insert(
                        "next".into(),
                        next.map_or(Value::Null, |i| self.views.page_refs[i].clone()),
                    );
                    m.insert("related".into(), self.refs(&related));
                    m.insert(
                        "terms".into(),
                        json!({
                            "tags": self.views.terms_of(s, id, "tags"),
                            "regions": self.views.terms_of(s, id, "region"),
                            "orgs": self.views.terms_of(s, id, "org"),
                        }),
                    );
                    m.insert("extra".into(), p.meta.extra.clone());
                    m.insert("draft".into(), json!(p.meta.draft));
                    m.insert("source_path".into(), json!(p.source));
                }
                ctx.insert("page", view);
                let template = p
                    .meta
                    .template
                    .clone()
                    .unwrap_or_else(|| "page.html".into());
                let mut pages = vec![id];
                pages.extend(previous);
                pages.extend(next);
                pages.extend(&related);
                let reads = Reads {
                    pages,
                    brands: p.brands.clone(),
                    ..Reads::default()
                };
                self.html(job.clone(), &p.path, &template, ctx, reads)
            }
            Job::Section { id, page } => {
                let sec = &s.sections[id];
                let path = paged_path(&sec.path, page);
                let mut ctx = self.context(job, &path);
                ctx.insert("section", self.section_json(id));
                let per = sec.meta.paginate.unwrap_or(c.paginate);
                let (paginator, shown) = self.paginator(&sec.path, &sec.pages, page, per);
                ctx.insert("paginator", paginator);
                let template = sec
                    .meta
                    .template
                    .clone()
                    .unwrap_or_else(|| "section.html".into());
                self.html(
                    job.clone(),
                    &path,
                    &template,
                    ctx,
                    Reads {
                        pages: shown,
                        ..Reads::default()
                    },
                )
            }
            Job::BrandsIndex => {
                let mut ctx = self.context(job, "brands/");
                let section = match s.sections.iter().position(|x| x.dir == "brands") {
                    Some(i) => self.section_json(i),
                    None => {
                        json!({"title": "品牌", "url": c.url("brands/"), "permalink": c.permalink("brands/"), "content": "", "summary": "", "description": "", "subsections": [], "page_count": s.brands.len(), "extra": {}})
                    }
                };
                ctx.insert("section", section);
                ctx.insert("brands", Value::Array(self.views.brand_refs.clone()));
                let reads = Reads {
                    brands: (0..s.brands.len()).collect(),
                    ..Reads::default()
                };
                self.html(job.clone(), "brands/", "brands.html", ctx, reads)
            }
            Job::Brand(id) => {
                let b = &s.brands[id];
                let m = &b.meta;
                let mut ctx = self.context(job, &b.path);
                let mut view = self.views.brand_refs[id].clone();
                if let Value::Object(o) = &mut view {
                    o.insert("content".into(), json!(b.body.html));
                    o.insert("summary".into(), json!(b.body.summary));
                    o.insert("has_code".into(), json!(b.body.has_code));
                    o.insert(
                        "description".into(),
                        json!(m
                            .slogan
                            .clone()
                            .unwrap_or_else(|| b.body.description.clone())),
                    );
                    o.insert(
                        "since".into(),
                        json!(m.since.map(|d| d.year.to_string()).unwrap_or_default()),
                    );
                    o.insert("pillars".into(), json!(m.pillars));
                    o.insert("standards".into(), json!(m.standards));
                    o.insert("honours".into(), json!(m.honours));
                    o.insert("events".into(), json!(m.events));
                    o.insert("reports".into(), self.refs(&b.reports));
                    o.insert("qr_svg".into(), json!(qr_svg(&c.permalink(&b.path))));
                    o.insert("extra".into(), m.extra.clone());
                }
                ctx.insert("brand", view);
                let reads = Reads {
                    pages: b.reports.clone(),
                    brands: vec![id],
                    ..Reads::default()
                };
                self.html(job.clone(), &b.path, "brand.html", ctx, reads)
            }
            Job::TaxonomyIndex(t) => {
                let tax = &s.taxonomies[t];
                let path = format!("{}/", tax.config.name);
                let mut ctx = self.context(job, &path);
                ctx.insert("taxonomy", json!({
                    "name": tax.config.name, "title": tax.config.title, "url": c.url(&path),
                    "terms": tax.terms.iter().map(|term| json!({"name": term.name, "slug": term.slug, "url": term_url(s, t, &term.slug), "count": term.pages.len()})).collect::<Vec<_>>(),
                }));
                self.html(job.clone(), &path, "taxonomy.html", ctx, Reads::default())
            }
            Job::Term { tax: t, term, page } => {
                let tax = &s.taxonomies[t];
                let term_data = &tax.terms[term];
                let base = format!("{}/{}/", tax.config.name, term_data.slug);
                let path = paged_path(&base, page);
                let mut ctx = self.context(job, &path);
                ctx.insert("taxonomy", json!({"name": tax.config.name, "title": tax.config.title, "url": c.url(&format!("{}/", tax.config.name))}));
                ctx.insert("term", json!({"name": term_data.name, "slug": term_data.slug, "url": c.url(&base), "count": term_data.pages.len()}));
                let (paginator, shown) = self.paginator(&base, &term_data.pages, page, c.paginate);
                ctx.insert("paginator", paginator);
                self.html(
                    job.clone(),
                    &path,
                    "taxonomy_term.html",
                    ctx,
                    Reads {
                        pages: shown,
                        ..Reads::default()
                    },
                )
            }
            Job::NotFound => {
                let ctx = self.context(job, "404.html");
                self.html(job.clone(), "404.html", "404.html", ctx, Reads::default())
            }
            Job::Feed => {
                let reports = s.reports();
                let latest: Vec<PageId> = reports.iter().take(FEED_SIZE).copied().collect();
                let mut ctx = self.context(job, "atom.xml");
                ctx.insert("pages", self.refs(&latest));
                ctx.insert("feed_url", json!(c.permalink("atom.xml")));
                let updated = latest
                    .first()
                    .and_then(|&i| s.pages[i].meta.date)
                    .map(|d| d.rfc3339())
                    .unwrap_or_default();
                ctx.insert("updated", json!(updated));
                self.html(
                    job.clone(),
                    "atom.xml",
                    "atom.xml",
                    ctx,
                    Reads {
                        pages: latest,
                        ..Reads::default()
                    },
                )
            }
            Job::Sitemap => {
                let mut entries = vec![json!({"permalink": c.permalink(""), "lastmod": ""})];
                for p in &s.pages {
                    entries.push(json!({"permalink": c.permalink(&p.path), "lastmod": p.meta.date.map(|d| d.iso_date()).unwrap_or_default()}));
                }
                for b in &s.brands {
                    entries.push(json!({"permalink": c.permalink(&b.path), "lastmod": ""}));
                }
                for tax in &s.taxonomies {
                    entries.push(json!({"permalink": c.permalink(&format!("{}/", tax.config.name)), "lastmod": ""}));
                    for term in &tax.terms {
                        let latest = term
                            .pages
                            .first()
                            .and_then(|&p| s.pages[p].meta.date)
                            .map(|d| d.iso_date())
                            .unwrap_or_default();
                        entries.push(json!({"permalink": c.permalink(&format!("{}/{}/", tax.config.name, term.slug)), "lastmod": latest}));
                    }
                }
                for sec in s.sections.iter().skip(1) {
                    entries.push(json!({"permalink": c.permalink(&sec.path), "lastmod": ""}));
                }
                let mut ctx = self.context(job, "sitemap.xml");
                ctx.insert("entries", Value::Array(entries));
                self.html(
                    job.clone(),
                    "sitemap.xml",
                    "sitemap.xml",
                    ctx,
                    Reads::default(),
                )
            }
            Job::Robots => {
                let mut ctx = self.context(job, "robots.txt");
                ctx.insert("sitemap_url", json!(c.permalink("sitemap.xml")));
                self.html(
                    job.clone(),
                    "robots.txt",
                    "robots.txt",
                    ctx,
                    Reads::default(),
                )
            }
            Job::Redirect(i) => {
                let (from, to) = &s.redirects[i];
                let target = crate::markdown::highlight::escape(&c.url(to));
                let html = format!(
                    "<!doctype html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{}</title><link rel=\"canonical\" href=\"{target}\"><meta http-equiv=\"refresh\" content=\"0; url={target}\"></head><body><a href=\"{target}\">{target}</a></body></html>\n",
                    crate::markdown::highlight::escape(&c.language), crate::markdown::highlight::escape(&c.title)
                );
                let path = if from.ends_with(".html") {
                    from.clone()
                } else {
                    format!("{from}index.html")
                };
                Ok(Output {
                    path,
                    bytes: html.into_bytes(),
                    job: job.clone(),
                    reads: Reads::default(),
                })
            }
            Job::HighlightCss => Ok(Output {
                path: "css/highlight.css".into(),
                bytes: crate::markdown::highlight::stylesheet().into_bytes(),
                job: job.clone(),
                reads: Reads::default(),
            }),
        }
    }
}

/// A template context under construction.
struct Ctx(Map<String, Value>);

impl Ctx {
    fn insert(&mut self, key: &str, value: Value) {
        self.0.insert(key.to_string(), value);
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
