"""Monte Carlo dropout in Keras 3: many stochastic passes, mean and spread.

Run it with ``python mc_dropout.py``. It fits a small regression network with
dropout on noisy samples of a curve between -3 and 3, then predicts on -8 … 8
with only its dropout layers left on, 100 times; does the same with an
untrained copy as a control; shows why ``model(x, training=True)`` is unsafe
with batch normalization; and writes ``mc_dropout.svg``.
"""

# --8<-- [start:imports]
import keras
import matplotlib.pyplot as plt
import numpy as np

# --8<-- [end:imports]

# --8<-- [start:labels]
LANGUAGE = "en"  # "zh" draws the figures with Chinese text
TEXT = {
    "en": {
        "examples": "training examples",
        "true": "true curve",
        "mean": "MC dropout mean (100 passes)",
        "band": "mean ± 2 standard deviations",
        "range": "Grey: the range of the training data",
        "trained": "trained",
        "untrained": "untrained (control)",
        "std": "standard deviation",
    },
    "zh": {
        "examples": "训练样本",
        "true": "真实曲线",
        "mean": "MC Dropout 均值（100 次）",
        "band": "均值 ± 2 个标准差",
        "range": "灰色：训练数据的范围",
        "trained": "训练过的网络",
        "untrained": "未训练的网络（对照）",
        "std": "标准差",
    },
}[LANGUAGE]
if LANGUAGE == "zh":  # a font with Chinese glyphs (Debian: fonts-noto-cjk)
    plt.rcParams["font.family"] = ["DejaVu Sans", "Noto Sans CJK SC"]
plt.rcParams["font.size"] = 11  # 5 inches wide at most: legible on a phone
# --8<-- [end:labels]


# --8<-- [start:data]
def true_curve(x: np.ndarray) -> np.ndarray:
    return 0.5 * x + 0.5 * np.sin(2 * x)


rng = np.random.default_rng(0)
x_train = rng.uniform(-3, 3, size=(200, 1)).astype("float32")
y_train = true_curve(x_train) + rng.normal(0, 0.1, size=x_train.shape)
y_train = y_train.astype("float32")
# --8<-- [end:data]


# --8<-- [start:model]
def build_model() -> keras.Model:
    """A regression network with dropout after both hidden layers."""
    return keras.Sequential(
        [
            keras.Input(shape=(1,)),
            keras.layers.Dense(64, activation="relu"),
            keras.layers.Dropout(0.1, seed=1),
            keras.layers.Dense(64, activation="relu"),
            keras.layers.Dropout(0.1, seed=2),
            keras.layers.Dense(1),
        ]
    )


keras.utils.set_random_seed(0)
model = build_model()
untrained = build_model()  # the control: same layers, never trained
model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse")
model.fit(x_train, y_train, epochs=150, batch_size=50, verbose=0)
# --8<-- [end:model]


# --8<-- [start:mc-layer]
class MCDropout(keras.layers.Dropout):
    """Dropout that samples a mask at prediction time too."""

    def call(self, inputs, training=None):
        return super().call(inputs, training=True)


def with_mc_dropout(model: keras.Model) -> keras.Model:
    """A copy of `model` in which only the Dropout layers stay on."""

    def clone(layer: keras.layers.Layer) -> keras.layers.Layer:
        if isinstance(layer, keras.layers.Dropout):
            return MCDropout.from_config(layer.get_config())
        return layer.__class__.from_config(layer.get_config())

    copy = keras.models.clone_model(model, clone_function=clone)
    copy.set_weights(model.get_weights())
    return copy


# --8<-- [end:mc-layer]


# --8<-- [start:mc]
def mc_predict(
    mc_model: keras.Model, x: np.ndarray, passes: int = 100
) -> tuple[np.ndarray, np.ndarray]:
    """Mean and standard deviation of `passes` predictions per input.

    Each row of a batch gets its own mask, so one call on the inputs
    repeated `passes` times samples `passes` thinned networks each.
    """
    repeated = np.tile(x, (passes, 1))
    samples = mc_model.predict(repeated, batch_size=8192, verbose=0)
    samples = samples.reshape(passes, len(x))
    return samples.mean(axis=0), samples.std(axis=0)


x_grid = np.linspace(-8, 8, 321, dtype="float32").reshape(-1, 1)
mean, spread = mc_predict(with_mc_dropout(model), x_grid)
# --8<-- [end:mc]

# --8<-- [start:compare]
inside = np.abs(x_grid.ravel()) <= 3  # where the training data lies
far = np.abs(x_grid.ravel()) >= 6  # 3 or more units beyond it
spread_inside = float(spread[inside].mean())
spread_far = float(spread[far].mean())
spread_ratio = spread_far / spread_inside
plain = model.predict(x_grid, verbose=0).ravel()  # dropout off
mean_vs_predict = float(np.abs(mean - plain)[inside].max())
error = np.abs(mean - true_curve(x_grid).ravel())  # vs the true curve
error_inside, error_far = (
    float(error[inside].mean()),
    float(error[far].mean()),
)
print(f"mean spread, |x| <= 3 (training data): {spread_inside:.3f}")
print(f"mean spread, |x| >= 6 (far from it):   {spread_far:.3f}")
print(f"ratio: {spread_ratio:.1f}")
print(f"largest |MC mean - predict|, |x| <= 3: {mean_vs_predict:.3f}")
print(f"mean error of the MC mean: {error_inside:.3f} vs {error_far:.3f}")
# --8<-- [end:compare]

# --8<-- [start:control]
# The same procedure on the network that never saw the data.
untrained_mean, untrained_spread = mc_predict(
    with_mc_dropout(untrained), x_grid
)
untrained_ratio = float(
    untrained_spread[far].mean() / untrained_spread[inside].mean()
)
# Multiplicative noise on ReLU units that grow with |x| widens the band
# even without training: only the part beyond that is learned.
learned_factor = spread_ratio / untrained_ratio
print(f"far / inside spread, trained:   {spread_ratio:.1f}")
print(f"far / inside spread, untrained: {untrained_ratio:.1f}")
print(f"trained / untrained:            {learned_factor:.1f}")
# How often does the band of two standard deviations hold the true curve?
covered = error <= 2 * spread
covered_inside = float(covered[inside].mean())
covered_far = float(covered[far].mean())
print(
    f"true curve inside mean ± 2 std: {covered_inside:.0%} over the data,",
    end="",
)
print(f" {covered_far:.0%} far from it")
# --8<-- [end:control]

# --8<-- [start:plot]
fig, (ax, ax_std) = plt.subplots(
    2, 1, figsize=(5, 6.6), sharex=True, height_ratios=[2, 1]
)
for axis in (ax, ax_std):
    axis.axvspan(-3, 3, color="0.93")
ax.scatter(x_train, y_train, s=6, color="0.5", label=TEXT["examples"])
ax.plot(x_grid, true_curve(x_grid), "k:", label=TEXT["true"])
ax.plot(x_grid, mean, "C0-", label=TEXT["mean"])
ax.fill_between(
    x_grid.ravel(),
    mean - 2 * spread,
    mean + 2 * spread,
    color="C0",
    alpha=0.25,
    label=TEXT["band"],
)
ax.set_ylabel("y")
ax.set_ylim(-8, 11)  # room above the curves for the legend
ax.legend(loc="upper center", ncols=2)
ax.set_title(TEXT["range"])
ax_std.plot(x_grid, spread, "C3-", label=TEXT["trained"])
ax_std.plot(
    x_grid, untrained_spread, "--", color="0.4", label=TEXT["untrained"]
)
ax_std.legend(loc="upper center")
ax_std.set_xlabel("x")
ax_std.set_ylabel(TEXT["std"])
fig.tight_layout()
fig.savefig("mc_dropout.svg")
# --8<-- [end:plot]

# --8<-- [start:batch-norm]
# Why not model(x, training=True)? It switches on every layer that acts
# differently in training, and BatchNormalization then overwrites the
# moving averages it learned.
keras.utils.set_random_seed(0)
bn_model = keras.Sequential(
    [
        keras.Input(shape=(1,)),
        keras.layers.Dense(16, activation="relu"),
        keras.layers.BatchNormalization(),
        keras.layers.Dropout(0.1, seed=3),
        keras.layers.Dense(1),
    ]
)
bn_model.compile(optimizer="adam", loss="mse")
bn_model.fit(x_train, y_train, epochs=5, verbose=0)
mc_bn_model = with_mc_dropout(bn_model)


def moving_mean(model: keras.Model) -> np.ndarray:
    return model.layers[1].moving_mean.numpy().copy()


naive_before, idiom_before = moving_mean(bn_model), moving_mean(mc_bn_model)
idiom_samples = [mc_bn_model(x_grid) for _ in range(5)]  # dropout only
for _ in range(5):
    bn_model(x_grid, training=True)  # the naive call: BN trains too
naive_changed = float(np.abs(moving_mean(bn_model) - naive_before).max())
idiom_changed = float(np.abs(moving_mean(mc_bn_model) - idiom_before).max())
idiom_samples_differ = not np.allclose(idiom_samples[0], idiom_samples[1])
print(f"BN moving mean moved by training=True:   {naive_changed:.4f}")
print(f"BN moving mean moved by the MC copy:     {idiom_changed:.4f}")
print(f"the MC copy's passes differ: {idiom_samples_differ}")
# --8<-- [end:batch-norm]
