"""The paper's recipe: dropout with max-norm, a raised learning rate with
momentum, and n/p units.

Run it with ``python paper_recipe.py``: it trains a small network on
scikit-learn's 8x8 digits (shipped with scikit-learn, no download) with
dropout 0.5, at three learning rates, each without a constraint and with
``keras.constraints.MaxNorm`` at 3 and 4; then it trains networks of n and
n/p units with and without dropout. Every setting runs with three seeds,
and the models a comparison puts side by side start from the same weights.
It writes the figure ``paper_recipe.svg`` into the current folder.
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
        "rates_title": "Learning rate and max-norm (dropout 0.5)",
        "accuracy": "test accuracy (%)",
        "none": "no constraint",
        "maxnorm3": "MaxNorm(3)",
        "maxnorm4": "MaxNorm(4)",
        "plain": "0.01\nmomentum 0.9",
        "3x": "0.03\nmomentum 0.95",
        "10x": "0.1\nmomentum 0.95",
        "widths_title": "The n/p rule (n = 64, p = 0.5)",
        "n": "64 units",
        "wide": "128 units",
        "no_dropout": "no dropout",
        "dropout": "dropout 0.5",
        "chance": "chance",
    },
    "zh": {
        "rates_title": "学习率与最大范数约束（Dropout 0.5）",
        "accuracy": "测试准确率（%）",
        "none": "无约束",
        "maxnorm3": "MaxNorm(3)",
        "maxnorm4": "MaxNorm(4)",
        "plain": "0.01\n动量 0.9",
        "3x": "0.03\n动量 0.95",
        "10x": "0.1\n动量 0.95",
        "widths_title": "n/p 规则（n = 64，p = 0.5）",
        "n": "64 个单元",
        "wide": "128 个单元",
        "no_dropout": "不用 Dropout",
        "dropout": "Dropout 0.5",
        "chance": "随机猜测",
    },
}[LANGUAGE]
if LANGUAGE == "zh":  # a font with Chinese glyphs (Debian: fonts-noto-cjk)
    plt.rcParams["font.family"] = ["DejaVu Sans", "Noto Sans CJK SC"]
plt.rcParams["font.size"] = 11  # 5 inches wide at most: legible on a phone
# --8<-- [end:labels]

# --8<-- [start:data]
digits = load_digits()
x_train, x_test, y_train, y_test = train_test_split(
    digits.data / 16.0,
    digits.target,
    train_size=1000,
    stratify=digits.target,
    random_state=0,
)
print(f"training images: {len(x_train)}, test images: {len(x_test)}")
# --8<-- [end:data]


# --8<-- [start:model]
def build_model(
    width: int, rate: float, max_norm: float | None, seed: int
) -> keras.Model:
    """64 pixels -> two hidden layers of `width` ReLU units -> 10 classes.

    `max_norm` caps the length of each hidden unit's incoming weight
    vector (None: no cap). The seed fixes the initial weights, so models
    of the same width start from the same weights whatever the rest.
    """
    keras.utils.set_random_seed(seed)
    constraint = None
    if max_norm is not None:
        constraint = keras.constraints.MaxNorm(max_norm)  # axis=0: per unit
    return keras.Sequential(
        [
            keras.Input(shape=(64,)),
            keras.layers.Dense(
                width, activation="relu", kernel_constraint=constraint
            ),
            keras.layers.Dropout(rate, seed=1),  # seeded: same start
            keras.layers.Dense(
                width, activation="relu", kernel_constraint=constraint
            ),
            keras.layers.Dropout(rate, seed=2),
            keras.layers.Dense(10, activation="softmax"),
        ]
    )


epochs = 20
batch_size = 50  # 20 steps per epoch, 400 in all
first_weights = {}  # (seed, width) -> initial weights of the first model


def same_as_first(model: keras.Model, seed: int, width: int) -> bool:
    """Does the model start where the first of its seed and width did?"""
    first = first_weights.setdefault((seed, width), model.get_weights())
    return all(
        np.array_equal(a, b)
        for a, b in zip(first, model.get_weights(), strict=True)
    )


def train(
    width: int,
    rate: float,
    max_norm: float | None,
    learning_rate: float,
    momentum: float,
    seed: int,
) -> dict:
    """Train with SGD and momentum; test accuracy and largest weight norm."""
    model = build_model(width, rate, max_norm, seed)
    same_start = same_as_first(model, seed, width)
    model.compile(
        optimizer=keras.optimizers.SGD(learning_rate, momentum=momentum),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
        steps_per_execution=20,  # one epoch per call: faster
    )
    model.fit(
        x_train, y_train, epochs=epochs, batch_size=batch_size, verbose=0
    )
    test = model.evaluate(x_test, y_test, verbose=0, return_dict=True)
    hidden = [model.layers[0], model.layers[2]]  # the constrained layers
    norm = max(  # the longest incoming weight vector of a hidden unit
        float(np.linalg.norm(layer.kernel.numpy(), axis=0).max())
        for layer in hidden
    )
    return {
        "test": float(test["accuracy"]),
        "norm": norm,
        "same_start": same_start,
    }


def summary(runs: list[dict]) -> dict:
    """The seeds' accuracies, their mean and std, and the longest vector."""
    tests = [run["test"] for run in runs]
    return {
        "test": tests,
        "mean": float(np.mean(tests)),
        "std": float(np.std(tests)),
        "norm": max(run["norm"] for run in runs),
        "same_start": all(run["same_start"] for run in runs),
    }


seeds = [0, 1, 2]
# --8<-- [end:model]

# --8<-- [start:rates]
settings = {  # name -> (learning rate, momentum)
    "plain": (0.01, 0.9),  # a usual setting for SGD
    "3x": (0.03, 0.95),  # three times higher, more momentum
    "10x": (0.1, 0.95),  # ten times: the bottom of the paper's range
}
constraints = {"none": None, "maxnorm3": 3.0, "maxnorm4": 4.0}
grid = {}  # setting -> constraint -> summary over the seeds
print(
    f"{'learning rate':22} {'constraint':11} {'test accuracy':>22} "
    f"{'mean':>6} {'norm':>5}"
)
for setting, (learning_rate, momentum) in settings.items():
    grid[setting] = {}
    for name, max_norm in constraints.items():
        runs = [
            train(64, 0.5, max_norm, learning_rate, momentum, seed)
            for seed in seeds
        ]
        result = grid[setting][name] = summary(runs)
        accuracies = " ".join(f"{test:.3f}" for test in result["test"])
        print(
            f"{learning_rate:<5} momentum {momentum:<7} {name:11} "
            f"{accuracies:>22} {result['mean']:6.3f} "
            f"{result['norm']:5.2f}"
        )
# --8<-- [end:rates]

# --8<-- [start:widths]
learning_rate, momentum = settings["3x"]  # the raised rate, as above
widths = {  # name -> (units per hidden layer, dropout rate)
    "n": (64, 0.0),
    "n_dropout": (64, 0.5),
    "wide": (128, 0.0),  # the control: does width alone help?
    "wide_dropout": (128, 0.5),  # n/p units with p = 0.5
}
by_width = {}
print(f"{'units':>5} {'rate':>4} {'test accuracy':>22} {'mean':>6}")
for name, (width, rate) in widths.items():
    runs = [
        train(width, rate, None, learning_rate, momentum, seed)
        for seed in seeds
    ]
    result = by_width[name] = summary(runs)
    accuracies = " ".join(f"{test:.3f}" for test in result["test"])
    print(f"{width:5} {rate:4} {accuracies:>22} {result['mean']:6.3f}")
all_results = list(by_width.values()) + [
    result for row in grid.values() for result in row.values()
]
same_start = all(result["same_start"] for result in all_results)
print(
    f"every model starts from the weights of its seed and width: {same_start}"
)
# --8<-- [end:widths]

# --8<-- [start:plot]
fig, (top, bottom) = plt.subplots(2, 1, figsize=(5, 7.5))
for index, (name, color) in enumerate(
    zip(constraints, ["C0", "C1", "C2"], strict=True)
):
    for position, setting in enumerate(settings):
        x = position + 0.25 * (index - 1)
        tests = 100 * np.array(grid[setting][name]["test"])
        top.scatter([x] * len(tests), tests, color=color, s=16, alpha=0.6)
        top.scatter(
            x,
            tests.mean(),
            color=color,
            marker="_",
            s=300,
            label=TEXT[name] if position == 0 else None,
        )
top.axhline(10, color="black", linewidth=0.8, linestyle=":")
top.text(-0.45, 12, TEXT["chance"], fontsize=11)
top.set_xticks(range(len(settings)), [TEXT[s] for s in settings])
top.set_ylim(0, 100)
top.set_ylabel(TEXT["accuracy"], fontsize=11)
top.set_title(TEXT["rates_title"], fontsize=11)
top.tick_params(labelsize=11)
top.legend(fontsize=11, loc="center left")
top.grid(alpha=0.3)

for index, (rate_name, color) in enumerate(
    zip(["no_dropout", "dropout"], ["C3", "C0"], strict=True)
):
    for position, width_name in enumerate(["n", "wide"]):
        name = width_name + ("_dropout" if rate_name == "dropout" else "")
        x = position + 0.2 * (2 * index - 1)
        tests = 100 * np.array(by_width[name]["test"])
        bottom.scatter([x] * len(tests), tests, color=color, s=16, alpha=0.6)
        bottom.scatter(
            x,
            tests.mean(),
            color=color,
            marker="_",
            s=300,
            label=TEXT[rate_name] if position == 0 else None,
        )
bottom.set_xticks([0, 1], [TEXT["n"], TEXT["wide"]])
bottom.set_xlim(-0.6, 1.6)
bottom.set_ylabel(TEXT["accuracy"], fontsize=11)
bottom.set_title(TEXT["widths_title"], fontsize=11)
bottom.tick_params(labelsize=11)
bottom.legend(fontsize=11, loc="lower right")
bottom.grid(alpha=0.3)
fig.tight_layout()
fig.savefig("paper_recipe.svg")
# --8<-- [end:plot]
