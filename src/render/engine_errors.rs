//! Tera's errors as Herald errors: the template file, line and column of each mistake, the
//! chain of includes and components it was reached through, and, for a name Tera 2 no longer
//! knows (a Tera 1 filter, a macro), what to write instead.
//!
//! Tera 2 reports a mistake as text in the shape of a compiler message (`error: …`,
//! ` --> name:line:col`, `note: called from name:line:col`), several of them joined when a
//! template set has more than one. That text is the only place the notes are public, so it is
//! read here.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::error::{Error, Location, TemplateAdvice};

/// One `error:` block of Tera's message.
#[derive(Debug, Default, PartialEq)]
struct Report {
    message: String,
    at: Option<(String, usize, usize)>,
    called_from: Vec<(String, usize, usize)>,
}

/// The Herald errors of one Tera error (a template set can have several mistakes at once).
pub(super) fn convert(
    e: &tera::Error,
    files: &HashMap<String, PathBuf>,
    sources: &HashMap<String, String>,
) -> Vec<Error> {
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(inner) = source {
        text.push_str("\n\n");
        text.push_str(&inner.to_string());
        source = inner.source();
    }
    let reports = parse_reports(&text);
    if reports.is_empty() {
        let name = named_template(e).unwrap_or_default();
        let at = files.get(&name).map(Location::file);
        return vec![Error::Template {
            name,
            at,
            message: text.trim().to_string(),
            called_from: Vec::new(),
            advice: None,
        }];
    }
    reports
        .into_iter()
        .map(|r| {
            let (name, line, col) = r.at.clone().unwrap_or_default();
            let written = sources
                .get(&name)
                .and_then(|t| t.lines().nth(line.saturating_sub(1)))
                .unwrap_or("");
            Error::Template {
                at: Some(location(files, &name, line, col)),
                called_from: r
                    .called_from
                    .iter()
                    .map(|(n, l, c)| location(files, n, *l, *c))
                    .collect(),
                advice: advice(&r.message, written, col).map(Box::new),
                message: r.message,
                name,
            }
        })
        .collect()
}

/// Where a template is: the site's or theme folder's file, else the default theme's name.
fn location(files: &HashMap<String, PathBuf>, name: &str, line: usize, col: usize) -> Location {
    let path = files
        .get(name)
        .cloned()
        .unwrap_or_else(|| Path::new("themes/default/templates").join(name));
    Location::new(path, line, col)
}

fn named_template(e: &tera::Error) -> Option<String> {
    match e.kind() {
        tera::ErrorKind::CircularExtend { tpl, .. }
        | tera::ErrorKind::CircularInclude { tpl, .. } => Some(tpl.clone()),
        tera::ErrorKind::MissingParent { current, .. } => Some(current.clone()),
        _ => None,
    }
}

/// `name:line:col` (the name may not contain `:` in Herald: template names are paths).
fn place(s: &str) -> Option<(String, usize, usize)> {
    let mut parts = s.trim().rsplitn(3, ':');
    let col = parts.next()?.parse().ok()?;
    let line = parts.next()?.parse().ok()?;
    Some((parts.next()?.to_string(), line, col))
}

fn parse_reports(text: &str) -> Vec<Report> {
    let mut reports: Vec<Report> = Vec::new();
    for line in text.lines() {
        if let Some(message) = line.strip_prefix("error: ") {
            reports.push(Report {
                message: message.trim().to_string(),
                ..Report::default()
            });
        } else if let Some(at) = line.trim_start().strip_prefix("--> ") {
            if let Some(r) = reports.last_mut() {
                if r.at.is_none() {
                    r.at = place(at);
                }
            }
        } else if let Some(note) = line.strip_prefix("note: ") {
            if let (Some(r), Some(at)) = (
                reports.last_mut(),
                note.rsplit_once(' ').and_then(|(_, p)| place(p)),
            ) {
                r.called_from.push(at);
            }
        }
    }
    reports
}

/// Tera 1 names that Tera 2 renamed or removed, with what to write instead.
const RENAMED: &[(&str, &str)] = &[
    ("linebreaksbr", "newlines_to_br"),
    ("as_str", "str"),
    ("trim_start_matches", "trim_start(pat=\"…\")"),
    ("trim_end_matches", "trim_end(pat=\"…\")"),
    ("divisibleby", "divisible_by"),
    ("object", "map"),
    ("date", "date_zh"),
    ("slice", "list[start:end]"),
    ("concat", "[...a, ...b]"),
    ("map", "[x.attr for x in list]"),
    ("filter", "[x for x in list if x.attr == value]"),
    ("json_encode", "(no replacement: print the fields you need)"),
    ("filesizeformat", "(no replacement)"),
    ("slugify", "(no replacement: pages have `slug`)"),
    (
        "urlencode",
        "(no replacement: Herald's URLs are ready to print)",
    ),
    (
        "urlencode_strict",
        "(no replacement: Herald's URLs are ready to print)",
    ),
    ("spaceless", "(no replacement)"),
    ("addslashes", "(no replacement)"),
    ("get_env", "(no replacement)"),
    ("now", "(no replacement: use page.date)"),
    ("get_random", "(no replacement)"),
];

/// What to write instead: the Tera 2 name of a Tera 1 habit, the field that was meant, or
/// how to print a value that may be missing. `written` is the template line, `col` (1-based)
/// where Tera points in it.
fn advice(message: &str, written: &str, col: usize) -> Option<TemplateAdvice> {
    let quoted = message
        .split_once('`')
        .and_then(|(_, rest)| rest.split_once('`'))
        .map(|(name, _)| name);
    if message.starts_with("Unknown filter")
        || message.starts_with("Unknown test")
        || message.starts_with("Unknown function")
    {
        let name = quoted?;
        return RENAMED
            .iter()
            .find(|(old, _)| *old == name)
            .map(|(_, new)| TemplateAdvice::Tera2((*new).to_string()));
    }
    let tera1 = ["{% macro", "{%- macro", "{% import", "{%- import", "::"];
    if tera1.iter().any(|t| written.contains(t)) {
        return Some(TemplateAdvice::Tera2(
            "{% component name(arg) %}…{% endcomponent name %} + {{<name arg={value} />}}".into(),
        ));
    }
    if written.contains(" is ") && message.contains("expected identifier") {
        return Some(TemplateAdvice::Tera2(
            "x is starting_with(pat=\"…\")".into(),
        ));
    }
    if message.starts_with("Variable `") || message.starts_with("Field `") {
        let name = quoted?;
        if let Some(list) = message.split_once("Available fields: ").map(|(_, l)| l) {
            let closest = list
                .split(", ")
                .map(|f| (strsim::jaro_winkler(f.trim(), name), f.trim()))
                .filter(|(score, _)| *score > 0.8)
                .max_by(|a, b| a.0.total_cmp(&b.0));
            if let Some((_, field)) = closest {
                return Some(TemplateAdvice::DidYouMean(field.to_string()));
            }
        }
        return Some(TemplateAdvice::Optional(expression_at(written, col)));
    }
    None
}

/// The dotted name written around column `col` (`page.extra.note`).
fn expression_at(line: &str, col: usize) -> String {
    let chars: Vec<char> = line.chars().collect();
    let part = |c: &char| c.is_alphanumeric() || *c == '_' || *c == '.';
    let at = col.saturating_sub(1).min(chars.len());
    let start = chars[..at]
        .iter()
        .rposition(|c| !part(c))
        .map_or(0, |i| i + 1);
    let end = chars[at..]
        .iter()
        .position(|c| !part(c))
        .map_or(chars.len(), |i| at + i);
    chars[start..end].iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_each_report_with_its_place_and_notes() {
        let text = "error: Field `x` is not defined\n --> partials/a.html:3:7\n  |\n3 | {{ x }}\n  |    ^\n\nnote: called from page.html:10:12\n  |\n10 | {% include \"partials/a.html\" %}\n\nerror: Unknown filter `linebreaksbr`\n --> base.html:2:4\n";
        let r = parse_reports(text);
        assert_eq!(r.len(), 2);
        assert_eq!(r[0].at, Some(("partials/a.html".into(), 3, 7)));
        assert_eq!(r[0].called_from, vec![("page.html".into(), 10, 12)]);
        assert_eq!(r[1].message, "Unknown filter `linebreaksbr`");
        assert_eq!(
            advice(&r[1].message, "", 0),
            Some(TemplateAdvice::Tera2("newlines_to_br".into()))
        );
        assert_eq!(
            advice("Field `writer` is not defined.", "  {{ page.writer }}", 11),
            Some(TemplateAdvice::Optional("page.writer".into()))
        );
        assert_eq!(
            advice(
                "Field `titel` is not defined. Available fields: date, title, url",
                "{{ page.titel }}",
                9
            ),
            Some(TemplateAdvice::DidYouMean("title".into()))
        );
    }
}
