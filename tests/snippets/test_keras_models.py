"""snippets/keras_models.py: the three model styles and the custom layers behave as stated."""

from __future__ import annotations

import pytest

from sitebuild import examples


@pytest.fixture(scope="module")
def values() -> dict:
    return examples.ensure_results()["keras_models"].values


def test_every_style_is_deterministic_at_inference_and_random_in_training(values):
    behaviour = values["behaviour"]
    assert set(behaviour) == {"Sequential", "functional", "subclassed", "custom layer"}
    for name, (repeatable, random_in_training) in behaviour.items():
        assert repeatable, f"{name}: model(x) gives the same output twice"
        assert random_in_training, f"{name}: model(x, training=True) differs between calls"


def test_a_raw_dropout_op_without_a_training_check_stays_on_in_predict(values):
    assert values["broken_predict_repeatable"] is False
    assert abs(values["zeros_at_inference"] - 0.5) < 0.15, "about half the outputs zeroed"


def test_the_custom_layer_can_be_saved_and_rebuilt(values):
    """**kwargs in __init__ and get_config: from_config gives back the same layer."""
    # (noisy_config itself holds None values, which the runner does not keep.)
    assert values["rebuilt"] is True
