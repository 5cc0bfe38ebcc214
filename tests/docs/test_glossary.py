"""The glossary: CONTRIBUTING.md (for writers), the Glossary pages (for readers) and the
hover definitions (includes/abbreviations.*.md) name the same terms the same way."""

from __future__ import annotations

import re

import pytest

from tests.conftest import DOCS, ROOT

INCLUDES = ROOT / "includes"


def table_rows(text: str) -> list[list[str]]:
    """The body rows of the first Markdown table in text, as lists of stripped cells."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("|"))
    end = next((i for i in range(start, len(lines)) if not lines[i].startswith("|")), len(lines))
    rows = lines[start:end]  # the first table only: a later one is another table
    assert len(rows) > 2, "no table found"
    return [[cell.strip() for cell in row.strip("|").split("|")] for row in rows[2:]]


def alternatives(cell: str) -> set[str]:
    return {term.strip() for term in re.split("[,、]", cell) if term.strip()}


def contributing() -> list[list[str]]:
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    return table_rows(text.split("## Glossary", 1)[1])


def glossary(lang: str) -> dict[tuple[str, str], set[str]]:
    """(English, Chinese) -> alternatives, from docs/<lang>/glossary.md's table."""
    rows = table_rows((DOCS / lang / "glossary.md").read_text(encoding="utf-8"))
    assert all(len(row) == 4 and row[3] for row in rows), f"{lang}: every term needs a meaning"
    if lang == "zh":  # 中文 | English | 其他译法 | 含义
        return {(row[1], row[0]): alternatives(row[2]) for row in rows}
    return {(row[0], row[1]): alternatives(row[2]) for row in rows}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_term_of_contributing_is_on_the_glossary_page(lang: str):
    page = glossary(lang)
    for english, chinese, also in contributing():
        assert (english, chinese) in page, f"docs/{lang}/glossary.md lacks {english} = {chinese}"
        missing = alternatives(also) - page[(english, chinese)]
        assert not missing, f"docs/{lang}/glossary.md: {english}: alternatives {missing} missing"


def test_both_glossary_pages_have_the_same_terms_and_alternatives():
    assert glossary("en") == glossary("zh")


def abbreviations(lang: str) -> dict[str, str]:
    text = (INCLUDES / f"abbreviations.{lang}.md").read_text(encoding="utf-8")
    return dict(re.findall(r"^\*\[([^\]]+)\]: (.+)$", text, re.M))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_hover_definition_is_a_glossary_term(lang: str):
    """A term with a hover definition appears on the Glossary page (or is an acronym)."""
    page = (DOCS / lang / "glossary.md").read_text(encoding="utf-8").lower()
    defined = abbreviations(lang)
    assert len(defined) >= 10, f"abbreviations.{lang}.md defines only {len(defined)} terms"
    for term in defined:
        if term in {"ReLU", "SELU"}:  # activation names, not glossary terms
            continue
        forms = {term.lower(), term.lower().removesuffix("es"), term.lower().removesuffix("s")}
        assert any(form in page for form in forms), f"{term!r}: a hover definition, no glossary row"
