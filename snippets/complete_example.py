"""The same Keras classifier, trained with and without dropout.

Run it with ``python complete_example.py``: it trains both networks on one
synthetic data set from the same initial weights, for 20 epochs and then for
100, prints their training logs, gaps and test accuracy, and writes the
figures ``complete_example.svg`` and ``complete_example_100_epochs.svg`` and
the weights file ``complete_example_model.json`` into the current folder.
"""

# --8<-- [start:imports]
import json

import keras
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import make_classification
from sklearn.model_selection import train_test_split

# --8<-- [end:imports]

# --8<-- [start:labels]
LANGUAGE = "en"  # "zh" draws the figures with Chinese text
TEXT = {
    "en": {
        "accuracy": "Accuracy",
        "loss": "Loss",
        "epoch": "epoch",
        "dropout_train": "dropout 0.5, training",
        "dropout_val": "dropout 0.5, validation",
        "baseline_train": "no dropout, training",
        "baseline_val": "no dropout, validation",
        "dropout": "dropout 0.5",
        "baseline": "no dropout",
        "long_loss": "loss (solid: training, dashed: validation)",
        "long_title": "100 epochs, mean ± std over 3 seeds",
    },
    "zh": {
        "accuracy": "准确率",
        "loss": "损失",
        "epoch": "轮",
        "dropout_train": "丢弃率 0.5，训练",
        "dropout_val": "丢弃率 0.5，验证",
        "baseline_train": "无 Dropout，训练",
        "baseline_val": "无 Dropout，验证",
        "dropout": "丢弃率 0.5",
        "baseline": "无 Dropout",
        "long_loss": "损失（实线：训练，虚线：验证）",
        "long_title": "100 轮，3 个随机种子的均值 ± 标准差",
    },
}[LANGUAGE]
if LANGUAGE == "zh":  # a font with Chinese glyphs (Debian: fonts-noto-cjk)
    plt.rcParams["font.family"] = ["DejaVu Sans", "Noto Sans CJK SC"]
plt.rcParams["font.size"] = 11  # 5 inches wide at most: legible on a phone
# --8<-- [end:labels]

# --8<-- [start:data]
features, labels = make_classification(
    n_samples=1000, n_features=20, n_classes=2, random_state=42
)
x_train, x_test, y_train, y_test = train_test_split(
    features, labels, test_size=0.2, random_state=42
)
print(f"training examples: {len(x_train)}, test examples: {len(x_test)}")
# --8<-- [end:data]


# --8<-- [start:model]
def build_model(dropout_rate: float) -> keras.Model:
    """Two hidden layers of 64 ReLU units, each followed by Dropout."""
    model = keras.Sequential(
        [
            keras.Input(shape=(20,)),
            keras.layers.Dense(64, activation="relu"),
            keras.layers.Dropout(dropout_rate, seed=1),
            keras.layers.Dense(64, activation="relu"),
            keras.layers.Dropout(dropout_rate, seed=2),
            keras.layers.Dense(1, activation="sigmoid"),
        ]
    )
    model.compile(
        optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"]
    )
    return model


# --8<-- [end:model]


# --8<-- [start:train]
def train(
    dropout_rate: float, epochs: int = 20, seed: int = 42
) -> tuple[keras.Model, dict[str, list[float]], list[np.ndarray]]:
    """Train a fresh model; also return the weights it started from."""
    keras.utils.set_random_seed(seed)
    model = build_model(dropout_rate)
    start = model.get_weights()
    history = model.fit(
        x_train,
        y_train,
        epochs=epochs,
        batch_size=32,
        validation_split=0.2,
        verbose=0,
    )
    return model, history.history, start


model, history, start = train(dropout_rate=0.5)
baseline, baseline_history, baseline_start = train(dropout_rate=0.0)
same_start = all(
    np.array_equal(a, b) for a, b in zip(start, baseline_start, strict=True)
)
print(f"both models start from the same weights: {same_start}")
# --8<-- [end:train]


# --8<-- [start:seeds]
# The trap the seeds avoid: unseeded, Dropout(0.5) draws a seed from
# Python's random numbers while it is built, Dropout(0.0) draws none.
def unseeded_start(dropout_rate: float) -> list[np.ndarray]:
    keras.utils.set_random_seed(42)
    layers = [keras.Input(shape=(20,))]
    for _ in range(2):
        layers += [
            keras.layers.Dense(64, activation="relu"),
            keras.layers.Dropout(dropout_rate),  # no seed
        ]
    layers += [keras.layers.Dense(1, activation="sigmoid")]
    return keras.Sequential(layers).get_weights()


unseeded_equal = [
    bool(np.array_equal(a, b))
    for a, b in zip(unseeded_start(0.0), unseeded_start(0.5), strict=True)
]
print("unseeded, rate 0 vs 0.5, equal [kernel, bias] per Dense layer:")
print(unseeded_equal)
# --8<-- [end:seeds]

# --8<-- [start:log]
print("epoch    loss  accuracy  val_loss  val_accuracy")
for epoch in range(20):
    print(
        f"{epoch + 1:5d}  {history['loss'][epoch]:6.4f}"
        f"  {history['accuracy'][epoch]:8.4f}"
        f"  {history['val_loss'][epoch]:8.4f}"
        f"  {history['val_accuracy'][epoch]:12.4f}"
    )
# --8<-- [end:log]

# --8<-- [start:evaluate]
test_loss, test_accuracy = model.evaluate(x_test, y_test, verbose=0)
baseline_test_loss, baseline_test_accuracy = baseline.evaluate(
    x_test, y_test, verbose=0
)
print(f"test accuracy with dropout:    {test_accuracy:.4f}")
print(f"test accuracy without dropout: {baseline_test_accuracy:.4f}")
# --8<-- [end:evaluate]

# --8<-- [start:gap]
# validation_split=0.2 trained on the first 640 examples and validated
# on the last 160.
x_fit, y_fit = x_train[:640], y_train[:640]
x_val, y_val = x_train[640:], y_train[640:]


def gaps(model: keras.Model) -> tuple[float, float]:
    """Training minus validation accuracy, validation minus training loss.

    `evaluate` runs the full network: dropout off on both sets.
    """
    fit_loss, fit_accuracy = model.evaluate(x_fit, y_fit, verbose=0)
    val_loss, val_accuracy = model.evaluate(x_val, y_val, verbose=0)
    return fit_accuracy - val_accuracy, val_loss - fit_loss


gap, loss_gap = gaps(model)
baseline_gap, baseline_loss_gap = gaps(baseline)
# What the log suggests: its training column had dropout on.
logged_gap = history["accuracy"][-1] - history["val_accuracy"][-1]
print("dropout off in both          accuracy gap  loss gap")
print(f"with dropout 0.5            {gap:+13.4f}  {loss_gap:+8.4f}")
print(f"without dropout             {baseline_gap:+13.4f}", end="")
print(f"  {baseline_loss_gap:+8.4f}")
print(f"with dropout, from the log  {logged_gap:+13.4f}")
# --8<-- [end:gap]

# --8<-- [start:plot]
epochs = range(1, 21)
fig, (ax_acc, ax_loss) = plt.subplots(2, 1, figsize=(5, 7), sharex=True)
for ax, metric in [(ax_acc, "accuracy"), (ax_loss, "loss")]:
    ax.plot(epochs, history[metric], "C0-", label=TEXT["dropout_train"])
    ax.plot(
        epochs, history["val_" + metric], "C0--", label=TEXT["dropout_val"]
    )
    ax.plot(
        epochs,
        baseline_history[metric],
        "C1-",
        label=TEXT["baseline_train"],
    )
    ax.plot(
        epochs,
        baseline_history["val_" + metric],
        "C1--",
        label=TEXT["baseline_val"],
    )
    ax.set_ylabel(TEXT[metric])
    ax.grid(alpha=0.3)
ax_loss.set_xlabel(TEXT["epoch"])
ax_loss.legend()
fig.tight_layout()
fig.savefig("complete_example.svg")
# --8<-- [end:plot]


# --8<-- [start:longer]
def train_100(dropout_rate: float, seed: int = 42) -> tuple:
    """100 epochs; history, gaps and test accuracy (dropout off), start."""
    model_100, history_100, start_100 = train(dropout_rate, 100, seed)
    accuracy_gap, loss_gap_100 = gaps(model_100)
    _, test_accuracy_100 = model_100.evaluate(x_test, y_test, verbose=0)
    return (
        history_100,
        accuracy_gap,
        loss_gap_100,
        test_accuracy_100,
        start_100,
    )


long_history, long_gap, long_loss_gap, long_test_accuracy, long_start = (
    train_100(0.5)
)
(
    long_baseline_history,
    long_baseline_gap,
    long_baseline_loss_gap,
    long_baseline_test_accuracy,
    long_baseline_start,
) = train_100(0.0)
# The epoch with the lowest validation loss, counting from 1.
best_epoch = int(np.argmin(long_history["val_loss"])) + 1
baseline_best_epoch = int(np.argmin(long_baseline_history["val_loss"])) + 1

rows = {
    "accuracy gap": (long_gap, long_baseline_gap),
    "loss gap": (long_loss_gap, long_baseline_loss_gap),
    "test accuracy": (long_test_accuracy, long_baseline_test_accuracy),
}
print("after 100 epochs  with dropout  without")
for name, (with_dropout, without) in rows.items():
    print(f"{name:16s}  {with_dropout:12.4f}  {without:7.4f}")
print(
    f"lowest validation loss: epoch {best_epoch} with dropout,"
    f" epoch {baseline_best_epoch} without"
)
# --8<-- [end:longer]

# --8<-- [start:more-seeds]
# The same comparison from two more seeds: other initial weights, masks
# and batches. Each pair still starts alike.
histories_100 = {
    "dropout": [long_history],
    "baseline": [long_baseline_history],
}
gaps_100 = {"dropout": [long_gap], "baseline": [long_baseline_gap]}
tests_100 = {
    "dropout": [long_test_accuracy],
    "baseline": [long_baseline_test_accuracy],
}
seed_same_starts = [  # seed 42's pair, then the pairs of seeds 1 and 2
    all(
        np.array_equal(a, b)
        for a, b in zip(long_start, long_baseline_start, strict=True)
    )
]
for seed in (1, 2):
    starts_100 = []
    for name, rate in [("dropout", 0.5), ("baseline", 0.0)]:
        history_100, accuracy_gap, _, test_accuracy_100, start_100 = (
            train_100(rate, seed)
        )
        histories_100[name].append(history_100)
        gaps_100[name].append(accuracy_gap)
        tests_100[name].append(test_accuracy_100)
        starts_100.append(start_100)
    seed_same_starts.append(
        all(np.array_equal(a, b) for a, b in zip(*starts_100, strict=True))
    )
seed_summary = {
    name: {
        "gap": float(np.mean(gaps_100[name])),
        "gap_std": float(np.std(gaps_100[name])),
        "test": float(np.mean(tests_100[name])),
        "test_std": float(np.std(tests_100[name])),
    }
    for name in gaps_100
}
print("3 seeds, 100 epochs  accuracy gap     test accuracy")
for name, summary in seed_summary.items():
    print(
        f"{name:18s}  {summary['gap']:.3f} ± {summary['gap_std']:.3f}"
        f"     {summary['test']:.3f} ± {summary['test_std']:.3f}"
    )
# --8<-- [end:more-seeds]

# --8<-- [start:plot-longer]
fig, ax = plt.subplots(figsize=(5, 4))
long_epochs = range(1, 101)
for name, colour in [("dropout", "C0"), ("baseline", "C1")]:
    for metric, style in [("loss", "-"), ("val_loss", "--")]:
        curves = np.array([h[metric] for h in histories_100[name]])
        mean, std = curves.mean(axis=0), curves.std(axis=0)
        shown = TEXT[name] if metric == "loss" else None
        ax.plot(long_epochs, mean, colour + style, label=shown)
        ax.fill_between(
            long_epochs, mean - std, mean + std, color=colour, alpha=0.2
        )
ax.set_xlabel(TEXT["epoch"])
ax.set_ylabel(TEXT["long_loss"])
ax.set_title(TEXT["long_title"])
ax.grid(alpha=0.3)
ax.legend()
fig.tight_layout()
fig.savefig("complete_example_100_epochs.svg")
# --8<-- [end:plot-longer]


# --8<-- [start:export]
# The trained weights and the test set, for the interactive page's widgets.
# Six decimals are plenty for a browser and keep the file small.
def rounded(array) -> list:
    return np.asarray(array, dtype=float).round(6).tolist()


with open("complete_example_model.json", "w") as file:
    json.dump(
        {
            "dropout_rate": 0.5,
            "layers": [
                {
                    "kernel": rounded(layer.get_weights()[0]),
                    "bias": rounded(layer.get_weights()[1]),
                    "activation": layer.activation.__name__,
                }
                for layer in model.layers
                if isinstance(layer, keras.layers.Dense)
            ],
            "x_test": rounded(x_test),
            "y_test": y_test.tolist(),
        },
        file,
    )
# --8<-- [end:export]
