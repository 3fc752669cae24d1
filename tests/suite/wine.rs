//! Running the Windows build, `herald.exe` from `scripts/build-windows`, under wine for the
//! tests in `windows.rs`: one wine prefix for the whole test run (in the target folder), every
//! run with a time limit, and `WineServer` for `serve`.
//!
//! Wine 8 lacks `bcryptprimitives.dll` (`ProcessPrng`, which Rust's standard library imports):
//! a stand-in built here with mingw from `tests/windows/` goes into that prefix only (real
//! Windows 10/11 has it; it is never shipped). `HERALD_SKIP_WINDOWS=1` skips the tests; without
//! it a missing herald.exe, wine or mingw fails them.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use super::util::*;

/// The longest one wine run may take (a cold wine start is a few seconds).
const LIMIT_SECS: u64 = 120;

pub struct Wine {
    exe: PathBuf,
    wine: PathBuf,
    prefix: PathBuf,
}

static WINE: OnceLock<Result<Wine, String>> = OnceLock::new();

/// The wine set-up shared by every test, or `None` when HERALD_SKIP_WINDOWS=1 asks to skip.
pub fn wine() -> Option<&'static Wine> {
    if std::env::var("HERALD_SKIP_WINDOWS").as_deref() == Ok("1") {
        // Once, and past the test harness's capture (which only takes `eprintln!`).
        static SAID: std::sync::Once = std::sync::Once::new();
        SAID.call_once(|| {
            let _ = writeln!(
                std::io::stderr(),
                "windows tests skipped: HERALD_SKIP_WINDOWS=1 (herald.exe is not tested)"
            );
        });
        return None;
    }
    match WINE.get_or_init(set_up) {
        Ok(w) => Some(w),
        Err(e) => panic!("{e}\n(set HERALD_SKIP_WINDOWS=1 to skip the Windows tests)"),
    }
}

fn find_in_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

fn set_up() -> Result<Wine, String> {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let exe = std::env::var_os("HERALD_WINDOWS_EXE")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            manifest.join("target-windows/x86_64-pc-windows-gnu/release/herald.exe")
        });
    if !exe.is_file() {
        return Err(format!(
            "{} is missing: build it with scripts/build-windows",
            exe.display()
        ));
    }
    let wine = find_in_path("wine64")
        .or_else(|| Some(PathBuf::from("/usr/lib/wine/wine64")).filter(|p| p.is_file()))
        .ok_or("wine64 is missing: apt-get install wine64")?;
    let prefix = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("wine-prefix");
    let ready = prefix.join(".herald-ready");
    let w = Wine { exe, wine, prefix };
    if !ready.is_file() {
        let started = Instant::now();
        let out = w
            .command(&["wineboot", "-i"])
            .output()
            .map_err(|e| format!("cannot run wine: {e}"))?;
        if !out.status.success() {
            return Err(format!(
                "wineboot failed ({}):\n{}",
                out.status,
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        let dll = w.c_drive().join("windows/system32/bcryptprimitives.dll");
        let src = manifest.join("tests/windows");
        let out = Command::new("x86_64-w64-mingw32-gcc")
            .args(["-O2", "-shared", "-s", "-o"])
            .arg(&dll)
            .arg(src.join("bcryptprimitives.c"))
            .arg(src.join("bcryptprimitives.def"))
            .arg("-ladvapi32")
            .output()
            .map_err(|e| {
                format!(
                    "cannot run x86_64-w64-mingw32-gcc (apt-get install gcc-mingw-w64-x86-64): {e}"
                )
            })?;
        if !out.status.success() {
            return Err(format!(
                "building the stand-in bcryptprimitives.dll failed:\n{}",
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        std::fs::write(&ready, "").map_err(|e| e.to_string())?;
        eprintln!(
            "wine prefix ready in {:.1} s",
            started.elapsed().as_secs_f64()
        );
    }
    Ok(w)
}

impl Wine {
    /// `wine64 <args>` in the test prefix, no dialogs, no debug chatter. Wine turns the
    /// command line into UTF-16 by the locale's character set (LC_CTYPE: UTF-8); no language is
    /// inherited, each test says which it wants.
    fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new("timeout");
        cmd.args(["-k", "5", &LIMIT_SECS.to_string()])
            .arg(&self.wine)
            .args(args)
            .env("WINEPREFIX", &self.prefix)
            .env("WINEDEBUG", "-all")
            .env("WINEDLLOVERRIDES", "mscoree,mshtml=;winemenubuilder.exe=d")
            .env("LC_CTYPE", "C.UTF-8")
            .env_remove("LC_ALL")
            .env_remove("LANG")
            .env_remove("LC_MESSAGES")
            .stdin(Stdio::null());
        cmd
    }

    /// The prefix's `C:` drive, as a Linux folder.
    pub fn c_drive(&self) -> PathBuf {
        self.prefix.join("drive_c")
    }

    /// The Windows user's folder (`C:\users\<name>`), as a Linux folder and as Windows sees it.
    pub fn user_folder(&self) -> (PathBuf, String) {
        let users = self.c_drive().join("users");
        let name = std::fs::read_dir(&users)
            .expect("the prefix has C:\\users")
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .find(|n| n != "Public")
            .expect("a user folder in C:\\users");
        (users.join(&name), format!("C:\\users\\{name}"))
    }

    /// `herald.exe --lang <lang> <args…>` run in `cwd`, as `util::run_herald` runs the Linux one.
    pub fn herald(&self, cwd: &Path, lang: &str, args: &[&str]) -> Run {
        self.herald_with(cwd, &[&["--lang", lang], args].concat(), &[], None)
    }

    pub fn herald_with(
        &self,
        cwd: &Path,
        args: &[&str],
        env: &[(&str, &str)],
        input: Option<&str>,
    ) -> Run {
        // Wine's own client/server link can drop when runs start in parallel ("wine client
        // error: recvmsg"): that is wine, not herald.exe, so such a run is tried again.
        let mut run = self.herald_once(cwd, args, env, input);
        for _ in 0..2 {
            if !run.stderr.contains("wine client error") {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(500));
            run = self.herald_once(cwd, args, env, input);
        }
        run
    }

    fn herald_once(
        &self,
        cwd: &Path,
        args: &[&str],
        env: &[(&str, &str)],
        input: Option<&str>,
    ) -> Run {
        let exe = self.exe.to_str().expect("UTF-8 exe path");
        let mut cmd = self.command(&[&[exe], args].concat());
        cmd.current_dir(cwd);
        for (k, v) in env {
            cmd.env(k, v);
        }
        if input.is_some() {
            cmd.stdin(Stdio::piped());
        }
        cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
        let mut child = cmd
            .spawn()
            .unwrap_or_else(|e| panic!("cannot run wine: {e}"));
        if let (Some(text), Some(mut stdin)) = (input, child.stdin.take()) {
            let _ = stdin.write_all(text.as_bytes());
        }
        let out = child.wait_with_output().expect("wait for wine");
        let run = Run {
            command: format!("wine herald.exe {}", args.join(" ")),
            code: out.status.code(),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        };
        assert_ne!(
            run.code,
            Some(124),
            "`{}` timed out after {LIMIT_SECS} s:\n{}",
            run.command,
            run.stderr
        );
        run
    }
}

/// `/tmp/x/y` as wine sees it: `Z:\tmp\x\y`.
pub fn z(p: &Path) -> String {
    format!("Z:{}", p.to_str().expect("UTF-8 path").replace('/', "\\"))
}

/// The summary's timing differs from run to run: everything else must not.
pub fn without_timing(s: &str) -> String {
    s.lines()
        .map(|l| match l.rfind("用时").or_else(|| l.rfind(" in ")) {
            Some(i) if l.ends_with("ms") || l.ends_with("毫秒") => &l[..i],
            _ => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

pub fn assert_same_output(linux: &Path, windows: &Path, what: &str) {
    let (l, w) = (snapshot(linux), snapshot(windows));
    assert!(
        l.len() > 3,
        "the Linux build of {what} wrote almost nothing: {:?}",
        l.keys()
    );
    assert_same_tree(
        &l,
        &w,
        &format!("{what}: the Windows output against the Linux one"),
    );
}

// ------------------------------------------------------------------ serve

/// `herald.exe serve` under wine, killed when dropped.
pub struct WineServer {
    child: Child,
    pub port: u16,
    stderr: Arc<Mutex<String>>,
}

impl WineServer {
    /// `herald.exe <args…>` in `root`, waiting until it says where it serves.
    pub fn start(wine: &Wine, root: &Path, args: &[&str]) -> WineServer {
        let exe = wine.exe.to_str().expect("UTF-8 exe path");
        let mut child = wine
            .command(&[&[exe], args].concat())
            .current_dir(root)
            .env("HERALD_NO_BROWSER", "1")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start wine");
        let pipe = child.stderr.take().expect("piped stderr");
        let stderr = Arc::new(Mutex::new(String::new()));
        let sink = stderr.clone();
        std::thread::spawn(move || {
            let mut r = BufReader::new(pipe);
            let mut line = String::new();
            while r.read_line(&mut line).map(|n| n > 0).unwrap_or(false) {
                sink.lock().unwrap().push_str(&line);
                line.clear();
            }
        });
        let mut server = WineServer {
            child,
            port: 0,
            stderr,
        };
        let deadline = Instant::now() + Duration::from_secs(60);
        while server.port == 0 {
            let err = server.stderr();
            if let Some(p) = err
                .lines()
                .find_map(|l| l.strip_prefix("serving at http://127.0.0.1:"))
                .and_then(|rest| rest.split('/').next())
                .and_then(|p| p.parse().ok())
            {
                server.port = p;
            }
            if let Ok(Some(status)) = server.child.try_wait() {
                panic!(
                    "`herald.exe {}` exited with {status}:\n{err}",
                    args.join(" ")
                );
            }
            assert!(
                Instant::now() < deadline,
                "`herald.exe {}` did not start serving within 60 s:\n{err}",
                args.join(" ")
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        server
    }

    pub fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }
}

impl Drop for WineServer {
    fn drop(&mut self) {
        // `timeout` passes a TERM on to wine; KILL after that if it lingers.
        let _ = Command::new("kill")
            .arg(self.child.id().to_string())
            .status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
