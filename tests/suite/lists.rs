//! List pages: sections with pagination, taxonomies (built-in and custom), summaries on lists,
//! and the word count / reading time of reports.

use super::util::*;

fn reports_in(page: &Page, known: &[&str]) -> Vec<String> {
    page.links_in("main")
        .into_iter()
        .filter(|h| known.contains(&h.as_str()))
        .collect()
}

const FIVE: [&str; 5] = [
    "/cases/r1/",
    "/cases/r2/",
    "/cases/r3/",
    "/cases/r4/",
    "/cases/r5/",
];

fn five_reports(site_yaml: &str) -> Site {
    let mut site = Site::new().file("site.yaml", site_yaml);
    for n in 1..=5 {
        site = site.file(
            &format!("content/cases/r{n}.md"),
            &report(&format!("第{n}篇"), &format!("2022-01-0{n}"), "", "正文。"),
        );
    }
    site
}

// ------------------------------------------------------------------ sections

#[test]
fn section_list_is_paginated_newest_first() {
    let out = five_reports("title: 测试站\nbase_url: https://example.org/\npaginate: 2\n").build();
    assert!(out.has_page("/cases/"));
    assert!(
        out.has_page("/cases/page/2/"),
        "output has: {:#?}",
        out.files()
    );
    assert!(
        out.has_page("/cases/page/3/"),
        "output has: {:#?}",
        out.files()
    );
    assert!(!out.exists("cases/page/4"), "one page too many");
    assert!(!out.has_page("/cases/page/1/"), "page 1 is /cases/ itself");

    let p1 = out.page("/cases/");
    let p2 = out.page("/cases/page/2/");
    let p3 = out.page("/cases/page/3/");
    assert_eq!(reports_in(&p1, &FIVE), ["/cases/r5/", "/cases/r4/"]);
    assert_eq!(reports_in(&p2, &FIVE), ["/cases/r3/", "/cases/r2/"]);
    assert_eq!(reports_in(&p3, &FIVE), ["/cases/r1/"]);

    p1.assert_links_to("/cases/page/2/");
    p2.assert_links_to("/cases/");
    p2.assert_links_to("/cases/page/3/");
    p3.assert_links_to("/cases/page/2/");
    assert!(!p3.has("main a[href=\"/cases/page/4/\"]"));
}

#[test]
fn section_index_md_sets_title_intro_and_page_size() {
    let out = five_reports("title: 测试站\n")
        .file(
            "content/cases/_index.md",
            "---\ntitle: 案例汇编\npaginate: 4\n---\n\n这里汇集了各单位的案例。\n",
        )
        .build();
    let list = out.page("/cases/");
    assert_eq!(list.text("main h1"), "案例汇编");
    list.assert_main_contains("这里汇集了各单位的案例。");
    assert_eq!(reports_in(&list, &FIVE).len(), 4);
    assert!(out.has_page("/cases/page/2/"));
    assert!(!out.exists("cases/page/3"));
    assert_eq!(
        reports_in(&out.page("/cases/page/2/"), &FIVE),
        ["/cases/r1/"]
    );
}

// ------------------------------------------------------------------ taxonomies

fn tagged() -> Site {
    Site::new()
        .file(
            "content/cases/a.md",
            &report(
                "案例甲",
                "2022-01-01",
                "tags: [党建引领, 养老服务]\nregion: 徐州市\norg: 徐州市民政局\nauthor: 张三",
                "正文。",
            ),
        )
        .file(
            "content/cases/b.md",
            &report(
                "案例乙",
                "2022-02-01",
                "tags: [党建引领]\nregion: 福州市\norg: 福州市民政局",
                "正文。",
            ),
        )
        .file(
            "content/cases/c.md",
            &report("案例丙", "2022-03-01", "", "正文。"),
        )
}

const ABC: [&str; 3] = ["/cases/a/", "/cases/b/", "/cases/c/"];

/// The link on a taxonomy index (`/tags/`) whose text names `term`.
fn term_href(index: &Page, prefix: &str, term: &str) -> String {
    index
        .all(&format!("main a[href^=\"{prefix}\"]"))
        .into_iter()
        .find(|a| text_of(*a).contains(term))
        .and_then(|a| a.value().attr("href").map(str::to_string))
        .unwrap_or_else(|| {
            panic!(
                "{} has no link to the term {term:?}; links: {:?}",
                index.url,
                index.links_in("main")
            )
        })
}

#[test]
fn tag_pages_list_the_reports_with_that_tag() {
    let out = tagged().build();
    let index = out.page("/tags/");
    let dangjian = term_href(&index, "/tags/", "党建引领");
    let yanglao = term_href(&index, "/tags/", "养老服务");
    assert_ne!(dangjian, "/tags/");
    assert_ne!(dangjian, yanglao);

    let term = out.page(&dangjian);
    assert_eq!(term.text("main h1"), "党建引领");
    assert_eq!(reports_in(&term, &ABC), ["/cases/b/", "/cases/a/"]);
    assert_eq!(reports_in(&out.page(&yanglao), &ABC), ["/cases/a/"]);
}

#[test]
fn region_and_org_pages_list_their_reports() {
    let out = tagged().build();
    let regions = out.page("/regions/");
    let xuzhou = term_href(&regions, "/regions/", "徐州市");
    assert_eq!(reports_in(&out.page(&xuzhou), &ABC), ["/cases/a/"]);
    let fuzhou = term_href(&regions, "/regions/", "福州市");
    assert_eq!(reports_in(&out.page(&fuzhou), &ABC), ["/cases/b/"]);

    let orgs = out.page("/orgs/");
    let org = term_href(&orgs, "/orgs/", "福州市民政局");
    assert_eq!(out.page(&org).text("main h1"), "福州市民政局");
    assert_eq!(reports_in(&out.page(&org), &ABC), ["/cases/b/"]);
}

#[test]
fn tag_slugs_are_pinyin() {
    let out = tagged().build();
    assert!(
        out.has_page("/tags/dang-jian-yin-ling/"),
        "output has: {:#?}",
        out.files()
    );
    assert!(
        out.has_page("/regions/xu-zhou-shi/"),
        "output has: {:#?}",
        out.files()
    );
}

#[test]
fn report_page_links_to_its_terms() {
    let out = tagged().build();
    let index = out.page("/tags/");
    let page = out.page("/cases/a/");
    page.assert_links_to(&term_href(&index, "/tags/", "党建引领"));
    page.assert_links_to(&term_href(&index, "/tags/", "养老服务"));
    page.assert_links_to(&term_href(&out.page("/regions/"), "/regions/", "徐州市"));
}

#[test]
fn custom_taxonomy_in_site_yaml_gets_pages() {
    let out = tagged()
        .file(
            "site.yaml",
            "title: 测试站\ntaxonomies:\n  - {name: authors, field: author, title: 作者}\n  - {name: tags, field: tags, title: 标签}\n",
        )
        .build();
    let index = out.page("/authors/");
    assert_eq!(index.text("main h1"), "作者");
    let zhang = term_href(&index, "/authors/", "张三");
    let term = out.page(&zhang);
    assert_eq!(term.text("main h1"), "张三");
    assert_eq!(reports_in(&term, &ABC), ["/cases/a/"]);
    assert!(out.has_page("/tags/"));
}

#[test]
fn taxonomy_term_pages_are_paginated() {
    let mut site = Site::new().file("site.yaml", "title: 测试站\npaginate: 2\n");
    for n in 1..=5 {
        site = site.file(
            &format!("content/cases/r{n}.md"),
            &report(
                &format!("第{n}篇"),
                &format!("2022-01-0{n}"),
                "tags: [民生]",
                "正文。",
            ),
        );
    }
    let out = site.build();
    let term = term_href(&out.page("/tags/"), "/tags/", "民生");
    assert_eq!(
        reports_in(&out.page(&term), &FIVE),
        ["/cases/r5/", "/cases/r4/"]
    );
    let page3 = format!("{term}page/3/");
    assert!(out.has_page(&page3), "no {page3}: {:#?}", out.files());
    assert_eq!(reports_in(&out.page(&page3), &FIVE), ["/cases/r1/"]);
}

// ------------------------------------------------------------------ summaries

#[test]
fn lists_show_the_text_before_the_more_marker() {
    let out = Site::new()
        .file(
            "content/cases/a.md",
            &report(
                "案例",
                "2022-01-01",
                "",
                "导语第一段。\n\n导语第二段。\n\n<!-- more -->\n\n正文里不该出现在列表的话。",
            ),
        )
        .build();
    for url in ["/cases/", "/"] {
        let list = out.page(url);
        list.assert_main_contains("导语第一段。");
        list.assert_main_contains("导语第二段。");
        list.assert_main_lacks("正文里不该出现在列表的话");
    }
    let page = out.page("/cases/a/");
    page.assert_main_contains("正文里不该出现在列表的话。");
    assert!(
        !page.source.contains("&lt;!-- more"),
        "the marker is shown as text"
    );
    let feed = out.read("atom.xml");
    let summary = xml_texts(&feed, "summary").concat();
    assert!(
        summary.contains("导语第一段") && !summary.contains("正文里不该出现"),
        "feed summary: {summary}"
    );
}

#[test]
fn lists_show_the_first_paragraph_without_a_marker() {
    let out = Site::new()
        .file(
            "content/cases/a.md",
            &report(
                "案例",
                "2022-01-01",
                "",
                "第一段是导语。\n\n第二段不该出现在列表。",
            ),
        )
        .build();
    let list = out.page("/cases/");
    list.assert_main_contains("第一段是导语。");
    list.assert_main_lacks("第二段不该出现在列表");
}

#[test]
fn summary_in_front_matter_wins_on_lists() {
    let out = Site::new()
        .file(
            "content/cases/a.md",
            &report(
                "案例",
                "2022-01-01",
                "summary: 这是手写的摘要。",
                "正文第一段不是摘要。",
            ),
        )
        .build();
    let list = out.page("/cases/");
    list.assert_main_contains("这是手写的摘要。");
    list.assert_main_lacks("正文第一段不是摘要");
    assert_eq!(
        out.page("/cases/a/")
            .attr("meta[name=description]", "content"),
        "这是手写的摘要。"
    );
}

// ------------------------------------------------------------------ reading time

#[test]
fn report_page_shows_reading_time_in_minutes() {
    let long = "民政服务为民。".repeat(143); // 1001 characters, 858 of them Han
    let out = Site::new()
        .file(
            "content/cases/long.md",
            &report("长文", "2022-01-01", "", &long),
        )
        .file(
            "content/cases/short.md",
            &report("短文", "2022-01-02", "", "很短。"),
        )
        .build();
    // About 400 Chinese characters a minute: 858 → 3 minutes; a line → 1 minute.
    out.page("/cases/long/").assert_main_contains("约 3 分钟");
    out.page("/cases/short/").assert_main_contains("约 1 分钟");
}

#[test]
fn templates_see_word_count_and_reading_time() {
    let out = Site::new()
        .file(
            "templates/page.html",
            "<!DOCTYPE html><html><body><main><p id=\"wc\">{{ page.word_count }}</p><p id=\"rt\">{{ page.reading_time }}</p></main></body></html>\n",
        )
        .file("content/cases/a.md", &report("案例", "2022-01-01", "", "三家工作法 works well"))
        .file("content/cases/b.md", &report("长文", "2022-01-02", "", &"党建".repeat(401)))
        .build();
    let a = out.page("/cases/a/");
    // Each Han character is a word, and so is each run of Latin letters.
    assert_eq!(a.text("#wc"), "7");
    assert_eq!(a.text("#rt"), "1");
    let b = out.page("/cases/b/");
    assert_eq!(b.text("#wc"), "802");
    assert_eq!(b.text("#rt"), "3");
}

#[test]
fn a_single_tag_without_brackets_is_a_tag() {
    let out = Site::new()
        .file(
            "content/cases/a.md",
            &report("甲", "2022-01-01", "tags: 党建引领", "正文。"),
        )
        .build();
    let term = term_href(&out.page("/tags/"), "/tags/", "党建引领");
    assert_eq!(reports_in(&out.page(&term), &ABC), ["/cases/a/"]);
}

// ------------------------------------------------------------------ report cards

#[test]
fn overriding_the_report_card_changes_every_list_and_related_grid() {
    let site = Site::new()
        .file("content/brands/sanjia.md", &brand("三家工作法", "", "介绍。"))
        .file(
            "content/cases/a.md",
            &report("案例甲", "2022-01-01", "brand: sanjia\ntags: [党建]", "正文。"),
        )
        .file(
            "content/cases/b.md",
            &report("案例乙", "2022-02-01", "brand: sanjia\ntags: [党建]", "正文。"),
        )
        .file(
            "templates/partials/report_card.html",
            "<article class=\"my-card\" data-brands=\"{{ grid_brands }}\"><a href=\"{{ p.url }}\">{{ p.title }}</a>（{{ site.title }}）</article>",
        );
    let out = site.build();
    let tag_url = term_href(&out.page("/"), "/tags/", "党建");
    for (url, expect_brands) in [
        ("/cases/", "true"),
        (tag_url.as_str(), "true"),
        ("/brands/sanjia/", "false"),
        ("/cases/a/", "false"),
    ] {
        let page = out.page(url);
        let cards = page.all("main article.my-card");
        assert!(!cards.is_empty(), "{url} has none of the site's cards");
        for card in cards {
            assert_eq!(
                card.value().attr("data-brands"),
                Some(expect_brands),
                "{url}"
            );
            assert!(
                text_of(card).contains("测试站"),
                "{url}: the card did not see `site`"
            );
        }
        assert!(
            !page.has("article.report-card"),
            "{url} still has the theme's cards"
        );
    }
}

#[test]
fn broken_report_card_template_is_reported_at_its_file() {
    let site = Site::new()
        .file(
            "content/cases/a.md",
            &report("案例甲", "2022-01-01", "", "正文。"),
        )
        .file(
            "templates/partials/report_card.html",
            "<article>{{ p.title }}\n{{ no_such_variable }}</article>\n",
        );
    site.build_fails()
        .assert_points_into("templates/partials/report_card.html")
        .assert_stderr_has("no_such_variable");
}
