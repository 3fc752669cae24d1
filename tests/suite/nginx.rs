//! The nginx configuration of docs/deploy.md, as it is written there, serving the example site
//! built with `--compress` from Debian's nginx on 127.0.0.1: every page and file linked from
//! any page answers 200, with the documented headers; gzip copies are sent to browsers that
//! take them; a missing path is Herald's 404 page with status 404; hidden files are not served.
//!
//! Needs `/usr/sbin/nginx` (`scripts/install-test-deps` installs Debian's nginx); without it
//! the test fails saying so, unless `HERALD_SKIP_NGINX=1`.

use std::collections::{BTreeSet, VecDeque};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::serve::{free_port, request_with, Response};
use super::util::*;

const NGINX: &str = "/usr/sbin/nginx";

/// The server block between the markers of docs/deploy.md, with its `listen` and `root` set.
fn documented_server(port: u16, root: &Path) -> String {
    let doc = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/deploy.md"))
        .expect("read docs/deploy.md");
    let block = doc
        .split("<!-- nginx.conf begin -->")
        .nth(1)
        .and_then(|r| r.split("<!-- nginx.conf end -->").next())
        .expect("docs/deploy.md has the nginx.conf markers");
    let conf: String = block
        .lines()
        .filter(|l| !l.starts_with("```"))
        .collect::<Vec<_>>()
        .join("\n");
    assert!(conf.contains("listen 80;") && conf.contains("root /var/www/herald;"));
    conf.replace("listen 80;", &format!("listen 127.0.0.1:{port};"))
        .replace(
            "root /var/www/herald;",
            &format!("root {};", root.display()),
        )
}

struct Nginx {
    child: Child,
    dir: PathBuf,
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Nginx {
    fn start(dir: &Path, server: &str, port: u16) -> Nginx {
        std::fs::create_dir_all(dir.join("tmp")).expect("mkdir");
        let root = Command::new("id")
            .arg("-u")
            .output()
            .is_ok_and(|o| o.stdout == b"0\n");
        let conf = format!(
            "{user}daemon off;\nworker_processes 1;\npid {d}/nginx.pid;\nerror_log {d}/error.log;\n\
             events {{ worker_connections 64; }}\n\
             http {{\n include /etc/nginx/mime.types;\n default_type application/octet-stream;\n access_log off;\n\
             client_body_temp_path {d}/tmp/body;\n proxy_temp_path {d}/tmp/proxy;\n{server}\n}}\n",
            // As root, the workers would run as nobody, who cannot enter the test's folder.
            user = if root { "user root;\n" } else { "" },
            d = dir.display(),
        );
        let conf_path = dir.join("nginx.conf");
        std::fs::write(&conf_path, conf).expect("write nginx.conf");
        let child = Command::new(NGINX)
            .arg("-p")
            .arg(dir)
            .arg("-e")
            .arg(dir.join("error.log"))
            .arg("-c")
            .arg(&conf_path)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start nginx");
        let mut nginx = Nginx {
            child,
            dir: dir.to_path_buf(),
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            if let Ok(Some(status)) = nginx.child.try_wait() {
                let mut err = String::new();
                if let Some(mut e) = nginx.child.stderr.take() {
                    let _ = e.read_to_string(&mut err);
                }
                panic!("nginx exited with {status}: {err}\n{}", nginx.log());
            }
            assert!(
                Instant::now() < deadline,
                "nginx did not listen on {port}\n{}",
                nginx.log()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        nginx
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join("error.log")).unwrap_or_default()
    }
}

/// A path as it goes on the request line: non-ASCII bytes and spaces percent-encoded.
fn encoded(path: &str) -> String {
    let mut out = String::new();
    for b in path.bytes() {
        if b.is_ascii_graphic() {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `href` of the page at `page` (a path) as a path of the site, or `None` for another host,
/// `mailto:` and the like.
fn resolve(page: &str, href: &str) -> Option<String> {
    let href = href.split('#').next()?;
    if href.is_empty() || href.starts_with("//") || href.contains(':') {
        return None;
    }
    let joined = if href.starts_with('/') {
        href.to_string()
    } else {
        let dir = &page[..page.rfind('/').map_or(0, |i| i + 1)];
        format!("{dir}{href}")
    };
    let mut parts: Vec<&str> = Vec::new();
    for p in joined.split('/').skip(1) {
        match p {
            "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    Some(format!("/{}", parts.join("/")))
}

fn get(port: u16, path: &str, gzip: bool) -> Response {
    let extra = if gzip {
        "Accept-Encoding: gzip\r\n"
    } else {
        ""
    };
    request_with(port, "GET", &encoded(path), extra).unwrap_or_else(|e| panic!("GET {path}: {e}"))
}

#[test]
fn the_documented_nginx_configuration_serves_every_page_and_file() {
    if std::env::var("HERALD_SKIP_NGINX").is_ok_and(|v| v == "1") {
        eprintln!("HERALD_SKIP_NGINX=1: nginx test skipped");
        return;
    }
    assert!(
        Path::new(NGINX).is_file(),
        "the nginx test needs Debian's nginx: run scripts/install-test-deps (or set HERALD_SKIP_NGINX=1)"
    );
    let site = super::browser::example_site_with_a_photo();
    let www = site.scratch().join("www");
    let out = site.build_with(&["--compress", "--output", www.to_str().expect("utf-8")]);
    assert!(out.exists("index.html.gz") && out.exists("404.html.gz"));
    let port = free_port();
    let nginx = Nginx::start(
        &site.scratch().join("nginx"),
        &documented_server(port, &www),
        port,
    );

    // Crawl from the home page: every link, stylesheet, script and image of every page.
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut queue: VecDeque<(String, String)> =
        VecDeque::from([("/".to_string(), "start".to_string())]);
    let mut broken = Vec::new();
    let (mut pages, mut files) = (0, 0);
    while let Some((path, from)) = queue.pop_front() {
        if !seen.insert(path.clone()) {
            continue;
        }
        let r = get(port, &path, false);
        if r.status != 200 {
            broken.push(format!("{path} (linked from {from}): {}", r.status));
            continue;
        }
        let cache = r.header("cache-control").unwrap_or("").to_string();
        let kind = r.header("content-type").unwrap_or("").to_string();
        if !kind.starts_with("text/html") {
            files += 1;
            let name = path.rsplit('/').next().unwrap_or("");
            let fingerprinted = name
                .split('.')
                .any(|p| p.len() == 10 && p.chars().all(|c| c.is_ascii_hexdigit()));
            let want = if fingerprinted {
                "public, max-age=31536000, immutable"
            } else if [".jpg", ".webp", ".png", ".svg"]
                .iter()
                .any(|e| name.ends_with(e))
            {
                "public, max-age=86400"
            } else {
                "public, max-age=300"
            };
            assert_eq!(cache, want, "{path}");
            continue;
        }
        pages += 1;
        assert_eq!(kind, "text/html; charset=utf-8", "{path}");
        assert_eq!(cache, "public, max-age=300", "{path}");
        let html = scraper::Html::parse_document(&r.text());
        let mut links: Vec<String> = Vec::new();
        for (css, attr) in [
            ("a[href]", "href"),
            ("link[href]", "href"),
            ("script[src]", "src"),
            ("img[src]", "src"),
        ] {
            links.extend(
                html.select(&sel(css))
                    .filter_map(|e| e.value().attr(attr).map(String::from)),
            );
        }
        for e in html.select(&sel("[srcset]")) {
            let set = e.value().attr("srcset").unwrap_or("");
            links.extend(
                set.split(',')
                    .filter_map(|c| c.split_whitespace().next())
                    .map(String::from),
            );
        }
        for l in links {
            if let Some(p) = resolve(&path, &l) {
                if !seen.contains(&p) {
                    queue.push_back((p, path.clone()));
                }
            }
        }
    }
    assert!(
        broken.is_empty(),
        "broken links through nginx:\n{}\n{}",
        broken.join("\n"),
        nginx.log()
    );
    eprintln!("nginx crawl: {pages} pages and {files} other files, all 200");
    assert!(pages > 20 && files > 5, "{pages} pages, {files} files");
    assert!(seen
        .iter()
        .any(|p| p.ends_with("hall-480w.webp") || p.ends_with("hall.jpg")));
    assert!(seen
        .iter()
        .any(|p| p.starts_with("/css/style.") && p.len() > "/css/style.css".len()));

    // The precompressed copy, to a browser that takes gzip.
    let plain = get(port, "/", false);
    let zipped = get(port, "/", true);
    assert_eq!(zipped.header("content-encoding"), Some("gzip"));
    assert_eq!(zipped.header("vary"), Some("Accept-Encoding"));
    assert_eq!(
        zipped.body,
        out.read_bytes("index.html.gz"),
        "not the file herald wrote"
    );
    let mut unzipped = Vec::new();
    flate2::read::GzDecoder::new(&zipped.body[..])
        .read_to_end(&mut unzipped)
        .expect("gunzip");
    assert_eq!(unzipped, plain.body);
    let css = seen
        .iter()
        .find(|p| p.starts_with("/css/style.") && p.ends_with(".css"))
        .cloned()
        .unwrap_or_default();
    assert_eq!(
        get(port, &css, true).header("content-encoding"),
        Some("gzip"),
        "{css}"
    );

    // A missing path: Herald's 404 page, status 404. Hidden files: 404.
    let missing = get(port, "/no/such/page/", false);
    assert_eq!(missing.status, 404);
    assert_eq!(missing.body, out.read_bytes("404.html"));
    for hidden in ["/.herald", "/.herald-manifest.json", "/cases/.hidden"] {
        assert_eq!(get(port, hidden, false).status, 404, "{hidden}");
    }
    assert!(out.exists(".herald"));
}
