"""snippets/thinned_networks.py: what docs/*/how-dropout-works.md says about its figure holds."""

from __future__ import annotations

import pytest

from sitebuild import examples


@pytest.fixture(scope="module")
def values() -> dict:
    return examples.ensure_results()["thinned_networks"].values


def test_the_inference_panel_keeps_every_unit(values):
    assert values["kept"][0] == [64, 64]


def test_every_training_panel_is_a_different_thinned_network(values):
    # Different numbers of kept units prove different masks: the page says the two examples
    # of one step, and one example in two steps, are thinned differently.
    training = [tuple(k) for k in values["kept"][1:]]
    assert len(set(training)) == len(training) == 3


def test_each_training_panel_keeps_about_half_of_each_layer(values):
    # rate 0.5 on 64 units: kept ~ Binomial(64, 0.5), std 4; the page says "about half".
    for kept_1, kept_2 in values["kept"][1:]:
        assert 20 <= kept_1 <= 44
        assert 20 <= kept_2 <= 44
