"""Glossary terms carry hover definitions (<abbr title>) on built pages, in each language's words.

The definitions live in includes/abbreviations.<lang>.md, appended to every page by
pymdownx.snippets (mkdocs.yml; mkdocs.zh.yml overrides only `auto_append`), and are
shown as tooltips by Material's `content.tooltips`.
"""

from __future__ import annotations

import re

import pytest

from tests.conftest import LANGUAGES, ROOT, Build

ABBR = re.compile(r'<abbr title="(?P<title>[^"]+)">(?P<term>[^<]+)</abbr>')
CJK = re.compile(r"[\u4e00-\u9fff]")

# A term each language's challenges page uses in running text (the Chinese one
# between two Chinese characters, where Python-Markdown's \b would not match).
EXPECTED = {"en": "batch normalization", "zh": "批量归一化"}


def abbreviations(html: str) -> dict[str, str]:
    return {m["term"]: m["title"] for m in ABBR.finditer(html)}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_term_on_a_page_carries_its_definition_in_the_pages_language(
    built_site: Build, lang: str
):
    html = (built_site.site / LANGUAGES[lang] / "challenges" / "index.html").read_text("utf-8")
    found = abbreviations(html)
    term = EXPECTED[lang]
    assert term in found, f"{lang}: {term!r} has no hover definition; found {sorted(found)}"
    chinese = bool(CJK.search(found[term]))
    assert chinese == (lang == "zh"), f"{lang}: the definition is in the wrong language"
    if lang == "zh":  # matched inside Chinese text, not only next to spaces or punctuation
        inside = CJK.pattern + r'<abbr title="[^"]+">' + re.escape(term) + "</abbr>"
        assert re.search(inside, html), (
            f"{term!r} is not wrapped where it follows a Chinese character"
        )


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_page_gets_definitions_and_no_definition_shows_as_text(built_site: Build, lang: str):
    root = built_site.site / LANGUAGES[lang]
    for page in ["", "challenges/", "conclusion/", "glossary/"]:
        html = (root / page / "index.html").read_text(encoding="utf-8")
        assert ABBR.search(html), f"{lang}/{page}: no hover definitions"
        assert "*[" not in html, f"{lang}/{page}: an abbreviation definition was printed"


def test_the_abbreviation_files_are_not_built_as_pages(built_site: Build):
    stray = [p for p in built_site.site.rglob("*abbreviations*")]
    assert stray == [], f"built as files: {stray}"
    assert (ROOT / "includes" / "abbreviations.en.md").exists()


def test_the_theme_turns_abbreviations_into_tooltips(built_site: Build):
    html = (built_site.site / "index.html").read_text(encoding="utf-8")
    assert '"content.tooltips"' in html


@pytest.mark.browser
@pytest.mark.parametrize(
    ("lang", "term", "words"), [("en", "variance shift", "variance"), ("zh", "方差偏移", "方差")]
)
def test_pointing_at_a_term_shows_its_definition(
    browser, site_url: str, lang: str, term: str, words: str
):
    """What a reader sees: Material's tooltip with the definition, in the page's language."""
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    try:
        page.goto(f"{site_url}{LANGUAGES[lang]}challenges/", wait_until="networkidle")
        abbr = page.locator(f'abbr:text-is("{term}")').first
        abbr.scroll_into_view_if_needed()
        abbr.hover()
        tooltip = page.locator(".md-tooltip2--active")
        tooltip.wait_for(state="visible", timeout=5_000)
        text = tooltip.inner_text()
        assert words in text and bool(CJK.search(text)) == (lang == "zh"), text
    finally:
        page.close()
