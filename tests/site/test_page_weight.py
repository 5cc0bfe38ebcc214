"""What a first visit loads (issue 7's page weight): math arrives rendered, search
loads when the reader searches, figures below the first screen when the reader
scrolls, and the server compresses text as GitHub Pages does."""

from __future__ import annotations

import gzip
import re
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import LANGUAGES, Build

DESKTOP = {"width": 1280, "height": 900}
SEARCH = re.compile(r"/search/search_index\.json$|/workers/search\.[\w.]+\.js$")


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("index.html"))


def test_math_is_rendered_at_build_time_and_no_page_loads_katex_javascript(
    built_site: Build, tally
):
    with_math = 0
    for path in html_pages(built_site.site):
        text = path.read_text(encoding="utf-8")
        where = path.relative_to(built_site.site)
        assert "katex.min.js" not in text and "auto-render" not in text, where
        formulas = re.findall(r'<(?:span|div) class="arithmatex">(.{0,40})', text)
        assert all(f.startswith('<span class="katex') for f in formulas), (where, formulas[:3])
        if formulas:
            with_math += 1
            assert "katex-swap.min.css" in text, f"{where}: math without KaTeX's stylesheet"
        else:
            assert "katex-swap.min.css" not in text, f"{where}: KaTeX's CSS on a page with no math"
        tally["pages checked for build-time math"] += 1
    assert with_math >= 2 * 6, f"only {with_math} pages have math; the check found no formulas?"


def test_figures_have_their_size_and_wait_below_the_first_screen(built_site: Build):
    text = (built_site.site / "overfitting" / "index.html").read_text(encoding="utf-8")
    images = re.findall(r"<img [^>]*>", text)
    assert len(images) >= 3, images
    for number, tag in enumerate(images):
        assert re.search(r' width="\d+" height="\d+"', tag), tag
        assert ('loading="lazy"' in tag) == (number > 0), tag


def test_the_test_server_compresses_text_like_github_pages(site_url: str):
    request = urllib.request.Request(site_url, headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request) as response:
        assert response.headers["Content-Encoding"] == "gzip"
        assert b"<html" in gzip.decompress(response.read())
    figure = site_url + "figures/complete_example/complete_example.png"
    request = urllib.request.Request(figure, headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request) as response:
        assert response.headers["Content-Encoding"] is None  # PNG is compressed already
        assert response.read().startswith(b"\x89PNG")


@pytest.mark.browser
@pytest.mark.parametrize(("folder", "query"), [("", "thinned"), ("zh/", "过拟合")])
def test_search_loads_only_when_the_reader_starts_to_search(
    browser, site_url: str, folder: str, query: str
):
    page = browser.new_page(viewport=DESKTOP)
    requested: list[str] = []
    page.context.on("request", lambda r: requested.append(r.url))
    try:
        page.goto(site_url + folder + "how-dropout-works/", wait_until="networkidle")
        page.wait_for_timeout(500)
        assert not [u for u in requested if SEARCH.search(u)], "search loaded with the page"
        page.keyboard.press("/")  # Material's shortcut: opens and focuses search
        page.keyboard.type(query)
        page.wait_for_selector(".md-search-result__item", timeout=15_000)
        assert len([u for u in requested if SEARCH.search(u)]) == 2, requested
    finally:
        page.close()


@pytest.mark.browser
@pytest.mark.parametrize("folder", LANGUAGES.values())
def test_figures_below_the_first_screen_load_when_scrolled_to(browser, site_url: str, folder: str):
    page = browser.new_page(viewport=DESKTOP)
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    try:
        page.goto(site_url + folder + "overfitting/", wait_until="networkidle")
        pngs = [u for u in requested if u.endswith(".png") and "/figures/" in u]
        assert pngs == [site_url + folder + "figures/overfitting/overfitting_curves.png"]
        images = page.locator("article img").all()
        for image in images:  # a reader scrolling down the page
            image.scroll_into_view_if_needed()
            page.wait_for_timeout(200)
        page.wait_for_function(
            "[...document.querySelectorAll('article img')]"
            ".every(i => i.complete && i.naturalWidth > 0)"
        )
        assert len([u for u in requested if "/figures/" in u]) == len(images)
    finally:
        page.close()


@pytest.mark.browser
def test_a_search_link_with_a_query_loads_search_at_once(browser, site_url: str):
    page = browser.new_page(viewport=DESKTOP)
    try:
        page.goto(site_url + "?q=overfitting", wait_until="networkidle")
        page.wait_for_selector(".md-search-result__item", timeout=15_000)
    finally:
        page.close()
