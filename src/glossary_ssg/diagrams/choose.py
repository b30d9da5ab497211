"""Pick the diagram renderer named in glossary.yml or on the command line."""

from __future__ import annotations

from pathlib import Path

from glossary_ssg.diagrams.renderer import DiagramRenderer


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
