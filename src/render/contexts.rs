//! What each output's template sees: the context of every kind of job, as documented in
//! docs/templates.md. One function per kind of output.

use serde::Serialize;
use tera::Value;

use super::views::{extended, qr_svg, value, BrandOwn, PageOwn, PageTerms, SectionLink};
use super::{paged_path, Job, Output, Renderer, FEED_SIZE, HOME_LATEST};
use crate::error::Error;
use crate::model::{BrandId, PageId, SectionId};

/// `stats` on the home page.
#[derive(Serialize)]
struct HomeStats {
    reports: usize,
    brands: usize,
    regions: usize,
    orgs: usize,
}

/// One entry of the sitemap.
#[derive(Serialize)]
struct SitemapEntry {
    permalink: String,
    lastmod: String,
    /// The page in each script (`<xhtml:link rel="alternate" hreflang=…>`), when the site
    /// has a Traditional mirror.
    alternates: Vec<Alternate>,
}

#[derive(Serialize, Clone)]
struct Alternate {
    lang: String,
    permalink: String,
}

impl Renderer<'_> {
    /// Renders one output into memory.
    pub(crate) fn render(&self, job: &Job) -> Result<Output, Error> {
        match *job {
            Job::Home => self.home(job),
            Job::Page(id) => self.page(job, id),
            Job::Section { id, page } => self.section(job, id, page),
            Job::BrandsIndex => self.brands_index(job),
            Job::Brand(id) => self.brand(job, id),
            Job::TaxonomyIndex(t) => self.taxonomy(job, t),
            Job::Term { tax, term, page } => self.term(job, tax, term, page),
            Job::Search => {
                let ctx = self.context(job, crate::search::PAGE);
                self.html(crate::search::PAGE, crate::search::TEMPLATE, &ctx)
            }
            Job::NotFound => self.html("404.html", "404.html", &self.context(job, "404.html")),
            Job::Feed => self.feed(job),
            Job::Sitemap => self.sitemap(job),
            Job::Robots => {
                let mut ctx = self.context(job, "robots.txt");
                let url = self.site.config.permalink("sitemap.xml");
                ctx.insert_value("sitemap_url", Value::from(url));
                self.html("robots.txt", "robots.txt", &ctx)
            }
            Job::Redirect(i) => Ok(self.redirect(i)),
            Job::HighlightCss => Ok(Output {
                path: "css/highlight.css".into(),
                bytes: crate::markdown::highlight::stylesheet().into_bytes(),
            }),
        }
    }

    fn home(&self, job: &Job) -> Result<Output, Error> {
        let s = self.site;
        let reports = s.reports();
        let mut ctx = self.context(job, "");
        ctx.insert_value("section", self.sections[0].clone());
        let latest: Vec<PageId> = reports.iter().take(HOME_LATEST).copied().collect();
        ctx.insert_value("latest", Value::from(self.refs(&latest)));
        ctx.insert_value("brands", Value::from(self.views.brand_refs.clone()));
        let count = |field: &str| {
            s.taxonomies
                .iter()
                .find(|t| t.config.field == field)
                .map_or(0, |t| t.terms.len())
        };
        let stats = HomeStats {
            reports: reports.len(),
            brands: s.brands.len(),
            regions: count("region"),
            orgs: count("org"),
        };
        ctx.insert_value("stats", value(&stats));
        let terms: tera::Map = [
            ("tags", self.terms_on("tags", 30)),
            ("regions", self.terms_on("region", 30)),
            ("orgs", self.terms_on("org", 30)),
        ]
        .into_iter()
        .map(|(k, v)| (k.into(), v))
        .collect();
        ctx.insert_value("terms", Value::from(terms));
        self.html("", "index.html", &ctx)
    }

    fn page(&self, job: &Job, id: PageId) -> Result<Output, Error> {
        let s = self.site;
        let p = &s.pages[id];
        let mut ctx = self.context(job, &p.path);
        let (previous, next) = self.neighbours(id);
        let sec = &s.sections[p.section];
        let own = PageOwn {
            content: &p.body.html,
            toc: &p.body.toc,
            has_code: p.body.has_code,
            author: p.meta.author.as_deref().unwrap_or_default(),
            source: p.meta.source.as_deref().unwrap_or_default(),
            slug: p
                .path
                .trim_end_matches('/')
                .rsplit('/')
                .next()
                .unwrap_or(""),
            kind: if p.is_report { "report" } else { "page" },
            section: (p.section != 0).then(|| SectionLink {
                title: sec.title(),
                url: s.config.url(&sec.path),
            }),
            previous: previous.map(|i| self.views.page_refs[i].clone()),
            next: next.map(|i| self.views.page_refs[i].clone()),
            related: self.refs(&self.related(id)),
            terms: PageTerms {
                tags: self.views.terms_of(s, id, "tags"),
                regions: self.views.terms_of(s, id, "region"),
                orgs: self.views.terms_of(s, id, "org"),
            },
            extra: &p.meta.extra,
            draft: p.meta.draft,
            source_path: &p.source,
        };
        ctx.insert_value("page", extended(&self.views.page_refs[id], &own));
        let template = p.meta.template.as_deref().unwrap_or("page.html");
        self.html(&p.path, template, &ctx)
    }

    fn section(&self, job: &Job, id: SectionId, page: usize) -> Result<Output, Error> {
        let sec = &self.site.sections[id];
        let path = paged_path(&sec.path, page);
        let mut ctx = self.context(job, &path);
        ctx.insert_value("section", self.sections[id].clone());
        let per = sec.meta.paginate.unwrap_or(self.site.config.paginate);
        let paginator = self.paginator(&sec.path, &sec.pages, page, per);
        ctx.insert_value("paginator", paginator);
        let template = sec.meta.template.as_deref().unwrap_or("section.html");
        self.html(&path, template, &ctx)
    }

    fn brands_index(&self, job: &Job) -> Result<Output, Error> {
        let s = self.site;
        let mut ctx = self.context(job, "brands/");
        // Without a `content/brands/_index.md` there is no section: the theme names the page.
        let section = s.sections.iter().position(|x| x.dir == "brands");
        let section = section.map_or_else(Value::none, |i| self.sections[i].clone());
        ctx.insert_value("section", section);
        ctx.insert_value("brands", Value::from(self.views.brand_refs.clone()));
        self.html("brands/", "brands.html", &ctx)
    }

    fn brand(&self, job: &Job, id: BrandId) -> Result<Output, Error> {
        let c = &self.site.config;
        let b = &self.site.brands[id];
        let m = &b.meta;
        let mut ctx = self.context(job, &b.path);
        let own = BrandOwn {
            content: &b.body.html,
            summary: &b.body.summary,
            has_code: b.body.has_code,
            description: m
                .slogan
                .clone()
                .unwrap_or_else(|| b.body.description.clone()),
            since: m.since.map(|d| d.year().to_string()).unwrap_or_default(),
            pillars: &m.pillars,
            standards: &m.standards,
            honours: &m.honours,
            events: &m.events,
            reports: self.refs(&b.reports),
            qr_svg: qr_svg(&c.permalink(&b.path)),
            extra: &m.extra,
        };
        ctx.insert_value("brand", extended(&self.views.brand_refs[id], &own));
        self.html(&b.path, "brand.html", &ctx)
    }

    /// `taxonomy` for a taxonomy's own pages: its name, title and URL, and its terms.
    fn taxonomy_view(&self, t: usize, with_terms: bool) -> Value {
        let tax = &self.site.taxonomies[t];
        let mut map = tera::Map::new();
        map.insert("name".into(), Value::from(tax.config.name.as_str()));
        map.insert("title".into(), Value::from(tax.config.title.as_str()));
        let url = self.site.config.url(&format!("{}/", tax.config.name));
        map.insert("url".into(), Value::from(url));
        if with_terms {
            map.insert("terms".into(), Value::from(self.terms[t].clone()));
        }
        Value::from(map)
    }

    fn taxonomy(&self, job: &Job, t: usize) -> Result<Output, Error> {
        let path = format!("{}/", self.site.taxonomies[t].config.name);
        let mut ctx = self.context(job, &path);
        ctx.insert_value("taxonomy", self.taxonomy_view(t, true));
        self.html(&path, "taxonomy.html", &ctx)
    }

    fn term(&self, job: &Job, t: usize, term: usize, page: usize) -> Result<Output, Error> {
        let tax = &self.site.taxonomies[t];
        let term_data = &tax.terms[term];
        let base = format!("{}/{}/", tax.config.name, term_data.slug);
        let path = paged_path(&base, page);
        let mut ctx = self.context(job, &path);
        ctx.insert_value("taxonomy", self.taxonomy_view(t, false));
        ctx.insert_value("term", self.terms[t][term].clone());
        let paginator = self.paginator(&base, &term_data.pages, page, self.site.config.paginate);
        ctx.insert_value("paginator", paginator);
        self.html(&path, "taxonomy_term.html", &ctx)
    }

    fn feed(&self, job: &Job) -> Result<Output, Error> {
        let s = self.site;
        // A report with no date has no place in a feed ordered by date.
        let latest: Vec<PageId> = s
            .reports()
            .into_iter()
            .filter(|&i| s.pages[i].meta.date.is_some())
            .take(FEED_SIZE)
            .collect();
        let mut ctx = self.context(job, "atom.xml");
        ctx.insert_value("pages", Value::from(self.refs(&latest)));
        ctx.insert_value("feed_url", Value::from(s.config.permalink("atom.xml")));
        let updated = latest
            .first()
            .and_then(|&i| s.pages[i].meta.date)
            .map(|d| d.rfc3339())
            .unwrap_or_default();
        ctx.insert_value("updated", Value::from(updated));
        self.html("atom.xml", "atom.xml", &ctx)
    }

    fn sitemap(&self, job: &Job) -> Result<Output, Error> {
        let s = self.site;
        let c = &s.config;
        let hant = c.zh_hant.as_ref().map(|z| z.variant.lang());
        let mut entries = Vec::new();
        let mut entry = |path: &str, lastmod: String| {
            let Some(hant) = hant else {
                entries.push(SitemapEntry {
                    permalink: c.permalink(path),
                    lastmod,
                    alternates: Vec::new(),
                });
                return;
            };
            // Both scripts, each listing both (what search engines ask of alternates).
            let [hans_link, hant_link] = c.both_scripts(path);
            let alternates = vec![
                Alternate {
                    lang: c.main_language.clone(),
                    permalink: hans_link.1.clone(),
                },
                Alternate {
                    lang: hant.to_string(),
                    permalink: hant_link.1.clone(),
                },
            ];
            for link in [hans_link, hant_link] {
                entries.push(SitemapEntry {
                    permalink: link.1,
                    lastmod: lastmod.clone(),
                    alternates: alternates.clone(),
                });
            }
        };
        entry("", String::new());
        for p in &s.pages {
            let lastmod = p.meta.date.map(|d| d.rfc3339()).unwrap_or_default();
            entry(&p.path, lastmod);
        }
        for b in &s.brands {
            entry(&b.path, String::new());
        }
        for tax in &s.taxonomies {
            entry(&format!("{}/", tax.config.name), String::new());
            for term in &tax.terms {
                let latest = term
                    .pages
                    .first()
                    .and_then(|&p| s.pages[p].meta.date)
                    .map(|d| d.rfc3339())
                    .unwrap_or_default();
                entry(&format!("{}/{}/", tax.config.name, term.slug), latest);
            }
        }
        for sec in s.sections.iter().skip(1) {
            entry(&sec.path, String::new());
        }
        let mut ctx = self.context(job, "sitemap.xml");
        ctx.insert_value("alternates", Value::from(hant.is_some()));
        ctx.insert_value("entries", value(&entries));
        self.html("sitemap.xml", "sitemap.xml", &ctx)
    }

    /// An alias: a page that sends the browser on to the page's address.
    fn redirect(&self, i: usize) -> Output {
        let c = &self.site.config;
        let crate::model::Redirect { from, to, .. } = &self.site.redirects[i];
        let escape = crate::markdown::highlight::escape;
        let target = escape(&c.url(to));
        let html = format!(
            "<!doctype html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{}</title><link rel=\"canonical\" href=\"{target}\"><meta http-equiv=\"refresh\" content=\"0; url={target}\"></head><body><a href=\"{target}\">{target}</a></body></html>\n",
            escape(&c.language),
            escape(&c.title)
        );
        let path = if from.ends_with(".html") {
            from.clone()
        } else {
            format!("{from}index.html")
        };
        Output {
            path,
            bytes: html.into_bytes(),
        }
    }
}
