"""Distinct names for the kinds of path the pipeline handles, and the slug rule."""

from __future__ import annotations

import re
import unicodedata
from typing import NewType

Slug = NewType("Slug", str)  # "service-discovery": a term's or lesson's identity
SitePath = NewType("SitePath", str)  # "terms/service-discovery/": a page's place in the site, no leading slash
SourcePath = NewType("SourcePath", str)  # "content/terms/x.md": relative to the project, for diagnostics

SLUG_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def is_slug(text: str) -> bool:
    return SLUG_PATTERN.fullmatch(text) is not None


def slugify(text: str) -> str:
    """The slug a title would get: lowercase ASCII words joined by single hyphens."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()  # é -> e
    return "-".join(re.findall(r"[a-z0-9]+", ascii_text))
