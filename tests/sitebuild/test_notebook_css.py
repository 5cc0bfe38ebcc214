"""sitebuild/notebook_css.py: a notebook page keeps only the CSS rules that can match it."""

from __future__ import annotations

from pathlib import Path

from sitebuild.notebook_css import INLINE_CSS_LIMIT, external_styles, slim_notebook_css

ICON = 'url("data:image/svg+xml;base64,PHN2Zz4=")'


def slim(css: str, classes: str = "a b") -> str:
    page = f'<div class="{classes}"></div><style>{css}</style>'
    return slim_notebook_css(page).removeprefix(f'<div class="{classes}"></div>')


def test_rules_for_classes_the_page_lacks_are_dropped_selector_by_selector():
    assert slim(".a{color:red}.c{color:blue}") == "<style>.a{color:red}</style>"
    assert slim(".a .b, .c, p{x:1}") == "<style>.a .b,p{x:1}</style>"
    assert slim(".c{x:1}") == "", "a style block left empty goes"


def test_classes_inside_not_is_where_has_and_attribute_values_are_not_required():
    kept = '.a:not(.c){x:1}:is(.c, .d) .b{y:2}.a[data-type="vnd.jupyter.stderr"]{z:3}'
    assert slim(kept) == f"<style>{kept}</style>"
    assert slim(":nth-child(2 of .c) .a{x:1}") == "", "other functions' classes count"


def test_grouping_rules_are_filtered_inside_and_other_at_rules_kept_whole():
    css = "@media (max-width: 10px){.a{x:1}.c{y:2}}@supports (display:grid){.c{z:1}}"
    css += '@font-face{font-family:f}@charset "utf-8";'
    assert slim(css) == "<style>@media (max-width: 10px){.a{x:1}}@font-face{font-family:f}</style>"


def test_custom_properties_no_kept_rule_uses_are_dropped_transitively():
    css = (
        f".a{{--used: var(--chain);--chain: 1px;--unused: var(--gone);--gone: 2;--icon: {ICON};"
        "width: var(--used)}"
    )
    assert slim(css) == "<style>.a{--used: var(--chain);--chain: 1px;width: var(--used)}</style>"


def test_a_rule_the_browser_would_drop_as_invalid_is_dropped():
    """mkdocs-jupyter writes one block as a Python list's repr: ['pre { ... }'], which CSS
    parses as a single invalid rule."""
    assert slim("['pre { line-height: 125%; }\\n.a { x: 1 }']") == ""
    assert slim("/* a comment */.a{x:1/* inside */}") == "<style>.a{x:1}</style>"


def test_a_large_style_block_becomes_a_shared_file_named_by_its_content(tmp_path: Path):
    large = ".a{color:red}" * (INLINE_CSS_LIMIT // 10)
    page = f'<style media="print">{large}</style><style>.b{{x:1}}</style>'
    first = external_styles(page, "notebooks/x/", str(tmp_path))
    assert first.endswith("<style>.b{x:1}</style>")
    (css,) = (tmp_path / "assets" / "stylesheets" / "notebook").iterdir()
    assert css.read_text(encoding="utf-8") == large
    assert first.startswith(
        f'<link rel="stylesheet" href="../../assets/stylesheets/notebook/{css.name}" media="print">'
    )
    assert external_styles(page, "zh/notebooks/x/", str(tmp_path)).startswith(
        f'<link rel="stylesheet" href="../../../assets/stylesheets/notebook/{css.name}"'
    )
