"""sitebuild/notebooks.py: each example's notebook with its title cell, and its page."""

from __future__ import annotations

from pathlib import Path

import nbformat

from sitebuild import notebooks


def test_the_notebook_gets_a_title_cell_and_is_rewritten_only_when_it_changes(tmp_path: Path):
    executed = tmp_path / "run.ipynb"
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1", id="c1")])
    nbformat.write(nb, executed)
    path = notebooks.write_notebook(executed, "Title", "Intro.", tmp_path / "out" / "ex.ipynb")
    cells = nbformat.read(path, as_version=4).cells
    assert [c.cell_type for c in cells] == ["markdown", "code"]
    assert cells[0].source == "# Title\n\nIntro." and cells[0].id == "title"
    written = path.stat().st_mtime_ns
    notebooks.write_notebook(executed, "Title", "Intro.", path)
    assert path.stat().st_mtime_ns == written


def test_nameless_headings_get_the_toc_ids_and_code_cells_are_focusable():
    page = (
        '<h1 id="">标题<a class="anchor-link" href="#">¶</a></h1>'
        '<div class="highlight-ipynb hl-python"><pre>x</pre></div>'
    )
    named = notebooks.name_headings(page, ["_1"])
    assert '<h1 id="_1">标题<a class="anchor-link" href="#_1">' in named
    assert '<div tabindex="0" class="highlight-ipynb hl-python">' in named
    assert notebooks.name_headings(page, []).startswith('<h1 id="">')


def test_nbconverts_generic_figure_description_is_replaced():
    page = f"<img {notebooks.NBCONVERT_ALT} src='x.png'>"
    assert notebooks.describe_figures(page, "训练曲线") == "<img alt=\"训练曲线\" src='x.png'>"
