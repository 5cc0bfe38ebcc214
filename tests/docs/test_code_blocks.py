"""Every ```python block in docs/, both languages, runs under pytest-codeblocks.

pytest-codeblocks cannot expand `--8<--` includes, so the pages are first
expanded with pymdownx.snippets itself (the same extension and settings the
site uses) into a temporary folder, and pytest-codeblocks runs there.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import markdown

from sitebuild import examples
from tests.conftest import DOCS, LANGUAGES, ROOT, mkdocs_config, source_pages


def snippets_config() -> dict:
    config = mkdocs_config()
    extensions = config["markdown_extensions"]  # a mapping: mkdocs.zh.yml merges into it
    assert "pymdownx.snippets" in extensions, "mkdocs.yml does not configure pymdownx.snippets"
    options = dict(extensions["pymdownx.snippets"])
    options["base_path"] = [str(ROOT / p) for p in options["base_path"]]
    return options


def expand(text: str) -> str:
    md = markdown.Markdown(
        extensions=["pymdownx.snippets"],
        extension_configs={"pymdownx.snippets": snippets_config()},
    )
    return "\n".join(md.preprocessors["snippet"].run(text.split("\n")))


def test_every_python_block_in_both_languages_runs(tmp_path: Path, tally):
    expected = 0
    for lang in LANGUAGES:
        for page in source_pages(lang):
            text = expand((DOCS / lang / page).read_text(encoding="utf-8"))
            target = tmp_path / "docs" / lang / page
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
            blocks = len(re.findall(r"^\s*```python\s*$", text, re.M))
            continued = len(re.findall(r"<!--pytest-codeblocks:cont-->", text))
            expected += blocks - continued
    assert expected > 0

    done = subprocess.run(
        [sys.executable, "-m", "pytest", "--codeblocks", "-p", "no:cacheprovider", "docs"],
        cwd=tmp_path,
        env={**os.environ, **examples.EXAMPLE_ENV},
        capture_output=True,
        text=True,
        timeout=1800,
    )
    summary = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""
    assert done.returncode == 0, done.stdout + done.stderr
    assert re.search(rf"\b{expected} passed\b", summary), f"expected {expected} blocks: {summary}"
    assert "skipped" not in summary
    tally["python code blocks run by pytest-codeblocks (both languages)"] += expected
