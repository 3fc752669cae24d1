//! Shortcodes: `{{ name(key="value") }}` and `{% name(...) %} body {% end %}` on lines of their
//! own, rendered by the theme's `shortcodes/<name>.html`.
//!
//! They are cut out of the Markdown before parsing and replaced by an HTML comment
//! placeholder padded with the same number of lines, so line numbers in later errors stay
//! right; after rendering, each placeholder is replaced by its template's output.

use serde_json::{Map, Value};

/// One call found in the source.
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    pub name: String,
    pub args: Map<String, Value>,
    /// The Markdown between `{% name() %}` and `{% end %}`.
    pub body: Option<String>,
    /// File line of the call (relative to the body's first line, 0-based).
    pub line: usize,
}

pub fn placeholder(i: usize) -> String {
    format!("<!--herald-shortcode-{i}-->")
}

/// `html` with each placeholder `i` replaced by `outputs[i]` (placeholders left unknown are
/// kept), in one pass over it.
pub fn fill(html: &str, outputs: &[String]) -> String {
    const START: &str = "<!--herald-shortcode-";
    let mut out =
        String::with_capacity(html.len() + outputs.iter().map(String::len).sum::<usize>());
    let mut rest = html;
    while let Some(at) = rest.find(START) {
        out.push_str(&rest[..at]);
        let after = &rest[at + START.len()..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        let n: Option<usize> = after[..digits].parse().ok();
        match (
            n.and_then(|n| outputs.get(n)),
            after[digits..].strip_prefix("-->"),
        ) {
            (Some(html), Some(tail)) => {
                out.push_str(html);
                rest = tail;
            }
            _ => {
                out.push_str(START);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Replaces shortcodes with placeholders. Returns the new text and the calls, or the 0-based
/// line and message of the first malformed one.
pub fn extract(src: &str) -> Result<(String, Vec<Call>), (usize, String)> {
    if !src.contains("{{") && !src.contains("{%") {
        return Ok((src.to_string(), Vec::new()));
    }
    let lines: Vec<&str> = src.split('\n').collect();
    let in_code = code_lines(src, &lines);
    let mut out = String::with_capacity(src.len());
    let mut calls = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let t = line.trim();
        // Shortcode-like text in a fenced or indented code block is code, as CommonMark reads it.
        if in_code[i] {
            push_line(&mut out, line, i, lines.len());
            i += 1;
            continue;
        }
        if let Some(inner) = t.strip_prefix("{{").and_then(|r| r.strip_suffix("}}")) {
            let (name, args) = parse_call(inner.trim()).map_err(|m| (i, m))?;
            out.push_str(&placeholder(calls.len()));
            calls.push(Call {
                name,
                args,
                body: None,
                line: i,
            });
            push_newline(&mut out, i, lines.len());
            i += 1;
            continue;
        }
        if let Some(inner) = t.strip_prefix("{%").and_then(|r| r.strip_suffix("%}")) {
            let inner = inner.trim();
            if inner == "end" {
                return Err((i, "`{% end %}` without an opening shortcode".into()));
            }
            let (name, args) = parse_call(inner).map_err(|m| (i, m))?;
            let close = (i + 1..lines.len()).find(|&j| {
                let t = lines[j].trim();
                t.strip_prefix("{%")
                    .and_then(|r| r.strip_suffix("%}"))
                    .is_some_and(|r| r.trim() == "end")
            });
            let Some(close) = close else {
                return Err((i, format!("`{name}` is not closed with {{% end %}}")));
            };
            let body = lines[i + 1..close].join("\n");
            out.push_str(&placeholder(calls.len()));
            calls.push(Call {
                name,
                args,
                body: Some(body),
                line: i,
            });
            // Keep the line count: the placeholder stands on the first line, blanks follow.
            for _ in i..close {
                out.push('\n');
            }
            push_newline(&mut out, close, lines.len());
            i = close + 1;
            continue;
        }
        push_line(&mut out, line, i, lines.len());
        i += 1;
    }
    Ok((out, calls))
}

/// For each line, whether CommonMark reads it as part of a code block.
fn code_lines(src: &str, lines: &[&str]) -> Vec<bool> {
    use pulldown_cmark::{Event, Parser, Tag};
    let mut starts = Vec::with_capacity(lines.len());
    let mut at = 0;
    for l in lines {
        starts.push(at);
        at += l.len() + 1;
    }
    let mut in_code = vec![false; lines.len()];
    for (event, range) in Parser::new_ext(src, super::options()).into_offset_iter() {
        if let Event::Start(Tag::CodeBlock(_)) = event {
            let first = starts
                .partition_point(|&s| s <= range.start)
                .saturating_sub(1);
            let last = starts.partition_point(|&s| s < range.end);
            in_code[first..last].iter_mut().for_each(|c| *c = true);
        }
    }
    in_code
}

fn push_line(out: &mut String, line: &str, i: usize, n: usize) {
    out.push_str(line);
    push_newline(out, i, n);
}

fn push_newline(out: &mut String, i: usize, n: usize) {
    if i + 1 < n {
        out.push('\n');
    }
}

/// `figure(src="a.jpg", caption="说明", width=300, wide=true)`
fn parse_call(s: &str) -> Result<(String, Map<String, Value>), String> {
    let open = s
        .find('(')
        .ok_or_else(|| format!("`{s}`: expected name(arguments)"))?;
    let name = s[..open].trim();
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        return Err(format!("`{name}` is not a shortcode name"));
    }
    let rest = s[open + 1..]
        .strip_suffix(')')
        .ok_or_else(|| format!("`{s}`: missing `)`"))?;
    let mut args = Map::new();
    let chars: Vec<char> = rest.chars().collect();
    let mut i = 0;
    let skip_ws = |i: &mut usize| {
        while *i < chars.len() && (chars[*i].is_whitespace() || chars[*i] == ',') {
            *i += 1;
        }
    };
    loop {
        skip_ws(&mut i);
        if i >= chars.len() {
            break;
        }
        let key_start = i;
        while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '_') {
            i += 1;
        }
        let key: String = chars[key_start..i].iter().collect();
        while i < chars.len() && chars[i].is_whitespace() {
            i += 1;
        }
        if key.is_empty() || i >= chars.len() || chars[i] != '=' {
            return Err(format!("`{name}`: arguments are written key=\"value\""));
        }
        i += 1;
        while i < chars.len() && chars[i].is_whitespace() {
            i += 1;
        }
        let value = match chars.get(i) {
            Some(&q) if q == '"' || q == '\'' || q == '“' => {
                let close = if q == '“' { '”' } else { q };
                i += 1;
                let start = i;
                let mut s = String::new();
                while i < chars.len() && chars[i] != close {
                    if chars[i] == '\\' && i + 1 < chars.len() {
                        i += 1;
                    }
                    s.push(chars[i]);
                    i += 1;
                }
                if i >= chars.len() {
                    let so_far: String = chars[start..].iter().collect();
                    return Err(format!(
                        "`{name}`: the quote after {key}= is not closed: {so_far}"
                    ));
                }
                i += 1;
                Value::String(s)
            }
            _ => {
                let start = i;
                while i < chars.len() && chars[i] != ',' && !chars[i].is_whitespace() {
                    i += 1;
                }
                let raw: String = chars[start..i].iter().collect();
                match raw.as_str() {
                    "true" => Value::Bool(true),
                    "false" => Value::Bool(false),
                    _ => match raw.parse::<i64>() {
                        Ok(n) => Value::from(n),
                        Err(_) => match raw.parse::<f64>() {
                            Ok(f) => Value::from(f),
                            Err(_) => {
                                return Err(format!(
                                    "`{name}`: the value of {key} must be quoted: {key}=\"{raw}\""
                                ))
                            }
                        },
                    },
                }
            }
        };
        args.insert(key, value);
    }
    Ok((name.to_string(), args))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_and_body_calls_keep_lines() {
        let src = "a\n{{ figure(src=\"hall.jpg\", caption=\"大厅\") }}\n{% quote(author=\"群众\") %}\n办事不用跑\n{% end %}\nb";
        let Ok((text, calls)) = extract(src) else {
            panic!()
        };
        assert_eq!(text.lines().count(), src.lines().count());
        assert_eq!(calls.len(), 2);
        assert_eq!(calls[0].args.get("caption"), Some(&Value::from("大厅")));
        assert_eq!(calls[1].body.as_deref(), Some("办事不用跑"));
        assert!(text.ends_with("\nb"));
    }

    #[test]
    fn code_blocks_are_left_alone() {
        let src = "```\n{{ figure(src=\"a\") }}\n```";
        let Ok((text, calls)) = extract(src) else {
            panic!()
        };
        assert_eq!(text, src);
        assert!(calls.is_empty());
    }

    #[test]
    fn malformed_calls_are_reported() {
        assert!(extract("{{ figure(src=a b) }}").is_err());
        assert!(extract("{% quote() %}\nno end").is_err());
        assert!(extract("{{ figure(src=\"a) }}").is_err());
    }
}
