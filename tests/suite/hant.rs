//! The Traditional-script mirror (`zh_hant:` in site.yaml): every page again under `/zh-hant/`,
//! converted phrase by phrase, linked both ways, in the sitemap, searchable, and followed by
//! the preview.

use super::serve::{reload_until, subscribed, Server};
use super::util::*;

fn yaml(zh_hant: &str) -> String {
    format!("{SITE_YAML}menu:\n  - {{name: 首页, url: /}}\n  - {{name: 案例, url: /cases/}}\nzh_hant:\n{zh_hant}")
}

/// A site with the words the Taiwan variant changes (软件, 网络, 信息), code, an `extra` value
/// the theme prints, a link between reports and a photo.
fn mirror_site(zh_hant: &str) -> Site {
    Site::new()
        .file("site.yaml", &yaml(zh_hant))
        .file(
            "content/brands/sanjia.md",
            &brand("三家工作法", "slogan: 服务对象当家人\nregion: 徐州市", "品牌介绍：老龄办牵头。"),
        )
        .file(
            "content/cases/a.md",
            &report(
                "网络办事软件上线",
                "2022-10-08",
                "brand: sanjia\ntags: [养老服务]\nextra: {note: 这里的说明照原样显示}",
                "群众通过网络查询信息，老龄办的软件很好用。\n\n见[另一篇](b.md)。\n\n\
                 行内代码 `软件` 不转换。\n\n```text\n代码里的软件也不转换\n```\n\n里程碑式的进展。\n",
            ),
        )
        .file(
            "content/cases/b.md",
            &report("长者食堂", "2022-09-01", "brand: sanjia\ntags: [养老服务]", "长者食堂开业。\n"),
        )
}

#[test]
fn the_mirror_writes_every_page_again_in_traditional_script() {
    let site = mirror_site("  variant: tw\n");
    let out = site.build();
    let page = out.page("/zh-hant/cases/a/");
    assert_eq!(page.attr("html", "lang"), "zh-Hant-TW");
    assert_eq!(page.text("h1"), "網路辦事軟體上線");
    let main = page.text("main");
    // Taiwan phrasing, phrase by phrase (OpenCC s2twp).
    assert!(main.contains("群眾通過網路查詢資訊"), "{main}");
    // Code stays as written; `extra` is printed as the site wrote it.
    assert_eq!(page.text("main p code"), "软件");
    assert!(
        page.text("pre").contains("代码里的软件也不转换"),
        "{}",
        page.text("pre")
    );
    assert!(main.contains("这里的说明照原样显示"), "{main}");
    // Links to pages stay in the mirror; files (CSS) exist once for both scripts.
    let hrefs: Vec<String> = page
        .all("a[href]")
        .iter()
        .filter_map(|a| a.value().attr("href").map(str::to_string))
        .collect();
    assert!(
        hrefs.contains(&"/zh-hant/cases/b/".to_string()),
        "{hrefs:?}"
    );
    assert!(
        hrefs.contains(&"/zh-hant/brands/sanjia/".to_string()),
        "{hrefs:?}"
    );
    assert!(
        hrefs.contains(&"/zh-hant/cases/".to_string()),
        "menu: {hrefs:?}"
    );
    let css = page.attr("link[rel=stylesheet]", "href");
    assert!(
        css.starts_with("/css/") && out.exists(css.trim_start_matches('/')),
        "{css}"
    );
    // The theme's own words are converted too.
    assert!(
        page.text("header").contains("首頁"),
        "{}",
        page.text("header")
    );

    // Every kind of page, at the same paths below /zh-hant/: slugs are not converted.
    let term_url = out
        .page("/cases/a/")
        .attr(".terms a, a[href*='/tags/']", "href");
    assert!(term_url.starts_with("/tags/"), "{term_url}");
    for url in [
        "/zh-hant/".to_string(),
        "/zh-hant/cases/".to_string(),
        "/zh-hant/brands/".to_string(),
        "/zh-hant/tags/".to_string(),
        format!("/zh-hant{term_url}"),
        "/zh-hant/search/".to_string(),
    ] {
        assert!(out.has_page(&url), "{url} is missing from the mirror");
    }
    let brand = out.page("/zh-hant/brands/sanjia/");
    assert!(
        brand.text("main").contains("服務物件當家人"),
        "{}",
        brand.text("main")
    );
    let term = out.page(&format!("/zh-hant{term_url}"));
    assert!(
        term.text("main").contains("養老服務"),
        "{}",
        term.text("main")
    );
    let feed = out.read("zh-hant/atom.xml");
    assert!(
        feed.contains("網路辦事軟體上線") && feed.contains("/zh-hant/cases/a/"),
        "{feed}"
    );
    // Written once: the sitemap, robots.txt and the 404 page.
    for once in ["sitemap.xml", "robots.txt", "404.html"] {
        assert!(
            !out.exists(&format!("zh-hant/{once}")),
            "{once} was written twice"
        );
    }
    // The Simplified site is as it was.
    assert_eq!(out.page("/cases/a/").text("h1"), "网络办事软件上线");
}

#[test]
fn every_page_links_the_same_page_in_the_other_script() {
    let out = mirror_site("  variant: tw\n").build();
    let hans = out.page("/cases/a/");
    let hant = out.page("/zh-hant/cases/a/");
    assert_eq!(hans.attr(".script-switch a", "href"), "/zh-hant/cases/a/");
    assert_eq!(hans.text(".script-switch .is-current"), "简体");
    assert_eq!(hant.attr(".script-switch a", "href"), "/cases/a/");
    assert_eq!(hant.text(".script-switch .is-current"), "繁體");
    for p in [&hans, &hant] {
        let alternates: Vec<(String, String)> = p
            .all("link[rel=alternate][hreflang]")
            .iter()
            .map(|l| {
                let v = l.value();
                (
                    v.attr("hreflang").unwrap_or("").to_string(),
                    v.attr("href").unwrap_or("").to_string(),
                )
            })
            .collect();
        assert_eq!(
            alternates,
            [
                (
                    "zh-CN".to_string(),
                    "https://example.org/cases/a/".to_string()
                ),
                (
                    "zh-Hant-TW".to_string(),
                    "https://example.org/zh-hant/cases/a/".to_string()
                ),
            ]
        );
    }
    // The sitemap lists both, each with both alternates.
    let sitemap = out.read("sitemap.xml");
    assert!(
        sitemap.contains("<loc>https://example.org/zh-hant/cases/a/</loc>"),
        "{sitemap}"
    );
    assert!(
        sitemap.contains("<loc>https://example.org/cases/a/</loc>"),
        "{sitemap}"
    );
    assert!(
        sitemap.contains(r#"<xhtml:link rel="alternate" hreflang="zh-Hant-TW" href="https://example.org/zh-hant/cases/a/"/>"#),
        "{sitemap}"
    );
    // A site without the mirror has no switch.
    let plain = Site::new()
        .file(
            "content/cases/a.md",
            &report("甲", "2022-01-01", "", "正文。"),
        )
        .build();
    assert!(!plain.page("/cases/a/").has(".script-switch"));
    assert!(!plain.exists("zh-hant/index.html"));
}

#[test]
fn words_the_site_keeps_and_its_own_phrases_win() {
    let out = mirror_site(
        "  variant: tw\n  keep: [老龄办]\n  phrases:\n    软件: 軟件\n    对象: 對象\n",
    )
    .build();
    let main = out.page("/zh-hant/cases/a/").text("main");
    assert!(main.contains("老龄办的軟件很好用"), "{main}");
    assert!(main.contains("里程碑式的進展"), "{main}");
    let brand = out.page("/zh-hant/brands/sanjia/").text("main");
    assert!(
        brand.contains("服務對象當家人") && brand.contains("老龄办牽頭"),
        "{brand}"
    );
}

#[test]
fn hong_kong_and_plain_variants() {
    let hk = mirror_site("  variant: hk\n").build();
    let page = hk.page("/zh-hant/cases/a/");
    assert_eq!(page.attr("html", "lang"), "zh-Hant-HK");
    assert!(page.text("main").contains("網絡"), "{}", page.text("main"));
    let plain = mirror_site("  variant: plain\n").build();
    let page = plain.page("/zh-hant/cases/a/");
    assert_eq!(page.attr("html", "lang"), "zh-Hant");
    assert_eq!(page.text("h1"), "網絡辦事軟件上線");
    // `zh_hant: true` is the Taiwan variant.
    let on = Site::new()
        .file("site.yaml", &format!("{SITE_YAML}zh_hant: true\n"))
        .file(
            "content/cases/a.md",
            &report("软件", "2022-01-01", "", "正文。"),
        )
        .build();
    assert_eq!(on.page("/zh-hant/cases/a/").text("h1"), "軟體");
}

#[test]
fn mistakes_in_zh_hant_point_at_their_line() {
    let site = mirror_site("  variant: cn\n");
    site.build_fails_lang("zh")
        .assert_points_at("site.yaml", 8)
        .assert_stderr_has("zh_hant.variant")
        .assert_stderr_has("tw");
    let site = mirror_site("  variant: tw\n  keeps: [老龄办]\n");
    site.build_fails_lang("en")
        .assert_points_at("site.yaml", 9)
        .assert_stderr_has("keep");
    let site = mirror_site("  phrases: [软件]\n");
    site.build_fails_lang("zh").assert_points_at("site.yaml", 8);
}

#[test]
fn a_site_page_inside_the_mirrors_folder_is_refused() {
    let site = mirror_site("  variant: tw\n")
        .file("content/zh-hant/x.md", "---\ntitle: 占位\n---\n\n正文。\n");
    site.build_fails_lang("zh")
        .assert_stderr_has("content/zh-hant/x.md")
        .assert_stderr_has("/zh-hant/x/")
        .assert_stderr_has("zh_hant");
}

#[test]
fn the_mirror_has_its_own_search_index() {
    let out = mirror_site("  variant: tw\n").build();
    assert!(out.exists("zh-hant/search/meta.json"));
    let page = out.page("/zh-hant/search/");
    let script = page.one("script[data-index]");
    assert_eq!(script.value().attr("data-index"), Some("/zh-hant/search/"));
    let docs: Vec<String> = out
        .files()
        .into_iter()
        .filter(|f| f.starts_with("zh-hant/search/d/"))
        .map(|f| {
            let b = out.read_bytes(&f);
            let units: Vec<u16> = b
                .chunks_exact(2)
                .map(|c| u16::from_le_bytes([c[0], c[1]]))
                .collect();
            String::from_utf16_lossy(&units)
        })
        .collect();
    assert!(
        docs.iter()
            .any(|d| d.contains("/zh-hant/cases/a/") && d.contains("網路辦事軟體上線")),
        "{docs:?}"
    );
}

#[test]
fn the_preview_shows_the_mirror_and_follows_edits() {
    let site = mirror_site("  variant: tw\n");
    let server = Server::start(site.root());
    let mut sse = subscribed(&server);
    let page = server.page("/zh-hant/cases/a/");
    assert!(page.text().contains("網路辦事軟體上線"));
    // A body edit (the quick path) and a title edit (the general path) both reach the mirror.
    site.write(
        "content/cases/a.md",
        &report(
            "网络办事软件上线",
            "2022-10-08",
            "brand: sanjia",
            "新写的信息。\n",
        ),
    );
    reload_until(&server, &mut sse, "/zh-hant/cases/a/", "新寫的資訊。");
    site.write(
        "content/cases/a.md",
        &report(
            "软件的新标题",
            "2022-10-08",
            "brand: sanjia",
            "新写的信息。\n",
        ),
    );
    reload_until(&server, &mut sse, "/zh-hant/cases/", "軟體的新標題");
    // A site.yaml edit: the site's own phrase.
    site.write(
        "site.yaml",
        &yaml("  variant: tw\n  phrases: {软件: 軟件}\n"),
    );
    reload_until(&server, &mut sse, "/zh-hant/cases/a/", "軟件的新標題");
    // The mirror's search index, made on request as the build writes it.
    let meta = server.get("/zh-hant/search/meta.json");
    assert_eq!(meta.status, 200);
}

#[test]
fn every_query_of_the_table_finds_its_pages_in_the_mirror_in_chromium() {
    if !super::browser::browser_available() {
        return;
    }
    // The example site with its mirror, previewed: the mirror's own index, under /zh-hant/.
    let site = super::browser::example_site();
    let yaml = std::fs::read_to_string(site.path("site.yaml")).expect("site.yaml");
    site.write("site.yaml", &format!("{yaml}\nzh_hant:\n  variant: tw\n"));
    let server = Server::start(site.root());
    let table = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/search_queries.tsv");
    let result = super::search::run_table(&server.url(), "/zh-hant/", &table);
    assert_eq!(result["ok"], serde_json::Value::Bool(true), "{result}");
    let bytes = result["first_query_bytes"].as_u64().unwrap_or(u64::MAX);
    assert!(bytes < 100_000, "the first query downloaded {bytes} bytes");
}

#[test]
fn turning_the_mirror_off_removes_it_from_the_output() {
    let site = mirror_site("  variant: tw\n");
    let out = site.build();
    assert!(out.has_page("/zh-hant/cases/a/"));
    site.write("site.yaml", SITE_YAML);
    let out = site.build();
    assert!(!out.exists("zh-hant/index.html") && !out.exists("zh-hant/cases/a/index.html"));
    assert!(out.has_page("/cases/a/"));
    assert!(!out.page("/cases/a/").has(".script-switch"));
}
