//! Markdown → HTML, with what a publicity site needs on the way: Chinese emphasis and line
//! breaks, heading ids and a table of contents, links between Markdown files resolved to
//! URLs, highlighted code, shortcodes, a summary, and a word count.
//!
//! No template or disk access here: links are resolved through `Links`, shortcodes through
//! `Shortcodes`, so this stays a pure function of its input.

pub mod emphasis;
pub mod flanking;
pub mod highlight;
mod links;
pub mod shortcodes;
mod soft_breaks;

pub use links::join_rel;
use links::resolve_link;

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::path::Path;

use pulldown_cmark::{
    html, CodeBlockKind, CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd,
};
use serde::Serialize;

use crate::error::{Error, Location};
use crate::text;

/// How links found in Markdown become URLs.
pub trait Links {
    /// The URL of the page made from `content/<rel>` (`cases/a.md`), if there is one.
    fn page_url(&self, rel: &str) -> Option<String>;
    /// The URL of a file under `content/` or `static/` at `rel`, if it exists.
    fn asset_url(&self, rel: &str) -> Option<String>;
    /// The site's base path (`/` or `/minzheng/`), for root-relative links.
    fn base_path(&self) -> &str;
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

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TocEntry {
    pub level: u8,
    pub id: String,
    pub title: String,
}

/// A `file.md#anchor` link, checked once every page's headings are known.
#[derive(Debug, Clone)]
pub struct AnchorRef {
    /// Content-relative path of the target (`cases/a.md`); empty for the page itself.
    pub target: String,
    pub anchor: String,
    pub written: String,
    pub at: Location,
}

#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub html: String,
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
    /// Has a fenced or indented code block (so the page needs the highlighting stylesheet).
    pub has_code: bool,
    /// Unique per rendering: a body reused from an earlier build keeps its stamp, so the
    /// preview can tell changed bodies without comparing their HTML.
    pub stamp: u64,
}

static STAMP: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

/// A heading being collected: its id is known only once its text is.
struct PendingHeading<'a> {
    level: HeadingLevel,
    id: Option<CowStr<'a>>,
    classes: Vec<CowStr<'a>>,
    attrs: Vec<(CowStr<'a>, Option<CowStr<'a>>)>,
    inner: Vec<Event<'a>>,
    title: String,
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

const SUMMARY_CHARS: usize = 120;

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
    let mut errors = Vec::new();
    let at_line =
        |line0: usize, col: usize| Location::new(input.file, input.first_line + line0, col);
    let (src, calls) = match shortcodes::extract(input.text) {
        Ok(x) => x,
        Err((line, message)) => {
            return Err(vec![Error::Shortcode {
                at: at_line(line, 1),
                message,
            }])
        }
    };
    let mut positions = Positions::new(&src);

    let events: Vec<(Event, Range<usize>)> = Parser::new_ext(&src, options())
        .into_offset_iter()
        .collect();
    let mut events = emphasis::apply(events, &src);
    soft_breaks::apply(&mut events);

    let mut out: Vec<Event> = Vec::with_capacity(events.len());
    let mut rendered = Rendered::default();
    let mut plain = String::new();
    let mut more_at: Option<usize> = None;
    let mut first_paragraph: Option<(usize, usize)> = None;
    let mut paragraph_start = None;
    let mut heading: Option<PendingHeading> = None;
    let mut code: Option<(String, String)> = None;
    let mut ids = HeadingIds::default();
    let mut inert_images = 0usize;
    for (event, range) in events {
        if let Some((_, body)) = code.as_mut() {
            match event {
                Event::Text(t) => body.push_str(&t),
                Event::End(TagEnd::CodeBlock) => {
                    if let Some((lang, body)) = code.take() {
                        rendered.has_code = true;
                        out.push(Event::Html(CowStr::from(highlight::code_block(
                            &lang, &body,
                        ))));
                    }
                }
                _ => {}
            }
            continue;
        }
        if let Some(h) = heading.as_mut() {
            match event {
                Event::End(TagEnd::Heading(_)) => {
                    if let Some(h) = heading.take() {
                        let id = ids.unique(
                            h.id.map(|i| i.to_string())
                                .unwrap_or_else(|| text::heading_id(&h.title)),
                        );
                        let lvl = h.level as u8;
                        if (2..=4).contains(&lvl) {
                            rendered.toc.push(TocEntry {
                                level: lvl,
                                id: id.clone(),
                                title: h.title.trim().to_string(),
                            });
                        }
                        rendered.heading_ids.push(id.clone());
                        out.push(Event::Start(Tag::Heading {
                            level: h.level,
                            id: Some(CowStr::from(id)),
                            classes: h.classes,
                            attrs: h.attrs,
                        }));
                        out.extend(h.inner);
                        out.push(Event::End(TagEnd::Heading(h.level)));
                    }
                }
                other => {
                    match &other {
                        Event::Text(t) | Event::Code(t) => {
                            h.title.push_str(t);
                            plain.push_str(t);
                        }
                        // A setext heading's line break is a space in its id and TOC entry.
                        Event::SoftBreak => {
                            h.title.push(' ');
                            plain.push(' ');
                        }
                        _ => {}
                    }
                    h.inner.push(other);
                }
            }
            continue;
        }
        match event {
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                heading = Some(PendingHeading {
                    level,
                    id,
                    classes,
                    attrs,
                    inner: Vec::new(),
                    title: String::new(),
                });
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(l) => l.to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                code = Some((lang, String::new()));
            }
            Event::Start(Tag::Paragraph) => {
                paragraph_start = Some(out.len());
                out.push(Event::Start(Tag::Paragraph));
            }
            Event::End(TagEnd::Paragraph) => {
                out.push(Event::End(TagEnd::Paragraph));
                if let (None, Some(start)) = (first_paragraph, paragraph_start.take()) {
                    first_paragraph = Some((start, out.len()));
                }
                plain.push('\n');
            }
            // `<foo@bar.example.com>` is a mailto: link, never a file of the site.
            Event::Start(
                tag @ Tag::Link {
                    link_type: LinkType::Email,
                    ..
                },
            ) => out.push(Event::Start(tag)),
            Event::Start(Tag::Link { ref dest_url, .. } | Tag::Image { ref dest_url, .. })
                if links::refused_scheme(dest_url).is_some() =>
            {
                let (line, col) = positions.of(range.start);
                rendered
                    .refused_urls
                    .push((at_line(line, col), dest_url.to_string()));
                // Inert: a link keeps its text without an href; an image shows its alt text.
                if matches!(event, Event::Start(Tag::Link { .. })) {
                    out.push(Event::InlineHtml(CowStr::from("<a>")));
                } else {
                    inert_images += 1;
                }
            }
            Event::End(TagEnd::Image) if inert_images > 0 => inert_images -= 1,
            Event::Start(mut tag @ (Tag::Link { .. } | Tag::Image { .. })) => {
                let (line, col) = positions.of(range.start);
                let is_image = matches!(tag, Tag::Image { .. });
                if let Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. } = &mut tag {
                    *dest_url = resolve_link(
                        dest_url,
                        input,
                        links,
                        at_line(line, col),
                        &mut rendered,
                        &mut errors,
                        is_image,
                    );
                }
                out.push(Event::Start(tag));
            }
            Event::Html(h) | Event::InlineHtml(h) if h.trim() == "<!-- more -->" => {
                more_at.get_or_insert(out.len());
            }
            Event::Text(t) => {
                plain.push_str(&t);
                out.push(Event::Text(t));
            }
            Event::Code(t) => {
                plain.push_str(&t);
                out.push(Event::Code(t));
            }
            other => out.push(other),
        }
    }

    rendered.word_count = text::word_count(&plain);
    let summary_events = match (more_at, first_paragraph) {
        (Some(end), _) => &out[..end],
        (None, Some((s, e))) => &out[s..e],
        (None, None) => &out[..0],
    };
    let mut summary = String::new();
    html::push_html(&mut summary, close_open_tags(summary_events).into_iter());
    let first_text: String = summary_events
        .iter()
        .filter_map(|e| match e {
            Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
            _ => None,
        })
        .collect();
    let desc_source = if first_text.trim().is_empty() {
        plain.as_str()
    } else {
        first_text.as_str()
    };
    rendered.description = text::cut_at_sentence(&desc_source.replace('\n', " "), SUMMARY_CHARS);
    rendered.summary = summary;
    // The whole body last, consuming the events: no copy of them.
    let mut html_out = String::with_capacity(src.len() + src.len() / 2);
    html::push_html(&mut html_out, out.into_iter());

    if !calls.is_empty() {
        html_out = fill_shortcodes(&html_out, &calls, codes, input, links, &mut rendered, &mut errors);
    }
    rendered.html = html_out;
    rendered.stamp = STAMP.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    if errors.is_empty() {
        Ok(rendered)
    } else {
        Err(errors)
    }
}

/// 0-based line and 1-based column of byte offsets, counted on from the last one asked for:
/// offsets come in order, so a long line with many links is not counted again for each.
struct Positions<'s> {
    src: &'s str,
    line_starts: Vec<usize>,
    at: usize,
    line: usize,
    col: usize,
}

impl<'s> Positions<'s> {
    fn new(src: &'s str) -> Self {
        let line_starts = std::iter::once(0)
            .chain(src.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Positions {
            src,
            line_starts,
            at: 0,
            line: 0,
            col: 1,
        }
    }

    fn of(&mut self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.src.len());
        let line = self
            .line_starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1);
        let count = |from: usize| self.src.get(from..offset).map_or(0, |t| t.chars().count());
        self.col = if line == self.line && offset >= self.at {
            self.col + count(self.at)
        } else {
            count(self.line_starts[line]) + 1
        };
        (self.at, self.line) = (offset, line);
        (line, self.col)
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
            let url = if links::refused_scheme(src).is_some() {
                rendered.refused_urls.push((at, src.clone()));
                String::new()
            } else {
                let src = CowStr::from(src.clone());
                resolve_link(&src, input, links, at, rendered, errors, true).to_string()
            };
            args.insert("src".into(), serde_json::Value::String(url));
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

/// The events of a summary, with tags left open by `<!-- more -->` inside a paragraph closed.
fn close_open_tags<'a>(events: &[Event<'a>]) -> Vec<Event<'a>> {
    let mut open: Vec<TagEnd> = Vec::new();
    for e in events {
        match e {
            Event::Start(t) => open.push(t.to_end()),
            Event::End(_) => {
                open.pop();
            }
            _ => {}
        }
    }
    let mut out = events.to_vec();
    out.extend(open.into_iter().rev().map(Event::End));
    out
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

/// Heading ids in use, and the next suffix to try for each base: linear in the headings,
/// however many share a title (`主要做法`, `主要做法-1`, …).
#[derive(Default)]
struct HeadingIds {
    taken: HashSet<String>,
    next_suffix: HashMap<String, usize>,
}

impl HeadingIds {
    fn unique(&mut self, base: String) -> String {
        let base = if base.is_empty() {
            "section".to_string()
        } else {
            base
        };
        if self.taken.insert(base.clone()) {
            return base;
        }
        let n = self.next_suffix.entry(base.clone()).or_insert(1);
        loop {
            let candidate = format!("{base}-{n}");
            *n += 1;
            if self.taken.insert(candidate.clone()) {
                return candidate;
            }
        }
    }
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
        assert_eq!(r.html, "<p>第一行第二行\nmixed\ntext 中文中文</p>\n");
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
            r.html,
            "<p><strong>一是抓实“三套方案”。</strong>通过征集党员意见</p>\n"
        );
    }
}
