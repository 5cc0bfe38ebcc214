"""snippets/training_set_size.py: what docs/*/why-dropout-helps.md says about the run holds."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from sitebuild import examples


@pytest.fixture(scope="module")
def values() -> dict:
    """The build's results (computed here if no build has cached them yet)."""
    return examples.ensure_results()["training_set_size"].values


def mean_errors(values: dict, name: str) -> list[float]:
    return [float(np.mean(values["errors"][name][str(n)])) for n in values["sizes"]]


def test_the_experiment_uses_the_sizes_the_page_names(values):
    assert values["sizes"] == [50, 100, 400, 1297]
    assert len(values["seeds"]) == 3
    assert set(values["gain"]) == {"50", "100", "400", "1297"}


def test_both_networks_improve_as_the_training_set_grows(values):
    for name in ("without", "with"):
        errors = mean_errors(values, name)
        assert all(b < a for a, b in itertools.pairwise(errors)), name


# The page says the result does not have the paper's shape: no size where
# dropout gains a percentage point or more, and it is worse with all the data.
def test_dropout_changes_the_error_by_less_than_a_point_at_every_size(values):
    assert all(abs(gain) < 0.01 for gain in values["gain"].values())


def test_with_all_the_data_dropout_does_worse(values):
    assert values["gain"]["1297"] < 0


def test_with_and_without_dropout_start_from_the_same_weights(values):
    sizes, seeds = values["sizes"], values["seeds"]
    assert len(values["same_starts"]) == 2 * len(sizes) * len(seeds)
    assert all(values["same_starts"])
