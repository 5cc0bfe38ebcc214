"""The example cache: run once, re-run only what changed, never trust a damaged entry.

These use tiny examples in a temporary folder (no TensorFlow), run by the real runner.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest

from sitebuild import examples

COUNTING = """\
from pathlib import Path

with open({counter!r}, "a") as log:
    log.write("{name}\\n")
# --8<-- [start:hello]
answer = 6 * 7
print("the answer is", answer)
# --8<-- [end:hello]
"""


def write_example(folder: Path, name: str, body: str | None = None) -> Path:
    path = folder / f"{name}.py"
    counter = str(folder.parent / "runs.log")
    path.write_text(body if body is not None else COUNTING.format(counter=counter, name=name))
    return path


def runs(folder: Path) -> list[str]:
    log = folder.parent / "runs.log"
    return log.read_text().split() if log.exists() else []


@pytest.fixture
def snippets(tmp_path: Path) -> Path:
    folder = tmp_path / "snippets"
    folder.mkdir()
    return folder


def test_each_example_runs_once_and_then_comes_from_the_cache(snippets: Path, tmp_path: Path):
    write_example(snippets, "first")
    write_example(snippets, "second")
    cache = tmp_path / "cache"

    results = examples.ensure_results(snippets, cache)
    again = examples.ensure_results(snippets, cache)

    assert sorted(runs(snippets)) == ["first", "second"]
    assert results["first"].values["answer"] == 42
    assert results["first"].outputs == {"hello": "the answer is 42\n"}
    assert again["first"].entry == results["first"].entry


def test_editing_one_example_reruns_only_that_one(snippets: Path, tmp_path: Path):
    write_example(snippets, "first")
    second = write_example(snippets, "second")
    cache = tmp_path / "cache"
    examples.ensure_results(snippets, cache)
    assert sorted(runs(snippets)) == ["first", "second"]  # side by side: either may log first

    second.write_text(second.read_text().replace("6 * 7", "6 * 8"))
    results = examples.ensure_results(snippets, cache)

    assert runs(snippets)[2:] == ["second"]
    assert results["second"].values["answer"] == 48
    assert len(list((cache / "second").iterdir())) == 1, "the stale entry was not removed"


def test_a_change_in_an_imported_project_module_reruns_the_example(snippets: Path, tmp_path: Path):
    (snippets / "_shared.py").write_text("FACTOR = 2\n")
    write_example(snippets, "user", "from _shared import FACTOR\nvalue = FACTOR * 21\n")
    cache = tmp_path / "cache"
    before = examples.discover(snippets)[0].key

    (snippets / "_shared.py").write_text("FACTOR = 3\n")

    assert examples.discover(snippets)[0].key != before
    assert [e.name for e in examples.discover(snippets)] == ["user"], "_shared is not an example"
    assert examples.ensure_results(snippets, cache)["user"].values["value"] == 63


@pytest.mark.parametrize(
    "damage",
    [
        lambda entry: (entry / "results.json").write_text('{"values": {"answer": 0}}'),
        lambda entry: (entry / "manifest.json").unlink(),
        lambda entry: (entry / "notebook.ipynb").write_text("{"),
        lambda entry: (entry / "stray.txt").write_text("left over"),
    ],
    ids=["edited-results", "no-manifest", "truncated-notebook", "unexpected-file"],
)
def test_a_damaged_entry_is_recomputed_not_used(snippets: Path, tmp_path: Path, damage):
    write_example(snippets, "first")
    cache = tmp_path / "cache"
    entry = examples.ensure_results(snippets, cache)["first"].entry

    damage(entry)
    results = examples.ensure_results(snippets, cache)

    assert runs(snippets) == ["first", "first"]
    assert results["first"].values["answer"] == 42


def test_a_half_written_entry_is_ignored(snippets: Path, tmp_path: Path):
    write_example(snippets, "first")
    cache = tmp_path / "cache"
    example = examples.discover(snippets)[0]
    partial = example.entry(cache)
    partial.mkdir(parents=True)
    (partial / "results.json").write_text('{"values": {"answer": 0}, "outputs": {}, "seconds": 0}')

    assert examples.ensure_results(snippets, cache)["first"].values["answer"] == 42


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("x = 1\n\n\nraise ValueError('broken on purpose')\n", "ValueError: broken on purpose"),
        ("import warnings\nwarnings.warn('careful', DeprecationWarning)\n", "careful"),
        ("import sys\nprint('noise', file=sys.stderr)\n", "wrote to stderr:\nnoise"),
    ],
    ids=["raises", "warns", "writes-stderr"],
)
def test_a_failing_example_is_named_with_its_traceback_and_not_cached(
    snippets: Path, tmp_path: Path, body: str, message: str
):
    write_example(snippets, "good")
    bad = write_example(snippets, "bad", body)
    cache = tmp_path / "cache"

    with pytest.raises(examples.ExampleError) as failure:
        examples.ensure_results(snippets, cache)

    text = str(failure.value)
    assert "example bad failed" in text
    assert message in text
    if "raise" in body:
        assert f'File "{bad}", line 4' in text, "the traceback points at the example's line"
    assert not (cache / "bad").exists() or not any((cache / "bad").iterdir())
    assert examples.load(examples.discover(snippets)[1], cache) is not None, "good still cached"


def test_the_notebook_holds_each_section_with_its_output_and_figures(snippets: Path, tmp_path):
    write_example(
        snippets,
        "plot",
        "# --8<-- [start:data]\nvalues = [1, 4, 9]\nprint(values)\n# --8<-- [end:data]\n"
        "# --8<-- [start:draw]\nimport matplotlib.pyplot as plt\n"
        "fig, ax = plt.subplots()\nax.plot(values)\nfig.savefig('plot.png')\n"
        "# --8<-- [end:draw]\n",
    )
    results = examples.ensure_results(snippets, tmp_path / "cache")["plot"]
    notebook = nbformat.read(results.notebook, as_version=4)

    assert notebook.cells[0].source == "values = [1, 4, 9]\nprint(values)"
    assert notebook.cells[0].outputs[0].text == "[1, 4, 9]\n"
    assert notebook.cells[1].outputs[0].output_type == "display_data"
    assert "image/png" in notebook.cells[1].outputs[0].data
    assert results.site_files == ["figures/plot/plot.png"]
    nbformat.validate(notebook)


def test_two_runs_write_identical_entries(snippets: Path, tmp_path: Path):
    """Same code, same results, byte for byte; only the measured run time may differ."""
    write_example(snippets, "first")
    one = examples.ensure_results(snippets, tmp_path / "one")["first"].entry
    two = examples.ensure_results(snippets, tmp_path / "two")["first"].entry

    assert (one / "notebook.ipynb").read_bytes() == (two / "notebook.ipynb").read_bytes()
    results = [json.loads((entry / "results.json").read_text()) for entry in (one, two)]
    for result in results:
        del result["seconds"]
    assert results[0] == results[1]


def test_an_svg_figure_is_the_same_file_on_every_run(snippets: Path, tmp_path: Path):
    """Matplotlib salts an SVG's ids at random and dates it today unless told otherwise."""
    write_example(
        snippets,
        "vector",
        "import matplotlib.pyplot as plt\n"
        "fig, ax = plt.subplots()\nax.plot([1, 4, 9], label='squares')\nax.legend()\n"
        "fig.savefig('vector.svg')\n",
    )
    one = examples.ensure_results(snippets, tmp_path / "one")["vector"]
    two = examples.ensure_results(snippets, tmp_path / "two")["vector"]

    assert one.site_files == ["figures/vector/vector.svg"]
    first, second = (r.entry / "site" / "figures" / "vector" / "vector.svg" for r in (one, two))
    svg = first.read_bytes()
    assert b"<clipPath id=" in svg, "the figure has ids, the part Matplotlib would randomize"
    assert svg == second.read_bytes()


# Each example runs as a reader would run it: `python x.py` in an empty folder, in a fresh
# process. These show that an example needing anything more fails (tests/snippets/
# test_standalone.py reads the real examples' records instead of running them again).

SCRIPT = """\
import sys
from pathlib import Path

import _helper

assert __name__ == "__main__" and sys.argv == ["script.py"], (__name__, sys.argv)
assert Path(__file__).parent == Path.cwd() == Path(sys.path[0])
Path("out.txt").write_text(_helper.TEXT)
"""


def test_an_example_runs_as_a_script_in_a_folder_with_only_it_and_its_imports(
    snippets: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
):
    (snippets / "_helper.py").write_text("TEXT = 'written'\n")
    (snippets / "_unrelated.py").write_text("")
    write_example(snippets, "script", SCRIPT)
    write_example(snippets, "second")
    caplog.set_level("INFO", logger="mkdocs.sitebuild")

    results = examples.ensure_results(snippets, tmp_path / "cache")

    assert results["script"].run == {
        "command": "python script.py",
        "folder": ["_helper.py", "script.py"],
        "examples_before_in_process": 0,
        "wrote": ["out.txt"],
    }
    assert results["script"].site_files == ["figures/script/out.txt"]
    assert results["second"].run["examples_before_in_process"] == 0
    logged = [r.getMessage() for r in caplog.records]
    assert any(re.fullmatch(r"examples: \[\d/2\] script ran in \d+\.\d s", m) for m in logged)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("print(open('_data.txt').read())\n", "FileNotFoundError"),
        (
            "from pathlib import Path\nprint(Path(__file__).with_name('_data.txt').read_text())\n",
            "FileNotFoundError",
        ),
        ("import importlib\nimportlib.import_module('_hidden')\n", "No module named '_hidden'"),
        ("import sitebuild.examples\n", "No module named 'sitebuild'"),
        ("import tools.hosting\n", "No module named 'tools'"),
    ],
    ids=[
        "file-beside-it",
        "file-beside-__file__",
        "module-not-imported-by-name",
        "runner",
        "tools",
    ],
)
def test_an_example_that_needs_more_than_itself_and_its_imports_fails(
    snippets: Path, tmp_path: Path, body: str, message: str
):
    (snippets / "_data.txt").write_text("beside the example\n")
    (snippets / "_hidden.py").write_text("")
    write_example(snippets, "needy", body)

    with pytest.raises(examples.ExampleError) as failure:
        examples.ensure_results(snippets, tmp_path / "cache")

    assert "example needy failed" in str(failure.value)
    assert message in str(failure.value)


def test_an_example_does_not_see_state_another_example_left(snippets: Path, tmp_path: Path):
    write_example(snippets, "a_leaves", "import json\n\njson.left_behind = 'state'\n")
    write_example(snippets, "b_reads", "import json\n\nprint(json.left_behind)\n")

    with pytest.raises(examples.ExampleError) as failure:
        examples.ensure_results(snippets, tmp_path / "cache")

    assert "example b_reads failed" in str(failure.value)
    assert "has no attribute 'left_behind'" in str(failure.value)
    assert "a_leaves" not in str(failure.value)


def test_the_progress_shows_the_last_run_time_when_there_is_one(
    snippets: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
):
    first = write_example(snippets, "first")
    cache = tmp_path / "cache"
    caplog.set_level("INFO", logger="mkdocs.sitebuild")
    examples.ensure_results(snippets, cache)
    assert "examples: [1/1] first: running (no cached run time)" in caplog.messages

    first.write_text(first.read_text().replace("6 * 7", "6 * 8"))
    caplog.clear()
    examples.ensure_results(snippets, cache)

    assert any(
        re.fullmatch(r"examples: \[1/1\] first: running \(last run \d+\.\d s\)", m)
        for m in caplog.messages
    ), caplog.messages
