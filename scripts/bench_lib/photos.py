"""The photo rows of scripts/bench: a site of 50 reports, each with a 4000×3000 phone-like JPEG
(about 7 MB, EXIF with GPS) as its cover and in its body, built three ways:

- *cold*: no image cache (`.herald/cache/` removed) into a new output folder: every photo
  decoded, resized to 480/960/1600 px and encoded as JPEG and WebP;
- *cached*: the cache kept, into a new output folder: nothing encoded, the files copied;
- *no-change*: the same build again into its own output: nothing encoded or written.

The photos come from `cargo run --release --example bench_photos` (Python's standard library
cannot write JPEGs; with --no-cargo, target/release/examples/bench_photos as it is) and are kept
under target/bench-corpus/photos-<n>. The cold build gets `cold_flags` (scripts/bench passes
--no-cache where herald has a build cache).
"""
import shutil
import subprocess
from pathlib import Path

PHOTOS = 50
GEN_VERSION = "1"


class PhotoError(Exception):
    pass


def photo_site(repo, base, n=PHOTOS, no_cargo=False):
    site = base / f"photos-{n}"
    stamp = site / ".generated"
    if stamp.is_file() and stamp.read_text() == GEN_VERSION:
        return site
    if site.exists():
        shutil.rmtree(site)
    if no_cargo:
        exe = repo / "target" / "release" / "examples" / "bench_photos"
        if not exe.is_file():
            raise PhotoError(f"the photo site is not generated yet and {exe} is missing (--no-cargo: cargo is not run)")
        subprocess.run([str(exe), str(site / "photos"), str(n)], cwd=repo, check=True)
    else:
        subprocess.run(["cargo", "run", "--release", "--quiet", "--example", "bench_photos", "--", str(site / "photos"), str(n)],
                       cwd=repo, check=True)
    (site / "content" / "cases").mkdir(parents=True)
    (site / "site.yaml").write_text("title: 照片基准\nbase_url: /\n", encoding="utf-8")
    for i in range(n):
        d = site / "content" / "cases" / f"report-{i:02d}"
        d.mkdir()
        (site / "photos" / f"photo-{i}.jpg").rename(d / "photo.jpg")
        (d / "index.md").write_text(
            f"---\ntitle: 现场照片 {i}\ndate: 2024-05-{i % 28 + 1:02d}\ncover: photo.jpg\n---\n\n"
            f"导语。\n\n![活动现场](photo.jpg)\n\n正文。\n", encoding="utf-8")
    shutil.rmtree(site / "photos")
    stamp.write_text(GEN_VERSION)
    return site


def photo_builds(herald, site, runs, idle_wait, scratch, measure, repeat, keep, cold_flags=()):
    """Cold, cached and no-change builds of the photo site (see the module's doc)."""
    cache = site / ".herald" / "cache"
    res = {"photos": PHOTOS}

    def cold(i):
        shutil.rmtree(cache, ignore_errors=True)
        out = scratch / f"photos-cold-{i + 1}"
        s = measure([str(herald), "build", "--root", str(site), "--output", str(out), *cold_flags], timeout=3600)
        keep(out, 0)
        return s

    res["cold"] = repeat(f"photos ({PHOTOS}) cold build", runs, idle_wait, cold)

    def cached(i):
        out = scratch / f"photos-cached-{i + 1}"
        s = measure([str(herald), "build", "--root", str(site), "--output", str(out)], timeout=3600)
        keep(out, 0)
        return s

    res["cached"] = repeat(f"photos ({PHOTOS}) cached build", runs, idle_wait, cached)
    same = scratch / "photos-same"
    measure([str(herald), "build", "--root", str(site), "--output", str(same)], timeout=3600)
    res["same"] = repeat(f"photos ({PHOTOS}) no-change rebuild", runs, idle_wait,
                         lambda i: measure([str(herald), "build", "--root", str(site), "--output", str(same)], timeout=3600))
    original = sum(p.stat().st_size for p in site.rglob("photo.jpg"))
    published = sum(p.stat().st_size for p in same.rglob("*") if p.suffix in (".jpg", ".webp"))
    webp960 = [p.stat().st_size for p in same.rglob("photo-960w.webp")]
    res["bytes"] = {"original": original, "published": published,
                    "webp960_max": max(webp960) if webp960 else None}
    return res


def report_lines(res, fmt_s):
    """The Markdown rows of BENCHMARKS.md for `photo_builds`' result."""
    b = res["bytes"]
    L = ["## Photos", "",
         f"{res['photos']} reports, each with its own 4000×3000 JPEG (about 7 MB, EXIF with GPS) as cover and body image "
         "(`scripts/bench_lib/photos.py`). Each photo is published at 480, 960 and 1600 px as JPEG (quality 80) and WebP (75). "
         "*Cold*: no `.herald/cache/`; *cached*: the cache from the cold build, a new output folder; *no-change*: again into the same output.", "",
         "| build | wall | CPU user + sys | peak RSS |", "| --- | ---: | ---: | ---: |"]
    for key, label in (("cold", "cold (encode every photo)"), ("cached", "cached (copy from the cache)"), ("same", "no-change rebuild")):
        r = res[key]
        L.append(f"| {label} | **{fmt_s(r['wall'])}** | {r['user']:.2f} + {r['sys']:.2f} s | {r['rss_mib']:.0f} MiB |")
    L.append("")
    L.append(f"Originals: {b['original'] / 2**20:.0f} MiB; everything published (6 files a photo): {b['published'] / 2**20:.1f} MiB; "
             f"the largest 960 px WebP (what a 375 px phone at 2× loads): {(b['webp960_max'] or 0) / 1000:.0f} KB.")
    L.append("")
    return L
