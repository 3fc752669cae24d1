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
  icp: ""                         # ICP 备案号，如 京ICP备12345678号
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
    crate::fs::write(&dir.join(".gitignore"), b"/output\n")?;
    Ok(())
}

pub fn init_message(dir: &Path, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("已在 {0} 创建新站点。下一步：\n  herald serve --root {0}\n然后用浏览器打开 http://127.0.0.1:1111", dir.display()),
        Lang::En => format!("created a new site in {0}. Next:\n  herald serve --root {0}\nthen open http://127.0.0.1:1111", dir.display()),
    }
}

fn check_slug(slug: &str) -> Result<(), Error> {
    let ok = !slug.is_empty()
        && slug
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '/');
    if ok {
        Ok(())
    } else {
        Err(Error::Invalid {
            at: Location::file(slug),
            message: format!(
                "文件名请用小写拼音、数字和 -，例如 {} / use lowercase letters, digits and -",
                crate::text::slugify(slug)
            ),
        })
    }
}

pub fn new_brand(root: &Path, slug: &str) -> Result<PathBuf, Error> {
    check_slug(slug)?;
    let path = root.join("content/brands").join(format!("{slug}.md"));
    create_new(&path, &brand_skeleton(slug))?;
    Ok(path)
}

pub fn new_case(root: &Path, rel: &str) -> Result<PathBuf, Error> {
    let rel = rel
        .trim_start_matches("content/")
        .trim_start_matches("cases/");
    let rel = rel.strip_suffix(".md").unwrap_or(rel);
    check_slug(rel)?;
    if rel.split('/').any(|p| p.is_empty() || p == "..") {
        return Err(Error::Invalid {
            at: Location::file(rel),
            message: "路径不能包含空的部分或 .. / the path cannot contain empty parts or ..".into(),
        });
    }
    let path = root.join("content/cases").join(format!("{rel}.md"));
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
    Ok(path)
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
