//! Walk `content/` and sort what is there into Markdown sources and assets.

use std::path::{Path, PathBuf};

use crate::error::Diagnostics;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SourceKind {
    /// A report or an ordinary page (`cases/x.md`, `about.md`, `cases/x/index.md`).
    Page,
    /// A folder's `_index.md`: the section's title and intro (`_index.md` at the top: home).
    Section,
    /// `brands/<slug>.md`.
    Brand,
    /// Anything else: images and attachments, copied beside their page.
    Asset,
}

#[derive(Debug, Clone)]
pub struct Source {
    /// Path relative to `content/`, always with `/` (also on Windows).
    pub rel: String,
    pub abs: PathBuf,
    pub kind: SourceKind,
}

#[derive(Debug, Default)]
pub struct ContentFiles {
    pub markdown: Vec<Source>,
    pub assets: Vec<Source>,
}

/// Editors leave these beside the files they save: never content.
pub fn is_ignored_name(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('~')
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name.ends_with(".bak")
        || name.eq_ignore_ascii_case("Thumbs.db")
        || name.eq_ignore_ascii_case("desktop.ini")
}

pub fn classify(rel: &str) -> SourceKind {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    let is_md = name.len() > 3 && name[name.len() - 3..].eq_ignore_ascii_case(".md");
    if !is_md {
        SourceKind::Asset
    } else if name == "_index.md" {
        SourceKind::Section
    } else if rel.starts_with("brands/") && rel.matches('/').count() == 1 {
        SourceKind::Brand
    } else {
        SourceKind::Page
    }
}

/// Lists `content/`. Links are followed inside the site only (see `paths::SiteRoot::files`).
/// The files that could be listed come back with the errors of those that could not.
pub fn walk(root: &crate::paths::SiteRoot, content_dir: &Path) -> (ContentFiles, Diagnostics) {
    let mut files = ContentFiles::default();
    let (found, errors) = root.files(content_dir);
    for (rel, abs) in found {
        let kind = classify(&rel);
        let source = Source { rel, abs, kind };
        if kind == SourceKind::Asset {
            files.assets.push(source);
        } else {
            files.markdown.push(source);
        }
    }
    let diags = Diagnostics {
        errors,
        warnings: Vec::new(),
    };
    (files, diags)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds() {
        assert_eq!(classify("brands/sanjia.md"), SourceKind::Brand);
        assert_eq!(classify("brands/_index.md"), SourceKind::Section);
        assert_eq!(classify("cases/2022/a.md"), SourceKind::Page);
        assert_eq!(classify("cases/a/index.md"), SourceKind::Page);
        assert_eq!(classify("cases/a/photo.JPG"), SourceKind::Asset);
        assert_eq!(classify("about.MD"), SourceKind::Page);
        assert!(
            is_ignored_name(".a.md.swp") && is_ignored_name("a.md~") && !is_ignored_name("a.md")
        );
    }
}
