//! The repository's example site (made from the seed reports in `content/`) states only what
//! its sources state: no made-up dates, inferred names marked as such, sentences kept whole,
//! and brand pages that carry their reports' headline facts.

use std::path::PathBuf;

use super::util::*;

fn built() -> (tempfile::TempDir, Built) {
    let tmp = tempfile::tempdir().expect("create a temporary folder");
    let out = tmp.path().join("output");
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let root = repo.to_str().expect("repository path is UTF-8");
    let out_str = out.to_str().expect("temporary path is UTF-8");
    let run = run_herald(&repo, "en", &["build", "--root", root, "--output", out_str]);
    // The 青岛 report has no date in its source: that is the one warning.
    run.assert_ok()
        .assert_points_at("content/cases/qingdao-xianfeng-zhishu.md", 1);
    (tmp, Built::at(out))
}

#[test]
fn example_reports_are_dated_only_as_precisely_as_their_sources() {
    let (_tmp, out) = built();
    let qingdao = out.page("/cases/qingdao-xianfeng-zhishu/");
    assert!(!qingdao.has(".meta time"), "青岛 has no date in its source");
    assert!(qingdao.text(".meta").contains("未注明"));
    assert!(!out.read("atom.xml").contains("qingdao-xianfeng-zhishu"));
    let list = out.page("/cases/");
    let urls = list.attrs(".card__title a", "href");
    assert_eq!(
        urls.last().map(String::as_str),
        Some("/cases/qingdao-xianfeng-zhishu/")
    );

    // 滨州: the page's 发布日期 is empty; the text only places it in 2018.
    let binzhou = out.page("/cases/2018-binzhou-liangge-1-3/");
    assert_eq!(binzhou.text(".meta time"), "2018年");
    // 徐州: the seed gives 2022-10-08 19:00:03, and the feed keeps the time.
    assert!(out
        .read("atom.xml")
        .contains("<published>2022-10-08T19:00:03+08:00</published>"));
    let all = out.read("atom.xml") + &out.read("sitemap.xml");
    assert!(!all.contains("2025-01-01"), "a made-up date is back");
}

#[test]
fn example_inferred_names_carry_a_note() {
    let (_tmp, out) = built();
    for url in [
        "/cases/2022-xuzhou-sanjia/",
        "/brands/xuzhou-sanjia/",
        "/cases/2008-binhu-wenming-danwei/",
        "/brands/binhu-wenming-danwei/",
        "/cases/2023-fuzhou-sixing-jiguan/",
        "/brands/fuzhou-sixing-jiguan/",
    ] {
        let note = out.page(url).text(".note");
        assert!(note.contains("推断"), "{url}: {note:?}");
    }
}

#[test]
fn example_qingdao_seven_ones_sentence_is_whole() {
    let (_tmp, out) = built();
    let text = out.page("/cases/qingdao-xianfeng-zhishu/").text(".content");
    assert!(
        text.contains("撰写一篇高质量调研报告，并定期调度督导基层反映问题的解决情况"),
        "{text}"
    );
}

#[test]
fn example_brand_pages_carry_their_reports_headline_facts() {
    let (_tmp, out) = built();
    let facts: [(&str, &[&str]); 4] = [
        ("/brands/binzhou-liangge-1-3/", &["党总支", "党建台账"]),
        (
            "/brands/fuzhou-sixing-jiguan/",
            &[
                "12个社区工作法获评省级优秀社区工作法",
                "4个项目入选“省级优秀十佳案例”",
            ],
        ),
        (
            "/brands/binhu-wenming-danwei/",
            &["江苏省首个区级慈善基金会"],
        ),
        ("/brands/xuzhou-sanjia/", &["《中国社会报》专题报道"]),
    ];
    for (url, wanted) in facts {
        let text = out.page(url).text("main");
        for w in wanted {
            assert!(text.contains(w), "{url} lacks {w:?}");
        }
    }
    let binzhou = out.page("/brands/binzhou-liangge-1-3/").text("main");
    assert!(binzhou.contains('8') && binzhou.contains("本"));
}
