"""The built site: both languages, language links, rendered notebooks, numbers from the run."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from sitebuild import examples
from tests.conftest import LANGUAGES, Build, page_url, source_pages

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


@pytest.mark.parametrize("page", [*source_pages("en"), "notebooks/complete_example"], ids=str)
def test_the_language_selector_leads_to_the_same_page(built_site: Build, page):
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


def test_pages_reference_no_other_host(built_site: Build):
    """Scripts, styles, images and fonts all come from the site itself.

    <link rel="canonical"> names the page's public address; browsers fetch nothing from it."""
    resource = re.compile(
        r'<(?:script|img|iframe|source)[^>]+src="([^"]+)"'
        r'|<link(?! rel="canonical")[^>]+href="([^"]+)"'
    )
    for path in html_pages(built_site.site):
        for match in resource.finditer(path.read_text(encoding="utf-8")):
            url = match[1] or match[2]
            assert not re.match(r"(https?:)?//", url), f"{path}: loads {url}"


def test_chinese_search_index_is_segmented(built_site: Build):
    index = json.loads((built_site.site / "zh" / "search" / "search_index.json").read_text("utf-8"))
    words = {w for doc in index["docs"] for w in re.split("[\u200b\\s]+", doc["text"])}
    assert "过拟合" in words, "jieba did not segment the Chinese text"
