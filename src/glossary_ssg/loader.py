"""Read content files into RawDoc values: front matter parsed with locations, body kept as text.

Nothing here knows what a term or a lesson is; the validator decides that.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from glossary_ssg import located_yaml
from glossary_ssg.content_files import Kind
from glossary_ssg.errors import Diagnostic, Location, error
from glossary_ssg.located_yaml import Located
from glossary_ssg.paths import Slug, SourcePath, is_slug, slugify
from glossary_ssg.source_text import decode

_FENCE = "---"


@dataclass(frozen=True)
class RawDoc:
    """One content file: its slug, parsed front matter (a Located mapping) and raw body."""

    kind: Kind
    slug: Slug
    source: SourcePath
    front_matter: Located
    body: str
    body_line: int  # file line of the body's first line, so later phases can point into the body


def read_doc(kind: Kind, path: Path, source: SourcePath) -> tuple[RawDoc | None, list[Diagnostic]]:
    slug = path.stem
    if not is_slug(slug):
        suggestion = slugify(slug) or "a-name"
        return None, [error("bad-slug", f"file name '{path.name}' is not a valid slug", Location(source, 1, 1),
                            "slugs are lowercase ASCII words joined by single hyphens: "
                            f"rename it to '{suggestion}.md'")]
    try:
        data = path.read_bytes()
    except OSError as exc:
        return None, [error("unreadable", f"the file cannot be read: {exc.strerror}", Location(source, 1, 1))]
    return parse_doc(kind, Slug(slug), source, data)


def parse_doc(kind: Kind, slug: Slug, source: SourcePath, data: bytes) -> tuple[RawDoc | None, list[Diagnostic]]:
    """A file's bytes as a RawDoc; `slug` must already be valid."""
    text, problem = decode(data, source, empty_hint="start it with front matter between two '---' lines")
    if problem:
        return None, [problem]
    return split_front_matter(kind, Slug(slug), source, text)


def split_front_matter(kind: Kind, slug: Slug, source: SourcePath, text: str
                       ) -> tuple[RawDoc | None, list[Diagnostic]]:
    lines = text.split("\n")
    if lines[0].rstrip() != _FENCE:
        return None, [error("no-front-matter", "the file does not start with front matter",
                            Location(source, 1, 1), "did you forget to add '---' on the first line?")]
    closing = next((i for i, line in enumerate(lines[1:], start=1) if line.rstrip() == _FENCE), None)
    if closing is None:
        return None, [error("no-front-matter", "the front matter is never closed",
                            Location(source, 1, 1), "did you forget the '---' line after the front matter?")]
    yaml_text = "\n".join(lines[1:closing])
    try:
        front_matter, problems = located_yaml.parse(yaml_text, source, first_line=2)
    except located_yaml.YamlSyntaxError as exc:
        return None, [exc.diagnostic]
    if front_matter is None:
        front_matter = Located({}, Location(source, 2, 1))
    if not isinstance(front_matter.value, dict):
        problems.append(error("wrong-type", "the front matter must be a set of 'key: value' lines",
                              front_matter.location))
        return None, problems
    body = "\n".join(lines[closing + 1:])
    return RawDoc(kind, slug, source, front_matter, body, closing + 2), problems
