"""Train a network with the from-scratch dropout, and the same one in Keras.

Run it with ``python numpy_training.py``: it trains a small multilayer
perceptron on scikit-learn's 8x8 digits (shipped with scikit-learn, no
download) twice per seed, once written in NumPy (forward pass, backward pass
and SGD by hand) and once in Keras, from the same initial weights, and writes
the figure ``numpy_training.svg`` into the current folder.
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
        "band": ": mean, band ± 1 std",
        "epoch": "epoch",
        "accuracy": "validation accuracy (%)",
        "title": "Same network, same start:\nmean ± std over {seeds} seeds",
    },
    "zh": {
        "band": "：均值，阴影为 ± 1 个标准差",
        "epoch": "轮",
        "accuracy": "验证准确率（%）",
        "title": "同一网络、同一起点：\n{seeds} 个随机种子的均值 ± 标准差",
    },
}[LANGUAGE]
if LANGUAGE == "zh":  # a font with Chinese glyphs (Debian: fonts-noto-cjk)
    plt.rcParams["font.family"] = ["DejaVu Sans", "Noto Sans CJK SC"]
plt.rcParams["font.size"] = 11  # 5 inches wide at most: legible on a phone
# --8<-- [end:labels]

# --8<-- [start:data]
digits = load_digits()
x_rest, x_test, y_rest, y_test = train_test_split(
    (digits.data / 16).astype("float32"),
    digits.target,
    test_size=500,
    random_state=0,
    stratify=digits.target,
)
x_train, x_val, y_train, y_val = train_test_split(
    x_rest, y_rest, test_size=300, random_state=0, stratify=y_rest
)
split = {
    "training": len(x_train),
    "validation": len(x_val),
    "test": len(x_test),
}
print(", ".join(f"{name} {size}" for name, size in split.items()))
# --8<-- [end:data]


# --8<-- [start:layers]
class Dense:
    """z = x W + b. The backward pass keeps dL/dW and dL/db for SGD."""

    def __init__(self, kernel: np.ndarray, bias: np.ndarray):
        self.kernel, self.bias = kernel, bias

    def forward(self, x: np.ndarray, training: bool) -> np.ndarray:
        self.x = x  # the backward pass needs the input
        return x @ self.kernel + self.bias

    def backward(self, grad: np.ndarray) -> np.ndarray:
        self.grad_kernel = self.x.T @ grad
        self.grad_bias = grad.sum(axis=0)
        return grad @ self.kernel.T


class ReLU:
    def forward(self, x: np.ndarray, training: bool) -> np.ndarray:
        self.positive = x > 0
        return x * self.positive

    def backward(self, grad: np.ndarray) -> np.ndarray:
        return grad * self.positive


class Dropout:
    """Inverted dropout that keeps its mask, scaled, for the backward pass."""

    def __init__(self, rate: float, rng: np.random.Generator):
        self.rate, self.rng = rate, rng

    def forward(self, x: np.ndarray, training: bool) -> np.ndarray:
        if not training:
            self.scale = 1.0
            return x  # inference: nothing dropped, nothing scaled
        keep = 1 - self.rate
        mask = self.rng.random(x.shape) < keep  # a new mask every step
        self.scale = mask.astype(x.dtype) / keep  # r / q = dh~/dh
        return x * self.scale

    def backward(self, grad: np.ndarray) -> np.ndarray:
        return grad * self.scale  # only kept units, times 1 / q


def softmax_cross_entropy(
    logits: np.ndarray, labels: np.ndarray
) -> tuple[float, np.ndarray]:
    """The mean loss over a batch and its gradient with respect to logits."""
    shifted = logits - logits.max(axis=1, keepdims=True)  # no overflow
    probabilities = np.exp(shifted)
    probabilities /= probabilities.sum(axis=1, keepdims=True)
    rows = np.arange(len(labels))
    loss = float(-np.log(probabilities[rows, labels]).mean())
    grad = probabilities.copy()
    grad[rows, labels] -= 1  # softmax and cross-entropy together: p - y
    return loss, grad / len(labels)


# --8<-- [end:layers]


# --8<-- [start:network]
def forward(layers: list, x: np.ndarray, training: bool) -> np.ndarray:
    for layer in layers:
        x = layer.forward(x, training)
    return x


def accuracy(layers: list, x: np.ndarray, y: np.ndarray) -> float:
    predictions = forward(layers, x, training=False).argmax(axis=1)
    return float(np.mean(predictions == y))


rate, learning_rate, epochs, batch_size = 0.5, 0.2, 20, 64


def train_numpy(
    layers: list, rng: np.random.Generator, epochs: int, shuffle: bool = True
) -> list[float]:
    """Mini-batch SGD; returns the validation accuracy after each epoch."""
    val_accuracy = []
    for _ in range(epochs):
        order = np.arange(len(x_train))
        if shuffle:
            order = rng.permutation(order)  # a new order every epoch
        for start in range(0, len(order), batch_size):
            batch = order[start : start + batch_size]
            logits = forward(layers, x_train[batch], training=True)
            _, grad = softmax_cross_entropy(logits, y_train[batch])
            for layer in reversed(layers):  # the backward pass
                grad = layer.backward(grad)
            for layer in layers:  # the SGD step
                if isinstance(layer, Dense):
                    layer.kernel -= learning_rate * layer.grad_kernel
                    layer.bias -= learning_rate * layer.grad_bias
        val_accuracy.append(accuracy(layers, x_val, y_val))
    return val_accuracy


# --8<-- [end:network]


# --8<-- [start:keras]
def keras_model(seed: int, rate: float) -> keras.Model:
    """The same network: 64 -> 128 ReLU -> 128 ReLU -> 10 classes."""
    keras.utils.set_random_seed(seed)
    model = keras.Sequential(
        [
            keras.Input(shape=(64,)),
            keras.layers.Dense(128, activation="relu"),
            keras.layers.Dropout(rate, seed=1000 + seed),
            keras.layers.Dense(128, activation="relu"),
            keras.layers.Dropout(rate, seed=2000 + seed),
            keras.layers.Dense(10, activation="softmax"),
        ]
    )
    model.compile(
        optimizer=keras.optimizers.SGD(learning_rate=learning_rate),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    return model


def numpy_model(weights: list, rate: float, rng: np.random.Generator) -> list:
    """The NumPy layers, starting from the Keras model's initial weights."""
    k1, b1, k2, b2, k3, b3 = weights
    return [
        Dense(k1, b1), ReLU(), Dropout(rate, rng),
        Dense(k2, b2), ReLU(), Dropout(rate, rng),
        Dense(k3, b3),
    ]  # fmt: skip


def numpy_weights(layers: list) -> list[np.ndarray]:
    """The NumPy network's weights, in the order of Keras' get_weights()."""
    dense = [layer for layer in layers if isinstance(layer, Dense)]
    return [w for layer in dense for w in (layer.kernel, layer.bias)]


# --8<-- [end:keras]

# --8<-- [start:exact]
# Dropout off and the same batch order: both must do the same arithmetic.
model = keras_model(seed=0, rate=0.0)
layers = numpy_model(model.get_weights(), 0.0, np.random.default_rng(0))
train_numpy(layers, np.random.default_rng(0), epochs=2, shuffle=False)
model.fit(
    x_train,
    y_train,
    epochs=2,
    batch_size=batch_size,
    shuffle=False,
    verbose=0,
)
exact_difference = max(
    float(np.max(np.abs(ours - theirs)))
    for ours, theirs in zip(
        numpy_weights(layers), model.get_weights(), strict=True
    )
)
print(f"largest weight difference after 2 epochs: {exact_difference:.1e}")
# --8<-- [end:exact]

# --8<-- [start:experiment]
seeds = [0, 1, 2]
curves = {"NumPy": [], "Keras": []}  # validation accuracy per epoch
test_accuracy = {"NumPy": [], "Keras": []}
for seed in seeds:
    model = keras_model(seed, rate)
    rng = np.random.default_rng(seed)
    layers = numpy_model(model.get_weights(), rate, rng)  # same start
    curves["NumPy"].append(train_numpy(layers, rng, epochs))
    test_accuracy["NumPy"].append(accuracy(layers, x_test, y_test))
    history = model.fit(
        x_train,
        y_train,
        epochs=epochs,
        batch_size=batch_size,
        validation_data=(x_val, y_val),
        verbose=0,
    )
    curves["Keras"].append(history.history["val_accuracy"])
    test_accuracy["Keras"].append(
        float(model.evaluate(x_test, y_test, verbose=0)[1])
    )
mean_test = {name: float(np.mean(a)) for name, a in test_accuracy.items()}
gap_points = 100 * abs(mean_test["NumPy"] - mean_test["Keras"])
print("seed   NumPy   Keras   (test accuracy)")
for i, seed in enumerate(seeds):
    numpy_acc, keras_acc = (test_accuracy[n][i] for n in ("NumPy", "Keras"))
    print(f"{seed:4d}  {numpy_acc:6.3f}  {keras_acc:6.3f}")
print(f"mean  {mean_test['NumPy']:6.3f}  {mean_test['Keras']:6.3f}")
print(f"difference of the means: {gap_points:.1f} percentage points")
numpy_curve, keras_curve = (np.mean(curves[n], axis=0) for n in curves)
late = slice(epochs // 2, None)  # the second half of training
late_gap_points = 100 * float(np.max(np.abs(numpy_curve - keras_curve)[late]))
print(
    f"mean validation curves, epochs {epochs // 2 + 1}-{epochs}:"
    f" at most {late_gap_points:.1f} points apart"
)
# --8<-- [end:experiment]

# --8<-- [start:inference]
x_check = x_test[:100]
first, second = (forward(layers, x_check, training=False) for _ in "12")
no_dropout = [layer for layer in layers if not isinstance(layer, Dropout)]
inference_check = {
    "repeatable": bool(np.array_equal(first, second)),
    "same_as_without_dropout": bool(
        np.array_equal(first, forward(no_dropout, x_check, training=False))
    ),
    "training_passes_differ": not np.array_equal(
        forward(layers, x_check, training=True),
        forward(layers, x_check, training=True),
    ),
}
for check, passed in inference_check.items():
    print(f"{check}: {passed}")
# --8<-- [end:inference]

# --8<-- [start:plot]
fig, ax = plt.subplots(figsize=(5, 4))
epoch_numbers = np.arange(1, epochs + 1)
for name, color in [("NumPy", "C0"), ("Keras", "C1")]:
    runs = 100 * np.array(curves[name])  # seeds x epochs, in %
    mean, std = runs.mean(axis=0), runs.std(axis=0)
    ax.plot(epoch_numbers, mean, color=color, label=name + TEXT["band"])
    ax.fill_between(
        epoch_numbers, mean - std, mean + std, color=color, alpha=0.2
    )
ax.set_xlabel(TEXT["epoch"])
ax.set_ylabel(TEXT["accuracy"])
ax.set_title(TEXT["title"].format(seeds=len(seeds)))
ax.set_xticks([1, 5, 10, 15, 20])
ax.grid(alpha=0.3)
ax.legend(loc="lower right")
fig.tight_layout()
fig.savefig("numpy_training.svg")
# --8<-- [end:plot]
