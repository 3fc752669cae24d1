//! Line breaks inside a paragraph, the way CSS Text (§4.1.2, segment break transformation)
//! renders them: pulldown-cmark makes every soft break a space, which splits a Chinese
//! sentence wherever the writer's editor wrapped it. A break is removed when the characters
//! on both sides are East Asian Wide, Fullwidth or Halfwidth and neither is Hangul (Korean is
//! written with spaces), or when either is a zero-width space. The characters are judged
//! through inline markup: `**加粗**\n中文` looks at 粗 and 中.

use std::ops::Range;

use pulldown_cmark::{Event, Tag, TagEnd};

use super::flanking::{is_cjk, is_emoji_presentation, is_hangul};

/// East Asian Width W, F or H, other than Hangul.
fn joins(c: char) -> bool {
    (is_cjk(c) && !is_hangul(c)) || is_emoji_presentation(c)
}

/// Markup a reader does not see between two characters.
fn is_transparent(e: &Event) -> bool {
    matches!(
        e,
        Event::Start(Tag::Emphasis | Tag::Strong | Tag::Strikethrough | Tag::Link { .. })
            | Event::End(TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough | TagEnd::Link)
    )
}

fn edge_char(e: &Event, last: bool) -> Option<char> {
    match e {
        Event::Text(t) | Event::Code(t) => {
            if last {
                t.chars().next_back()
            } else {
                t.chars().next()
            }
        }
        _ => None,
    }
}

fn visible_before(events: &[(Event, Range<usize>)], i: usize) -> Option<char> {
    events[..i]
        .iter()
        .rev()
        .find(|(e, _)| !is_transparent(e))
        .and_then(|(e, _)| edge_char(e, true))
}

fn visible_after(events: &[(Event, Range<usize>)], i: usize) -> Option<char> {
    events[i + 1..]
        .iter()
        .find(|(e, _)| !is_transparent(e))
        .and_then(|(e, _)| edge_char(e, false))
}

/// Drops the soft breaks CSS Text would remove.
pub(super) fn apply(events: &mut Vec<(Event, Range<usize>)>) {
    if !events.iter().any(|(e, _)| matches!(e, Event::SoftBreak)) {
        return;
    }
    let mut keep = vec![true; events.len()];
    for (i, (e, _)) in events.iter().enumerate() {
        if !matches!(e, Event::SoftBreak) {
            continue;
        }
        let (before, after) = (visible_before(events, i), visible_after(events, i));
        let zwsp = before == Some('\u{200B}') || after == Some('\u{200B}');
        if zwsp || (before.is_some_and(joins) && after.is_some_and(joins)) {
            keep[i] = false;
        }
    }
    let mut k = keep.into_iter();
    events.retain(|_| k.next().unwrap_or(true));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_joins() {
        for c in ['中', '。', '，', 'ｶ', 'あ', '😀'] {
            assert!(joins(c), "{c:?}");
        }
        for c in ['a', '“', '한', 'ᅡ', ' ', '1'] {
            assert!(!joins(c), "{c:?}");
        }
    }
}
