"""Stochastic depth (DropPath) as a Keras layer, in a small residual network.

Run it with ``python drop_path.py``. It implements DropPath, checks on
arrays that it drops whole examples' branches, keeps the expected output and
is the identity at inference, then trains the same residual network on 500
of scikit-learn's 8x8 digits with and without it, from the same starting
weights, and removes one block at a time from each trained network.
"""

# --8<-- [start:imports]
import keras
import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

# --8<-- [end:imports]


# --8<-- [start:layer]
class DropPath(keras.layers.Layer):
    """Zeroes a residual branch for a random subset of the examples."""

    def __init__(self, rate: float, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.rate = rate
        self.seed_generator = keras.random.SeedGenerator(seed)

    def call(self, inputs, training=False):
        if not training or self.rate == 0:
            return inputs
        # One coin per example, shared by all of its features.
        shape = (keras.ops.shape(inputs)[0],) + (1,) * (len(inputs.shape) - 1)
        noise = keras.random.uniform(shape, seed=self.seed_generator)
        keep = keras.ops.cast(noise >= self.rate, inputs.dtype)
        return inputs * keep / (1 - self.rate)  # inverted, like Dropout


# --8<-- [end:layer]

# --8<-- [start:check]
drop_path = DropPath(0.3, seed=1)
branch = np.ones((20000, 4, 4, 8), dtype="float32")  # 20 000 examples
out = keras.ops.convert_to_numpy(drop_path(branch, training=True))
per_example = out.reshape(len(out), -1)
whole_examples = bool(np.all(per_example == per_example[:, :1]))
dropped_share = float(np.mean(per_example[:, 0] == 0))
output_mean = float(out.mean())
kept_value = float(per_example[per_example[:, 0] > 0, 0][0])
inference = keras.ops.convert_to_numpy(drop_path(branch, training=False))
identity_at_inference = bool(np.array_equal(inference, branch))
print(f"each example's branch all kept or all zero: {whole_examples}")
print(f"share of examples dropped: {dropped_share:.4f} (rate 0.3)")
print(f"kept values: {kept_value:.4f} (1 / 0.7 = {1 / 0.7:.4f})")
print(f"mean of the output: {output_mean:.4f} (the input's: 1)")
print(f"identity at inference: {identity_at_inference}")
# --8<-- [end:check]

# --8<-- [start:data]
digits = load_digits()
x = (digits.data / 16.0).astype("float32")
x_train, x_val, y_train, y_val = train_test_split(
    x, digits.target, train_size=500, test_size=1000, random_state=0
)
# --8<-- [end:data]

# --8<-- [start:model]
BLOCKS = 6
# The linear decay rule: the drop rate grows with depth to 0.5 at the last.
drop_rates = [0.5 * (block + 1) / BLOCKS for block in range(BLOCKS)]


def build_resnet(stochastic_depth: bool) -> keras.Model:
    """A stem, six residual blocks of two dense layers, 10 classes."""
    inputs = keras.Input(shape=(64,))
    h = keras.layers.Dense(64, activation="relu")(inputs)
    for block, rate in enumerate(drop_rates):
        branch = keras.layers.Dense(64, activation="relu")(h)
        branch = keras.layers.Dense(64, name=f"branch_{block}")(branch)
        if stochastic_depth:
            branch = DropPath(rate, seed=block)(branch)
        h = keras.layers.ReLU()(keras.layers.Add()([h, branch]))
    outputs = keras.layers.Dense(10, activation="softmax")(h)
    return keras.Model(inputs, outputs)


print("drop rate per block:", [round(r, 3) for r in drop_rates])
expected_depth = sum(1 - r for r in drop_rates)
print(f"blocks used per example in training, on average: {expected_depth}")
# --8<-- [end:model]

# --8<-- [start:train]
nets, starts, train_accuracy, val_accuracy = {}, {}, {}, {}
for name, stochastic in [("plain", False), ("stochastic", True)]:
    keras.utils.set_random_seed(0)
    net = build_resnet(stochastic)
    starts[name] = net.get_weights()
    net.compile(
        optimizer="adam",
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    net.fit(x_train, y_train, epochs=40, batch_size=50, verbose=0)
    nets[name] = net
    train_accuracy[name] = net.evaluate(x_train, y_train, verbose=0)[1]
    val_accuracy[name] = net.evaluate(x_val, y_val, verbose=0)[1]
    print(
        f"{name:10s} train acc {train_accuracy[name]:.4f}"
        f"  val acc {val_accuracy[name]:.4f}"
    )
same_start = all(
    np.array_equal(a, b)
    for a, b in zip(starts["plain"], starts["stochastic"], strict=True)
)
print(f"same starting weights: {same_start}")
sd_net = nets["stochastic"]
repeatable = bool(np.array_equal(sd_net(x_val[:5]), sd_net(x_val[:5])))
print(f"stochastic-depth network repeatable at inference: {repeatable}")
# --8<-- [end:train]

# --8<-- [start:remove-block]
# Remove one block at a time from each trained network (its branch's last
# layer set to zero makes the block the identity) and measure again.
without_block = {name: [] for name in nets}
for name, net in nets.items():
    for block in range(BLOCKS):
        layer = net.get_layer(f"branch_{block}")
        saved = layer.get_weights()
        layer.set_weights([np.zeros_like(w) for w in saved])
        without_block[name].append(net.evaluate(x_val, y_val, verbose=0)[1])
        layer.set_weights(saved)
mean_loss_of_accuracy = {
    name: float(val_accuracy[name] - np.mean(accs))
    for name, accs in without_block.items()
}
print("val acc with block k removed:")
for name, accs in without_block.items():
    print(f"  {name:10s}", " ".join(f"{a:.3f}" for a in accs))
for name, loss in mean_loss_of_accuracy.items():
    print(f"mean drop in val acc, {name}: {loss:.4f}")
# --8<-- [end:remove-block]
