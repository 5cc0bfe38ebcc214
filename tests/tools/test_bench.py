"""tools/bench.py: what a clean build starts from."""

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
