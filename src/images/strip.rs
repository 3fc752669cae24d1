//! Location and camera data out of the images Herald publishes as they are (a photo in
//! `static/`, a file it does not re-encode): a phone photo carries its GPS position in EXIF,
//! and XMP can repeat it. The picture itself is left byte for byte: only those metadata
//! segments go, so nothing is decoded or re-encoded.

use std::borrow::Cow;

/// Whether a file of this name is one `published` may change (JPEG, PNG).
pub(crate) fn may_carry_metadata(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    [".jpg", ".jpeg", ".png"].iter().any(|e| lower.ends_with(e))
}

/// The bytes of `path` as they are published: JPEG and PNG without EXIF and XMP; anything
/// else (and a file that does not parse as its format) unchanged.
pub(crate) fn published<'a>(path: &str, bytes: &'a [u8]) -> Cow<'a, [u8]> {
    let lower = path.to_ascii_lowercase();
    let stripped = if lower.ends_with(".jpg") || lower.ends_with(".jpeg") {
        jpeg(bytes)
    } else if lower.ends_with(".png") {
        png(bytes)
    } else {
        None
    };
    stripped.map_or(Cow::Borrowed(bytes), Cow::Owned)
}

const EXIF: &[u8] = b"Exif\0\0";
const XMP: &[u8] = b"http://ns.adobe.com/xap/1.0/\0";
const XMP_EXTENSION: &[u8] = b"http://ns.adobe.com/xmp/extension/\0";

/// A JPEG without its APP1 EXIF/XMP segments; `None` when it has none (or is not a JPEG).
fn jpeg(bytes: &[u8]) -> Option<Vec<u8>> {
    if !bytes.starts_with(&[0xFF, 0xD8]) {
        return None;
    }
    let mut out = Vec::with_capacity(bytes.len());
    out.extend_from_slice(&bytes[..2]);
    let mut at = 2;
    let mut removed = false;
    loop {
        // Segments until the start of the scan; after it, the compressed picture to the end.
        let marker = *bytes.get(at + 1)?;
        if bytes[at] != 0xFF {
            return None;
        }
        if marker == 0xDA || marker == 0xD9 {
            out.extend_from_slice(&bytes[at..]);
            break;
        }
        let len = usize::from(u16::from_be_bytes([
            *bytes.get(at + 2)?,
            *bytes.get(at + 3)?,
        ]));
        let end = at.checked_add(2 + len)?;
        let segment = bytes.get(at..end)?;
        let payload = &segment[4.min(segment.len())..];
        let metadata = marker == 0xE1
            && (payload.starts_with(EXIF)
                || payload.starts_with(XMP)
                || payload.starts_with(XMP_EXTENSION));
        if metadata {
            removed = true;
        } else {
            out.extend_from_slice(segment);
        }
        at = end;
    }
    removed.then_some(out)
}

/// A PNG without its `eXIf` chunk and XMP text chunks; `None` when it has none.
fn png(bytes: &[u8]) -> Option<Vec<u8>> {
    const SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";
    if !bytes.starts_with(SIGNATURE) {
        return None;
    }
    let mut out = Vec::with_capacity(bytes.len());
    out.extend_from_slice(SIGNATURE);
    let mut at = SIGNATURE.len();
    let mut removed = false;
    while at < bytes.len() {
        let len = u32::from_be_bytes(bytes.get(at..at + 4)?.try_into().ok()?) as usize;
        let end = at.checked_add(12)?.checked_add(len)?;
        let chunk = bytes.get(at..end)?;
        let kind = &chunk[4..8];
        let data = &chunk[8..8 + len];
        let xmp = kind == b"iTXt" && data.starts_with(b"XML:com.adobe.xmp\0");
        if kind == b"eXIf" || xmp {
            removed = true;
        } else {
            out.extend_from_slice(chunk);
        }
        at = end;
    }
    removed.then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn segment(marker: u8, payload: &[u8]) -> Vec<u8> {
        let mut s = vec![0xFF, marker];
        s.extend_from_slice(&u16::try_from(payload.len() + 2).unwrap_or(0).to_be_bytes());
        s.extend_from_slice(payload);
        s
    }

    #[test]
    fn a_jpeg_loses_exif_and_xmp_and_keeps_the_rest() {
        let mut exif = EXIF.to_vec();
        exif.extend_from_slice(b"MM\0*GPS 36.0667N 120.3833E");
        let icc = segment(0xE2, b"ICC_PROFILE\0profile");
        let scan = [0xFF, 0xDA, 0, 2, 1, 2, 3, 0xFF, 0xD9];
        let mut jpeg = vec![0xFF, 0xD8];
        jpeg.extend(segment(0xE0, b"JFIF\0\x01\x01"));
        jpeg.extend(segment(0xE1, &exif));
        jpeg.extend(segment(0xE1, b"http://ns.adobe.com/xap/1.0/\0<x:gps/>"));
        jpeg.extend(&icc);
        jpeg.extend(scan);
        let out = published("static/a.JPG", &jpeg);
        assert!(!out.windows(3).any(|w| w == b"GPS"), "GPS left in");
        assert!(!out.windows(5).any(|w| w == b"x:gps"), "XMP left in");
        assert!(
            out.windows(icc.len()).any(|w| w == icc.as_slice()),
            "ICC lost"
        );
        assert!(out.ends_with(&scan), "the picture changed");
        // Nothing to remove: the same bytes, not a copy.
        let clean = published("static/a.jpg", &out).into_owned();
        assert_eq!(clean, out.into_owned());
    }

    #[test]
    fn a_png_loses_its_exif_chunk() {
        fn chunk(kind: &[u8], data: &[u8]) -> Vec<u8> {
            let mut c = u32::try_from(data.len())
                .unwrap_or(0)
                .to_be_bytes()
                .to_vec();
            c.extend_from_slice(kind);
            c.extend_from_slice(data);
            c.extend_from_slice(&[0, 0, 0, 0]);
            c
        }
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        png.extend(chunk(b"IHDR", &[0; 13]));
        png.extend(chunk(b"eXIf", b"MM\0*GPS"));
        png.extend(chunk(b"IEND", b""));
        let out = published("a.png", &png);
        assert!(!out.windows(3).any(|w| w == b"GPS"));
        assert!(out.ends_with(&chunk(b"IEND", b"")));
    }

    #[test]
    fn broken_files_and_other_formats_are_left_alone() {
        let broken = [0xFF, 0xD8, 0xFF, 0xE1, 0xFF];
        assert_eq!(&*published("a.jpg", &broken), &broken);
        assert_eq!(&*published("a.gif", b"GIF89a"), b"GIF89a");
    }
}
