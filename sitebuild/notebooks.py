"""The executed notebooks: one per example and language, and their pages' HTML.

The runner writes each example's executed notebook (``Results.notebook``); here it gets
a first cell in the page's language, and the page mkdocs-jupyter makes of it gets ids
on its headings, focusable code cells and figure descriptions.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat

# nbconvert warns for every figure without alt text (its template has no way to set
# one) and then writes this generic alt; ``describe_figures`` replaces it.
NBCONVERT_ALT = 'alt="No description has been provided for this image"'
NAMELESS_HEADING = re.compile(r'<h([1-6]) id="">(.*?)<a class="anchor-link" href="#">')


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


def name_headings(output: str, toc_ids: list[str]) -> str:
    """Give nbconvert's id-less headings (Chinese text slugs to "") the table of contents'
    ids, and make code cells focusable.

    mkdocs-jupyter builds the page's table of contents with Python-Markdown, which names
    such a heading ``_1``; Material's "skip to content" link and the sidebar point there.
    Code cells scroll sideways: keyboard users must be able to focus them (axe-core).
    """
    ids = iter(toc_ids)

    def name(match: re.Match[str]) -> str:
        anchor = next(ids, "")
        if not anchor:
            return match[0]
        return f'<h{match[1]} id="{anchor}">{match[2]}<a class="anchor-link" href="#{anchor}">'

    output = NAMELESS_HEADING.sub(name, output, count=1)
    return output.replace('<div class="highlight-ipynb', '<div tabindex="0" class="highlight-ipynb')


def describe_figures(output: str, alt: str) -> str:
    """nbconvert's generic figure description replaced by ``alt`` (HTML-escaped)."""
    return output.replace(NBCONVERT_ALT, f'alt="{alt}"')
