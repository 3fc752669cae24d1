//! `cargo run --release --example bench_photos -- DIR N`: N phone-like photos for
//! `scripts/bench` (4000×3000 JPEGs of about 7 MB: shapes, gradients and sensor noise, with
//! an EXIF block carrying an orientation and GPS coordinates), as DIR/photo-<i>.jpg.

use std::path::PathBuf;

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(dir), Some(n)) = (args.next(), args.next().and_then(|n| n.parse::<u32>().ok()))
    else {
        eprintln!("usage: bench_photos DIR N");
        std::process::exit(2);
    };
    let dir = PathBuf::from(dir);
    if let Err(e) = std::fs::create_dir_all(&dir) {
        eprintln!("{}: {e}", dir.display());
        std::process::exit(1);
    }
    for i in 0..n {
        let bytes = photo(4000, 3000, i);
        let path = dir.join(format!("photo-{i}.jpg"));
        if let Err(e) = std::fs::write(&path, bytes) {
            eprintln!("{}: {e}", path.display());
            std::process::exit(1);
        }
    }
}

fn photo(width: u32, height: u32, salt: u32) -> Vec<u8> {
    let mut seed: u32 = 0x9e37_79b9 ^ salt.wrapping_mul(0x85eb_ca6b);
    let img = image::RgbImage::from_fn(width, height, |x, y| {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        let noise = (seed % 41) as i32 - 20;
        let r = ((x + salt * 37) * 255 / (width + salt * 37)) as i32;
        let g = (y * 255 / height) as i32;
        let b = (((x / (61 + salt % 50)) + y / 97) % 2 * 120 + 60) as i32;
        let c = |v: i32| (v + noise).clamp(0, 255) as u8;
        image::Rgb([c(r), c(g), c(b)])
    });
    let mut jpeg = Vec::new();
    if let Err(e) =
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 95).encode_image(&img)
    {
        eprintln!("encode: {e}");
        std::process::exit(1);
    }
    // APP1 EXIF: IFD0 with Orientation 1 and a GPS IFD holding a latitude.
    let mut t: Vec<u8> = b"II*\0\x08\0\0\0".to_vec();
    let entry = |t: &mut Vec<u8>, tag: u16, kind: u16, count: u32, value: u32| {
        t.extend(tag.to_le_bytes());
        t.extend(kind.to_le_bytes());
        t.extend(count.to_le_bytes());
        t.extend(value.to_le_bytes());
    };
    t.extend(2u16.to_le_bytes());
    entry(&mut t, 0x0112, 3, 1, 1);
    entry(&mut t, 0x8825, 4, 1, 38);
    t.extend(0u32.to_le_bytes());
    t.extend(1u16.to_le_bytes());
    entry(&mut t, 0x0002, 5, 3, 56);
    t.extend(0u32.to_le_bytes());
    for v in [31u32, 1, 13, 1, 4900, 100] {
        t.extend(v.to_le_bytes());
    }
    let mut app1 = b"Exif\0\0".to_vec();
    app1.extend(t);
    let mut out = jpeg[..2].to_vec();
    out.extend([0xff, 0xe1]);
    out.extend(((app1.len() + 2) as u16).to_be_bytes());
    out.extend(app1);
    out.extend(&jpeg[2..]);
    out
}
