"""Fill a page's Markdown in with an example run's numbers and printed text.

- ``{{ example.value.path:format }}``: a value from the run's results, formatted;
- ``{{ example.output.section }}`` alone on a line: what that section printed, as a
  ``text`` block;
- ``<!-- hl_lines="2 3" -->`` before a ```` ```python ```` fence: line highlighting (the
  fence itself stays exactly ```` ```python ````, all that pytest-codeblocks collects).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from sitebuild.errors import BuildError
from sitebuild.examples import Results

# {{ complete_example.test_accuracy:.3f }}: a value, with an optional format spec.
VALUE = re.compile(r"\{\{\s*(?P<name>\w+)\.(?P<path>[\w.-]+?)(?::(?P<format>[^}\s]+))?\s*\}\}")
# {{ complete_example.output.log }} alone on a line: that section's printed text as a block.
OUTPUT = re.compile(
    r"^(?P<indent>[ \t]*)\{\{\s*(?P<name>\w+)\.output\.(?P<section>[\w-]+)\s*\}\}[ \t]*$", re.M
)
# <!-- hl_lines="2 3-4" --> on the line(s) before a ```python fence.
HL_LINES = re.compile(
    r'^(?P<indent>[ \t]*)<!--\s*hl_lines="(?P<lines>[\d -]+)"\s*-->[ \t]*\n'
    r"(?P<gap>(?:[ \t]*\n)*)(?P=indent)```python[ \t]*$",
    re.M,
)


def results_for(results: Mapping[str, Results], name: str, where: str) -> Results:
    if name not in results:
        raise BuildError(f"{where}: there is no example named {name!r}")
    return results[name]


def value(results: Mapping[str, Results], name: str, path: str, where: str) -> object:
    """The value at ``path`` ("a.b.0") in example ``name``'s results."""
    found: object = results_for(results, name, where).values
    for part in path.split("."):
        if isinstance(found, dict) and part in found:
            found = found[part]
        elif (
            isinstance(found, list)
            and re.fullmatch(r"-?\d+", part)
            and -len(found) <= int(part) < len(found)
        ):
            found = found[int(part)]
        else:
            raise BuildError(f"{where}: example {name!r} has no value {path!r}")
    return found


def highlight_lines(markdown: str) -> str:
    """``<!-- hl_lines="…" -->`` + ```` ```python ```` -> ```` ```python hl_lines="…" ````."""

    def highlight(match: re.Match[str]) -> str:
        indent = match["indent"]
        return f'{match["gap"]}{indent}```python hl_lines="{match["lines"].strip()}"'

    return HL_LINES.sub(highlight, markdown)


def fill(markdown: str, results: Mapping[str, Results], where: str) -> str:
    """The page's Markdown with every placeholder filled in; ``where`` names the page in
    errors (an unknown example, value or section, a format that does not apply)."""

    def output(match: re.Match[str]) -> str:
        outputs = results_for(results, match["name"], where).outputs
        if match["section"] not in outputs:
            example, section = match["name"], match["section"]
            raise BuildError(f"{where}: example {example!r} has no section {section!r}")
        indent = match["indent"]
        lines = outputs[match["section"]].rstrip("\n").split("\n")
        body = "\n".join(indent + line if line else "" for line in lines)
        return f"{indent}```text\n{body}\n{indent}```"

    def formatted(match: re.Match[str]) -> str:
        found = value(results, match["name"], match["path"], where)
        try:
            return format(found, match["format"] or "")
        except (TypeError, ValueError) as error:
            raise BuildError(f"{where}: cannot format {match[0]}: {error}") from None

    return VALUE.sub(formatted, OUTPUT.sub(output, highlight_lines(markdown)))
