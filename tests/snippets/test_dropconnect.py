"""snippets/dropconnect.py: what docs/*/modern-networks.md says about DropConnect."""

from __future__ import annotations

import pytest

from sitebuild import examples


@pytest.fixture(scope="module")
def values() -> dict:
    return examples.ensure_results()["dropconnect"].values


def test_the_three_networks_start_from_the_same_weights(values):
    assert values["same_start"] is True


def test_dropout_gives_a_unit_two_values_and_dropconnect_a_spread_with_the_same_mean(values):
    full, stats = values["unit_full"], values["stats"]
    assert values["dropout_values"] == pytest.approx([0.0, 2 * full], abs=1e-3)
    # 2000 masks: the means agree within a few standard errors of each.
    for kind in ("dropout", "dropconnect"):
        assert abs(stats[kind]["mean"] - full) < 4 * stats[kind]["std"] / 2000**0.5
    assert stats["dropout"]["std"] == pytest.approx(full, rel=0.05)  # 0 or 2x, half each
    assert stats["dropconnect"]["std"] < stats["dropout"]["std"] / 2


def test_the_papers_gaussian_has_the_spread_of_the_real_masks(values):
    # The sample std of 2000 draws is within about 1.6 % (one standard error) of the true one.
    assert values["stats"]["dropconnect"]["std"] == pytest.approx(values["unit_std"], rel=0.07)


def test_mean_inference_underestimates_the_hidden_activations_and_the_gaussian_does_not(values):
    bias = values["hidden_bias"]
    assert bias["mean"] < -0.01
    assert abs(bias["gaussian"]) < abs(bias["mean"]) / 10


def test_the_three_inference_methods_classify_within_a_point(values):
    accuracy = values["inference_accuracy"].values()
    assert max(accuracy) - min(accuracy) < 0.01


def test_the_regularized_networks_do_not_beat_the_plain_one_here(values):
    accuracy = values["val_accuracy"]
    assert accuracy["dropout"] <= accuracy["none"]
    assert accuracy["dropconnect"] <= accuracy["none"]
