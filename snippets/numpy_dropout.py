"""Dropout from scratch in NumPy, with the contract of keras.layers.Dropout.

Run it with ``python numpy_dropout.py``: it defines ``dropout``, applies it to
a small batch, checks the mean and variance that the math predicts on many
samples, and compares it with Keras' own Dropout layer on the same input.
Then it adds the backward pass and checks it against finite differences and
against TensorFlow's automatic gradient of the Keras layer.
"""

# --8<-- [start:imports]
import numbers
from collections.abc import Sequence

import keras
import numpy as np
import tensorflow as tf
from numpy.typing import ArrayLike

# --8<-- [end:imports]


# --8<-- [start:dropout]
def dropout(
    x: ArrayLike,
    rate: float,
    training: bool = False,
    noise_shape: Sequence[int | None] | None = None,
    seed: int | np.random.Generator | None = None,
) -> np.ndarray:
    """Inverted dropout, as keras.layers.Dropout(rate, noise_shape, seed).

    While training, each entry of ``x`` is zeroed with probability ``rate``
    and the others are multiplied by 1 / (1 - rate); otherwise ``x`` is
    returned unchanged.
    """
    x, mask_shape = check_arguments(x, rate, noise_shape, seed)
    if not training or rate == 0:
        return x  # inference: nothing dropped, nothing scaled
    keep = 1 - rate  # the retain probability (the paper's p)
    rng = np.random.default_rng(seed)  # a Generator is used as it is
    mask = rng.random(mask_shape) < keep  # r ~ Bernoulli(1 - rate)
    return x * mask / keep  # the mask broadcasts along noise_shape's 1s


# --8<-- [end:dropout]


# --8<-- [start:checks]
def check_arguments(
    x: ArrayLike,
    rate: float,
    noise_shape: Sequence[int | None] | None,
    seed: int | np.random.Generator | None,
) -> tuple[np.ndarray, tuple[int, ...]]:
    """Reject bad arguments with a message that says what was wrong.

    Returns ``x`` as an array and the shape of the mask to draw.
    """
    if isinstance(rate, bool) or not isinstance(rate, numbers.Real):
        raise TypeError(
            f"rate must be a number in [0, 1), got {type(rate).__name__}"
            f" {rate!r}"
        )
    if not 0 <= rate < 1:  # also rejects nan
        raise ValueError(
            f"rate (the fraction dropped) must be in [0, 1), got {rate}"
        )
    x = np.asarray(x)
    if x.dtype.kind not in "iuf":  # signed, unsigned, floating point
        raise TypeError(f"x must hold real numbers, got dtype {x.dtype}")
    if not (
        seed is None
        or isinstance(seed, np.random.Generator)
        or (isinstance(seed, numbers.Integral) and not isinstance(seed, bool))
    ):
        raise TypeError(
            "seed must be None, an int or a numpy.random.Generator,"
            f" got {type(seed).__name__}"
        )
    if noise_shape is None:
        return x, x.shape
    if isinstance(noise_shape, str) or not isinstance(noise_shape, Sequence):
        raise TypeError(
            "noise_shape must be a tuple or list of ints (or None),"
            f" got {type(noise_shape).__name__}"
        )
    if len(noise_shape) != x.ndim:
        raise ValueError(
            f"noise_shape {tuple(noise_shape)} has {len(noise_shape)} axes,"
            f" x has {x.ndim}"
        )
    # None means "the size of x along this axis", as in Keras.
    shape = tuple(
        size if n is None else n
        for n, size in zip(noise_shape, x.shape, strict=True)
    )
    for n, size in zip(shape, x.shape, strict=True):
        if isinstance(n, bool) or not isinstance(n, numbers.Integral):
            raise TypeError(f"noise_shape entries must be ints, got {n!r}")
        if n not in (1, size):
            raise ValueError(
                f"noise_shape {shape} does not fit x of shape {x.shape}:\n"
                "each entry must be 1 (share the mask along that axis)"
                " or the axis' size"
            )
    return x, shape


# --8<-- [end:checks]

# --8<-- [start:batch]
h = np.array(
    [
        [0.8, 1.2, 0.5, 2.0, 1.0, 0.3],
        [1.5, 0.4, 0.9, 1.1, 0.7, 1.6],
        [0.2, 1.0, 1.3, 0.6, 1.8, 0.9],
        [1.0, 0.5, 0.7, 1.4, 0.2, 1.1],
    ]
)  # a mini-batch: 4 examples (rows), 6 units each
rate = 0.5
steps = np.random.default_rng(seed=1)  # one Generator: a new mask per call
step_1 = dropout(h, rate, training=True, seed=steps)
step_2 = dropout(h, rate, training=True, seed=steps)
with np.printoptions(precision=1, floatmode="fixed"):
    print("h (4 examples x 6 units):", h, sep="\n")
    print("training step 1, mask r:", (step_1 != 0).astype(int), sep="\n")
    print("training step 1, output r * h / (1 - rate):", step_1, sep="\n")
    print("training step 2, mask r:", (step_2 != 0).astype(int), sep="\n")
print("inference returns h unchanged:", np.array_equal(dropout(h, rate), h))
# --8<-- [end:batch]

# --8<-- [start:moments]
samples = 100_000
moments_rate = 0.2
unit = h[0]  # the first example's six activations
# Many independent draws of one example: each row gets its own mask.
drawn = dropout(
    np.tile(unit, (samples, 1)), moments_rate, training=True, seed=2
)
mean = drawn.mean(axis=0)
variance = drawn.var(axis=0)
predicted_variance = unit**2 * moments_rate / (1 - moments_rate)
print("unit      h   mean of h~   var of h~   h^2 rate / (1 - rate)")
for i in range(len(unit)):
    print(
        f"{i:4d}  {unit[i]:5.2f}  {mean[i]:11.3f}"
        f"  {variance[i]:10.3f}  {predicted_variance[i]:22.3f}"
    )
largest_mean_error = float(np.max(np.abs(mean - unit)))
largest_variance_error = float(
    np.max(np.abs(variance - predicted_variance) / predicted_variance)
)
print(f"largest |mean - h|: {largest_mean_error:.4f}")
print(f"largest relative variance error: {largest_variance_error:.2%}")
# --8<-- [end:moments]

# --8<-- [start:keras]
ones = np.ones((200, 500), dtype="float32")  # 100 000 units
keras_rate = 0.3
ours = dropout(ones, keras_rate, training=True, seed=3)
layer = keras.layers.Dropout(keras_rate, seed=3)
theirs = keras.ops.convert_to_numpy(layer(ones, training=True))
comparison = {}
print("          zeroed    mean     max")
for name, out in [("NumPy", ours), ("Keras", theirs)]:
    comparison[name] = {
        "zeroed": float(np.mean(out == 0)),
        "mean": float(out.mean()),
        "max": float(out.max()),
    }
    row = comparison[name]
    print(
        f"{name:6}  {row['zeroed']:8.4f}  {row['mean']:6.4f}"
        f"  {row['max']:6.4f}"
    )
print(f"rate = {keras_rate}, 1 / (1 - rate) = {1 / (1 - keras_rate):.4f}")
print("both unchanged when not training:")
print(
    np.array_equal(dropout(ones, keras_rate), ones),
    np.array_equal(keras.ops.convert_to_numpy(layer(ones)), ones),
)
# --8<-- [end:keras]

# --8<-- [start:noise-shape]
sequence = np.ones((2, 4, 3))  # 2 examples, 4 timesteps, 3 features
shared = dropout(sequence, 0.5, training=True, noise_shape=(2, 1, 3), seed=6)
for example in range(2):
    print(
        f"example {example + 1}, mask (rows: timesteps, columns: features):"
    )
    print((shared[example] != 0).astype(int))
# --8<-- [end:noise-shape]

# --8<-- [start:errors]
for bad in [
    {"rate": 1.0},
    {"rate": "0.5"},
    {"rate": 0.5, "noise_shape": (3, 1)},
]:
    try:
        dropout(h, training=True, **bad)
    except (TypeError, ValueError) as error:
        print(f"{type(error).__name__}: {error}")
try:
    dropout([["a", "b"]], 0.5)
except TypeError as error:
    print(f"TypeError: {error}")
# --8<-- [end:errors]


# --8<-- [start:backward]
def dropout_with_scale(
    x: ArrayLike,
    rate: float,
    training: bool = False,
    seed: int | np.random.Generator | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """dropout(x) and the derivative of its output, r / q, entry by entry.

    dropout() applied to ones is exactly that derivative: 0 where a unit is
    dropped, 1 / (1 - rate) where it is kept (1 everywhere when not
    training). The forward pass keeps it for the backward pass.
    """
    x = np.asarray(x)
    scale = dropout(np.ones_like(x), rate, training=training, seed=seed)
    return x * scale, scale


def dropout_backward(
    grad_output: np.ndarray, scale: np.ndarray
) -> np.ndarray:
    """dL/dh from dL/dh~: only kept units pass the gradient, times 1 / q."""
    return grad_output * scale


# --8<-- [end:backward]

# --8<-- [start:gradient-check]
grad_rng = np.random.default_rng(seed=2)
upstream = grad_rng.normal(size=h.shape)  # dL/dh~, from the layers above
h_tilde, scale = dropout_with_scale(h, rate, training=True, seed=8)
analytic = dropout_backward(upstream, scale)


def loss(h_in: np.ndarray) -> float:
    """L = sum(upstream * h~), so dL/dh~ = upstream; seed 8: the same mask."""
    return float(
        np.sum(upstream * dropout(h_in, rate, training=True, seed=8))
    )


eps = 1e-6
numeric = np.zeros_like(h)
for index in np.ndindex(h.shape):  # central differences, one entry at a time
    step = np.zeros_like(h)
    step[index] = eps
    numeric[index] = (loss(h + step) - loss(h - step)) / (2 * eps)
finite_difference_error = float(np.max(np.abs(numeric - analytic)))
_, fresh_scale = dropout_with_scale(h, rate, training=True, seed=9)
fresh_mask_error = float(
    np.max(np.abs(numeric - dropout_backward(upstream, fresh_scale)))
)
with np.printoptions(precision=2, floatmode="fixed", suppress=True):
    print("mask r (seed 8):", (scale != 0).astype(int), sep="\n")
    print("upstream dL/dh~:", upstream, sep="\n")
    # (+ 0.0 only prints -0.0, a negative number times 0, as 0.00)
    print("dL/dh = upstream * r / (1 - rate):", analytic + 0.0, sep="\n")
print(
    f"largest |finite differences - backward|: {finite_difference_error:.1e}"
)
print(f"the same with a freshly drawn mask: {fresh_mask_error:.2f}")
# --8<-- [end:gradient-check]

# --8<-- [start:keras-gradient]
tf_rate = 0.3
# Strictly positive inputs: an output of 0 can only mean a dropped unit.
x_tf = tf.constant(grad_rng.uniform(0.5, 2.0, size=(200, 50)), tf.float32)
upstream_tf = grad_rng.normal(size=(200, 50)).astype("float32")
tf_layer = keras.layers.Dropout(tf_rate, seed=5)
with tf.GradientTape() as tape:
    tape.watch(x_tf)
    y_tf = tf_layer(x_tf, training=True)
    tf_loss = tf.reduce_sum(upstream_tf * y_tf)
tf_gradient = keras.ops.convert_to_numpy(tape.gradient(tf_loss, x_tf))
keras_mask = keras.ops.convert_to_numpy(y_tf) != 0  # the mask Keras drew
ours_gradient = dropout_backward(upstream_tf, keras_mask / (1 - tf_rate))
keras_gradient_error = float(np.max(np.abs(tf_gradient - ours_gradient)))
print(f"units Keras kept: {keras_mask.mean():.2%} (1 - rate = {1 - tf_rate})")
print(f"largest |TensorFlow's gradient - ours|: {keras_gradient_error:.1e}")
print(
    "zero gradient exactly where Keras dropped a unit:",
    np.array_equal(tf_gradient == 0, ~keras_mask),
)
# --8<-- [end:keras-gradient]
