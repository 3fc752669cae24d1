//! The report a user reads: every warning and error with its place, the quoted line and a
//! caret under the column.

use std::fmt::Write as _;
use std::path::Path;

use super::{describe, describe_warning, Lang, Message};
use crate::error::{Diagnostics, Error};

/// Renders all diagnostics as the user sees them, with a snippet of the offending line.
pub fn render(diags: &Diagnostics, lang: Lang, root: &Path) -> String {
    let mut out = String::new();
    for w in &diags.warnings {
        let m = describe_warning(w, lang);
        let label = lang.pick("警告", "warning");
        write_one(
            &mut out,
            label,
            &w.location().to_string(),
            Some(w.location()),
            &m,
            root,
        );
    }
    for e in diags.errors.iter().take(MAX_SHOWN) {
        let m = describe(e, lang);
        let label = lang.pick("错误", "error");
        let place = match (e, e.location()) {
            (_, Some(at)) => at.to_string(),
            (Error::Template { name, .. }, None) => format!("templates/{name}"),
            _ => String::new(),
        };
        write_one(&mut out, label, &place, e.location(), &m, root);
    }
    if diags.errors.len() > MAX_SHOWN {
        let more = diags.errors.len() - MAX_SHOWN;
        let _ = writeln!(
            out,
            "{}",
            match lang {
                Lang::Zh => format!("……另有 {more} 处错误未列出，请先改正以上错误"),
                Lang::En => format!("… and {more} more errors; fix the ones above first"),
            }
        );
    }
    out
}

/// More than this many errors is one mistake repeated, or the wrong folder: the first ones
/// are what the user needs.
const MAX_SHOWN: usize = 50;

fn write_one(
    out: &mut String,
    label: &str,
    place: &str,
    at: Option<&crate::error::Location>,
    m: &Message,
    root: &Path,
) {
    if place.is_empty() {
        let _ = writeln!(out, "{label}: {}", m.text);
    } else {
        let _ = writeln!(out, "{label}: {place}: {}", m.text);
    }
    let snippet = at.and_then(|at| snippet(root, at));
    match (snippet, &m.hint) {
        (Some((line_no, line, col)), hint) => {
            let gutter = line_no.to_string().len();
            let pad = " ".repeat(gutter);
            let _ = writeln!(out, "{pad} |");
            let _ = writeln!(out, "{line_no} | {line}");
            let caret_at: usize = line
                .chars()
                .take(col.saturating_sub(1))
                .map(display_width)
                .sum();
            let _ = write!(out, "{pad} | {}^", " ".repeat(caret_at));
            match hint {
                Some(h) => {
                    let _ = writeln!(out, " {h}");
                }
                None => out.push('\n'),
            }
        }
        (None, Some(h)) => {
            let _ = writeln!(out, "  = {h}");
        }
        (None, None) => {}
    }
}

/// Columns a character takes in a terminal: CJK and full-width forms take two.
fn display_width(c: char) -> usize {
    if crate::text::is_cjk(c) {
        2
    } else {
        1
    }
}

fn snippet(root: &Path, at: &crate::error::Location) -> Option<(usize, String, usize)> {
    if at.line == 0 {
        return None;
    }
    let path = if at.path.is_absolute() {
        at.path.clone()
    } else {
        root.join(&at.path)
    };
    let meta = std::fs::metadata(&path).ok()?;
    if meta.len() > 64 * 1024 * 1024 {
        return None;
    }
    let bytes = std::fs::read(&path).ok()?;
    // Decode as the build did (BOM, UTF-16, GBK), so the quoted line reads right.
    let text = crate::fs::decode(&path, bytes, &mut Diagnostics::default()).ok()?;
    let line = text.lines().nth(at.line - 1)?;
    let line = line.trim_start_matches('\u{feff}').trim_end_matches('\r');
    let line: String = line.chars().take(160).collect();
    Some((at.line, line.replace('\t', "    "), at.col.max(1)))
}
