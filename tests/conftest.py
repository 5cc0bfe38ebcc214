"""Shared fixtures: one strict build of the whole site, a local server for it, a browser."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from tools import hosting

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
LANGUAGES = {"en": "", "zh": "zh/"}  # language -> its folder in the built site
SCREENSHOTS = ROOT / "screenshots"


TALLY = pytest.StashKey[Counter]()
RUN_LOG = pytest.StashKey[Path]()
MAX_RUNS = 2  # per example and `make test`: the session's build and the determinism rebuild


def pytest_configure(config: pytest.Config) -> None:
    config.stash[TALLY] = Counter()
    # The runner appends "name key" here for every example it runs, in every build and
    # test of this session (sitebuild/runner.py, RUN_LOG): the summary counts them.
    handle, name = tempfile.mkstemp(prefix="example-runs-", suffix=".log")
    os.close(handle)
    config.stash[RUN_LOG] = Path(name)
    os.environ["SITEBUILD_RUN_LOG"] = name


def example_runs(config: pytest.Config) -> Counter:
    """How often each of the project's examples, as it is now, ran during this session."""
    log = config.stash.get(RUN_LOG, None)
    if log is None or not log.exists():
        return Counter()
    from sitebuild import examples

    current = {(e.name, e.key) for e in examples.discover()}
    lines = (tuple(line.split()) for line in log.read_text().splitlines())
    counts = Counter(name for name, key in lines if (name, key) in current)
    return Counter({e.name: counts[e.name] for e in examples.discover()})


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """More than MAX_RUNS runs of an example in one session fails it."""
    runs = example_runs(session.config)
    if over := sorted(name for name, count in runs.items() if count > MAX_RUNS):
        session.config.stash[TALLY]["examples run more than twice (a failure)"] += len(over)
        print(f"\nexamples run more than {MAX_RUNS} times in this session: {over}")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture
def tally(request: pytest.FixtureRequest) -> Counter:
    """What a test checked (pages, links, code blocks, browser checks), summed for the summary."""
    return request.config.stash[TALLY]


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    """Say how much was checked, so a log shows that nothing was quietly left out."""
    counts = config.stash.get(TALLY, Counter())
    runs = example_runs(config)
    if any(runs.values()):
        counts["example runs, all builds and tests together"] = sum(runs.values())
        counts[f"most runs of one example (at most {MAX_RUNS})"] = max(runs.values())
    terminalreporter.section("what was checked")
    if not counts:
        terminalreporter.write_line("nothing recorded (no test that counts its checks ran)")
    for what, count in sorted(counts.items()):
        terminalreporter.write_line(f"{count:6d}  {what}")


@dataclass(frozen=True)
class Build:
    site: Path
    output: str  # everything the build printed


def build_command(site: Path) -> list[str]:
    return [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)]


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """`mkdocs build --strict` into a temporary folder, as `make build` does."""
    site = tmp_path_factory.mktemp("site")
    done = subprocess.run(
        build_command(site),
        cwd=ROOT,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, f"the site build failed:\n{output}"
    return Build(site, output)


def waits_for_the_second_build(item: pytest.Item) -> bool:
    return "second_build" in getattr(item, "fixturenames", ())


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The tests that wait for the second clean build run last, every other test before
    them: while they wait, no test can run, and the build (at a low priority) has only
    the cores the tests left idle until then."""
    items.sort(key=waits_for_the_second_build)  # stable: the others keep their order


def pytest_collection_finish(session: pytest.Session) -> None:
    """If a collected test needs the second clean build (`second_build`), start it now, in
    the background: it runs beside the session's build and the tests after it."""
    if session.config.option.collectonly:
        return
    if any(waits_for_the_second_build(item) for item in session.items):
        folder = Path(tempfile.mkdtemp(prefix="second-build-"))
        second = BackgroundBuild(folder)
        session.config.stash[SECOND_BUILD] = second
        session.config.add_cleanup(lambda: (second.stop(), shutil.rmtree(folder, True)))


NICENESS = 10  # the second build's; every example it starts inherits it


class BackgroundBuild:
    """A second clean build, in a copy of the project of its own (`tools.bench.copy_project`,
    with the same git history for the pages' dates) and so with every cache of its own:
    every example runs again in a fresh process, and nothing the session's build wrote is
    reused. It starts with the session, in the background, and runs beside the session's
    build and the tests: they leave part of the two cores idle, and its examples fill it.
    It runs at a lower priority (nice 10), so the session's build and the tests beside it
    keep theirs: in a process group of its own, but in the session's session, because Linux
    (autogroup) splits the CPU equally between sessions whatever their processes' nice."""

    def __init__(self, folder: Path) -> None:
        from tools.bench import copy_project

        (folder / "project").mkdir()
        project = copy_project(folder / "project")
        if (ROOT / ".git").exists():
            (project / ".git").symlink_to(ROOT / ".git")
        self.site, self.cache, self.log = folder / "site", folder / "cache", folder / "build.log"
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SITEBUILD_CACHE_DIR": str(self.cache)}
        with self.log.open("w") as log:
            self.process = subprocess.Popen(
                ["nice", "-n", str(NICENESS), *build_command(self.site)],
                cwd=project,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                process_group=0,  # its own process group: stop() ends the examples too
            )

    def wait(self) -> tuple[int, str]:
        """Its exit status and everything it printed, once it is done."""
        return self.process.wait(), self.log.read_text(encoding="utf-8", errors="replace")

    def stop(self) -> None:
        """A session that ends before the build does (-x, Ctrl-C) leaves nothing running."""
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait()


SECOND_BUILD = pytest.StashKey[BackgroundBuild]()


@pytest.fixture(scope="session")
def second_build(request: pytest.FixtureRequest) -> BackgroundBuild:
    """The second clean build (`BackgroundBuild`), started with the session; waiting for
    it is up to the test."""
    return request.config.stash[SECOND_BUILD]


class _ConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml safely; tags such as !!python/name: (emoji, superfences) become None."""


_ConfigLoader.add_multi_constructor("", lambda loader, suffix, node: None)
_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def mkdocs_config(name: str = "mkdocs.yml") -> dict:
    return yaml.load((ROOT / name).read_text(encoding="utf-8"), Loader=_ConfigLoader)


def source_pages(language: str) -> list[Path]:
    """Markdown pages of one language, relative to its docs folder."""
    folder = DOCS / language
    return sorted(p.relative_to(folder) for p in folder.rglob("*.md"))


def page_url(page: Path) -> str:
    """Where a docs page lands in the site, relative to its language root."""
    stem = page.with_suffix("").as_posix()
    if stem == "index":
        return ""
    return (stem[: -len("/index")] if stem.endswith("/index") else stem) + "/"


def serve(directory: Path):
    """Serve a folder on a free local port, compressed as GitHub Pages serves it; yields its URL."""
    return hosting.serve(directory)


def load_lazy_images(page) -> None:
    """Fetch every lazy image now, as a reader scrolling through (or printing) the page would."""
    page.eval_on_selector_all("img[loading=lazy]", "imgs => imgs.forEach(i => i.loading = 'eager')")
    page.wait_for_function("[...document.querySelectorAll('img')].every(i => i.complete)")


@pytest.fixture(scope="session")
def site_url(built_site: Build) -> Iterator[str]:
    """The built site served on a free local port."""
    with serve(built_site.site) as url:
        yield url


CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def find_chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        if path := shutil.which(name):
            return path
    return None


def chromium_or_skip() -> str:
    """Chromium's path. Missing: a skip with the reason, or with CI=true a failure."""
    executable = find_chromium()
    if executable is None:
        reason = "no Chromium found (make test installs Debian's chromium when run as root)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true and {reason}")
        pytest.skip(reason)
    return executable


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Headless Chromium via Playwright. Missing: a skip with the reason, or a failure in CI."""
    executable = chromium_or_skip()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def desktop(browser) -> Iterator[object]:
    """A 1280 × 900 browser context shared by a test file's tests, each opening its own
    page in it: a context costs more to make than a page."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context
    context.close()


def pytest_unconfigure(config: pytest.Config) -> None:
    if (log := config.stash.get(RUN_LOG, None)) is not None:
        log.unlink(missing_ok=True)
