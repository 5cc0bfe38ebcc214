"""snippets/paper_recipe.py: what docs/*/why-dropout-helps.md says about the run holds."""

from __future__ import annotations

import pytest

from sitebuild import examples

CAPS = {"maxnorm3": 3.0, "maxnorm4": 4.0}


@pytest.fixture(scope="module")
def results():
    """The build's results (computed here if no build has cached them yet)."""
    return examples.ensure_results()["paper_recipe"]


@pytest.fixture(scope="module")
def values(results) -> dict:
    return results.values


@pytest.fixture(scope="module")
def grid(values) -> dict:
    return values["grid"]


@pytest.fixture(scope="module")
def by_width(values) -> dict:
    return values["by_width"]


def test_the_run_uses_the_settings_the_page_names(values):
    assert values["epochs"] == 20
    assert values["batch_size"] == 50
    assert values["seeds"] == [0, 1, 2]
    assert values["settings"] == {"plain": [0.01, 0.9], "3x": [0.03, 0.95], "10x": [0.1, 0.95]}
    # (`constraints` holds None, which the runner does not record: the caps' values are
    # checked through the norms they hold at 0.1, in test_the_constraint_caps_every_unit)
    assert values["widths"] == {
        "n": [64, 0.0],
        "n_dropout": [64, 0.5],
        "wide": [128, 0.0],
        "wide_dropout": [128, 0.5],
    }
    assert list(values["grid"]) == ["plain", "3x", "10x"]
    for row in values["grid"].values():
        assert list(row) == ["none", "maxnorm3", "maxnorm4"]
        for result in row.values():
            assert len(result["test"]) == 3


# Principle 4: every model of a seed and width, whatever its rate, constraint and
# optimizer, starts from the same weights, and the run says so.
def test_every_compared_model_starts_from_the_same_weights(results, grid, by_width):
    assert results.values["same_start"] is True
    assert "starts from the weights of its seed and width: True" in results.outputs["widths"]
    for row in grid.values():
        for result in row.values():
            assert result["same_start"] is True
    for result in by_width.values():
        assert result["same_start"] is True


# "The caps hold: with MaxNorm(c) no hidden unit's incoming weight vector is longer than c",
# and at 0.1, where the weights grow, the longest vectors sit at the caps, 3 and 4.
def test_the_constraint_caps_every_unit(grid):
    for row in grid.values():
        for name, cap in CAPS.items():
            assert row[name]["norm"] <= cap * (1 + 1e-5), name
    for name, cap in CAPS.items():
        assert grid["10x"][name]["norm"] == pytest.approx(cap, rel=1e-4), name


# "At 0.01 and at 0.03 the caps are never reached: MaxNorm(3) and MaxNorm(4) give exactly
# the same accuracy with every seed, and without a cap the longest vector ends below 3."
@pytest.mark.parametrize("setting", ["plain", "3x"])
def test_below_the_raised_rate_no_cap_is_reached(grid, setting):
    row = grid[setting]
    assert row["maxnorm3"]["test"] == row["maxnorm4"]["test"]
    assert row["none"]["norm"] < 3


# "The runs without a cap differ from them by rounding only: less than a point in the mean."
@pytest.mark.parametrize("setting", ["plain", "3x"])
def test_without_a_reached_cap_the_constraint_changes_little(grid, setting):
    row = grid[setting]
    assert abs(row["none"]["mean"] - row["maxnorm3"]["mean"]) < 0.01


# "Raising the rate to 0.03 with momentum 0.95 improved the test accuracy for every seed
# and every constraint, within the same 400 steps."
@pytest.mark.parametrize("name", ["none", *CAPS])
def test_the_raised_rate_beats_the_plain_one_for_every_seed(grid, name):
    raised, plain = grid["3x"][name]["test"], grid["plain"][name]["test"]
    assert all(r > p for r, p in zip(raised, plain, strict=True))


# "The width comparison runs at the rate that did best above (0.03 with momentum 0.95)."
def test_the_width_runs_use_the_best_rate(values, grid):
    assert [values["learning_rate"], values["momentum"]] == values["settings"]["3x"]
    best = max(grid, key=lambda setting: grid[setting]["none"]["mean"])
    assert best == "3x"


# "At 0.1, ten times the plain rate, every run is worse than every run at 0.01."
def test_ten_times_the_rate_fails(grid):
    worst_plain = min(t for result in grid["plain"].values() for t in result["test"])
    best_10x = max(t for result in grid["10x"].values() for t in result["test"])
    assert best_10x < worst_plain


# "Without a cap the weights grow there (longest vector beyond 4), and max-norm keeps them
# in bounds, but does not rescue the accuracy: with either cap the mean is lower."
def test_max_norm_does_not_rescue_the_high_rate(grid):
    row = grid["10x"]
    assert row["none"]["norm"] > 4
    for name in CAPS:
        assert row[name]["mean"] < row["none"]["mean"], name


# "With 64 units, dropout 0.5 costs accuracy, for every seed."
def test_dropout_on_64_units_costs_accuracy(by_width):
    n, n_dropout = by_width["n"]["test"], by_width["n_dropout"]["test"]
    assert all(d < p for d, p in zip(n_dropout, n, strict=True))


# "n/p = 128 units with dropout recover most of that loss, for every seed, without
# overtaking the network of 64 units without dropout."
def test_n_over_p_units_recover_most_of_the_loss(by_width):
    n, n_dropout, wide_dropout = (by_width[k] for k in ("n", "n_dropout", "wide_dropout"))
    assert all(w > d for w, d in zip(wide_dropout["test"], n_dropout["test"], strict=True))
    assert wide_dropout["mean"] - n_dropout["mean"] > 0.5 * (n["mean"] - n_dropout["mean"])
    assert wide_dropout["mean"] < n["mean"]


# The control: "without dropout, widening to 128 units changes the accuracy by less than
# half as much", so the gain with dropout is not width alone.
def test_width_alone_changes_little(by_width):
    gain_with_dropout = by_width["wide_dropout"]["mean"] - by_width["n_dropout"]["mean"]
    gain_without = by_width["wide"]["mean"] - by_width["n"]["mean"]
    assert abs(gain_without) < 0.5 * gain_with_dropout


# "The best network in this experiment has no dropout."
def test_the_best_network_here_has_no_dropout(grid, by_width):
    without = max(by_width[name]["mean"] for name in ("n", "wide"))
    with_dropout = [by_width[name]["mean"] for name in ("n_dropout", "wide_dropout")]
    with_dropout += [result["mean"] for row in grid.values() for result in row.values()]
    assert without > max(with_dropout)


def test_the_run_wrote_the_figure_the_page_shows(results):
    assert "figures/paper_recipe/paper_recipe.svg" in results.site_files
