"""Every figure in its page's language, captioned, and legible on a phone and a desktop.

The checks are in tests/site/figures.py; README's "How the site is built" says how the
figures are drawn once per language from one run.
"""

from __future__ import annotations

import pytest

from tests.conftest import LANGUAGES, Build, page_url, source_pages
from tests.site import figures

PAGES = [
    (lang, f"{folder}{page_url(page)}")
    for lang, folder in LANGUAGES.items()
    for page in source_pages(lang)
]
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_figure_is_in_its_sites_language(built_site: Build, lang: str, tally):
    found = figures.figure_files(built_site.site, LANGUAGES[lang])
    assert found, f"the {lang} site has no figures"

    problems = figures.language_problems(built_site.site, LANGUAGES[lang], lang)

    assert not problems, "\n".join(problems)
    tally[f"figures whose text is all {lang} (or names)"] += len(found)


def test_every_figure_on_every_page_has_a_caption(built_site: Build, tally):
    problems, shown = [], 0
    for _, url in PAGES:
        html = (built_site.site / url / "index.html").read_text(encoding="utf-8")
        shown += len(figures.page_figures(html))
        problems += figures.caption_problems(html, url or "/")

    assert shown, "no page shows a figure"
    assert not problems, "\n".join(problems)
    tally["figures with a visible caption (both languages)"] += shown


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_figure_text_is_at_least_10_css_px_as_rendered(
    browser, built_site: Build, site_url: str, viewport: str, tally
):
    """The rendered width of each figure, over its width in pt, times its smallest text."""
    context = browser.new_context(viewport=VIEWPORTS[viewport])
    try:
        urls = [url for _, url in PAGES]
        measured, problems = figures.rendered_text_problems(
            context.new_page(), built_site.site, site_url, urls
        )
    finally:
        context.close()

    assert measured, "no figure was measured"
    assert not problems, "\n".join(problems)
    tally[f"figures measured at the {viewport} viewport (both languages)"] += measured
