"""Dropout as noise, and a network that memorizes random labels.

Run it with ``python noise_and_memorization.py``: it applies additive
Gaussian noise, Gaussian dropout and dropout to units of different sizes,
then trains the same network on scikit-learn's 8x8 digits (shipped with
scikit-learn, no download) with shuffled labels, with and without dropout,
and writes the figure ``memorization.svg`` into the current folder.
"""

# --8<-- [start:imports]
import keras
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

keras.utils.set_random_seed(0)
# --8<-- [end:imports]

# --8<-- [start:labels]
LANGUAGE = "en"  # "zh" draws the figures with Chinese text
TEXT = {
    "en": {
        "random": "random labels, no dropout",
        "random_dropout": "random labels, dropout 0.5",
        "true": "true labels, no dropout",
        "train": ": training",
        "test": ": test",
        "chance": "chance",
        "epoch": "epoch",
        "accuracy": "accuracy, dropout off (%)",
        "title": "Memorizing 500 digits with shuffled labels",
    },
    "zh": {
        "random": "随机标签，无 Dropout",
        "random_dropout": "随机标签，丢弃率 0.5",
        "true": "真实标签，无 Dropout",
        "train": "：训练",
        "test": "：测试",
        "chance": "随机猜测",
        "epoch": "轮",
        "accuracy": "准确率，关闭 Dropout（%）",
        "title": "死记 500 个打乱标签的数字",
    },
}[LANGUAGE]
if LANGUAGE == "zh":  # a font with Chinese glyphs (Debian: fonts-noto-cjk)
    plt.rcParams["font.family"] = ["DejaVu Sans", "Noto Sans CJK SC"]
plt.rcParams["font.size"] = 11  # 5 inches wide at most: legible on a phone
# --8<-- [end:labels]

# --8<-- [start:noise]
rate = 0.2
stddev = float(np.sqrt(rate / (1 - rate)))  # 0.5: all three agree at h = 1
layers = {
    "GaussianNoise": keras.layers.GaussianNoise(stddev, seed=1),
    "GaussianDropout": keras.layers.GaussianDropout(rate, seed=2),
    "Dropout": keras.layers.Dropout(rate, seed=3),
}
sizes = [0.1, 1.0, 10.0]  # three units' activations h
draws = 100_000  # each unit gets this many independent noise draws
h = np.tile(np.array(sizes, dtype="float32"), (draws, 1))

noise = {}  # layer -> {"mean": [...], "std": [...]}, one entry per unit
print(f"{'layer':16} {'h':>5} {'mean':>8} {'std':>8} {'std / h':>8}")
for name, layer in layers.items():
    out = keras.ops.convert_to_numpy(layer(h, training=True))
    noise[name] = {
        "mean": out.mean(axis=0).tolist(),
        "std": out.std(axis=0).tolist(),
    }
    for size, mean, std in zip(
        sizes, noise[name]["mean"], noise[name]["std"], strict=True
    ):
        print(
            f"{name:16} {size:5.1f} {mean:8.3f} {std:8.3f} {std / size:8.3f}"
        )
# --8<-- [end:noise]


# --8<-- [start:scale]
def relative_noise(layer: keras.layers.Layer, features: np.ndarray) -> float:
    """Noise std over signal size, averaged over the features."""
    batch = np.tile(features, (draws, 1))
    out = keras.ops.convert_to_numpy(layer(batch, training=True))
    return float(np.mean(out.std(axis=0) / features))


features = np.array([0.3, 0.8, 1.5, 2.0], dtype="float32")  # learned h
scaling = {}  # layer -> relative noise at h and at 10 h
for name, layer in layers.items():
    scaling[name] = {
        "h": relative_noise(layer, features),
        "10h": relative_noise(layer, 10 * features),
    }
    print(
        f"{name:16} noise / signal at h: {scaling[name]['h']:.3f}, "
        f"at 10 h: {scaling[name]['10h']:.3f}"
    )
# --8<-- [end:scale]

# --8<-- [start:data]
digits = load_digits()
x_train, x_test, y_train, y_test = train_test_split(
    digits.data / 16.0, digits.target, train_size=500, random_state=0
)
shuffled = np.random.default_rng(0).permutation(y_train)  # random labels
agree = float(np.mean(shuffled == y_train))
print(f"training images: {len(x_train)}, test images: {len(x_test)}")
print(f"shuffled labels that are still the true digit: {agree:.1%}")
# --8<-- [end:data]


# --8<-- [start:model]
def build_model(rate: float) -> keras.Model:
    """64 pixels -> two hidden layers of 512 ReLU units -> 10 classes."""
    keras.utils.set_random_seed(42)
    model = keras.Sequential(
        [
            keras.Input(shape=(64,)),
            keras.layers.Dense(512, activation="relu"),
            keras.layers.Dropout(rate, seed=1),  # seeded: the same start
            keras.layers.Dense(512, activation="relu"),  # at any rate
            keras.layers.Dropout(rate, seed=2),
            keras.layers.Dense(10, activation="softmax"),
        ]
    )
    model.compile(
        optimizer="adam",
        loss="sparse_categorical_crossentropy",
        steps_per_execution=10,  # one epoch of 500 images per call: faster
    )
    return model


def accuracy(model: keras.Model, x: np.ndarray, y: np.ndarray) -> float:
    """Accuracy of the full network: dropout off."""
    probabilities = keras.ops.convert_to_numpy(model(x, training=False))
    return float(np.mean(probabilities.argmax(axis=1) == y))


class Record(keras.callbacks.Callback):
    """After every epoch, the accuracy with dropout off."""

    def __init__(self, labels: np.ndarray):
        super().__init__()
        self.labels = labels
        self.history = {"train": [], "test": []}

    def on_epoch_end(self, epoch, logs=None):
        self.history["train"].append(
            accuracy(self.model, x_train, self.labels)
        )
        self.history["test"].append(accuracy(self.model, x_test, y_test))


def train(rate: float, labels: np.ndarray, epochs: int) -> dict:
    """Train on `labels`; record the accuracies after every epoch."""
    model = build_model(rate)
    start = model.get_weights()
    record = Record(labels)
    model.fit(
        x_train,
        labels,
        epochs=epochs,
        batch_size=50,
        verbose=0,
        callbacks=[record],
    )
    return {"start": start, **record.history}


# --8<-- [end:model]

# --8<-- [start:train]
epochs = 60
runs = {
    "random": train(0.0, shuffled, epochs),
    "random_dropout": train(0.5, shuffled, epochs),
    "true": train(0.0, y_train, epochs),
}
labels = {
    "random": "random labels, no dropout",
    "random_dropout": "random labels, dropout 0.5",
    "true": "true labels, no dropout",
}
starts = [run.pop("start") for run in runs.values()]
same_start = all(
    np.array_equal(a, b)
    for other in starts[1:]
    for a, b in zip(starts[0], other, strict=True)
)
print(f"all three models start from the same weights: {same_start}")
print(f"{'run':28} {'train acc':>9} {'test acc':>9}  (after epoch)")
for name, run in runs.items():
    for epoch in (10, 30, epochs):
        print(
            f"{labels[name]:28} {run['train'][epoch - 1]:9.3f} "
            f"{run['test'][epoch - 1]:9.3f}  ({epoch})"
        )
# --8<-- [end:train]

# --8<-- [start:plot]
fig, ax = plt.subplots(figsize=(5, 6.4), layout="constrained")
epoch_numbers = np.arange(1, epochs + 1)
for (name, run), color in zip(runs.items(), ["C1", "C0", "C2"], strict=True):
    ax.plot(
        epoch_numbers,
        100 * np.array(run["train"]),
        color=color,
        label=TEXT[name] + TEXT["train"],
    )
    ax.plot(
        epoch_numbers,
        100 * np.array(run["test"]),
        color=color,
        linestyle="--",
        label=TEXT[name] + TEXT["test"],
    )
ax.axhline(
    10, color="black", linewidth=0.8, linestyle=":", label=TEXT["chance"]
)
ax.set_xlabel(TEXT["epoch"])
ax.set_ylabel(TEXT["accuracy"])
ax.set_ylim(0, 102)
ax.set_title(TEXT["title"])
ax.grid(alpha=0.3)
fig.legend(loc="outside lower center")  # below the axes: it covers no curve
fig.savefig("memorization.svg")
# --8<-- [end:plot]
