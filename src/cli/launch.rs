//! `herald` without a command, which is what a double-click on herald.exe does: in a site
//! folder it opens the preview in the browser; elsewhere it says what to do, offers to create
//! a sample site, and keeps the window open until Enter is pressed (Windows closes a console
//! window the moment its program ends, message and all).

use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};

use crate::diagnostics::{self, Lang};
use crate::error::Diagnostics;
use crate::{scaffold, serve};

/// The folder `init` makes when the user says yes.
const NEW_SITE: &str = "宣传网站";

/// Whether someone is at a console to answer questions and press a key. A double-click gives
/// the program a console; tests and CI give it a pipe or nothing, and must never wait.
/// `HERALD_INTERACTIVE=1` (or `0`) decides instead, so tests can answer through a pipe.
pub fn interactive() -> bool {
    match std::env::var("HERALD_INTERACTIVE").as_deref() {
        Ok("1") => true,
        Ok("0") => false,
        _ => std::io::stdin().is_terminal(),
    }
}

/// "Press Enter to close", when someone is there to press it.
pub fn wait_for_key(lang: Lang) {
    if !interactive() {
        return;
    }
    print!(
        "\n{}",
        match lang {
            Lang::Zh => "按回车键关闭窗口……",
            Lang::En => "Press Enter to close this window…",
        }
    );
    let _ = std::io::stdout().flush();
    let mut line = String::new();
    let _ = std::io::stdin().lock().read_line(&mut line);
}

/// The site to preview: the current folder, else the folder herald.exe is in (a shortcut
/// may start it elsewhere).
fn find_site() -> Option<PathBuf> {
    let here = std::env::current_dir().ok();
    let exe_dir = std::env::current_exe()
        .ok()
        .and_then(|e| e.parent().map(Path::to_path_buf));
    [here, exe_dir]
        .into_iter()
        .flatten()
        .find(|d| d.join(crate::config::SITE_FILE).is_file())
}

/// Runs the double-click case: Ok when the preview ran (and was stopped), Err with the
/// problems and the folder they are relative to.
pub fn run(lang: Lang) -> Result<(), (PathBuf, Diagnostics)> {
    if let Some(root) = find_site() {
        return preview(root, lang);
    }
    let here = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    print!("{}", no_site_message(&here, lang));
    if !interactive() {
        return Err((here, Diagnostics::default()));
    }
    print!(
        "{}",
        match lang {
            Lang::Zh => format!("\n要在这里新建示例网站“{NEW_SITE}”吗？输入 y 再按回车新建，直接按回车退出："),
            Lang::En => format!("\nCreate a sample site “{NEW_SITE}” here? Type y and Enter to create it, just Enter to quit: "),
        }
    );
    let _ = std::io::stdout().flush();
    let mut answer = String::new();
    let _ = std::io::stdin().lock().read_line(&mut answer);
    if !matches!(answer.trim(), "y" | "Y" | "yes" | "是") {
        return Err((here, Diagnostics::default()));
    }
    let dir = here.join(NEW_SITE);
    scaffold::init(&dir).map_err(|e| (here.clone(), Diagnostics::from(e)))?;
    println!("{}", scaffold::init_message(&dir, lang));
    preview(dir, lang)
}

fn preview(root: PathBuf, lang: Lang) -> Result<(), (PathBuf, Diagnostics)> {
    println!(
        "{}",
        match lang {
            Lang::Zh => format!(
                "正在预览 {}\n浏览器会自动打开；改好文件保存后，页面自动刷新。关闭这个窗口即停止预览。",
                root.display()
            ),
            Lang::En => format!(
                "previewing {}\nthe browser opens by itself and reloads when you save; close this window to stop.",
                root.display()
            ),
        }
    );
    let opts = serve::ServeOptions {
        root: root.clone(),
        port: 1111,
        bind: "127.0.0.1".into(),
        // Tests and CI have no browser to open.
        open: std::env::var_os("HERALD_NO_BROWSER").is_none(),
        drafts: false,
        strict: false,
        lang,
    };
    serve::run(opts).map_err(|d| (root, d))
}

fn no_site_message(here: &Path, lang: Lang) -> String {
    let here = here.display();
    match lang {
        Lang::Zh => format!(
            "这个文件夹里没有 site.yaml，不是宣页网站的文件夹：\n  {here}\n\n\
             怎么办：\n\
             · 预览网站：把 herald.exe 放进网站文件夹（有 site.yaml 的那个）里，再双击它；\n\
             · 新建网站：在命令行里运行 herald init 文件夹名；\n\
             · 看所有命令：herald --help\n"
        ),
        Lang::En => format!(
            "There is no site.yaml in this folder, so it is not a Herald site:\n  {here}\n\n\
             What to do:\n\
             · to preview a site, put herald.exe in the site's folder (the one with site.yaml) and double-click it;\n\
             · to create a site, run herald init FOLDER;\n\
             · every command: herald --help\n"
        ),
    }
}

/// Prints what went wrong in the double-click case (the message is already out when there
/// is nothing to list).
pub fn print_problems(root: &Path, mut diags: Diagnostics, lang: Lang) {
    if diags.errors.is_empty() && diags.warnings.is_empty() {
        return;
    }
    diags.sort();
    eprint!("{}", diagnostics::render(&diags, lang, root));
}
