"""snippets/complete_example.py: current Keras 3, and what its pages say about the run holds."""

from __future__ import annotations

import pytest

from sitebuild import examples
from tests.conftest import ROOT

SNIPPET = ROOT / "snippets" / "complete_example.py"


@pytest.fixture(scope="module")
def results() -> examples.Results:
    """The build's results (computed here if no build has cached them yet)."""
    return examples.ensure_results()["complete_example"]


def test_uses_current_keras_3_apis():
    source = SNIPPET.read_text()
    assert "keras.Input(" in source
    assert "input_shape" not in source
    assert "tensorflow.keras" not in source


# The prose of docs/*/complete-example.md says these things about the run.
# If a new version of a package changes the numbers, these fail before the text is wrong.


def test_without_dropout_the_model_overfits_a_little(results):
    values = results.values
    baseline = values["baseline_history"]
    assert values["baseline_gap"] > 0, "training accuracy above validation accuracy"
    assert values["baseline_loss_gap"] > 0, "validation loss above training loss"
    assert all(b < a for a, b in zip(baseline["loss"], baseline["loss"][1:], strict=False)), (
        "training loss falls in every epoch"
    )
    last = baseline["val_loss"][-5:]
    assert max(last) - min(last) < 0.01, "validation loss stops improving in the last epochs"


def test_both_models_start_from_the_same_weights(results):
    # "the same initial weights ... the only difference between them is dropout":
    # the run compares the weights each model had before fit. Unseeded Dropout layers
    # made this False (Keras draws their seeds from Python's random stream).
    assert results.values["same_start"] is True
    assert "start from the same weights: True" in results.outputs["train"]


def test_without_seeds_the_layers_after_a_dropout_layer_start_apart(results):
    # The trap the page demonstrates: [kernel, bias] of each Dense layer, rate 0 vs 0.5.
    equal = results.values["unseeded_equal"]
    assert len(equal) == 6
    assert equal[0] and equal[1], "the first Dense layer is built before any Dropout"
    assert not equal[2] and not equal[4], "the kernels after a Dropout layer differ"


def test_the_logged_training_columns_look_worse_than_validation_in_every_epoch(results):
    history = results.values["history"]
    assert all(t < v for t, v in zip(history["accuracy"], history["val_accuracy"], strict=True))
    assert all(t > v for t, v in zip(history["loss"], history["val_loss"], strict=True))


def test_measured_with_dropout_off_dropout_leaves_the_smaller_gap(results):
    values = results.values
    assert values["gap"] < values["baseline_gap"]
    assert values["loss_gap"] < values["baseline_loss_gap"]
    # The log's figure has the wrong sign: an artefact of dropout on during training.
    assert values["logged_gap"] < 0 < values["gap"]


def test_after_100_epochs_the_network_without_dropout_overfits(results):
    values = results.values
    history = values["long_baseline_history"]
    assert values["baseline_best_epoch"] <= 20, "its validation loss bottoms out early"
    assert history["val_loss"][-1] > 1.5 * min(history["val_loss"]), "and then climbs"
    assert history["loss"][-1] < 0.01, "while the training loss falls towards zero"
    assert values["long_baseline_gap"] > 2 * values["baseline_gap"], "the gap grows"
    assert values["long_baseline_loss_gap"] > 3 * values["baseline_loss_gap"]


def test_after_100_epochs_dropout_keeps_improving_and_the_gap_stays_small(results):
    values = results.values
    history = values["long_history"]
    assert values["best_epoch"] > 50, "validation loss keeps improving for most of the run"
    assert min(history["val_loss"]) < min(values["long_baseline_history"]["val_loss"])
    assert values["long_gap"] < values["long_baseline_gap"] / 2
    assert values["long_loss_gap"] < values["long_baseline_loss_gap"] / 2
    assert values["long_test_accuracy"] > values["long_baseline_test_accuracy"]
    # The figure's description: the logged training loss is above validation in most epochs.
    above = sum(t > v for t, v in zip(history["loss"], history["val_loss"], strict=True))
    assert above >= 0.9 * len(history["loss"])


def test_after_twenty_epochs_dropout_has_the_higher_validation_loss(results):
    values = results.values
    assert values["history"]["val_loss"][-1] > values["baseline_history"]["val_loss"][-1]


def test_test_accuracy_is_near_the_articles_result(results):
    # The seed article published 0.85 for this setup; we say our run is comparable.
    assert abs(results.values["test_accuracy"] - 0.85) < 0.03


def test_over_three_seeds_dropout_keeps_the_smaller_gap_and_the_better_test_accuracy(results):
    # "the two are further apart than their spreads": means differ by more than the
    # sum of the standard deviations, in the gap and in test accuracy; each pair same start.
    values = results.values
    assert values["seed_same_starts"] == [True, True, True]
    dropout, baseline = values["seed_summary"]["dropout"], values["seed_summary"]["baseline"]
    assert baseline["gap"] - dropout["gap"] > baseline["gap_std"] + dropout["gap_std"]
    assert dropout["test"] - baseline["test"] > dropout["test_std"] + baseline["test_std"]
    assert all(len(v) == 3 for v in values["tests_100"].values())
