//! Emphasis (`*`, `_`) and strikethrough (`~`) the way Chinese writers type them.
//!
//! CommonMark's flanking rules leave `**一是抓实“三套方案”。**通过…` as literal asterisks, or pair
//! the wrong runs once a paragraph has a second bold word. The CommonMark CJK-friendly
//! amendments fix the rules, but pulldown-cmark 0.13.6 (the latest release) does not carry
//! them. So in every leaf block (paragraph, heading, table cell) that has a delimiter run,
//! this pass undoes pulldown-cmark's emphasis and strikethrough and matches every run again
//! with CommonMark's "process emphasis" algorithm and the amended flanking rules
//! (`flanking.rs`), judged on the source characters. Links, code spans, autolinks and raw HTML
//! do not depend on emphasis, so pulldown-cmark's reading of them is kept as it is.

use std::ops::Range;

use pulldown_cmark::{CowStr, Event, LinkType, Tag, TagEnd};

use super::flanking::can_open_close;

/// One piece of a leaf block's inline content.
enum Item<'a> {
    /// Source bytes `start..end`, rendered as written (so its delimiter runs are real).
    Literal { start: usize, end: usize },
    /// Any other event: escaped or entity text, code, links, breaks.
    Other(Event<'a>, Range<usize>),
}

struct Delim {
    item: usize,
    /// Source offset of the run.
    start: usize,
    len: usize,
    marker: u8,
    remaining: usize,
    can_open: bool,
    can_close: bool,
    /// Characters used by each emphasis this run opens / closes, in the order matched.
    opens: Vec<usize>,
    closes: Vec<usize>,
}

/// Rewrites `events` (with their source ranges) so that emphasis follows the amended rules.
pub fn apply<'a>(
    events: Vec<(Event<'a>, Range<usize>)>,
    src: &'a str,
) -> Vec<(Event<'a>, Range<usize>)> {
    if !events.iter().any(|(e, r)| needs_pass(e, r, src)) {
        return events;
    }
    let mut out = Vec::with_capacity(events.len() + 8);
    // A run of inline events between two block events (a paragraph's text, a tight list
    // item's text before its sub-list, a table cell…): emphasis never crosses a block.
    let mut run: Vec<(Event<'a>, Range<usize>)> = Vec::new();
    let mut in_code = false;
    for (event, range) in events {
        match &event {
            Event::Start(Tag::CodeBlock(_)) => in_code = true,
            Event::End(TagEnd::CodeBlock) => in_code = false,
            _ => {}
        }
        if is_inline(&event) && !in_code {
            run.push((event, range));
        } else {
            flush(&mut run, &mut out, src);
            out.push((event, range));
        }
    }
    flush(&mut run, &mut out, src);
    out
}

fn is_inline(e: &Event) -> bool {
    match e {
        Event::Start(t) => matches!(
            t,
            Tag::Emphasis
                | Tag::Strong
                | Tag::Strikethrough
                | Tag::Link { .. }
                | Tag::Image { .. }
                | Tag::Superscript
                | Tag::Subscript
        ),
        Event::End(t) => matches!(
            t,
            TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough
                | TagEnd::Link
                | TagEnd::Image
                | TagEnd::Superscript
                | TagEnd::Subscript
        ),
        Event::Text(_)
        | Event::Code(_)
        | Event::InlineHtml(_)
        | Event::InlineMath(_)
        | Event::SoftBreak
        | Event::HardBreak
        | Event::FootnoteReference(_) => true,
        _ => false,
    }
}

fn is_delim_byte(b: u8) -> bool {
    matches!(b, b'*' | b'_' | b'~')
}

/// Emphasis from pulldown-cmark, or literal text with a delimiter character in it.
fn needs_pass(e: &Event, r: &Range<usize>, src: &str) -> bool {
    match e {
        Event::Start(Tag::Emphasis | Tag::Strong | Tag::Strikethrough) => true,
        // The byte scan first: most text has no delimiter and is never compared with the source.
        Event::Text(t) => {
            t.bytes().any(is_delim_byte)
                && src.get(r.clone()) == Some(t.as_ref())
                && t.as_bytes()[escaped_len(t, r, src)..]
                    .iter()
                    .any(|&b| is_delim_byte(b))
        }
        _ => false,
    }
}

/// The length of `text`'s first character if a backslash before it escapes it (pulldown-cmark
/// starts a text event with the escaped character and goes on with literal text: `\*b__a`).
fn escaped_len(text: &str, r: &Range<usize>, src: &str) -> usize {
    let slashes = src.as_bytes()[..r.start]
        .iter()
        .rev()
        .take_while(|&&b| b == b'\\')
        .count();
    if slashes % 2 == 1 {
        text.chars().next().map_or(0, char::len_utf8)
    } else {
        0
    }
}

fn flush<'a>(
    block: &mut Vec<(Event<'a>, Range<usize>)>,
    out: &mut Vec<(Event<'a>, Range<usize>)>,
    src: &'a str,
) {
    if block.is_empty() {
        return;
    }
    let events = std::mem::take(block);
    if !events.iter().any(|(e, r)| needs_pass(e, r, src)) {
        out.extend(events);
        return;
    }
    // Pulldown-cmark's events are kept whenever the source does not read back as expected.
    let Some(literals) = literal_ranges(&events, src) else {
        out.extend(events);
        return;
    };
    let items = items_of(events, literals, src);
    let mut delims = delimiter_runs(&items, src);
    for group in groups(&items, &delims) {
        process_emphasis(&mut delims, &group);
    }
    emit(items, &delims, src, out);
}

/// How many source characters an emphasis event stands for, and which.
fn delimiter_of(tag: &Tag, src: &str, at: usize) -> Option<(u8, usize)> {
    let b = *src.as_bytes().get(at)?;
    let n = match tag {
        Tag::Emphasis => 1,
        Tag::Strong => 2,
        Tag::Strikethrough => src.as_bytes()[at..]
            .iter()
            .take_while(|&&c| c == b'~')
            .count(),
        _ => return None,
    };
    is_delim_byte(b).then_some((b, n))
}

fn runs_of(src: &str, start: usize, marker: u8, n: usize) -> bool {
    src.as_bytes()
        .get(start..start + n)
        .is_some_and(|s| s.iter().all(|&b| b == marker))
}

/// For each event, the source bytes it stands for if it is literal text or an emphasis
/// delimiter (emphasis undone back into its `*`, `_` or `~`), or `None` if an emphasis event's
/// delimiters are not where the source has them.
fn literal_ranges(
    events: &[(Event, Range<usize>)],
    src: &str,
) -> Option<Vec<Option<Range<usize>>>> {
    let mut open: Vec<(u8, usize)> = Vec::new();
    let mut ranges = Vec::with_capacity(events.len());
    // An autolink's text (`<https://e.com/*a*>`) is the URL as written, never emphasis.
    let mut in_autolink = false;
    for (event, range) in events {
        match event {
            Event::Start(Tag::Link {
                link_type: LinkType::Autolink | LinkType::Email,
                ..
            }) => in_autolink = true,
            Event::End(TagEnd::Link) => in_autolink = false,
            _ => {}
        }
        let literal = match event {
            Event::Text(t) if !in_autolink && src.get(range.clone()) == Some(t.as_ref()) => {
                Some((range.start + escaped_len(t, range, src))..range.end)
            }
            Event::Start(tag @ (Tag::Emphasis | Tag::Strong | Tag::Strikethrough)) => {
                let (marker, n) = delimiter_of(tag, src, range.start)?;
                open.push((marker, n));
                Some(range.start..range.start + n)
            }
            Event::End(TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough) => {
                let (marker, n) = open.pop()?;
                // The end's range may run into trailing whitespace (a heading's tab).
                let end = if runs_of(src, range.end.checked_sub(n)?, marker, n) {
                    range.end
                } else {
                    src.get(..range.end)?.trim_end().len().max(range.start)
                };
                let start = end.checked_sub(n)?;
                if !runs_of(src, start, marker, n) {
                    return None;
                }
                Some(start..end)
            }
            _ => None,
        };
        ranges.push(literal);
    }
    open.is_empty().then_some(ranges)
}

/// The block as merged literal source ranges and the other events.
fn items_of<'a>(
    events: Vec<(Event<'a>, Range<usize>)>,
    literals: Vec<Option<Range<usize>>>,
    src: &'a str,
) -> Vec<Item<'a>> {
    let mut items: Vec<Item<'a>> = Vec::with_capacity(events.len());
    for ((event, range), literal) in events.into_iter().zip(literals) {
        let Some(lit) = literal else {
            items.push(Item::Other(event, range));
            continue;
        };
        // An escaped first character stays text of its own; the rest is literal.
        if matches!(event, Event::Text(_)) && lit.start > range.start {
            let escaped = range.start..lit.start;
            let text = Event::Text(CowStr::Borrowed(&src[escaped.clone()]));
            items.push(Item::Other(text, escaped));
            if lit.is_empty() {
                continue;
            }
        }
        if let Some(Item::Literal { end, .. }) = items.last_mut() {
            if *end == lit.start {
                *end = lit.end;
                continue;
            }
        }
        items.push(Item::Literal {
            start: lit.start,
            end: lit.end,
        });
    }
    items
}

fn is_line_break(item: Option<&Item>) -> bool {
    matches!(
        item,
        None | Some(Item::Other(Event::SoftBreak | Event::HardBreak, _))
    )
}

/// Every delimiter run in the literal items, with the amended flanking rules applied.
fn delimiter_runs(items: &[Item], src: &str) -> Vec<Delim> {
    let bytes = src.as_bytes();
    let mut delims = Vec::new();
    for (idx, item) in items.iter().enumerate() {
        let Item::Literal { start, end } = *item else {
            continue;
        };
        let mut i = start;
        while i < end {
            let marker = bytes[i];
            if !is_delim_byte(marker) {
                i += 1;
                continue;
            }
            let run_start = i;
            while i < end && bytes[i] == marker {
                i += 1;
            }
            let len = i - run_start;
            // GFM strikethrough is `~` or `~~`; longer runs are text.
            if marker == b'~' && len > 2 {
                continue;
            }
            // A line starts (and so counts as whitespace) after a break or at the block's start.
            let before =
                if run_start == start && is_line_break(idx.checked_sub(1).map(|p| &items[p])) {
                    (None, None)
                } else {
                    let mut back = src[..run_start].chars().rev();
                    (back.next(), back.next())
                };
            let after = if i == end
                && matches!(
                    items.get(idx + 1),
                    None | Some(Item::Other(Event::SoftBreak, _))
                ) {
                None
            } else {
                src[i..].chars().next()
            };
            let (can_open, can_close) = can_open_close(marker, before, after);
            delims.push(Delim {
                item: idx,
                start: run_start,
                len,
                marker,
                remaining: len,
                can_open,
                can_close,
                opens: Vec::new(),
                closes: Vec::new(),
            });
        }
    }
    delims
}

/// Delimiter indices by link text: runs inside a link's text pair only with each other.
fn groups(items: &[Item], delims: &[Delim]) -> Vec<Vec<usize>> {
    let is_link = |i: &Item| {
        matches!(
            i,
            Item::Other(Event::Start(Tag::Link { .. } | Tag::Image { .. }), _)
        )
    };
    if !items.iter().any(is_link) {
        return vec![(0..delims.len()).collect()];
    }
    let mut group_of_item = vec![0usize; items.len()];
    let mut stack = vec![0usize];
    let mut next = 1;
    for (idx, item) in items.iter().enumerate() {
        match item {
            Item::Other(Event::Start(Tag::Link { .. } | Tag::Image { .. }), _) => {
                stack.push(next);
                next += 1;
            }
            Item::Other(Event::End(TagEnd::Link | TagEnd::Image), _) if stack.len() > 1 => {
                stack.pop();
            }
            _ => {}
        }
        group_of_item[idx] = *stack.last().unwrap_or(&0);
    }
    let mut groups = vec![Vec::new(); next];
    for (i, d) in delims.iter().enumerate() {
        groups[group_of_item[d.item]].push(i);
    }
    groups
}

fn marker_index(marker: u8) -> usize {
    match marker {
        b'*' => 0,
        b'_' => 1,
        _ => 2,
    }
}

/// Whether opener `o` may close with closer `c` (same marker assumed).
fn fits(o: &Delim, c: &Delim) -> bool {
    if c.marker == b'~' {
        return o.len == c.len;
    }
    // The rule of three: a run that can both open and close pairs only with a run whose
    // length sum is not a multiple of 3, unless both lengths are.
    !((o.can_close || c.can_open)
        && (o.len + c.len).is_multiple_of(3)
        && !(o.len.is_multiple_of(3) && c.len.is_multiple_of(3)))
}

/// CommonMark's "process emphasis" over one group. Potential openers are kept on one stack per
/// marker, and openers_bottom is kept per marker, closer-can-open and length mod 3, so the
/// work stays linear however many runs never pair.
fn process_emphasis(delims: &mut [Delim], group: &[usize]) {
    let mut stacks: [Vec<usize>; 3] = Default::default();
    let mut bottom = [0usize; 18];
    for (pos, &ci) in group.iter().enumerate() {
        let m = marker_index(delims[ci].marker);
        while delims[ci].can_close && delims[ci].remaining > 0 {
            let c = &delims[ci];
            let k = m * 6 + usize::from(c.can_open) * 3 + c.len % 3;
            let found = stacks[m]
                .iter()
                .rev()
                .take_while(|&&p| p >= bottom[k])
                .find(|&&p| fits(&delims[group[p]], c))
                .copied();
            let Some(p) = found else {
                bottom[k] = pos;
                break;
            };
            // Runs between the opener and the closer can no longer pair with anything.
            for s in stacks.iter_mut() {
                while s.last().is_some_and(|&q| q > p) {
                    s.pop();
                }
            }
            let oi = group[p];
            let used = if c.marker == b'~' {
                c.len
            } else if delims[oi].remaining >= 2 && c.remaining >= 2 {
                2
            } else {
                1
            };
            delims[oi].remaining -= used;
            delims[ci].remaining -= used;
            delims[oi].opens.push(used);
            delims[ci].closes.push(used);
            if delims[oi].remaining == 0 {
                stacks[m].pop();
            }
        }
        if delims[ci].can_open && delims[ci].remaining > 0 {
            stacks[m].push(pos);
        }
    }
}

fn tag_for(marker: u8, used: usize) -> (Tag<'static>, TagEnd) {
    match (marker, used) {
        (b'~', _) => (Tag::Strikethrough, TagEnd::Strikethrough),
        (_, 2) => (Tag::Strong, TagEnd::Strong),
        _ => (Tag::Emphasis, TagEnd::Emphasis),
    }
}

fn emit<'a>(
    items: Vec<Item<'a>>,
    delims: &[Delim],
    src: &'a str,
    out: &mut Vec<(Event<'a>, Range<usize>)>,
) {
    let mut d = 0;
    for (idx, item) in items.into_iter().enumerate() {
        let (start, end) = match item {
            Item::Other(event, range) => {
                out.push((event, range));
                continue;
            }
            Item::Literal { start, end } => (start, end),
        };
        let range = start..end;
        let mut text_from = start;
        let text = |from: usize, to: usize, out: &mut Vec<(Event<'a>, Range<usize>)>| {
            if to > from {
                out.push((Event::Text(CowStr::Borrowed(&src[from..to])), range.clone()));
            }
        };
        while d < delims.len() && delims[d].item == idx {
            let run = &delims[d];
            text(text_from, run.start, out);
            // A closer uses its left characters, an opener its right ones.
            for &used in &run.closes {
                out.push((Event::End(tag_for(run.marker, used).1), range.clone()));
            }
            let used_close: usize = run.closes.iter().sum();
            let used_open: usize = run.opens.iter().sum();
            text(run.start + used_close, run.start + run.len - used_open, out);
            for &used in run.opens.iter().rev() {
                out.push((Event::Start(tag_for(run.marker, used).0), range.clone()));
            }
            text_from = run.start + run.len;
            d += 1;
        }
        text(text_from, end, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pulldown_cmark::{html, Options, Parser};

    fn render(src: &str) -> String {
        let events: Vec<_> = Parser::new_ext(src, Options::ENABLE_STRIKETHROUGH)
            .into_offset_iter()
            .collect();
        let events = apply(events, src);
        let mut s = String::new();
        html::push_html(&mut s, events.into_iter().map(|(e, _)| e));
        s
    }

    #[test]
    fn chinese_bold_leads() {
        assert_eq!(
            render("**一是抓实“三套方案”。**通过征集党员意见"),
            "<p><strong>一是抓实“三套方案”。</strong>通过征集党员意见</p>\n"
        );
        assert_eq!(
            render("**“三家”**工作法"),
            "<p><strong>“三家”</strong>工作法</p>\n"
        );
    }

    #[test]
    fn several_bold_runs_in_one_paragraph() {
        for (src, want) in [
            (
                "**一是抓实。**通过征集**党员**意见",
                "<p><strong>一是抓实。</strong>通过征集<strong>党员</strong>意见</p>\n",
            ),
            (
                "**重要！**请**务必**阅读",
                "<p><strong>重要！</strong>请<strong>务必</strong>阅读</p>\n",
            ),
            (
                "**二是强化。**群众**满意度**提升。",
                "<p><strong>二是强化。</strong>群众<strong>满意度</strong>提升。</p>\n",
            ),
        ] {
            assert_eq!(render(src), want, "{src}");
        }
    }

    #[test]
    fn latin_emphasis_is_commonmark() {
        for src in [
            "a **b** c",
            "*a* and **b** and ***c***",
            "foo*bar*",
            "a * b * c",
            "**foo \"*bar*\" foo**",
            "*a [b*](u) c*",
            "*caf&eacute;*s",
            "*\\\nfoo**",
            "__a__ _b_ snake_case_name",
            "~~a~~ ~b~ ~~~c~~~",
            "\\\\*a*",
            "<https://e.com/*a*> *b*",
            "<a*b*@e.com>",
            "\\*b__a__ a\\*b",
        ] {
            let mut plain = String::new();
            html::push_html(
                &mut plain,
                Parser::new_ext(src, Options::ENABLE_STRIKETHROUGH),
            );
            assert_eq!(render(src), plain, "{src}");
        }
    }

    #[test]
    fn code_and_escapes_are_untouched() {
        assert_eq!(
            render("`**“三家”**工作法` 与 \\*“x”\\*"),
            "<p><code>**“三家”**工作法</code> 与 *“x”*</p>\n"
        );
        assert_eq!(
            render("```\n**“三家”**工作法\n```\n"),
            "<pre><code>**“三家”**工作法\n</code></pre>\n"
        );
    }

    #[test]
    fn undone_emphasis_keeps_its_end() {
        // The closing range of this emphasis ends in the heading's trailing tab.
        let html = render("# ***_*\t\n");
        assert_eq!(
            html.matches("<em>").count(),
            html.matches("</em>").count(),
            "{html}"
        );
    }

    #[test]
    fn bold_around_link_text() {
        assert_eq!(
            render("**见[“三家”](a.md)。**详情"),
            "<p><strong>见<a href=\"a.md\">“三家”</a>。</strong>详情</p>\n"
        );
    }

    #[test]
    fn underscore_and_strikethrough_next_to_cjk() {
        assert_eq!(
            render("__注意__：注意事项"),
            "<p><strong>注意</strong>：注意事项</p>\n"
        );
        assert_eq!(render("a~~a()~~あ"), "<p>a<del>a()</del>あ</p>\n");
        assert_eq!(render("「~~a」~~a"), "<p>「<del>a」</del>a</p>\n");
        // A variation selector defers to the escaped `*` before it, which is punctuation.
        assert_eq!(
            render("\\*\u{fe01}__a__"),
            "<p>*\u{fe01}<strong>a</strong></p>\n"
        );
    }
}
