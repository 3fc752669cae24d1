//! The command line: the clap definitions (their doc comments are the English help), the
//! Chinese help and usage errors (`zh`), and what `herald` without a command does (`launch`:
//! a double-click on herald.exe).

mod launch;
mod zh;

use std::ffi::OsString;
use std::path::PathBuf;

use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand};

use crate::diagnostics::Lang;

pub use launch::{interactive, print_problems, run as launch, wait_for_key};

#[derive(Debug, Parser)]
#[command(
    name = "herald",
    about = "宣页 Herald：把 Markdown 案例材料生成宣传网站 / a static-site generator for publicity sites",
    after_help = "Without a command (a double-click on herald.exe): preview the site in this folder.",
    disable_version_flag = true
)]
pub struct Cli {
    /// Message language: zh or en (default: from LANG / LC_ALL).
    #[arg(long, global = true, value_name = "zh|en")]
    pub lang: Option<String>,
    /// Print version.
    #[arg(long, short = 'V')]
    pub version: bool,
    /// None: started without a command, as a double-click does.
    #[command(subcommand)]
    pub command: Option<Command>,
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
        /// Write every internal URL relative to its page (as site.yaml's relative_urls: true),
        /// so the output works from any folder and opened from disk (file://, a USB stick).
        #[arg(long)]
        relative: bool,
        /// Also write a gzip copy (.gz) beside every HTML, CSS, JS, XML and SVG file, for a web
        /// server that sends it as it is (nginx: gzip_static on).
        #[arg(long)]
        compress: bool,
        /// Build everything from scratch: neither read nor write the build, parse and body
        /// caches (.herald/cache/build.bin, sources.bin, bodies/).
        #[arg(long)]
        no_cache: bool,
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
    /// Remove the caches in .herald/cache/ (the build, parse and body caches and the encoded
    /// photos).
    Clean {
        /// The site folder (the one with site.yaml).
        #[arg(long, short = 'r', default_value = ".")]
        root: PathBuf,
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

/// What the command line asks for, or the exit code when clap already answered (help, a
/// usage error).
pub enum Parsed {
    Run(Cli),
    Exit(u8),
}

/// The value of `--lang` (`--lang zh`, `--lang=zh`), read before clap parses: the help clap
/// prints has to be built in that language already. Stops at `--`.
pub fn lang_flag(args: &[OsString]) -> Option<String> {
    let mut it = args.iter().skip(1).map(|a| a.to_string_lossy());
    while let Some(a) = it.next() {
        if a == "--" {
            break;
        }
        if a == "--lang" {
            return it.next().map(|v| v.into_owned());
        }
        if let Some(v) = a.strip_prefix("--lang=") {
            return Some(v.to_string());
        }
    }
    None
}

/// The language of everything herald says: `--lang`, else LC_ALL / LC_MESSAGES / LANG, else
/// (on Windows, where those are rarely set) the language of the Windows user interface.
pub fn detect_lang(args: &[OsString]) -> Lang {
    let flag = lang_flag(args);
    let locale_set = ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .any(|v| std::env::var_os(v).is_some_and(|s| !s.is_empty()));
    if flag.is_none() && !locale_set && windows_ui_is_chinese() {
        return Lang::Zh;
    }
    Lang::detect(flag.as_deref())
}

#[cfg(windows)]
fn windows_ui_is_chinese() -> bool {
    #[link(name = "kernel32")]
    extern "system" {
        fn GetUserDefaultUILanguage() -> u16;
    }
    // SAFETY: no arguments, returns a LANGID; cannot fail.
    let langid = unsafe { GetUserDefaultUILanguage() };
    // The primary language is the low 10 bits; LANG_CHINESE is 0x04.
    langid & 0x3ff == 0x04
}

#[cfg(not(windows))]
fn windows_ui_is_chinese() -> bool {
    false
}

/// The clap command in `lang`: the derive's English as it is, or the Chinese texts.
pub fn command(lang: Lang) -> clap::Command {
    let cmd = Cli::command();
    match lang {
        Lang::En => cmd,
        Lang::Zh => zh::localize(cmd),
    }
}

/// Parses `args`, printing help, the version or a usage error in `lang` when that is the
/// answer.
pub fn parse(args: Vec<OsString>, lang: Lang) -> Parsed {
    let matches = match command(lang).try_get_matches_from(args) {
        Ok(m) => m,
        Err(e) => return Parsed::Exit(report(&e, lang)),
    };
    if let Some(("help", sub)) = matches.subcommand() {
        // Only the Chinese command has its own `help` (clap's is English).
        let names: Vec<String> = sub
            .get_many::<String>("command")
            .map(|v| v.cloned().collect())
            .unwrap_or_default();
        return Parsed::Exit(zh::help_for(command(lang), &names));
    }
    match Cli::from_arg_matches(&matches) {
        Ok(cli) => Parsed::Run(cli),
        Err(e) => Parsed::Exit(report(&e, lang)),
    }
}

/// Prints what clap has to say (help, or what is wrong) and gives the exit code.
fn report(e: &clap::Error, lang: Lang) -> u8 {
    use clap::error::ErrorKind;
    let code = u8::try_from(e.exit_code()).unwrap_or(2);
    let shown = matches!(
        e.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    );
    if lang == Lang::En || shown {
        let _ = e.print();
    } else {
        eprint!("{}", zh::usage_error(e));
    }
    code
}

/// `herald --version`.
pub fn version(lang: Lang) -> String {
    let v = env!("CARGO_PKG_VERSION");
    match lang {
        Lang::Zh => format!("宣页 Herald {v} 版"),
        Lang::En => format!("herald {v}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(a: &[&str]) -> Vec<OsString> {
        a.iter().map(OsString::from).collect()
    }

    #[test]
    fn lang_flag_is_found_in_every_spelling_before_a_double_dash() {
        assert_eq!(
            lang_flag(&args(&["herald", "--lang", "zh"])).as_deref(),
            Some("zh")
        );
        assert_eq!(
            lang_flag(&args(&["herald", "build", "--lang=en"])).as_deref(),
            Some("en")
        );
        assert_eq!(lang_flag(&args(&["herald", "--", "--lang", "zh"])), None);
        assert_eq!(lang_flag(&args(&["herald", "build"])), None);
    }

    #[test]
    fn both_commands_are_well_formed() {
        command(Lang::En).debug_assert();
        command(Lang::Zh).debug_assert();
    }
}
