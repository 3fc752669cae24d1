//! What each output's template sees: the context of every kind of job, as documented in
//! docs/templates.md.

use serde_json::{json, Value};

use super::views::{qr_svg, term_url};
use super::{paged_path, Job, Output, Reads, Renderer, FEED_SIZE, HOME_LATEST};
use crate::error::Error;
use crate::model::PageId;

impl Renderer<'_> {
    /// Renders one output into memory.
    pub fn render(&self, job: &Job) -> Result<Output, Error> {
        let s = self.site;
        let c = &s.config;
        match *job {
            Job::Home => {
                let reports = s.reports();
                let latest: Vec<PageId> = reports.iter().take(HOME_LATEST).copied().collect();
                let mut ctx = self.context(job, "");
                ctx.insert("section", self.section_json(0));
                let latest_refs = self.refs(&latest, &mut ctx.loans, &["latest"]);
                ctx.insert("latest", latest_refs);
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
                // The page's PageRef plus the keys only its own page has (none replaced: the
                // lender gives the ref back with only its own keys).
                let mut view = self.page_ref(id, &mut ctx.loans, &["page"], None);
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
                    let loans = &mut ctx.loans;
                    m.insert(
                        "previous".into(),
                        previous.map_or(Value::Null, |i| {
                            self.page_ref(i, loans, &["page", "previous"], None)
                        }),
                    );
                    m.insert(
                        "next".into(),
                        next.map_or(Value::Null, |i| {
                            self.page_ref(i, loans, &["page", "next"], None)
                        }),
                    );
                    m.insert(
                        "related".into(),
                        self.refs(&related, loans, &["page", "related"]),
                    );
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
                let (paginator, shown) =
                    self.paginator(&sec.path, &sec.pages, page, per, &mut ctx.loans);
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
                        json!(m.since.map(|d| d.year().to_string()).unwrap_or_default()),
                    );
                    o.insert("pillars".into(), json!(m.pillars));
                    o.insert("standards".into(), json!(m.standards));
                    o.insert("honours".into(), json!(m.honours));
                    o.insert("events".into(), json!(m.events));
                    o.insert(
                        "reports".into(),
                        self.refs(&b.reports, &mut ctx.loans, &["brand", "reports"]),
                    );
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
                let (paginator, shown) =
                    self.paginator(&base, &term_data.pages, page, c.paginate, &mut ctx.loans);
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
            Job::Search => {
                let ctx = self.context(job, crate::search::PAGE);
                self.html(
                    job.clone(),
                    crate::search::PAGE,
                    crate::search::TEMPLATE,
                    ctx,
                    Reads::default(),
                )
            }
            Job::NotFound => {
                let ctx = self.context(job, "404.html");
                self.html(job.clone(), "404.html", "404.html", ctx, Reads::default())
            }
            Job::Feed => {
                let reports = s.reports();
                // A report with no date has no place in a feed ordered by date.
                let latest: Vec<PageId> = reports
                    .iter()
                    .filter(|&&i| s.pages[i].meta.date.is_some())
                    .take(FEED_SIZE)
                    .copied()
                    .collect();
                let mut ctx = self.context(job, "atom.xml");
                let latest_refs = self.refs(&latest, &mut ctx.loans, &["pages"]);
                ctx.insert("pages", latest_refs);
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
                    entries.push(json!({"permalink": c.permalink(&p.path), "lastmod": p.meta.date.map(|d| d.rfc3339()).unwrap_or_default()}));
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
                            .map(|d| d.rfc3339())
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
                let crate::model::Redirect { from, to, .. } = &s.redirects[i];
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
