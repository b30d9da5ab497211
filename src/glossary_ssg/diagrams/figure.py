"""The HTML of one diagram on a page: light and dark SVG, a caption, and its source folded away."""

from __future__ import annotations

import html

from glossary_ssg.diagrams.describe import accessible_description, accessible_name
from glossary_ssg.diagrams.phase import DiagramSet
from glossary_ssg.diagrams.svg import prepare_svg


def diagram_figure(diagrams: DiagramSet, source: str, prefix: str, caption: str | None = None,
                   heading: str | None = None) -> str:
    name = accessible_name(source, caption, heading)
    description = accessible_description(source, caption, heading)
    variants = "".join(
        f'<div class="diagram-{variant}">'
        f'{prepare_svg(diagrams.svg(source, variant), f"{prefix}-{variant}", name, description)}</div>'
        for variant in ("light", "dark"))
    figcaption = f"<figcaption>{html.escape(caption)}</figcaption>" if caption else ""
    # The source sits after the figure: a <figure>'s caption must be its first or last child.
    return (f'<div class="diagram-block"><figure class="diagram" id="{prefix}">{variants}{figcaption}</figure>'
            f'<details class="diagram-source"><summary>Diagram source</summary>'
            f'<pre tabindex="0"><code class="language-mermaid">{html.escape(source)}</code></pre></details></div>')
