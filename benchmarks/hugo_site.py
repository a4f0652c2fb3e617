"""The same registry as a Hugo site: content files with the same front matter, minimal equivalent layouts."""
# ruff: noqa: E501  (Hugo templates are kept one construct a line)

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from site_builder.model import Record
from site_builder.recordtext import front_matter, record_text

from .retired import retire

CONFIG = """baseURL = "https://example.org/registry/"
title = "Research Registry"
disableKinds = ["rss", "sitemap", "robotstxt"]
buildFuture = true
[taxonomies]
tier = "tiers"
verdict = "verdicts"
[pagination]
pagerSize = 50
"""
BASEOF = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ .Title }} · {{ site.Title }}</title>
<link rel="stylesheet" href="{{ "assets/style.css" | relURL }}"></head>
<body><header><a href="{{ "/" | relURL }}">{{ site.Title }}</a>
<nav><a href="{{ "/tiers/" | relURL }}">Tiers</a> <a href="{{ "/verdicts/" | relURL }}">Verdicts</a></nav></header>
<main>{{ block "main" . }}{{ end }}</main><footer><p>{{ site.Title }} publishes machine-generated syntheses.</p></footer>
</body></html>
"""
PAGE = """{{ define "main" }}<article><p>Registry record <code>{{ .Params.id }}</code>
{{ with .Params.published }} · published {{ . }}{{ end }}</p><h1>{{ .Title }}</h1>
<ul><li>Quality tier {{ .Params.tier.name }}</li><li>Gate verdict {{ .Params.gate.status }}</li></ul>
{{ .Content }}
{{ range $key := slice "verification" "gate" "tier" "dimensions" "correction" "provenance" }}
<section><h2>{{ $key | humanize }}</h2><table><tbody>
{{ range $k, $v := index $.Params $key }}{{ if ne $k "entries" }}<tr><th>{{ $k | humanize }}</th><td>{{ $v }}</td></tr>{{ end }}{{ end }}
</tbody></table>
{{ if eq $key "correction" }}{{ with $.Params.correction.entries }}<ol>{{ range . }}<li>{{ .date }} {{ .change }}</li>{{ end }}</ol>{{ end }}{{ end }}
{{ if eq $key "gate" }}{{ with $.Params.artifacts }}<ul>{{ range . }}<li><a href="{{ .url }}">{{ .title }}</a></li>{{ end }}</ul>{{ end }}{{ end }}
</section>{{ end }}</article>{{ end }}
"""
LIST = """{{ define "main" }}<h1>{{ .Title }}</h1>
<ol>{{ range .Paginator.Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Params.tier.name }} · {{ .Params.gate.status }}{{ with .Params.published }} · {{ . }}{{ end }}</li>{{ end }}</ol>
{{ with .Paginator }}{{ if .HasNext }}<a href="{{ .Next.URL }}">Next</a>{{ end }}{{ end }}{{ end }}
"""
TAXONOMY = """{{ define "main" }}<h1>{{ .Title }}</h1>
<ul>{{ range .Data.Terms.Alphabetical }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> ({{ .Count }})</li>{{ end }}</ul>{{ end }}
"""
HOME = """{{ define "main" }}<h1>{{ site.Title }}</h1><p>{{ len (where site.RegularPages "Section" "records") }} records</p>
<ul>{{ range first 10 (where site.RegularPages "Section" "records") }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}
"""


def generate(root: Path, records: list[Record], templates: Path) -> None:
    """Write the Hugo site for ``records`` under ``root`` (idempotent for the same count)."""
    stamp = root / ".generated"
    if stamp.exists() and stamp.read_text() == str(len(records)):
        return
    retire(root)
    content = root / "content" / "records"
    content.mkdir(parents=True)
    for record in records:
        data = front_matter(record)
        data["tiers"], data["verdicts"] = [record.tier.name], [record.gate.status]
        body = record_text(record).split("\n---\n", 1)[1]
        text = "---\n" + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=10_000) + "---\n" + body
        (content / f"{record.id}.md").write_text(text, encoding="utf-8")
    layouts = root / "layouts"
    layouts.mkdir()
    for name, text in (
        ("baseof.html", BASEOF),
        ("page.html", PAGE),
        ("term.html", LIST),
        ("section.html", LIST),
        ("taxonomy.html", TAXONOMY),
        ("home.html", HOME),
    ):
        (layouts / name).write_text(text, encoding="utf-8")
    (root / "static" / "assets").mkdir(parents=True)
    shutil.copy(templates / "assets" / "style.css", root / "static" / "assets" / "style.css")
    (root / "hugo.toml").write_text(CONFIG, encoding="utf-8")
    stamp.write_text(str(len(records)))
