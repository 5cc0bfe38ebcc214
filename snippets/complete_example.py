"""The same Keras classifier, trained with and without dropout.

Run it with ``python complete_example.py``: it trains both networks on one
synthetic data set, prints their training logs and test accuracy, and writes
the figure ``complete_example.svg`` into the current folder.
"""

# --8<-- [start:imports]
import json

import keras
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import make_classification
from sklearn.model_selection import train_test_split

# --8<-- [end:imports]

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
            keras.layers.Dropout(dropout_rate),
            keras.layers.Dense(64, activation="relu"),
            keras.layers.Dropout(dropout_rate),
            keras.layers.Dense(1, activation="sigmoid"),
        ]
    )
    model.compile(
        optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"]
    )
    return model


# --8<-- [end:model]


# --8<-- [start:train]
def train(dropout_rate: float) -> tuple[keras.Model, dict[str, list[float]]]:
    """Train a fresh model; the same seed gives both runs the same start."""
    keras.utils.set_random_seed(42)
    model = build_model(dropout_rate)
    history = model.fit(
        x_train,
        y_train,
        epochs=20,
        batch_size=32,
        validation_split=0.2,
        verbose=0,
    )
    return model, history.history


model, history = train(dropout_rate=0.5)
baseline, baseline_history = train(dropout_rate=0.0)
# --8<-- [end:train]

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
gap = history["accuracy"][-1] - history["val_accuracy"][-1]
baseline_gap = (
    baseline_history["accuracy"][-1] - baseline_history["val_accuracy"][-1]
)
loss_gap = history["val_loss"][-1] - history["loss"][-1]
baseline_loss_gap = (
    baseline_history["val_loss"][-1] - baseline_history["loss"][-1]
)
print(f"train - validation accuracy, with dropout:    {gap:+.4f}")
print(f"train - validation accuracy, without dropout: {baseline_gap:+.4f}")
print(f"validation - train loss, with dropout:        {loss_gap:+.4f}")
print(
    f"validation - train loss, without dropout:     {baseline_loss_gap:+.4f}"
)
# --8<-- [end:gap]

# --8<-- [start:plot]
epochs = range(1, 21)
fig, (ax_acc, ax_loss) = plt.subplots(1, 2, figsize=(10, 4))
for ax, metric in [(ax_acc, "accuracy"), (ax_loss, "loss")]:
    ax.plot(epochs, history[metric], "C0-", label="dropout 0.5, training")
    ax.plot(
        epochs,
        history["val_" + metric],
        "C0--",
        label="dropout 0.5, validation",
    )
    ax.plot(
        epochs, baseline_history[metric], "C1-", label="no dropout, training"
    )
    ax.plot(
        epochs,
        baseline_history["val_" + metric],
        "C1--",
        label="no dropout, validation",
    )
    ax.set_xlabel("epoch")
    ax.set_ylabel(metric)
    ax.grid(alpha=0.3)
ax_acc.set_title("Accuracy")
ax_loss.set_title("Loss")
ax_loss.legend()
fig.tight_layout()
fig.savefig("complete_example.svg")
# --8<-- [end:plot]


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
