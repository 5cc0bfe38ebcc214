"""The keep-probability / drop-rate pitfall, measured in Keras.

Run it with ``python rate_pitfall.py``. Code written for the paper or for
TensorFlow 1 says ``keep_prob=0.8``; Keras' ``Dropout`` takes the fraction to
DROP. This program shows what the literal port ``Dropout(0.8)`` does to a
layer's output and to a classifier of handwritten digits, next to the correct
``Dropout(0.2)``.
"""

# --8<-- [start:imports]
import keras
import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

# --8<-- [end:imports]


# --8<-- [start:convert]
def keep_prob_to_rate(keep_prob: float) -> float:
    """The paper's p and TF 1's keep_prob keep; Keras' rate drops."""
    return 1.0 - keep_prob


keep_prob = 0.8  # what the paper / TF 1 code says for the input layer
correct_rate = keep_prob_to_rate(keep_prob)  # 0.2 (up to float rounding)
ported_rate = keep_prob  # the bug: the number copied as it was
# --8<-- [end:convert]

# --8<-- [start:layer]
keras.utils.set_random_seed(0)
ones = np.ones((100, 100), dtype="float32")
layer_stats = {}
for label, rate in [("correct", correct_rate), ("ported", ported_rate)]:
    out = keras.ops.convert_to_numpy(
        keras.layers.Dropout(rate)(ones, training=True)
    )
    layer_stats[label] = {
        "kept": float(np.mean(out != 0)),
        "scale": float(out.max()),
    }
    print(
        f"Dropout({rate:.1f}): keeps {layer_stats[label]['kept']:.1%}"
        f" of the units, multiplies them by {out.max():.2f}"
    )
# --8<-- [end:layer]

# --8<-- [start:data]
digits = load_digits()  # 1797 8x8 images of the digits 0-9, shipped
x = (digits.data / 16.0).astype("float32")  # pixel values 0-16 -> 0-1
x_train, x_test, y_train, y_test = train_test_split(
    x, digits.target, test_size=0.25, random_state=0
)
# --8<-- [end:data]


# --8<-- [start:train]
def accuracy_of(model: keras.Model, x: np.ndarray, y: np.ndarray) -> float:
    """Share of examples classified correctly, dropout off (model(x))."""
    predicted = keras.ops.convert_to_numpy(model(x)).argmax(axis=1)
    return float(np.mean(predicted == y))


def train(rate: float) -> tuple[float, float]:
    """The same network with `rate` on its inputs and hidden layers."""
    keras.utils.set_random_seed(0)
    model = keras.Sequential(
        [
            keras.Input(shape=(64,)),
            keras.layers.Dropout(rate),
            keras.layers.Dense(128, activation="relu"),
            keras.layers.Dropout(rate),
            keras.layers.Dense(10, activation="softmax"),
        ]
    )
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    model.fit(x_train, y_train, epochs=15, batch_size=64, verbose=0)
    train_accuracy = accuracy_of(model, x_train, y_train)
    test_accuracy = accuracy_of(model, x_test, y_test)
    return train_accuracy, test_accuracy


accuracy = {}
for label, rate in [("correct", correct_rate), ("ported", ported_rate)]:
    accuracy[label] = train(rate)
    print(
        f"{label:8s} Dropout({rate:.1f}): training accuracy"
        f" {accuracy[label][0]:.3f}, test accuracy {accuracy[label][1]:.3f}"
    )
# --8<-- [end:train]
