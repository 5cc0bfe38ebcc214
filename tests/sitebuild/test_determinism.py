"""Two clean builds, each running the examples, produce the same site byte for byte.

The session's build (`built_site`) uses the project's example cache; this test builds
again with an empty cache of its own (SITEBUILD_CACHE_DIR), so every example runs a
second time in a fresh process, and compares the two sites file by file: pages, figures,
notebooks, search indexes, everything. Slow on purpose: it is the one extra build.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import re
import subprocess
import sys
from pathlib import Path

from sitebuild import examples
from tests.conftest import ROOT, Build

# Files allowed to differ, with the reason; each is still compared in a normalized form.
ALLOWED = {
    # MkDocs writes the build date as every URL's <lastmod>: two builds either side of
    # midnight differ there. Compared without the <lastmod> elements.
    "sitemap.xml": "lastmod is the build date",
    # gzip stores the time of compression in its header; compared decompressed (and
    # without <lastmod>, as sitemap.xml).
    "sitemap.xml.gz": "gzip header holds the build time",
}
LASTMOD = re.compile(rb"<lastmod>[^<]*</lastmod>")


def normalized(path: Path) -> bytes:
    data = path.read_bytes()
    if path.name not in ALLOWED:
        return data
    if path.suffix == ".gz":
        data = gzip.decompress(data)
    return LASTMOD.sub(b"", data)


def digests(site: Path) -> dict[str, str]:
    return {
        p.relative_to(site).as_posix(): hashlib.sha256(normalized(p)).hexdigest()
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }


def test_two_clean_builds_are_byte_identical(built_site: Build, tmp_path: Path, tally):
    cache, site = tmp_path / "cache", tmp_path / "site"
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=ROOT,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "SITEBUILD_CACHE_DIR": str(cache)},
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    ran = sorted(p.name for p in cache.iterdir()) if cache.exists() else []
    assert ran == sorted(e.name for e in examples.discover()), "not every example ran again"

    first, second = digests(built_site.site), digests(site)
    assert sorted(first) == sorted(second), "the two builds wrote different files"
    different = sorted(name for name in first if first[name] != second[name])
    assert not different, f"files that differ between two clean builds: {different}"
    for allowed in ALLOWED:
        assert any(Path(n).name == allowed for n in first), f"{allowed}: no longer built"
    tally["files compared across two clean builds"] += len(first)
    tally["examples run twice for determinism"] += len(ran)
