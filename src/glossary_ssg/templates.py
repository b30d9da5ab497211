"""The Jinja2 environment: autoescaping, strict undefined variables, and the URL filters."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Mapping
from urllib.parse import urlsplit

import jinja2
import jinja2.bccache
from markupsafe import Markup, escape

from glossary_ssg.config import SiteConfig
from glossary_ssg.errors import ContentErrors, Location, error
from glossary_ssg.fragments import FragmentCache
from glossary_ssg.site import Page


class CompiledTemplates(jinja2.BytecodeCache):
    """Templates compiled by an earlier build (from the snapshot, which signs them: this is code), and those
    compiled now, to keep. Compiling a theme takes longer than a quick build renders its pages. Jinja checks
    each against its template's source, so an edited template is compiled again."""

    def __init__(self, stored: Mapping[str, bytes] | None = None):
        self.stored = dict(stored or {})
        self.fresh: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self.stored.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.fresh[bucket.key] = self.stored[bucket.key] = bucket.bytecode_to_string()


def make_environment(themes: tuple[Path, ...], config: SiteConfig, fragments: FragmentCache | None = None,
                     compiled: CompiledTemplates | None = None) -> jinja2.Environment:
    """`fragments`: card HTML the last build left for these templates; `compiled`: where compiled templates
    are looked up and kept."""
    env = jinja2.Environment(
        bytecode_cache=compiled,
        loader=jinja2.FileSystemLoader([str(theme / "templates") for theme in themes]),
        autoescape=jinja2.select_autoescape(["html", "xml"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # templates cannot change during a build (serve makes a new environment for each)
    )
    base_path = config.base_path
    env.filters["url"] = lambda path: base_path + path
    env.filters["absolute_url"] = lambda path: config.base_url + path
    env.filters["article"] = indefinite_article
    env.filters["plural"] = counted
    env.filters["host"] = lambda url: urlsplit(url).hostname or ""
    env.filters["json_script"] = json_script
    env.filters["json_ld"] = lambda value: json_script(value, kind="application/ld+json")
    env.globals["site"] = config
    fragments = fragments if fragments is not None else FragmentCache()
    env.globals["remembered"] = fragments
    env.globals["remembered_each"] = fragments.each
    return env


def compile_all(env: jinja2.Environment) -> None:
    """Compile every template before the build forks its workers, which then share them. One that does not
    compile is left to fail where a page uses it, and be reported there."""
    for name in env.list_templates(filter_func=lambda name: name.endswith((".html", ".xml", ".txt"))):
        try:
            env.get_template(name)
        except jinja2.TemplateError:
            pass


def indefinite_article(word: str) -> str:
    """'an intermediate', 'a foundation': by the first letter, which suits level names."""
    return "an" if word[:1].lower() in "aeiou" else "a"


def json_script(value: object, element_id: str | None = None, kind: str = "application/json") -> Markup:
    """Data for scripts (or JSON-LD for search engines) in a <script> element: <, > and & are escaped
    inside the JSON strings, so a title such as '</script>' cannot end the element early."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    text = text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    identity = f' id="{escape(element_id)}"' if element_id else ""
    return Markup(f'<script type="{escape(kind)}"{identity}>{text}</script>')


def counted(number: int, noun: str) -> str:
    """'1 term', '2 terms'."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def render_page(env: jinja2.Environment, page: Page, context: Mapping[str, object], project_dir: Path) -> str:
    """Render one page with its resolved context; a broken theme template is reported at its own file and line."""
    try:
        return env.get_template(page.template).render(page=page, **context)
    except jinja2.TemplateSyntaxError as exc:
        where = _template_location(exc.filename, exc.lineno, project_dir)
        problem = exc.message
    except Exception as exc:  # a theme's template can fail in any way its expressions can
        filename, line = _innermost_template_frame(exc)
        if filename is None:
            raise  # not in a template: a bug of ours, keep the traceback
        where = _template_location(filename, line, project_dir)
        problem = exc.message if isinstance(exc, jinja2.TemplateError) else f"{type(exc).__name__}: {exc}"
    raise ContentErrors((error("template", f"{problem} (while rendering {page.output_file})", where),))


def _innermost_template_frame(exc: BaseException) -> tuple[str | None, int]:
    """Jinja rewrites tracebacks so template frames carry the template's file name and line."""
    found: tuple[str | None, int] = (None, 0)
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith((".html", ".xml", ".txt")):
            found = (filename, tb.tb_lineno)
        tb = tb.tb_next
    return found


def _template_location(filename: str | None, line: int | None, project_dir: Path) -> Location:
    if not filename:
        return Location("<template>")
    path = Path(filename)
    try:
        shown = path.resolve().relative_to(project_dir.resolve()).as_posix()
    except ValueError:
        shown = str(path)
    return Location(shown, line or 1, 1)
