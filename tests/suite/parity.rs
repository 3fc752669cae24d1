//! `herald build` and `herald serve` drive one pipeline: for the same site and flags they
//! report the same mistakes and warnings, word for word.

use super::serve::{free_port, Server};
use super::util::*;

fn base() -> Site {
    one_report_site()
}

/// Sites with mistakes or warnings, each with the flags it is built with.
fn fixtures() -> Vec<(&'static str, Site, &'static [&'static str])> {
    let mut v: Vec<(&'static str, Site, &'static [&'static str])> = vec![
        (
            "a front matter error in one report and a broken link in another",
            base()
                .file(
                    "content/cases/b.md",
                    "---\ntitle：乙\ndate: 2022-01-02\n---\n\n正文。\n",
                )
                .file(
                    "content/cases/c.md",
                    &report(
                        "丙",
                        "2022-01-03",
                        "brand: sanjia",
                        "见[这里](missing.md)。",
                    ),
                ),
            &[],
        ),
        (
            "an unknown brand and a bad date",
            base().file(
                "content/cases/b.md",
                &report("乙", "昨天", "brand: sanjai", "正文。"),
            ),
            &[],
        ),
        (
            "two files with one URL and an alias on the feed",
            base()
                .file(
                    "content/cases/a-1.md",
                    &report("乙", "2022-01-02", "brand: sanjia\nslug: a", "正文。"),
                )
                .file(
                    "content/cases/c.md",
                    &report(
                        "丙",
                        "2022-01-03",
                        "brand: sanjia\naliases: [/atom.xml/]",
                        "正文。",
                    ),
                ),
            &[],
        ),
        (
            "a missing cover and an unknown template",
            base().file(
                "content/cases/b.md",
                &report(
                    "乙",
                    "2022-01-02",
                    "brand: sanjia\ncover: nope.jpg\ntemplate: wide.html",
                    "正文。",
                ),
            ),
            &[],
        ),
        (
            "a broken template",
            base().file(
                "templates/page.html",
                "{% extends \"base.html\" %}{% block main %}{{ page.title }",
            ),
            &[],
        ),
        (
            "Tera 1 filters in two templates",
            base()
                .file(
                    "templates/page.html",
                    "{% extends \"base.html\" %}{% block main %}{{ page.title | linebreaksbr }}{% endblock main %}",
                )
                .file("templates/404.html", "{{ site.title | as_str }}"),
            &[],
        ),
        (
            "an unknown field in an included partial",
            base()
                .file(
                    "templates/page.html",
                    "{% extends \"base.html\" %}{% block main %}\n{% include \"partials/x.html\" %}{% endblock main %}",
                )
                .file("templates/partials/x.html", "<p>{{ page.writer }}</p>"),
            &[],
        ),
        (
            "warnings: a GBK file, a full-width list, a report without a date, control characters, an unsafe link",
            warnings_site(),
            &[],
        ),
        (
            "the same warnings under --strict",
            warnings_site(),
            &["--strict"],
        ),
    ];
    #[cfg(unix)]
    {
        let site = base();
        std::fs::create_dir_all(site.path("static")).expect("mkdir");
        std::os::unix::fs::symlink("/etc/passwd", site.path("static/passwd.txt")).expect("symlink");
        v.push(("a link out of the site", site, &[]));
    }
    v
}

fn warnings_site() -> Site {
    let text = report("乙", "2022-01-02", "brand: sanjia", "国标编码的正文。");
    let (gbk, _, _) = encoding_rs::GBK.encode(&text);
    base()
        .bytes("content/cases/b.md", &gbk)
        .file(
            "content/cases/c.md",
            &report(
                "丙",
                "2022-01-03",
                "brand: sanjia\ntags: 【党建，养老】",
                "正文。",
            ),
        )
        .file(
            "content/cases/d.md",
            "---\ntitle: 丁\nbrand: sanjia\n---\n\n没有日期。\n",
        )
        .file(
            "content/cases/f.md",
            &report(
                "己",
                "2022-01-06",
                "brand: sanjia",
                "[点这里](javascript:alert(1))",
            ),
        )
        .file(
            "content/cases/e.md",
            &report(
                "戊",
                "2022-01-05",
                "brand: sanjia",
                "粘贴\u{1}来的\u{1b}文字。",
            ),
        )
}

/// What a build said about the site: its report without the closing count.
fn build_said(run: &Run) -> String {
    let text = run.stderr.trim_end();
    let mut lines: Vec<&str> = text.lines().collect();
    if lines
        .last()
        .is_some_and(|l| l.contains("error(s)") || l.contains("warnings with --strict"))
    {
        lines.pop();
    }
    lines.join("\n")
}

#[test]
fn build_and_serve_report_the_same_mistakes_and_warnings() {
    for (what, site, flags) in fixtures() {
        let mut args = vec!["build", "--root", site.root_str()];
        args.extend_from_slice(flags);
        let built = site.herald("en", &args);
        let expected = build_said(&built);
        assert!(
            !expected.trim().is_empty(),
            "{what}: the build said nothing:\n{}",
            built.stderr
        );
        let server = Server::start_with(site.root(), free_port(), flags);
        let served = server.stderr();
        assert!(
            served.contains(&expected),
            "{what}: the preview does not report what the build does.\n--- build ---\n{expected}\n--- serve ---\n{served}"
        );
        // And no more mistakes than the build found.
        let count = |s: &str| s.matches("error: ").count() + s.matches("warning: ").count();
        let network_warning = usize::from(served.contains("warning: the preview is not limited"));
        assert_eq!(
            count(&served) - network_warning,
            count(&expected),
            "{what}: the preview reports a different number of mistakes:\n{served}"
        );
    }
}

/// The search index is made from the model by both: the preview serves the bytes the build
/// writes, file for file (`search/meta.json`'s key is a hash of all of them).
#[test]
fn build_and_serve_make_the_same_search_index() {
    let site = base()
        .file(
            "content/cases/b.md",
            &report(
                "長者食堂",
                "2022-01-02",
                "brand: sanjia\ntags: [养老]",
                "繁體正文，e福养，1+3。",
            ),
        )
        .file(
            "content/about.md",
            "---\ntitle: 关于\nsearch: false\n---\n\n不收录。\n",
        );
    let out = site.build();
    let server = Server::start(site.root());
    let files: Vec<String> = out
        .files()
        .into_iter()
        .filter(|f| f.starts_with("search/") && f != "search/index.html")
        .collect();
    assert!(files.len() > 64, "{files:?}");
    for f in &files {
        let r = super::serve::get(server.port, &format!("/{f}"));
        assert_eq!(r.status, 200, "{f}");
        assert!(r.body == out.read_bytes(f), "serve and build differ in {f}");
    }
}
