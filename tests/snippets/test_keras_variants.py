"""snippets/keras_variants.py: what docs/*/keras.md says about the dropout variants."""

from __future__ import annotations

import math

import pytest

from sitebuild import examples


@pytest.fixture(scope="module")
def values() -> dict:
    return examples.ensure_results()["keras_variants"].values


def test_spatial_dropout_zeroes_whole_channels_and_plain_dropout_does_not(values):
    assert values["spatial_columns_constant"] is True
    assert values["plain_columns_constant"] is False
    assert values["channels_all_or_nothing"] is True


def test_gaussian_dropout_has_mean_one_and_the_bernoulli_std_and_no_zeros(values):
    assert abs(values["gaussian_mean"] - 1) < 0.02
    assert abs(values["gaussian_std"] - math.sqrt(0.2 / 0.8)) < 0.02
    assert values["gaussian_zero_fraction"] == 0


def test_alpha_dropout_keeps_the_variance_that_dropout_raises(values):
    stats = values["alpha_stats"]
    assert abs(stats["Dropout"]["var"] - 1 / 0.9) < 0.02
    assert abs(stats["AlphaDropout"]["var"] - 1) < 0.02
    assert abs(stats["AlphaDropout"]["mean"]) < 0.02


def test_recurrent_layer_is_deterministic_at_inference(values):
    assert values["same_at_inference"] is True


def test_each_image_draws_its_own_channels(values):
    assert values["images_share_channels"] is False
