"""What a first visit loads (issue 7's page weight): math arrives rendered, search
loads when the reader searches, figures below the first screen when the reader
scrolls, and the server compresses text as GitHub Pages does."""

from __future__ import annotations

import gzip
import re
import urllib.request
from pathlib import Path

import pytest

from sitebuild.notebook_css import INLINE_CSS_LIMIT
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


def test_only_the_print_pages_load_the_print_plugins_files(built_site: Build, tally):
    print_pages = 0
    for path in html_pages(built_site.site):
        text = path.read_text(encoding="utf-8")
        where = path.relative_to(built_site.site).as_posix()
        found = re.findall(r'<[^>]+(?:css/print-site[\w-]*\.css|js/print-site\.js)"', text)
        if where.endswith("print_page/index.html"):
            print_pages += 1
            assert len(found) >= 2, f"{where}: the print page lost its own CSS or JS: {found}"
        else:
            assert not found, f"{where}: {found}"
        tally["pages checked for the print plugin's files"] += 1
    assert print_pages == len(LANGUAGES), print_pages


def test_no_script_stops_the_parser_and_search_on_demand_runs_before_materials_bundle(
    built_site: Build, tally
):
    for path in html_pages(built_site.site):
        text = path.read_text(encoding="utf-8")
        where = path.relative_to(built_site.site)
        sources = re.findall(r"<script\b([^>]*)\bsrc=\"([^\"]+)\"", text)
        assert sources, f"{where}: no scripts found; did the pattern go stale?"
        blocking = [
            src
            for attrs, src in sources
            # mkdocs-jupyter's MathJax tag points at an empty data: URL (mkdocs.yml)
            if not re.search(r"\b(?:defer|async)\b", attrs) and src != "data:text/javascript,"
        ]
        assert not blocking, f"{where}: scripts the parser must stop for: {blocking}"
        names = [src.rsplit("/", 1)[-1] for _, src in sources]
        bundle = next(i for i, name in enumerate(names) if name.startswith("bundle."))
        assert names.index("search-on-demand.js") < bundle, f"{where}: {names}"
        tally["pages checked for deferred scripts"] += 1


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
    figure = site_url + "assets/images/social.png"  # the figures are all SVG
    request = urllib.request.Request(figure, headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request) as response:
        assert response.headers["Content-Encoding"] is None  # PNG is compressed already
        assert response.read().startswith(b"\x89PNG")
    figure = site_url + "figures/complete_example/complete_example.svg"
    request = urllib.request.Request(figure, headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request) as response:
        assert response.headers["Content-Encoding"] == "gzip"  # SVG is text
        assert b"<svg" in gzip.decompress(response.read())


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
        figures = [u for u in requested if "/figures/" in u]
        assert figures == [site_url + folder + "figures/overfitting/overfitting_curves.svg"]
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


NOTEBOOK_CSS_LINK = re.compile(
    r'<link rel="stylesheet" href="([^"]*assets/stylesheets/notebook/[^"]+)">'
)
# A digest of every computed style of every element, in document order.
COMPUTED_STYLES = """() => [...document.querySelectorAll('body *:not(style, link)')].map(e => {
    const style = getComputedStyle(e);
    let hash = 0;
    for (const name of [...style].sort()) {  // custom properties come in any order
        for (const c of name + style.getPropertyValue(name)) {
            hash = (hash * 31 + c.charCodeAt(0)) | 0;
        }
    }
    return e.tagName + '.' + e.getAttribute('class') + ':' + hash;
})"""


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("folder", LANGUAGES.values())
def test_a_notebook_page_styles_itself_from_a_shared_file_exactly_as_when_inline(
    browser, built_site: Build, site_url: str, folder: str, scheme: str
):
    """The notebook CSS (about 17 KB) is a file, not a <style> in the HTML: every
    notebook page's HTML is smaller, and the page looks exactly as with the CSS inline."""
    url = site_url + folder + "notebooks/complete_example/"
    page_dir = built_site.site / folder / "notebooks" / "complete_example"
    html = (page_dir / "index.html").read_text(encoding="utf-8")
    links = NOTEBOOK_CSS_LINK.findall(html)
    assert links, "the notebook page links no notebook style sheet"
    assert all(
        len(css) < INLINE_CSS_LIMIT for css in re.findall(r"<style[^>]*>(.*?)</style>", html, re.S)
    )
    inline = html
    for href in links:
        css = (page_dir / href).read_text(encoding="utf-8")
        inline = inline.replace(f'<link rel="stylesheet" href="{href}">', f"<style>{css}</style>")
    assert len(inline) >= len(html) + INLINE_CSS_LIMIT, "the linked CSS was not the notebook sheet"

    styles = []
    for as_built in (True, False):
        page = browser.new_page(viewport=DESKTOP, color_scheme=scheme)
        try:
            if not as_built:
                page.route(url, lambda route: route.fulfill(body=inline, content_type="text/html"))
            page.goto(url, wait_until="networkidle")
            styles.append(page.evaluate(COMPUTED_STYLES))
        finally:
            page.close()
    linked, inlined = styles
    assert len(linked) == len(inlined) > 500
    different = [(i, a, b) for i, (a, b) in enumerate(zip(linked, inlined, strict=True)) if a != b]
    assert not different, f"{len(different)} elements styled differently, first: {different[:3]}"
    # Every notebook page of both languages shares the same one or two files.
    shared = {
        href.rsplit("/", 1)[1]
        for path in (built_site.site / folder / "notebooks").rglob("index.html")
        for href in NOTEBOOK_CSS_LINK.findall(path.read_text(encoding="utf-8"))
    }
    assert 1 <= len(shared) <= 2, shared
