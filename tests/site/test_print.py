"""The print view saved as PDF, as a reader would: headless Chromium prints each language's
print page (print_page/, mkdocs-print-site-plugin) to A4 with print media, and PDFium
(pypdfium2) reads the PDF back: its text, bookmarks, fonts and figures.

To look at: screenshots/print-<lang>.pdf, and the first page of each chapter rendered as
screenshots/print-<lang>-p<NN>.png.
"""

from __future__ import annotations

import contextlib
import ctypes
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import unquote, urljoin, urlsplit

import pytest
import yaml

from sitebuild.katex import RENAMED_FAMILY
from tests.conftest import DOCS, LANGUAGES, ROOT, SCREENSHOTS, Build

pdfium = pytest.importorskip("pypdfium2", reason="in requirements.txt: run `make setup`")
pdfium_c = pytest.importorskip("pypdfium2.raw", reason="in requirements.txt: run `make setup`")

# Raw TeX: math printed as its source instead of rendered.
RAW_TEX = re.compile(r"\\[()\[\]]|\\(?:frac|text|mathbb|mathrm|odot|sqrt|sim|cdot)\b")
# Parts of the web page that have no place on paper.
CHROME = [
    ".md-header",
    ".md-tabs",
    ".md-sidebar",
    ".md-footer",
    ".md-search",
    ".md-top",
    ".md-dialog",
    ".md-clipboard",
]
CJK = re.compile(r"[\u4e00-\u9fff]")


def chapter_files() -> list[str]:
    """The pages in the nav, in nav order: the print view's chapters (it leaves out the
    Notebooks section)."""
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    return [entry for entry in config["nav"] if isinstance(entry, str)]


def chapters(lang: str) -> list[str]:
    """The title (first heading) of every chapter, in nav order."""
    titles = []
    for entry in chapter_files():
        text = (DOCS / lang / entry).read_text(encoding="utf-8")
        heading = re.search(r"^# (.+?)(?: \{.*\})?$", text, re.M)
        assert heading, f"docs/{lang}/{entry} has no title"
        titles.append(heading[1])
    return titles


def figures(built_site: Build, lang: str, site_url: str) -> set[str]:
    """Every image in the article of every chapter page, as a path from the site root."""
    folder = LANGUAGES[lang]
    found = set()
    for entry in chapter_files():
        url = "" if entry == "index.md" else entry.removesuffix(".md") + "/"
        html = (built_site.site / folder / url / "index.html").read_text(encoding="utf-8")
        article = html[html.index("<article") : html.index("</article>")]
        for src in re.findall(r'<img[^>]*\ssrc="([^"]+)"', article):
            found.add(unquote(urlsplit(urljoin(f"{site_url}{folder}{url}", src)).path))
    return found


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


@dataclass
class Printed:
    lang: str
    pages: list[str]  # each PDF page's text
    outline: list[tuple[str, int]]  # top-level bookmarks: (title, page index)
    fonts: set[str] = field(default_factory=set)  # base font names
    # Each Figure element of the tagged PDF: its alt text and what is drawn for it.
    pdf_figures: list[tuple[str, Counter]] = field(default_factory=list)
    images: list[dict] = field(
        default_factory=list
    )  # the print page's <img>: src, alt, size, shown
    chrome: dict[str, int] = field(default_factory=dict)  # selector -> elements rendered
    skip_label: str = ""  # Material's "Skip to content", in the page's language
    problems: dict[str, list[str]] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return "\n".join(self.pages)


def _struct_text(function, element) -> str:
    size = function(element, None, 0)
    buffer = ctypes.create_string_buffer(size)
    function(element, buffer, size)
    return buffer.raw.decode("utf-16-le").rstrip("\x00")


def figures_drawn(page) -> list[tuple[str, Counter]]:
    """The Figure elements of a tagged PDF page (Chromium tags each <img> with its alt
    text), each with what its marked content draws: "image WxH" for a bitmap of that
    pixel size, "path" for each vector path (an SVG figure prints as hundreds)."""
    drawn: dict[int, Counter] = {}
    for obj in page.get_objects(max_depth=0):
        mcid = pdfium_c.FPDFPageObj_GetMarkedContentID(obj.raw)
        if obj.type == pdfium_c.FPDF_PAGEOBJ_IMAGE:
            width, height = obj.get_px_size()
            drawn.setdefault(mcid, Counter())[f"image {width}x{height}"] += 1
        elif obj.type == pdfium_c.FPDF_PAGEOBJ_PATH:
            drawn.setdefault(mcid, Counter())["path"] += 1
    figures = []

    def walk(element) -> None:
        if _struct_text(pdfium_c.FPDF_StructElement_GetType, element) == "Figure":
            parts = Counter()
            for k in range(pdfium_c.FPDF_StructElement_GetMarkedContentIdCount(element)):
                mcid = pdfium_c.FPDF_StructElement_GetMarkedContentIdAtIndex(element, k)
                parts += drawn.get(mcid, Counter())
            alt = _struct_text(pdfium_c.FPDF_StructElement_GetAltText, element)
            figures.append((alt, parts))
        for k in range(pdfium_c.FPDF_StructElement_CountChildren(element)):
            if child := pdfium_c.FPDF_StructElement_GetChildAtIndex(element, k):
                walk(child)

    tree = pdfium_c.FPDF_StructTree_GetForPage(page.raw)
    try:
        for k in range(pdfium_c.FPDF_StructTree_CountChildren(tree)):
            walk(pdfium_c.FPDF_StructTree_GetChildAtIndex(tree, k))
    finally:
        pdfium_c.FPDF_StructTree_Close(tree)
    return figures


def printed_as_itself(image: dict, figures: list[tuple[str, Counter]]) -> bool:
    """The PDF has a Figure with this <img>'s alt text that draws the picture: its bitmap
    at full pixel size, or (SVG) vector paths. A figure that failed to load prints as a
    small broken-image bitmap, one that is hidden not at all."""
    width, height = image["size"]
    for alt, parts in figures:
        if alt != image["alt"]:
            continue
        if urlsplit(image["src"]).path.endswith(".svg") and parts["path"] >= 20:
            return True
        if parts[f"image {width}x{height}"]:
            return True
    return False


def read_pdf(path, lang: str) -> Printed:
    pdf = pdfium.PdfDocument(str(path))
    try:
        printed = Printed(
            lang=lang,
            pages=[pdf[i].get_textpage().get_text_range() for i in range(len(pdf))],
            outline=[
                (mark.get_title(), mark.get_dest().get_index())
                for mark in pdf.get_toc()
                if mark.level == 0
            ],
        )
        for i in range(len(pdf)):
            printed.pdf_figures += figures_drawn(pdf[i])
            for obj in pdf[i].get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_TEXT], max_depth=8):
                font = pdfium_c.FPDFTextObj_GetFont(obj.raw)
                size = pdfium_c.FPDFFont_GetBaseFontName(font, None, 0)
                name = ctypes.create_string_buffer(size)
                pdfium_c.FPDFFont_GetBaseFontName(font, name, size)
                printed.fonts.add(name.value.decode("latin-1"))
        for _, index in printed.outline:  # each chapter's first page, to look at
            image = pdf[index].render(scale=1).to_pil()
            image.save(SCREENSHOTS / f"print-{lang}-p{index + 1:02d}.png")
    finally:
        pdf.close()
    return printed


@pytest.fixture(scope="module", params=list(LANGUAGES))
def printed(request, browser, site_url: str) -> Printed:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    lang = request.param
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    problems: dict[str, list[str]] = {"failed": [], "errors": []}
    page.on("requestfailed", lambda r: problems["failed"].append(r.url))
    page.on("pageerror", lambda e: problems["errors"].append(str(e)))
    try:
        # Printed as a reader may print it: right after it loads, without scrolling
        # through it. Its figures are eager for that reason: with lazy ones, Chromium
        # printed 1 of 10 figures on a busy machine (it starts fetching them for printing
        # but does not wait), and the waits below would time out on the figures that a
        # reader never scrolled to.
        page.goto(f"{site_url}{LANGUAGES[lang]}print_page/", wait_until="networkidle")
        page.emulate_media(media="print")
        loaded = "[...document.images].every(i => i.complete && i.naturalWidth > 0)"
        rendered = r"!/\\[()\[\]]/.test(document.querySelector('article').innerText)"
        for condition in (loaded, rendered, "document.fonts.status === 'loaded'"):
            # Not met in time: the assertions on the images and the PDF say what is wrong.
            with contextlib.suppress(PlaywrightTimeout):
                page.wait_for_function(condition, timeout=20_000)
        images = page.eval_on_selector_all(
            "article img",
            """l => l.map(i => ({src: i.src, alt: i.alt, size: [i.naturalWidth, i.naturalHeight],
                                 shown: i.getClientRects().length > 0}))""",
        )
        chrome = page.evaluate(
            """selectors => Object.fromEntries(selectors.map(s => [s,
                [...document.querySelectorAll(s)].filter(e => e.getClientRects().length > 0
                    && getComputedStyle(e).visibility !== 'hidden').length]))""",
            CHROME,
        )
        skip_label = (page.text_content(".md-skip") or "").strip()
        # outline: bookmarks from the headings (Chromium needs a tagged PDF for them).
        pdf_bytes = page.pdf(format="A4", print_background=True, outline=True, tagged=True)
    finally:
        page.close()
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"print-{lang}.pdf"
    path.write_bytes(pdf_bytes)
    result = read_pdf(path, lang)
    result.images, result.chrome, result.skip_label = images, chrome, skip_label
    result.problems = problems
    return result


@pytest.mark.browser
def test_the_pdf_has_every_chapter_on_its_own_pages_in_nav_order(printed: Printed, tally):
    pages, titles = len(printed.pages), chapters(printed.lang)
    tally[f"print view PDF pages ({printed.lang})"] += pages
    assert printed.problems == {"failed": [], "errors": []}, printed.problems
    # The PDF's bookmarks: the table of contents, then each chapter, in nav order.
    assert [title for title, _ in printed.outline][1:] == titles
    starts = [index for _, index in printed.outline]
    assert starts == sorted(set(starts)), f"chapters share a page or are out of order: {starts}"
    # Sensible: the contents, then every chapter from a new page, and no runaway layout
    # (a chapter is a few dozen pages at most; the whole site is about 90).
    assert starts[0] == 0 and len(titles) + 1 <= pages <= 30 * len(titles), (starts, pages)


@pytest.mark.browser
def test_the_pdf_holds_the_text_of_every_chapter(printed: Printed, tally):
    text = squeeze(printed.text)
    missing = [t for t in chapters(printed.lang) if squeeze(t) not in text]
    assert not missing, f"chapter titles not in the PDF's text: {missing}"
    # The first page is the table of contents, listing every chapter.
    contents = squeeze(printed.pages[0])
    assert all(squeeze(t) in contents for t in chapters(printed.lang)), printed.pages[0]
    if printed.lang == "zh":
        cjk = len(CJK.findall(printed.text))
        tally["Chinese characters in the zh PDF's text"] += cjk
        assert cjk > 10_000, f"only {cjk} Chinese characters in the Chinese PDF"
        # Every chapter's Chinese body text, not only its title: its first run of 8+ ideographs.
        for entry in chapter_files():
            body = (DOCS / "zh" / entry).read_text(encoding="utf-8").split("\n# ", 1)[-1]
            run = re.search(r"[\u4e00-\u9fff]{8,}", body.split("\n", 1)[1])
            assert run, f"zh/{entry} has no Chinese sentence"
            assert run[0] in text, f"zh/{entry}: {run[0]} not in the PDF"


@pytest.mark.browser
def test_math_is_rendered_not_printed_as_tex(printed: Printed, tally):
    leftovers = sorted(set(RAW_TEX.findall(printed.text)))
    assert not leftovers, f"raw TeX in the PDF: {leftovers}"
    # KaTeX's fonts, as the build serves them: subset and renamed (sitebuild/katex.py).
    katex = sorted(f for f in printed.fonts if RENAMED_FAMILY in f)
    tally["KaTeX fonts embedded in the print view's PDFs"] += len(katex)
    assert katex, f"no KaTeX font in the PDF: math not typeset (fonts: {sorted(printed.fonts)})"
    assert not [f for f in printed.fonts if "KaTeX" in f], "whole KaTeX fonts, not the subsets"


@pytest.mark.browser
def test_every_figure_of_the_site_is_loaded_and_printed(
    printed: Printed, built_site: Build, site_url: str, tally
):
    """Every figure of the chapters is on the print page and in the PDF, printed without
    scrolling through the page first (the `printed` fixture)."""
    unloaded = [i["src"] for i in printed.images if i["size"][0] <= 0]
    assert not unloaded, f"images not loaded when printing: {unloaded}"
    shown = {unquote(urlsplit(i["src"]).path): i["size"] for i in printed.images if i["shown"]}
    expected = figures(built_site, printed.lang, site_url)
    assert expected, "no figure found on the chapter pages"
    missing = expected - set(shown)
    assert not missing, f"figures missing from the print view: {sorted(missing)}"
    tally["figures drawn in the print view's PDFs"] += len(expected)
    shown_images = [i for i in printed.images if i["shown"]]
    undrawn = [i["src"] for i in shown_images if not printed_as_itself(i, printed.pdf_figures)]
    assert not undrawn, f"figures not drawn in the PDF: {undrawn}; drawn: {printed.pdf_figures}"


@pytest.mark.browser
def test_the_pdf_has_no_navigation_chrome(printed: Printed):
    shown = {selector: n for selector, n in printed.chrome.items() if n}
    assert not shown, f"navigation elements printed: {shown}"
    assert printed.skip_label and printed.skip_label not in printed.text
