//! The site's layout, named once: which folders of a site folder are the site. The build
//! reads them, the preview watches them, and the output folder may not be inside them.

use std::path::{Path, PathBuf};

/// The settings file at the top of a site.
pub(crate) const SITE_FILE: &str = "site.yaml";

/// A folder of the site.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum SiteFolder {
    /// Markdown reports, brands, pages, and the files beside them.
    Content,
    /// Copied to the output as it is.
    Static,
    /// The site's own templates, over the theme's.
    Templates,
    /// Theme folders (`themes/<name>/`).
    Themes,
}

impl SiteFolder {
    pub(crate) const ALL: [SiteFolder; 4] = [
        SiteFolder::Content,
        SiteFolder::Static,
        SiteFolder::Templates,
        SiteFolder::Themes,
    ];

    pub(crate) fn name(self) -> &'static str {
        match self {
            SiteFolder::Content => "content",
            SiteFolder::Static => "static",
            SiteFolder::Templates => "templates",
            SiteFolder::Themes => "themes",
        }
    }

    pub(crate) fn path(self, root: &Path) -> PathBuf {
        root.join(self.name())
    }

    /// The site folder `path` is in, if any (`<root>/content/cases/a.md` → `Content`).
    pub(crate) fn of(root: &Path, path: &Path) -> Option<SiteFolder> {
        let rel = path.strip_prefix(root).ok()?;
        let first = rel.components().next()?.as_os_str().to_str()?;
        SiteFolder::ALL.into_iter().find(|f| f.name() == first)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_knows_its_folder() {
        let root = Path::new("/site");
        assert_eq!(
            SiteFolder::of(root, Path::new("/site/content/cases/a.md")),
            Some(SiteFolder::Content)
        );
        assert_eq!(
            SiteFolder::of(root, Path::new("/site/themes")),
            Some(SiteFolder::Themes)
        );
        assert_eq!(SiteFolder::of(root, Path::new("/site/output/a")), None);
        assert_eq!(SiteFolder::of(root, Path::new("/other/content")), None);
    }
}
