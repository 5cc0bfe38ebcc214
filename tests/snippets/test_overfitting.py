"""snippets/overfitting.py: what docs/*/overfitting.md says about its run holds."""

from __future__ import annotations

import itertools

import pytest

from sitebuild import examples
from tests.conftest import ROOT

SNIPPET = ROOT / "snippets" / "overfitting.py"


@pytest.fixture(scope="module")
def values() -> dict:
    """The build's values (computed here if no build has cached them yet)."""
    return examples.ensure_results()["overfitting"].values


def test_uses_current_keras_3_apis():
    source = SNIPPET.read_text()
    assert "keras.Input(" in source
    assert "input_shape" not in source
    assert "tensorflow.keras" not in source
    assert "Dropout" not in source and "regularizer" not in source, "no regularization at all"


def test_the_model_has_nearly_200_weights_per_training_example(values):
    assert 150 < values["weights"] / 100 < 200
    assert values["per_example"] == values["weights"] / 100  # the page prints this one


def test_validation_loss_first_falls_then_climbs_back(values):
    history, best = values["history"], values["best_epoch"]
    assert 3 <= best <= 20, "the lowest validation loss comes after a few epochs"
    assert history["val_loss"][0] > values["best_val_loss"], "both losses fall at first"
    assert history["loss"][0] > history["loss"][best - 1]
    assert history["val_loss"][-1] > 2 * values["best_val_loss"], "then climbs back"
    # The training loss keeps falling after the best epoch, to the end.
    after = history["loss"][best - 1 :]
    assert all(b < a for a, b in itertools.pairwise(after))


def test_training_accuracy_reaches_100_percent_and_stays(values):
    accuracy = values["history"]["accuracy"]
    first = accuracy.index(1.0)
    assert all(a == 1.0 for a in accuracy[first:])
    assert first < 45, "reached well before the end of training"


def test_the_generalization_gap_is_large_and_positive(values):
    assert values["train_accuracy"] == 1.0
    assert values["accuracy_gap"] > 0.2
    assert values["loss_gap"] > 0.5


def test_loss_overfits_more_than_accuracy(values):
    """The note: the validation loss rises a lot while the accuracy falls a little."""
    drop_in_accuracy = values["best_val_accuracy"] - values["val_accuracy"]
    assert 0 < drop_in_accuracy < 0.15, "the extra epochs cost some validation accuracy"
    assert values["history"]["val_loss"][-1] / values["best_val_loss"] > 2


def test_the_gap_shrinks_with_every_doubling_of_the_data(values):
    by_size = values["by_size"]
    assert values["sizes"] == [100, 200, 400, 800, 1600]
    gaps = by_size["gap"]
    assert all(g > 0 for g in gaps)
    assert all(b < a for a, b in itertools.pairwise(gaps)), gaps
    assert gaps[0] > 3 * gaps[-1], "the smallest set has by far the largest gap"


def test_training_accuracy_falls_and_validation_accuracy_rises_with_data(values):
    by_size = values["by_size"]
    assert by_size["train_accuracy"][-1] < by_size["train_accuracy"][0]
    assert by_size["val_accuracy"][-1] > by_size["val_accuracy"][0]


def test_the_100_example_row_repeats_the_first_run(values):
    """Same seed, same data, same number of updates: the page says so."""
    assert values["by_size"]["val_accuracy"][0] == pytest.approx(values["val_accuracy"])
    assert values["by_size"]["train_accuracy"][0] == pytest.approx(values["train_accuracy"])


def test_each_size_gets_the_update_budget_rounded_up_to_whole_epochs(values):
    """The page: at least STEPS updates, at most one epoch more; few passes over 1600."""
    steps = values["STEPS"]
    for size, epochs in zip(values["sizes"], values["epochs_by_size"], strict=True):
        per_epoch = -(-size // 32)  # batches of 32, the last one partial
        assert steps <= epochs * per_epoch < steps + per_epoch, (size, epochs)
    assert values["epochs_by_size"][-1] <= 5, "1600 examples are seen only a few times"
