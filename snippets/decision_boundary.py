"""Overfitting made visible: decision boundaries on a small, noisy 2-D set.

Run it with ``python decision_boundary.py``: it trains the same network twice
on 80 noisy points, once as it is and once with dropout, prints each model's
training and test accuracy, and writes ``decision_boundary.svg`` into the
current folder.
"""

# --8<-- [start:imports]
import keras
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import make_moons

# --8<-- [end:imports]

# --8<-- [start:labels]
LANGUAGE = "en"  # "zh" draws the figures with Chinese text
TEXT = {
    "en": {
        "none": "no regularization",
        "dropout": "dropout 0.5",
        "title": "{model}: train {train:.2f}, test {test:.2f}",
    },
    "zh": {
        "none": "无正则化",
        "dropout": "丢弃率 0.5",
        "title": "{model}：训练 {train:.2f}，测试 {test:.2f}",
    },
}[LANGUAGE]
if LANGUAGE == "zh":  # a font with Chinese glyphs (Debian: fonts-noto-cjk)
    plt.rcParams["font.family"] = ["DejaVu Sans", "Noto Sans CJK SC"]
plt.rcParams["font.size"] = 11  # 5 inches wide at most: legible on a phone
# --8<-- [end:labels]

# --8<-- [start:data]
# Two interleaved half-moons; noise=0.35 pushes many points across the border.
x_train, y_train = make_moons(n_samples=80, noise=0.35, random_state=0)
x_test, y_test = make_moons(n_samples=1000, noise=0.35, random_state=100)
print(f"training points: {len(x_train)}, test points: {len(x_test)}")
# --8<-- [end:data]


# --8<-- [start:model]
def build_model(dropout_rate: float) -> keras.Model:
    """Two hidden layers of 256 ReLU units, with Dropout after each.

    Seeded Dropout layers draw nothing from Python's random numbers, so
    both models start from the same weights (see the complete example).
    """
    model = keras.Sequential(
        [
            keras.Input(shape=(2,)),
            keras.layers.Dense(256, activation="relu"),
            keras.layers.Dropout(dropout_rate, seed=1),
            keras.layers.Dense(256, activation="relu"),
            keras.layers.Dropout(dropout_rate, seed=2),
            keras.layers.Dense(1, activation="sigmoid"),
        ]
    )
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=0.01),
        loss="binary_crossentropy",
        metrics=["accuracy"],
    )
    return model


# --8<-- [end:model]

# --8<-- [start:train]
rates = {"none": 0.0, "dropout": 0.5}
models = {}
starts = {}
accuracy = {}
print("model    train_acc  test_acc")
for name, rate in rates.items():
    keras.utils.set_random_seed(0)  # same start and batches for both
    model = build_model(rate)
    starts[name] = model.get_weights()
    model.fit(x_train, y_train, epochs=100, batch_size=8, verbose=0)
    _, train_acc = model.evaluate(x_train, y_train, verbose=0)
    _, test_acc = model.evaluate(x_test, y_test, batch_size=1000, verbose=0)
    models[name] = model
    accuracy[name] = {"train": train_acc, "test": test_acc}
    print(f"{name:7s}  {train_acc:9.4f}  {test_acc:8.4f}")
same_start = all(
    np.array_equal(a, b)
    for a, b in zip(starts["none"], starts["dropout"], strict=True)
)
print(f"same initial weights: {same_start}")
# --8<-- [end:train]

# --8<-- [start:grid]
# Predict the probability of class 1 on a grid of points covering the plane.
xx, yy = np.meshgrid(np.linspace(-2, 3, 250), np.linspace(-1.5, 2, 175))
grid = np.column_stack([xx.ravel(), yy.ravel()])
probabilities = {
    name: model.predict(grid, batch_size=50_000, verbose=0).reshape(xx.shape)
    for name, model in models.items()
}
# --8<-- [end:grid]

# --8<-- [start:plot]
fig, axes = plt.subplots(2, 1, figsize=(5, 7.4), sharex=True)
for ax, name in zip(axes, rates, strict=True):
    proba = probabilities[name]
    colors = ["#c6dbef", "#fdd0a2"]  # light blue: class 0, light orange: 1
    ax.contourf(  # filled regions as pixels: a fraction of the bytes
        xx, yy, proba, levels=[0, 0.5, 1], colors=colors, rasterized=True
    )
    ax.contour(xx, yy, proba, levels=[0.5], colors="black", linewidths=1.5)
    ax.scatter(
        x_train[:, 0],
        x_train[:, 1],
        c=np.where(y_train == 1, "C1", "C0"),
        edgecolors="black",
        linewidths=0.5,
    )
    ax.set_title(TEXT["title"].format(model=TEXT[name], **accuracy[name]))
    ax.set_ylabel("x₂")
axes[1].set_xlabel("x₁")
fig.tight_layout()
fig.savefig("decision_boundary.svg")
# --8<-- [end:plot]
