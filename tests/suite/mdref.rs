//! Shared by the Markdown conformance and differential tests: Herald's Markdown path called as
//! a library (the function a build renders every body with), the CommonMark normalizer
//! (`tests/spec/commonmark/normalize.py`, run with python3), and the reference renderer
//! (markdown-it 14 + markdown-it-cjk-friendly 3, `tests/browser/markdown_ref.mjs`, run with node).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use herald::error::Error;
use herald::markdown::{render, Input, Links};

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A site with no other files: links to `.md` files or files with an extension are broken.
pub struct NoFiles;
impl Links for NoFiles {
    fn page_url(&self, _: &str) -> Option<String> {
        None
    }
    fn asset_url(&self, _: &str) -> Option<String> {
        None
    }
    fn base_path(&self) -> &str {
        "/"
    }
}

/// The body HTML a build would write for `text` as `content/spec.md`.
pub fn herald_html(text: &str) -> Result<String, Vec<Error>> {
    let input = Input {
        text,
        file: Path::new("content/spec.md"),
        first_line: 1,
        dir: "",
    };
    render(&input, &NoFiles, None).map(|r| herald_to_plain(&r.html))
}

/// Undoes what Herald adds on purpose, so the HTML compares with a plain CommonMark renderer:
/// heading ids, and the highlighting of code blocks (`<pre class="hl" data-lang>` and spans).
pub fn herald_to_plain(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest.find('>').map_or(rest.len(), |e| e + 1);
        let tag = &rest[..end];
        if tag.len() > 3
            && tag.as_bytes()[1] == b'h'
            && (b'1'..=b'6').contains(&tag.as_bytes()[2])
            && tag[3..].starts_with(" id=\"")
        {
            out.push_str(&tag[..3]);
            out.push('>');
            rest = &rest[end..];
        } else if tag.starts_with("<pre class=\"hl\" data-lang=")
            || tag.starts_with("<pre data-lang=")
        {
            out.push_str("<pre>");
            rest = &rest[end..];
            // Inside a highlighted block every tag but <code> and </code> is a syntect span.
            let close = rest.find("</pre>").unwrap_or(rest.len());
            let body = &rest[..close];
            let mut b = body;
            while let Some(j) = b.find('<') {
                out.push_str(&b[..j]);
                let e = b[j..].find('>').map_or(b.len(), |e| j + e + 1);
                let t = &b[j..e];
                if t.starts_with("<code") || t == "</code>" {
                    out.push_str(t);
                }
                b = &b[e..];
            }
            out.push_str(b);
            rest = &rest[close..];
        } else {
            out.push_str(tag);
            rest = &rest[end..];
        }
    }
    out.push_str(rest);
    out
}

fn run_json(cmd: &mut Command, inputs: &[String]) -> Result<Vec<String>, String> {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start {cmd:?}: {e}"))?;
    let json = serde_json::to_string(inputs).map_err(|e| e.to_string())?;
    let mut stdin = child.stdin.take().ok_or("no stdin")?;
    // Written from a thread: the child may fill its stdout before reading all of stdin.
    let writer = std::thread::spawn(move || stdin.write_all(json.as_bytes()));
    let out = child.wait_with_output().map_err(|e| e.to_string())?;
    let _ = writer.join();
    if !out.status.success() {
        return Err(format!(
            "{cmd:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    serde_json::from_slice(&out.stdout).map_err(|e| e.to_string())
}

/// CommonMark's `normalize_html` over many strings at once.
pub fn normalize(html: &[String]) -> Vec<String> {
    let dir = repo().join("tests/spec/commonmark");
    let script = "import sys, json\nfrom normalize import normalize_html\n\
        print(json.dumps([normalize_html(h) for h in json.load(sys.stdin)]))";
    let mut cmd = Command::new("python3");
    cmd.arg("-c").arg(script).current_dir(dir);
    match run_json(&mut cmd, html) {
        // `"` and `&quot;` are the same text; the normalizer keeps them apart.
        Ok(v) => v.into_iter().map(|h| h.replace("&quot;", "\"")).collect(),
        Err(e) => panic!("the CommonMark normalizer needs python3: {e}"),
    }
}

/// Whether `scripts/install-test-deps` has installed the reference renderer.
pub fn reference_installed() -> bool {
    repo()
        .join("tests/browser/node_modules/markdown-it-cjk-friendly/package.json")
        .exists()
}

/// The reference rendering (markdown-it 14 + markdown-it-cjk-friendly 3), or why not.
pub fn reference(markdown: &[String]) -> Result<Vec<String>, String> {
    let dir = repo().join("tests/browser");
    if !reference_installed() {
        return Err("tests/browser/node_modules lacks markdown-it-cjk-friendly: run scripts/install-test-deps".into());
    }
    let mut cmd = Command::new("node");
    cmd.arg("markdown_ref.mjs").current_dir(dir);
    run_json(&mut cmd, markdown)
        // markdown-it writes GFM strikethrough as <s>, pulldown-cmark as <del>: same meaning.
        .map(|v| {
            v.into_iter()
                .map(|h| h.replace("<s>", "<del>").replace("</s>", "</del>"))
                .collect()
        })
}

/// Everything Herald renders for `text` (which must build).
pub fn herald_rendered(text: &str) -> herald::markdown::Rendered {
    let input = Input {
        text,
        file: Path::new("content/spec.md"),
        first_line: 1,
        dir: "",
    };
    match render(&input, &NoFiles, None) {
        Ok(r) => r,
        Err(e) => panic!("{e:?}"),
    }
}
