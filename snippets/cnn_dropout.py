"""Dropout in a small convolutional network, four ways, on the digits.

Run it with ``python cnn_dropout.py``. It implements DropBlock as a Keras
layer and measures what it drops; trains the same convolutional network on
500 of scikit-learn's 8x8 handwritten digits with no dropout, dropout on the
dense head, Dropout, SpatialDropout2D or DropBlock after the convolutions,
every model from the same starting weights; and writes
``cnn_feature_maps.svg``, one digit's feature maps under each kind of mask.
"""

# --8<-- [start:imports]
import keras
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import ListedColormap
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

# --8<-- [end:imports]

# --8<-- [start:labels]
LANGUAGE = "en"  # "zh" draws the figures with Chinese text
TEXT = {
    "en": {
        "original": "Feature maps of one digit",
        "dropout": "Dropout(0.2)",
        "spatial": "SpatialDropout2D(0.2)",
        "dropblock": "DropBlock2D(0.2, block_size=3)",
    },
    "zh": {
        "original": "一个数字的特征图",
        "dropout": "Dropout(0.2)",
        "spatial": "SpatialDropout2D(0.2)",
        "dropblock": "DropBlock2D(0.2)，3×3 的块",
    },
}[LANGUAGE]
if LANGUAGE == "zh":  # a font with Chinese glyphs (Debian: fonts-noto-cjk)
    plt.rcParams["font.family"] = ["DejaVu Sans", "Noto Sans CJK SC"]
plt.rcParams["font.size"] = 11  # 5 inches wide at most: legible on a phone
# --8<-- [end:labels]


# --8<-- [start:dropblock]
class DropBlock2D(keras.layers.Layer):
    """Drops square blocks of each feature map (Ghiasi et al., 2018)."""

    def __init__(self, rate: float, block_size: int, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.rate, self.block_size = rate, block_size
        self.seed_generator = keras.random.SeedGenerator(seed)

    def call(self, inputs, training=False):
        if not training or self.rate == 0:
            return inputs  # inference: the identity, like Dropout
        _, height, width, channels = inputs.shape
        b = self.block_size
        # Blocks start only where they fit inside the map; gamma is the
        # chance that a block starts at a position, chosen so that about
        # `rate` of all positions are dropped (the paper's equation 1).
        starts_h, starts_w = height - b + 1, width - b + 1
        gamma = self.rate * height * width / (b * b * starts_h * starts_w)
        batch = keras.ops.shape(inputs)[0]
        noise = keras.random.uniform(
            (batch, starts_h, starts_w, channels), seed=self.seed_generator
        )
        starts = keras.ops.cast(noise < gamma, inputs.dtype)
        # Grow every start into a b x b block: pad, then a max-pool of size
        # b marks each position that some block covers.
        padded = keras.ops.pad(
            starts, [[0, 0], [b - 1, b - 1], [b - 1, b - 1], [0, 0]]
        )
        dropped = keras.ops.max_pool(padded, pool_size=b, strides=1)
        keep = 1.0 - dropped
        # Scale by all positions / kept positions, so the mean is kept.
        kept_share = keras.ops.maximum(keras.ops.mean(keep), 1e-6)
        return inputs * keep / kept_share


# --8<-- [end:dropblock]

# --8<-- [start:dropblock-check]
# Ones through DropBlock: a zero marks a dropped position.
block_layer = DropBlock2D(0.2, block_size=3, seed=1)
ones = np.ones((2000, 8, 8, 4), dtype="float32")
blocked = keras.ops.convert_to_numpy(block_layer(ones, training=True))
dropped = blocked == 0
measured_rate = float(dropped.mean())

# Blocks overlap, so fewer than `rate` of the positions are dropped. The
# exact expectation: a position is kept only if no block covering it starts.
h, b = 8, 3
gamma = 0.2 * h * h / (b * b * (h - b + 1) ** 2)
covering = np.array(
    [min(i, h - b) - max(0, i - b + 1) + 1 for i in range(h)]
)  # block starts along one axis whose block covers position i
kept_chance = (1 - gamma) ** np.outer(covering, covering)
expected_rate = float(np.mean(1 - kept_chance))


def union_of_whole_blocks(mask: np.ndarray, b: int) -> bool:
    """Is every dropped position inside a b x b square of dropped ones?"""
    covered = np.zeros_like(mask)
    for i in range(mask.shape[0] - b + 1):
        for j in range(mask.shape[1] - b + 1):
            if mask[i : i + b, j : j + b].all():
                covered[i : i + b, j : j + b] = True
    return bool(np.array_equal(covered, mask))


maps = dropped.transpose(0, 3, 1, 2).reshape(-1, 8, 8)  # one map per row
dropblock_in_blocks = all(union_of_whole_blocks(m, 3) for m in maps[:500])
plain = keras.layers.Dropout(0.2, seed=1)(ones, training=True)
plain_maps = (keras.ops.convert_to_numpy(plain) == 0).transpose(0, 3, 1, 2)
dropout_in_blocks = all(
    union_of_whole_blocks(m, 3) for m in plain_maps.reshape(-1, 8, 8)[:500]
)
kept_value = float(blocked[~dropped][0])
dropblock_mean = float(blocked.mean())
at_inference = keras.ops.convert_to_numpy(block_layer(ones, training=False))
dropblock_identity = bool(np.array_equal(at_inference, ones))
print(f"target rate 0.2, expected with overlaps {expected_rate:.4f}")
print(f"measured share of dropped positions     {measured_rate:.4f}")
print(f"every dropped position in a 3x3 block: {dropblock_in_blocks}")
print(f"the same for Dropout(0.2):             {dropout_in_blocks}")
print(f"kept values {kept_value:.4f}, output mean {dropblock_mean:.4f}")
print(f"identity at inference: {dropblock_identity}")
print("the first map with a dropped block (1 = dropped):")
print(maps[maps.any(axis=(1, 2))][0].astype(int))
# --8<-- [end:dropblock-check]

# --8<-- [start:data]
digits = load_digits()
images = (digits.images / 16.0).astype("float32")[..., None]  # (n, 8, 8, 1)
x_train, x_val, y_train, y_val = train_test_split(
    images, digits.target, train_size=500, test_size=1000, random_state=0
)
print(f"training images: {x_train.shape}, validation: {x_val.shape}")
# --8<-- [end:data]


# --8<-- [start:model]
def conv_dropout(kind: str, seed: int) -> keras.layers.Layer:
    """The layer that follows each convolution ("none": nothing)."""
    if kind == "dropout":
        return keras.layers.Dropout(0.2, seed=seed)
    if kind == "spatial":
        return keras.layers.SpatialDropout2D(0.2, seed=seed)
    if kind == "dropblock":
        return DropBlock2D(0.2, block_size=3, seed=seed)
    return keras.layers.Identity()


def build_cnn(kind: str) -> keras.Model:
    """Two 3x3 convolutions, a dense head, 10 classes."""
    head_rate = 0.5 if kind == "head" else 0.0
    return keras.Sequential(
        [
            keras.Input(shape=(8, 8, 1)),
            keras.layers.Conv2D(16, 3, padding="same", activation="relu"),
            conv_dropout(kind, seed=1),
            keras.layers.Conv2D(16, 3, padding="same", activation="relu"),
            conv_dropout(kind, seed=2),
            keras.layers.MaxPooling2D(2),
            keras.layers.Flatten(),
            keras.layers.Dense(64, activation="relu"),
            keras.layers.Dropout(head_rate, seed=3),  # seeded: same start
            keras.layers.Dense(10, activation="softmax"),
        ]
    )


# --8<-- [end:model]

# --8<-- [start:compare]
KINDS = ["none", "head", "dropout", "spatial", "dropblock"]
EPOCHS = 30
models, start_weights = {}, {}
train_accuracy, val_accuracy = {}, {}
for kind in KINDS:
    keras.utils.set_random_seed(0)
    model = build_cnn(kind)
    start_weights[kind] = model.get_weights()
    model.compile(
        optimizer="adam",
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    model.fit(x_train, y_train, epochs=EPOCHS, batch_size=50, verbose=0)
    models[kind] = model
    train_accuracy[kind] = model.evaluate(x_train, y_train, verbose=0)[1]
    val_accuracy[kind] = model.evaluate(x_val, y_val, verbose=0)[1]

same_start = all(
    all(
        np.array_equal(a, b)
        for a, b in zip(start_weights["none"], weights, strict=True)
    )
    for weights in start_weights.values()
)
print(f"all five models started from the same weights: {same_start}")
gap = {k: train_accuracy[k] - val_accuracy[k] for k in KINDS}
# How far one run's accuracy on 1000 images can move by chance alone.
p_none = val_accuracy["none"]
standard_error = float(np.sqrt(p_none * (1 - p_none) / len(y_val)))
print("dropout    train acc (dropout off)  val acc     gap")
for kind in KINDS:
    print(
        f"{kind:9s}  {train_accuracy[kind]:23.4f}  {val_accuracy[kind]:7.4f}"
        f"  {gap[kind]:+.4f}"
    )
print(f"standard error of one validation accuracy: {standard_error:.4f}")
# --8<-- [end:compare]

# --8<-- [start:masks]
# One validation digit's first six feature maps in the unregularized model,
# then the positions each kind of layer drops from them.
first_conv = models["none"].layers[0]
feature_maps = keras.ops.convert_to_numpy(first_conv(x_val[:1]))[..., :6]
masking_layers = {
    "dropout": keras.layers.Dropout(0.2, seed=11),
    "spatial": keras.layers.SpatialDropout2D(0.2, seed=13),
    "dropblock": DropBlock2D(0.2, block_size=3, seed=11),
}
drop_masks = {}
for kind, layer in masking_layers.items():
    # Masks are drawn on ones, so that natural zeros of the ReLU maps are
    # not mistaken for dropped positions.
    out = layer(np.ones_like(feature_maps), training=True)
    drop_masks[kind] = keras.ops.convert_to_numpy(out)[0] == 0
channel_drop_share = (drop_masks["spatial"].mean(axis=(0, 1))).tolist()
print("SpatialDropout2D, share of each channel dropped:", channel_drop_share)
# --8<-- [end:masks]

# --8<-- [start:plot]
rows = [("original", None), *[(k, drop_masks[k]) for k in masking_layers]]
fig = plt.figure(figsize=(5, 4.2))
for subfig, (kind, mask) in zip(fig.subfigures(4, 1), rows, strict=True):
    subfig.suptitle(TEXT[kind], fontsize=11)
    axes = subfig.subplots(1, 6)
    for channel, ax in enumerate(axes):
        ax.imshow(feature_maps[0, :, :, channel], cmap="Greys")
        if mask is not None:  # dropped positions in orange
            dropped_here = mask[:, :, channel]
            shown = np.ma.masked_where(~dropped_here, dropped_here)
            ax.imshow(shown, cmap=ListedColormap(["tab:orange"]), alpha=0.9)
        ax.set_xticks([])
        ax.set_yticks([])
fig.savefig("cnn_feature_maps.svg")
# --8<-- [end:plot]
