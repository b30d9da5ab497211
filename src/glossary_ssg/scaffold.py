"""`glossary new`: a new term or lesson file with every field present and a comment on each.

The slug comes from the title. It refuses to overwrite a file, and refuses a
title, alias or slug that another entry already has.
"""

from __future__ import annotations

from pathlib import Path

from glossary_ssg.config import SiteConfig, load_config
from glossary_ssg.content_files import CONTENT_DIRS, Kind
from glossary_ssg.entries import load_entries
from glossary_ssg.errors import UsageError
from glossary_ssg.names import NameIndex
from glossary_ssg.paths import slugify
from glossary_ssg.schema import LESSON_FIELDS, TERM_FIELDS, FieldSpec, ValueKind
from glossary_ssg.suggest import did_you_mean

_EMPTY = {ValueKind.STRINGS: "[]", ValueKind.TAGS: "[]", ValueKind.TERM_REFS: "[]",
          ValueKind.LESSON_REFS: "[]", ValueKind.REFERENCES: "[]", ValueKind.QUIZ: "[]", ValueKind.OLD_PATHS: "[]"}


def new_entry(project_dir: Path, kind: Kind, title: str, area: str | None, level: str | None) -> Path:
    config, problems = load_config(project_dir)
    if config is None:
        raise UsageError("glossary.yml has errors; run glossary check first")
    slug = slugify(title)
    if not slug:
        raise UsageError(f"'{title}' gives no slug: use letters or digits in the title")
    path = project_dir / CONTENT_DIRS[kind] / f"{slug}.md"
    if path.exists():
        raise UsageError(f"{path.relative_to(project_dir)} already exists; it is not overwritten")
    _refuse_taken_names(project_dir, config, kind, title, slug)
    area = area or next(iter(config.areas), "")
    if area not in config.areas:
        raise UsageError(f"unknown area '{area}' ({did_you_mean(area, config.areas) or 'see areas in glossary.yml'})")
    level = level or config.levels[0]
    if level not in config.levels:
        raise UsageError(f"unknown level '{level}'; levels: {', '.join(config.levels)}")
    fields = TERM_FIELDS if kind == "term" else LESSON_FIELDS
    text = _front_matter(fields, {"title": _quoted(title), "summary": '""', "level": level, "area": area})
    body = _TERM_BODY if kind == "term" else _LESSON_BODY
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\n{text}---\n{body}", encoding="utf-8")
    return path


def _refuse_taken_names(project_dir: Path, config: SiteConfig, kind: Kind, title: str, slug: str) -> None:
    """Names are read from every document, valid or not, so a half-written entry still holds its names."""
    loaded = load_entries(project_dir, config)
    entries = loaded.content.terms if kind == "term" else loaded.content.lessons
    names = NameIndex(kind, entries, [s for k, s in loaded.failed if k == kind]).names()
    for name in (slug, title):
        if name.casefold() in names:
            raise UsageError(f"'{name}' is already taken by {kind} '{names[name.casefold()]}'")


def _front_matter(fields: tuple[FieldSpec, ...], values: dict[str, str]) -> str:
    lines = []
    for field in fields:
        need = "Required. " if field.required else ""
        lines.append(f"# {need}{field.doc}")
        value = values.get(field.name, _EMPTY.get(field.kind, ""))
        lines.append(f"{field.name}: {value}".rstrip())
    return "\n".join(lines) + "\n"


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


_TERM_BODY = """## Why it exists

## How it works

## Trade-offs

## Example
"""

_LESSON_BODY = """## Why it matters

## How it works

## Trade-offs

## In practice
"""
