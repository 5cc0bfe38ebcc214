"""The built site: both languages, language links, rendered notebooks, numbers from the run."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from sitebuild import examples
from tests.conftest import LANGUAGES, Build, mkdocs_config, page_url, source_pages

# What TensorFlow's C++ logging looks like (oneDNN notice, absl and glog lines, CUDA probes).
TF_NOISE = re.compile(
    r"oneDNN custom operations|absl::|cuda drivers|cuInit|[IWE]0000 00:|tensorflow/core/"
)


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("index.html"))


def test_the_strict_build_printed_no_warning_and_no_tensorflow_noise(built_site: Build):
    assert "WARNING" not in built_site.output
    assert not TF_NOISE.search(built_site.output), built_site.output


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_page_is_built_in_every_language(built_site: Build, lang: str):
    root = built_site.site / LANGUAGES[lang]
    for page in source_pages(lang):
        html = (root / page_url(page) / "index.html").read_text(encoding="utf-8")
        assert f'<html lang="{lang}"' in html


def alternate_links(html: str) -> dict[str, str]:
    return dict(
        (m["lang"], m["href"])
        for m in re.finditer(r'<a href="(?P<href>[^"]*)" hreflang="(?P<lang>\w+)"', html)
    )


NOTEBOOK_PAGES = [f"notebooks/{name}" for name in sorted(mkdocs_config()["extra"]["examples"])]


@pytest.mark.parametrize("page", [*source_pages("en"), *NOTEBOOK_PAGES], ids=str)
def test_the_language_selector_leads_to_the_same_page(built_site: Build, page):
    """On every page, in each language, the selector's links are that page in each language
    (overrides/partials/alternate.html). Clicking them: tests/site/test_browser.py."""
    url = page_url(page) if isinstance(page, Path) else page + "/"
    for lang, folder in LANGUAGES.items():
        here = built_site.site / folder / url / "index.html"
        links = alternate_links(here.read_text(encoding="utf-8"))
        assert set(links) == set(LANGUAGES)
        for other, other_folder in LANGUAGES.items():
            target = (here.parent / links[other] / "index.html").resolve()
            expected = (built_site.site / other_folder / url / "index.html").resolve()
            assert target == expected, f"{lang}/{url}: the {other} link goes to {links[other]}"


def test_the_chinese_interface_is_chinese(built_site: Build):
    html = (built_site.site / "zh" / "index.html").read_text(encoding="utf-8")
    assert 'placeholder="搜索"' in html
    assert "Search" not in re.sub(r"<script.*?</script>", "", html, flags=re.S)


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(re.sub(r"<(script|style)\b.*?</\1>", "", html, flags=re.S))
    return " ".join(parser.parts)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_notebook_pages_are_rendered_not_copied(built_site: Build, lang: str):
    folder = built_site.site / LANGUAGES[lang] / "notebooks" / "complete_example"
    html = (folder / "index.html").read_text(encoding="utf-8")
    assert "jupyter-wrapper" in html and "jp-OutputArea" in html
    assert '"cell_type"' not in html, "raw notebook JSON in the page"
    assert html.count('src="data:image/png;base64,') >= 1, "the figure is in the notebook"
    assert "test accuracy with dropout:" in visible_text(html)
    assert 'href="complete_example.ipynb"' in html, "a download link for the notebook"
    assert (folder / "complete_example.ipynb").exists()
    title = {"en": "Notebook: the complete example", "zh": "笔记本：完整示例"}[lang]
    assert "<h1" in html and title in html


def test_numbers_in_the_prose_come_from_the_run(built_site: Build):
    values = examples.ensure_results()["complete_example"].values
    for lang, folder in LANGUAGES.items():
        text = visible_text(
            (built_site.site / folder / "complete-example" / "index.html").read_text("utf-8")
        )
        assert format(values["test_accuracy"], ".1%") in text, lang
        assert format(values["baseline_gap"], ".3f") in text, lang
        assert format(values["gap"], "+.3f") in text, lang
        assert "{{" not in text, f"{lang}: a placeholder was left unfilled"


def notebook_text(path: Path) -> str:
    """Sources and printed text of a notebook (not its base64 images)."""
    notebook = json.loads(path.read_text(encoding="utf-8"))
    parts = []
    for cell in notebook["cells"]:
        parts.append("".join(cell["source"]))
        for output in cell.get("outputs", []):
            parts.append("".join(output.get("text", "")))
    return "\n".join(parts)


def test_no_page_or_notebook_shows_tensorflow_log_lines(built_site: Build):
    for path in html_pages(built_site.site):
        text = visible_text(path.read_text(encoding="utf-8"))
        assert not TF_NOISE.search(text), f"{path}: {TF_NOISE.search(text)[0]}"
    for path in built_site.site.rglob("*.ipynb"):
        text = notebook_text(path)
        assert not TF_NOISE.search(text), f"{path}: {TF_NOISE.search(text)[0]}"


def test_the_noise_pattern_matches_real_tensorflow_lines():
    for line in [
        "I0000 00:00:1732000000.123456   12345 cpu_feature_guard.cc:210] This TensorFlow binary",
        "oneDNN custom operations are on. You may see slightly different numerical results",
        "E0000 00:00:1732000000.1 12 cuda_executor.cc:1] failed call to cuInit: UNKNOWN ERROR",
    ]:
        assert TF_NOISE.search(line), line
    assert not TF_NOISE.search("iVBORw0KGgoAAAANSUhEUgAAcuDA"), "base64 is not noise"


# An absolute URL: "https://host.tld", or "//host.tld" not inside a longer token (base64
# data, a DOCTYPE's "-//W3C//DTD"); the host needs a dot, which base64 never has.
OTHER_HOST = re.compile(
    r"(?:\b(?:https?|wss?|ftp):|(?<![\w+/=:.-]))//(?:[a-z0-9-]+\.)+[a-z]{2,}(?![\w-])", re.I
)


class OtherHosts(HTMLParser):
    """Every reference a page makes to another host, except those a browser never fetches.

    A reference is an absolute URL (``https://host``, ``//host``) anywhere in the HTML.
    Allowed, as the browser loads nothing from them when it shows the page:
    - ``<a href>``: a link the reader may follow (a source, Colab, the repository);
    - ``<link rel="canonical">`` and ``<link rel="alternate">``: the page's public address
      in each language, for search engines;
    - ``<meta content>``: the address and image that other sites show in a link preview;
    - ``xmlns`` attributes: XML namespace names, which are never fetched;
    - text and comments, which are read, not loaded (a license notice, a citation).
    Anything else fails: any other attribute (``src``, a style sheet's ``href``, ``srcset``,
    an inline ``style``), and any URL inside a ``<script>`` or ``<style>``, such as a
    script that imports a module from a CDN."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.raw: str | None = None  # inside <script> or <style>

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        rel = dict(attrs).get("rel") or ""
        for name, value in attrs:
            allowed = (
                (tag == "a" and name == "href")
                or (tag == "link" and name == "href" and rel in ("canonical", "alternate"))
                or (tag == "meta" and name == "content")
                or name.startswith("xmlns")
            )
            if value and not allowed:
                self.found += [f"<{tag} {name}>: {url}" for url in OTHER_HOST.findall(value)]
        if tag in ("script", "style"):
            self.raw = tag

    def handle_endtag(self, tag: str) -> None:
        if tag == self.raw:
            self.raw = None

    def handle_data(self, data: str) -> None:
        if self.raw:
            self.found += [f"<{self.raw}>: {url}" for url in OTHER_HOST.findall(data)]


def other_hosts(html: str) -> list[str]:
    parser = OtherHosts()
    parser.feed(html)
    parser.close()
    return parser.found


def test_pages_reference_no_other_host(built_site: Build, tally):
    """Scripts, styles, images and fonts all come from the site itself, and no script
    or style names another host (see OtherHosts for what is allowed and why)."""
    found = {}
    for path in html_pages(built_site.site):
        if refs := other_hosts(path.read_text(encoding="utf-8")):
            found[path.relative_to(built_site.site).as_posix()] = sorted(set(refs))
        tally["pages checked for references to other hosts"] += 1
    assert not found, f"pages that reference other hosts: {json.dumps(found, indent=1)}"


def test_the_other_host_check_finds_what_a_browser_would_load():
    page = (
        '<html><head><link rel="canonical" href="https://example.org/a/">'
        '<meta property="og:image" content="https://example.org/a.png">'
        '<link rel="stylesheet" href="https://cdn.example.com/x.css"></head><body>'
        '<a href="https://github.com/a/b">source</a> see https://example.org/ in text'
        "<!-- License - https://fontawesome.com/license -->"
        '<svg xmlns="http://www.w3.org/2000/svg"><image href="//img.example.com/i.png"/></svg>'
        '<img src="https://img.example.com/i.png" style="background: url(//bg.example.com/b)">'
        '<script type="module">await import("https://cdnjs.cloudflare.com/m.mjs")</script>'
        "<style>@import url(https://fonts.example.com/f.css);</style></body></html>"
    )
    assert other_hosts(page) == [
        "<link href>: https://cdn.example.com",
        "<image href>: //img.example.com",
        "<img src>: https://img.example.com",
        "<img style>: //bg.example.com",
        "<script>: https://cdnjs.cloudflare.com",
        "<style>: https://fonts.example.com",
    ]


def test_chinese_search_index_is_segmented(built_site: Build):
    index = json.loads((built_site.site / "zh" / "search" / "search_index.json").read_text("utf-8"))
    words = {w for doc in index["docs"] for w in re.split("[\u200b\\s]+", doc["text"])}
    assert "过拟合" in words, "jieba did not segment the Chinese text"
