//! Emphasis the way Chinese writers type it.
//!
//! CommonMark's flanking rules leave `**一是抓实“三套方案”。**通过…` and `**“三家”**工作法` as
//! literal asterisks, because the closing `**` sits between punctuation and a letter.
//! The CommonMark CJK-friendly amendments (tats-u/markdown-cjk-friendly) fix the rules, but
//! pulldown-cmark 0.13.6 does not carry them. So for every leaf block (paragraph, heading,
//! table cell) where pulldown-cmark left a literal `*`, this pass undoes its `*` emphasis and
//! runs CommonMark's "process emphasis" algorithm again with the amended flanking rules.
//! Blocks without a stray `*` (the vast majority) pass through untouched. Code spans, code
//! blocks and escaped `\*` are never touched; `_` emphasis keeps CommonMark's rules.

use std::ops::Range;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

use crate::text::{is_cjk, is_punctuation, is_whitespace};

/// One piece of a leaf block's inline content.
enum Item<'a> {
    /// Text exactly as in the source, so its `*` are real delimiters.
    Literal(String),
    /// Any other event: escaped or entity text, code, links, breaks. `edge` is the character
    /// it shows to a neighbouring delimiter (what stands in the source there).
    Other {
        event: Event<'a>,
        first: char,
        last: char,
    },
}

struct Delim {
    item: usize,
    /// Byte offset of the run in its literal text.
    start: usize,
    len: usize,
    remaining: usize,
    can_open: bool,
    can_close: bool,
    group: usize,
    active: bool,
    /// Emphasis opened by this run, in the order matched (innermost first).
    opens: Vec<bool>,
    /// Emphasis closed by this run, in the order matched (innermost first). `true` = strong.
    closes: Vec<bool>,
}

/// Rewrites `events` (with their source ranges) so that `*` emphasis follows the amended rules.
pub fn apply<'a>(
    events: Vec<(Event<'a>, Range<usize>)>,
    src: &str,
) -> Vec<(Event<'a>, Range<usize>)> {
    if !events.iter().any(|(e, r)| is_stray_star(e, r, src)) {
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

fn is_stray_star(e: &Event, r: &Range<usize>, src: &str) -> bool {
    matches!(e, Event::Text(t) if t.contains('*') && is_literal(t, r, src))
}

/// Text exactly as written: not produced by an escape (`\*`) or an entity.
fn is_literal(text: &str, r: &Range<usize>, src: &str) -> bool {
    src.get(r.clone()) == Some(text) && !(r.start > 0 && src.as_bytes()[r.start - 1] == b'\\')
}

fn flush<'a>(
    block: &mut Vec<(Event<'a>, Range<usize>)>,
    out: &mut Vec<(Event<'a>, Range<usize>)>,
    src: &str,
) {
    if block.is_empty() {
        return;
    }
    let events = std::mem::take(block);
    if !events.iter().any(|(e, r)| is_stray_star(e, r, src)) {
        out.extend(events);
        return;
    }
    let whole = events.first().map_or(0..0, |(_, r)| {
        r.start..events.last().map_or(r.end, |(_, l)| l.end)
    });
    for e in rematch(events, src) {
        out.push((e, whole.clone()));
    }
}

/// Undo pulldown-cmark's `*` emphasis in one block, then match all `*` runs again.
fn rematch<'a>(events: Vec<(Event<'a>, Range<usize>)>, src: &str) -> Vec<Event<'a>> {
    let star_at = |r: &Range<usize>| src.as_bytes().get(r.start) == Some(&b'*');
    // 1. Items: literal text (merged), `*` emphasis turned back into asterisks, the rest opaque.
    let mut items: Vec<Item<'a>> = Vec::new();
    let push_literal = |items: &mut Vec<Item<'a>>, s: &str| {
        if let Some(Item::Literal(t)) = items.last_mut() {
            t.push_str(s);
        } else {
            items.push(Item::Literal(s.to_string()));
        }
    };
    // Whether each open Strong/Emphasis came from `*` (and so is undone, with its end).
    let mut undone: Vec<bool> = Vec::new();
    for (event, range) in events {
        match &event {
            Event::Text(t) if is_literal(t, &range, src) => push_literal(&mut items, t),
            Event::Start(Tag::Strong | Tag::Emphasis) if star_at(&range) => {
                undone.push(true);
                push_literal(
                    &mut items,
                    if matches!(event, Event::Start(Tag::Strong)) {
                        "**"
                    } else {
                        "*"
                    },
                );
            }
            Event::End(TagEnd::Strong | TagEnd::Emphasis) if undone.last() == Some(&true) => {
                undone.pop();
                push_literal(
                    &mut items,
                    if matches!(event, Event::End(TagEnd::Strong)) {
                        "**"
                    } else {
                        "*"
                    },
                );
            }
            _ => {
                match &event {
                    Event::Start(Tag::Strong | Tag::Emphasis) => undone.push(false),
                    Event::End(TagEnd::Strong | TagEnd::Emphasis) => {
                        undone.pop();
                    }
                    _ => {}
                }
                let (first, last) = edges(&event);
                items.push(Item::Other { event, first, last });
            }
        }
    }
    // 2. Delimiter runs with amended flanking; groups keep link text apart from its surroundings.
    let mut delims: Vec<Delim> = Vec::new();
    let mut group_stack = vec![0usize];
    let mut next_group = 1;
    for idx in 0..items.len() {
        match &items[idx] {
            Item::Other {
                event: Event::Start(t),
                ..
            } if opens_group(t) => {
                group_stack.push(next_group);
                next_group += 1;
            }
            Item::Other {
                event: Event::End(t),
                ..
            } if closes_group(t) && group_stack.len() > 1 => {
                group_stack.pop();
            }
            Item::Literal(text) => {
                let group = *group_stack.last().unwrap_or(&0);
                let bytes = text.as_bytes();
                let mut i = 0;
                while i < bytes.len() {
                    if bytes[i] != b'*' {
                        i += 1;
                        continue;
                    }
                    let start = i;
                    while i < bytes.len() && bytes[i] == b'*' {
                        i += 1;
                    }
                    let before = text[..start]
                        .chars()
                        .next_back()
                        .unwrap_or_else(|| edge_before(&items, idx));
                    let after = text[i..]
                        .chars()
                        .next()
                        .unwrap_or_else(|| edge_after(&items, idx));
                    let (left, right) = flanking(before, after);
                    delims.push(Delim {
                        item: idx,
                        start,
                        len: i - start,
                        remaining: i - start,
                        can_open: left,
                        can_close: right,
                        group,
                        active: true,
                        opens: Vec::new(),
                        closes: Vec::new(),
                    });
                }
            }
            _ => {}
        }
    }
    process_emphasis(&mut delims);
    emit(items, &delims)
}

fn opens_group(t: &Tag) -> bool {
    matches!(
        t,
        Tag::Link { .. } | Tag::Image { .. } | Tag::Strikethrough | Tag::Emphasis | Tag::Strong
    )
}
fn closes_group(t: &TagEnd) -> bool {
    matches!(
        t,
        TagEnd::Link | TagEnd::Image | TagEnd::Strikethrough | TagEnd::Emphasis | TagEnd::Strong
    )
}

/// What an opaque event looks like to a neighbouring delimiter, as in the source.
fn edges(e: &Event) -> (char, char) {
    match e {
        Event::Text(t) => (
            t.chars().next().unwrap_or(' '),
            t.chars().next_back().unwrap_or(' '),
        ),
        Event::Code(_) => ('`', '`'),
        Event::InlineHtml(_) | Event::Html(_) => ('<', '>'),
        Event::SoftBreak | Event::HardBreak => ('\n', '\n'),
        Event::FootnoteReference(_) => ('[', ']'),
        Event::Start(Tag::Link { .. }) | Event::Start(Tag::Image { .. }) => ('[', '['),
        Event::End(TagEnd::Link) | Event::End(TagEnd::Image) => (')', ')'),
        Event::Start(Tag::Strikethrough) | Event::End(TagEnd::Strikethrough) => ('~', '~'),
        Event::Start(_) | Event::End(_) => ('_', '_'),
        _ => ('a', 'a'),
    }
}

fn edge_before(items: &[Item], idx: usize) -> char {
    match idx.checked_sub(1).and_then(|i| items.get(i)) {
        Some(Item::Other { last, .. }) => *last,
        Some(Item::Literal(t)) => t.chars().next_back().unwrap_or(' '),
        None => ' ',
    }
}

fn edge_after(items: &[Item], idx: usize) -> char {
    match items.get(idx + 1) {
        Some(Item::Other { first, .. }) => *first,
        Some(Item::Literal(t)) => t.chars().next().unwrap_or(' '),
        None => ' ',
    }
}

fn non_cjk_punct(c: char) -> bool {
    is_punctuation(c) && !is_cjk(c)
}

/// (left-flanking, right-flanking) under the CJK-friendly amendments, §6.2.
pub fn flanking(before: char, after: char) -> (bool, bool) {
    let left = !is_whitespace(after)
        && (!non_cjk_punct(after)
            || is_whitespace(before)
            || non_cjk_punct(before)
            || is_cjk(before));
    let right = !is_whitespace(before)
        && (!non_cjk_punct(before)
            || is_whitespace(after)
            || non_cjk_punct(after)
            || is_cjk(after));
    (left, right)
}

/// CommonMark's "process emphasis", for `*` only, with openers_bottom to stay linear.
fn process_emphasis(delims: &mut [Delim]) {
    // openers_bottom[len % 3][can_open]: index below which no opener can match.
    let mut bottom = [[0usize; 2]; 3];
    let mut current = 0;
    while current < delims.len() {
        let c = &delims[current];
        if !c.active || !c.can_close || c.remaining == 0 {
            current += 1;
            continue;
        }
        let key = (c.len % 3, usize::from(c.can_open));
        let floor = bottom[key.0][key.1];
        let mut found = None;
        let mut j = current;
        while j > floor {
            j -= 1;
            let o = &delims[j];
            if !o.active || !o.can_open || o.remaining == 0 || o.group != c.group {
                continue;
            }
            // The rule of three: a run that can both open and close only pairs with a run
            // whose length sum is not a multiple of 3, unless both are.
            let odd_match = (o.can_close || c.can_open)
                && (o.len + c.len).is_multiple_of(3)
                && !(o.len.is_multiple_of(3) && c.len.is_multiple_of(3));
            if !odd_match {
                found = Some(j);
                break;
            }
        }
        match found {
            Some(o) => {
                let strong = delims[o].remaining >= 2 && delims[current].remaining >= 2;
                let used = if strong { 2 } else { 1 };
                delims[o].remaining -= used;
                delims[current].remaining -= used;
                delims[o].opens.push(strong);
                delims[current].closes.push(strong);
                let group = delims[current].group;
                for d in delims.iter_mut().take(current).skip(o + 1) {
                    if d.group == group {
                        d.active = false;
                    }
                }
                if delims[current].remaining == 0 {
                    current += 1;
                }
            }
            None => {
                bottom[key.0][key.1] = current;
                if !delims[current].can_open {
                    delims[current].active = false;
                }
                current += 1;
            }
        }
    }
}

fn emit<'a>(items: Vec<Item<'a>>, delims: &[Delim]) -> Vec<Event<'a>> {
    let mut out = Vec::with_capacity(items.len() + delims.len() * 2);
    let mut d = 0;
    for (idx, item) in items.into_iter().enumerate() {
        match item {
            Item::Other { event, .. } => out.push(event),
            Item::Literal(text) => {
                let mut pos = 0;
                let mut buf = String::new();
                while d < delims.len() && delims[d].item == idx {
                    let run = &delims[d];
                    buf.push_str(&text[pos..run.start]);
                    let used_open: usize = run.opens.iter().map(|s| if *s { 2 } else { 1 }).sum();
                    let used_close: usize = run.closes.iter().map(|s| if *s { 2 } else { 1 }).sum();
                    // A closer uses its left characters, an opener its right ones.
                    for strong in &run.closes {
                        flush_text(&mut buf, &mut out);
                        out.push(Event::End(if *strong {
                            TagEnd::Strong
                        } else {
                            TagEnd::Emphasis
                        }));
                    }
                    let literal = run.len - used_open - used_close;
                    buf.extend(std::iter::repeat_n('*', literal));
                    for strong in run.opens.iter().rev() {
                        flush_text(&mut buf, &mut out);
                        out.push(Event::Start(if *strong {
                            Tag::Strong
                        } else {
                            Tag::Emphasis
                        }));
                    }
                    pos = run.start + run.len;
                    d += 1;
                }
                buf.push_str(&text[pos..]);
                flush_text(&mut buf, &mut out);
            }
        }
    }
    out
}

fn flush_text<'a>(buf: &mut String, out: &mut Vec<Event<'a>>) {
    if !buf.is_empty() {
        out.push(Event::Text(CowStr::from(std::mem::take(buf))));
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
        assert_eq!(
            render("**一是抓实。**通过征集**党员**意见，**二是“搭台”。**再议"),
            "<p><strong>一是抓实。</strong>通过征集<strong>党员</strong>意见，<strong>二是“搭台”。</strong>再议</p>\n"
        );
    }

    #[test]
    fn latin_emphasis_is_commonmark() {
        for src in [
            "a **b** c",
            "*a* and **b** and ***c***",
            "foo*bar*",
            "a * b * c",
            "**foo \"*bar*\" foo**",
            "**a** *b* 中文**粗**",
        ] {
            let mut plain = String::new();
            html::push_html(&mut plain, Parser::new(src));
            if src.contains('中') {
                assert_eq!(
                    render(src),
                    "<p><strong>a</strong> <em>b</em> 中文<strong>粗</strong></p>\n"
                );
            } else {
                assert_eq!(render(src), plain, "{src}");
            }
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
}
