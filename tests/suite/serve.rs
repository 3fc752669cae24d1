//! `herald serve`, as a browser sees it: the real binary on a free loopback port, plain
//! HTTP/1.1 requests over `std::net`, and the live-reload event stream read by a thread that
//! timestamps every event. Every wait is bounded; the server is always killed.
//!
//! The harness (`Server`, `get`, `Sse`) is also used by the browser tests.

#![allow(dead_code)]

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use scraper::Html;

use super::util::*;

/// How long anything may take before a test gives up.
pub const WAIT: Duration = Duration::from_secs(10);

// ---------------------------------------------------------------- the server

/// A running `herald serve`, killed when dropped.
pub struct Server {
    child: Child,
    pub port: u16,
    stderr: Arc<Mutex<String>>,
}

/// A loopback port nobody listens on right now.
pub fn free_port() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").expect("bind a free port");
    l.local_addr().expect("local address").port()
}

impl Server {
    /// `herald --lang en serve --root <site> --port <free port>`.
    pub fn start(root: &Path) -> Server {
        Server::start_with(root, free_port(), &[])
    }

    /// Starts the server asking for `port` (it may pick another: the port it really uses is
    /// read from its `serving at` line) and waits until it answers.
    pub fn start_with(root: &Path, port: u16, extra: &[&str]) -> Server {
        Server::start_with_env(root, port, extra, &[])
    }

    /// `start_with`, with these environment variables set for the server.
    pub fn start_with_env(root: &Path, port: u16, extra: &[&str], env: &[(&str, &str)]) -> Server {
        let port_s = port.to_string();
        let root_s = root.to_str().expect("UTF-8 path");
        let mut args = vec!["--lang", "en", "serve", "--root", root_s, "--port", &port_s];
        args.extend_from_slice(extra);
        let mut child = Command::new(HERALD)
            .args(&args)
            .envs(env.iter().copied())
            .current_dir(root)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {HERALD}: {e}"));
        let stderr = Arc::new(Mutex::new(String::new()));
        let pipe = child.stderr.take().expect("piped stderr");
        let sink = stderr.clone();
        std::thread::spawn(move || {
            let mut r = BufReader::new(pipe);
            let mut line = String::new();
            while r.read_line(&mut line).map(|n| n > 0).unwrap_or(false) {
                sink.lock().unwrap().push_str(&line);
                line.clear();
            }
        });
        let mut server = Server {
            child,
            port: 0,
            stderr,
        };
        // Until it says where it serves (or dies).
        let deadline = Instant::now() + WAIT;
        loop {
            if let Some(p) = serving_port(&server.stderr()) {
                server.port = p;
                break;
            }
            if let Ok(Some(status)) = server.child.try_wait() {
                panic!(
                    "`herald {}` exited with {status} before serving:\n{}",
                    args.join(" "),
                    server.stderr()
                );
            }
            assert!(
                Instant::now() < deadline,
                "`herald {}` did not say where it serves within {WAIT:?}:\n{}",
                args.join(" "),
                server.stderr()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        // Until it answers.
        loop {
            match try_get(server.port, "/") {
                Ok(_) => break,
                Err(e) => assert!(
                    Instant::now() < deadline,
                    "the server on port {} does not answer: {e}\n{}",
                    server.port,
                    server.stderr()
                ),
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        // Until the start's check of every output (which runs while it answers) is done.
        if server.stderr().contains("site built (") {
            while !["every output checked", "error(s); shown in the browser"]
                .iter()
                .any(|s| server.stderr().contains(s))
            {
                assert!(
                    Instant::now() < deadline,
                    "the start's check did not end within {WAIT:?}:\n{}",
                    server.stderr()
                );
                std::thread::sleep(Duration::from_millis(10));
            }
        }
        server
    }

    /// Everything it printed on stderr so far.
    pub fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    pub fn get(&self, path: &str) -> Response {
        get(self.port, path)
    }

    /// The page at `path`, insisting on 200.
    pub fn page(&self, path: &str) -> Response {
        let r = self.get(path);
        assert_eq!(
            r.status,
            200,
            "GET {path} should be 200; got {}\n{}\n--- server stderr ---\n{}",
            r.status,
            r.excerpt(),
            self.stderr()
        );
        r
    }

    /// A new subscriber to the live-reload events.
    pub fn events(&self) -> Sse {
        Sse::connect(self.port)
    }

    /// The base URL, `http://127.0.0.1:P`.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// The lines `changed … → …` it printed (one per rebuild).
    pub fn rebuild_lines(&self) -> Vec<String> {
        self.stderr()
            .lines()
            .filter(|l| l.starts_with("changed "))
            .map(str::to_string)
            .collect()
    }

    /// Waits until stderr contains `needle`.
    pub fn wait_stderr(&self, needle: &str) -> String {
        let deadline = Instant::now() + WAIT;
        loop {
            let err = self.stderr();
            if err.contains(needle) {
                return err;
            }
            assert!(
                Instant::now() < deadline,
                "stderr should show {needle:?} within {WAIT:?}:\n{err}"
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// Waits until stderr has at least `n` rebuild lines.
    pub fn wait_rebuild_lines(&self, n: usize) -> Vec<String> {
        let deadline = Instant::now() + WAIT;
        loop {
            let lines = self.rebuild_lines();
            if lines.len() >= n {
                return lines;
            }
            assert!(
                Instant::now() < deadline,
                "expected {n} rebuild line(s) on stderr within {WAIT:?}:\n{}",
                self.stderr()
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The port of `serving at http://127.0.0.1:P/`.
fn serving_port(stderr: &str) -> Option<u16> {
    let line = stderr.lines().find(|l| l.starts_with("serving at "))?;
    let url = line.split_whitespace().nth(2)?;
    let hostport = url.strip_prefix("http://")?.trim_end_matches('/');
    hostport.rsplit_once(':')?.1.parse().ok()
}

// ---------------------------------------------------------------- HTTP

#[derive(Debug)]
pub struct Response {
    pub status: u16,
    /// Header names lower-cased.
    pub headers: HashMap<String, String>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .get(&name.to_ascii_lowercase())
            .map(String::as_str)
    }

    pub fn html(&self) -> Html {
        Html::parse_document(&self.text())
    }

    /// What a reader reads in `<main>` (the whole text if there is no `<main>`).
    pub fn main_text(&self) -> String {
        let doc = self.html();
        let main = doc.select(&sel("main")).next().map(text_of);
        main.unwrap_or_else(|| norm(&doc.root_element().text().collect::<String>()))
    }

    fn excerpt(&self) -> String {
        let t = self.text();
        let cut: String = t.chars().take(3000).collect();
        format!("headers: {:?}\nbody:\n{cut}", self.headers)
    }
}

/// `GET path` (sent exactly as written), `Connection: close`; panics if there is no answer.
pub fn get(port: u16, path: &str) -> Response {
    try_get(port, path).unwrap_or_else(|e| panic!("GET {path} on port {port}: {e}"))
}

pub fn try_get(port: u16, path: &str) -> std::io::Result<Response> {
    request(port, "GET", path)
}

/// One request with any method (a HEAD answer has no body to read).
pub fn request(port: u16, method: &str, path: &str) -> std::io::Result<Response> {
    request_with(port, method, path, "")
}

/// `request` with more header lines (each ending in `\r\n`).
pub fn request_with(
    port: u16,
    method: &str,
    path: &str,
    headers: &str,
) -> std::io::Result<Response> {
    let mut s = TcpStream::connect(("127.0.0.1", port))?;
    s.set_read_timeout(Some(WAIT))?;
    s.set_write_timeout(Some(WAIT))?;
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUser-Agent: herald-tests\r\n{headers}Content-Length: 0\r\nConnection: close\r\n\r\n"
    )?;
    let mut r = BufReader::new(s);
    let (status, headers) = read_head(&mut r)?;
    let mut body = Vec::new();
    if method == "HEAD" {
        // No body follows, whatever Content-Length says.
    } else if is_chunked(&headers) {
        Chunked::new(r).read_to_end(&mut body)?;
    } else if let Some(n) = headers.get("content-length").and_then(|v| v.parse().ok()) {
        body.resize(n, 0);
        r.read_exact(&mut body)?;
    } else {
        r.read_to_end(&mut body)?;
    }
    Ok(Response {
        status,
        headers,
        body,
    })
}

fn bad(msg: impl Into<String>) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidData, msg.into())
}

fn read_head(r: &mut impl BufRead) -> std::io::Result<(u16, HashMap<String, String>)> {
    let mut line = String::new();
    r.read_line(&mut line)?;
    let status = line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| bad(format!("bad status line {line:?}")))?;
    let mut headers = HashMap::new();
    loop {
        line.clear();
        if r.read_line(&mut line)? == 0 {
            return Err(bad("connection closed inside the headers"));
        }
        let l = line.trim_end();
        if l.is_empty() {
            break;
        }
        if let Some((k, v)) = l.split_once(':') {
            headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_string());
        }
    }
    Ok((status, headers))
}

fn is_chunked(headers: &HashMap<String, String>) -> bool {
    headers
        .get("transfer-encoding")
        .is_some_and(|v| v.to_ascii_lowercase().contains("chunked"))
}

/// `Transfer-Encoding: chunked`, decoded as the bytes arrive.
struct Chunked<R> {
    inner: R,
    left: usize,
    done: bool,
}

impl<R: BufRead> Chunked<R> {
    fn new(inner: R) -> Self {
        Chunked {
            inner,
            left: 0,
            done: false,
        }
    }
}

impl<R: BufRead> Read for Chunked<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.done || buf.is_empty() {
            return Ok(0);
        }
        if self.left == 0 {
            let mut line = String::new();
            if self.inner.read_line(&mut line)? == 0 {
                self.done = true;
                return Ok(0);
            }
            let size = line.trim().split(';').next().unwrap_or("").trim();
            let n = usize::from_str_radix(size, 16)
                .map_err(|_| bad(format!("bad chunk size {line:?}")))?;
            if n == 0 {
                self.done = true;
                return Ok(0);
            }
            self.left = n;
        }
        let want = buf.len().min(self.left);
        let got = self.inner.read(&mut buf[..want])?;
        if got == 0 {
            self.done = true;
            return Ok(0);
        }
        self.left -= got;
        if self.left == 0 {
            let mut crlf = String::new();
            self.inner.read_line(&mut crlf)?;
        }
        Ok(got)
    }
}

// ---------------------------------------------------------------- server-sent events

#[derive(Debug, Clone)]
pub struct Event {
    pub name: String,
    pub data: String,
    /// When the reader thread saw it.
    pub at: Instant,
}

/// One subscriber to `/__herald/events`; a thread reads the stream into a channel.
pub struct Sse {
    rx: Receiver<Event>,
    stream: TcpStream,
    /// Every event taken so far (for failure messages).
    pub seen: Vec<Event>,
}

impl Sse {
    pub fn connect(port: u16) -> Sse {
        let mut s = TcpStream::connect(("127.0.0.1", port))
            .unwrap_or_else(|e| panic!("connect to port {port}: {e}"));
        s.set_write_timeout(Some(WAIT)).unwrap();
        s.set_read_timeout(Some(WAIT)).unwrap();
        write!(
            s,
            "GET /__herald/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAccept: text/event-stream\r\n\r\n"
        )
        .expect("send the event-stream request");
        let mut r = BufReader::new(s.try_clone().expect("clone the stream"));
        let (status, headers) = read_head(&mut r).expect("event-stream response headers");
        assert_eq!(status, 200, "GET /__herald/events: {headers:?}");
        assert!(
            headers
                .get("content-type")
                .is_some_and(|v| v.starts_with("text/event-stream")),
            "/__herald/events is not an event stream: {headers:?}"
        );
        // Events may be minutes apart; the thread ends when the connection closes.
        s.set_read_timeout(None).unwrap();
        let chunked = is_chunked(&headers);
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let body: Box<dyn Read + Send> = if chunked {
                Box::new(Chunked::new(r))
            } else {
                Box::new(r)
            };
            let lines = BufReader::new(body);
            let (mut name, mut data): (String, Vec<String>) = (String::new(), Vec::new());
            for line in lines.lines() {
                let Ok(line) = line else { return };
                if line.is_empty() {
                    if !name.is_empty() || !data.is_empty() {
                        let ev = Event {
                            name: if name.is_empty() {
                                "message".into()
                            } else {
                                std::mem::take(&mut name)
                            },
                            data: std::mem::take(&mut data).join("\n"),
                            at: Instant::now(),
                        };
                        if tx.send(ev).is_err() {
                            return;
                        }
                    }
                    continue;
                }
                if line.starts_with(':') {
                    continue; // a comment (keep-alive)
                }
                let (field, value) = line.split_once(':').unwrap_or((line.as_str(), ""));
                let value = value.strip_prefix(' ').unwrap_or(value);
                match field {
                    "event" => name = value.to_string(),
                    "data" => data.push(value.to_string()),
                    _ => {}
                }
            }
        });
        Sse {
            rx,
            stream: s,
            seen: Vec::new(),
        }
    }

    /// The next event, or `None` after `timeout`.
    pub fn next_within(&mut self, timeout: Duration) -> Option<Event> {
        match self.rx.recv_timeout(timeout) {
            Ok(ev) => {
                self.seen.push(ev.clone());
                Some(ev)
            }
            Err(RecvTimeoutError::Timeout) => None,
            Err(RecvTimeoutError::Disconnected) => {
                panic!("the event stream closed; events so far: {:?}", self.names())
            }
        }
    }

    /// The next event; panics if none comes within `WAIT`.
    pub fn next(&mut self) -> Event {
        self.next_within(WAIT).unwrap_or_else(|| {
            panic!(
                "no event within {WAIT:?}; events so far: {:?}",
                self.names()
            )
        })
    }

    /// Skips events until one named `name` (panics on timeout).
    pub fn wait_for(&mut self, name: &str) -> Event {
        let deadline = Instant::now() + WAIT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.next_within(left) {
                Some(ev) if ev.name == name => return ev,
                Some(_) => {}
                None => panic!(
                    "no `{name}` event within {WAIT:?}; events so far: {:?}",
                    self.seen
                ),
            }
        }
    }

    /// Every event that arrives within `d` (no more waiting than that).
    pub fn drain_for(&mut self, d: Duration) -> Vec<Event> {
        let deadline = Instant::now() + d;
        let mut out = Vec::new();
        while let Some(ev) = self.next_within(deadline.saturating_duration_since(Instant::now())) {
            out.push(ev);
        }
        out
    }

    pub fn names(&self) -> Vec<String> {
        self.seen.iter().map(|e| e.name.clone()).collect()
    }
}

impl Drop for Sse {
    fn drop(&mut self) {
        let _ = self.stream.shutdown(Shutdown::Both);
    }
}

/// A subscriber that has received its greeting (so it will hear every later change).
pub fn subscribed(server: &Server) -> Sse {
    let mut sse = server.events();
    let first = sse.next();
    assert_eq!(
        first.name, "build-ok",
        "a new subscriber to a good site should hear build-ok first; got {first:?}"
    );
    sse
}

/// After an edit: waits for `reload` events until `path` serves `needle` (an edit may be seen
/// as more than one batch; each reload is checked). Panics on `build-error` or timeout.
pub fn reload_until(server: &Server, sse: &mut Sse, path: &str, needle: &str) -> Response {
    reload_until_check(server, sse, path, &format!("shows {needle:?}"), |r| {
        r.status == 200 && r.text().contains(needle)
    })
}

/// Waits for `reload` events until `check` holds on the response for `path`.
fn reload_until_check(
    server: &Server,
    sse: &mut Sse,
    path: &str,
    what: &str,
    check: impl Fn(&Response) -> bool,
) -> Response {
    let deadline = Instant::now() + WAIT;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let Some(ev) = sse.next_within(left) else {
            let now = server.get(path);
            panic!(
                "no reload after which {path} {what} within {WAIT:?}; events: {:?}\nGET {path}: {}\n{}\n--- server stderr ---\n{}",
                sse.seen,
                now.status,
                now.main_text(),
                server.stderr()
            );
        };
        match ev.name.as_str() {
            "reload" => {
                let r = server.get(path);
                if check(&r) {
                    return r;
                }
            }
            "build-error" => panic!(
                "the edit broke the build:\n{}\n--- server stderr ---\n{}",
                ev.data,
                server.stderr()
            ),
            _ => {}
        }
    }
}

// ---------------------------------------------------------------- fixtures

fn small_site() -> Site {
    Site::new()
        .file(
            "content/brands/sanjia.md",
            &brand("三家工作法", "slogan: 服务对象当家人", "品牌介绍。"),
        )
        .file("content/cases/_index.md", "---\ntitle: 案例\n---\n")
        .file(
            "content/cases/a.md",
            &report(
                "案例甲",
                "2022-01-01",
                "brand: sanjia",
                "原来的正文第一段。\n\n原来的正文第二段。",
            ),
        )
        .file(
            "content/cases/b.md",
            &report("案例乙", "2022-02-01", "brand: sanjia", "乙的正文。"),
        )
}

const SCRIPT: &str = "<script src=\"/__herald/live.js\"></script>";

// ---------------------------------------------------------------- serving

#[test]
fn serves_pages_with_the_live_script_redirects_and_the_themes_404() {
    let site = small_site();
    let server = Server::start(site.root());

    let home = server.page("/");
    assert_eq!(
        home.header("content-type"),
        Some("text/html; charset=utf-8"),
        "{:?}",
        home.headers
    );
    let text = home.text();
    assert_eq!(
        text.matches(SCRIPT).count(),
        1,
        "the home page should have the live script once:\n{text}"
    );
    let script_at = text.find(SCRIPT).unwrap();
    let body_end = text.rfind("</body>").expect("</body>");
    assert!(
        script_at < body_end && text[script_at + SCRIPT.len()..body_end].trim().is_empty(),
        "the live script should come right before </body>:\n{text}"
    );

    let page = server.page("/cases/a/");
    assert_eq!(
        page.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert!(
        page.main_text().contains("原来的正文第一段。"),
        "{}",
        page.main_text()
    );
    assert!(page.text().contains(SCRIPT));

    // Other HTML pages get it too: a brand and a list.
    for path in ["/brands/sanjia/", "/cases/", "/brands/"] {
        let r = server.page(path);
        assert!(r.text().contains(SCRIPT), "{path} lacks the live script");
    }

    // Not HTML: untouched.
    let css = server.page("/css/style.css");
    assert!(css
        .header("content-type")
        .is_some_and(|v| v.starts_with("text/css")));
    assert!(!css.text().contains("__herald"));
    let feed = server.page("/atom.xml");
    assert!(!feed.text().contains("__herald"), "the feed got the script");

    // The script itself.
    let js = server.page("/__herald/live.js");
    assert!(
        js.header("content-type")
            .is_some_and(|v| v.contains("javascript")),
        "{:?}",
        js.headers
    );
    assert!(js.text().contains("EventSource"));

    // `/cases/a` → `/cases/a/`.
    let r = server.get("/cases/a");
    assert!(
        matches!(r.status, 301 | 302 | 307 | 308),
        "/cases/a should redirect; got {}",
        r.status
    );
    assert_eq!(r.header("location"), Some("/cases/a/"));

    // A missing page: 404 with the theme's 404 page (and the live script, so it reloads too).
    for missing in ["/no/such/page/", "/cases/zzz/", "/nothing.html"] {
        let r = server.get(missing);
        assert_eq!(r.status, 404, "GET {missing}");
        assert_eq!(r.header("content-type"), Some("text/html; charset=utf-8"));
        let body = r.text();
        assert!(
            body.contains("页面未找到"),
            "the 404 of {missing} is not the theme's 404 page:\n{body}"
        );
        assert!(r
            .html()
            .select(&sel("body.not-found, .not-found__box"))
            .next()
            .is_some());
        assert!(body.contains(SCRIPT));
    }
}

#[test]
fn binds_loopback_by_default() {
    let site = small_site();
    let server = Server::start(site.root());
    let addr = format!("127.0.0.1:{}", server.port);
    TcpStream::connect(&addr).unwrap_or_else(|e| panic!("connect to {addr}: {e}"));
    assert!(
        server
            .stderr()
            .contains(&format!("serving at http://127.0.0.1:{}/", server.port)),
        "{}",
        server.stderr()
    );
    // Listening on 127.0.0.1 only, not on every address (Linux says which in /proc).
    if let Ok(table) = std::fs::read_to_string("/proc/net/tcp") {
        let hex_port = format!("{:04X}", server.port);
        let listening: Vec<&str> = table
            .lines()
            .skip(1)
            .filter(|l| {
                let cols: Vec<&str> = l.split_whitespace().collect();
                cols.len() > 3 && cols[3] == "0A" && cols[1].ends_with(&format!(":{hex_port}"))
            })
            .collect();
        assert!(
            !listening.is_empty(),
            "no listening socket on port {}",
            server.port
        );
        for l in &listening {
            let local = l.split_whitespace().nth(1).unwrap();
            assert_eq!(
                local,
                format!("0100007F:{hex_port}"),
                "the server listens on {local}, not on 127.0.0.1 only"
            );
        }
        let table6 = std::fs::read_to_string("/proc/net/tcp6").unwrap_or_default();
        assert!(
            !table6.lines().skip(1).any(|l| {
                let cols: Vec<&str> = l.split_whitespace().collect();
                cols.len() > 3 && cols[3] == "0A" && cols[1].ends_with(&format!(":{hex_port}"))
            }),
            "the server also listens on IPv6 by default"
        );
    }
}

#[test]
fn takes_the_next_port_when_the_asked_one_is_busy() {
    let site = small_site();
    let busy = TcpListener::bind("127.0.0.1:0").expect("occupy a port");
    let taken = busy.local_addr().unwrap().port();
    let server = Server::start_with(site.root(), taken, &[]);
    assert_ne!(server.port, taken, "it claims to serve on the busy port");
    let err = server.stderr();
    assert!(
        err.contains(&format!("port {taken} is in use")) && err.contains(&server.port.to_string()),
        "stderr should say port {taken} is taken and which one is used:\n{err}"
    );
    let home = server.page("/");
    assert!(home.text().contains(SCRIPT));
    drop(busy);
}

#[test]
fn build_output_never_has_the_live_script() {
    let site = small_site().file("static/css/site.css", "body { color: #222; }\n");
    let built = site.build();
    let mut html_files = 0;
    for f in built.files() {
        let text = String::from_utf8_lossy(&built.read_bytes(&f)).into_owned();
        assert!(!text.contains("__herald"), "{f} mentions __herald:\n{text}");
        if f.ends_with(".html") {
            html_files += 1;
            let doc = Html::parse_document(&text);
            for s in doc.select(&sel("script[src]")) {
                let src = s.value().attr("src").unwrap_or("");
                assert!(
                    !src.contains("__herald") && !src.contains("live.js"),
                    "{f}: {src}"
                );
            }
            assert!(!text.contains("EventSource"), "{f} opens an event stream");
        }
    }
    assert!(
        html_files >= 5,
        "too few HTML files built: {:?}",
        built.files()
    );
}

/// The preview renders a few outputs at a time; `herald build` renders the whole site in one
/// go and lends list entries between outputs instead of copying them. Both must give the same
/// bytes for every file, lists and neighbours included.
#[test]
fn the_preview_serves_exactly_what_the_build_writes() {
    let mut site = small_site();
    for i in 0..28 {
        let brand = if i % 3 == 0 {
            "brand: sanjia"
        } else {
            "brands: [sanjia, lingshi]"
        };
        site = site.file(
            &format!("content/cases/r{i:02}.md"),
            &report(
                &format!("报告{i}"),
                &format!("2021-{:02}-{:02}", i % 12 + 1, i % 27 + 1),
                &format!("{brand}\ntags: [党建, 养老{}]\nregion: 滨州市", i % 4),
                &format!("第{i}篇的正文。\n\n## 一、做法\n\n**重点。**内容。"),
            ),
        );
    }
    // A photo: the preview serves the encoded widths from the same cache the build copies.
    let site = site
        .file(
            "content/brands/lingshi.md",
            &brand("零时差", "slogan: 惠民零时差", "介绍。"),
        )
        .file(
            "content/cases/photo/index.md",
            &report("照片", "2021-05-01", "cover: p.jpg", "![大厅](p.jpg)"),
        )
        .bytes("content/cases/photo/p.jpg", &tiny_jpeg());
    let server = Server::start(site.root());
    let base = format!("http://127.0.0.1:{}/", server.port);
    let built = site.build_with(&["--base-url", &base]);
    let files = built.files();
    assert!(
        files.len() > 40,
        "the site is smaller than intended: {files:?}"
    );
    // `.herald` marks the output folder as Herald's; it is not part of the site.
    for f in files.iter().filter(|f| !f.starts_with('.')) {
        let url = if let Some(dir) = f.strip_suffix("index.html") {
            format!("/{dir}")
        } else {
            format!("/{f}")
        };
        let served = get(server.port, &url);
        assert_eq!(served.status, 200, "GET {url}");
        if !f.ends_with(".html") {
            assert!(
                served.body == built.read_bytes(f),
                "{f}: the preview and the build differ"
            );
            continue;
        }
        let served = served.text().replace(SCRIPT, "");
        let written = String::from_utf8_lossy(&built.read_bytes(f)).into_owned();
        assert!(
            served == written,
            "{f}: the preview and the build differ\n--- built ---\n{written}\n--- served ---\n{served}"
        );
    }
}

// ---------------------------------------------------------------- editing

#[test]
fn the_start_takes_unchanged_files_from_the_parse_cache_and_follows_edits() {
    let site = small_site()
        .file("content/about.md", "---\ntitle: 关于\n---\n\n宣传科。\n")
        .file(
            "content/cases/b.md",
            &report(
                "案例乙",
                "2022-02-01",
                "brand: sanjia",
                "乙的正文，见[关于](../about.md)。",
            ),
        );
    site.build();
    age(&site);
    // Its files old enough to trust, this build keeps their parses.
    site.build();
    let server = Server::start_with_env(site.root(), free_port(), &[], &[("HERALD_TIMINGS", "1")]);
    let said = server.stderr();
    assert!(
        said.contains("[timing] sources: 0 parsed, 5 from the parse cache"),
        "{said}"
    );
    // b.md's parse came from the cache, its text unread: its body must be rendered again for
    // the new URL of about.md, and is, from its file.
    let mut sse = subscribed(&server);
    site.write(
        "content/about.md",
        "---\ntitle: 关于\nslug: guanyu\n---\n\n宣传科。\n",
    );
    let page = reload_until(&server, &mut sse, "/cases/b/", "/guanyu/");
    assert!(
        page.main_text().contains("乙的正文"),
        "{}",
        page.main_text()
    );
    // And a body edit of a file whose parse came from the cache.
    site.write(
        "content/cases/a.md",
        &report("案例甲", "2022-01-01", "brand: sanjia", "甲的新正文。"),
    );
    reload_until(&server, &mut sse, "/cases/a/", "甲的新正文。");
}

#[test]
fn editing_a_reports_body_reloads_with_the_new_text() {
    let site = small_site();
    let server = Server::start(site.root());
    let mut sse = subscribed(&server);
    let edited_at = Instant::now();
    site.write(
        "content/cases/a.md",
        &report(
            "案例甲",
            "2022-01-01",
            "brand: sanjia",
            "原来的正文第一段。\n\n新写的一句：服务零耽搁。",
        ),
    );
    let page = reload_until(&server, &mut sse, "/cases/a/", "新写的一句：服务零耽搁。");
    let main = page.main_text();
    assert!(!main.contains("原来的正文第二段"), "{main}");
    assert!(page.text().contains(SCRIPT));
    let reload = sse.seen.iter().rev().find(|e| e.name == "reload").unwrap();
    assert!(reload.at >= edited_at);

    // The rest of the site is still there.
    let brand = server.page("/brands/sanjia/");
    assert!(
        brand.main_text().contains("案例甲"),
        "{}",
        brand.main_text()
    );
    let list = server.page("/cases/");
    assert!(list.main_text().contains("案例甲") && list.main_text().contains("案例乙"));
    server.page("/cases/b/");
    server.page("/");

    // One line on the terminal for the rebuild: which file, how many outputs, how long.
    let lines = server.wait_rebuild_lines(1);
    let l = &lines[0];
    assert!(
        l.starts_with("changed content/cases/a.md → ")
            && l.contains(" outputs")
            && l.ends_with(" ms"),
        "unexpected rebuild line {l:?}:\n{}",
        server.stderr()
    );
}

#[test]
fn a_static_folder_made_while_serving_is_watched() {
    let site = small_site();
    assert!(!site.path("static").exists());
    let server = Server::start(site.root());
    let mut sse = subscribed(&server);

    site.write("static/files/notice.txt", "第一份通知\n");
    reload_until(&server, &mut sse, "/files/notice.txt", "第一份通知");
    // The folder did not exist when the server started; a second file in it must count too.
    site.write("static/files/second.txt", "第二份通知\n");
    reload_until(&server, &mut sse, "/files/second.txt", "第二份通知");
    // And a template override folder made later.
    site.write(
        "templates/404.html",
        "<!DOCTYPE html><html><body><main><p>自定义的找不到页面</p></main></body></html>",
    );
    reload_until_check(
        &server,
        &mut sse,
        "/no-such-page/",
        "shows the new 404",
        |r| r.status == 404 && r.text().contains("自定义的找不到页面"),
    );
    site.write(
        "templates/404.html",
        "<!DOCTYPE html><html><body><main><p>改过的找不到页面</p></main></body></html>",
    );
    reload_until_check(
        &server,
        &mut sse,
        "/no-such-page/",
        "shows the edited 404",
        |r| r.status == 404 && r.text().contains("改过的找不到页面"),
    );
}

#[test]
fn adding_deleting_and_renaming_reports() {
    let site = small_site();
    let server = Server::start(site.root());
    let mut sse = subscribed(&server);

    // Add.
    site.write(
        "content/cases/c.md",
        &report(
            "新增案例丙",
            "2022-03-01",
            "brand: sanjia",
            "丙的正文，刚刚写好。",
        ),
    );
    let page = reload_until(&server, &mut sse, "/cases/c/", "丙的正文，刚刚写好。");
    assert!(page.main_text().contains("新增案例丙"));
    let list = server.page("/cases/");
    assert!(
        list.main_text().contains("新增案例丙"),
        "{}",
        list.main_text()
    );
    assert!(server
        .page("/brands/sanjia/")
        .main_text()
        .contains("新增案例丙"));

    // Delete.
    site.remove("content/cases/b.md");
    reload_until_check(&server, &mut sse, "/cases/b/", "answers 404", |r| {
        r.status == 404
    });
    let list = server.page("/cases/");
    assert!(!list.main_text().contains("案例乙"), "{}", list.main_text());
    assert!(!server.page("/").text().contains("/cases/b/"));

    // Rename.
    std::fs::rename(
        site.path("content/cases/c.md"),
        site.path("content/cases/d.md"),
    )
    .expect("rename");
    let page = reload_until(&server, &mut sse, "/cases/d/", "丙的正文，刚刚写好。");
    assert!(page.main_text().contains("新增案例丙"));
    assert_eq!(
        server.get("/cases/c/").status,
        404,
        "the old URL still answers"
    );
    let list = server.page("/cases/");
    let main = list.main_text();
    assert_eq!(main.matches("新增案例丙").count(), 1, "{main}");
    assert!(list.text().contains("/cases/d/") && !list.text().contains("/cases/c/"));
}

#[test]
fn editing_the_title_updates_the_lists() {
    let site = small_site();
    let server = Server::start(site.root());
    let mut sse = subscribed(&server);
    site.write(
        "content/cases/a.md",
        &report(
            "案例甲改了标题",
            "2022-01-01",
            "brand: sanjia",
            "原来的正文第一段。\n\n原来的正文第二段。",
        ),
    );
    reload_until(&server, &mut sse, "/cases/", "案例甲改了标题");
    assert!(server.page("/cases/a/").text().contains("案例甲改了标题"));
    assert!(server
        .page("/brands/sanjia/")
        .main_text()
        .contains("案例甲改了标题"));
    assert!(server.page("/").text().contains("案例甲改了标题"));
    assert!(server.page("/atom.xml").text().contains("案例甲改了标题"));
}

#[test]
fn editing_a_template_override_reloads_with_the_new_markup() {
    let tpl = |class: &str| {
        format!(
            "{{% extends \"base.html\" %}}\n{{% block main %}}<article class=\"{class}\"><h1>{{{{ page.title }}}}</h1>{{{{ page.content | safe }}}}</article>{{% endblock main %}}\n"
        )
    };
    let site = small_site().file("templates/page.html", &tpl("override-v1"));
    let server = Server::start(site.root());
    assert!(server.page("/cases/a/").text().contains("override-v1"));
    let mut sse = subscribed(&server);
    site.write("templates/page.html", &tpl("override-v2"));
    let page = reload_until(&server, &mut sse, "/cases/a/", "override-v2");
    assert!(!page.text().contains("override-v1"));
    assert!(page.main_text().contains("原来的正文第一段。"));
    assert!(server.page("/cases/b/").text().contains("override-v2"));
}

#[test]
fn a_broken_template_or_site_yaml_keeps_the_last_good_pages_served() {
    let tpl = |body: &str| {
        format!("{{% extends \"base.html\" %}}\n{{% block main %}}{body}{{% endblock main %}}\n")
    };
    let site = small_site().file(
        "templates/page.html",
        &tpl("<article class=\"good\">{{ page.content | safe }}</article>"),
    );
    let server = Server::start(site.root());
    let mut sse = subscribed(&server);

    // A template that does not compile: the error is shown, and every page — also one
    // never opened before — is still the last good one.
    site.write("templates/page.html", &tpl("<article>{% if %}</article>"));
    let err = sse.wait_for("build-error");
    assert!(err.data.contains("page.html"), "{}", err.data);
    for url in ["/cases/a/", "/cases/b/", "/brands/sanjia/", "/"] {
        let page = server.page(url);
        assert!(
            page.text().contains("案例"),
            "{url} during the error: {}",
            page.text()
        );
    }
    assert!(server.page("/cases/b/").text().contains("class=\"good\""));
    // Saved again as it is (or one save seen as two): the terminal says it again, the
    // browser, which shows it already, is not told again.
    site.write("templates/page.html", &tpl("<article>{% if %}</article>"));
    let said = |s: &str| s.matches("error(s); shown in the browser").count();
    let deadline = Instant::now() + WAIT;
    while said(&server.stderr()) < 2 {
        assert!(Instant::now() < deadline, "{}", server.stderr());
        std::thread::sleep(Duration::from_millis(20));
    }
    let again = sse.drain_for(Duration::from_millis(300));
    assert!(
        again.iter().all(|e| e.name != "build-error"),
        "the same error sent again: {again:?}"
    );
    site.write(
        "templates/page.html",
        &tpl("<article class=\"fixed\">{{ page.content | safe }}</article>"),
    );
    reload_until(&server, &mut sse, "/cases/b/", "class=\"fixed\"");

    // The same for a site.yaml that does not read.
    site.write("site.yaml", "title: [测试站\n");
    sse.wait_for("build-error");
    let page = server.page("/cases/a/");
    assert!(
        page.main_text().contains("原来的正文第一段。"),
        "{}",
        page.text()
    );
    assert!(
        page.text().contains("测试站"),
        "the old title is still shown"
    );
    site.write("site.yaml", &SITE_YAML.replace("测试站", "改名站"));
    reload_until(&server, &mut sse, "/cases/a/", "改名站");
}

#[test]
fn a_mistake_the_start_check_finds_stays_shown_until_fixed() {
    // Brand pages fail when rendered (not when compiled): the preview answers before its
    // check has rendered every output, then shows what the check found.
    let brand = |body: &str| {
        format!("{{% extends \"base.html\" %}}\n{{% block main %}}{body}{{% endblock main %}}\n")
    };
    let site = small_site()
        .file("templates/brand.html", &brand("{{ brand.no_such_field }}"))
        .file(
            "content/cases/c.md",
            &report("案例丙", "2022-03-01", "", "丙的正文。"),
        );
    let server = Server::start(site.root());
    let said = server.wait_stderr("error(s); shown in the browser");
    assert!(said.contains("no_such_field"), "{said}");
    // A browser opened now is told at once.
    let mut sse = server.events();
    let first = sse.next();
    assert_eq!(first.name, "build-error", "{first:?}");
    assert!(first.data.contains("brand.html"), "{}", first.data);
    // Other pages are served meanwhile.
    assert!(server
        .page("/cases/a/")
        .main_text()
        .contains("原来的正文第一段。"));

    // An edit elsewhere does not make the error disappear: every output is checked again.
    // (A report of no brand: no brand page shows it.)
    site.write(
        "content/cases/c.md",
        &report("案例丙", "2022-03-01", "", "丙改过的正文。"),
    );
    let err = sse.wait_for("build-error");
    assert!(err.data.contains("no_such_field"), "{}", err.data);

    site.write(
        "templates/brand.html",
        &brand("<p class=\"fixed\">{{ brand.name }}</p>"),
    );
    let page = reload_until(&server, &mut sse, "/brands/sanjia/", "class=\"fixed\"");
    assert!(page.text().contains("class=\"fixed\""));
    assert!(server
        .page("/cases/c/")
        .main_text()
        .contains("丙改过的正文。"));
}

#[test]
fn editing_a_stylesheet_swaps_it_without_a_reload() {
    let site = small_site().file("static/css/site.css", "body { color: #111; }\n");
    let server = Server::start(site.root());
    let mut sse = subscribed(&server);
    site.write("static/css/site.css", "body { color: #123456; }\n");
    let ev = sse.next();
    assert_eq!(
        ev.name,
        "css",
        "a stylesheet edit should send `css`, not {ev:?}\n{}",
        server.stderr()
    );
    assert_eq!(ev.data, "/css/site.css");
    let later = sse.drain_for(Duration::from_millis(400));
    assert!(
        later.iter().all(|e| e.name == "css"),
        "a stylesheet edit also sent {later:?}"
    );
    let css = server.page("/css/site.css");
    assert!(css.text().contains("#123456"), "{}", css.text());
}

#[test]
fn a_broken_file_shows_the_error_and_fixing_it_reloads() {
    let site = small_site();
    let server = Server::start(site.root());
    let mut sse = subscribed(&server);

    site.write(
        "content/cases/a.md",
        "---\ntitle: 案例甲\ndate: 昨天\nbrand: sanjia\n---\n\n坏掉时的正文。\n",
    );
    let err = sse.wait_for("build-error");
    assert!(
        err.data.contains("content/cases/a.md:3"),
        "the error should name content/cases/a.md:3:\n{}",
        err.data
    );
    assert!(err.data.contains("昨天"), "{}", err.data);
    // The terminal shows it too (printed just after the event is sent).
    server.wait_stderr("content/cases/a.md:3");

    // A page opened now hears the error at once.
    let mut late = server.events();
    let first = late.next();
    assert_eq!(first.name, "build-error", "{first:?}");
    assert_eq!(first.data.trim_end(), err.data.trim_end());

    // The old pages are still served.
    let page = server.page("/cases/a/");
    assert!(
        page.main_text().contains("原来的正文第一段。"),
        "{}",
        page.main_text()
    );
    assert!(!page.main_text().contains("坏掉时的正文"));
    server.page("/");
    server.page("/cases/b/");

    // Fixed: a reload, and new subscribers hear build-ok.
    site.write(
        "content/cases/a.md",
        &report("案例甲", "2022-01-01", "brand: sanjia", "修好后的正文。"),
    );
    reload_until(&server, &mut sse, "/cases/a/", "修好后的正文。");
    let ev = late.wait_for("reload");
    assert_eq!(ev.name, "reload");
    let mut fresh = server.events();
    let first = fresh.next();
    assert_eq!(first.name, "build-ok", "{first:?}");
}

// ---------------------------------------------------------------- safety

#[test]
fn paths_outside_the_site_are_refused() {
    let site = small_site();
    let server = Server::start(site.root());
    for bad in [
        "/../etc/passwd",
        "/../../../../../../etc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/%2E%2E/%2E%2E/%2E%2E/%2E%2E/etc/passwd",
        "/..%2f..%2fetc%2fpasswd",
        "/..%2F..%2F..%2F..%2Fetc%2Fpasswd",
        "/a%5c..%5c..%5cetc%5cpasswd",
        "/..%5c..%5c..%5cetc%5cpasswd",
        "//etc/passwd",
        "/cases/../../../etc/passwd",
        "/css/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "/etc/passwd%00.html",
    ] {
        let r = server.get(bad);
        assert!(
            r.status == 400 || r.status == 404,
            "GET {bad} answered {}:\n{}",
            r.status,
            r.excerpt()
        );
        assert!(!r.text().contains("root:"), "GET {bad} leaked /etc/passwd");
    }
    // The server is still fine.
    server.page("/");
}

#[test]
fn a_symlink_out_of_the_site_is_not_served() {
    let site = small_site();
    let secret_text = "root:x:0:0 secret-herald-serve-7f3a";
    let secret_dir = site.scratch().join("outside");
    std::fs::create_dir_all(&secret_dir).unwrap();
    std::fs::write(secret_dir.join("secret.txt"), secret_text).unwrap();
    std::fs::create_dir_all(site.path("static/files")).unwrap();
    site.write("static/files/ok.txt", "inside\n");
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(secret_dir.join("secret.txt"), site.path("static/leak.txt"))
            .unwrap();
        std::os::unix::fs::symlink(&secret_dir, site.path("static/outdir")).unwrap();
    }
    let server = Server::start(site.root());
    // The preview refuses the links as the build does, naming each link, never its contents.
    let deadline = Instant::now() + Duration::from_secs(20);
    while !server.stderr().contains("static/outdir") && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    let said = server.stderr();
    assert!(
        said.contains("static/leak.txt") && said.contains("static/outdir"),
        "the preview did not name the links out of the site:\n{said}"
    );
    assert!(!said.contains("secret-herald-serve-7f3a"), "{said}");
    for path in [
        "/leak.txt",
        "/outdir/secret.txt",
        "/outdir/",
        "/files/ok.txt",
    ] {
        let r = server.get(path);
        assert!(
            !r.text().contains("secret-herald-serve-7f3a") && !r.text().contains("root:"),
            "GET {path} served the file outside the site (status {})",
            r.status
        );
        assert_ne!(r.status, 200, "GET {path} answered 200");
    }
}

// ---------------------------------------------------------------- the watcher

#[test]
fn editor_temporary_files_do_not_rebuild() {
    let site = small_site();
    let server = Server::start(site.root());
    let mut sse = subscribed(&server);
    site.write("content/cases/.a.md.swp", "vim swap\n");
    site.write("content/cases/a.md~", "---\ntitle: 备份\n");
    site.write("content/cases/#a.md#", "emacs autosave\n");
    site.write("content/.hidden.md", "---\ntitle: 隐藏\n");
    // Longer than the debounce: a rebuild, if any, would have started by now.
    let noise = sse.drain_for(Duration::from_millis(400));
    assert!(
        noise.is_empty(),
        "editor files caused events {noise:?}\n{}",
        server.stderr()
    );
    assert!(
        server.rebuild_lines().is_empty(),
        "editor files caused a rebuild:\n{}",
        server.stderr()
    );
    // A real edit still does, and names only the real file.
    site.write(
        "content/cases/a.md",
        &report("案例甲", "2022-01-01", "brand: sanjia", "真正的修改。"),
    );
    reload_until(&server, &mut sse, "/cases/a/", "真正的修改。");
    let lines = server.wait_rebuild_lines(1);
    for l in &lines {
        assert!(
            !l.contains(".swp") && !l.contains('~') && !l.contains('#') && !l.contains(".hidden"),
            "{l}"
        );
    }
}

/// Ctrl-C stops the preview promptly and cleanly (exit 0, "stopped"), also while the site
/// folder holds a busy target/ or output/ that must not be watched.
#[test]
fn ctrl_c_stops_the_server_cleanly() {
    let site = small_site();
    site.write("target/debug/junk.txt", "not part of the site");
    let mut server = Server::start(site.root());
    let pid = server.child.id().to_string();
    let sent = Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .expect("run kill");
    assert!(sent.success());
    let deadline = Instant::now() + WAIT;
    let status = loop {
        if let Some(status) = server.child.try_wait().expect("wait") {
            break status;
        }
        assert!(
            Instant::now() < deadline,
            "still running 10 s after Ctrl-C:\n{}",
            server.stderr()
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(status.code(), Some(0), "{}", server.stderr());
    assert!(server.stderr().contains("stopped"), "{}", server.stderr());
}

/// A brand's intro is shown on its own page only, so editing it re-renders that one page.
#[test]
fn editing_a_brands_intro_re_renders_its_page_only() {
    let site = small_site();
    let server = Server::start(site.root());
    let mut sse = subscribed(&server);
    site.write(
        "content/brands/sanjia.md",
        &brand(
            "三家工作法",
            "slogan: 服务对象当家人",
            "品牌介绍，新增一句：惠民零时差。",
        ),
    );
    let page = reload_until(
        &server,
        &mut sse,
        "/brands/sanjia/",
        "新增一句：惠民零时差。",
    );
    assert!(page.main_text().contains("案例甲"), "{}", page.main_text());
    let lines = server.wait_rebuild_lines(1);
    assert!(
        lines[0].starts_with("changed content/brands/sanjia.md → 1 outputs rendered"),
        "{lines:?}"
    );
}

#[test]
fn a_photo_saved_again_is_served_re_encoded() {
    let site = one_report_site()
        .file(
            "content/cases/p/index.md",
            &report("照片", "2022-02-01", "cover: p.jpg", "![图](p.jpg)"),
        )
        .bytes("content/cases/p/p.jpg", &tiny_jpeg());
    let server = Server::start(site.root());
    let size = |r: &Response| {
        image::load_from_memory(&r.body)
            .map(|i| (i.width(), i.height()))
            .unwrap_or_default()
    };
    assert_eq!(size(&server.get("/cases/p/p.jpg")), (64, 48));
    // The same file, now a 100×80 photo (an editor cropped and saved it).
    let bigger = image::RgbImage::from_fn(100, 80, |x, _| image::Rgb([x as u8, 10, 200]));
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 80)
        .encode_image(&bigger)
        .expect("encode");
    site.write_bytes("content/cases/p/p.jpg", &jpeg);
    server.wait_rebuild_lines(1);
    assert_eq!(size(&server.get("/cases/p/p.jpg")), (100, 80));
    assert!(server
        .page("/cases/p/")
        .text()
        .contains("width=\"100\" height=\"80\""));
}
