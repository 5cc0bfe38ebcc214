"""The session counts example runs (tests/conftest.py) and fails past two per example."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from sitebuild import examples
from tests import conftest


def session_with(log: Path) -> SimpleNamespace:
    """Enough of a pytest session for the hooks: a config whose stash holds the run log."""
    stash = {conftest.TALLY: conftest.Counter(), conftest.RUN_LOG: log}
    return SimpleNamespace(config=SimpleNamespace(stash=stash), exitstatus=pytest.ExitCode.OK)


def test_runs_are_counted_per_current_example_and_a_third_run_fails_the_session(tmp_path: Path):
    first, second = examples.discover()[:2]
    log = tmp_path / "runs.log"
    log.write_text(
        f"{first.name} {first.key}\n{first.name} {first.key}\n{second.name} {second.key}\n"
        f"{first.name} 0000000000000000\n"  # an older version of it: another program
    )
    session = session_with(log)

    assert conftest.example_runs(session.config)[first.name] == 2
    assert conftest.example_runs(session.config)[second.name] == 1
    conftest.pytest_sessionfinish(session, 0)
    assert session.exitstatus == pytest.ExitCode.OK, "two runs each is allowed"

    with log.open("a") as more:
        more.write(f"{first.name} {first.key}\n")
    conftest.pytest_sessionfinish(session, 0)
    assert session.exitstatus == pytest.ExitCode.TESTS_FAILED
