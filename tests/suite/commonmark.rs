//! Conformance: the CommonMark 0.31.2 spec examples and the CommonMark CJK-friendly
//! amendments' test cases (`tests/spec/`, see its README), rendered by Herald's Markdown path
//! and compared after CommonMark's own normalizer. Each example is a case; a failure lists
//! every example that differs.

use std::fs;

use herald::error::Error;

use super::mdref::{herald_html, normalize, repo};

struct Example {
    number: usize,
    section: String,
    markdown: String,
    html: String,
}

fn spec_examples() -> Vec<Example> {
    let path = repo().join("tests/spec/commonmark/spec.txt");
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let fence = "````````````````````````````````";
    let mut out = Vec::new();
    let mut section = String::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        if let Some(h) = line.strip_prefix('#') {
            section = h.trim_start_matches('#').trim().to_string();
        }
        if line != format!("{fence} example") {
            continue;
        }
        let (mut markdown, mut html, mut in_html) = (String::new(), String::new(), false);
        for l in lines.by_ref() {
            if l == fence {
                break;
            }
            if l == "." && !in_html {
                in_html = true;
                continue;
            }
            let part = if in_html { &mut html } else { &mut markdown };
            part.push_str(&l.replace('→', "\t"));
            part.push('\n');
        }
        out.push(Example {
            number: out.len() + 1,
            section: section.clone(),
            markdown,
            html,
        });
    }
    out
}

/// Examples that link to files which do not exist: a Herald build fails on them by design
/// (a broken link in a report is an error with its line), so they are expected to fail here.
const BROKEN_LINK_EXAMPLES: &[(usize, &str)] = &[
    (486, "[](./target.md): no target.md"),
    (519, "[![moon](moon.jpg)](/uri): no moon.jpg"),
    (533, "[![moon](moon.jpg)][ref]: no moon.jpg"),
    (
        575,
        "![foo *bar*] with [foo *bar*]: train.jpg: no train.jpg",
    ),
    (578, "![foo *bar*][]: no train.jpg"),
    (579, "![foo *bar*][foobar]: no train.jpg"),
    (580, "![foo](train.jpg): no train.jpg"),
];

/// Autolinks with a scheme other than http, https, mailto and tel: Herald renders them without
/// their URL by design (a body may not link to `irc:` or made-up schemes, issue 10). They must
/// render as the spec says with the `href` left out.
const REFUSED_SCHEME_EXAMPLES: &[(usize, &str)] = &[
    (598, "<irc://foo.bar:2233/baz>"),
    (600, "<a+b+c:d>"),
    (601, "<made-up-scheme://foo,bar>"),
    (603, "<localhost:5001/foo>"),
];

/// `html` without its `href="…"` attributes.
fn without_href(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(i) = rest.find(" href=\"") {
        out.push_str(&rest[..i]);
        let after = &rest[i + 7..];
        rest = after.find('"').map_or("", |e| &after[e + 1..]);
    }
    out.push_str(rest);
    out
}

#[test]
fn commonmark_spec_examples() {
    let examples = spec_examples();
    // 655: the spec text at commonmark-spec 31c0ca2d (version 0.31.2 plus three examples).
    assert_eq!(
        examples.len(),
        655,
        "examples in tests/spec/commonmark/spec.txt"
    );
    let mut broken = Vec::new();
    let mut other_errors = Vec::new();
    let (mut got, mut want, mut compared) = (Vec::new(), Vec::new(), Vec::new());
    for ex in &examples {
        match herald_html(&ex.markdown) {
            Ok(h) => {
                let refused = REFUSED_SCHEME_EXAMPLES.iter().any(|(n, _)| *n == ex.number);
                got.push(h);
                want.push(if refused {
                    without_href(&ex.html)
                } else {
                    ex.html.clone()
                });
                compared.push(ex);
            }
            Err(errs) if errs.iter().all(|e| matches!(e, Error::BrokenLink { .. })) => {
                broken.push(ex.number)
            }
            Err(errs) => other_errors.push(format!("example {}: {errs:?}", ex.number)),
        }
    }
    let (got, want) = (normalize(&got), normalize(&want));
    let mut failures = Vec::new();
    for ((ex, g), w) in compared.iter().zip(&got).zip(&want) {
        if g != w {
            failures.push(format!(
                "example {} ({}):\n  markdown: {:?}\n  expected: {w:?}\n  herald:   {g:?}",
                ex.number, ex.section, ex.markdown
            ));
        }
    }
    let passed = compared.len() - failures.len() - REFUSED_SCHEME_EXAMPLES.len();
    eprintln!(
        "CommonMark 0.31.2: {passed}/{} examples pass; {} fail the build on a missing file {:?}; \
         {} render without their refused URL; {} other errors",
        examples.len(),
        broken.len(),
        broken,
        REFUSED_SCHEME_EXAMPLES.len(),
        other_errors.len()
    );
    let listed: Vec<usize> = BROKEN_LINK_EXAMPLES.iter().map(|(n, _)| *n).collect();
    assert!(
        failures.is_empty() && other_errors.is_empty() && broken == listed,
        "{}\n{}\nbuild failures {broken:?}, listed {listed:?}\n{} of {} differ",
        failures.join("\n"),
        other_errors.join("\n"),
        failures.len(),
        compared.len()
    );
}

/// The `exports[...]` of a vitest snapshot: (name, rendered HTML).
fn snapshot(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for part in text.split("exports[`").skip(1) {
        let Some((name, rest)) = part.split_once("`] = `\n\"") else {
            continue;
        };
        let Some((body, _)) = rest.split_once("\"\n`;") else {
            continue;
        };
        let body = body
            .replace("\\`", "`")
            .replace("\\${", "${")
            .replace("\\\\", "\\");
        out.push((name.to_string(), body));
    }
    out
}

/// Top-level blocks of rendered HTML (each case file is a list of one-line paragraphs).
fn html_blocks(html: &str) -> Vec<String> {
    html.split_inclusive("</p>\n").map(str::to_string).collect()
}

fn md_blocks(md: &str) -> Vec<String> {
    md.split("\n\n")
        .map(|b| b.trim_matches('\n').to_string())
        .filter(|b| !b.is_empty())
        .map(|b| b + "\n")
        .collect()
}

/// Compares each block of `file` with its expected HTML; returns (passed, failures).
fn compare_blocks(file: &str, expected: &[String]) -> (usize, Vec<String>) {
    let path = repo().join("tests/spec/cjk-friendly/testcases").join(file);
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let blocks = md_blocks(&text);
    assert_eq!(blocks.len(), expected.len(), "{file}: blocks vs expected");
    let got: Vec<String> = blocks
        .iter()
        .map(|b| herald_html(b).unwrap_or_else(|e| format!("build error {e:?}")))
        .collect();
    let (got, want) = (normalize(&got), normalize(expected));
    let mut failures = Vec::new();
    for ((b, g), w) in blocks.iter().zip(&got).zip(&want) {
        if g != w {
            failures.push(format!(
                "{file}: {b:?}\n  expected: {w:?}\n  herald:   {g:?}"
            ));
        }
    }
    (blocks.len() - failures.len(), failures)
}

/// The pulldown-cmark rendering with Herald's extensions: what GFM text without CJK must be.
fn plain_pulldown(md: &str) -> String {
    use pulldown_cmark::{html, Options, Parser};
    let opts = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES;
    let mut s = String::new();
    html::push_html(&mut s, Parser::new_ext(md, opts));
    s
}

#[test]
fn cjk_friendly_cases() {
    let snap_path = repo().join("tests/spec/cjk-friendly/markdown-it-cjk-friendly.snap");
    let snap = snapshot(&fs::read_to_string(&snap_path).unwrap_or_default());
    let file_of = |name: &str| match name {
        n if n.contains("Kana/Han") => Some("strong.md"),
        n if n.contains("Korean") => Some("korean.md"),
        n if n.contains("pseudo-emoji") => Some("pseudo-emoji.md"),
        n if n.contains("underscores") => Some("underscore-cjk-punct.md"),
        n if n.contains("non-BMP") => Some("non-bmp.md"),
        _ => None, // "Example Markdown in README": its input is not among the test cases.
    };
    let mut cases: Vec<(&str, Vec<String>)> = snap
        .iter()
        .filter_map(|(name, html)| Some((file_of(name)?, html_blocks(html))))
        .collect();
    assert_eq!(cases.len(), 5, "snapshot entries found: {snap:?}");
    // Strikethrough next to CJK: the reference plugin's rendering, stored beside the cases.
    let strike = fs::read_to_string(repo().join("tests/spec/cjk-friendly/gfm-strikethrough.html"))
        .unwrap_or_default();
    cases.push(("gfm-strikethrough.md", html_blocks(&strike)));
    // Strikethrough without CJK: exactly what GFM (pulldown-cmark unchanged) makes of it.
    let non_cjk =
        fs::read_to_string(repo().join("tests/spec/cjk-friendly/testcases/gfm-non-cjk.md"))
            .unwrap_or_default();
    // Except one: pulldown-cmark 0.13.6 strikes `a~~()a~~a`, but its first run is not
    // left-flanking, so GFM (cmark-gfm) and the reference plugin leave it as text.
    let gfm = |b: &String| match b.as_str() {
        "a~~()a~~a\n" => "<p>a~~()a~~a</p>\n".to_string(),
        _ => plain_pulldown(b),
    };
    cases.push((
        "gfm-non-cjk.md",
        md_blocks(&non_cjk).iter().map(gfm).collect(),
    ));
    let (mut passed, mut total, mut failures) = (0, 0, Vec::new());
    for (file, expected) in &cases {
        let (p, f) = compare_blocks(file, expected);
        passed += p;
        total += expected.len();
        failures.extend(f);
    }
    eprintln!("CJK-friendly test cases: {passed}/{total} pass");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
