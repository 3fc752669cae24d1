//! Stage 4: **render** the model through Tera into outputs in memory. No disk IO here, so the
//! preview server can render into memory and re-render only what an edit touched.
//!
//! Every output is a `Job`. What a job shows of other pages and brands (`Renderer::reads`) is
//! the dependency map the preview server uses to decide what to re-render after an edit.

mod contexts;
mod engine_errors;
pub(crate) mod outputs;
pub(crate) mod plan;
pub(crate) mod templates;
pub(crate) mod views;

use rayon::prelude::*;
use tera::{Context, Value};

use crate::error::{Diagnostics, Error};
use crate::model::{BrandId, PageId, SectionId, Site};

pub(crate) use templates::Templates;
pub(crate) use views::Views;
use views::{
    site_view, term_url, value, PageNumber, Paginator, SectionView, SubsectionLink, TermRef,
};

/// One file of the built site.
#[derive(Debug, Clone)]
pub(crate) struct Output {
    /// Relative to the output folder, with `/` (`cases/a/index.html`).
    pub path: String,
    pub bytes: Vec<u8>,
}

/// What an output shows of other pages and brands, and the template it is rendered with.
#[derive(Debug, Clone, Default)]
pub(crate) struct Reads {
    pub pages: Vec<PageId>,
    pub brands: Vec<BrandId>,
    pub template: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Job {
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

pub(crate) struct Renderer<'a> {
    pub site: &'a Site,
    pub templates: &'a Templates,
    pub views: &'a Views,
    /// What every template sees (`site`, `theme`, `herald_version`), built once.
    base: [(&'static str, Value); 3],
    /// Each section's view (`section`), built once: the home page, a section's pages and the
    /// brands index share them.
    sections: Vec<Value>,
    /// Each taxonomy's terms as lists show them, built once.
    terms: Vec<Vec<Value>>,
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
    pub(crate) fn kind(&self) -> &'static str {
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

impl Job {
    /// Written in both scripts when the site has a Traditional mirror: everything a reader
    /// browses. The sitemap (which lists both), robots.txt, the 404 page, alias redirects and
    /// the highlighting stylesheet exist once.
    pub(crate) fn is_mirrored(&self) -> bool {
        !matches!(
            self,
            Job::NotFound | Job::Sitemap | Job::Robots | Job::HighlightCss | Job::Redirect(_)
        )
    }
}

/// The same page in each script, for the 简/繁 switch and `hreflang`.
#[derive(serde::Serialize)]
struct ScriptLink {
    lang: String,
    name: &'static str,
    url: String,
    permalink: String,
    current: bool,
}

impl<'a> Renderer<'a> {
    pub(crate) fn new(site: &'a Site, templates: &'a Templates, views: &'a Views) -> Renderer<'a> {
        let base = [
            ("site", site_view(site)),
            ("theme", value(&templates.settings)),
            ("herald_version", Value::from(env!("CARGO_PKG_VERSION"))),
        ];
        let terms = site
            .taxonomies
            .iter()
            .enumerate()
            .map(|(t, tax)| {
                tax.terms
                    .iter()
                    .map(|term| {
                        value(&TermRef {
                            name: term.name.clone(),
                            slug: term.slug.clone(),
                            url: term_url(site, t, &term.slug),
                            count: term.pages.len(),
                        })
                    })
                    .collect()
            })
            .collect();
        let mut renderer = Renderer {
            site,
            templates,
            views,
            base,
            sections: Vec::new(),
            terms,
        };
        renderer.sections = (0..site.sections.len())
            .map(|id| renderer.section_view(id))
            .collect();
        renderer
    }

    /// Every job of the site.
    pub(crate) fn jobs(&self) -> Vec<Job> {
        jobs_of(self.site)
    }

    /// Renders every job to find its errors, keeping only where each output goes (the
    /// preview renders a page again when it is asked for: 10,000 pages are not kept).
    pub(crate) fn paths_of_all(&self, jobs: &[Job]) -> Result<Vec<(String, Job)>, Diagnostics> {
        let results: Vec<Result<(String, Job), Error>> = jobs
            .par_iter()
            .map(|j| self.render(j).map(|o| (o.path, j.clone())))
            .collect();
        let (done, errors): (Vec<_>, Vec<_>) = results.into_iter().partition(Result::is_ok);
        let diags = Diagnostics::unique(errors.into_iter().filter_map(Result::err));
        if diags.errors.is_empty() {
            Ok(done.into_iter().filter_map(Result::ok).collect())
        } else {
            Err(diags)
        }
    }

    /// What every output's template sees, and where the output is.
    fn context(&self, job: &Job, site_path: &str) -> Context {
        let mut ctx = Context::new();
        for (key, v) in &self.base {
            ctx.insert_value(*key, v.clone());
        }
        // Which object this output has (`page`, `brand`, …), for the shared base template.
        ctx.insert_value("output_kind", Value::from(job.kind()));
        ctx.insert_value("current_path", Value::from(site_path));
        ctx.insert_value("current_url", Value::from(self.site.config.url(site_path)));
        ctx.insert_value(
            "permalink",
            Value::from(self.site.config.permalink(site_path)),
        );
        let c = &self.site.config;
        if c.zh_hant.is_some() && job.is_mirrored() {
            let [hans, hant] = c.both_scripts(site_path);
            let hant_lang = c
                .zh_hant
                .as_ref()
                .map(|z| z.variant.lang())
                .unwrap_or_default();
            let links = [
                ScriptLink {
                    lang: c.main_language.clone(),
                    name: "简体",
                    url: hans.0,
                    permalink: hans.1,
                    current: c.script_dir.is_empty(),
                },
                ScriptLink {
                    lang: hant_lang.to_string(),
                    name: "繁體",
                    url: hant.0,
                    permalink: hant.1,
                    current: !c.script_dir.is_empty(),
                },
            ];
            ctx.insert_value("scripts", value(&links));
        } else {
            ctx.insert_value("scripts", Value::from(Vec::<Value>::new()));
        }
        ctx
    }

    fn html(&self, site_path: &str, template: &str, ctx: &Context) -> Result<Output, Error> {
        let bytes = self.templates.render_bytes(template, ctx)?;
        let path = if site_path.ends_with(".html")
            || site_path.ends_with(".xml")
            || site_path.ends_with(".txt")
            || site_path.ends_with(".css")
        {
            site_path.to_string()
        } else {
            format!("{site_path}index.html")
        };
        let path = format!("{}{path}", self.site.config.script_dir);
        Ok(Output { path, bytes })
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
    pub(crate) fn reads(&self, job: &Job) -> Reads {
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
    pub(crate) fn path(&self, job: &Job) -> String {
        path_of(self.site, job)
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

    /// The PageRefs of `ids`: shared values, not copies.
    fn refs(&self, ids: &[PageId]) -> Vec<Value> {
        ids.iter()
            .map(|&id| self.views.page_refs[id].clone())
            .collect()
    }

    fn paginator(&self, base: &str, ids: &[PageId], page: usize, per: usize) -> Value {
        let total = pages_count(ids.len(), per);
        let slice = plan::page_slice(ids, page, per);
        let c = &self.site.config;
        let url = |n: usize| c.url(&paged_path(base, n));
        let numbers = page_window(page, total)
            .into_iter()
            .map(|n| PageNumber {
                number: n,
                url: n.map(url),
                current: n == Some(page),
                gap: n.is_none(),
            })
            .collect();
        value(&Paginator {
            pages: self.refs(slice),
            current: page,
            total_pages: total,
            total_items: ids.len(),
            previous: (page > 1).then(|| url(page - 1)),
            next: (page < total).then(|| url(page + 1)),
            first: url(1),
            last: url(total),
            numbers,
        })
    }

    /// The first `limit` terms of the taxonomies on `field`.
    fn terms_on(&self, field: &str, limit: usize) -> Value {
        let mut out = Vec::new();
        for (t, tax) in self.site.taxonomies.iter().enumerate() {
            if tax.config.field == field {
                out.extend(self.terms[t].iter().take(limit).cloned());
            }
        }
        Value::from(out)
    }

    fn section_view(&self, id: SectionId) -> Value {
        let s = self.site;
        let sec = &s.sections[id];
        value(&SectionView {
            title: sec.title(),
            url: s.config.url(&sec.path),
            permalink: s.config.permalink(&sec.path),
            content: &sec.body.html,
            summary: &sec.body.summary,
            description: sec
                .meta
                .description
                .clone()
                .unwrap_or_else(|| sec.body.description.clone()),
            subsections: sec
                .subsections
                .iter()
                .map(|&c| SubsectionLink {
                    title: s.sections[c].title(),
                    url: s.config.url(&s.sections[c].path),
                    page_count: self.count_in(c),
                })
                .collect(),
            page_count: self.count_in(id),
            extra: &sec.meta.extra,
        })
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
pub(crate) fn jobs_of(s: &Site) -> Vec<Job> {
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
    if !s.config.script_dir.is_empty() {
        jobs.retain(Job::is_mirrored);
    }
    jobs
}

/// The output file of a job, relative to the output folder.
pub(crate) fn path_of(s: &Site, job: &Job) -> String {
    format!("{}{}", s.config.script_dir, path_in_script(s, job))
}

fn path_in_script(s: &Site, job: &Job) -> String {
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
