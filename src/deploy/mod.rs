//! `herald deploy`: publish the last build's output folder to a local folder, an SFTP account
//! or an S3-compatible bucket, sending only what changed since the last deploy.
//!
//! The target keeps a manifest (`manifest`) of what Herald published there. A deploy uploads
//! the files whose size or hash differ from it, assets before pages (a visitor never gets a
//! page whose stylesheet is not there yet), deletes what it published before and the output no
//! longer has, and writes the manifest last. A deploy that fails half-way writes what it did
//! finish into the manifest, so running it again completes the job.

mod local;
pub mod manifest;
mod s3;
mod sftp;

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use crate::diagnostics::publish as words;
use crate::diagnostics::Lang;
use crate::error::{Diagnostics, Error, Location, TargetProblem};
pub use manifest::MANIFEST;
use manifest::{LocalFile, Manifest};

/// What a target can do; every path is output-relative with `/`.
pub(crate) trait Remote {
    fn get_manifest(&mut self) -> Result<Option<Vec<u8>>, Error>;
    fn put(&mut self, rel: &str, local: &Path) -> Result<(), Error>;
    fn put_manifest(&mut self, bytes: &[u8]) -> Result<(), Error>;
    fn delete(&mut self, rel: &str) -> Result<(), Error>;
    /// How many puts and deletes to queue before `flush` (one SFTP session per batch).
    fn batch(&self) -> usize {
        1
    }
    /// Completes the queued operations; only then are they recorded in the manifest.
    fn flush(&mut self) -> Result<(), Error> {
        Ok(())
    }
}

/// A parsed `TARGET`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Local(PathBuf),
    Sftp {
        user: String,
        host: String,
        port: u16,
        /// Absolute, without a trailing `/`.
        path: String,
    },
    S3 {
        bucket: String,
        /// Without leading or trailing `/`; may be empty.
        prefix: String,
    },
}

impl Target {
    pub fn parse(text: &str, at: &Location) -> Result<Target, Error> {
        let bad = |problem| Error::BadTarget {
            at: at.clone(),
            target: text.to_string(),
            problem,
        };
        let t = text.trim();
        if let Some(rest) = t.strip_prefix("s3://") {
            let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
            if bucket.is_empty() || bucket.contains(['@', ':', ' ']) {
                return Err(bad(TargetProblem::S3));
            }
            return Ok(Target::S3 {
                bucket: bucket.to_string(),
                prefix: prefix.trim_matches('/').to_string(),
            });
        }
        if let Some(rest) = t.strip_prefix("sftp://") {
            let (auth, path) = rest
                .split_once('/')
                .ok_or_else(|| bad(TargetProblem::Sftp))?;
            let (user, hostport) = auth
                .split_once('@')
                .ok_or_else(|| bad(TargetProblem::Sftp))?;
            let (host, port) = match hostport.rsplit_once(':') {
                Some((h, p)) => (h, p.parse().map_err(|_| bad(TargetProblem::Sftp))?),
                None => (hostport, 22),
            };
            let ok = |s: &str| {
                !s.is_empty() && !s.starts_with('-') && s.chars().all(|c| c.is_ascii_graphic())
            };
            if !ok(user) || !ok(host) {
                return Err(bad(TargetProblem::Sftp));
            }
            return Ok(Target::Sftp {
                user: user.to_string(),
                host: host.to_string(),
                port,
                path: format!("/{}", path.trim_end_matches('/')),
            });
        }
        if t.is_empty() || (t.contains("://") && !t.starts_with("file://")) {
            return Err(bad(TargetProblem::Scheme));
        }
        Ok(Target::Local(PathBuf::from(
            t.strip_prefix("file://").unwrap_or(t),
        )))
    }

    /// How the summary and errors name it (never with credentials: it has none).
    pub fn show(&self) -> String {
        match self {
            Target::Local(p) => p.display().to_string(),
            Target::Sftp {
                user,
                host,
                port,
                path,
            } => format!("sftp://{user}@{host}:{port}{path}"),
            Target::S3 { bucket, prefix } => format!("s3://{bucket}/{prefix}"),
        }
    }
}

pub fn check_endpoint(url: &str, at: &Location) -> Result<(), Error> {
    let u = url.trim();
    let rest = u
        .strip_prefix("https://")
        .or_else(|| u.strip_prefix("http://"));
    match rest {
        Some(host) if !host.is_empty() && !host.contains(char::is_whitespace) => Ok(()),
        _ => Err(Error::BadTarget {
            at: at.clone(),
            target: url.to_string(),
            problem: TargetProblem::Endpoint,
        }),
    }
}

#[derive(Debug, Clone)]
pub struct DeployOptions {
    pub root: PathBuf,
    pub output: Option<PathBuf>,
    pub target: Option<String>,
    pub endpoint: Option<String>,
    pub dry_run: bool,
    pub max_deletes: usize,
    pub force: bool,
    pub lang: Lang,
}

/// What a deploy did (or, with `--dry-run`, would do).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Summary {
    pub uploaded: usize,
    pub deleted: usize,
    pub unchanged: usize,
}

/// The checked output folder of the last build.
pub fn output_dir(root: &Path, output: Option<&Path>) -> Result<PathBuf, Error> {
    let out = output.map_or_else(|| root.join("output"), Path::to_path_buf);
    if !out.is_dir() {
        return Err(Error::NoOutput {
            at: Location::file(&out),
        });
    }
    if !out.join(crate::output::MARKER).is_file() {
        return Err(Error::NotOutput {
            at: Location::file(&out),
        });
    }
    Ok(out)
}

/// Runs `herald deploy`; the message is the summary (after the dry run's list).
pub fn run(opts: &DeployOptions) -> Result<String, Diagnostics> {
    let out = output_dir(&opts.root, opts.output.as_deref())?;
    let site = crate::config::SITE_FILE;
    let cfg = if opts.root.join(site).is_file() {
        Some(crate::config::Config::load(&opts.root, None)?)
    } else {
        None
    };
    let deploy_cfg = cfg.map(|c| c.deploy).unwrap_or_default();
    let cli = Location::file("");
    let (text, at) = match (&opts.target, &deploy_cfg.target) {
        (Some(t), _) => (t.clone(), cli.clone()),
        (None, Some(t)) => (
            t.clone(),
            deploy_cfg
                .at
                .clone()
                .unwrap_or_else(|| Location::file(site)),
        ),
        (None, None) => {
            return Err(Error::NoTarget {
                at: Location::file(site),
            }
            .into())
        }
    };
    let target = Target::parse(&text, &at)?;
    let endpoint = match (&opts.endpoint, &deploy_cfg.endpoint) {
        (Some(e), _) => Some((e.clone(), cli)),
        (None, Some(e)) => Some((e.clone(), at.clone())),
        (None, None) => None,
    };
    if let Some((e, at)) = &endpoint {
        check_endpoint(e, at)?;
    }
    let mut remote: Box<dyn Remote> = match &target {
        Target::Local(dir) => {
            let dir = local_target(&opts.root, &out, dir, &at)?;
            Box::new(local::Local { dir })
        }
        Target::Sftp { .. } => Box::new(sftp::Sftp::connect(&target, &at)?),
        Target::S3 { bucket, prefix } => Box::new(s3::S3::connect(
            bucket,
            prefix,
            endpoint.as_ref().map(|(e, _)| e.as_str()),
            &at,
        )?),
    };
    let files = manifest::scan(&out)?;
    let summary = publish(remote.as_mut(), &files, opts, &target.show())?;
    Ok(summary)
}

/// A local target must not be the output, inside it, or hold the site or the output.
fn local_target(root: &Path, out: &Path, dir: &Path, at: &Location) -> Result<PathBuf, Error> {
    let abs = |p: &Path| p.canonicalize().unwrap_or_else(|_| p.to_path_buf());
    let (d, o, r) = (abs(dir), abs(out), abs(root));
    if d.starts_with(&o) || o.starts_with(&d) || r.starts_with(&d) {
        return Err(Error::BadTarget {
            at: at.clone(),
            target: dir.display().to_string(),
            problem: TargetProblem::Overlaps,
        });
    }
    Ok(dir.to_path_buf())
}

/// Compares, checks the delete limit, and sends.
fn publish(
    remote: &mut dyn Remote,
    files: &[LocalFile],
    opts: &DeployOptions,
    target: &str,
) -> Result<String, Diagnostics> {
    let old = Manifest::parse(remote.get_manifest()?.as_deref());
    let mut uploads: Vec<&LocalFile> = files
        .iter()
        .filter(|f| old.files.get(&f.rel) != Some(&f.entry))
        .collect();
    // Assets first, pages after them: a page never arrives before what it uses.
    uploads.sort_by_key(|f| (f.rel.ends_with(".html"), f.rel.clone()));
    let keep: std::collections::HashSet<&str> = files.iter().map(|f| f.rel.as_str()).collect();
    let deletes: Vec<String> = old
        .files
        .keys()
        .filter(|k| !keep.contains(k.as_str()))
        .cloned()
        .collect();
    let summary = Summary {
        uploaded: uploads.len(),
        deleted: deletes.len(),
        unchanged: files.len() - uploads.len(),
    };
    let too_many = deletes.len() > opts.max_deletes && !opts.force;
    if too_many && !opts.dry_run {
        return Err(Error::TooManyDeletes {
            at: Location::file(target),
            count: deletes.len(),
            max: opts.max_deletes,
        }
        .into());
    }
    let lang = opts.lang;
    if opts.dry_run {
        let mut s = String::new();
        for f in &uploads {
            s.push_str(&words::would(true, &f.rel, lang));
            s.push('\n');
        }
        for d in &deletes {
            s.push_str(&words::would(false, d, lang));
            s.push('\n');
        }
        s.push_str(&summary_line(&summary, lang));
        s.push('\n');
        s.push_str(words::dry_run_note(lang));
        if too_many {
            // The dry run is how a user looks before --force, so it lists, then warns.
            s.push('\n');
            s.push_str(&words::would_refuse(deletes.len(), opts.max_deletes, lang));
        }
        return Ok(s);
    }
    let mut now = old.clone();
    let result = send(remote, &uploads, &deletes, &mut now);
    if result.is_err() && now.files != old.files {
        // What did get done is recorded, so the rerun sends only the rest.
        let _ = remote.put_manifest(&now.to_bytes());
    }
    result?;
    remote.put_manifest(&now.to_bytes())?;
    Ok(summary_line(&summary, lang))
}

fn send(
    remote: &mut dyn Remote,
    uploads: &[&LocalFile],
    deletes: &[String],
    now: &mut Manifest,
) -> Result<(), Error> {
    let total = uploads.len() + deletes.len();
    let mut bar = Bar::new(total);
    let batch = remote.batch().max(1);
    for chunk in uploads.chunks(batch) {
        for f in chunk {
            remote.put(&f.rel, &f.path)?;
        }
        remote.flush()?;
        for f in chunk {
            now.files.insert(f.rel.clone(), f.entry.clone());
            bar.tick();
        }
    }
    for chunk in deletes.chunks(batch) {
        for d in chunk {
            remote.delete(d)?;
        }
        remote.flush()?;
        for d in chunk {
            now.files.remove(d);
            bar.tick();
        }
    }
    Ok(())
}

pub fn summary_line(s: &Summary, lang: Lang) -> String {
    words::summary(s.uploaded, s.deleted, s.unchanged, lang)
}

/// A progress bar on stderr, only on a terminal (scripts and logs get the summary alone).
struct Bar {
    total: usize,
    done: usize,
    on: bool,
}

impl Bar {
    fn new(total: usize) -> Bar {
        Bar {
            total,
            done: 0,
            on: total > 0 && std::io::stderr().is_terminal(),
        }
    }
    fn tick(&mut self) {
        self.done += 1;
        if self.on {
            let width = 30;
            let filled = self.done * width / self.total.max(1);
            eprint!(
                "\r[{}{}] {}/{}",
                "#".repeat(filled),
                " ".repeat(width - filled),
                self.done,
                self.total
            );
            if self.done == self.total {
                eprint!("\r\x1b[2K");
            }
            let _ = std::io::stderr().flush();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(t: &str) -> Result<Target, Error> {
        Target::parse(t, &Location::file(""))
    }

    #[test]
    fn targets_parse() {
        assert_eq!(
            parse("sftp://web@host.example:2222/var/www/").ok(),
            Some(Target::Sftp {
                user: "web".into(),
                host: "host.example".into(),
                port: 2222,
                path: "/var/www".into(),
            })
        );
        assert!(matches!(
            parse("sftp://host/var/www"),
            Err(Error::BadTarget {
                problem: TargetProblem::Sftp,
                ..
            })
        ));
        assert_eq!(
            parse("s3://bucket/a/b/").ok(),
            Some(Target::S3 {
                bucket: "bucket".into(),
                prefix: "a/b".into(),
            })
        );
        assert!(parse("s3://").is_err());
        assert!(parse("ftp://x/y").is_err());
        assert_eq!(
            parse("E:/网站").ok(),
            Some(Target::Local(PathBuf::from("E:/网站")))
        );
    }

    #[test]
    fn cache_headers() {
        assert_eq!(s3::cache_control("index.html"), "public, max-age=300");
        assert_eq!(
            s3::cache_control("css/style.3f9a1c2b.css"),
            "public, max-age=31536000, immutable"
        );
        assert_eq!(s3::cache_control("img/a.jpg"), "public, max-age=86400");
        assert_eq!(s3::content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(s3::content_type("a.png"), "image/png");
    }
}
