//! `herald build` with its cache (`.herald/cache/build.bin`): after any edit, what the build
//! leaves in the output is byte for byte what a clean build (`--no-cache`, a fresh folder)
//! makes; a cache that cannot be trusted is ignored; `herald clean` removes it.

use std::path::Path;

use super::util::*;

const THEME: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/themes/default/templates");

/// Three brands, a dozen reports with tags, regions and links between them, a section with
/// an intro, a static file, and the 繁體 mirror: every kind of output and the search index.
fn site() -> Site {
    let mut site = Site::new()
        .file(
            "site.yaml",
            &format!("{SITE_YAML}zh_hant:\n  variant: tw\n"),
        )
        .file(
            "content/brands/sanjia.md",
            &brand("三家工作法", "", "「三家」工作法的介绍。"),
        )
        .file(
            "content/brands/lingshi.md",
            &brand("惠民零时差", "", "零时差服务。"),
        )
        .file(
            "content/brands/sixing.md",
            &brand("四型机关", "", "四型机关建设。"),
        )
        .file(
            "content/cases/_index.md",
            "---\ntitle: 案例\n---\n\n各地的案例。\n",
        )
        .file("content/about.md", &plain_page("关于", "民政局宣传科。"))
        .file("static/files/note.txt", "附件。\n");
    let brands = ["sanjia", "lingshi", "sixing"];
    let regions = ["滨州", "福州", "济南"];
    for i in 0..12 {
        let extra = format!(
            "brand: {}\nregion: {}\ntags: [养老, 社区{}]",
            brands[i % 3],
            regions[i % 3],
            i % 4
        );
        let body = format!(
            "第{i}篇案例的正文，写长者食堂和网络服务。\n\n## 做法\n\n见[关于](../about.md)和第{}篇。\n",
            (i + 11) % 12
        );
        site = site.file(
            &format!("content/cases/r{i}.md"),
            &report(
                &format!("案例{i}"),
                &format!("2022-03-{:02}", i + 1),
                &extra,
                &body,
            ),
        );
    }
    site
}

/// The cached build into the site's `output/`, and a clean one into a fresh folder: the two
/// must be the same, file for file and byte for byte.
fn assert_like_clean(site: &Site, step: &str) -> Run {
    let cached = site.try_build(&[]);
    cached.assert_ok();
    assert_output_is_clean(site, step);
    cached
}

/// A clean build into a fresh folder makes what the site's `output/` holds.
fn assert_output_is_clean(site: &Site, step: &str) {
    let clean_dir = site
        .scratch()
        .join(format!("clean-{}", step.replace(' ', "-")));
    let out = clean_dir.to_str().expect("UTF-8");
    site.try_build(&["--no-cache", "--output", out]).assert_ok();
    assert_same_tree(
        &snapshot(&clean_dir),
        &snapshot(&site.path("output")),
        &format!("after {step}, the cached build's output (compared with a clean build)"),
    );
    let _ = std::fs::remove_dir_all(&clean_dir);
}

/// A build that says what it did (`HERALD_TIMINGS`), which must succeed.
fn timed_build(site: &Site) -> Run {
    let run = run_herald_env(
        site.root(),
        "en",
        &["build", "--root", site.root_str()],
        &[("HERALD_TIMINGS", Path::new("1"))],
    );
    run.assert_ok();
    run
}

/// How many files a build said it changed: `(N changed)`.
fn changed(run: &Run) -> usize {
    let at = run
        .stdout
        .find(" changed)")
        .unwrap_or_else(|| panic!("no count: {}", run.stdout));
    let start = run.stdout[..at].rfind('(').map_or(0, |i| i + 1);
    run.stdout[start..at]
        .parse()
        .unwrap_or_else(|_| panic!("no count: {}", run.stdout))
}

/// A small deterministic generator, so a failure can be replayed.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n
    }
}

fn edit(site: &Site, kind: usize, rng: &mut Lcg, serial: usize) -> String {
    let live: Vec<String> = files_under(&site.path("content/cases"))
        .into_iter()
        .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .filter(|n| n.starts_with('r'))
        .collect();
    let pick = |rng: &mut Lcg| format!("content/cases/{}", live[rng.below(live.len())]);
    let read = |rel: &str| std::fs::read_to_string(site.path(rel)).expect("read");
    match kind {
        0 => {
            let rel = pick(rng);
            site.write(
                &rel,
                &format!("{}\n第{serial}次补充：长者食堂又开了一家。\n", read(&rel)),
            );
            format!("a body edit of {rel}")
        }
        1 => {
            let rel = pick(rng);
            let text = read(&rel).replacen("title: ", &format!("title: 改{serial}·"), 1);
            site.write(&rel, &text);
            format!("a title edit of {rel}")
        }
        2 => {
            let rel = pick(rng);
            let text = read(&rel).replacen("tags: [", &format!("tags: [新标签{serial}, "), 1);
            site.write(&rel, &text);
            format!("a tags edit of {rel}")
        }
        3 => {
            let b = ["sanjia", "lingshi", "sixing"][rng.below(3)];
            site.write(
                &format!("content/brands/{b}.md"),
                &brand(&format!("品牌{serial}"), "", &format!("第{serial}版介绍。")),
            );
            format!("a brand edit of {b}")
        }
        4 if serial.is_multiple_of(2) => {
            site.write("static/files/note.txt", &format!("附件，第{serial}版。\n"));
            "a static file edit".into()
        }
        4 => {
            // The site's stylesheet replaces the theme's: every page links its new name.
            let css = std::fs::read_to_string(Path::new(THEME).join("../static/css/style.css"))
                .expect("theme");
            site.write(
                "static/css/style.css",
                &format!("{css}\n/* 第{serial}版 */\n"),
            );
            "a stylesheet edit".into()
        }
        5 if live.len() > 4 => {
            let rel = pick(rng);
            site.remove(&rel);
            format!("deleting {rel}")
        }
        6 => {
            let rel = format!("content/cases/r-new-{serial}.md");
            site.write(
                &rel,
                &report(
                    &format!("新案例{serial}"),
                    "2023-05-01",
                    "brand: sixing\ntags: [养老]",
                    "新的正文，软件和信息。",
                ),
            );
            format!("adding {rel}")
        }
        7 => {
            let page = std::fs::read_to_string(Path::new(THEME).join("page.html")).expect("theme");
            site.write(
                "templates/page.html",
                &page.replacen(
                    "</article>",
                    &format!("<p>模板第{serial}版</p></article>"),
                    1,
                ),
            );
            "a template edit".into()
        }
        8 => {
            // Every report links this page: its new URL is in every report's body.
            site.write(
                "content/about.md",
                &format!("---\ntitle: 关于\nslug: about-{serial}\n---\n\n民政局宣传科。\n"),
            );
            "a new URL for a page every report links".into()
        }
        _ => {
            site.write(
                "site.yaml",
                &format!(
                    "title: 测试站{serial}\ndescription: 集成测试用的站点\nbase_url: https://example.org/\nzh_hant:\n  variant: tw\n"
                ),
            );
            "a site.yaml edit".into()
        }
    }
}

#[test]
fn after_random_edits_the_cached_output_is_the_clean_output() {
    let site = site();
    assert_like_clean(&site, "the first build");
    // Old enough to trust: the files no step edits come from the parse cache, unread.
    age(&site);
    let mut rng = Lcg(0x5eed_2026);
    for serial in 0..24 {
        // Every kind once, in turn, then at random.
        let kind = match serial {
            0..10 => serial,
            10 => 4,
            _ => rng.below(10),
        };
        let what = edit(&site, kind, &mut rng, serial);
        assert_like_clean(&site, &format!("step {serial}: {what}"));
    }
}

#[test]
fn a_body_edit_rewrites_only_what_shows_it_and_nothing_changed_is_skipped() {
    let site = site();
    site.build();
    let total = snapshot(&site.path("output")).len();
    site.write(
        "content/cases/r3.md",
        &format!(
            "{}\n补充一句。\n",
            std::fs::read_to_string(site.path("content/cases/r3.md")).expect("read")
        ),
    );
    let run = assert_like_clean(&site, "a body edit");
    let n = changed(&run);
    assert!(
        n > 0 && n < total / 3,
        "a body edit changed {n} of {total} files:\n{}",
        run.stdout
    );

    // Nothing edited since (and every file's time old enough to trust): nothing is done.
    age(&site);
    site.build();
    let before = snapshot(&site.path("output"));
    let run = timed_build(&site);
    assert_eq!(changed(&run), 0, "{}", run.stdout);
    run.assert_stderr_has("build cache: nothing changed");
    assert_same_tree(
        &before,
        &snapshot(&site.path("output")),
        "a no-change build's output",
    );

    // A report added (a new folder in the output) and one deleted (a folder gone): the build
    // looks again at the folders those changed (it reads no other file's or folder's time),
    // and the next build finds the output exactly as it was left.
    site.write(
        "content/cases/r-new.md",
        &report("新案例", "2023-05-01", "brand: sixing", "新的正文。"),
    );
    site.remove("content/cases/r5.md");
    age(&site);
    assert_like_clean(&site, "a report added and one deleted");
    let run = timed_build(&site);
    run.assert_stderr_has("build cache: nothing changed");
}

/// Whether the last timed build wrote the whole search index (`search: pages …`), rather
/// than patching the last one.
fn last_run_indexed_every_page(site: &Site) -> bool {
    std::fs::read_to_string(site.scratch().join("timings.txt"))
        .expect("timings")
        .contains("[timing] search: pages")
}

/// The two counts of a `HERALD_TIMINGS` line: `[timing] <what>: N …, M …`.
fn counts(run: &Run, what: &str) -> (usize, usize) {
    let prefix = format!("[timing] {what}: ");
    let line = run
        .stderr
        .lines()
        .find_map(|l| l.strip_prefix(prefix.as_str()))
        .unwrap_or_else(|| panic!("no {what} line:\n{}", run.stderr));
    let n: Vec<usize> = line
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|w| w.parse().ok())
        .collect();
    (n[0], n[1])
}

/// What the build did with the bodies: (rendered, reused).
fn bodies(run: &Run) -> (usize, usize) {
    counts(run, "bodies")
}

#[test]
fn the_body_cache_renders_again_exactly_the_bodies_that_changed() {
    let site = site();
    let timed = |site: &Site, step: &str| {
        let run = timed_build(site);
        std::fs::write(site.scratch().join("timings.txt"), &run.stderr).expect("write");
        assert_output_is_clean(site, step);
        bodies(&run)
    };
    // 12 reports, 3 brands, about.md and the cases section's intro are kept; the two
    // sections without a file (the home's, brands/) have nothing to keep.
    let (kept, other) = (17, 2);
    assert_eq!(timed(&site, "the first build"), (kept + other, 0));
    assert!(last_run_indexed_every_page(&site));
    let r3 = std::fs::read_to_string(site.path("content/cases/r3.md")).expect("read");
    site.write("content/cases/r3.md", &format!("{r3}\n补充一句。\n"));
    assert_eq!(timed(&site, "a body edit"), (1 + other, kept - 1));
    assert!(
        !last_run_indexed_every_page(&site),
        "a body edit patches the search index"
    );
    // Back to the first text with a new title: the title is not in the body, but this text
    // is not the one the cache holds.
    site.write(
        "content/cases/r3.md",
        &r3.replacen("title: ", "title: 新", 1),
    );
    assert_eq!(timed(&site, "a title edit"), (1 + other, kept - 1));
    site.write("content/cases/r4.md", &{
        let r4 = std::fs::read_to_string(site.path("content/cases/r4.md")).expect("read");
        r4.replacen("title: ", "title: 新", 1)
    });
    assert_eq!(timed(&site, "a title edit only"), (other, kept));
    // about.md moves: every report links it, nothing else does (and about.md's own body
    // starts a line lower: its positions changed).
    site.write(
        "content/about.md",
        "---\ntitle: 关于\nslug: guanyu\n---\n\n民政局宣传科。\n",
    );
    assert_eq!(
        timed(&site, "a new URL for about.md"),
        (13 + other, kept - 13)
    );
    assert!(site
        .output()
        .read("cases/r5/index.html")
        .contains("/guanyu/"));
    // A shard that does not decode is not used; the others are.
    let shards = files_under(&site.path(".herald/cache/bodies"));
    assert_eq!(shards.len(), 64, "{shards:?}");
    for shard in &shards {
        std::fs::write(shard, b"not a shard").expect("write");
    }
    let retitle = |site: &Site, title: &str| {
        let r4 = std::fs::read_to_string(site.path("content/cases/r4.md")).expect("read");
        site.write("content/cases/r4.md", &r4.replacen("title: ", title, 1));
    };
    // (Each step edits a file, or the build would have nothing to do at all.)
    retitle(&site, "title: 再");
    assert_eq!(timed(&site, "garbage in the body cache"), (kept + other, 0));
    retitle(&site, "title: 又");
    assert_eq!(timed(&site, "a build after it"), (other, kept));
}

/// What the build did with the Markdown files: (parsed, from the parse cache).
fn sources(run: &Run) -> (usize, usize) {
    counts(run, "sources")
}

#[test]
fn the_parse_cache_reads_only_the_files_that_changed_and_never_a_young_one_twice() {
    let site = site();
    let timed = |site: &Site, step: &str| {
        let run = timed_build(site);
        assert_output_is_clean(site, step);
        (sources(&run), bodies(&run))
    };
    // 12 reports, 3 brands, about.md and the cases intro.
    let all = 17;
    // Every file was written a moment ago: parsed, and too young to be kept.
    assert_eq!(timed(&site, "the first build").0, (all, 0));
    age(&site);
    assert_eq!(timed(&site, "a build of old files").0, (all, 0));
    let retitle = |rel: &str, title: &str| {
        let text = std::fs::read_to_string(site.path(rel)).expect("read");
        site.write(rel, &text.replacen("title: ", title, 1));
    };
    retitle("content/cases/r3.md", "title: 新");
    assert_eq!(
        timed(&site, "a title edit"),
        ((1, all - 1), (2, all)),
        "only r3 is read, and its body (the same) comes from the body cache"
    );
    // r3 was young when the last build looked at it: it is read again, as the file it
    // is now (its time alone could not tell a second edit within the same tick).
    retitle("content/cases/r4.md", "title: 新");
    assert_eq!(timed(&site, "a second title edit").0, (2, all - 2));
    // about.md moves: every report links it. Their parses come from the cache, and their
    // bodies must be rendered again: their files are read for it, and show the new URL.
    age(&site);
    timed(&site, "the edits aged");
    site.write(
        "content/about.md",
        "---\ntitle: 关于\nslug: guanyu\n---\n\n民政局宣传科。\n",
    );
    assert_eq!(
        timed(&site, "a new URL for about.md"),
        ((1, all - 1), (13 + 2, all - 13))
    );
    assert!(site
        .output()
        .read("cases/r5/index.html")
        .contains("/guanyu/"));
    // A cache that does not decode is not used, and is replaced.
    let cache = site.path(".herald/cache/sources.bin");
    std::fs::write(&cache, b"not a cache").expect("write");
    age(&site);
    let run = timed_build(&site);
    run.assert_stderr_lacks("panicked");
    assert_eq!(sources(&run), (all, 0));
    assert_output_is_clean(&site, "garbage in the parse cache");
    retitle("content/cases/r7.md", "title: 又");
    assert_eq!(timed(&site, "a build after it").0, (1, all - 1));
}

#[test]
fn outputs_changed_by_hand_are_made_again() {
    let site = site();
    site.build();
    age(&site);
    site.build();
    let out = site.path("output");
    std::fs::write(out.join("cases/r1/index.html"), "edited by hand").expect("write");
    std::fs::remove_file(out.join("cases/r2/index.html")).expect("remove");
    std::fs::write(out.join("cases/stray.html"), "not from the site").expect("write");
    std::fs::write(out.join("search/meta.json"), "{}").expect("write");
    let run = assert_like_clean(&site, "hand edits of the output");
    assert!(changed(&run) >= 3, "{}", run.stdout);
    assert!(!out.join("cases/stray.html").exists());
}

#[test]
fn a_corrupt_or_foreign_cache_is_ignored() {
    let site = site();
    site.build();
    let cache = site.path(".herald/cache/build.bin");
    assert!(cache.is_file(), "a build writes its cache");
    for (what, bytes) in [
        ("garbage", b"not a cache at all".to_vec()),
        (
            "a truncated cache",
            std::fs::read(&cache).expect("read")[..40].to_vec(),
        ),
        ("an empty file", Vec::new()),
    ] {
        std::fs::write(&cache, bytes).expect("write");
        site.write(
            "content/cases/r0.md",
            &report(
                "案例零",
                "2022-01-09",
                &format!("brand: sanjia\ntags: [{what}]"),
                "正文。",
            ),
        );
        let run = assert_like_clean(&site, what);
        run.assert_stderr_lacks("panicked");
        assert!(
            std::fs::read(&cache).is_ok_and(|b| b.len() > 100),
            "the build replaced {what} with a cache of its own"
        );
    }
}

/// The body cache is checked by hashes: a body changed in it (a damaged disk, a hand edit) is
/// never published, whether in what every build reads (its summary) or in its HTML, which a
/// build reads only when it needs it.
#[test]
fn a_damaged_body_in_the_body_cache_is_rendered_again() {
    let site = site();
    // The same number of bytes, other words: only a hash can tell.
    let (good, bad) = ("第3篇案例的正文", "第3篇案例的误文");
    for (n, (what, last)) in [("its HTML", true), ("its summary", false)]
        .into_iter()
        .enumerate()
    {
        site.build();
        let mut damaged = Vec::new();
        for entry in std::fs::read_dir(site.path(".herald/cache/bodies")).expect("the cache") {
            let path = entry.expect("entry").path();
            let bytes = std::fs::read(&path).expect("read");
            let mut at = bytes
                .windows(good.len())
                .enumerate()
                .filter(|(_, w)| *w == good.as_bytes());
            let found = match last {
                true => at.next_back(),
                false => at.next(),
            };
            let Some((at, _)) = found else { continue };
            let mut changed = bytes.clone();
            changed[at..at + good.len()].copy_from_slice(bad.as_bytes());
            std::fs::write(&path, changed).expect("write");
            damaged.push(path);
        }
        assert_eq!(damaged.len(), 1, "one shard holds report 3's body");
        // A new title: the page is made again from its body, which the cache still has.
        let file = site.path("content/cases/r3.md");
        let text = std::fs::read_to_string(&file).expect("read");
        let title = format!("title: 案例三{n}");
        let text = text.lines().map(|l| match l.starts_with("title: ") {
            true => title.clone(),
            false => l.to_string(),
        });
        site.write(
            "content/cases/r3.md",
            &(text.collect::<Vec<_>>().join("\n") + "\n"),
        );
        let run = assert_like_clean(&site, &format!("a damaged body, {what}"));
        run.assert_stderr_lacks("panicked");
        let page = std::fs::read_to_string(site.path("output/cases/r3/index.html")).expect("page");
        assert!(
            page.contains(good) && page.contains(&title[7..]),
            "{what}: {page}"
        );
        let shard = std::fs::read(&damaged[0]).unwrap_or_default();
        assert!(
            !shard.windows(bad.len()).any(|w| w == bad.as_bytes()),
            "{what}: the damaged file is not kept"
        );
    }
}

#[test]
fn no_cache_writes_none_and_clean_removes_it() {
    let site = site();
    site.build_with(&["--no-cache"]);
    for cache in ["build.bin", "sources.bin", "bodies"] {
        assert!(
            !site.path(".herald/cache").join(cache).exists(),
            "--no-cache writes no {cache}"
        );
    }
    site.build();
    assert!(site.path(".herald/cache/build.bin").is_file());

    let run = site.herald("en", &["clean", "--root", site.root_str()]);
    run.assert_ok();
    assert!(
        run.stdout.contains("removed .herald/cache/"),
        "{}",
        run.stdout
    );
    assert!(!site.path(".herald/cache").exists());
    assert!(
        site.path("output/index.html").is_file(),
        "clean leaves the output alone"
    );

    let run = site.herald("zh", &["clean", "--root", site.root_str()]);
    run.assert_ok();
    assert!(run.stdout.contains("没有要删除的缓存"), "{}", run.stdout);
}

#[cfg(unix)]
#[test]
fn a_cache_folder_leading_out_of_the_site_is_not_used() {
    let site = site();
    let elsewhere = site.scratch().join("elsewhere");
    std::fs::create_dir_all(&elsewhere).expect("mkdir");
    std::os::unix::fs::symlink(&elsewhere, site.path(".herald")).expect("symlink");
    assert_like_clean(&site, "a linked .herald");
    assert!(
        files_under(&elsewhere).is_empty(),
        "nothing written through the link: {:?}",
        files_under(&elsewhere)
    );
    let run = site.herald("en", &["clean", "--root", site.root_str()]);
    run.assert_ok();
    assert!(
        elsewhere.is_dir(),
        "clean removes no folder outside the site"
    );
}

#[test]
fn run_inside_the_site_the_second_build_already_uses_the_cache() {
    // `herald build` with no --root: the output is `./output`, which exists only from the
    // second build on; it is the same folder, so the same cache.
    let site = site();
    site.herald("en", &["build"]).assert_ok();
    age(&site);
    let timed = |site: &Site| {
        let run = run_herald_env(
            site.root(),
            "en",
            &["build"],
            &[("HERALD_TIMINGS", Path::new("1"))],
        );
        run.assert_ok();
        run
    };
    timed(&site).assert_stderr_lacks("render page:");
    timed(&site).assert_stderr_has("build cache: nothing changed");
}

#[test]
fn with_compress_the_kept_pages_keep_their_gz_and_changed_ones_get_new_ones() {
    let site = site();
    site.build_with(&["--compress"]);
    let page = site.path("content/cases/r5.md");
    let text = std::fs::read_to_string(&page).expect("read");
    site.write(
        "content/cases/r5.md",
        &format!("{text}\n压缩后也要更新。\n"),
    );
    // A page the edit does not touch, whose .gz went missing: made again.
    std::fs::remove_file(site.path("output/about/index.html.gz")).expect("remove a .gz");
    site.build_with(&["--compress"]);
    let clean = site.scratch().join("clean-compress");
    let clean_str = clean.to_str().expect("UTF-8");
    site.build_with(&["--compress", "--no-cache", "--output", clean_str]);
    assert_same_tree(
        &snapshot(&clean),
        &snapshot(&site.path("output")),
        "a cached --compress build (compared with a clean one)",
    );
}
