//! Property-based tests of the parsing stages, called as a library (`herald::…`): whatever a
//! user's file holds, splitting the front matter, reading the YAML, rendering the Markdown and
//! parsing a whole page never panic, and every position they report lies inside the text.
//!
//! CI runs 256 cases per property. Run 100,000 cases outside CI with
//!
//! ```text
//! HERALD_PROPTEST_CASES=100000 cargo test --release --test main props
//! ```
//!
//! Failures are not persisted to files (the regression files would land in the source tree);
//! proptest prints the shrunk input to paste into a regular test.

use std::path::{Path, PathBuf};

use herald::content::front_matter;
use herald::content::{Source, SourceKind};
use herald::error::{Diagnostics, Error};
use herald::markdown::{Input, Links};
use proptest::prelude::*;

fn config() -> ProptestConfig {
    let cases = std::env::var("HERALD_PROPTEST_CASES")
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(256);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Text made of `pieces` (weighted 4) and any character at all (weighted 1).
fn text_from(pieces: &'static [&'static str], max_len: usize) -> BoxedStrategy<String> {
    prop::collection::vec(
        prop_oneof![
            4 => prop::sample::select(pieces).prop_map(str::to_string),
            1 => any::<char>().prop_map(|c| c.to_string()),
        ],
        0..max_len,
    )
    .prop_map(|v| v.concat())
    .boxed()
}

/// A 1-based line count: lines as Herald numbers them (`\n` ends a line).
fn line_count(text: &str) -> usize {
    text.matches('\n').count() + 1
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset].matches('\n').count() + 1
}

/// Byte offset of `part` in `text`, which it must be a slice of.
fn offset_in(text: &str, part: &str) -> usize {
    let start = text.as_ptr() as usize;
    let p = part.as_ptr() as usize;
    assert!(
        p >= start && p + part.len() <= start + text.len(),
        "{part:?} is not a slice of the text"
    );
    p - start
}

fn is_fence(line: &str) -> bool {
    line.trim_end() == "---"
}

// ------------------------------------------------------------------ (1) front matter split

const FM_PIECES: &[&str] = &[
    "---",
    "---",
    "\n",
    "\n",
    "\n",
    "---\n",
    "...",
    "\r\n",
    "\r",
    "\u{feff}",
    " ",
    "\t",
    "title: ",
    "date: 2022-10-08",
    "tags: [党建, 养老]",
    "标题",
    "三家工作法",
    "：",
    "，",
    "【",
    "】",
    "「",
    "」",
    "“",
    "”",
    "。",
    "-",
    "#",
    ":",
    "a",
    "\u{2028}",
    "\u{85}",
    "\u{3000}",
    "é",
    "---   ",
    " ---",
    "----",
];

fn fm_text() -> BoxedStrategy<String> {
    prop_oneof![3 => text_from(FM_PIECES, 40), 1 => any::<String>()].boxed()
}

// ------------------------------------------------------------------ (2) YAML

const YAML_PIECES: &[&str] = &[
    "\n",
    "\n",
    "\n",
    ": ",
    ":",
    "：",
    " ",
    "  ",
    "\t",
    "- ",
    "-",
    "title",
    "date",
    "tags",
    "extra",
    "key",
    "三家",
    "工作法",
    "2022-10-08",
    "286",
    "\"",
    "'",
    "[",
    "]",
    "{",
    "}",
    ",",
    "，",
    "【",
    "】",
    "#",
    "&a ",
    "*a",
    "&b ",
    "*b",
    "!!str ",
    "!tag ",
    "|",
    ">",
    "? ",
    "%YAML 1.2\n",
    "---",
    "...",
    "~",
    "null",
    "true",
    "\u{2028}",
    "\u{85}",
    "\u{feff}",
    "\\",
    "@",
    "`",
];

fn yaml_text(with_cr: bool) -> BoxedStrategy<String> {
    let t = prop_oneof![3 => text_from(YAML_PIECES, 50), 1 => any::<String>()];
    if with_cr {
        t.boxed()
    } else {
        // Files reach the YAML reader with `\r\n` and `\r` already made `\n` (fs::decode).
        t.prop_map(|s| s.replace('\r', "\n")).boxed()
    }
}

/// A valid mapping whose key lines are known: `(text, [(key, file line)])`.
fn keyed_mapping() -> BoxedStrategy<(String, Vec<(String, usize)>)> {
    const KEYS: &[&str] = &[
        "title", "titles", "tag", "tags", "brand", "brands", "date", "a", "a_b", "标题", "extra2",
    ];
    const VALUES: &[&str] = &[
        "三家工作法",
        "「三家」工作法",
        "“三家”工作法，惠民零时差。",
        "\"title: 引号里的冒号\"",
        "'#不是注释'",
        "2022-10-08",
        "2022年10月8日",
        "[党建, 养老]",
        "【党建，养老】",
        "286",
        "",
        "a # 注释",
    ];
    // Each entry: 0 = key line, 1 = comment, 2 = blank, 3 = key with a nested block.
    let entry = (0u8..4, prop::sample::select(VALUES), 0usize..3);
    (
        prop::sample::subsequence(KEYS, 0..=KEYS.len()).prop_shuffle(),
        prop::collection::vec(entry, 0..20),
    )
        .prop_map(|(keys, entries)| {
            let mut text = String::new();
            let mut lines = Vec::new();
            let mut keys = keys.into_iter();
            let mut line = 0usize;
            for (kind, value, nested) in entries {
                match kind {
                    1 => {
                        text.push_str("# title: 注释里的键\n");
                        line += 1;
                    }
                    2 => {
                        text.push('\n');
                        line += 1;
                    }
                    k => {
                        let Some(key) = keys.next() else { continue };
                        lines.push((key.to_string(), line));
                        if k == 3 {
                            text.push_str(&format!("{key}:\n"));
                            line += 1;
                            // Nested keys that are also top-level keys must not be mistaken.
                            for nested_key in KEYS.iter().take(nested + 1) {
                                text.push_str(&format!("  {nested_key}: {value}\n"));
                                line += 1;
                            }
                        } else {
                            text.push_str(&format!("{key}: {value}\n"));
                            line += 1;
                        }
                    }
                }
            }
            (text, lines)
        })
        .boxed()
}

// ------------------------------------------------------------------ (3) Markdown

struct NoLinks;

impl Links for NoLinks {
    fn page_url(&self, _rel: &str) -> Option<String> {
        None
    }
    fn asset_url(&self, _rel: &str) -> Option<String> {
        None
    }
    fn base_path(&self) -> &str {
        "/"
    }
}

const MD_PIECES: &[&str] = &[
    "*",
    "*",
    "**",
    "**",
    "_",
    "__",
    "`",
    "```",
    "[",
    "](",
    ")",
    "](http://example.org)",
    "](#标题)",
    "#",
    "# ",
    "## ",
    ">",
    "> ",
    "-",
    "- ",
    "|",
    "| --- |",
    "\n",
    "\n",
    "\n\n",
    " ",
    "  ",
    "三家",
    "工作法",
    "惠民",
    "零时差",
    "“",
    "”",
    "「",
    "」",
    "。",
    "，",
    "：",
    "！",
    "word",
    "Herald",
    "emphasis",
    "<!-- more -->",
    "{{ x() }}",
    "{{ figure(src=\"a.jpg\") }}",
    "{% quote() %}",
    "{% end %}",
    "\\*",
    "&amp;",
    "1. ",
    "[^1]",
    "[^1]: 注",
    "~~",
    "\t",
];

/// Inputs that are large in one direction (issue 10: build time stays linear): many identical
/// headings, many footnotes, many links, long lines, each a unit repeated up to 2,000 times.
const MD_SCALE_UNITS: &[&str] = &[
    "## 主要做法\n\n",
    "正文[^1]。\n\n[^1]: 注\n\n",
    "见[**链接**](https://example.org/a)和*b*，",
    "**一是。**通过",
    "_a *b ",
    "*a _b_ ",
    "[*a](u) ",
    "~~a",
    "中文\n",
    "{{ x() }}\n\n",
];

fn md_scale_text() -> BoxedStrategy<String> {
    (
        prop::sample::select(MD_SCALE_UNITS),
        1..2000usize,
        text_from(MD_PIECES, 10),
    )
        .prop_map(|(unit, n, tail)| unit.repeat(n) + &tail)
        .boxed()
}

fn md_text() -> BoxedStrategy<String> {
    prop_oneof![
        4 => text_from(MD_PIECES, 60),
        1 => any::<String>(),
        1 => md_scale_text(),
    ]
    .boxed()
}

fn render(text: &str) -> Result<herald::markdown::Rendered, Vec<Error>> {
    let input = Input {
        text,
        file: Path::new("content/cases/a.md"),
        first_line: 5,
        dir: "cases",
    };
    herald::markdown::render(&input, &NoLinks, None)
}

fn assert_balanced(html: &str, tag: &str, what: &str, src: &str) {
    let open = html.matches(&format!("<{tag}>")).count();
    let close = html.matches(&format!("</{tag}>")).count();
    assert_eq!(
        open, close,
        "{what}: {open} <{tag}> but {close} </{tag}>\nMarkdown: {src:?}\nHTML: {html}"
    );
}

/// Checks that the tags of `html` nest properly (every end tag closes the innermost open
/// element), as Herald's own output must when the Markdown holds no raw HTML.
fn assert_well_nested(html: &str, what: &str, src: &str) {
    const VOID: &[&str] = &["br", "hr", "img", "input", "meta", "link", "wbr"];
    let mut stack: Vec<&str> = Vec::new();
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        rest = &rest[lt..];
        if rest.starts_with("<!--") {
            let end = rest.find("-->").map_or(rest.len(), |i| i + 3);
            rest = &rest[end..];
            continue;
        }
        let gt = rest.find('>').unwrap_or(rest.len() - 1);
        let tag = &rest[1..gt];
        rest = &rest[gt + 1..];
        let closing = tag.starts_with('/');
        let name_part = tag.trim_start_matches('/');
        let name_end = name_part
            .find(|c: char| c.is_whitespace() || c == '/')
            .unwrap_or(name_part.len());
        let name = &name_part[..name_end];
        if VOID.contains(&name) || tag.ends_with('/') {
            continue;
        }
        if closing {
            let open = stack.pop();
            assert_eq!(
                open,
                Some(name),
                "{what}: </{name}> closes {open:?}\nMarkdown: {src:?}\nHTML: {html}"
            );
        } else {
            stack.push(name);
        }
    }
    assert!(
        stack.is_empty(),
        "{what}: unclosed {stack:?}\nMarkdown: {src:?}\nHTML: {html}"
    );
}

const CJK_CHARS: &[&str] = &[
    "三", "家", "工", "作", "法", "惠", "民", "零", "时", "差", "党", "建", "引", "领", "养", "老",
    "服", "务",
];

fn cjk_run(min: usize) -> BoxedStrategy<String> {
    prop::collection::vec(prop::sample::select(CJK_CHARS), min..8)
        .prop_map(|v| v.concat())
        .boxed()
}

/// `前文**一是抓实“三套方案”。**后文`: bold ending in 。 followed directly by Chinese.
fn cjk_bold() -> BoxedStrategy<String> {
    let inner = prop::collection::vec(
        prop_oneof![
            4 => cjk_run(1),
            1 => prop::sample::select(&["“三套方案”", "「三家」", "，"][..]).prop_map(str::to_string),
        ],
        1..5,
    )
    .prop_map(|v| v.concat());
    let prefix = prop_oneof![
        cjk_run(0),
        prop::sample::select(&["。", "，", "：", "“"][..]).prop_map(str::to_string),
    ];
    (prefix, inner, cjk_run(1))
        .prop_map(|(p, s, after)| format!("{p}**{s}。**{after}"))
        .boxed()
}

// ------------------------------------------------------------------ (4) whole pages

const PAGE_LINES: &[&str] = &[
    "title: 三家工作法",
    "title: \"「三家」工作法：惠民\"",
    "title：全角冒号",
    "\ttitle: 制表符",
    "date: 2022-10-08",
    "date: 2022年10月8日",
    "date: 明天",
    "date: 2022-02-30",
    "tags: 党建",
    "tags: 【党建，养老】",
    "tags: [党建, 养老",
    "brand: sanjia",
    "brands: [sanjia, sixing]",
    "metrics: [{label: 党员, value: 286}, {label: 人次, value: \"1,200\"}, {label: 坏}]",
    "metrics:\n  - {label: 党员, value: \"286\", unit: 名}\n  - {unit: 名}",
    "metrics: 286",
    "color: #b71c1c",
    "color: \"#1b5e20\"",
    "color: 红色",
    "name: 三家工作法",
    "since: 2021年",
    "honours:\n  - {year: 2022, title: 先进集体}\n  - {year: 明年}",
    "events: [{date: 2022-10, title: 报道}, {date: 某天, title: 坏}]",
    "pillars:\n  - {title: 一, text: 二}\n  - 三",
    "standards: 受理零推诿、服务零耽搁",
    "extra:\n  a: &a [1, 2]\n  b: [*a, *a]",
    "extra: {x: [1, {y: 2}]}",
    "cover: a.jpg",
    "weight: 很重",
    "weight: 3",
    "draft: 是",
    "draft: 也许",
    "paginate: 0",
    "paginate: 10",
    "slug: a",
    "aliases: [/old/]",
    "template: page.html",
    "unknown: 1",
    "brnad: sanjia",
    "description: 介绍",
    "",
    "# 注释",
    "  - 悬空的列表项",
    "---",
];

const BODY_PIECES: &[&str] = &[
    "\n",
    "\n\n",
    "正文。",
    "**重点。**",
    "[链接](b.md)",
    "![图](a.jpg)",
    "{{ x() }}",
    "---",
    "# 标题",
    "> 引用",
    "- 列表",
    "`code`",
    "\r\n",
    "<!-- more -->",
];

fn page_text() -> BoxedStrategy<String> {
    let structured = (
        prop::collection::vec(prop::sample::select(PAGE_LINES), 0..8),
        any::<bool>(),
        text_from(BODY_PIECES, 12),
    )
        .prop_map(|(lines, closed, body)| {
            let mut s = String::from("---\n");
            for l in lines {
                s.push_str(l);
                s.push('\n');
            }
            if closed {
                s.push_str("---\n");
            }
            s.push_str(&body);
            s
        });
    prop_oneof![3 => structured, 1 => fm_text(), 1 => md_text()].boxed()
}

fn source() -> BoxedStrategy<Source> {
    prop::sample::select(
        &[
            ("cases/a.md", SourceKind::Page),
            ("about.md", SourceKind::Page),
            ("brands/sanjia.md", SourceKind::Brand),
            ("cases/_index.md", SourceKind::Section),
        ][..],
    )
    .prop_map(|(rel, kind)| Source {
        rel: rel.to_string(),
        abs: PathBuf::from("/nonexistent/site/content").join(rel),
        kind,
    })
    .boxed()
}

/// A report whose `metrics` list has one bad item (no `value`), written in one of the three
/// ways YAML allows: `(text, line of the bad item)`.
fn report_with_a_bad_metric() -> BoxedStrategy<(String, usize)> {
    (1usize..6, 0usize..6, 0u8..3, 0usize..3)
        .prop_map(|(n, k, style, before)| {
            let k = k % n;
            let mut text = String::from("---\ntitle: 甲\ndate: 2022-01-01\n");
            // Filler lines with distinct keys (a repeated key is an error of its own).
            for (i, key) in ["author", "org", "region"].iter().enumerate().take(before) {
                text.push_str(&format!("{key}: 作者{i}\n"));
            }
            let metrics_line = 4 + before;
            let item = |i: usize| {
                if i == k {
                    format!("{{label: 坏{i}}}")
                } else {
                    format!("{{label: 党员{i}, value: {i}, unit: 名}}")
                }
            };
            let expected = match style {
                // metrics: [{…}, {…}]
                0 => {
                    let items: Vec<String> = (0..n).map(item).collect();
                    text.push_str(&format!("metrics: [{}]\n", items.join(", ")));
                    metrics_line
                }
                // metrics:\n  - {…}\n  - {…}
                1 => {
                    text.push_str("metrics:\n");
                    for i in 0..n {
                        text.push_str(&format!("  - {}\n", item(i)));
                    }
                    metrics_line + 1 + k
                }
                // metrics:\n  - label: …\n    value: …\n    unit: …
                _ => {
                    text.push_str("metrics:\n");
                    for i in 0..n {
                        if i == k {
                            text.push_str(&format!("  - label: 坏{i}\n"));
                        } else {
                            text.push_str(&format!(
                                "  - label: 党员{i}\n    value: {i}\n    unit: 名\n"
                            ));
                        }
                    }
                    metrics_line + 1 + 3 * k
                }
            };
            text.push_str("---\n\n正文。\n");
            (text, expected)
        })
        .boxed()
}

fn parse_page(source: &Source, text: &str) -> (Result<(), Vec<Error>>, Diagnostics, PathBuf) {
    let shown = Path::new("content").join(&source.rel);
    let mut diags = Diagnostics::default();
    let r = herald::content::parse_text(source, &shown, text, &mut diags).map(|_| ());
    (r, diags, shown)
}

// ------------------------------------------------------------------ the properties

proptest! {
    #![proptest_config(config())]

    /// (1) Splitting never panics; an accepted split's line numbers match the text.
    #[test]
    fn front_matter_split_never_panics_and_keeps_line_numbers(
        text in fm_text(),
        allow_empty in any::<bool>(),
    ) {
        let path = Path::new("content/cases/a.md");
        match front_matter::split(path, &text, allow_empty) {
            Ok(sp) => {
                prop_assert!(sp.body_line >= 1 && sp.yaml_line >= 1);
                let body_at = if sp.body.is_empty() {
                    None
                } else {
                    let at = offset_in(&text, sp.body);
                    prop_assert_eq!(at + sp.body.len(), text.len(), "the body must run to the end");
                    prop_assert_eq!(line_of(&text, at), sp.body_line, "body_line");
                    Some(at)
                };
                match sp.yaml {
                    Some(yaml) => {
                        let at = offset_in(&text, yaml);
                        prop_assert_eq!(line_of(&text, at), sp.yaml_line, "yaml_line");
                        // Line 1 is the opening fence, and nothing else comes before the YAML.
                        prop_assert!(is_fence(text[..at].trim_end_matches('\n')), "opening fence");
                        prop_assert_eq!(text[..at].matches('\n').count(), 1);
                        // The YAML holds no fence; the closing fence follows it directly.
                        for l in yaml.split('\n') {
                            prop_assert!(!is_fence(l), "a fence inside the YAML: {:?}", yaml);
                        }
                        let rest = &text[at + yaml.len()..];
                        let closing = rest.split('\n').next().unwrap_or("");
                        prop_assert!(
                            is_fence(closing) || closing.trim_end() == "...",
                            "no closing fence after the YAML: {:?}", rest
                        );
                        if let Some(b) = body_at {
                            prop_assert_eq!(
                                b,
                                at + yaml.len() + closing.len() + 1,
                                "the body starts right after the closing fence"
                            );
                        }
                    }
                    None => {
                        prop_assert_eq!(sp.body_line, 1);
                        if !sp.body.is_empty() {
                            prop_assert_eq!(sp.body, text.as_str());
                        }
                    }
                }
            }
            Err(e) => {
                let at = e.location().expect("split errors name the file");
                prop_assert_eq!(&at.path, path);
                prop_assert!(at.line <= line_count(&text), "line {} of {} lines", at.line, line_count(&text));
            }
        }
    }

    /// (2) Reading YAML never panics, and an error never points above the YAML.
    #[test]
    fn yaml_parse_mapping_never_panics_and_errors_point_at_or_below_first_line(
        text in yaml_text(true),
        first_line in 1usize..500,
    ) {
        let path = Path::new("content/cases/a.md");
        if let Err(e) = herald::yaml::parse_mapping(path, &text, first_line) {
            let at = e.location().expect("YAML errors have a position");
            prop_assert_eq!(&at.path, path);
            prop_assert!(at.line >= first_line, "line {} above first line {}: {}", at.line, first_line, e);
        }
    }

    /// (2b) With line ends as files have them after decoding, a YAML error never points
    /// below the YAML either (YAML also breaks lines at U+2028 and U+0085; Herald does not).
    #[test]
    fn yaml_errors_point_inside_the_yaml(
        text in yaml_text(false),
        first_line in 1usize..500,
    ) {
        let path = Path::new("content/cases/a.md");
        if let Err(e) = herald::yaml::parse_mapping(path, &text, first_line) {
            let at = e.location().expect("YAML errors have a position");
            let last = first_line + text.matches('\n').count();
            prop_assert!(
                at.line >= first_line && at.line <= last,
                "line {} outside the YAML's lines {}..={}: {}", at.line, first_line, last, e
            );
        }
    }

    /// (2c) Every key of a valid mapping is placed on the line it is written on.
    #[test]
    fn yaml_keys_are_found_on_their_own_lines(
        (text, expected) in keyed_mapping(),
        first_line in 1usize..500,
    ) {
        let path = Path::new("content/cases/a.md");
        let fields = match herald::yaml::parse_mapping(path, &text, first_line) {
            Ok(f) => f,
            Err(e) => return Err(TestCaseError::fail(format!("valid YAML refused: {e}\n{text}"))),
        };
        prop_assert_eq!(fields.len(), expected.len(), "{}", text);
        for (key, line) in &expected {
            let f = fields.iter().find(|f| &f.key == key);
            prop_assert!(f.is_some(), "key {} missing\n{}", key, text);
            if let Some(f) = f {
                prop_assert_eq!(f.at.line, first_line + line, "line of `{}` in\n{}", key, text);
            }
        }
    }

    /// (3) Rendering Markdown never panics; the HTML it makes has as many `<strong>`/`<em>` as
    /// `</strong>`/`</em>` (and nests properly when the input has no raw HTML), and any error
    /// points into the body.
    #[test]
    fn markdown_render_never_panics_and_balances_emphasis(text in md_text()) {
        match render(&text) {
            Ok(r) => {
                for tag in ["strong", "em"] {
                    assert_balanced(&r.html, tag, "html", &text);
                    assert_balanced(&r.summary, tag, "summary", &text);
                }
                // Without raw HTML in the input, the output must also nest properly.
                if !text.replace("<!-- more -->", "").contains(['<', '&']) {
                    assert_well_nested(&r.html, "html", &text);
                    assert_well_nested(&r.summary, "summary", &text);
                }
            }
            Err(errors) => {
                prop_assert!(!errors.is_empty());
                for e in &errors {
                    let at = e.location().expect("Markdown errors have a position");
                    prop_assert_eq!(&at.path, Path::new("content/cases/a.md"));
                    let last = 5 + text.matches('\n').count();
                    prop_assert!(
                        at.line >= 5 && at.line <= last,
                        "line {} outside the body's lines 5..={}: {}\n{:?}", at.line, last, e, text
                    );
                }
            }
        }
    }

    /// (3b) `**…。**` directly followed by Chinese is bold, never literal asterisks.
    #[test]
    fn chinese_bold_ending_in_a_full_stop_is_strong(text in cjk_bold()) {
        let r = render(&text);
        prop_assert!(r.is_ok(), "refused: {:?}", r.err().map(|e| e.iter().map(|x| x.to_string()).collect::<Vec<_>>()));
        if let Ok(r) = r {
            prop_assert!(!r.html.contains("**"), "literal ** left in {:?}\n{}", text, r.html);
            prop_assert!(r.html.contains("<strong>"), "no <strong> for {:?}\n{}", text, r.html);
            assert_balanced(&r.html, "strong", "html", &text);
        }
    }

    /// (4) Parsing a whole page never panics, and everything it reports names the page.
    #[test]
    fn parse_text_never_panics(source in source(), text in page_text()) {
        let (r, diags, shown) = parse_page(&source, &text);
        let errors = r.err().unwrap_or_default();
        for e in errors.iter().chain(diags.errors.iter()) {
            let at = e.location().expect("page errors have a position");
            prop_assert_eq!(&at.path, &shown, "{}", e);
        }
        for w in &diags.warnings {
            prop_assert_eq!(&w.location().path, &shown);
        }
    }

    /// (4b) …and every line it names exists in the file.
    #[test]
    fn parse_text_errors_point_at_lines_of_the_file(source in source(), text in page_text()) {
        let (r, diags, _) = parse_page(&source, &text);
        let errors = r.err().unwrap_or_default();
        let lines = line_count(&text);
        for e in errors.iter().chain(diags.errors.iter()) {
            let at = e.location().expect("page errors have a position");
            prop_assert!(at.line <= lines, "{} points at line {} of a {}-line file:\n{}", e, at.line, lines, text);
        }
        for w in &diags.warnings {
            prop_assert!(w.location().line <= lines, "{:?} beyond {} lines:\n{}", w, lines, text);
        }
    }

    /// (4c) A bad item of a list of maps is reported on the line where that item is written,
    /// however the list is laid out.
    #[test]
    fn bad_list_item_is_reported_on_its_own_line((text, expected) in report_with_a_bad_metric()) {
        let source = Source {
            rel: "cases/a.md".into(),
            abs: PathBuf::from("/nonexistent/site/content/cases/a.md"),
            kind: SourceKind::Page,
        };
        let (r, _, _) = parse_page(&source, &text);
        let errors = r.err().unwrap_or_default();
        prop_assert_eq!(errors.len(), 1, "{:?}\n{}", errors.iter().map(|e| e.to_string()).collect::<Vec<_>>(), text);
        let line = errors[0].location().map_or(0, |l| l.line);
        prop_assert_eq!(line, expected, "{}\n{}", errors[0], text);
    }
}
