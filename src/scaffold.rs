//! `herald init` and `herald new`: files with their front matter skeleton, commented in
//! Chinese, so a new user sees every field they can fill. Nothing is ever overwritten.

use std::path::{Path, PathBuf};

use crate::diagnostics::Lang;
use crate::error::{Error, Location};

const SITE_YAML: &str = r##"# 网站设置（site.yaml）
title: 民政党建品牌展示          # 网站名称
description: 党建品牌案例汇编      # 一句话介绍，用于搜索引擎和分享
base_url: "https://example.org/"  # 网站发布后的网址；放在子目录时写完整，如 https://example.org/minzheng/
language: zh-CN
theme: default
author: 宣传办公室
paginate: 10                      # 列表每页几篇
menu:
  - {name: 首页, url: /}
  - {name: 品牌, url: /brands/}
  - {name: 案例, url: /cases/}
  - {name: 标签, url: /tags/}
theme_settings:
  tagline: 用心用情 服务为民
  footer: ""
  icp: ""                         # 旧写法；请改用下面的 beian.icp（两者都写时以 beian.icp 为准）
# 备案信息，显示在每页页脚；三项请一起填写：
# beian:
#   icp: 苏ICP备12345678号
#   police: 苏公网安备 32010202000001号
#   site_code: "3200000001"         # 政府网站标识码
# 发布目标，之后只需运行 herald deploy（密钥不要写在这里，放在环境变量里）：
# deploy:
#   target: s3://存储桶/目录          # 或 sftp://用户名@主机/绝对路径，或本地文件夹
#   endpoint: https://oss-cn-hangzhou.aliyuncs.com
"##;

fn brand_skeleton(slug: &str) -> String {
    format!(
        r##"---
# 品牌名称（必填）
name: 示例品牌
# 品牌口号
slogan: 服务零距离 群众心贴心
org: 某某市民政局
region: 某某省某某市
since: {year}                      # 创建年份
color: "#b71c1c"                  # 品牌主色，注意加引号
# 品牌内涵
pillars:
  - {{title: 服务对象当家人, text: 把服务对象当作家人}}
# 工作标准
standards: [受理零推诿, 服务零耽搁]
# 关键数据
metrics:
  - {{label: 党员, value: 100, unit: 名}}
# 所获荣誉
honours:
  - {{year: {year}, title: 荣誉名称}}
# 大事记
events:
  - {{date: {year}, title: 品牌创建}}          # 按原文填写：2022-10-08、2022-10 或 2022
weight: 1                         # 排序，小的在前
---

在这里用 Markdown 写品牌介绍。案例材料里写 `brand: {slug}` 即归入本品牌。
"##,
        year = today().year()
    )
}

fn case_skeleton(brand: &str) -> String {
    let d = today();
    format!(
        r##"---
title: 案例标题                    # 必填
date: {date}                  # 按原文填写，如 2022-10-08、2022年10月8日；只知年月写 2022-10，只知年份写 2022；原文没有日期就删去这一行
brand: {brand}                   # 所属品牌（content/brands/ 下的文件名，不含 .md）
org: 某某市民政局
region: 某某省某某市
author: ""
source: ""                         # 来源
tags: [党建引领]
summary: ""                        # 摘要；不写则取第一段
# metrics:
#   - {{label: 服务人次, value: 1200, unit: 人次}}
draft: false                       # 草稿不会发布
---

## 一、实施背景

**一是……。**正文……

<!-- more -->

## 二、主要做法

## 三、取得的成效
"##,
        date = d.iso_date()
    )
}

fn today() -> crate::date::Date {
    crate::date::Date::today()
}

fn create_new(path: &Path, text: &str) -> Result<(), Error> {
    if path.exists() {
        return Err(Error::AlreadyExists {
            at: Location::file(path),
        });
    }
    if let Some(parent) = path.parent() {
        crate::fs::create_dir_all(parent)?;
    }
    crate::fs::write(path, text.as_bytes())
}

pub fn init(dir: &Path) -> Result<(), Error> {
    if dir.exists()
        && std::fs::read_dir(dir)
            .map(|mut d| d.next().is_some())
            .unwrap_or(true)
    {
        return Err(Error::AlreadyExists {
            at: Location::file(dir),
        });
    }
    create_new(&dir.join("site.yaml"), SITE_YAML)?;
    create_new(
        &dir.join("content/_index.md"),
        "---\ntitle: 首页\n---\n\n这里是网站首页的介绍文字。\n",
    )?;
    create_new(
        &dir.join("content/brands/_index.md"),
        "---\ntitle: 品牌\n---\n\n本单位的党建品牌。\n",
    )?;
    create_new(
        &dir.join("content/cases/_index.md"),
        "---\ntitle: 案例\n---\n\n品牌创建的案例材料。\n",
    )?;
    create_new(
        &dir.join("content/brands/example.md"),
        &brand_skeleton("example"),
    )?;
    create_new(
        &dir.join(format!("content/cases/{}-example.md", today().year())),
        &case_skeleton("example"),
    )?;
    crate::fs::create_dir_all(&dir.join("static"))?;
    // The encoded photos are made again from the originals: not worth keeping in git.
    crate::fs::write(&dir.join(".gitignore"), b"/output\n/.herald/cache/\n")?;
    Ok(())
}

pub fn init_message(dir: &Path, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("已在 {0} 创建新站点。下一步：\n  herald serve --root {0}\n然后用浏览器打开 http://127.0.0.1:1111", dir.display()),
        Lang::En => format!("created a new site in {0}. Next:\n  herald serve --root {0}\nthen open http://127.0.0.1:1111", dir.display()),
    }
}

/// A file `herald new` made, and the address its page will have.
pub struct Created {
    pub path: PathBuf,
    pub url: String,
}

impl Created {
    pub fn message(&self, lang: Lang) -> String {
        let file = self.path.display().to_string();
        match lang {
            Lang::Zh => format!("已创建 {file}\n生成后的网址：{}", self.url),
            Lang::En => format!("created {file}\nits address will be {}", self.url),
        }
    }
}

/// What the user typed as the new file's place, as parts of a path inside `folder`
/// (`content/cases/`); `\` is taken as `/`, as Windows users type it.
fn new_file_parts(typed: &str, key: &str, folder: &str) -> Result<Vec<String>, Error> {
    let cleaned = typed.trim().replace('\\', "/");
    let rel = cleaned.strip_prefix("content/").unwrap_or(&cleaned);
    let rel = rel.strip_prefix(folder).unwrap_or(rel);
    let rel = rel.strip_suffix(".md").unwrap_or(rel);
    crate::paths::relative_parts(rel)
        .map(|parts| parts.into_iter().map(str::to_string).collect())
        .map_err(|problem| Error::BadUrl {
            at: Location::file(typed),
            key: key.into(),
            url: typed.into(),
            problem,
        })
}

/// The folders a new file goes into may be links: the deepest one that exists must still be
/// inside the site.
fn check_inside_site(root: &Path, path: &Path) -> Result<(), Error> {
    let site = crate::paths::SiteRoot::new(root);
    match path.ancestors().skip(1).find(|a| a.exists()) {
        Some(existing) => site.check_inside(existing),
        None => Ok(()),
    }
}

pub fn new_brand(root: &Path, name: &str) -> Result<Created, Error> {
    let parts = new_file_parts(name, "herald new brand", "brands/")?;
    let [key] = parts.as_slice() else {
        return Err(Error::BadUrl {
            at: Location::file(name),
            key: "herald new brand".into(),
            url: name.into(),
            problem: crate::paths::UrlProblem::BadCharacter('/'),
        });
    };
    let path = root.join("content/brands").join(format!("{key}.md"));
    check_inside_site(root, &path)?;
    create_new(&path, &brand_skeleton(key))?;
    let slug = crate::text::slugify(key);
    Ok(Created {
        path,
        url: format!("/brands/{}/", if slug.is_empty() { "_" } else { &slug }),
    })
}

pub fn new_case(root: &Path, typed: &str) -> Result<Created, Error> {
    let parts = new_file_parts(typed, "herald new case", "cases/")?;
    let rel = parts.join("/");
    let path = root.join("content/cases").join(format!("{rel}.md"));
    check_inside_site(root, &path)?;
    // Use the first brand of the site, so the new file builds as it is.
    let brand = std::fs::read_dir(root.join("content/brands"))
        .ok()
        .and_then(|d| {
            let mut names: Vec<String> = d
                .flatten()
                .map(|e| e.file_name().to_string_lossy().to_string())
                .filter(|n| n.ends_with(".md") && n != "_index.md")
                .collect();
            names.sort();
            names.first().map(|n| n.trim_end_matches(".md").to_string())
        })
        .unwrap_or_else(|| "example".into());
    create_new(&path, &case_skeleton(&brand))?;
    let site_path = crate::model::assemble::page_path(&format!("cases/{rel}.md"), None);
    Ok(Created {
        path,
        url: format!("/{site_path}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn today_is_a_real_date() {
        let d = today();
        assert!(d.year() >= 2024);
        assert_eq!(crate::date::Date::parse(&d.iso_date()), Some(d));
    }
}
