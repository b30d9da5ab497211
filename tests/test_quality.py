"""The quality bar on the built bundled glossary, served under a sub-path as on GitHub Pages:
no accessibility violations (axe-core) in light and dark, no request leaving the site's origin."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser import build_served, serve
from conftest import NODE_MODULES, ROOT, bundled_build, require

AXE = NODE_MODULES / "axe-core" / "axe.min.js"
PAGES = ["", "lessons/", "areas/caching/", "levels/advanced/", "terms/microservices/", "terms/cap-theorem/",
         "terms/rest/", "lessons/saga-pattern/", "lessons/consensus-with-raft/", "lessons/caching-strategies/",
         "404.html"]


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    with bundled_build():
        return build_served(ROOT, tmp_path_factory.mktemp("served"), "--base-url",
                            "https://example.github.io/glossary/")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_violations(site: Path, browser, scheme: str) -> None:
    require(AXE.is_file(), "npm package axe-core")
    found = {}
    with serve(site) as origin:
        context = browser.new_context(color_scheme=scheme)
        page = context.new_page()
        for path in PAGES:
            page.goto(f"{origin}/glossary/{path}")
            page.add_script_tag(path=str(AXE))
            violations = page.evaluate("""async () => (await axe.run(document, {resultTypes: ['violations']}))
                .violations.map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(', '))""")
            if violations:
                found[path] = violations
        context.close()
    assert found == {}


def test_no_request_leaves_the_origin(site: Path, browser) -> None:
    with serve(site) as origin:
        context = browser.new_context()
        page = context.new_page()
        requested = []
        page.on("request", lambda request: requested.append(request.url))
        for path in ["", "terms/microservices/", "lessons/saga-pattern/"]:
            page.goto(f"{origin}/glossary/{path}")
            page.fill("#search-input", "gateway")
            page.wait_for_selector("#search-results [role=option]")
            page.locator(".body a.term-link").first.hover() if page.locator(".body a.term-link").count() else None
        context.close()
    assert requested
    assert [url for url in requested if not url.startswith(origin + "/glossary/")] == []
