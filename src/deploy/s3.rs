//! An S3-compatible bucket (AWS S3, 阿里云 OSS, 腾讯云 COS, 华为云 OBS, MinIO) through
//! opendal's S3 service. Credentials come from the environment only: opendal's loading of
//! `~/.aws/config` and of cloud instance metadata is turned off.

use std::path::Path;

use opendal::{services, ErrorKind, Operator};

use super::{Remote, MANIFEST};
use crate::error::{Error, Location};

pub(super) struct S3 {
    op: Operator,
    rt: tokio::runtime::Runtime,
    target: String,
}

/// Hosts that answer only virtual-hosted requests (`bucket.host`); MinIO and most private
/// servers want path-style (`host/bucket`), which is opendal's default.
const VIRTUAL_HOSTED: &[&str] = &["aliyuncs.com", "myqcloud.com", "myhuaweicloud.com"];

fn env(var: &'static str, at: &Location) -> Result<String, Error> {
    std::env::var(var)
        .ok()
        .filter(|v| !v.trim().is_empty())
        .ok_or_else(|| Error::NoCredentials {
            at: at.clone(),
            var,
        })
}

impl S3 {
    pub(super) fn connect(
        bucket: &str,
        prefix: &str,
        endpoint: Option<&str>,
        at: &Location,
    ) -> Result<S3, Error> {
        let key = env("AWS_ACCESS_KEY_ID", at)?;
        let secret = env("AWS_SECRET_ACCESS_KEY", at)?;
        let region = std::env::var("AWS_REGION").unwrap_or_else(|_| "us-east-1".into());
        let target = format!("s3://{bucket}/{prefix}");
        let remote = |message: String| Error::remote(at, &target, "connect", "", message);
        // reqwest's rustls has no crypto provider of its own here (see Cargo.toml).
        let _ = rustls::crypto::ring::default_provider().install_default();
        let mut b = services::S3::default()
            .bucket(bucket)
            .root(&format!("/{prefix}"))
            .region(&region)
            .access_key_id(&key)
            .secret_access_key(&secret)
            .disable_config_load()
            .disable_ec2_metadata();
        if let Some(e) = endpoint {
            let e = e.trim().trim_end_matches('/');
            b = b.endpoint(e);
            let host = e.split("://").nth(1).unwrap_or(e);
            let host = host.split(['/', ':']).next().unwrap_or(host);
            if VIRTUAL_HOSTED.iter().any(|h| host.ends_with(h)) {
                b = b.enable_virtual_host_style();
            }
        }
        if let Ok(token) = std::env::var("AWS_SESSION_TOKEN") {
            b = b.session_token(&token);
        }
        let op = Operator::new(b)
            .map_err(|e| remote(e.to_string()))?
            .finish();
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| remote(e.to_string()))?;
        Ok(S3 { op, rt, target })
    }

    fn fail(&self, action: &'static str, path: &str, e: opendal::Error) -> Error {
        Error::remote(
            &Location::file(""),
            &self.target,
            action,
            path,
            e.to_string(),
        )
    }
}

/// `Content-Type`, with the charset for text (pages are UTF-8).
pub(super) fn content_type(rel: &str) -> String {
    let mime = mime_guess::from_path(rel).first_or_octet_stream();
    let t = mime.essence_str();
    if t.starts_with("text/") || t == "application/javascript" || t.ends_with("xml") {
        format!("{t}; charset=utf-8")
    } else {
        t.to_string()
    }
}

/// Pages and feeds change with every build: a short cache. A fingerprinted name
/// (`style.3f9a1c2b.css`) never changes content: a year. Other assets: a day.
pub(super) fn cache_control(rel: &str) -> &'static str {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    let parts: Vec<&str> = name.split('.').collect();
    let fingerprinted = parts.len() >= 3
        && parts[1..parts.len() - 1]
            .iter()
            .any(|p| p.len() >= 8 && p.chars().all(|c| c.is_ascii_hexdigit()));
    let page = [".html", ".xml", ".txt", ".json"]
        .iter()
        .any(|e| name.ends_with(e))
        || !name.contains('.');
    if page {
        "public, max-age=300"
    } else if fingerprinted {
        "public, max-age=31536000, immutable"
    } else {
        "public, max-age=86400"
    }
}

impl Remote for S3 {
    fn get_manifest(&mut self) -> Result<Option<Vec<u8>>, Error> {
        match self.rt.block_on(self.op.read(MANIFEST)) {
            Ok(buf) => Ok(Some(buf.to_vec())),
            Err(e) if e.kind() == ErrorKind::NotFound => Ok(None),
            Err(e) => Err(self.fail("read", MANIFEST, e)),
        }
    }

    fn put(&mut self, rel: &str, local: &Path) -> Result<(), Error> {
        let bytes = std::fs::read(local).map_err(|e| Error::io(local, "read", e))?;
        let w = self
            .op
            .write_with(rel, bytes)
            .content_type(&content_type(rel))
            .cache_control(cache_control(rel));
        self.rt
            .block_on(async { w.await })
            .map(|_| ())
            .map_err(|e| self.fail("upload", rel, e))
    }

    fn put_manifest(&mut self, bytes: &[u8]) -> Result<(), Error> {
        let w = self
            .op
            .write_with(MANIFEST, bytes.to_vec())
            .content_type("application/json")
            .cache_control("no-cache");
        self.rt
            .block_on(async { w.await })
            .map(|_| ())
            .map_err(|e| self.fail("upload", MANIFEST, e))
    }

    fn delete(&mut self, rel: &str) -> Result<(), Error> {
        self.rt
            .block_on(self.op.delete(rel))
            .map_err(|e| self.fail("delete", rel, e))
    }
}
