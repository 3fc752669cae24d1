//! YAML mappings with positions, and typed field readers with plain-language errors.
//!
//! serde_yaml's `Value` forgets where a key was written, and `deny_unknown_fields` errors name
//! no line for a wrong type. So Herald reads a mapping key by key: each key's line is found
//! in the text, each value is converted by a reader that knows the key, and every mistake
//! becomes an `Error` pointing at that line. Readers are lenient where users are predictable
//! (`tags: 党建` is a one-item list, `value: "286"` is a number).

use std::path::Path;

use serde_yaml::Value;

use crate::date::Date;
use crate::error::{suggest, Diagnostics, Error, Expected, Location, Warning};

/// One `key: value` of a mapping, with where it was written.
pub struct Field<'a> {
    pub key: String,
    pub value: Value,
    pub at: Location,
    /// The raw text of the key's line, to recognise `color: #fff` (a YAML comment) and the like.
    line_text: &'a str,
    /// File lines of the `- ` items of a block list under this key (empty for `[a, b]`).
    item_lines: Vec<usize>,
}

/// Parses `text` (which starts at line `first_line` of `path`) as a mapping.
///
/// Catches the mistakes Chinese input methods make before YAML sees them, because YAML's own
/// message for them is baffling ("mapping values are not allowed here").
pub fn parse_mapping<'a>(
    path: &Path,
    text: &'a str,
    first_line: usize,
) -> Result<Vec<Field<'a>>, Error> {
    let lines: Vec<&str> = text.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        let at = |col| Location::new(path, first_line + i, col);
        if line.starts_with('\t') || line.trim_start_matches(' ').starts_with('\t') {
            let col = line.find('\t').map_or(1, |b| line[..b].chars().count() + 1);
            return Err(Error::TabIndent { at: at(col) });
        }
        if let Some(col) = full_width_colon(line) {
            return Err(Error::FullWidthColon { at: at(col) });
        }
    }
    // YAML counts U+2028/U+2029/U+0085 (pasted from web pages and Word) as line breaks, we do
    // not: spaces keep both counts the same, and nobody means a line break inside a value.
    let cleaned;
    let text_for_yaml = if text.contains(['\u{2028}', '\u{2029}', '\u{85}']) {
        cleaned = text.replace(['\u{2028}', '\u{2029}', '\u{85}'], " ");
        cleaned.as_str()
    } else {
        text
    };
    let value: Value = serde_yaml::from_str(text_for_yaml).map_err(|e| {
        let message = strip_position(&e.to_string());
        let last_line = first_line + lines.len().max(1) - 1;
        let (mut line, mut col) = e
            .location()
            .map_or((first_line, 0), |l| (first_line + l.line() - 1, l.column()));
        // An error at the end of the input is reported past the last line: show the last one.
        if line > last_line {
            (line, col) = (last_line, 0);
        }
        // YAML points a repeated key at the start of the mapping; the repeat is what to fix.
        if let Some(key) = message
            .strip_prefix("duplicate entry with key \"")
            .and_then(|r| r.strip_suffix('"'))
        {
            let repeats: Vec<usize> = lines
                .iter()
                .enumerate()
                .filter(|(_, l)| {
                    l.strip_prefix(key)
                        .is_some_and(|r| r.trim_start().starts_with(':'))
                })
                .map(|(i, _)| i)
                .collect();
            if let Some(&second) = repeats.get(1) {
                (line, col) = (first_line + second, 1);
            }
        }
        Error::Yaml {
            at: Location::new(path, line.max(first_line), col),
            message,
        }
    })?;
    let mapping = match value {
        Value::Null => return Ok(Vec::new()),
        Value::Mapping(m) => m,
        _ => {
            return Err(Error::NotAMapping {
                at: Location::new(path, first_line, 1),
            })
        }
    };
    let mut fields = Vec::with_capacity(mapping.len());
    for (k, v) in mapping {
        let key = match k {
            Value::String(s) => s,
            Value::Number(n) => n.to_string(),
            Value::Bool(b) => b.to_string(),
            _ => {
                return Err(Error::NotAMapping {
                    at: Location::new(path, first_line, 1),
                })
            }
        };
        let line_index = key_line(&lines, &key);
        let at = Location::new(path, first_line + line_index, 1);
        fields.push(Field {
            line_text: lines.get(line_index).copied().unwrap_or(""),
            item_lines: item_lines(&lines, line_index)
                .into_iter()
                .map(|i| first_line + i)
                .collect(),
            key,
            value: v,
            at,
        });
    }
    Ok(fields)
}

/// The column of a full-width colon typed where a key's colon belongs (`title：三家`).
fn full_width_colon(line: &str) -> Option<usize> {
    let trimmed = line.trim_start_matches([' ', '-']);
    let indent = line.len() - trimmed.len();
    let colon = trimmed.find('：')?;
    if let Some(ascii) = trimmed.find(':') {
        if ascii < colon {
            return None;
        }
    }
    let key = trimmed[..colon].trim_end();
    let plain_key = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    plain_key.then(|| line[..indent + colon].chars().count() + 1)
}

/// Indexes of the `- ` lines of a block list under the key on line `key`, up to the next key.
fn item_lines(lines: &[&str], key: usize) -> Vec<usize> {
    let mut items = Vec::new();
    let mut indent = None;
    for (i, line) in lines.iter().enumerate().skip(key + 1) {
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let this = line.len() - trimmed.len();
        if this == 0 && !trimmed.starts_with('-') {
            break;
        }
        if trimmed.starts_with("- ") || trimmed == "-" {
            match indent {
                None => {
                    indent = Some(this);
                    items.push(i);
                }
                Some(d) if d == this => items.push(i),
                _ => {}
            }
        }
    }
    items
}

fn key_line(lines: &[&str], key: &str) -> usize {
    lines
        .iter()
        .position(|l| {
            let rest = l
                .strip_prefix(key)
                .or_else(|| l.strip_prefix(&format!("\"{key}\"")))
                .or_else(|| l.strip_prefix(&format!("'{key}'")));
            rest.is_some_and(|r| r.trim_start().starts_with(':'))
        })
        .unwrap_or(0)
}

/// serde_yaml appends "at line X column Y"; we print our own file position instead.
fn strip_position(message: &str) -> String {
    match message.find(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

/// Checks a key against the known ones; an unknown key is an error with a suggestion.
pub fn unknown_key(field: &Field, known: &'static [&'static str]) -> Error {
    Error::UnknownKey {
        at: field.at.clone(),
        key: field.key.clone(),
        suggestion: suggest(&field.key, known.iter().copied()),
        known,
    }
}

impl Field<'_> {
    /// Where the value starts on the key's line (`date: 昨天` → the column of 昨).
    pub fn value_at(&self) -> Location {
        let col = self.line_text.find(':').map_or(1, |colon| {
            let after = &self.line_text[colon + 1..];
            let spaces = after.len() - after.trim_start().len();
            self.line_text[..colon + 1 + spaces].chars().count() + 1
        });
        Location::new(&self.at.path, self.at.line, col)
    }

    fn bad(&self, expected: Expected) -> Error {
        Error::BadValue {
            at: self.value_at(),
            key: self.key.clone(),
            value: show_value(&self.value),
            expected,
        }
    }

    pub fn text(&self) -> Result<String, Error> {
        scalar_text(&self.value).ok_or_else(|| self.bad(Expected::Text))
    }

    /// Text, with `null`/empty taken as absent.
    pub fn opt_text(&self) -> Result<Option<String>, Error> {
        if self.value.is_null() {
            return Ok(None);
        }
        let t = self.text()?;
        Ok((!t.trim().is_empty()).then_some(t))
    }

    pub fn bool(&self) -> Result<bool, Error> {
        match &self.value {
            Value::Bool(b) => Ok(*b),
            Value::Null => Ok(false),
            Value::String(s) => match s.trim() {
                "true" | "True" | "yes" | "是" => Ok(true),
                "false" | "False" | "no" | "否" => Ok(false),
                _ => Err(self.bad(Expected::Bool)),
            },
            _ => Err(self.bad(Expected::Bool)),
        }
    }

    pub fn int(&self) -> Result<i64, Error> {
        match &self.value {
            Value::Number(n) => n.as_i64().ok_or_else(|| self.bad(Expected::Number)),
            Value::String(s) => s.trim().parse().map_err(|_| self.bad(Expected::Number)),
            _ => Err(self.bad(Expected::Number)),
        }
    }

    pub fn date(&self) -> Result<Date, Error> {
        match &self.value {
            Value::String(s) => Date::parse(s).ok_or_else(|| self.bad(Expected::Date)),
            // `date: 2018` and `date: 2022.10` are YAML numbers: read the text as written
            // (as a number, 2022.10 would be 2022.1, i.e. January).
            Value::Number(_) => self
                .line_text
                .split_once(':')
                .map(|(_, v)| v.split(" #").next().unwrap_or(v))
                .and_then(Date::parse)
                .ok_or_else(|| self.bad(Expected::Date)),
            _ => Err(self.bad(Expected::Date)),
        }
    }

    /// A year (`2021`) or a full date.
    pub fn year_or_date(&self) -> Result<Date, Error> {
        match &self.value {
            Value::Number(n) => n
                .as_i64()
                .and_then(|y| Date::year_only(i32::try_from(y).ok()?))
                .ok_or_else(|| self.bad(Expected::Year)),
            Value::String(s) => {
                let s = s.trim().trim_end_matches('年');
                if let Ok(y) = s.parse::<i32>() {
                    return Date::year_only(y).ok_or_else(|| self.bad(Expected::Year));
                }
                Date::parse(s).ok_or_else(|| self.bad(Expected::Year))
            }
            _ => Err(self.bad(Expected::Year)),
        }
    }

    /// A list of strings. A single string is taken as a one-item list; one typed with
    /// full-width brackets or commas (`【党建，养老】`) is split, with a warning.
    pub fn string_list(&self, diags: &mut Diagnostics) -> Result<Vec<String>, Error> {
        match &self.value {
            Value::Null => Ok(Vec::new()),
            Value::Sequence(items) => items
                .iter()
                .map(|v| scalar_text(v).ok_or_else(|| self.bad(Expected::List)))
                .filter(|r| r.as_ref().map_or(true, |s| !s.trim().is_empty()))
                .collect(),
            Value::String(s) => {
                let trimmed = s.trim();
                let bracketed = trimmed
                    .strip_prefix(['【', '［', '['])
                    .and_then(|t| t.strip_suffix(['】', '］', ']']));
                let inner = bracketed.unwrap_or(trimmed);
                if bracketed.is_some() || inner.contains(['，', '、', '；']) {
                    diags.warnings.push(Warning::FullWidthList {
                        at: self.at.clone(),
                        key: self.key.clone(),
                    });
                    return Ok(inner
                        .split(['，', '、', '；', ','])
                        .map(|p| p.trim().to_string())
                        .filter(|p| !p.is_empty())
                        .collect());
                }
                Ok(vec![trimmed.to_string()])
            }
            Value::Number(_) | Value::Bool(_) => Ok(vec![show_value(&self.value)]),
            _ => Err(self.bad(Expected::List)),
        }
    }

    /// A CSS colour. `color: #b71c1c` unquoted is a YAML comment, so its value arrives empty:
    /// that case gets the hint to add quotes.
    pub fn color(&self) -> Result<String, Error> {
        let text = match &self.value {
            Value::String(s) => s.trim().to_string(),
            Value::Null if self.line_text.contains('#') => {
                let raw = self.line_text.split_once(':').map_or("", |(_, v)| v.trim());
                return Err(Error::BadValue {
                    at: self.value_at(),
                    key: self.key.clone(),
                    value: raw.to_string(),
                    expected: Expected::Color,
                });
            }
            _ => return Err(self.bad(Expected::Color)),
        };
        if is_css_color(&text) {
            Ok(text)
        } else {
            Err(self.bad(Expected::Color))
        }
    }

    /// Where the list item `text` (item `i`) is written: its own line in a block list, its
    /// column on the key's line in `[a, b]`.
    pub fn text_item_at(&self, i: usize, text: &str) -> Location {
        if let Some(&line) = self.item_lines.get(i) {
            return Location::new(&self.at.path, line, 1);
        }
        // Quoted first: `"/"` is found where it is written, not at the first `/` of the line.
        let found = [format!("\"{text}\""), format!("'{text}'")]
            .iter()
            .find_map(|q| self.line_text.find(q.as_str()).map(|b| b + 1))
            .or_else(|| self.line_text.find(text).filter(|_| !text.is_empty()));
        match found {
            Some(byte) => Location::new(
                &self.at.path,
                self.at.line,
                self.line_text[..byte].chars().count() + 1,
            ),
            None => self.value_at(),
        }
    }

    /// Where item `i` of a list under this key is written (the key's line for `[a, b]`).
    pub fn item_at(&self, i: usize) -> Location {
        match self.item_lines.get(i) {
            Some(&line) => Location::new(&self.at.path, line, 1),
            None => self.value_at(),
        }
    }

    /// A list of maps, each read by `read` with the item's position for errors.
    pub fn map_list<T>(
        &self,
        expected: Expected,
        mut read: impl FnMut(&serde_yaml::Mapping) -> Option<T>,
    ) -> Result<Vec<T>, Error> {
        match &self.value {
            Value::Null => Ok(Vec::new()),
            Value::Sequence(items) => items
                .iter()
                .enumerate()
                .map(|(i, item)| {
                    let mapping = item.as_mapping();
                    let line = self.item_lines.get(i).copied().unwrap_or(self.at.line);
                    mapping.and_then(&mut read).ok_or_else(|| Error::BadValue {
                        at: Location::new(&self.at.path, line, 1),
                        key: format!("{}[{}]", self.key, i + 1),
                        value: show_value(item),
                        expected: expected.clone(),
                    })
                })
                .collect(),
            _ => Err(self.bad(expected)),
        }
    }

    /// Free-form data for templates.
    pub fn json(&self) -> serde_json::Value {
        to_json(&self.value)
    }
}

/// A scalar as text: numbers and booleans as written.
pub fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Removes the control characters that a YAML escape (`"\x01"`, `"\e"`) put into a value,
/// and says where they were written: sources are cleaned when read, so this is the only way
/// one could reach a page.
pub fn clean_escaped_controls(fields: &mut [Field], diags: &mut Diagnostics) {
    fn clean(v: &mut Value) -> usize {
        match v {
            Value::String(s) => {
                let n = s
                    .chars()
                    .filter(|&c| crate::fs::is_stray_control(c))
                    .count();
                if n > 0 {
                    s.retain(|c| !crate::fs::is_stray_control(c));
                }
                n
            }
            Value::Sequence(items) => items.iter_mut().map(clean).sum(),
            Value::Mapping(m) => {
                // Keys with escapes are left as written: they are never shown.
                m.iter_mut().map(|(_, v)| clean(v)).sum()
            }
            Value::Tagged(t) => clean(&mut t.value),
            _ => 0,
        }
    }
    for f in fields {
        let n = clean(&mut f.value);
        if n > 0 {
            diags.warnings.push(Warning::ControlChars {
                at: Location::new(&f.at.path, f.at.line, 0),
                count: n,
            });
        }
    }
}

/// A figure's value: a number, or text that reads as one (`"286"`, `"1,200"`, `"98.5%"`).
pub fn number_text(v: &Value) -> Option<String> {
    match v {
        Value::Number(n) => Some(n.to_string()),
        Value::String(s) => {
            let t = s.trim();
            let digits: String = t.chars().filter(|c| *c != ',' && *c != '，').collect();
            let digits = digits.trim_end_matches(['%', '％', '+']);
            digits.parse::<f64>().ok().map(|_| t.to_string())
        }
        _ => None,
    }
}

/// The text of `key` in a mapping, if it is a scalar.
pub fn get_text(m: &serde_yaml::Mapping, key: &str) -> Option<String> {
    m.get(key).and_then(scalar_text)
}

/// True if every key of `m` is one of `allowed`.
pub fn only_keys(m: &serde_yaml::Mapping, allowed: &[&str]) -> bool {
    m.keys()
        .all(|k| k.as_str().is_some_and(|k| allowed.contains(&k)))
}

pub fn show_value(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => serde_yaml::to_string(other)
            .map(|s| s.trim().replace('\n', " "))
            .unwrap_or_default(),
    }
}

pub fn to_json(v: &Value) -> serde_json::Value {
    use serde_json::Value as J;
    match v {
        Value::Null => J::Null,
        Value::Bool(b) => J::Bool(*b),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                J::from(i)
            } else if let Some(u) = n.as_u64() {
                J::from(u)
            } else {
                n.as_f64().map_or(J::Null, J::from)
            }
        }
        Value::String(s) => J::String(s.clone()),
        Value::Sequence(items) => J::Array(items.iter().map(to_json).collect()),
        Value::Mapping(m) => J::Object(
            m.iter()
                .map(|(k, v)| (scalar_text(k).unwrap_or_default(), to_json(v)))
                .collect(),
        ),
        Value::Tagged(t) => to_json(&t.value),
    }
}

const CSS_NAMES: &[&str] = &[
    "black",
    "white",
    "red",
    "green",
    "blue",
    "navy",
    "maroon",
    "purple",
    "teal",
    "olive",
    "gray",
    "grey",
    "orange",
    "crimson",
    "darkred",
    "darkgreen",
    "darkblue",
    "firebrick",
    "goldenrod",
    "darkorange",
    "brown",
    "indigo",
    "seagreen",
    "steelblue",
    "royalblue",
];

pub fn is_css_color(s: &str) -> bool {
    let s = s.trim();
    if let Some(hex) = s.strip_prefix('#') {
        return matches!(hex.len(), 3 | 4 | 6 | 8) && hex.chars().all(|c| c.is_ascii_hexdigit());
    }
    let lower = s.to_ascii_lowercase();
    if ["rgb(", "rgba(", "hsl(", "hsla("]
        .iter()
        .any(|p| lower.starts_with(p))
    {
        return lower.ends_with(')')
            && lower
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || " ,.%()/".contains(c));
    }
    CSS_NAMES.contains(&lower.as_str())
}

/// Parses `#rrggbb` / `#rgb` into RGB, for contrast decisions.
pub fn hex_rgb(s: &str) -> Option<(u8, u8, u8)> {
    let hex = s.trim().strip_prefix('#')?;
    let expand = |c: char| c.to_digit(16).map(|d| (d * 17) as u8);
    match hex.len() {
        3 | 4 => {
            let mut it = hex.chars();
            Some((
                expand(it.next()?)?,
                expand(it.next()?)?,
                expand(it.next()?)?,
            ))
        }
        6 | 8 => Some((
            u8::from_str_radix(hex.get(0..2)?, 16).ok()?,
            u8::from_str_radix(hex.get(2..4)?, 16).ok()?,
            u8::from_str_radix(hex.get(4..6)?, 16).ok()?,
        )),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(text: &str) -> Result<Vec<Field<'_>>, Error> {
        parse_mapping(Path::new("a.md"), text, 2)
    }

    #[test]
    fn positions_are_file_lines() {
        let f = fields("title: 三家\ndate: 2022-10-08\n").unwrap_or_default();
        assert_eq!(f[1].key, "date");
        assert_eq!(f[1].at.line, 3);
    }

    #[test]
    fn full_width_colon_is_caught_with_column() {
        match fields("date: 2022-10-08\ntitle：「三家」工作法\n") {
            Err(Error::FullWidthColon { at }) => assert_eq!((at.line, at.col), (3, 6)),
            other => panic!("{:?}", other.err()),
        }
        // A full-width colon inside a value is fine.
        assert!(fields("title: 成效：显著\n").is_ok());
    }

    #[test]
    fn tab_indent_is_caught() {
        assert!(matches!(
            fields("extra:\n\tfoo: 1\n"),
            Err(Error::TabIndent { .. })
        ));
    }

    #[test]
    fn yaml_errors_carry_file_lines() {
        match fields("title: a\ntags: [a, b\n") {
            Err(Error::Yaml { at, .. }) => assert!(at.line >= 3),
            other => panic!("{:?}", other.err()),
        }
    }

    #[test]
    fn colours() {
        assert!(is_css_color("#b71c1c") && is_css_color("rgb(1, 2, 3)") && is_css_color("navy"));
        assert!(!is_css_color("红色") && !is_css_color("#12345"));
        assert_eq!(hex_rgb("#fff"), Some((255, 255, 255)));
    }
}
