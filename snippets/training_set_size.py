"""Does dropout help more with little data or with a lot? Handwritten digits.

Run it with ``python training_set_size.py``: it trains the same network with
and without dropout on growing subsets of scikit-learn's 8x8 digits (shipped
with scikit-learn, no download), over three seeds, and writes the figure
``training_set_size.svg`` into the current folder.
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
        "without": "without dropout",
        "with": "with dropout",
        "log_images": "training images (log scale)",
        "error": "test error (%)",
        "error_title": "Test error, mean ± std over 3 seeds",
        "images": "training images",
        "gain": "error without − with\ndropout (points)",
        "gain_title": "What dropout gains (negative: it loses)",
    },
    "zh": {
        "without": "无 Dropout",
        "with": "有 Dropout",
        "log_images": "训练图像数（对数坐标）",
        "error": "测试误差（%）",
        "error_title": "测试误差，3 个随机种子的均值 ± 标准差",
        "images": "训练图像数",
        "gain": "误差之差：无 − 有 Dropout\n（百分点）",
        "gain_title": "Dropout 降低的误差（负值：误差升高）",
    },
}[LANGUAGE]
if LANGUAGE == "zh":  # a font with Chinese glyphs (Debian: fonts-noto-cjk)
    plt.rcParams["font.family"] = ["DejaVu Sans", "Noto Sans CJK SC"]
plt.rcParams["font.size"] = 11  # 5 inches wide at most: legible on a phone
# --8<-- [end:labels]

# --8<-- [start:data]
digits = load_digits()
x_pool, x_test, y_pool, y_test = train_test_split(
    digits.data / 16.0,
    digits.target,
    test_size=500,
    random_state=0,
    stratify=digits.target,
)
print(f"training images to draw from: {len(x_pool)}, test: {len(x_test)}")
# --8<-- [end:data]


# --8<-- [start:model]
def build_model(rate: float, seed: int) -> keras.Model:
    """64 pixels -> two hidden layers of 256 ReLU units -> 10 classes."""
    model = keras.Sequential(
        [
            keras.Input(shape=(64,)),
            keras.layers.Dense(256, activation="relu"),
            keras.layers.Dropout(rate, seed=1000 + seed),  # seeded: same
            keras.layers.Dense(256, activation="relu"),  # start at any rate
            keras.layers.Dropout(rate, seed=2000 + seed),
            keras.layers.Dense(10, activation="softmax"),
        ]
    )
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    return model


# Each seed's first initial weights, and whether every later model matched.
first_weights: dict[int, list[np.ndarray]] = {}
same_starts: list[bool] = []


def test_error(size: int, rate: float, seed: int) -> float:
    """Train on `size` images for 250 steps of 32; return the test error."""
    keras.utils.set_random_seed(seed)
    chosen = np.random.permutation(len(x_pool))[:size]
    # Every model takes the same 250 steps: small sets are repeated.
    repeated = np.resize(chosen, 250 * 32)
    model = build_model(rate, seed)
    start = model.get_weights()
    reference = first_weights.setdefault(seed, start)
    same_starts.append(
        all(
            np.array_equal(a, b)
            for a, b in zip(reference, start, strict=True)
        )
    )
    model.fit(
        x_pool[repeated], y_pool[repeated], epochs=1, batch_size=32, verbose=0
    )
    probabilities = keras.ops.convert_to_numpy(model(x_test, training=False))
    return float(np.mean(probabilities.argmax(axis=1) != y_test))


# --8<-- [end:model]

# --8<-- [start:experiment]
sizes = [50, 100, 400, 1297]
seeds = [0, 1, 2]
errors = {
    name: {
        str(size): [test_error(size, rate, s) for s in seeds]
        for size in sizes
    }
    for name, rate in [("without", 0.0), ("with", 0.5)]
}
gain = {
    str(size): float(
        np.mean(errors["without"][str(size)])
        - np.mean(errors["with"][str(size)])
    )
    for size in sizes
}
print(" size  error without  error with  gain (points)")
for size in sizes:
    without = np.mean(errors["without"][str(size)])
    with_dropout = np.mean(errors["with"][str(size)])
    points = 100 * gain[str(size)]
    print(
        f"{size:5d}  {without:13.3f}  {with_dropout:10.3f}  {points:+13.1f}"
    )
# --8<-- [end:experiment]

# --8<-- [start:plot]
fig, (ax_error, ax_gain) = plt.subplots(2, 1, figsize=(5, 7.6))
for name, color in [("without", "C1"), ("with", "C0")]:
    mean = np.array([np.mean(errors[name][str(n)]) for n in sizes])
    std = np.array([np.std(errors[name][str(n)]) for n in sizes])
    ax_error.plot(sizes, 100 * mean, "o-", color=color, label=TEXT[name])
    ax_error.fill_between(
        sizes, 100 * (mean - std), 100 * (mean + std), color=color, alpha=0.2
    )
ax_gain.bar(
    range(len(sizes)), [100 * gain[str(n)] for n in sizes], color="C2"
)
ax_gain.set_xticks(range(len(sizes)), [str(n) for n in sizes])
ax_gain.axhline(0, color="black", linewidth=0.8)
ax_gain.set_ylim(-3, 3)  # in points: small bars are small differences
ax_error.set_xscale("log")
ax_error.set_xticks(sizes, [str(n) for n in sizes])  # not 10 to the 3
ax_error.minorticks_off()
ax_error.set_xlabel(TEXT["log_images"])
ax_error.set_ylabel(TEXT["error"])
ax_error.set_title(TEXT["error_title"])
ax_gain.set_xlabel(TEXT["images"])
ax_gain.set_ylabel(TEXT["gain"])
ax_gain.set_title(TEXT["gain_title"])
for ax in (ax_error, ax_gain):
    ax.grid(alpha=0.3)
ax_error.legend()
fig.tight_layout()
fig.savefig("training_set_size.svg")
# --8<-- [end:plot]
