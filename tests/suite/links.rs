//! Links between Markdown files: written as file paths, published as URLs, and checked — a
//! link to a file or heading that does not exist fails the build at its line.

use super::util::*;

fn linked(body_a: &str) -> Site {
    Site::new()
        .file(
            "content/brands/sanjia.md",
            &brand("三家工作法", "", "介绍。"),
        )
        .file("content/cases/_index.md", "---\ntitle: 案例\n---\n")
        .file(
            "content/cases/a.md",
            &report("案例甲", "2022-01-01", "", body_a),
        )
        .file(
            "content/cases/b.md",
            &report(
                "案例乙",
                "2022-02-01",
                "",
                "## 一、实施背景\n\n正文。\n\n## 二、主要做法\n\n正文。",
            ),
        )
        .file("content/about.md", &plain_page("关于", "本站介绍。"))
        .file("static/files/通知.pdf", "%PDF-1.4\n")
}

/// (path, decoded fragment) of an href.
fn split_href(href: &str) -> (String, String) {
    match href.split_once('#') {
        Some((p, f)) => (p.to_string(), percent_decode(f)),
        None => (href.to_string(), String::new()),
    }
}

#[test]
fn link_to_a_brand_file_becomes_the_brand_url() {
    let out = linked("详见[品牌介绍](../brands/sanjia.md)。").build();
    let page = out.page("/cases/a/");
    assert_eq!(page.attr(".content a", "href"), "/brands/sanjia/");
    assert_eq!(page.text(".content a"), "品牌介绍");
}

#[test]
fn link_to_a_heading_of_another_report_resolves() {
    let out = linked("详见[主要做法](b.md#主要做法)。").build();
    let page = out.page("/cases/a/");
    let (path, fragment) = split_href(&page.attr(".content a", "href"));
    assert_eq!(path, "/cases/b/");
    assert_eq!(fragment, "主要做法");
    assert!(
        out.page("/cases/b/").has(".content [id=\"主要做法\"]"),
        "the target heading has no such id"
    );
}

#[test]
fn links_to_pages_sections_and_static_files_resolve() {
    let out =
        linked("见[关于](../about.md)、[全部案例](_index.md)和[通知](/files/通知.pdf)。").build();
    let hrefs: Vec<String> = out
        .page("/cases/a/")
        .attrs(".content a", "href")
        .iter()
        .map(|h| percent_decode(h))
        .collect();
    assert_eq!(hrefs, ["/about/", "/cases/", "/files/通知.pdf"]);
    assert!(out.exists("files/通知.pdf"));
}

#[test]
fn link_to_a_heading_on_the_same_page_is_kept() {
    let out = linked("## 二、主要做法\n\n正文，见[上文](#主要做法)。").build();
    let (path, fragment) = split_href(&out.page("/cases/a/").attr(".content p a", "href"));
    assert_eq!((path.as_str(), fragment.as_str()), ("", "主要做法"));
}

#[test]
fn external_links_are_left_alone() {
    let out = linked("见[中国政府网](https://www.gov.cn/zhengce/)和[邮件](mailto:a@example.org)。")
        .build();
    let hrefs = out.page("/cases/a/").attrs(".content a", "href");
    assert_eq!(
        hrefs,
        ["https://www.gov.cn/zhengce/", "mailto:a@example.org"]
    );
}

#[test]
fn link_to_a_missing_file_fails_at_its_line() {
    // Body line 3 is file line 8 (four front matter lines and a blank line before the body).
    let site = linked("正文。\n\n见[缺失的文章](missing.md)。");
    let run = site.build_fails();
    run.assert_points_at("content/cases/a.md", 8)
        .assert_stderr_has("missing.md");
    assert!(!site.output().dir.exists(), "a failed build wrote output");
}

#[test]
fn link_to_a_missing_heading_fails_and_names_the_headings_there() {
    let site = linked("正文。\n\n见[做法](b.md#不存在的标题)。");
    let run = site.build_fails();
    run.assert_points_at("content/cases/a.md", 8)
        .assert_stderr_has("不存在的标题")
        .assert_stderr_has("主要做法");
}

#[test]
fn link_to_a_missing_heading_on_the_same_page_fails() {
    let site = linked("## 二、主要做法\n\n见[上文](#没有这个标题)。");
    site.build_fails()
        .assert_points_at("content/cases/a.md", 8)
        .assert_stderr_has("没有这个标题");
}

#[test]
fn missing_image_fails_at_its_line() {
    let site = linked("正文。\n\n![现场照片](photos/missing.jpg)");
    site.build_fails()
        .assert_points_at("content/cases/a.md", 8)
        .assert_stderr_has("photos/missing.jpg");
}

#[test]
fn missing_cover_fails_at_its_line() {
    let site = Site::new().file(
        "content/cases/a.md",
        &report("案例", "2022-01-01", "cover: nope.jpg", "正文。"),
    );
    site.build_fails()
        .assert_points_at("content/cases/a.md", 4)
        .assert_stderr_has("nope.jpg");
}

#[test]
fn links_resolve_under_a_sub_folder_base_url() {
    let out = linked("见[品牌](../brands/sanjia.md)和[做法](b.md#主要做法)。")
        .file(
            "site.yaml",
            "title: t\nbase_url: https://example.org/minzheng/\n",
        )
        .build();
    let hrefs = out.page("/cases/a/").attrs(".content a", "href");
    assert_eq!(hrefs[0], "/minzheng/brands/sanjia/");
    assert_eq!(
        split_href(&hrefs[1]),
        ("/minzheng/cases/b/".to_string(), "主要做法".to_string())
    );
}
