"""Build-time math (sitebuild/katex.py) with the real KaTeX from node_modules, and its fonts
cut down with the real fontTools."""

from __future__ import annotations

import io
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from mkdocs.exceptions import PluginError

from sitebuild import cache, katex
from sitebuild.errors import BuildError
from tests.conftest import LANGUAGES, Build

INLINE = '<p>Keep <span class="arithmatex">\\(1 - p &lt; 1\\)</span> of the units.</p>'
DISPLAY = '<div class="arithmatex">\\[\n\\tilde h = \\frac{r \\odot h}{1 - p}\n\\]</div>'


@pytest.fixture
def fresh_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(katex, "CACHE_DIR", tmp_path)
    monkeypatch.setattr(katex, "_rendered", None)
    return tmp_path


def test_formulas_become_katex_html_with_mathml_for_screen_readers(fresh_cache: Path):
    out = katex.render_math(INLINE + DISPLAY, "page.md")
    assert "\\(" not in out and "\\[" not in out
    assert out.count('class="katex"') == 2 and out.count('class="katex-display"') == 1
    assert "<mo>&lt;</mo>" in out  # the escaped "<" reached KaTeX as "<"
    assert "<math" in out and '<annotation encoding="application/x-tex">' in out
    assert out.startswith('<p>Keep <span class="arithmatex"><span class="katex">')


def test_a_warm_build_reuses_the_cache_and_starts_no_node(
    fresh_cache: Path, monkeypatch: pytest.MonkeyPatch
):
    first = katex.render_math(INLINE, "page.md")
    assert list(fresh_cache.glob("*.json")), "nothing was cached"
    monkeypatch.setattr(katex, "_rendered", None)  # a new build process reads the file
    monkeypatch.setattr(katex, "RENDERER", fresh_cache / "no-such-renderer.mjs")
    assert katex.render_math(INLINE, "page.md") == first


def test_a_formula_katex_cannot_parse_fails_the_build_and_is_named(fresh_cache: Path):
    broken = '<span class="arithmatex">\\(\\frac{1}{\\)</span>'
    with pytest.raises(PluginError, match=r"how-dropout-works\.md: KaTeX cannot render .*frac"):
        katex.render_math(broken, "how-dropout-works.md")
    assert not list(fresh_cache.glob("*.json")), "a failed render was cached"


def test_a_damaged_cache_is_rendered_again(fresh_cache: Path, monkeypatch: pytest.MonkeyPatch):
    expected = katex.render_math(INLINE, "page.md")
    for cached in fresh_cache.glob("*.json"):
        cached.write_text("{not json", encoding="utf-8")
    monkeypatch.setattr(katex, "_rendered", None)
    assert katex.render_math(INLINE, "page.md") == expected


# --- the fonts, cut down to the characters the math shows -------------------------------
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}


class KatexHtmlText(HTMLParser):
    """The text of every ``.katex-html`` element of a page, found by nesting, not by
    sitebuild's own shortcut (which relies on ``.katex-html`` coming last in a formula)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0  # > 0: inside a .katex-html element
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID:
            return
        if self.depth:
            self.depth += 1
        elif "katex-html" in (dict(attrs).get("class") or "").split():
            self.depth = 1

    def handle_endtag(self, tag: str) -> None:
        if self.depth and tag not in VOID:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.text.append(data)


def katex_html_characters(page: str) -> set[str]:
    parser = KatexHtmlText()
    parser.feed(page)
    parser.close()
    return set("".join(parser.text))


def cmap(font: bytes) -> set[str]:
    return {chr(code) for code in TTFont(io.BytesIO(font)).getBestCmap()}


ORIGINAL_FONTS = sorted(katex.FONTS.glob("*.woff2"))


def test_rendering_collects_every_character_its_html_shows(fresh_cache: Path):
    characters: set[str] = set()
    out = katex.render_math(INLINE + DISPLAY, "page.md", characters)
    shown = katex_html_characters(out)
    assert {"p", "−", "<", "~", "⊙"} <= shown, shown  # 1 − p < 1; \tilde h; r ⊙ h
    assert characters == shown
    assert katex_html_characters(INLINE) == set()  # no rendered math: nothing to collect


def test_a_subset_font_maps_exactly_the_asked_characters_it_has_and_is_deterministic():
    original = (katex.FONTS / "KaTeX_Math-Italic.woff2").read_bytes()
    asked = "xhπσ1" + "=中€"  # Math-Italic has none of "=中€"
    subset = katex.subset_font(original, asked)
    assert subset.startswith(b"wOF2") and len(subset) < len(original) / 2
    assert cmap(subset) == set(asked) & cmap(original) == set("xhπσ1")
    assert katex.subset_font(original, reversed(asked)) == subset  # same characters, same bytes
    names = TTFont(io.BytesIO(subset))["name"]
    assert "Reserved Font Name KaTeX_Math" in names.getDebugName(13)  # the licence travels along
    assert "KaTeX" in TTFont(io.BytesIO(original))["name"].getDebugName(1)
    for name_id in (1, 3, 4, 6):  # family, unique id, full and PostScript name: not reserved
        assert "KaTeX" not in names.getDebugName(name_id), names.getDebugName(name_id)
        assert katex.RENAMED_FAMILY in names.getDebugName(name_id)


def test_subsets_come_back_from_the_cache_and_none_writes_the_fonts_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(cache, "FONT_CACHE", tmp_path / "cache")
    monkeypatch.setattr(cache, "ENABLED", True)
    site = tmp_path / "fonts"
    katex.subset_fonts("x", site)
    entries = sorted((tmp_path / "cache").iterdir())
    assert len(entries) == len(ORIGINAL_FONTS)
    for entry in entries:  # a cached subset is read, not made again
        entry.write_bytes(b"from the cache")
    katex.subset_fonts("x", site)
    assert {p.read_bytes() for p in site.iterdir()} == {b"from the cache"}
    katex.subset_fonts(None, site)
    for original in ORIGINAL_FONTS:
        assert (site / original.name).read_bytes() == original.read_bytes(), original.name


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_character_the_sites_math_shows_is_in_its_subset_fonts(
    built_site: Build, language: str, tally
):
    root = built_site.site / LANGUAGES[language]
    others = {folder.strip("/") for folder in LANGUAGES.values() if folder}
    shown: set[str] = set()
    pages = 0
    for path in sorted(root.rglob("*.html")):
        if language == "en" and path.relative_to(root).parts[0] in others:
            continue  # a translation: checked against its own fonts
        if "katex-html" in (text := path.read_text(encoding="utf-8")):
            shown |= katex_html_characters(text)
            pages += 1
    assert pages >= 6 and len(shown) > 40, f"only {pages} pages, {len(shown)} characters"
    fonts = root / "assets" / "katex" / "fonts"
    original_bytes = subset_bytes = 0
    for original in ORIGINAL_FONTS:
        subset = (fonts / original.name).read_bytes()
        has = cmap(original.read_bytes())
        missing = (shown & has) - cmap(subset)
        assert not missing, f"{language} {original.name} lacks {''.join(sorted(missing))}"
        original_bytes += original.stat().st_size
        subset_bytes += len(subset)
        tally["KaTeX fonts checked against the math's characters"] += 1
    assert subset_bytes < original_bytes / 2, (subset_bytes, original_bytes)


def test_the_site_serves_katexs_style_sheet_and_every_font(tmp_path: Path):
    files = katex.site_files()
    assert "assets/katex/katex-swap.min.css" in files
    fonts = [uri for uri in files if uri.startswith("assets/katex/fonts/")]
    assert len(fonts) == 20 and all(uri.endswith(".woff2") for uri in fonts)
    (tmp_path / "fonts").mkdir()
    with pytest.raises(BuildError, match=r"katex-swap\.min\.css missing: run `make setup`"):
        katex.site_files(tmp_path)
