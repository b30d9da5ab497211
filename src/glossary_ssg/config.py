"""The site configuration (glossary.yml): schema, defaults and validation.

Every key is declared in CONFIG_KEYS with what it means; unknown keys are
warnings with a did-you-mean rather than silently ignored.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Mapping
from urllib.parse import urlsplit

from glossary_ssg import located_yaml
from glossary_ssg.errors import Diagnostic, Location, UsageError, error, warning
from glossary_ssg.located_yaml import INVALID, Located
from glossary_ssg.model import Area, frozen_map
from glossary_ssg.paths import Slug, is_slug
from glossary_ssg.source_text import decode
from glossary_ssg.suggest import did_you_mean

CONFIG_FILE = "glossary.yml"
DEFAULT_LEVELS = ("foundation", "intermediate", "advanced")

CONFIG_KEYS: Mapping[str, str] = {
    "title": "The site's name, shown in every page header and title.",
    "description": "One sentence about the glossary, used on the home page and in metadata.",
    "base_url": "Where the site is published, e.g. https://example.github.io/glossary/; "
                "its path is the prefix of every link.",
    "language": "The content's language as a BCP 47 tag, e.g. 'en'.",
    "theme": "The theme folder under themes/; files there override the default theme's.",
    "areas": "The areas of system design: slug -> {title, description}.",
    "levels": "The levels, from easiest to hardest.",
    "diagram_renderer": "What turns Mermaid into SVG: mermaidx (default, no browser), mmdc (mermaid-cli with "
                        "Chromium) or ink (a mermaid.ink server named by MERMAID_INK_SERVER).",
    "cache_dir": "Where rendered diagrams and the build cache are kept between builds, relative to the project; "
                 "CI can keep it.",
    "autolink": "Link the first plain mention of another term's title or alias in a body (true or false).",
    "concept_maps": "Give every term page a concept map of its links (true or false): one diagram per term.",
    "home_definitions_up_to": "Up to this many terms, the home page's A-Z index shows each term's definition; "
                              "a larger glossary lists titles there, so the page stays light on phones and an "
                              "edited definition leaves it as it is (a whole number; default 1000).",
}
HOME_DEFINITIONS_UP_TO = 1000
DIAGRAM_RENDERERS = ("mermaidx", "mmdc", "ink")
DEFAULT_CACHE_DIR = ".glossary-cache"


@dataclass(frozen=True)
class SiteConfig:
    title: str
    description: str
    base_url: str  # always ends with "/"
    language: str
    theme: str
    areas: Mapping[Slug, Area]  # in the order written in glossary.yml
    levels: tuple[str, ...]
    diagram_renderer: str
    cache_dir: str
    autolink: bool
    concept_maps: bool
    home_definitions_up_to: int
    locations: Mapping[str, Location]  # key -> where its value is written, for later diagnostics

    @property
    def has_host(self) -> bool:
        """Canonical links and the sitemap need absolute URLs, which a path-only base_url cannot give."""
        return bool(urlsplit(self.base_url).netloc)

    @property
    def base_path(self) -> str:
        """The URL path every page lives under, '/' for a user site, '/glossary/' for a project site."""
        return urlsplit(self.base_url).path or "/"

    def with_base_url(self, base_url: str) -> SiteConfig:
        return replace(self, base_url=normalise_base_url(base_url))

    def with_diagram_renderer(self, name: str) -> SiteConfig:
        return replace(self, diagram_renderer=name)


def normalise_base_url(url: str) -> str:
    return url if url.endswith("/") else url + "/"


def base_url_problem(url: str) -> str | None:
    parts = urlsplit(url)
    if parts.query or parts.fragment:
        return "base_url cannot have a query (?…) or a fragment (#…)"
    if parts.scheme in ("http", "https") and parts.netloc:
        return None
    if not parts.scheme and not parts.netloc and url.startswith("/"):
        return None
    return "base_url must be an absolute URL such as https://example.github.io/glossary/ or a path such as /glossary/"


def load_config(project_dir: Path) -> tuple[SiteConfig | None, tuple[Diagnostic, ...]]:
    path = project_dir / CONFIG_FILE
    if not path.is_file():
        raise UsageError(f"{project_dir} is not a glossary project: it has no {CONFIG_FILE}")
    text, problem = decode(path.read_bytes(), CONFIG_FILE, empty_hint="give it at least a 'title:'")
    if problem:
        return None, (problem,)
    try:
        root, problems = located_yaml.parse(text, CONFIG_FILE)
    except located_yaml.YamlSyntaxError as exc:
        return None, (exc.diagnostic,)
    reader = _ConfigReader(problems)
    config = reader.read(root or Located({}, Location(CONFIG_FILE, 1, 1)))
    return config, tuple(reader.diagnostics)


class _ConfigReader:
    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = diagnostics

    def problem(self, message: str, where: Location, hint: str | None = None) -> None:
        self.diagnostics.append(error("config", message, where, hint))

    def read(self, root: Located) -> SiteConfig | None:
        if not isinstance(root.value, dict):
            self.problem(f"{CONFIG_FILE} must be a set of 'key: value' lines", root.location)
            return None
        entries = root.value
        for key, entry in entries.items():
            if key not in CONFIG_KEYS:
                self.diagnostics.append(warning("unknown-key", f"unknown key '{key}' in {CONFIG_FILE}",
                                                entry.key_location, did_you_mean(key, CONFIG_KEYS)))
        title = self.text(entries, "title", root.location, required=True)
        base_url = self.text(entries, "base_url", root.location, default="/")
        if base_url and (problem := base_url_problem(base_url)):
            self.problem(problem, entries["base_url"].value.location)
        elif not urlsplit(base_url).netloc:
            where = entries["base_url"].value.location if "base_url" in entries else root.location
            self.diagnostics.append(warning(
                "base-url-host", "base_url has no host, so pages get no canonical link and there is no sitemap",
                where, "give the full address, e.g. base_url: https://example.github.io/glossary/"))
        config = SiteConfig(
            title=title,
            description=self.text(entries, "description", root.location, default=""),
            base_url=normalise_base_url(base_url),
            language=self.text(entries, "language", root.location, default="en"),
            theme=self.text(entries, "theme", root.location, default="default"),
            areas=self.areas(entries.get("areas")),
            levels=self.levels(entries.get("levels")),
            diagram_renderer=self.choice(entries, "diagram_renderer", DIAGRAM_RENDERERS, root.location),
            cache_dir=self.text(entries, "cache_dir", root.location, default=DEFAULT_CACHE_DIR),
            autolink=self.flag(entries, "autolink", default=True),
            concept_maps=self.flag(entries, "concept_maps", default=True),
            home_definitions_up_to=self.count(entries, "home_definitions_up_to", default=HOME_DEFINITIONS_UP_TO),
            locations=frozen_map((key, entry.value.location) for key, entry in entries.items()),
        )
        if config.theme and not is_slug(config.theme):
            self.problem(f"theme '{config.theme}' is not a folder name", entries["theme"].value.location,
                         "use lowercase words joined by hyphens")
        return config

    def text(self, entries, key: str, where: Location, *, required: bool = False, default: str = "") -> str:
        entry = entries.get(key)
        if entry is None:
            if required:
                self.problem(f"missing required key '{key}'", where, f"add '{key}: ...' to {CONFIG_FILE}")
            return default
        value = entry.value.value
        if value is INVALID:
            return default
        if not isinstance(value, str) or not value.strip():
            self.problem(f"'{key}' must be text", entry.value.location)
            return default
        return value.strip()

    def flag(self, entries, key: str, default: bool) -> bool:
        entry = entries.get(key)
        if entry is None or entry.value.value is INVALID:
            return default
        if not isinstance(entry.value.value, bool):
            self.problem(f"'{key}' must be true or false", entry.value.location)
            return default
        return entry.value.value

    def count(self, entries, key: str, default: int) -> int:
        entry = entries.get(key)
        if entry is None or entry.value.value is INVALID:
            return default
        value = entry.value.value
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            self.problem(f"'{key}' must be a whole number, 0 or more", entry.value.location,
                         f"for example: {key}: {default}")
            return default
        return value

    def choice(self, entries, key: str, allowed: tuple[str, ...], where: Location) -> str:
        value = self.text(entries, key, where, default=allowed[0])
        if value not in allowed:
            self.problem(f"unknown {key} '{value}'", entries[key].value.location,
                         did_you_mean(value, allowed) or f"choose one of: {', '.join(allowed)}")
            return allowed[0]
        return value

    def areas(self, entry) -> Mapping[Slug, Area]:
        if entry is None:
            return frozen_map({})
        if not isinstance(entry.value.value, dict):
            self.problem("'areas' must map area slugs to a title and a description", entry.value.location,
                         "for example: areas: {caching: {title: Caching, description: ...}}")
            return frozen_map({})
        areas = {}
        for slug, area in entry.value.value.items():
            if not is_slug(slug):
                self.problem(f"area slug '{slug}' must be lowercase words joined by hyphens", area.key_location)
                continue
            fields = area.value.value if isinstance(area.value.value, dict) else None
            if fields is None:
                self.problem(f"area '{slug}' must have a title and a description", area.value.location)
                continue
            for key, field in fields.items():
                if key not in ("title", "description"):
                    self.diagnostics.append(warning("unknown-key", f"unknown key '{key}' in area '{slug}'",
                                                    field.key_location, did_you_mean(key, ["title", "description"])))
            title = self.text(fields, "title", area.key_location, required=True)
            description = self.text(fields, "description", area.key_location)
            areas[Slug(slug)] = Area(Slug(slug), title or slug, description)
        return frozen_map(areas)

    def levels(self, entry) -> tuple[str, ...]:
        if entry is None:
            return DEFAULT_LEVELS
        items = entry.value.value
        if not isinstance(items, tuple) or not items:
            self.problem("'levels' must be a list of level names, easiest first", entry.value.location)
            return DEFAULT_LEVELS
        levels = []
        for item in items:
            if not isinstance(item.value, str) or not is_slug(item.value):
                self.problem("each level must be a lowercase word such as 'foundation'", item.location)
            elif item.value in levels:
                self.problem(f"level '{item.value}' is listed twice", item.location)
            else:
                levels.append(item.value)
        return tuple(levels) or DEFAULT_LEVELS
