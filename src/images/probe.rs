//! What an image is, from its first bytes only: format, size and EXIF orientation. Nothing
//! is decoded here, so a 100-megapixel "photo" (a decompression bomb) is refused before a
//! single pixel is allocated, and the preview can look at every photo on each rebuild.

use std::io::{BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::Path;

/// The formats Herald re-encodes. Anything else (GIF, SVG…) is copied as it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    Jpeg,
    Png,
    Webp,
}

impl Format {
    /// By file name, as the site names it (`photo.JPG` too).
    pub fn of_name(name: &str) -> Option<Format> {
        let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
        match ext.as_str() {
            "jpg" | "jpeg" => Some(Format::Jpeg),
            "png" => Some(Format::Png),
            "webp" => Some(Format::Webp),
            _ => None,
        }
    }

    pub fn ext(self) -> &'static str {
        match self {
            Format::Jpeg => "jpg",
            Format::Png => "png",
            Format::Webp => "webp",
        }
    }
}

/// A readable image's header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Header {
    pub format: Format,
    /// As shown, after the EXIF orientation (a portrait phone photo is stored landscape).
    pub width: u32,
    pub height: u32,
    /// EXIF orientation 1–8 (1: as stored).
    pub orientation: u8,
}

/// Why an image cannot be published.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Problem {
    /// Not an image of the format its name says, or cut short.
    Broken(String),
    /// More pixels than `MAX_PIXELS`.
    TooLarge { width: u32, height: u32 },
}

/// Photos of phones are 12–50 megapixels; beyond that it is a scan or an attack.
pub(crate) const MAX_PIXELS: u64 = 50_000_000;

pub(crate) fn probe(file: &Path, format: Format) -> Result<Header, Problem> {
    let f = std::fs::File::open(file).map_err(|e| Problem::Broken(e.to_string()))?;
    let mut r = BufReader::new(f);
    let (w, h, orientation) = match format {
        Format::Jpeg => jpeg(&mut r)?,
        Format::Png => png(&mut r)?,
        Format::Webp => {
            let (w, h) = image::ImageReader::with_format(r, image::ImageFormat::WebP)
                .into_dimensions()
                .map_err(|e| Problem::Broken(e.to_string()))?;
            (w, h, 1)
        }
    };
    if w == 0 || h == 0 {
        return Err(Problem::Broken("0 pixels wide or high".into()));
    }
    if u64::from(w) * u64::from(h) > MAX_PIXELS {
        return Err(Problem::TooLarge {
            width: w,
            height: h,
        });
    }
    let (width, height) = if orientation >= 5 { (h, w) } else { (w, h) };
    Ok(Header {
        format,
        width,
        height,
        orientation,
    })
}

fn broken(what: &str) -> Problem {
    Problem::Broken(what.to_string())
}

fn png(r: &mut impl Read) -> Result<(u32, u32, u8), Problem> {
    let mut head = [0u8; 24];
    r.read_exact(&mut head).map_err(|_| broken("not a PNG"))?;
    if &head[..8] != b"\x89PNG\r\n\x1a\n" || &head[12..16] != b"IHDR" {
        return Err(broken("not a PNG"));
    }
    let be = |b: &[u8]| u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
    Ok((be(&head[16..20]), be(&head[20..24]), 1))
}

/// Walks the JPEG markers up to the frame header, reading the EXIF orientation on the way;
/// every other segment is skipped unread.
fn jpeg<R: BufRead + Seek>(r: &mut R) -> Result<(u32, u32, u8), Problem> {
    let mut soi = [0u8; 2];
    r.read_exact(&mut soi).map_err(|_| broken("not a JPEG"))?;
    if soi != [0xff, 0xd8] {
        return Err(broken("not a JPEG"));
    }
    let mut orientation = 1;
    loop {
        let mut m = [0u8; 2];
        r.read_exact(&mut m).map_err(|_| broken("cut short"))?;
        if m[0] != 0xff {
            return Err(broken("bad marker"));
        }
        let marker = m[1];
        // Fill bytes and markers without a length.
        if marker == 0xff {
            r.seek(SeekFrom::Current(-1))
                .map_err(|_| broken("cut short"))?;
            continue;
        }
        if marker == 0x01 || (0xd0..=0xd7).contains(&marker) {
            continue;
        }
        let mut len = [0u8; 2];
        r.read_exact(&mut len).map_err(|_| broken("cut short"))?;
        let len = usize::from(u16::from_be_bytes(len));
        if len < 2 {
            return Err(broken("bad segment length"));
        }
        let body = len - 2;
        match marker {
            // SOF0–SOF15, except DHT (c4), JPG (c8) and DAC (cc).
            0xc0..=0xcf if ![0xc4, 0xc8, 0xcc].contains(&marker) => {
                let mut sof = [0u8; 5];
                r.read_exact(&mut sof).map_err(|_| broken("cut short"))?;
                let h = u32::from(u16::from_be_bytes([sof[1], sof[2]]));
                let w = u32::from(u16::from_be_bytes([sof[3], sof[4]]));
                return Ok((w, h, orientation));
            }
            0xe1 => {
                let mut app1 = vec![0u8; body];
                r.read_exact(&mut app1).map_err(|_| broken("cut short"))?;
                if let Some(o) = app1.strip_prefix(b"Exif\0\0").and_then(exif_orientation) {
                    orientation = o;
                }
            }
            0xd9 | 0xda => return Err(broken("no frame header")),
            _ => {
                r.seek(SeekFrom::Current(body as i64))
                    .map_err(|_| broken("cut short"))?;
            }
        }
    }
}

/// Tag 0x0112 of IFD0 in a TIFF block (the EXIF payload).
pub(crate) fn exif_orientation(tiff: &[u8]) -> Option<u8> {
    let le = match tiff.get(..2)? {
        b"II" => true,
        b"MM" => false,
        _ => return None,
    };
    let u16_at = |i: usize| -> Option<u16> {
        let b = tiff.get(i..i + 2)?;
        Some(if le {
            u16::from_le_bytes([b[0], b[1]])
        } else {
            u16::from_be_bytes([b[0], b[1]])
        })
    };
    let u32_at = |i: usize| -> Option<u32> {
        let b = tiff.get(i..i + 4)?;
        Some(if le {
            u32::from_le_bytes([b[0], b[1], b[2], b[3]])
        } else {
            u32::from_be_bytes([b[0], b[1], b[2], b[3]])
        })
    };
    let ifd = usize::try_from(u32_at(4)?).ok()?;
    let count = usize::from(u16_at(ifd)?);
    (0..count.min(512)).find_map(|i| {
        let entry = ifd + 2 + i * 12;
        (u16_at(entry)? == 0x0112)
            .then(|| u16_at(entry + 8))
            .flatten()
            .and_then(|v| u8::try_from(v).ok())
            .filter(|v| (1..=8).contains(v))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orientation_is_read_from_both_byte_orders() {
        let mut le = b"II*\0\x08\0\0\0\x01\0\x12\x01\x03\0\x01\0\0\0\x06\0\0\0".to_vec();
        assert_eq!(exif_orientation(&le), Some(6));
        le[18] = 9;
        assert_eq!(exif_orientation(&le), None);
        let be = b"MM\0*\0\0\0\x08\0\x01\x01\x12\0\x03\0\0\0\x01\0\x08\0\0";
        assert_eq!(exif_orientation(be), Some(8));
    }
}
