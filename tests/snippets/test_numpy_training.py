"""snippets/numpy_training.py: what docs/*/how-dropout-works.md says about the run holds.

The NumPy network (forward, backward and SGD by hand, with the from-scratch dropout) and
the same network in Keras are trained from the same initial weights; they must behave alike.
"""

from __future__ import annotations

import numpy as np
import pytest

from sitebuild import examples

TOLERANCE_POINTS = 2  # the page: mean test accuracies within 2 percentage points


@pytest.fixture(scope="module")
def results() -> examples.Results:
    """The build's results (computed here if no build has cached them yet)."""
    return examples.ensure_results()["numpy_training"]


@pytest.fixture(scope="module")
def values(results) -> dict:
    return results.values


def test_the_run_uses_the_settings_the_page_names(values):
    assert (values["rate"], values["learning_rate"]) == (0.5, 0.2)
    assert (values["epochs"], values["batch_size"]) == (20, 64)
    assert values["seeds"] == [0, 1, 2]
    for name in ("NumPy", "Keras"):
        assert len(values["curves"][name]) == len(values["seeds"]), name
        assert all(len(curve) == values["epochs"] for curve in values["curves"][name]), name
        assert len(values["test_accuracy"][name]) == len(values["seeds"]), name


def test_without_dropout_and_in_the_same_order_both_do_the_same_arithmetic(values):
    # "after two epochs the weights differ by float32 rounding only"
    assert values["exact_difference"] < 1e-5


def test_the_two_networks_reach_the_same_test_accuracy(values):
    mean = values["mean_test"]
    for name in ("NumPy", "Keras"):
        assert mean[name] == pytest.approx(np.mean(values["test_accuracy"][name]))
        assert mean[name] > 0.93, f"{name} learned the digits"
    assert abs(mean["NumPy"] - mean["Keras"]) <= TOLERANCE_POINTS / 100
    assert values["gap_points"] == pytest.approx(100 * abs(mean["NumPy"] - mean["Keras"]))


def test_the_learning_curves_rise_together(values):
    numpy_mean = np.mean(values["curves"]["NumPy"], axis=0)
    keras_mean = np.mean(values["curves"]["Keras"], axis=0)
    # Both climb from the first epoch to the last ...
    assert numpy_mean[-1] - numpy_mean[0] > 0.2
    assert keras_mean[-1] - keras_mean[0] > 0.2
    # ... end near 95 % (the figure's description) ...
    assert abs(numpy_mean[-1] - 0.95) < 0.02
    assert abs(keras_mean[-1] - 0.95) < 0.02
    # ... and over the second half of training their means stay close.
    half = len(numpy_mean) // 2
    late_gap = np.max(np.abs(numpy_mean[half:] - keras_mean[half:]))
    assert values["late_gap_points"] == pytest.approx(100 * late_gap)
    assert late_gap < 0.03


def test_the_page_s_split_of_the_digits(values):
    assert values["split"] == {"training": 997, "validation": 300, "test": 500}


def test_dropout_is_off_at_inference_in_the_numpy_network(values):
    check = values["inference_check"]
    assert check == {
        "repeatable": True,
        "same_as_without_dropout": True,
        "training_passes_differ": True,
    }


def test_the_figure_is_written(results):
    assert "figures/numpy_training/numpy_training.svg" in results.site_files
