"""Reading and finding, in a real browser: search, term previews and the theme toggle."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser import build_served, serve
from conftest import copy_site


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    project = copy_site(tmp_path_factory.mktemp("project"))
    lesson = project / "content/lessons/replication-basics.md"
    lesson.write_text(lesson.read_text() + "\nA [[Read replica]] lags behind; see also [[cache|the cache]].\n")
    return build_served(project, tmp_path_factory.mktemp("served"))


@pytest.fixture
def open_page(site, browser):
    contexts = []

    def open_(path: str, **options):
        context = browser.new_context(**options)
        contexts.append(context)
        page = context.new_page()
        page.goto(origin + "/glossary/" + path)
        return page

    with serve(site) as origin:
        yield open_
        for context in contexts:
            context.close()


def test_search_finds_a_term_by_alias_and_the_keyboard_opens_it(open_page) -> None:
    page = open_page("")
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "search-input"
    page.keyboard.type("read repl")
    page.wait_for_selector("#search-results [role=option]")
    first = page.locator("#search-results [role=option]").first
    assert first.locator(".search-result-title").inner_text() == "Replica"
    assert "also called Read replica" in first.inner_text()
    assert page.get_attribute("#search-input", "aria-expanded") == "true"
    page.keyboard.press("Enter")
    page.wait_for_url("**/glossary/terms/replica/")
    assert page.locator("h1").inner_text() == "Replica"


def test_search_ranks_exact_then_prefix_then_text(open_page) -> None:
    page = open_page("")
    page.fill("#search-input", "cache")
    # "Caching Basics" matches only in its summary ("Why caches speed…"): it shows once the text index loads
    page.wait_for_function("[...document.querySelectorAll('#search-results .search-result-title')]"
                           ".some(e => e.textContent === 'Caching Basics')")
    titles = page.locator("#search-results .search-result-title").all_inner_texts()
    assert titles == ["Cache", "Cache Invalidation", "Cache Patterns", "Caching Basics"]  # terms before lessons
    page.fill("#search-input", "copy of a database")
    page.wait_for_selector("#search-results [role=option]")
    assert page.locator("#search-results .search-result-title").all_inner_texts() == ["Replica"]
    page.keyboard.press("Escape")
    assert page.locator("#search-results").is_hidden()


def test_arrow_keys_move_through_results(open_page) -> None:
    page = open_page("")
    page.fill("#search-input", "cach")
    page.wait_for_selector("#search-results [role=option]")
    page.keyboard.press("ArrowDown")
    assert page.get_attribute("#search-input", "aria-activedescendant") == "search-result-1"
    second = page.locator("#search-result-1 .search-result-title").inner_text()
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == second


def test_without_javascript_search_leads_to_the_index(open_page) -> None:
    page = open_page("terms/cache/", java_script_enabled=False)
    page.fill("#search-input", "replica")
    page.press("#search-input", "Enter")
    page.wait_for_load_state()
    assert page.url.endswith("/glossary/?q=replica#a-z")
    assert page.locator("#a-z").is_visible()


def test_preview_on_hover_and_on_focus(open_page) -> None:
    page = open_page("lessons/replication-basics/")
    link = page.locator(".body a.term-link", has_text="Read replica")
    link.hover()
    preview = page.locator("#term-preview")
    preview.wait_for(state="visible")
    assert preview.locator(".term-preview-title").inner_text() == "Replica"
    assert preview.locator(".term-preview-meta").inner_text() == "advanced · Data Storage"
    assert preview.locator(".term-preview-definition").inner_text() == (
        "A copy of a database that follows the primary's changes.")
    assert link.get_attribute("aria-describedby") == "term-preview"
    page.keyboard.press("Escape")
    assert preview.is_hidden()
    other = page.locator(".body a.term-link", has_text="the cache")
    other.focus()
    preview.wait_for(state="visible")
    assert preview.locator(".term-preview-title").inner_text() == "Cache"


def test_preview_on_touch_links_through(open_page) -> None:
    page = open_page("lessons/replication-basics/", has_touch=True, is_mobile=True,
                     viewport={"width": 390, "height": 800})
    link = page.locator(".body a.term-link", has_text="Read replica")
    link.tap()
    preview = page.locator("#term-preview")
    preview.wait_for(state="visible")
    assert page.url.endswith("/lessons/replication-basics/")  # the first tap only shows the preview
    preview.locator("a", has_text="Open Replica").tap()
    page.wait_for_url("**/terms/replica/")


def test_theme_toggle_survives_a_reload(open_page) -> None:
    page = open_page("terms/cache/", color_scheme="light")
    toggle = page.locator(".theme-toggle")
    assert toggle.is_visible() and toggle.get_attribute("aria-pressed") == "false"
    assert toggle.inner_text() == "Dark theme"
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    toggle.click()
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") != background
    page.reload()
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"
    assert page.locator(".theme-toggle").get_attribute("aria-pressed") == "true"
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") != background
    page.locator(".theme-toggle").click()
    page.reload()
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == background


def test_toggle_switches_diagrams_and_code(open_page) -> None:
    page = open_page("lessons/caching-basics/", color_scheme="light")
    assert page.locator("#diagram-1 .diagram-light svg").is_visible()
    light_code = page.evaluate("getComputedStyle(document.querySelector('.highlight')).backgroundColor")
    page.locator(".theme-toggle").click()
    assert page.locator("#diagram-1 .diagram-dark svg").is_visible()
    assert page.locator("#diagram-1 .diagram-light svg").is_hidden()
    assert page.evaluate("getComputedStyle(document.querySelector('.highlight')).backgroundColor") != light_code
