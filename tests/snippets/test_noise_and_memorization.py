"""snippets/noise_and_memorization.py: what docs/*/why-dropout-helps.md says about the run holds."""

from __future__ import annotations

import math

import pytest

from sitebuild import examples


@pytest.fixture(scope="module")
def results():
    """The build's results (computed here if no build has cached them yet)."""
    return examples.ensure_results()["noise_and_memorization"]


@pytest.fixture(scope="module")
def values(results) -> dict:
    return results.values


MULTIPLICATIVE = ("GaussianDropout", "Dropout")


def test_the_run_uses_the_settings_the_page_names(values):
    assert values["rate"] == 0.2
    assert values["stddev"] == pytest.approx(0.5)
    assert values["sizes"] == [0.1, 1.0, 10.0]
    assert values["epochs"] == 60
    assert list(values["runs"]) == ["random", "random_dropout", "true"]


# "All three are unbiased": the mean output is the input, at every size, within
# five standard errors of the mean of the draws.
@pytest.mark.parametrize("name", ["GaussianNoise", *MULTIPLICATIVE])
def test_every_noise_layer_keeps_the_mean(values, name):
    noise = values["noise"][name]
    for size, mean, std in zip(values["sizes"], noise["mean"], noise["std"], strict=True):
        assert abs(mean - size) < 5 * std / math.sqrt(values["draws"]), (name, size)


# "Additive noise has the same std whatever the unit's size."
def test_additive_noise_has_the_same_std_at_every_size(values):
    for std in values["noise"]["GaussianNoise"]["std"]:
        assert std == pytest.approx(values["stddev"], rel=0.02)


# "Multiplicative noise grows with h: std = sqrt(rate / (1 - rate)) * h, for both."
@pytest.mark.parametrize("name", MULTIPLICATIVE)
def test_multiplicative_noise_grows_with_the_unit(values, name):
    factor = math.sqrt(values["rate"] / (1 - values["rate"]))
    for size, std in zip(values["sizes"], values["noise"][name]["std"], strict=True):
        assert std == pytest.approx(factor * size, rel=0.02), (name, size)


# "At h = 1 the three layers add the same amount of noise."
def test_the_three_agree_at_h_equal_one(values):
    index = values["sizes"].index(1.0)
    for name in values["noise"]:
        assert values["noise"][name]["std"][index] == pytest.approx(0.5, rel=0.02), name


# "Scale h by 10: additive noise's relative effect shrinks tenfold, multiplicative's does not."
def test_growing_the_activations_cancels_only_additive_noise(values):
    additive = values["scaling"]["GaussianNoise"]
    assert additive["10h"] / additive["h"] == pytest.approx(0.1, rel=0.02)
    for name in MULTIPLICATIVE:
        scaled = values["scaling"][name]
        assert scaled["10h"] / scaled["h"] == pytest.approx(1.0, rel=0.02), name
        assert scaled["h"] == pytest.approx(0.5, rel=0.02), name


# "About one shuffled label in ten is still the true digit": the labels carry no signal.
def test_the_shuffled_labels_agree_with_the_digits_only_by_chance(values):
    assert 0.07 < values["agree"] < 0.13


def test_the_three_models_start_from_the_same_weights(results):
    assert results.values["same_start"] is True
    assert "start from the same weights: True" in results.outputs["train"]


# "Without dropout it learns the random labels by heart; test accuracy stays at chance."
def test_without_dropout_the_network_memorizes_random_labels(values):
    run = values["runs"]["random"]
    assert run["train"][-1] >= 0.99
    assert max(run["test"]) < 0.15


# "With dropout it memorizes more slowly: below the network without dropout at every
# epoch from the 5th on, still short of it after 60 epochs, and still rising."
def test_with_dropout_it_memorizes_more_slowly(values):
    plain = values["runs"]["random"]["train"]
    dropped = values["runs"]["random_dropout"]
    assert all(d < p for d, p in zip(dropped["train"][4:], plain[4:], strict=True))
    assert dropped["train"][-1] < plain[-1] - 0.1
    assert dropped["train"][-1] > dropped["train"][29] + 0.1
    assert max(dropped["test"]) < 0.15


# The control: the same network learns the true labels and generalizes, so chance-level
# test accuracy on random labels comes from the labels, not from the network.
def test_with_true_labels_the_same_network_generalizes(values):
    run = values["runs"]["true"]
    assert run["train"][-1] >= 0.99
    assert run["test"][-1] > 0.95
