//! The preview's HTTP side: files from memory, the live-reload event stream, and nothing
//! outside the site (no `..`, no encoded escapes, no backslashes, no symlinks out).

use std::convert::Infallible;
use std::net::TcpListener;
use std::path::Path;
use std::sync::{Arc, RwLock};

use axum::body::Body;
use axum::extract::State as AxState;
use axum::http::{header, HeaderValue, StatusCode, Uri};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use futures_util::stream::{self, Stream, StreamExt};
use tokio::sync::broadcast;
use tokio_stream::wrappers::BroadcastStream;

use super::state::{Served, State};
use super::Notice;

const LIVE_JS: &str = include_str!("live.js");
const SCRIPT_TAG: &str = "<script src=\"/__herald/live.js\"></script>";

#[derive(Clone)]
struct App {
    state: Arc<RwLock<State>>,
    tx: broadcast::Sender<Notice>,
}

pub(super) async fn serve(
    listener: TcpListener,
    state: Arc<RwLock<State>>,
    tx: broadcast::Sender<Notice>,
) -> std::io::Result<()> {
    listener.set_nonblocking(true)?;
    let listener = tokio::net::TcpListener::from_std(listener)?;
    let app = App { state, tx };
    let router = Router::new()
        .route("/__herald/events", get(events))
        .route("/__herald/live.js", get(live_js))
        .fallback(file)
        .layer(axum::middleware::from_fn(read_only))
        .with_state(app);
    axum::serve(listener, router)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
}

/// The preview only shows the site: GET and HEAD, nothing that could look like it changes it.
async fn read_only(request: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let method = request.method();
    if method == axum::http::Method::GET || method == axum::http::Method::HEAD {
        return next.run(request).await;
    }
    (
        StatusCode::METHOD_NOT_ALLOWED,
        [(header::ALLOW, "GET, HEAD")],
        "method not allowed\n",
    )
        .into_response()
}

async fn live_js() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        LIVE_JS,
    )
}

fn notice_event(n: &Notice) -> Event {
    match n {
        Notice::Reload => Event::default().event("reload").data("reload"),
        Notice::Css(path) => Event::default().event("css").data(path.clone()),
        Notice::BuildError(text) => Event::default().event("build-error").data(text.clone()),
    }
}

async fn events(AxState(app): AxState<App>) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    // A page opened while the site is broken shows the error at once.
    let current = app.state.read().ok().and_then(|s| s.error());
    let first = match current {
        Some(text) => Event::default().event("build-error").data(text),
        None => Event::default().event("build-ok").data("ok"),
    };
    let updates = BroadcastStream::new(app.tx.subscribe())
        .filter_map(|n| async move { n.ok().map(|n| Ok(notice_event(&n))) });
    Sse::new(stream::once(async move { Ok(first) }).chain(updates)).keep_alive(KeepAlive::default())
}

/// Maps a request path to an output path, or refuses it: the same rules as every path Herald
/// writes (`paths::output_file`), after the browser's percent-encoding is undone.
pub(super) fn output_path(raw_path: &str) -> Result<String, StatusCode> {
    let decoded = percent_encoding::percent_decode_str(raw_path)
        .decode_utf8()
        .map_err(|_| StatusCode::BAD_REQUEST)?;
    if decoded.starts_with("//") {
        return Err(StatusCode::BAD_REQUEST);
    }
    let rel = decoded.trim_start_matches('/');
    let file = if rel.is_empty() || rel.ends_with('/') {
        format!("{rel}index.html")
    } else {
        rel.to_string()
    };
    crate::paths::output_file(&file).map_err(|_| StatusCode::BAD_REQUEST)?;
    Ok(file)
}

/// The Content-Type of an output, by its extension; text in UTF-8, as Herald writes it.
fn content_type(path: &str) -> String {
    let mime = mime_guess::from_path(path).first_or_octet_stream();
    let text = mime.type_() == mime_guess::mime::TEXT
        || matches!(
            mime.subtype().as_str(),
            "xml" | "json" | "javascript" | "atom+xml"
        );
    if text {
        format!("{}; charset=utf-8", mime.essence_str())
    } else {
        mime.essence_str().to_string()
    }
}

fn inject(html: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(html);
    match text.rfind("</body>") {
        Some(i) => {
            let mut s = String::with_capacity(text.len() + SCRIPT_TAG.len());
            s.push_str(&text[..i]);
            s.push_str(SCRIPT_TAG);
            s.push_str(&text[i..]);
            s.into_bytes()
        }
        None => {
            let mut v = html.to_vec();
            v.extend_from_slice(SCRIPT_TAG.as_bytes());
            v
        }
    }
}

fn respond(status: StatusCode, path: &str, bytes: Vec<u8>) -> Response {
    let ctype = content_type(path);
    let body = if ctype.starts_with("text/html") {
        inject(&bytes)
    } else {
        bytes
    };
    let mut r = Response::new(Body::from(body));
    *r.status_mut() = status;
    if let Ok(value) = HeaderValue::from_str(&ctype) {
        r.headers_mut().insert(header::CONTENT_TYPE, value);
    }
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

/// Reads a file served from disk, refusing links that lead out of the site or theme.
fn read_inside(root: &Path, file: &Path) -> Option<Vec<u8>> {
    let real = file.canonicalize().ok()?;
    let root = root.canonicalize().ok()?;
    if !real.starts_with(&root) {
        return None;
    }
    std::fs::read(real).ok()
}

fn bytes_of(state: &State, served: &Served) -> Option<Vec<u8>> {
    match served {
        Served::Memory(b) => Some(b.as_ref().clone()),
        Served::Page { job, mirror } => state.page(job, *mirror),
        Served::Embedded(b) => Some(b.to_vec()),
        // What `herald build` publishes: a photo copied as it is loses its EXIF and XMP.
        Served::Disk(p) => read_inside(&state.root, p).map(|bytes| {
            crate::images::strip::published(&p.to_string_lossy(), &bytes).into_owned()
        }),
    }
}

async fn file(AxState(app): AxState<App>, uri: Uri) -> Response {
    let path = match output_path(uri.path()) {
        Ok(p) => p,
        Err(status) => return (status, "bad request").into_response(),
    };
    let Ok(state) = app.state.read() else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "busy").into_response();
    };
    if let Some(bytes) = state.files.get(&path).and_then(|s| bytes_of(&state, s)) {
        // Pages link the fingerprinted stylesheet and script names, as a build writes them.
        let bytes = match path.ends_with(".html") {
            true => state.asset_names.apply(&bytes).unwrap_or(bytes),
            false => bytes,
        };
        return respond(StatusCode::OK, &path, bytes);
    }
    // `css/style.<hash>.css`: the stylesheet as it is now, whatever hash a page still links
    // (the preview never caches, and a live CSS reload re-fetches the page's old name).
    if let Some(bytes) = crate::fingerprint::plain_of(&path)
        .and_then(|plain| state.files.get(&plain))
        .and_then(|s| bytes_of(&state, s))
    {
        return respond(StatusCode::OK, &path, bytes);
    }
    if let Some(bytes) = state.search_file(&path).and_then(|s| bytes_of(&state, &s)) {
        return respond(StatusCode::OK, &path, bytes);
    }
    // `/cases/a` → `/cases/a/`, as web hosts do.
    if !path.ends_with("index.html") && state.files.contains_key(&format!("{path}/index.html")) {
        let location = format!("{}/", uri.path());
        return (
            StatusCode::MOVED_PERMANENTLY,
            [(header::LOCATION, location)],
        )
            .into_response();
    }
    match state.not_found().and_then(|s| bytes_of(&state, &s)) {
        Some(bytes) => respond(StatusCode::NOT_FOUND, "404.html", bytes),
        None => respond(
            StatusCode::NOT_FOUND,
            "404.html",
            b"<!doctype html><title>404</title><body><h1>404</h1></body>".to_vec(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traversal_is_refused() {
        for bad in [
            "/../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/a/%2E%2E/%2e%2e/x",
            "/a\\..\\b",
            "/%5c..%5cb",
            "//etc/passwd",
            "/C:/x",
            "/a/%00",
        ] {
            assert!(output_path(bad).is_err(), "{bad}");
        }
        assert_eq!(output_path("/"), Ok("index.html".into()));
        assert_eq!(output_path("/cases/a/"), Ok("cases/a/index.html".into()));
        assert_eq!(output_path("/css/style.css"), Ok("css/style.css".into()));
        assert_eq!(
            output_path("/tags/%E5%85%9A%E5%BB%BA/"),
            Ok("tags/党建/index.html".into())
        );
    }

    #[test]
    fn script_goes_before_body_end() {
        let out = inject(b"<html><body><p>x</p></body></html>");
        assert!(String::from_utf8_lossy(&out)
            .ends_with("<script src=\"/__herald/live.js\"></script></body></html>"));
    }
}
