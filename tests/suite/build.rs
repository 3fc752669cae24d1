//! `herald build` end to end: where pages land, base URLs, the home page, feeds and sitemaps,
//! drafts and aliases, themes, static files and page bundles.

use super::util::*;

// ------------------------------------------------------------------ URLs

#[test]
fn reports_and_pages_get_pretty_urls() {
    let out = Site::new()
        .file(
            "content/cases/2022-sanjia.md",
            &report("「三家」工作法", "2022-10-08", "", "正文。"),
        )
        .file("content/about.md", &plain_page("关于我们", "本站介绍。"))
        .build();
    assert!(
        out.exists("cases/2022-sanjia/index.html"),
        "output has: {:#?}",
        out.files()
    );
    assert!(
        out.exists("about/index.html"),
        "output has: {:#?}",
        out.files()
    );
    assert!(!out.exists("cases/2022-sanjia.html"));
    assert!(!out.exists("about.html"));
    assert_eq!(
        out.page("/cases/2022-sanjia/").text("main h1"),
        "「三家」工作法"
    );
    assert_eq!(out.page("/about/").text("main h1"), "关于我们");
    out.page("/cases/").assert_links_to("/cases/2022-sanjia/");
}

#[test]
fn chinese_file_and_folder_names_get_pinyin_slugs() {
    let out = Site::new()
        .file(
            "content/cases/三家工作法.md",
            &report("三家工作法", "2022-10-08", "", "正文。"),
        )
        .file(
            "content/cases/2023年/四型机关.md",
            &report("四型机关", "2023-01-05", "", "正文。"),
        )
        .build();
    assert!(
        out.has_page("/cases/san-jia-gong-zuo-fa/"),
        "output has: {:#?}",
        out.files()
    );
    assert!(
        out.has_page("/cases/2023-nian/si-xing-ji-guan/"),
        "output has: {:#?}",
        out.files()
    );
    assert_eq!(
        out.page("/cases/san-jia-gong-zuo-fa/").text("main h1"),
        "三家工作法"
    );
    out.page("/cases/")
        .assert_links_to("/cases/san-jia-gong-zuo-fa/");
    out.page("/")
        .assert_links_to("/cases/2023-nian/si-xing-ji-guan/");
}

#[test]
fn slug_in_front_matter_wins_over_the_file_name() {
    let out = Site::new()
        .file(
            "content/cases/三家工作法.md",
            &report("三家工作法", "2022-10-08", "slug: sanjia", "正文。"),
        )
        .build();
    assert!(
        out.has_page("/cases/sanjia/"),
        "output has: {:#?}",
        out.files()
    );
    assert!(
        !out.exists("cases/san-jia-gong-zuo-fa"),
        "the file name's slug was used too"
    );
    out.page("/cases/").assert_links_to("/cases/sanjia/");
}

// ------------------------------------------------------------------ base URL

fn sub_folder_site() -> Site {
    Site::new()
        .file(
            "site.yaml",
            "title: 民政党建\nbase_url: https://example.org/minzheng/\nmenu:\n  - {name: 首页, url: /}\n  - {name: 案例, url: /cases/}\n",
        )
        .file("content/brands/sanjia.md", &brand("三家工作法", "", "品牌介绍。"))
        .file(
            "content/cases/a.md",
            &report("案例一", "2022-10-08", "brand: sanjia\ntags: [党建引领]", "见[品牌](../brands/sanjia.md)，另见[关于](/about/)。"),
        )
        .file("content/about.md", &plain_page("关于", "本站介绍。"))
}

#[test]
fn sub_folder_base_url_prefixes_every_root_relative_link() {
    let out = sub_folder_site().build();
    assert!(
        out.has_page("/cases/a/"),
        "pages still land at the output root: {:#?}",
        out.files()
    );
    assert!(
        !out.exists("minzheng"),
        "the base path must not become a folder of the output"
    );
    for url in [
        "/",
        "/cases/",
        "/cases/a/",
        "/brands/",
        "/brands/sanjia/",
        "/about/",
        "/tags/",
        "/404.html",
    ] {
        let page = out.page(url);
        for (css, attr) in [
            ("a[href]", "href"),
            ("link[href]", "href"),
            ("script[src]", "src"),
            ("img[src]", "src"),
        ] {
            for value in page.attrs(css, attr) {
                if value.starts_with('/') && !value.starts_with("//") {
                    assert!(
                        value.starts_with("/minzheng/"),
                        "{url}: <{css}> {attr}={value:?} misses the base path /minzheng/"
                    );
                }
            }
        }
    }
    let a = out.page("/cases/a/");
    a.assert_links_to("/minzheng/brands/sanjia/");
    a.assert_links_to("/minzheng/about/");
    out.page("/").assert_links_to("/minzheng/cases/a/");
    assert!(
        out.page("/").has("a[href=\"/minzheng/cases/\"]"),
        "the menu's /cases/ needs the base path"
    );
}

#[test]
fn sub_folder_canonical_links_are_absolute() {
    let out = sub_folder_site().build();
    assert_eq!(
        out.page("/cases/a/").attr("link[rel=canonical]", "href"),
        "https://example.org/minzheng/cases/a/"
    );
    assert_eq!(
        out.page("/brands/sanjia/")
            .attr("link[rel=canonical]", "href"),
        "https://example.org/minzheng/brands/sanjia/"
    );
    assert_eq!(
        out.page("/").attr("link[rel=canonical]", "href"),
        "https://example.org/minzheng/"
    );
}

#[test]
fn base_url_flag_overrides_site_yaml() {
    let site = sub_folder_site();
    let out = site.build_with(&["--base-url", "https://other.example/sub/"]);
    let a = out.page("/cases/a/");
    assert_eq!(
        a.attr("link[rel=canonical]", "href"),
        "https://other.example/sub/cases/a/"
    );
    a.assert_links_to("/sub/brands/sanjia/");
    assert!(
        !a.source.contains("/minzheng/"),
        "site.yaml's base path leaked into the page"
    );
    let sitemap = out.read("sitemap.xml");
    assert!(
        xml_texts(&sitemap, "loc")
            .iter()
            .all(|l| l.starts_with("https://other.example/sub/")),
        "{sitemap}"
    );
}

// ------------------------------------------------------------------ home, sitemap, feed

fn newsroom() -> Site {
    Site::new()
        .file(
            "content/brands/sanjia.md",
            &brand("三家工作法", "weight: 1", "介绍。"),
        )
        .file(
            "content/brands/sixing.md",
            &brand("四型机关", "weight: 2", "介绍。"),
        )
        .file(
            "content/cases/old.md",
            &report(
                "最早的案例",
                "2020-05-01",
                "brand: sanjia\ntags: [党建引领]\nregion: 徐州市",
                "正文。",
            ),
        )
        .file(
            "content/cases/mid.md",
            &report(
                "中间的案例",
                "2021-06-01",
                "brand: sixing\ntags: [养老服务]\norg: 福州市民政局",
                "正文。",
            ),
        )
        .file(
            "content/cases/new.md",
            &report(
                "最新的案例",
                "2023-03-01",
                "brand: sanjia\ntags: [党建引领]",
                "正文。",
            ),
        )
        .file("content/about.md", &plain_page("关于", "本站介绍。"))
}

#[test]
fn home_page_lists_latest_reports_newest_first_and_brands() {
    let out = newsroom().build();
    let home = out.page("/");
    let reports: Vec<String> = home
        .links_in("main")
        .into_iter()
        .filter(|h| ["/cases/new/", "/cases/mid/", "/cases/old/"].contains(&h.as_str()))
        .collect();
    assert_eq!(
        reports,
        ["/cases/new/", "/cases/mid/", "/cases/old/"],
        "home links: {:?}",
        home.links_in("main")
    );
    home.assert_links_to("/brands/sanjia/");
    home.assert_links_to("/brands/sixing/");
    home.assert_main_contains("三家工作法");
    home.assert_main_contains("四型机关");
    assert!(
        !home.has("main a[href=\"/about/\"]"),
        "an ordinary page is listed among the reports"
    );
    assert_eq!(home.text("title"), "测试站");
}

#[test]
fn home_page_shows_the_ten_newest_reports() {
    let mut site = Site::new();
    for day in 1..=12 {
        site = site.file(
            &format!("content/cases/r{day:02}.md"),
            &report(
                &format!("第{day}号案例"),
                &format!("2022-01-{day:02}"),
                "",
                "正文。",
            ),
        );
    }
    let out = site.build();
    let home = out.page("/");
    for day in 3..=12 {
        home.assert_links_to(&format!("/cases/r{day:02}/"));
    }
    for day in 1..=2 {
        assert!(
            !home.has(&format!("main a[href=\"/cases/r{day:02}/\"]")),
            "an old report r{day:02} is on the home page"
        );
    }
}

#[test]
fn sitemap_lists_reports_pages_brands_and_sections() {
    let out = newsroom().build();
    let sitemap = out.read("sitemap.xml");
    assert_well_formed_xml(&sitemap);
    assert!(
        sitemap.contains("http://www.sitemaps.org/schemas/sitemap/0.9"),
        "{sitemap}"
    );
    let locs = xml_texts(&sitemap, "loc");
    for path in [
        "",
        "cases/new/",
        "cases/mid/",
        "cases/old/",
        "about/",
        "brands/",
        "brands/sanjia/",
        "brands/sixing/",
        "cases/",
    ] {
        let url = format!("https://example.org/{path}");
        assert!(locs.contains(&url), "sitemap lacks {url}: {locs:#?}");
    }
    let mut unique = locs.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), locs.len(), "sitemap repeats URLs: {locs:#?}");
}

#[test]
fn sitemap_lists_every_html_page_in_the_output() {
    let out = newsroom().build();
    let locs = xml_texts(&out.read("sitemap.xml"), "loc");
    let mut missing = Vec::new();
    for file in out.files() {
        let Some(dir) = file.strip_suffix("index.html") else {
            continue;
        };
        if dir.contains("/page/") || dir.starts_with("page/") {
            continue; // pagination repeats a list
        }
        let page = out.page(&format!("/{dir}"));
        if page.has("meta[http-equiv=refresh]") {
            continue; // alias redirects are not pages
        }
        if page.has("meta[name=robots][content=noindex]") {
            continue; // the search page: not for search engines
        }
        let url = format!("https://example.org/{dir}");
        if !locs.contains(&url) {
            missing.push(url);
        }
    }
    assert!(
        missing.is_empty(),
        "pages missing from sitemap.xml: {missing:#?}\nsitemap has: {locs:#?}"
    );
}

#[test]
fn atom_feed_is_well_formed_with_one_entry_per_report_newest_first() {
    let out = newsroom().build();
    let feed = out.read("atom.xml");
    assert!(feed.trim_start().starts_with("<?xml"), "{feed}");
    assert_well_formed_xml(&feed);
    assert!(
        feed.contains("<feed xmlns=\"http://www.w3.org/2005/Atom\""),
        "{feed}"
    );
    let entries = xml_blocks(&feed, "entry");
    assert_eq!(
        entries.len(),
        3,
        "one entry per report, pages like about.md excluded:\n{feed}"
    );
    let titles: Vec<String> = entries
        .iter()
        .map(|e| xml_texts(e, "title").concat())
        .collect();
    assert_eq!(titles, ["最新的案例", "中间的案例", "最早的案例"]);
    for (entry, slug) in entries.iter().zip(["new", "mid", "old"]) {
        let link = xml_blocks(entry, "link")
            .first()
            .and_then(|l| xml_attr(l, "href"));
        assert_eq!(
            link.as_deref(),
            Some(format!("https://example.org/cases/{slug}/").as_str()),
            "{entry}"
        );
        assert_eq!(xml_texts(entry, "id").len(), 1, "{entry}");
        let updated = xml_texts(entry, "updated").concat();
        assert!(
            updated.starts_with("20") && updated.contains('T'),
            "updated should be RFC 3339: {entry}"
        );
    }
    let home = out.page("/");
    assert_eq!(
        home.attr("link[rel=alternate][type=\"application/atom+xml\"]", "href"),
        "/atom.xml"
    );
}

#[test]
fn robots_txt_points_to_the_sitemap() {
    let out = newsroom().build();
    let robots = out.read("robots.txt");
    assert!(
        robots
            .lines()
            .any(|l| l.trim() == "Sitemap: https://example.org/sitemap.xml"),
        "robots.txt:\n{robots}"
    );
}

#[test]
fn not_found_page_is_written() {
    let out = newsroom().build();
    assert!(out.exists("404.html"));
    let page = out.page("/404.html");
    assert!(page.has("main h1"), "404 page has no heading");
    page.assert_links_to("/");
}

// ------------------------------------------------------------------ drafts and aliases

fn with_draft() -> Site {
    Site::new()
        .file(
            "content/cases/done.md",
            &report("已发布的案例", "2022-01-01", "", "正文。"),
        )
        .file(
            "content/cases/wip.md",
            &report(
                "尚未定稿的案例",
                "2023-01-01",
                "draft: true\ntags: [草稿标签]",
                "正文。",
            ),
        )
}

#[test]
fn drafts_are_left_out_by_default() {
    let out = with_draft().build();
    assert!(
        !out.exists("cases/wip"),
        "the draft was published: {:#?}",
        out.files()
    );
    out.page("/cases/").assert_main_lacks("尚未定稿的案例");
    out.page("/").assert_main_lacks("尚未定稿的案例");
    assert!(!out.read("sitemap.xml").contains("/cases/wip/"));
    assert!(!out.read("atom.xml").contains("尚未定稿的案例"));
    assert!(
        !out.read("tags/index.html").contains("草稿标签"),
        "the draft's tag is listed"
    );
    assert!(out.has_page("/cases/done/"));
}

#[test]
fn drafts_flag_publishes_drafts() {
    let out = with_draft().build_with(&["--drafts"]);
    assert!(
        out.has_page("/cases/wip/"),
        "output has: {:#?}",
        out.files()
    );
    assert_eq!(out.page("/cases/wip/").text("main h1"), "尚未定稿的案例");
    out.page("/cases/").assert_links_to("/cases/wip/");
}

#[test]
fn aliases_become_redirect_pages() {
    let out = Site::new()
        .file(
            "content/cases/a.md",
            &report(
                "案例一",
                "2022-01-01",
                "aliases: [/old/path/, legacy.html]",
                "正文。",
            ),
        )
        .build();
    for file in ["old/path/index.html", "legacy.html"] {
        assert!(
            out.exists(file),
            "no redirect at {file}: {:#?}",
            out.files()
        );
        let page = out.page(&format!("/{file}"));
        let refresh = page.attr("meta[http-equiv=refresh]", "content");
        let target = refresh
            .split_once("url=")
            .map(|(_, u)| u.trim())
            .unwrap_or("");
        assert_eq!(target, "/cases/a/", "{file}: meta refresh is {refresh:?}");
        assert!(
            page.has("a[href=\"/cases/a/\"]"),
            "{file} should also link to the new URL"
        );
    }
}

#[test]
fn alias_redirects_respect_the_base_path() {
    let out = Site::new()
        .file(
            "site.yaml",
            "title: t\nbase_url: https://example.org/minzheng/\n",
        )
        .file(
            "content/cases/a.md",
            &report("案例一", "2022-01-01", "aliases: [/old/]", "正文。"),
        )
        .build();
    let refresh = out
        .page("/old/")
        .attr("meta[http-equiv=refresh]", "content");
    assert!(
        refresh.ends_with("url=/minzheng/cases/a/"),
        "meta refresh is {refresh:?}"
    );
}

// ------------------------------------------------------------------ themes and templates

#[test]
fn site_without_themes_folder_builds_with_the_embedded_theme() {
    let site = Site::new().file(
        "content/cases/a.md",
        &report("案例一", "2022-01-01", "", "正文。"),
    );
    assert!(!site.path("themes").exists());
    let out = site.build();
    let page = out.page("/cases/a/");
    assert!(page.has("main#main"), "not the default theme's page shell");
    // The stylesheet by its fingerprinted name (`/css/style.<10 hex>.css`), the same bytes
    // as the plain name, which is written too.
    let href = page
        .attrs("link[rel=stylesheet]", "href")
        .first()
        .cloned()
        .unwrap_or_default();
    let hash = href
        .strip_prefix("/css/style.")
        .and_then(|h| h.strip_suffix(".css"))
        .unwrap_or_default();
    assert!(
        hash.len() == 10 && hash.chars().all(|c| c.is_ascii_hexdigit()),
        "the stylesheet is {href:?}"
    );
    assert_eq!(
        out.read(href.trim_start_matches('/')),
        out.read("css/style.css")
    );
    assert!(
        !out.read("css/style.css").trim().is_empty(),
        "the theme's stylesheet was not copied"
    );
    assert!(out.exists("js/herald.js"));
    assert_eq!(page.text("title"), "案例一 - 测试站");
}

#[test]
fn site_templates_folder_overrides_a_theme_template() {
    let out = Site::new()
        .file(
            "templates/page.html",
            "{% extends \"base.html\" %}\n{% block main %}<div id=\"custom\">自定义：{{ page.title }}</div>{% endblock main %}\n",
        )
        .file("content/cases/a.md", &report("案例一", "2022-01-01", "", "正文。"))
        .build();
    let page = out.page("/cases/a/");
    assert_eq!(page.text("main #custom"), "自定义：案例一");
    assert!(
        !page.has("main h1"),
        "the theme's page.html was used instead of the site's"
    );
    // Templates not overridden still come from the theme.
    assert_eq!(out.page("/").text("main h1"), "测试站");
}

#[test]
fn template_key_in_front_matter_picks_the_template() {
    let out = Site::new()
        .file("templates/special.html", "<!DOCTYPE html><html><body><main><p id=\"special\">{{ page.title }}</p></main></body></html>\n")
        .file("content/cases/a.md", &report("特别页", "2022-01-01", "template: special.html", "正文。"))
        .file("content/cases/b.md", &report("普通页", "2022-01-02", "", "正文。"))
        .build();
    assert_eq!(out.page("/cases/a/").text("#special"), "特别页");
    assert_eq!(out.page("/cases/b/").text("main h1"), "普通页");
}

#[test]
fn theme_named_in_site_yaml_is_used_over_the_default() {
    let out = Site::new()
        .file("site.yaml", "title: 测试站\ntheme: plain\n")
        .file(
            "themes/plain/templates/page.html",
            "{% extends \"base.html\" %}\n{% block main %}<p id=\"plain\">{{ page.title }}</p>{% endblock main %}\n",
        )
        .file("themes/plain/static/css/extra.css", "p{}\n")
        .file("content/cases/a.md", &report("案例一", "2022-01-01", "", "正文。"))
        .build();
    assert_eq!(out.page("/cases/a/").text("#plain"), "案例一");
    assert_eq!(out.read("css/extra.css"), "p{}\n");
}

#[test]
fn site_title_description_and_menu_appear_on_pages() {
    let out = Site::new()
        .file(
            "site.yaml",
            "title: 民政党建品牌展示\ndescription: 案例汇编\nbase_url: https://example.org/\nmenu:\n  - {name: 首页, url: /}\n  - {name: 关于本站, url: /about/}\n",
        )
        .file("content/about.md", &plain_page("关于", "x"))
        .build();
    let page = out.page("/about/");
    assert_eq!(page.text("title"), "关于 - 民政党建品牌展示");
    let menu: Vec<String> = page
        .all("header a[href=\"/about/\"]")
        .into_iter()
        .map(text_of)
        .collect();
    assert_eq!(
        menu,
        ["关于本站"],
        "the menu of site.yaml is not in the header"
    );
    assert_eq!(
        out.page("/").attr("meta[name=description]", "content"),
        "案例汇编"
    );
}

// ------------------------------------------------------------------ static files and bundles

#[test]
fn static_folder_is_copied_as_is_and_wins_over_the_theme() {
    let logo: &[u8] = &[
        0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 1, 2, 3, 255,
    ];
    let out = Site::new()
        .bytes("static/images/logo.png", logo)
        .file("static/css/style.css", "body{color:black}\n")
        .file("static/files/通知.txt", "附件\n")
        .build();
    assert_eq!(out.read_bytes("images/logo.png"), logo);
    assert_eq!(
        out.read("css/style.css"),
        "body{color:black}\n",
        "the site's static/ must win over the theme"
    );
    assert_eq!(out.read("files/通知.txt"), "附件\n");
}

#[test]
fn page_bundle_images_are_copied_beside_the_page() {
    let jpeg = tiny_jpeg();
    let out = Site::new()
        .file(
            "content/cases/foo/index.md",
            &report(
                "图文案例",
                "2022-01-01",
                "cover: img.jpg",
                "![服务大厅](img.jpg)\n\n正文。",
            ),
        )
        .bytes("content/cases/foo/img.jpg", &jpeg)
        .build();
    assert!(
        out.has_page("/cases/foo/"),
        "output has: {:#?}",
        out.files()
    );
    // Re-encoded (without its metadata), at its own size: a photo is never enlarged.
    let published = image::load_from_memory(&out.read_bytes("cases/foo/img.jpg")).expect("a JPEG");
    assert_eq!((published.width(), published.height()), (64, 48));
    let page = out.page("/cases/foo/");
    assert_eq!(page.attr(".content img", "src"), "/cases/foo/img.jpg");
    assert_eq!(page.attr(".content img", "alt"), "服务大厅");
    let list = out.page("/cases/");
    assert!(
        list.attrs("main img", "src")
            .contains(&"/cases/foo/img.jpg".to_string()),
        "the cover is not shown on the list"
    );
}

#[test]
fn base_url_without_a_trailing_slash_works() {
    let out = Site::new()
        .file(
            "site.yaml",
            "title: t\nbase_url: https://example.org/minzheng\n",
        )
        .file(
            "content/cases/a.md",
            &report("案例一", "2022-01-01", "", "正文。"),
        )
        .build();
    let page = out.page("/cases/a/");
    assert_eq!(
        page.attr("link[rel=canonical]", "href"),
        "https://example.org/minzheng/cases/a/"
    );
    out.page("/").assert_links_to("/minzheng/cases/a/");
}

#[test]
fn titles_with_markup_characters_are_shown_literally() {
    let out = Site::new()
        .file(
            "content/cases/a.md",
            &report("\"<b>粗</b> & 细\"", "2022-01-01", "", "正文。"),
        )
        .build();
    let page = out.page("/cases/a/");
    assert_eq!(page.text("main h1"), "<b>粗</b> & 细");
    assert!(!page.has("main h1 b"), "the title became markup");
    assert_eq!(page.text("title"), "<b>粗</b> & 细 - 测试站");
    assert!(out
        .page("/cases/")
        .texts("main a")
        .iter()
        .any(|t| t == "<b>粗</b> & 细"));
    let feed = out.read("atom.xml");
    assert_well_formed_xml(&feed);
    assert_eq!(
        xml_texts(xml_blocks(&feed, "entry")[0], "title"),
        ["<b>粗</b> & 细"]
    );
}

#[test]
fn dates_written_the_chinese_way_are_accepted() {
    let out = Site::new()
        .file(
            "content/cases/a.md",
            &report("甲", "2022年10月8日", "", "正文。"),
        )
        .file(
            "content/cases/b.md",
            &report("乙", "2022/9/1", "", "正文。"),
        )
        .file(
            "content/cases/c.md",
            &report("丙", "2022.11.20 19:30", "", "正文。"),
        )
        .build();
    assert_eq!(
        out.page("/cases/a/").attr("main time", "datetime"),
        "2022-10-08"
    );
    assert_eq!(
        out.page("/cases/b/").attr("main time", "datetime"),
        "2022-09-01"
    );
    assert_eq!(out.page("/cases/a/").text("main time"), "2022年10月8日");
    let order: Vec<String> = out
        .page("/cases/")
        .links_in("main")
        .into_iter()
        .filter(|h| ["/cases/a/", "/cases/b/", "/cases/c/"].contains(&h.as_str()))
        .collect();
    assert_eq!(
        order,
        ["/cases/c/", "/cases/a/", "/cases/b/"],
        "newest first"
    );
}

#[test]
fn editor_temporary_files_are_not_published() {
    let out = Site::new()
        .file(
            "content/cases/a.md",
            &report("甲", "2022-01-01", "", "正文。"),
        )
        .file("content/cases/a.md~", "---\ntitle: 备份\n")
        .file("content/cases/.a.md.swp", "swap")
        .file("content/cases/~$草稿.md", "lock")
        .file("static/.DS_Store", "junk")
        .file("static/Thumbs.db", "junk")
        .build();
    let files = out.files();
    for junk in ["a.md~", ".a.md.swp", ".DS_Store", "Thumbs.db", "~$"] {
        assert!(
            !files.iter().any(|f| f.contains(junk)),
            "{junk} was published: {files:#?}"
        );
    }
    assert!(out.has_page("/cases/a/"));
}

#[test]
fn theme_settings_in_site_yaml_reach_the_theme() {
    let out = Site::new()
        .file(
            "site.yaml",
            "title: 测试站\ntheme_settings:\n  tagline: 用心用情 服务为民\n  icp: 京ICP备12345678号\n  accent: \"#0d47a1\"\n",
        )
        .build();
    let home = out.page("/");
    home.assert_main_contains("用心用情 服务为民");
    assert!(
        home.text("footer").contains("京ICP备12345678号"),
        "footer: {}",
        home.text("footer")
    );
    assert_eq!(home.attr("meta[name=theme-color]", "content"), "#0d47a1");
}

#[test]
fn templates_see_site_and_page_extra_data() {
    let out = Site::new()
        .file("site.yaml", "title: 测试站\nlanguage: zh-Hans\nextra:\n  hotline: \"12345\"\n")
        .file(
            "templates/page.html",
            "<!DOCTYPE html><html lang=\"{{ site.language }}\"><body><main><p id=\"hotline\">{{ site.extra.hotline }}</p><p id=\"owner\">{{ page.extra.owner }}</p></main></body></html>\n",
        )
        .file("content/cases/a.md", &report("甲", "2022-01-01", "extra:\n  owner: 张科长", "正文。"))
        .build();
    let page = out.page("/cases/a/");
    assert_eq!(page.text("#hotline"), "12345");
    assert_eq!(page.text("#owner"), "张科长");
    assert_eq!(page.attr("html", "lang"), "zh-Hans");
    assert_eq!(
        out.page("/").attr("html", "lang"),
        "zh-Hans",
        "the theme's <html lang> ignores site.yaml"
    );
}

// ------------------------------------------------------------------ relative mode

#[test]
fn relative_urls_in_site_yaml_make_every_internal_url_a_file_that_exists() {
    let site = one_report_site()
        .file(
            "site.yaml",
            "title: 测试站\nbase_url: https://example.org/minzheng/\nrelative_urls: true\nmenu: [{name: 关于, url: /about/}]\n",
        )
        .file("content/about.md", &plain_page("关于", "[案例](cases/a.md)"))
        .file(
            "content/cases/p/index.md",
            &report("图", "2022-02-01", "brand: sanjia\ncover: p.jpg", "![图](p.jpg)"),
        )
        .bytes("content/cases/p/p.jpg", &tiny_jpeg());
    let out = site.build();
    let mut checked = 0;
    for rel in out.files().iter().filter(|f| f.ends_with(".html")) {
        let page = out.page(&format!("/{}", rel.trim_end_matches("index.html")));
        let dir = out.path(rel);
        let dir = dir.parent().expect("a folder");
        let mut urls: Vec<String> = page.attrs("[href]", "href");
        urls.extend(page.attrs("[src]", "src"));
        for s in page.attrs("[srcset]", "srcset") {
            urls.extend(
                s.split(", ")
                    .filter_map(|c| c.split(' ').next())
                    .map(String::from),
            );
        }
        for u in urls {
            if u.contains("://") || u.starts_with('#') || u.starts_with("mailto:") {
                continue;
            }
            assert!(!u.starts_with('/'), "{rel}: {u} is not relative");
            let path = u.split(['#', '?']).next().unwrap_or("");
            assert!(
                path.is_empty() || !path.ends_with('/'),
                "{rel}: {u} is a folder URL (file:// shows a listing)"
            );
            let target = dir.join(path);
            assert!(
                target.is_file(),
                "{rel}: {u} → {} does not exist",
                target.display()
            );
            checked += 1;
        }
    }
    assert!(checked > 50, "only {checked} URLs checked");
    // The feed and the sitemap keep absolute URLs.
    assert!(out
        .read("sitemap.xml")
        .contains("https://example.org/minzheng/cases/a/"));
}
