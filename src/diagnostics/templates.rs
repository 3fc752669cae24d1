//! The words of template errors: Tera's message (in Chinese when the user reads Chinese), the
//! templates it was reached through, and what to write instead.

use super::{msg, Lang, Message};
use crate::error::{Location, TemplateAdvice};

/// A mistake in a template.
pub(super) fn describe(
    name: &str,
    message: &str,
    called_from: &[Location],
    advice: Option<&TemplateAdvice>,
    lang: Lang,
) -> Message {
    let zh = lang == Lang::Zh;

    let via: Vec<String> = called_from
        .iter()
        .map(|at| {
            if zh {
                format!("{} 第 {} 行", at.path.display(), at.line)
            } else {
                format!("{}:{}", at.path.display(), at.line)
            }
        })
        .collect();
    let via = if via.is_empty() {
        String::new()
    } else if zh {
        format!("（经由 {}）", via.join("、"))
    } else {
        format!(" (reached from {})", via.join(", "))
    };
    msg(
                if zh { format!("模板 {name} 出错：{}{via}", tera_message_zh(message)) } else { format!("template {name}: {message}{via}") },
                Some(match advice {
                    Some(TemplateAdvice::Tera2(r)) if zh => format!("Tera 2 的写法：{r}（见 docs/upgrading.md）"),
                    Some(TemplateAdvice::Tera2(r)) => format!("in Tera 2 write: {r} (see docs/upgrading.md)"),
                    Some(TemplateAdvice::DidYouMean(f)) if zh => format!("是不是要写 {f}？"),
                    Some(TemplateAdvice::DidYouMean(f)) => format!("did you mean `{f}`?"),
                    Some(TemplateAdvice::Optional(x)) if zh => format!("可能没有的值写成 {x} or \"\"，或放在 {{% if {x} %}} 里"),
                    Some(TemplateAdvice::Optional(x)) => format!("for a value that may be missing write `{x} or \"\"`, or test it with `{{% if {x} %}}`"),
                    None => lang.pick("检查模板里的 {{ }} 和 {% %} 是否成对、变量名是否写对（见 docs/templates.md）", "check the template's tags and variable names (see docs/templates.md)").into(),
                }),
            )
}

/// Tera's most common messages in Chinese; anything else as Tera wrote it.
fn tera_message_zh(message: &str) -> String {
    let quoted = |rest: &str| {
        rest.split_once('`')
            .map(|(name, tail)| (name.to_string(), tail.to_string()))
    };
    let kinds = [
        ("Field `", "字段"),
        ("Variable `", "变量"),
        ("Unknown filter `", "没有这个过滤器："),
        ("Unknown test `", "没有这个测试："),
        ("Unknown function `", "没有这个函数："),
        ("Unknown component `", "没有这个组件："),
        ("Unknown template `", "找不到模板："),
    ];
    for (prefix, zh) in kinds {
        let Some((name, tail)) = message.strip_prefix(prefix).and_then(quoted) else {
            continue;
        };
        if tail.starts_with(" is not defined") {
            return match tail.split_once("Available fields: ") {
                Some((_, list)) => format!("{zh} {name} 不存在（有这些字段：{list}）"),
                None => format!("{zh} {name} 不存在"),
            };
        }
        return format!("{zh}{name}");
    }
    message.to_string()
}
