//! Mistakes users make and what Herald says about them: every error exits non-zero, names the
//! file and line (and column where it knows it), never panics, and writes nothing.

use super::util::*;

fn with_case(text: &str) -> Site {
    Site::new().file("content/cases/a.md", text)
}

/// Fails cleanly and leaves no output behind.
fn fails(site: &Site) -> Run {
    let run = site.build_fails();
    assert!(
        !site.output().dir.exists(),
        "a failed build created output/"
    );
    run
}

// ------------------------------------------------------------------ front matter

#[test]
fn bad_yaml_fails_at_its_line() {
    let site = with_case("---\ntitle: 三家: 工作法\ndate: 2022-01-01\n---\n\n正文。\n");
    fails(&site).assert_points_at("content/cases/a.md", 2);
}

#[test]
fn unclosed_yaml_list_fails_naming_the_file_and_a_line() {
    let site = with_case("---\ntitle: 案例\ndate: 2022-01-01\ntags: [党建, 养老\n---\n\n正文。\n");
    fails(&site).assert_points_into("content/cases/a.md");
}

#[test]
fn missing_closing_front_matter_fence_fails() {
    let site = with_case("---\ntitle: 案例\ndate: 2022-01-01\n\n正文。\n");
    fails(&site)
        .assert_points_at("content/cases/a.md", 1)
        .assert_stderr_has("---");
}

#[test]
fn date_that_is_not_a_date_fails_and_shows_accepted_forms() {
    let site = with_case("---\ntitle: 案例\ndate: 昨天\n---\n\n正文。\n");
    fails(&site)
        .assert_points_at("content/cases/a.md", 3)
        .assert_stderr_has("昨天")
        .assert_stderr_has("2022-10-08");
}

#[test]
fn misspelt_key_fails_and_suggests_the_right_one() {
    let site = Site::new()
        .file("content/brands/sanjia.md", &brand("三家", "", "x"))
        .file(
            "content/cases/a.md",
            "---\ntitle: 案例\ndate: 2022-01-01\nbrnad: sanjia\n---\n\n正文。\n",
        );
    let run = fails(&site);
    run.assert_points_at("content/cases/a.md", 4)
        .assert_stderr_has("brnad");
    assert!(
        run.stderr.replace("brnad", "").contains("brand"),
        "no suggestion of `brand`:\n{}",
        run.stderr
    );
}

#[test]
fn full_width_colon_fails_at_its_line_and_column() {
    let site = with_case("---\ndate: 2022-01-01\ntitle：三家\n---\n\n正文。\n");
    fails(&site).assert_stderr_has("content/cases/a.md:3:6");
}

#[test]
fn full_width_colon_message_in_chinese() {
    let site = with_case("---\ndate: 2022-01-01\ntitle：三家\n---\n\n正文。\n");
    let run = site.build_fails_lang("zh");
    run.assert_stderr_has("content/cases/a.md:3:6")
        .assert_stderr_has("错误")
        .assert_stderr_has("全角冒号")
        .assert_stderr_lacks("error:")
        .assert_stderr_lacks("full-width colon");
    assert!(!site.output().dir.exists());
}

#[test]
fn tab_indentation_fails_at_its_line() {
    let site = with_case("---\ntitle: 案例\ndate: 2022-01-01\nextra:\n\tnote: x\n---\n\n正文。\n");
    fails(&site).assert_points_at("content/cases/a.md", 5);
}

#[test]
fn missing_title_and_date_of_a_report_are_named() {
    let site = with_case("---\norg: 民政局\n---\n\n正文。\n");
    fails(&site)
        .assert_points_into("content/cases/a.md")
        .assert_stderr_has("title")
        .assert_stderr_has("date");
}

#[test]
fn ordinary_page_needs_a_title_but_no_date() {
    let ok = Site::new().file("content/about.md", &plain_page("关于", "x"));
    ok.build();
    let bad = Site::new().file("content/about.md", "---\nauthor: 宣传办\n---\n\n正文。\n");
    fails(&bad)
        .assert_points_into("content/about.md")
        .assert_stderr_has("title");
}

#[test]
fn brand_without_a_name_fails() {
    let site = Site::new().file(
        "content/brands/sanjia.md",
        "---\nslogan: 服务零距离\n---\n\n介绍。\n",
    );
    fails(&site)
        .assert_points_into("content/brands/sanjia.md")
        .assert_stderr_has("name");
}

#[test]
fn unquoted_colour_is_explained() {
    let site = Site::new().file(
        "content/brands/sanjia.md",
        "---\nname: 三家\ncolor: #b71c1c\n---\n\n介绍。\n",
    );
    fails(&site)
        .assert_points_at("content/brands/sanjia.md", 3)
        .assert_stderr_has("#b71c1c");
}

#[test]
fn empty_report_file_fails() {
    let site = with_case("");
    fails(&site).assert_stderr_has("content/cases/a.md");
}

#[test]
fn two_files_with_the_same_url_fail() {
    let site = Site::new()
        .file(
            "content/cases/a.md",
            &report("甲", "2022-01-01", "", "正文。"),
        )
        .file(
            "content/cases/b.md",
            &report("乙", "2022-01-02", "slug: a", "正文。"),
        );
    fails(&site)
        .assert_stderr_has("content/cases/a.md")
        .assert_stderr_has("content/cases/b.md")
        .assert_stderr_has("/cases/a/");
}

#[test]
fn every_broken_file_is_reported_in_one_run() {
    let site = Site::new()
        .file(
            "content/cases/a.md",
            "---\ntitle: 甲\ndate: 昨天\n---\n\n正文。\n",
        )
        .file(
            "content/cases/b.md",
            "---\ntitle: 乙\ndate: 2022-01-01\nbrnad: x\n---\n\n正文。\n",
        )
        .file("content/about.md", "---\ntitle：关于\n---\n");
    fails(&site)
        .assert_points_at("content/cases/a.md", 3)
        .assert_points_at("content/cases/b.md", 4)
        .assert_points_at("content/about.md", 2);
}

// ------------------------------------------------------------------ site.yaml and themes

#[test]
fn missing_site_yaml_fails_clearly() {
    let site = Site::empty().file(
        "content/cases/a.md",
        &report("甲", "2022-01-01", "", "正文。"),
    );
    fails(&site).assert_stderr_has("site.yaml");
}

#[test]
fn misspelt_site_yaml_key_is_named_with_a_suggestion() {
    let site = Site::new().file("site.yaml", "titel: 测试站\n");
    let run = fails(&site);
    run.assert_points_at("site.yaml", 1)
        .assert_stderr_has("titel");
    assert!(
        run.stderr.replace("titel", "").contains("title"),
        "no suggestion:\n{}",
        run.stderr
    );
}

#[test]
fn unknown_theme_fails_and_lists_the_themes() {
    let site = Site::new().file("site.yaml", "title: 测试站\ntheme: nosuch\n");
    fails(&site)
        .assert_points_at("site.yaml", 2)
        .assert_stderr_has("nosuch")
        .assert_stderr_has("default");
}

#[test]
fn template_syntax_error_names_the_template_and_line() {
    let site = with_case(&report("甲", "2022-01-01", "", "正文。")).file(
        "templates/page.html",
        "{% extends \"base.html\" %}\n{% block main %}\n<h1>{{ page.title </h1>\n{% endblock main %}\n",
    );
    fails(&site).assert_points_at("templates/page.html", 3);
}

#[test]
fn template_render_error_names_the_template() {
    let site = with_case(&report("甲", "2022-01-01", "", "正文。")).file(
        "templates/page.html",
        "{% extends \"base.html\" %}\n{% block main %}\n<h1>{{ page.no_such_field.x }}</h1>\n{% endblock main %}\n",
    );
    fails(&site)
        .assert_stderr_has("templates/page.html")
        .assert_stderr_has("no_such_field");
}

// ------------------------------------------------------------------ encodings and warnings

#[test]
fn gbk_file_is_converted_with_a_warning() {
    let text = report("三家工作法", "2022-01-01", "", "惠民零时差。");
    let (gbk, _, _) = encoding_rs::GBK.encode(&text);
    let site = Site::new().bytes("content/cases/a.md", &gbk);
    let run = site.try_build(&[]);
    run.assert_ok().assert_stderr_has("content/cases/a.md");
    let page = site.output().page("/cases/a/");
    assert_eq!(page.text("main h1"), "三家工作法");
    page.assert_main_contains("惠民零时差。");
}

#[test]
fn file_that_is_no_known_encoding_fails() {
    let mut bytes = b"---\ntitle: x\ndate: 2022-01-01\n---\n".to_vec();
    bytes.extend_from_slice(&[0x81, 0x20, 0xff, 0xff, 0x80, b'\n']);
    let site = Site::new().bytes("content/cases/a.md", &bytes);
    fails(&site)
        .assert_stderr_has("content/cases/a.md")
        .assert_stderr_has("UTF-8");
}

#[test]
fn strict_turns_warnings_into_errors() {
    let site = with_case(&report("甲", "2022-01-01", "tags: 党建，养老", "正文。"));
    let run = site.try_build(&[]);
    run.assert_ok().assert_points_at("content/cases/a.md", 4);
    let strict = site.try_build(&["--strict"]);
    strict
        .assert_failed_cleanly()
        .assert_points_at("content/cases/a.md", 4);
}

#[test]
fn front_matter_below_a_blank_line_is_pointed_at() {
    let site = with_case("\n---\ntitle: 案例\ndate: 2022-01-01\n---\n\n正文。\n");
    fails(&site).assert_points_at("content/cases/a.md", 2);
}

#[test]
fn windows_files_with_bom_and_crlf_build_and_keep_line_numbers() {
    let good =
        "\u{feff}---\r\ntitle: 案例甲\r\ndate: 2022-01-01\r\n---\r\n\r\n第一行\r\n第二行\r\n";
    let site = Site::new().file("content/cases/a.md", good);
    let page = site.build().page("/cases/a/");
    assert_eq!(page.text("main h1"), "案例甲");
    assert_eq!(raw_text_of(page.one(".content p")), "第一行第二行");

    site.write(
        "content/cases/a.md",
        "\u{feff}---\r\ntitle: 案例甲\r\ndate: 昨天\r\n---\r\n\r\n正文\r\n",
    );
    site.build_fails().assert_points_at("content/cases/a.md", 3);
}
