//! `herald package`: the last build's output as `site-<YYYYMMDD>.zip` in the site folder, with
//! a `SHA256SUMS` file inside, for handing the site to an IT office on a stick or by mail.

use std::io::Write;
use std::path::{Path, PathBuf};

use zip::write::SimpleFileOptions;

use crate::deploy::manifest;
use crate::error::{Diagnostics, Error};

pub const SUMS: &str = "SHA256SUMS";

/// Now in China Standard Time (the site's zone, see date.rs).
fn now() -> jiff::civil::DateTime {
    jiff::tz::offset(8).to_datetime(jiff::Timestamp::now())
}

/// Today as `YYYYMMDD`.
fn today() -> String {
    let d = now();
    format!("{:04}{:02}{:02}", d.year(), d.month(), d.day())
}

/// The zip's entries are dated when it was made (zip dates have no zone: local time).
fn zip_time() -> zip::DateTime {
    let d = now();
    let n = |v: i8| u8::try_from(v).unwrap_or(0);
    zip::DateTime::from_date_and_time(
        u16::try_from(d.year()).unwrap_or(1980),
        n(d.month()),
        n(d.day()),
        n(d.hour()),
        n(d.minute()),
        n(d.second()),
    )
    .unwrap_or_default()
}

/// Writes the zip; returns its path.
pub fn package(root: &Path, output: Option<&Path>) -> Result<PathBuf, Diagnostics> {
    let out = crate::deploy::output_dir(root, output)?;
    let files = manifest::scan(&out)?;
    let zip_path = root.join(format!("site-{}.zip", today()));
    let part = root.join(format!("site-{}.zip.part", today()));
    let write = |e: std::io::Error| Error::io(&part, "write", e);
    let zip_err = |e: zip::result::ZipError| write(std::io::Error::other(e.to_string()));
    let file = std::fs::File::create(&part).map_err(write)?;
    let mut zip = zip::ZipWriter::new(std::io::BufWriter::new(file));
    let opts = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .unix_permissions(0o644)
        .last_modified_time(zip_time());
    // `sha256sum -c` reads this format: the hash, two spaces, the path.
    let mut sums = String::new();
    for f in &files {
        // Names that are not ASCII get the zip's UTF-8 flag (the crate sets it for them).
        zip.start_file(f.rel.as_str(), opts).map_err(zip_err)?;
        let bytes = std::fs::read(&f.path).map_err(|e| Error::io(&f.path, "read", e))?;
        zip.write_all(&bytes).map_err(write)?;
        sums.push_str(&format!("{}  {}\n", f.entry.sha256, f.rel));
    }
    zip.start_file(SUMS, opts).map_err(zip_err)?;
    zip.write_all(sums.as_bytes()).map_err(write)?;
    let mut inner = zip.finish().map_err(zip_err)?;
    inner.flush().map_err(write)?;
    drop(inner);
    std::fs::rename(&part, &zip_path).map_err(|e| Error::io(&zip_path, "rename", e))?;
    Ok(zip_path)
}

pub fn message(zip: &Path, lang: crate::diagnostics::Lang) -> String {
    let name = zip
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    crate::diagnostics::publish::packaged(&name, SUMS, lang)
}
