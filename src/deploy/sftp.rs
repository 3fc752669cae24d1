//! An SFTP account, through the system's OpenSSH `sftp` in batch mode.
//!
//! Why not a Rust SSH stack: opendal's SFTP service drives the `openssh` crate, which also
//! runs the system `ssh` but through a control socket, and that exists on Unix only (staff
//! use Windows; Windows 10 and later ship OpenSSH's `sftp.exe`). `ssh2`/`russh` would mean
//! re-implementing known_hosts checking and agent access per platform. The system client
//! already does both exactly as the user's own `ssh` does: the agent, `HERALD_SSH_KEY`, and
//! `~/.ssh/known_hosts` with `StrictHostKeyChecking=yes` (an unknown host is refused).

use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use super::{Remote, Target, MANIFEST};
use crate::error::{Error, Location};

pub(super) struct Sftp {
    user: String,
    host: String,
    port: u16,
    /// The absolute remote folder.
    base: String,
    key: Option<PathBuf>,
    known_hosts: Option<PathBuf>,
    /// Commands waiting for the next `flush`, one sftp session per batch.
    pending: String,
    made: HashSet<String>,
    at: Location,
}

/// Quotes a path for an sftp batch line.
fn quote(p: &str) -> String {
    format!("\"{}\"", p.replace('\\', "\\\\").replace('"', "\\\""))
}

fn temp_file(tag: &str) -> PathBuf {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    std::env::temp_dir().join(format!("herald-{tag}-{}-{nanos}", std::process::id()))
}

impl Sftp {
    pub(super) fn connect(target: &Target, at: &Location) -> Result<Sftp, Error> {
        let Target::Sftp {
            user,
            host,
            port,
            path,
        } = target
        else {
            return Err(Error::NoTarget { at: at.clone() });
        };
        let home = std::env::var_os("HOME")
            .or_else(|| std::env::var_os("USERPROFILE"))
            .map(PathBuf::from);
        let mut s = Sftp {
            user: user.clone(),
            host: host.clone(),
            port: *port,
            base: path.clone(),
            key: std::env::var_os("HERALD_SSH_KEY").map(PathBuf::from),
            known_hosts: home.map(|h| h.join(".ssh").join("known_hosts")),
            pending: String::new(),
            made: HashSet::new(),
            at: at.clone(),
        };
        // One session up front: a wrong host key or login fails here, before any planning.
        s.pending.push_str("pwd\n");
        s.flush()?;
        Ok(s)
    }

    fn remote_path(&self, rel: &str) -> String {
        format!("{}/{rel}", self.base)
    }

    fn fail(&self, action: &'static str, path: &str, message: String) -> Error {
        let target = format!(
            "sftp://{}@{}:{}{}",
            self.user, self.host, self.port, self.base
        );
        Error::remote(&self.at, &target, action, path, message)
    }

    /// Runs the pending commands in one `sftp -b -` session.
    fn run(&self, commands: &str) -> Result<(), Error> {
        let mut cmd = Command::new("sftp");
        cmd.args(["-b", "-", "-P", &self.port.to_string()])
            .args(["-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes"])
            .args(["-o", "ConnectTimeout=20"]);
        if let Some(kh) = &self.known_hosts {
            cmd.arg("-o")
                .arg(format!("UserKnownHostsFile={}", kh.display()));
        }
        if let Some(key) = &self.key {
            cmd.arg("-i").arg(key);
        }
        cmd.arg(format!("{}@{}", self.user, self.host))
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        let mut child = cmd
            .spawn()
            .map_err(|e| self.fail("connect", "", format!("sftp: {e}")))?;
        if let Some(mut stdin) = child.stdin.take() {
            let _ = stdin.write_all(commands.as_bytes());
        }
        let out = child
            .wait_with_output()
            .map_err(|e| self.fail("connect", "", e.to_string()))?;
        if out.status.success() {
            return Ok(());
        }
        let err = String::from_utf8_lossy(&out.stderr).trim().to_string();
        if err.contains("Host key verification failed")
            || err.contains("No ED25519 host key")
            || err.contains("host key is known")
        {
            return Err(Error::UnknownHost {
                at: self.at.clone(),
                host: self.host.clone(),
                port: self.port,
            });
        }
        // A login that fails says so; anything else failed while sending.
        let login = [
            "Permission denied",
            "Connection refused",
            "Connection closed",
            "Could not resolve",
        ];
        let action = if login.iter().any(|m| err.contains(m)) {
            "connect"
        } else {
            "upload"
        };
        Err(self.fail(action, "", err))
    }

    fn mkdirs(&mut self, rel: &str) {
        let mut dir = self.base.clone();
        for part in rel
            .split('/')
            .collect::<Vec<_>>()
            .split_last()
            .map_or(&[][..], |(_, p)| p)
        {
            dir = format!("{dir}/{part}");
            if self.made.insert(dir.clone()) {
                self.pending.push_str(&format!("-mkdir {}\n", quote(&dir)));
            }
        }
    }
}

impl Remote for Sftp {
    fn get_manifest(&mut self) -> Result<Option<Vec<u8>>, Error> {
        let tmp = temp_file("manifest");
        let cmd = format!(
            "-get {} {}\n",
            quote(&self.remote_path(MANIFEST)),
            quote(&tmp.to_string_lossy())
        );
        self.run(&cmd)?;
        let bytes = std::fs::read(&tmp).ok();
        let _ = std::fs::remove_file(&tmp);
        Ok(bytes)
    }

    fn put(&mut self, rel: &str, local: &Path) -> Result<(), Error> {
        if self.made.is_empty() {
            self.mkdirs_base();
        }
        self.mkdirs(rel);
        self.pending.push_str(&format!(
            "put {} {}\n",
            quote(&local.to_string_lossy()),
            quote(&self.remote_path(rel))
        ));
        Ok(())
    }

    fn put_manifest(&mut self, bytes: &[u8]) -> Result<(), Error> {
        let tmp = temp_file("manifest-up");
        std::fs::write(&tmp, bytes).map_err(|e| Error::io(&tmp, "write", e))?;
        let cmd = format!(
            "put {} {}\n",
            quote(&tmp.to_string_lossy()),
            quote(&self.remote_path(MANIFEST))
        );
        let r = self.run(&cmd);
        let _ = std::fs::remove_file(&tmp);
        r
    }

    fn delete(&mut self, rel: &str) -> Result<(), Error> {
        self.pending
            .push_str(&format!("-rm {}\n", quote(&self.remote_path(rel))));
        // Folders left empty go too; rmdir refuses the others.
        let parts: Vec<&str> = rel.split('/').collect();
        for n in (1..parts.len()).rev() {
            let dir = self.remote_path(&parts[..n].join("/"));
            self.pending.push_str(&format!("-rmdir {}\n", quote(&dir)));
        }
        Ok(())
    }

    fn batch(&self) -> usize {
        64
    }

    fn flush(&mut self) -> Result<(), Error> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let commands = std::mem::take(&mut self.pending);
        self.run(&commands)
    }
}

impl Sftp {
    /// The remote folder itself, made if missing (`mkdir -p`).
    fn mkdirs_base(&mut self) {
        let mut dir = String::new();
        for part in self.base.split('/').filter(|p| !p.is_empty()) {
            dir = format!("{dir}/{part}");
            if self.made.insert(dir.clone()) {
                self.pending.push_str(&format!("-mkdir {}\n", quote(&dir)));
            }
        }
    }
}
