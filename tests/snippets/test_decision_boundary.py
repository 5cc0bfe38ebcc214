"""snippets/decision_boundary.py: what docs/*/overfitting.md says about its run holds."""

from __future__ import annotations

import pytest

from sitebuild import examples
from tests.conftest import ROOT

SNIPPET = ROOT / "snippets" / "decision_boundary.py"


@pytest.fixture(scope="module")
def accuracy() -> dict:
    """The build's accuracies (computed here if no build has cached them yet)."""
    return examples.ensure_results()["decision_boundary"].values["accuracy"]


def test_uses_current_keras_3_apis():
    source = SNIPPET.read_text()
    assert "keras.Input(" in source
    assert "input_shape" not in source
    assert "tensorflow.keras" not in source


def test_the_unregularized_network_fits_training_points_far_better_than_new_ones(accuracy):
    none = accuracy["none"]
    assert none["train"] > 0.9
    assert none["train"] - none["test"] > 0.05


def test_dropout_trades_training_accuracy_for_test_accuracy(accuracy):
    none, dropout = accuracy["none"], accuracy["dropout"]
    assert dropout["train"] < none["train"], "lower training accuracy"
    assert dropout["test"] > none["test"], "higher test accuracy"
    assert dropout["train"] < 1.0, "it gives up on some stray training points"


def test_both_networks_start_from_the_same_weights():
    # The page says the two differ only by dropout: same initial weights, checked in the run.
    assert examples.ensure_results()["decision_boundary"].values["same_start"] is True
