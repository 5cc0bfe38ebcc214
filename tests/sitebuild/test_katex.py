"""Build-time math (sitebuild/katex.py) with the real KaTeX from node_modules."""

from __future__ import annotations

from pathlib import Path

import pytest
from mkdocs.exceptions import PluginError

from sitebuild import katex

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
