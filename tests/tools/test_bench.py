"""tools/bench.py: what a clean build and the timed `make test` start from."""

from __future__ import annotations

from pathlib import Path

from tools.bench import clear_build_caches


def test_a_clean_build_starts_without_any_build_cache_but_keeps_the_examples(tmp_path: Path):
    for name in ("examples", "search", "katex-fonts", "a-cache-added-later"):
        (tmp_path / ".cache" / name).mkdir(parents=True)
        (tmp_path / ".cache" / name / "entry").write_text("cached")

    clear_build_caches(tmp_path)

    assert sorted(p.name for p in (tmp_path / ".cache").iterdir()) == ["examples"]
    assert (tmp_path / ".cache" / "examples" / "entry").read_text() == "cached"


def test_the_timed_make_test_runs_in_a_fresh_clone_of_head(tmp_path: Path):
    """`make bench` times the suite as CI runs it: a clone of HEAD with no cache of any
    kind (the examples run again), the installed packages linked, not reinstalled."""
    import subprocess

    from tools.bench import ROOT, fresh_clone

    head = ["git", "rev-parse", "--short", "HEAD"]
    expected = subprocess.run(head, cwd=ROOT, capture_output=True, text=True).stdout.strip()

    commit = fresh_clone(tmp_path / "clone")

    assert commit == expected
    assert not (tmp_path / "clone" / ".cache").exists(), "the clone starts with caches"
    assert (tmp_path / "clone" / "snippets").is_dir() and (tmp_path / "clone" / ".git").is_dir()
    assert (tmp_path / "clone" / ".venv").resolve() == (ROOT / ".venv").resolve()
