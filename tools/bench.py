"""`make bench`: how fast the site builds and how heavy its pages are, against budgets.

Writes BENCHMARKS.md and prints the same table. Every timing is the median of
several runs, and each budget that is a ratio is measured within this one run,
so the verdict holds on a noisy, shared machine. Not part of CI (README).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import json
import os
import platform
import re
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from sitebuild import examples, print_site  # noqa: E402

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
COPIED = [
    "mkdocs.yml",
    "mkdocs.zh.yml",
    "requirements.txt",
    "docs",
    "includes",
    "overrides",
    "sitebuild",
    "snippets",
]
# What the build logs when an example starts (sitebuild/examples.py, one line per runner
# process): "INFO    -  examples: [3/14] challenges: running (last run 39.8 s)".
RAN = re.compile(r"examples: \[\d+/\d+\] ([\w-]+): running")
Row = tuple[str, str, str, str]  # what, measured, budget, verdict


def median_of(runs: int, measure) -> tuple[float, list[float]]:
    values = [measure() for _ in range(runs)]
    return statistics.median(values), values


def timed(command: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, int, str]:
    """Wall time, peak RSS (bytes) of the largest process in the tree, and the output."""
    started = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stdout}{done.stderr}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    return seconds, peak, done.stdout + done.stderr


def clear_build_caches(cwd: Path) -> None:
    """Empty every folder a build keeps in .cache/ except the examples' results there (a
    benchmark passes its own through SITEBUILD_CACHE_DIR): no list to keep up to date."""
    for folder in (cwd / ".cache").glob("*"):
        if folder.is_dir() and folder.name != "examples":
            shutil.rmtree(folder, ignore_errors=True)


def build(site: Path, cache: Path, clean: bool, cwd: Path = ROOT) -> tuple[float, int, str]:
    if clean:
        shutil.rmtree(cache, ignore_errors=True)
        clear_build_caches(cwd)
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)]
    return timed(command, cwd, {**ENV, "SITEBUILD_CACHE_DIR": str(cache)})


def cpu_timed(command: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds (user + system, the forked zh build included) of a command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stdout}{done.stderr}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def patch_savings(site: Path, cache: Path, runs: int) -> list[str]:
    """A table: the warm build with every speed-up, then with each patch left out
    (SITEBUILD_SPEEDUPS_SKIP), median wall and CPU seconds; CPU time is steadier on a
    shared machine. The caches are warm: what each patch saves on the warm build.
    The configurations are interleaved, each round in a rotated order, so that a drift
    in the machine's speed falls on all of them alike."""
    from sitebuild import speedups

    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)]
    env = {**ENV, "SITEBUILD_CACHE_DIR": str(cache)}
    cpu_timed(command, ROOT, env)  # every cache warm
    skips = ["", *speedups.PATCHES]
    times: dict[str, list[tuple[float, float]]] = {skip: [] for skip in skips}
    for round_ in range(runs):
        print(f"timing: warm builds without each patch, round {round_ + 1} of {runs}", flush=True)
        for skip in skips[round_ % len(skips) :] + skips[: round_ % len(skips)]:
            times[skip].append(cpu_timed(command, ROOT, {**env, "SITEBUILD_SPEEDUPS_SKIP": skip}))

    def median(skip: str) -> tuple[float, float]:
        return (
            statistics.median(t[0] for t in times[skip]),
            statistics.median(t[1] for t in times[skip]),
        )

    base_wall, base_cpu = median("")
    lines = [
        "| warm build | wall (median) | CPU (median) | the patch saves (CPU) |",
        "|---|---|---|---|",
        f"| every speed-up on | {base_wall:.2f} s | {base_cpu:.2f} s | |",
    ]
    for patch, module in speedups.PATCHES.items():
        wall, cpu = median(patch)
        where = f"sitebuild/{Path(module.__file__).name}"
        saves = f"{cpu - base_cpu:+.2f} s"
        lines.append(f"| without {patch!r} ({where}) | {wall:.2f} s | {cpu:.2f} s | {saves} |")
    return lines


def tensorflow_import() -> float:
    code = "import time; t = time.perf_counter(); import tensorflow; print(time.perf_counter() - t)"
    env = {**ENV, **examples.EXAMPLE_ENV}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    return float(done.stdout.strip().splitlines()[-1])


def copy_project(to: Path, without: tuple[str, ...] = ()) -> Path:
    """What a build reads (COPIED, less `without`), copied to `to`; node_modules linked."""
    for name in COPIED:
        if name in without:
            continue
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, to / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, to / name)
    (to / "node_modules").symlink_to(ROOT / "node_modules")
    return to


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8", "replace")
    except OSError:
        return ""


def prose_edit_under_serve(cache: Path) -> tuple[float, bool]:
    """Seconds from saving a page to the served page showing the edit; did an example run?"""
    with tempfile.TemporaryDirectory() as tmp:
        project = copy_project(Path(tmp))
        port = free_port()
        log = open(project / "serve.log", "w+")  # noqa: SIM115 (closed with the folder)
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "mkdocs",
                "serve",
                "--dev-addr",
                f"127.0.0.1:{port}",
            ],
            cwd=project,
            env={**ENV, "SITEBUILD_CACHE_DIR": str(cache)},
            stdout=log,
            stderr=log,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 600  # the first build of a fresh copy, on a busy machine
            page_url = None
            while time.monotonic() < deadline and page_url is None:
                for prefix in ("/", "/dropout/"):
                    if "<html" in fetch(base + prefix):
                        page_url = base + prefix
                time.sleep(0.5)
            if page_url is None:
                log.seek(0)
                raise SystemExit("mkdocs serve did not come up:\n" + log.read()[-3000:])
            log.seek(0)
            before = log.read()
            page = project / "docs" / "en" / "index.md"
            marker = f"benchmark-edit-{time.time_ns()}"
            page.write_text(page.read_text(encoding="utf-8") + f"\n\n{marker}\n", encoding="utf-8")
            started = time.perf_counter()
            while marker not in fetch(page_url):
                if time.perf_counter() - started > 120:
                    raise SystemExit("the edit never appeared")
                time.sleep(0.05)
            seconds = time.perf_counter() - started
            time.sleep(1)
            log.seek(0)
            after = log.read()[len(before) :]
            return seconds, bool(RAN.search(after))
        finally:
            server.terminate()
            server.wait(timeout=30)
            log.close()


def edit_one_example(cache: Path) -> tuple[float, list[str]]:
    """Build once, change one example, build again: which examples ran the second time?"""
    with tempfile.TemporaryDirectory() as tmp:
        project = copy_project(Path(tmp))
        site = Path(tmp) / "out"
        build(site, cache, clean=False, cwd=project)  # warm: every example cached
        target = sorted((project / "snippets").glob("[!_]*.py"))[0]
        target.write_text(target.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
        seconds, _, output = build(site, cache, clean=False, cwd=project)
        return seconds, RAN.findall(output)


def page_weights(site: Path) -> dict[str, tuple[int, int, int]]:
    """(bytes transferred, bytes decoded, of the transferred: figures) on a first
    visit to each page, empty cache.

    Everything the browser fetches until the network is idle counts: HTML, CSS, JS,
    images, fonts, data, and requests from workers. The server compresses as GitHub
    Pages does (tools/hosting.py). Images below the first screen load only when the
    reader scrolls to them, so they are not part of a first visit, except on the
    print pages, where every figure loads at once (sitebuild/print_site.py).
    """
    from playwright.sync_api import sync_playwright

    from tools import hosting

    pages = sorted(
        p.parent.relative_to(site).as_posix() + "/"
        for p in site.rglob("index.html")
        if "search" not in p.parts
    )
    weights = {}
    with hosting.serve(site) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=shutil.which("chromium") or "/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu"],
        )
        for path in pages:
            path = "" if path == "./" else path
            context = browser.new_context()  # empty cache: the first visit
            page = context.new_page()
            responses = []

            def record(response, responses=responses):
                responses.append(response)

            context.on("response", record)  # the context also sees workers' requests
            page.goto(base + path, wait_until="networkidle")
            page.wait_for_timeout(500)
            transferred = decoded = figures = 0
            for response in responses:
                with contextlib.suppress(Exception):  # redirects have no body
                    decoded += len(response.body())
                    sent = response.request.sizes()["responseBodySize"]
                    transferred += sent
                    figures += sent if "/figures/" in response.url else 0
            weights[path or "/"] = (transferred, decoded, figures)
            context.close()
        browser.close()
    return weights


def fresh_clone(to: Path) -> str:
    """`git clone` of this project's HEAD at `to`, as CI checks it out: no build, page or
    example cache. What `make setup` installs (.venv, .venv-properdocs, node_modules) is
    linked from here rather than installed again; it is not what the suite's time is about.
    Returns the commit it holds."""
    subprocess.run(["git", "clone", "-q", str(ROOT), str(to)], check=True)
    for installed in (".venv", ".venv-properdocs", "node_modules"):
        if (ROOT / installed).exists():
            (to / installed).symlink_to(ROOT / installed)
    head = ["git", "rev-parse", "--short", "HEAD"]
    return subprocess.run(head, cwd=to, capture_output=True, text=True).stdout.strip()


def test_durations() -> dict[str, float]:
    """What `make test` runs (pytest) in a fresh clone of HEAD, as CI runs it, with
    per-test durations summed per file from its JUnit report."""
    work = Path(tempfile.mkdtemp(prefix="bench-test-"))
    clone = work / "clone"
    commit = fresh_clone(clone)
    status = ["git", "status", "--porcelain"]  # new files too: a clone lacks them as well
    dirty = subprocess.run(status, cwd=ROOT, capture_output=True, text=True).stdout.strip()
    report = work / "junit.xml"
    started = time.perf_counter()
    done = subprocess.run(
        [str(clone / ".venv" / "bin" / "pytest"), "-q", f"--junitxml={report}"],
        cwd=clone,
        env={**ENV, "CI": "true"},
        capture_output=True,
        text=True,
    )
    wall = time.perf_counter() - started
    if done.returncode != 0:  # the timing still counts; what failed must be seen
        print(done.stdout[-4000:] + done.stderr[-2000:], flush=True)
    if not report.exists():
        raise SystemExit(f"make test in the fresh clone wrote no JUnit report:\n{done.stderr}")
    per_file = durations_from_junit(report, source=f"a fresh clone of {commit}")
    if dirty:
        per_file["(uncommitted changes were not in that clone)"] = 0.0
    per_file["(total, wall)"] = wall
    shutil.rmtree(work, ignore_errors=True)
    return per_file


def durations_from_junit(path: Path, source: str = "") -> dict[str, float]:
    """Per-file seconds from a JUnit XML report of a real `make test` run
    (`pytest --junitxml=FILE`): this run's, or one that already ran on this machine."""
    import xml.etree.ElementTree as ET

    suite = ET.parse(path).getroot()
    suite = suite if suite.tag == "testsuite" else suite.find("testsuite")
    per_file: dict[str, float] = defaultdict(float)
    for case in suite.iter("testcase"):
        module = case.get("classname", "").split(".")
        while module and module[-1][:1].isupper():  # a test class, not a file
            module.pop()
        per_file["/".join(module) + ".py"] += float(case.get("time", 0))
    per_file["(total, wall)"] = float(suite.get("time", 0))
    counts = ", ".join(f"{suite.get(k)} {k}" for k in ("tests", "failures", "errors", "skipped"))
    where = source or "JUnit report of a `make test` run"
    per_file[f"(result: {counts}; {where})"] = 0.0
    return dict(per_file)


DURATIONS_HEADING = "`make test` (pytest) by test file, seconds (setup + call + teardown):"


def durations_table(durations: dict[str, float]) -> list[str]:
    rows = sorted(durations.items(), key=lambda kv: -kv[1])
    return [DURATIONS_HEADING, "", "| file | s |", "|---|---|"] + [
        f"| {name} | {seconds:.1f} |" for name, seconds in rows
    ]


def replace_durations(text: str, durations: dict[str, float]) -> str:
    """BENCHMARKS.md with its test-duration table replaced (or added before the notes)."""
    lines = text.split("\n")
    table = durations_table(durations)
    if DURATIONS_HEADING in lines:
        start = lines.index(DURATIONS_HEADING)
        end = start + 2
        while end < len(lines) and lines[end].startswith("|"):
            end += 1
        return "\n".join(lines[:start] + table + lines[end:])
    head, marker, tail = text.partition("<!-- bench:notes -->")
    return head.rstrip("\n") + "\n\n" + "\n".join(table) + "\n\n" + marker + tail


def machine() -> str:
    cpu = "?"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (
        f"{platform.node()}: {os.cpu_count()} cores ({cpu}), {memory:.0f} GiB, "
        f"{platform.platform()}, Python {platform.python_version()}, load average {load} "
        "at the start"
    )


def verdict(ok: bool) -> str:
    return "met" if ok else "**missed**"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--skip-tests", action="store_true", help="do not time the test suite")
    parser.add_argument(
        "--durations-from",
        type=Path,
        help="per-file test times from this JUnit XML of a `make test` run, instead of a new run",
    )
    parser.add_argument(
        "--tests-only",
        action="store_true",
        help="with --durations-from: only replace BENCHMARKS.md's test-duration table",
    )
    parser.add_argument(
        "--patches-only",
        action="store_true",
        help="only time the warm build without each speed-up patch (prints the table)",
    )
    args = parser.parse_args()
    if args.patches_only:
        work = Path(tempfile.mkdtemp(prefix="bench-"))
        print("\n".join(patch_savings(work / "site", ROOT / ".cache" / "examples", args.runs)))
        return
    if args.tests_only:
        target = ROOT / "BENCHMARKS.md"
        durations = durations_from_junit(args.durations_from)
        target.write_text(replace_durations(target.read_text(encoding="utf-8"), durations))
        print("\n".join(durations_table(durations)))
        return
    started = datetime.datetime.now(datetime.UTC)
    about = machine()
    rows: list[Row] = []
    notes: list[str] = []
    work = Path(tempfile.mkdtemp(prefix="bench-"))
    cache, site = work / "cache", work / "site"

    print("timing: TensorFlow import", flush=True)
    tf_import, _ = median_of(args.runs, tensorflow_import)
    print("timing: clean builds", flush=True)
    clean_runs = [build(site, cache, clean=True) for _ in range(args.runs)]
    clean = statistics.median(r[0] for r in clean_runs)
    peak = max(r[1] for r in clean_runs)
    compute = sum(
        json.loads((e.entry(cache) / "results.json").read_text())["seconds"]
        for e in examples.discover()
    )
    floor = tf_import + compute
    rows.append(("TensorFlow import (median)", f"{tf_import:.1f} s", "", ""))
    rows.append(("examples' own compute (runner's `seconds`, sum)", f"{compute:.1f} s", "", ""))
    rows.append(
        (
            "clean build, both languages (median)",
            f"{clean:.1f} s = {clean / floor:.2f} × T_floor ({floor:.1f} s)",
            "≤ 1.3 × T_floor",
            verdict(clean <= 1.3 * floor),
        )
    )
    print("timing: warm builds", flush=True)
    warm, _ = median_of(args.runs, lambda: build(site, cache, clean=False)[0])
    rows.append(
        (
            "warm build, nothing changed (median)",
            f"{warm:.1f} s = {warm / clean:.2f} × clean",
            "≤ 3 s and ≤ 0.1 × clean",
            verdict(warm <= 3 and warm <= 0.1 * clean),
        )
    )
    rows.append(
        (
            "peak memory of a clean build (largest process)",
            f"{peak / 2**30:.2f} GB",
            "≤ 2 GB",
            verdict(peak <= 2 * 2**30),
        )
    )
    notes.append(
        "What each speed-up patch saves on the warm build (sitebuild/speedups.py):\n\n"
        + "\n".join(patch_savings(site, cache, args.runs))
    )
    print("timing: a prose edit under mkdocs serve", flush=True)
    reload_times, ran_any = [], False
    for _ in range(args.runs):
        seconds, ran = prose_edit_under_serve(cache)
        reload_times.append(seconds)
        ran_any |= ran
    reload = statistics.median(reload_times)
    rows.append(
        (
            "prose edit under `mkdocs serve`: page shows it (median)",
            f"{reload:.1f} s; examples run: {'yes' if ran_any else 'none'}",
            "≤ 3 s, no example runs",
            verdict(reload <= 3 and not ran_any),
        )
    )
    print("timing: editing one example", flush=True)
    edit_seconds, ran = edit_one_example(cache)
    target = examples.discover()[0].name
    rows.append(
        (
            "edit one example: examples that re-ran",
            f"{', '.join(ran) or 'none'} ({edit_seconds:.1f} s)",
            f"only {target}",
            verdict(ran == [target]),
        )
    )
    print("measuring: page weight", flush=True)
    weights = page_weights(site)
    heaviest = sorted(weights.items(), key=lambda kv: -kv[1][0])
    reading = [(p, w) for p, w in heaviest if not p.endswith(print_site.PRINT_PAGE)]
    printing = [(p, w) for p, w in heaviest if p.endswith(print_site.PRINT_PAGE)]
    reading_over = [p for p, (sent, _, _) in reading if sent > 400 * 1024]
    printing_over = [p for p, (sent, _, figures) in printing if sent - figures > 400 * 1024]
    over = reading_over + printing_over
    rows.append(
        (
            "page weight, every reading page, both languages: transferred (heaviest three)",
            "; ".join(f"`{p}` {sent / 1024:.0f} KB" for p, (sent, _, _) in reading[:3]),
            "≤ 400 KB each",
            verdict(not reading_over),
        )
    )
    rows.append(
        (
            "print pages (the whole site in one page; its figures load at once, so "
            "that every browser prints them): transferred, of which figures",
            "; ".join(
                f"`{p}` {sent / 1024:.0f} KB, figures {figures / 1024:.0f} KB"
                for p, (sent, _, figures) in printing
            ),
            "≤ 400 KB each without its figures",
            verdict(not printing_over),
        )
    )
    by_decoded = sorted(weights.items(), key=lambda kv: -kv[1][1])
    rows.append(
        (
            "the same pages decoded, as the browser parses them (heaviest three)",
            "; ".join(f"`{p}` {size / 1024:.0f} KB" for p, (_, size, _) in by_decoded[:3]),
            "",
            "",
        )
    )
    if over:
        notes.append(f"Pages over their budget: {', '.join(f'`{p}`' for p in over)}.")
    print("measuring: Lighthouse", flush=True)
    from tools import lighthouse

    audits = lighthouse.scores(site)
    rows.append(
        (
            "Lighthouse 12, mobile: home, complete example, notebook, interactive; en + zh",
            "table below",
            "perf ≥ 95, a11y 100, best practices 100, SEO ≥ 95",
            verdict(lighthouse.all_met(audits)),
        )
    )
    notes.append(
        "Lighthouse (mobile emulation, simulated throttling):\n\n" + lighthouse.table(audits)
    )
    if args.durations_from:
        durations = durations_from_junit(args.durations_from)
    else:
        durations = {} if args.skip_tests else test_durations()

    if "(total, wall)" in durations:
        # issue 16: make test costs at most half again the two clean runs of every
        # example it needs (the session's build and the determinism rebuild). The
        # rebuild is a clean build too, run in the background from the session's start
        # (tests/conftest.py), so its test's duration is only the wait at the end: the
        # clean build measured above stands for it.
        total = durations["(total, wall)"]
        rebuild = clean
        budget = 1.5 * (clean + rebuild)
        rows.append(
            (
                "`make test` (pytest, wall)",
                f"{total:.0f} s = {total / (clean + rebuild):.2f} × (clean build {clean:.0f} s "
                f"+ determinism rebuild {rebuild:.0f} s)",
                "≤ 1.5 × (clean build + determinism rebuild)",
                verdict(total <= budget),
            )
        )
    table = ["| what | measured | budget | verdict |", "|---|---|---|---|"]
    table += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows]
    lines = [
        "# Benchmarks",
        "",
        f"Measured by `make bench` on {started:%Y-%m-%d %H:%M} UTC, {args.runs} run(s) of each "
        "timing (the median where more than one), on",
        f"{about}.",
        "",
        *table,
        "",
        "All pages, first visit with an empty cache, served compressed as GitHub Pages",
        "serves them (KB transferred; KB decoded, what the browser parses):",
        "",
        "| page | transferred KB | decoded KB |",
        "|---|---|---|",
        *[f"| `{p}` | {sent / 1024:.0f} | {size / 1024:.0f} |" for p, (sent, size, _) in heaviest],
    ]
    if durations:
        lines += ["", *durations_table(durations)]
    for note in notes:  # a blank line before each: a note's first line must not join a table
        lines += ["", note]
    text = "\n".join(lines) + "\n"
    marker = "<!-- bench:notes -->"
    target_file = ROOT / "BENCHMARKS.md"
    kept = ""
    if target_file.exists() and marker in target_file.read_text(encoding="utf-8"):
        kept = target_file.read_text(encoding="utf-8").split(marker, 1)[1]
    target_file.write_text(text + "\n" + marker + kept, encoding="utf-8")
    print(text)
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
