//! Brand showcases: `/brands/<slug>/` with the brand's structured data and its reports,
//! the `/brands/` index, and reports naming brands that do not exist.

use super::util::*;

const SANJIA: &str = r##"---
name: 「三家」工作法
slogan: 服务零距离 群众心贴心
org: 徐州市民政局
region: 江苏省徐州市
since: 2019
color: "#1b5e20"
pillars:
  - {title: 服务对象当家人, text: 把服务对象当作家人}
  - {title: 民政干部当管家, text: 精细管理每一笔资金}
standards: [受理零推诿, 服务零耽搁, 办结零投诉]
metrics:
  - {label: 党员人数, value: 286, unit: 名}
  - {label: 服务群众, value: 12000, unit: 人次}
honours:
  - {year: 2022, title: 全国民政系统先进集体}
  - {year: 2020, title: 省级示范品牌}
events:
  - {date: 2022-10-08, title: 中国社会报专题报道}
  - {date: 2021-03, title: 品牌创建启动}
---

品牌简介正文：以党建引领民政服务。
"##;

fn showcase() -> Site {
    Site::new().file("content/brands/sanjia.md", SANJIA)
}

fn position(haystack: &str, needle: &str) -> usize {
    haystack
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not found in:\n{haystack}"))
}

#[test]
fn brand_page_shows_name_slogan_and_intro() {
    let out = showcase().build();
    let page = out.page("/brands/sanjia/");
    assert_eq!(page.text("main h1"), "「三家」工作法");
    page.assert_main_contains("服务零距离 群众心贴心");
    page.assert_main_contains("品牌简介正文：以党建引领民政服务。");
    page.assert_main_contains("徐州市民政局");
    page.assert_main_contains("江苏省徐州市");
    page.assert_main_contains("2019");
    assert_eq!(page.text("title"), "「三家」工作法 - 测试站");
}

#[test]
fn brand_page_shows_pillars_standards_and_metrics() {
    let out = showcase().build();
    let page = out.page("/brands/sanjia/");
    let main = page.main_text();
    for text in [
        "服务对象当家人",
        "把服务对象当作家人",
        "民政干部当管家",
        "精细管理每一笔资金",
    ] {
        page.assert_main_contains(text);
    }
    assert!(position(&main, "受理零推诿") < position(&main, "服务零耽搁"));
    assert!(position(&main, "服务零耽搁") < position(&main, "办结零投诉"));
    // Each figure shows its value, unit and label.
    let items: Vec<String> = page.texts("main li");
    assert!(
        items
            .iter()
            .any(|t| t.contains("286") && t.contains("名") && t.contains("党员人数")),
        "metric items: {items:#?}"
    );
    assert!(
        items
            .iter()
            .any(|t| t.contains("12000") && t.contains("人次") && t.contains("服务群众")),
        "metric items: {items:#?}"
    );
}

#[test]
fn brand_page_shows_honours_and_events_oldest_first() {
    let out = showcase().build();
    let page = out.page("/brands/sanjia/");
    let main = page.main_text();
    let items: Vec<String> = page.texts("main li");
    assert!(
        items
            .iter()
            .any(|t| t.contains("2022") && t.contains("全国民政系统先进集体")),
        "{items:#?}"
    );
    assert!(
        items
            .iter()
            .any(|t| t.contains("2020") && t.contains("省级示范品牌")),
        "{items:#?}"
    );
    assert!(
        items
            .iter()
            .any(|t| t.contains("2021-03") && t.contains("品牌创建启动")),
        "{items:#?}"
    );
    assert!(
        items
            .iter()
            .any(|t| t.contains("2022-10-08") && t.contains("中国社会报专题报道")),
        "{items:#?}"
    );
    assert!(
        position(&main, "省级示范品牌") < position(&main, "全国民政系统先进集体"),
        "honours oldest first"
    );
    assert!(
        position(&main, "品牌创建启动") < position(&main, "中国社会报专题报道"),
        "events oldest first"
    );
}

#[test]
fn brand_colour_is_used_on_its_page() {
    let out = showcase().build();
    let page = out.page("/brands/sanjia/");
    let styles = page.attrs("main [style]", "style");
    assert!(
        styles.iter().any(|s| s.contains("#1b5e20")),
        "the brand colour is not used: {styles:?}"
    );
}

fn two_brands_with_reports() -> Site {
    Site::new()
        .file(
            "content/brands/sanjia.md",
            &brand("三家工作法", "weight: 2", "介绍。"),
        )
        .file(
            "content/brands/sixing.md",
            &brand("四型机关", "weight: 1", "介绍。"),
        )
        .file(
            "content/cases/r1.md",
            &report("三家二〇二一", "2021-01-01", "brand: sanjia", "正文。"),
        )
        .file(
            "content/cases/r2.md",
            &report("三家二〇二三", "2023-01-01", "brand: sanjia", "正文。"),
        )
        .file(
            "content/cases/r3.md",
            &report(
                "两个品牌合办",
                "2022-03-01",
                "brands: [sanjia, sixing]",
                "正文。",
            ),
        )
        .file(
            "content/cases/r4.md",
            &report("四型二〇二二", "2022-06-01", "brand: sixing", "正文。"),
        )
        .file(
            "content/cases/r5.md",
            &report("没有品牌", "2024-01-01", "", "正文。"),
        )
}

fn report_links(page: &Page) -> Vec<String> {
    page.links_in("main")
        .into_iter()
        .filter(|h| h.starts_with("/cases/") && h != "/cases/")
        .collect()
}

#[test]
fn brand_page_lists_every_report_naming_it_newest_first() {
    let out = two_brands_with_reports().build();
    let sanjia = out.page("/brands/sanjia/");
    assert_eq!(
        report_links(&sanjia),
        ["/cases/r2/", "/cases/r3/", "/cases/r1/"]
    );
    let sixing = out.page("/brands/sixing/");
    assert_eq!(report_links(&sixing), ["/cases/r4/", "/cases/r3/"]);
}

#[test]
fn a_list_under_brand_is_taken_as_several_brands() {
    // Writers reach for `brand:` first; `brand: [a, b]` means what `brands: [a, b]` means.
    let site = two_brands_with_reports().file(
        "content/cases/r3.md",
        &report(
            "两个品牌合办",
            "2022-03-01",
            "brand: [sanjia, sixing]",
            "正文。",
        ),
    );
    let out = site.build();
    out.page("/brands/sanjia/").assert_links_to("/cases/r3/");
    out.page("/brands/sixing/").assert_links_to("/cases/r3/");
}

#[test]
fn report_with_two_brands_appears_on_both_and_links_to_both() {
    let out = two_brands_with_reports().build();
    out.page("/brands/sanjia/").assert_links_to("/cases/r3/");
    out.page("/brands/sixing/").assert_links_to("/cases/r3/");
    let report = out.page("/cases/r3/");
    report.assert_links_to("/brands/sanjia/");
    report.assert_links_to("/brands/sixing/");
}

#[test]
fn brands_index_lists_every_brand_by_weight() {
    let out = two_brands_with_reports().build();
    let index = out.page("/brands/");
    let brands: Vec<String> = index
        .links_in("main")
        .into_iter()
        .filter(|h| h.starts_with("/brands/") && h != "/brands/")
        .collect();
    assert_eq!(
        brands,
        ["/brands/sixing/", "/brands/sanjia/"],
        "weight 1 comes first"
    );
    index.assert_main_contains("三家工作法");
    index.assert_main_contains("四型机关");
}

#[test]
fn brand_without_reports_still_gets_a_page() {
    let out = Site::new()
        .file("content/brands/lonely.md", &brand("孤单品牌", "", "介绍。"))
        .build();
    assert_eq!(out.page("/brands/lonely/").text("main h1"), "孤单品牌");
    out.page("/brands/").assert_links_to("/brands/lonely/");
}

// ------------------------------------------------------------------ unknown brands

fn with_brands() -> Site {
    Site::new()
        .file(
            "content/brands/sanjia.md",
            &brand("三家工作法", "", "介绍。"),
        )
        .file("content/brands/sixing.md", &brand("四型机关", "", "介绍。"))
}

#[test]
fn unknown_brand_fails_naming_the_line_and_the_closest_brand() {
    let site = with_brands().file(
        "content/cases/a.md",
        "---\ntitle: 案例\ndate: 2022-01-01\nbrand: sanjai\n---\n\n正文。\n",
    );
    let run = site.build_fails();
    run.assert_points_at("content/cases/a.md", 4)
        .assert_stderr_has("sanjai");
    let without_typo = run.stderr.replace("sanjai", "");
    assert!(
        without_typo.contains("sanjia"),
        "the closest brand is not suggested:\n{}",
        run.stderr
    );
    assert!(!site.output().dir.exists(), "a failed build wrote output");
}

#[test]
fn unknown_brand_without_a_close_match_lists_the_known_brands() {
    let site = with_brands().file(
        "content/cases/a.md",
        "---\ntitle: 案例\ndate: 2022-01-01\nbrand: zzzzzzzz\n---\n\n正文。\n",
    );
    let run = site.build_fails();
    run.assert_points_at("content/cases/a.md", 4)
        .assert_stderr_has("zzzzzzzz")
        .assert_stderr_has("sanjia")
        .assert_stderr_has("sixing");
}

#[test]
fn unknown_brand_in_a_brands_list_fails() {
    let site = with_brands().file(
        "content/cases/a.md",
        "---\ntitle: 案例\ndate: 2022-01-01\ntags: [x]\nbrands: [sanjia, nosuch]\n---\n\n正文。\n",
    );
    site.build_fails()
        .assert_points_at("content/cases/a.md", 5)
        .assert_stderr_has("nosuch");
}

#[test]
fn unknown_brand_message_in_chinese() {
    let site = with_brands().file(
        "content/cases/a.md",
        "---\ntitle: 案例\ndate: 2022-01-01\nbrand: sanjai\n---\n\n正文。\n",
    );
    let run = site.build_fails_lang("zh");
    run.assert_points_at("content/cases/a.md", 4)
        .assert_stderr_has("品牌")
        .assert_stderr_has("sanjia");
    run.assert_stderr_lacks("unknown brand")
        .assert_stderr_lacks("did you mean");
}
