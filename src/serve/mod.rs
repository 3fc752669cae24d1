//! `herald serve`: build into memory, serve it, watch the site, rebuild what changed and tell
//! the browser to reload. A build error never stops the server: it is shown in the browser
//! (and the terminal) until the file is fixed.

mod http;
mod state;
mod watch;

use std::net::{SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::{Arc, RwLock};

use crate::diagnostics::Lang;
use crate::error::{Diagnostics, Error, Location};

pub use state::{Change, State};

#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub port: u16,
    pub bind: String,
    pub open: bool,
    pub drafts: bool,
    /// Warnings are errors, as in `herald build --strict`.
    pub strict: bool,
    pub lang: Lang,
}

/// What the browser is told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    Reload,
    /// A stylesheet changed: swap it without reloading (its URL path).
    Css(String),
    /// The build failed: the message, as the terminal shows it.
    BuildError(String),
}

/// Binds `port`, or the next free one if it is taken (and says so).
fn bind(opts: &ServeOptions) -> Result<TcpListener, Diagnostics> {
    let zh = opts.lang == Lang::Zh;
    for port in opts.port..opts.port.saturating_add(20) {
        let addr = format!("{}:{port}", opts.bind);
        match TcpListener::bind(&addr) {
            Ok(l) => {
                if port != opts.port {
                    eprintln!(
                        "{}",
                        if zh {
                            format!(
                                "端口 {} 已被占用，改用 {port}（也可以用 --port 指定）",
                                opts.port
                            )
                        } else {
                            format!(
                                "port {} is in use; using {port} instead (choose one with --port)",
                                opts.port
                            )
                        }
                    );
                }
                return Ok(l);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => continue,
            Err(e) => {
                return Err(Error::Invalid {
                    at: Location::file(addr),
                    message: if zh {
                        format!("无法监听这个地址：{e}")
                    } else {
                        format!("cannot listen on this address: {e}")
                    },
                }
                .into())
            }
        }
    }
    Err(Error::Invalid {
        at: Location::file(format!("{}:{}", opts.bind, opts.port)),
        message: if zh {
            "这个端口及之后的 20 个端口都被占用了，请用 --port 指定".into()
        } else {
            "this port and the next 20 are taken; choose one with --port".into()
        },
    }
    .into())
}

pub fn run(opts: ServeOptions) -> Result<(), Diagnostics> {
    let root = opts
        .root
        .canonicalize()
        .map_err(|e| Error::io(&opts.root, "read", e))?;
    if !root.join(crate::config::SITE_FILE).is_file() {
        return Err(Error::NoSite {
            at: Location::file(root.join(crate::config::SITE_FILE)),
        }
        .into());
    }
    let listener = bind(&opts)?;
    let addr: SocketAddr = listener
        .local_addr()
        .map_err(|e| Error::io(&root, "read", e))?;
    let host = if addr.ip().is_unspecified() {
        "127.0.0.1".to_string()
    } else {
        addr.ip().to_string()
    };
    let base_url = format!("http://{host}:{}/", addr.port());
    let (tx, _) = tokio::sync::broadcast::channel::<Notice>(64);
    let state = Arc::new(RwLock::new(State::new(
        root.clone(),
        base_url.clone(),
        crate::pipeline::ModelOptions {
            drafts: opts.drafts,
            strict: opts.strict,
        },
    )));
    let zh = opts.lang == Lang::Zh;
    let started = std::time::Instant::now();
    let unchecked = {
        let mut s = state.write().map_err(|_| poisoned())?;
        s.lang = opts.lang;
        match s.start() {
            Ok((summary, unchecked)) => {
                eprint!(
                    "{}",
                    crate::diagnostics::render(&summary.warnings, opts.lang, &root)
                );
                eprintln!(
                    "{} ({} {}, {:.0} ms)",
                    if zh { "网站已生成" } else { "site built" },
                    summary.rendered,
                    if zh { "个输出" } else { "outputs" },
                    started.elapsed().as_secs_f64() * 1000.0
                );
                unchecked
            }
            Err(d) => {
                eprint!("{}", crate::diagnostics::render(&d, opts.lang, &root));
                Vec::new()
            }
        }
    };
    // The outputs are rendered once to find template mistakes while the preview already
    // answers. The check holds the site (a read lock) before the watcher starts, so no
    // rebuild comes between the start and its check.
    let (held_tx, held) = std::sync::mpsc::channel::<()>();
    {
        let (state, tx) = (state.clone(), tx.clone());
        let lang = opts.lang;
        std::thread::spawn(move || {
            let Ok(s) = state.read() else { return };
            let _ = held_tx.send(());
            if unchecked.is_empty() {
                return;
            }
            let t = std::time::Instant::now();
            let checked = s.check(&unchecked);
            drop(s);
            match checked {
                Ok(()) => {
                    let ms = t.elapsed().as_secs_f64() * 1000.0;
                    eprintln!(
                        "{}",
                        match lang {
                            Lang::Zh => format!("全部输出已检查，没有错误（{ms:.0} 毫秒）"),
                            Lang::En => format!("every output checked, no mistakes ({ms:.0} ms)"),
                        }
                    );
                }
                Err((text, n)) => {
                    let _ = tx.send(Notice::BuildError(text.clone()));
                    eprint!("{text}");
                    eprintln!("{}", watch::errors_line(lang, n));
                }
            }
            // What the first edit will compare with, made now rather than on that edit.
            if let Ok(mut s) = state.write() {
                if s.repair_bodies() {
                    let _ = tx.send(Notice::Reload);
                }
                s.settle();
            }
        });
    }
    let _ = held.recv();
    eprintln!(
        "{} {base_url}  ({})",
        if zh { "预览地址" } else { "serving at" },
        if zh {
            "按 Ctrl-C 停止"
        } else {
            "Ctrl-C to stop"
        }
    );
    if !addr.ip().is_loopback() {
        eprint!("{}", network_notice(addr, opts.lang));
    }
    let watcher = watch::start(root.clone(), state.clone(), tx.clone(), opts.lang)
        .map_err(Diagnostics::from)?;
    if opts.open {
        open_browser(&base_url);
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Error::io(&root, "read", e))?;
    let result = runtime.block_on(http::serve(listener, state, tx));
    drop(watcher);
    eprintln!("{}", if zh { "预览已停止" } else { "stopped" });
    result.map_err(|e| Error::io(&root, "read", e).into())
}

/// The addresses a preview bound beyond this computer answers on: every address of this
/// machine for `0.0.0.0` / `::`, else the one asked for.
fn network_addresses(addr: SocketAddr) -> Vec<std::net::IpAddr> {
    if !addr.ip().is_unspecified() {
        return vec![addr.ip()];
    }
    let mut ips: Vec<std::net::IpAddr> = if_addrs::get_if_addrs()
        .unwrap_or_default()
        .into_iter()
        .map(|i| i.ip())
        .filter(|ip| !ip.is_loopback() && (addr.is_ipv6() || ip.is_ipv4()))
        .collect();
    ips.sort();
    ips.dedup();
    ips
}

/// Says plainly that others can see the preview, where, and gives a phone the first address
/// as a QR code.
fn network_notice(addr: SocketAddr, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    let urls: Vec<String> = network_addresses(addr)
        .into_iter()
        .map(|ip| SocketAddr::new(ip, addr.port()))
        .map(|a| format!("http://{a}/"))
        .collect();
    let mut out = String::new();
    out.push_str(if zh {
        "注意：预览不只在本机可见，同一网络里的任何人都能打开它（草稿也能看到）。只在本机预览请去掉 --bind。\n"
    } else {
        "warning: the preview is not limited to this computer: anyone on the network can open it (drafts included). Leave out --bind to keep it private.\n"
    });
    for url in &urls {
        out.push_str(&format!(
            "  {} {url}\n",
            if zh {
                "网络地址"
            } else {
                "network address"
            }
        ));
    }
    if let Some(first) = urls.first() {
        if let Ok(code) = qrcode::QrCode::new(first.as_bytes()) {
            out.push_str(if zh {
                "用手机扫码打开：\n"
            } else {
                "scan with a phone:\n"
            });
            out.push_str(
                &code
                    .render::<qrcode::render::unicode::Dense1x2>()
                    .quiet_zone(true)
                    .build(),
            );
            out.push('\n');
        }
    }
    out
}

fn poisoned() -> Diagnostics {
    Error::Invalid {
        at: Location::file("serve"),
        message: "internal state lock poisoned".into(),
    }
    .into()
}

fn open_browser(url: &str) {
    // No browser to open (a server, a locked-down PC): the address is printed instead.
    if opener::open_browser(url).is_err() {
        eprintln!("{url}");
    }
}
