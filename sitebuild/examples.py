"""Find the examples in ``snippets/``, key them, and keep their results in a checked cache.

An example is a complete program ``snippets/<name>.py``. Running it produces a
cache entry ``.cache/examples/<name>/<key>/`` holding:

- ``results.json``: the numbers the example left in its top-level variables,
  the text each named section printed, and how long it took;
- ``notebook.ipynb``: the example as an executed notebook;
- ``site/``: the files it wrote (figures), laid out as they appear on the site;
- ``manifest.json``: a SHA-256 of every file above, written last.

The key hashes everything that can change the results: the example's code,
the project modules it imports, the pinned requirements, the Python version
and this build glue. An entry whose manifest is missing or does not match its
files is treated as absent and computed again.
"""

from __future__ import annotations

import ast
import contextlib
import hashlib
import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SNIPPETS_DIR = ROOT / "snippets"
CACHE_DIR = Path(os.environ.get("SITEBUILD_CACHE_DIR", ROOT / ".cache" / "examples"))
MANIFEST = "manifest.json"

# Quiet TensorFlow's C++ logging (absl, oneDNN) so that nothing but the
# examples' own output reaches the build log, the pages and the notebooks.
EXAMPLE_ENV = {
    "TF_CPP_MIN_LOG_LEVEL": "2",
    "TF_ENABLE_ONEDNN_OPTS": "0",
    "MPLBACKEND": "Agg",
    "PYTHONHASHSEED": "0",
    "SOURCE_DATE_EPOCH": "0",  # the date Matplotlib writes into an SVG: fixed, not today
    "KERAS_BACKEND": "tensorflow",
}

log = logging.getLogger("mkdocs.sitebuild")


class ExampleError(RuntimeError):
    """One or more examples failed; the message names them and holds their tracebacks."""


@dataclass(frozen=True)
class Example:
    name: str
    path: Path
    key: str

    def entry(self, cache_dir: Path = CACHE_DIR) -> Path:
        return cache_dir / self.name / self.key


@dataclass(frozen=True)
class Results:
    """What one run of an example produced, read back from a verified cache entry."""

    name: str
    entry: Path
    values: dict[str, object]
    outputs: dict[str, str]  # section name -> what it printed
    stdout: str  # everything the example printed, in order
    seconds: float
    run: dict[str, object]  # how it ran: command, the folder's files before, what it wrote
    cells: list[dict[str, str | None]]  # in the order they ran: {"section": name, "source": code}

    @property
    def notebook(self) -> Path:
        return self.entry / "notebook.ipynb"

    @property
    def site_files(self) -> list[str]:
        """Paths, relative to the site root, of the files the example wrote."""
        site = self.entry / "site"
        return sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())


def discover(snippets_dir: Path = SNIPPETS_DIR) -> list[Example]:
    """Every ``*.py`` in ``snippets_dir`` not starting with ``_`` is an example."""
    paths = sorted(p for p in snippets_dir.glob("*.py") if not p.name.startswith("_"))
    return [Example(p.stem, p, cache_key(p)) for p in paths]


def local_imports(path: Path) -> list[Path]:
    """Project modules (files beside the example) that it imports, followed transitively."""
    found: list[Path] = []
    todo = [path]
    while todo:
        tree = ast.parse(todo.pop().read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names = [node.module]
            for name in names:
                candidate = path.parent / (name.split(".")[0] + ".py")
                if candidate.exists() and candidate not in found and candidate != path:
                    found.append(candidate)
                    todo.append(candidate)
    return sorted(found)


def cache_key(path: Path) -> str:
    digest = hashlib.sha256()
    inputs = [path, *local_imports(path), ROOT / "requirements.txt"]
    inputs += [Path(__file__)] + [Path(__file__).with_name(n) for n in ("runner.py", "figures.py")]
    for item in inputs:
        digest.update(item.name.encode() + b"\0")
        digest.update(item.read_bytes() if item.exists() else b"<missing>")
    digest.update(sys.version.encode())
    digest.update(json.dumps(EXAMPLE_ENV, sort_keys=True).encode())
    return digest.hexdigest()[:16]


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_manifest(entry: Path) -> None:
    files = sorted(p for p in entry.rglob("*") if p.is_file() and p.name != MANIFEST)
    manifest = {p.relative_to(entry).as_posix(): sha256_file(p) for p in files}
    (entry / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True))


def load(example: Example, cache_dir: Path = CACHE_DIR) -> Results | None:
    """The example's results if its cache entry is complete and intact, else ``None``."""
    entry = example.entry(cache_dir)
    try:
        manifest = json.loads((entry / MANIFEST).read_text())
        on_disk = {
            p.relative_to(entry).as_posix()
            for p in entry.rglob("*")
            if p.is_file() and p.name != MANIFEST
        }
        if on_disk != set(manifest) or any(
            sha256_file(entry / name) != digest for name, digest in manifest.items()
        ):
            raise ValueError("files do not match the manifest")
        data = json.loads((entry / "results.json").read_text())
        return Results(
            example.name,
            entry,
            data["values"],
            data["outputs"],
            data["stdout"],
            data["seconds"],
            data["run"],
            data["cells"],
        )
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as error:
        log.warning("examples: %s: discarding a damaged cache entry (%s)", example.name, error)
        shutil.rmtree(entry, ignore_errors=True)
        return None


def jobs() -> int:
    """How many examples run side by side: ``SITEBUILD_JOBS``, else one per core, at most 2."""
    return max(1, int(os.environ.get("SITEBUILD_JOBS") or min(2, os.cpu_count() or 1)))


def last_seconds(example: Example, cache_dir: Path = CACHE_DIR) -> float | None:
    """How long the example took when it last ran (any cached version of it), if known."""
    for results in sorted((cache_dir / example.name).glob("*/results.json")):
        with contextlib.suppress(OSError, ValueError, KeyError, TypeError):
            return float(json.loads(results.read_text())["seconds"])
    return None


def run(examples: list[Example], cache_dir: Path = CACHE_DIR) -> None:
    """Run each of ``examples`` in a fresh Python process of its own, :func:`jobs` at a time.

    Logs ``[k/N] name: running`` and ``[k/N] name ran in S s`` (with the last run's time, where
    a cached one exists), so a first build on a fresh clone shows how far it has got.
    """
    if not examples:
        return
    total, width = len(examples), jobs()
    estimates = {e.name: last_seconds(e, cache_dir) for e in examples}
    known = [s for s in estimates.values() if s is not None]
    if known:
        guess = f"about {sum(known) / width:.0f} s from the last run times of {len(known)}"
    else:
        guess = "no run time cached yet"
    log.info("examples: running %d, %d at a time (%s)", total, width, guess)
    env = {**os.environ, **EXAMPLE_ENV, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "sitebuild.runner", "--cache-dir", str(cache_dir)]
    # Longest first, so that the last one to finish is a short one.
    todo = sorted(examples, key=lambda e: -(estimates[e.name] or 0.0))
    running: dict[subprocess.Popen, tuple[int, Example, Path, float]] = {}
    failures: list[str] = []
    with tempfile.TemporaryDirectory(prefix="examples-") as reports:
        while todo or running:
            while todo and len(running) < width:
                example = todo.pop(0)
                number = total - len(todo)  # how many have started, this one included
                last = estimates[example.name]
                note = f"last run {last:.1f} s" if last is not None else "no cached run time"
                log.info("examples: [%d/%d] %s: running (%s)", number, total, example.name, note)
                # Failure reports go to a file, so a long report cannot block a pipe.
                report = Path(reports) / example.name
                with report.open("w") as stderr:
                    process = subprocess.Popen(
                        [*command, str(example.path)],
                        cwd=ROOT,
                        env=env,
                        stdout=subprocess.DEVNULL,
                        stderr=stderr,
                    )
                running[process] = (number, example, report, time.monotonic())
            time.sleep(0.05)
            for process in [p for p in running if p.poll() is not None]:
                number, example, report, began = running.pop(process)
                seconds = time.monotonic() - began
                if process.returncode == 0:
                    log.info(
                        "examples: [%d/%d] %s ran in %.1f s", number, total, example.name, seconds
                    )
                else:
                    log.info("examples: [%d/%d] %s failed", number, total, example.name)
                    text = report.read_text().strip()
                    failures.append(text or f"{example.name}: runner exited {process.returncode}")
    if failures:
        raise ExampleError("\n\n".join(failures))


def ensure_results(
    snippets_dir: Path = SNIPPETS_DIR, cache_dir: Path = CACHE_DIR
) -> dict[str, Results]:
    """Results of every example, running only those without a valid cache entry."""
    started = time.monotonic()
    examples = discover(snippets_dir)
    results = {e.name: r for e in examples if (r := load(e, cache_dir)) is not None}
    for name in results:
        log.info("examples: %s cached", name)
    stale = [e for e in examples if e.name not in results]
    run(stale, cache_dir)
    for example in stale:
        fresh = load(example, cache_dir)
        if fresh is None:
            raise ExampleError(f"{example.name}: the runner finished but left no valid results")
        results[example.name] = fresh
    if stale:
        log.info("examples: done in %.1f s", time.monotonic() - started)
    return results
