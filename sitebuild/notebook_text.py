"""The words of each notebook: a short version of its page, in the page's language.

The executed notebook (sitebuild/runner.py) is the example's code, one code cell per
section. Someone who opens it in Colab has no page beside it, so before every section
the notebook gets a Markdown cell saying what the section does and what to look for
in its output, and the module docstring (English, and written for `python x.py`) gives
way to an introduction in the page's language.

The text lives in one small file per example and language,
``includes/notebooks/<language>/<example>.yml``::

    intro: >-
      What the program does, in a few sentences.
    sections:
      imports: >-
        What this section does; what to look for in what it prints or draws.

`tests/sitebuild/test_notebook_text.py` fails when a section of an example has no
text in some language, or a file names a section the example does not have.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import nbformat
import yaml

from sitebuild.errors import BuildError

ROOT = Path(__file__).resolve().parent.parent
TEXT_DIR = ROOT / "includes" / "notebooks"


class MissingText(BuildError):
    """An example's notebook text is missing or names sections the example lacks."""


def text_path(language: str, name: str) -> Path:
    return TEXT_DIR / language / f"{name}.yml"


def _read(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data.get("sections"), dict):
        raise MissingText(f"{path.relative_to(ROOT)}: needs `sections:`")
    return data


def common(language: str) -> dict[str, str]:
    """Text for sections that examples share by convention (`_common.yml`, e.g. `labels`)."""
    path = text_path(language, "_common")
    return _read(path)["sections"] if path.is_file() else {}


def load(language: str, name: str) -> dict:
    """The file's mapping: {"intro": str, "sections": {section: str}}."""
    path = text_path(language, name)
    if not path.is_file():
        raise MissingText(f"{path.relative_to(ROOT)}: no notebook text for {name} ({language})")
    data = _read(path)
    if not isinstance(data.get("intro"), str):
        raise MissingText(f"{path.relative_to(ROOT)}: needs `intro:`")
    return data


def problems(language: str, name: str, sections: list[str]) -> list[str]:
    """What is wrong with the text of one example in one language (empty when nothing)."""
    try:
        data = load(language, name)
    except MissingText as error:
        return [str(error)]
    where = text_path(language, name).relative_to(ROOT)
    written = {key: str(value or "").strip() for key, value in data["sections"].items()}
    shared = {key: str(value or "").strip() for key, value in common(language).items()}
    found = [
        f"{where}: no text for section {s!r}"
        for s in sections
        if not (written.get(s) or shared.get(s))
    ]
    found += [f"{where}: section {s!r} is not in the example" for s in written if s not in sections]
    if not data["intro"].strip():
        found.append(f"{where}: the intro is empty")
    return found


# YAML folds a line break into a space; Chinese puts none between two characters, nor
# beside full-width punctuation.
_PUNCT = "\u3000-\u303f\uff00-\uffef"
_CJK = "\u4e00-\u9fff" + _PUNCT
_FOLDED = re.compile(f"(?<=[{_CJK}]) (?=[{_CJK}])|(?<=[{_PUNCT}]) | (?=[{_PUNCT}])")


def joined(text: str) -> str:
    """The text as a reader sees it: folded lines joined the way the language joins them."""
    return _FOLDED.sub("", text.strip())


def without_docstring(source: str) -> str:
    """The cell's code without a leading module docstring."""
    try:
        body = ast.parse(source).body
    except SyntaxError:
        return source
    first = body[0] if body else None
    if isinstance(first, ast.Expr) and isinstance(getattr(first.value, "value", None), str):
        lines = source.splitlines(keepends=True)
        return "".join(lines[first.end_lineno :]).strip("\n")
    return source


def annotate(
    nb: nbformat.NotebookNode, language: str, name: str, sections: list[str | None]
) -> nbformat.NotebookNode:
    """The notebook with its intro and a Markdown cell before each section's code.

    ``sections`` names the section of each code cell, in order (None for code outside
    any section, which gets no text). Raises MissingText when a section has none.
    """
    code_cells = [cell for cell in nb.cells if cell.cell_type == "code"]
    if len(code_cells) != len(sections):
        raise MissingText(f"{name}: {len(code_cells)} code cells, {len(sections)} sections")
    named = [s for s in sections if s]
    if found := problems(language, name, named):
        raise MissingText("; ".join(found))
    data = load(language, name)
    texts = {**common(language), **data["sections"]}
    cells = []
    code_index = 0
    for cell in nb.cells:
        if cell.cell_type != "code":
            cells.append(cell)
            continue
        section = sections[code_index]
        code_index += 1
        if section is None:
            cell.source = without_docstring(cell.source)
            if not cell.source.strip():
                continue  # the docstring alone: the intro says it in the page's language
        else:
            text = nbformat.v4.new_markdown_cell(joined(texts[section]))
            text.id = f"text-{section}"
            cells.append(text)
        cells.append(cell)
    intro = nbformat.v4.new_markdown_cell(joined(data["intro"]))
    intro.id = "intro"
    before = next(i for i, cell in enumerate(nb.cells) if cell.cell_type == "code")
    cells.insert(before, intro)  # after any cells that came before the code (a title)
    count = 0
    for cell in cells:  # In [1], In [2], ... again when the docstring's cell went away
        if cell.cell_type == "code" and cell.execution_count is not None:
            count += 1
            cell.execution_count = count
    nb.cells = cells
    return nb
