"""The programs a page's ```python blocks form, and how each is proved to run.

pytest-codeblocks turns a page into programs: a ```python block starts one, a block after
`<!--pytest-codeblocks:cont-->` is appended to it. We read the pages with its own parser
(`extract_from_buffer`), so a program here is exactly what it would execute, and then:

- a program made of included sections (`--8<-- "example.py:section"`) is checked
  statically against the build's run of that example: each example's part must be
  sections the build ran, text for text, in the order it ran them (a page in another
  language shows the `labels` section with its one `LANGUAGE` line set to that
  language, and may differ in nothing else: sitebuild/figures.py); a section left out
  may bind no name that a later shown one reads (a def-use check on the code, names
  only). The build's run is then the program's test, and nothing runs again;
- a program written in the page (an exercise's answer, say) runs, once for each distinct
  program, so an answer that is the same in both languages runs once;
- a program that mixes the two cannot be proved without running the example again, so it
  is reported as a problem (move the inline code into the snippet as a section).
"""

from __future__ import annotations

import ast
import io
import re
import subprocess
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from pytest_codeblocks.main import extract_from_buffer

from sitebuild import figures

INCLUDE = re.compile(r'^--8<-- "(?P<file>[\w.-]+\.py):(?P<section>[\w-]+)"$')


@dataclass(frozen=True)
class Program:
    page: str  # where it starts, for messages: "en/keras.md:42"
    code: str  # what pytest-codeblocks would execute


def programs(text: str, page: str) -> list[Program]:
    """The ```python programs of one page (unexpanded), in pytest-codeblocks' terms."""
    blocks = extract_from_buffer(io.StringIO(text))
    return [Program(f"{page}:{b.lineno}", b.code) for b in blocks if b.syntax == "python"]


def includes(program: Program) -> list[tuple[str, str]] | None:
    """(example, section) for each `--8<--` line of a program; None if it has none. A form
    other than "name.py:section" gives ("", the line)."""
    lines = [line.strip() for line in program.code.splitlines()]
    found = []
    for line in (line for line in lines if line.startswith("--8<--")):
        match = INCLUDE.match(line)
        found.append((match["file"][: -len(".py")], match["section"]) if match else ("", line))
    return found or None


def bound_and_read(source: str) -> tuple[set[str], set[str]]:
    """Names a cell binds, and names it reads without binding them itself (approximate:
    any use anywhere in it, function bodies included)."""
    bound, read = set(), set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Name):
            (read if isinstance(node.ctx, ast.Load) else bound).add(node.id)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            bound.add(node.name)
        elif isinstance(node, ast.alias):
            bound.add((node.asname or node.name).split(".")[0])
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
    return bound, read - bound


def check_included(
    program: Program,
    cells: Mapping[str, list[dict[str, str | None]]],
    shown: Callable[[str], str],
) -> list[str]:
    """Problems with an included program, given each example's cells in the order the build
    ran them and `shown`, which expands one include line as the site does. Empty: the build's
    run executed exactly this program."""
    parts = includes(program)
    assert parts is not None
    lines = [line.strip() for line in program.code.splitlines() if line.strip()]
    if len(parts) != len(lines):
        return [f"{program.page}: mixes included sections and inline code in one program"]
    problems = [
        f'{program.page}: {section!r} is not an include of one section, `--8<-- "x.py:name"`'
        for example, section in parts
        if not example
    ]
    # Each example's sections, in the program's order. Two examples may take turns (the
    # Keras and PyTorch tabs of one page): each one's part is then checked on its own, and
    # `interleaved` checks that neither rebinds a name the other reads later.
    segments: dict[str, list[str]] = {}
    for example, section in (part for part in parts if part[0]):
        segments.setdefault(example, []).append(section)
    for example, sections in segments.items():
        if example not in cells:
            problems.append(f"{program.page}: {example}.py is not an example the build ran")
            continue
        ran = cells[example]
        order = [str(c["section"]) for c in ran]
        positions = [order.index(s) if s in order else -1 for s in sections]
        if -1 in positions or positions != sorted(set(positions)):
            problems.append(
                f"{program.page}: shows {example} sections {sections}, but the build ran "
                f"{[s for s in order if s != 'None']}: not in an order the build ran them"
            )
            continue
        # A section the page leaves out must bind no name that a later shown one reads.
        available: set[str] = set()
        left_out: dict[str, str] = {}  # name -> the left-out section that binds it
        for index, cell in enumerate(ran[: positions[-1] + 1]):
            bound, read = bound_and_read(str(cell["source"]))
            if index not in positions:
                left_out.update((name, str(cell["section"])) for name in bound - available)
                continue
            if needed := sorted(n for n in read - available if n in left_out):
                sources = sorted({left_out[n] for n in needed})
                problems.append(
                    f"{program.page}: {example}.py:{cell['section']} needs {needed} from "
                    f"section {sources}, which the page does not show before it"
                )
            available |= bound
        for section, position in zip(sections, positions, strict=True):
            expected = str(ran[position]["source"])
            if section == figures.LABELS:
                expected = figures.localized(expected, page_language(program.page))
            if shown(f'--8<-- "{example}.py:{section}"').strip("\n") != expected:
                problems.append(
                    f"{program.page}: {example}.py:{section} as the page shows it is not "
                    "the code the build ran"
                )
    if not problems:
        problems += interleaved(program, [(e, s) for e, s in parts if e], cells)
    return problems


def imported(source: str) -> dict[str, str]:
    """The names a cell binds by importing, with what each one names ("numpy")."""
    found = {}
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                found[alias.asname or alias.name.split(".")[0]] = alias.name
        elif isinstance(node, ast.ImportFrom):
            for alias in node.names:
                found[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return found


def interleaved(
    program: Program,
    parts: list[tuple[str, str]],
    cells: Mapping[str, list[dict[str, str | None]]],
) -> list[str]:
    """Problems of a program in which two examples take turns: a section that reads a name
    its own example bound, after another example's section rebound it (to anything but
    the same import), would not run as the build ran it."""
    problems = []
    last: dict[str, tuple[str, str, str | None]] = {}  # name -> (example, section, import)
    for example, section in parts:
        source = next(str(c["source"]) for c in cells[example] if c["section"] == section)
        bound, read = bound_and_read(source)
        for name in sorted(read):
            if name in last and last[name][0] != example:
                other, where, target = last[name]
                mine = [
                    imported(str(c["source"])).get(name)
                    for c in cells[example]
                    if name in bound_and_read(str(c["source"]))[0]
                ]
                if mine and not (target and target in mine):
                    problems.append(
                        f"{program.page}: {example}.py:{section} reads {name!r}, which "
                        f"{other}.py:{where}, shown before it, rebinds"
                    )
        imports = imported(source)
        last.update((name, (example, section, imports.get(name))) for name in bound)
    return problems


def page_language(page: str) -> str:
    """The language of a page named "zh/keras.md:12"; the first language for other names."""
    language = page.split("/", 1)[0]
    return language if language in figures.LANGUAGES else figures.LANGUAGES[0]


def distinct_inline(found: list[Program]) -> list[str]:
    """The programs written in the pages, each once: the same answer in two languages is one."""
    return sorted({p.code for p in found if not includes(p)})


def run_inline(codes: list[str], folder: Path, env: Mapping[str, str]) -> tuple[bool, str]:
    """Run each program with pytest-codeblocks, in one process: (all passed, its report)."""
    page = folder / "inline.md"
    page.write_text("".join(f"````python\n{code}````\n\n" for code in codes), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "--codeblocks", "-p", "no:cacheprovider", page.name],
        cwd=folder,
        env=dict(env),
        capture_output=True,
        text=True,
        timeout=1800,
    )
    lines = done.stdout.strip().splitlines()
    summary = lines[-1] if lines else ""
    passed = (
        done.returncode == 0
        and re.search(rf"\b{len(codes)} passed\b", summary) is not None
        and "skipped" not in summary
    )
    return passed, done.stdout + done.stderr
