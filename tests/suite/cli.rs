//! The other commands: `herald check`, `herald init`, `herald new brand|case`, and how
//! `build` finds its site and speaks the user's language.

use super::util::*;

fn valid_site() -> Site {
    Site::new()
        .file(
            "content/brands/sanjia.md",
            &brand("三家工作法", "", "介绍。"),
        )
        .file(
            "content/cases/a.md",
            &report("案例甲", "2022-01-01", "brand: sanjia", "正文。"),
        )
}

// ------------------------------------------------------------------ check

#[test]
fn check_passes_a_good_site_and_writes_nothing() {
    let site = valid_site();
    let before = snapshot(site.scratch());
    site.check().assert_ok();
    assert!(!site.output().dir.exists(), "check created output/");
    assert_same_tree(
        &before,
        &snapshot(site.scratch()),
        "the site after `herald check`",
    );
}

#[test]
fn check_fails_on_the_errors_build_fails_on() {
    let site = valid_site().file(
        "content/cases/b.md",
        "---\ntitle: 乙\ndate: 2022-01-01\nbrand: sanjai\n---\n\n正文。\n",
    );
    let before = snapshot(site.scratch());
    site.check()
        .assert_failed_cleanly()
        .assert_points_at("content/cases/b.md", 4)
        .assert_stderr_has("sanjai");
    assert_same_tree(
        &before,
        &snapshot(site.scratch()),
        "the site after a failed `herald check`",
    );
}

#[test]
fn check_fails_on_template_errors_too() {
    let site = valid_site().file(
        "templates/page.html",
        "{% extends \"base.html\" %}\n{% block main %}{{ page.no_such_field.x }}{% endblock main %}\n",
    );
    site.check().assert_failed_cleanly();
    assert!(!site.output().dir.exists());
}

#[test]
fn check_leaves_an_existing_output_untouched() {
    let site = valid_site();
    site.build();
    let before = snapshot(&site.output().dir);
    site.write(
        "content/cases/c.md",
        &report("新案例", "2023-01-01", "brand: sanjia", "正文。"),
    );
    site.check().assert_ok();
    assert_same_tree(
        &before,
        &snapshot(&site.output().dir),
        "output/ after `herald check`",
    );
}

// ------------------------------------------------------------------ build's site and language

#[test]
fn build_without_root_uses_the_current_folder() {
    let site = valid_site();
    run_herald(site.root(), "en", &["build"]).assert_ok();
    assert!(site.output().has_page("/cases/a/"));
}

#[test]
fn build_reports_in_the_language_asked_for() {
    let site = valid_site();
    let zh = site.herald("zh", &["build", "--root", site.root_str()]);
    zh.assert_ok();
    assert!(
        zh.stdout
            .chars()
            .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
        "--lang zh summary: {}",
        zh.stdout
    );
    let en = site.herald("en", &["build", "--root", site.root_str()]);
    en.assert_ok();
    assert!(!en.stdout.trim().is_empty());
    assert!(
        !en.stdout
            .chars()
            .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
        "--lang en summary: {}",
        en.stdout
    );
}

// ------------------------------------------------------------------ init

#[test]
fn init_creates_a_site_that_builds() {
    let tmp = tempfile::tempdir().expect("tempdir");
    run_herald(tmp.path(), "en", &["init", "newsite"]).assert_ok();
    let root = tmp.path().join("newsite");
    assert!(root.join("site.yaml").is_file());
    run_herald(tmp.path(), "en", &["build", "--root", "newsite"]).assert_ok();
    let out = Built::at(root.join("output"));
    assert!(out.has_page("/"));
    assert!(out.has_page("/brands/"));
    let brands: Vec<String> = out
        .page("/brands/")
        .links_in("main")
        .into_iter()
        .filter(|h| h.starts_with("/brands/") && h != "/brands/")
        .collect();
    assert!(!brands.is_empty(), "the new site has no sample brand");
    let cases: Vec<String> = out
        .page("/")
        .links_in("main")
        .into_iter()
        .filter(|h| h.starts_with("/cases/") && h != "/cases/")
        .collect();
    assert!(!cases.is_empty(), "the new site has no sample report");
    assert!(out.has_page(&cases[0]));
}

#[test]
fn init_refuses_a_folder_that_is_not_empty() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("mine");
    std::fs::create_dir_all(&dir).expect("mkdir");
    std::fs::write(dir.join("notes.txt"), "我的笔记").expect("write");
    let before = snapshot(tmp.path());
    run_herald(tmp.path(), "en", &["init", "mine"]).assert_failed_cleanly();
    assert_same_tree(
        &before,
        &snapshot(tmp.path()),
        "a non-empty folder after `herald init`",
    );
}

// ------------------------------------------------------------------ new

#[test]
fn new_brand_creates_a_brand_that_builds() {
    let site = Site::new();
    site.herald("en", &["new", "brand", "foo", "--root", site.root_str()])
        .assert_ok();
    assert!(site.path("content/brands/foo.md").is_file());
    let out = site.build();
    assert!(
        out.has_page("/brands/foo/"),
        "output has: {:#?}",
        out.files()
    );
    out.page("/brands/").assert_links_to("/brands/foo/");
}

#[test]
fn new_case_creates_a_report_that_builds() {
    let site = Site::new();
    site.herald("en", &["new", "brand", "foo", "--root", site.root_str()])
        .assert_ok();
    site.herald("en", &["new", "case", "2024/x", "--root", site.root_str()])
        .assert_ok();
    assert!(site.path("content/cases/2024/x.md").is_file());
    let out = site.build();
    assert!(
        out.has_page("/cases/2024/x/"),
        "output has: {:#?}",
        out.files()
    );
    out.page("/brands/foo/").assert_links_to("/cases/2024/x/");
}

#[test]
fn new_refuses_to_overwrite_a_brand() {
    let site = Site::new().file(
        "content/brands/foo.md",
        &brand("我写的品牌", "", "辛苦写的介绍。"),
    );
    let before = snapshot(site.scratch());
    site.herald("en", &["new", "brand", "foo", "--root", site.root_str()])
        .assert_failed_cleanly();
    assert_same_tree(
        &before,
        &snapshot(site.scratch()),
        "the site after `herald new brand` over an existing file",
    );
}

#[test]
fn new_refuses_to_overwrite_a_case() {
    let site = Site::new()
        .file("content/brands/foo.md", &brand("品牌", "", "介绍。"))
        .file(
            "content/cases/2024/x.md",
            &report("我写的案例", "2024-01-01", "brand: foo", "辛苦写的正文。"),
        );
    let before = snapshot(site.scratch());
    site.herald("en", &["new", "case", "2024/x", "--root", site.root_str()])
        .assert_failed_cleanly();
    assert_same_tree(
        &before,
        &snapshot(site.scratch()),
        "the site after `herald new case` over an existing file",
    );
}

#[test]
fn new_case_refuses_paths_that_leave_the_cases_folder() {
    let site = Site::new().file("content/brands/foo.md", &brand("品牌", "", "介绍。"));
    let before = snapshot(site.scratch());
    site.herald(
        "en",
        &["new", "case", "../../escape", "--root", site.root_str()],
    )
    .assert_failed_cleanly();
    assert_same_tree(
        &before,
        &snapshot(site.scratch()),
        "the site after `herald new case ../../escape`",
    );
}
