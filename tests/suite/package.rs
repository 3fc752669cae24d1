//! `herald package` (the zip for an IT office) and the 备案 footer of the default theme.

use std::io::Read;

use sha2::{Digest, Sha256};

use super::util::*;

#[test]
fn package_zip_has_every_file_and_right_sums() {
    let s = Site::new()
        .file(
            "content/cases/a.md",
            "---\ntitle: 甲\ndate: 2024-01-02\n---\n正文\n",
        )
        .file("static/附件/说明.txt", "附件内容");
    s.build();
    let run = s.herald("en", &["package", "--root", s.root_str()]);
    run.assert_ok();
    let zips: Vec<_> = std::fs::read_dir(s.root())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("site-") && n.ends_with(".zip"))
        .collect();
    assert_eq!(zips.len(), 1, "{zips:?}");
    let name = &zips[0];
    let date = &name["site-".len()..name.len() - ".zip".len()];
    assert!(
        date.len() == 8 && date.chars().all(|c| c.is_ascii_digit()),
        "{name}"
    );
    let bytes = std::fs::read(s.path(name)).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.clone())).unwrap();
    let mut entries = std::collections::BTreeMap::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let mut data = Vec::new();
        f.read_to_end(&mut data).unwrap();
        if !f.name().is_ascii() {
            // General purpose flag bit 11: the name is UTF-8.
            let at = f.header_start() as usize + 6;
            let flags = u16::from_le_bytes([bytes[at], bytes[at + 1]]);
            assert!(flags & (1 << 11) != 0, "{} lacks the UTF-8 flag", f.name());
        }
        entries.insert(f.name().to_string(), data);
    }
    let sums = String::from_utf8(entries.remove("SHA256SUMS").expect("SHA256SUMS")).unwrap();
    let mut listed = 0;
    for line in sums.lines() {
        let (sum, path) = line.split_once("  ").expect("`sum  path` lines");
        let data = entries
            .get(path)
            .unwrap_or_else(|| panic!("{path} not in the zip"));
        let hex: String = Sha256::digest(data)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(sum, hex, "{path}");
        listed += 1;
    }
    assert_eq!(listed, entries.len(), "every file has its sum");
    let out = s.output();
    let expected: Vec<String> = out
        .files()
        .into_iter()
        .filter(|f| !f.starts_with(".herald"))
        .collect();
    assert_eq!(entries.keys().cloned().collect::<Vec<_>>(), expected);
    for (rel, data) in &entries {
        assert_eq!(&out.read_bytes(rel), data, "{rel}");
    }
    assert!(entries.contains_key("附件/说明.txt"));
}

#[test]
fn package_needs_a_build_first() {
    let s = Site::new();
    let run = s.herald("zh", &["package", "--root", s.root_str()]);
    assert!(!run.ok());
    run.assert_stderr_has("herald build");
}

const BEIAN: &str = "beian:\n  icp: 苏ICP备12345678号\n  police: 苏公网安备 32010202000001号\n  site_code: \"3200000001\"\n";

#[test]
fn beian_footer_on_every_page() {
    let s = Site::new()
        .file("site.yaml", &format!("{SITE_YAML}{BEIAN}"))
        .file(
            "content/cases/a.md",
            "---\ntitle: 甲\ndate: 2024-01-02\n---\n正文\n",
        );
    let run = s.try_build(&[]);
    run.assert_ok().assert_stderr_lacks("beian");
    let out = s.output();
    let pages: Vec<String> = out
        .files()
        .into_iter()
        .filter(|f| f.ends_with(".html"))
        .collect();
    assert!(pages.len() > 3);
    for rel in pages {
        let doc = scraper::Html::parse_document(&out.read(&rel));
        let icp = doc
            .select(&sel("footer .beian a.beian__icp"))
            .next()
            .unwrap_or_else(|| panic!("{rel}: no ICP link"));
        assert_eq!(
            icp.value().attr("href"),
            Some("https://beian.miit.gov.cn/"),
            "{rel}"
        );
        assert_eq!(text_of(icp), "苏ICP备12345678号");
        let police = doc
            .select(&sel("footer .beian a.beian__police"))
            .next()
            .unwrap_or_else(|| panic!("{rel}: no police link"));
        assert_eq!(
            police.value().attr("href"),
            Some("http://www.beian.gov.cn/portal/registerSystemInfo?recordcode=32010202000001"),
            "{rel}"
        );
        assert_eq!(text_of(police), "苏公网安备 32010202000001号");
        let code = doc
            .select(&sel("footer .beian .beian__site-code"))
            .next()
            .unwrap_or_else(|| panic!("{rel}: no site code"));
        assert_eq!(text_of(code), "政府网站标识码：3200000001");
    }
}

#[test]
fn beian_partly_filled_is_warned_at_its_line() {
    let s = Site::new().file(
        "site.yaml",
        &format!("{SITE_YAML}beian:\n  icp: 苏ICP备12345678号\n"),
    );
    let run = s.check();
    run.assert_ok()
        .assert_stderr_has("site.yaml:4")
        .assert_stderr_has("police, site_code");
    let zh = s.herald("zh", &["check", "--root", s.root_str()]);
    zh.assert_stderr_has("备案")
        .assert_stderr_has("police、site_code");
    let strict = s.herald("en", &["build", "--strict", "--root", s.root_str()]);
    assert!(!strict.ok(), "--strict turns the warning into a failure");
}

#[test]
fn beian_icp_wins_over_theme_settings_icp_which_still_works() {
    let old = Site::new().file(
        "site.yaml",
        &format!("{SITE_YAML}theme_settings:\n  icp: 京ICP备00000001号\n"),
    );
    let page = old.build().page("/");
    let icp = page
        .doc
        .select(&sel("footer a.beian__icp"))
        .next()
        .expect("icp link");
    assert_eq!(text_of(icp), "京ICP备00000001号");
    let both = Site::new().file(
        "site.yaml",
        &format!("{SITE_YAML}theme_settings:\n  icp: 京ICP备00000001号\n{BEIAN}"),
    );
    let page = both.build().page("/");
    let links: Vec<String> = page
        .doc
        .select(&sel("footer a.beian__icp"))
        .map(text_of)
        .collect();
    assert_eq!(links, ["苏ICP备12345678号"]);
}
