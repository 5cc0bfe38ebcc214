"""Why dropout helps, measured on the complete example's data and network.

Run it with ``python rate_sweep.py``: it trains the 64-64-1 network for six
dropout rates and five seeds, compares dropout with other regularizers on the
same seeds, measures how sparse the hidden activations are, and writes the
figures ``rate_sweep.svg`` and ``regularizers.svg`` into the current folder.
"""

# --8<-- [start:imports]
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
        "train": "training (dropout off)",
        "validation": "validation",
        "test": "test",
        "accuracy": "accuracy",
        "gap": "training − validation\naccuracy",
        "sweep_title": "Accuracy, mean ± std over 5 seeds",
        "gap_title": "Generalization gap",
        "rate": "dropout rate",
        "test_accuracy": "test accuracy",
        "methods": {
            "none": "none",
            "l2": "L2 penalty 1e-3",
            "l2_strong": "L2 penalty 1e-2",
            "early_stopping": "early stopping",
            "dropout": "dropout 0.5",
            "dropout_l2": "dropout 0.5 + L2",
        },
    },
    "zh": {
        "train": "训练（关闭 Dropout）",
        "validation": "验证",
        "test": "测试",
        "accuracy": "准确率",
        "gap": "训练准确率 − 验证准确率",
        "sweep_title": "准确率，5 个随机种子的均值 ± 标准差",
        "gap_title": "泛化差距",
        "rate": "丢弃率",
        "test_accuracy": "测试准确率",
        "methods": {
            "none": "无正则化",
            "l2": "L2 惩罚 1e-3",
            "l2_strong": "L2 惩罚 1e-2",
            "early_stopping": "早停",
            "dropout": "丢弃率 0.5",
            "dropout_l2": "丢弃率 0.5 + L2",
        },
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
# The last 20 % of the training part validates, as validation_split=0.2 does.
x_fit, x_val = x_train[:640], x_train[640:]
y_fit, y_val = y_train[:640], y_train[640:]
print(f"fit: {len(x_fit)}, validation: {len(x_val)}, test: {len(x_test)}")
# --8<-- [end:data]


# --8<-- [start:model]
def build_model(rate: float, seed: int, l2: float = 0.0) -> keras.Model:
    """The complete example's network, optionally with an L2 penalty.

    The Dropout layers' seeds come from `seed`: unseeded, a layer with
    rate > 0 would shift the initial weights of the layers after it.
    """
    penalty = keras.regularizers.L2(l2) if l2 > 0 else None
    model = keras.Sequential(
        [
            keras.Input(shape=(20,)),
            keras.layers.Dense(
                64, activation="relu", kernel_regularizer=penalty
            ),
            keras.layers.Dropout(rate, seed=1000 + seed),
            keras.layers.Dense(
                64, activation="relu", kernel_regularizer=penalty
            ),
            keras.layers.Dropout(rate, seed=2000 + seed),
            keras.layers.Dense(1, activation="sigmoid"),
        ]
    )
    model.compile(optimizer="adam", loss="binary_crossentropy")
    return model


def accuracy(model: keras.Model, x: np.ndarray, y: np.ndarray) -> float:
    """Accuracy of the full network: training=False switches dropout off."""
    probability = keras.ops.convert_to_numpy(model(x, training=False))[:, 0]
    return float(np.mean((probability > 0.5) == y))


def hidden_activations(model: keras.Model, x: np.ndarray) -> np.ndarray:
    """Outputs of both hidden ReLU layers (inference: Dropout is a no-op)."""
    dense = [
        layer for layer in model.layers if layer.name.startswith("dense")
    ]
    hidden = keras.Model(model.inputs, [dense[0].output, dense[1].output])
    first, second = hidden.predict(x, verbose=0)
    return np.concatenate([first, second], axis=1)


# The first network built with each seed; every later one must match it.
first_start: dict[int, list[np.ndarray]] = {}


def same_start(model: keras.Model, seed: int) -> bool:
    """True if `model` starts from the weights of the first one of `seed`."""
    weights = model.get_weights()
    reference = first_start.setdefault(seed, weights)
    return all(
        np.array_equal(a, b) for a, b in zip(reference, weights, strict=True)
    )


# --8<-- [end:model]


# --8<-- [start:run]
def run(
    rate: float, seed: int, l2: float = 0.0, early_stopping: bool = False
) -> dict[str, float]:
    """Train one network (at most 20 epochs); measure it with dropout off."""
    keras.utils.set_random_seed(seed)
    model = build_model(rate, seed, l2)
    start_matches = same_start(model, seed)
    stop = keras.callbacks.EarlyStopping(
        patience=3, restore_best_weights=True
    )
    history = model.fit(
        x_fit,
        y_fit,
        epochs=20,
        batch_size=32,
        validation_data=(x_val, y_val) if early_stopping else None,
        callbacks=[stop] if early_stopping else [],
        verbose=0,
    )
    train = accuracy(model, x_fit, y_fit)
    validation = accuracy(model, x_val, y_val)
    activations = hidden_activations(model, x_fit)
    return {
        "train": train,
        "validation": validation,
        "test": accuracy(model, x_test, y_test),
        "gap": train - validation,
        "epochs": len(history.history["loss"]),
        "mean_activation": float(activations.mean()),
        "zero_fraction": float(np.mean(activations == 0)),
        "same_start": float(start_matches),
    }


# --8<-- [end:run]

# --8<-- [start:sweep]
rates = [0.0, 0.1, 0.2, 0.3, 0.5, 0.7]
seeds = [0, 1, 2, 3, 4]
runs = {rate: [run(rate, seed) for seed in seeds] for rate in rates}


def summary(results: list[dict[str, float]]) -> dict[str, float]:
    """Mean and standard deviation over seeds of every measurement."""
    out = {}
    for key in results[0]:
        values = [r[key] for r in results]
        out[key] = float(np.mean(values))
        out[key + "_std"] = float(np.std(values))
    return out


sweep = [summary(runs[rate]) for rate in rates]  # in the order of `rates`
print("rate   train  validation   test     gap")
for rate, s in zip(rates, sweep, strict=True):
    print(
        f"{rate:4.1f}  {s['train']:.3f}     {s['validation']:.3f}  "
        f"{s['test']:.3f}  {s['gap']:+.3f} ± {s['gap_std']:.3f}"
    )
# --8<-- [end:sweep]

# --8<-- [start:plot-sweep]
fig, (ax_acc, ax_gap) = plt.subplots(2, 1, figsize=(5, 7.4), sharex=True)
for key in ["train", "validation", "test"]:
    mean = np.array([s[key] for s in sweep])
    std = np.array([s[key + "_std"] for s in sweep])
    ax_acc.plot(rates, mean, "o-", label=TEXT[key])
    ax_acc.fill_between(rates, mean - std, mean + std, alpha=0.2)
gap = np.array([s["gap"] for s in sweep])
gap_std = np.array([s["gap_std"] for s in sweep])
ax_gap.plot(rates, gap, "o-", color="C3")
ax_gap.fill_between(
    rates, gap - gap_std, gap + gap_std, color="C3", alpha=0.2
)
ax_gap.axhline(0, color="black", linewidth=0.8)
ax_acc.set_ylabel(TEXT["accuracy"])
ax_gap.set_ylabel(TEXT["gap"])
ax_acc.set_title(TEXT["sweep_title"])
ax_gap.set_title(TEXT["gap_title"])
ax_gap.set_xlabel(TEXT["rate"])
for ax in (ax_acc, ax_gap):
    ax.grid(alpha=0.3)
ax_acc.legend()
fig.tight_layout()
fig.savefig("rate_sweep.svg")
# --8<-- [end:plot-sweep]

# --8<-- [start:sparsity]
no_dropout, with_dropout = sweep[rates.index(0.0)], sweep[rates.index(0.5)]
print("rate  mean activation  fraction of zeros")
for rate, s in zip(rates, sweep, strict=True):
    mean, zeros = s["mean_activation"], s["zero_fraction"]
    print(f"{rate:4.1f}  {mean:15.3f}  {zeros:17.3f}")
# --8<-- [end:sparsity]

# --8<-- [start:compare]
names = {
    "none": "none",
    "l2": "L2 penalty 1e-3",
    "l2_strong": "L2 penalty 1e-2",
    "early_stopping": "early stopping",
    "dropout": "dropout 0.5",
    "dropout_l2": "dropout 0.5 + L2",
}
methods = {
    "none": runs[0.0],
    "l2": [run(0.0, seed, l2=1e-3) for seed in seeds],
    "l2_strong": [run(0.0, seed, l2=1e-2) for seed in seeds],
    "early_stopping": [run(0.0, seed, early_stopping=True) for seed in seeds],
    "dropout": runs[0.5],
    "dropout_l2": [run(0.5, seed, l2=1e-3) for seed in seeds],
}
compared = {name: summary(results) for name, results in methods.items()}
tests = [c["test"] for c in compared.values()]
gaps = [c["gap"] for c in compared.values()]
test_range, gap_range = max(tests) - min(tests), max(gaps) - min(gaps)
print("method             train  validation   test     gap   epochs")
for name, s in compared.items():
    print(
        f"{names[name]:17s}  {s['train']:.3f}     {s['validation']:.3f}  "
        f"{s['test']:.3f}  {s['gap']:+.3f}  {s['epochs']:6.1f}"
    )
print(f"range of the means: test {test_range:.3f}, gap {gap_range:.3f}")
# --8<-- [end:compare]

# --8<-- [start:plot-compare]
fig, (ax_test, ax_gap) = plt.subplots(2, 1, figsize=(5, 7), sharey=True)
rows = np.arange(len(methods))[::-1]  # the first method at the top
for row, results in zip(rows, methods.values(), strict=True):
    for ax, key in [(ax_test, "test"), (ax_gap, "gap")]:
        values = [r[key] for r in results]
        ax.plot(values, np.full(len(values), row), "o", color="C0", alpha=0.5)
        ax.plot(np.mean(values), row, "|", color="black", markersize=20)
ax_gap.axvline(0, color="black", linewidth=0.8)
ax_test.set_xlabel(TEXT["test_accuracy"])
ax_gap.set_xlabel(TEXT["gap"].replace("\n", " "))
ax_test.set_yticks(rows, [TEXT["methods"][name] for name in methods])
for ax in (ax_test, ax_gap):
    ax.grid(axis="x", alpha=0.3)
fig.tight_layout()
fig.savefig("regularizers.svg")
# --8<-- [end:plot-compare]
