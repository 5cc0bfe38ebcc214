"""snippets/mc_dropout.py: what docs/*/keras.md says about Monte Carlo dropout holds."""

from __future__ import annotations

import pytest

from sitebuild import examples
from tests.conftest import ROOT

SNIPPET = ROOT / "snippets" / "mc_dropout.py"


@pytest.fixture(scope="module")
def values() -> dict:
    return examples.ensure_results()["mc_dropout"].values


def test_spread_far_from_the_data_is_several_times_the_spread_over_it(values):
    assert values["spread_far"] > 3 * values["spread_inside"]
    assert values["spread_ratio"] == pytest.approx(values["spread_far"] / values["spread_inside"])


def test_an_untrained_network_widens_too_and_the_page_claims_only_the_excess(values):
    # The control: the same procedure on an untrained copy. Its spread grows with |x| as
    # well (ReLU units grow with |x|, dropout's noise is multiplicative), so the page
    # may attribute to training only how much more the trained network's spread grows.
    assert values["untrained_ratio"] > 3, "the built-in widening the page warns about"
    assert values["learned_factor"] == pytest.approx(
        values["spread_ratio"] / values["untrained_ratio"]
    )
    assert values["learned_factor"] > 1.5, "training made the far/inside ratio clearly larger"


def test_far_from_the_data_the_band_misses_the_true_curve_often(values):
    # "over the data the band holds the true curve; far from it, only part of the time"
    assert values["covered_inside"] > 0.95
    assert values["covered_far"] < 0.8


def test_the_mc_mean_agrees_with_predict_over_the_training_data(values):
    assert values["mean_vs_predict"] < 0.1


def test_far_from_the_data_the_mc_mean_is_off_the_true_curve(values):
    assert values["error_far"] > 5 * values["error_inside"]


def test_training_true_overwrites_batch_norm_and_the_mc_copy_does_not(values):
    assert values["naive_changed"] > 0.01, "model(x, training=True) moved BN's moving mean"
    assert values["idiom_changed"] == 0.0, "the MCDropout copy left it alone"
    assert values["idiom_samples_differ"] is True, "and its dropout is really on"


def test_the_page_teaches_the_mc_dropout_layer_not_training_true():
    source = SNIPPET.read_text()
    assert "class MCDropout(keras.layers.Dropout)" in source
    mc = source.split("# --8<-- [start:mc]")[1].split("# --8<-- [end:mc]")[0]
    assert "training=True" not in mc
