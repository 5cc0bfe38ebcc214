"""Figures get smaller without changing what a reader sees (sitebuild/runner.py)."""

from __future__ import annotations

import io

import matplotlib.pyplot as plt
import numpy as np
from PIL import Image

from sitebuild.runner import smaller_png


def plot_png(transparent: bool = False) -> bytes:
    fig = plt.figure(figsize=(6, 3))
    ax = fig.add_subplot()
    x = np.linspace(0, 10, 200)
    for shift in range(3):
        ax.plot(x, np.sin(x + shift), label=f"curve {shift}")
    ax.fill_between(x, -0.5, 0.5, alpha=0.2)
    ax.legend()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=120, transparent=transparent)
    plt.close(fig)
    return buffer.getvalue()


def test_a_plot_shrinks_and_looks_the_same():
    original = plot_png()
    smaller = smaller_png(original)
    assert len(smaller) < 0.7 * len(original), (len(smaller), len(original))
    before = np.asarray(Image.open(io.BytesIO(original)).convert("RGB"), dtype=int)
    after = np.asarray(Image.open(io.BytesIO(smaller)).convert("RGB"), dtype=int)
    assert before.shape == after.shape
    assert np.abs(before - after).mean() < 1.0  # per channel, out of 255
    dpi = Image.open(io.BytesIO(original)).info["dpi"]
    assert Image.open(io.BytesIO(smaller)).info["dpi"] == dpi


def test_a_transparent_image_is_left_alone():
    original = plot_png(transparent=True)
    assert smaller_png(original) == original


def test_the_same_input_gives_the_same_bytes():
    original = plot_png()
    assert smaller_png(original) == smaller_png(original)
