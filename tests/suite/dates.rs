//! Report dates as the source gives them: partial dates shown and sorted as written, times of
//! day kept, offsets converted, and a report without a date built with a warning, never a
//! made-up date.

use super::util::*;

fn case(title: &str, date_line: &str) -> String {
    format!("---\ntitle: {title}\n{date_line}\n---\n\n{title}的正文。\n")
}

/// `(title, published)` of each feed entry, in feed order.
fn feed_entries(xml: &str) -> Vec<(String, String)> {
    let doc = roxmltree::Document::parse(xml).expect("atom.xml parses as XML");
    doc.descendants()
        .filter(|n| n.has_tag_name("entry"))
        .map(|e| {
            let child = |name: &str| {
                e.children()
                    .find(|c| c.has_tag_name(name))
                    .and_then(|c| c.text())
                    .unwrap_or_default()
                    .to_string()
            };
            (child("title"), child("published"))
        })
        .collect()
}

#[test]
fn partial_dates_are_shown_as_written_and_sort_at_the_start_of_their_period() {
    let out = Site::new()
        .file("content/cases/y.md", &case("只知年份", "date: 2018"))
        .file("content/cases/m.md", &case("只知年月", "date: 2018-08"))
        .file("content/cases/m2.md", &case("中文年月", "date: 2018年7月"))
        .file("content/cases/d.md", &case("完整日期", "date: 2018-08-02"))
        .build();
    let page = out.page("/cases/y/");
    assert_eq!(page.text(".meta time"), "2018年");
    assert_eq!(page.attr(".meta time", "datetime"), "2018");
    let page = out.page("/cases/m/");
    assert_eq!(page.text(".meta time"), "2018年8月");
    assert_eq!(page.attr(".meta time", "datetime"), "2018-08");
    assert_eq!(out.page("/cases/m2/").text(".meta time"), "2018年7月");

    let list = out.page("/cases/");
    assert_eq!(
        list.texts(".card__title"),
        ["完整日期", "只知年月", "中文年月", "只知年份"]
    );
    assert_eq!(
        list.texts(".card__meta time"),
        ["2018年8月2日", "2018年8月", "2018年7月", "2018年"]
    );

    let feed = feed_entries(&out.read("atom.xml"));
    assert!(feed.contains(&("只知年份".into(), "2018-01-01T00:00:00+08:00".into())));
    assert!(feed.contains(&("只知年月".into(), "2018-08-01T00:00:00+08:00".into())));
    let sitemap = out.read("sitemap.xml");
    roxmltree::Document::parse(&sitemap).expect("sitemap.xml parses as XML");
    assert!(sitemap.contains("<lastmod>2018-01-01T00:00:00+08:00</lastmod>"));
    assert!(sitemap.contains("<lastmod>2018-08-01T00:00:00+08:00</lastmod>"));
}

#[test]
fn a_date_typed_as_a_yaml_number_keeps_its_month() {
    // YAML reads `2022.10` as the number 2022.1; the text as written is what counts.
    let out = Site::new()
        .file("content/cases/a.md", &case("案例", "date: 2022.10"))
        .build();
    assert_eq!(out.page("/cases/a/").text(".meta time"), "2022年10月");
}

#[test]
fn feed_keeps_the_time_of_day_and_converts_offsets() {
    let out = Site::new()
        .file(
            "content/cases/a.md",
            &case("本地时间", "date: 2022-10-08 19:00:03"),
        )
        .file(
            "content/cases/b.md",
            &case("协调世界时", "date: 2022-10-07T11:00Z"),
        )
        .file(
            "content/cases/c.md",
            &case("纽约时间", "date: 2022-10-06 09:30-05:00"),
        )
        .file(
            "content/cases/d.md",
            &case("晚间世界时", "date: 2022-10-04T19:00Z"),
        )
        .build();
    let feed = feed_entries(&out.read("atom.xml"));
    assert_eq!(
        feed,
        [
            ("本地时间".into(), "2022-10-08T19:00:03+08:00".into()),
            ("协调世界时".into(), "2022-10-07T19:00:00+08:00".into()),
            ("纽约时间".into(), "2022-10-06T22:30:00+08:00".into()),
            // 19:00 UTC is 03:00 the next day in China, not 19:00 China time.
            ("晚间世界时".into(), "2022-10-05T03:00:00+08:00".into()),
        ]
    );
    let page = out.page("/cases/a/");
    assert_eq!(
        page.attr("meta[property='article:published_time']", "content"),
        "2022-10-08T19:00:03+08:00"
    );
}

#[test]
fn a_report_without_date_builds_with_a_warning_listed_last_and_not_in_the_feed() {
    let site = Site::new()
        .file(
            "content/cases/dated.md",
            &case("有日期", "date: 2020-01-01"),
        )
        .file("content/cases/undated.md", &case("无日期", "tags: [党建]"));
    let run = site.try_build(&[]);
    run.assert_ok()
        .assert_points_at("content/cases/undated.md", 1)
        .assert_stderr_has("no `date`");
    let out = site.output();
    assert_eq!(
        out.page("/cases/").texts(".card__title"),
        ["有日期", "无日期"]
    );
    assert!(!out.page("/cases/undated/").has(".meta time"));
    let feed = feed_entries(&out.read("atom.xml"));
    assert_eq!(
        feed,
        [("有日期".into(), "2020-01-01T00:00:00+08:00".into())]
    );
    assert!(!out.read("atom.xml").contains("/cases/undated/"));

    site.try_build_lang("zh", &[])
        .assert_ok()
        .assert_stderr_has("没有日期");
}

#[test]
fn a_report_without_date_fails_under_strict() {
    let site = Site::new().file("content/cases/undated.md", &case("无日期", "date:"));
    let run = site.try_build(&["--strict"]);
    run.assert_failed_cleanly()
        .assert_points_at("content/cases/undated.md", 3);
}

#[test]
fn accepted_date_forms_still_parse_and_bad_ones_keep_their_message() {
    for form in [
        "2022-10-08",
        "2022/10/8",
        "2022.10.8",
        "2022年10月8日",
        "2022-10-08 19:00",
    ] {
        let out = Site::new()
            .file(
                "content/cases/a.md",
                &case("案例", &format!("date: {form}")),
            )
            .build();
        assert_eq!(
            out.page("/cases/a/").text(".meta time"),
            "2022年10月8日",
            "{form}"
        );
    }
    Site::new()
        .file("content/cases/a.md", &case("案例", "date: 2022-13-01"))
        .build_fails()
        .assert_points_at("content/cases/a.md", 3)
        .assert_stderr_has("2022/10/8, 2022.10.8 or 2022年10月8日");
}
