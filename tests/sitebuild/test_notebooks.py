"""sitebuild/notebooks.py: each example's notebook with its title cell."""

from __future__ import annotations

from pathlib import Path

import nbformat

from sitebuild import notebooks


def test_the_notebook_gets_a_title_cell_and_is_rewritten_only_when_it_changes(tmp_path: Path):
    def executed() -> nbformat.NotebookNode:
        return nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1", id="c1")])

    path = notebooks.write_notebook(executed(), "Title", "Intro.", tmp_path / "out" / "ex.ipynb")
    cells = nbformat.read(path, as_version=4).cells
    assert [c.cell_type for c in cells] == ["markdown", "code"]
    assert cells[0].source == "# Title\n\nIntro." and cells[0].id == "title"
    written = path.stat().st_mtime_ns
    notebooks.write_notebook(executed(), "Title", "Intro.", path)
    assert path.stat().st_mtime_ns == written
