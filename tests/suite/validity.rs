//! Output is valid: every page of the example site passes the Nu Html Checker, the feed and the
//! sitemap parse as XML, and control characters pasted from Word never reach an output.
//!
//! The checker is `vnu.jar` from npm (`tests/browser/node_modules/vnu-jar`) run on Java, both
//! installed by `scripts/install-test-deps`; when they are missing the test fails saying so,
//! unless `HERALD_SKIP_VNU=1`.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::util::*;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The repository's example site, built into a temporary folder.
fn example_site() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("create a temporary folder");
    let out = tmp.path().join("output");
    let out_str = out.to_str().expect("temporary path is UTF-8");
    let repo = repo();
    let root = repo.to_str().expect("repository path is UTF-8");
    run_herald(&repo, "en", &["build", "--root", root, "--output", out_str]).assert_ok();
    (tmp, out)
}

fn vnu_jar() -> PathBuf {
    repo().join("tests/browser/node_modules/vnu-jar/build/dist/vnu.jar")
}

/// `false` when `HERALD_SKIP_VNU=1`; panics with what to do when Java or vnu.jar is missing.
fn vnu_available() -> bool {
    if std::env::var("HERALD_SKIP_VNU").is_ok_and(|v| v == "1") {
        eprintln!("HERALD_SKIP_VNU=1: HTML validity test skipped");
        return false;
    }
    let java = Command::new("java").arg("-version").output();
    let mut missing = Vec::new();
    if !java.is_ok_and(|o| o.status.success()) {
        missing.push("java (Debian: default-jre-headless)".to_string());
    }
    if !vnu_jar().is_file() {
        missing.push(format!("{}", vnu_jar().display()));
    }
    assert!(
        missing.is_empty(),
        "the HTML validity test needs {}: run scripts/install-test-deps \
         (or set HERALD_SKIP_VNU=1 to skip it)",
        missing.join(", ")
    );
    true
}

/// Every error the Nu Html Checker finds in the HTML files under the named folders, as
/// `name/file:line: message [extract]`. One JVM start for all of them.
fn vnu_errors(dirs: &[(&str, &Path)]) -> Vec<String> {
    let out = Command::new("java")
        .arg("-jar")
        .arg(vnu_jar())
        .args(["--errors-only", "--format", "json", "--skip-non-html"])
        .args(dirs.iter().map(|(_, d)| d))
        .output()
        .expect("run java -jar vnu.jar");
    // vnu writes its JSON report to stderr.
    let report = String::from_utf8_lossy(&out.stderr);
    let json: serde_json::Value = serde_json::from_str(&report)
        .unwrap_or_else(|e| panic!("vnu did not print JSON ({e}):\n{report}"));
    let messages = json["messages"].as_array().cloned().unwrap_or_default();
    messages
        .iter()
        .filter(|m| m["type"] != "info")
        .map(|m| {
            let url = m["url"].as_str().unwrap_or("?");
            let path = url.trim_start_matches("file:");
            let file = dirs
                .iter()
                .find_map(|(name, d)| Some(format!("{name}{}", path.strip_prefix(d.to_str()?)?)))
                .unwrap_or_else(|| url.to_string());
            format!(
                "{file}:{}: {} [{}]",
                m["lastLine"].as_u64().unwrap_or(0),
                m["message"].as_str().unwrap_or("?"),
                m["extract"].as_str().unwrap_or("").replace('\n', " "),
            )
        })
        .collect()
}

#[test]
fn every_page_of_the_example_site_passes_the_nu_html_checker() {
    if !vnu_available() {
        return;
    }
    let (_tmp, out) = example_site();
    let pages = walk_html(&out);
    assert!(pages > 20, "the example site built only {pages} HTML files");
    // And what the example does not use: tables, footnotes, task lists, code, shortcodes,
    // images, raw HTML, pagination, partial and missing dates. One JVM for both.
    let features = features_site();
    let errors = vnu_errors(&[("example", &out), ("features", &features.dir)]);
    assert!(
        errors.is_empty(),
        "the Nu Html Checker found {} error(s) in the example site or the feature fixture:\n{}",
        errors.len(),
        errors.join("\n")
    );
}

#[test]
fn the_checker_test_would_see_an_invalid_page() {
    // Guards the guard: a page vnu must reject is reported with its file and line.
    if !vnu_available() {
        return;
    }
    let tmp = tempfile::tempdir().expect("create a temporary folder");
    let dir = tmp.path();
    std::fs::write(
        dir.join("bad.html"),
        "<!DOCTYPE html>\n<html lang=\"zh\"><head><title>x</title></head>\n<body><p><div></p></body></html>\n",
    )
    .expect("write bad.html");
    let errors = vnu_errors(&[("bad", dir)]);
    assert!(
        errors.iter().any(|e| e.starts_with("bad/bad.html:3:")),
        "{errors:?}"
    );
}

/// A site using every Markdown feature and shortcode of the default theme.
fn features_site() -> Built {
    // With the Traditional mirror: its pages (the 简/繁 switch, `hreflang`) are checked too.
    let mut site = Site::new()
        .file("site.yaml", &format!("{SITE_YAML}zh_hant:\n  variant: tw\n"))
        .bytes("content/cases/rich/hall.jpg", &tiny_jpeg())
        .file("content/brands/b.md", "---\nname: 品牌\nslogan: 口号\nsince: 2021\nhonours: [{year: 2022, title: 荣誉}]\nevents: [{date: 2022-10, title: 事件}]\nextra: {note: 说明, honours_undated: [无年份荣誉]}\n---\n\n介绍。\n")
        .file("content/cases/rich/index.md", concat!(
            "---\ntitle: 丰富内容\ndate: 2018-08\nbrand: b\ntags: [党建, 养老]\n",
            "metrics: [{label: 党员, value: 286, unit: 名}]\nextra: {note: 推断的名称}\n---\n\n",
            "导语。\n\n<!-- more -->\n\n## 一、表格\n\n| 项目 | 数量 |\n|---|--:|\n| 党员 | 286 |\n\n",
            "脚注[^1]。\n\n[^1]: 脚注内容。\n\n- [x] 已完成\n- [ ] 未完成\n\n",
            "~~删除~~ **加粗** *斜体* `代码`\n\n```rust\nfn main() {}\n```\n\n> 引用\n\n",
            "{{ figure(src=\"hall.jpg\", caption=\"便民服务大厅\") }}\n\n",
            "{{ metric(label=\"服务群众\", value=\"12000\", unit=\"人次\") }}\n\n",
            "{% quote(author=\"群众代表\") %}\n办事不用跑，**服务**到家门。\n{% end %}\n\n",
            "{% timeline() %}\n2021-03 | 品牌创建启动\n2022-10 | 专题报道\n{% end %}\n\n",
            "<div>raw html</div>\n\n![图](hall.jpg)\n",
        ))
        .file("content/cases/undated.md", "---\ntitle: 无日期\nextra: {date_note: 原文未注明}\n---\n\n正文。\n")
        .file("content/about.md", "---\ntitle: 关于\n---\n\n关于本站。\n");
    for i in 1..=25 {
        site = site.file(
            &format!("content/cases/p{i}.md"),
            &format!("---\ntitle: 报告{i}\ndate: 2020-01-{i:02}T10:00+08:00\nbrand: b\n---\n\n正文{i}。\n"),
        );
    }
    site.build()
}

fn walk_html(dir: &Path) -> usize {
    let mut n = 0;
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                n += walk_html(&p);
            } else if p.extension().is_some_and(|x| x == "html") {
                n += 1;
            }
        }
    }
    n
}

#[test]
fn example_feed_and_sitemap_parse_as_xml() {
    let (_tmp, out) = example_site();
    for name in ["atom.xml", "sitemap.xml"] {
        let text = std::fs::read_to_string(out.join(name)).expect("read the output");
        if let Err(e) = roxmltree::Document::parse(&text) {
            panic!("{name} is not well-formed XML: {e}");
        }
    }
}

#[test]
fn control_characters_are_removed_and_warned() {
    let site = Site::new().file(
        "content/cases/word.md",
        "---\ntitle: 从Word\u{1}粘贴的标题\ndate: 2022-10-08\nsummary: 摘要\u{b}里也有\n---\n\n正文第一段。\n\n带\u{1b}[0m转义和\u{7f}删除符的段落。\n",
    );
    let run = site.try_build(&[]);
    run.assert_ok()
        .assert_points_at("content/cases/word.md", 2)
        .assert_stderr_has("control character")
        .assert_stderr_lacks(site.root_str());
    let out = site.output();
    for rel in out.files() {
        let bytes = out.read_bytes(&rel);
        let Ok(text) = std::str::from_utf8(&bytes) else {
            continue;
        };
        let bad: Vec<char> = text
            .chars()
            .filter(|&c| c.is_control() && c != '\n' && c != '\t' && c != '\r')
            .collect();
        assert!(bad.is_empty(), "{rel} still has control characters {bad:?}");
    }
    let feed = out.read("atom.xml");
    let doc = roxmltree::Document::parse(&feed).expect("atom.xml parses as XML");
    assert!(doc
        .descendants()
        .any(|n| n.has_tag_name("title") && n.text() == Some("从Word粘贴的标题")));
    let page = out.page("/cases/word/");
    assert_eq!(page.text("h1"), "从Word粘贴的标题");
    assert!(page.text(".content").contains("带[0m转义和删除符的段落"));
    roxmltree::Document::parse(&out.read("sitemap.xml")).expect("sitemap.xml parses as XML");

    site.try_build_lang("zh", &[])
        .assert_ok()
        .assert_stderr_has("控制字符");
    site.try_build(&["--strict"])
        .assert_failed_cleanly()
        .assert_points_at("content/cases/word.md", 2);
}

#[test]
fn control_characters_in_site_yaml_and_templates_are_removed_and_warned() {
    let site = Site::new()
        .file(
            "site.yaml",
            "title: 测试\u{1}站\ndescription: 说明\u{b}文字\nbase_url: https://example.org/\nauthor: \"转义\\e作者\"\n",
        )
        .file(
            "templates/404.html",
            "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><title>找不到\u{1b}页面</title></head><body><p>{{ site.title }}</p></body></html>\n",
        )
        .file("content/cases/a.md", "---\ntitle: 案例\ndate: 2022-10-08\n---\n\n正文。\n");
    site.try_build(&[])
        .assert_ok()
        .assert_points_at("site.yaml", 1)
        .assert_points_at("site.yaml", 4)
        .assert_points_at("templates/404.html", 2)
        .assert_stderr_lacks(site.root_str());
    let out = site.output();
    for rel in out.files() {
        let bytes = out.read_bytes(&rel);
        if let Ok(text) = std::str::from_utf8(&bytes) {
            assert!(
                !text.contains(['\u{1}', '\u{b}', '\u{1b}']),
                "{rel} still has control characters"
            );
        }
    }
    roxmltree::Document::parse(&out.read("atom.xml")).expect("atom.xml parses as XML");
}

#[test]
fn control_characters_written_as_escapes_never_reach_the_output() {
    // A YAML escape and numeric character references make control characters only while
    // the page is read and rendered; the output is still valid.
    let site = Site::new().file(
        "content/cases/esc.md",
        "---\ntitle: \"转义\\x01标题\"\ndate: 2022-10-08\nsummary: \"摘要\\e[0m\"\n---\n\n正文&#1;里&#x1b;有&#127;引用。\n",
    );
    // The YAML escapes are warned about where they were written.
    site.try_build(&[])
        .assert_ok()
        .assert_points_at("content/cases/esc.md", 2)
        .assert_points_at("content/cases/esc.md", 4);
    let out = site.output();
    for rel in [
        "atom.xml",
        "sitemap.xml",
        "cases/esc/index.html",
        "index.html",
        "cases/index.html",
    ] {
        let text = out.read(rel);
        let bad: Vec<char> = text
            .chars()
            .filter(|&c| c.is_control() && c != '\n' && c != '\t' && c != '\r')
            .collect();
        assert!(bad.is_empty(), "{rel} has control characters {bad:?}");
    }
    roxmltree::Document::parse(&out.read("atom.xml")).expect("atom.xml parses as XML");
    assert_eq!(out.page("/cases/esc/").text("h1"), "转义标题");
}
