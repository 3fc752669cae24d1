//! The command line (clap definitions only).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "herald",
    version,
    about = "宣页 Herald：把 Markdown 案例材料生成宣传网站 / a static-site generator for publicity sites"
)]
pub struct Cli {
    /// Message language: zh or en (default: from LANG / LC_ALL).
    #[arg(long, global = true, value_name = "zh|en")]
    pub lang: Option<String>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args, Clone)]
pub struct SiteArgs {
    /// The site folder (the one with site.yaml).
    #[arg(long, short = 'r', default_value = ".")]
    pub root: PathBuf,
    /// Include pages marked `draft: true`.
    #[arg(long)]
    pub drafts: bool,
    /// Treat warnings as errors.
    #[arg(long)]
    pub strict: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into the output folder.
    Build {
        #[command(flatten)]
        site: SiteArgs,
        /// Output folder (default: <root>/output).
        #[arg(long, short = 'o')]
        output: Option<PathBuf>,
        /// Override base_url from site.yaml.
        #[arg(long)]
        base_url: Option<String>,
    },
    /// Run every check of a build without writing anything.
    Check {
        #[command(flatten)]
        site: SiteArgs,
    },
    /// Build, serve on http://127.0.0.1:1111 and reload the browser on every change.
    Serve {
        #[command(flatten)]
        site: SiteArgs,
        #[arg(long, short = 'p', default_value_t = 1111)]
        port: u16,
        /// Address to listen on (loopback unless you say otherwise).
        #[arg(long, default_value = "127.0.0.1")]
        bind: String,
        /// Open the site in the default browser.
        #[arg(long)]
        open: bool,
    },
    /// Publish the last build to a folder, sftp://user@host[:port]/path or s3://bucket/prefix.
    Deploy {
        /// Where to (default: site.yaml's `deploy.target`).
        target: Option<String>,
        /// List what would be uploaded and deleted, and change nothing.
        #[arg(long)]
        dry_run: bool,
        /// Refuse to delete more remote files than this without --force.
        #[arg(long, value_name = "N", default_value_t = 256)]
        max_deletes: usize,
        /// Delete more than --max-deletes files.
        #[arg(long)]
        force: bool,
        /// The S3-compatible service's address (OSS, COS, OBS, MinIO).
        #[arg(long, value_name = "URL")]
        endpoint: Option<String>,
        /// The site folder (the one with site.yaml).
        #[arg(long, short = 'r', default_value = ".")]
        root: PathBuf,
        /// The built output folder (default: <root>/output).
        #[arg(long, short = 'o', value_name = "DIR")]
        output: Option<PathBuf>,
    },
    /// Zip the last build as site-<YYYYMMDD>.zip, with SHA256SUMS inside.
    Package {
        /// The site folder (the one with site.yaml).
        #[arg(long, short = 'r', default_value = ".")]
        root: PathBuf,
        /// The built output folder (default: <root>/output).
        #[arg(long, short = 'o', value_name = "DIR")]
        output: Option<PathBuf>,
    },
    /// Create a new site with a sample brand and report.
    Init {
        /// Folder for the new site.
        dir: PathBuf,
    },
    /// Create a brand or a case report with its front matter skeleton.
    New {
        #[command(subcommand)]
        what: NewWhat,
        #[arg(long, short = 'r', default_value = ".", global = true)]
        root: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum NewWhat {
    /// content/brands/SLUG.md
    Brand { slug: String },
    /// content/cases/PATH.md (PATH may contain folders)
    Case { path: String },
}
