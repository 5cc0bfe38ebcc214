"""The Markdown sources: code fences that pytest-codeblocks runs, anchors, both languages alike."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import DOCS, LANGUAGES, source_pages

FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})[ \t]*(?P<info>[^`\n]*)$", re.M)
HEADING = re.compile(r"^(#{1,6}) (?P<text>.+)$", re.M)
ANCHOR = re.compile(r"\{ #(?P<id>[a-z0-9-]+) \}$")
PYTHON_LIKE = re.compile(r"^\{?\s*\.?(py|python|python3|py3|pycon|ipython)\b", re.I)
PAGES = [(lang, page) for lang in LANGUAGES for page in source_pages(lang)]


def without_code(text: str) -> str:
    """The page with fenced code blocks blanked out (headings inside code are not headings)."""
    return re.sub(r"^(\s*)(`{3,}).*?^\1\2\s*$", "", text, flags=re.M | re.S)


def read(lang: str, page: Path) -> str:
    return (DOCS / lang / page).read_text(encoding="utf-8")


@pytest.mark.parametrize(("lang", "page"), PAGES, ids=[f"{lang}/{page}" for lang, page in PAGES])
def test_python_fences_are_ones_pytest_codeblocks_collects(lang: str, page: Path):
    """pytest-codeblocks runs only fences whose info string is exactly `python`."""
    wrong = [
        match["info"]
        for match in FENCE.finditer(read(lang, page))
        if PYTHON_LIKE.match(match["info"].strip()) and match["info"].strip() != "python"
    ]
    assert not wrong, f"docs/{lang}/{page}: these fences would be skipped silently: {wrong}"


@pytest.mark.parametrize(("lang", "page"), PAGES, ids=[f"{lang}/{page}" for lang, page in PAGES])
def test_every_heading_has_an_explicit_english_anchor(lang: str, page: Path):
    headings = HEADING.finditer(without_code(read(lang, page)))
    missing = [m["text"] for m in headings if not ANCHOR.search(m["text"])]
    assert not missing, f"docs/{lang}/{page}: headings without {{ #english-id }}: {missing}"


def test_both_languages_have_the_same_pages():
    assert source_pages("en") == source_pages("zh")


def structure(lang: str, page: Path) -> dict[str, list[str]]:
    text = read(lang, page)
    prose = without_code(text)
    return {
        "anchors": [m[1] for m in re.finditer(r"\{ #([a-z0-9-]+) \}", prose)],
        "includes": re.findall(r'--8<-- "([^"]+)"', text),
        "fences": [m["info"].strip() for m in FENCE.finditer(text) if m["info"].strip()],
        "figures": re.findall(r"!\[[^\]]*\]\(([^)\s]+)", prose),
        "results": re.findall(r"\{\{\s*([\w.-]+(?::[^}\s]+)?)\s*\}\}", text),
        "codeblock markers": re.findall(r"<!--\s*pytest-codeblocks:(\S+?)\s*-->", text),
        "admonitions": re.findall(r"^\s*(?:!!!|\?\?\?\+?) (\w+)", text, re.M),
    }


@pytest.mark.parametrize("page", source_pages("en"), ids=str)
def test_the_chinese_page_mirrors_the_english_one(page: Path):
    english, chinese = structure("en", page), structure("zh", page)
    for key in english:
        assert english[key] == chinese[key], f"{page}: the {key} differ between en and zh"
