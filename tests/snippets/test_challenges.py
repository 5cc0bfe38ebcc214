"""snippets/challenges.py: what docs/*/challenges.md says about the run holds."""

from __future__ import annotations

import pytest

from sitebuild import examples
from tests.conftest import ROOT

SNIPPET = ROOT / "snippets" / "challenges.py"


@pytest.fixture(scope="module")
def values() -> dict:
    """The build's results (computed here if no build has cached them yet)."""
    return examples.ensure_results()["challenges"].values


def test_uses_current_keras_3_apis():
    source = SNIPPET.read_text()
    assert "keras.Input(" in source
    assert "input_shape" not in source
    assert "tensorflow.keras" not in source


def test_dropout_needs_more_epochs_and_its_training_loss_is_noisier(values):
    assert values["epochs_plain"] is not None and values["epochs_dropout"] is not None
    assert values["epochs_dropout"] > values["epochs_plain"]
    assert values["rises_plain"] == 0, "without dropout the training loss falls every epoch"
    assert values["rises_dropout"] > 0


def test_dropout_reaches_the_lower_best_validation_loss(values):
    assert values["best_dropout"] < values["best_plain"]


def test_the_logged_training_accuracy_is_explained_by_two_effects(values):
    names = ("logged", "on_at_end", "off_at_end", "val_accuracy")
    logged, on, off, val = (values[name] for name in names)
    # First epoch, read left to right: averaging, then dropout, each lowers the figure.
    assert logged[0] < on[0] < off[0]
    assert off[0] > val[0]
    # With dropout off the training set always scores at least the validation set ...
    assert all(t >= v for t, v in zip(off, val, strict=True))
    # ... while fit's logged figure is below validation in some epochs.
    assert 0 < values["below"] == sum(t < v for t, v in zip(logged, val, strict=True))
    assert values["evaluated"] == pytest.approx(off[-1], abs=1e-6)


def test_rate_0_9_underfits(values):
    train, validation = values["train_accuracy"], values["validation_accuracy"]
    assert values["rates"] == [0.0, 0.5, 0.9]
    assert train[2] < train[1] and train[2] < 0.95, "cannot fit its own training data"
    assert validation[2] < validation[1]


def test_dropout_shifts_the_variance_that_batch_normalization_sees(values):
    assert values["var_train"] > 1.5 * values["var_infer"]
    assert values["shift"] < 0.6, "at inference the BN input has well below its stored variance"
    assert values["shift_train"] > 0.75
    # The page says accuracy does not suffer on this shallow network.
    assert abs(values["bn_val_accuracy"] - values["no_bn_accuracy"]) <= 0.01


def test_inference_pitfalls(values):
    assert values["buggy_difference"] > 0.1
    assert values["fixed_difference"] == 0.0
    assert values["accuracy_wrong"] < values["accuracy_right"]
    assert values["accuracy_right"] == pytest.approx(values["validation_accuracy"][1], abs=1e-6)


def test_the_same_seed_gives_the_same_run(values):
    assert values["same_seed_equal"] is True
    assert values["other_seed_equal"] is False


def test_every_compared_network_starts_from_the_same_weights(values):
    # "the same network with and without dropout from the same seed": models built with
    # one seed and layout, at any rate, start alike (unseeded Dropout layers broke this).
    assert len(values["same_starts"]) >= 6
    assert all(values["same_starts"])
