//! Fixture sites in temporary folders, running the real `herald` binary, and reading what it
//! wrote: HTML through scraper, XML through a small well-formedness check, whole folders as
//! byte snapshots.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::rc::Rc;

use scraper::{ElementRef, Html, Selector};

pub const HERALD: &str = env!("CARGO_BIN_EXE_herald");

/// The `site.yaml` of `Site::new()`. An absolute base URL, so canonical links, the feed and
/// the sitemap have something to be absolute about.
pub const SITE_YAML: &str =
    "title: 测试站\ndescription: 集成测试用的站点\nbase_url: https://example.org/\n";

/// A site in a temporary folder: `<tmp>/site/`. The folder around it (`scratch()`) is also
/// the test's own, so an output folder "next to the site" or "the parent of the site" never
/// touches anything real.
pub struct Site {
    tmp: Rc<tempfile::TempDir>,
    root: PathBuf,
}

impl Site {
    /// A site with `SITE_YAML` and nothing else (no `themes/`: the embedded theme is used).
    pub fn new() -> Site {
        Site::empty().file("site.yaml", SITE_YAML)
    }

    /// An empty site folder, not even a `site.yaml`.
    pub fn empty() -> Site {
        let tmp = tempfile::Builder::new()
            .prefix("herald-test-")
            .tempdir()
            .expect("create a temporary folder");
        let root = tmp.path().join("site");
        std::fs::create_dir_all(&root).expect("create the site folder");
        Site {
            tmp: Rc::new(tmp),
            root,
        }
    }

    /// Writes (or overwrites) a file of the site; folders are created as needed.
    pub fn file(self, rel: &str, text: &str) -> Site {
        self.write(rel, text);
        self
    }

    pub fn bytes(self, rel: &str, bytes: &[u8]) -> Site {
        self.write_bytes(rel, bytes);
        self
    }

    pub fn write(&self, rel: &str, text: &str) {
        self.write_bytes(rel, text.as_bytes());
    }

    pub fn write_bytes(&self, rel: &str, bytes: &[u8]) {
        let path = self.root.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create folder");
        }
        std::fs::write(&path, bytes).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
    }

    pub fn remove(&self, rel: &str) {
        let path = self.root.join(rel);
        std::fs::remove_file(&path).unwrap_or_else(|e| panic!("remove {}: {e}", path.display()));
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn root_str(&self) -> &str {
        self.root.to_str().expect("temporary paths are UTF-8")
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    /// The temporary folder that holds the site folder.
    pub fn scratch(&self) -> &Path {
        self.tmp.path()
    }

    /// The default output folder, whether or not it exists.
    pub fn output(&self) -> Built {
        Built {
            dir: self.root.join("output"),
            _keep: Some(self.tmp.clone()),
        }
    }

    /// `herald --lang <lang> <args…>`, run from the site folder.
    pub fn herald(&self, lang: &str, args: &[&str]) -> Run {
        run_herald(&self.root, lang, args)
    }

    /// `herald --lang en build --root <site> <extra…>`.
    pub fn try_build(&self, extra: &[&str]) -> Run {
        self.try_build_lang("en", extra)
    }

    pub fn try_build_lang(&self, lang: &str, extra: &[&str]) -> Run {
        let mut args = vec!["build", "--root", self.root_str()];
        args.extend_from_slice(extra);
        self.herald(lang, &args)
    }

    /// Builds and insists that it worked.
    pub fn build(&self) -> Built {
        self.build_with(&[])
    }

    pub fn build_with(&self, extra: &[&str]) -> Built {
        self.try_build(extra).assert_ok();
        let dir = extra
            .iter()
            .position(|a| *a == "--output" || *a == "-o")
            .and_then(|i| extra.get(i + 1))
            .map(PathBuf::from)
            .unwrap_or_else(|| self.root.join("output"));
        Built {
            dir,
            _keep: Some(self.tmp.clone()),
        }
    }

    /// Builds and insists that it failed cleanly (non-zero exit, a message, no panic).
    pub fn build_fails(&self) -> Run {
        let run = self.try_build(&[]);
        run.assert_failed_cleanly();
        run
    }

    pub fn build_fails_lang(&self, lang: &str) -> Run {
        let run = self.try_build_lang(lang, &[]);
        run.assert_failed_cleanly();
        run
    }

    /// `herald --lang en check --root <site>`.
    pub fn check(&self) -> Run {
        self.herald("en", &["check", "--root", self.root_str()])
    }
}

pub fn run_herald(cwd: &Path, lang: &str, args: &[&str]) -> Run {
    run_herald_env(cwd, lang, args, &[])
}

/// `run_herald` with extra environment variables for the child only.
pub fn run_herald_env(cwd: &Path, lang: &str, args: &[&str], env: &[(&str, &Path)]) -> Run {
    let mut cmd = Command::new(HERALD);
    cmd.arg("--lang").arg(lang).args(args).current_dir(cwd);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("cannot run {HERALD}: {e}"));
    Run {
        command: format!("herald --lang {lang} {}", args.join(" ")),
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// What one run of `herald` did.
pub struct Run {
    pub command: String,
    /// `None` when killed by a signal.
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn ok(&self) -> bool {
        self.code == Some(0)
    }

    fn show(&self) -> String {
        format!(
            "`{}` exited with {:?}\n--- stdout ---\n{}\n--- stderr ---\n{}",
            self.command, self.code, self.stdout, self.stderr
        )
    }

    pub fn assert_ok(&self) -> &Run {
        assert!(self.ok(), "expected success:\n{}", self.show());
        assert!(
            !self.stderr.contains("panicked"),
            "panicked:\n{}",
            self.show()
        );
        self
    }

    /// Non-zero exit, a message on stderr, and never a panic or a signal.
    pub fn assert_failed_cleanly(&self) -> &Run {
        assert!(self.code.is_some(), "killed by a signal:\n{}", self.show());
        assert_ne!(self.code, Some(0), "expected a failure:\n{}", self.show());
        assert!(
            !self.stderr.contains("panicked"),
            "panicked instead of reporting:\n{}",
            self.show()
        );
        assert!(
            !self.stderr.contains("RUST_BACKTRACE"),
            "panicked instead of reporting:\n{}",
            self.show()
        );
        assert!(
            !self.stderr.trim().is_empty(),
            "failed without saying why:\n{}",
            self.show()
        );
        self
    }

    pub fn assert_stderr_has(&self, needle: &str) -> &Run {
        assert!(
            self.stderr.contains(needle),
            "stderr should contain {needle:?}:\n{}",
            self.show()
        );
        self
    }

    pub fn assert_stderr_lacks(&self, needle: &str) -> &Run {
        assert!(
            !self.stderr.contains(needle),
            "stderr should not contain {needle:?}:\n{}",
            self.show()
        );
        self
    }

    /// `path:line` (optionally `:col`) appears, as a compiler would print it.
    pub fn assert_points_at(&self, path: &str, line: usize) -> &Run {
        let needle = format!("{path}:{line}");
        let found = self.stderr.match_indices(&needle).any(|(i, _)| {
            // `a.md:3` must not match `a.md:31`.
            !self.stderr[i + needle.len()..].starts_with(|c: char| c.is_ascii_digit())
        });
        assert!(found, "stderr should point at {needle}:\n{}", self.show());
        self
    }

    /// `path:<some line>`: the file and a line number, whichever line it is.
    pub fn assert_points_into(&self, path: &str) -> &Run {
        let needle = format!("{path}:");
        let found = self.stderr.match_indices(&needle).any(|(i, _)| {
            self.stderr[i + needle.len()..].starts_with(|c: char| c.is_ascii_digit() && c != '0')
        });
        assert!(found, "stderr should name {path}:<line>:\n{}", self.show());
        self
    }
}

/// An output folder. It keeps the temporary folder of its site alive, so
/// `Site::new()…build()` can be used in one expression.
pub struct Built {
    pub dir: PathBuf,
    pub _keep: Option<Rc<tempfile::TempDir>>,
}

impl Built {
    /// An output folder that is not part of a `Site` (e.g. made by `herald init`).
    pub fn at(dir: PathBuf) -> Built {
        Built { dir, _keep: None }
    }
}

/// `/cases/a/` → `cases/a/index.html`, `/404.html` → `404.html`, `/` → `index.html`.
pub fn url_to_file(url: &str) -> String {
    let rel = url.trim_start_matches('/');
    if rel.is_empty() || rel.ends_with('/') {
        format!("{rel}index.html")
    } else {
        rel.to_string()
    }
}

impl Built {
    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.join(rel)
    }

    pub fn exists(&self, rel: &str) -> bool {
        self.dir.join(rel).exists()
    }

    /// True if the URL has a page in the output.
    pub fn has_page(&self, url: &str) -> bool {
        self.dir.join(url_to_file(url)).is_file()
    }

    pub fn read(&self, rel: &str) -> String {
        let path = self.dir.join(rel);
        std::fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!(
                "cannot read {}: {e}\noutput has:\n{}",
                path.display(),
                self.files().join("\n")
            )
        })
    }

    pub fn read_bytes(&self, rel: &str) -> Vec<u8> {
        let path = self.dir.join(rel);
        std::fs::read(&path).unwrap_or_else(|e| {
            panic!(
                "cannot read {}: {e}\noutput has:\n{}",
                path.display(),
                self.files().join("\n")
            )
        })
    }

    /// The HTML page at a URL path of the site.
    pub fn page(&self, url: &str) -> Page {
        let source = self.read(&url_to_file(url));
        Page {
            url: url.to_string(),
            doc: Html::parse_document(&source),
            source,
        }
    }

    /// Every file in the output, relative, with `/`, sorted.
    pub fn files(&self) -> Vec<String> {
        snapshot(&self.dir)
            .into_keys()
            .filter(|k| !k.ends_with('/'))
            .collect()
    }
}

pub fn sel(css: &str) -> Selector {
    Selector::parse(css).unwrap_or_else(|e| panic!("bad selector {css:?}: {e:?}"))
}

/// Whitespace runs collapsed to one space, trimmed: text as a reader sees it.
pub fn norm(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

pub fn text_of(el: ElementRef) -> String {
    norm(&el.text().collect::<String>())
}

/// The text exactly as in the HTML (no whitespace folding).
pub fn raw_text_of(el: ElementRef) -> String {
    el.text().collect()
}

/// A parsed HTML page of the output.
pub struct Page {
    pub url: String,
    pub doc: Html,
    pub source: String,
}

impl Page {
    fn context(&self) -> String {
        let main = self
            .doc
            .select(&sel("main"))
            .next()
            .map(|m| m.html())
            .unwrap_or_else(|| self.source.clone());
        let cut: String = main.chars().take(4000).collect();
        format!("page {}:\n{cut}", self.url)
    }

    pub fn all(&self, css: &str) -> Vec<ElementRef<'_>> {
        self.doc.select(&sel(css)).collect()
    }

    pub fn has(&self, css: &str) -> bool {
        self.doc.select(&sel(css)).next().is_some()
    }

    pub fn count(&self, css: &str) -> usize {
        self.doc.select(&sel(css)).count()
    }

    pub fn one(&self, css: &str) -> ElementRef<'_> {
        self.doc
            .select(&sel(css))
            .next()
            .unwrap_or_else(|| panic!("no element matches {css:?} on {}", self.context()))
    }

    /// Normalised text of the first match.
    pub fn text(&self, css: &str) -> String {
        text_of(self.one(css))
    }

    pub fn texts(&self, css: &str) -> Vec<String> {
        self.all(css).into_iter().map(text_of).collect()
    }

    pub fn attr(&self, css: &str, name: &str) -> String {
        let el = self.one(css);
        el.value()
            .attr(name)
            .unwrap_or_else(|| panic!("{css:?} has no attribute {name:?} on {}", self.context()))
            .to_string()
    }

    pub fn attrs(&self, css: &str, name: &str) -> Vec<String> {
        self.all(css)
            .into_iter()
            .filter_map(|e| e.value().attr(name).map(str::to_string))
            .collect()
    }

    /// The text of `<main>`: what the reader reads, without header and footer.
    pub fn main_text(&self) -> String {
        self.text("main")
    }

    /// `href`s of links under `scope` (a CSS selector), in document order, without repeats.
    pub fn links_in(&self, scope: &str) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for h in self.attrs(&format!("{scope} a[href]"), "href") {
            if !out.contains(&h) {
                out.push(h);
            }
        }
        out
    }

    /// Asserts that the page links to `href` somewhere in `<main>`.
    pub fn assert_links_to(&self, href: &str) {
        assert!(
            self.has(&format!("main a[href=\"{href}\"]")),
            "no link to {href} in <main>; links there: {:?}\n{}",
            self.links_in("main"),
            self.context()
        );
    }

    pub fn assert_main_contains(&self, text: &str) {
        let main = self.main_text();
        assert!(
            main.contains(text),
            "<main> of {} should contain {text:?}; it reads:\n{main}",
            self.url
        );
    }

    pub fn assert_main_lacks(&self, text: &str) {
        let main = self.main_text();
        assert!(
            !main.contains(text),
            "<main> of {} should not contain {text:?}; it reads:\n{main}",
            self.url
        );
    }
}

// ---------------------------------------------------------------- fixture text

/// A report: `title` and `date` plus `extra` front matter lines, then the body.
/// The smallest whole site: one brand (`sanjia`) and one report of it (`cases/a.md`).
pub fn one_report_site() -> Site {
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

pub fn report(title: &str, date: &str, extra: &str, body: &str) -> String {
    format!(
        "---\ntitle: {title}\ndate: {date}\n{}---\n\n{body}\n",
        lines(extra)
    )
}

/// A brand file: `name` plus `extra` front matter lines, then the body.
pub fn brand(name: &str, extra: &str, body: &str) -> String {
    format!("---\nname: {name}\n{}---\n\n{body}\n", lines(extra))
}

/// An ordinary page (`about.md`): only a title.
pub fn plain_page(title: &str, body: &str) -> String {
    format!("---\ntitle: {title}\n---\n\n{body}\n")
}

fn lines(extra: &str) -> String {
    if extra.is_empty() || extra.ends_with('\n') {
        extra.to_string()
    } else {
        format!("{extra}\n")
    }
}

// ---------------------------------------------------------------- folders

/// Every file (with its bytes) and folder (key ending in `/`, no bytes) under `dir`,
/// relative, sorted. Empty if `dir` does not exist.
pub fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let path = e.path();
            let rel = path
                .strip_prefix(base)
                .expect("under base")
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            let ft = e.file_type().expect("file type");
            if ft.is_dir() {
                out.insert(format!("{rel}/"), Vec::new());
                walk(base, &path, out);
            } else {
                out.insert(rel, std::fs::read(&path).unwrap_or_default());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// Every file under `dir` (links not followed into folders), in no particular order.
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(files_under(&p));
            } else {
                out.push(p);
            }
        }
    }
    out
}

/// Asserts two snapshots are identical, naming the first differences.
pub fn assert_same_tree<V: PartialEq>(
    before: &BTreeMap<String, V>,
    after: &BTreeMap<String, V>,
    what: &str,
) {
    if before == after {
        return;
    }
    let gone: Vec<&String> = before.keys().filter(|k| !after.contains_key(*k)).collect();
    let added: Vec<&String> = after.keys().filter(|k| !before.contains_key(*k)).collect();
    let changed: Vec<&String> = before
        .iter()
        .filter(|(k, v)| after.get(*k).is_some_and(|w| w != *v))
        .map(|(k, _)| k)
        .collect();
    panic!("{what} changed:\n  removed: {gone:?}\n  added: {added:?}\n  modified: {changed:?}");
}

// ---------------------------------------------------------------- XML

/// Checks that `xml` is well-formed: one root element, balanced and properly nested tags,
/// quoted attributes, no stray `<` or `&` in text. (No XML parser is a dev-dependency.)
pub fn assert_well_formed_xml(xml: &str) {
    let mut stack: Vec<String> = Vec::new();
    let mut roots = 0;
    let mut rest = xml.trim_start_matches('\u{feff}');
    let mut seen_root_end = false;
    loop {
        let Some(lt) = rest.find('<') else {
            check_text(rest, !stack.is_empty(), xml);
            break;
        };
        check_text(&rest[..lt], !stack.is_empty(), xml);
        rest = &rest[lt..];
        let skip = |rest: &mut &str, end: &str| {
            let i = rest
                .find(end)
                .unwrap_or_else(|| panic!("unterminated {end:?} in XML:\n{xml}"));
            *rest = &rest[i + end.len()..];
        };
        if rest.starts_with("<?") {
            skip(&mut rest, "?>");
        } else if rest.starts_with("<!--") {
            skip(&mut rest, "-->");
        } else if rest.starts_with("<![CDATA[") {
            assert!(!stack.is_empty(), "CDATA outside the root element:\n{xml}");
            skip(&mut rest, "]]>");
        } else if rest.starts_with("<!") {
            skip(&mut rest, ">");
        } else if let Some(after) = rest.strip_prefix("</") {
            let end = after
                .find('>')
                .unwrap_or_else(|| panic!("unterminated end tag in XML:\n{xml}"));
            let name = after[..end].trim();
            let open = stack
                .pop()
                .unwrap_or_else(|| panic!("</{name}> closes nothing in XML:\n{xml}"));
            assert_eq!(open, name, "<{open}> closed by </{name}> in XML:\n{xml}");
            if stack.is_empty() {
                seen_root_end = true;
            }
            rest = &after[end + 1..];
        } else {
            // A start tag: find its `>` outside quoted attribute values.
            let bytes = rest.as_bytes();
            let mut quote: Option<u8> = None;
            let mut end = None;
            for (i, &b) in bytes.iter().enumerate().skip(1) {
                match quote {
                    Some(q) if b == q => quote = None,
                    Some(_) => assert!(b != b'<', "`<` inside an attribute value in XML:\n{xml}"),
                    None if b == b'"' || b == b'\'' => quote = Some(b),
                    None if b == b'>' => {
                        end = Some(i);
                        break;
                    }
                    None => {}
                }
            }
            let end = end.unwrap_or_else(|| panic!("unterminated start tag in XML:\n{xml}"));
            let inner = &rest[1..end];
            let self_closing = inner.ends_with('/');
            let inner = inner.trim_end_matches('/');
            let name: String = inner.chars().take_while(|c| !c.is_whitespace()).collect();
            assert!(!name.is_empty(), "empty tag name in XML:\n{xml}");
            check_attributes(&inner[name.len()..], xml);
            assert!(
                !seen_root_end,
                "a second root element <{name}> in XML:\n{xml}"
            );
            if stack.is_empty() {
                roots += 1;
            }
            if !self_closing {
                stack.push(name);
            } else if stack.is_empty() {
                seen_root_end = true;
            }
            rest = &rest[end + 1..];
        }
    }
    assert!(
        stack.is_empty(),
        "unclosed elements {stack:?} in XML:\n{xml}"
    );
    assert_eq!(roots, 1, "XML must have exactly one root element:\n{xml}");
}

fn check_text(text: &str, inside_root: bool, xml: &str) {
    if !inside_root {
        assert!(
            text.trim().is_empty(),
            "text {text:?} outside the root element in XML:\n{xml}"
        );
        return;
    }
    check_entities(text, xml);
}

fn check_entities(text: &str, xml: &str) {
    for (i, _) in text.match_indices('&') {
        let tail = &text[i + 1..];
        let semi = tail
            .find(';')
            .unwrap_or_else(|| panic!("bare `&` in XML text {text:?}:\n{xml}"));
        let entity = &tail[..semi];
        let known = matches!(entity, "amp" | "lt" | "gt" | "quot" | "apos")
            || entity
                .strip_prefix("#x")
                .is_some_and(|h| !h.is_empty() && h.chars().all(|c| c.is_ascii_hexdigit()))
            || entity
                .strip_prefix('#')
                .is_some_and(|d| !d.is_empty() && d.chars().all(|c| c.is_ascii_digit()));
        assert!(known, "unknown entity &{entity}; in XML:\n{xml}");
    }
}

fn check_attributes(attrs: &str, xml: &str) {
    let mut rest = attrs.trim();
    while !rest.is_empty() {
        let eq = rest
            .find('=')
            .unwrap_or_else(|| panic!("attribute without value in {attrs:?}:\n{xml}"));
        let name = rest[..eq].trim();
        assert!(
            !name.is_empty() && !name.contains(char::is_whitespace),
            "bad attribute name in {attrs:?}:\n{xml}"
        );
        let value = rest[eq + 1..].trim_start();
        let q = value.chars().next().unwrap_or(' ');
        assert!(
            q == '"' || q == '\'',
            "unquoted attribute value in {attrs:?}:\n{xml}"
        );
        let close = value[1..]
            .find(q)
            .unwrap_or_else(|| panic!("unterminated attribute in {attrs:?}:\n{xml}"));
        check_entities(&value[1..1 + close], xml);
        rest = value[1 + close + 1..].trim_start();
    }
}

/// The text content of every `<name>…</name>` (not nested in itself), entities decoded.
pub fn xml_texts(xml: &str, name: &str) -> Vec<String> {
    let open = format!("<{name}>");
    let open_attr = format!("<{name} ");
    let close = format!("</{name}>");
    let mut out = Vec::new();
    let mut rest = xml;
    loop {
        let start = match (rest.find(&open), rest.find(&open_attr)) {
            (Some(a), Some(b)) => a.min(b),
            (Some(a), None) | (None, Some(a)) => a,
            (None, None) => break,
        };
        let after = &rest[start..];
        let Some(gt) = after.find('>') else { break };
        if after[..gt].ends_with('/') {
            out.push(String::new());
            rest = &after[gt + 1..];
            continue;
        }
        let body = &after[gt + 1..];
        let Some(end) = body.find(&close) else { break };
        out.push(unescape_xml(&body[..end]));
        rest = &body[end + close.len()..];
    }
    out
}

/// Every `<name …>` element's source, self-closing or not (for attributes).
pub fn xml_blocks<'a>(xml: &'a str, name: &str) -> Vec<&'a str> {
    let open = format!("<{name}");
    let close = format!("</{name}>");
    let mut out = Vec::new();
    let mut rest = xml;
    while let Some(start) = rest.find(&open) {
        let after = &rest[start..];
        let next = after[open.len()..].chars().next().unwrap_or(' ');
        if !(next == '>' || next == '/' || next.is_whitespace()) {
            rest = &after[open.len()..];
            continue;
        }
        let gt = after.find('>').unwrap_or(after.len() - 1);
        let end = if after[..gt].ends_with('/') {
            gt + 1
        } else {
            after.find(&close).map_or(after.len(), |e| e + close.len())
        };
        out.push(&after[..end]);
        rest = &after[end..];
    }
    out
}

/// The value of `attr` in the first tag of `element_source`.
pub fn xml_attr(element_source: &str, attr: &str) -> Option<String> {
    let tag_end = element_source.find('>')?;
    let tag = &element_source[..tag_end];
    let needle = format!(" {attr}=\"");
    let i = tag.find(&needle)? + needle.len();
    let end = tag[i..].find('"')?;
    Some(unescape_xml(&tag[i..i + end]))
}

pub fn unescape_xml(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// `%E4%B8%BB` → `主` (for URL fragments).
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Some(b) = std::str::from_utf8(&bytes[i + 1..i + 3])
                .ok()
                .and_then(|h| u8::from_str_radix(h, 16).ok())
            {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Where a browser goes for `href` on the page at `page_url` (both root-relative paths).
pub fn resolve_url(page_url: &str, href: &str) -> String {
    if href.starts_with('/') || href.contains("://") {
        return href.to_string();
    }
    let base = &page_url[..page_url.rfind('/').map_or(0, |i| i + 1)];
    let mut parts: Vec<&str> = base.split('/').filter(|p| !p.is_empty()).collect();
    for p in href.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    format!("/{}", parts.join("/"))
}

// ---------------------------------------------------------------- images

/// A real 64×48 JPEG (Herald decodes every photo it publishes, so a fixture's must be real).
pub fn tiny_jpeg() -> Vec<u8> {
    let img = image::RgbImage::from_fn(64, 48, |x, y| {
        image::Rgb([(x * 4) as u8, (y * 5) as u8, 90])
    });
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 80)
        .encode_image(&img)
        .expect("encode a JPEG");
    out
}

/// A real 64×48 PNG.
pub fn tiny_png() -> Vec<u8> {
    let img = image::RgbImage::from_fn(64, 48, |x, y| {
        image::Rgb([(x * 4) as u8, (y * 5) as u8, 90])
    });
    let mut out = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .expect("encode a PNG");
    out
}

/// Sets every file of the site two minutes into the past, so the cache may trust their
/// times (a file changed within the last moments is always read again).
pub fn age(site: &Site) {
    let past = std::time::SystemTime::now() - std::time::Duration::from_secs(120);
    for entry in files_under(site.root()) {
        if entry.starts_with(site.root().join("output"))
            || entry.starts_with(site.root().join(".herald"))
        {
            continue;
        }
        if let Ok(f) = std::fs::File::options().write(true).open(&entry) {
            let _ = f.set_modified(past);
        }
    }
}
