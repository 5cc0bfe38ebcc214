"""What the figure tests check, as functions of a built site (tests/site/test_figures.py).

Kept apart from the tests so that the same checks can be run on any built site, an old
one included, to show that they fail where the figures were English-only or too small.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from sitebuild.figures import svg_texts

# Latin words a Chinese figure may show: names and symbols, not English words.
NAMES = {"Dropout", "Keras", "NumPy", "PyTorch", "ReLU", "MC", "L2", "SVG"}
NAMES |= {"SpatialDropout2D", "DropBlock2D", "DropConnect", "MaxNorm"}  # layers' names
CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")
WORD = re.compile(r"[A-Za-z][A-Za-z0-9]+")  # two or more characters: x, y, e alone are symbols
# A figure in a page: an <img> of one of the examples' files.
FIGURE_IMG = re.compile(r'<img\b[^>]*?\bsrc="(?P<src>(?:\.\./)*figures/[^"]+)"[^>]*>')
FIGURE = re.compile(r"<figure\b[^>]*>(?P<body>.*?)</figure>", re.S)
CAPTION = re.compile(r"<figcaption\b[^>]*>(?P<text>.*?)</figcaption>", re.S)
TAG = re.compile(r"<[^>]+>")
SVG_WIDTH = re.compile(r'<svg\b[^>]*?\swidth="(?P<width>[\d.]+)pt"')
MIN_CSS_PX = 10  # the smallest text a reader should have to read, at any viewport


def figure_files(site: Path, folder: str) -> list[Path]:
    """Every figure an example wrote, as one language's site serves it (folder "" or "zh/")."""
    root = site / folder / "figures"
    return sorted(p for p in root.rglob("*") if p.suffix in (".svg", ".png"))


def language_problems(site: Path, folder: str, language: str) -> list[str]:
    """Figures whose text is not in ``language``: Chinese in an English figure, English
    words (other than NAMES) in a Chinese one; a figure whose text cannot be read."""
    problems = []
    for path in figure_files(site, folder):
        where = path.relative_to(site).as_posix()
        if path.suffix != ".svg":
            problems.append(f"{where}: a PNG, whose text cannot be checked: save it as SVG")
            continue
        texts = [text for text, _ in svg_texts(path.read_text(encoding="utf-8"))]
        if not texts:
            problems.append(f"{where}: no text found (drawn with text as paths?)")
        for text in texts:
            if language == "en" and CJK.search(text):
                problems.append(f"{where}: Chinese in an English figure: {text!r}")
            english = [w for w in WORD.findall(text.replace("\\mathdefault", "")) if w not in NAMES]
            if language == "zh" and english:
                problems.append(f"{where}: English in a Chinese figure: {text!r}")
    return problems


def smallest_text_pt(svg: Path) -> tuple[float, float]:
    """(size in pt of the figure's smallest text, the figure's width in pt)."""
    data = svg.read_text(encoding="utf-8")
    width = SVG_WIDTH.search(data)
    assert width, f"{svg}: no width in pt on its <svg> element"
    return min(size for _, size in svg_texts(data)), float(width["width"])


def page_figures(html: str) -> list[str]:
    """The src of every example figure a page shows."""
    return [m["src"] for m in FIGURE_IMG.finditer(html)]


def caption_problems(html: str, page: str) -> list[str]:
    """Figures of a page that are not in a <figure> with a visible, non-empty <figcaption>."""
    captioned, problems = set(), []
    for figure in FIGURE.finditer(html):
        caption = CAPTION.search(figure["body"])
        if caption and TAG.sub("", caption["text"]).strip():
            captioned.update(page_figures(figure["body"]))
            if "`" in caption["text"]:  # Markdown is not rendered inside <figcaption>
                problems.append(f"{page}: a caption shows a raw backtick: use <code>")
    uncaptioned = [src for src in page_figures(html) if src not in captioned]
    return problems + [f"{page}: {src} has no caption" for src in uncaptioned]


def rendered_text_problems(
    page, site: Path, site_url: str, urls: list[str]
) -> tuple[int, list[str]]:
    """Load each page in ``page`` (a Playwright page at some viewport) and measure every
    figure: its rendered width over its width in pt, times its smallest text in pt, must
    be at least MIN_CSS_PX. Returns (figures measured, problems)."""
    problems, measured = [], 0
    for url in urls:
        html = (site / url / "index.html").read_text(encoding="utf-8")
        if not page_figures(html):
            continue
        page.goto(site_url + url)
        page.eval_on_selector_all(
            "img[loading=lazy]", "imgs => imgs.forEach(i => i.loading = 'eager')"
        )
        page.wait_for_function("[...document.querySelectorAll('img')].every(i => i.complete)")
        shown = page.eval_on_selector_all(
            "article img",
            "imgs => imgs.map(i => [i.getAttribute('src'), i.getBoundingClientRect().width])",
        )
        for src, width in shown:
            if "figures/" not in src:
                continue
            path = site / urlsplit(urljoin("/" + url, src)).path.lstrip("/")
            if path.suffix != ".svg":
                problems.append(f"{url}: {src}: a PNG, whose text size cannot be measured")
                continue
            smallest, width_pt = smallest_text_pt(path)
            px = smallest * width / width_pt
            measured += 1
            if px < MIN_CSS_PX:
                problems.append(f"{url}: {src}: smallest text {px:.1f} CSS px ({smallest} pt)")
    return measured, problems
