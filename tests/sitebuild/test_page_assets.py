"""sitebuild/page_assets.py and urls.py: a page loads only the assets it uses."""

from __future__ import annotations

import pytest
from mkdocs.utils import get_relative_url

from sitebuild.page_assets import with_assets
from sitebuild.urls import relative_url


def test_math_and_widgets_load_their_assets_only_where_they_are():
    page = '<html><head></head><body><div class="arithmatex">x</div></body></html>'
    math = with_assets(page, "ch/")
    assert '<link rel="stylesheet" href="../assets/katex/katex-swap.min.css"></head>' in math
    assert "interactive" not in math
    widget = with_assets(page.replace("arithmatex", "dropout-widget"), "")
    assert '<script defer src="assets/javascripts/interactive.js"></script>' in widget
    assert "katex" not in widget
    assert with_assets("<head></head>", "x/") == "<head></head>"


@pytest.mark.parametrize(
    ("url", "other"),
    [
        ("assets/a.css", "ch/"),
        ("assets/a.css", ""),
        ("assets/a.css", "."),
        ("notebooks/x/", "print_page/"),
        ("snippets/x.py", "zh/ch/sub/"),
        ("a/b.png", "a/index.html"),
    ],
)
def test_relative_urls_are_mkdocs_own(url: str, other: str):
    assert relative_url(url, other) == get_relative_url(url, other)
