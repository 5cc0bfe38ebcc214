"""snippets/cnn_dropout.py: what docs/*/modern-networks.md says about convolutional networks."""

from __future__ import annotations

import math

import pytest

from sitebuild import examples


@pytest.fixture(scope="module")
def values() -> dict:
    return examples.ensure_results()["cnn_dropout"].values


def test_dropblock_drops_whole_blocks_and_dropout_does_not(values):
    assert values["dropblock_in_blocks"] is True
    assert values["dropout_in_blocks"] is False


def test_dropblock_drops_the_expected_share_below_the_target_because_blocks_overlap(values):
    # 2000 x 4 maps of 64 positions; positions within a map are correlated through
    # the blocks, so bound the error by the maps' count (8000), not the positions'.
    assert values["expected_rate"] < 0.2
    standard_error = math.sqrt(values["expected_rate"] * (1 - values["expected_rate"]) / 8000)
    assert abs(values["measured_rate"] - values["expected_rate"]) < 4 * standard_error


def test_dropblock_rescales_so_the_mean_is_kept_and_is_the_identity_at_inference(values):
    assert values["dropblock_mean"] == pytest.approx(1.0, abs=1e-4)
    assert values["kept_value"] == pytest.approx(1 / (1 - values["measured_rate"]), rel=1e-3)
    assert values["dropblock_identity"] is True


def test_the_five_models_start_from_the_same_weights(values):
    assert values["same_start"] is True


def test_every_kind_of_dropout_narrows_the_gap(values):
    gap = values["gap"]
    assert all(gap[kind] < gap["none"] for kind in gap if kind != "none")


def test_no_kind_changes_validation_accuracy_beyond_the_noise_of_one_run(values):
    # The page: no variant's validation accuracy differs from the plain network's by two
    # binomial standard errors of one run on 1000 images.
    accuracy = values["val_accuracy"]
    standard_error = math.sqrt(accuracy["none"] * (1 - accuracy["none"]) / 1000)
    assert values["standard_error"] == pytest.approx(standard_error)
    assert all(abs(a - accuracy["none"]) < 2 * standard_error for a in accuracy.values())


def test_spatial_dropout_in_the_figure_drops_whole_channels(values):
    shares = values["channel_drop_share"]
    assert set(shares) <= {0.0, 1.0}
    assert 0 < sum(shares) < len(shares)  # at least one channel dropped, not all
