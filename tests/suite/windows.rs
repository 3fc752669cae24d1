//! The Windows build, `herald.exe`, run under wine (see `wine.rs`): it must make the same site,
//! byte for byte, as this Linux binary, say the same things, take Windows paths (drive
//! letters, backslashes, Chinese folder names), and its init, new, serve, Chinese help and
//! double-click case must work.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::serve::{free_port, try_get, Sse};
use super::util::*;
use super::wine::*;

// ------------------------------------------------------------------ builds

#[test]
fn the_example_site_builds_byte_identical_to_linux() {
    let Some(wine) = wine() else { return };
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tmp = tempfile::tempdir().expect("tempdir");
    let (lin, win) = (tmp.path().join("linux"), tmp.path().join("windows"));
    let l = run_herald(repo, "zh", &["build", "--output", lin.to_str().unwrap()]);
    l.assert_ok();
    let w = wine.herald(
        repo,
        "zh",
        &["build", "--root", &z(repo), "--output", &z(&win)],
    );
    w.assert_ok();
    assert_eq!(
        without_timing(&l.stdout),
        without_timing(&w.stdout),
        "the summaries differ"
    );
    assert_eq!(l.stderr, w.stderr, "the warnings differ");
    assert_same_output(&lin, &win, "the example site");
}

/// What a Windows user's site has: a GBK file (old Notepad, WPS), BOM + CRLF (Notepad),
/// Chinese file and folder names, a page bundle with its image.
fn windows_made_site(root: &Path) {
    let files: Vec<(&str, Vec<u8>)> = vec![
        (
            "site.yaml",
            "title: 宣传网站\r\nbase_url: https://example.org/\r\n".into(),
        ),
        (
            "content/brands/sanjia.md",
            brand("「三家」工作法", "region: 徐州市", "品牌介绍。").into(),
        ),
        (
            "content/cases/社区养老.md",
            encoding_rs::GBK
                .encode(&report(
                    "社区养老服务",
                    "2023-05-01",
                    "brand: sanjia",
                    "老人们说：“服务零距离”。",
                ))
                .0
                .into_owned(),
        ),
        (
            "content/cases/二〇二四/作风建设.md",
            format!(
                "\u{feff}{}",
                report(
                    "作风建设",
                    "2024年3月8日",
                    "brand: sanjia\ntags: [作风建设, 党建引领]",
                    "第一段。\n\n**一是抓实“三套方案”。**通过征集……"
                )
            )
            .replace('\n', "\r\n")
            .into_bytes(),
        ),
        (
            "content/cases/照片集/index.md",
            report(
                "活动照片",
                "2024-06-01",
                "brand: sanjia\ncover: 大厅.png",
                "![便民服务大厅](大厅.png)",
            )
            .into(),
        ),
        ("content/cases/照片集/大厅.png", super::util::tiny_png()),
        (
            "content/about.md",
            plain_page("关于", "[案例](cases/社区养老.md)").into(),
        ),
        ("static/附件/说明.txt", "附件\r\n".into()),
    ];
    for (rel, bytes) in files {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).expect("mkdir");
        std::fs::write(&path, bytes).expect("write a fixture file");
    }
}

/// A folder under the wine user's own folder (`C:\users\<name>\herald-tests\<unique>`).
fn folder_in_user_home(wine: &Wine, tag: &str) -> (PathBuf, String, tempfile::TempDir) {
    let (home, home_win) = wine.user_folder();
    let base = home.join("herald-tests");
    std::fs::create_dir_all(&base).expect("mkdir");
    let dir = tempfile::Builder::new()
        .prefix(tag)
        .tempdir_in(&base)
        .expect("tempdir");
    let name = dir
        .path()
        .file_name()
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    (
        dir.path().to_path_buf(),
        format!("{home_win}\\herald-tests\\{name}"),
        dir,
    )
}

#[test]
fn a_site_made_on_windows_builds_byte_identical_from_a_chinese_folder_on_c() {
    let Some(wine) = wine() else { return };
    let tmp = tempfile::tempdir().expect("tempdir");
    let lin_root = tmp.path().join("宣传网站");
    windows_made_site(&lin_root);
    let (base, base_win, _keep) = folder_in_user_home(wine, "build-");
    let win_root = base.join("宣传网站");
    windows_made_site(&win_root);
    let root_typed = format!("{base_win}\\宣传网站");

    let l = run_herald(tmp.path(), "zh", &["build", "--root", "宣传网站"]);
    l.assert_ok();
    let w = wine.herald(tmp.path(), "zh", &["build", "--root", &root_typed]);
    w.assert_ok();
    assert!(
        l.stderr.contains("GBK"),
        "the GBK file should be warned about:\n{}",
        l.stderr
    );
    assert_eq!(l.stderr, w.stderr, "the warnings differ");
    assert_eq!(without_timing(&l.stdout), without_timing(&w.stdout));
    assert_same_output(
        &lin_root.join("output"),
        &win_root.join("output"),
        "a site made on Windows",
    );

    // A rebuild into the same output changes nothing, on Windows too.
    let again = wine.herald(
        tmp.path(),
        "en",
        &["build", "--root", &format!("{root_typed}\\")],
    );
    again.assert_ok();
    assert!(again.stdout.contains("(0 changed)"), "{}", again.stdout);
}

// ------------------------------------------------------------------ messages and paths

#[test]
fn check_reports_the_same_errors_at_the_same_line_and_column() {
    let Some(wine) = wine() else { return };
    let site = Site::new()
        .file(
            "content/brands/sanjia.md",
            &brand("三家工作法", "", "介绍。"),
        )
        .file(
            "content/cases/二〇二二/b.md",
            "---\r\ntitle: 乙\r\ndate: 2022-13-01\r\nbrand: sanjia\r\n---\r\n\r\n正文。\r\n",
        )
        .file(
            "content/cases/社区.md",
            "---\r\ntitle: 丙\r\ndate: 2022-01-01\r\nbrand: sanjai\r\n---\r\n\r\n正文。\r\n",
        );
    for lang in ["zh", "en"] {
        let l = run_herald(site.scratch(), lang, &["check", "--root", site.root_str()]);
        let w = wine.herald(site.scratch(), lang, &["check", "--root", &z(site.root())]);
        l.assert_failed_cleanly();
        w.assert_failed_cleanly();
        w.assert_stderr_has("content/cases/二〇二二/b.md:3:7: ")
            .assert_stderr_has("content/cases/社区.md:4:8: ");
        assert_eq!(l.stderr, w.stderr, "--lang {lang}: check's messages differ");
        assert_eq!(l.code, w.code);
    }
    // A relative root with `..\`, from a folder beside the site.
    let beside = site.scratch().join("旁边");
    std::fs::create_dir_all(&beside).expect("mkdir");
    let l = run_herald(&beside, "zh", &["check", "--root", "../site"]);
    let w = wine.herald(&beside, "zh", &["check", "--root", "..\\site"]);
    assert_eq!(l.stderr, w.stderr, "check --root ..\\site");
    // A folder named with backslashes is named back as it was typed.
    let typed = format!("{}\\没有这个网站", z(site.scratch()));
    let w = wine.herald(site.scratch(), "zh", &["check", "--root", &typed]);
    w.assert_failed_cleanly().assert_stderr_has(&typed);
    assert!(!w.stderr.contains('/'), "{}", w.stderr);
}

#[test]
fn refuses_a_drive_root_and_the_user_folder_as_output() {
    let Some(wine) = wine() else { return };
    let (_, home_win) = wine.user_folder();
    let site = Site::new().file("content/about.md", &plain_page("关于", "正文。"));
    for out in ["C:\\", "Z:\\", home_win.as_str()] {
        let w = wine.herald(
            site.root(),
            "zh",
            &["build", "--root", &z(site.root()), "--output", out],
        );
        w.assert_failed_cleanly().assert_stderr_has(out);
        w.assert_stderr_has("输出文件夹不能是主目录或磁盘根目录");
    }
    assert!(!site.output().dir.exists());
}

#[test]
fn help_version_and_usage_errors_are_chinese_and_match_linux() {
    let Some(wine) = wine() else { return };
    let tmp = tempfile::tempdir().expect("tempdir");
    let cases: &[&[&str]] = &[
        &["--help"],
        &["--version"],
        &["build", "--help"],
        &["new", "case", "--help"],
        &["help", "serve"],
        &["biuld"],
        &["build", "--rot", "x"],
    ];
    for args in cases {
        let l = run_herald(tmp.path(), "zh", args);
        let w = wine.herald(tmp.path(), "zh", args);
        assert_eq!(
            (l.code, &l.stdout, &l.stderr),
            (w.code, &w.stdout, &w.stderr),
            "herald {args:?}"
        );
        assert!(
            has_chinese(&format!("{}{}", w.stdout, w.stderr)),
            "herald {args:?}: {}{}",
            w.stdout,
            w.stderr
        );
    }
    // A Chinese locale without --lang.
    let w = wine.herald_with(tmp.path(), &["--help"], &[("LANG", "zh_CN.UTF-8")], None);
    w.assert_ok();
    assert!(
        w.stdout.contains("用法："),
        "LANG=zh_CN.UTF-8:\n{}",
        w.stdout
    );
}

fn has_chinese(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

// ------------------------------------------------------------------ init, new, double-click

#[test]
fn init_and_new_make_the_same_files_as_on_linux() {
    let Some(wine) = wine() else { return };
    let tmp = tempfile::tempdir().expect("tempdir");
    let (lin, win) = (tmp.path().join("linux"), tmp.path().join("windows"));
    for dir in [&lin, &win] {
        std::fs::create_dir_all(dir).expect("mkdir");
    }
    run_herald(&lin, "zh", &["init", "新网站"]).assert_ok();
    wine.herald(&win, "zh", &["init", "新网站"]).assert_ok();
    run_herald(
        &lin,
        "zh",
        &["new", "brand", "minsheng", "--root", "新网站"],
    )
    .assert_ok();
    wine.herald(
        &win,
        "zh",
        &["new", "brand", "minsheng", "--root", "新网站"],
    )
    .assert_ok();
    run_herald(
        &lin,
        "zh",
        &["new", "case", "2024/社区养老", "--root", "新网站"],
    )
    .assert_ok();
    // Windows users type backslashes.
    wine.herald(
        &win,
        "zh",
        &["new", "case", "2024\\社区养老", "--root", "新网站"],
    )
    .assert_ok();
    assert!(win.join("新网站/content/cases/2024/社区养老.md").is_file());
    assert_same_tree(
        &snapshot(&lin),
        &snapshot(&win),
        "init + new: the Windows files against the Linux ones",
    );
    wine.herald(&win, "zh", &["build", "--root", "新网站"])
        .assert_ok();
    run_herald(&lin, "zh", &["build", "--root", "新网站"]).assert_ok();
    assert_same_output(
        &lin.join("新网站/output"),
        &win.join("新网站/output"),
        "the new site",
    );
}

#[test]
fn no_command_outside_a_site_explains_in_chinese_and_does_not_wait_without_a_console() {
    let Some(wine) = wine() else { return };
    let tmp = tempfile::tempdir().expect("tempdir");
    let started = Instant::now();
    let w = wine.herald_with(tmp.path(), &["--lang", "zh"], &[], None);
    assert_ne!(w.code, Some(0), "{}", w.stdout);
    assert!(
        w.stdout.contains("site.yaml") && w.stdout.contains("herald init"),
        "{}",
        w.stdout
    );
    assert!(
        !w.stdout.contains("按回车键"),
        "asked for a key without a console:\n{}",
        w.stdout
    );
    assert!(started.elapsed() < Duration::from_secs(60));
    // At a console (forced here, answered through a pipe): "no" leaves the folder alone and
    // waits for Enter before the window would close.
    let w = wine.herald_with(
        tmp.path(),
        &["--lang", "zh"],
        &[("HERALD_INTERACTIVE", "1")],
        Some("\n\n"),
    );
    assert!(
        w.stdout.contains("输入 y") && w.stdout.contains("按回车键关闭窗口"),
        "{}",
        w.stdout
    );
    assert_eq!(
        std::fs::read_dir(tmp.path()).unwrap().count(),
        0,
        "something was created"
    );
}

fn serve_site() -> Site {
    Site::new()
        .file(
            "content/brands/sanjia.md",
            &brand("三家工作法", "", "介绍。"),
        )
        .file(
            "content/cases/a.md",
            &report("案例甲", "2022-01-01", "brand: sanjia", "原来的正文。"),
        )
}

#[test]
fn serve_answers_and_reloads_after_an_edit() {
    let Some(wine) = wine() else { return };
    let site = serve_site();
    let port = free_port().to_string();
    let root = z(site.root());
    let args = ["--lang", "en", "serve", "--root", &root, "--port", &port];
    let server = WineServer::start(wine, site.root(), &args);
    let page = try_get(server.port, "/cases/a/").expect("GET /cases/a/");
    assert_eq!(page.status, 200, "{}", server.stderr());
    assert!(page.text().contains("原来的正文。"));
    let mut sse = Sse::connect(server.port);
    assert_eq!(sse.next().name, "build-ok", "{}", server.stderr());
    site.write(
        "content/cases/a.md",
        &report("案例甲", "2022-01-01", "brand: sanjia", "改过的正文。"),
    );
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let ev = sse.next_within(deadline.saturating_duration_since(Instant::now()));
        match ev {
            Some(ev) if ev.name == "reload" => {
                let page = try_get(server.port, "/cases/a/").expect("GET after the edit");
                if page.text().contains("改过的正文。") {
                    break;
                }
            }
            Some(_) => {}
            None => panic!(
                "no reload within 30 s of an edit under wine (file watching); events: {:?}\n{}",
                sse.names(),
                server.stderr()
            ),
        }
    }
}

#[test]
fn no_command_in_a_site_folder_starts_the_preview() {
    let Some(wine) = wine() else { return };
    let site = serve_site();
    // No command at all (port 1111, or the next free one).
    let server = WineServer::start(wine, site.root(), &["--lang", "en"]);
    let page = try_get(server.port, "/").expect("GET /");
    assert_eq!(page.status, 200, "{}", server.stderr());
}
