"""snippets/numpy_dropout.py: the from-scratch dropout keeps keras.layers.Dropout's contract.

Each property is checked on the same input for both our function and the real Keras layer,
over shapes and rates drawn by hypothesis. Masks come from different random generators, so
they are compared statistically: a fraction or mean must lie within SIGMAS standard
deviations of what the math predicts (a false alarm has a probability near 1e-9).
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import math

import keras
import numpy as np
import pytest
import tensorflow as tf
from hypothesis import given, settings
from hypothesis import strategies as st

from sitebuild import examples
from tests.conftest import ROOT

SIGMAS = 6
SETTINGS = settings(max_examples=50, deadline=None)  # the first Keras call is slow


def load_snippet():
    """The snippet file as a module (its demo runs once, quietly)."""
    spec = importlib.util.spec_from_file_location(
        "numpy_dropout", ROOT / "snippets" / "numpy_dropout.py"
    )
    module = importlib.util.module_from_spec(spec)
    with contextlib.redirect_stdout(io.StringIO()):
        spec.loader.exec_module(module)
    return module


snippet = load_snippet()
dropout = snippet.dropout


def keras_dropout(x, rate, training=True, noise_shape=None, seed=0) -> np.ndarray:
    layer = keras.layers.Dropout(rate, noise_shape=noise_shape, seed=seed)
    return keras.ops.convert_to_numpy(layer(x, training=training))


def both(x, rate, training=True, noise_shape=None, seed=0) -> dict[str, np.ndarray]:
    """Our output and Keras' on the same input, by name."""
    return {
        "numpy": dropout(x, rate, training=training, noise_shape=noise_shape, seed=seed),
        "keras": keras_dropout(x, rate, training=training, noise_shape=noise_shape, seed=seed),
    }


@st.composite
def shapes(draw, min_size: int = 5_000) -> tuple[int, ...]:
    """(batch, *features) with 0–3 feature axes and at least min_size entries."""
    features = draw(st.lists(st.integers(1, 12), max_size=3))
    least = math.ceil(min_size / math.prod(features))
    return (draw(st.integers(least, least + 40)), *features)


rates = st.floats(0.05, 0.9)
seeds = st.integers(0, 2**31 - 1)


def signed_input(shape: tuple[int, ...], seed: int) -> np.ndarray:
    """Values with |x| in [0.5, 2): no zeros, so output == 0 means dropped."""
    rng = np.random.default_rng(seed)
    magnitude = rng.uniform(0.5, 2.0, size=shape)
    return (magnitude * rng.choice([-1.0, 1.0], size=shape)).astype("float32")


def assert_fraction_near(fraction: float, rate: float, n: int, who: str) -> None:
    tolerance = SIGMAS * math.sqrt(rate * (1 - rate) / n)
    assert abs(fraction - rate) <= tolerance, (
        f"{who}: zeroed {fraction:.4f} of {n} independent mask entries, rate {rate:.4f}"
        f" (tolerance {tolerance:.4f})"
    )


# --- the statistics of the mask -----------------------------------------------------------


@SETTINGS
@given(shape=shapes(), rate=rates, seed=seeds)
def test_fraction_zeroed_is_about_rate(shape, rate, seed):
    x = signed_input(shape, seed)
    for who, out in both(x, rate, seed=seed).items():
        assert_fraction_near(float(np.mean(out == 0)), rate, x.size, who)


@SETTINGS
@given(shape=shapes(), rate=rates, seed=seeds)
def test_kept_units_are_scaled_by_one_over_keep_probability(shape, rate, seed):
    x = signed_input(shape, seed)
    for who, out in both(x, rate, seed=seed).items():
        kept = out != 0
        assert kept.any(), who
        np.testing.assert_allclose(out[kept], x[kept] / (1 - rate), rtol=1e-5, err_msg=who)


@SETTINGS
@given(shape=shapes(), rate=rates, seed=seeds)
def test_the_mean_is_preserved(shape, rate, seed):
    x = signed_input(shape, seed)
    # Var(mean of output) = sum(x^2) * rate / (1 - rate) / n^2, masks independent.
    tolerance = SIGMAS * math.sqrt(float(np.sum(x.astype(float) ** 2)) * rate / (1 - rate)) / x.size
    for who, out in both(x, rate, seed=seed).items():
        assert abs(float(out.mean()) - float(x.mean())) <= tolerance, who


@SETTINGS
@given(shape=shapes(), rate=rates, seed=seeds)
def test_all_ones_input_has_maximum_one_over_one_minus_rate(shape, rate, seed):
    ones = np.ones(shape, dtype="float32")
    for who, out in both(ones, rate, seed=seed).items():
        assert math.isclose(float(out.max()), 1 / (1 - rate), rel_tol=1e-6), who
        assert set(np.unique(out)) <= {0.0, out.max()}, f"{who}: only 0 and 1/(1 - rate)"


def test_at_rate_one_half_kept_units_are_exactly_doubled():
    # As in keras' dropout_test.py: ones(20, 500) at rate 0.5 has maximum 2.0, exactly.
    ones = np.ones((20, 500), dtype="float32")
    for seed in range(5):
        for who, out in both(ones, 0.5, seed=seed).items():
            assert set(np.unique(out)) == {0.0, 2.0}, who


def test_rate_is_the_fraction_dropped_not_kept():
    """At rate 0.2 the paper's p = 0.8 would zero 80 %: tell the two apart sharply."""
    ones = np.ones((200, 500), dtype="float32")
    for who, out in both(ones, 0.2, seed=1).items():
        assert_fraction_near(float(np.mean(out == 0)), 0.2, ones.size, who)


# --- training flag, rate 0, seeds ---------------------------------------------------------


@SETTINGS
@given(shape=shapes(min_size=1), rate=st.floats(0.0, 0.99), seed=seeds)
def test_identity_when_not_training(shape, rate, seed):
    x = signed_input(shape, seed)
    for who, out in both(x, rate, training=False, seed=seed).items():
        assert np.array_equal(out, x), who


@SETTINGS
@given(shape=shapes(min_size=1), seed=seeds)
def test_rate_zero_changes_nothing_even_while_training(shape, seed):
    x = signed_input(shape, seed)
    for who, out in both(x, 0.0, training=True, seed=seed).items():
        assert np.array_equal(out, x), who


def test_an_int_seed_repeats_a_generator_advances():
    x = np.ones((50, 40))
    first = dropout(x, 0.5, training=True, seed=3)
    assert np.array_equal(first, dropout(x, 0.5, training=True, seed=3))
    generator = np.random.default_rng(3)
    step_1 = dropout(x, 0.5, training=True, seed=generator)
    step_2 = dropout(x, 0.5, training=True, seed=generator)
    assert not np.array_equal(step_1, step_2), "a Generator gives a fresh mask each call"
    again = np.random.default_rng(3)
    assert np.array_equal(step_1, dropout(x, 0.5, training=True, seed=again))
    # The Keras layer behaves like the Generator: a new mask per call, from a seeded sequence.
    layer = keras.layers.Dropout(0.5, seed=3)
    calls = [keras.ops.convert_to_numpy(layer(x.astype("float32"), training=True)) for _ in "ab"]
    assert not np.array_equal(*calls)


def test_each_example_of_a_batch_gets_its_own_mask():
    ones = np.ones((64, 100), dtype="float32")
    for who, out in both(ones, 0.5, seed=2).items():
        rows = {row.tobytes() for row in out != 0}
        assert len(rows) == 64, f"{who}: rows of a batch share masks"


# --- noise_shape ----------------------------------------------------------------------------


@st.composite
def shapes_and_noise_shapes(draw):
    shape = draw(shapes(min_size=2_000))
    # Each axis: 1 (share the mask along it), its size, or None (Keras: "the input's size").
    noise = [draw(st.sampled_from([1, size, None])) for size in shape]
    return shape, tuple(noise)


@SETTINGS
@given(shape_and_noise=shapes_and_noise_shapes(), rate=rates, seed=seeds)
def test_masks_are_shared_along_the_ones_of_noise_shape(shape_and_noise, rate, seed):
    shape, noise_shape = shape_and_noise
    x = signed_input(shape, seed)
    shared_axes = [axis for axis, n in enumerate(noise_shape) if n == 1 and shape[axis] > 1]
    independent = math.prod(s for s, n in zip(shape, noise_shape, strict=True) if n != 1)
    for who, out in both(x, rate, noise_shape=noise_shape, seed=seed).items():
        kept = out != 0
        for axis in shared_axes:
            first = np.take(kept, [0], axis=axis)
            assert np.array_equal(kept, np.broadcast_to(first, kept.shape)), (
                f"{who}: the mask varies along axis {axis}, noise_shape {noise_shape}"
            )
        # One draw per independent entry: the fraction dropped still matches the rate.
        fraction = float(np.mean(kept.reshape(-1) == 0))
        assert_fraction_near(fraction, rate, independent, who)


def test_noise_shape_drops_whole_features_of_a_sequence():
    x = np.ones((8, 30, 16), dtype="float32")  # batch, timesteps, features
    for who, out in both(x, 0.5, noise_shape=(8, 1, 16), seed=4).items():
        kept = out != 0
        assert (kept == kept[:, :1, :]).all(), f"{who}: same features at every timestep"
        assert 0 < kept.mean() < 1, who


# --- errors -----------------------------------------------------------------------------------


@settings(max_examples=40, deadline=None)
@given(
    rate=st.one_of(
        st.floats(max_value=0, exclude_max=True),
        st.floats(min_value=1.0),
        st.floats(allow_nan=True).filter(math.isnan),
    )
)
def test_a_rate_outside_zero_to_one_is_a_value_error_that_names_it(rate):
    with pytest.raises(ValueError, match=r"rate .*\[0, 1\)") as raised:
        dropout(np.ones(3), rate, training=True)
    assert str(rate) in str(raised.value)


@pytest.mark.parametrize("rate", [-0.5, 1.5, float("nan")])
def test_keras_rejects_the_same_rates(rate):
    with pytest.raises(ValueError):
        keras.layers.Dropout(rate)


def test_rate_one_differs_from_keras_on_purpose():
    """Keras (3.14+) returns zeros at rate 1; we refuse: the scale 1/(1 - rate) is infinite."""
    ones = np.ones((4, 5), dtype="float32")
    assert not keras_dropout(ones, 1.0).any()
    with pytest.raises(ValueError, match=r"\[0, 1\)"):
        dropout(ones, 1.0, training=True)


@pytest.mark.parametrize("rate", ["0.5", None, [0.5], True, 1j])
def test_a_non_numeric_rate_is_a_type_error_that_names_its_type(rate):
    with pytest.raises(TypeError, match=f"rate must be a number.*{type(rate).__name__}"):
        dropout(np.ones(3), rate, training=True)


@pytest.mark.parametrize("rate", ["0.5", None])
def test_keras_also_raises_type_error_for_those(rate):
    with pytest.raises(TypeError):
        keras.layers.Dropout(rate)


@pytest.mark.parametrize(
    "x", [["a", "b"], np.array([True, False]), [1 + 2j], np.array([object()])], ids=repr
)
def test_a_non_numeric_input_is_a_type_error_that_names_its_dtype(x):
    dtype = str(np.asarray(x).dtype)
    with pytest.raises(TypeError, match=rf"x must hold real numbers, got dtype {dtype}"):
        dropout(x, 0.5, training=True)
    with pytest.raises(TypeError):  # also when not training: the contract does not depend on it
        dropout(x, 0.5)


def test_integers_are_numbers_and_come_back_as_floats():
    out = dropout(np.arange(1, 7), 0.5, training=True, seed=0)
    assert out.dtype.kind == "f"
    assert set(np.unique(out)) <= {0.0, 2.0, 4.0, 6.0, 8.0, 10.0, 12.0}


@pytest.mark.parametrize(
    ("noise_shape", "error", "message"),
    [
        ((3, 1), ValueError, r"noise_shape \(3, 1\) does not fit x of shape \(4, 6\)"),
        ((4,), ValueError, r"noise_shape \(4,\) has 1 axes, x has 2"),
        ((4, 1.5), TypeError, r"noise_shape entries must be ints, got 1.5"),
        ("41", TypeError, r"noise_shape must be a tuple or list"),
        (4, TypeError, r"noise_shape must be a tuple or list of ints \(or None\), got int"),
    ],
)
def test_a_bad_noise_shape_says_what_is_wrong(noise_shape, error, message):
    with pytest.raises(error, match=message):
        dropout(np.ones((4, 6)), 0.5, training=True, noise_shape=noise_shape)


@pytest.mark.parametrize("seed", ["abc", 1.5, True])
def test_a_bad_seed_is_a_type_error(seed):
    with pytest.raises(TypeError, match=r"seed must be None, an int or a numpy\.random\.Generator"):
        dropout(np.ones(3), 0.5, training=True, seed=seed)


# --- the backward pass ------------------------------------------------------------------------


@SETTINGS
@given(shape=shapes(min_size=1), rate=rates, seed=seeds)
def test_the_forward_pass_with_its_scale_is_dropout_with_the_same_mask(shape, rate, seed):
    x = signed_input(shape, seed)
    out, scale = snippet.dropout_with_scale(x, rate, training=True, seed=seed)
    np.testing.assert_allclose(out, dropout(x, rate, training=True, seed=seed), rtol=1e-6)
    kept = scale != 0  # scale is r / q: 0 or 1 / (1 - rate), in x's float type
    np.testing.assert_allclose(scale[kept], 1 / (1 - rate), rtol=1e-6)
    assert np.array_equal(out == 0, ~kept), "x has no zeros: dropped exactly where r = 0"
    _, off = snippet.dropout_with_scale(x, rate, training=False, seed=seed)
    assert np.array_equal(off, np.ones(shape)), "not training: the derivative is 1"


@settings(max_examples=25, deadline=None)
@given(
    shape=st.tuples(st.integers(1, 5), st.integers(1, 6)),
    rate=rates,
    seed=seeds,
)
def test_backward_matches_finite_differences(shape, rate, seed):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=shape)
    upstream = rng.normal(size=shape)
    _, scale = snippet.dropout_with_scale(x, rate, training=True, seed=seed)
    analytic = snippet.dropout_backward(upstream, scale)

    def loss(x_in):  # an int seed draws the same mask on every call
        return float(np.sum(upstream * dropout(x_in, rate, training=True, seed=seed)))

    eps = 1e-6
    for index in np.ndindex(shape):
        step = np.zeros(shape)
        step[index] = eps
        numeric = (loss(x + step) - loss(x - step)) / (2 * eps)
        assert math.isclose(numeric, analytic[index], rel_tol=1e-6, abs_tol=1e-6), index


@SETTINGS
@given(shape=shapes(min_size=500), rate=rates, seed=seeds)
def test_backward_matches_tensorflow_s_gradient_of_the_keras_layer(shape, rate, seed):
    """Under the mask Keras drew (read off a strictly positive input), the gradients agree."""
    rng = np.random.default_rng(seed)
    x = tf.constant(rng.uniform(0.5, 2.0, size=shape), tf.float32)
    upstream = rng.normal(size=shape).astype("float32")
    layer = keras.layers.Dropout(rate, seed=seed)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = layer(x, training=True)
        loss = tf.reduce_sum(upstream * y)
    theirs = keras.ops.convert_to_numpy(tape.gradient(loss, x))
    mask = keras.ops.convert_to_numpy(y) != 0
    ours = snippet.dropout_backward(upstream, mask / (1 - rate))
    np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-6)
    assert np.array_equal(theirs == 0, ~mask), "no gradient reaches a dropped unit"


# --- what docs/*/how-dropout-works.md says about the build's run ---------------------------


@pytest.fixture(scope="module")
def results() -> examples.Results:
    return examples.ensure_results()["numpy_dropout"]


def test_the_page_s_claims_about_the_run_hold(results):
    values = results.values
    # "the mean of every unit is within ... of h", "the variance matches the formula"
    assert values["largest_mean_error"] < 0.02
    assert values["largest_variance_error"] < 0.03
    # "both zero about 30 % and keep the mean near 1; both maxima are 1 / (1 - rate)"
    for who, row in values["comparison"].items():
        assert abs(row["zeroed"] - values["keras_rate"]) < 0.005, who
        assert abs(row["mean"] - 1) < 0.01, who
        assert math.isclose(row["max"], 1 / (1 - values["keras_rate"]), rel_tol=1e-6), who


def printed_mask(output: str, title: str) -> np.ndarray:
    """A 0/1 matrix printed under ``title`` in a section's output."""
    lines = output.split(title + "\n", 1)[1].splitlines()
    rows = []
    for line in lines:
        digits = line.strip("[] ").split()
        if not digits or not all(d in "01" for d in digits):
            break
        rows.append([int(d) for d in digits])
    return np.array(rows)


def test_the_page_s_batch_shows_a_mask_per_row_and_a_new_one_per_step(results):
    output = results.outputs["batch"]
    step_1 = printed_mask(output, "training step 1, mask r:")
    step_2 = printed_mask(output, "training step 2, mask r:")
    assert step_1.shape == step_2.shape == (4, 6)
    assert len({tuple(row) for row in step_1}) == 4, "every example its own mask"
    assert not np.array_equal(step_1, step_2), "a fresh mask in the next step"
    assert "inference returns h unchanged: True" in output


def test_the_page_s_claims_about_the_backward_pass_hold(results):
    values = results.values
    # "finite differences agree with the backward pass to within ..."
    assert values["finite_difference_error"] < 1e-8
    # "with a freshly drawn mask the gradient is wrong by ..."
    assert values["fresh_mask_error"] > 1
    # "TensorFlow's gradient and ours differ by float32 rounding only"
    assert values["keras_gradient_error"] < 1e-5
    assert (
        "zero gradient exactly where Keras dropped a unit: True"
        in results.outputs["keras-gradient"]
    )
