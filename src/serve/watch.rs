//! Watching the site: debounced file events (an editor's save-as-rename-and-write counts once,
//! its temporary and hidden files not at all) → a rebuild → a notice to the browser.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{new_debouncer, DebounceEventResult};
use tokio::sync::broadcast;

use super::state::{Change, State};
use super::Notice;
use crate::diagnostics::Lang;
use crate::error::{Error, Location};
use crate::layout::SiteFolder;

/// Short: the debouncer's job is to merge one save's events, not to wait for typing to stop.
const DEBOUNCE: Duration = Duration::from_millis(25);

type Debouncer = notify_debouncer_full::Debouncer<
    notify::RecommendedWatcher,
    notify_debouncer_full::RecommendedCache,
>;

pub(super) struct Watcher {
    _debouncer: Arc<Mutex<Debouncer>>,
}

/// Paths the site is made of; everything else (output/, .git, editor files) is ignored.
pub(super) fn relevant(root: &Path, path: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(root) else {
        return false;
    };
    let mut comps = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().to_string());
    let Some(first) = comps.next() else {
        return false;
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    if crate::content::load::is_ignored_name(&name)
        || rel
            .components()
            .any(|c| c.as_os_str().to_string_lossy().starts_with('.'))
    {
        return false;
    }
    crate::layout::SiteFolder::of(root, path).is_some()
        || (first == crate::layout::SITE_FILE && comps.next().is_none())
}

pub(super) fn start(
    root: PathBuf,
    state: Arc<RwLock<State>>,
    tx: broadcast::Sender<Notice>,
    lang: Lang,
) -> Result<Watcher, Error> {
    let (events_tx, events_rx) = mpsc::channel::<(Instant, Vec<Change>)>();
    let watch_root = root.clone();
    let mut debouncer = new_debouncer(
        DEBOUNCE,
        Some(Duration::from_millis(5)),
        move |result: DebounceEventResult| {
            let Ok(events) = result else { return };
            let mut changes: Vec<Change> = Vec::new();
            for ev in events {
                for path in &ev.paths {
                    if !relevant(&watch_root, path) {
                        continue;
                    }
                    let change = match ev.kind {
                        EventKind::Modify(notify::event::ModifyKind::Data(_))
                        | EventKind::Modify(notify::event::ModifyKind::Any) => {
                            Change::Modified(path.clone())
                        }
                        EventKind::Modify(notify::event::ModifyKind::Metadata(_))
                        | EventKind::Access(_) => continue,
                        _ => Change::Structure(path.clone()),
                    };
                    if !changes.contains(&change) {
                        changes.push(change);
                    }
                }
            }
            if !changes.is_empty() {
                let _ = events_tx.send((Instant::now(), changes));
            }
        },
    )
    .map_err(|e| Error::Invalid {
        at: Location::file(&root),
        message: format!("cannot watch files: {e}"),
    })?;
    // Only the site's own folders: watching the root recursively would also watch output/,
    // .git and a Rust project's target/, whose churn costs a core.
    let watch_err = |e: notify::Error| Error::Invalid {
        at: Location::file(&root),
        message: format!("cannot watch files: {e}"),
    };
    debouncer
        .watch(&root, RecursiveMode::NonRecursive)
        .map_err(watch_err)?;
    let mut watched = Vec::new();
    for folder in SiteFolder::ALL {
        let dir = folder.path(&root);
        if dir.is_dir() {
            debouncer
                .watch(&dir, RecursiveMode::Recursive)
                .map_err(watch_err)?;
            watched.push(folder);
        }
    }
    let debouncer = Arc::new(Mutex::new(debouncer));
    let shared = debouncer.clone();

    std::thread::spawn(move || {
        // The error the browser was last told of: one save seen as two batches (the file
        // emptied, then written) gives the same error twice, and the browser is not told
        // again of what it already shows.
        let mut shown: Option<String> = None;
        while let Ok((_, mut changes)) = events_rx.recv() {
            let started = Instant::now();
            // Whatever else arrived meanwhile is part of the same rebuild.
            while let Ok((_, more)) = events_rx.try_recv() {
                changes.extend(more);
            }
            // A site folder made after the start (a first `static/` for a logo): the root's
            // watch saw it appear; from now on what happens inside it counts too.
            for folder in SiteFolder::ALL {
                let dir = folder.path(&root);
                if !watched.contains(&folder) && dir.is_dir() {
                    if let Ok(mut d) = shared.lock() {
                        if d.watch(&dir, RecursiveMode::Recursive).is_ok() {
                            watched.push(folder);
                        }
                    }
                }
            }
            let Ok(mut s) = state.write() else { return };
            let result = s.apply(&changes);
            let elapsed = started.elapsed().as_secs_f64() * 1000.0;
            let what = describe(&root, &changes);
            match result {
                Ok(summary) => {
                    drop(s);
                    eprint!(
                        "{}",
                        crate::diagnostics::render(&summary.warnings, lang, &root)
                    );
                    let text = summary.to_string();
                    let notice = match summary.css_only {
                        Some(css) if !css.is_empty() => Notice::Css(css),
                        _ => Notice::Reload,
                    };
                    let _ = tx.send(notice);
                    shown = None;
                    eprintln!("{}", line(lang, &what, &text, elapsed));
                }
                Err(diags) => {
                    let text = s.error().unwrap_or_default();
                    drop(s);
                    if shown.as_ref() != Some(&text) {
                        let _ = tx.send(Notice::BuildError(text.clone()));
                        shown = Some(text.clone());
                    }
                    eprint!("{}", text);
                    // Under --strict a warning stops the build like an error.
                    let n = match diags.errors.len() {
                        0 => diags.warnings.len(),
                        n => n,
                    };
                    eprintln!("{}", errors_line(lang, n));
                }
            }
        }
    });
    Ok(Watcher {
        _debouncer: debouncer,
    })
}

fn describe(root: &Path, changes: &[Change]) -> String {
    let mut names: Vec<String> = changes
        .iter()
        .map(|c| match c {
            Change::Modified(p) | Change::Structure(p) => p
                .strip_prefix(root)
                .unwrap_or(p)
                .display()
                .to_string()
                .replace('\\', "/"),
        })
        .collect();
    names.dedup();
    if names.len() > 3 {
        format!("{} … (+{})", names[..3].join(", "), names.len() - 3)
    } else {
        names.join(", ")
    }
}

/// Under the errors of a failed build: how many, and that the browser shows them.
pub(super) fn errors_line(lang: Lang, n: usize) -> String {
    if lang == Lang::Zh {
        format!("  ↑ {n} 处错误；浏览器里会显示，改好保存后自动恢复")
    } else {
        format!("  ↑ {n} error(s); shown in the browser until fixed")
    }
}

fn line(lang: Lang, what: &str, summary: &str, ms: f64) -> String {
    match lang {
        Lang::Zh => format!("已更新 {what} → {summary}，{ms:.0} 毫秒"),
        Lang::En => format!("changed {what} → {summary} in {ms:.0} ms"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_site_files_count() {
        let root = Path::new("/site");
        assert!(relevant(root, Path::new("/site/content/cases/a.md")));
        assert!(relevant(root, Path::new("/site/site.yaml")));
        assert!(relevant(
            root,
            Path::new("/site/themes/default/templates/page.html")
        ));
        assert!(!relevant(root, Path::new("/site/output/index.html")));
        assert!(!relevant(root, Path::new("/site/content/cases/.a.md.swp")));
        assert!(!relevant(root, Path::new("/site/content/cases/a.md~")));
        assert!(!relevant(root, Path::new("/site/.git/index")));
    }
}
