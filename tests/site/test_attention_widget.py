"""The attention widget on modern-networks: its arithmetic against Keras, driven in Chromium.

snippets/transformer_dropout.py exports the trained block's embeddings and query/key
weights (figures/transformer_dropout/transformer_attention.json) and records Keras' own
attention probabilities for the same digits and one Keras Dropout of them. The browser
recomputes the probabilities from the export; these tests hold them, and what the widget
shows, to Keras' numbers.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

from sitebuild import examples
from tests.conftest import SCREENSHOTS

EXPORT = "figures/transformer_dropout/transformer_attention.json"
PAGES = {"en": "modern-networks/", "zh": "zh/modern-networks/"}
WIDGET = '[data-widget="attention"]'


@pytest.fixture(scope="module")
def keras_values() -> dict:
    return examples.ensure_results()["transformer_dropout"].values


def open_widget(browser, url: str, **options):
    context = browser.new_context(**{"viewport": {"width": 1280, "height": 900}, **options})
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.goto(url)
    page.locator(WIDGET).scroll_into_view_if_needed()
    page.wait_for_selector(f'{WIDGET}[data-ready="true"]', timeout=20_000)
    return page, page.locator(WIDGET)


def shown_matrix(widget) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The values in the table, which cells are hatched as dropped, and the row sums."""
    cells = widget.locator("tbody td:not(.attention__sum)").evaluate_all(
        "cells => cells.map((c) => [Number(c.dataset.value),"
        " c.classList.contains('attention--dropped')])"
    )
    sums = widget.locator("tbody td.attention__sum").evaluate_all(
        "cells => cells.map((c) => Number(c.dataset.sum))"
    )
    values = np.array([v for v, _ in cells]).reshape(8, 8)
    dropped = np.array([d for _, d in cells]).reshape(8, 8)
    return values, dropped, np.array(sums)


@pytest.mark.browser
def test_the_browsers_attention_probabilities_and_dropout_match_keras(
    browser, site_url: str, keras_values: dict
):
    page, _ = open_widget(browser, site_url + PAGES["en"])
    keras_dropped = np.array(keras_values["keras_dropped"])
    computed = page.evaluate(
        """async ([url, keep]) => {
            const model = DropoutCore.parseAttention(await (await fetch(url)).json());
            const all = model.xTest.map((_, i) => DropoutCore.attentionProbabilities(model, i));
            return {all: all, dropped: DropoutCore.dropAttention(all[0][0], keep, 0.1)};
        }""",
        [site_url + EXPORT, (keras_dropped != 0).tolist()],
    )
    browser_probabilities = np.array(computed["all"])
    keras_probabilities = np.array(keras_values["keras_probabilities"])
    assert browser_probabilities.shape == keras_probabilities.shape == (12, 2, 8, 8)
    worst = np.abs(browser_probabilities - keras_probabilities).max()
    print(f"largest difference between the browser's and Keras' probabilities: {worst:.2e}")
    assert worst < 1e-5
    # The same mask as Keras' Dropout(0.1): the same zeros and the same scaled entries.
    worst_dropped = np.abs(np.array(computed["dropped"]) - keras_dropped).max()
    print(f"largest difference after dropout: {worst_dropped:.2e}")
    assert worst_dropped < 1e-5
    assert not page.errors


@pytest.mark.browser
def test_the_widget_shows_keras_probabilities_and_their_dropped_and_scaled_version(
    browser, site_url: str, keras_values: dict
):
    page, widget = open_widget(browser, site_url + PAGES["en"])
    keras_probabilities = np.array(keras_values["keras_probabilities"])
    readout = widget.locator(".dropout-readout")
    assert widget.locator(".dropout-fallback").is_hidden()

    # Training at the trained rate: every cell is 0 (hatched) or Keras' value / 0.9.
    values, dropped, sums = shown_matrix(widget)
    expected = keras_probabilities[0, 0]
    assert 0 < dropped.sum() < 64
    assert np.allclose(values[dropped], 0)
    assert np.allclose(values[~dropped], expected[~dropped] / 0.9, atol=1e-5)
    assert np.allclose(sums, values.sum(axis=1), atol=1e-9)
    assert not np.allclose(sums, 1, atol=1e-3), "rows no longer sum to one"
    assert "multiplied by 1 / (1 − 0.10) = 1.11" in readout.inner_text()
    assert readout.get_attribute("data-dropped") == str(dropped.sum())

    # New mask: another set of dropped entries, from the same probabilities.
    widget.get_by_role("button", name="New mask").click()
    values_2, dropped_2, _ = shown_matrix(widget)
    assert not np.array_equal(dropped, dropped_2)
    assert np.allclose(values_2[~dropped_2], expected[~dropped_2] / 0.9, atol=1e-5)

    # Rate 0.5: about half the entries dropped, the others doubled.
    widget.get_by_label("Dropout rate").fill("0.5")
    values_5, dropped_5, _ = shown_matrix(widget)
    assert 16 < dropped_5.sum() < 48
    assert np.allclose(values_5[~dropped_5], expected[~dropped_5] * 2, atol=1e-5)

    # Inference, another digit and head: Keras' probabilities, rows summing to one.
    widget.get_by_label("Inference (dropout off)").check()
    widget.get_by_label("2", exact=True).check()
    digit = widget.get_by_label("Test digit (1–12)")
    digit.fill("7")
    digit.press("Enter")
    values, dropped, sums = shown_matrix(widget)
    assert not dropped.any()
    assert np.abs(values - keras_probabilities[6, 1]).max() < 1e-5
    assert np.allclose(sums, 1, atol=1e-6)
    assert widget.get_by_label("Dropout rate").is_disabled()
    assert "every row sums to 1" in readout.inner_text()
    caption = widget.locator("caption").inner_text()
    assert "test digit 7" in caption and "head 2" in caption, caption
    assert not page.errors


@pytest.mark.browser
def test_the_widget_works_from_the_keyboard(browser, site_url: str):
    page, widget = open_widget(browser, site_url + PAGES["en"])
    rate = widget.get_by_label("Dropout rate")
    rate.focus()
    page.keyboard.press("ArrowRight")
    assert rate.input_value() == "0.15"
    assert widget.locator("output").first.inner_text() == "0.15"
    assert "1 / (1 − 0.15)" in widget.locator(".dropout-readout").inner_text()
    page.keyboard.press("Tab")  # the mode radios, then the button
    page.keyboard.press("Tab")
    focused = page.evaluate("() => document.activeElement.textContent")
    assert focused == "New mask", focused
    _, before, _ = shown_matrix(widget)
    page.keyboard.press("Enter")
    _, after, _ = shown_matrix(widget)
    assert not np.array_equal(before, after), "Enter on New mask draws a new mask"
    assert not page.errors


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_on_a_phone_the_whole_matrix_fits_and_the_chinese_page_is_in_chinese(
    browser, site_url: str, lang: str
):
    page, widget = open_widget(
        browser, site_url + PAGES[lang], viewport={"width": 390, "height": 844}
    )
    widths = widget.locator(".dropout-figure").evaluate("f => [f.scrollWidth, f.clientWidth]")
    assert widths[0] <= widths[1], widths  # the sum column is on screen, nothing to scroll
    text = widget.inner_text()
    assert not re.search(r"\[\w+\]", text), f"a string is missing: {text}"
    if lang == "zh":
        assert not re.search(r"\b(Test digit|Dropout rate|New mask|entries)\b", text)
        assert "换一个掩码" in text and "丢弃率" in text
    widget.screenshot(path=str(SCREENSHOTS / f"attention-widget-{lang}-390.png"))
    assert not page.errors


@pytest.mark.browser
def test_without_usable_weights_the_widget_says_so(browser, site_url: str):
    context = browser.new_context()
    context.route("**/transformer_attention.json", lambda route: route.fulfill(status=404))
    page = context.new_page()
    page.goto(site_url + PAGES["en"])
    page.locator(WIDGET).scroll_into_view_if_needed()
    alert = page.locator(f'{WIDGET} [role="alert"]')
    alert.wait_for()
    assert "could not be loaded (HTTP 404)" in alert.inner_text()
    context.close()


@pytest.mark.browser
def test_without_javascript_the_fallback_text_stands_in(browser, site_url: str):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + PAGES["en"])
    assert page.locator(f"{WIDGET} .dropout-fallback").is_visible()
    context.close()


def test_the_export_is_published_in_both_languages_and_the_model_lines_highlighted(
    built_site,
):
    for folder in ("", "zh/"):
        assert (built_site.site / folder / EXPORT).exists(), folder
        html = (built_site.site / folder / "modern-networks" / "index.html").read_text()
        assert "javascripts/interactive.js" in html
        highlighted = [
            re.sub(r"<[^>]+>", "", line) for line in re.findall(r'<span class="hll">(.*?)\n', html)
        ]
        assert len(highlighted) == 4, highlighted
        assert all("Dropout(rate, seed=" in t or "dropout=rate" in t for t in highlighted)
