"""snippets/torch_dropout.py and torch_mc_dropout.py: the PyTorch tabs of docs/*/keras.md and
how-dropout-works.md, checked against the Keras runs they sit beside.

Where the pages say the two frameworks agree (fraction dropped, scale factor, identity at
inference), both runs are held to the same statistical tolerance: a dropped fraction over n
units is binomial, so it lies within 4 standard deviations, sqrt(p (1 - p) / n), of p, and two
independent runs within 4 sqrt(2) of each other; a mean of n outputs scaled by 1 / (1 - p)
lies within 4 sqrt(p / ((1 - p) n)) of 1. Where the pages say they differ, the test says how.
"""

from __future__ import annotations

import math

import pytest

from sitebuild import examples


@pytest.fixture(scope="module")
def runs() -> dict:
    results = examples.ensure_results()
    names = ["torch_dropout", "torch_mc_dropout", "keras_training_flag", "numpy_dropout"]
    names += ["rate_pitfall", "mc_dropout", "keras_models", "keras_variants"]
    return {name: results[name].values for name in names}


def fraction_sd(p: float, n: int) -> float:
    return math.sqrt(p * (1 - p) / n)


def mean_sd(p: float, n: int) -> float:
    return math.sqrt(p / ((1 - p) * n))


def test_rate_half_drops_half_and_doubles_the_rest_in_both(runs):
    torch, keras, n = runs["torch_dropout"], runs["keras_training_flag"], 10_000
    for run in (torch, keras):
        assert abs(run["dropped_fraction"] - 0.5) < 4 * fraction_sd(0.5, n)
        assert run["kept_values"] == [0.0, 2.0], "kept units become 1 / (1 - 0.5) = 2"
        assert abs(run["mean_on"] - 1) < 4 * mean_sd(0.5, n)
        assert run["unchanged"] is True, "identity at inference"
    gap = abs(torch["dropped_fraction"] - keras["dropped_fraction"])
    assert gap < 4 * math.sqrt(2) * fraction_sd(0.5, n)


def test_rate_0_3_on_100_000_units_agrees_with_keras(runs):
    torch = runs["torch_dropout"]["torch_stats"]
    keras = runs["numpy_dropout"]["comparison"]["Keras"]
    p, n = runs["torch_dropout"]["torch_rate"], 100_000
    assert p == runs["numpy_dropout"]["keras_rate"] == 0.3
    for stats in (torch, keras):
        assert abs(stats["zeroed"] - p) < 4 * fraction_sd(p, n)
        assert abs(stats["mean"] - 1) < 4 * mean_sd(p, n)
        assert stats["max"] == pytest.approx(1 / (1 - p), rel=1e-6), "the same scale factor"
    assert abs(torch["zeroed"] - keras["zeroed"]) < 4 * math.sqrt(2) * fraction_sd(p, n)
    assert runs["torch_dropout"]["torch_unchanged_in_eval"] is True


def test_p_and_rate_both_count_the_dropped_units(runs):
    torch, keras, n = runs["torch_dropout"]["naming_stats"], runs["rate_pitfall"], 10_000
    pairs = [("0.2", "correct"), ("0.8", "ported")]
    assert [keras["correct_rate"], keras["ported_rate"]] == pytest.approx([0.2, 0.8])
    for p_text, label in pairs:
        p = float(p_text)
        for stats in (torch[p_text], keras["layer_stats"][label]):
            assert abs(stats["kept"] - (1 - p)) < 4 * fraction_sd(p, n)
            assert stats["scale"] == pytest.approx(1 / (1 - p), rel=1e-6)
        gap = abs(torch[p_text]["kept"] - keras["layer_stats"][label]["kept"])
        assert gap < 4 * math.sqrt(2) * fraction_sd(p, n)


def test_where_they_differ_a_new_torch_module_trains_a_keras_call_does_not(runs):
    """The page: a plain Keras call is inference; a new PyTorch module is in training mode."""
    assert runs["torch_dropout"]["starts_in_training"] is True
    assert runs["keras_training_flag"]["training_seen"]["model(x)"] == [False]


def test_train_and_eval_switch_dropout_no_grad_does_not(runs):
    torch = runs["torch_dropout"]
    assert torch["dropout_layer_training"] is False, "eval() reaches the children"
    assert torch["train_repeatable"] is False
    assert torch["no_grad_repeatable"] is False, "no_grad leaves dropout on"
    assert torch["eval_repeatable"] is True
    keras = runs["keras_training_flag"]
    assert (keras["noisy_repeatable"], keras["plain_repeatable"]) == (False, True)


def test_the_functional_ops_ignore_the_mode_in_both_frameworks(runs):
    torch, keras = runs["torch_dropout"], runs["keras_models"]
    assert torch["forgetful_repeatable"] is False, "F.dropout(x, p) drops after eval()"
    assert keras["broken_predict_repeatable"] is False, "keras.random.dropout in predict"
    assert torch["careful_repeatable"] is True
    assert abs(torch["zeros_after_eval"] - 0.5) < 4 * fraction_sd(0.5, 4000)
    assert torch["raw_repeatable"] is False, "SDPA's dropout_p ignores eval()"
    assert torch["gated_repeatable"] is True
    assert torch["mha_repeatable"] is True, "nn.MultiheadAttention follows eval()"


def test_lstm_dropout_acts_only_between_stacked_layers(runs):
    torch = runs["torch_dropout"]
    (warning,) = torch["lstm_warnings"]
    assert warning.startswith("UserWarning: dropout option adds dropout after all but last")
    assert "num_layers=1" in warning
    assert torch["single_repeatable_in_training"] is True, "one layer: dropout does nothing"
    assert torch["stacked_repeatable_in_training"] is False
    assert torch["stacked_repeatable_in_eval"] is True
    assert runs["keras_variants"]["same_at_inference"] is True, "Keras: off at inference too"
    # Where they differ: Keras' one-layer LSTM(dropout=0.2) does drop while training.
    assert runs["keras_variants"]["same_in_training"] is False
    assert "recurrent_dropout" in torch["no_recurrent_dropout"], "no such argument in PyTorch"


def test_mc_dropout_mode_keeps_batch_norm_statistics_in_both(runs):
    torch, keras = runs["torch_mc_dropout"], runs["mc_dropout"]
    assert torch["idiom_changed"] == 0.0 and keras["idiom_changed"] == 0.0
    assert torch["idiom_samples_differ"] is True and keras["idiom_samples_differ"] is True
    assert torch["naive_changed"] > 0.01, "model.train() overwrites the running mean"
    assert keras["naive_changed"] > 0.01, "training=True overwrites the moving mean"
    # Where they differ (the page says why): each batch moves PyTorch's running mean by
    # momentum 0.1 of the way, Keras' by 1 - 0.99, so five calls move PyTorch's further.
    assert torch["naive_changed"] > 2 * keras["naive_changed"]
    assert torch["mc_spread"] > 0
