"""The site build as a whole: a broken example stops it, loudly and by name."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

COPIED = [
    "mkdocs.yml",
    "mkdocs.zh.yml",
    "requirements.txt",
    "docs",
    "includes",
    "overrides",
    "sitebuild",
]


def test_a_broken_example_fails_the_build_with_its_name_and_traceback(tmp_path: Path):
    """Fault injection on a copy of the project, never on the real tree."""
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, tmp_path / name)
    (tmp_path / "node_modules").symlink_to(ROOT / "node_modules")
    (tmp_path / "snippets").mkdir()
    broken = tmp_path / "snippets" / "complete_example.py"
    broken.write_text("import math\n\nresult = math.sqrt(-1)  # injected fault\n")
    env = {k: v for k, v in os.environ.items() if k != "SITEBUILD_CACHE_DIR"}

    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict"],
        cwd=tmp_path,
        env={**env, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
    )

    output = done.stdout + done.stderr
    assert done.returncode != 0, output
    assert "example complete_example failed" in output
    assert f'File "{broken}", line 3' in output
    assert "ValueError: math domain error" in output
    assert not (tmp_path / "site" / "index.html").exists(), "a page was published anyway"
