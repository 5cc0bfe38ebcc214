"""The ProperDocs canary: the whole site, built by ProperDocs instead of MkDocs, is the same.

ProperDocs is the maintained drop-in fork of MkDocs 1.6.1 (README, "How the site is
built"): the day MkDocs or Material stop being maintained, the site moves to it. Here it
builds the site the strict way, with the same plugins, hooks and example results, in
.venv-properdocs (`make setup`), and every file must equal the MkDocs build's, so every
test of that build holds for this one. Allowed to differ: the generator <meta>, which
names the tool, and the sitemap's build date (as in test_determinism).
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
from pathlib import Path

from tests.conftest import ROOT, Build
from tests.sitebuild.test_determinism import digests, normalized

PROPERDOCS = ROOT / ".venv-properdocs" / "bin" / "properdocs"
GENERATOR = re.compile(rb'<meta name="generator" content="[^"]*">')


def without_generator(site: Path) -> dict[str, str]:
    """``digests`` of every file, the HTML pages' generator <meta> left out."""
    found = digests(site)
    for page in site.rglob("*.html"):
        data = GENERATOR.sub(b"", normalized(page))
        found[page.relative_to(site).as_posix()] = hashlib.sha256(data).hexdigest()
    return found


def test_properdocs_builds_the_same_site(built_site: Build, tmp_path: Path, tally):
    assert PROPERDOCS.exists(), f"{PROPERDOCS} is missing: run `make setup`"
    site = tmp_path / "site"
    done = subprocess.run(
        [str(PROPERDOCS), "build", "--strict", "-f", "mkdocs.yml", "--site-dir", str(site)],
        cwd=ROOT,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert "[zh] Documentation built" in output, "ProperDocs did not build zh in its fork"
    generator = GENERATOR.search((site / "index.html").read_bytes())
    assert generator and b"ProperDocs" in generator[0], "the site was not built by ProperDocs"

    first, second = without_generator(built_site.site), without_generator(site)
    assert sorted(first) == sorted(second), "the two builds wrote different files"
    different = sorted(name for name in first if first[name] != second[name])
    assert not different, f"files that differ between MkDocs and ProperDocs: {different}"
    tally["files compared between the MkDocs and the ProperDocs build"] += len(first)
