//! Herald must never cost a user their work: a failed build leaves the previous site as it
//! was, and output folders where writing would destroy files are refused.

use std::path::Path;

use super::util::*;

fn good_site() -> Site {
    Site::new()
        .file(
            "content/brands/sanjia.md",
            &brand("三家工作法", "", "介绍。"),
        )
        .file(
            "content/cases/a.md",
            &report("案例甲", "2022-01-01", "brand: sanjia", "正文。"),
        )
        .file(
            "content/cases/b.md",
            &report("案例乙", "2022-02-01", "brand: sanjia", "正文。"),
        )
        .file("static/files/note.txt", "附件\n")
}

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .map(|d| {
            d.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

#[test]
fn failed_build_leaves_the_previous_output_byte_identical() {
    let site = good_site();
    site.build();
    let before = snapshot(&site.output().dir);
    assert!(before.contains_key("cases/a/index.html"));
    let root_names = names(site.root());
    let scratch_names = names(site.scratch());

    site.write(
        "content/cases/a.md",
        "---\ntitle: 案例甲\ndate: 昨天\n---\n\n正文改了。\n",
    );
    site.build_fails();

    assert_same_tree(
        &before,
        &snapshot(&site.output().dir),
        "output/ after a failed build",
    );
    assert_eq!(
        names(site.root()),
        root_names,
        "the failed build left files in the site folder"
    );
    assert_eq!(
        names(site.scratch()),
        scratch_names,
        "the failed build left files beside the site"
    );
}

#[test]
fn build_failing_while_rendering_leaves_the_previous_output_byte_identical() {
    let site = good_site();
    site.build();
    let before = snapshot(&site.output().dir);
    let root_names = names(site.root());

    // A template that only fails when a page is rendered, after writing has begun.
    site.write(
        "templates/page.html",
        "{% extends \"base.html\" %}\n{% block main %}{{ page.no_such_field.x }}{% endblock main %}\n",
    );
    site.build_fails();

    assert_same_tree(
        &before,
        &snapshot(&site.output().dir),
        "output/ after a failed render",
    );
    let mut expected = root_names.clone();
    expected.push("templates".into());
    expected.sort();
    assert_eq!(
        names(site.root()),
        expected,
        "the failed build left files in the site folder"
    );
}

#[test]
fn rebuild_removes_pages_of_deleted_files() {
    let site = good_site();
    let out = site.build();
    assert!(out.has_page("/cases/b/"));
    site.remove("content/cases/b.md");
    let out = site.build();
    assert!(
        !out.exists("cases/b"),
        "a stale page survived the rebuild: {:#?}",
        out.files()
    );
    assert!(out.has_page("/cases/a/"));
}

fn assert_refused(site: &Site, output: &Path) {
    let before = snapshot(site.scratch());
    let output = output.to_str().expect("UTF-8 path");
    site.try_build(&["--output", output])
        .assert_failed_cleanly()
        .assert_stderr_has("output");
    assert_same_tree(
        &before,
        &snapshot(site.scratch()),
        "the folder around the site",
    );
}

#[test]
fn output_equal_to_the_site_folder_is_refused() {
    let site = good_site();
    assert_refused(&site, site.root());
}

#[test]
fn output_equal_to_content_is_refused() {
    let site = good_site();
    assert_refused(&site, &site.path("content"));
}

#[test]
fn output_inside_content_is_refused() {
    let site = good_site();
    assert_refused(&site, &site.path("content/out"));
}

#[test]
fn output_inside_static_is_refused() {
    let site = good_site();
    assert_refused(&site, &site.path("static"));
}

#[test]
fn output_that_is_a_parent_of_the_site_is_refused() {
    let site = good_site();
    assert_refused(&site, site.scratch());
}

#[test]
fn output_spelled_with_dot_dot_as_the_site_folder_is_refused() {
    let site = good_site();
    assert_refused(&site, &site.path("content/.."));
}

#[test]
fn non_empty_folder_not_made_by_herald_is_refused() {
    let site = good_site();
    let mine = site.scratch().join("mine");
    std::fs::create_dir_all(mine.join("sub")).expect("mkdir");
    std::fs::write(mine.join("notes.txt"), "我的笔记").expect("write");
    std::fs::write(mine.join("sub/data.csv"), "a,b\n").expect("write");
    assert_refused(&site, &mine);
}

#[test]
fn empty_folder_is_accepted_as_output() {
    let site = good_site();
    let empty = site.scratch().join("public");
    std::fs::create_dir_all(&empty).expect("mkdir");
    let out = site.build_with(&["--output", empty.to_str().expect("UTF-8")]);
    assert!(out.has_page("/cases/a/"));
    assert!(
        !site.output().dir.exists(),
        "wrote to output/ as well as --output"
    );
}

#[test]
fn output_folder_made_by_herald_is_replaced_on_rebuild() {
    let site = good_site();
    let public = site.scratch().join("public");
    let arg = public.to_str().expect("UTF-8").to_string();
    site.build_with(&["--output", &arg]);
    site.remove("content/cases/b.md");
    let out = site.build_with(&["--output", &arg]);
    assert!(out.has_page("/cases/a/"));
    assert!(
        !out.exists("cases/b"),
        "stale page kept: {:#?}",
        out.files()
    );
}

#[test]
fn output_equal_to_the_home_folder_is_refused() {
    let site = good_site();
    // A stand-in home folder (empty, so only "it is home" can be the reason to refuse it).
    let home = site.scratch().join("home");
    std::fs::create_dir_all(&home).expect("mkdir");
    let before = snapshot(site.scratch());
    let args = [
        "build",
        "--root",
        site.root_str(),
        "--output",
        home.to_str().expect("UTF-8"),
    ];
    run_herald_env(site.root(), "en", &args, &[("HOME", home.as_path())]).assert_failed_cleanly();
    assert_same_tree(
        &before,
        &snapshot(site.scratch()),
        "the folder around the site",
    );
}

fn assert_no_staging_folder(site: &Site) {
    let left: Vec<String> = names(site.root())
        .into_iter()
        .filter(|n| n.contains("herald-staging"))
        .collect();
    assert!(left.is_empty(), "staging folder left behind: {left:?}");
}

/// (inode, modification time) of every output file: what tells "rewritten" from "left alone".
#[cfg(unix)]
fn identities(dir: &Path) -> std::collections::BTreeMap<String, (u64, std::time::SystemTime)> {
    use std::os::unix::fs::MetadataExt;
    snapshot(dir)
        .into_keys()
        .filter(|rel| !rel.ends_with('/'))
        .map(|rel| {
            let m = std::fs::metadata(dir.join(&rel)).expect("metadata");
            let id = (m.ino(), m.modified().expect("mtime"));
            (rel, id)
        })
        .collect()
}

#[cfg(unix)]
#[test]
fn rebuild_rewrites_only_the_files_whose_bytes_changed() {
    let site = good_site().file(
        "content/cases/c.md",
        &report("案例丙", "2021-03-01", "brand: sanjia", "另一篇。"),
    );
    site.build();
    let dir = site.output().dir;
    let before = identities(&dir);
    let bytes_before = snapshot(&dir);

    // Nothing changed: nothing is rewritten, and the summary says so.
    let run = site.try_build_lang("en", &[]);
    run.assert_ok().assert_stderr_lacks("error");
    assert!(
        format!("{}{}", run.stdout, run.stderr).contains("(0 changed)"),
        "summary does not say nothing changed:\n{}{}",
        run.stdout,
        run.stderr
    );
    assert_eq!(
        identities(&dir),
        before,
        "a no-change rebuild rewrote files"
    );

    // One body edit: that page is rewritten, a page that does not show it is not.
    site.write(
        "content/cases/a.md",
        &report("案例甲", "2022-01-01", "brand: sanjia", "改过的正文。"),
    );
    site.build();
    let after = identities(&dir);
    assert_ne!(after["cases/a/index.html"], before["cases/a/index.html"]);
    assert!(site
        .output()
        .read("cases/a/index.html")
        .contains("改过的正文"));
    assert_eq!(
        after["files/note.txt"], before["files/note.txt"],
        "an unchanged static file was copied again"
    );
    let untouched: Vec<&String> = bytes_before
        .iter()
        .filter(|(rel, bytes)| !rel.ends_with('/') && snapshot(&dir).get(*rel) == Some(*bytes))
        .map(|(rel, _)| rel)
        .collect();
    assert!(untouched.len() > 3, "the edit changed nearly every file");
    for rel in untouched {
        assert_eq!(
            after[rel], before[rel],
            "{rel} has the same bytes but was rewritten"
        );
    }
    assert_no_staging_folder(&site);
}

#[test]
fn rebuild_keeps_a_deploy_checkout_in_the_output_folder() {
    let site = good_site();
    site.build();
    let dir = site.output().dir;
    std::fs::create_dir_all(dir.join(".git/refs")).expect("mkdir");
    std::fs::write(dir.join(".git/HEAD"), "ref: refs/heads/gh-pages\n").expect("write");
    site.remove("content/cases/b.md");
    let out = site.build();
    assert!(!out.exists("cases/b/index.html"), "stale page kept");
    assert_eq!(
        std::fs::read_to_string(dir.join(".git/HEAD")).expect("the .git folder was deleted"),
        "ref: refs/heads/gh-pages\n"
    );
}

#[test]
fn page_that_becomes_a_folder_and_back_is_rebuilt_cleanly() {
    // `cases/a.md` → `cases/a/index.md` and a sibling asset → output `cases/a/` gains a file;
    // then a plain file `x.html` in static becomes a folder `x.html/` of the output.
    let site = good_site().file("static/x.html", "<p>x</p>\n");
    site.build();
    site.remove("static/x.html");
    site.write("static/x.html/inner.txt", "里面\n");
    let out = site.build();
    assert_eq!(out.read("x.html/inner.txt"), "里面\n");
    site.remove("static/x.html/inner.txt");
    std::fs::remove_dir(site.path("static/x.html")).expect("rmdir");
    site.write("static/x.html", "<p>又是文件</p>\n");
    let out = site.build();
    assert_eq!(out.read("x.html"), "<p>又是文件</p>\n");
}

#[cfg(unix)]
#[test]
fn rebuild_interrupted_while_moving_files_in_is_finished_by_the_next_build() {
    let site = good_site();
    site.build();
    let dir = site.output().dir;
    // What a build killed half-way through its move leaves: a journalled staging folder of a
    // process that no longer exists, one changed file still in it, a stale file listed.
    let staging = site.root().join(".output.herald-staging-999999999");
    std::fs::create_dir_all(staging.join("cases/a")).expect("mkdir");
    std::fs::write(staging.join(".herald"), "marker\n").expect("write");
    std::fs::write(staging.join("cases/a/index.html"), "<p>new</p>\n").expect("write");
    std::fs::write(dir.join("old.txt"), "stale\n").expect("write");
    std::fs::write(staging.join(".herald-commit"), "old.txt").expect("write");
    // The next build fails while rendering, after it has finished the interrupted one: the
    // output is what the interrupted build was making, whole.
    site.write(
        "templates/page.html",
        "{% extends \"base.html\" %}{% block main %}{{ no_such_thing.x }}{% endblock main %}",
    );
    site.build_fails();
    let out = site.output();
    assert_eq!(
        out.read("cases/a/index.html"),
        "<p>new</p>\n",
        "the move was not finished"
    );
    assert!(!out.exists("old.txt"), "the journalled stale file was kept");
    assert_no_staging_folder(&site);
    // And a good build after that is the site again.
    site.remove("templates/page.html");
    assert!(site.build().read("cases/a/index.html").contains("案例甲"));
}
