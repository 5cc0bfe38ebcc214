"""snippets/keras_training_flag.py: what docs/*/keras.md says about Dropout's arguments and flag."""

from __future__ import annotations

import pytest

from sitebuild import examples


@pytest.fixture(scope="module")
def values() -> dict:
    return examples.ensure_results()["keras_training_flag"].values


def test_rate_is_the_fraction_dropped_and_kept_units_are_scaled(values):
    assert abs(values["dropped_fraction"] - 0.5) < 0.02, "about `rate` of the units dropped"
    assert values["kept_values"] == [0.0, 2.0], "kept units become 1 / (1 - 0.5) = 2"


def test_noise_shape_shares_the_mask_over_timesteps(values):
    assert values["same_mask_every_timestep"] is True


def test_a_seed_fixes_the_sequence_of_masks_not_one_mask(values):
    assert values["same_seed_same_first_mask"] is True
    assert values["next_call_new_mask"] is True


def test_which_calls_switch_dropout_on(values):
    assert values["training_seen"] == {
        "fit": [True],
        "evaluate": [False],
        "predict": [False],
        "model(x)": [False],
        "model(x, training=True)": [True],
    }


def test_predict_and_plain_calls_are_deterministic_training_calls_are_not(values):
    assert values["predict_matches_call"] is True
    assert values["plain_repeatable"] is True
    assert values["noisy_repeatable"] is False


def test_without_training_the_layer_is_the_identity_and_with_it_the_mean_is_kept(values):
    assert values["unchanged"] is True
    assert abs(values["mean_on"] - 1) < 0.02
