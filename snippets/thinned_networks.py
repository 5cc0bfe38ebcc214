"""Thinned networks: the complete example's network under sampled masks.

Run it with ``python thinned_networks.py``: it samples masks with Keras'
own Dropout layers (rate 0.5, as in the complete example) and draws the
figure ``thinned_networks.svg`` into the current folder.
"""

# --8<-- [start:imports]
import keras
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.lines import Line2D

# --8<-- [end:imports]

# --8<-- [start:labels]
LANGUAGE = "en"  # "zh" draws the figures with Chinese text
TEXT = {
    "en": {
        "panels": [
            "inference",
            "step 1, example 1",
            "step 1, example 2",
            "step 2, example 1",
        ],
        "input": "input",
        "hidden": "hidden",
        "output": "output",
        "kept": "kept",
        "dropped": "dropped (outputs 0)",
    },
    "zh": {
        "panels": [
            "推断",
            "第 1 步，样本 1",
            "第 1 步，样本 2",
            "第 2 步，样本 1",
        ],
        "input": "输入",
        "hidden": "隐藏",
        "output": "输出",
        "kept": "保留",
        "dropped": "丢弃（输出 0）",
    },
}[LANGUAGE]
if LANGUAGE == "zh":  # a font with Chinese glyphs (Debian: fonts-noto-cjk)
    plt.rcParams["font.family"] = ["DejaVu Sans", "Noto Sans CJK SC"]
plt.rcParams["font.size"] = 11  # 5 inches wide at most: legible on a phone
# --8<-- [end:labels]

# --8<-- [start:masks]
keras.utils.set_random_seed(7)
rate = 0.5
# The complete example: 20 inputs -> 64 -> Dropout -> 64 -> Dropout -> 1.
dropout_1 = keras.layers.Dropout(rate)
dropout_2 = keras.layers.Dropout(rate)
ones = np.ones((2, 64), dtype="float32")  # a mini-batch of 2 examples


def sample_masks() -> tuple[np.ndarray, np.ndarray]:
    """One training step: a mask per example (row) for each hidden layer."""
    mask_1 = keras.ops.convert_to_numpy(dropout_1(ones, training=True)) > 0
    mask_2 = keras.ops.convert_to_numpy(dropout_2(ones, training=True)) > 0
    return mask_1, mask_2


step_1 = sample_masks()
step_2 = sample_masks()
everything = np.ones(64, dtype=bool)
panels = [
    ("inference", everything, everything),
    ("step 1, example 1", step_1[0][0], step_1[1][0]),
    ("step 1, example 2", step_1[0][1], step_1[1][1]),
    ("step 2, example 1", step_2[0][0], step_2[1][0]),
]
kept = [[int(m1.sum()), int(m2.sum())] for _, m1, m2 in panels]
for (title, _, _), (k1, k2) in zip(panels, kept, strict=True):
    print(f"{title:17}  hidden 1 keeps {k1:2d}/64, hidden 2 keeps {k2:2d}/64")
# --8<-- [end:masks]

# --8<-- [start:draw]
SHOWN = [5, 7, 7, 1]  # units drawn per layer (20, 64, 64 and 1 in the model)


def draw_network(ax, title: str, mask_1: np.ndarray, mask_2: np.ndarray):
    """Draw the first units of each layer; dropped units are hollow."""
    active = [np.ones(5, bool), mask_1[:7], mask_2[:7], np.ones(1, bool)]
    labels = [
        f"{TEXT['input']}\n20",
        f"{TEXT['hidden']}\n{mask_1.sum()}/64",
        f"{TEXT['hidden']}\n{mask_2.sum()}/64",
        f"{TEXT['output']}\n1",
    ]
    ys = [np.linspace(0.9, 0.1, n) if n > 1 else [0.5] for n in SHOWN]
    for layer in range(3):  # edges only between units that are present
        for i, y0 in enumerate(ys[layer]):
            for j, y1 in enumerate(ys[layer + 1]):
                if active[layer][i] and active[layer + 1][j]:
                    ax.plot([layer, layer + 1], [y0, y1], color="0.6", lw=0.8)
    for layer, (y, on) in enumerate(zip(ys, active, strict=True)):
        x, y = np.full(len(y), layer), np.asarray(y)
        ax.scatter(x[on], y[on], s=90, color="C0", zorder=3)
        ax.scatter(
            x[~on],
            y[~on],
            s=90,
            facecolor="white",
            edgecolor="0.5",
            zorder=3,
        )
        ax.scatter(x[~on], y[~on], s=30, marker="x", color="0.5", zorder=4)
        if layer < 3:  # more units than drawn
            ax.text(layer, 0.0, "⋮", ha="center", va="center", fontsize=14)
        ax.text(
            layer, -0.1, labels[layer], ha="center", va="top", fontsize=11
        )
    ax.set_title(title, fontsize=12)
    ax.set_xlim(-0.5, 3.5)
    ax.set_ylim(-0.38, 0.98)
    ax.axis("off")


# --8<-- [end:draw]

# --8<-- [start:figure]
fig, axes = plt.subplots(2, 2, figsize=(5, 5.6))
for ax, title, (_, mask_1, mask_2) in zip(
    axes.flat, TEXT["panels"], panels, strict=True
):
    draw_network(ax, title, mask_1, mask_2)
legend = [
    Line2D([], [], marker="o", ls="", ms=9, color="C0", label=TEXT["kept"]),
    Line2D([], [], marker="o", ls="", ms=9, mfc="white", mec="0.5"),
]
legend[1].set_label(TEXT["dropped"])
fig.legend(handles=legend, loc="lower center", ncol=2)
fig.tight_layout(rect=(0, 0.05, 1, 1), h_pad=1.5)
fig.savefig("thinned_networks.svg")
# --8<-- [end:figure]
