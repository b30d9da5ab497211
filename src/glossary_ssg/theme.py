"""Find the theme: the project's own theme folder first, then the bundled default theme.

A project overrides any template or asset by giving a file the same name in
themes/<theme>/templates/ or themes/<theme>/static/.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from glossary_ssg.config import CONFIG_FILE, SiteConfig
from glossary_ssg.errors import Diagnostic, Location, error

DEFAULT_THEME = "default"


def bundled_theme_dir() -> Path:
    return Path(str(resources.files("glossary_ssg") / "themes" / DEFAULT_THEME))


def theme_dirs(project_dir: Path, config: SiteConfig) -> tuple[tuple[Path, ...], tuple[Diagnostic, ...]]:
    """The theme folders to search, most specific first."""
    bundled = bundled_theme_dir()
    own = project_dir / "themes" / config.theme
    if own.is_dir() and own.resolve() != bundled.resolve():
        return (own, bundled), ()
    if config.theme != DEFAULT_THEME and not own.is_dir():
        where = config.locations.get("theme", Location(CONFIG_FILE))
        return (bundled,), (error("config", f"theme '{config.theme}' not found: there is no folder "
                                            f"themes/{config.theme}/", where,
                                  f"create it, or use the bundled theme with 'theme: {DEFAULT_THEME}'"),)
    return (bundled,), ()


def static_files(themes: tuple[Path, ...]) -> dict[str, bytes]:
    """Every file under the themes' static/ folders by output path; earlier themes win."""
    files: dict[str, bytes] = {}
    for theme in reversed(themes):
        static = theme / "static"
        for path in sorted(static.rglob("*")) if static.is_dir() else ():
            if path.is_file():
                files[path.relative_to(static).as_posix()] = path.read_bytes()
    return files
