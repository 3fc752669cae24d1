//! Markdown → HTML, with what a publicity site needs on the way: Chinese emphasis and line
//! breaks, heading ids and a table of contents, links between Markdown files resolved to
//! URLs, highlighted code, shortcodes, a summary, and a word count.
//!
//! No template or disk access here: links are resolved through `Links`, shortcodes through
//! `Shortcodes`, so this stays a pure function of its input.

mod body_html;
pub mod emphasis;
pub mod flanking;
pub mod highlight;
mod images;
mod links;
pub mod shortcodes;
mod soft_breaks;
mod walk;

pub use body_html::BodyHtml;
pub(crate) use body_html::{html_hash, StoredFile};
pub use links::join_rel;
use links::resolve_link;
use walk::Walk;

use std::ops::Range;
use std::path::Path;

use pulldown_cmark::{html, CowStr, Event, Options, Parser};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Location};

/// How links found in Markdown become URLs.
pub trait Links {
    /// The URL of the page made from `content/<rel>` (`cases/a.md`), if there is one.
    fn page_url(&self, rel: &str) -> Option<String>;
    /// The URL of a file under `content/` or `static/` at `rel`, if it exists.
    fn asset_url(&self, rel: &str) -> Option<String>;
    /// The site's base path (`/` or `/minzheng/`), for root-relative links.
    fn base_path(&self) -> &str;
    /// The widths of the photo at `url` (as `asset_url` made it), if Herald re-encodes it;
    /// the problem if it cannot.
    fn image(&self, _url: &str) -> Option<Result<crate::images::Srcset, crate::images::Problem>> {
        None
    }
}

/// Renders shortcode templates.
pub trait Shortcodes {
    fn render(
        &self,
        name: &str,
        args: &serde_json::Map<String, serde_json::Value>,
        body: Option<&str>,
    ) -> Result<String, String>;
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TocEntry {
    pub level: u8,
    pub id: String,
    pub title: String,
}

/// A `file.md#anchor` link, checked once every page's headings are known.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AnchorRef {
    /// Content-relative path of the target (`cases/a.md`); empty for the page itself.
    pub target: String,
    pub anchor: String,
    pub written: String,
    pub at: Location,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Rendered {
    /// Kept apart by the body cache, which reads it only when it is needed.
    #[serde(skip)]
    pub html: BodyHtml,
    /// HTML before `<!-- more -->`, else the first paragraph.
    pub summary: String,
    /// Plain text for descriptions: ≤ 120 characters, cut at a sentence end.
    pub description: String,
    pub toc: Vec<TocEntry>,
    pub heading_ids: Vec<String>,
    pub word_count: usize,
    pub anchors: Vec<AnchorRef>,
    /// Links, images and `figure` sources with a scheme other than http, https, mailto and
    /// tel: rendered without their URL, and listed here with where they are written.
    pub refused_urls: Vec<(Location, String)>,
    /// The re-encoded photos the body shows (output path) and where: an image that cannot be
    /// decoded is reported at its first use.
    pub images: Vec<(String, Location)>,
    /// Has a fenced or indented code block (so the page needs the highlighting stylesheet).
    pub has_code: bool,
    /// A hash of what the body shows (`digest`): fingerprints tell changed bodies by it
    /// without comparing their HTML.
    pub stamp: u64,
    /// What rendering it asked the site (`Links`), for the body cache.
    pub asked: Asked,
}

/// The questions a body's rendering asked `Links`, each with a hash of its answer, sorted
/// and each once. A body is a function of its text, its file and line, the shortcode
/// templates and these answers: the body cache reuses it only where every answer is still
/// the same (so a report whose URL changed re-renders exactly the bodies that link to it).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Asked(Vec<(Question, u64)>);

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Question {
    PageUrl(String),
    AssetUrl(String),
    BasePath,
    Image(String),
}

fn hash_of(answer: &impl std::hash::Hash) -> u64 {
    use std::hash::Hasher;
    let mut h = std::collections::hash_map::DefaultHasher::new();
    answer.hash(&mut h);
    h.finish()
}

impl Question {
    /// The hash of what `links` answers to this question now.
    fn answer(&self, links: &dyn Links) -> u64 {
        match self {
            Question::PageUrl(rel) => hash_of(&links.page_url(rel)),
            Question::AssetUrl(rel) => hash_of(&links.asset_url(rel)),
            Question::BasePath => hash_of(&links.base_path()),
            Question::Image(url) => hash_of(&links.image(url)),
        }
    }
}

impl Asked {
    /// Every question has the answer it had when the body was rendered.
    pub fn still_true(&self, links: &dyn Links) -> bool {
        self.0.iter().all(|(q, a)| q.answer(links) == *a)
    }
}

/// `Links` that notes every question and the hash of its answer (as `Question::answer`
/// makes it).
struct Recording<'a> {
    links: &'a dyn Links,
    asked: std::cell::RefCell<Vec<(Question, u64)>>,
}

impl<'a> Recording<'a> {
    fn new(links: &'a dyn Links) -> Self {
        Recording {
            links,
            asked: std::cell::RefCell::new(Vec::new()),
        }
    }

    fn note<T: std::hash::Hash>(&self, q: Question, answer: T) -> T {
        self.asked.borrow_mut().push((q, hash_of(&answer)));
        answer
    }

    fn finish(self) -> Asked {
        let mut asked = self.asked.into_inner();
        asked.sort_unstable();
        asked.dedup();
        Asked(asked)
    }
}

impl Links for Recording<'_> {
    fn page_url(&self, rel: &str) -> Option<String> {
        self.note(Question::PageUrl(rel.into()), self.links.page_url(rel))
    }
    fn asset_url(&self, rel: &str) -> Option<String> {
        self.note(Question::AssetUrl(rel.into()), self.links.asset_url(rel))
    }
    fn base_path(&self) -> &str {
        self.note(Question::BasePath, self.links.base_path())
    }
    fn image(&self, url: &str) -> Option<Result<crate::images::Srcset, crate::images::Problem>> {
        self.note(Question::Image(url.into()), self.links.image(url))
    }
}

impl Rendered {
    /// A hash of everything a body shows (its HTML, summary, contents…): the same in every
    /// run, so a fingerprint made from it can be kept by the build cache.
    fn digest(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        (
            &self.html,
            &self.summary,
            &self.description,
            &self.heading_ids,
            self.word_count,
            self.has_code,
        )
            .hash(&mut h);
        for t in &self.toc {
            (t.level, &t.id, &t.title).hash(&mut h);
        }
        h.finish()
    }
}

pub struct Input<'a> {
    pub text: &'a str,
    /// The file, for error locations (relative to the site root).
    pub file: &'a Path,
    /// File line of the first line of `text`.
    pub first_line: usize,
    /// Content-relative folder of the file (`cases/2022`), to resolve relative links.
    pub dir: &'a str,
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

pub fn render(
    input: &Input,
    links: &dyn Links,
    codes: Option<&dyn Shortcodes>,
) -> Result<Rendered, Vec<Error>> {
    let recording = Recording::new(links);
    let mut result = render_with(input, &recording, codes);
    if let Ok(r) = &mut result {
        r.asked = recording.finish();
    }
    result
}

fn render_with(
    input: &Input,
    links: &dyn Links,
    codes: Option<&dyn Shortcodes>,
) -> Result<Rendered, Vec<Error>> {
    let (src, calls) = match shortcodes::extract(input.text) {
        Ok(x) => x,
        Err((line, message)) => {
            return Err(vec![Error::Shortcode {
                at: Location::new(input.file, input.first_line + line, 1),
                message,
            }])
        }
    };
    let events: Vec<(Event, Range<usize>)> = Parser::new_ext(&src, options())
        .into_offset_iter()
        .collect();
    let mut events = emphasis::apply(events, &src);
    soft_breaks::apply(&mut events);

    let mut walk = Walk::new(input, links, &src, events.len());
    for (event, range) in events {
        walk.event(event, range);
    }
    let (mut rendered, out, mut errors) = walk.finish();
    // The whole body last, consuming the events: no copy of them.
    let mut html_out = String::with_capacity(src.len() + src.len() / 2);
    html::push_html(&mut html_out, out.into_iter());
    if !calls.is_empty() {
        html_out = fill_shortcodes(
            &html_out,
            &calls,
            codes,
            input,
            links,
            &mut rendered,
            &mut errors,
        );
    }
    rendered.html = html_out.into();
    rendered.stamp = rendered.digest();
    if errors.is_empty() {
        Ok(rendered)
    } else {
        Err(errors)
    }
}

/// Renders each shortcode call and puts its HTML where its placeholder stands, in one pass.
fn fill_shortcodes(
    html: &str,
    calls: &[shortcodes::Call],
    codes: Option<&dyn Shortcodes>,
    input: &Input,
    links: &dyn Links,
    rendered: &mut Rendered,
    errors: &mut Vec<Error>,
) -> String {
    let at_line = |line0: usize| Location::new(input.file, input.first_line + line0, 1);
    let mut outputs = Vec::with_capacity(calls.len());
    for call in calls {
        let Some(codes) = codes else {
            outputs.push(String::new());
            continue;
        };
        let body_html = call.body.as_deref().map(inline_markdown);
        let mut args = call.args.clone();
        // `src` names a file next to the page, like a Markdown image does.
        if let Some(serde_json::Value::String(src)) = args.get("src") {
            let at = at_line(call.line);
            // A refused source leaves the whole figure out: an <img> without a URL is invalid.
            if links::refused_scheme(src).is_some() {
                rendered.refused_urls.push((at, src.clone()));
                outputs.push(String::new());
                continue;
            }
            let written = src.clone();
            let src = CowStr::from(src.clone());
            let url = resolve_link(&src, input, links, at.clone(), rendered, errors, true);
            args.insert("src".into(), serde_json::Value::String(url.to_string()));
            let image = match links.image(&url) {
                Some(Ok(s)) => {
                    rendered.images.push((s.path.clone(), at));
                    Some(s)
                }
                Some(Err(problem)) => {
                    errors.push(Error::BadImage {
                        at,
                        image: written,
                        problem,
                    });
                    None
                }
                None => None,
            };
            figure_args(&mut args, image.as_ref());
        }
        match codes.render(&call.name, &args, body_html.as_deref()) {
            Ok(html) => outputs.push(html.trim().to_string()),
            Err(message) => {
                errors.push(Error::Shortcode {
                    at: at_line(call.line),
                    message,
                });
                outputs.push(String::new());
            }
        }
    }
    shortcodes::fill(html, &outputs)
}

/// What a shortcode with a `src` gets to show a re-encoded photo: `srcset`, `webp_srcset`,
/// `sizes` (empty for any other file, so a template tests them with a plain `if`), and
/// `width` and `height` unless the call gives its own.
fn figure_args(
    args: &mut serde_json::Map<String, serde_json::Value>,
    image: Option<&crate::images::Srcset>,
) {
    use serde_json::Value;
    let Some(s) = image else {
        for key in ["srcset", "webp_srcset", "sizes"] {
            args.entry(key).or_insert_with(|| Value::from(""));
        }
        return;
    };
    args.insert("srcset".into(), Value::from(s.srcset.clone()));
    args.insert("webp_srcset".into(), Value::from(s.webp_srcset.clone()));
    args.insert("sizes".into(), Value::from(crate::images::CONTENT_SIZES));
    if !args.contains_key("width") && !args.contains_key("height") {
        args.insert("width".into(), Value::from(s.width));
        args.insert("height".into(), Value::from(s.height));
    }
}

/// Markdown for a shortcode body: the same Chinese rules, no links resolved.
pub fn inline_markdown(src: &str) -> String {
    let events: Vec<(Event, Range<usize>)> =
        Parser::new_ext(src, options()).into_offset_iter().collect();
    let mut events = emphasis::apply(events, src);
    soft_breaks::apply(&mut events);
    let mut s = String::new();
    html::push_html(&mut s, events.into_iter().map(|(e, _)| e));
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    struct NoLinks;
    impl Links for NoLinks {
        fn page_url(&self, rel: &str) -> Option<String> {
            (rel == "cases/a.md").then(|| "/cases/a/".to_string())
        }
        fn asset_url(&self, rel: &str) -> Option<String> {
            (rel == "cases/img/p.jpg").then(|| "/cases/img/p.jpg".to_string())
        }
        fn base_path(&self) -> &str {
            "/"
        }
    }

    fn md(text: &str) -> Result<Rendered, Vec<Error>> {
        render(
            &Input {
                text,
                file: Path::new("content/cases/b.md"),
                first_line: 5,
                dir: "cases",
            },
            &NoLinks,
            None,
        )
    }

    #[test]
    fn soft_breaks_between_chinese_are_dropped() {
        let Ok(r) = md("第一行\n第二行\nmixed\ntext 中文\n中文") else {
            panic!()
        };
        assert_eq!(&*r.html, "<p>第一行第二行\nmixed\ntext 中文中文</p>\n");
    }

    #[test]
    fn headings_get_chinese_ids_and_toc() {
        let Ok(r) =
            md("## 一、实施背景\n\n## 二、主要做法\n\n### （一）抓实方案\n\n## 二、主要做法\n")
        else {
            panic!()
        };
        assert!(
            r.html.contains("<h2 id=\"实施背景\">一、实施背景</h2>"),
            "{}",
            r.html
        );
        assert_eq!(
            r.heading_ids,
            ["实施背景", "主要做法", "抓实方案", "主要做法-1"]
        );
        assert_eq!(r.toc[2].level, 3);
    }

    #[test]
    fn links_resolve_and_broken_ones_fail_with_line() {
        let Ok(r) = md("见[案例](a.md#主要做法)和![图](img/p.jpg)") else {
            panic!()
        };
        // pulldown-cmark percent-encodes the fragment; browsers decode it to match the id.
        assert!(
            r.html
                .contains("href=\"/cases/a/#%E4%B8%BB%E8%A6%81%E5%81%9A%E6%B3%95\""),
            "{}",
            r.html
        );
        assert!(r.html.contains("src=\"/cases/img/p.jpg\""));
        assert_eq!(r.anchors[0].target, "cases/a.md");
        let Err(errs) = md("正文\n\n见[缺失](missing.md)") else {
            panic!()
        };
        assert!(matches!(&errs[0], Error::BrokenLink { at, .. } if at.line == 7 && at.col == 2));
    }

    #[test]
    fn summary_and_counts() {
        let Ok(r) = md("第一段。\n\n第二段<!-- more -->\n\n第三段") else {
            panic!()
        };
        assert_eq!(r.summary, "<p>第一段。</p>\n<p>第二段</p>\n");
        let Ok(r) = md("导语\n\n<!-- more -->\n\n正文") else {
            panic!()
        };
        assert_eq!(r.summary, "<p>导语</p>\n");
        assert_eq!(r.word_count, 4);
    }

    #[test]
    fn bold_lead_renders_strong() {
        let Ok(r) = md("**一是抓实“三套方案”。**通过征集党员意见") else {
            panic!()
        };
        assert_eq!(
            &*r.html,
            "<p><strong>一是抓实“三套方案”。</strong>通过征集党员意见</p>\n"
        );
    }
}
