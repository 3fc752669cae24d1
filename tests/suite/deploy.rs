//! `herald deploy` to a local folder, to moto (S3 API) and to OpenSSH's sftp, all real and on
//! 127.0.0.1. The servers come from scripts/install-test-deps; without them these tests fail,
//! unless HERALD_SKIP_DEPLOY=1.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::serve::free_port;
use super::util::*;

fn site() -> Site {
    let s = Site::new()
        .file(
            "content/cases/a.md",
            "---\ntitle: 甲\ndate: 2024-01-02\n---\n正文甲\n",
        )
        .file(
            "content/cases/b.md",
            "---\ntitle: 乙\ndate: 2024-01-03\n---\n正文乙\n",
        )
        .file("static/img/说明.txt", "附件");
    s.build();
    s
}

fn deploy(s: &Site, lang: &str, args: &[&str]) -> Run {
    let mut a = vec!["deploy", "--root", s.root_str()];
    a.extend_from_slice(args);
    s.herald(lang, &a)
}

/// The numbers of the summary line `uploaded N, deleted M, unchanged K`.
fn summary(run: &Run) -> (usize, usize, usize) {
    let line = run
        .stdout
        .lines()
        .find(|l| l.starts_with("uploaded "))
        .unwrap_or_else(|| panic!("no summary in:\n{}", run.stdout));
    let n: Vec<usize> = line
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|p| p.parse().ok())
        .collect();
    assert_eq!(n.len(), 3, "{line}");
    (n[0], n[1], n[2])
}

fn files_of(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    files_under(dir)
        .into_iter()
        .map(|p| {
            let rel = p
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            (rel, std::fs::read(&p).unwrap())
        })
        .collect()
}

fn output_count(s: &Site) -> usize {
    s.output()
        .files()
        .iter()
        .filter(|f| !f.starts_with(".herald"))
        .count()
}

#[test]
fn deploy_local_twice_sends_nothing_the_second_time() {
    let s = site();
    let target = s.scratch().join("stick");
    let t = target.to_str().unwrap();
    let first = deploy(&s, "en", &[t]);
    first.assert_ok();
    let n = output_count(&s);
    assert_eq!(summary(&first), (n, 0, 0));
    let got = files_of(&target);
    assert!(got.contains_key(".herald-manifest.json"));
    assert!(got.contains_key("img/说明.txt"));
    assert!(!got.contains_key(".herald"), "the marker is not published");
    let hidden: Vec<_> = got.keys().filter(|k| k.starts_with('.')).collect();
    assert_eq!(
        hidden,
        [".herald-manifest.json"],
        "only the manifest is hidden"
    );
    let second = deploy(&s, "en", &[t]);
    second.assert_ok();
    assert_eq!(summary(&second), (0, 0, n));
    // A changed page goes, a removed one is deleted remotely.
    s.write(
        "content/cases/a.md",
        "---\ntitle: 甲\ndate: 2024-01-02\n---\n改过的正文\n",
    );
    s.remove("content/cases/b.md");
    s.build();
    let third = deploy(&s, "en", &[t]);
    third.assert_ok();
    let (up, del, _) = summary(&third);
    assert!(up >= 1 && del >= 1, "{}", third.stdout);
    assert!(!target.join("cases/b/index.html").exists());
    assert!(!target.join("cases/b").exists(), "emptied folders go too");
}

#[test]
fn deploy_summary_in_chinese_and_target_from_site_yaml() {
    let s = site();
    let target = s.scratch().join("网站");
    s.write(
        "site.yaml",
        &format!("{SITE_YAML}deploy:\n  target: {}\n", target.display()),
    );
    s.build();
    let run = deploy(&s, "zh", &[]);
    run.assert_ok();
    let n = output_count(&s);
    assert!(
        run.stdout
            .contains(&format!("上传 {n} 个，删除 0 个，未变 0 个")),
        "{}",
        run.stdout
    );
    let again = deploy(&s, "zh", &[]);
    assert!(again.stdout.starts_with("上传 0"), "{}", again.stdout);
}

#[test]
fn deploy_dry_run_lists_everything_and_changes_nothing() {
    let s = site();
    let target = s.scratch().join("stick");
    let t = target.to_str().unwrap();
    deploy(&s, "en", &[t]).assert_ok();
    s.write("static/new.css", "body{}");
    s.remove("content/cases/b.md");
    s.build();
    let before = files_of(&target);
    let run = deploy(&s, "en", &[t, "--dry-run"]);
    run.assert_ok();
    assert_eq!(files_of(&target), before, "a dry run changes nothing");
    assert!(run.stdout.contains("upload new.css"), "{}", run.stdout);
    assert!(
        run.stdout.contains("delete cases/b/index.html"),
        "{}",
        run.stdout
    );
    let (up, del, _) = summary(&run);
    let listed_up = run
        .stdout
        .lines()
        .filter(|l| l.starts_with("upload "))
        .count();
    let listed_del = run
        .stdout
        .lines()
        .filter(|l| l.starts_with("delete "))
        .count();
    assert_eq!((up, del), (listed_up, listed_del));
    // The real run does what the dry run said.
    assert_eq!(summary(&deploy(&s, "en", &[t])), summary(&run));
}

#[test]
fn deploy_refuses_more_deletes_than_the_limit_without_force() {
    let s = site();
    let target = s.scratch().join("stick");
    let t = target.to_str().unwrap();
    deploy(&s, "en", &[t]).assert_ok();
    s.remove("content/cases/a.md");
    s.remove("content/cases/b.md");
    s.build();
    let before = files_of(&target);
    let run = deploy(&s, "en", &[t, "--max-deletes", "1"]);
    assert!(!run.ok());
    run.assert_stderr_has("--force");
    assert_eq!(files_of(&target), before, "refused means untouched");
    let dry = deploy(&s, "en", &[t, "--max-deletes", "1", "--dry-run"]);
    dry.assert_ok();
    assert!(
        dry.stdout.contains("delete cases/a/index.html"),
        "{}",
        dry.stdout
    );
    assert!(dry.stdout.contains("--force"), "{}", dry.stdout);
    assert_eq!(files_of(&target), before);
    let zh = deploy(&s, "zh", &[t, "--max-deletes", "1"]);
    zh.assert_stderr_has("超过上限 1 个");
    let forced = deploy(&s, "en", &[t, "--max-deletes", "1", "--force"]);
    forced.assert_ok();
    assert!(summary(&forced).1 > 1);
}

#[test]
fn deploy_rerun_after_a_failure_finishes_the_job() {
    let s = site();
    let target = s.scratch().join("stick");
    let t = target.to_str().unwrap();
    // A file where the css folder must go: uploads stop there, after atom.xml got through.
    std::fs::create_dir_all(&target).unwrap();
    std::fs::write(target.join("css"), "in the way").unwrap();
    let failed = deploy(&s, "en", &[t]);
    assert!(!failed.ok(), "{}", failed.stdout);
    failed.assert_stderr_has("css");
    assert!(target.join("atom.xml").exists());
    std::fs::remove_file(target.join("css")).unwrap();
    let rerun = deploy(&s, "en", &[t]);
    rerun.assert_ok();
    let n = output_count(&s);
    let (up, del, unchanged) = summary(&rerun);
    assert!(
        unchanged >= 1 && up + unchanged == n && del == 0,
        "{}",
        rerun.stdout
    );
    assert_eq!(summary(&deploy(&s, "en", &[t])), (0, 0, n));
    for (rel, bytes) in files_of(&s.output().path("")) {
        if !rel.starts_with(".herald") {
            assert_eq!(std::fs::read(target.join(&rel)).ok(), Some(bytes), "{rel}");
        }
    }
}

#[test]
fn deploy_refuses_missing_output_and_folders_herald_did_not_make() {
    let s = Site::new();
    let t = s.scratch().join("stick");
    let run = deploy(&s, "zh", &[t.to_str().unwrap()]);
    assert!(!run.ok());
    run.assert_stderr_has("herald build");
    let other = s.scratch().join("docs");
    std::fs::create_dir_all(&other).unwrap();
    std::fs::write(other.join("index.html"), "mine").unwrap();
    let run = deploy(
        &s,
        "en",
        &[t.to_str().unwrap(), "--output", other.to_str().unwrap()],
    );
    assert!(!run.ok());
    run.assert_stderr_has("not a Herald output");
    assert!(!t.exists());
}

#[test]
fn deploy_config_rejects_credentials_in_site_yaml() {
    let s = Site::new().file(
        "site.yaml",
        &format!("{SITE_YAML}deploy:\n  target: s3://b/p\n  secret_access_key: abc\n"),
    );
    let run = s.check();
    assert!(!run.ok());
    run.assert_points_at("site.yaml", 4);
    run.assert_stderr_has("AWS_SECRET_ACCESS_KEY");
    let bad = Site::new().file(
        "site.yaml",
        &format!("{SITE_YAML}deploy:\n  target: ftp://x/y\n"),
    );
    bad.check().assert_points_at("site.yaml", 4);
}

// ---- real servers ----

fn skip() -> bool {
    std::env::var("HERALD_SKIP_DEPLOY").is_ok_and(|v| v == "1")
}

fn need(tool: &Path) {
    assert!(
        tool.exists(),
        "{} is missing: run scripts/install-test-deps (or set HERALD_SKIP_DEPLOY=1)",
        tool.display()
    );
}

struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn wait_for_port(port: u16, child: &mut Child, what: &str) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        if let Ok(Some(status)) = child.try_wait() {
            panic!("{what} exited with {status} before listening");
        }
        assert!(Instant::now() < deadline, "{what} did not listen on {port}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// One plain HTTP request to moto (which checks no signatures), for what opendal cannot do.
fn http(port: u16, method: &str, path: &str) -> String {
    let mut c = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        c,
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut out = String::new();
    let _ = c.read_to_string(&mut out);
    out
}

fn moto() -> Option<(Killed, u16)> {
    if skip() {
        return None;
    }
    let bin = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/test-venv/bin/moto_server");
    need(&bin);
    let port = free_port();
    let mut child = Command::new(&bin)
        .args(["-H", "127.0.0.1", "-p", &port.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    wait_for_port(port, &mut child, "moto_server");
    Some((Killed(child), port))
}

/// The bucket, read back with opendal (moto refuses unsigned reads).
fn bucket(port: u16) -> (opendal::Operator, tokio::runtime::Runtime) {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let b = opendal::services::S3::default()
        .bucket("site")
        .endpoint(&format!("http://127.0.0.1:{port}"))
        .region("us-east-1")
        .access_key_id("testing")
        .secret_access_key("testing")
        .disable_config_load()
        .disable_ec2_metadata();
    let op = opendal::Operator::new(b).unwrap().finish();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    (op, rt)
}

fn head(port: u16, key: &str) -> (Option<String>, Option<String>) {
    let (op, rt) = bucket(port);
    let m = rt
        .block_on(op.stat(key))
        .unwrap_or_else(|e| panic!("{key}: {e}"));
    (
        m.content_type().map(str::to_string),
        m.cache_control().map(str::to_string),
    )
}

fn exists(port: u16, key: &str) -> bool {
    let (op, rt) = bucket(port);
    rt.block_on(op.exists(key)).unwrap()
}

fn s3_env(port: u16) -> Vec<(&'static str, String)> {
    let _ = port;
    vec![
        ("AWS_ACCESS_KEY_ID", "testing".into()),
        ("AWS_SECRET_ACCESS_KEY", "testing".into()),
        ("AWS_REGION", "us-east-1".into()),
    ]
}

fn deploy_env(s: &Site, lang: &str, args: &[&str], env: &[(&str, String)]) -> Run {
    let mut cmd = Command::new(HERALD);
    cmd.args(["--lang", lang, "deploy", "--root", s.root_str()])
        .args(args)
        .current_dir(s.root())
        .env_remove("SSH_AUTH_SOCK");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    Run {
        command: format!("herald deploy {}", args.join(" ")),
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

#[test]
fn deploy_s3_to_moto_twice_with_headers() {
    let Some((_moto, port)) = moto() else { return };
    assert!(http(port, "PUT", "/site").contains("200"), "create bucket");
    let s = site();
    let endpoint = format!("http://127.0.0.1:{port}");
    let env = s3_env(port);
    let args = ["s3://site/minzheng", "--endpoint", endpoint.as_str()];
    let first = deploy_env(&s, "en", &args, &env);
    first.assert_ok();
    let n = output_count(&s);
    assert_eq!(summary(&first), (n, 0, 0));
    let second = deploy_env(&s, "en", &args, &env);
    second.assert_ok();
    assert_eq!(summary(&second), (0, 0, n));
    let zh = deploy_env(&s, "zh", &args, &env);
    assert!(zh.stdout.starts_with("上传 0 个"), "{}", zh.stdout);
    // Headers, as the bucket stores them.
    let page = head(port, "minzheng/index.html");
    assert_eq!(page.0.as_deref(), Some("text/html; charset=utf-8"));
    assert_eq!(page.1.as_deref(), Some("public, max-age=300"));
    let css = head(port, "minzheng/css/style.css");
    assert_eq!(css.0.as_deref(), Some("text/css; charset=utf-8"));
    assert_eq!(css.1.as_deref(), Some("public, max-age=86400"));
    assert!(exists(port, "minzheng/.herald-manifest.json"));
    // A deleted page is deleted from the bucket.
    s.remove("content/cases/b.md");
    s.build();
    let third = deploy_env(&s, "en", &args, &env);
    third.assert_ok();
    assert!(summary(&third).1 >= 1);
    assert!(!exists(port, "minzheng/cases/b/index.html"));
    assert!(exists(port, "minzheng/cases/a/index.html"));
    // No keys: a clear error naming the variable.
    let nokey = deploy_env(&s, "en", &args, &[]);
    assert!(!nokey.ok());
    nokey.assert_stderr_has("AWS_ACCESS_KEY_ID");
}

struct Sshd {
    _child: Killed,
    port: u16,
    dir: tempfile::TempDir,
    user: String,
}

fn keygen(path: &Path) {
    let ok = Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-f"])
        .arg(path)
        .status()
        .unwrap()
        .success();
    assert!(ok, "ssh-keygen");
}

fn sshd() -> Option<Sshd> {
    if skip() {
        return None;
    }
    let bin = Path::new("/usr/sbin/sshd");
    need(bin);
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    keygen(&d.join("host"));
    keygen(&d.join("user"));
    std::fs::copy(d.join("user.pub"), d.join("authorized_keys")).unwrap();
    std::fs::create_dir_all(d.join("home/.ssh")).unwrap();
    std::fs::create_dir_all(d.join("remote")).unwrap();
    let port = free_port();
    std::fs::write(
        d.join("sshd_config"),
        format!(
            "Port {port}\nListenAddress 127.0.0.1\nHostKey {0}/host\nPidFile {0}/sshd.pid\n\
             AuthorizedKeysFile {0}/authorized_keys\nStrictModes no\nUsePAM no\n\
             PasswordAuthentication no\nKbdInteractiveAuthentication no\n\
             PermitRootLogin prohibit-password\nSubsystem sftp internal-sftp\n",
            d.display()
        ),
    )
    .unwrap();
    // sshd started as root wants its privilege-separation folder.
    let _ = std::fs::create_dir_all("/run/sshd");
    let mut child = Command::new(bin)
        .arg("-D")
        .arg("-f")
        .arg(d.join("sshd_config"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    wait_for_port(port, &mut child, "sshd");
    let user = String::from_utf8(Command::new("id").arg("-un").output().unwrap().stdout)
        .unwrap()
        .trim()
        .to_string();
    Some(Sshd {
        _child: Killed(child),
        port,
        dir,
        user,
    })
}

impl Sshd {
    fn trust(&self) {
        let key = std::fs::read_to_string(self.dir.path().join("host.pub")).unwrap();
        std::fs::write(
            self.dir.path().join("home/.ssh/known_hosts"),
            format!("[127.0.0.1]:{} {key}", self.port),
        )
        .unwrap();
    }
    fn env(&self) -> Vec<(&'static str, String)> {
        let d = self.dir.path();
        vec![
            ("HOME", d.join("home").display().to_string()),
            ("HERALD_SSH_KEY", d.join("user").display().to_string()),
        ]
    }
    fn target(&self) -> String {
        format!(
            "sftp://{}@127.0.0.1:{}{}/site",
            self.user,
            self.port,
            self.dir.path().join("remote").display()
        )
    }
}

#[test]
fn deploy_sftp_to_openssh_twice() {
    let Some(server) = sshd() else { return };
    let s = site();
    let target = server.target();
    // Unknown host: refused, with how to add it.
    let unknown = deploy_env(&s, "en", &[&target], &server.env());
    assert!(!unknown.ok(), "{}", unknown.stdout);
    unknown.assert_stderr_has("known_hosts");
    server.trust();
    let first = deploy_env(&s, "en", &[&target], &server.env());
    first.assert_ok();
    let n = output_count(&s);
    assert_eq!(summary(&first), (n, 0, 0));
    let remote = server.dir.path().join("remote/site");
    for (rel, bytes) in files_of(&s.output().path("")) {
        if !rel.starts_with(".herald") {
            assert_eq!(std::fs::read(remote.join(&rel)).ok(), Some(bytes), "{rel}");
        }
    }
    assert!(remote.join(".herald-manifest.json").is_file());
    let second = deploy_env(&s, "zh", &[&target], &server.env());
    second.assert_ok();
    assert!(second.stdout.starts_with("上传 0 个"), "{}", second.stdout);
    s.remove("content/cases/b.md");
    s.build();
    let third = deploy_env(&s, "en", &[&target], &server.env());
    third.assert_ok();
    assert!(summary(&third).1 >= 1);
    assert!(!remote.join("cases/b/index.html").exists());
}
