//! The site's photos, for `herald build` and `herald serve` alike: which assets are
//! published re-encoded, and their files, with each image's first use for its error.

use crate::error::Diagnostics;
use crate::model::Site;

/// Whether the asset at `path` is a photo `images::publish` writes.
pub(crate) fn is_published(site: &Site, path: &str) -> bool {
    site.images.get(path).is_some_and(|i| i.header.is_ok())
}

/// Every photo's encoded widths, from the cache or encoded now; an image that fails to
/// decode is an error at the first place that uses it.
pub(crate) fn publish(site: &Site) -> Result<crate::images::Published, Diagnostics> {
    let mut uses: std::collections::HashMap<String, crate::error::Location> = Default::default();
    let bodies = site.bodies();
    for body in bodies {
        for (path, at) in &body.images {
            uses.entry(path.clone()).or_insert_with(|| at.clone());
        }
    }
    let named = site
        .pages
        .iter()
        .filter_map(|p| Some((&p.source, p.meta.cover.as_ref()?)))
        .chain(
            site.brands
                .iter()
                .filter_map(|b| Some((&b.source, b.meta.logo.as_ref()?))),
        );
    for (source, (raw, at)) in named {
        let url = crate::render::views::file_url(site, source, raw).unwrap_or_default();
        if let Some(path) = url.strip_prefix(site.config.base_path.as_str()) {
            uses.entry(path.to_string()).or_insert_with(|| at.clone());
        }
    }
    super::publish(&site.config.root, &site.images, &uses).map_err(|errors| {
        let mut d = Diagnostics::default();
        for e in errors {
            d.error(e);
        }
        d.sort();
        d
    })
}
