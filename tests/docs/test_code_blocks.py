"""Every ```python program the pages show, both languages, runs (tests/docs/code_blocks.py).

Programs of included snippet sections are proved by the build's own run of the example
(checked statically: same sections, same order, same text); programs written in a page
run here, once per distinct program. No example runs again for this test.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

import markdown

from sitebuild import examples, figures
from tests.conftest import DOCS, LANGUAGES, ROOT, Build, mkdocs_config, source_pages
from tests.docs import code_blocks


def snippets_config(language: str = "en") -> dict:
    config = mkdocs_config()
    extensions = config["markdown_extensions"]  # a mapping: mkdocs.zh.yml merges into it
    assert "pymdownx.snippets" in extensions, "mkdocs.yml does not configure pymdownx.snippets"
    options = dict(extensions["pymdownx.snippets"])
    # The folder this language's build includes from, as sitebuild/hooks.py sets it.
    folder = figures.snippet_folder(examples.SNIPPETS_DIR, figures.SNIPPET_CACHE, language)
    options["base_path"] = [
        str(folder) if p == "snippets" else str(ROOT / p) for p in options["base_path"]
    ]
    return options


@functools.cache
def expand(text: str, language: str = "en") -> str:
    """`text` with its `--8<--` includes expanded by pymdownx.snippets, as the site does."""
    md = markdown.Markdown(
        extensions=["pymdownx.snippets"],
        extension_configs={"pymdownx.snippets": snippets_config(language)},
    )
    return "\n".join(md.preprocessors["snippet"].run(text.split("\n")))


def shown(include: str, language: str = "en") -> str:
    """The code one include line puts into a ```python block on the ``language`` site."""
    (block,) = code_blocks.programs(expand(f"```python\n{include}\n```\n", language), include)
    return block.code


def all_programs() -> list[code_blocks.Program]:
    found = []
    for lang in LANGUAGES:
        for page in source_pages(lang):
            text = (DOCS / lang / page).read_text(encoding="utf-8")
            found += code_blocks.programs(text, f"{lang}/{page.as_posix()}")
    return found


def test_included_programs_are_sections_the_build_ran_in_the_order_it_ran_them(
    built_site: Build, tally
):
    # The session's build ran the examples (or found them cached); these are its results.
    cells = {name: r.cells for name, r in examples.ensure_results().items()}
    included = [p for p in all_programs() if code_blocks.includes(p)]
    assert included, "no page includes a snippet section"

    problems = [
        m
        for p in included
        for m in code_blocks.check_included(
            p, cells, functools.partial(shown, language=code_blocks.page_language(p.page))
        )
    ]

    assert not problems, "\n".join(problems)
    sections = sum(len(code_blocks.includes(p) or []) for p in included)
    tally["included programs proved by the build's run (both languages)"] += len(included)
    tally["included code blocks matched to a section the build ran"] += sections


def test_programs_written_in_the_pages_run_once_each(tmp_path: Path, tally):
    inline = [p for p in all_programs() if not code_blocks.includes(p)]
    distinct = code_blocks.distinct_inline(inline)
    assert distinct, "no page has a program of its own (an exercise's answer)"

    passed, report = code_blocks.run_inline(
        distinct, tmp_path, {**os.environ, **examples.EXAMPLE_ENV}
    )

    assert passed, report
    tally["inline python programs in the pages (both languages)"] += len(inline)
    tally["distinct inline python programs run by pytest-codeblocks"] += len(distinct)


# Fault injection: each way a page can show a program the build did not run is caught.

RAN = {  # an example's cells in the order the build ran them
    "demo": [
        {"section": None, "source": '"""A docstring changes nothing."""'},
        {"section": "imports", "source": "import math"},
        {"section": "data", "source": "x = math.pi"},
        {"section": "aside", "source": "y = 2 * x\nprint(y)"},
        {"section": "show", "source": "def show():\n    print(x)\n\n\nshow()"},
    ],
    "other": [{"section": "imports", "source": "import json"}],
    "tab": [  # another framework's version, shown in a tab between demo's sections
        {"section": "imports", "source": "import math\nimport json"},
        {"section": "data", "source": "x = json.dumps(math.e)"},
    ],
}
SHOWN = {f'--8<-- "{n}.py:{c["section"]}"': c["source"] for n, cs in RAN.items() for c in cs}


def problems_of(page: str) -> list[str]:
    found = code_blocks.programs(page, "test.md")
    assert found, "the page has no program"
    return [m for p in found for m in code_blocks.check_included(p, RAN, SHOWN.__getitem__)]


def fence(include: str, cont: bool = True) -> str:
    return ("<!--pytest-codeblocks:cont-->\n\n" if cont else "") + f"```python\n{include}\n```\n\n"


def included(example: str, *sections: str, cont_first: bool = False) -> str:
    lines = [f'--8<-- "{example}.py:{s}"' for s in sections]
    return "".join(fence(line, cont=cont_first or i > 0) for i, line in enumerate(lines))


def test_a_page_showing_what_the_build_ran_passes():
    assert problems_of("Text.\n\n" + included("demo", "imports", "data", "show")) == []
    assert problems_of(included("demo", "imports", "data")) == [], "a prefix is a program"
    assert problems_of(included("demo", "imports", "data", "show")) == [], "aside is not needed"
    two = included("demo", "imports", "data") + included("other", "imports", cont_first=True)
    assert problems_of(two) == [], "one example's program, then another's"


def test_two_examples_may_take_turns_in_one_program():
    """Keras | PyTorch tabs: one program in which two examples alternate."""
    page = (
        included("demo", "imports", "data")
        + included("tab", "imports", cont_first=True)
        + included("demo", "show", cont_first=True)
    )
    assert problems_of(page) == [], "tab re-imports math, the same module demo reads"


def test_a_name_the_other_example_rebinds_in_between_fails():
    page = (
        included("demo", "imports", "data")
        + included("tab", "imports", "data", cont_first=True)
        + included("demo", "show", cont_first=True)
    )
    assert problems_of(page) == [
        "test.md:1: demo.py:show reads 'x', which tab.py:data, shown before it, rebinds"
    ]


def test_sections_shown_out_of_order_fail():
    found = problems_of(included("demo", "data", "imports", "show"))
    assert "not in an order the build ran them" in found[0]
    assert problems_of(included("demo", "imports", "show", "data"))


def test_leaving_out_a_section_whose_names_a_later_one_reads_fails():
    found = problems_of(included("demo", "imports", "show"))
    assert found == [
        "test.md:1: demo.py:show needs ['x'] from section ['data'], "
        "which the page does not show before it"
    ]
    assert "needs ['math']" in problems_of(included("demo", "data"))[0]


def test_a_missing_cont_marker_fails():
    page = fence('--8<-- "demo.py:imports"', cont=False) + fence('--8<-- "demo.py:data"', False)
    assert "needs ['math'] from section ['imports']" in " ".join(problems_of(page))


def test_a_section_or_example_the_build_did_not_run_fails():
    assert problems_of(included("demo", "imports", "nowhere"))
    assert "not an example the build ran" in problems_of(included("missing", "imports"))[0]
    assert "is not an include of one section" in problems_of(fence('--8<-- "demo.py"', False))[0]


def test_code_that_differs_from_what_the_build_ran_fails():
    program = code_blocks.programs(included("demo", "imports"), "test.md")[0]
    found = code_blocks.check_included(program, RAN, lambda include: "import cmath")
    assert "is not the code the build ran" in found[0]


def test_inline_code_continuing_included_sections_fails():
    page = included("demo", "imports") + "<!--pytest-codeblocks:cont-->\n\n```python\ny = 1\n```\n"
    assert "mixes included sections and inline code" in problems_of(page)[0]


def test_a_broken_inline_program_fails_and_a_good_one_passes(tmp_path: Path):
    (tmp_path / "good").mkdir()
    (tmp_path / "bad").mkdir()
    good = ["import math\nassert math.isclose(math.pi, 3.14159, rel_tol=1e-5)\n"]
    assert code_blocks.run_inline(good, tmp_path / "good", os.environ)[0]
    passed, report = code_blocks.run_inline([*good, "1 / 0\n"], tmp_path / "bad", os.environ)
    assert not passed
    assert "division by zero" in report


def test_an_answer_the_same_in_both_languages_runs_once_one_that_differs_twice():
    answer = "```python\nprint('same')\n```\n"
    en = code_blocks.programs(answer + "```python\nprint('hello')\n```\n", "en/x.md")
    zh = code_blocks.programs(answer + "```python\nprint('你好')\n```\n", "zh/x.md")
    included_too = code_blocks.programs(included("demo", "imports"), "en/y.md")
    distinct = code_blocks.distinct_inline(en + zh + included_too)
    assert len(en + zh) == 4
    assert distinct == ["print('hello')\n", "print('same')\n", "print('你好')\n"]


def test_a_real_page_with_two_sections_swapped_or_one_edited_fails(built_site: Build):
    """Fault injection on a real page and the build's real run of its example."""
    cells = {name: r.cells for name, r in examples.ensure_results().items()}
    text = (DOCS / "en" / "complete-example.md").read_text(encoding="utf-8")
    data, model = '--8<-- "complete_example.py:data"', '--8<-- "complete_example.py:model"'
    assert data in text and model in text

    def problems(page: str, show=shown) -> list[str]:
        found = code_blocks.programs(page, "en/complete-example.md")
        return [
            m
            for p in found
            if code_blocks.includes(p)
            for m in code_blocks.check_included(p, cells, show)
        ]

    assert problems(text) == []
    swapped = text.replace(data, "@@").replace(model, data).replace("@@", model)
    assert "not in an order the build ran them" in problems(swapped)[0]
    edited = problems(text, lambda include: shown(include) + "extra = 1\n")
    assert any("complete_example.py:model as the page shows it is not" in m for m in edited)


LABELS_RAN = {
    "drawn": [
        {"section": "labels", "source": 'LANGUAGE = "en"  # or "zh"\nTEXT = {"en": "Loss"}'},
    ]
}


def labels_problems(page: str, shows: str) -> list[str]:
    (program,) = code_blocks.programs(included("drawn", "labels"), page)
    return code_blocks.check_included(program, LABELS_RAN, lambda include: shows)


def test_a_page_in_another_language_shows_the_labels_with_only_its_language_line_changed():
    english = LABELS_RAN["drawn"][0]["source"]
    chinese = english.replace('LANGUAGE = "en"', 'LANGUAGE = "zh"')
    assert labels_problems("zh/x.md", chinese) == []
    assert labels_problems("en/x.md", english) == []
    assert labels_problems("zh/x.md", english), "a Chinese page showing the English labels"
    assert labels_problems("en/x.md", chinese), "an English page showing the Chinese labels"
    edited = chinese.replace('"Loss"', '"损失"')
    assert "is not the code the build ran" in labels_problems("zh/x.md", edited)[0]
