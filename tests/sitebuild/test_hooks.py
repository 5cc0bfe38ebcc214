"""The MkDocs adapter (sitebuild/hooks.py) in whole builds: a broken example or page stops
the build, loudly and by name, in either language."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tools.bench import copy_project


def test_a_broken_example_fails_the_build_with_its_name_and_traceback(tmp_path: Path):
    """Fault injection on a copy of the project, never on the real tree."""
    copy_project(tmp_path, without=("snippets",))  # the one snippet is the broken one below
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


def build_a_copy_with(project: Path, page: str, added: str) -> str:
    """Copy the project, append `added` to docs/`page`, run `mkdocs build --strict` on the
    copy with the session's example results; what it printed. The build must fail."""
    from tests.conftest import ROOT

    copy_project(project)
    source = project / "docs" / page
    source.write_text(source.read_text(encoding="utf-8") + f"\n\n{added}\n", encoding="utf-8")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    env["SITEBUILD_CACHE_DIR"] = str(ROOT / ".cache" / "examples")
    command = [sys.executable, "-m", "mkdocs", "build", "--strict"]
    done = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True)
    output = done.stdout + done.stderr
    assert done.returncode != 0, output
    return output


def processes_in(folder: Path) -> list[int]:
    """Processes whose working folder is `folder` (a forked build left running)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and Path(os.readlink(entry / "cwd")) == folder:
                found.append(int(entry.name))
        except OSError:
            continue
    return found


def test_a_fault_in_the_forked_chinese_build_fails_the_build_and_says_where(
    tmp_path: Path, built_site
):
    output = build_a_copy_with(tmp_path, "zh/index.md", "[坏链接](no-such-page.md)")

    assert "[zh] Doc file 'index.md' contains a link 'no-such-page.md'" in output, output
    assert "[zh] Aborted with" in output
    assert "the zh site failed to build: see the lines marked [zh]" in output
    assert not processes_in(tmp_path)


def test_a_failed_english_build_stops_the_chinese_one(tmp_path: Path, built_site):
    output = build_a_copy_with(tmp_path, "en/index.md", "{{ no_such_example.x }}")

    assert "there is no example named 'no_such_example'" in output
    assert not processes_in(tmp_path), "the forked zh build outlived the failed build"
    assert "[zh] Documentation built" not in output, "the zh build was not stopped"
