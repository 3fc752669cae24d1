//! The words of `herald deploy` and `herald package`: their errors, the summary, the dry run.

use super::{msg, Lang, Message};
use crate::error::{Error, TargetProblem};

const TARGET_FORMS_ZH: &str = "可以写：本地文件夹（如 E:/网站）、sftp://用户名@主机[:端口]/绝对路径，或 s3://存储桶/目录（阿里云 OSS、腾讯云 COS、华为云 OBS、MinIO 另加 --endpoint 地址）";
const TARGET_FORMS_EN: &str = "write a local folder (E:/site), sftp://user@host[:port]/absolute/path, or s3://bucket/prefix (with --endpoint URL for OSS, COS, OBS, MinIO)";

/// Errors of deploy and package (the catch-all arm of `describe`).
pub fn describe(err: &Error, lang: Lang) -> Message {
    let zh = lang == Lang::Zh;
    let pick = |z: &str, e: &str| if zh { z.to_string() } else { e.to_string() };
    match err {
        Error::SecretInSite { key, .. } => msg(
            if zh {
                format!("site.yaml 里不能写密码或密钥（「{key}」）：这个文件会随网站一起保存和分享")
            } else {
                format!("`{key}`: passwords and keys do not belong in site.yaml (it is shared with the site)")
            },
            Some(pick(
                "请删掉这一行；对象存储的密钥放在环境变量 AWS_ACCESS_KEY_ID、AWS_SECRET_ACCESS_KEY 里，SFTP 用 ssh 密钥（ssh-agent 或环境变量 HERALD_SSH_KEY 指向的密钥文件）",
                "delete the line; object storage keys go in the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY), SFTP uses an ssh key (the agent, or a key file named by HERALD_SSH_KEY)",
            )),
        ),
        Error::BadTarget { target, problem, .. } => {
            let (z, e) = match problem {
                TargetProblem::Scheme => ("不是宣页能发布到的地方", "is not a place Herald can publish to"),
                TargetProblem::Sftp => ("SFTP 地址不完整，需要用户名、主机和绝对路径", "needs a user, a host and an absolute path"),
                TargetProblem::S3 => ("缺少存储桶名称", "has no bucket name"),
                TargetProblem::Endpoint => ("--endpoint（endpoint）必须是 http:// 或 https:// 开头的地址", "--endpoint must be an http:// or https:// address"),
                TargetProblem::Overlaps => ("目标文件夹不能是输出文件夹本身、在它里面，或包含站点", "the folder cannot be the output, inside it, or hold the site"),
            };
            msg(
                if zh { format!("发布目标「{target}」{z}") } else { format!("deploy target `{target}` {e}") },
                Some(pick(TARGET_FORMS_ZH, TARGET_FORMS_EN)),
            )
        }
        Error::NoTarget { .. } => msg(
            pick("没有指定发布到哪里", "no deploy target given"),
            Some(pick(
                "用 herald deploy 目标 指定，或在 site.yaml 里写 deploy: {target: …}；目标可以是本地文件夹、sftp://… 或 s3://…",
                "give it as `herald deploy TARGET`, or set `deploy: {target: …}` in site.yaml; a local folder, sftp://… or s3://…",
            )),
        ),
        Error::NoOutput { .. } => msg(
            pick("还没有生成网站，没有可发布的内容", "there is no built site to publish"),
            Some(pick("请先运行 herald build", "run `herald build` first")),
        ),
        Error::NotOutput { .. } => msg(
            pick("这个文件夹不是宣页生成的网站（里面没有 .herald 标记文件），不发布", "this folder is not a Herald output (it has no .herald marker); nothing was published"),
            Some(pick("请用 herald build 生成网站，或用 --output 指向生成的文件夹", "run `herald build`, or point --output at the built folder")),
        ),
        Error::TooManyDeletes { count, max, .. } => msg(
            if zh {
                format!("这次发布要删除目标上的 {count} 个文件，超过上限 {max} 个，已停止，什么也没有改动")
            } else {
                format!("this deploy would delete {count} remote files, more than the limit of {max}; stopped, nothing was changed")
            },
            Some(pick(
                "先用 --dry-run 看看要删除哪些文件；确认无误后加 --force，或用 --max-deletes 数字 提高上限",
                "look with --dry-run first; if that is right, add --force or raise --max-deletes N",
            )),
        ),
        Error::NoCredentials { var, .. } => msg(
            if zh { format!("没有设置环境变量 {var}，无法登录对象存储") } else { format!("{var} is not set: cannot sign in to the bucket") },
            Some(pick(
                "在命令行窗口里先设置密钥（Windows：set AWS_ACCESS_KEY_ID=…；再设置 AWS_SECRET_ACCESS_KEY，需要时还有 AWS_REGION），再运行 herald deploy；密钥不要写进 site.yaml",
                "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_REGION if needed) in the environment; never in site.yaml",
            )),
        ),
        Error::UnknownHost { host, port, .. } => msg(
            if zh {
                format!("不认识服务器 {host} 的主机密钥（不在 ~/.ssh/known_hosts 里），为安全起见没有连接")
            } else {
                format!("the host key of {host} is not in ~/.ssh/known_hosts; not connecting, for safety")
            },
            Some(if zh {
                format!("先在命令行里运行一次 ssh -p {port} 用户名@{host}，向管理员核对显示的指纹后回答 yes；之后再运行 herald deploy")
            } else {
                format!("run `ssh -p {port} user@{host}` once, check the fingerprint with the server's admin and answer yes; then deploy again")
            }),
        ),
        Error::Remote(r) => {
            let (target, path, message) = (&r.target, &r.path, &r.message);
            let what = match (r.action, zh) {
                ("connect", true) => "连接",
                ("read", true) => "读取",
                ("upload", true) => "上传",
                ("delete", true) => "删除",
                (_, true) => "访问",
                (a, false) => a,
            };
            msg(
                match (zh, path.is_empty()) {
                    (true, true) => format!("{target}：{what}失败：{message}"),
                    (true, false) => format!("{target}：{what}「{path}」失败：{message}"),
                    (false, true) => format!("{target}: cannot {what}: {message}"),
                    (false, false) => format!("{target}: cannot {what} {path}: {message}"),
                },
                Some(pick(
                    "检查网络、地址和密钥后再运行一次 herald deploy：已完成的部分不会重复上传",
                    "check the network, the address and the keys, then run `herald deploy` again: what was done is not sent again",
                )),
            )
        }
        _ => msg(err.to_string(), None),
    }
}

/// `uploaded N, deleted M, unchanged K`: scripts read this line; keep its words.
pub fn summary(uploaded: usize, deleted: usize, unchanged: usize, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("上传 {uploaded} 个，删除 {deleted} 个，未变 {unchanged} 个"),
        Lang::En => format!("uploaded {uploaded}, deleted {deleted}, unchanged {unchanged}"),
    }
}

/// One line of the dry run's list.
pub fn would(upload: bool, rel: &str, lang: Lang) -> String {
    match (lang, upload) {
        (Lang::Zh, true) => format!("上传 {rel}"),
        (Lang::Zh, false) => format!("删除 {rel}"),
        (Lang::En, true) => format!("upload {rel}"),
        (Lang::En, false) => format!("delete {rel}"),
    }
}

pub fn dry_run_note(lang: Lang) -> &'static str {
    lang_pick(
        lang,
        "（试运行：什么也没有改动）",
        "(dry run: nothing was changed)",
    )
}

/// After a dry run whose deletions exceed the limit.
pub fn would_refuse(count: usize, max: usize, lang: Lang) -> String {
    match lang {
        Lang::Zh => {
            format!("注意：要删除 {count} 个文件，超过上限 {max} 个；正式发布时需加 --force")
        }
        Lang::En => format!(
            "note: {count} deletions exceed the limit of {max}; the real deploy needs --force"
        ),
    }
}

pub fn packaged(name: &str, sums: &str, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("已打包：{name}（内含 {sums} 校验文件）"),
        Lang::En => format!("packaged {name} (with {sums} inside)"),
    }
}

fn lang_pick(lang: Lang, zh: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}
