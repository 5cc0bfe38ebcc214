"""Every file in snippets/ runs on its own, as a reader would run it, and reproduces the build."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sitebuild import examples

EXAMPLES = examples.discover()


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.name for e in EXAMPLES])
def test_runs_alone_in_an_empty_folder_and_prints_what_the_build_recorded(
    example: examples.Example, tmp_path: Path
):
    recorded = examples.ensure_results()[example.name]
    # Project modules the example imports travel with it, as in a reader's copy.
    for module in [example.path, *examples.local_imports(example.path)]:
        shutil.copy(module, tmp_path)
    done = subprocess.run(
        [sys.executable, example.path.name],
        cwd=tmp_path,
        env={**os.environ, **examples.EXAMPLE_ENV},
        capture_output=True,
        text=True,
        timeout=1200,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert done.stdout == recorded.stdout, "same code and seeds, same output"
    for relative in recorded.site_files:
        written = tmp_path / Path(relative).relative_to(f"figures/{example.name}")
        assert written.exists(), f"{example.name} did not write {written.name}"
