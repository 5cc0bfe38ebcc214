"""Monte Carlo dropout in Keras 3: many stochastic passes, mean and spread.

Run it with ``python mc_dropout.py``. It fits a small regression network with
dropout on noisy samples of a curve between -3 and 3, then predicts on -8 … 8
with dropout left on, 100 times, and writes ``mc_dropout.svg``.
"""

# --8<-- [start:imports]
import keras
import matplotlib.pyplot as plt
import numpy as np

# --8<-- [end:imports]


# --8<-- [start:data]
def true_curve(x: np.ndarray) -> np.ndarray:
    return 0.5 * x + 0.5 * np.sin(2 * x)


rng = np.random.default_rng(0)
x_train = rng.uniform(-3, 3, size=(200, 1)).astype("float32")
y_train = true_curve(x_train) + rng.normal(0, 0.1, size=x_train.shape)
y_train = y_train.astype("float32")
# --8<-- [end:data]

# --8<-- [start:model]
keras.utils.set_random_seed(0)
model = keras.Sequential(
    [
        keras.Input(shape=(1,)),
        keras.layers.Dense(64, activation="relu"),
        keras.layers.Dropout(0.1),
        keras.layers.Dense(64, activation="relu"),
        keras.layers.Dropout(0.1),
        keras.layers.Dense(1),
    ]
)
model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse")
model.fit(x_train, y_train, epochs=150, batch_size=50, verbose=0)
# --8<-- [end:model]


# --8<-- [start:mc]
def mc_predict(
    model: keras.Model, x: np.ndarray, passes: int = 100
) -> tuple[np.ndarray, np.ndarray]:
    """Mean and standard deviation of `passes` predictions, dropout on."""
    samples = np.stack(
        [
            keras.ops.convert_to_numpy(model(x, training=True))
            for _ in range(passes)
        ]
    )
    return samples.mean(axis=0).ravel(), samples.std(axis=0).ravel()


x_grid = np.linspace(-8, 8, 321, dtype="float32").reshape(-1, 1)
mean, spread = mc_predict(model, x_grid)
# --8<-- [end:mc]

# --8<-- [start:compare]
inside = np.abs(x_grid.ravel()) <= 3  # where the training data lies
far = np.abs(x_grid.ravel()) >= 6  # 3 or more units beyond it
spread_inside = float(spread[inside].mean())
spread_far = float(spread[far].mean())
spread_ratio = spread_far / spread_inside
plain = keras.ops.convert_to_numpy(model(x_grid)).ravel()  # dropout off
mean_vs_predict = float(np.abs(mean - plain)[inside].max())
error = np.abs(mean - true_curve(x_grid).ravel())  # vs the true curve
error_inside, error_far = (
    float(error[inside].mean()),
    float(error[far].mean()),
)
print(f"mean spread, |x| <= 3 (training data): {spread_inside:.3f}")
print(f"mean spread, |x| >= 6 (far from it):   {spread_far:.3f}")
print(f"ratio: {spread_ratio:.1f}")
print(f"largest |MC mean - model(x)|, |x| <= 3: {mean_vs_predict:.3f}")
print(f"mean error of the MC mean: {error_inside:.3f} vs {error_far:.3f}")
# --8<-- [end:compare]

# --8<-- [start:plot]
fig, (ax, ax_std) = plt.subplots(
    2, 1, figsize=(8, 6), sharex=True, height_ratios=[2, 1]
)
for axis in (ax, ax_std):
    axis.axvspan(-3, 3, color="0.93")
ax.scatter(x_train, y_train, s=6, color="0.5", label="training examples")
ax.plot(x_grid, true_curve(x_grid), "k:", label="true curve")
ax.plot(x_grid, mean, "C0-", label="MC dropout mean (100 passes)")
ax.fill_between(
    x_grid.ravel(),
    mean - 2 * spread,
    mean + 2 * spread,
    color="C0",
    alpha=0.25,
    label="mean ± 2 standard deviations",
)
ax.set_ylabel("y")
ax.set_ylim(-8, 8)
ax.legend(loc="upper left", fontsize=8)
ax.set_title("Grey: the range of the training data", fontsize=9)
ax_std.plot(x_grid, spread, "C3-")
ax_std.set_xlabel("x")
ax_std.set_ylabel("standard deviation")
fig.tight_layout()
fig.savefig("mc_dropout.svg")
# --8<-- [end:plot]
