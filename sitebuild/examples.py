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
    inputs += [Path(__file__), Path(__file__).with_name("runner.py")]  # how examples run
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
            example.name, entry, data["values"], data["outputs"], data["stdout"], data["seconds"]
        )
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as error:
        log.warning("examples: %s: discarding a damaged cache entry (%s)", example.name, error)
        shutil.rmtree(entry, ignore_errors=True)
        return None


def run(examples: list[Example], cache_dir: Path = CACHE_DIR) -> None:
    """Run ``examples`` in one fresh Python process, so TensorFlow is imported once."""
    if not examples:
        return
    command = [sys.executable, "-m", "sitebuild.runner", "--cache-dir", str(cache_dir)]
    command += [str(e.path) for e in examples]
    env = {**os.environ, **EXAMPLE_ENV, "PYTHONPATH": str(ROOT)}
    # stderr (failure reports) goes to a file, so a long report cannot block the pipe.
    with tempfile.TemporaryFile("w+") as errors:
        with subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=errors, text=True
        ) as runner:
            assert runner.stdout is not None
            for line in runner.stdout:  # live progress: "name: running", "name ran in 9.1 s"
                log.info("examples: %s", line.rstrip())
        errors.seek(0)
        report = errors.read().strip()
    if runner.returncode != 0:
        raise ExampleError(report or f"the example runner exited {runner.returncode}")


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
