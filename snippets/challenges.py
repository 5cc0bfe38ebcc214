"""What dropout costs and where it trips people up, each point measured.

Run it with ``python challenges.py``: it trains a few small networks on the
handwritten digits that ship with scikit-learn, prints what each section
measures, and writes the figure ``challenges.svg`` into the current folder.
"""

# --8<-- [start:imports]
import itertools

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
        "none": "no dropout",
        "half": "dropout 0.5",
        "heavy": "dropout 0.9",
        "train": "training",
        "val": "validation",
        "epoch": "epoch",
        "loss": "loss (log scale)",
        "and": ", ",
    },
    "zh": {
        "none": "无 Dropout",
        "half": "丢弃率 0.5",
        "heavy": "丢弃率 0.9",
        "train": "训练",
        "val": "验证",
        "epoch": "轮",
        "loss": "损失（对数坐标）",
        "and": "，",
    },
}[LANGUAGE]
if LANGUAGE == "zh":  # a font with Chinese glyphs (Debian: fonts-noto-cjk)
    plt.rcParams["font.family"] = ["DejaVu Sans", "Noto Sans CJK SC"]
plt.rcParams["font.size"] = 11  # 5 inches wide at most: legible on a phone
# --8<-- [end:labels]

# --8<-- [start:data]
digits = load_digits()
x = digits.data.astype("float32") / 16.0  # pixel values 0..16 -> 0..1
x_train, x_val, y_train, y_val = train_test_split(
    x, digits.target, train_size=600, test_size=600, random_state=0
)
print(f"training examples: {len(x_train)}, validation examples: {len(x_val)}")
# --8<-- [end:data]


# --8<-- [start:model]
def build_model(rate: float, batch_norm: bool = False) -> keras.Model:
    """64 inputs, two hidden layers of 256 ReLU units, 10 classes."""
    layers = [keras.Input(shape=(64,))]
    for dropout_seed in (1, 2):  # seeded: the same start at any rate
        layers += [keras.layers.Dense(256, activation="relu")]
        layers += [keras.layers.Dropout(rate, seed=dropout_seed)]
        if batch_norm:  # dropout placed BEFORE batch normalization
            layers += [keras.layers.BatchNormalization()]
    layers += [keras.layers.Dense(10, activation="softmax")]
    model = keras.Sequential(layers)
    model.compile(
        optimizer="adam",
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    return model


EPOCHS = 40
# The first model's initial weights for each seed and layout, and whether
# every later model started from the same ones.
first_weights: dict[tuple[int, bool], list[np.ndarray]] = {}
same_starts: list[bool] = []


def train(
    rate: float,
    epochs: int = EPOCHS,
    batch_norm: bool = False,
    seed: int = 0,
    callbacks: list[keras.callbacks.Callback] | None = None,
) -> tuple[keras.Model, dict[str, list[float]]]:
    """A fresh, seeded model trained on the 600 training examples."""
    keras.utils.set_random_seed(seed)
    model = build_model(rate, batch_norm)
    weights = model.get_weights()
    reference = first_weights.setdefault((seed, batch_norm), weights)
    same_starts.append(
        all(
            np.array_equal(a, b)
            for a, b in zip(reference, weights, strict=True)
        )
    )
    history = model.fit(
        x_train,
        y_train,
        epochs=epochs,
        batch_size=32,
        validation_data=(x_val, y_val),
        callbacks=callbacks,
        verbose=0,
    )
    return model, history.history


# --8<-- [end:model]


# --8<-- [start:slower]
class TrainingSetAccuracy(keras.callbacks.Callback):
    """After each epoch: training-set accuracy with dropout on and off."""

    def __init__(self) -> None:
        super().__init__()
        self.on, self.off = [], []

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        for training, record in [(True, self.on), (False, self.off)]:
            outputs = self.model(x_train, training=training)  # a tensor
            predicted = np.argmax(keras.ops.convert_to_numpy(outputs), axis=1)
            record.append(float(np.mean(predicted == y_train)))


probe = TrainingSetAccuracy()
baseline, plain = train(rate=0.0)
model, dropped = train(rate=0.5, callbacks=[probe])
target = 1.05 * min(
    plain["val_loss"]
)  # within 5 % of the best without dropout


def first_epoch_below(losses: list[float], level: float) -> int | None:
    """The first epoch (counting from 1) whose loss is at or below level."""
    return next((i + 1 for i, v in enumerate(losses) if v <= level), None)


def rises(losses: list[float]) -> int:
    """How many epochs ended with a higher loss than the epoch before."""
    return sum(b > a for a, b in itertools.pairwise(losses))


epochs_plain = first_epoch_below(plain["val_loss"], target)
epochs_dropout = first_epoch_below(dropped["val_loss"], target)
rises_plain, rises_dropout = rises(plain["loss"]), rises(dropped["loss"])
best_plain, best_dropout = min(plain["val_loss"]), min(dropped["val_loss"])
print(f"target validation loss:            {target:.4f}")
print(f"epochs to reach it, no dropout:    {epochs_plain}")
print(f"epochs to reach it, dropout 0.5:   {epochs_dropout}")
print(f"training-loss rises, no dropout:   {rises_plain} of {EPOCHS - 1}")
print(f"training-loss rises, dropout 0.5:  {rises_dropout} of {EPOCHS - 1}")
print(f"best validation loss, no dropout:  {best_plain:.4f}")
print(f"best validation loss, dropout 0.5: {best_dropout:.4f}")
# --8<-- [end:slower]

# --8<-- [start:logged]
logged = dropped["accuracy"]  # what fit reports: dropout on, epoch average
on_at_end, off_at_end = probe.on, probe.off  # the epoch's final weights
val_accuracy = dropped["val_accuracy"]
_, evaluated = model.evaluate(x_train, y_train, verbose=0)  # dropout off
print("epoch  logged by fit  dropout on  dropout off  validation")
for i in [0, 1, 2, 4, 9, 19, EPOCHS - 1]:
    print(
        f"{i + 1:5d}  {logged[i]:13.4f}  {on_at_end[i]:10.4f}"
        f"  {off_at_end[i]:11.4f}  {val_accuracy[i]:10.4f}"
    )
print(f"evaluate() on the training set at the end: {evaluated:.4f}")
below = sum(t < v for t, v in zip(logged, val_accuracy, strict=True))
print(f"epochs whose logged training accuracy < validation: {below}")
# --8<-- [end:logged]

# --8<-- [start:too-high]
heavy, heavy_history = train(rate=0.9)
rates = [0.0, 0.5, 0.9]
train_accuracy, validation_accuracy = [], []
print("rate  train acc (dropout off)  val acc")
for rate, net in zip(rates, [baseline, model, heavy], strict=True):
    train_accuracy.append(net.evaluate(x_train, y_train, verbose=0)[1])
    validation_accuracy.append(net.evaluate(x_val, y_val, verbose=0)[1])
    print(
        f"{rate:4.1f}  {train_accuracy[-1]:23.4f}"
        f"  {validation_accuracy[-1]:7.4f}"
    )
# --8<-- [end:too-high]

# --8<-- [start:plot]
epochs = range(1, EPOCHS + 1)
fig, ax = plt.subplots(figsize=(5, 5.2), layout="constrained")
for history, colour, name in [
    (plain, "C1", "none"),
    (dropped, "C0", "half"),
    (heavy_history, "C2", "heavy"),
]:
    for metric, style, part in [
        ("loss", "-", "train"),
        ("val_loss", "--", "val"),
    ]:
        label = TEXT[name] + TEXT["and"] + TEXT[part]
        ax.plot(epochs, history[metric], colour + style, label=label)
ax.axhline(target, color="grey", linewidth=0.8)
ax.set_yscale("log")
ax.yaxis.set_major_formatter("{x:g}")  # 0.1, not 10 to the -1 in small type
ax.set_xlabel(TEXT["epoch"])
ax.set_ylabel(TEXT["loss"])
ax.grid(alpha=0.3)
fig.legend(loc="outside lower center", ncols=2)
fig.savefig("challenges.svg")
# --8<-- [end:plot]

# --8<-- [start:variance]
keras.utils.set_random_seed(0)
h = model.layers[0](x_val)  # the trained network's first hidden layer
dropout = keras.layers.Dropout(0.5)
in_training = keras.ops.convert_to_numpy(dropout(h, training=True))
at_inference = keras.ops.convert_to_numpy(dropout(h, training=False))
var_train = float(np.var(in_training, axis=0).mean())
var_infer = float(np.var(at_inference, axis=0).mean())
print(f"mean unit variance, training mode:  {var_train:.4f}")
print(f"mean unit variance, inference mode: {var_infer:.4f}")
print(f"ratio training / inference:         {var_train / var_infer:.2f}")
# --8<-- [end:variance]

# --8<-- [start:batchnorm]
bn_model, bn_history = train(rate=0.5, batch_norm=True)
bn_layer = bn_model.layers[2]  # Dense, Dropout, BatchNormalization, ...
upto_bn = keras.Model(bn_model.inputs[0], bn_model.layers[1].output)
seen_at_inference = keras.ops.convert_to_numpy(
    upto_bn(x_train, training=False)
)
seen_in_training = keras.ops.convert_to_numpy(upto_bn(x_train, training=True))
moving = bn_layer.moving_variance.numpy()  # a Keras variable
shift = float(np.mean(np.var(seen_at_inference, axis=0) / moving))
shift_train = float(np.mean(np.var(seen_in_training, axis=0) / moving))
bn_val_accuracy = bn_model.evaluate(x_val, y_val, verbose=0)[1]
print(
    f"BN input variance / moving variance, training mode:  {shift_train:.2f}"
)
print(f"BN input variance / moving variance, inference mode: {shift:.2f}")
print(f"validation accuracy, dropout before BN: {bn_val_accuracy:.4f}")
no_bn_accuracy = validation_accuracy[1]
print(f"validation accuracy, dropout, no BN:    {no_bn_accuracy:.4f}")
# --8<-- [end:batchnorm]


# --8<-- [start:forgot-training]
class NoisyDense(keras.layers.Layer):
    """A Dense layer with dropout built in -- and a bug."""

    def __init__(self, units: int, rate: float, **kwargs) -> None:
        super().__init__(**kwargs)
        self.units, self.rate = units, rate
        self.dense = keras.layers.Dense(units, activation="relu")
        self.seed = keras.random.SeedGenerator(0)

    def get_config(self) -> dict:  # lets keras.models.load_model rebuild it
        return {
            **super().get_config(),
            "units": self.units,
            "rate": self.rate,
        }

    def call(self, inputs, training=None):
        outputs = self.dense(inputs)
        # BUG: drops units whether or not the model is training.
        return keras.random.dropout(outputs, self.rate, seed=self.seed)


class FixedNoisyDense(NoisyDense):
    def call(self, inputs, training=None):
        outputs = self.dense(inputs)
        if training:  # only while fit() trains
            outputs = keras.random.dropout(outputs, self.rate, seed=self.seed)
        return outputs


for layer_class in (NoisyDense, FixedNoisyDense):
    keras.utils.set_random_seed(0)
    net = keras.Sequential(
        [
            keras.Input(shape=(64,)),
            layer_class(64, 0.5),
            keras.layers.Dense(10),
        ]
    )
    first, second = (
        net.predict(x_val, verbose=0),
        net.predict(x_val, verbose=0),
    )
    differ = float(np.abs(first - second).max())
    print(f"{layer_class.__name__:>15}: two predicts differ by {differ:.4f}")
    if layer_class is NoisyDense:
        buggy_difference = differ
    else:
        fixed_difference = differ
# --8<-- [end:forgot-training]

# --8<-- [start:dropout-on]
right = np.argmax(model.predict(x_val, verbose=0), axis=1)
noisy = keras.ops.convert_to_numpy(model(x_val, training=True))  # dropout on
wrong = np.argmax(noisy, axis=1)
accuracy_right = float(np.mean(right == y_val))
accuracy_wrong = float(np.mean(wrong == y_val))
print(f"validation accuracy, predict():              {accuracy_right:.4f}")
print(f"validation accuracy, model(x, training=True): {accuracy_wrong:.4f}")
# --8<-- [end:dropout-on]

# --8<-- [start:seeds]
_, run_a = train(rate=0.5, epochs=3, seed=1)
_, run_b = train(rate=0.5, epochs=3, seed=1)
_, run_c = train(rate=0.5, epochs=3, seed=2)
same_seed_equal = run_a["loss"] == run_b["loss"]
other_seed_equal = run_a["loss"] == run_c["loss"]
print(f"seed 1 twice, identical losses: {same_seed_equal}")
print(f"seed 1 vs 2, identical losses:  {other_seed_equal}")
# --8<-- [end:seeds]
