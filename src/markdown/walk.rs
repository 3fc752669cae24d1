//! The walk over a body's events: headings get their ids and TOC entries, code blocks their
//! highlighting, links their URLs, and the summary, description and word count are gathered
//! on the way.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use pulldown_cmark::{html, CodeBlockKind, CowStr, Event, HeadingLevel, LinkType, Tag, TagEnd};

use super::{highlight, images, links, resolve_link, Input, Links, Rendered, TocEntry};
use crate::error::{Error, Location};
use crate::text;

const SUMMARY_CHARS: usize = 120;

/// A heading being collected: its id is known only once its text is.
struct PendingHeading<'a> {
    level: HeadingLevel,
    id: Option<CowStr<'a>>,
    classes: Vec<CowStr<'a>>,
    attrs: Vec<(CowStr<'a>, Option<CowStr<'a>>)>,
    inner: Vec<Event<'a>>,
    title: String,
}

impl<'a> PendingHeading<'a> {
    fn push(&mut self, event: Event<'a>, plain: &mut String) {
        match &event {
            Event::Text(t) | Event::Code(t) => {
                self.title.push_str(t);
                plain.push_str(t);
            }
            // A setext heading's line break is a space in its id and TOC entry.
            Event::SoftBreak => {
                self.title.push(' ');
                plain.push(' ');
            }
            _ => {}
        }
        self.inner.push(event);
    }

    fn finish(self, ids: &mut HeadingIds, rendered: &mut Rendered, out: &mut Vec<Event<'a>>) {
        let base = self
            .id
            .map(|i| i.to_string())
            .unwrap_or_else(|| text::heading_id(&self.title));
        let id = ids.unique(base);
        let level = self.level as u8;
        if (2..=4).contains(&level) {
            rendered.toc.push(TocEntry {
                level,
                id: id.clone(),
                title: self.title.trim().to_string(),
            });
        }
        rendered.heading_ids.push(id.clone());
        out.push(Event::Start(Tag::Heading {
            level: self.level,
            id: Some(CowStr::from(id)),
            classes: self.classes,
            attrs: self.attrs,
        }));
        out.extend(self.inner);
        out.push(Event::End(TagEnd::Heading(self.level)));
    }
}

/// State of the walk; `event` takes the events in order, `finish` hands back the result.
pub(super) struct Walk<'a, 'i> {
    input: &'i Input<'i>,
    links: &'i dyn Links,
    positions: Positions<'i>,
    out: Vec<Event<'a>>,
    rendered: Rendered,
    errors: Vec<Error>,
    plain: String,
    more_at: Option<usize>,
    first_paragraph: Option<(usize, usize)>,
    paragraph_start: Option<usize>,
    heading: Option<PendingHeading<'a>>,
    code: Option<(String, String)>,
    ids: HeadingIds,
    inert_images: usize,
    /// A re-encoded photo whose alt text is being collected, and its title.
    picture: Option<(crate::images::Srcset, String, String)>,
    pictures: usize,
}

impl<'a, 'i> Walk<'a, 'i> {
    pub(super) fn new(input: &'i Input<'i>, links: &'i dyn Links, src: &'i str, n: usize) -> Self {
        Walk {
            input,
            links,
            positions: Positions::new(src),
            out: Vec::with_capacity(n),
            rendered: Rendered::default(),
            errors: Vec::new(),
            plain: String::new(),
            more_at: None,
            first_paragraph: None,
            paragraph_start: None,
            heading: None,
            code: None,
            ids: HeadingIds::default(),
            inert_images: 0,
            picture: None,
            pictures: 0,
        }
    }

    fn at(&mut self, offset: usize) -> Location {
        let (line, col) = self.positions.of(offset);
        Location::new(self.input.file, self.input.first_line + line, col)
    }

    pub(super) fn event(&mut self, event: Event<'a>, range: Range<usize>) {
        if let Some((_, body)) = self.code.as_mut() {
            match event {
                Event::Text(t) => body.push_str(&t),
                Event::End(TagEnd::CodeBlock) => {
                    if let Some((lang, body)) = self.code.take() {
                        self.rendered.has_code = true;
                        let html = highlight::code_block(&lang, &body);
                        self.out.push(Event::Html(CowStr::from(html)));
                    }
                }
                _ => {}
            }
            return;
        }
        if let Some(h) = self.heading.as_mut() {
            if let Event::End(TagEnd::Heading(_)) = event {
                if let Some(h) = self.heading.take() {
                    h.finish(&mut self.ids, &mut self.rendered, &mut self.out);
                }
            } else {
                h.push(event, &mut self.plain);
            }
            return;
        }
        if let Some((_, alt, _)) = self.picture.as_mut() {
            match event {
                Event::Text(t) | Event::Code(t) => {
                    alt.push_str(&t);
                    self.plain.push_str(&t);
                }
                Event::SoftBreak | Event::HardBreak => alt.push(' '),
                Event::End(TagEnd::Image) => {
                    if let Some((s, alt, title)) = self.picture.take() {
                        let lazy = self.pictures > 0;
                        self.pictures += 1;
                        let html = images::picture(
                            &s,
                            crate::images::CONTENT_SIZES,
                            &alt,
                            Some(&title),
                            lazy,
                        );
                        self.out.push(Event::InlineHtml(CowStr::from(html)));
                    }
                }
                _ => {}
            }
            return;
        }
        match event {
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                self.heading = Some(PendingHeading {
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
                self.code = Some((lang, String::new()));
            }
            Event::Start(Tag::Paragraph) => {
                self.paragraph_start = Some(self.out.len());
                self.out.push(Event::Start(Tag::Paragraph));
            }
            Event::End(TagEnd::Paragraph) => {
                self.out.push(Event::End(TagEnd::Paragraph));
                if let (None, Some(start)) = (self.first_paragraph, self.paragraph_start.take()) {
                    self.first_paragraph = Some((start, self.out.len()));
                }
                self.plain.push('\n');
            }
            Event::Start(tag @ (Tag::Link { .. } | Tag::Image { .. })) => self.link(tag, range),
            Event::End(TagEnd::Image) if self.inert_images > 0 => self.inert_images -= 1,
            Event::Html(h) | Event::InlineHtml(h) if h.trim() == "<!-- more -->" => {
                self.more_at.get_or_insert(self.out.len());
            }
            // pulldown-cmark reads a `\` ending the last line of a link's text as text; it is a
            // hard line break (CommonMark 6.7).
            Event::Text(t)
                if &*t == "\\" && self.positions.src.get(range.clone()) == Some("\\\n") =>
            {
                self.plain.push(' ');
                self.out.push(Event::HardBreak);
            }
            Event::Text(t) => {
                // Only a character reference makes text the source did not have.
                let from_reference = self
                    .positions
                    .src
                    .get(range)
                    .is_some_and(|s| s.starts_with('&'));
                let t = if from_reference {
                    without_controls(t)
                } else {
                    t
                };
                self.plain.push_str(&t);
                self.out.push(Event::Text(t));
            }
            Event::Code(t) => {
                self.plain.push_str(&t);
                self.out.push(Event::Code(t));
            }
            // Words on two lines stay two words in the description and the word count.
            Event::SoftBreak | Event::HardBreak => {
                self.plain.push(' ');
                self.out.push(event);
            }
            other => self.out.push(other),
        }
    }

    fn link(&mut self, mut tag: Tag<'a>, range: Range<usize>) {
        // `<foo@bar.example.com>` is a mailto: link, never a file of the site.
        if matches!(
            tag,
            Tag::Link {
                link_type: LinkType::Email,
                ..
            }
        ) {
            self.out.push(Event::Start(tag));
            return;
        }
        let is_image = matches!(tag, Tag::Image { .. });
        let (Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) = &mut tag else {
            return;
        };
        if links::refused_scheme(dest_url).is_some() {
            let url = dest_url.to_string();
            let at = self.at(range.start);
            self.rendered.refused_urls.push((at, url));
            // Inert: a link keeps its text without an href; an image shows its alt text.
            if is_image {
                self.inert_images += 1;
            } else {
                self.out.push(Event::InlineHtml(CowStr::from("<a>")));
            }
            return;
        }
        let at = self.at(range.start);
        *dest_url = resolve_link(
            dest_url,
            self.input,
            self.links,
            at,
            &mut self.rendered,
            &mut self.errors,
            is_image,
        );
        if let Tag::Image {
            dest_url, title, ..
        } = &tag
        {
            match self.links.image(dest_url) {
                Some(Ok(s)) => {
                    let at = self.at(range.start);
                    self.rendered.images.push((s.path.clone(), at));
                    self.picture = Some((s, String::new(), title.to_string()));
                    return;
                }
                Some(Err(problem)) => {
                    let at = self.at(range.start);
                    self.errors.push(Error::BadImage {
                        at,
                        image: raw_dest(&self.positions.src[range.clone()]),
                        problem,
                    });
                }
                None => {}
            }
        }
        self.out.push(Event::Start(tag));
    }

    /// The rendered parts (all but the body HTML), the body's events, and the errors.
    pub(super) fn finish(mut self) -> (Rendered, Vec<Event<'a>>, Vec<Error>) {
        let out = self.out;
        self.rendered.word_count = text::word_count(&self.plain);
        let summary_events = match (self.more_at, self.first_paragraph) {
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
            self.plain.as_str()
        } else {
            first_text.as_str()
        };
        self.rendered.description =
            text::cut_at_sentence(&desc_source.replace('\n', " "), SUMMARY_CHARS);
        self.rendered.summary = summary;
        (self.rendered, out, self.errors)
    }
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

/// Text without control characters: the source was cleaned when read, but a character
/// reference (`&#1;`, `&#x1b;`) decodes to one here. Code spans do not decode references.
fn without_controls(t: CowStr<'_>) -> CowStr<'_> {
    if t.chars().any(crate::fs::is_stray_control) {
        CowStr::from(
            t.chars()
                .filter(|&c| !crate::fs::is_stray_control(c))
                .collect::<String>(),
        )
    } else {
        t
    }
}

/// The destination as written in `![alt](dest "title")`, for a message.
fn raw_dest(src: &str) -> String {
    src.rsplit_once("](")
        .map(|(_, d)| d.trim_end_matches(')'))
        .map(|d| d.split_whitespace().next().unwrap_or(d))
        .unwrap_or(src)
        .trim_matches(['<', '>'])
        .to_string()
}
