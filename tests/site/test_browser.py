"""Every page of both languages, as Chromium loads it from a local server."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from tests.conftest import LANGUAGES, SCREENSHOTS, page_url, source_pages

PAGES = [f"{folder}{page_url(page)}" for lang, folder in LANGUAGES.items() for page in source_pages(lang)]
PAGES += [f"{folder}notebooks/complete_example/" for folder in LANGUAGES.values()]
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "mobile": {"width": 390, "height": 844}}


def open_page(browser, site_url: str, path: str, viewport: dict):
    """Load a page, recording console errors, failed requests and every URL requested."""
    page = browser.new_page(viewport=viewport)
    record = {"errors": [], "failed": [], "requests": []}
    page.on("console", lambda m: m.type == "error" and record["errors"].append(m.text))
    page.on("pageerror", lambda e: record["errors"].append(str(e)))
    page.on("requestfailed", lambda r: record["failed"].append(r.url))
    page.on("request", lambda r: record["requests"].append(r.url))
    page.goto(site_url + path, wait_until="networkidle")
    return page, record


@pytest.mark.browser
@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("path", PAGES)
def test_page_loads_cleanly_from_this_site_alone(browser, site_url: str, path: str, viewport: str):
    page, record = open_page(browser, site_url, path, VIEWPORTS[viewport])
    try:
        own = urlsplit(site_url).netloc
        foreign = [u for u in record["requests"] if urlsplit(u).scheme in ("http", "https", "ws", "wss") and urlsplit(u).netloc != own]
        assert foreign == [], f"{path}: requests to other hosts"
        assert record["failed"] == [], f"{path}: failed requests"
        assert record["errors"] == [], f"{path}: console errors"
        broken = page.eval_on_selector_all(
            "article img", "imgs => imgs.filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src)"
        )
        assert broken == [], f"{path}: images that did not load"
        raw_math = page.eval_on_selector_all(
            ".arithmatex", "els => els.filter(e => !e.querySelector('.katex')).map(e => e.textContent)"
        )
        assert raw_math == [], f"{path}: math left as LaTeX source"
        text = page.inner_text("article")
        assert not re.search(r"\\\(|\\\[|\$\$", text), f"{path}: raw LaTeX delimiters visible"
        SCREENSHOTS.mkdir(exist_ok=True)
        name = (path.strip("/").replace("/", "_") or "home") + f"-{viewport}.png"
        page.screenshot(path=str(SCREENSHOTS / name), full_page=True)
    finally:
        page.close()


@pytest.mark.browser
@pytest.mark.parametrize("path", [p for p in PAGES if not p.startswith("zh/")])
def test_language_selector_goes_to_the_same_page_and_back(browser, site_url: str, path: str):
    page, _ = open_page(browser, site_url, path, VIEWPORTS["desktop"])
    try:
        page.click(".md-header__option .md-select button")
        page.click('.md-select__link[hreflang="zh"]')
        page.wait_for_load_state()
        assert page.url == site_url + "zh/" + path
        assert page.get_attribute("html", "lang") == "zh"
        page.click(".md-header__option .md-select button")
        page.click('.md-select__link[hreflang="en"]')
        page.wait_for_load_state()
        assert page.url == site_url + path
    finally:
        page.close()


@pytest.mark.browser
@pytest.mark.parametrize(
    ("folder", "query", "expected"),
    [
        ("", "overfitting", "complete-example/"),
        ("zh/", "过拟合", "zh/complete-example/"),
        ("zh/", "随机失活", "zh/"),
    ],
)
def test_search_finds_the_page(browser, site_url: str, folder: str, query: str, expected: str):
    page, _ = open_page(browser, site_url, folder, VIEWPORTS["desktop"])
    try:
        page.click(".md-search__input")
        page.fill(".md-search__input", query)
        page.keyboard.press("End")  # a key event, as typing (or an IME) sends
        page.wait_for_selector(".md-search-result__item", timeout=10_000)
        links = page.eval_on_selector_all(
            ".md-search-result__item > a", "as => as.map(a => a.href)"
        )
        paths = [urlsplit(link).path.lstrip("/") for link in links]
        assert expected in paths[:3], f"{query!r}: {expected} is not among the first results {paths}"
    finally:
        page.close()
