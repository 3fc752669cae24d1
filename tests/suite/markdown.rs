//! Markdown as it shows in a report: GitHub extensions, highlighted code, heading ids and the
//! table of contents, and the rules Chinese text needs (emphasis next to full-width
//! punctuation, line breaks that are not spaces).

use super::util::*;

/// Builds a one-report site and returns the report's page.
fn render(body: &str) -> Page {
    let out = Site::new()
        .file(
            "content/cases/a.md",
            &report("测试文章", "2022-10-08", "", body),
        )
        .build();
    out.page("/cases/a/")
}

// ------------------------------------------------------------------ extensions

#[test]
fn tables_render() {
    let page = render("| 指标 | 数值 |\n|------|-----:|\n| 党员 | 286 |\n| 志愿者 | 1200 |\n");
    assert_eq!(page.texts(".content table th"), ["指标", "数值"]);
    assert_eq!(
        page.texts(".content table td"),
        ["党员", "286", "志愿者", "1200"]
    );
}

#[test]
fn footnotes_render_and_link_to_their_text() {
    let page = render("正文引用了文件[^1]。\n\n[^1]: 民发〔2022〕1号文件。\n");
    let href = page.attr(".content sup a[href^=\"#\"]", "href");
    let id = percent_decode(href.trim_start_matches('#'));
    let target = page.one(&format!("[id=\"{id}\"]"));
    assert!(
        text_of(target).contains("民发〔2022〕1号文件。"),
        "the footnote link points at {:?}",
        target.html()
    );
    assert!(
        !page.main_text().contains("[^1]"),
        "footnote syntax shown as text"
    );
}

#[test]
fn strikethrough_renders() {
    let page = render("原计划~~三个月~~两个月完成。");
    assert_eq!(page.text(".content del"), "三个月");
}

#[test]
fn task_lists_render_as_disabled_checkboxes() {
    let page = render("- [x] 已完成走访\n- [ ] 未完成回访\n");
    let boxes = page.all(".content li input[type=checkbox]");
    assert_eq!(boxes.len(), 2, "{:?}", page.texts(".content li"));
    assert!(
        boxes[0].value().attr("checked").is_some(),
        "[x] must be checked"
    );
    assert!(
        boxes[1].value().attr("checked").is_none(),
        "[ ] must not be checked"
    );
    assert!(
        boxes.iter().all(|b| b.value().attr("disabled").is_some()),
        "a reader cannot tick them"
    );
    assert_eq!(page.texts(".content li"), ["已完成走访", "未完成回访"]);
}

// ------------------------------------------------------------------ code

#[test]
fn fenced_rust_code_is_highlighted_with_classes_not_inline_colours() {
    let site = Site::new().file(
        "content/cases/a.md",
        &report(
            "代码",
            "2022-10-08",
            "",
            "```rust\nfn main() {\n    let total = 286; // 党员\n}\n```\n",
        ),
    );
    let out = site.build();
    let page = out.page("/cases/a/");
    let code = page.one(".content pre code");
    assert_eq!(
        raw_text_of(code),
        "fn main() {\n    let total = 286; // 党员\n}\n",
        "the code text changed"
    );
    let classes: Vec<String> = page
        .attrs(".content pre code span[class]", "class")
        .iter()
        .flat_map(|c| c.split_whitespace().map(str::to_string).collect::<Vec<_>>())
        .collect();
    assert!(
        !classes.is_empty(),
        "no highlighting spans: {}",
        code.html()
    );
    assert!(
        !page.has(".content pre [style]") && !page.has(".content pre[style]"),
        "inline colours: {}",
        code.html()
    );
    assert!(
        !code.html().contains("color:"),
        "inline colours: {}",
        code.html()
    );

    let css = out.read("css/highlight.css");
    assert!(
        classes.iter().any(|c| css.contains(&format!(".{c}"))),
        "css/highlight.css styles none of the classes used ({classes:?})"
    );
    assert!(page
        .attrs("link[rel=stylesheet]", "href")
        .contains(&"/css/highlight.css".to_string()));
}

#[test]
fn code_in_an_unknown_language_is_escaped_plain_text() {
    let page = render("```nosuchlang\n<b>不是粗体</b> & x\n```\n");
    let code = page.one(".content pre code");
    assert_eq!(raw_text_of(code), "<b>不是粗体</b> & x\n");
    assert!(!page.has(".content pre b"), "code became markup");
}

// ------------------------------------------------------------------ headings

#[test]
fn chinese_headings_get_readable_ids_without_their_ordinal() {
    let page = render(
        "## 二、主要做法\n\n正文。\n\n### （一）抓实“三套方案”\n\n正文。\n\n## Part 1: Scope\n",
    );
    assert_eq!(page.text(".content h2[id=\"主要做法\"]"), "二、主要做法");
    assert_eq!(
        page.text(".content h3[id=\"抓实三套方案\"]"),
        "（一）抓实“三套方案”"
    );
    assert!(
        page.has(".content h2[id=\"part-1-scope\"]"),
        "ids: {:?}",
        page.attrs(".content [id]", "id")
    );
}

#[test]
fn repeated_headings_get_distinct_ids() {
    let page = render("## 成效\n\n一。\n\n## 成效\n\n二。\n");
    let ids = page.attrs(".content h2", "id");
    assert_eq!(ids.len(), 2);
    assert_ne!(ids[0], ids[1], "two headings share the id {}", ids[0]);
    assert_eq!(ids[0], "成效");
}

#[test]
fn table_of_contents_links_to_each_heading_in_order() {
    let page = render("## 一、实施背景\n\n正文。\n\n## 二、主要做法\n\n正文。\n\n### （一）搭平台\n\n正文。\n\n## 三、取得成效\n\n正文。\n");
    let toc: Vec<String> = page
        .attrs("nav a[href^=\"#\"]", "href")
        .iter()
        .map(|h| percent_decode(h.trim_start_matches('#')))
        .collect();
    assert_eq!(
        toc,
        ["实施背景", "主要做法", "搭平台", "取得成效"],
        "table of contents"
    );
    for id in &toc {
        assert!(
            page.has(&format!(".content [id=\"{id}\"]")),
            "the toc links to a missing heading {id}"
        );
    }
}

// ------------------------------------------------------------------ Chinese emphasis

#[test]
fn bold_ending_in_chinese_punctuation_is_strong() {
    let page = render("**一是抓实“三套方案”。**通过征集党员意见，形成工作方案。");
    assert_eq!(page.texts(".content strong"), ["一是抓实“三套方案”。"]);
    assert_eq!(
        page.text(".content p"),
        "一是抓实“三套方案”。通过征集党员意见，形成工作方案。"
    );
}

#[test]
fn bold_starting_with_chinese_quotes_is_strong() {
    let page = render("**“三家”**工作法是品牌的核心。");
    assert_eq!(page.texts(".content strong"), ["“三家”"]);
    assert!(
        !page.text(".content p").contains('*'),
        "literal asterisks: {}",
        page.text(".content p")
    );
}

#[test]
fn several_chinese_bold_runs_in_one_paragraph() {
    let page = render("**一是抓实。**通过征集**党员**意见，**二是“搭台”。**再议。");
    assert_eq!(
        page.texts(".content strong"),
        ["一是抓实。", "党员", "二是“搭台”。"]
    );
}

#[test]
fn latin_emphasis_follows_commonmark() {
    let page = render("This is *a* and **b** text, but a * b * c stays.");
    assert_eq!(page.texts(".content em"), ["a"]);
    assert_eq!(page.texts(".content strong"), ["b"]);
    assert!(page.text(".content p").contains("a * b * c"));
}

#[test]
fn asterisks_inside_code_are_untouched() {
    let page = render("写法是 `**“三家”**工作法` 这样。\n\n```\n**一是抓实。**通过\n```\n");
    assert_eq!(page.text(".content p code"), "**“三家”**工作法");
    assert_eq!(
        raw_text_of(page.one(".content pre code")),
        "**一是抓实。**通过\n"
    );
    assert!(
        !page.has(".content strong"),
        "emphasis was made inside code"
    );
}

#[test]
fn escaped_asterisks_stay_literal() {
    let page = render("星号 \\*“x”\\* 不是强调。");
    assert!(!page.has(".content em") && !page.has(".content strong"));
    assert!(
        page.text(".content p").contains("*“x”*"),
        "{}",
        page.text(".content p")
    );
}

// ------------------------------------------------------------------ line breaks

#[test]
fn line_break_between_chinese_characters_is_not_a_space() {
    let page = render("第一行文字\n第二行文字，\n第三行。");
    assert_eq!(
        raw_text_of(page.one(".content p")),
        "第一行文字第二行文字，第三行。"
    );
}

#[test]
fn line_break_between_latin_words_stays_a_space() {
    let page = render("hello\nworld");
    let raw = raw_text_of(page.one(".content p"));
    assert_ne!(raw, "helloworld", "Latin words were glued together");
    assert_eq!(norm(&raw), "hello world");
}

// ------------------------------------------------------------------ shortcodes

fn jpeg() -> Vec<u8> {
    tiny_jpeg()
}

#[test]
fn figure_shortcode_in_a_bundle_shows_the_image_and_caption() {
    let out = Site::new()
        .file(
            "content/cases/foo/index.md",
            &report(
                "图文",
                "2022-01-01",
                "",
                "正文。\n\n{{ figure(src=\"hall.jpg\", caption=\"便民服务大厅\") }}\n",
            ),
        )
        .bytes("content/cases/foo/hall.jpg", &jpeg())
        .build();
    let page = out.page("/cases/foo/");
    assert_eq!(page.text(".content figure figcaption"), "便民服务大厅");
    let src = page.attr(".content figure img", "src");
    let url = resolve_url("/cases/foo/", &src);
    assert!(
        out.exists(url.trim_start_matches('/')),
        "the figure shows {src:?} → {url}, which is not in the output"
    );
}

#[test]
fn figure_shortcode_points_at_the_image_like_a_markdown_image() {
    // A plain report (not a bundle) at /cases/a/ with its image in content/cases/.
    let out = Site::new()
        .file(
            "content/cases/a.md",
            &report(
                "图文",
                "2022-01-01",
                "",
                "![大厅](hall.jpg)\n\n{{ figure(src=\"hall.jpg\", caption=\"便民服务大厅\") }}\n",
            ),
        )
        .bytes("content/cases/hall.jpg", &jpeg())
        .build();
    let page = out.page("/cases/a/");
    let markdown_img = resolve_url("/cases/a/", &page.attr(".content p img", "src"));
    assert!(
        out.exists(markdown_img.trim_start_matches('/')),
        "Markdown image → {markdown_img}"
    );
    let src = page.attr(".content figure img", "src");
    let figure_img = resolve_url("/cases/a/", &src);
    assert_eq!(
        figure_img, markdown_img,
        "the figure's src={src:?} leads to {figure_img}, a broken image"
    );
}

#[test]
fn figure_shortcode_with_a_missing_image_fails_at_its_line() {
    let site = Site::new().file(
        "content/cases/a.md",
        &report(
            "图文",
            "2022-01-01",
            "",
            "正文。\n\n{{ figure(src=\"nope.jpg\", caption=\"没有这张图\") }}\n",
        ),
    );
    site.build_fails()
        .assert_points_at("content/cases/a.md", 8)
        .assert_stderr_has("nope.jpg");
}

#[test]
fn metric_quote_and_timeline_shortcodes_render() {
    let page = render(concat!(
        "{{ metric(label=\"服务群众\", value=\"12000\", unit=\"人次\") }}\n\n",
        "{% quote(author=\"群众代表\") %}\n办事不用跑，**服务**到家门。\n{% end %}\n\n",
        "{% timeline() %}\n2021-03 | 品牌创建启动\n2022-10 | 专题报道\n{% end %}\n",
    ));
    let content = page.text(".content");
    for text in ["12000", "人次", "服务群众"] {
        assert!(
            content.contains(text),
            "metric: {text:?} missing from {content}"
        );
    }
    let quote = page.text(".content blockquote");
    assert!(
        quote.contains("办事不用跑，服务到家门。") && quote.contains("群众代表"),
        "quote: {quote}"
    );
    assert_eq!(page.text(".content blockquote strong"), "服务");
    let items = page.texts(".content li");
    assert!(
        items
            .iter()
            .any(|t| t.contains("2021-03") && t.contains("品牌创建启动")),
        "timeline: {items:?}"
    );
    assert!(
        items
            .iter()
            .any(|t| t.contains("2022-10") && t.contains("专题报道")),
        "timeline: {items:?}"
    );
    assert!(
        !content.contains("{{") && !content.contains("{%"),
        "shortcode syntax shown as text: {content}"
    );
}

#[test]
fn shortcodes_inside_code_blocks_are_left_as_text() {
    let page = render("```\n{{ figure(src=\"a.jpg\") }}\n```\n");
    assert_eq!(
        raw_text_of(page.one(".content pre code")),
        "{{ figure(src=\"a.jpg\") }}\n"
    );
}

#[test]
fn unknown_shortcode_fails_at_its_line_and_lists_the_known_ones() {
    let site = Site::new().file(
        "content/cases/a.md",
        &report("甲", "2022-01-01", "", "正文。\n\n{{ nosuch(a=\"b\") }}\n"),
    );
    site.build_fails()
        .assert_points_at("content/cases/a.md", 8)
        .assert_stderr_has("nosuch")
        .assert_stderr_has("figure");
}

// ------------------------------------------------------------------ linear in the input

/// Renders `text` as a body through the library and returns how long it took.
fn render_time(text: &str) -> std::time::Duration {
    let t = std::time::Instant::now();
    let r = super::mdref::herald_html(text);
    assert!(r.is_ok(), "{:?}", r.err());
    t.elapsed()
}

/// Generous: a guard against quadratic blowup (seconds to minutes), not a benchmark.
const QUICKLY: std::time::Duration = std::time::Duration::from_secs(10);

#[test]
fn four_thousand_identical_headings_build_quickly() {
    let text = "## 主要做法\n\n正文。\n\n".repeat(4000);
    assert!(render_time(&text) < QUICKLY);
    let ids = super::mdref::herald_rendered(&text).heading_ids;
    assert_eq!(ids[0], "主要做法");
    assert_eq!(ids[3999], "主要做法-3999");
}

#[test]
fn many_footnotes_render_quickly() {
    let mut text = String::new();
    for i in 0..4000 {
        text.push_str(&format!("正文[^{i}]。\n\n"));
    }
    for i in 0..4000 {
        text.push_str(&format!("[^{i}]: 注{i}\n"));
    }
    assert!(render_time(&text) < QUICKLY);
}

#[test]
fn many_links_on_one_long_line_render_quickly() {
    let text = "见[**链接**](https://example.org/a)和*b*，".repeat(20_000) + "\n";
    assert!(render_time(&text) < QUICKLY);
}

#[test]
fn very_long_lines_with_delimiters_render_quickly() {
    for unit in [
        "**一是。**通过",
        "_a *b ",
        "*a _b_ ",
        "~~a",
        "**“x”",
        "[*a](u) ",
    ] {
        let text = unit.repeat(40_000) + "\n";
        let t = render_time(&text);
        assert!(t < QUICKLY, "{unit:?} × 40,000 took {t:?}");
    }
}

#[test]
fn many_shortcodes_render_quickly() {
    let text = "{{ x() }}\n\n段落。\n\n".repeat(4000);
    let input = herald::markdown::Input {
        text: &text,
        file: std::path::Path::new("content/a.md"),
        first_line: 1,
        dir: "",
    };
    let t = std::time::Instant::now();
    let r = herald::markdown::render(&input, &super::mdref::NoFiles, None);
    assert!(r.is_ok());
    assert!(t.elapsed() < QUICKLY, "{:?}", t.elapsed());
}

// ------------------------------------------------------------------ issue 11 cases

/// Body HTML from the library path (heading ids and highlighting left as Herald writes them).
fn body(text: &str) -> String {
    super::mdref::herald_rendered(text).html.to_string()
}

#[test]
fn bold_leads_followed_by_more_bold_pair_as_written() {
    for (src, want) in [
        (
            "**一是抓实。**通过征集**党员**意见",
            "<p><strong>一是抓实。</strong>通过征集<strong>党员</strong>意见</p>\n",
        ),
        (
            "**二是强化。**群众**满意度**提升。",
            "<p><strong>二是强化。</strong>群众<strong>满意度</strong>提升。</p>\n",
        ),
        (
            "*a [b*](u) c*",
            "<p><em>a <a href=\"u\">b*</a> c</em></p>\n",
        ),
        ("*caf&eacute;*s", "<p>*café*s</p>\n"),
        ("Hello **😀**world", "<p>Hello **😀**world</p>\n"),
        ("a**a𝜵**a", "<p>a**a𝜵**a</p>\n"),
        ("a *⁰* b", "<p>a <em>⁰</em> b</p>\n"),
        ("ᅡ**(a)**", "<p>ᅡ<strong>(a)</strong></p>\n"),
        (
            "__注意__：注意事项",
            "<p><strong>注意</strong>：注意事项</p>\n",
        ),
    ] {
        assert_eq!(body(src), want, "{src}");
    }
}

#[test]
fn soft_breaks_follow_css_text_segment_break_rules() {
    for (src, want) in [
        ("第一行\n第二行", "<p>第一行第二行</p>\n"),
        ("한국어\n문장", "<p>한국어\n문장</p>\n"),
        ("中文\n한국어", "<p>中文\n한국어</p>\n"),
        ("**加粗**\n中文", "<p><strong>加粗</strong>中文</p>\n"),
        ("中文\n**加粗**", "<p>中文<strong>加粗</strong></p>\n"),
        (
            "[链接](https://e.com)\n中文",
            "<p><a href=\"https://e.com\">链接</a>中文</p>\n",
        ),
        ("中文，\n中文", "<p>中文，中文</p>\n"),
        // “ is East Asian Width A (ambiguous): the break stays.
        ("中文\n“引号”", "<p>中文\n“引号”</p>\n"),
        ("中文\nEnglish", "<p>中文\nEnglish</p>\n"),
        ("English\n中文", "<p>English\n中文</p>\n"),
        ("ｶﾀｶﾅ\nｶﾀｶﾅ", "<p>ｶﾀｶﾅｶﾀｶﾅ</p>\n"),
        ("中文  \n中文", "<p>中文<br />\n中文</p>\n"),
        ("a\u{200B}\nb", "<p>a\u{200B}b</p>\n"),
    ] {
        assert_eq!(body(src), want, "{src:?}");
    }
}

#[test]
fn setext_heading_breaks_follow_the_same_rules_and_reach_the_id() {
    let r = super::mdref::herald_rendered("标题\n第二行\n===\n\nFoo\nbar\n---\n");
    assert_eq!(r.heading_ids, ["标题第二行", "foo-bar"]);
    assert!(r.html.contains(">标题第二行</h1>"), "{}", r.html);
    assert_eq!(r.toc[0].title, "Foo bar");
}

#[test]
fn email_autolinks_and_dot_links_build() {
    let page = render("写信给<foo@bar.example.com>，见[上级](./sub)和[本页](.)。\n");
    assert_eq!(
        page.attrs(".content a", "href"),
        ["mailto:foo@bar.example.com", "./sub", "."]
    );
}

#[test]
fn shortcode_like_text_in_indented_and_long_fenced_code_is_code() {
    let page = render("段落。\n\n    {{ x() }}\n\n````\n```\n{{ y() }}\n```\n````\n");
    let codes = page.texts(".content pre");
    assert_eq!(codes.len(), 2, "{codes:?}");
    assert!(codes[0].contains("{{ x() }}"), "{codes:?}");
    assert!(codes[1].contains("{{ y() }}"), "{codes:?}");
}

#[test]
fn unsafe_urls_in_bodies_are_inert_and_recorded_with_their_line() {
    let text = "第一行\n\n[a](javascript:alert(1)) [b](JaVaScRiPt:x) [c](java&#x09;script:x)\n\n\
        ![d](data:image/png;base64,xx) [e](vbscript:x) [f](file:///etc/passwd)\n\n\
        [ok](https://e.com) [m](mailto:a@b.c) [t](tel:110) [r](a/) [#](#x)\n";
    let r = super::mdref::herald_rendered(text);
    for bad in ["javascript", "JaVaScRiPt", "data:", "vbscript", "file:"] {
        assert!(!r.html.contains(bad), "{bad} reached the HTML: {}", r.html);
    }
    assert!(r.html.contains("<a>a</a>"), "{}", r.html);
    assert!(r.html.contains(">d<") || r.html.contains("d"), "{}", r.html);
    let lines: Vec<usize> = r.refused_urls.iter().map(|(at, _)| at.line).collect();
    assert_eq!(lines, [3, 3, 3, 5, 5, 5], "{:?}", r.refused_urls);
    for ok in [
        "https://e.com",
        "mailto:a@b.c",
        "tel:110",
        "href=\"a/\"",
        "#x",
    ] {
        assert!(r.html.contains(ok), "{ok} missing: {}", r.html);
    }
}

#[test]
fn javascript_link_in_a_body_builds_inert_with_a_warning_at_its_line() {
    let site = Site::new().file(
        "content/cases/a.md",
        &report(
            "甲",
            "2022-01-01",
            "",
            "正文。\n\n见[这里](JavaScript:alert(1))。\n",
        ),
    );
    let run = site.try_build(&[]);
    run.assert_ok()
        .assert_points_at("content/cases/a.md", 8)
        .assert_stderr_has("JavaScript:alert(1)");
    let page = site.output().page("/cases/a/");
    assert!(!page.source.contains("alert"), "{}", page.source);
    site.try_build(&["--strict"])
        .assert_failed_cleanly()
        .assert_points_at("content/cases/a.md", 8);
}

#[test]
fn figure_with_a_javascript_source_is_left_out_with_a_warning_at_its_line() {
    let site = Site::new().file(
        "content/cases/a.md",
        &report(
            "甲",
            "2022-01-01",
            "",
            "正文。\n\n{{ figure(src=\"javascript:alert(1)\", caption=\"图\") }}\n",
        ),
    );
    site.try_build(&[])
        .assert_ok()
        .assert_points_at("content/cases/a.md", 8);
    let page = site.output().page("/cases/a/");
    assert!(!page.source.contains("alert"), "{}", page.source);
}
