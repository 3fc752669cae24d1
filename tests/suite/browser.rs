//! Real-browser tests: headless Debian chromium, driven by the Node scripts in
//! `tests/browser/` (playwright-core, axe-core), against `herald serve`.
//!
//! - the default theme on the repository's example site, at 375 px and 1440 px: no horizontal
//!   overflow, no console errors, no failed requests, no serious or critical axe-core
//!   violations; full-page screenshots are kept in a temporary folder for a person to look at
//!   (and, with `HERALD_SAVE_SCREENSHOTS=1`, two of them are copied to `docs/screenshots/`);
//! - live reload: editing the Markdown file changes the open page by itself, keeps the scroll
//!   position, and a broken front matter shows the error overlay until it is fixed.
//!
//! They need chromium and `tests/browser/node_modules` (`scripts/install-test-deps`); when
//! those are missing the tests fail saying so, unless `HERALD_SKIP_BROWSER=1`.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::serve::{get, Server};
use super::util::*;

/// One browser at a time: two cores, and live reload has a time limit.
pub(super) static ONE_BROWSER: Mutex<()> = Mutex::new(());

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn browser_dir() -> PathBuf {
    repo().join("tests/browser")
}

fn chromium() -> PathBuf {
    std::env::var_os("HERALD_CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"))
}

/// `false` when `HERALD_SKIP_BROWSER=1` (the test then passes without doing anything, and
/// says so); panics with what to do when the tooling is missing.
pub(super) fn browser_available() -> bool {
    if std::env::var("HERALD_SKIP_BROWSER").is_ok_and(|v| v == "1") {
        eprintln!("HERALD_SKIP_BROWSER=1: browser test skipped");
        return false;
    }
    let mut missing = Vec::new();
    if !chromium().is_file() {
        missing.push(format!("chromium ({})", chromium().display()));
    }
    let node = Command::new("node")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    if !node.is_ok_and(|s| s.success()) {
        missing.push("node".to_string());
    }
    for m in [
        "node_modules/playwright-core/package.json",
        "node_modules/axe-core/axe.min.js",
    ] {
        if !browser_dir().join(m).is_file() {
            missing.push(format!("tests/browser/{m}"));
        }
    }
    assert!(
        missing.is_empty(),
        "the browser tests need {}: run scripts/install-test-deps \
         (or set HERALD_SKIP_BROWSER=1 to skip them)",
        missing.join(", ")
    );
    true
}

pub(super) struct NodeRun {
    pub(super) code: Option<i32>,
    pub(super) stdout: String,
    pub(super) stderr: String,
    command: String,
}

impl NodeRun {
    pub(super) fn show(&self) -> String {
        let out: String = self.stdout.chars().take(12_000).collect();
        format!(
            "`{}` exited with {:?}\n--- stderr ---\n{}\n--- stdout (JSON) ---\n{out}",
            self.command, self.code, self.stderr
        )
    }
}

/// `node tests/browser/<script> <args…>`, killed after `limit`.
pub(super) fn node(script: &str, args: &[String], limit: Duration) -> NodeRun {
    let command = format!("node tests/browser/{script} {}", args.join(" "));
    let mut child = Command::new("node")
        .arg(script)
        .args(args)
        .current_dir(browser_dir())
        .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {command}: {e}"));
    let drain = |mut r: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut s = String::new();
            let _ = r.read_to_string(&mut s);
            s
        })
    };
    let out = drain(Box::new(child.stdout.take().unwrap()));
    let err = drain(Box::new(child.stderr.take().unwrap()));
    let deadline = Instant::now() + limit;
    let code = loop {
        if let Some(status) = child.try_wait().expect("wait for node") {
            break status.code();
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            let stderr = err.join().unwrap_or_default();
            panic!("`{command}` did not finish within {limit:?}\n{stderr}");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    NodeRun {
        code,
        stdout: out.join().unwrap_or_default(),
        stderr: err.join().unwrap_or_default(),
        command,
    }
}

// ---------------------------------------------------------------- the example site

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap_or_else(|e| panic!("create {}: {e}", to.display()));
    for e in std::fs::read_dir(from).unwrap_or_else(|e| panic!("read {}: {e}", from.display())) {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), &target)
                .unwrap_or_else(|err| panic!("copy {}: {err}", e.path().display()));
        }
    }
}

/// The example site plus a report with a photo (its cover and in its body).
pub(super) fn example_site_with_a_photo() -> Site {
    example_site()
        .file(
            "content/cases/photos/index.md",
            &report(
                "活动照片",
                "2026-11-30",
                "brand: xuzhou-sanjia\ncover: hall.jpg",
                "导语。\n\n![便民服务大厅](hall.jpg)\n",
            ),
        )
        .bytes("content/cases/photos/hall.jpg", &tiny_jpeg())
}

/// A copy of the repository's example site (its content and site.yaml; the theme is the
/// one built into `herald`).
pub(super) fn example_site() -> Site {
    let site = Site::empty();
    std::fs::copy(repo().join("site.yaml"), site.path("site.yaml")).expect("copy site.yaml");
    copy_dir(&repo().join("content"), &site.path("content"));
    for extra in ["static", "templates"] {
        if repo().join(extra).is_dir() {
            copy_dir(&repo().join(extra), &site.path(extra));
        }
    }
    site
}

/// Home, the first brand and the first report linked from the served home page.
fn sample_pages(server: &Server) -> Vec<(String, String)> {
    let home = server.page("/");
    let doc = home.html();
    let hrefs: Vec<String> = doc
        .select(&sel("a[href]"))
        .filter_map(|a| a.value().attr("href").map(str::to_string))
        .collect();
    let segments = |h: &str| h.trim_matches('/').split('/').count();
    let brand = hrefs
        .iter()
        .find(|h| h.starts_with("/brands/") && h.ends_with('/') && segments(h) == 2)
        .unwrap_or_else(|| panic!("the home page links to no brand page: {hrefs:?}"))
        .clone();
    let report = hrefs
        .iter()
        .find(|h| {
            h.starts_with("/cases/")
                && h.ends_with('/')
                && segments(h) >= 2
                && !h.starts_with("/cases/page/")
        })
        .unwrap_or_else(|| panic!("the home page links to no report: {hrefs:?}"))
        .clone();
    for p in [&brand, &report] {
        let r = get(server.port, p);
        assert_eq!(
            r.status, 200,
            "{p} linked from the home page answers {}",
            r.status
        );
    }
    vec![
        ("home".to_string(), "/".to_string()),
        ("brand".to_string(), brand),
        ("report".to_string(), report),
        // The search page with results drawn by its script (長者食堂 folds to 长者食堂).
        (
            "search".to_string(),
            "/search/?q=%E9%95%B7%E8%80%85%E9%A3%9F%E5%A0%82".to_string(),
        ),
    ]
}

/// A folder that outlives the test, for a person to look at.
fn screenshot_dir() -> PathBuf {
    tempfile::Builder::new()
        .prefix("herald-screenshots-")
        .tempdir()
        .expect("create the screenshot folder")
        .keep()
}

fn theme_args(server: &Server, pages: &[(String, String)], checks: &str) -> Vec<String> {
    let mut args = vec![
        "--widths".to_string(),
        "375,1440".to_string(),
        "--checks".to_string(),
        checks.to_string(),
    ];
    args.push(server.url());
    args.extend(pages.iter().map(|(n, p)| format!("{n}={p}")));
    args
}

#[test]
fn theme_pages_fit_small_and_large_screens_without_errors() {
    if !browser_available() {
        return;
    }
    let site = example_site();
    let server = Server::start(site.root());
    let pages = sample_pages(&server);
    let shots = screenshot_dir();
    let mut args = vec!["--out".to_string(), shots.display().to_string()];
    args.extend(theme_args(&server, &pages, "load,layout"));
    let run = {
        let _one = ONE_BROWSER.lock().unwrap_or_else(|e| e.into_inner());
        node("theme.mjs", &args, Duration::from_secs(180))
    };
    println!("screenshots: {}", shots.display());
    eprintln!("screenshots: {}", shots.display());

    // The screenshots are for a person whatever the verdict.
    if std::env::var("HERALD_SAVE_SCREENSHOTS").is_ok_and(|v| v == "1") {
        let docs = repo().join("docs/screenshots");
        std::fs::create_dir_all(&docs).expect("create docs/screenshots");
        for name in ["home-375.png", "brand-1440.png"] {
            let from = shots.join(name);
            if from.is_file() {
                std::fs::copy(&from, docs.join(name))
                    .unwrap_or_else(|e| panic!("copy {}: {e}", from.display()));
            }
        }
    }

    assert_eq!(
        run.code,
        Some(0),
        "the theme failed in the browser (screenshots in {}):\n{}\n--- server stderr ---\n{}",
        shots.display(),
        run.show(),
        server.stderr()
    );
    for (name, _) in &pages {
        for w in [375, 1440] {
            let f = shots.join(format!("{name}-{w}.png"));
            let len = std::fs::metadata(&f).map(|m| m.len()).unwrap_or(0);
            assert!(len > 1000, "no screenshot {}", f.display());
        }
    }
}

#[test]
fn theme_pages_have_no_serious_accessibility_violations() {
    if !browser_available() {
        return;
    }
    let site = example_site();
    let server = Server::start(site.root());
    let pages = sample_pages(&server);
    let args = theme_args(&server, &pages, "axe");
    let run = {
        let _one = ONE_BROWSER.lock().unwrap_or_else(|e| e.into_inner());
        node("theme.mjs", &args, Duration::from_secs(180))
    };
    assert_eq!(
        run.code,
        Some(0),
        "axe-core found serious or critical violations:\n{}",
        run.show()
    );
    assert!(
        run.stdout.contains("\"axe\""),
        "axe-core did not run:\n{}",
        run.show()
    );
}

// ---------------------------------------------------------------- live reload

#[test]
fn an_open_page_follows_edits_to_its_markdown_file() {
    if !browser_available() {
        return;
    }
    let body: Vec<String> = (1..=60)
        .map(|i| format!("第{i}段：服务对象当家人、群众需求当家事、工作当家业。这一段把页面撑长，好测试滚动位置。"))
        .collect();
    let site = Site::new()
        .file(
            "content/brands/sanjia.md",
            &brand("三家工作法", "", "品牌介绍。"),
        )
        .file(
            "content/cases/a.md",
            &report("案例甲", "2022-01-01", "brand: sanjia", &body.join("\n\n")),
        );
    let server = Server::start(site.root());
    let md = site.path("content/cases/a.md");
    let args = vec![
        server.url(),
        "/cases/a/".to_string(),
        md.display().to_string(),
    ];
    let run = {
        let _one = ONE_BROWSER.lock().unwrap_or_else(|e| e.into_inner());
        node("live_reload.mjs", &args, Duration::from_secs(150))
    };
    assert_eq!(
        run.code,
        Some(0),
        "live reload failed in the browser:\n{}\n--- server stderr ---\n{}",
        run.show(),
        server.stderr()
    );
    // The server saw the three edits: a body edit, the error, the fix.
    let err = server.stderr();
    assert!(
        server.rebuild_lines().len() >= 2 && err.contains("content/cases/a.md:3"),
        "{err}"
    );
}

// ---------------------------------------------------------------- the checks themselves

/// A page made to fail every check: the browser tests above would pass vacuously if the
/// checks could not see these.
#[test]
fn the_browser_checks_catch_overflow_console_errors_failed_requests_and_axe_violations() {
    if !browser_available() {
        return;
    }
    let site = Site::new()
        .file(
            "templates/page.html",
            "{% extends \"base.html\" %}\n{% block main %}<div class=\"too-wide\" style=\"width:2000px\">宽</div>\
             <img src=\"/missing-picture.png\"><script>console.error(\"deliberate-console-error\")</script>\
             {{ page.content | safe }}{% endblock main %}\n",
        )
        .file("content/cases/a.md", &report("案例甲", "2022-01-01", "", "正文。"));
    let server = Server::start(site.root());
    let mut args = theme_args(
        &server,
        &[("bad".into(), "/cases/a/".into())],
        "load,layout,axe",
    );
    args.splice(0..2, ["--widths".to_string(), "375".to_string()]);
    let run = {
        let _one = ONE_BROWSER.lock().unwrap_or_else(|e| e.into_inner());
        node("theme.mjs", &args, Duration::from_secs(120))
    };
    assert_eq!(run.code, Some(1), "{}", run.show());
    for expected in [
        "horizontal overflow",
        "div.too-wide",
        "deliberate-console-error",
        "missing-picture.png",
        "image-alt",
    ] {
        assert!(
            run.stderr.contains(expected),
            "the checks missed {expected:?}:\n{}",
            run.show()
        );
    }
}

// ---------------------------------------------------------------- relative mode

#[test]
fn a_relative_build_works_from_a_usb_stick_over_file_urls() {
    if !browser_available() {
        return;
    }
    // The example site, plus a report with a photo (cover and body), built with --relative
    // into a folder deep in somewhere else, as when copied to a USB stick.
    let site = example_site_with_a_photo();
    let usb = site.scratch().join("U盘").join("宣传网站");
    let out = site.build_with(&["--relative", "--output", usb.to_str().expect("utf-8")]);
    let home = out.path("index.html");
    assert!(out.exists("favicon.svg"));
    let run = {
        let _one = ONE_BROWSER.lock().unwrap_or_else(|e| e.into_inner());
        node(
            "relative.mjs",
            &[format!("file://{}", home.display())],
            Duration::from_secs(120),
        )
    };
    assert_eq!(run.code, Some(0), "{}", run.show());
}
