"""Turn a gen_corpus.py site into an equivalent Hugo site (for `scripts/bench --hugo`).

The Markdown bodies are copied byte for byte; only the front matter gains the keys Hugo's
taxonomies read (`brands`, `regions`, `orgs`; `tags` is already a list), and each brand file
becomes the term page of the `brands` taxonomy (content/brands/<slug>/_index.md), which is
what Herald's brand showcase is: the brand's profile plus every report that names it.

The layouts (LAYOUTS below) mirror Herald's default theme page for page: report pages with
breadcrumbs, brand chips, meta list, key figures, table of contents, tags, five same-brand
reports and previous/next; paginated sections and taxonomy terms (10 per page, every page
number listed, as Herald does); brand pages listing all their reports; a home page with
counts, brands, the latest 10 reports and 30 terms per taxonomy; one feed of 20 entries; a
sitemap. Herald's theme CSS/JS are copied as static files.

LAYOUTS_MINIMAL (`convert(..., theme="minimal")`) is the "equivalent minimal theme (one page
template, brand lists, tag pages)" that the project's issue measured Hugo with: a bare baseof,
one page template (title, date, body), one paginated list for sections and terms (titles with
links, 10 per page, previous/next), term indexes, brand pages listing all their reports, a home
page with the sections and latest 10 reports, a 404 page, and Hugo's built-in feed and sitemap. Content and config are the same for both themes.
"""
import hashlib
import os
import re
import shutil
from pathlib import Path

CONFIG = """\
baseURL: "https://example.org/"
languageCode: zh-CN
defaultContentLanguage: zh
title: {title}
hasCJKLanguage: true
paginate: 10
enableRobotsTXT: true
disableKinds: []
taxonomies:
  tag: tags
  brand: brands
  region: regions
  org: orgs
outputs:
  home: [HTML, RSS]
  section: [HTML]
  taxonomy: [HTML]
  term: [HTML]
  page: [HTML]
services:
  rss:
    limit: 20
markup:
  highlight:
    noClasses: false
  tableOfContents:
    startLevel: 2
    endLevel: 3
"""

LAYOUTS = {
"_default/baseof.html": """\
<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ if .IsHome }}{{ site.Title }}{{ else }}{{ .Title }} - {{ site.Title }}{{ end }}</title>
<meta name="description" content="{{ with .Params.summary }}{{ . }}{{ else }}{{ site.Title }}{{ end }}">
<link rel="canonical" href="{{ .Permalink }}">
<link rel="alternate" type="application/rss+xml" title="{{ site.Title }}" href="{{ "index.xml" | absURL }}">
<link rel="stylesheet" href="{{ "css/style.css" | relURL }}">
<link rel="stylesheet" href="{{ "css/highlight.css" | relURL }}">
</head>
<body class="{{ block "body_class" . }}{{ end }}">
<a class="skip-link" href="#main">跳到正文</a>
<header class="site-header"><div class="wrap">
<a class="site-brand" href="{{ "/" | relURL }}"{{ if .IsHome }} aria-current="page"{{ end }}>{{ site.Title }}</a>
<nav class="site-nav" aria-label="主导航"><ul>
<li><a href="{{ "/" | relURL }}">首页</a></li>
<li><a href="{{ "brands/" | relURL }}">品牌</a></li>
<li><a href="{{ "tags/" | relURL }}">标签</a></li>
<li><a href="{{ "regions/" | relURL }}">地区</a></li>
<li><a href="{{ "orgs/" | relURL }}">单位</a></li>
</ul></nav>
</div></header>
<main id="main">{{ block "main" . }}{{ end }}</main>
<footer class="site-footer"><div class="wrap">
<nav class="footer-nav" aria-label="分类浏览"><ul>
<li><a href="{{ "tags/" | relURL }}">标签</a></li>
<li><a href="{{ "regions/" | relURL }}">地区</a></li>
<li><a href="{{ "orgs/" | relURL }}">单位</a></li>
<li><a href="{{ "index.xml" | relURL }}">订阅更新</a></li>
</ul></nav>
<p>© {{ now.Year }} {{ site.Title }}</p>
</div></footer>
<script src="{{ "js/herald.js" | relURL }}" defer></script>
</body>
</html>
""",
"partials/card.html": """\
<article class="card report-card"><div class="card__body">
<h3 class="card__title"><a href="{{ .RelPermalink }}">{{ .Title }}</a></h3>
{{- with .Params.brand_name }}
<p class="card__brands"><span class="chip">{{ . }}</span></p>
{{- end }}
{{- with .Params.summary }}
<p class="card__desc">{{ . }}</p>
{{- end }}
<p class="card__meta">{{ if not .Date.IsZero }}<time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2006年1月2日" }}</time>{{ end }}{{ with .Params.region }}<span>{{ . }}</span>{{ end }}{{ with .Params.org }}<span>{{ . }}</span>{{ end }}</p>
</div></article>
""",
"partials/pagination.html": """\
{{- $p := .Paginator }}
{{- if gt $p.TotalPages 1 }}
<nav class="pagination" aria-label="分页"><ul>
{{- if $p.HasPrev }}<li><a href="{{ $p.Prev.URL }}" rel="prev">上一页</a></li>{{ end }}
{{- range $p.Pagers }}
<li><a href="{{ .URL }}"{{ if eq .PageNumber $p.PageNumber }} aria-current="page"{{ end }}><span class="visually-hidden">第 </span>{{ .PageNumber }}<span class="visually-hidden"> 页</span></a></li>
{{- end }}
{{- if $p.HasNext }}<li><a href="{{ $p.Next.URL }}" rel="next">下一页</a></li>{{ end }}
</ul>
<p class="pagination__status">第 {{ $p.PageNumber }} 页，共 {{ $p.TotalPages }} 页</p>
</nav>
{{- end }}
""",
"partials/metrics.html": """\
{{- with . }}
<ul class="stats">
{{- range . }}
<li class="stat"><span class="stat__num"><span class="stat__value">{{ .value }}</span>{{ with .unit }}<span class="stat__unit">{{ . }}</span>{{ end }}</span><span class="stat__label">{{ .label }}</span></li>
{{- end }}
</ul>
{{- end }}
""",
"_default/single.html": """\
{{ define "body_class" }}page-report{{ end }}
{{ define "main" }}
<article class="article">
<header class="article__head"><div class="wrap article__wrap">
<nav class="crumbs" aria-label="当前位置"><ol>
<li><a href="{{ "/" | relURL }}">首页</a></li>
{{- with .CurrentSection }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}
<li><span aria-current="page">正文</span></li>
</ol></nav>
{{- $brands := .GetTerms "brands" }}
{{- with $brands }}<p class="article__brands">{{ range . }}<a class="chip" href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}</p>{{ end }}
<h1 class="article__title">{{ .Title }}</h1>
<dl class="meta">
{{- with .GetTerms "orgs" }}<div><dt>单位</dt><dd>{{ range $i, $t := . }}{{ if $i }}、{{ end }}<a href="{{ $t.RelPermalink }}">{{ $t.Title }}</a>{{ end }}</dd></div>{{ end }}
{{- with .GetTerms "regions" }}<div><dt>地区</dt><dd>{{ range $i, $t := . }}{{ if $i }}、{{ end }}<a href="{{ $t.RelPermalink }}">{{ $t.Title }}</a>{{ end }}</dd></div>{{ end }}
{{- if not .Date.IsZero }}<div><dt>日期</dt><dd><time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2006年1月2日" }}</time></dd></div>{{ end }}
<div><dt>阅读</dt><dd>约 {{ .ReadingTime }} 分钟</dd></div>
</dl>
</div></header>
{{- with .Params.metrics }}<section class="wrap article__wrap band">{{ partial "metrics.html" . }}</section>{{ end }}
<div class="wrap article__wrap article__layout">
<nav class="toc" aria-label="目录"><h2 class="toc__title">目录</h2>{{ .TableOfContents }}</nav>
<div class="content">{{ .Content }}</div>
</div>
{{- with .GetTerms "tags" }}
<div class="wrap article__wrap article__tags"><h2 class="article__tags-title">标签</h2>
<ul class="terms terms--small">{{ range . }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul></div>
{{- end }}
</article>
{{- with $brands }}{{ $lead := index . 0 }}{{ $self := $.Page }}
<section class="section related"><div class="wrap">
<div class="section-head"><h2 class="section-title">同品牌其他案例</h2><a class="more" href="{{ $lead.RelPermalink }}">{{ $lead.Title }}</a></div>
<div class="grid">{{ $n := 0 }}{{ range first 6 $lead.Pages }}{{ if and (ne . $self) (lt $n 5) }}{{ $n = add $n 1 }}{{ partial "card.html" . }}{{ end }}{{ end }}</div>
</div></section>
{{- end }}
<nav class="wrap pager" aria-label="上一篇和下一篇">
{{- with .PrevInSection }}<a class="pager__prev" href="{{ .RelPermalink }}" rel="prev"><span class="pager__label">上一篇</span><span class="pager__title">{{ .Title }}</span></a>{{ end }}
{{- with .NextInSection }}<a class="pager__next" href="{{ .RelPermalink }}" rel="next"><span class="pager__label">下一篇</span><span class="pager__title">{{ .Title }}</span></a>{{ end }}
</nav>
{{ end }}
""",
"_default/list.html": """\
{{ define "body_class" }}list{{ end }}
{{ define "main" }}
<header class="page-head"><div class="wrap">
<nav class="crumbs" aria-label="当前位置"><ol><li><a href="{{ "/" | relURL }}">首页</a></li><li><span aria-current="page">{{ .Title }}</span></li></ol></nav>
<h1 class="page-head__title">{{ .Title }}</h1>
{{- $pg := .Paginate .RegularPages }}
{{- if $pg.TotalNumberOfElements }}<p class="page-head__count">共 {{ $pg.TotalNumberOfElements }} 篇{{ if gt $pg.TotalPages 1 }}，第 {{ $pg.PageNumber }} / {{ $pg.TotalPages }} 页{{ end }}</p>{{ end }}
</div></header>
<div class="wrap section">
{{- if and .Content (eq .Paginator.PageNumber 1) }}<div class="content section-intro">{{ .Content }}</div>{{ end }}
{{- with .Sections }}
<nav class="subsections"><h2 class="section-title">下级栏目</h2><ul>
{{- range . }}<li><a class="btn btn--outline" href="{{ .RelPermalink }}">{{ .Title }}<span class="subsections__count">（{{ len .RegularPages }}）</span></a></li>{{ end }}
</ul></nav>
{{- end }}
<section><h2 class="visually-hidden">文章列表</h2>
{{- with .Paginator.Pages }}<div class="grid">{{ range . }}{{ partial "card.html" . }}{{ end }}</div>{{ else }}<p class="empty">暂无内容。</p>{{ end }}
{{ partial "pagination.html" . }}
</section>
</div>
{{ end }}
""",
"_default/term.html": """\
{{ define "body_class" }}list taxonomy-term{{ end }}
{{ define "main" }}
<header class="page-head"><div class="wrap">
<nav class="crumbs" aria-label="当前位置"><ol><li><a href="{{ "/" | relURL }}">首页</a></li><li><a href="{{ .Parent.RelPermalink }}">{{ .Parent.Title }}</a></li><li><span aria-current="page">{{ .Title }}</span></li></ol></nav>
<p class="kicker">{{ .Parent.Title }}</p>
<h1 class="page-head__title">{{ .Title }}</h1>
{{- $pg := .Paginator }}
<p class="page-head__count">共 {{ $pg.TotalNumberOfElements }} 篇{{ if gt $pg.TotalPages 1 }}，第 {{ $pg.PageNumber }} / {{ $pg.TotalPages }} 页{{ end }}</p>
</div></header>
<div class="wrap section"><section><h2 class="visually-hidden">“{{ .Title }}”相关文章</h2>
<div class="grid">{{ range .Paginator.Pages }}{{ partial "card.html" . }}{{ end }}</div>
{{ partial "pagination.html" . }}
</section></div>
{{ end }}
""",
"_default/taxonomy.html": """\
{{ define "body_class" }}list taxonomy{{ end }}
{{ define "main" }}
<header class="page-head"><div class="wrap">
<nav class="crumbs" aria-label="当前位置"><ol><li><a href="{{ "/" | relURL }}">首页</a></li><li><span aria-current="page">{{ .Title }}</span></li></ol></nav>
<h1 class="page-head__title">{{ .Title }}</h1>
<p class="page-head__count">共 {{ len .Data.Terms }} 个，按案例数量排列</p>
</div></header>
<div class="wrap section"><ul class="terms terms--large">
{{- range .Data.Terms.ByCount }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}<span class="terms__count">{{ .Count }}<span class="visually-hidden"> 篇</span></span></a></li>{{ end }}
</ul></div>
{{ end }}
""",
"brands/taxonomy.html": """\
{{ define "body_class" }}list brands-index{{ end }}
{{ define "main" }}
<header class="page-head"><div class="wrap">
<nav class="crumbs" aria-label="当前位置"><ol><li><a href="{{ "/" | relURL }}">首页</a></li><li><span aria-current="page">{{ .Title }}</span></li></ol></nav>
<h1 class="page-head__title">{{ .Title }}</h1>
<p class="page-head__count">共 {{ len .Data.Terms }} 个品牌</p>
</div></header>
<div class="wrap section"><div class="grid grid--brands">
{{- range .Data.Terms.Alphabetical }}{{ partial "brand_card.html" . }}{{ end }}
</div></div>
{{ end }}
""",
"partials/brand_card.html": """\
<article class="card brand-card"><div class="brand-card__band" aria-hidden="true"></div><div class="card__body">
<span class="brand-mark" aria-hidden="true">{{ substr .Page.Title 0 1 }}</span>
<h3 class="card__title"><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a></h3>
{{- with .Page.Params.slogan }}<p class="brand-card__slogan">{{ . }}</p>{{ end }}
<p class="card__meta">{{ with .Page.Params.region }}<span>{{ . }}</span>{{ end }}{{ with .Page.Params.org }}<span>{{ . }}</span>{{ end }}<span class="brand-card__count">{{ .Count }} 篇案例</span></p>
</div></article>
""",
"brands/term.html": """\
{{ define "body_class" }}brand-page{{ end }}
{{ define "main" }}
<article class="brand">
<header class="brand-hero"><div class="wrap">
<nav class="crumbs" aria-label="当前位置"><ol><li><a href="{{ "/" | relURL }}">首页</a></li><li><a href="{{ "brands/" | relURL }}">品牌</a></li><li><span aria-current="page">{{ .Title }}</span></li></ol></nav>
<div class="brand-hero__inner"><span class="brand-mark" aria-hidden="true">{{ substr .Title 0 1 }}</span>
<div class="brand-hero__text"><h1 class="brand-hero__name">{{ .Title }}</h1>{{ with .Params.slogan }}<p class="brand-hero__slogan">{{ . }}</p>{{ end }}</div></div>
<dl class="meta meta--hero">{{ with .Params.org }}<div><dt>单位</dt><dd>{{ . }}</dd></div>{{ end }}{{ with .Params.region }}<div><dt>地区</dt><dd>{{ . }}</dd></div>{{ end }}<div><dt>案例</dt><dd>{{ len .Pages }} 篇</dd></div></dl>
</div></header>
{{- with .Params.metrics }}<section class="wrap band band--brand">{{ partial "metrics.html" . }}</section>{{ end }}
{{- with .Content }}<section class="section wrap"><h2 class="section-title">品牌简介</h2><div class="content brand__intro">{{ . }}</div></section>{{ end }}
{{- with .Params.standards }}<section class="section wrap"><h2 class="section-title">服务标准</h2><ol class="standards">{{ range . }}<li>{{ . }}</li>{{ end }}</ol></section>{{ end }}
<section class="section wrap"><div class="section-head"><h2 class="section-title">案例报道</h2><span class="more">共 {{ len .Pages }} 篇</span></div>
<div class="grid">{{ range .Pages }}{{ partial "card.html" . }}{{ end }}</div></section>
</article>
{{ end }}
""",
"index.html": """\
{{ define "body_class" }}home{{ end }}
{{ define "main" }}
<section class="hero"><div class="wrap"><h1 class="hero__title">{{ site.Title }}</h1></div></section>
<section class="home-stats"><div class="wrap"><ul class="stats stats--raised">
<li class="stat"><span class="stat__value">{{ len (where site.RegularPages "Section" "cases") }}</span><span class="stat__label">案例报告</span></li>
<li class="stat"><span class="stat__value">{{ len site.Taxonomies.brands }}</span><span class="stat__label">特色品牌</span></li>
<li class="stat"><span class="stat__value">{{ len site.Taxonomies.regions }}</span><span class="stat__label">覆盖地区</span></li>
<li class="stat"><span class="stat__value">{{ len site.Taxonomies.orgs }}</span><span class="stat__label">参与单位</span></li>
</ul></div></section>
<section class="section"><div class="wrap"><div class="section-head"><h2 class="section-title">特色品牌</h2><a class="more" href="{{ "brands/" | relURL }}">全部品牌</a></div>
<div class="grid grid--brands">{{ range site.Taxonomies.brands.Alphabetical }}{{ partial "brand_card.html" . }}{{ end }}</div></div></section>
<section class="section"><div class="wrap"><div class="section-head"><h2 class="section-title">最新案例</h2></div>
<div class="grid">{{ range first 10 (where site.RegularPages "Section" "cases").ByDate.Reverse }}{{ partial "card.html" . }}{{ end }}</div>
<nav class="subsections"><ul>{{ range .Sections }}<li><a class="btn btn--outline" href="{{ .RelPermalink }}">查看全部{{ .Title }}</a></li>{{ end }}</ul></nav>
</div></section>
<section class="section"><div class="wrap"><div class="section-head"><h2 class="section-title">分类浏览</h2></div><div class="browse">
{{- range $tax := slice "tags" "regions" "orgs" }}
<ul class="terms">{{ range first 30 (index site.Taxonomies $tax).ByCount }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}<span class="terms__count">{{ .Count }}</span></a></li>{{ end }}</ul>
{{- end }}
</div></div></section>
{{ end }}
""",
"404.html": """\
{{ define "main" }}<div class="wrap section"><h1>页面不存在</h1><p><a href="{{ "/" | relURL }}">返回首页</a></p></div>{{ end }}
""",
}

# The reference setup of the project's issue: the same pages exist (reports, paginated sections
# and terms, term indexes, brand pages, feed, sitemap), each with as little on it as possible.
LAYOUTS_MINIMAL = {
"_default/baseof.html": """\
<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>{{ if .IsHome }}{{ site.Title }}{{ else }}{{ .Title }} - {{ site.Title }}{{ end }}</title>
</head>
<body>
<main>{{ block "main" . }}{{ end }}</main>
</body>
</html>
""",
"_default/single.html": """\
{{ define "main" }}
<h1>{{ .Title }}</h1>
{{- if not .Date.IsZero }}<p><time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2006-01-02" }}</time></p>{{ end }}
{{ .Content }}
{{ end }}
""",
# Home, sections and terms (tags, regions, orgs): page titles, 10 per page.
"_default/list.html": """\
{{ define "main" }}
<h1>{{ .Title }}</h1>
<ul>{{ range .Paginator.Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>
{{- with .Paginator }}{{ if gt .TotalPages 1 }}
<nav>{{ if .HasPrev }}<a href="{{ .Prev.URL }}" rel="prev">上一页</a> {{ end }}{{ .PageNumber }} / {{ .TotalPages }}{{ if .HasNext }} <a href="{{ .Next.URL }}" rel="next">下一页</a>{{ end }}</nav>
{{- end }}{{ end }}
{{ end }}
""",
# The home page is not paginated (Herald's is one page): its sections and latest 10 reports.
"index.html": """\
{{ define "main" }}
<h1>{{ site.Title }}</h1>
<ul>{{ range .Sections }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>
<ul>{{ range first 10 site.RegularPages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>
{{ end }}
""",
"_default/taxonomy.html": """\
{{ define "main" }}
<h1>{{ .Title }}</h1>
<ul>{{ range .Data.Terms.Alphabetical }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> ({{ .Count }})</li>{{ end }}</ul>
{{ end }}
""",
# A brand page lists all its reports on one page, as Herald's (and LAYOUTS') do.
"brands/term.html": """\
{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ .Content }}
<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>
{{ end }}
""",
"404.html": """\
{{ define "main" }}<h1>页面不存在</h1>{{ end }}
""",
}

# Term pages need their own entry: Hugo looks up _default/taxonomy.html before _default/list.html
# for them.
LAYOUTS_MINIMAL["_default/term.html"] = LAYOUTS_MINIMAL["_default/list.html"]

THEMES = {"full": LAYOUTS, "minimal": LAYOUTS_MINIMAL}

# Changes with this file, so cached converted sites of every theme are redone when it changes.
VERSION = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:12]

_FM = re.compile(r"\A---\n(.*?)\n---\n", re.S)


def _yaml_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _field(fm, key):
    m = re.search(rf"^{key}: (.*)$", fm, re.M)
    return m.group(1).strip() if m else None


def convert(site: Path, out: Path, herald_theme: Path, theme: str = "full"):
    """Writes the Hugo version of `site` into `out` (which must not exist), with the layouts of
    `theme` ("full": LAYOUTS, Herald's theme mirrored; "minimal": LAYOUTS_MINIMAL)."""
    if theme not in THEMES:
        raise ValueError(f"unknown Hugo theme {theme!r} (known: {', '.join(THEMES)})")
    content = site / "content"
    hcontent = out / "content"
    title = _field((site / "site.yaml").read_text(encoding="utf-8"), "title") or '"site"'
    out.mkdir(parents=True)
    (out / "config.yaml").write_text(CONFIG.format(title=title), encoding="utf-8")
    for rel, text in THEMES[theme].items():
        p = out / "layouts" / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
    # Copied for both themes (the minimal one links none of it): a few files, and Herald's
    # output has them too.
    if (herald_theme / "static").is_dir():
        shutil.copytree(herald_theme / "static", out / "static")
    brand_names = {}
    for f in sorted((content / "brands").glob("*.md")):
        if f.name != "_index.md":
            m = _FM.match(f.read_text(encoding="utf-8"))
            brand_names[f.stem] = (_field(m.group(1), "name") if m else None) or _yaml_str(f.stem)
    n = 0
    for dirpath, _dirs, files in os.walk(content):
        d = Path(dirpath)
        rel = d.relative_to(content)
        for name in files:
            if not name.endswith(".md"):
                continue
            src = d / name
            text = src.read_text(encoding="utf-8")
            if rel.parts[:1] == ("brands",) and name != "_index.md":
                # A brand: the term page of the `brands` taxonomy.
                dst = hcontent / "brands" / name[:-3] / "_index.md"
                m = _FM.match(text)
                fm, body = (m.group(1), text[m.end():]) if m else ("", text)
                text = "---\n" + f"title: {_field(fm, 'name') or _yaml_str(name[:-3])}\n" + fm + "\n---\n" + body
            else:
                dst = hcontent / rel / name
                m = _FM.match(text)
                if m and name != "_index.md":
                    fm = m.group(1)
                    extra = []
                    for key, tax in (("brand", "brands"), ("region", "regions"), ("org", "orgs")):
                        v = _field(fm, key)
                        if v is not None:
                            extra.append(f"{tax}: [{v}]")
                    b = _field(fm, "brand")
                    if b in brand_names:
                        # Cards show the brand's name; Herald has it at hand, so give it to Hugo too.
                        extra.append(f"brand_name: {brand_names[b]}")
                    text = "---\n" + fm + "\n" + "\n".join(extra) + "\n---\n" + text[m.end():]
            dst.parent.mkdir(parents=True, exist_ok=True)
            dst.write_text(text, encoding="utf-8")
            n += 1
    return n
