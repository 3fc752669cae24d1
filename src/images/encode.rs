//! Decoding, orienting, resizing and encoding one photo. Only pixels are carried over: the
//! encoders write no EXIF, so GPS coordinates, camera serial numbers and the like never
//! reach the output. The colour profile (ICC) is kept, so a Display P3 phone photo keeps its
//! colours in browsers that manage colour.

use std::io::Cursor;

use fast_image_resize::{
    images::Image as FirImage, FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer,
};
use image::{DynamicImage, ImageDecoder, ImageReader};

use super::probe::{Format, Header, MAX_PIXELS};

/// JPEG quality: 80 is where phone photos stop looking better at 2× density.
pub(super) const JPEG_QUALITY: u8 = 80;
/// libwebp quality: 75 (its default) matches JPEG 80 at about two thirds of the size.
pub(super) const WEBP_QUALITY: f32 = 75.0;

/// One encoded width, in the source's format and as WebP.
pub(super) struct Encoded {
    pub width: u32,
    pub original: Vec<u8>,
    /// `None` when the source is WebP: `original` is that already.
    pub webp: Option<Vec<u8>>,
}

/// Every width of `widths` (ascending, none wider than the image) from `bytes`.
pub(super) fn encode_all(
    bytes: &[u8],
    header: &Header,
    widths: &[u32],
) -> Result<Vec<Encoded>, String> {
    let (img, icc) = decode(bytes, header)?;
    let mut out = Vec::with_capacity(widths.len());
    // The largest first, then each smaller one from the one before: a 4000 px photo is read
    // once at full size, and Lanczos from 1600 to 960 looks the same as from 4000.
    let mut from = img;
    for &w in widths.iter().rev() {
        let resized = resize(&from, w)?;
        let original = encode_original(&resized, header.format, icc.as_deref())?;
        let webp = match header.format {
            Format::Webp => None,
            _ => Some(encode_webp(&resized, icc.as_deref())?),
        };
        out.push(Encoded {
            width: w,
            original,
            webp,
        });
        from = resized;
    }
    out.reverse();
    Ok(out)
}

fn decode(bytes: &[u8], header: &Header) -> Result<(DynamicImage, Option<Vec<u8>>), String> {
    let format = match header.format {
        Format::Jpeg => image::ImageFormat::Jpeg,
        Format::Png => image::ImageFormat::Png,
        Format::Webp => image::ImageFormat::WebP,
    };
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    // The header was checked already; this guards the decoder against a file whose frames
    // claim more than the header said.
    let mut limits = image::Limits::default();
    limits.max_alloc = Some(MAX_PIXELS * 8);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(|e| e.to_string())?;
    let icc = decoder.icc_profile().ok().flatten();
    let mut img = DynamicImage::from_decoder(decoder).map_err(|e| e.to_string())?;
    if let Some(o) = image::metadata::Orientation::from_exif(header.orientation) {
        img.apply_orientation(o);
    }
    // 8 bits per channel is what the web formats carry; grey stays grey, alpha is kept.
    let img = match (img.color().has_alpha(), header.format) {
        (true, Format::Png | Format::Webp) => DynamicImage::ImageRgba8(img.into_rgba8()),
        _ => DynamicImage::ImageRgb8(img.into_rgb8()),
    };
    Ok((img, icc))
}

fn resize(img: &DynamicImage, width: u32) -> Result<DynamicImage, String> {
    if img.width() == width {
        return Ok(img.clone());
    }
    let height = ((u64::from(img.height()) * u64::from(width) + u64::from(img.width()) / 2)
        / u64::from(img.width()))
    .max(1) as u32;
    let (pixel, alpha) = match img {
        DynamicImage::ImageRgba8(_) => (PixelType::U8x4, true),
        _ => (PixelType::U8x3, false),
    };
    let src = FirImage::from_vec_u8(img.width(), img.height(), img.as_bytes().to_vec(), pixel)
        .map_err(|e| e.to_string())?;
    let mut dst = FirImage::new(width, height, pixel);
    let opts = ResizeOptions::new()
        .resize_alg(ResizeAlg::Convolution(FilterType::Lanczos3))
        .use_alpha(alpha);
    Resizer::new()
        .resize(&src, &mut dst, &opts)
        .map_err(|e| e.to_string())?;
    let buf = dst.into_vec();
    let img = if alpha {
        image::RgbaImage::from_raw(width, height, buf).map(DynamicImage::ImageRgba8)
    } else {
        image::RgbImage::from_raw(width, height, buf).map(DynamicImage::ImageRgb8)
    };
    img.ok_or_else(|| "resize".to_string())
}

fn encode_original(
    img: &DynamicImage,
    format: Format,
    icc: Option<&[u8]>,
) -> Result<Vec<u8>, String> {
    use image::ImageEncoder;
    let mut buf = Vec::new();
    match format {
        Format::Jpeg => {
            let mut enc =
                image::codecs::jpeg::JpegEncoder::new_with_quality(&mut buf, JPEG_QUALITY);
            if let Some(icc) = icc {
                // A profile too large for JPEG's segments is left out rather than failing.
                let _ = enc.set_icc_profile(icc.to_vec());
            }
            enc.encode_image(img).map_err(|e| e.to_string())?;
        }
        Format::Png => {
            let mut enc = image::codecs::png::PngEncoder::new(&mut buf);
            if let Some(icc) = icc {
                let _ = enc.set_icc_profile(icc.to_vec());
            }
            enc.write_image(
                img.as_bytes(),
                img.width(),
                img.height(),
                img.color().into(),
            )
            .map_err(|e| e.to_string())?;
        }
        Format::Webp => return encode_webp(img, icc),
    }
    Ok(buf)
}

fn encode_webp(img: &DynamicImage, icc: Option<&[u8]>) -> Result<Vec<u8>, String> {
    let enc = match img {
        DynamicImage::ImageRgba8(i) => webp::Encoder::from_rgba(i.as_raw(), i.width(), i.height()),
        DynamicImage::ImageRgb8(i) => webp::Encoder::from_rgb(i.as_raw(), i.width(), i.height()),
        _ => return Err("unexpected pixel format".into()),
    };
    let mem = enc
        .encode_simple(false, WEBP_QUALITY)
        .map_err(|e| format!("WebP: {e:?}"))?;
    let simple = mem.to_vec();
    Ok(match icc {
        Some(icc) => with_icc(&simple, icc, img.width(), img.height()).unwrap_or(simple),
        None => simple,
    })
}

/// A WebP from libwebp turned into the extended format with an `ICCP` chunk, which is how
/// WebP carries a colour profile (libwebp's simple encoder writes none).
fn with_icc(webp: &[u8], icc: &[u8], width: u32, height: u32) -> Option<Vec<u8>> {
    if webp.get(..4)? != b"RIFF" || webp.get(8..12)? != b"WEBP" {
        return None;
    }
    let mut chunks = webp.get(12..)?;
    // With alpha, libwebp already writes the extended header (VP8X, ALPH, VP8): its flags get
    // the ICC bit; otherwise a VP8X is made.
    let mut vp8x = Vec::with_capacity(18);
    if chunks.starts_with(b"VP8X") {
        vp8x.extend_from_slice(chunks.get(..18)?);
        chunks = chunks.get(18..)?;
    } else {
        vp8x.extend_from_slice(b"VP8X");
        vp8x.extend_from_slice(&10u32.to_le_bytes());
        vp8x.extend_from_slice(&[0, 0, 0, 0]);
        vp8x.extend_from_slice(&(width - 1).to_le_bytes()[..3]);
        vp8x.extend_from_slice(&(height - 1).to_le_bytes()[..3]);
    }
    vp8x[8] |= 0x20;
    let mut iccp = Vec::with_capacity(icc.len() + 9);
    iccp.extend_from_slice(b"ICCP");
    iccp.extend_from_slice(&u32::try_from(icc.len()).ok()?.to_le_bytes());
    iccp.extend_from_slice(icc);
    if icc.len() % 2 == 1 {
        iccp.push(0);
    }
    let body_len = 4 + vp8x.len() + iccp.len() + chunks.len();
    let mut out = Vec::with_capacity(8 + body_len);
    out.extend_from_slice(b"RIFF");
    out.extend_from_slice(&u32::try_from(body_len).ok()?.to_le_bytes());
    out.extend_from_slice(b"WEBP");
    out.extend_from_slice(&vp8x);
    out.extend_from_slice(&iccp);
    out.extend_from_slice(chunks);
    Some(out)
}
