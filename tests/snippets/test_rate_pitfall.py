"""snippets/rate_pitfall.py: copying keep_prob=0.8 into Dropout(0.8) keeps 20 % and underfits."""

from __future__ import annotations

import pytest

from sitebuild import examples


@pytest.fixture(scope="module")
def values() -> dict:
    return examples.ensure_results()["rate_pitfall"].values


def test_the_conversion_is_one_minus_keep_prob(values):
    assert values["correct_rate"] == pytest.approx(0.2)
    assert values["ported_rate"] == 0.8


def test_the_ported_layer_keeps_one_unit_in_five_and_multiplies_it_by_five(values):
    stats = values["layer_stats"]
    assert abs(stats["correct"]["kept"] - 0.8) < 0.02
    assert stats["correct"]["scale"] == pytest.approx(1.25)
    assert abs(stats["ported"]["kept"] - 0.2) < 0.02
    assert stats["ported"]["scale"] == pytest.approx(5.0)


def test_the_ported_model_underfits_even_its_training_data(values):
    correct_train, correct_test = values["accuracy"]["correct"]
    ported_train, ported_test = values["accuracy"]["ported"]
    assert correct_test > 0.9
    assert ported_test < correct_test - 0.2
    assert ported_train < correct_train - 0.2
