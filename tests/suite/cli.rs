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

// ------------------------------------------------------------------ help and usage errors in Chinese

/// `herald <args…>` with the locale given and none inherited (`None` runs with no locale).
fn herald_in_locale(cwd: &std::path::Path, locale: Option<&str>, args: &[&str]) -> Run {
    let mut cmd = std::process::Command::new(HERALD);
    cmd.args(args)
        .current_dir(cwd)
        .stdin(std::process::Stdio::null())
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("LANG");
    if let Some(l) = locale {
        cmd.env("LANG", l);
    }
    let out = cmd.output().expect("run herald");
    Run {
        command: format!("LANG={locale:?} herald {}", args.join(" ")),
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn has_chinese(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

/// Every command's help, as `--help` and as `help <command>`.
const HELP_OF: &[&[&str]] = &[
    &[],
    &["build"],
    &["check"],
    &["serve"],
    &["init"],
    &["new"],
    &["new", "brand"],
    &["new", "case"],
    &["deploy"],
    &["package"],
];

/// A line of help still in English: no Chinese, and three or more plain English words.
fn english_line(out: &str) -> Option<&str> {
    out.lines().find(|line| {
        !has_chinese(line)
            && line
                .split_whitespace()
                .filter(|w| {
                    let w = w.trim_matches(|c: char| !c.is_ascii_alphabetic());
                    w.len() >= 3 && w.chars().all(|c| c.is_ascii_lowercase())
                })
                .count()
                >= 3
    })
}

#[test]
fn every_help_is_chinese_under_lang_zh_or_a_chinese_locale() {
    let tmp = tempfile::tempdir().expect("tempdir");
    for cmd in HELP_OF {
        let mut flag = cmd.to_vec();
        flag.push("--help");
        let mut sub = vec!["help"];
        sub.extend_from_slice(cmd);
        let by_flag = herald_in_locale(tmp.path(), None, &[&["--lang", "zh"], &flag[..]].concat());
        let by_locale = herald_in_locale(tmp.path(), Some("zh_CN.UTF-8"), &flag);
        let by_help = herald_in_locale(tmp.path(), Some("zh_CN.UTF-8"), &sub);
        for run in [&by_flag, &by_locale, &by_help] {
            run.assert_ok();
            let out = &run.stdout;
            assert!(out.contains("用法：herald"), "{}:\n{out}", run.command);
            assert!(
                out.contains("-h, --help") && out.contains("显示这份帮助"),
                "{out}"
            );
            assert_eq!(
                english_line(out),
                None,
                "{}: a line left in English:\n{out}",
                run.command
            );
            for english in [
                "Usage:",
                "Options:",
                "Commands:",
                "Arguments:",
                "Print help",
                "[default:",
            ] {
                assert!(
                    !out.contains(english),
                    "{}: English {english:?} left:\n{out}",
                    run.command
                );
            }
        }
        assert_eq!(
            by_flag.stdout, by_locale.stdout,
            "--lang zh and LANG=zh_CN differ"
        );
        assert_eq!(
            by_flag.stdout, by_help.stdout,
            "`--help` and `help …` differ"
        );
    }
}

#[test]
fn help_is_english_otherwise() {
    let tmp = tempfile::tempdir().expect("tempdir");
    for locale in [None, Some("C.UTF-8"), Some("en_US.UTF-8")] {
        let run = herald_in_locale(tmp.path(), locale, &["build", "--help"]);
        run.assert_ok();
        assert!(run.stdout.contains("Usage: herald build"), "{}", run.stdout);
        assert!(
            !has_chinese(&run.stdout.replace("宣页", "")),
            "{}",
            run.stdout
        );
    }
    let run = herald_in_locale(tmp.path(), Some("zh_CN.UTF-8"), &["--lang", "en", "--help"]);
    assert!(
        run.stdout.contains("Usage:"),
        "--lang en beats LANG:\n{}",
        run.stdout
    );
}

#[test]
fn version_in_both_languages() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let v = env!("CARGO_PKG_VERSION");
    let zh = herald_in_locale(tmp.path(), Some("zh_CN.UTF-8"), &["--version"]);
    zh.assert_ok();
    assert_eq!(zh.stdout.trim(), format!("宣页 Herald {v} 版"));
    let en = herald_in_locale(tmp.path(), None, &["-V"]);
    assert_eq!(en.stdout.trim(), format!("herald {v}"));
}

#[test]
fn usage_errors_are_chinese_with_a_suggestion_and_the_usage() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let cases: &[(&[&str], &str)] = &[
        (&["biuld"], "是不是想写“build”？"),
        (&["build", "--rot", "x"], "是不是想写“--root”？"),
        (
            &["serve", "--port", "abc"],
            "端口要写 1 到 65535 之间的数字",
        ),
        (&["init"], "缺少 <文件夹>"),
        (&["build", "extra"], "不认识“extra”"),
        (&["help", "nope"], "没有“nope”这个命令"),
    ];
    for (args, needle) in cases {
        let run = herald_in_locale(tmp.path(), None, &[&["--lang", "zh"], *args].concat());
        assert_eq!(run.code, Some(2), "{}:\n{}", run.command, run.stderr);
        assert!(run.stdout.is_empty(), "{}", run.stdout);
        run.assert_stderr_has("错误：")
            .assert_stderr_has(needle)
            .assert_stderr_lacks("error:")
            .assert_stderr_lacks("Usage:")
            .assert_stderr_lacks("For more information");
    }
    // The same mistake in English is clap's own message.
    let run = herald_in_locale(tmp.path(), None, &["--lang", "en", "biuld"]);
    assert_eq!(run.code, Some(2));
    run.assert_stderr_has("error:");
}

// ------------------------------------------------------------------ no command (a double-click)

/// `herald --lang zh` with no command in `cwd`, stdin fed `input` (None: no stdin at all),
/// killed if it runs longer than `limit`.
fn no_command(cwd: &std::path::Path, input: Option<&str>, interactive: bool) -> Run {
    use std::io::Write as _;
    let mut cmd = std::process::Command::new(HERALD);
    cmd.args(["--lang", "zh"])
        .current_dir(cwd)
        .env("HERALD_NO_BROWSER", "1")
        .stdin(if input.is_some() {
            std::process::Stdio::piped()
        } else {
            std::process::Stdio::null()
        })
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    if interactive {
        cmd.env("HERALD_INTERACTIVE", "1");
    } else {
        cmd.env_remove("HERALD_INTERACTIVE");
    }
    let mut child = cmd.spawn().expect("run herald");
    if let (Some(text), Some(mut stdin)) = (input, child.stdin.take()) {
        let _ = stdin.write_all(text.as_bytes());
    }
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while child.try_wait().expect("wait").is_none() {
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            panic!(
                "`herald` without a command did not exit within 20 s (is it waiting for a key?)"
            );
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let out = child.wait_with_output().expect("output");
    Run {
        command: "herald --lang zh".into(),
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

#[test]
fn no_command_outside_a_site_explains_and_exits_at_once_without_a_console() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let run = no_command(tmp.path(), None, false);
    assert_eq!(run.code, Some(1), "{}", run.stdout);
    assert!(
        run.stdout.contains("没有 site.yaml") && run.stdout.contains("herald init"),
        "{}",
        run.stdout
    );
    assert!(
        !run.stdout.contains("按回车键"),
        "waited without a console:\n{}",
        run.stdout
    );
    assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 0);
}

#[test]
fn no_command_at_a_console_offers_init_and_waits_for_enter() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let run = no_command(tmp.path(), Some("\n\n"), true);
    assert_eq!(run.code, Some(1));
    assert!(run.stdout.contains("输入 y"), "{}", run.stdout);
    assert!(
        run.stdout.trim_end().ends_with("按回车键关闭窗口……"),
        "{}",
        run.stdout
    );
    assert_eq!(
        std::fs::read_dir(tmp.path()).unwrap().count(),
        0,
        "created something after a no"
    );
}

/// A `herald` without a command that is serving: killed when dropped.
struct Previewing(std::process::Child);

impl Drop for Previewing {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `herald --lang en` with no command in `cwd` (answering `input`), and returns the
/// port it serves on once it answers.
fn preview_without_command(cwd: &std::path::Path, input: &str) -> (Previewing, u16) {
    use std::io::{BufRead as _, Write as _};
    let mut child = std::process::Command::new(HERALD)
        .args(["--lang", "en"])
        .current_dir(cwd)
        .env("HERALD_NO_BROWSER", "1")
        .env("HERALD_INTERACTIVE", "1")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run herald");
    if let Some(mut stdin) = child.stdin.take() {
        let _ = stdin.write_all(input.as_bytes());
    }
    let stderr = child.stderr.take().expect("stderr");
    let guard = Previewing(child);
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stderr)
            .lines()
            .map_while(Result::ok)
        {
            let _ = tx.send(line);
        }
    });
    let mut seen = String::new();
    loop {
        let line = rx
            .recv_timeout(std::time::Duration::from_secs(20))
            .unwrap_or_else(|_| panic!("no `serving at` line within 20 s:\n{seen}"));
        seen.push_str(&line);
        seen.push('\n');
        if let Some(port) = line
            .strip_prefix("serving at http://127.0.0.1:")
            .and_then(|r| r.split('/').next())
            .and_then(|p| p.parse().ok())
        {
            return (guard, port);
        }
    }
}

#[test]
fn no_command_in_a_site_folder_previews_it() {
    let site = valid_site();
    let (_server, port) = preview_without_command(site.root(), "");
    let page = super::serve::get(port, "/cases/a/");
    assert_eq!(page.status, 200);
    assert!(page.text().contains("案例甲"));
}

#[test]
fn no_command_at_a_console_creates_the_sample_site_when_asked_and_previews_it() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (_server, port) = preview_without_command(tmp.path(), "y\n");
    assert!(tmp.path().join("宣传网站/site.yaml").is_file());
    assert_eq!(super::serve::get(port, "/").status, 200);
}

#[test]
fn no_command_at_a_real_terminal_asks_and_waits_without_being_told_to() {
    // `script` (util-linux) runs herald on a pseudo-terminal: what a double-click gives it.
    let tmp = tempfile::tempdir().expect("tempdir");
    let cmd = format!("env -u HERALD_INTERACTIVE '{HERALD}' --lang zh");
    let mut child = std::process::Command::new("timeout")
        .args(["20", "script", "-qec", &cmd, "/dev/null"])
        .current_dir(tmp.path())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("run script (util-linux)");
    if let Some(mut stdin) = child.stdin.take() {
        use std::io::Write as _;
        let _ = stdin.write_all(b"\n\n");
    }
    let out = child.wait_with_output().expect("wait");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("输入 y") && text.contains("按回车键关闭窗口"),
        "at a terminal herald should offer init and wait for Enter:\n{text}"
    );
    assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 0);
}
