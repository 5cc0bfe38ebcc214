"""The notebooks' words (sitebuild/notebook_text.py, includes/notebooks/<language>/): every
section of every example has text in both languages, each in its language, and the built
notebook puts it before the section's code in place of the English docstring."""

from __future__ import annotations

import re

import nbformat
import pytest

from sitebuild import examples, notebook_text, runner

CJK = re.compile(r"[\u4e00-\u9fff]")
LANGUAGES = ["en", "zh"]


def sections_of(example: examples.Example) -> list[str | None]:
    """The section of each cell the runner makes of the example (None outside sections)."""
    return [cell.section for cell in runner.split_cells(example.path.read_text(encoding="utf-8"))]


def unrun_notebook(example: examples.Example) -> nbformat.NotebookNode:
    """The runner's notebook of the example without running it (no outputs)."""
    return runner.notebook(runner.split_cells(example.path.read_text(encoding="utf-8")))


EXAMPLES = examples.discover()


def test_there_are_examples_to_check(tally):
    assert len(EXAMPLES) >= 10, [e.name for e in EXAMPLES]
    tally["examples whose notebook text was checked"] += len(EXAMPLES)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: e.name)
def test_every_section_has_text(example: examples.Example, language: str):
    named = [s for s in sections_of(example) if s]
    assert named, f"{example.name}: no sections"
    assert notebook_text.problems(language, example.name, named) == []


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: e.name)
def test_the_text_is_in_its_language(example: examples.Example, language: str):
    data = notebook_text.load(language, example.name)
    texts = {"intro": data["intro"], **data["sections"]}
    for key, text in texts.items():
        if language == "zh":
            assert CJK.search(text), f"zh/{example.name}.yml: {key} has no Chinese: {text!r}"
        else:
            assert not CJK.search(text), f"en/{example.name}.yml: {key} has Chinese: {text!r}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_section_of_the_notebook_comes_after_its_text(language: str):
    example = next(e for e in EXAMPLES if e.name == "complete_example")
    sections = sections_of(example)
    nb = notebook_text.annotate(unrun_notebook(example), language, example.name, sections)
    data = notebook_text.load(language, example.name)
    assert nb.cells[0].cell_type == "markdown"
    assert nb.cells[0].source == notebook_text.joined(data["intro"])
    seen = []
    for before, cell in zip(nb.cells, nb.cells[1:], strict=False):
        if cell.cell_type != "code" or before.id == "intro":
            continue
        assert before.cell_type == "markdown", f"code without text before it: {cell.source[:60]}"
        section = before.id.removeprefix("text-")
        texts = {**notebook_text.common(language), **data["sections"]}  # labels: _common.yml
        assert before.source == notebook_text.joined(texts[section])
        seen.append(section)
    assert seen == [s for s in sections if s]
    code = "\n".join(cell.source for cell in nb.cells if cell.cell_type == "code")
    docstring = example.path.read_text(encoding="utf-8").split('"""')[1]
    assert docstring.splitlines()[0] not in code, "the English docstring is still in the notebook"
    counts = [cell.execution_count for cell in nb.cells if cell.cell_type == "code"]
    assert counts == list(range(1, len(counts) + 1)), counts


def test_chinese_text_is_joined_without_folding_spaces():
    assert notebook_text.joined("每一行 从左往右看， `fit` 记录") == "每一行从左往右看，`fit` 记录"
    assert notebook_text.joined("each row, from the left") == "each row, from the left"


def test_a_section_without_text_fails_the_build():
    example = next(e for e in EXAMPLES if e.name == "complete_example")
    sections = [*sections_of(example)[:-1], "a-new-section"]
    with pytest.raises(notebook_text.MissingText, match="no text for section 'a-new-section'"):
        notebook_text.annotate(unrun_notebook(example), "zh", example.name, sections)


def test_a_missing_file_is_reported(tmp_path, monkeypatch):
    monkeypatch.setattr(notebook_text, "TEXT_DIR", tmp_path)
    monkeypatch.setattr(notebook_text, "ROOT", tmp_path)
    assert notebook_text.problems("zh", "complete_example", ["data"]) == [
        "zh/complete_example.yml: no notebook text for complete_example (zh)"
    ]
