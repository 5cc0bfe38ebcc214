"""DropConnect as a Keras layer, contrasted with dropout.

Run it with ``python dropconnect.py``. It implements a dense layer that drops
weights instead of units, shows what each method masks, trains the same
network on 500 of scikit-learn's 8x8 digits with neither, dropout or
DropConnect from the same starting weights, compares a unit's pre-activation
under both, compares three ways to run the DropConnect network at inference,
and writes ``dropconnect_preactivation.svg``.
"""

# --8<-- [start:imports]
import keras
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

# --8<-- [end:imports]

# --8<-- [start:labels]
LANGUAGE = "en"  # "zh" draws the figures with Chinese text
TEXT = {
    "en": {
        "x": "pre-activation of one hidden unit",
        "y": "share of masks",
        "dropout": "dropout on the unit",
        "dropconnect": "DropConnect",
        "gaussian": "Gaussian of the paper",
        "mean": "mean over masks",
    },
    "zh": {
        "x": "一个隐藏单元的净输入",
        "y": "掩码所占比例",
        "dropout": "对该单元做 Dropout",
        "dropconnect": "DropConnect",
        "gaussian": "论文的正态近似",
        "mean": "所有掩码的平均",
    },
}[LANGUAGE]
if LANGUAGE == "zh":  # a font with Chinese glyphs (Debian: fonts-noto-cjk)
    plt.rcParams["font.family"] = ["DejaVu Sans", "Noto Sans CJK SC"]
plt.rcParams["font.size"] = 11  # 5 inches wide at most: legible on a phone
# --8<-- [end:labels]


# --8<-- [start:layer]
class DropConnectDense(keras.layers.Layer):
    """A dense layer that drops weights, per example (Wan et al., 2013)."""

    def __init__(
        self, units, rate, activation=None, initializer=None, seed=None
    ):
        super().__init__()
        self.units, self.rate = units, rate
        self.activation = keras.activations.get(activation)
        self.initializer = initializer or "glorot_uniform"
        self.seed_generator = keras.random.SeedGenerator(seed)

    def build(self, input_shape):
        shape = (input_shape[-1], self.units)
        self.kernel = self.add_weight(
            shape=shape, initializer=self.initializer
        )
        self.bias = self.add_weight(shape=(self.units,), initializer="zeros")

    def pre_activation(self, inputs, training=False):
        if not training or self.rate == 0:
            return inputs @ self.kernel + self.bias  # inference: all weights
        batch = keras.ops.shape(inputs)[0]
        # A mask for every weight and bias, drawn anew for every example.
        weight_noise = keras.random.uniform(
            (batch, *self.kernel.shape), seed=self.seed_generator
        )
        bias_noise = keras.random.uniform(
            (batch, self.units), seed=self.seed_generator
        )
        kernels = self.kernel * keras.ops.cast(
            weight_noise >= self.rate, "float32"
        )
        biases = self.bias * keras.ops.cast(
            bias_noise >= self.rate, "float32"
        )
        u = keras.ops.einsum("bi,bij->bj", inputs, kernels) + biases
        return u / (1 - self.rate)  # inverted scaling, as Keras' Dropout does

    def call(self, inputs, training=False):
        return self.activation(self.pre_activation(inputs, training))


# --8<-- [end:layer]

# --8<-- [start:masks]
# Which weights of a 4-input, 6-unit layer each method switches off
# (1 = used, 0 = dropped) for one example.
unit_mask = keras.layers.Dropout(0.5, seed=1)(np.ones((1, 6)), training=True)
dropout_weights = np.ones((4, 1)) * (
    keras.ops.convert_to_numpy(unit_mask) > 0
)
connect_layer = DropConnectDense(6, rate=0.5, seed=2)
connect_layer.build((None, 4))
ones_kernel = np.ones((4, 6), dtype="float32")
connect_layer.kernel.assign(ones_kernel)
# Example i is the i-th unit vector: its output is row i of its own mask.
rows = connect_layer.pre_activation(np.eye(4, dtype="float32"), training=True)
print("Dropout on the layer's 6 units: whole columns")
print(dropout_weights.astype(int))
print("DropConnect: single weights (a new mask for each example)")
print((keras.ops.convert_to_numpy(rows) > 0).astype(int))
# --8<-- [end:masks]

# --8<-- [start:data]
digits = load_digits()
x = (digits.data / 16.0).astype("float32")
x_train, x_val, y_train, y_val = train_test_split(
    x, digits.target, train_size=500, test_size=1000, random_state=0
)
# --8<-- [end:data]


# --8<-- [start:model]
def build_net(kind: str) -> keras.Model:
    """64 inputs, 128 hidden ReLU units, 10 classes."""
    init = keras.initializers.GlorotUniform(seed=7)  # the same in all three
    if kind == "dropconnect":
        hidden = [DropConnectDense(128, 0.5, "relu", init, seed=1)]
    else:
        rate = 0.5 if kind == "dropout" else 0.0
        hidden = [
            keras.layers.Dense(128, "relu", kernel_initializer=init),
            keras.layers.Dropout(rate, seed=1),  # on the hidden units
        ]
    return keras.Sequential(
        [
            keras.Input(shape=(64,)),
            *hidden,
            keras.layers.Dense(10, activation="softmax"),
        ]
    )


nets, starts, train_accuracy, val_accuracy = {}, {}, {}, {}
for kind in ["none", "dropout", "dropconnect"]:
    keras.utils.set_random_seed(0)
    net = build_net(kind)
    starts[kind] = net.get_weights()
    net.compile(
        optimizer="adam",
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    net.fit(x_train, y_train, epochs=40, batch_size=50, verbose=0)
    nets[kind] = net
    train_accuracy[kind] = net.evaluate(x_train, y_train, verbose=0)[1]
    val_accuracy[kind] = net.evaluate(x_val, y_val, verbose=0)[1]
    print(
        f"{kind:11s} train acc {train_accuracy[kind]:.4f}"
        f"  val acc {val_accuracy[kind]:.4f}"
    )
same_start = all(
    all(np.array_equal(a, b) for a, b in zip(starts["none"], w, strict=True))
    for w in starts.values()
)
print(f"same starting weights: {same_start}")
# --8<-- [end:model]

# --8<-- [start:preactivation]
# One validation image, 2000 times: each copy gets its own masks.
layer = nets["dropconnect"].layers[0]
copies = np.repeat(x_val[:1], 2000, axis=0)
connect_u = keras.ops.convert_to_numpy(
    layer.pre_activation(copies, training=True)
)
full_u = keras.ops.convert_to_numpy(layer.pre_activation(x_val[:1]))[0]
# Dropout on the units: each unit is either dropped or kept and scaled.
unit_drop = keras.layers.Dropout(0.5, seed=2)
unit_mask = unit_drop(np.ones((2000, 128)), training=True)
dropout_u = full_u * keras.ops.convert_to_numpy(unit_mask)
unit = int(np.argmax(full_u))  # the unit most active on this image
# The paper's Gaussian for every unit (here with the inverted scaling).
kernel, bias = layer.kernel.numpy(), layer.bias.numpy()
odds = 0.5 / (1 - 0.5)  # rate / keep


def gaussian_std(v: np.ndarray) -> np.ndarray:
    return np.sqrt(odds * ((v**2) @ kernel**2 + bias**2))


unit_std = float(gaussian_std(x_val[:1])[0, unit])
stats = {
    kind: {"mean": float(u[:, unit].mean()), "std": float(u[:, unit].std())}
    for kind, u in [("dropout", dropout_u), ("dropconnect", connect_u)]
}
dropout_values = [round(float(v), 3) for v in np.unique(dropout_u[:, unit])]
unit_full = float(full_u[unit])
print(f"unit {unit}: pre-activation with all weights {unit_full:.3f}")
for kind, s in stats.items():
    print(f"{kind:11s} mean {s['mean']:.3f}, std {s['std']:.3f}")
print(f"dropout's values: {dropout_values}")
print(f"the paper's Gaussian: mean {unit_full:.3f}, std {unit_std:.3f}")
# --8<-- [end:preactivation]

# --8<-- [start:inference]
# Three ways to run the trained DropConnect network on the validation set.
head = nets["dropconnect"].layers[1]
rng = np.random.default_rng(0)


def accuracy(hidden: np.ndarray) -> float:
    probabilities = keras.ops.convert_to_numpy(head(hidden))
    return float(np.mean(probabilities.argmax(axis=1) == y_val))


# 1. Mean inference, as for dropout: all weights, no sampling.
mean_hidden = keras.ops.convert_to_numpy(layer(x_val))
# 2. The paper's: a Gaussian per unit, sampled, through ReLU, averaged.
mu = keras.ops.convert_to_numpy(layer.pre_activation(x_val))
draws = rng.normal(size=(200, *mu.shape)).astype("float32")
samples = mu + gaussian_std(x_val) * draws
gauss_hidden = np.maximum(samples, 0).mean(axis=0)
# 3. The average over 100 passes with real masks, what both approximate.
passes = [layer(x_val, training=True) for _ in range(100)]
mc_hidden = np.mean([keras.ops.convert_to_numpy(p) for p in passes], axis=0)
hidden_bias = {
    "mean": float((mean_hidden - mc_hidden).mean()),
    "gaussian": float((gauss_hidden - mc_hidden).mean()),
}
inference_accuracy = {
    "mean": accuracy(mean_hidden),
    "gaussian": accuracy(gauss_hidden),
    "masked": accuracy(mc_hidden),
}
METHODS = {
    "mean": "mean inference",
    "gaussian": "Gaussian sampling",
    "masked": "100 masked passes",
}
print("hidden activations minus the average over 100 masked passes:")
for name, bias_ in hidden_bias.items():
    print(f"  {METHODS[name]:17s} {bias_:+.4f} on average")
print(f"  (the activations themselves average {mc_hidden.mean():.4f})")
print("validation accuracy:")
for name, acc in inference_accuracy.items():
    print(f"  {METHODS[name]:17s} {acc:.4f}")
# --8<-- [end:inference]

# --8<-- [start:plot]
fig, ax = plt.subplots(figsize=(5, 4.2), layout="constrained")
bins = np.linspace(-0.5, 2 * unit_full + 0.5, 60)
weights = np.full(2000, 1 / 2000)
ax.hist(
    dropout_u[:, unit],
    bins,
    weights=weights,
    color="C1",
    label=TEXT["dropout"],
)
ax.hist(
    connect_u[:, unit],
    bins,
    weights=weights,
    color="C0",
    alpha=0.7,
    label=TEXT["dropconnect"],
)
grid = np.linspace(bins[0], bins[-1], 400)
density = np.exp(-0.5 * ((grid - unit_full) / unit_std) ** 2)
density *= (bins[1] - bins[0]) / (unit_std * np.sqrt(2 * np.pi))
ax.plot(grid, density, "k-", label=TEXT["gaussian"])
ax.axvline(unit_full, color="grey", linestyle="--", label=TEXT["mean"])
ax.set_xlabel(TEXT["x"], fontsize=11)
ax.set_ylabel(TEXT["y"], fontsize=11)
ax.tick_params(labelsize=11)
ax.legend(fontsize=11, ncol=2, loc="upper center", bbox_to_anchor=(0.5, -0.2))
fig.savefig("dropconnect_preactivation.svg")
# --8<-- [end:plot]
