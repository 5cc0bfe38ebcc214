"""Overfitting made visible: decision boundaries on a small, noisy 2-D set.

Run it with ``python decision_boundary.py``: it trains the same network twice
on 80 noisy points, once as it is and once with dropout, prints each model's
training and test accuracy, and writes ``decision_boundary.png`` into the
current folder.
"""

# --8<-- [start:imports]
import keras
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import make_moons

# --8<-- [end:imports]

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

# --8<-- [start:plot]
# Predict the probability of class 1 on a grid of points covering the plane.
xx, yy = np.meshgrid(np.linspace(-2, 3, 250), np.linspace(-1.5, 2, 175))
grid = np.column_stack([xx.ravel(), yy.ravel()])
fig, axes = plt.subplots(1, 2, figsize=(10, 4.2), sharey=True)
for ax, (name, rate) in zip(axes, rates.items(), strict=True):
    proba = models[name].predict(grid, batch_size=50_000, verbose=0)
    proba = proba.reshape(xx.shape)
    colors = ["#c6dbef", "#fdd0a2"]  # light blue: class 0, light orange: 1
    ax.contourf(xx, yy, proba, levels=[0, 0.5, 1], colors=colors)
    ax.contour(xx, yy, proba, levels=[0.5], colors="black", linewidths=1.5)
    ax.scatter(
        x_train[:, 0],
        x_train[:, 1],
        c=np.where(y_train == 1, "C1", "C0"),
        edgecolors="black",
        linewidths=0.5,
    )
    label = "no regularization" if rate == 0 else f"dropout {rate}"
    scores = accuracy[name]
    ax.set_title(
        f"{label}: train {scores['train']:.2f}, test {scores['test']:.2f}"
    )
    ax.set_xlabel("$x_1$")
axes[0].set_ylabel("$x_2$")
fig.tight_layout()
fig.savefig("decision_boundary.png", dpi=120)
# --8<-- [end:plot]
