"""sitebuild/figure_sizes.py: every figure sized in CSS pixels, all but the first lazy."""

from __future__ import annotations

from pathlib import Path

import matplotlib
import pytest

from sitebuild.errors import BuildError
from sitebuild.figure_sizes import figure_size, figure_sources, sized_images

matplotlib.use("Agg")
import matplotlib.pyplot as plt


def test_a_figure_gets_its_size_in_css_pixels_from_a_png_or_an_svg(tmp_path: Path):
    fig = plt.figure(figsize=(6, 3))  # inches: 432 x 216 pt, 576 x 288 CSS px
    fig.savefig(tmp_path / "plot.svg")
    fig.savefig(tmp_path / "plot.png", dpi=120)
    plt.close(fig)
    assert figure_size(str(tmp_path / "plot.svg")) == (576, 288)
    assert figure_size(str(tmp_path / "plot.png")) == (720, 360)
    (tmp_path / "drawn.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"></svg>')
    with pytest.raises(BuildError, match=r"drawn\.svg"):
        figure_size(str(tmp_path / "drawn.svg"))


def test_figures_are_sized_and_all_but_the_first_load_lazily(tmp_path: Path):
    fig = plt.figure(figsize=(3, 1.5))
    fig.savefig(tmp_path / "a.svg")
    plt.close(fig)
    figures = {"ch/a.svg": str(tmp_path / "a.svg"), "b.svg": str(tmp_path / "a.svg")}
    page = '<img alt="A" src="a.svg" /><img src="../b.svg"><img src="x.svg">'
    assert sized_images(page, "ch/", figures) == (
        '<img alt="A" src="a.svg" width="288" height="144" decoding="async">'
        '<img src="../b.svg" width="288" height="144" decoding="async" loading="lazy">'
        '<img src="x.svg">'
    )
    assert 'loading="lazy"' not in sized_images(page, "ch/", figures, lazy=False)


def test_only_png_and_svg_files_with_a_source_are_figures():
    files = [("a.png", "/s/a.png"), ("b.svg", "/s/b.svg"), ("c.css", "/s/c.css"), ("d.png", None)]
    assert figure_sources(files) == {"a.png": "/s/a.png", "b.svg": "/s/b.svg"}
