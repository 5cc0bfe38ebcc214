"""snippets/drop_path.py: what docs/*/modern-networks.md says about stochastic depth."""

from __future__ import annotations

import math

import pytest

from sitebuild import examples


@pytest.fixture(scope="module")
def values() -> dict:
    return examples.ensure_results()["drop_path"].values


def test_drop_path_drops_whole_examples_at_the_rate(values):
    assert values["whole_examples"] is True
    assert abs(values["dropped_share"] - 0.3) < 4 * math.sqrt(0.3 * 0.7 / 20000)


def test_drop_path_keeps_the_expected_output(values):
    # Each example is 0 or 1/0.7: the mean of 20 000 has standard error sqrt(0.3/0.7)/sqrt(n).
    assert values["kept_value"] == pytest.approx(1 / 0.7, rel=1e-5)
    assert abs(values["output_mean"] - 1) < 4 * math.sqrt(0.3 / 0.7 / 20000)


def test_drop_path_is_the_identity_at_inference(values):
    assert values["identity_at_inference"] is True
    assert values["repeatable"] is True


def test_the_linear_decay_rule_ends_at_half(values):
    rates = values["drop_rates"]
    assert rates == sorted(rates) and rates[-1] == pytest.approx(0.5)
    assert values["expected_depth"] == pytest.approx(sum(1 - r for r in rates))


def test_both_networks_start_from_the_same_weights(values):
    assert values["same_start"] is True


def test_in_this_shallow_network_stochastic_depth_costs_validation_accuracy(values):
    accuracy = values["val_accuracy"]
    assert accuracy["stochastic"] < accuracy["plain"]


def test_removing_a_block_hurts_the_plain_network_far_more(values):
    loss = values["mean_loss_of_accuracy"]
    assert loss["plain"] > 0.05
    assert loss["stochastic"] < 0.02
    worst = {
        name: max(values["val_accuracy"][name] - a for a in accs)
        for name, accs in values["without_block"].items()
    }
    assert worst["stochastic"] < worst["plain"]
