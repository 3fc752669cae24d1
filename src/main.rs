//! `herald`: parse the command line, run the command, print what went wrong, set the exit code.

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::ExitCode;

/// Rendering thousands of pages through Tera is mostly small allocations; mimalloc makes them
/// markedly cheaper than the system allocator (measured: see BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use herald::cli::{self, Command, NewWhat, Parsed};
use herald::diagnostics::{self, Lang};
use herald::{scaffold, serve, BuildOptions, Diagnostics};

fn main() -> ExitCode {
    let args: Vec<OsString> = std::env::args_os().collect();
    // Known before clap parses, so that its help and errors are in this language too.
    let lang = cli::detect_lang(&args);
    let cli = match cli::parse(args, lang) {
        Parsed::Run(cli) => cli,
        Parsed::Exit(code) => return ExitCode::from(code),
    };
    if cli.version {
        println!("{}", cli::version(lang));
        return ExitCode::SUCCESS;
    }
    let Some(command) = cli.command else {
        return launched(lang);
    };
    run(command, lang)
}

/// No command: a double-click on herald.exe. Whatever went wrong stays on screen until a key.
fn launched(lang: Lang) -> ExitCode {
    match cli::launch(lang) {
        Ok(()) => ExitCode::SUCCESS,
        Err((root, diags)) => {
            cli::print_problems(&root, diags, lang);
            cli::wait_for_key(lang);
            ExitCode::FAILURE
        }
    }
}

/// Runs one command: the site folder it worked on, and what to print.
fn execute(command: Command, lang: Lang) -> (PathBuf, Result<String, Diagnostics>) {
    match command {
        Command::Build {
            site,
            output,
            base_url,
            relative,
            compress,
            no_cache,
        } => {
            let opts = BuildOptions {
                root: site.root.clone(),
                output,
                base_url,
                relative,
                compress,
                no_cache,
                drafts: site.drafts,
                strict: site.strict,
                lang,
                exiting: true,
            };
            (
                site.root,
                herald::build(&opts).map(|r| summary(&r, lang, true)),
            )
        }
        Command::Check { site } => {
            let opts = BuildOptions {
                root: site.root.clone(),
                drafts: site.drafts,
                strict: site.strict,
                lang,
                ..Default::default()
            };
            (
                site.root,
                herald::check(&opts).map(|r| summary(&r, lang, false)),
            )
        }
        Command::Serve {
            site,
            port,
            bind,
            open,
        } => {
            let opts = serve::ServeOptions {
                root: site.root.clone(),
                port,
                bind,
                open,
                drafts: site.drafts,
                strict: site.strict,
                lang,
            };
            (site.root, serve::run(opts).map(|()| String::new()))
        }
        Command::Deploy {
            target,
            dry_run,
            max_deletes,
            force,
            endpoint,
            root,
            output,
        } => {
            let opts = herald::deploy::DeployOptions {
                root: root.clone(),
                output,
                target,
                endpoint,
                dry_run,
                max_deletes,
                force,
                lang,
            };
            (root, herald::deploy::run(&opts))
        }
        Command::Package { root, output } => (
            root.clone(),
            herald::package::package(&root, output.as_deref())
                .map(|zip| herald::package::message(&zip, lang)),
        ),
        Command::Clean { root } => (
            root.clone(),
            herald::pipeline::clean(&root)
                .map(|removed| clean_message(removed, lang))
                .map_err(Diagnostics::from),
        ),
        Command::Init { dir } => (
            dir.clone(),
            scaffold::init(&dir)
                .map(|()| scaffold::init_message(&dir, lang))
                .map_err(Diagnostics::from),
        ),
        Command::New { what, root } => {
            let r = match what {
                NewWhat::Brand { slug } => scaffold::new_brand(&root, &slug),
                NewWhat::Case { path } => scaffold::new_case(&root, &path),
            };
            (
                root,
                r.map(|created| created.message(lang))
                    .map_err(Diagnostics::from),
            )
        }
    }
}

fn run(command: Command, lang: Lang) -> ExitCode {
    // Only a build has an output to keep unchanged; other commands just count their errors.
    let builds = matches!(command, Command::Build { .. } | Command::Check { .. });
    let (root, result) = execute(command, lang);
    match result {
        Ok(message) => {
            if !message.is_empty() {
                println!("{message}");
            }
            ExitCode::SUCCESS
        }
        Err(mut diags) => {
            diags.sort();
            eprint!("{}", diagnostics::render(&diags, lang, &root));
            let n = diags.errors.len();
            if n > 0 && !builds {
                eprintln!(
                    "{}",
                    if lang == Lang::Zh {
                        format!("共 {n} 处错误。")
                    } else {
                        format!("{n} error(s).")
                    }
                );
            } else if n > 0 {
                eprintln!(
                    "{}",
                    if lang == Lang::Zh {
                        format!("共 {n} 处错误，未生成网站；原有的 output 保持不变。")
                    } else {
                        format!(
                            "{n} error(s); nothing was written, the previous output is unchanged."
                        )
                    }
                );
            } else if !diags.warnings.is_empty() {
                eprintln!(
                    "{}",
                    if lang == Lang::Zh {
                        "有警告，且使用了 --strict，未生成网站。"
                    } else {
                        "warnings with --strict: nothing was written."
                    }
                );
            }
            ExitCode::FAILURE
        }
    }
}

/// What `herald clean` did.
fn clean_message(removed: Option<usize>, lang: Lang) -> String {
    match (lang, removed) {
        (Lang::Zh, Some(n)) => {
            format!("已删除缓存 .herald/cache/（{n} 个文件）；下次生成将从头开始")
        }
        (Lang::En, Some(n)) => {
            format!("removed .herald/cache/ ({n} files); the next build starts from scratch")
        }
        (Lang::Zh, None) => "没有要删除的缓存：.herald/cache/ 不存在".to_string(),
        (Lang::En, None) => "nothing to remove: there is no .herald/cache/".to_string(),
    }
}

fn summary(r: &herald::BuildReport, lang: Lang, wrote: bool) -> String {
    let mut s = String::new();
    if !r.warnings.warnings.is_empty() {
        eprint!(
            "{}",
            diagnostics::render(&r.warnings, lang, std::path::Path::new("."))
        );
    }
    let ms = r.elapsed.as_secs_f64() * 1000.0;
    let changed = match (lang, r.changed) {
        (Lang::Zh, Some(n)) => format!("（{n} 个有变化）"),
        (Lang::En, Some(n)) => format!(" ({n} changed)"),
        (_, None) => String::new(),
    };
    // Said only when the site has photos: how many were encoded now and how many came
    // from `.herald/cache/images/` (a rebuild with nothing new encodes 0).
    let photos = match (lang, r.images) {
        (Lang::Zh, Some((new, cached))) if new + cached > 0 => {
            format!(
                "，{} 张照片（新处理 {new} 张，来自缓存 {cached} 张）",
                new + cached
            )
        }
        (Lang::En, Some((new, cached))) if new + cached > 0 => {
            format!(", {} photos ({new} encoded, {cached} cached)", new + cached)
        }
        _ => String::new(),
    };
    s.push_str(&match (lang, wrote) {
        (Lang::Zh, true) => format!(
            "已生成：{} 篇文章，{} 个品牌，{} 个文件{changed}{photos}，用时 {ms:.0} 毫秒",
            r.pages, r.brands, r.files
        ),
        (Lang::Zh, false) => format!(
            "检查通过：{} 篇文章，{} 个品牌，用时 {ms:.0} 毫秒",
            r.pages, r.brands
        ),
        (Lang::En, true) => format!(
            "built {} pages, {} brands, {} files{changed}{photos} in {ms:.0} ms",
            r.pages, r.brands, r.files
        ),
        (Lang::En, false) => format!(
            "check passed: {} pages, {} brands in {ms:.0} ms",
            r.pages, r.brands
        ),
    });
    s
}
