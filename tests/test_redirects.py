"""redirect_from keeps renamed entries' old addresses working on GitHub Pages."""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup
from conftest import run_cli


def rename_cache_with_redirect(site: Path, redirects: str) -> None:
    path = site / "content/terms/cache.md"
    path.write_text(path.read_text().replace("see_also: [cache-invalidation, replica]",
                                             f"see_also: [cache-invalidation, replica]\nredirect_from: {redirects}"))


def test_old_address_redirects(valid_site: Path, tmp_path: Path) -> None:
    rename_cache_with_redirect(valid_site, "[terms/caching-layer/, /terms/memo/]")
    result = run_cli("build", valid_site, "-o", tmp_path / "out")
    assert result.exit_code == 0, result.stderr
    page = BeautifulSoup((tmp_path / "out/terms/caching-layer/index.html").read_text(), "html.parser")
    assert page.find("meta", attrs={"http-equiv": "refresh"})["content"] == "0; url=/glossary/terms/cache/"
    assert page.find("link", rel="canonical")["href"] == "https://example.github.io/glossary/terms/cache/"
    assert page.find("a")["href"] == "/glossary/terms/cache/"
    assert (tmp_path / "out/terms/memo/index.html").is_file()
    assert "caching-layer" not in (tmp_path / "out/sitemap.xml").read_text()


def test_redirect_that_collides_with_a_page_is_an_error(valid_site: Path) -> None:
    rename_cache_with_redirect(valid_site, "[terms/replica/]")
    result = run_cli("check", valid_site)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        "content/terms/cache.md:11:17: error: redirect_from 'terms/replica/' is already a page "
        "(choose the old address this entry really had)")


def test_redirect_must_be_a_site_path(valid_site: Path) -> None:
    rename_cache_with_redirect(valid_site, "[https://evil.example/x, ../up]")
    lines = run_cli("check", valid_site, "--fast").stderr.splitlines()
    assert lines[0] == ("content/terms/cache.md:11:17: error: 'https://evil.example/x' is not a page path of this "
                        "site (write it like terms/old-slug/, without the site's address)")
    assert lines[1].startswith("content/terms/cache.md:11:41: error: '../up' is not a page path")
