//! Fenced code blocks highlighted with syntect into CSS classes (`hl-*`), never inline colours,
//! so a theme can restyle them and the generated stylesheet is one file.

use std::sync::OnceLock;

use syntect::highlighting::ThemeSet;
use syntect::html::{css_for_theme_with_class_style, ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

const STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// Loaded on first use only: most reports have no code, and loading costs ~20 ms.
fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(SyntaxSet::load_defaults_newlines)
}

/// `<pre><code>` for a code block; highlighted when the language is known.
pub fn code_block(lang: &str, code: &str) -> String {
    let lang = lang.split([' ', ',', '{']).next().unwrap_or("").trim();
    let mut out = String::with_capacity(code.len() * 2 + 64);
    if lang.is_empty() {
        out.push_str("<pre><code>");
        escape_into(&mut out, code);
        out.push_str("</code></pre>\n");
        return out;
    }
    let set = syntaxes();
    let syntax = set
        .find_syntax_by_token(lang)
        .or_else(|| set.find_syntax_by_extension(lang));
    let lang_attr = escape(lang);
    match syntax {
        Some(syntax) => {
            let mut gen = ClassedHTMLGenerator::new_with_class_style(syntax, set, STYLE);
            let ok = LinesWithEndings::from(code)
                .all(|line| gen.parse_html_for_line_which_includes_newline(line).is_ok());
            if ok {
                out.push_str(&format!(
                    "<pre class=\"hl\" data-lang=\"{lang_attr}\"><code class=\"language-{lang_attr}\">"
                ));
                out.push_str(&gen.finalize());
                out.push_str("</code></pre>\n");
                return out;
            }
            plain(&mut out, &lang_attr, code);
        }
        None => plain(&mut out, &lang_attr, code),
    }
    out
}

fn plain(out: &mut String, lang_attr: &str, code: &str) {
    out.push_str(&format!(
        "<pre data-lang=\"{lang_attr}\"><code class=\"language-{lang_attr}\">"
    ));
    escape_into(out, code);
    out.push_str("</code></pre>\n");
}

/// The stylesheet for the `hl-*` classes, written to `css/highlight.css`.
pub fn stylesheet() -> String {
    let themes = ThemeSet::load_defaults();
    themes
        .themes
        // 3 KB of CSS (InspiredGitHub is 15 KB): the theme's budget is 30 KB in all.
        .get("base16-ocean.light")
        .and_then(|t| css_for_theme_with_class_style(t, STYLE).ok())
        .unwrap_or_default()
}

pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    escape_into(&mut out, s);
    out
}

/// HTML-escapes `s` onto `out`. Runs between special characters are copied whole: this is
/// called for every `{{ value }}` of every page, and most values have nothing to escape.
pub fn escape_into(out: &mut String, s: &str) {
    let mut start = 0;
    for (i, b) in s.bytes().enumerate() {
        let entity = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        // The special characters are ASCII, so `i` is always a character boundary.
        out.push_str(&s[start..i]);
        out.push_str(entity);
        start = i + 1;
    }
    out.push_str(&s[start..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_every_special_character_and_keeps_chinese() {
        assert_eq!(
            escape("「三家」<b>&\"'工作法'"),
            "「三家」&lt;b&gt;&amp;&quot;&#39;工作法&#39;"
        );
        assert_eq!(escape("无需转义"), "无需转义");
        assert_eq!(escape(""), "");
    }

    #[test]
    fn highlights_with_classes_not_colours() {
        let html = code_block("rust", "fn main() {}\n");
        assert!(html.contains("class=\"hl-"), "{html}");
        assert!(!html.contains("style="));
        assert!(stylesheet().contains(".hl-"));
    }

    #[test]
    fn unknown_language_is_escaped_plain() {
        assert_eq!(
            code_block("nosuchlang", "<b>\n"),
            "<pre data-lang=\"nosuchlang\"><code class=\"language-nosuchlang\">&lt;b&gt;\n</code></pre>\n"
        );
    }
}
