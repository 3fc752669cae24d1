//! Site search: the index `herald build` writes under `search/`, the search page and the
//! header box, tried in chromium (`tests/browser/search.mjs`) the way a reader uses them.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::browser::{browser_available, example_site, node, ONE_BROWSER};
use super::serve::{free_port, get, Server};
use super::util::*;

fn repo() -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A page file of the index: JSON in UTF-16LE.
fn page_file(bytes: &[u8]) -> String {
    let units: Vec<u16> = bytes
        .chunks_exact(2)
        .map(|b| u16::from_le_bytes([b[0], b[1]]))
        .collect();
    String::from_utf16(&units).expect("a page file is UTF-16LE")
}

/// The URLs and texts of every page in a built index.
fn indexed(out: &Built) -> Vec<(String, String)> {
    let mut docs = Vec::new();
    for f in out.files() {
        if f.starts_with("search/d/") {
            let v: serde_json::Value =
                serde_json::from_str(&page_file(&out.read_bytes(&f))).expect("JSON");
            docs.push((
                v["u"].as_str().unwrap_or_default().to_string(),
                v.to_string(),
            ));
        }
    }
    docs.sort();
    docs
}

/// `python3 -m http.server` on `dir`: a plain static host, as the site is published.
struct StaticHost {
    child: Child,
    port: u16,
}

impl StaticHost {
    fn start(dir: &Path) -> StaticHost {
        let port = free_port();
        let child = Command::new("python3")
            .args([
                "-m",
                "http.server",
                &port.to_string(),
                "--bind",
                "127.0.0.1",
            ])
            .current_dir(dir)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("python3 -m http.server");
        let deadline = Instant::now() + Duration::from_secs(20);
        while super::serve::try_get(port, "/").is_err() {
            assert!(Instant::now() < deadline, "http.server did not start");
            std::thread::sleep(Duration::from_millis(100));
        }
        StaticHost { child, port }
    }
}

impl Drop for StaticHost {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub(super) fn run_table(url: &str, base: &str, table: &Path) -> serde_json::Value {
    let args = vec![
        url.to_string(),
        base.to_string(),
        table.display().to_string(),
    ];
    let run = {
        let _one = ONE_BROWSER.lock().unwrap_or_else(|e| e.into_inner());
        node("search.mjs", &args, Duration::from_secs(290))
    };
    assert_eq!(
        run.code,
        Some(0),
        "search failed in the browser:\n{}",
        run.show()
    );
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}:\n{}", run.show()))
}

#[test]
fn every_query_of_the_table_finds_its_reports_in_chromium() {
    if !browser_available() {
        return;
    }
    let site = example_site();
    let server = Server::start(site.root());
    let result = run_table(&server.url(), "/", &repo().join("tests/search_queries.tsv"));
    eprintln!(
        "recall {}; first query {} downloaded {} bytes: {}",
        result["recall"],
        result["first_query"],
        result["first_query_bytes"],
        result["first_query_files"]
    );
    let bytes = result["first_query_bytes"].as_u64().unwrap_or(u64::MAX);
    assert!(bytes < 100_000, "the first query downloaded {bytes} bytes");
}

/// A site under a sub-folder, published by a plain web server: Traditional and Simplified
/// find each other, drafts and `search: false` pages are never found.
fn folder_site() -> Site {
    Site::new()
        .file(
            "site.yaml",
            "title: 测试站\nbase_url: https://example.org/minzheng/\n",
        )
        .file(
            "content/brands/shitang.md",
            &brand("长者食堂", "org: 某区民政局", "为老年人提供助餐服务。"),
        )
        .file(
            "content/cases/hant.md",
            &report(
                "長者食堂服務報告",
                "2023-05-06",
                "brand: shitang",
                "本區長者食堂開業，每日供應午餐。聯絡電話 35634。",
            ),
        )
        .file(
            "content/cases/hans.md",
            &report(
                "社区助餐点建设",
                "2022-03-04",
                "brand: shitang",
                "社区设立老年助餐点，实行首问负责制。",
            ),
        )
        .file(
            "content/cases/draft.md",
            &report(
                "草稿",
                "2022-01-01",
                "draft: true",
                "保密草稿内容独有词甲乙。",
            ),
        )
        .file(
            "content/cases/hidden.md",
            &report(
                "不收录",
                "2022-01-02",
                "search: false",
                "不收录页面独有词丙丁。",
            ),
        )
}

#[test]
fn a_published_site_in_a_sub_folder_searches_across_scripts() {
    if !browser_available() {
        return;
    }
    let site = folder_site();
    let www = site.scratch().join("www");
    let out = www.join("minzheng");
    site.herald(
        "en",
        &[
            "build",
            "--root",
            site.root_str(),
            "--output",
            out.to_str().unwrap_or_default(),
        ],
    )
    .assert_ok();
    let table = site.scratch().join("queries.tsv");
    std::fs::write(
        &table,
        "长者食堂\tcases/hant/ brands/shitang/\tSimplified finds Traditional\n\
         長者食堂\tcases/hant/ brands/shitang/\tTraditional finds it too\n\
         首問負責制\tcases/hans/\tTraditional finds Simplified\n\
         服务报告\tcases/hant/\ta Simplified word of a Traditional title\n\
         ３５６３４\tcases/hant/\tfull-width digits\n\
         某区民政局\tbrands/shitang/\ta brand's organisation\n\
         甲乙\t-\tdrafts are never indexed\n\
         丙丁\t-\tsearch: false\n",
    )
    .expect("write the table");
    let host = StaticHost::start(&www);
    let result = run_table(
        &format!("http://127.0.0.1:{}/", host.port),
        "/minzheng/",
        &table,
    );
    assert_eq!(result["recall"], "8/8", "{result}");
}

#[test]
fn drafts_and_opted_out_pages_are_not_in_the_index_even_with_drafts() {
    let site = folder_site();
    let out = site.build_with(&["--drafts"]);
    let docs = indexed(&out);
    let urls: Vec<&str> = docs.iter().map(|(u, _)| u.as_str()).collect();
    assert_eq!(
        urls,
        [
            "/minzheng/brands/shitang/",
            "/minzheng/cases/hans/",
            "/minzheng/cases/hant/"
        ]
    );
    assert!(!docs
        .iter()
        .any(|(_, d)| d.contains("甲乙") || d.contains("丙丁")));
    // The search page is there, under the base path, and every page's header has the box.
    let page = out.page("/search/");
    assert_eq!(
        page.attr("form[data-search-form]", "action"),
        "/minzheng/search/"
    );
    assert_eq!(
        page.attr("script[data-index]", "data-index"),
        "/minzheng/search/"
    );
    let report = out.page("/cases/hans/");
    assert_eq!(report.attr(".site-search", "action"), "/minzheng/search/");
    let meta: serde_json::Value =
        serde_json::from_str(&out.read("search/meta.json")).expect("meta.json is JSON");
    assert_eq!(meta["pages"], 3);
}

#[test]
fn a_page_at_search_is_refused_with_both_names() {
    let site = one_report_site().file("content/search.md", &plain_page("搜索", "我的搜索页。"));
    site.build_fails()
        .assert_stderr_has("content/search.md")
        .assert_stderr_has("search page");
}

#[test]
fn the_preview_index_follows_edits() {
    let site = folder_site().file("site.yaml", "title: 测试站\n");
    let server = Server::start(site.root());
    let before = get(server.port, "/search/meta.json").text();
    site.write(
        "content/cases/hans.md",
        &report(
            "社区助餐点建设",
            "2022-03-04",
            "brand: shitang",
            "社区设立老年助餐点，新增暖心驿站。",
        ),
    );
    server.wait_rebuild_lines(1);
    let after = get(server.port, "/search/meta.json").text();
    assert_ne!(before, after, "the index did not change after an edit");
    let doc = (0..3)
        .map(|i| page_file(&get(server.port, &format!("/search/d/{i}.bin")).body))
        .find(|d| d.contains("/cases/hans/"))
        .expect("the edited page is indexed");
    assert!(doc.contains("暖心驿站"), "{doc}");
}
