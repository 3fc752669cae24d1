//! How errors read: the Chinese and English catalogues, and the report a user sees.
//!
//! ```text
//! 错误: content/cases/sanjia.md:3:6: 前言（front matter）里使用了全角冒号「：」
//!    |
//!  3 | title：「三家」工作法
//!    |      ^ 请改为半角冒号「:」
//! ```

use std::fmt::Write as _;
use std::path::Path;

use crate::error::{self, Error, Expected, LinkProblem};

/// The words of `herald deploy` and `herald package`.
pub mod publish;
mod report;
mod templates;
mod warnings;

pub use report::render;
pub use warnings::describe_warning;

/// The language messages are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    Zh,
    #[default]
    En,
}

impl Lang {
    /// Chinese when `--lang zh` is given or the locale (`LC_ALL`, `LC_MESSAGES`, `LANG`) is Chinese.
    pub fn detect(flag: Option<&str>) -> Lang {
        if let Some(flag) = flag {
            return if flag.to_ascii_lowercase().starts_with("zh") {
                Lang::Zh
            } else {
                Lang::En
            };
        }
        for var in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            if let Ok(v) = std::env::var(var) {
                if !v.is_empty() {
                    return if v.to_ascii_lowercase().starts_with("zh") {
                        Lang::Zh
                    } else {
                        Lang::En
                    };
                }
            }
        }
        Lang::En
    }

    fn pick<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }
}

/// What to say about one error: the message, and a hint on how to fix it.
pub struct Message {
    pub text: String,
    pub hint: Option<String>,
}

fn msg(text: String, hint: Option<String>) -> Message {
    Message { text, hint }
}

fn expected_text(e: &Expected, lang: Lang) -> &'static str {
    use Expected::*;
    match (e, lang) {
        (Text, Lang::Zh) => "一段文字",
        (Text, Lang::En) => "text",
        (Number, Lang::Zh) => "一个数字，例如 286 或 98.5",
        (Number, Lang::En) => "a number such as 286 or 98.5",
        (Bool, Lang::Zh) => "true 或 false",
        (Bool, Lang::En) => "true or false",
        (Date, Lang::Zh) => "日期，可写作 2022-10-08、2022/10/8、2022.10.8 或 2022年10月8日（可带时间 19:00）",
        (Date, Lang::En) => "a date: 2022-10-08, 2022/10/8, 2022.10.8 or 2022年10月8日 (a time such as 19:00 may follow)",
        (Year, Lang::Zh) => "年份（如 2021）或日期",
        (Year, Lang::En) => "a year (2021) or a date",
        (Color, Lang::Zh) => "颜色，例如 \"#b71c1c\"（注意加引号）或 rgb(183,28,28)",
        (Color, Lang::En) => "a colour such as \"#b71c1c\" (quoted) or rgb(183,28,28)",
        (List, Lang::Zh) => "列表，例如 [党建引领, 养老服务]（用半角方括号和逗号）",
        (List, Lang::En) => "a list such as [a, b]",
        (Map, Lang::Zh) => "键值对（key: value）",
        (Map, Lang::En) => "a map of `key: value`",
        (Metric, Lang::Zh) => "指标，例如 {label: 党员, value: 286, unit: 名}（label 和 value 必填）",
        (Metric, Lang::En) => "a figure such as {label: 党员, value: 286, unit: 名} (label and value are required)",
        (Pillar, Lang::Zh) => "{title: 标题, text: 说明}",
        (Pillar, Lang::En) => "{title: ..., text: ...}",
        (Honour, Lang::Zh) => "{year: 2022, title: 荣誉名称}",
        (Honour, Lang::En) => "{year: 2022, title: ...}",
        (Event, Lang::Zh) => "{date: 2022-10-08, title: 事件}",
        (Event, Lang::En) => "{date: 2022-10-08, title: ...}",
        (Taxonomy, Lang::Zh) => "{name: tags, field: tags, title: 标签}",
        (Taxonomy, Lang::En) => "{name: tags, field: tags, title: Tags}",
        (MenuItem, Lang::Zh) => "{name: 首页, url: /}",
        (MenuItem, Lang::En) => "{name: Home, url: /}",
        (BaseUrl, Lang::Zh) => "网站地址，例如 https://example.org/minzheng/ 或 /minzheng/",
        (BaseUrl, Lang::En) => "the site's address, e.g. https://example.org/minzheng/ or /minzheng/",
        (Beian, Lang::Zh) => "{icp: 苏ICP备12345678号, police: 苏公网安备 32010202000001号, site_code: \"3200000001\"}",
        (Beian, Lang::En) => "{icp: ..., police: ..., site_code: \"...\"}",
        (Deploy, Lang::Zh) => "{target: s3://存储桶/目录, endpoint: https://oss-cn-hangzhou.aliyuncs.com}",
        (Deploy, Lang::En) => "{target: s3://bucket/prefix, endpoint: https://...}",
        (ZhHant, Lang::Zh) => "true，或 {variant: tw, keep: [老龄办], phrases: {里程碑: 里程碑}}",
        (ZhHant, Lang::En) => "true, or {variant: tw, keep: [老龄办], phrases: {里程碑: 里程碑}}",
        (HantVariant, Lang::Zh) => "tw（台湾用字和用词）、hk（香港用字）或 plain（只转换字形）",
        (HantVariant, Lang::En) => "tw (Taiwan characters and phrasing), hk (Hong Kong characters) or plain (characters only)",
        (HantPhrases, Lang::Zh) => "简体词: 繁体写法 的对照，例如 {里程碑: 里程碑}",
        (HantPhrases, Lang::En) => "Simplified: Traditional pairs such as {里程碑: 里程碑}",
    }
}

fn list(items: &[String], max: usize) -> String {
    let shown: Vec<&str> = items.iter().take(max).map(String::as_str).collect();
    let mut s = shown.join(", ");
    if items.len() > max {
        let _ = write!(s, ", … ({})", items.len());
    }
    s
}

/// The catalogue: one message and hint per kind of error, in both languages. Reading files
/// and front matter here; the rest in `describe_site`.
pub fn describe(err: &Error, lang: Lang) -> Message {
    use Error::*;
    let zh = lang == Lang::Zh;
    match err {
        Io { action, source, .. } => msg(
            if zh {
                format!("无法{}：{source}", io_action_zh(action))
            } else {
                format!("cannot {action}: {source}")
            },
            None,
        ),
        NotUtf8 { guess, .. } => msg(
            match (zh, guess) {
                (true, Some(g)) => format!("文件不是 UTF-8 编码（看起来是 {g}）"),
                (true, None) => "文件不是 UTF-8 编码，无法读取".into(),
                (false, Some(g)) => format!("the file is not UTF-8 (it looks like {g})"),
                (false, None) => "the file is not UTF-8 and cannot be read".into(),
            },
            Some(lang.pick(
                "请用记事本打开，选择「另存为」，把「编码」改为 UTF-8 后保存",
                "open it in Notepad, choose Save As, set Encoding to UTF-8 and save",
            ).into()),
        ),
        TooLarge { size, limit, .. } => msg(
            if zh {
                format!("文件太大（{:.1} MB），上限是 {:.0} MB", mb(*size), mb(*limit))
            } else {
                format!("the file is too large ({:.1} MB; the limit is {:.0} MB)", mb(*size), mb(*limit))
            },
            Some(lang.pick("请把它拆成几篇较短的文章", "split it into shorter files").into()),
        ),
        FrontMatterUnclosed { .. } => msg(
            lang.pick("前言（front matter）没有结束的「---」", "the front matter has no closing `---`").into(),
            Some(lang.pick(
                "在前言最后一行之后单独写一行「---」，再写正文",
                "add a line with only `---` after the last front matter line",
            ).into()),
        ),
        FrontMatterNotAtTop { .. } => msg(
            lang.pick("前言（front matter）不在文件最开头", "the front matter is not at the very top of the file").into(),
            Some(lang.pick(
                "把「---」开始的前言移到第一行，它前面不能有空行或文字",
                "move the `---` block to line 1; nothing may come before it",
            ).into()),
        ),
        EmptyFile { .. } => msg(
            lang.pick("文件是空的", "the file is empty").into(),
            Some(lang.pick(
                "请写上前言（至少 title 和 date）和正文，或删除这个文件",
                "write the front matter (at least title and date) and a body, or delete the file",
            ).into()),
        ),
        FullWidthColon { .. } => msg(
            lang.pick("前言（front matter）里使用了全角冒号「：」", "a full-width colon「：」is used in the front matter").into(),
            Some(lang.pick("请改为半角冒号「:」，冒号后加一个空格", "use an ASCII colon `:` followed by a space").into()),
        ),
        TabIndent { .. } => msg(
            lang.pick("前言（front matter）里用了 Tab 键缩进", "a tab is used for indentation in the front matter").into(),
            Some(lang.pick("YAML 只允许空格缩进，请把 Tab 换成两个空格", "YAML only allows spaces: replace the tab with two spaces").into()),
        ),
        Yaml { message, .. } => msg(
            if zh {
                format!("前言（front matter）的格式有误：{}", yaml_message_zh(message))
            } else {
                format!("the front matter is not valid YAML: {message}")
            },
            Some(lang.pick(
                "每行写成「键: 值」，冒号为半角并后跟空格；含冒号、#、引号的值请用双引号括起来",
                "write each line as `key: value`; quote values that contain `:`, `#` or quotes",
            ).into()),
        ),
        NotAMapping { .. } => msg(
            lang.pick("前言（front matter）应当是若干行「键: 值」", "the front matter must be `key: value` lines").into(),
            Some(lang.pick("例如：title: 「三家」工作法", "for example: title: My report").into()),
        ),
        UnknownKey { key, suggestion, known, .. } => msg(
            if zh { format!("不认识的字段「{key}」") } else { format!("unknown key `{key}`") },
            Some(match suggestion {
                Some(s) if zh => format!("是不是「{s}」？自定义的数据请放在 extra 下面"),
                Some(s) => format!("did you mean `{s}`? Free-form data goes under `extra`"),
                None if zh => format!("可用的字段有：{}；自定义的数据请放在 extra 下面", known.join(", ")),
                None => format!("known keys: {}; free-form data goes under `extra`", known.join(", ")),
            }),
        ),
        MissingKey { key, .. } => msg(
            if zh { format!("缺少必填字段「{key}」") } else { format!("the required key `{key}` is missing") },
            Some(match *key {
                "title" => lang.pick("在前言里加一行，例如 title: 「三家」工作法成效汇报", "add a line such as `title: My report`").into(),
                "date" => lang.pick("在前言里加一行，例如 date: 2022-10-08", "add a line such as `date: 2022-10-08`").into(),
                "name" => lang.pick("在前言里加一行，例如 name: 「三家」工作法", "add a line such as `name: My brand`").into(),
                _ => if zh { format!("在前言里加上「{key}: …」") } else { format!("add `{key}: …`") },
            }),
        ),
        BadValue { key, value, expected, .. } => msg(
            if zh {
                format!("字段「{key}」的值「{value}」不对，应当是{}", expected_text(expected, lang))
            } else {
                format!("`{key}` has the value `{value}`, but it must be {}", expected_text(expected, lang))
            },
            None,
        ),
        other => describe_site(other, lang),
    }
}

/// The catalogue, continued: mistakes between files, in templates and in the output.
fn describe_site(err: &Error, lang: Lang) -> Message {
    use Error::*;
    let zh = lang == Lang::Zh;
    match err {
        UnknownBrand { brand, suggestion, known, .. } => msg(
            if zh { format!("找不到品牌「{brand}」") } else { format!("there is no brand `{brand}`") },
            Some(match suggestion {
                Some(s) if zh => format!("是不是「{s}」？已有的品牌：{}", list(known, 12)),
                Some(s) => format!("did you mean `{s}`? Known brands: {}", list(known, 12)),
                None if known.is_empty() && zh => "content/brands/ 里还没有品牌，请先用 herald new brand 名称 创建".into(),
                None if known.is_empty() => "there are no brands yet in content/brands/; create one with `herald new brand SLUG`".into(),
                None if zh => format!("已有的品牌：{}（品牌名取自 content/brands/ 下的文件名）", list(known, 12)),
                None => format!("known brands: {} (a brand is named after its file in content/brands/)", list(known, 12)),
            }),
        ),
        DuplicateUrl { url, other, .. } => match other {
            error::Producer::File(other) => msg(
                if zh {
                    format!("和 {} 生成了同一个网址 {url}", show(other))
                } else {
                    format!("produces the same URL {url} as {}", show(other))
                },
                Some(lang.pick("给其中一篇换一个文件名，或在前言里写不同的 slug", "rename one of them or give it a different `slug`").into()),
            ),
            error::Producer::Generated(what) => msg(
                if zh {
                    format!("网址 {url} 已被宣页自动生成的「{}」占用，不能再用", generated_name(*what, lang))
                } else {
                    format!("the URL {url} is taken by the {} that Herald generates", generated_name(*what, lang))
                },
                Some(lang.pick("换一个网址或文件名（aliases、slug 或 static/ 里的文件），不要和首页、订阅源、网站地图、列表页等重名", "choose another URL or file name (aliases, slug or the file in static/) that is not the home page, feed, sitemap or a list page").into()),
            ),
        },
        LinkOutside { target, .. } => msg(
            if zh {
                format!("这是一个链接（快捷方式），指向站点文件夹以外的 {}，宣页不会读取它", show(target))
            } else {
                format!("this is a link to {}, outside the site folder; Herald does not follow it", show(target))
            },
            Some(lang.pick("把需要的文件复制到站点文件夹里，再删除这个链接", "copy the file into the site folder and remove the link").into()),
        ),
        BadUrl { key, url, problem, .. } => url_problem(key, url, problem, lang),
        BrokenLink { target, problem, .. } => match problem {
            LinkProblem::MissingFile => msg(
                if zh { format!("链接「{target}」指向的文件不存在") } else { format!("the link `{target}` points to a file that does not exist") },
                Some(lang.pick("检查文件名和相对路径（../ 表示上一级文件夹）", "check the file name and the relative path (`../` is the parent folder)").into()),
            ),
            LinkProblem::MissingAnchor { available } => msg(
                if zh { format!("链接「{target}」里的标题锚点不存在") } else { format!("the heading in the link `{target}` does not exist") },
                Some(if available.is_empty() {
                    lang.pick("目标文章没有小标题", "the target has no headings").into()
                } else if zh {
                    format!("目标文章的标题锚点有：{}", list(available, 10))
                } else {
                    format!("its headings are: {}", list(available, 10))
                }),
            ),
            LinkProblem::MissingAsset => msg(
                if zh { format!("图片或文件「{target}」不存在") } else { format!("the image or file `{target}` does not exist") },
                Some(lang.pick("把文件放在文章旁边（或 static/ 里），并检查文件名的大小写", "put the file next to the page (or in static/) and check the spelling").into()),
            ),
        },
        BadImage { image, problem, .. } => match problem {
            crate::images::Problem::Broken(why) => msg(
                if zh { format!("图片「{image}」无法读取（{why}），可能已损坏，或不是它的扩展名所说的格式") } else { format!("the image `{image}` cannot be read ({why}): it is damaged or not the format its extension says") },
                Some(lang.pick("用看图软件打开它再另存为 JPEG 或 PNG；GIF、HEIC 等格式请先转换", "open it in an image viewer and save it again as JPEG or PNG; convert GIF, HEIC and the like first").into()),
            ),
            crate::images::Problem::TooLarge { width, height } => msg(
                if zh { format!("图片「{image}」有 {width}×{height} 像素，超过 5000 万像素的上限，宣页不处理") } else { format!("the image `{image}` is {width}×{height} pixels, over the limit of 50 megapixels; Herald does not process it") },
                Some(lang.pick("先把它缩小（例如长边 4000 像素）再放进网站", "scale it down first (e.g. 4000 pixels on the long side)").into()),
            ),
        },
        Shortcode { message, .. } => msg(
            if zh { format!("短代码有误：{message}") } else { format!("shortcode error: {message}") },
            Some(lang.pick("写法示例：{{ figure(src=\"a.jpg\", caption=\"说明\") }}", "example: {{ figure(src=\"a.jpg\", caption=\"...\") }}").into()),
        ),
        Template { name, message, called_from, advice, .. } => {
            templates::describe(name, message, called_from, advice.as_deref(), lang)
        }
        UnknownTheme { name, available, .. } => msg(
            if zh { format!("找不到主题「{name}」") } else { format!("there is no theme `{name}`") },
            Some(if zh {
                format!("可用的主题：{}", available.join(", "))
            } else {
                format!("available themes: {}", available.join(", "))
            }),
        ),
        UnknownTemplate { name, available, .. } => msg(
            if zh { format!("找不到模板「{name}」") } else { format!("there is no template `{name}`") },
            Some(if zh {
                format!("可用的模板：{}；要新建模板，放在站点的 templates/ 里", list(available, 12))
            } else {
                format!("available templates: {}; a new one goes in the site's templates/", list(available, 12))
            }),
        ),
        NoSite { .. } => msg(
            lang.pick("这里没有 site.yaml，不是一个宣页站点", "no site.yaml here: this is not a Herald site").into(),
            Some(lang.pick("用 --root 指定站点文件夹，或用 herald init 文件夹 新建一个站点", "use --root DIR, or create a site with `herald init DIR`").into()),
        ),
        UnsafeOutput { reason, .. } => msg(
            match (reason, zh) {
                (error::UnsafeOutput::IsSiteRoot, true) => "输出文件夹不能是站点文件夹本身".into(),
                (error::UnsafeOutput::IsSiteRoot, false) => "the output folder cannot be the site folder itself".into(),
                (error::UnsafeOutput::ContainsSource, true) => "输出文件夹不能包含站点文件夹（那样会删掉您的文章）".into(),
                (error::UnsafeOutput::ContainsSource, false) => "the output folder cannot contain the site (your files would be deleted)".into(),
                (error::UnsafeOutput::IsContent, true) => "输出文件夹不能放在 content/、static/、templates/ 或 themes/ 里".into(),
                (error::UnsafeOutput::IsContent, false) => "the output folder cannot be inside content/, static/, templates/ or themes/".into(),
                (error::UnsafeOutput::IsHomeOrRoot, true) => "输出文件夹不能是主目录或磁盘根目录".into(),
                (error::UnsafeOutput::IsHomeOrRoot, false) => "the output folder cannot be your home folder or the root of a disk".into(),
                (error::UnsafeOutput::NotHerald, true) => "输出文件夹里已有别的文件，且不是宣页生成的".into(),
                (error::UnsafeOutput::NotHerald, false) => "the output folder holds files that Herald did not make".into(),
            },
            Some(lang.pick("请用 --output 指定一个新的空文件夹，例如 output", "choose a new, empty folder with --output, e.g. output").into()),
        ),
        AlreadyExists { .. } => msg(
            lang.pick("文件或文件夹已经存在，没有覆盖", "it already exists; nothing was overwritten").into(),
            Some(lang.pick("换一个名字", "choose another name").into()),
        ),
        Invalid { message, .. } => msg(message.clone(), None),
        other => publish::describe(other, lang),
    }
}

fn mb(bytes: u64) -> f64 {
    bytes as f64 / 1_048_576.0
}

fn generated_name(what: error::Generated, lang: Lang) -> &'static str {
    use error::Generated::*;
    match what {
        Home => lang.pick("首页", "home page"),
        NotFound => lang.pick("404 页面", "404 page"),
        Feed => lang.pick("订阅源 atom.xml", "Atom feed"),
        Sitemap => lang.pick("网站地图 sitemap.xml", "sitemap"),
        Robots => lang.pick("robots.txt", "robots.txt"),
        HighlightCss => lang.pick("代码高亮样式表", "highlighting stylesheet"),
        BrandsIndex => lang.pick("品牌列表页", "brands index"),
        Taxonomy => lang.pick(
            "分类列表页（site.yaml 的 taxonomies）",
            "taxonomy list (site.yaml `taxonomies`)",
        ),
        SectionList => lang.pick("栏目列表页", "folder's list page"),
        ThemeFile => lang.pick("主题文件", "theme file"),
        Search => lang.pick("站内搜索页", "search page"),
        Mirror => lang.pick(
            "繁体版（site.yaml 的 zh_hant，占用 zh-hant/ 目录）",
            "Traditional mirror (site.yaml zh_hant, which uses the zh-hant/ folder)",
        ),
    }
}

fn url_problem(key: &str, url: &str, problem: &crate::paths::UrlProblem, lang: Lang) -> Message {
    use crate::paths::UrlProblem::*;
    let zh = lang == Lang::Zh;
    let (what, hint) = match problem {
        Scheme(scheme) => (
            if zh {
                format!("不允许以「{scheme}:」开头的地址")
            } else {
                format!("`{scheme}:` addresses are not allowed")
            },
            lang.pick(
                "只能用 http://、https://、mailto:、tel:、站内的相对路径或 #标题",
                "use http://, https://, mailto:, tel:, a path of this site or a #fragment",
            ),
        ),
        Backslash => (
            lang.pick("地址里有反斜杠「\\」", "the address has a backslash `\\`")
                .into(),
            lang.pick(
                "网址和路径请用斜杠「/」，例如 images/photo.jpg",
                "URLs and paths use `/`, e.g. images/photo.jpg",
            ),
        ),
        ParentDir => (
            lang.pick(
                "地址里有「..」或「.」，会指到站点以外",
                "the address has a `..` or `.` part, which leads out of the site",
            )
            .into(),
            lang.pick(
                "写站内的完整路径，例如 /old/page/",
                "write the full path of this site, e.g. /old/page/",
            ),
        ),
        EncodedEscape => (
            lang.pick(
                "地址里有编码过的「/」「\\」「.」或「%」（如 %2e、%2f）",
                "the address has an encoded `/`, `\\`, `.` or `%` (such as %2e or %2f)",
            )
            .into(),
            lang.pick(
                "直接写出路径，不要用 % 编码这些字符",
                "write the path plainly, without %-encoding these characters",
            ),
        ),
        OtherHost => (
            lang.pick(
                "这里只能写本站的路径，不能写别的网站",
                "only a path of this site can go here, not another site",
            )
            .into(),
            lang.pick(
                "写成以 / 开头的站内路径，例如 /old/page/",
                "write a path of this site starting with /, e.g. /old/page/",
            ),
        ),
        BadCharacter(c) => (
            if zh {
                format!("地址里有不能用在文件名里的字符「{}」", c.escape_debug())
            } else {
                format!(
                    "the address has `{}`, which a file name cannot hold",
                    c.escape_debug()
                )
            },
            lang.pick(
                "去掉这个字符（< > : \" | ? * 和控制字符都不能用）",
                "remove it (< > : \" | ? * and control characters cannot be used)",
            ),
        ),
        EmptyPart => (
            lang.pick(
                "地址里有连续的斜杠「//」",
                "the address has an empty part `//`",
            )
            .into(),
            lang.pick("去掉多余的斜杠", "remove the extra slash"),
        ),
        Absolute => (
            lang.pick(
                "这是一个绝对路径，宣页只在站点文件夹里新建文件",
                "it is an absolute path; Herald only creates files inside the site folder",
            )
            .into(),
            lang.pick("写站点里的相对路径", "write a path inside the site"),
        ),
    };
    // `herald new` takes a path inside the site's folders, not a URL.
    let hint = match problem {
        ParentDir | OtherHost | Absolute if key.starts_with("herald new") => lang.pick(
            "写站点里的相对路径，例如 2026/长者食堂",
            "write a path inside the site, e.g. 2026/elderly-canteen",
        ),
        // A template is named as the theme's templates/ folder holds it.
        ParentDir | OtherHost | Absolute | Scheme(_) if key == "template" => lang.pick(
            "写模板的文件名，例如 page.html（站点 templates/ 或主题 templates/ 里的文件）",
            "name a template file, e.g. page.html (in the site's or the theme's templates/)",
        ),
        _ => hint,
    };
    msg(
        if zh {
            format!("「{key}」的地址「{url}」不行：{what}")
        } else {
            format!("`{key}`: `{url}` cannot be used: {what}")
        },
        Some(hint.into()),
    )
}

fn show(p: &Path) -> String {
    p.display().to_string().replace('\\', "/")
}

fn io_action_zh(action: &str) -> &'static str {
    match action {
        "read" => "读取",
        "write" => "写入",
        "create folder" => "创建文件夹",
        "remove" => "删除",
        "rename" => "重命名",
        "copy" => "复制",
        "list folder" => "列出文件夹",
        _ => "访问",
    }
}

fn yaml_message_zh(m: &str) -> String {
    if m.contains("mapping values are not allowed") {
        "这一行有多余的冒号（值里含有冒号时请加双引号）".into()
    } else if m.contains("did not find expected key") || m.contains("block mapping") {
        "缩进不一致，或少了冒号".into()
    } else if m.contains("found character that cannot start any token") {
        "这里有 YAML 不允许开头的字符（例如 @ 或 `），请给值加上双引号".into()
    } else if m.contains("unclosed") || m.contains("did not find expected") {
        "括号或引号没有配对".into()
    } else if m.contains("duplicate") {
        "同一个字段写了两次，请删掉其中一行".into()
    } else if m.contains("recursion limit") || m.contains("repetition limit") || m.contains("alias")
    {
        "前言嵌套或引用（&、*）太多，已拒绝处理".into()
    } else {
        m.to_string()
    }
}
