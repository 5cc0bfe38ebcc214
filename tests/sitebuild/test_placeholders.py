"""sitebuild/placeholders.py: results and printed text into a page's Markdown."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pytest_codeblocks.main import extract_from_buffer

from sitebuild import placeholders
from sitebuild.errors import BuildError
from sitebuild.examples import Results


def results(values: dict, outputs: dict) -> dict[str, Results]:
    run = Results("ex", Path("."), values, outputs, "", 0.0, {}, [])
    return {"ex": run}


def test_values_are_formatted_and_printed_sections_become_text_blocks():
    found = results({"acc": 0.91234, "runs": [{"loss": 2}]}, {"log": "a\n\nb\n"})
    page = "Accuracy {{ ex.acc:.1% }}, loss {{ex.runs.0.loss}}.\n\n  {{ ex.output.log }}\n"
    assert placeholders.fill(page, found, "p.md") == (
        "Accuracy 91.2%, loss 2.\n\n  ```text\n  a\n\n  b\n  ```\n"
    )


@pytest.mark.parametrize(
    ("page", "message"),
    [
        ("{{ nope.acc }}", "p.md: there is no example named 'nope'"),
        ("{{ ex.missing }}", "p.md: example 'ex' has no value 'missing'"),
        ("{{ ex.runs.5 }}", "p.md: example 'ex' has no value 'runs.5'"),
        ("{{ ex.output.gone }}", "p.md: example 'ex' has no section 'gone'"),
        ("{{ ex.name:.2f }}", "p.md: cannot format {{ ex.name:.2f }}"),
    ],
)
def test_a_placeholder_that_names_nothing_stops_the_build_saying_where(page, message):
    found = results({"name": "text", "runs": [1]}, {"log": "x"})
    with pytest.raises(BuildError, match=message.replace(".", r"\.").replace("{", r"\{")):
        placeholders.fill(page, found, "p.md")


def test_hl_lines_comment_highlights_a_python_fence_that_pytest_codeblocks_still_runs():
    """`<!-- hl_lines="…" -->` before a fence: highlighting on the site, and the fence in
    the source stays exactly ```python, the only form pytest-codeblocks collects."""
    source = (
        "Text.\n\n<!--pytest-codeblocks:cont-->\n\n"
        '<!-- hl_lines="2 4-5" -->\n\n```python\nx = 1\ny = 2\n```\n\n'
        '    <!-- hl_lines="1" -->\n    ```python\n    z = 3\n    ```\n'
    )
    first = extract_from_buffer(io.StringIO("```python\nw = 0\n```\n" + source))
    # Both fences are collected; the first continues the block before it (cont).
    assert [block.syntax for block in first] == ["python", "python"]
    assert "w = 0" in first[0].code and "y = 2" in first[0].code
    assert first[1].code.strip() == "z = 3"

    out = placeholders.fill(source, {}, "x.md")
    assert '```python hl_lines="2 4-5"\nx = 1' in out
    assert '    ```python hl_lines="1"\n    z = 3' in out
    assert "hl_lines=" not in out.replace('```python hl_lines="', "")
