//! Photos: a phone-sized JPEG with EXIF orientation and GPS coordinates, built into a site,
//! comes out upright, at 480/960/1600 px as WebP and JPEG, without any EXIF, with `srcset`,
//! `sizes`, `width` and `height` in the pages; a rebuild encodes nothing; a broken or huge
//! image is one error at the line that uses it.

use std::time::Instant;

use super::util::*;

/// A unique string in the test photo's EXIF (the camera's make), and its GPS latitude
/// (31° 13′ 49″ N, as EXIF rationals): neither may appear in any published file.
const MAKE: &str = "HeraldTestPhone GPS-31.2304N";

/// A 4000×3000 JPEG that compresses like a phone photo (shapes, gradients, sensor noise),
/// stored landscape with EXIF orientation 6 (shown as 3000×4000 portrait). The stored
/// top-left quarter is red: shown upright, that corner is the top-right.
pub fn phone_photo(width: u32, height: u32, quality: u8) -> Vec<u8> {
    let mut seed: u32 = 0x9e37_79b9;
    let mut img = image::RgbImage::new(width, height);
    for (x, y, p) in img.enumerate_pixels_mut() {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        let noise = (seed % 41) as i32 - 20;
        let base = if x < width / 4 && y < height / 4 {
            [220, 30, 30]
        } else {
            let r = (x * 255 / width) as i32;
            let g = (y * 255 / height) as i32;
            let b = ((x / 97 + y / 61) % 2 * 120 + 60) as i32;
            [r, g, b]
        };
        let c = |v: i32| (v + noise).clamp(0, 255) as u8;
        *p = image::Rgb([c(base[0]), c(base[1]), c(base[2])]);
    }
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, quality)
        .encode_image(&img)
        .expect("encode the test photo");
    with_exif(&jpeg, 6)
}

/// `jpeg` with an APP1 EXIF segment after SOI: IFD0 with Make, Orientation and a GPS IFD
/// (latitude 31° 13′ 49″ N, longitude 121° 28′ 12″ E).
pub fn with_exif(jpeg: &[u8], orientation: u16) -> Vec<u8> {
    let mut t: Vec<u8> = b"II*\0".to_vec();
    t.extend(8u32.to_le_bytes());
    let ifd0_entries = 3u16;
    let ifd0_len = 2 + 12 * usize::from(ifd0_entries) + 4;
    let make_at = 8 + ifd0_len;
    let make = format!("{MAKE}\0");
    let gps_at = make_at + make.len() + make.len() % 2;
    let entry = |t: &mut Vec<u8>, tag: u16, kind: u16, count: u32, value: u32| {
        t.extend(tag.to_le_bytes());
        t.extend(kind.to_le_bytes());
        t.extend(count.to_le_bytes());
        t.extend(value.to_le_bytes());
    };
    t.extend(ifd0_entries.to_le_bytes());
    entry(&mut t, 0x010f, 2, make.len() as u32, make_at as u32);
    entry(&mut t, 0x0112, 3, 1, u32::from(orientation));
    entry(&mut t, 0x8825, 4, 1, gps_at as u32);
    t.extend(0u32.to_le_bytes());
    t.extend(make.as_bytes());
    if make.len() % 2 == 1 {
        t.push(0);
    }
    let gps_entries = 4u16;
    let rationals_at = gps_at + 2 + 12 * usize::from(gps_entries) + 4;
    t.extend(gps_entries.to_le_bytes());
    entry(&mut t, 0x0001, 2, 2, u32::from_le_bytes(*b"N\0\0\0"));
    entry(&mut t, 0x0002, 5, 3, rationals_at as u32);
    entry(&mut t, 0x0003, 2, 2, u32::from_le_bytes(*b"E\0\0\0"));
    entry(&mut t, 0x0004, 5, 3, (rationals_at + 24) as u32);
    t.extend(0u32.to_le_bytes());
    for (n, d) in gps_rationals() {
        t.extend(n.to_le_bytes());
        t.extend(d.to_le_bytes());
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

fn gps_rationals() -> [(u32, u32); 6] {
    [
        (31, 1),
        (13, 1),
        (4900, 100),
        (121, 1),
        (28, 1),
        (1200, 100),
    ]
}

/// The bytes of the latitude as EXIF stores it.
fn gps_bytes() -> Vec<u8> {
    gps_rationals()[..3]
        .iter()
        .flat_map(|(n, d)| n.to_le_bytes().into_iter().chain(d.to_le_bytes()))
        .collect()
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

fn photo_site(photo: &[u8]) -> Site {
    one_report_site()
        .file(
            "content/cases/shots/index.md",
            &report(
                "现场照片",
                "2024-05-01",
                "brand: sanjia\ncover: photo.jpg",
                "导语。\n\n![服务大厅全景](photo.jpg)\n\n正文。\n\n{{ figure(src=\"photo.jpg\", caption=\"便民服务大厅\") }}\n",
            ),
        )
        .bytes("content/cases/shots/photo.jpg", photo)
}

#[test]
fn a_phone_photo_is_published_small_upright_and_without_its_location() {
    let t = Instant::now();
    let photo = phone_photo(4000, 3000, 95);
    eprintln!(
        "test photo: {} bytes, made in {:?}",
        photo.len(),
        t.elapsed()
    );
    assert!(
        photo.len() > 5_000_000,
        "the test photo is {} bytes",
        photo.len()
    );
    let site = photo_site(&photo);
    let t = Instant::now();
    let run = site.try_build(&[]);
    run.assert_ok();
    eprintln!("cold build: {:?}: {}", t.elapsed(), run.stdout);
    assert!(
        run.stdout.contains("1 photos (1 encoded, 0 cached)"),
        "{}",
        run.stdout
    );
    let out = site.output();

    // Every width, in both formats, none wider than the photo, upright (portrait).
    for (w, h) in [(480, 640), (960, 1280), (1600, 2133)] {
        for ext in ["jpg", "webp"] {
            let rel = if w == 1600 && ext == "jpg" {
                "cases/shots/photo.jpg".to_string()
            } else {
                format!("cases/shots/photo-{w}w.{ext}")
            };
            let bytes = out.read_bytes(&rel);
            let img = image::load_from_memory(&bytes)
                .unwrap_or_else(|e| panic!("{rel} does not decode: {e}"));
            assert_eq!((img.width(), img.height()), (w, h), "{rel}");
            // The stored top-left (red) is shown at the top right.
            let rgb = img.to_rgb8();
            let top_right = rgb.get_pixel(w - w / 20, h / 40);
            let top_left = rgb.get_pixel(w / 20, h / 40);
            assert!(
                top_right[0] > 150 && top_right[1] < 90,
                "{rel}: top right is {top_right:?}, not red: the orientation was not applied"
            );
            assert!(top_left[0] < 100, "{rel}: top left is {top_left:?}");
        }
    }
    let webp_960 = out.read_bytes("cases/shots/photo-960w.webp").len();
    eprintln!(
        "sizes: original {} bytes; 960 webp {webp_960}, 960 jpg {}, 480 webp {}, 1600 webp {}, 1600 jpg {}",
        photo.len(),
        out.read_bytes("cases/shots/photo-960w.jpg").len(),
        out.read_bytes("cases/shots/photo-480w.webp").len(),
        out.read_bytes("cases/shots/photo-1600w.webp").len(),
        out.read_bytes("cases/shots/photo.jpg").len(),
    );
    assert!(
        webp_960 <= 300_000,
        "the 960 px WebP a 375 px phone at 2× loads is {webp_960} bytes"
    );
    assert!(!out.exists("cases/shots/photo-3000w.jpg"));

    // No EXIF, no camera make, no GPS in any file of the output.
    for rel in out.files() {
        if rel.ends_with('/') {
            continue;
        }
        let bytes = out.read_bytes(&rel);
        assert!(!contains(&bytes, b"Exif\0\0"), "{rel} has EXIF");
        assert!(
            !contains(&bytes, MAKE.as_bytes()),
            "{rel} has the camera's EXIF"
        );
        assert!(
            !contains(&bytes, &gps_bytes()),
            "{rel} has the GPS latitude"
        );
    }

    // The page: a <picture> with the WebP widths, the JPEG widths, the size, the alt text.
    let page = out.page("/cases/shots/");
    let webp = page.attr(".content picture source[type=\"image/webp\"]", "srcset");
    assert_eq!(
        webp,
        "/cases/shots/photo-480w.webp 480w, /cases/shots/photo-960w.webp 960w, /cases/shots/photo-1600w.webp 1600w"
    );
    let imgs = page.all(".content img");
    assert_eq!(imgs.len(), 2, "the Markdown image and the figure");
    let md = imgs[0].value();
    assert_eq!(md.attr("src"), Some("/cases/shots/photo.jpg"));
    assert_eq!(
        md.attr("srcset"),
        Some("/cases/shots/photo-480w.jpg 480w, /cases/shots/photo-960w.jpg 960w, /cases/shots/photo.jpg 1600w")
    );
    assert!(md.attr("sizes").is_some_and(|s| s.contains("100vw")));
    assert_eq!(
        (md.attr("width"), md.attr("height")),
        (Some("1600"), Some("2133"))
    );
    assert_eq!(md.attr("alt"), Some("服务大厅全景"));
    assert_eq!(
        md.attr("loading"),
        None,
        "the first image of a page is not lazy"
    );
    let fig = imgs[1].value();
    assert_eq!(
        fig.attr("alt"),
        Some("便民服务大厅"),
        "a figure's caption is its alt"
    );
    assert_eq!(fig.attr("loading"), Some("lazy"));
    assert_eq!(
        (fig.attr("width"), fig.attr("height")),
        (Some("1600"), Some("2133"))
    );
    assert!(fig
        .attr("srcset")
        .is_some_and(|s| s.contains("photo-960w.jpg 960w")));
    // The cover on the report lists.
    let list = out.page("/cases/");
    let cover = list.one(".card__cover");
    assert!(cover
        .value()
        .attr("srcset")
        .is_some_and(|s| s.contains("480w")));
    assert_eq!(cover.value().attr("width"), Some("1600"));

    // The cache holds it; a second build encodes nothing and writes nothing new.
    assert!(site.path(".herald/cache/images").is_dir());
    let t = Instant::now();
    let again = site.try_build(&[]);
    again.assert_ok();
    eprintln!("cached build: {:?}: {}", t.elapsed(), again.stdout);
    assert!(
        again.stdout.contains("1 photos (0 encoded, 1 cached)"),
        "{}",
        again.stdout
    );
    assert!(again.stdout.contains("(0 changed)"), "{}", again.stdout);
}

#[test]
fn a_broken_image_is_an_error_at_the_line_that_uses_it() {
    let site = one_report_site()
        .file(
            "content/cases/b/index.md",
            &report("坏图", "2024-05-01", "", "导语。\n\n![大厅](broken.jpg)\n"),
        )
        .bytes(
            "content/cases/b/broken.jpg",
            b"\xff\xd8\xff\xe0 this is not a JPEG at all",
        );
    let run = site.build_fails();
    run.assert_points_at("content/cases/b/index.md", 8)
        .assert_stderr_has("broken.jpg");
    let zh = site.build_fails_lang("zh");
    zh.assert_stderr_has("无法读取");

    // The header is fine but the picture data is cut off: found when it is decoded, and
    // reported at the cover that uses it. (A cut JPEG is not an error: its decoder shows the
    // part it has, as browsers do.)
    let png = tiny_png();
    let cut = &png[..png.len() / 2];
    let site = one_report_site()
        .file(
            "content/cases/c/index.md",
            &report("半张图", "2024-05-01", "cover: cut.png", "正文。\n"),
        )
        .bytes("content/cases/c/cut.png", cut);
    let run = site.build_fails();
    run.assert_points_at("content/cases/c/index.md", 4)
        .assert_stderr_has("cut.png");
}

#[test]
fn a_decompression_bomb_is_refused_from_its_header() {
    // A valid JPEG header that claims 20000×20000 pixels (400 megapixels), and no data.
    let mut bomb = vec![0xff, 0xd8, 0xff, 0xc0, 0, 17, 8];
    bomb.extend(20000u16.to_be_bytes());
    bomb.extend(20000u16.to_be_bytes());
    bomb.extend([3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1, 0xff, 0xd9]);
    let site = one_report_site()
        .file(
            "content/cases/d/index.md",
            &report(
                "大图",
                "2024-05-01",
                "",
                "{{ figure(src=\"huge.jpg\", caption=\"巨图\") }}\n",
            ),
        )
        .bytes("content/cases/d/huge.jpg", &bomb);
    let t = Instant::now();
    let run = site.build_fails();
    assert!(t.elapsed().as_secs() < 10, "{:?}", t.elapsed());
    run.assert_points_at("content/cases/d/index.md", 6)
        .assert_stderr_has("20000×20000")
        .assert_stderr_has("50 megapixels");
}

#[test]
fn a_png_stays_png_and_small_images_are_not_enlarged() {
    let mut img = image::RgbaImage::new(300, 200);
    for (x, _, p) in img.enumerate_pixels_mut() {
        *p = image::Rgba([(x % 256) as u8, 100, 50, if x < 150 { 255 } else { 128 }]);
    }
    let mut png = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .expect("encode a PNG");
    let out = one_report_site()
        .file(
            "content/brands/logo.md",
            &brand("有标志的品牌", "logo: logo.png", "介绍。"),
        )
        .bytes("content/brands/logo.png", &png)
        .build();
    let logo = image::load_from_memory(&out.read_bytes("brands/logo.png")).expect("a PNG");
    assert_eq!((logo.width(), logo.height()), (300, 200));
    assert!(logo.color().has_alpha(), "the transparency is kept");
    assert!(out.exists("brands/logo-300w.webp"));
    assert!(!out.exists("brands/logo-480w.png"));
    let page = out.page("/brands/logo/");
    assert!(page
        .attrs(".brand-mark img", "srcset")
        .iter()
        .any(|s| s == "/brands/logo.png 300w"));
}

#[test]
fn init_keeps_the_cache_out_of_git() {
    let site = Site::empty();
    let dir = site.scratch().join("新站点");
    let dir_s = dir.to_str().expect("utf-8");
    run_herald(site.scratch(), "en", &["init", dir_s]).assert_ok();
    let ignore = std::fs::read_to_string(dir.join(".gitignore")).expect(".gitignore");
    assert!(ignore.lines().any(|l| l == "/.herald/cache/"), "{ignore}");
}

#[test]
fn the_same_photo_in_two_reports_is_published_for_both() {
    let photo = phone_photo(1200, 900, 85);
    let mut site = one_report_site();
    for name in ["one", "two", "three"] {
        site = site
            .file(
                &format!("content/cases/{name}/index.md"),
                &report(
                    name,
                    "2024-05-01",
                    "cover: same.jpg",
                    "![同一张](same.jpg)\n",
                ),
            )
            .bytes(&format!("content/cases/{name}/same.jpg"), &photo);
    }
    let run = site.try_build(&[]);
    run.assert_ok();
    assert!(run.stdout.contains("3 photos"), "{}", run.stdout);
    let out = site.output();
    for name in ["one", "two", "three"] {
        // Shown upright (EXIF orientation 6): 900 px wide.
        for f in [
            "same.jpg",
            "same-480w.jpg",
            "same-480w.webp",
            "same-900w.webp",
        ] {
            assert!(out.exists(&format!("cases/{name}/{f}")), "cases/{name}/{f}");
        }
    }
}

#[test]
fn a_photo_in_static_is_copied_as_it_is_but_without_its_location() {
    // static/ is published as it is (no widths, no WebP), but never with the phone's GPS.
    let photo = phone_photo(640, 480, 80);
    let site = one_report_site().bytes("static/img/hall.jpg", &photo);
    assert!(contains(&photo, MAKE.as_bytes()) && contains(&photo, &gps_bytes()));
    let built = site.build();
    let out = built.read_bytes("img/hall.jpg");
    assert!(
        !contains(&out, MAKE.as_bytes()),
        "the camera's make is still there"
    );
    assert!(
        !contains(&out, &gps_bytes()),
        "the GPS latitude is still there"
    );
    assert!(out.starts_with(&[0xFF, 0xD8]) && out.ends_with(&[0xFF, 0xD9]));
    // Only the metadata went: the picture's bytes after the EXIF segment are all there.
    assert!(out.len() < photo.len() && photo.len() - out.len() < 4096);
    let decoded = image::load_from_memory(&out).expect("the stripped photo still decodes");
    assert_eq!((decoded.width(), decoded.height()), (640, 480));
    // The preview serves the same bytes.
    let server = super::serve::Server::start(site.root());
    assert_eq!(server.page("/img/hall.jpg").body, out);
}
