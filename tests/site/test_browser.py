"""Every page of both languages, as Chromium loads it from a local server."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.conftest import (
    LANGUAGES,
    ROOT,
    SCREENSHOTS,
    Build,
    load_lazy_images,
    mkdocs_config,
    page_url,
    serve,
    source_pages,
)
from tests.site.search import search_results

NOTEBOOKS = sorted(mkdocs_config()["extra"]["examples"])
PAGES = [
    f"{folder}{page_url(page)}" for lang, folder in LANGUAGES.items() for page in source_pages(lang)
]
PAGES += [f"{folder}notebooks/{name}/" for folder in LANGUAGES.values() for name in NOTEBOOKS]
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "mobile": {"width": 390, "height": 844}}
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SERIOUS = ("serious", "critical")
AXE_CHECK = "serious or critical accessibility violations (axe-core)"
FULL_PAGE_SCREENSHOTS = os.environ.get("SCREENSHOTS") == "1"


@pytest.fixture(scope="module")
def contexts(browser) -> Iterator[dict[str, object]]:
    """One browser context per viewport, shared by this file's tests (each opens its own
    page in it): a context costs more to make than a page."""
    made = {name: browser.new_context(viewport=size) for name, size in VIEWPORTS.items()}
    yield made
    for context in made.values():
        context.close()


def open_page(context, site_url: str, path: str):
    """Load a page, recording console errors, failed requests and every URL requested.

    Waits for the load event, then for each request still open to finish or fail (the
    favicon, a widget's model fetched by a script). Not `networkidle`: that waits for 500 ms
    of quiet every time, half a second per page for nothing."""
    page = context.new_page()
    record = {"errors": [], "failed": [], "requests": []}
    pending: set[object] = set()
    page.on("console", lambda m: m.type == "error" and record["errors"].append(m.text))
    page.on("pageerror", lambda e: record["errors"].append(str(e)))
    page.on("request", lambda r: (record["requests"].append(r.url), pending.add(r)))
    page.on("requestfailed", lambda r: (record["failed"].append(r.url), pending.discard(r)))
    page.on("requestfinished", lambda r: pending.discard(r))
    page.goto(site_url + path, wait_until="load")
    page.evaluate("0")  # a round trip: every event sent before it has been handled
    while pending:  # a request it started may start another: wait until none is open
        request = pending.pop()
        if (response := request.response()) is not None:  # None: it failed
            response.finished()
        page.evaluate("0")
    return page, record


def load_problems(
    page, record: dict, site_url: str, accessibility: bool = False
) -> dict[str, list[str]]:
    """Each check of a loaded page and what it found (an empty list: the check passed);
    with ``accessibility``, axe-core's serious and critical violations too."""
    own = urlsplit(site_url).netloc
    load_lazy_images(page)  # figures below the first screen wait for the reader to scroll
    axe = {AXE_CHECK: [str(v) for v in axe_violations(page)]} if accessibility else {}
    return axe | {
        "requests to other hosts": [
            u
            for u in record["requests"]
            if urlsplit(u).scheme in ("http", "https", "ws", "wss") and urlsplit(u).netloc != own
        ],
        "failed requests": record["failed"],
        "console errors": record["errors"],
        "images that did not load": page.eval_on_selector_all(
            "article img",
            "imgs => imgs.filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src)",
        ),
        "math left as LaTeX source": page.eval_on_selector_all(
            ".arithmatex",
            "els => els.filter(e => !e.querySelector('.katex')).map(e => e.textContent)",
        ),
        "raw LaTeX delimiters visible": re.findall(r"\\\(|\\\[|\$\$", page.inner_text("article")),
    }


def failures(path: str, problems: dict[str, list[str]]) -> list[str]:
    return [f"{path}: {check}: {found}" for check, found in problems.items() if found]


@pytest.mark.browser
@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("path", PAGES)
def test_page_loads_cleanly_from_this_site_alone(
    contexts, site_url: str, path: str, viewport: str, tally
):
    page, record = open_page(contexts[viewport], site_url, path)
    try:
        # axe-core on the same visit at the desktop size, not on a second load
        accessibility = viewport == "desktop"
        problems = load_problems(page, record, site_url, accessibility=accessibility)
        if accessibility:
            tally["pages checked with axe-core"] += 1
        tally["browser page loads"] += 1
        tally["browser checks"] += len(problems)
        assert not failures(path, problems), "\n".join(failures(path, problems))
        if FULL_PAGE_SCREENSHOTS:  # `make screenshots`: about 1 s per page, so not in make test
            SCREENSHOTS.mkdir(exist_ok=True)
            name = (path.strip("/").replace("/", "_") or "home") + f"-{viewport}.png"
            page.screenshot(path=str(SCREENSHOTS / name), full_page=True)
            tally["full-page screenshots written to screenshots/"] += 1
    finally:
        page.close()


def axe_violations(page) -> list[dict]:
    """axe-core, from node_modules, run inside the page: its serious and critical violations."""
    if not AXE.exists():
        pytest.fail("node_modules/axe-core is missing: run `make setup` (npm ci)")
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    results = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [
        {
            "rule": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"]][:5],
        }
        for v in results["violations"]
        if v["impact"] in SERIOUS
    ]


@pytest.mark.browser
def test_axe_reports_a_serious_violation(contexts, site_url: str):
    """An image without alt text is a critical violation (proves axe runs and is read)."""
    page, _ = open_page(contexts["desktop"], site_url, PAGES[0])
    try:
        page.evaluate(
            """() => { const i = document.createElement('img');
            i.src = 'data:image/gif;base64,R0lGODlhAQABAAAAACw='; document.body.append(i); }"""
        )
        assert "image-alt" in [v["rule"] for v in axe_violations(page)]
        # ... and the page-load check, which runs axe on its desktop visit, fails on it
        problems = load_problems(
            page, {"requests": [], "failed": [], "errors": []}, site_url, accessibility=True
        )
        assert any(
            line.startswith(f"{PAGES[0]}: {AXE_CHECK}: ") and "image-alt" in line
            for line in failures(PAGES[0], problems)
        )
    finally:
        page.close()


@pytest.mark.browser
def test_an_external_script_slipped_into_a_page_fails_the_check(
    contexts, built_site: Build, tmp_path: Path
):
    """Fault injection on a temporary copy of the built site: the page must fail, loudly."""
    site = tmp_path / "site"
    shutil.copytree(built_site.site, site)
    path = "zh/" + page_url(source_pages("zh")[0])
    html = site / path / "index.html"
    script = '<script src="https://cdn.example.com/tracker.js"></script>'
    html.write_text(html.read_text("utf-8").replace("</head>", script + "</head>", 1), "utf-8")
    with serve(site) as url:
        page, record = open_page(contexts["desktop"], url, path)
        try:
            problems = load_problems(page, record, url)
        finally:
            page.close()
    assert problems["requests to other hosts"] == ["https://cdn.example.com/tracker.js"]
    assert any(
        line.startswith(f"{path}: requests to other hosts") for line in failures(path, problems)
    )


# Where each of the selector's links goes is checked on every page, statically
# (tests/site/test_built_site.py): the links are in the HTML. Clicking them is checked here
# on one page of each kind of URL: the home page, a chapter, a notebook.
SELECTOR_PAGES = ["", page_url(source_pages("en")[0]), f"notebooks/{NOTEBOOKS[0]}/"]


@pytest.mark.browser
@pytest.mark.parametrize("path", SELECTOR_PAGES)
def test_language_selector_goes_to_the_same_page_and_back(
    contexts, site_url: str, path: str, tally
):
    page, _ = open_page(contexts["desktop"], site_url, path)
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
        tally["browser checks"] += 1
    finally:
        page.close()


@pytest.mark.browser
@pytest.mark.parametrize(
    ("folder", "query", "expected"),
    [
        ("", "overfitting", "overfitting/"),
        ("zh/", "过拟合", "zh/overfitting/"),
        # The glossary's section on the Chinese names (moved there from the home page).
        ("zh/", "随机失活", "zh/glossary/"),
    ],
)
def test_search_finds_the_page(
    contexts, site_url: str, folder: str, query: str, expected: str, tally
):
    page, _ = open_page(contexts["desktop"], site_url, folder)
    try:
        links = search_results(page, query)
        paths = [urlsplit(link).path.lstrip("/") for link in links]
        assert expected in paths[:3], (
            f"{query!r}: {expected} is not among the first results {paths}"
        )
        tally["browser checks"] += 1
    finally:
        page.close()


def test_a_missing_browser_skips_with_the_reason_or_fails_in_ci(monkeypatch):
    """Outside CI the browser tests skip and say why; with CI=true they fail."""
    import tests.conftest as conftest

    monkeypatch.setattr(conftest.shutil, "which", lambda name: None)
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="no Chromium found"):
        conftest.chromium_or_skip()
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI=true and no Chromium found"):
        conftest.chromium_or_skip()
