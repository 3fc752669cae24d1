//! The command line in Chinese. clap has no translations: the command built from the derive
//! gets Chinese texts, headings and usage lines, its own `--help` flag and `help` command
//! (clap's say "Print help"), and usage errors are worded here from clap's error kind and
//! context.

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, Command};

const TEMPLATE: &str = "{before-help}{about-with-newline}\n用法：{usage}\n\n{all-args}{after-help}";
const OPTIONS: &str = "选项";
const ARGUMENTS: &str = "参数";

/// Every command's help flag and template, and its arguments under Chinese headings (an
/// argument without a heading would be listed under clap's "Options:" / "Arguments:").
fn common(cmd: Command) -> Command {
    cmd.help_template(TEMPLATE)
        .disable_help_flag(true)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help("显示这份帮助"),
        )
        .mut_args(|a| {
            let heading = if a.is_positional() {
                ARGUMENTS
            } else {
                OPTIONS
            };
            a.help_heading(heading)
        })
}

/// `--root`, `--drafts`, `--strict` of build, check and serve.
/// `--root`, the same words in every command that has it.
fn root_help(a: clap::Arg) -> clap::Arg {
    a.value_name("网站文件夹")
        .hide_default_value(true)
        .help("网站所在的文件夹（有 site.yaml 的那个），默认是当前文件夹")
}

fn site_args(cmd: Command) -> Command {
    cmd.mut_arg("root", root_help)
        .mut_arg("drafts", |a| a.help("也生成标着 draft: true 的草稿"))
        .mut_arg("strict", |a| a.help("把警告当作错误：有警告就不生成"))
}

/// `--root` and `--output` of deploy and package, which publish what was built.
fn built_site_args(cmd: Command) -> Command {
    cmd.mut_arg("root", root_help).mut_arg("output", |a| {
        a.value_name("输出文件夹")
            .help("生成好的网站在哪个文件夹，默认是网站文件夹里的 output")
    })
}

pub(super) fn localize(cmd: Command) -> Command {
    let cmd = cmd
        .about("宣页 Herald：把 Markdown 写的案例材料生成宣传网站")
        .override_usage("herald <命令> [选项]")
        .after_help(
            "不带命令运行（例如在文件夹里双击 herald.exe）：预览这个文件夹里的网站。\n\
             看某个命令的说明：herald help 命令，例如 herald help build",
        )
        .subcommand_help_heading("命令")
        .subcommand_value_name("命令")
        .disable_help_subcommand(true)
        .mut_arg("lang", |a| {
            a.help("提示语言：zh（中文）或 en（英文），默认跟随系统语言")
                .value_name("zh|en")
        })
        .mut_arg("version", |a| a.help("显示版本号"))
        .mut_subcommand("build", |s| {
            site_args(s)
                .about("生成网站，写入 output 文件夹（可以直接上传到网站服务器）")
                .override_usage(
                    "herald build [--root 网站文件夹] [--output 输出文件夹] [--base-url 网址] [--relative] [--compress] [--no-cache] [--drafts] [--strict]",
                )
                .mut_arg("output", |a| {
                    a.value_name("输出文件夹")
                        .help("生成到哪个文件夹，默认是网站文件夹里的 output")
                })
                .mut_arg("base_url", |a| {
                    a.value_name("网址")
                        .help("网站发布的地址，代替 site.yaml 里的 base_url")
                })
                .mut_arg("compress", |a| {
                    a.help("同时在每个 HTML、CSS、JS、XML、SVG 文件旁写一份 gzip 压缩版（.gz），供网页服务器直接发送（nginx：gzip_static on）")
                })
                .mut_arg("relative", |a| {
                    a.help("站内链接都写成相对地址（同 site.yaml 的 relative_urls: true），放在任何文件夹、直接双击打开（U 盘）都能用")
                })
                .mut_arg("no_cache", |a| {
                    a.help("从头生成：不读也不写生成缓存、解析缓存和正文缓存（.herald/cache/ 里的 build.bin、sources.bin、bodies/）")
                })
        })
        .mut_subcommand("check", |s| {
            site_args(s)
                .about("只检查、不生成：找出所有会让生成失败的错误")
                .override_usage("herald check [--root 网站文件夹] [--drafts] [--strict]")
        })
        .mut_subcommand("serve", |s| {
            site_args(s)
                .about("预览：生成网站并在 http://127.0.0.1:1111 打开，保存文件后浏览器自动刷新")
                .override_usage(
                    "herald serve [--root 网站文件夹] [--port 端口] [--bind 地址] [--open] [--drafts] [--strict]",
                )
                .mut_arg("port", |a| {
                    a.value_name("端口")
                        .hide_default_value(true)
                        .help("端口号，默认 1111（被占用时自动换下一个）")
                })
                .mut_arg("bind", |a| {
                    a.value_name("地址")
                        .hide_default_value(true)
                        .help("监听的地址，默认 127.0.0.1（只有本机能打开）")
                })
                .mut_arg("open", |a| a.help("生成后用默认浏览器打开"))
        })
        .mut_subcommand("deploy", |s| {
            built_site_args(s)
                .about("发布：把最近一次生成的网站传到文件夹（U 盘）、sftp://用户@主机/路径 或 s3://存储桶/前缀")
                .override_usage(
                    "herald deploy [目标] [--dry-run] [--max-deletes 个数] [--force] [--endpoint 网址] [--root 网站文件夹]",
                )
                .mut_arg("target", |a| {
                    a.value_name("目标")
                        .help("发布到哪里；不写就用 site.yaml 里的 deploy.target")
                })
                .mut_arg("dry_run", |a| a.help("只列出要上传和删除的文件，什么也不改"))
                .mut_arg("max_deletes", |a| {
                    a.value_name("个数")
                        .hide_default_value(true)
                        .help("最多删除多少个远端文件，默认 256，超过就停下（除非加 --force）")
                })
                .mut_arg("force", |a| a.help("删除的文件超过 --max-deletes 也照样删除"))
                .mut_arg("endpoint", |a| {
                    a.value_name("网址")
                        .help("对象存储的服务地址（阿里云 OSS、腾讯云 COS、华为云 OBS、MinIO）")
                })
        })
        .mut_subcommand("package", |s| {
            built_site_args(s)
                .about("打包：把最近一次生成的网站压缩成 site-年月日.zip（内含 SHA256SUMS 校验文件），交给信息科")
                .override_usage("herald package [--root 网站文件夹] [--output 输出文件夹]")
        })
        .mut_subcommand("clean", |s| {
            s.about("删除缓存 .herald/cache/（生成、解析和正文缓存，以及处理过的照片），下次生成从头开始")
                .override_usage("herald clean [--root 网站文件夹]")
                .mut_arg("root", root_help)
        })
        .mut_subcommand("init", |s| {
            s.about("新建一个网站（带一个示例品牌和一篇示例案例）")
                .override_usage("herald init <文件夹>")
                .mut_arg("dir", |a| {
                    a.value_name("文件夹")
                        .help("新网站的文件夹（不存在或是空的）")
                })
        })
        .mut_subcommand("new", |s| {
            s.about("新建一个品牌或一篇案例，带好要填写的项目")
                .override_usage("herald new brand <标识>\n      herald new case <路径>")
                .mut_arg("root", root_help)
                .mut_subcommand("brand", |b| {
                    common(b)
                        .about("新建品牌：content/brands/标识.md")
                        .override_usage("herald new brand <标识> [--root 网站文件夹]")
                        .mut_arg("slug", |a| {
                            a.value_name("标识")
                                .help("品牌的文件名（中文、拼音或英文都可以），案例里用 brand: 标识 引用")
                        })
                })
                .mut_subcommand("case", |c| {
                    common(c)
                        .about("新建案例：content/cases/路径.md")
                        .override_usage("herald new case <路径> [--root 网站文件夹]")
                        .mut_arg("path", |a| {
                            a.value_name("路径")
                                .help("案例文件的路径，可以带文件夹，例如 2024/社区养老")
                        })
                })
                .subcommand_help_heading("命令")
                .subcommand_value_name("命令")
                .disable_help_subcommand(true)
        })
        .subcommand(
            Command::new("help")
                .about("显示帮助；herald help 命令：显示那个命令的帮助")
                .override_usage("herald help [命令]")
                .arg(
                    Arg::new("command")
                        .value_name("命令")
                        .num_args(0..)
                        .help("要看哪个命令的说明，例如 build"),
                ),
        );
    // Every command, the new ones included, last: `common` also sets the headings.
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    names
        .iter()
        .fold(common(cmd), |cmd, name| cmd.mut_subcommand(name, common))
}

/// `herald help [COMMAND…]` of the Chinese command: the help of that command.
pub(super) fn help_for(mut cmd: Command, names: &[String]) -> u8 {
    cmd.build();
    let mut at = &mut cmd;
    for name in names {
        match at.find_subcommand_mut(name) {
            Some(sub) => at = sub,
            None => {
                eprintln!("错误：没有“{name}”这个命令\n\n用 herald --help 查看所有命令。");
                return 2;
            }
        }
    }
    match at.print_help() {
        Ok(()) => 0,
        Err(_) => 1,
    }
}

fn text(v: Option<&ContextValue>) -> Option<String> {
    match v? {
        ContextValue::String(s) => Some(s.clone()),
        ContextValue::Strings(v) if !v.is_empty() => Some(v.join("、")),
        ContextValue::StyledStr(s) => Some(s.to_string()),
        ContextValue::StyledStrs(v) if !v.is_empty() => Some(
            v.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("、"),
        ),
        ContextValue::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A usage error as `错误：…`, a suggestion if clap has one, the usage line and where to read
/// more; clap's own wording is English.
pub(super) fn usage_error(e: &clap::Error) -> String {
    let get = |k| text(e.get(k));
    let arg = get(ContextKind::InvalidArg).unwrap_or_default();
    let value = get(ContextKind::InvalidValue).unwrap_or_default();
    let what = match e.kind() {
        ErrorKind::InvalidSubcommand => format!(
            "没有“{}”这个命令",
            get(ContextKind::InvalidSubcommand).unwrap_or_default()
        ),
        ErrorKind::UnknownArgument => format!("不认识“{arg}”：没有这个选项，或多写了一项"),
        ErrorKind::InvalidValue if value.is_empty() => format!("{arg} 后面要写一个值"),
        ErrorKind::InvalidValue => format!("{arg} 不能是“{value}”"),
        ErrorKind::ValueValidation if arg.starts_with("--port") => {
            format!("端口要写 1 到 65535 之间的数字，不能是“{value}”")
        }
        ErrorKind::ValueValidation => format!("{arg} 不能是“{value}”"),
        ErrorKind::MissingRequiredArgument => format!("缺少 {arg}"),
        ErrorKind::MissingSubcommand => "缺少命令".to_string(),
        ErrorKind::ArgumentConflict => format!(
            "{arg} 不能和 {} 一起用",
            get(ContextKind::PriorArg).unwrap_or_default()
        ),
        ErrorKind::TooManyValues => format!("多写了“{value}”"),
        ErrorKind::InvalidUtf8 => "命令行里有无法识别的字符".to_string(),
        _ => "命令行写得不对".to_string(),
    };
    let mut out = format!("错误：{what}\n");
    let suggested = [
        ContextKind::SuggestedSubcommand,
        ContextKind::SuggestedArg,
        ContextKind::SuggestedValue,
    ]
    .into_iter()
    .find_map(get);
    if let Some(s) = suggested {
        out.push_str(&format!("  是不是想写“{s}”？\n"));
    } else if let Some(valid) = get(ContextKind::ValidValue) {
        out.push_str(&format!("  可以写：{valid}\n"));
    }
    let usage = get(ContextKind::Usage).unwrap_or_default();
    let usage = usage.trim().trim_start_matches("Usage:").trim();
    if !usage.is_empty() {
        out.push_str(&format!("\n用法：{usage}\n"));
    }
    // `herald build …` → `herald build --help`.
    let mut words = usage.split_whitespace().take(2);
    let help = match (words.next(), words.next()) {
        (Some("herald"), Some(cmd)) if cmd.chars().all(|c| c.is_ascii_lowercase()) => {
            format!("herald {cmd} --help")
        }
        _ => "herald --help".to_string(),
    };
    out.push_str(&format!("\n查看说明：{help}\n"));
    out
}
