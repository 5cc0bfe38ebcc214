"""A section that saves a figure only draws: the build runs it again for each language
(sitebuild/figures.py), so training or predicting there would run twice and could draw
something the English run never saw."""

from __future__ import annotations

import ast

import pytest

from sitebuild import examples
from sitebuild.runner import split_cells

# Calls that compute (Keras, PyTorch, scikit-learn): none belongs in a figure section.
COMPUTES = {"fit", "predict", "evaluate", "train_on_batch", "predict_on_batch", "backward", "step"}
DRAWING = [e for e in examples.discover() if "savefig(" in e.path.read_text(encoding="utf-8")]


def computing_calls(source: str, helpers: dict[str, set[str]]) -> set[str]:
    """The computing calls a piece of code makes, itself or through the snippet's functions."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            name = getattr(node.func, "attr", None) or getattr(node.func, "id", None)
            if name in COMPUTES:
                found.add(name)
            found |= helpers.get(name, set())
    return found


def sections_that_save_and_compute(text: str) -> dict[str, set[str]]:
    tree = ast.parse(text)
    helpers: dict[str, set[str]] = {}
    for node in tree.body:  # in order, so a function may use one defined before it
        if isinstance(node, ast.FunctionDef):
            helpers[node.name] = computing_calls(ast.unparse(node), helpers)
    return {
        str(cell.section): calls
        for cell in split_cells(text)
        if "savefig(" in cell.source and (calls := computing_calls(cell.source, helpers))
    }


@pytest.mark.parametrize("example", DRAWING, ids=lambda e: e.name)
def test_a_figure_section_only_draws(example: examples.Example):
    offending = sections_that_save_and_compute(example.path.read_text(encoding="utf-8"))
    assert not offending, f"{example.name}: figure sections that compute: {offending}"


def test_a_figure_section_that_predicts_fails():
    text = (
        "# --8<-- [start:plot]\n"
        "proba = model.predict(grid)\nax.contourf(proba)\nfig.savefig('x.svg')\n"
        "# --8<-- [end:plot]\n"
    )
    assert sections_that_save_and_compute(text) == {"plot": {"predict"}}
    helper = "def train_it():\n    model.fit(x, y)\n\n" + text.replace(
        "model.predict(grid)", "train_it()"
    )
    assert sections_that_save_and_compute(helper) == {"plot": {"fit"}}
