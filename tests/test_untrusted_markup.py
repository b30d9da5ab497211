"""Untrusted Markdown and diagrams: every way of sneaking script into the site comes out safe."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import entry, is_our_script, run_cli

from glossary_ssg.diagrams.phase import DiagramSet
from glossary_ssg.diagrams.svg_safety import clean_svg
from glossary_ssg.errors import Location
from glossary_ssg.markup.render import MarkdownRenderer


def render(markdown_text: str) -> str:
    return MarkdownRenderer(DiagramSet({}, 0, 0), base_heading_level=1).render(markdown_text, Location("x.md", 1))


@pytest.mark.parametrize("source, safe", [
    ("<script>alert(1)</script>\n\nHello", "\n\n<p>Hello</p>"),
    ("Hi <SCRIPT>alert(1)</SCRIPT> there", "<p>Hi  there</p>"),
    ('<img src="cat.png" alt="A cat" onerror="alert(1)">', '<p><img src="cat.png" alt="A cat"></p>'),
    ("[a](javascript:alert(1)) [b](JaVaScRiPt:alert(1)) [c](jav&#x09;ascript:alert(1))",
     "<p><a>a</a> <a>b</a> <a>c</a></p>"),
    ("[d](vbscript:msgbox(1)) [e](data:text/html;base64,PHNjcmlwdD4=)", "<p><a>d</a> <a>e</a></p>"),
    ('<a href="&#106;avascript:alert(1)">x</a>', "<p><a>x</a></p>"),
    ('<iframe src="https://evil.example"></iframe><object data="x"></object><embed src="x">', "\n\n<p></p>"),
    ('<form action="/x"><input name="a"></form>', ""),
    ('<base href="https://evil.example/"><meta http-equiv="refresh" content="0;url=https://evil.example">',
     "<p></p>"),
    ("<style>body{display:none}</style>Text", "\n<p>Text</p>"),
    ('Para {: onclick="alert(1)" }', '<p>Para {: onclick="alert(1)" }</p>'),
    ('<p onmouseover="alert(1)" style="color:red">x</p>', "<p>x</p>"),
    ('<svg onload="alert(1)"><circle r="1"/></svg>', "<p></p>"),
    ("<details><summary>More</summary>\n\nHidden\n</details>", "<details><summary>More</summary>\n\nHidden\n</details>"),
    ("[ok](https://example.org/a) [rel](/terms/x/) [mail](mailto:a@example.org)",
     '<p><a href="https://example.org/a">ok</a> <a href="/terms/x/">rel</a> <a href="mailto:a@example.org">mail</a></p>'),
])
def test_markdown_html_is_sanitised(source: str, safe: str) -> None:
    assert render(source) == safe


def test_table_alignment_survives_but_no_other_style() -> None:
    html = render("| a | b |\n|:--|--:|\n| 1 | 2 |")
    assert '<th style="text-align:left">a</th>' in html
    assert re.findall(r'style="([^"]*)"', html) == ["text-align:left", "text-align:right"] * 2


def test_sanitising_keeps_our_own_blocks() -> None:
    html = render("```python\nx = '<script>'\n```")
    assert '<div class="highlight code-block" data-language="python">' in html
    assert "&lt;script&gt;" in html and "<script>" not in html


@pytest.mark.parametrize("svg, safe", [
    ('<svg viewBox="0 0 1 1" onload="alert(1)"><script>alert(2)</script><text>hi</text></svg>',
     '<svg viewBox="0 0 1 1"><text>hi</text></svg>'),
    ('<svg><foreignObject><div onclick="x()">label</div></foreignObject></svg>', "<svg></svg>"),
    ('<svg><a xlink:href="JaVa&#x09;ScRiPt:alert(1)" href="#ok"><text>x</text></a></svg>',
     '<svg><a href="#ok"><text>x</text></a></svg>'),
    ('<svg><a href="https://evil.example"><text>x</text></a></svg>', "<svg><a><text>x</text></a></svg>"),
    ('<svg><rect ONCLICK="x" style="fill:url(https://evil.example/t.png)" width="1"/></svg>',
     '<svg><rect width="1"/></svg>'),
    ('<svg><style>@import url(https://evil.example/x.css); .a{fill:url(#g)} .b{background:url(//e)}</style></svg>',
     "<svg><style> .a{fill:url(#g)} .b{background:}</style></svg>"),
    ('<svg><linearGradient id="g"><stop offset="0"/></linearGradient><use href="data:image/svg+xml,x"/></svg>',
     '<svg><linearGradient id="g"><stop offset="0"/></linearGradient></svg>'),
    ("<svg><text>A &amp; B &lt;script&gt;</text><!-- note --></svg>", "<svg><text>A &amp; B &lt;script&gt;</text></svg>"),
])
def test_diagram_svg_is_cleaned(svg: str, safe: str) -> None:
    assert clean_svg(svg) == safe


def test_built_pages_carry_no_script_from_content(make_site, tmp_path: Path) -> None:
    hostile = ('<script>alert(1)</script>\n\n<img src=x onerror=alert(1) alt=x>\n\n'
               '[click](javascript:alert(1))\n\n```mermaid\nflowchart LR\n  A["<script>alert(2)</script>"] --> B\n```\n')
    project = make_site({
        "content/terms/alpha.md": entry('"</script><script>alert(3)</script>"', see_also="[beta]",
                                        summary='"<b onmouseover=alert(4)>Bold</b> claim"') + hostile,
        "content/terms/beta.md": entry("Beta", see_also="[alpha]"),
    })
    result = run_cli("build", project, "-o", tmp_path / "out")
    assert result.exit_code == 0, result.stderr
    for page in (tmp_path / "out").rglob("*.html"):
        soup = BeautifulSoup(page.read_text(), "html.parser")
        assert all(is_our_script(tag) for tag in soup.find_all("script")), page
        assert not [name for tag in soup.find_all(True) for name in tag.attrs if name.lower().startswith("on")]
        assert not [tag for tag in soup.find_all(href=True) if "script:" in tag["href"].lower()]
    html = (tmp_path / "out/terms/alpha/index.html").read_text()
    assert "&lt;/script&gt;&lt;script&gt;alert(3)&lt;/script&gt;" in html  # the title, shown as written


def test_json_for_scripts_cannot_break_out_of_its_element() -> None:
    import json

    from glossary_ssg.templates import json_script
    title = "</script><script>alert(1)</script> & <!-- \u2028"
    html = str(json_script({"title": title}, "data"))
    soup = BeautifulSoup(f"<body>{html}</body>", "html.parser")
    assert len(soup.find_all("script")) == 1
    assert json.loads(soup.script.string) == {"title": title}
    assert "</script><script>" not in html
