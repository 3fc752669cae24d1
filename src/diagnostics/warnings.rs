//! The words of every warning.

use super::{msg, Lang, Message};
use crate::error::Warning;

pub fn describe_warning(w: &Warning, lang: Lang) -> Message {
    let zh = lang == Lang::Zh;
    match w {
        Warning::BeianPartial { missing, .. } => msg(
            if zh {
                format!("「beian」（备案信息）只填了一部分，缺少：{}", missing.join("、"))
            } else {
                format!("`beian` is only partly filled; missing: {}", missing.join(", "))
            },
            Some(
                lang.pick(
                    "政府网站页脚应同时显示 ICP 备案号（icp）、公安备案号（police）和政府网站标识码（site_code），请补全",
                    "a government site's footer shows all three: the ICP number (icp), the public-security number (police) and the site code (site_code)",
                )
                .into(),
            ),
        ),
        Warning::Decoded { encoding, .. } => msg(
            if zh {
                format!("文件是 {encoding} 编码，已自动转换")
            } else {
                format!("the file is {encoding}, not UTF-8; it was converted")
            },
            Some(
                lang.pick(
                    "建议另存为 UTF-8 编码，以免出现乱码",
                    "save it as UTF-8 to be safe",
                )
                .into(),
            ),
        ),
        Warning::FullWidthList { key, .. } => msg(
            if zh {
                format!("「{key}」里用了全角的括号或逗号，已按列表拆分")
            } else {
                format!("`{key}` uses full-width brackets or commas; it was split as a list")
            },
            Some(
                lang.pick(
                    "请用半角：tags: [党建引领, 养老服务]",
                    "use ASCII: tags: [a, b]",
                )
                .into(),
            ),
        ),
        Warning::NoDate { .. } => msg(
            lang.pick(
                "这篇案例没有日期，已排在有日期的案例之后，且不放入订阅（atom.xml）",
                "this report has no `date`; it is listed after dated reports and left out of the feed (atom.xml)",
            )
            .into(),
            Some(
                lang.pick(
                    "知道日期就在前言里加一行，例如 date: 2022-10-08；只知道年月可写 date: 2022-10 或 date: 2022",
                    "if the date is known, add e.g. `date: 2022-10-08`; a month (`date: 2022-10`) or a year (`date: 2022`) also works",
                )
                .into(),
            ),
        ),
        Warning::ControlChars { count, .. } => msg(
            if zh {
                format!("文件里有 {count} 个看不见的控制字符（常见于从 Word 复制的文字），已删除")
            } else {
                format!("the file has {count} invisible control character(s) (often pasted from Word); they were removed")
            },
            Some(
                lang.pick(
                    "网页里已经没有这些字符；要消除提示，请把这一行的文字删掉，再以纯文本重新粘贴（Word 里选「只保留文本」）",
                    "they are not in the site any more; to silence this, delete the line's text and paste it again as plain text",
                )
                .into(),
            ),
        ),
        Warning::UnsafeUrl { url, .. } => {
            msg(
                if zh {
                    format!("链接地址「{url}」不安全，已去掉（只能用 http、https、mailto、tel 或站内路径）")
                } else {
                    format!("the URL `{url}` is not allowed and was left out (use http, https, mailto, tel or a path)")
                },
                None,
            )
        }
    }
}
