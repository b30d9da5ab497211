"""Find the theme: the project's own theme folder first, then the bundled default theme.

A project overrides any template or asset by giving a file the same name in
themes/<theme>/templates/ or themes/<theme>/static/.
"""

from __future__ import annotations

from pathlib import Path

from glossary_ssg.config import CONFIG_FILE, SiteConfig
from glossary_ssg.content_files import is_inside
from glossary_ssg.errors import Diagnostic, Location, error, warning

DEFAULT_THEME = "default"


def bundled_theme_dir() -> Path:
    return Path(__file__).parent / "themes" / DEFAULT_THEME  # files of the installed package


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


def static_files(themes: tuple[Path, ...], project_dir: Path) -> tuple[dict[str, bytes], tuple[Diagnostic, ...]]:
    """Every file under the themes' static/ folders by output path; earlier themes win.

    A symlink that leads out of its theme is skipped with a warning: a theme
    must not be a way to publish files from the machine that builds it.
    """
    files: dict[str, bytes] = {}
    problems = []
    for theme in reversed(themes):
        static = theme / "static"
        root = static.resolve()
        for path in sorted(static.rglob("*")) if static.is_dir() else ():
            if not is_inside(path, root):
                problems.append(warning("symlink", "this symlink leads outside its theme; it is not published",
                                        Location(_shown(path, project_dir))))
            elif path.is_file():
                files[path.relative_to(static).as_posix()] = path.read_bytes()
    return files, tuple(problems)


def _shown(path: Path, project_dir: Path) -> str:
    try:
        return path.relative_to(project_dir).as_posix()
    except ValueError:
        return str(path)
