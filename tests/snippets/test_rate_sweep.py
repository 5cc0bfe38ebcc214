"""snippets/rate_sweep.py: what docs/*/why-dropout-helps.md says about the run holds."""

from __future__ import annotations

import itertools

import pytest

from sitebuild import examples

RATES = [0.0, 0.1, 0.2, 0.3, 0.5, 0.7]


@pytest.fixture(scope="module")
def values() -> dict:
    """The build's results (computed here if no build has cached them yet)."""
    return examples.ensure_results()["rate_sweep"].values


def column(values: dict, key: str) -> list[float]:
    return [summary[key] for summary in values["sweep"]]


def strictly_decreasing(xs: list[float]) -> bool:
    return all(b < a for a, b in itertools.pairwise(xs))


def test_the_sweep_covers_six_rates_and_five_seeds(values):
    assert values["rates"] == RATES
    assert len(values["seeds"]) == 5
    assert values["no_dropout"] == values["sweep"][0]
    assert values["with_dropout"] == values["sweep"][RATES.index(0.5)]


# "Sparser activations": the higher the rate, the sparser the representation.
def test_higher_rates_give_sparser_hidden_activations(values):
    assert strictly_decreasing(column(values, "mean_activation"))
    assert strictly_decreasing([-z for z in column(values, "zero_fraction")])
    assert values["with_dropout"]["mean_activation"] < values["no_dropout"]["mean_activation"]


# "Experiment 1": every step up in the rate lowers the training accuracy and the gap.
def test_each_higher_rate_lowers_training_accuracy_and_the_gap(values):
    assert values["no_dropout"]["gap"] > 0.03, "without dropout the network overfits"
    assert strictly_decreasing(column(values, "train"))
    assert strictly_decreasing(column(values, "gap"))


def test_at_half_the_gap_is_closed_and_at_0_7_it_is_gone_and_the_model_underfits(values):
    assert abs(values["with_dropout"]["gap"]) < 0.01, "as well on validation as on training"
    at_0_7 = values["sweep"][-1]
    assert abs(at_0_7["gap"]) <= at_0_7["gap_std"], "gone, within the spread between seeds"
    assert at_0_7["train"] < values["with_dropout"]["train"], "training accuracy falls further"
    assert at_0_7["test"] < values["with_dropout"]["test"], "0.7 underfits"


def test_middle_rates_test_best_and_the_gain_is_small(values):
    tests = column(values, "test")
    best = RATES[tests.index(max(tests))]
    assert 0.0 < best < 0.7, "the middle rates do best"
    gain = values["with_dropout"]["test"] - values["no_dropout"]["test"]
    assert 0 < gain < 0.05, "a small gain"


# "Experiment 2": dropout against other regularizers.
def test_dropout_closes_the_gap_best_of_the_single_regularizers(values):
    compared = values["compared"]
    assert abs(compared["dropout"]["gap"]) < 0.01
    single = ["l2", "l2_strong", "early_stopping", "dropout"]
    assert min(single, key=lambda m: compared[m]["gap"]) == "dropout"


def test_weak_l2_barely_helps_and_strong_l2_tests_as_well_as_dropout(values):
    compared = values["compared"]
    assert abs(compared["l2"]["gap"] - compared["none"]["gap"]) < 0.01, "barely changes"
    strong = compared["l2_strong"]
    assert compared["dropout"]["gap"] < strong["gap"], "a larger gap than dropout"
    assert abs(strong["test"] - compared["dropout"]["test"]) < 1 / 200, "within one in 200"


def test_early_stopping_closes_part_of_the_gap(values):
    compared = values["compared"]
    assert compared["early_stopping"]["epochs"] < 20
    assert compared["dropout"]["gap"] < compared["early_stopping"]["gap"]
    assert compared["early_stopping"]["gap"] < compared["none"]["gap"] - 0.01, "part of the gap"


def test_adding_l2_to_dropout_moves_test_accuracy_by_at_most_one_example(values):
    compared = values["compared"]
    difference = abs(compared["dropout_l2"]["test"] - compared["dropout"]["test"])
    assert difference <= 1 / 200 + 1e-9


def test_regularizers_differ_more_in_the_gap_than_in_test_accuracy(values):
    compared = values["compared"].values()
    tests = [c["test"] for c in compared]
    gaps = [c["gap"] for c in compared]
    assert values["test_range"] == pytest.approx(max(tests) - min(tests))
    assert values["gap_range"] == pytest.approx(max(gaps) - min(gaps))
    assert values["gap_range"] > 2 * values["test_range"], "much more in the gap"


def test_every_rate_and_regularizer_starts_from_its_seeds_weights(values):
    # "The same seed gives every configuration the same initial weights."
    summaries = [*values["sweep"], *values["compared"].values()]
    assert all(s["same_start"] == 1.0 and s["same_start_std"] == 0.0 for s in summaries)
