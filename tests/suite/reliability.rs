//! What users actually do wrong, and what the machine does to Herald: files saved by Windows
//! editors in the wrong encoding, front matter typed with a Chinese input method, values of
//! the wrong type, files of absurd size or shape, many broken files at once, a build killed
//! half-way, and the locale the messages are written in.
//!
//! Every error must exit non-zero with a message (never a panic, never a signal), name the
//! file (and the line where there is one), and leave the previous output as it was. Inputs
//! that could make Herald hang or crash run under `run_bounded`, which kills the process after
//! a time limit and fails the test if it died of a signal (a stack overflow aborts with
//! SIGABRT); on Linux some also run with a cap on the data segment (`ulimit -d`), so a file
//! read whole into memory, or a YAML alias bomb expanded, aborts instead of passing unseen.
//!
//! What is covered elsewhere is not repeated here: BOM + CRLF line numbers, a GBK file via
//! `encoding_rs`, full-width colons, tabs, unclosed and misplaced front matter, unknown brands,
//! duplicate slugs, broken links, missing covers, template errors and unknown themes are in
//! `errors.rs`, `brands.rs` and `links.rs`; failed builds and dangerous output folders are in
//! `safety.rs`.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::util::*;

/// How long any single `herald` run may take here (a debug build on two cores).
const LIMIT: Duration = Duration::from_secs(20);

// ------------------------------------------------------------------ running herald, bounded

/// `herald [--lang <lang>] <args…>` in the site folder. With `data_limit_mb` (Linux only), the
/// process runs under `ulimit -d`: an allocation beyond it aborts the process.
fn herald_cmd(
    site: &Site,
    lang: Option<&str>,
    args: &[&str],
    data_limit_mb: Option<u64>,
) -> (Command, String) {
    let mut full: Vec<String> = Vec::new();
    if let Some(lang) = lang {
        full.push("--lang".into());
        full.push(lang.into());
    }
    full.extend(args.iter().map(|a| a.to_string()));
    let shown = format!("herald {}", full.join(" "));
    let mut cmd = match data_limit_mb {
        Some(mb) if cfg!(target_os = "linux") => {
            let mut c = Command::new("sh");
            c.arg("-c")
                .arg(format!("ulimit -d {} && exec \"$0\" \"$@\"", mb * 1024))
                .arg(HERALD)
                .args(&full);
            c
        }
        _ => {
            let mut c = Command::new(HERALD);
            c.args(&full);
            c
        }
    };
    cmd.current_dir(site.root());
    if data_limit_mb.is_some() {
        // Thread stacks count against the data limit: keep the pool the size it is on a
        // two-core machine, so the limit means the same on a 64-core CI runner.
        cmd.env("RAYON_NUM_THREADS", "2");
    }
    let shown = match data_limit_mb {
        Some(mb) => format!("{shown}  [data segment ≤ {mb} MB]"),
        None => shown,
    };
    (cmd, shown)
}

/// Runs `cmd`, killing it after `limit`. Panics if it did not finish in time or if it was
/// killed by a signal (a crash is not an answer, even for input that should be refused).
fn run_bounded(mut cmd: Command, command: String, limit: Duration) -> (Run, Duration) {
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let start = Instant::now();
    let mut child = cmd
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run `{command}`: {e}"));
    let mut out = child.stdout.take().expect("piped stdout");
    let mut err = child.stderr.take().expect("piped stderr");
    let t_out = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = out.read_to_end(&mut v);
        v
    });
    let t_err = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = err.read_to_end(&mut v);
        v
    });
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for herald") {
            break status;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            let stderr = String::from_utf8_lossy(&t_err.join().unwrap_or_default()).into_owned();
            panic!(
                "`{command}` did not finish within {limit:?} and was killed\n--- stderr ---\n{}",
                tail(&stderr)
            );
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let elapsed = start.elapsed();
    let stdout = String::from_utf8_lossy(&t_out.join().unwrap_or_default()).into_owned();
    let stderr = String::from_utf8_lossy(&t_err.join().unwrap_or_default()).into_owned();
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(sig) = status.signal() {
            let name = match sig {
                6 => " (SIGABRT: a stack overflow or a failed allocation)",
                9 => " (SIGKILL: out of memory?)",
                11 => " (SIGSEGV)",
                _ => "",
            };
            panic!(
                "`{command}` was killed by signal {sig}{name} after {elapsed:?} instead of exiting\n--- stderr ---\n{}",
                tail(&stderr)
            );
        }
    }
    (
        Run {
            command,
            code: status.code(),
            stdout,
            stderr,
        },
        elapsed,
    )
}

fn tail(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let start = chars.len().saturating_sub(4000);
    chars[start..].iter().collect()
}

/// `herald --lang <lang> build --root <site> <extra…>`, bounded in time (and memory).
fn build_bounded(site: &Site, lang: &str, extra: &[&str], data_limit_mb: Option<u64>) -> Run {
    build_within(site, lang, extra, data_limit_mb, LIMIT)
}

fn build_within(
    site: &Site,
    lang: &str,
    extra: &[&str],
    data_limit_mb: Option<u64>,
    limit: Duration,
) -> Run {
    let mut args = vec!["build", "--root", site.root_str()];
    args.extend_from_slice(extra);
    let (cmd, shown) = herald_cmd(site, Some(lang), &args, data_limit_mb);
    run_bounded(cmd, shown, limit).0
}

/// `herald build` with no `--lang`, the locale variables set as given and the others removed.
fn build_in_locale(site: &Site, lang_flag: Option<&str>, env: &[(&str, &str)]) -> Run {
    let (mut cmd, shown) = herald_cmd(site, lang_flag, &["build", "--root", site.root_str()], None);
    for var in ["LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"] {
        cmd.env_remove(var);
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    let shown = format!(
        "{} {shown}",
        env.iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(" ")
    );
    run_bounded(cmd, shown, LIMIT).0
}

fn has_cjk(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

/// How many errors stderr lists (lines starting `error: ` or `错误: `).
fn count_error_lines(stderr: &str) -> usize {
    stderr
        .lines()
        .filter(|l| l.starts_with("error: ") || l.starts_with("错误: "))
        .count()
}

fn good_site() -> Site {
    Site::new()
        .file(
            "content/brands/sanjia.md",
            &brand("三家工作法", "color: \"#1b5e20\"", "介绍。"),
        )
        .file(
            "content/cases/a.md",
            &report("案例甲", "2022-01-01", "brand: sanjia", "正文。"),
        )
        .file("content/about.md", &plain_page("关于", "关于本站。"))
}

/// Every file and folder under `dir` with its size and a hash of its bytes.
fn tree_hashes(dir: &Path) -> BTreeMap<String, (u64, u64)> {
    use std::hash::{Hash, Hasher};
    fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<String, (u64, u64)>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let path = e.path();
            let rel = path
                .strip_prefix(base)
                .expect("under base")
                .to_string_lossy()
                .replace('\\', "/");
            let meta = std::fs::symlink_metadata(&path).expect("metadata");
            if meta.is_dir() {
                out.insert(format!("{rel}/"), (0, 0));
                walk(base, &path, out);
            } else {
                let bytes = std::fs::read(&path).unwrap_or_default();
                let mut h = std::collections::hash_map::DefaultHasher::new();
                bytes.hash(&mut h);
                out.insert(rel, (bytes.len() as u64, h.finish()));
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

fn assert_same_hashes(
    before: &BTreeMap<String, (u64, u64)>,
    after: &BTreeMap<String, (u64, u64)>,
    what: &str,
) {
    assert_same_tree(before, after, what);
}

/// Folders Herald leaves beside an output folder while (or after failing at) building it.
fn leftovers(parent: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(parent)
        .map(|d| {
            d.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.contains(".herald-staging-") || n.contains(".herald-old-"))
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

// ------------------------------------------------------------------ encodings

/// `---\ntitle: 三家工作法\ndate: 2022-01-01\n---\n\n惠民零时差。𠮷㐀\n` in GB18030, produced once
/// with Python (`s.encode("gb18030")`): the Chinese of the title and body is two-byte GBK,
/// `𠮷㐀` are four-byte GB18030 sequences that GBK cannot encode.
const GB18030_REPORT: &[u8] = &[
    b'-', b'-', b'-', b'\n', // ---
    b't', b'i', b't', b'l', b'e', b':', b' ', // title:
    0xc8, 0xfd, 0xbc, 0xd2, 0xb9, 0xa4, 0xd7, 0xf7, 0xb7, 0xa8, b'\n', // 三家工作法
    b'd', b'a', b't', b'e', b':', b' ', b'2', b'0', b'2', b'2', b'-', b'0', b'1', b'-', b'0', b'1',
    b'\n', // date: 2022-01-01
    b'-', b'-', b'-', b'\n', b'\n', // ---
    0xbb, 0xdd, 0xc3, 0xf1, 0xc1, 0xe3, 0xca, 0xb1, 0xb2, 0xee, 0xa1,
    0xa3, // 惠民零时差。
    0x95, 0x34, 0xb2, 0x35, 0x81, 0x39, 0xee, 0x39, b'\n', // 𠮷㐀
];

#[test]
fn gb18030_file_with_characters_beyond_gbk_is_decoded_with_a_warning() {
    let site = Site::new().bytes("content/cases/a.md", GB18030_REPORT);
    let run = build_bounded(&site, "en", &[], None);
    run.assert_ok()
        .assert_stderr_has("content/cases/a.md")
        .assert_stderr_has("UTF-8");
    let page = site.output().page("/cases/a/");
    assert_eq!(page.text("main h1"), "三家工作法");
    page.assert_main_contains("惠民零时差。𠮷㐀");
    page.assert_main_lacks("\u{fffd}");

    let zh = build_bounded(&site, "zh", &[], None);
    zh.assert_ok()
        .assert_stderr_has("content/cases/a.md")
        .assert_stderr_has("警告")
        .assert_stderr_has("UTF-8");
}

#[test]
fn error_in_a_gbk_file_points_at_its_line_and_quotes_it_without_mojibake() {
    // `date: 昨天` on line 3 of a GBK file: 昨天 is 0xd7 0xf2 0xcc 0xec.
    let mut bytes = b"---\ntitle: x\ndate: ".to_vec();
    bytes.extend_from_slice(&[0xd7, 0xf2, 0xcc, 0xec]);
    bytes.extend_from_slice(b"\n---\n\nx\n");
    let site = Site::new().bytes("content/cases/a.md", &bytes);
    let run = build_bounded(&site, "en", &[], None);
    run.assert_failed_cleanly()
        .assert_points_at("content/cases/a.md", 3)
        .assert_stderr_has("昨天")
        .assert_stderr_lacks("\u{fffd}");
}

fn utf16(text: &str, little_endian: bool) -> Vec<u8> {
    let mut bytes = if little_endian {
        vec![0xFF, 0xFE]
    } else {
        vec![0xFE, 0xFF]
    };
    for unit in text.encode_utf16() {
        bytes.extend_from_slice(&if little_endian {
            unit.to_le_bytes()
        } else {
            unit.to_be_bytes()
        });
    }
    bytes
}

#[test]
fn notepad_unicode_utf16_files_with_bom_and_crlf_build() {
    let text = "---\r\ntitle: 三家工作法\r\ndate: 2022-01-01\r\ntags: [党建引领]\r\n---\r\n\r\n惠民**零时差。**服务\r\n到家。\r\n";
    let site = Site::new()
        .bytes("content/cases/le.md", &utf16(text, true))
        .bytes("content/cases/be.md", &utf16(text, false));
    let run = build_bounded(&site, "en", &[], None);
    run.assert_ok();
    for url in ["/cases/le/", "/cases/be/"] {
        let page = site.output().page(url);
        assert_eq!(page.text("main h1"), "三家工作法", "{url}");
        assert_eq!(
            raw_text_of(page.one(".content p")),
            "惠民零时差。服务到家。",
            "{url}"
        );
        assert_eq!(page.text(".content strong"), "零时差。", "{url}");
        page.assert_main_lacks("\u{fffd}");
    }
}

#[test]
fn error_in_a_utf16_file_points_at_its_line_and_quotes_it_cleanly() {
    let text = "---\r\ntitle: 案例\r\ndate: 昨天\r\n---\r\n\r\n正文。\r\n";
    let site = Site::new().bytes("content/cases/a.md", &utf16(text, true));
    let run = build_bounded(&site, "en", &[], None);
    run.assert_failed_cleanly()
        .assert_points_at("content/cases/a.md", 3)
        .assert_stderr_has("昨天")
        .assert_stderr_lacks("\u{fffd}")
        .assert_stderr_lacks("\0");
}

/// 4 KB of fixed pseudo-random bytes (xorshift), as if a picture had been named `.md`.
fn random_bytes(n: usize) -> Vec<u8> {
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

#[test]
fn binary_file_is_refused_with_how_to_save_as_utf8() {
    let site = good_site();
    site.build();
    let before = tree_hashes(&site.output().dir);
    site.write_bytes("content/cases/photo.md", &random_bytes(4096));

    let en = build_bounded(&site, "en", &[], None);
    en.assert_failed_cleanly()
        .assert_stderr_has("content/cases/photo.md")
        .assert_stderr_has("UTF-8")
        .assert_stderr_has("Save As");

    let zh = build_bounded(&site, "zh", &[], None);
    zh.assert_failed_cleanly()
        .assert_stderr_has("content/cases/photo.md")
        .assert_stderr_has("UTF-8")
        .assert_stderr_has("另存为")
        .assert_stderr_has("错误");
    assert_same_hashes(
        &before,
        &tree_hashes(&site.output().dir),
        "output/ after refusing a binary file",
    );
}

// ------------------------------------------------------------------ front matter typed with an IME

#[test]
fn full_width_bracketed_tags_are_two_tags_with_a_warning() {
    let site = Site::new().file(
        "content/cases/a.md",
        &report("甲", "2022-01-01", "tags: 【党建，养老】", "正文。"),
    );
    let run = build_bounded(&site, "en", &[], None);
    run.assert_ok().assert_points_at("content/cases/a.md", 4);
    let out = site.output();
    let tags = out.page("/tags/");
    let terms = tags.texts("main a");
    for t in ["党建", "养老"] {
        assert!(
            terms.iter().any(|x| x.contains(t)),
            "tag {t} missing on /tags/: {terms:?}"
        );
    }
    assert!(
        !terms.iter().any(|x| x.contains('【') || x.contains('，')),
        "the full-width list was taken as one tag: {terms:?}"
    );
    let page = out.page("/cases/a/");
    page.assert_main_contains("党建");
    page.assert_main_contains("养老");

    let zh = build_bounded(&site, "zh", &[], None);
    zh.assert_ok()
        .assert_points_at("content/cases/a.md", 4)
        .assert_stderr_has("全角");
}

#[test]
fn full_width_bracketed_tags_fail_with_strict() {
    let site = good_site();
    site.build();
    let before = tree_hashes(&site.output().dir);
    site.write(
        "content/cases/b.md",
        &report("乙", "2022-01-02", "tags: 【党建，养老】", "正文。"),
    );
    let run = build_bounded(&site, "en", &["--strict"], None);
    run.assert_failed_cleanly()
        .assert_points_at("content/cases/b.md", 4)
        .assert_stderr_has("tags");
    assert_same_hashes(
        &before,
        &tree_hashes(&site.output().dir),
        "output/ after a --strict failure",
    );
}

#[test]
fn file_that_is_only_front_matter_builds_with_an_empty_body() {
    let site = Site::new()
        .file(
            "content/cases/a.md",
            "---\ntitle: 只有前言\ndate: 2022-01-01\n---",
        )
        .file("content/about.md", "---\ntitle: 关于\n---\n");
    build_bounded(&site, "en", &[], None).assert_ok();
    let out = site.output();
    let page = out.page("/cases/a/");
    assert_eq!(page.text("main h1"), "只有前言");
    assert!(
        page.all(".content p").is_empty(),
        "an empty body produced paragraphs"
    );
    assert_eq!(out.page("/about/").text("main h1"), "关于");
}

#[test]
fn file_of_only_a_bom_and_blank_lines_is_reported_as_empty() {
    let site = Site::new().bytes("content/cases/a.md", b"\xEF\xBB\xBF\r\n  \r\n\r\n");
    let run = build_bounded(&site, "en", &[], None);
    run.assert_failed_cleanly()
        .assert_stderr_has("content/cases/a.md")
        .assert_stderr_has("empty");
    assert!(!site.output().dir.exists());
}

// ------------------------------------------------------------------ wrong types

#[test]
fn metric_value_written_as_text_is_accepted() {
    let site = Site::new().file(
        "content/cases/a.md",
        &report(
            "甲",
            "2022-01-01",
            "metrics:\n  - {label: 党员人数, value: \"286\", unit: 名}\n  - {label: 满意率, value: \"98.5%\"}\n  - {label: 服务人次, value: \"1,200\", unit: 人次}",
            "正文。",
        ),
    );
    build_bounded(&site, "en", &[], None).assert_ok();
    let page = site.output().page("/cases/a/");
    let items = page.texts("main .stats li");
    for (value, label) in [
        ("286", "党员人数"),
        ("98.5%", "满意率"),
        ("1,200", "服务人次"),
    ] {
        assert!(
            items.iter().any(|t| t.contains(value) && t.contains(label)),
            "metric {label} = {value} missing: {items:#?}"
        );
    }
}

#[test]
fn metric_without_a_value_is_refused_at_its_line() {
    let site = Site::new().file(
        "content/cases/a.md",
        "---\ntitle: 甲\ndate: 2022-01-01\nmetrics:\n  - {label: 党员人数, value: 286}\n  - {label: 服务人次, unit: 人次}\n---\n\n正文。\n",
    );
    let run = build_bounded(&site, "en", &[], None);
    run.assert_failed_cleanly()
        .assert_points_at("content/cases/a.md", 6)
        .assert_stderr_has("服务人次")
        .assert_stderr_has("value");
    assert!(!site.output().dir.exists());
}

#[test]
fn metric_errors_in_a_one_line_list_point_at_that_line() {
    // `metrics: [{…}, {…}]` written on one line: the bad third item is on line 4, not line 7.
    let site = Site::new().file(
        "content/cases/a.md",
        "---\ntitle: 甲\ndate: 2022-01-01\nmetrics: [{label: 党员, value: 1}, {label: 人次, value: 2}, {label: 坏}]\n---\n\n正文。\n",
    );
    let run = build_bounded(&site, "en", &[], None);
    run.assert_failed_cleanly()
        .assert_points_at("content/cases/a.md", 4)
        .assert_stderr_has("坏");
}

#[test]
fn metric_errors_in_multi_line_items_point_at_the_bad_item() {
    // The second item starts on line 8; the first item's lines 5–7 are fine.
    let site = Site::new().file(
        "content/cases/a.md",
        "---\ntitle: 甲\ndate: 2022-01-01\nmetrics:\n  - label: 党员人数\n    value: 286\n    unit: 名\n  - label: 服务人次\n    unit: 人次\n---\n\n正文。\n",
    );
    let run = build_bounded(&site, "en", &[], None);
    run.assert_failed_cleanly()
        .assert_points_at("content/cases/a.md", 8)
        .assert_stderr_has("服务人次");
}

#[test]
fn line_separator_pasted_into_front_matter_does_not_shift_error_lines() {
    // U+2028 (LINE SEPARATOR) comes along when text is copied from web pages and Word; YAML
    // counts it as a line break, the user's editor does not. The mistake is on line 3.
    let site = Site::new().file(
        "content/cases/a.md",
        "---\nsummary: 从网页复制的一段话\u{2028}第二段\ntitle: 三家: 工作法\ndate: 2022-01-01\n---\n\n正文。\n",
    );
    let run = build_bounded(&site, "en", &[], None);
    run.assert_failed_cleanly()
        .assert_points_at("content/cases/a.md", 3);
}

#[test]
fn colour_written_in_chinese_is_refused_with_examples() {
    let site = Site::new().file(
        "content/brands/sanjia.md",
        "---\nname: 三家\ncolor: 红色\n---\n\n介绍。\n",
    );
    let run = build_bounded(&site, "en", &[], None);
    run.assert_failed_cleanly()
        .assert_points_at("content/brands/sanjia.md", 3)
        .assert_stderr_has("红色")
        .assert_stderr_has("#b71c1c")
        .assert_stderr_has("rgb(");
    let zh = build_bounded(&site, "zh", &[], None);
    zh.assert_failed_cleanly()
        .assert_points_at("content/brands/sanjia.md", 3)
        .assert_stderr_has("颜色");
}

#[test]
fn unquoted_hex_colour_gets_the_hint_to_quote_it() {
    let site = Site::new().file(
        "content/brands/sanjia.md",
        "---\nname: 三家\ncolor: #b71c1c\n---\n\n介绍。\n",
    );
    let en = build_bounded(&site, "en", &[], None);
    en.assert_failed_cleanly()
        .assert_points_at("content/brands/sanjia.md", 3)
        .assert_stderr_has("#b71c1c")
        .assert_stderr_has("quoted");
    let zh = build_bounded(&site, "zh", &[], None);
    zh.assert_failed_cleanly()
        .assert_points_at("content/brands/sanjia.md", 3)
        .assert_stderr_has("引号");
}

// ------------------------------------------------------------------ references and templates

#[test]
fn chinese_and_pinyin_file_names_with_the_same_url_name_both_files() {
    let site = Site::new()
        .file(
            "content/cases/三家.md",
            &report("甲", "2022-01-01", "", "正文。"),
        )
        .file(
            "content/cases/san-jia.md",
            &report("乙", "2022-01-02", "", "正文。"),
        );
    let run = build_bounded(&site, "en", &[], None);
    run.assert_failed_cleanly()
        .assert_stderr_has("content/cases/三家.md")
        .assert_stderr_has("content/cases/san-jia.md")
        .assert_stderr_has("/cases/san-jia/");
}

#[test]
fn page_and_page_bundle_with_the_same_url_name_both_files() {
    let site = Site::new()
        .file(
            "content/cases/a.md",
            &report("甲", "2022-01-01", "", "正文。"),
        )
        .file(
            "content/cases/a/index.md",
            &report("乙", "2022-01-02", "", "正文。"),
        );
    let run = build_bounded(&site, "en", &[], None);
    run.assert_failed_cleanly()
        .assert_stderr_has("content/cases/a.md")
        .assert_stderr_has("content/cases/a/index.md")
        .assert_stderr_has("/cases/a/");
}

#[test]
fn unknown_variable_in_the_sites_base_template_names_base_html() {
    let base = include_str!("../../themes/default/templates/base.html");
    assert!(base.contains("{{ site.title }}"), "theme base.html changed");
    let broken = base.replacen("{{ site.title }}", "{{ site.title }}{{ nosuch_var }}", 1);
    let site = good_site().file("templates/base.html", &broken);
    let run = build_bounded(&site, "en", &[], None);
    run.assert_failed_cleanly()
        .assert_stderr_has("nosuch_var")
        .assert_stderr_has("base.html");
    // Every template file the message points the user at must exist in the site.
    for line in run.stderr.lines() {
        if let Some(i) = line.find("templates/") {
            let rest = &line[i..];
            let end = rest.find([':', ' ']).unwrap_or(rest.len());
            let named = &rest[..end];
            assert!(
                site.path(named).is_file(),
                "the message points at {named}, which the site does not have (the mistake is in templates/base.html):\n{}",
                run.stderr
            );
        }
    }
}

// ------------------------------------------------------------------ sizes and shapes

/// Writes `rel` as front matter followed by `line` repeated until the file has `bytes` bytes.
fn write_big(site: &Site, rel: &str, bytes: usize, line: &str) {
    let path = site.path(rel);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    let mut f = std::io::BufWriter::new(std::fs::File::create(&path).expect("create"));
    let head = "---\ntitle: 大文件\ndate: 2022-01-01\n---\n\n";
    f.write_all(head.as_bytes()).expect("write");
    let mut chunk = String::new();
    while chunk.len() < 1 << 20 {
        chunk.push_str(line);
    }
    let mut written = head.len();
    while written + chunk.len() <= bytes {
        f.write_all(chunk.as_bytes()).expect("write");
        written += chunk.len();
    }
    while written + line.len() <= bytes {
        f.write_all(line.as_bytes()).expect("write");
        written += line.len();
    }
    f.flush().expect("flush");
}

#[test]
fn fifty_megabyte_markdown_file_is_refused_without_reading_it() {
    let site = good_site();
    site.build();
    let before = tree_hashes(&site.output().dir);
    write_big(
        &site,
        "content/cases/book.md",
        50 << 20,
        "这是一行从别处粘贴进来的很长的正文，整本书都在这里。Lorem ipsum dolor sit amet.\n",
    );
    // Herald's own needs are about 11 MB; reading the file whole would need 50.
    let run = build_bounded(&site, "en", &[], Some(40));
    run.assert_failed_cleanly()
        .assert_stderr_has("content/cases/book.md")
        .assert_stderr_has("too large")
        .assert_stderr_has("16 MB");
    let zh = build_bounded(&site, "zh", &[], Some(40));
    zh.assert_failed_cleanly()
        .assert_stderr_has("content/cases/book.md")
        .assert_stderr_has("太大");
    assert_same_hashes(
        &before,
        &tree_hashes(&site.output().dir),
        "output/ after refusing a huge file",
    );
}

#[test]
fn file_just_over_the_size_limit_says_it_is_larger_than_the_limit() {
    let site = Site::new();
    write_big(
        &site,
        "content/cases/book.md",
        (16 << 20) + (900 << 10),
        "一行正文。\n",
    );
    let run = build_bounded(&site, "en", &[], Some(40));
    run.assert_failed_cleanly()
        .assert_stderr_has("content/cases/book.md");
    // "the file is too large (X MB; the limit is Y MB)": X must read as more than Y.
    let msg = run
        .stderr
        .lines()
        .find(|l| l.contains("too large"))
        .unwrap_or_else(|| panic!("no size message:\n{}", run.stderr));
    let numbers: Vec<f64> = msg
        .split(|c: char| !(c.is_ascii_digit() || c == '.'))
        .filter_map(|t| t.trim_matches('.').parse().ok())
        .collect();
    assert!(
        numbers.len() >= 2 && numbers[numbers.len() - 2] > numbers[numbers.len() - 1],
        "a 16.9 MB file is described as no larger than the limit: {msg}"
    );
}

#[test]
fn table_of_twenty_thousand_rows_builds() {
    let mut body = String::from("| 序号 | 名称 | 数值 |\n|---|---|---|\n");
    for i in 0..20_000 {
        body.push_str(&format!("| {i} | 第{i}户**困难群众。** | {} |\n", i * 7));
    }
    let site = Site::new().file(
        "content/cases/a.md",
        &report("大表格", "2022-01-01", "", &body),
    );
    build_bounded(&site, "en", &[], Some(1024)).assert_ok();
    let html = site.output().read("cases/a/index.html");
    assert_eq!(html.matches("<tr>").count(), 20_001, "rows in the table");
    assert!(html.contains("第19999户"));
    assert!(
        !html.contains("**"),
        "bold in table cells left as asterisks"
    );
}

#[test]
fn lists_nested_two_thousand_deep_build_or_are_refused_cleanly() {
    let mut body = String::new();
    for i in 0..2000 {
        body.push_str(&"  ".repeat(i));
        body.push_str(&format!("- 第{i}层\n"));
    }
    let site = Site::new().file(
        "content/cases/a.md",
        &report("深列表", "2022-01-01", "", &body),
    );
    let run = build_bounded(&site, "en", &[], Some(1024));
    if run.ok() {
        run.assert_ok();
        let html = site.output().read("cases/a/index.html");
        assert!(html.contains("第1999层"), "the deepest item is missing");
        assert_eq!(html.matches("<ul>").count(), html.matches("</ul>").count());
    } else {
        run.assert_failed_cleanly()
            .assert_stderr_has("content/cases/a.md");
    }
}

#[test]
fn quotes_nested_two_thousand_deep_build_or_are_refused_cleanly() {
    let body = format!("{}引用的话。\n", "> ".repeat(2000));
    let site = Site::new().file(
        "content/cases/a.md",
        &report("深引用", "2022-01-01", "", &body),
    );
    let run = build_bounded(&site, "en", &[], Some(1024));
    if run.ok() {
        run.assert_ok();
        let html = site.output().read("cases/a/index.html");
        assert!(html.contains("引用的话。"));
        assert_eq!(
            html.matches("<blockquote>").count(),
            html.matches("</blockquote>").count()
        );
    } else {
        run.assert_failed_cleanly()
            .assert_stderr_has("content/cases/a.md");
    }
}

#[test]
fn paragraph_with_twenty_thousand_bold_runs_builds_in_time() {
    let body = "**一是抓实“三套方案”。**通过走访".repeat(20_000);
    let site = Site::new().file(
        "content/cases/a.md",
        &report("长段落", "2022-01-01", "", &body),
    );
    build_bounded(&site, "en", &[], Some(1024)).assert_ok();
    let html = site.output().read("cases/a/index.html");
    assert!(html.matches("<strong>").count() >= 20_000);
    assert!(!html.contains("**"));
}

#[test]
fn asterisks_in_a_list_item_and_its_sub_item_are_not_paired_across_blocks() {
    // One `*` in an item and one in its sub-item: CommonMark leaves both literal (emphasis
    // never spans blocks). Pairing them makes `<em>` swallow the nested list.
    let site = Site::new().file(
        "content/cases/a.md",
        &report(
            "甲",
            "2022-01-01",
            "",
            "- 星级：*五星\n  - 说明：满分*为五星\n- 第二项",
        ),
    );
    build_bounded(&site, "en", &[], None).assert_ok();
    let page = site.output().page("/cases/a/");
    let content = page.one(".content").html();
    assert!(
        !content.contains("<em>"),
        "emphasis across a list and its sub-list:\n{content}"
    );
    page.assert_main_contains("星级：*五星");
    page.assert_main_contains("说明：满分*为五星");

    // The same with `**` in two paragraphs of one (loose) list item.
    site.write(
        "content/cases/a.md",
        &report("甲", "2022-01-01", "", "1. 第一段**重点\n\n   第二段**结束"),
    );
    build_bounded(&site, "en", &[], None).assert_ok();
    let page = site.output().page("/cases/a/");
    let content = page.one(".content").html();
    assert!(
        !content.contains("<strong>"),
        "bold across two paragraphs of a list item:\n{content}"
    );
    page.assert_main_contains("第一段**重点");
}

#[test]
fn yaml_alias_bomb_is_refused_quickly() {
    let mut fm = String::from("---\ntitle: 炸弹\ndate: 2022-01-01\n");
    fm.push_str(
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    let names = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'];
    for w in names.windows(2) {
        let refs = vec![format!("*{}", w[0]); 9].join(",");
        fm.push_str(&format!("{}: &{} [{refs}]\n", w[1], w[1]));
    }
    fm.push_str("---\n\n正文。\n");
    let site = good_site();
    site.build();
    let before = tree_hashes(&site.output().dir);
    site.write("content/cases/bomb.md", &fm);
    let start = Instant::now();
    let run = build_bounded(&site, "en", &[], Some(512));
    run.assert_failed_cleanly()
        .assert_points_into("content/cases/bomb.md");
    assert!(
        start.elapsed() < Duration::from_secs(10),
        "took {:?}",
        start.elapsed()
    );
    build_bounded(&site, "zh", &[], Some(512))
        .assert_failed_cleanly()
        .assert_points_into("content/cases/bomb.md")
        .assert_stderr_has("前言");
    assert_same_hashes(
        &before,
        &tree_hashes(&site.output().dir),
        "output/ after an alias bomb",
    );
}

#[test]
fn yaml_nested_ten_thousand_deep_is_refused_cleanly() {
    let fm = format!(
        "---\ntitle: 深\ndate: 2022-01-01\nextra: {}{}\n---\n\n正文。\n",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    let site = Site::new().file("content/cases/a.md", &fm);
    build_bounded(&site, "en", &[], Some(512))
        .assert_failed_cleanly()
        .assert_points_into("content/cases/a.md");
}

#[cfg(unix)]
#[test]
fn symlink_loops_in_content_do_not_hang() {
    let site = good_site();
    let content = site.path("content");
    std::os::unix::fs::symlink(&content, content.join("loop")).expect("symlink");
    std::os::unix::fs::symlink("..", content.join("cases/up")).expect("symlink");
    let run = build_bounded(&site, "en", &[], Some(1024));
    run.assert_ok();
    let out = site.output();
    assert!(out.has_page("/cases/a/"));
    assert!(
        !out.exists("loop") && !out.exists("cases/up"),
        "pages were published again through the link: {:?}",
        out.files()
            .into_iter()
            .filter(|f| f.starts_with("loop") || f.starts_with("cases/up"))
            .take(5)
            .collect::<Vec<_>>()
    );
}

#[cfg(unix)]
#[test]
fn self_referencing_symlink_in_content_does_not_hang() {
    let site = good_site();
    std::os::unix::fs::symlink("self", site.path("content/self")).expect("symlink");
    let run = build_bounded(&site, "en", &[], None);
    if !run.ok() {
        run.assert_failed_cleanly()
            .assert_stderr_has("content/self");
    }
}

// ------------------------------------------------------------------ many errors at once

/// One broken file: its text and the line its (only) error is on.
fn broken(kind: usize) -> (&'static str, String, usize) {
    match kind % 12 {
        0 => (
            "cases",
            "---\ntitle: 甲\ndate: 昨天\n---\n\n正文。\n".into(),
            3,
        ),
        1 => (
            "cases",
            "---\ntitle：甲\ndate: 2022-01-01\n---\n\n正文。\n".into(),
            2,
        ),
        2 => (
            "cases",
            "---\ntitle: 甲\ndate: 2022-01-01\nextra:\n\tnote: x\n---\n\n正文。\n".into(),
            5,
        ),
        3 => (
            "cases",
            "---\ntitle: 甲\ndate: 2022-01-01\nbrnad: sanjia\n---\n\n正文。\n".into(),
            4,
        ),
        4 => (
            "cases",
            "---\ntitle: 三家: 工作法\ndate: 2022-01-01\n---\n\n正文。\n".into(),
            2,
        ),
        5 => (
            "cases",
            "---\ntitle: 甲\ndate: 2022-01-01\n\n正文。\n".into(),
            1,
        ),
        6 => (
            "cases",
            "\n---\ntitle: 甲\ndate: 2022-01-01\n---\n\n正文。\n".into(),
            2,
        ),
        7 => (
            "cases",
            "---\ntitle: 甲\ndate: 2022-01-01\nmetrics:\n  - {label: 党员}\n---\n\n正文。\n".into(),
            5,
        ),
        8 => (
            "cases",
            "---\ntitle: 甲\ndate: 2022-01-01\nbrand: sanjai\n---\n\n正文。\n".into(),
            4,
        ),
        9 => (
            "cases",
            "---\ntitle: 甲\ndate: 2022-01-01\ndraft: 也许\n---\n\n正文。\n".into(),
            4,
        ),
        10 => (
            "news",
            "---\ntitle: 甲\nweight: 很重\n---\n\n正文。\n".into(),
            3,
        ),
        _ => (
            "brands",
            "---\nname: 甲\ncolor: 红色\n---\n\n介绍。\n".into(),
            3,
        ),
    }
}

#[test]
fn thirty_broken_files_are_all_reported_in_one_run_sorted_and_counted() {
    let site = good_site();
    site.build();
    let before = tree_hashes(&site.output().dir);
    let mut expected: Vec<(String, usize)> = Vec::new();
    // Written in an order unlike the sorted one.
    for i in (0..30).rev() {
        let (dir, text, line) = broken(i * 7);
        let rel = format!("content/{dir}/f{:02}.md", (i * 13) % 30);
        site.write(&rel, &text);
        expected.push((rel, line));
    }
    expected.sort();
    let run = build_bounded(&site, "en", &[], None);
    run.assert_failed_cleanly();
    for (rel, line) in &expected {
        run.assert_points_at(rel, *line);
    }
    let firsts: Vec<usize> = expected
        .iter()
        .map(|(rel, _)| {
            run.stderr
                .find(&format!("{rel}:"))
                .unwrap_or_else(|| panic!("{rel} not named:\n{}", run.stderr))
        })
        .collect();
    let mut sorted = firsts.clone();
    sorted.sort_unstable();
    assert_eq!(
        firsts, sorted,
        "errors are not sorted by file:\n{}",
        run.stderr
    );
    assert_eq!(count_error_lines(&run.stderr), 30, "{}", run.stderr);
    run.assert_stderr_has("30 error");

    let zh = build_bounded(&site, "zh", &[], None);
    zh.assert_failed_cleanly().assert_stderr_has("共 30 处错误");
    assert_same_hashes(
        &before,
        &tree_hashes(&site.output().dir),
        "output/ after thirty broken files",
    );
}

#[test]
fn front_matter_errors_and_broken_links_in_other_files_are_reported_together() {
    let site = good_site()
        .file(
            "content/cases/b.md",
            "---\ntitle: 乙\ndate: 昨天\n---\n\n正文。\n",
        )
        .file(
            "content/cases/c.md",
            &report("丙", "2022-01-03", "", "正文。\n\n见[别处](nosuch.md)。"),
        )
        .file(
            "content/cases/d.md",
            &report("丁", "2022-01-04", "", "![照片](missing.jpg)"),
        );
    let run = build_bounded(&site, "en", &[], None);
    run.assert_failed_cleanly()
        .assert_points_at("content/cases/b.md", 3)
        .assert_points_at("content/cases/c.md", 8)
        .assert_points_at("content/cases/d.md", 6)
        .assert_stderr_has("3 error");
}

// ------------------------------------------------------------------ nothing lost

#[cfg(unix)]
#[test]
fn build_killed_half_way_leaves_the_previous_output_and_the_next_build_cleans_up() {
    let site = Site::new();
    for i in 0..3000 {
        let para = format!("这是第{i}篇报告的正文，**重点内容。**介绍工作情况和群众反映。\n\n");
        site.write(
            &format!("content/cases/{:02}/r{i:04}.md", i % 30),
            &report(
                &format!("报告{i}"),
                &format!("2022-{:02}-{:02}", i % 12 + 1, i % 28 + 1),
                &format!("tags: [党建, 养老{}]", i % 40),
                &para.repeat(20),
            ),
        );
    }
    let first = site.try_build(&[]);
    first.assert_ok();
    let out_dir = site.output().dir;
    let before = tree_hashes(&out_dir);
    assert!(before.len() > 3000, "the site is smaller than intended");

    // The next build would change every page.
    site.write("site.yaml", &SITE_YAML.replace("测试站", "改名后的站"));
    let mut child = Command::new(HERALD)
        .args(["--lang", "en", "build", "--root", site.root_str()])
        .current_dir(site.root())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start herald");
    let start = Instant::now();
    let staging = loop {
        let found = leftovers(site.root())
            .into_iter()
            .find(|n| n.starts_with(".output.herald-staging-"));
        if found.is_some() {
            break found;
        }
        if child.try_wait().expect("wait").is_some() || start.elapsed() > Duration::from_secs(60) {
            break None;
        }
        std::thread::sleep(Duration::from_millis(2));
    };
    // Give it a moment to be in the middle of writing.
    std::thread::sleep(Duration::from_millis(30));
    let still_running = child.try_wait().expect("wait").is_none();
    let _ = child.kill(); // SIGKILL: no chance to clean up.
    let _ = child.wait();
    assert!(
        staging.is_some() && still_running,
        "could not catch the build in the middle of writing (staging folder {staging:?}, still running: {still_running}); the test site is too small for this machine"
    );
    assert!(
        !leftovers(site.root()).is_empty(),
        "the killed build left no staging folder, so nothing was interrupted"
    );

    assert_same_hashes(
        &before,
        &tree_hashes(&out_dir),
        "output/ after the build was killed",
    );

    // 3000 pages: allow for a loaded machine.
    let next = build_within(&site, "en", &[], None, Duration::from_secs(120));
    next.assert_ok();
    assert_eq!(
        leftovers(site.root()),
        Vec::<String>::new(),
        "the stale staging folder of the killed build is still there"
    );
    assert!(
        site.output().read("index.html").contains("改名后的站"),
        "the next build did not replace the output"
    );
}

#[test]
fn output_path_that_is_a_file_is_refused_and_the_file_kept() {
    let site = good_site();
    site.write("output", "这是我的文件，不是文件夹。\n");
    let run = build_bounded(&site, "en", &[], None);
    run.assert_failed_cleanly().assert_stderr_has("output");
    assert_eq!(
        std::fs::read_to_string(site.path("output")).expect("read"),
        "这是我的文件，不是文件夹。\n"
    );
    assert_eq!(leftovers(site.root()), Vec::<String>::new());

    let notes = site.scratch().join("notes.txt");
    std::fs::write(&notes, "笔记\n").expect("write");
    let notes_arg = notes.to_str().expect("UTF-8").to_string();
    let run = build_bounded(&site, "en", &["--output", &notes_arg], None);
    run.assert_failed_cleanly().assert_stderr_has("notes.txt");
    assert_eq!(std::fs::read_to_string(&notes).expect("read"), "笔记\n");

    // A folder inside a file cannot be made either.
    let inside = notes.join("public");
    let inside_arg = inside.to_str().expect("UTF-8").to_string();
    let run = build_bounded(&site, "en", &["--output", &inside_arg], None);
    run.assert_failed_cleanly().assert_stderr_has("notes.txt");
    assert_eq!(std::fs::read_to_string(&notes).expect("read"), "笔记\n");
    assert_eq!(leftovers(site.scratch()), Vec::<String>::new());
}

// ------------------------------------------------------------------ locale

fn site_with_a_full_width_colon() -> Site {
    Site::new().file(
        "content/cases/a.md",
        "---\ndate: 2022-01-01\ntitle：三家\n---\n\n正文。\n",
    )
}

#[test]
fn chinese_lang_without_flag_gives_chinese_messages() {
    let site = site_with_a_full_width_colon();
    let run = build_in_locale(&site, None, &[("LANG", "zh_CN.UTF-8")]);
    run.assert_failed_cleanly()
        .assert_stderr_has("content/cases/a.md:3:6")
        .assert_stderr_has("错误")
        .assert_stderr_has("全角冒号")
        .assert_stderr_lacks("error:");

    let ok = good_site();
    let run = build_in_locale(&ok, None, &[("LANG", "zh_CN.UTF-8")]);
    run.assert_ok();
    assert!(
        has_cjk(&run.stdout),
        "summary not in Chinese: {}",
        run.stdout
    );
}

#[test]
fn c_locale_gives_english_messages() {
    let site = site_with_a_full_width_colon();
    let run = build_in_locale(&site, None, &[("LANG", "C")]);
    run.assert_failed_cleanly()
        .assert_stderr_has("content/cases/a.md:3:6")
        .assert_stderr_has("error:")
        .assert_stderr_has("full-width colon")
        .assert_stderr_lacks("错误");
    let none = build_in_locale(&site, None, &[]);
    none.assert_failed_cleanly().assert_stderr_has("error:");
}

#[test]
fn lang_flag_overrides_a_chinese_locale() {
    let site = site_with_a_full_width_colon();
    let run = build_in_locale(&site, Some("en"), &[("LANG", "zh_CN.UTF-8")]);
    run.assert_failed_cleanly()
        .assert_stderr_has("error:")
        .assert_stderr_has("full-width colon")
        .assert_stderr_lacks("错误")
        .assert_stderr_lacks("全角");

    let ok = good_site();
    let run = build_in_locale(
        &ok,
        Some("en"),
        &[("LANG", "zh_CN.UTF-8"), ("LC_ALL", "zh_CN.UTF-8")],
    );
    run.assert_ok();
    assert!(
        !has_cjk(&run.stdout) && !has_cjk(&run.stderr),
        "--lang en still printed Chinese:\n{}\n{}",
        run.stdout,
        run.stderr
    );
}

#[test]
fn lc_all_wins_over_lang() {
    let site = site_with_a_full_width_colon();
    build_in_locale(&site, None, &[("LANG", "zh_CN.UTF-8"), ("LC_ALL", "C")])
        .assert_failed_cleanly()
        .assert_stderr_has("error:");
    build_in_locale(&site, None, &[("LANG", "C"), ("LC_ALL", "zh_CN.UTF-8")])
        .assert_failed_cleanly()
        .assert_stderr_has("错误");
}

/// Disk full, as far as a test can make it: a file-size limit makes every write past 16 KB fail
/// (`ulimit -f`, with SIGXFSZ ignored so the write returns an error instead of killing Herald).
/// The pages are bigger than that, and the rebuild changes every one of them (a rebuild only
/// writes files whose bytes changed).
/// The build must fail with a message naming the file, and the previous site stay as it was.
#[test]
fn a_write_that_fails_midway_leaves_the_previous_output() {
    let site = Site::new();
    for i in 0..20 {
        site.write(
            &format!("content/cases/r{i:02}.md"),
            &report(
                &format!("报告{i}"),
                "2022-10-08",
                "tags: [党建]",
                &"正文内容，介绍工作情况。\n\n".repeat(600),
            ),
        );
    }
    site.try_build(&[]).assert_ok();
    let out_dir = site.output().dir;
    assert!(
        site.output().read("cases/r00/index.html").len() > 20_000,
        "the pages are too small for the file-size limit"
    );
    let before = tree_hashes(&out_dir);
    site.write("site.yaml", &SITE_YAML.replace("测试站", "改名后的站"));
    let script = format!(
        "trap '' XFSZ; ulimit -f 16; exec '{HERALD}' --lang en build --root '{}'",
        site.root_str()
    );
    let out = Command::new("bash")
        .arg("-c")
        .arg(&script)
        .current_dir(site.root())
        .output()
        .expect("run bash");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success(),
        "the build succeeded despite failing writes:\n{stderr}"
    );
    assert!(
        out.status.code().is_some(),
        "killed by a signal instead of failing: {:?}\n{stderr}",
        out.status
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        stderr.contains("cannot write") || stderr.contains("cannot copy"),
        "no write error named:\n{stderr}"
    );
    assert_eq!(tree_hashes(&out_dir), before, "the previous output changed");
    let leftovers: Vec<_> = std::fs::read_dir(site.root())
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains("herald-staging"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "staging folder left behind: {leftovers:?}"
    );
}
