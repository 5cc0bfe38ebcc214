"""Every formula of an English page is on its Chinese page too: same order, same TeX.

Only the words in `\\text{…}` may differ (they are translated); everything else in
a formula is the same symbols in both languages. A lint fix once changed two
English formulas and not their Chinese twins (`}_{` became `}*{`, commit 4eb72d4):
this is the test that catches that.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tests.conftest import DOCS, source_pages
from tests.docs.test_markdown import without_code

# arithmatex (generic) as the pages write it: \( … \) inline, \[ … \] displayed.
FORMULA = re.compile(r"\\\[(?P<display>.*?)\\\]|\\\((?P<inline>.*?)\\\)", re.S)
TEXT = re.compile(r"\\text\s*\{")


def without_text_bodies(tex: str) -> str:
    """The formula with what is inside each `\\text{…}` blanked (braces nest)."""
    out, at = [], 0
    for match in TEXT.finditer(tex):
        if match.start() < at:
            continue  # a \text inside a \text already blanked
        depth, end = 1, match.end()
        while end < len(tex) and depth:
            depth += {"{": 1, "}": -1}.get(tex[end], 0)
            end += 1
        out.append(tex[at : match.end()] + "…}")
        at = end
    return "".join(out) + tex[at:]


def formulas(text: str) -> list[str]:
    """The formulas in order (`\\(…\\)`, `\\[…\\]`), \\text bodies blanked, spaces collapsed."""
    found = []
    for match in FORMULA.finditer(without_code(text)):
        kind, tex = (
            ("\\[", match["display"]) if match["display"] is not None else ("\\(", match["inline"])
        )
        found.append(kind + " " + " ".join(without_text_bodies(tex).split()))
    return found


def math_problems(docs: Path, page: Path) -> tuple[int, list[str]]:
    """How many formulas the English page has, and where the Chinese one differs."""
    english = formulas((docs / "en" / page).read_text(encoding="utf-8"))
    chinese = formulas((docs / "zh" / page).read_text(encoding="utf-8"))
    problems = [
        f"{page}: formula {i + 1} differs:\n  en {en}\n  zh {zh}"
        for i, (en, zh) in enumerate(zip(english, chinese, strict=False))
        if en != zh
    ]
    if len(english) != len(chinese):
        problems.append(f"{page}: {len(english)} formulas in en, {len(chinese)} in zh")
    return len(english), problems


PAGES = [page for page in source_pages("en") if (DOCS / "zh" / page).is_file()]


@pytest.mark.parametrize("page", PAGES, ids=str)
def test_every_formula_is_the_same_in_both_languages(page: Path, tally):
    count, problems = math_problems(DOCS, page)
    tally["formulas compared en/zh"] += count
    assert not problems, "\n".join(problems[:5])


def test_the_pages_have_formulas_to_compare():
    assert sum(math_problems(DOCS, page)[0] for page in PAGES) > 50


def test_text_bodies_are_set_aside_and_nothing_else():
    assert without_text_bodies(r"W_{\text{test}} = p\,W") == r"W_{\text{…}} = p\,W"
    assert without_text_bodies(r"\text{a {b} c}_{x}") == r"\text{…}_{x}"
    assert formulas(r"see \(W_{\text{测试}}\) and \[ a \\ b \]") == [
        r"\( W_{\text{…}}",
        r"\[ a \\ b",
    ]


@pytest.mark.parametrize(
    ("english", "chinese"),
    [
        ("}_{", "}*{"),  # the lint fix of 4eb72d4, on one side only
        (r"p\,W", r"q\,W"),  # a changed symbol
    ],
)
def test_a_formula_that_drifts_fails(tmp_path: Path, english: str, chinese: str):
    docs = tmp_path / "docs"
    shutil.copytree(DOCS, docs)
    page = Path("how-dropout-works.md")
    en = docs / "en" / page
    text = en.read_text(encoding="utf-8")
    assert english in text
    en.write_text(text.replace(english, chinese, 1), encoding="utf-8")
    count, problems = math_problems(docs, page)
    assert count and problems, "the drift went unnoticed"
