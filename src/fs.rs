//! File reading and writing that names the file in every error, and text decoding that copes
//! with what Windows editors save (a UTF-8 BOM, CRLF, GBK).

use std::path::Path;

use crate::error::{Diagnostics, Error, Location, Warning};

/// Larger source files are refused: a report is kilobytes; 16 MB is a pasted book.
pub(crate) const MAX_SOURCE_BYTES: u64 = 16 * 1024 * 1024;

pub(crate) fn read(path: &Path) -> Result<Vec<u8>, Error> {
    std::fs::read(path).map_err(|e| Error::io(path, "read", e))
}

/// Reads a text file as UTF-8 with `\n` line ends and no BOM.
///
/// A file that is not UTF-8 but decodes cleanly as GB18030 (the superset of GBK that Chinese
/// Windows saves as "ANSI") is converted with a warning; anything else is refused with a
/// message that says how to re-save it. Never a mojibake page.
pub(crate) fn read_text(path: &Path, diags: &mut Diagnostics) -> Result<String, Error> {
    let size = std::fs::metadata(path)
        .map_err(|e| Error::io(path, "read", e))?
        .len();
    if size > MAX_SOURCE_BYTES {
        return Err(Error::TooLarge {
            at: Location::file(path),
            size,
            limit: MAX_SOURCE_BYTES,
        });
    }
    let bytes = read(path)?;
    decode(path, bytes, diags)
}

pub(crate) fn decode(
    path: &Path,
    bytes: Vec<u8>,
    diags: &mut Diagnostics,
) -> Result<String, Error> {
    let bytes = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => rest.to_vec(),
        None => bytes,
    };
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let bytes = e.into_bytes();
            if let Some(text) = decode_utf16(&bytes) {
                text
            } else {
                let (text, had_errors) = encoding_rs::GB18030.decode_without_bom_handling(&bytes);
                if had_errors {
                    return Err(Error::NotUtf8 {
                        at: Location::file(path),
                        guess: None,
                    });
                }
                diags.warnings.push(Warning::Decoded {
                    at: Location::file(path),
                    encoding: "GBK/GB18030",
                });
                text.into_owned()
            }
        }
    };
    let text = if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text
    };
    Ok(strip_controls(path, text, diags))
}

/// Control characters other than tab and newline are invalid in XML and HTML (a pasted Word
/// text brings \x01, \x0b, ESC…): removed here, where every source text passes, so no output
/// can carry them. One warning per file, at the first line that had one.
pub(crate) fn strip_controls(path: &Path, text: String, diags: &mut Diagnostics) -> String {
    let bad = |c: char| is_stray_control(c);
    let Some(first) = text.find(bad) else {
        return text;
    };
    let line = text[..first].matches('\n').count() + 1;
    let count = text.chars().filter(|&c| bad(c)).count();
    diags.warnings.push(Warning::ControlChars {
        at: Location::new(path, line, 0),
        count,
    });
    text.chars().filter(|&c| !bad(c)).collect()
}

/// C0 controls except tab and newline, DEL, and C1 controls (also not allowed in HTML).
pub(crate) fn is_stray_control(c: char) -> bool {
    (c.is_control() && c != '\t' && c != '\n') || matches!(c, '\u{FFFE}' | '\u{FFFF}')
}

/// Notepad's "Unicode" is UTF-16 LE with a BOM; big-endian with its BOM too. A file that is
/// not valid UTF-16 (a lone surrogate) is not taken as text.
fn decode_utf16(bytes: &[u8]) -> Option<String> {
    let (encoding, bom) = encoding_rs::Encoding::for_bom(bytes)?;
    if encoding == encoding_rs::UTF_8 {
        return None;
    }
    encoding
        .decode_without_bom_handling_and_without_replacement(bytes.get(bom..)?)
        .map(std::borrow::Cow::into_owned)
}

pub(crate) fn create_dir_all(path: &Path) -> Result<(), Error> {
    std::fs::create_dir_all(path).map_err(|e| Error::io(path, "create folder", e))
}

pub(crate) fn write(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    std::fs::write(path, bytes).map_err(|e| Error::io(path, "write", e))
}

pub(crate) fn copy(from: &Path, to: &Path) -> Result<(), Error> {
    std::fs::copy(from, to)
        .map(|_| ())
        .map_err(|e| Error::io(from, "copy", e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_and_crlf_are_normalised() {
        let mut d = Diagnostics::default();
        let t = decode(
            Path::new("a.md"),
            b"\xEF\xBB\xBF---\r\ntitle: a\r\n".to_vec(),
            &mut d,
        );
        assert_eq!(t.ok().as_deref(), Some("---\ntitle: a\n"));
        assert!(d.is_empty());
    }

    #[test]
    fn gbk_is_decoded_with_a_warning() {
        let (gbk, _, _) = encoding_rs::GBK.encode("标题：三家工作法，惠民零时差");
        let mut d = Diagnostics::default();
        let t = decode(Path::new("a.md"), gbk.into_owned(), &mut d);
        assert_eq!(t.ok().as_deref(), Some("标题：三家工作法，惠民零时差"));
        assert_eq!(d.warnings.len(), 1);
    }

    #[test]
    fn control_characters_are_removed_with_their_line() {
        let mut d = Diagnostics::default();
        let t = decode(
            Path::new("a.md"),
            b"a\n\tb\x01c\x0b\n\x1b[0m".to_vec(),
            &mut d,
        );
        assert_eq!(t.ok().as_deref(), Some("a\n\tbc\n[0m"));
        assert_eq!(
            d.warnings,
            vec![Warning::ControlChars {
                at: Location::new("a.md", 2, 0),
                count: 3
            }]
        );
    }

    #[test]
    fn binary_garbage_is_refused() {
        let mut d = Diagnostics::default();
        let r = decode(
            Path::new("a.md"),
            vec![0x81, 0x20, 0xFF, 0xFF, 0x80],
            &mut d,
        );
        assert!(matches!(r, Err(Error::NotUtf8 { .. })));
    }
}
