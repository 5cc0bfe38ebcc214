"""The executed notebooks: one per example and language.

The runner writes each example's executed notebook, and one per other language with
that language's figures (``figures.notebook_name``); here it gets the words of the
page's language (``notebook_text``) and a first cell with its title. The page
mkdocs-jupyter makes of it is repaired in ``mkdocs_jupyter.py``, and its CSS slimmed
in ``notebook_css.py``.
"""

from __future__ import annotations

from pathlib import Path

import nbformat

from sitebuild import figures, notebook_text
from sitebuild.examples import Results


def in_language(results: Results, name: str, language: str) -> nbformat.NotebookNode:
    """The run's notebook for ``language``: its own figures where the run drew them,
    and a Markdown cell in that language before each section."""
    own = results.entry / figures.notebook_name(language)
    nb = nbformat.read(own if own.exists() else results.notebook, as_version=4)
    sections = [cell["section"] for cell in results.cells]
    return notebook_text.annotate(nb, language, name, sections)


def write_notebook(nb: nbformat.NotebookNode, title: str, intro: str, path: Path) -> Path:
    """``nb`` with a first Markdown cell (``# title`` and ``intro``), at ``path``; the
    file is rewritten only when its text changes."""
    cell = nbformat.v4.new_markdown_cell(f"# {title}\n\n{intro}")
    cell.id = "title"
    nb.cells.insert(0, cell)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = nbformat.writes(nb) + "\n"
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")
    return path
