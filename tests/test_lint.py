"""Python in this repository (snippets, build glue, tests) is ruff-clean and ruff-formatted."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT


def test_ruff_check():
    done = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "."], cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_ruff_format():
    done = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--check", "."],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
