//! Photos for the web: every JPEG, PNG and WebP under `content/` is published at a few widths
//! (480, 960, 1600, never wider than it is), as WebP and in its own format, turned upright by
//! its EXIF orientation and without its EXIF (GPS) data; pages get `srcset`, `sizes`, `width`
//! and `height` for it.
//!
//! - **Model time** (`probe_all`): headers only, so pages know each image's size and an image
//!   too large or not an image is an error at the line that uses it, before anything is decoded.
//! - **Publish time** (`publish`): the encoded files, from `.herald/cache/images/` in the site
//!   folder when the same bytes were encoded with the same settings before, else encoded (in
//!   parallel) into it. `herald build` copies them into the output, `herald serve` serves them
//!   from there: the same bytes.
//!
//! `static/` is left alone: it is copied as it is (a theme's logo, a download).

mod cache;
mod encode;
pub(crate) mod probe;
pub(crate) mod site;
pub(crate) mod strip;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

pub(crate) use probe::{Format, Header, Problem};

use crate::error::{Error, Location};

/// The widths published (CSS pixels × density: a 375 px phone at 2× takes the 960).
pub(crate) const WIDTHS: [u32; 3] = [480, 960, 1600];

/// What pages say about an image's display size, for the browser to pick a width: the
/// default theme's text column is at most 38em of 17 px (≈ 40rem).
pub(crate) const CONTENT_SIZES: &str = "(min-width: 44rem) 40rem, 100vw";

/// An image of the site that Herald re-encodes.
#[derive(Debug, Clone)]
pub struct SiteImage {
    pub file: PathBuf,
    pub header: Result<Header, Problem>,
}

/// Output path (`cases/a/photo.jpg`) → the image published there.
pub(crate) type Images = HashMap<String, SiteImage>;

/// Reads the header of every raster image among the site's files (`(output path, file)`),
/// in parallel; files under `skip` (the site's `static/`) are not re-encoded.
pub(crate) fn probe_all<'a>(
    files: impl Iterator<Item = (&'a str, &'a Path)>,
    skip: &Path,
) -> Images {
    let todo: Vec<(&str, &Path, Format)> = files
        .filter(|(_, f)| !f.starts_with(skip))
        .filter_map(|(p, f)| Some((p, f, Format::of_name(p)?)))
        .collect();
    todo.par_iter()
        .map(|&(path, file, format)| {
            let header = cache::probe(file, format);
            (
                path.to_string(),
                SiteImage {
                    file: file.to_path_buf(),
                    header,
                },
            )
        })
        .collect()
}

/// The widths an image of `width` is published at, ascending: each of `WIDTHS` at least an
/// eighth narrower than the image, then the image's own width up to the largest.
pub(crate) fn widths(width: u32) -> Vec<u32> {
    let top = width.min(WIDTHS[WIDTHS.len() - 1]);
    let mut v: Vec<u32> = WIDTHS
        .iter()
        .copied()
        .filter(|&w| w < top && w + w / 8 < width)
        .collect();
    v.push(top);
    v
}

/// `cases/a/photo.jpg`, 480, `webp` → `cases/a/photo-480w.webp`.
fn variant_path(path: &str, width: u32, ext: &str) -> String {
    let stem = path.rsplit_once('.').map_or(path, |(s, _)| s);
    format!("{stem}-{width}w.{ext}")
}

/// One file published for an image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Variant {
    pub path: String,
    pub width: u32,
    pub webp: bool,
}

/// Every file published for the image at `path`. The largest width in the image's own
/// format keeps the image's own path, so a link to `photo.jpg` still works (and shows the
/// re-encoded, location-free photo).
pub(crate) fn variants(path: &str, h: &Header) -> Vec<Variant> {
    let ws = widths(h.width);
    let top = ws.last().copied().unwrap_or(h.width);
    let mut out = Vec::with_capacity(ws.len() * 2);
    for &w in &ws {
        let own = if w == top {
            path.to_string()
        } else {
            variant_path(path, w, h.format.ext())
        };
        out.push(Variant {
            path: own,
            width: w,
            webp: h.format == Format::Webp,
        });
        if h.format != Format::Webp {
            out.push(Variant {
                path: variant_path(path, w, "webp"),
                width: w,
                webp: true,
            });
        }
    }
    out
}

/// What a page's HTML needs to show an image.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Srcset {
    /// The output path of the image (`cases/a/photo.jpg`).
    pub path: String,
    /// The URL of the largest width in the image's own format.
    pub src: String,
    pub width: u32,
    pub height: u32,
    /// In the image's own format: `/a/photo-480w.jpg 480w, /a/photo.jpg 1600w`.
    pub srcset: String,
    /// WebP, for a `<source type="image/webp">`; empty when the image is WebP already.
    pub webp_srcset: String,
}

/// The `srcset`s of the image at `path`; `url` makes a URL of an output path.
pub(crate) fn srcset(path: &str, h: &Header, url: impl Fn(&str) -> String) -> Srcset {
    let vs = variants(path, h);
    let top = vs.iter().map(|v| v.width).max().unwrap_or(h.width);
    let list = |webp: bool| {
        vs.iter()
            .filter(|v| v.webp == webp)
            .map(|v| format!("{} {}w", srcset_url(&url(&v.path)), v.width))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let (own, webp) = if h.format == Format::Webp {
        (list(true), String::new())
    } else {
        (list(false), list(true))
    };
    Srcset {
        path: path.to_string(),
        src: url(path),
        width: top,
        // The height at the published width: the aspect ratio the browser reserves.
        height: scaled_height(h, top),
        srcset: own,
        webp_srcset: webp,
    }
}

fn scaled_height(h: &Header, width: u32) -> u32 {
    let num = u64::from(h.height) * u64::from(width) + u64::from(h.width) / 2;
    u32::try_from(num / u64::from(h.width.max(1)))
        .unwrap_or(u32::MAX)
        .max(1)
}

/// A URL inside `srcset`, where a space or a comma would split it.
fn srcset_url(url: &str) -> String {
    url.replace(' ', "%20").replace(',', "%2C")
}

/// What `publish` did, for the build's summary and the preview.
#[derive(Debug, Default)]
pub(crate) struct Published {
    /// Output path → the encoded file in the cache.
    pub files: Vec<(String, PathBuf)>,
    /// Images encoded now, and images found in the cache.
    pub encoded: usize,
    pub cached: usize,
}

/// One image's published files (output path, cached file), and whether it was encoded now.
type Files = (Vec<(String, PathBuf)>, bool);

/// Makes sure every image's files are in the cache under `root` (encoding in parallel what
/// is not), and lists them. `uses` names where a page uses each image, for the error of an
/// image that cannot be decoded; an image no page uses is reported at its own file.
pub(crate) fn publish(
    root: &Path,
    images: &Images,
    uses: &HashMap<String, Location>,
) -> Result<Published, Vec<Error>> {
    let dir = cache::dir(root);
    let mut todo: Vec<(&String, &SiteImage, &Header)> = images
        .iter()
        .filter_map(|(p, i)| Some((p, i, i.header.as_ref().ok()?)))
        .collect();
    // Largest first: the longest encodes start early and the cores stay busy to the end.
    todo.sort_by_key(|(p, _, h)| {
        (
            std::cmp::Reverse(u64::from(h.width) * u64::from(h.height)),
            *p,
        )
    });
    let results: Vec<Result<Files, Error>> = todo
        .par_iter()
        .map(|&(path, image, header)| {
            let fail = |problem: Problem| Error::BadImage {
                at: uses
                    .get(path)
                    .cloned()
                    .unwrap_or_else(|| Location::file(shown(root, &image.file))),
                image: shown(root, &image.file).display().to_string(),
                problem,
            };
            let (entry, fresh) = cache::ensure(&dir, &image.file, header).map_err(|e| match e {
                cache::Failure::Image(p) => fail(p),
                cache::Failure::Io(e) => e,
            })?;
            let files = variants(path, header)
                .into_iter()
                .map(|v| {
                    let file = entry.join(cache::file_name(v.width, v.webp, header.format));
                    (v.path, file)
                })
                .collect();
            Ok((files, fresh))
        })
        .collect();
    let mut out = Published::default();
    let mut errors = Vec::new();
    for r in results {
        match r {
            Ok((files, fresh)) => {
                out.files.extend(files);
                if fresh {
                    out.encoded += 1;
                } else {
                    out.cached += 1;
                }
            }
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

fn shown(root: &Path, file: &Path) -> PathBuf {
    file.strip_prefix(root)
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| file.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_never_exceed_the_image() {
        assert_eq!(widths(4000), [480, 960, 1600]);
        assert_eq!(widths(1000), [480, 1000]);
        assert_eq!(widths(1200), [480, 960, 1200]);
        assert_eq!(widths(300), [300]);
    }

    #[test]
    fn the_largest_keeps_the_name() {
        let h = Header {
            format: Format::Jpeg,
            width: 3000,
            height: 4000,
            orientation: 6,
        };
        let s = srcset("a/b c.jpg", &h, |p| format!("/{p}"));
        assert_eq!(s.src, "/a/b c.jpg");
        assert_eq!((s.width, s.height), (1600, 2133));
        assert_eq!(
            s.srcset,
            "/a/b%20c-480w.jpg 480w, /a/b%20c-960w.jpg 960w, /a/b%20c.jpg 1600w"
        );
        assert!(s.webp_srcset.ends_with("/a/b%20c-1600w.webp 1600w"));
    }
}
