"""The light/dark toggle (overrides/partials/palette.html and
partials/javascripts/palette.html), which replaces Material's palette component:
it must do what Material's did, in a real Chromium, in both languages."""

from __future__ import annotations

import pytest

from tests.conftest import LANGUAGES

LIGHT, DARK = "default", "slate"


def open_page(browser, url: str, system: str):
    context = browser.new_context(color_scheme=system, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.goto(url, wait_until="load")
    return context, page, errors


def state(page) -> dict:
    """What the reader sees of the palette, and what the page keeps of it."""
    return page.evaluate(
        """() => {
          const visible = [...document.querySelectorAll("[data-dropout-palette] label")]
            .filter(label => !label.hidden && label.offsetWidth > 0);
          const meta = name => document.querySelector(`meta[name=${name}]`)?.content;
          return {
            scheme: document.body.getAttribute("data-md-color-scheme"),
            toggles: visible.map(label => label.title),
            colorScheme: meta("color-scheme"),
            themeColor: meta("theme-color"),
            header: getComputedStyle(document.querySelector(".md-header")).backgroundColor,
            background: getComputedStyle(document.body).backgroundColor,
            stored: __md_get("__palette"),
          };
        }"""
    )


def rgb(hex_color: str) -> str:
    red, green, blue = (int(hex_color[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgb({red}, {green}, {blue})"


@pytest.mark.browser
@pytest.mark.parametrize("folder", LANGUAGES.values())
def test_the_page_follows_the_system_setting_until_the_reader_picks(
    browser, site_url: str, folder: str
):
    context, page, errors = open_page(browser, site_url + folder, "dark")
    dark = state(page)
    assert dark["scheme"] == DARK and dark["colorScheme"] == "dark", dark
    assert len(dark["toggles"]) == 1, dark
    assert dark["stored"] is None, "nothing is stored until the reader picks"
    page.emulate_media(color_scheme="light")
    page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'default'")
    light = state(page)
    assert light["colorScheme"] == "light" and light["background"] != dark["background"], light
    assert light["toggles"] != dark["toggles"], "the toggle shows the other palette's icon"
    context.close()
    assert not errors, errors


@pytest.mark.browser
@pytest.mark.parametrize("folder", LANGUAGES.values())
def test_the_toggle_switches_and_every_page_remembers(browser, site_url: str, folder: str):
    context, page, errors = open_page(browser, site_url + folder, "light")
    before = state(page)
    assert before["scheme"] == LIGHT and before["colorScheme"] == "light", before
    assert before["themeColor"] and rgb(before["themeColor"]) == before["header"], before

    page.click("[data-dropout-palette] label:not([hidden])")
    after = state(page)
    assert after["scheme"] == DARK and after["colorScheme"] == "dark", after
    assert after["background"] != before["background"], "the colours changed"
    assert rgb(after["themeColor"]) == after["header"], after
    assert after["stored"]["color"]["scheme"] == DARK, after
    page.wait_for_function("!document.body.hasAttribute('data-md-color-switching')")

    page.goto(site_url + folder + "glossary/", wait_until="load")
    assert state(page)["scheme"] == DARK, "another page keeps the reader's choice"
    page.emulate_media(color_scheme="dark")
    page.emulate_media(color_scheme="light")
    assert state(page)["scheme"] == DARK, "a chosen palette no longer follows the system"
    context.close()
    assert not errors, errors


@pytest.mark.browser
def test_enter_on_the_toggle_picks_the_other_palette(browser, site_url: str):
    context, page, errors = open_page(browser, site_url, "light")
    page.focus("[data-dropout-palette] input:checked")
    page.keyboard.press("Enter")
    assert state(page)["scheme"] == DARK
    focused = page.evaluate("document.activeElement.getAttribute('data-md-color-scheme')")
    assert focused == DARK, "focus moves to the palette now shown"
    page.keyboard.press("Enter")
    assert state(page)["scheme"] == LIGHT
    context.close()
    assert not errors, errors


@pytest.mark.browser
def test_without_javascript_no_toggle_is_shown(browser, site_url: str):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url, wait_until="load")
    shown = page.eval_on_selector_all(
        "[data-dropout-palette] label", "labels => labels.filter(l => l.offsetWidth > 0).length"
    )
    context.close()
    assert shown == 0, "a toggle that cannot work is hidden, as Material hides it"
