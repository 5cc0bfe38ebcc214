"""snippets/transformer_dropout.py: what docs/*/modern-networks.md says about the run."""

from __future__ import annotations

import json

import numpy as np
import pytest

from sitebuild import examples

EXPORT = "figures/transformer_dropout/transformer_attention.json"


@pytest.fixture(scope="module")
def results() -> examples.Results:
    return examples.ensure_results()["transformer_dropout"]


@pytest.fixture(scope="module")
def values(results) -> dict:
    return results.values


def test_the_two_blocks_start_from_the_same_weights(values, results):
    assert values["same_start"] is True
    assert "start from the same weights: True" in results.outputs["train"]


def test_the_listing_finds_all_four_dropouts_at_the_rate_trained(results):
    listed = results.outputs["where"].splitlines()
    assert listed == [
        "embedding_dropout    Dropout(0.1)",
        "attention            MultiHeadAttention(dropout=0.1)",
        "attention_dropout    Dropout(0.1)",
        "ffn_dropout          Dropout(0.1)",
    ]


def test_both_fit_the_training_set_and_dropout_fits_it_less_closely(values):
    dropout, baseline = values["results"]["dropout"], values["results"]["baseline"]
    assert dropout["train_accuracy"] >= 0.99 and baseline["train_accuracy"] >= 0.99
    assert dropout["train_loss"] > baseline["train_loss"]


def test_the_block_with_dropout_has_the_lower_test_loss(values):
    """The page: lower test loss, and the accuracies it prints side by side."""
    dropout, baseline = values["results"]["dropout"], values["results"]["baseline"]
    assert dropout["test_loss"] < baseline["test_loss"]
    assert dropout["test_accuracy"] > baseline["test_accuracy"]


def test_inference_rows_sum_to_one_and_dropped_rows_do_not(values):
    probabilities = np.array(values["keras_probabilities"])  # (digits, heads, 8, 8)
    assert probabilities.shape == (values["shown"], 2, 8, 8)
    assert np.allclose(probabilities.sum(axis=-1), 1, atol=1e-5)
    sums = np.array(values["dropped_row_sums"])
    assert not np.allclose(sums, 1, atol=1e-3), "dropout left every row summing to one"
    assert np.all(sums <= 1 / 0.9 + 1e-5), "no row can sum to more than 1 / (1 - rate)"


def test_dropped_entries_are_zero_and_the_others_divided_by_0_9(values):
    head = np.array(values["keras_probabilities"])[0, 0]
    dropped = np.array(values["keras_dropped"])
    kept = dropped != 0
    assert 0 < (~kept).sum() < 64
    assert np.allclose(dropped[kept], head[kept] / 0.9, atol=1e-6)


def test_the_layer_is_softmax_of_q_k_and_dropout_sits_on_the_probabilities(values, results):
    assert values["probabilities_match"] is True
    assert values["inside_matches"] is True
    assert "the layer's probabilities: True" in results.outputs["inside"]
    assert "dropped probabilities x values: True" in results.outputs["inside"]


def test_the_export_holds_the_widgets_digits_and_rate(results, values):
    data = json.loads((results.entry / "site" / EXPORT).read_text())
    assert data["dropout_rate"] == 0.1
    assert (data["heads"], data["key_dim"]) == (2, 16)
    assert len(data["x_test"]) == len(data["y_test"]) == values["shown"]
    assert np.array(data["x_test"]).shape == (values["shown"], 8, 8)
