"""Overfitting, measured: an unregularized network on a small, noisy data set.

Run it with ``python overfitting.py``: it trains one network long enough to
overfit 100 noisy examples, prints how far training and validation drift
apart, repeats the training on larger training sets, and writes the figures
``overfitting_curves.svg`` and ``gap_vs_size.svg`` into the current folder.
"""

# --8<-- [start:imports]
import keras
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import make_classification

# --8<-- [end:imports]

# --8<-- [start:labels]
LANGUAGE = "en"  # "zh" draws the figures with Chinese text
TEXT = {
    "en": {
        "loss": "Loss",
        "accuracy": "Accuracy",
        "epoch": "epoch",
        "train": "training",
        "val": "validation",
        "best": "best epoch",
        "examples": "training examples",
        "gap": "generalization gap",
    },
    "zh": {
        "loss": "损失",
        "accuracy": "准确率",
        "epoch": "轮",
        "train": "训练",
        "val": "验证",
        "best": "最佳轮",
        "examples": "训练样本数",
        "gap": "泛化差距",
    },
}[LANGUAGE]
if LANGUAGE == "zh":  # a font with Chinese glyphs (Debian: fonts-noto-cjk)
    plt.rcParams["font.family"] = ["DejaVu Sans", "Noto Sans CJK SC"]
plt.rcParams["font.size"] = 11  # 5 inches wide at most: legible on a phone
# --8<-- [end:labels]

# --8<-- [start:data]
# 20 features, only 5 of them informative. flip_y=0.2 gives 20 % of the
# examples a random label, so about one label in ten is wrong: pure noise.
features, labels = make_classification(
    n_samples=2600,
    n_features=20,
    n_informative=5,
    class_sep=1.5,
    flip_y=0.2,
    random_state=0,
)
x_val, y_val = features[:1000], labels[:1000]  # fixed validation set
x_pool, y_pool = features[1000:], labels[1000:]  # training sets from here
x_train, y_train = x_pool[:100], y_pool[:100]  # a small training set
print(f"training examples: {len(x_train)}, validation examples: {len(x_val)}")
# --8<-- [end:data]


# --8<-- [start:model]
def build_model() -> keras.Model:
    """Two hidden layers of 128 ReLU units and no regularization at all."""
    model = keras.Sequential(
        [
            keras.Input(shape=(20,)),
            keras.layers.Dense(128, activation="relu"),
            keras.layers.Dense(128, activation="relu"),
            keras.layers.Dense(1, activation="sigmoid"),
        ]
    )
    model.compile(
        optimizer="adam",
        loss="binary_crossentropy",
        metrics=["accuracy"],
    )
    return model


# --8<-- [end:model]

# --8<-- [start:train]
EPOCHS = 60
keras.utils.set_random_seed(0)
model = build_model()
weights = model.count_params()
per_example = weights / len(x_train)  # weights per training example
history = model.fit(
    x_train,
    y_train,
    epochs=EPOCHS,
    batch_size=32,
    validation_data=(x_val, y_val),
    validation_batch_size=1000,
    verbose=0,
).history
print("epoch    loss  accuracy  val_loss  val_accuracy")
for epoch in [0, 4, 9, 14, 19, 29, 39, 49, 59]:
    print(
        f"{epoch + 1:5d}  {history['loss'][epoch]:6.4f}"
        f"  {history['accuracy'][epoch]:8.4f}"
        f"  {history['val_loss'][epoch]:8.4f}"
        f"  {history['val_accuracy'][epoch]:12.4f}"
    )
# --8<-- [end:train]

# --8<-- [start:best]
best_epoch = int(np.argmin(history["val_loss"])) + 1  # epochs count from 1
epochs = range(1, EPOCHS + 1)
# --8<-- [end:best]

# --8<-- [start:curves]
fig, (ax_loss, ax_acc) = plt.subplots(2, 1, figsize=(5, 6.4), sharex=True)
for ax, metric in [(ax_loss, "loss"), (ax_acc, "accuracy")]:
    ax.plot(epochs, history[metric], "C0-", label=TEXT["train"])
    ax.plot(epochs, history["val_" + metric], "C1--", label=TEXT["val"])
    ax.axvline(best_epoch, color="gray", linestyle=":", label=TEXT["best"])
    ax.set_ylabel(TEXT[metric])
    ax.grid(alpha=0.3)
ax_acc.set_xlabel(TEXT["epoch"])
ax_acc.legend()
fig.tight_layout()
fig.savefig("overfitting_curves.svg")
# --8<-- [end:curves]

# --8<-- [start:gap]
best_val_loss = min(history["val_loss"])
best_val_accuracy = history["val_accuracy"][best_epoch - 1]
train_accuracy = history["accuracy"][-1]
val_accuracy = history["val_accuracy"][-1]
accuracy_gap = train_accuracy - val_accuracy
loss_gap = history["val_loss"][-1] - history["loss"][-1]
print(f"lowest validation loss: {best_val_loss:.4f} at epoch {best_epoch}")
print(f"validation accuracy at that epoch: {best_val_accuracy:.4f}")
print(f"after {EPOCHS} epochs: training accuracy {train_accuracy:.4f}")
print(f"                 validation accuracy {val_accuracy:.4f}")
print(f"generalization gap (accuracy): {accuracy_gap:+.4f}")
print(f"generalization gap (loss):     {loss_gap:+.4f}")
# --8<-- [end:gap]

# --8<-- [start:sizes]
sizes = [100, 200, 400, 800, 1600]
STEPS = 240  # weight updates per model: as many as the 100-example run above
by_size = {"train_accuracy": [], "val_accuracy": [], "gap": []}
epochs_by_size = []  # whole epochs: STEPS updates, or a few more
print(" size  epochs  train_acc  val_acc     gap")
for size in sizes:
    keras.utils.set_random_seed(0)
    sized = build_model()
    batches = int(np.ceil(size / 32))  # weight updates per epoch
    size_epochs = int(np.ceil(STEPS / batches))
    epochs_by_size.append(size_epochs)
    sized.fit(
        x_pool[:size],
        y_pool[:size],
        epochs=size_epochs,
        batch_size=32,
        verbose=0,
    )
    _, train_acc = sized.evaluate(
        x_pool[:size], y_pool[:size], batch_size=1000, verbose=0
    )
    _, val_acc = sized.evaluate(x_val, y_val, batch_size=1000, verbose=0)
    by_size["train_accuracy"].append(train_acc)
    by_size["val_accuracy"].append(val_acc)
    by_size["gap"].append(train_acc - val_acc)
    print(
        f"{size:5d}  {size_epochs:6d}  {train_acc:9.4f}  {val_acc:7.4f}"
        f"  {train_acc - val_acc:+.4f}"
    )
# --8<-- [end:sizes]

# --8<-- [start:sizes_plot]
fig, ax = plt.subplots(figsize=(5, 3.6))
ax.plot(sizes, by_size["train_accuracy"], "C0o-", label=TEXT["train"])
ax.plot(sizes, by_size["val_accuracy"], "C1s--", label=TEXT["val"])
ax.fill_between(
    sizes,
    by_size["val_accuracy"],
    by_size["train_accuracy"],
    color="gray",
    alpha=0.2,
    label=TEXT["gap"],
)
ax.set_xscale("log")
ax.set_xticks(sizes, [str(s) for s in sizes])
ax.set_xlabel(TEXT["examples"])
ax.set_ylabel(TEXT["accuracy"])
ax.grid(alpha=0.3)
ax.legend()
fig.tight_layout()
fig.savefig("gap_vs_size.svg")
# --8<-- [end:sizes_plot]
