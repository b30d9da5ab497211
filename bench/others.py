"""The same glossary as a Hugo site and as an MkDocs site, for a fair comparison.

Each page keeps its body Markdown unchanged (headings, paragraphs, fenced code
highlighted at build time: Chroma in Hugo, Pygments in MkDocs as in ours) and
gets its definition and its see-also list, each link with the target's
definition, as the term pages of glossary-ssg show them. Both get pretty URLs.
"""

from __future__ import annotations

from pathlib import Path

import yaml

HUGO_CONFIG = """\
baseURL = "https://example.org/glossary/"
title = "Synthetic Glossary"
disableKinds = []
[markup.highlight]
  noClasses = false
[markup.goldmark.renderer]
  unsafe = false
"""

HUGO_SINGLE = """\
<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ .Title }} · {{ .Site.Title }}</title>
<meta name="description" content="{{ .Params.summary }}"></head>
<body><main><h1>{{ .Title }}</h1><p class="definition">{{ .Params.summary }}</p>
{{ .Content }}</main></body></html>
"""

HUGO_LIST = """\
<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ .Title }} · {{ .Site.Title }}</title></head>
<body><main><h1>{{ .Title }}</h1><ul>
{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a>: {{ .Params.summary }}</li>{{ end }}
</ul></main></body></html>
"""

MKDOCS_CONFIG = """\
site_name: Synthetic Glossary
site_url: https://example.org/glossary/
docs_dir: docs
use_directory_urls: true
theme:
  name: mkdocs
nav:
  - index.md
markdown_extensions:
  - toc
  - tables
  - codehilite:
      guess_lang: false
"""


def read_entries(project: Path) -> dict[str, dict[str, dict]]:
    """kind -> slug -> {"front": front matter, "body": Markdown} for every entry of a generated glossary."""
    found: dict[str, dict[str, dict]] = {"terms": {}, "lessons": {}}
    for kind in found:
        for path in sorted((project / "content" / kind).glob("*.md")):
            _, front, body = path.read_text().split("---\n", 2)
            found[kind][path.stem] = {"front": yaml.load(front, Loader=yaml.CSafeLoader), "body": body}
    return found


def page_markdown(kind: str, slug: str, entries: dict[str, dict[str, dict]], link) -> str:
    """The body plus the see-also list; `link(kind, slug)` gives the target's URL in each generator."""
    entry = entries[kind][slug]
    text = entry["body"]
    see_also = entry["front"].get("see_also") or []
    if see_also:
        items = "\n".join(f"- [{entries['terms'][s]['front']['title']}]({link('terms', s)}): "
                          f"{entries['terms'][s]['front']['summary']}" for s in see_also if s in entries["terms"])
        text += f"\n\n## See also\n\n{items}\n"
    return text


def write_if_changed(path: Path, text: str) -> None:
    """So an edit reaches the other generators as it would in their own repository: one file changes."""
    if not path.exists() or path.read_text() != text:
        path.write_text(text)


def write_hugo(project: Path, out: Path) -> None:
    entries = read_entries(project)
    (out / "layouts" / "_default").mkdir(parents=True, exist_ok=True)
    (out / "hugo.toml").write_text(HUGO_CONFIG)
    (out / "layouts" / "_default" / "single.html").write_text(HUGO_SINGLE)
    (out / "layouts" / "_default" / "list.html").write_text(HUGO_LIST)
    (out / "layouts" / "index.html").write_text(HUGO_LIST)
    for kind, items in entries.items():
        folder = out / "content" / kind
        folder.mkdir(parents=True, exist_ok=True)
        for slug, entry in items.items():
            front = entry["front"]
            head = yaml.safe_dump({"title": front["title"], "summary": front["summary"],
                                   "tags": front.get("tags", [])}, sort_keys=True)
            body = page_markdown(kind, slug, entries, lambda k, s: f"/glossary/{k}/{s}/")
            write_if_changed(folder / f"{slug}.md", f"---\n{head}---\n{body}")


def write_mkdocs(project: Path, out: Path) -> None:
    entries = read_entries(project)
    docs = out / "docs"
    docs.mkdir(parents=True, exist_ok=True)
    (out / "mkdocs.yml").write_text(MKDOCS_CONFIG)
    write_if_changed(docs / "index.md", "# Synthetic Glossary\n\n" + "\n".join(
        f"- [{e['front']['title']}](terms/{slug}.md): {e['front']['summary']}"
        for slug, e in entries["terms"].items()) + "\n")
    for kind, items in entries.items():
        folder = docs / kind
        folder.mkdir(parents=True, exist_ok=True)
        for slug, entry in items.items():
            front = entry["front"]
            body = page_markdown(kind, slug, entries, lambda k, s: f"../{k}/{s}.md")
            write_if_changed(folder / f"{slug}.md", f"# {front['title']}\n\n{front['summary']}\n\n{body}")
