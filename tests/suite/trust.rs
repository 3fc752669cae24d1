//! Nothing a site says reaches outside it, replaces what Herald generates, or publishes
//! something unsafe. Each test is named after the defect it guards against (issue: trust).

use std::path::Path;
use std::time::{Duration, Instant};

use super::serve::{free_port, request, Server};
use super::util::*;

fn good_site() -> Site {
    one_report_site()
}

/// Every file and folder name under `dir`, recursively, relative to it.
fn tree(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            out.push(
                p.strip_prefix(dir)
                    .unwrap_or(&p)
                    .to_string_lossy()
                    .replace('\\', "/"),
            );
            if p.is_dir() && !p.is_symlink() {
                stack.push(p);
            }
        }
    }
    out.sort();
    out
}

/// Everything beside and above the site folder: what a build must never touch.
fn outside(site: &Site) -> Vec<String> {
    tree(site.scratch())
        .into_iter()
        .filter(|p| !p.starts_with("site/") && p != "site")
        .collect()
}

// ---------------------------------------------------------------- aliases

#[test]
fn aliases_with_dot_dot_or_encoded_escapes_never_write_outside_the_output() {
    for alias in [
        "/../../x/",
        "../../../x/",
        "/%2e%2e/%2e%2e/x/",
        "/%2E%2E%2F%2E%2E%2Fx/",
        "/.%2e/x/",
        "\\\\..\\\\..\\\\x\\\\",
        "//evil.example/x/",
        "javascript:alert(1)",
        "/a/%252e%252e/x/",
    ] {
        let site = good_site();
        site.write(
            "content/cases/b.md",
            &report(
                "案例乙",
                "2022-02-01",
                &format!("brand: sanjia\naliases: [\"{alias}\"]"),
                "正文。",
            ),
        );
        let before = outside(&site);
        site.try_build(&[])
            .assert_failed_cleanly()
            .assert_points_at("content/cases/b.md", 5)
            .assert_stderr_has("aliases");
        assert_eq!(
            outside(&site),
            before,
            "alias {alias:?} wrote beside the site"
        );
        assert!(
            !site.output().dir.exists(),
            "alias {alias:?}: a failed build made an output"
        );
    }
}

#[test]
fn an_alias_ending_in_html_never_overwrites_a_file_beside_the_output() {
    let site = good_site();
    site.write("victim.html", "mine\n");
    std::fs::write(site.scratch().join("victim.html"), "mine too\n").expect("write");
    site.write(
        "content/cases/b.md",
        &report(
            "案例乙",
            "2022-02-01",
            "brand: sanjia\naliases: [/../victim.html, /../../victim.html]",
            "正文。",
        ),
    );
    site.try_build(&[]).assert_failed_cleanly();
    assert!(!site.output().dir.exists());
    assert_eq!(
        std::fs::read_to_string(site.path("victim.html"))
            .ok()
            .as_deref(),
        Some("mine\n")
    );
    assert_eq!(
        std::fs::read_to_string(site.scratch().join("victim.html"))
            .ok()
            .as_deref(),
        Some("mine too\n")
    );
}

#[test]
fn aliases_that_are_paths_of_this_site_still_redirect() {
    let site = good_site();
    site.write(
        "content/cases/b.md",
        &report(
            "案例乙",
            "2022-02-01",
            "brand: sanjia\naliases: [/old/b/, /old/b.html, \"/%E6%97%A7/b/\"]",
            "正文。",
        ),
    );
    let out = site.build();
    for file in ["old/b/index.html", "old/b.html", "旧/b/index.html"] {
        assert!(
            out.read(file).contains("/cases/b/"),
            "{file} does not redirect to the page"
        );
    }
}

#[test]
fn aliases_never_replace_generated_outputs() {
    for (alias, taken) in [
        ("/", "/"),
        ("/atom.xml/", "/atom.xml/"),
        ("/sitemap.xml/", "/sitemap.xml/"),
        ("/404.html", "/404.html"),
        ("/tags/", "/tags/"),
        ("/regions/", "/regions/"),
        ("/brands/", "/brands/"),
        ("/css/style.css/", "/css/style.css/"),
        ("/robots.txt/", "/robots.txt/"),
        ("/cases/a/", "/cases/a/"),
        ("/CASES/A/", "/CASES/A/"),
    ] {
        let site = good_site();
        site.write(
            "content/cases/b.md",
            &report(
                "案例乙",
                "2022-02-01",
                &format!("brand: sanjia\ntags: [x]\nregion: 徐州\naliases: [\"{alias}\"]"),
                "正文。",
            ),
        );
        site.try_build(&[])
            .assert_failed_cleanly()
            .assert_points_at("content/cases/b.md", 7)
            .assert_stderr_has(taken);
    }
}

#[test]
fn a_rebuild_never_turns_the_feed_into_a_folder() {
    let site = good_site();
    site.build();
    site.write(
        "content/cases/b.md",
        &report(
            "案例乙",
            "2022-02-01",
            "brand: sanjia\naliases: [/atom.xml]",
            "正文。",
        ),
    );
    site.try_build_lang("zh", &[])
        .assert_failed_cleanly()
        .assert_stderr_has("订阅源");
    let out = site.output();
    assert!(
        out.path("atom.xml").is_file(),
        "atom.xml is no longer a file"
    );
    assert!(out.read("atom.xml").contains("<feed"));
}

#[test]
fn a_static_file_on_a_generated_path_is_an_error_naming_both() {
    for (file, generated) in [
        ("static/index.html", "home page"),
        ("static/atom.xml", "Atom feed"),
        ("static/sitemap.xml", "sitemap"),
        ("static/404.html", "404 page"),
        ("static/robots.txt", "robots.txt"),
        ("static/tags/index.html", "taxonomy"),
        ("static/css/highlight.css", "highlighting stylesheet"),
    ] {
        let site = good_site().file(file, "mine\n");
        site.try_build(&[])
            .assert_failed_cleanly()
            .assert_stderr_has(file)
            .assert_stderr_has(generated);
    }
}

#[test]
fn a_static_file_on_a_page_or_a_content_file_is_an_error_naming_both() {
    let site = good_site().file("static/cases/a/index.html", "mine\n");
    site.try_build(&[])
        .assert_failed_cleanly()
        .assert_stderr_has("static/cases/a/index.html")
        .assert_stderr_has("content/cases/a.md");
    let site = good_site()
        .file("content/cases/photo.jpg", "jpg")
        .file("static/cases/photo.jpg", "other jpg");
    site.try_build(&[])
        .assert_failed_cleanly()
        .assert_stderr_has("static/cases/photo.jpg")
        .assert_stderr_has("content/cases/photo.jpg");
}

#[test]
fn the_sites_static_files_may_replace_the_themes_files() {
    // Documented layering, like templates/: a site adjusts its theme by replacing a file.
    let out = good_site()
        .file("static/css/style.css", "body { color: red }\n")
        .build();
    assert_eq!(out.read("css/style.css"), "body { color: red }\n");
}

// ---------------------------------------------------------------- symlinks

#[cfg(unix)]
#[test]
fn symlinks_out_of_the_site_are_refused_and_never_read() {
    let site = good_site();
    let secret = site.scratch().join("secret");
    std::fs::create_dir_all(&secret).expect("mkdir");
    std::fs::write(secret.join("passwd"), "root:x:0:0:SECRET-LINE-7f3a\n").expect("write");
    std::fs::write(
        secret.join("report.md"),
        "SECRET-FIRST-LINE-7f3a\nmore secret\n",
    )
    .expect("write");
    std::fs::create_dir_all(site.path("static")).expect("mkdir");
    let link = |target: &Path, at: &str| {
        std::os::unix::fs::symlink(target, site.path(at)).expect("symlink");
    };
    link(&secret.join("passwd"), "static/passwd.txt");
    link(&secret, "static/etcdir");
    link(Path::new("/etc/passwd"), "static/system.txt");
    link(&secret.join("report.md"), "content/cases/evil.md");
    let run = site.try_build_lang("zh", &[]);
    run.assert_failed_cleanly()
        .assert_stderr_has("static/passwd.txt")
        .assert_stderr_has("static/etcdir")
        .assert_stderr_has("static/system.txt")
        .assert_stderr_has("/etc/passwd")
        .assert_stderr_has("content/cases/evil.md")
        .assert_stderr_has("站点文件夹以外")
        .assert_stderr_lacks("SECRET")
        .assert_stderr_lacks("root:");
    assert!(!site.output().dir.exists());
}

#[cfg(unix)]
#[test]
fn a_theme_or_site_yaml_linked_out_of_the_site_is_refused() {
    let site = good_site();
    let elsewhere = site.scratch().join("elsewhere-theme");
    std::fs::create_dir_all(elsewhere.join("templates")).expect("mkdir");
    std::fs::write(elsewhere.join("templates/page.html"), "SECRET-TEMPLATE").expect("write");
    std::fs::create_dir_all(site.path("themes")).expect("mkdir");
    std::os::unix::fs::symlink(&elsewhere, site.path("themes/linked")).expect("symlink");
    site.write("site.yaml", &format!("{SITE_YAML}theme: linked\n"));
    site.try_build(&[])
        .assert_failed_cleanly()
        .assert_stderr_has("themes/linked")
        .assert_stderr_lacks("SECRET");

    let site = good_site();
    std::fs::write(site.scratch().join("other.yaml"), "title: SECRET-SITE\n").expect("write");
    std::fs::remove_file(site.path("site.yaml")).expect("rm");
    std::os::unix::fs::symlink(site.scratch().join("other.yaml"), site.path("site.yaml"))
        .expect("symlink");
    site.try_build(&[])
        .assert_failed_cleanly()
        .assert_stderr_has("site.yaml")
        .assert_stderr_lacks("SECRET");
}

#[cfg(unix)]
#[test]
fn symlinks_inside_the_site_work() {
    let site = good_site().file("shared/logo.txt", "logo\n").file(
        "shared/reports/c.md",
        &report("案例丙", "2022-03-01", "brand: sanjia", "链接来的正文。"),
    );
    std::fs::create_dir_all(site.path("static")).expect("mkdir");
    std::os::unix::fs::symlink("../shared/logo.txt", site.path("static/logo.txt"))
        .expect("symlink");
    std::os::unix::fs::symlink("../../shared/reports", site.path("content/cases/more"))
        .expect("symlink");
    let out = site.build();
    assert_eq!(out.read("logo.txt"), "logo\n");
    out.page("/cases/more/c/")
        .assert_main_contains("链接来的正文");
}

// ---------------------------------------------------------------- theme

#[test]
fn theme_must_be_a_folder_name_under_themes() {
    for theme in [
        "/",
        "/usr/share",
        "../other",
        "themes/../../x",
        "C:\\Windows",
        "a/b",
    ] {
        let site = good_site();
        site.write(
            "site.yaml",
            &format!("{SITE_YAML}theme: \"{}\"\n", theme.replace('\\', "\\\\")),
        );
        let started = Instant::now();
        site.try_build(&[])
            .assert_failed_cleanly()
            .assert_points_at("site.yaml", 4)
            .assert_stderr_has("default");
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "theme {theme:?} took {:?}: it walked somewhere",
            started.elapsed()
        );
    }
}

// ---------------------------------------------------------------- URLs users write

#[test]
fn menu_entries_and_base_url_allow_only_safe_schemes() {
    for (yaml, line) in [
        (
            "menu:\n  - {name: 首页, url: /}\n  - {name: 坏, url: \"javascript:alert(1)\"}\n",
            6,
        ),
        ("menu:\n  - {name: 坏, url: \" JavaScript:alert(1)\"}\n", 5),
        ("menu:\n  - {name: 坏, url: \"data:text/html,x\"}\n", 5),
        ("menu: [{name: 坏, url: \"vbscript:x\"}]\n", 4),
    ] {
        let site = good_site();
        site.write("site.yaml", &format!("{SITE_YAML}{yaml}"));
        site.try_build(&[])
            .assert_failed_cleanly()
            .assert_points_at("site.yaml", line)
            .assert_stderr_has("menu");
    }
    let out = good_site()
        .file(
            "site.yaml",
            &format!("{SITE_YAML}menu:\n  - {{name: 邮件, url: \"mailto:a@b.cn\"}}\n  - {{name: 电话, url: \"tel:12345\"}}\n  - {{name: 外站, url: \"https://example.org/\"}}\n  - {{name: 关于, url: /about/}}\n"),
        )
        .build();
    let links = out.page("/").attrs("a[href]", "href");
    for href in ["mailto:a@b.cn", "tel:12345", "https://example.org/"] {
        assert!(
            links.iter().any(|l| l == href),
            "menu lost {href}: {links:?}"
        );
    }
    let site = Site::new().file(
        "site.yaml",
        "title: t\nbase_url: \"javascript:alert(1)//\"\n",
    );
    site.try_build(&[])
        .assert_failed_cleanly()
        .assert_points_at("site.yaml", 2);
}

#[test]
fn covers_and_logos_allow_only_site_files_and_web_addresses() {
    for cover in [
        "file:///etc/passwd",
        "javascript:alert(1)",
        "data:image/png;base64,AAAA",
        "C:\\photos\\a.jpg",
    ] {
        let site = good_site();
        site.write(
            "content/cases/b.md",
            &report(
                "案例乙",
                "2022-02-01",
                &format!("brand: sanjia\ncover: \"{}\"", cover.replace('\\', "\\\\")),
                "正文。",
            ),
        );
        site.try_build(&[])
            .assert_failed_cleanly()
            .assert_points_at("content/cases/b.md", 5)
            .assert_stderr_has("cover");
    }
    let site = good_site();
    site.write(
        "content/brands/sanjia.md",
        &brand("三家工作法", "logo: \"javascript:x\"", "介绍。"),
    );
    site.try_build(&[])
        .assert_failed_cleanly()
        .assert_points_at("content/brands/sanjia.md", 3)
        .assert_stderr_has("logo");
    let out = good_site()
        .file(
            "content/cases/b.md",
            &report(
                "案例乙",
                "2022-02-01",
                "brand: sanjia\ncover: https://example.org/c.jpg",
                "正文。",
            ),
        )
        .build();
    assert!(out
        .read("cases/b/index.html")
        .contains("https://example.org/c.jpg"));
}

#[test]
fn theme_accent_must_be_a_colour() {
    for accent in [
        "\"red;} body{display:none\"",
        "\"#fff; background:url(x)\"",
        "\"expression(alert(1))\"",
    ] {
        let site = good_site();
        site.write(
            "site.yaml",
            &format!("{SITE_YAML}theme_settings:\n  accent: {accent}\n"),
        );
        site.try_build(&[])
            .assert_failed_cleanly()
            .assert_points_into("site.yaml")
            .assert_stderr_has("accent");
    }
    let site = good_site()
        .file(
            "themes/mine/theme.yaml",
            "name: mine\nsettings:\n  accent: \"red;}*{x:y\"\n",
        )
        .file("themes/mine/templates/.keep", "");
    site.write("site.yaml", &format!("{SITE_YAML}theme: mine\n"));
    site.try_build(&[])
        .assert_failed_cleanly()
        .assert_stderr_has("themes/mine/theme.yaml")
        .assert_stderr_has("accent");
    let out = good_site()
        .file(
            "site.yaml",
            &format!("{SITE_YAML}theme_settings:\n  accent: \"#0b6e4f\"\n"),
        )
        .build();
    assert!(out.read("index.html").contains("#0b6e4f"));
}

// ---------------------------------------------------------------- herald new

#[test]
fn herald_new_never_writes_outside_the_site() {
    let site = good_site();
    let target = site.scratch().join("abs");
    let target_s = target.to_string_lossy().to_string();
    let before = outside(&site);
    for args in [
        vec!["new", "brand", target_s.as_str()],
        vec!["new", "brand", "../x"],
        vec!["new", "brand", "a/b"],
        vec!["new", "case", target_s.as_str()],
        vec!["new", "case", "../../x"],
        vec!["new", "case", "2026/../../../x"],
    ] {
        let run = site.herald("zh", &args);
        run.assert_failed_cleanly();
        assert!(
            !run.stderr.contains(" / use") && !run.stderr.contains("please"),
            "a Chinese message with English in it:\n{}",
            run.stderr
        );
        assert!(!run.stderr.contains("未生成网站"), "{}", run.stderr);
    }
    assert_eq!(outside(&site), before, "herald new wrote beside the site");
}

#[cfg(unix)]
#[test]
fn herald_new_does_not_follow_a_folder_linked_out_of_the_site() {
    let site = good_site();
    let elsewhere = site.scratch().join("elsewhere");
    std::fs::create_dir_all(&elsewhere).expect("mkdir");
    std::fs::remove_file(site.path("content/cases/a.md")).expect("rm");
    std::fs::remove_dir(site.path("content/cases")).expect("rmdir");
    std::os::unix::fs::symlink(&elsewhere, site.path("content/cases")).expect("symlink");
    site.herald("en", &["new", "case", "x"])
        .assert_failed_cleanly()
        .assert_stderr_has("outside the site");
    assert!(
        tree(&elsewhere).is_empty(),
        "herald new wrote through the link"
    );
}

#[test]
fn herald_new_case_accepts_a_chinese_file_name_and_says_its_url() {
    let site = good_site();
    let run = site.herald("zh", &["new", "case", "2026/长者食堂"]);
    run.assert_ok();
    assert!(
        run.stdout.contains("/cases/2026/zhang-zhe-shi-tang/"),
        "the new report's address is not said:\n{}",
        run.stdout
    );
    assert!(site.path("content/cases/2026/长者食堂.md").is_file());
    let run = site.herald("zh", &["new", "case", "2026\\社区食堂.md"]);
    run.assert_ok();
    assert!(site.path("content/cases/2026/社区食堂.md").is_file());
    let run = site.herald("zh", &["new", "brand", "长者食堂"]);
    run.assert_ok();
    assert!(
        run.stdout.contains("/brands/zhang-zhe-shi-tang/"),
        "{}",
        run.stdout
    );
    let out = site.build();
    assert!(out.has_page("/cases/2026/zhang-zhe-shi-tang/"));
    assert!(out.has_page("/brands/zhang-zhe-shi-tang/"));
}

// ---------------------------------------------------------------- interrupted builds

/// Every moment a build can be stopped at while writing (see `crash_point` in output.rs).
const CRASH_POINTS: &[&str] = &[
    "staging-created",
    "staging-marked",
    "writing",
    "journal-partial",
    "journal-written",
    "moving",
    "moved",
    "removing",
    "swap-aside",
    "swapped",
];

fn leftovers(site: &Site) -> Vec<String> {
    std::fs::read_dir(site.root())
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n.contains(".herald-"))
        .collect()
}

fn many_pages(site: &Site, title: &str) {
    for i in 0..30 {
        site.write(
            &format!("content/cases/p{i}.md"),
            &report(
                &format!("{title}{i}"),
                "2022-01-01",
                "brand: sanjia",
                "正文。",
            ),
        );
    }
}

#[test]
fn a_build_stopped_at_any_moment_is_finished_or_cleaned_up_by_the_next() {
    if !cfg!(debug_assertions) {
        return;
    }
    let mut reached: Vec<&str> = Vec::new();
    // A first build, a first build over an empty output folder (swapped in), a rebuild.
    for before in ["nothing", "empty folder", "previous build"] {
        for point in CRASH_POINTS {
            let site = good_site();
            many_pages(&site, "旧");
            match before {
                "empty folder" => std::fs::create_dir_all(site.path("output")).expect("mkdir"),
                "previous build" => {
                    site.build();
                    // Stale files too, for the journal to delete.
                    site.remove("content/cases/p0.md");
                    many_pages(&site, "新");
                    site.remove("content/cases/p1.md");
                }
                _ => {}
            }
            let crashed = run_herald_env(
                site.root(),
                "en",
                &["build", "--root", site.root_str()],
                &[("HERALD_CRASH_AT", Path::new(point))],
            );
            let context = format!("stopped at {point} (before: {before})");
            if crashed.ok() {
                // This kind of build does not pass that moment.
                assert!(
                    leftovers(&site).is_empty(),
                    "{context}: {:?}",
                    leftovers(&site)
                );
                continue;
            }
            assert_eq!(crashed.code, Some(86), "{context}:\n{}", crashed.stderr);
            reached.push(point);
            let out = site.build();
            assert!(
                leftovers(&site).is_empty(),
                "{context}: left behind {:?}",
                leftovers(&site)
            );
            // The output is exactly what a clean build makes.
            let clean_dir = site.scratch().join("clean");
            site.build_with(&["--output", clean_dir.to_str().expect("utf-8")]);
            assert_same_tree(
                &snapshot(&clean_dir),
                &snapshot(&out.dir),
                &format!("output after a build {context}"),
            );
        }
    }
    for point in CRASH_POINTS {
        assert!(reached.contains(point), "no build passed {point}");
    }
}

// ---------------------------------------------------------------- the preview

#[test]
fn the_preview_answers_get_and_head_only() {
    let site = good_site();
    let server = Server::start(site.root());
    let head = request(server.port, "HEAD", "/cases/a/").expect("HEAD");
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    for method in ["PUT", "DELETE", "POST", "PATCH", "OPTIONS"] {
        let r = request(server.port, method, "/cases/a/").expect(method);
        assert_eq!(r.status, 405, "{method} answered {}", r.status);
        assert_eq!(
            r.headers.get("allow").map(String::as_str),
            Some("GET, HEAD"),
            "{method}"
        );
        assert!(
            !r.text().contains("案例甲"),
            "{method} answered with the page"
        );
    }
    assert!(site.path("content/cases/a.md").is_file());
}

#[test]
fn a_preview_open_to_the_network_says_where_and_warns() {
    let site = good_site();
    let server = Server::start_with(site.root(), free_port(), &["--bind", "0.0.0.0"]);
    // Only ever reached through loopback here; what matters is what it prints.
    assert_eq!(server.get("/").status, 200);
    let said = server.stderr();
    assert!(
        said.contains("anyone on the network can open it"),
        "no warning:\n{said}"
    );
    let addresses: Vec<&str> = said
        .lines()
        .filter_map(|l| l.trim().strip_prefix("network address "))
        .collect();
    for a in &addresses {
        assert!(!a.contains("0.0.0.0") && !a.contains("127.0.0.1"), "{said}");
    }
    if !addresses.is_empty() {
        assert!(
            said.contains('█') || said.contains('▀'),
            "no QR code:\n{said}"
        );
    }
    let quiet = Server::start(site.root());
    assert!(!quiet.stderr().contains("anyone on the network"));
}

// ---------------------------------------------------------------- templates named in front matter

#[test]
fn a_template_named_in_front_matter_stays_in_the_templates_and_must_exist() {
    let site = good_site();
    site.write(
        "content/cases/b.md",
        &report(
            "案例乙",
            "2022-02-01",
            "brand: sanjia\ntemplate: ../../../../etc/passwd",
            "正文。",
        ),
    );
    site.try_build(&[])
        .assert_failed_cleanly()
        .assert_points_at("content/cases/b.md", 5)
        .assert_stderr_has("template")
        .assert_stderr_lacks("root:");
    site.write(
        "content/cases/b.md",
        &report(
            "案例乙",
            "2022-02-01",
            "brand: sanjia\ntemplate: wide.html",
            "正文。",
        ),
    );
    site.try_build(&[])
        .assert_failed_cleanly()
        .assert_points_at("content/cases/b.md", 5)
        .assert_stderr_has("wide.html")
        .assert_stderr_has("page.html");
    site.write(
        "templates/wide.html",
        "{% extends \"base.html\" %}{% block main %}WIDE {{ page.title }}{% endblock main %}",
    );
    assert!(site
        .build()
        .read("cases/b/index.html")
        .contains("WIDE 案例乙"));
}

#[cfg(unix)]
#[test]
fn a_sites_output_linked_out_of_the_site_is_not_written() {
    let site = good_site();
    let elsewhere = site.scratch().join("elsewhere");
    std::fs::create_dir_all(&elsewhere).expect("mkdir");
    std::os::unix::fs::symlink(&elsewhere, site.path("output")).expect("symlink");
    site.try_build(&[])
        .assert_failed_cleanly()
        .assert_stderr_has("output")
        .assert_stderr_has("outside the site");
    assert!(
        tree(&elsewhere).is_empty(),
        "the build wrote through the link"
    );
    assert!(
        tree(site.scratch()).iter().all(|n| !n.contains(".herald-")),
        "a staging folder was made beside the link's target"
    );
    // Named on the command line, the same folder is the user's choice.
    let target = elsewhere.to_str().expect("utf-8").to_string();
    site.build_with(&["--output", &target]);
    assert!(elsewhere.join("index.html").is_file());
}
