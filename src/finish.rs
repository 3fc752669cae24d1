//! What `herald build` does to outputs on their way to the disk: fingerprinted stylesheet
//! names and relative URLs in pages (`fingerprint`, `relative`), and `.gz` copies (`compress`).

use std::path::Path;

use crate::config::Config;
use crate::error::Error;
use crate::output::Staging;

/// An HTML output as `herald build` writes it: stylesheets and scripts by their fingerprinted
/// names, and in relative mode every internal URL relative (`relative::html`). `None`: as it is.
pub(crate) fn html(
    config: &Config,
    fingerprints: &crate::fingerprint::Fingerprints,
    path: &str,
    bytes: &[u8],
) -> Option<Vec<u8>> {
    if !path.ends_with(".html") {
        return None;
    }
    let named = fingerprints.apply(bytes);
    if config.relative_urls {
        let text = std::str::from_utf8(named.as_deref().unwrap_or(bytes)).ok()?;
        Some(crate::relative::html(path, text, &config.base_path).into_bytes())
    } else {
        named
    }
}

/// With `--compress`, `rel.gz` beside a text output.
pub(crate) fn compressed(
    compress: bool,
    staging: &Staging,
    rel: &str,
    bytes: &[u8],
) -> Result<(), Error> {
    if compress && crate::compress::wants(rel, bytes.len()) {
        staging.write(&format!("{rel}.gz"), &crate::compress::gzip(bytes))?;
    }
    Ok(())
}

pub(crate) fn compressed_file(
    compress: bool,
    staging: &Staging,
    rel: &str,
    file: &Path,
) -> Result<(), Error> {
    if !compress || !crate::compress::wants(rel, usize::MAX) {
        return Ok(());
    }
    let bytes = std::fs::read(file).map_err(|e| Error::io(file, "read", e))?;
    compressed(compress, staging, rel, &bytes)
}
