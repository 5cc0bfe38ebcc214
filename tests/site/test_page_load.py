"""Main-thread work at page load (issue 7's Lighthouse performance): counted in
Chromium's own trace, not timed, so the checks hold on a busy machine."""

from __future__ import annotations

import json

import pytest

from tests.conftest import LANGUAGES
from tools.lighthouse import PAGES

# Styling every element once is the least a page can do; Material's code blocks
# restyle each block once more when their buttons are added (about 2x on the
# complete-example page). Its palette component restyled the whole page four
# more times: 2.3x on the interactive page, 3.2-8.8x on five others, before
# partials/palette.html replaced it.
MOST_RESTYLES_PER_ELEMENT = 2.5


def restyled_while_loading(browser, url: str) -> tuple[int, int]:
    """(elements Chromium restyled from navigation to load, elements on the page)."""
    page = browser.new_page()
    browser.start_tracing(page=page, categories=["devtools.timeline"])
    page.goto(url, wait_until="networkidle")
    elements = page.evaluate("document.getElementsByTagName('*').length")
    trace = json.loads(browser.stop_tracing())
    page.close()
    restyled = sum(
        event["args"].get("elementCount", 0)
        for event in trace["traceEvents"]
        if event.get("name") == "UpdateLayoutTree" and event.get("ph") == "X"
    )
    return restyled, elements


@pytest.mark.browser
@pytest.mark.parametrize("path", [folder + page for folder in LANGUAGES.values() for page in PAGES])
def test_loading_a_page_styles_each_element_about_once(browser, site_url: str, path: str, tally):
    restyled, elements = restyled_while_loading(browser, site_url + path)
    assert restyled > 0, "the trace recorded no style work: is the category still named so?"
    ratio = restyled / elements
    print(f"{path or '/'}: {restyled} element styles for {elements} elements ({ratio:.2f} each)")
    assert ratio <= MOST_RESTYLES_PER_ELEMENT, (
        f"{path or '/'}: loading restyled {ratio:.2f} times each element; something restyles "
        "the whole page again (a class or attribute on <html>/<body>, a color-scheme <meta>)"
    )
    tally["pages traced for style work"] += 1


@pytest.mark.browser
@pytest.mark.parametrize("folder", LANGUAGES.values())
def test_a_closed_answer_is_laid_out_only_when_opened(browser, site_url: str, folder: str):
    page = browser.new_page()
    page.goto(site_url + folder + "complete-example/", wait_until="load")
    answer = page.locator("details:has(pre)").first
    assert answer.evaluate("d => !d.open")
    code = answer.locator("pre")
    assert code.evaluate("e => e.getClientRects().length") == 0, "no box while closed"
    answer.locator("summary").click()
    assert code.evaluate("e => e.getBoundingClientRect().height") > 50
    assert code.locator(".md-code__button").count() >= 1, "Material's copy button is there"
    page.close()
