//! The I/O floor of a build, for `scripts/bench`: read every file of a site, then create the
//! folders and files of a given output (the same paths and sizes) on both cores, with no
//! processing in between. Herald's full build is compared with this.
//!
//!     io_floor SITE OUTPUT MANIFEST
//!
//! MANIFEST lists the output, one `SIZE<TAB>PATH` line per file (PATH relative, with `/`);
//! OUTPUT must not exist yet.

use std::collections::BTreeSet;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use rayon::prelude::*;

fn site_files(dir: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect()
}

fn run(site: &Path, out: &Path, manifest: &Path) -> std::io::Result<(usize, u64, usize, usize)> {
    let read: u64 = site_files(site)
        .par_iter()
        .map(|p| std::fs::read(p).map_or(0, |b| b.len() as u64))
        .sum();
    let text = std::fs::read_to_string(manifest)?;
    let files: Vec<(usize, &str)> = text
        .lines()
        .filter_map(|l| {
            let (size, path) = l.split_once('\t')?;
            Some((size.parse().ok()?, path))
        })
        .collect();
    let folders: BTreeSet<&str> = files
        .iter()
        .filter_map(|(_, p)| p.rsplit_once('/').map(|(d, _)| d))
        .flat_map(|d| d.match_indices('/').map(|(i, _)| &d[..i]).chain([d]))
        .collect();
    std::fs::create_dir(out)?;
    // Parents before children: the set is sorted, and a parent sorts before its children.
    for f in &folders {
        std::fs::create_dir_all(out.join(f))?;
    }
    let filler = vec![b'x'; files.iter().map(|(s, _)| *s).max().unwrap_or(0)];
    files.par_iter().try_for_each(|(size, path)| {
        let mut f = std::fs::File::create(out.join(path))?;
        f.write_all(&filler[..*size])
    })?;
    Ok((files.len(), read, folders.len(), text.len()))
}

fn main() -> ExitCode {
    let args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let [site, out, manifest] = args.as_slice() else {
        eprintln!("usage: io_floor SITE OUTPUT MANIFEST");
        return ExitCode::from(2);
    };
    match run(site, out, manifest) {
        Ok((files, read, folders, _)) => {
            println!("read {read} bytes, wrote {files} files in {folders} folders");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("io_floor: {e}");
            ExitCode::FAILURE
        }
    }
}
