"""Pick the diagram renderer named in glossary.yml or on the command line."""

from __future__ import annotations

from pathlib import Path

from glossary_ssg.diagrams.renderer import DiagramRenderer, RendererUnavailable


def make_renderer(name: str, project_dir: Path) -> DiagramRenderer:
    """Raises RendererUnavailable when the renderer cannot run on this machine."""
    if name == "mmdc":
        from glossary_ssg.diagrams.mmdc_renderer import MmdcRenderer
        return MmdcRenderer(project_dir)
    if name == "ink":
        from glossary_ssg.diagrams.ink_renderer import InkRenderer
        return InkRenderer()
    from glossary_ssg.diagrams.mermaidx_renderer import MermaidxRenderer
    return MermaidxRenderer()


def renderer_identity(name: str, project_dir: Path) -> str:
    """The diagram renderer and its version: a new version renders diagrams again, so nothing is up to date."""
    try:
        return make_renderer(name, project_dir).identity()
    except (RendererUnavailable, OSError, ValueError, KeyError) as exc:
        return f"{name} unavailable: {exc}"
