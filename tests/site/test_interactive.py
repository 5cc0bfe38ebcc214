"""The interactive page: its JavaScript against Keras, and its widgets driven in Chromium.

The widgets compute everything from the weights snippets/complete_example.py
exports (figures/complete_example/complete_example_model.json). These tests run
the JavaScript unit tests with Node's runner, compare the browser's forward pass
with Keras' own `predict` on the same weights, and use every widget as a reader
would: move a slider, press a button, train, and check what the page shows.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sitebuild import examples
from tests.conftest import ROOT, SCREENSHOTS

MODEL_FILE = "figures/complete_example/complete_example_model.json"
PAGES = {"en": "interactive/", "zh": "zh/interactive/"}

# Rebuild the network from the exported JSON with real Keras and predict the test set.
KERAS_PREDICT = """
import json, sys
import keras
import numpy as np

data = json.load(open(sys.argv[1]))
model = keras.Sequential([keras.Input(shape=(len(data["x_test"][0]),))])
for layer in data["layers"]:
    model.add(keras.layers.Dense(len(layer["bias"]), activation=layer["activation"]))
    model.layers[-1].set_weights([np.array(layer["kernel"]), np.array(layer["bias"])])
x = np.array(data["x_test"], dtype="float32")
print(json.dumps(model.predict(x, verbose=0)[:, 0].astype(float).tolist()))
"""


@pytest.fixture(scope="module")
def exported() -> Path:
    results = examples.ensure_results()["complete_example"]
    path = results.entry / "site" / MODEL_FILE
    assert path.exists(), f"complete_example.py did not write {path.name}"
    return path


@pytest.fixture(scope="module")
def keras_predictions(exported: Path) -> list[float]:
    done = subprocess.run(
        [sys.executable, "-c", KERAS_PREDICT, str(exported)],
        env={**os.environ, **examples.EXAMPLE_ENV},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def open_page(browser, url: str, **context_options):
    context = browser.new_context(**{"viewport": {"width": 1280, "height": 900}, **context_options})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.errors = errors
    page.goto(url)
    return page


def wait_ready(page, *widgets: str) -> None:
    for widget in widgets:  # a widget is built when the reader scrolls near it
        page.locator(f'[data-widget="{widget}"]').scroll_into_view_if_needed()
        page.wait_for_selector(f'[data-widget="{widget}"][data-ready="true"]', timeout=20_000)


def test_javascript_unit_tests_pass_under_nodes_runner():
    node = shutil.which("node")
    assert node, "Node.js 20 is required (see README)"
    done = subprocess.run(
        [node, "--test", str(ROOT / "tests" / "js")],
        capture_output=True,
        text=True,
        timeout=600,
    )
    print(done.stdout[-2000:])
    assert done.returncode == 0, done.stdout + done.stderr
    passed = re.search(r"^# pass (\d+)$", done.stdout, re.M)
    assert passed and int(passed[1]) >= 15, "the unit tests did not run"
    assert re.search(r"^# fail 0$", done.stdout, re.M)


def test_the_export_is_the_trained_model(exported: Path, keras_predictions: list[float]):
    """The exported weights reproduce the test accuracy the complete example reports."""
    data = json.loads(exported.read_text())
    correct = sum(
        (p > 0.5) == bool(y) for p, y in zip(keras_predictions, data["y_test"], strict=True)
    )
    accuracy = examples.ensure_results()["complete_example"].values["test_accuracy"]
    assert correct / len(data["y_test"]) == pytest.approx(accuracy, abs=1e-6)  # float32 accuracy
    assert data["dropout_rate"] == 0.5


@pytest.mark.browser
def test_the_browsers_forward_pass_matches_keras_predict(
    browser, site_url: str, keras_predictions: list[float]
):
    page = open_page(browser, site_url + PAGES["en"])
    wait_ready(page, "mask")
    browser_predictions = page.evaluate(
        """async (url) => {
            const model = DropoutCore.parseModel(await (await fetch(url)).json());
            return model.xTest.map((x) => DropoutCore.forward(model, x, null).probability);
        }""",
        site_url + MODEL_FILE,
    )
    assert len(browser_predictions) == len(keras_predictions) == 200
    worst = max(abs(b - k) for b, k in zip(browser_predictions, keras_predictions, strict=True))
    print(f"largest difference between the browser and Keras: {worst:.2e}")
    assert worst < 1e-5
    # And what the widget shows in inference mode is that prediction, example by example.
    widget = page.locator('[data-widget="mask"]')
    widget.get_by_label("Inference (dropout off)").check()
    for number in (1, 17, 200):
        example = widget.get_by_label("Test example (1–200)")
        example.fill(str(number))
        example.press("Enter")
        shown = float(widget.locator(".dropout-readout").first.get_attribute("data-probability"))
        assert shown == pytest.approx(keras_predictions[number - 1], abs=1e-5)
    assert not page.errors


@pytest.mark.browser
def test_the_mask_explorer_follows_its_controls(browser, site_url: str):
    page = open_page(browser, site_url + PAGES["en"])
    wait_ready(page, "mask")
    widget = page.locator('[data-widget="mask"]')
    readout = widget.locator(".dropout-readout").first
    dropped = widget.locator(".unit--dropped")
    assert widget.locator(".dropout-fallback").is_hidden()
    assert widget.locator(".unit").count() == 20 + 64 + 64 + 1

    at_half = dropped.count()
    assert 30 < at_half < 100, "about half of 128 hidden units at rate 0.5"
    assert "multiplied by 2.00" in widget.inner_text()
    first = readout.inner_text()

    widget.get_by_role("button", name="New mask").click()
    assert readout.inner_text() != first, "a new mask gives a new prediction"

    rate = widget.get_by_label("Dropout rate")
    rate.fill("0.9")
    assert dropped.count() > 95, "most units are dropped at rate 0.9"
    assert "multiplied by 10.00" in widget.inner_text()
    rate.focus()
    page.keyboard.press("ArrowLeft")
    assert rate.input_value() == "0.85"
    assert widget.locator("output").first.inner_text() == "0.85"

    widget.get_by_label("Inference (dropout off)").check()
    assert dropped.count() == 0
    assert rate.is_disabled()
    assert readout.get_attribute("data-probability") == readout.get_attribute("data-inference")

    example = widget.get_by_label("Test example (1–200)")
    example.fill("999")
    example.press("Enter")
    assert example.input_value() == "200", "an example number out of range is clamped"
    page.screenshot(path=str(SCREENSHOTS / "interactive-mask-en.png"), full_page=False)
    assert not page.errors


@pytest.mark.browser
def test_monte_carlo_dropout_draws_n_passes(browser, site_url: str, keras_predictions):
    page = open_page(browser, site_url + PAGES["en"])
    wait_ready(page, "mc")
    widget = page.locator('[data-widget="mc"]')
    readout = widget.locator(".dropout-readout")
    assert readout.get_attribute("data-passes") == "100"
    passes = widget.get_by_label("Passes N")
    passes.fill("1000")
    assert readout.get_attribute("data-passes") == "1000"
    assert "1000 passes" in readout.inner_text()
    heights = [
        float(h or 0)
        for h in widget.locator(".dropout-histogram__bar").evaluate_all(
            "bars => bars.map((b) => b.getAttribute('height'))"
        )
    ]
    assert sum(h > 0 for h in heights) >= 3, "a spread of probabilities, not one value"
    plain = float(readout.get_attribute("data-plain"))
    assert plain == pytest.approx(keras_predictions[0], abs=1e-5)
    mean, std = float(readout.get_attribute("data-mean")), float(readout.get_attribute("data-std"))
    assert 0 < std < 0.5
    assert abs(mean - plain) < 3 * std
    before = readout.inner_text()
    widget.get_by_role("button", name="Run again").click()
    assert readout.inner_text() != before, "new passes, new masks"
    passes.evaluate("input => { input.value = '5'; input.dispatchEvent(new Event('change')); }")
    assert readout.get_attribute("data-passes") == "10", "too few passes are clamped to 10"
    assert not page.errors


def playground_run(widget, rate: str, presses: int) -> dict[str, float]:
    widget.get_by_label("Dropout rate").fill(rate)
    widget.get_by_role("button", name="Reset").click()
    readout = widget.locator(".dropout-readout")
    assert readout.get_attribute("data-step") == "0"
    for _ in range(presses):
        widget.get_by_role("button", name="+500 steps").click()
    return {key: float(readout.get_attribute(f"data-{key}")) for key in ("step", "train", "test")}


@pytest.mark.browser
def test_the_playground_trains_and_shows_dropout_narrowing_the_gap(browser, site_url: str):
    page = open_page(browser, site_url + PAGES["en"])
    wait_ready(page, "playground")
    widget = page.locator('[data-widget="playground"]')
    canvas = widget.locator("canvas").first
    picture = canvas.evaluate("c => c.toDataURL()")
    readout = widget.locator(".dropout-readout")
    untrained = float(readout.get_attribute("data-train"))

    without = playground_run(widget, "0", 4)
    assert without["step"] == 2000
    assert without["train"] < untrained / 5, "training lowers the training loss"
    assert canvas.evaluate("c => c.toDataURL()") != picture, "the decision boundary moved"
    with_dropout = playground_run(widget, "0.5", 4)
    gap_without = without["test"] - without["train"]
    gap_with = with_dropout["test"] - with_dropout["train"]
    assert gap_without > gap_with + 0.1, (gap_without, gap_with)
    assert "Step 2000" in readout.inner_text()

    # Train runs continuously until paused (from step 0: a 3000-step run lasts
    # 5 s, so the pause lands well before the run ends on its own).
    widget.get_by_role("button", name="Reset").click()
    play = widget.get_by_role("button", name="Train")
    play.click()
    page.wait_for_function(
        "() => Number(document.querySelector('[data-widget=playground] .dropout-readout')"
        ".dataset.step) > 100"
    )
    pause = widget.get_by_role("button", name="Pause")
    assert pause.get_attribute("aria-pressed") == "true"
    pause.click()
    stopped = readout.get_attribute("data-step")
    page.wait_for_timeout(200)
    assert readout.get_attribute("data-step") == stopped
    page.screenshot(path=str(SCREENSHOTS / "interactive-playground-en.png"), full_page=True)
    assert not page.errors


@pytest.mark.browser
@pytest.mark.parametrize(
    "response",
    [{"status": 404, "body": "not found"}, {"status": 200, "body": '{"layers": 3}'}],
    ids=["missing", "malformed"],
)
def test_without_usable_weights_the_model_widgets_say_so_and_the_rest_works(
    browser, site_url: str, response: dict
):
    context = browser.new_context()
    context.route("**/complete_example_model.json", lambda route: route.fulfill(**response))
    page = context.new_page()
    page.goto(site_url + PAGES["en"])
    wait_ready(page, "playground")
    for widget in ("mask", "mc"):
        alert = page.locator(f'[data-widget="{widget}"] [role="alert"]')
        alert.wait_for()
        assert "could not be loaded" in alert.inner_text()
        assert "The rest of the page works" in alert.inner_text()
    page.locator('[data-widget="playground"]').get_by_role("button", name="+500 steps").click()
    assert (
        page.locator('[data-widget="playground"] .dropout-readout').get_attribute("data-step")
        == "500"
    )
    context.close()


@pytest.mark.browser
def test_the_chinese_page_has_every_string_in_chinese(browser, site_url: str):
    page = open_page(browser, site_url + PAGES["zh"])
    wait_ready(page, "mask", "mc", "playground")
    for widget in ("mask", "mc", "playground"):
        text = page.locator(f'[data-widget="{widget}"]').inner_text()
        assert not re.search(r"\[\w+\]", text), f"{widget}: a string is missing: {text}"
        assert not re.search(r"\b(Test example|Dropout rate|Passes|Training points)\b", text)
        assert not re.search(r"[。！？] ", text), f"{widget}: a half-width space after 。: {text}"
    assert page.get_by_label("丢弃率").first.is_visible()
    page.locator('[data-widget="playground"]').get_by_role("button", name="再训练 500 步").click()
    assert "第 500 步" in page.locator('[data-widget="playground"] .dropout-readout').inner_text()
    assert not page.errors


@pytest.mark.browser
def test_without_javascript_the_fallback_text_and_figure_stand_in(browser, site_url: str):
    page = open_page(browser, site_url + PAGES["en"], java_script_enabled=False)
    for widget in ("mask", "mc", "playground"):
        assert page.locator(f'[data-widget="{widget}"] .dropout-fallback').is_visible()
        figure = page.locator(f'[data-widget="{widget}"] .dropout-fallback img')
        figure.scroll_into_view_if_needed()
        assert figure.evaluate("img => img.complete && img.naturalWidth > 0"), widget


@pytest.mark.browser
def test_with_javascript_the_fallback_figures_are_not_downloaded(browser, site_url: str):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto(site_url + PAGES["en"], wait_until="networkidle")
    wait_ready(page, "mask", "mc", "playground")
    assert any(u.endswith("complete_example_model.json") for u in requested), requested
    assert not [u for u in requested if u.endswith((".png", ".svg")) and "/figures/" in u], (
        requested
    )


@pytest.mark.browser
def test_a_training_run_is_paced_to_be_watched_and_stops_by_itself(browser, site_url: str):
    # Unpaced, the 3000 steps took about 0.5 s here: too fast to watch or to pause.
    # Load can only make a run slower, so the lower bound cannot fail by chance.
    page = open_page(browser, site_url + PAGES["en"])
    wait_ready(page, "playground")
    seconds = page.evaluate(
        """async () => {
          const widget = document.querySelector('[data-widget=playground]');
          const play = widget.querySelector('button[aria-pressed]');
          const started = performance.now();
          play.click();
          while (play.getAttribute('aria-pressed') === 'true') {
            await new Promise((resolve) => setTimeout(resolve, 100));
          }
          return (performance.now() - started) / 1000;
        }"""
    )
    readout = page.locator('[data-widget="playground"] .dropout-readout')
    assert readout.get_attribute("data-step") == "3000"
    assert seconds >= 4, f"3000 steps in {seconds:.2f} s"
    play = page.locator('[data-widget="playground"] button[aria-pressed]')
    assert (play.inner_text(), play.get_attribute("aria-pressed")) == ("Train", "false")
    assert not page.errors


@pytest.mark.browser
def test_reduced_motion_still_trains_with_fewer_redraws(browser, site_url: str):
    page = open_page(browser, site_url + PAGES["en"], reduced_motion="reduce")
    wait_ready(page, "playground")
    widget = page.locator('[data-widget="playground"]')
    widget.get_by_role("button", name="Train").click()
    page.wait_for_function(
        "() => Number(document.querySelector('[data-widget=playground] .dropout-readout')"
        ".dataset.step) >= 8"
    )
    widget.get_by_role("button", name="Pause").click()
    assert not page.errors


def test_the_widget_assets_load_only_on_the_interactive_page(built_site):
    interactive = (built_site.site / "interactive" / "index.html").read_text()
    assert "javascripts/interactive.js" in interactive
    assert "stylesheets/interactive.css" in interactive
    for other in ("index.html", "complete-example/index.html", "zh/index.html"):
        assert "interactive.js" not in (built_site.site / other).read_text(), other
    assert (built_site.site / MODEL_FILE).exists()
    assert (built_site.site / "zh" / MODEL_FILE).exists()


@pytest.mark.browser
def test_on_a_phone_the_whole_network_fits_the_screen(browser, site_url: str):
    page = open_page(browser, site_url + PAGES["zh"], viewport={"width": 390, "height": 844})
    wait_ready(page, "mask")
    figure = page.locator('[data-widget="mask"] .dropout-figure')
    widths = figure.evaluate(
        "f => [f.scrollWidth, f.clientWidth, f.querySelector('svg').getBoundingClientRect().width]"
    )
    assert widths[0] <= widths[1] and widths[2] <= widths[1], widths  # nothing to scroll to
    assert not page.errors
