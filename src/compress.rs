//! `herald build --compress`: a `.gz` beside every text file of the output (HTML, CSS, JS,
//! XML, SVG, TXT, JSON), for a web server that sends a file's precompressed copy itself
//! (nginx `gzip_static on`, see docs/deploy.md) instead of compressing it on every request.
//! Best compression, since it is done once per build; no file name or time in the gzip
//! header, so an unchanged page gives the same `.gz` and a rebuild does not rewrite it.

use std::io::Write;

/// Whether the output at `path` gets a `.gz`: text that compresses, and not too small to
/// gain from it (a gzip header and trailer are 18 bytes).
pub(crate) fn wants(path: &str, len: usize) -> bool {
    const TEXT: [&str; 8] = [
        ".html", ".css", ".js", ".xml", ".svg", ".txt", ".json", ".map",
    ];
    len >= 256 && TEXT.iter().any(|e| path.ends_with(e))
}

pub(crate) fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::GzBuilder::new().write(
        Vec::with_capacity(bytes.len() / 3),
        flate2::Compression::best(),
    );
    // Writing into a Vec cannot fail.
    let _ = enc.write_all(bytes);
    enc.finish().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_compressed_and_reads_back() {
        let page = "<p>宣页</p>".repeat(100);
        let gz = gzip(page.as_bytes());
        assert!(gz.len() < page.len() / 5);
        let mut back = String::new();
        std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&gz[..]), &mut back)
            .expect("gunzip");
        assert_eq!(back, page);
        assert_eq!(gzip(page.as_bytes()), gz, "the same bytes every time");
        assert!(wants("a/index.html", 300) && !wants("a.jpg", 9000) && !wants("x.css", 10));
    }
}
