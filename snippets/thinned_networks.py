"""Thinned networks: the complete example's network under sampled masks.

Run it with ``python thinned_networks.py``: it samples masks with Keras'
own Dropout layers (rate 0.5, as in the complete example) and draws the
figure ``thinned_networks.png`` into the current folder.
"""

# --8<-- [start:imports]
import keras
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.lines import Line2D

# --8<-- [end:imports]

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
    ("inference: no unit dropped", everything, everything),
    ("training step 1, example 1", step_1[0][0], step_1[1][0]),
    ("training step 1, example 2", step_1[0][1], step_1[1][1]),
    ("training step 2, example 1", step_2[0][0], step_2[1][0]),
]
kept = [[int(m1.sum()), int(m2.sum())] for _, m1, m2 in panels]
for (title, _, _), (k1, k2) in zip(panels, kept, strict=True):
    print(f"{title:27}  hidden 1 keeps {k1:2d}/64, hidden 2 keeps {k2:2d}/64")
# --8<-- [end:masks]

# --8<-- [start:draw]
SHOWN = [6, 8, 8, 1]  # units drawn per layer: 20, 64, 64 and 1 in the model
SIZES = [20, 64, 64, 1]


def draw_network(ax, title: str, mask_1: np.ndarray, mask_2: np.ndarray):
    """Draw the first units of each layer; dropped units are hollow."""
    active = [np.ones(6, bool), mask_1[:8], mask_2[:8], np.ones(1, bool)]
    labels = [
        "input\n20 units",
        f"hidden 1\n{mask_1.sum()}/64 kept",
        f"hidden 2\n{mask_2.sum()}/64 kept",
        "output\n1 unit",
    ]
    ys = [
        np.linspace(0.9, 0.1, n) if n > 1 else np.array([0.5]) for n in SHOWN
    ]
    for layer in range(3):  # edges only between units that are present
        for i, y0 in enumerate(ys[layer]):
            for j, y1 in enumerate(ys[layer + 1]):
                if active[layer][i] and active[layer + 1][j]:
                    ax.plot([layer, layer + 1], [y0, y1], color="0.6", lw=0.6)
    for layer, (y, on) in enumerate(zip(ys, active, strict=True)):
        x = np.full(len(y), layer)
        ax.scatter(x[on], y[on], s=150, color="C0", zorder=3)
        ax.scatter(
            x[~on],
            y[~on],
            s=150,
            marker="o",
            facecolor="white",
            edgecolor="0.55",
            linestyle="--",
            zorder=3,
        )
        ax.scatter(x[~on], y[~on], s=50, marker="x", color="0.55", zorder=4)
        if SIZES[layer] > SHOWN[layer]:
            ax.text(layer, 0.0, "⋮", ha="center", va="center", fontsize=14)
        ax.text(
            layer,
            -0.1,
            labels[layer],
            ha="center",
            va="top",
            fontsize=11,
        )
    ax.set_title(title, fontsize=13)
    ax.set_xlim(-0.4, 3.4)
    ax.set_ylim(-0.35, 1.0)
    ax.axis("off")


# --8<-- [end:draw]

# --8<-- [start:figure]
fig, axes = plt.subplots(2, 2, figsize=(8, 8.4))
for ax, (title, mask_1, mask_2) in zip(axes.flat, panels, strict=True):
    draw_network(ax, title, mask_1, mask_2)
legend = [
    Line2D([], [], marker="o", ls="", ms=11, color="C0", label="kept unit"),
    Line2D(
        [],
        [],
        marker="o",
        ls="",
        ms=11,
        mfc="white",
        mec="0.55",
        label="dropped unit (outputs 0)",
    ),
]
fig.legend(handles=legend, loc="lower center", ncol=2, fontsize=12)
fig.tight_layout(rect=(0, 0.04, 1, 1))
fig.savefig("thinned_networks.png", dpi=110)
# --8<-- [end:figure]
