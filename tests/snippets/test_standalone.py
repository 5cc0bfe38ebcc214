"""Every file in snippets/ runs on its own, as a reader would run it, and writes its figures.

The build's runner (sitebuild/runner.py) runs each example exactly that way: in a fresh
Python process of its own, as the main module, in an empty folder holding only the
example and the project modules it imports. Here we read what it recorded, so no example
runs again; tests/sitebuild/test_examples.py shows that an example which needs anything
else (a file beside it, a module it does not import by name, state another example left)
fails the build, and tests/sitebuild/test_determinism.py that a second run prints the same.
"""

from __future__ import annotations

import re

import pytest

from sitebuild import examples
from tests.conftest import DOCS, LANGUAGES, Build, source_pages

EXAMPLES = examples.discover()


def figures_the_pages_show(name: str) -> set[str]:
    found = set()
    for lang in LANGUAGES:
        for page in source_pages(lang):
            text = (DOCS / lang / page).read_text(encoding="utf-8")
            found |= set(re.findall(rf"figures/{name}/([\w./-]+?\.(?:svg|png|json))\b", text))
    return found


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.name for e in EXAMPLES])
def test_ran_alone_as_a_script_in_an_empty_folder_and_wrote_its_figures(
    example: examples.Example, built_site: Build, tally
):
    recorded = examples.ensure_results()[example.name]  # what the session's build ran
    run = recorded.run

    assert run["command"] == f"python {example.path.name}"
    assert run["examples_before_in_process"] == 0, "it shared a process with another example"
    travels = [example.path, *examples.local_imports(example.path)]
    assert run["folder"] == sorted(p.name for p in travels), "the folder held something else"
    site = [f.removeprefix(f"figures/{example.name}/") for f in recorded.site_files]
    assert run["wrote"] == site, "the entry's figures are not what the script wrote"
    if missing := figures_the_pages_show(example.name) - set(run["wrote"]):
        pytest.fail(f"pages show figures the script did not write: {sorted(missing)}")
    tally["examples recorded as run alone in an empty folder"] += 1
