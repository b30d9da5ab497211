"""The Jinja2 environment: autoescaping, strict undefined variables, and the URL filters."""

from __future__ import annotations

from pathlib import Path

import jinja2

from glossary_ssg.config import SiteConfig
from glossary_ssg.site import Page

def make_environment(themes: tuple[Path, ...], config: SiteConfig) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(theme / "templates") for theme in themes]),
        autoescape=jinja2.select_autoescape(["html", "xml"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    base_path = config.base_path
    env.filters["url"] = lambda path: base_path + path
    env.filters["absolute_url"] = lambda path: config.base_url + path
    env.filters["article"] = indefinite_article
    env.globals["site"] = config
    return env


def indefinite_article(word: str) -> str:
    """'an intermediate', 'a foundation': by the first letter, which suits level names."""
    return "an" if word[:1].lower() in "aeiou" else "a"


def render_page(env: jinja2.Environment, page: Page) -> str:
    return env.get_template(page.template).render(page=page, **page.context)
