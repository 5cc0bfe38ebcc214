"""The site's search, driven in Chromium as a reader types (tests/site/test_browser.py,
tests/site/test_faq_search.py)."""

from __future__ import annotations


def search_results(page, query: str) -> list[str]:
    """The hrefs of the results Material's search lists for ``query`` on ``page``; a page
    that has searched before is searched again (its old results cleared first)."""
    if page.query_selector(".md-search-result__item"):
        page.fill(".md-search__input", "")  # an empty query removes the old results
        page.wait_for_selector(".md-search-result__item", state="detached", timeout=10_000)
    page.click(".md-search__input")
    page.fill(".md-search__input", query)
    page.keyboard.press("End")  # a key event, as typing (or an IME) sends
    page.wait_for_selector(".md-search-result__item", timeout=10_000)
    return page.eval_on_selector_all(".md-search-result__item > a", "as => as.map(a => a.href)")
