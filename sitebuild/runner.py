"""Execute one example in this fresh process, as a script, and write its cache entry.

Run by :func:`sitebuild.examples.run` as ``python -m sitebuild.runner --cache-dir DIR
snippets/a.py``, one process per example. The example runs as ``python a.py`` would
in a folder holding only a copy of it and the project modules it imports
(:func:`sitebuild.examples.local_imports`): that folder is the working folder and
``sys.path[0]``, the project itself is not importable, ``__name__`` is ``"__main__"``.
It runs top to bottom, split into cells at its ``# --8<-- [start:NAME]`` /
``[end:NAME]`` markers. For every cell we keep what it printed and the figures it
left open, which gives the executed notebook and the text pages quote; the entry's
``results.json`` also records how it ran (``run``) and each cell's code (``cells``),
which the tests read instead of running the example again.

An example fails when it raises, prints to stderr or emits a Python warning: the
runner reports its name and traceback on stderr, writes no cache entry for it and
exits 1 after trying the rest.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import io
import json
import logging
import os
import re
import shutil
import sys
import tempfile
import time
import traceback
import types
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from sitebuild import figures
from sitebuild.examples import ROOT, Example, cache_key, local_imports, write_manifest

MARKER = re.compile(r"^\s*# --8<-- \[(start|end):([\w-]+)\]\s*$")
RUN_LOG = "SITEBUILD_RUN_LOG"  # if set, a file each run appends "name key" to (tests count runs)
_examples_run_here = 0  # examples this process ran before the current one: 0, it is fresh


@dataclass
class Cell:
    section: str | None
    first_line: int
    lines: list[str] = field(default_factory=list)
    stdout: str = ""
    figures: list[bytes] = field(default_factory=list)
    wrote: list[str] = field(default_factory=list)  # figure files it wrote or changed

    @property
    def source(self) -> str:
        return "".join(self.lines).strip("\n")


def split_cells(text: str) -> list[Cell]:
    """Cut the file at section markers; code outside sections forms cells of its own."""
    cells: list[Cell] = []
    current = Cell(None, 1)
    for number, line in enumerate(text.splitlines(keepends=True), start=1):
        match = MARKER.match(line)
        if match:
            cells.append(current)
            kind, name = match.groups()
            current = Cell(name if kind == "start" else None, number + 1)
        else:
            current.lines.append(line)
    cells.append(current)
    return [cell for cell in cells if cell.source.strip()]


def json_value(value: object) -> object:
    """A JSON form of simple result values (numbers, strings, their lists and dicts), else None."""
    if hasattr(value, "item") and getattr(value, "shape", None) == ():
        value = value.item()  # NumPy and TensorFlow scalars
    if isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (list, tuple)) and len(value) <= 10_000:
        items = [json_value(v) for v in value]
        return items if all(i is not None for i in items) else None
    if isinstance(value, dict) and all(isinstance(k, str) for k in value):
        items = {k: json_value(v) for k, v in value.items()}
        return items if all(i is not None for i in items.values()) else None
    return None


def smaller_png(data: bytes) -> bytes:
    """The same picture in a 256-colour palette: a third of the bytes for a plot.

    Matplotlib writes 32-bit RGBA; a chart has few colours, so a palette loses
    nothing a reader can see. Images with transparency are left as they are.
    """
    from PIL import Image

    image = Image.open(io.BytesIO(data))
    if image.mode not in ("RGB", "RGBA") or (
        image.mode == "RGBA" and image.getchannel("A").getextrema() != (255, 255)
    ):
        return data
    palette = image.convert("RGB").quantize(
        colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE
    )
    buffer = io.BytesIO()
    palette.save(buffer, format="PNG", optimize=True, dpi=image.info.get("dpi", (72, 72)))
    return buffer.getvalue() if buffer.tell() < len(data) else data


def capture_figures() -> list[bytes]:
    """PNG bytes of every open Matplotlib figure, closing them as Jupyter's inline backend does."""
    import matplotlib.pyplot as plt

    images = []
    for number in plt.get_fignums():
        buffer = io.BytesIO()
        plt.figure(number).savefig(buffer, format="png", dpi=100, bbox_inches="tight")
        images.append(smaller_png(buffer.getvalue()))
    plt.close("all")
    return images


def reset_frameworks() -> None:
    """Forget state a previous example left behind (layer names, open figures)."""
    if "keras" in sys.modules:
        sys.modules["keras"].backend.clear_session()
    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")


def execute(path: Path, workdir: Path) -> tuple[list[Cell], dict[str, object], dict]:
    """Run ``workdir``'s copy of the example as a script there, cell by cell, then draw its
    figures in the other languages (``figures.redraw``); raise on error, stderr or warning.
    Tracebacks name ``path``, the file an author edits."""
    cells = split_cells(path.read_text(encoding="utf-8"))
    script = workdir / path.name
    main = types.ModuleType("__main__")  # as `python x.py`: the example is the main module
    main.__file__ = str(script)
    namespace: dict[str, object] = main.__dict__
    reset_frameworks()
    import matplotlib

    # The ids inside an SVG come from a hash salted with this; unset, it is random.
    matplotlib.rcParams["svg.hashsalt"] = path.stem
    stderr_file = workdir.parent / f"{workdir.name}.stderr"
    saved_stderr = os.dup(2)
    saved = os.getcwd(), sys.path[:], sys.argv[:], sys.modules["__main__"]
    os.chdir(workdir)
    # The script's folder first, and the project (where this runner lives) not at all.
    project = {"", str(ROOT), str(ROOT.resolve())}
    sys.path[:] = [str(workdir), *(p for p in sys.path if p not in project)]
    sys.argv[:] = [path.name]
    sys.modules["__main__"] = main
    # This runner's own modules are loaded but, like the project, not for the example to import.
    own = {n: sys.modules.pop(n) for n in list(sys.modules) if n.split(".")[0] == "sitebuild"}
    try:
        with open(stderr_file, "w+") as captured, warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            os.dup2(captured.fileno(), 2)

            def run(cell: Cell, source: str) -> list[bytes]:
                """Execute ``source`` as ``cell``; keep what it prints the first time it runs."""
                # Pad with blank lines so tracebacks point at the real line numbers.
                code = compile("\n" * (cell.first_line - 1) + source, str(path), "exec")
                stdout = io.StringIO()
                with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(sys.__stderr__):
                    exec(code, namespace)
                if id(cell) not in ran:
                    cell.stdout = stdout.getvalue()
                    ran.add(id(cell))
                return capture_figures()

            ran: set[int] = set()

            for cell in cells:
                before = figures.snapshot(workdir)
                cell.figures = run(cell, cell.source)
                cell.wrote = figures.written(before, figures.snapshot(workdir))
            try:
                drawn = figures.redraw(cells, run, workdir)
            except figures.LabelsError as error:
                raise RuntimeError(f"{path.name}: {error}") from None
            sys.stderr.flush()
            captured.seek(0)
            noise = captured.read().strip()
        if noise:
            raise RuntimeError(f"the example wrote to stderr:\n{noise}")
        if caught:
            shown = "\n".join(
                warnings.formatwarning(w.message, w.category, w.filename, w.lineno) for w in caught
            )
            raise RuntimeError(f"the example emitted warnings:\n{shown}")
    finally:
        os.dup2(saved_stderr, 2)
        os.close(saved_stderr)
        os.chdir(saved[0])
        sys.path[:], sys.argv[:], sys.modules["__main__"] = saved[1], saved[2], saved[3]
        sys.modules.update(own)
        stderr_file.unlink(missing_ok=True)
    return cells, namespace, drawn


def notebook(
    cells: list[Cell], language: str = figures.LANGUAGES[0], drawn: dict | None = None
) -> nbformat.NotebookNode:
    """The executed notebook: one code cell per section, with its printed text and figures;
    for another language its labels section and the figures drawn in it (``drawn``)."""
    nb = nbformat.v4.new_notebook()
    nb.metadata = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    }
    for count, cell in enumerate(cells, start=1):
        outputs = []
        source, images = cell.source, cell.figures
        if drawn is not None:
            images = drawn["figures"].get(cell.first_line, images)
            if cell.section == figures.LABELS:
                source = figures.localized(source, language)
        if cell.stdout:
            outputs.append(nbformat.v4.new_output("stream", name="stdout", text=cell.stdout))
        for png in images:
            data = {"image/png": base64.b64encode(png).decode(), "text/plain": "<Figure>"}
            outputs.append(nbformat.v4.new_output("display_data", data=data))
        code = nbformat.v4.new_code_cell(source, execution_count=count, outputs=outputs)
        code.id = f"cell-{count}"
        nb.cells.append(code)
    return nb


def copy_output(produced: Path, target: Path) -> None:
    """Copy a file the example wrote into the cache entry (PNGs in a smaller palette)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if produced.suffix == ".png":
        target.write_bytes(smaller_png(produced.read_bytes()))
    else:
        shutil.copyfile(produced, target)


def run_one(path: Path, cache_dir: Path) -> None:
    global _examples_run_here
    example = Example(path.stem, path, cache_key(path))
    final = example.entry(cache_dir)
    partial = final.parent / f"{final.name}.partial-{os.getpid()}"
    shutil.rmtree(partial, ignore_errors=True)
    print(f"{example.name}: running", flush=True)
    if log := os.environ.get(RUN_LOG):
        with open(log, "a") as runs:
            runs.write(f"{example.name} {example.key}\n")
    before = _examples_run_here
    _examples_run_here += 1
    with tempfile.TemporaryDirectory(prefix=f"example-{example.name}-") as tmp:
        workdir = Path(tmp) / "work"
        workdir.mkdir()
        # What a reader downloads: the example and the project modules it imports.
        for module in [path, *local_imports(path)]:
            shutil.copyfile(module, workdir / module.name)
        inputs = sorted(p.name for p in workdir.iterdir())
        started = time.monotonic()
        cells, namespace, drawn = execute(path, workdir)
        seconds = time.monotonic() - started
        folder = partial / "site" / "figures" / example.name
        folder.mkdir(parents=True)
        wrote = []
        for produced in sorted(workdir.rglob("*")):
            relative = produced.relative_to(workdir)
            if produced.is_file() and relative.as_posix() not in inputs:
                wrote.append(relative.as_posix())
                copy_output(produced, folder / relative)
        for language, found in drawn.items():  # the same files, drawn in another language
            own = partial / f"site-{language}" / "figures" / example.name
            for name in figures.written({}, figures.snapshot(found["folder"])):
                copy_output(found["folder"] / name, own / name)
    values = {
        name: converted
        for name, value in namespace.items()
        if not name.startswith("_") and (converted := json_value(value)) is not None
    }
    outputs = {cell.section: cell.stdout for cell in cells if cell.section}
    stdout = "".join(cell.stdout for cell in cells)
    run = {
        "command": f"python {path.name}",
        "folder": inputs,  # what the empty working folder held before the example ran
        "examples_before_in_process": before,
        "wrote": wrote,
    }
    results = {
        "values": values,
        "outputs": outputs,
        "stdout": stdout,
        "seconds": round(seconds, 1),
        "run": run,
        "cells": [{"section": cell.section, "source": cell.source} for cell in cells],
    }
    (partial / "results.json").write_text(json.dumps(results, indent=1))
    nbformat.write(notebook(cells), partial / "notebook.ipynb")
    for language, found in drawn.items():
        nb = notebook(cells, language, found)
        nbformat.write(nb, partial / figures.notebook_name(language))
    write_manifest(partial)
    # Replace the entry in one step and drop entries for older versions of the example.
    for old in final.parent.iterdir():
        if old != partial:
            shutil.rmtree(old, ignore_errors=True)
    partial.rename(final)
    print(f"{example.name} ran in {seconds:.1f} s", flush=True)


def example_traceback(error: BaseException, path: Path) -> str:
    """The traceback from the example's own first frame on, or the whole one if it has none."""
    tb = error.__traceback__
    while tb is not None and tb.tb_frame.f_code.co_filename != str(path.resolve()):
        tb = tb.tb_next
    return "".join(traceback.format_exception(type(error), error, tb or error.__traceback__))


def main(argv: list[str] | None = None) -> int:
    # TensorFlow's "frequent retracing" hint is about speed, not a fault in the example
    # (it fired when examples shared a process): keep it off stderr.
    logging.getLogger("tensorflow").setLevel(logging.ERROR)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache-dir", type=Path, required=True)
    parser.add_argument("examples", type=Path, nargs="+", help="one, for a fresh process each")
    args = parser.parse_args(argv)
    failed = []
    for path in args.examples:
        try:
            run_one(path.resolve(), args.cache_dir)
        except BaseException as error:  # report every failure, then fail once
            failed.append(path.stem)
            print(f"example {path.stem} failed:\n{example_traceback(error, path)}", file=sys.stderr)
    if failed:
        print(f"failed examples: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
