"""The executed notebooks: one per example and language.

The runner writes each example's executed notebook (``Results.notebook``); here it gets
a first cell in the page's language. The page mkdocs-jupyter makes of it is repaired
in ``mkdocs_jupyter.py``, and its CSS slimmed in ``notebook_css.py``.
"""

from __future__ import annotations

from pathlib import Path

import nbformat


def write_notebook(executed: Path, title: str, intro: str, path: Path) -> Path:
    """``executed`` with a first Markdown cell (``# title`` and ``intro``), at ``path``;
    the file is rewritten only when its text changes."""
    nb = nbformat.read(executed, as_version=4)
    cell = nbformat.v4.new_markdown_cell(f"# {title}\n\n{intro}")
    cell.id = "title"
    nb.cells.insert(0, cell)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = nbformat.writes(nb) + "\n"
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")
    return path
