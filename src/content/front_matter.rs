//! Split a file into its `---` front matter and its Markdown body, keeping line numbers so that
//! errors in either point at the right line of the file.

use std::path::Path;

use crate::error::{Error, Location};

#[derive(Debug, PartialEq, Eq)]
pub struct Split<'a> {
    /// The YAML between the fences (may be empty), if the file has front matter.
    pub yaml: Option<&'a str>,
    /// File line (1-based) of the first YAML line.
    pub yaml_line: usize,
    pub body: &'a str,
    /// File line (1-based) of the first body line.
    pub body_line: usize,
}

fn is_fence(line: &str) -> bool {
    line.trim_end() == "---"
}

/// Splits `text`. `allow_empty` is for `_index.md`, where an empty file is fine.
pub fn split<'a>(path: &Path, text: &'a str, allow_empty: bool) -> Result<Split<'a>, Error> {
    if text.trim().is_empty() {
        if allow_empty {
            return Ok(Split {
                yaml: None,
                yaml_line: 1,
                body: "",
                body_line: 1,
            });
        }
        return Err(Error::EmptyFile {
            at: Location::file(path),
        });
    }
    let first_line_end = text.find('\n').unwrap_or(text.len());
    if is_fence(&text[..first_line_end]) {
        let yaml_start = (first_line_end + 1).min(text.len());
        let mut offset = yaml_start;
        for (i, line) in text[yaml_start..].split_inclusive('\n').enumerate() {
            let line_no = i + 2;
            let content = line.trim_end_matches('\n');
            if is_fence(content) || content.trim_end() == "..." {
                let body_start = offset + line.len();
                return Ok(Split {
                    yaml: Some(&text[yaml_start..offset]),
                    yaml_line: 2,
                    body: &text[body_start..],
                    body_line: line_no + 1,
                });
            }
            offset += line.len();
        }
        return Err(Error::FrontMatterUnclosed {
            at: Location::new(path, 1, 1),
        });
    }
    if let Some(line) = misplaced_front_matter(text) {
        return Err(Error::FrontMatterNotAtTop {
            at: Location::new(path, line, 1),
        });
    }
    Ok(Split {
        yaml: None,
        yaml_line: 1,
        body: text,
        body_line: 1,
    })
}

/// A `---` block that looks like front matter (`key: value` lines, closed by `---`) but is
/// not on line 1: blank lines or a heading were typed above it.
fn misplaced_front_matter(text: &str) -> Option<usize> {
    let lines: Vec<&str> = text.lines().take(40).collect();
    let open = lines.iter().position(|l| is_fence(l))?;
    // Only near the top: a `---` deep in the body is a thematic break.
    if lines[..open]
        .iter()
        .filter(|l| !l.trim().is_empty())
        .count()
        > 2
    {
        return None;
    }
    let next = lines.get(open + 1)?;
    let looks_like_key = next.split_once([':', '：']).is_some_and(|(k, _)| {
        !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    });
    let closed = lines[open + 1..].iter().any(|l| is_fence(l));
    (looks_like_key && closed).then_some(open + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(text: &str) -> Result<Split<'_>, Error> {
        split(Path::new("a.md"), text, false)
    }

    #[test]
    fn splits_with_line_numbers() {
        let Ok(sp) = s("---\ntitle: a\ndate: 2022-10-08\n---\n\n正文\n") else {
            panic!()
        };
        assert_eq!(sp.yaml, Some("title: a\ndate: 2022-10-08\n"));
        assert_eq!(sp.body, "\n正文\n");
        assert_eq!(sp.body_line, 5);
    }

    #[test]
    fn only_front_matter() {
        let Ok(sp) = s("---\ntitle: a\n---") else {
            panic!()
        };
        assert_eq!(sp.body, "");
    }

    #[test]
    fn unclosed_and_misplaced() {
        assert!(matches!(
            s("---\ntitle: a\n正文"),
            Err(Error::FrontMatterUnclosed { .. })
        ));
        match s("\n\n---\ntitle: a\n---\n") {
            Err(Error::FrontMatterNotAtTop { at }) => assert_eq!(at.line, 3),
            other => panic!("{other:?}"),
        }
        assert!(matches!(s(""), Err(Error::EmptyFile { .. })));
        // A thematic break in the body is not front matter.
        assert!(s("正文一\n\n正文二\n\n正文三\n\n---\n\n正文四\n").is_ok());
    }
}
