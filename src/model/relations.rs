//! Relations computed once the pages are known: section lists, brand report lists,
//! taxonomy terms. Everything sorted the way readers expect: newest first.

use std::collections::HashMap;

use crate::model::{Page, PageId, Site, Taxonomy, Term};
use crate::text::slugify;

/// Newest first; undated pages after dated ones, by weight, then title.
pub(crate) fn sort_pages(pages: &[Page], ids: &mut [PageId]) {
    ids.sort_by(|&a, &b| {
        let (pa, pb) = (&pages[a].meta, &pages[b].meta);
        pb.date
            .cmp(&pa.date)
            .then(pa.weight.cmp(&pb.weight))
            .then_with(|| pa.title.cmp(&pb.title))
            .then_with(|| pages[a].source.cmp(&pages[b].source))
    });
}

pub(crate) fn link(site: &mut Site) {
    for s in &mut site.sections {
        s.pages.clear();
    }
    for b in &mut site.brands {
        b.reports.clear();
    }
    for (id, p) in site.pages.iter().enumerate() {
        site.sections[p.section].pages.push(id);
        for &b in &p.brands {
            site.brands[b].reports.push(id);
        }
    }
    let pages = &site.pages;
    for s in &mut site.sections {
        sort_pages(pages, &mut s.pages);
    }
    for b in &mut site.brands {
        sort_pages(pages, &mut b.reports);
    }
    // Subsections by weight, then title.
    let order: Vec<(i64, String)> = site
        .sections
        .iter()
        .map(|s| (s.meta.weight, s.title()))
        .collect();
    for s in &mut site.sections {
        s.subsections.sort_by(|&a, &b| order[a].cmp(&order[b]));
    }
    site.brands.sort_by(|a, b| {
        a.meta
            .weight
            .cmp(&b.meta.weight)
            .then_with(|| a.meta.name.cmp(&b.meta.name))
    });
    // Sorting moved the brands: re-point keys and pages.
    let old_to_new: HashMap<usize, usize> = site
        .brands
        .iter()
        .enumerate()
        .map(|(new, b)| (site.brand_keys[&b.key], new))
        .collect();
    for (new, b) in site.brands.iter().enumerate() {
        site.brand_keys.insert(b.key.clone(), new);
        site.by_source
            .insert(b.source.clone(), crate::model::SourceRef::Brand(new));
    }
    for p in &mut site.pages {
        for b in &mut p.brands {
            *b = old_to_new[b];
        }
    }
    site.taxonomies = taxonomies(site);
}

fn taxonomies(site: &Site) -> Vec<Taxonomy> {
    let reports = site.reports();
    site.config
        .taxonomies
        .iter()
        .map(|cfg| {
            let mut index: HashMap<&str, usize> = HashMap::new();
            let mut terms: Vec<Term> = Vec::new();
            for &id in &reports {
                for name in site.pages[id].meta.terms(&cfg.field) {
                    let name = name.trim();
                    if name.is_empty() {
                        continue;
                    }
                    let t = *index.entry(name).or_insert_with(|| {
                        terms.push(Term {
                            name: name.to_string(),
                            slug: String::new(),
                            pages: Vec::new(),
                        });
                        terms.len() - 1
                    });
                    if terms[t].pages.last() != Some(&id) {
                        terms[t].pages.push(id);
                    }
                }
            }
            terms.sort_by(|a, b| {
                b.pages
                    .len()
                    .cmp(&a.pages.len())
                    .then_with(|| a.name.cmp(&b.name))
            });
            // Slugs in a stable order so a new term never renames an old one.
            let mut by_name: Vec<usize> = (0..terms.len()).collect();
            by_name.sort_by(|&a, &b| terms[a].name.cmp(&terms[b].name));
            let mut taken: HashMap<String, usize> = HashMap::new();
            for i in by_name {
                let mut slug = slugify(&terms[i].name);
                if slug.is_empty() {
                    slug = "term".into();
                }
                let n = taken.entry(slug.clone()).or_insert(0);
                *n += 1;
                if *n > 1 {
                    slug = format!("{slug}-{n}");
                }
                terms[i].slug = slug;
            }
            Taxonomy {
                config: cfg.clone(),
                terms,
            }
        })
        .collect()
}
