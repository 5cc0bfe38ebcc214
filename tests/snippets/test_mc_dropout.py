"""snippets/mc_dropout.py: MC dropout is more uncertain far from the training data."""

from __future__ import annotations

import pytest

from sitebuild import examples


@pytest.fixture(scope="module")
def values() -> dict:
    return examples.ensure_results()["mc_dropout"].values


def test_spread_far_from_the_data_is_several_times_the_spread_over_it(values):
    # The page says "about N times as much" with N from the run, and shows the figure:
    # that only makes the point if the far spread is clearly larger.
    assert values["spread_far"] > 3 * values["spread_inside"]
    assert values["spread_ratio"] == pytest.approx(values["spread_far"] / values["spread_inside"])


def test_the_mc_mean_agrees_with_predict_over_the_training_data(values):
    assert values["mean_vs_predict"] < 0.1


def test_far_from_the_data_the_mc_mean_is_off_the_true_curve(values):
    # "The model does not know the true curve out there — its mean is off."
    assert values["error_far"] > 5 * values["error_inside"]
