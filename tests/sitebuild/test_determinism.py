"""Two clean builds, each running the examples, produce the same site byte for byte.

The session's build (`built_site`) uses the project's caches; the second build
(`second_build`, tests/conftest.py) runs in a copy of the project with caches of its own,
so every example runs a second time in a fresh process and nothing the first build wrote
is reused. It starts in the background with the session; this test waits for it and
compares the two sites file by file: pages, figures, notebooks, search indexes,
everything. It is the one extra build.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import re
import time
from pathlib import Path

import pytest

from sitebuild import examples
from tests.conftest import NICENESS, BackgroundBuild, Build, waits_for_the_second_build

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


def test_two_clean_builds_are_byte_identical(
    built_site: Build, second_build: BackgroundBuild, tally
):
    status, output = second_build.wait()
    assert status == 0, output
    cache, site = second_build.cache, second_build.site
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


def test_the_tests_that_wait_for_the_second_build_run_after_every_other(
    request: pytest.FixtureRequest,
):
    """This session's order: once a test waits for the second build, none that does not
    follows it (it would wait for nothing, with the cores it could use left to the build)."""
    order = [waits_for_the_second_build(item) for item in request.session.items]
    if not any(order):
        pytest.skip("no test of this session waits for the second build")
    first = order.index(True)
    assert all(order[first:]), [
        item.nodeid
        for item in request.session.items[first:]
        if not waits_for_the_second_build(item)
    ][:5]


def test_the_background_build_yields_the_cores_and_stops_with_the_session(
    tmp_path: Path, monkeypatch
):
    """The build and every example it starts run at a low priority that takes effect: in
    this session's scheduling group (Linux's autogroup gives each session an equal share
    of the CPU, whatever its processes' nice). And `stop()` ends them all: nothing is left
    running (and burning the cores) after a session stopped by -x or Ctrl-C."""
    monkeypatch.delenv("SITEBUILD_RUN_LOG", raising=False)  # not one of the session's runs
    build = BackgroundBuild(tmp_path)
    group = build.process.pid
    try:
        deadline = time.monotonic() + 120
        while len(members(group)) < 3 and time.monotonic() < deadline:
            time.sleep(0.2)  # until the build has started its examples
        started = members(group)
        assert len(started) >= 3, f"no example started: {build.wait()[1]}"
        checked = 0
        for pid in started:
            try:
                nice, group = os.getpriority(os.PRIO_PROCESS, pid), scheduling_group(pid)
            except ProcessLookupError:
                continue  # it finished since it was listed
            assert nice >= NICENESS, f"{pid} runs at nice {nice}"
            assert group == scheduling_group(os.getpid()), (
                f"{pid} is in a scheduling group of its own ({group}): "
                "it takes half the CPU whatever its nice"
            )
            checked += 1
        assert checked >= 2, "the build and its examples were gone before they were checked"
    finally:
        build.stop()
    deadline = time.monotonic() + 10
    while members(group) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not members(group), "processes of the stopped build are still running"


def scheduling_group(pid: int) -> str:
    """A process's autogroup ("/autogroup-12 nice 0"); "" where the kernel has none.
    ProcessLookupError if the process has gone."""
    try:
        return Path(f"/proc/{pid}/autogroup").read_text().strip()
    except FileNotFoundError:
        if not Path(f"/proc/{pid}").exists():
            raise ProcessLookupError(pid) from None
        return ""
    except ProcessLookupError:  # ESRCH, a process exiting as it is read: not an OSError below
        raise
    except OSError:
        return ""


def members(group: int) -> list[int]:
    """The live processes of a process group (Linux: /proc/<pid>/stat, field 5)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == group and fields[0] != "Z":  # fields[0] is the state
            found.append(int(stat.parent.name))
    return found
