"""The Markdown sources: code fences that pytest-codeblocks runs, anchors, both languages alike."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tests.conftest import DOCS, LANGUAGES, source_pages

FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})[ \t]*(?P<info>[^`\n]*)$", re.M)
HEADING = re.compile(r"^(#{1,6}) (?P<text>.+)$", re.M)
ANCHOR = re.compile(r"\{ #(?P<id>[a-z0-9-]+) \}$")
PYTHON_LIKE = re.compile(r"^\{?\s*\.?(py|python|python3|py3|pycon|ipython)\b", re.I)
PAGES = [(lang, page) for lang in LANGUAGES for page in source_pages(lang)]


def without_code(text: str) -> str:
    """The page with fenced code blocks blanked out (headings inside code are not headings)."""
    return re.sub(r"^(\s*)(`{3,}).*?^\1\2\s*$", "", text, flags=re.M | re.S)


def read(lang: str, page: Path) -> str:
    return (DOCS / lang / page).read_text(encoding="utf-8")


@pytest.mark.parametrize(("lang", "page"), PAGES, ids=[f"{lang}/{page}" for lang, page in PAGES])
def test_python_fences_are_ones_pytest_codeblocks_collects(lang: str, page: Path):
    """pytest-codeblocks runs only fences whose info string is exactly `python`."""
    wrong = [
        match["info"]
        for match in FENCE.finditer(read(lang, page))
        if PYTHON_LIKE.match(match["info"].strip()) and match["info"].strip() != "python"
    ]
    assert not wrong, f"docs/{lang}/{page}: these fences would be skipped silently: {wrong}"


@pytest.mark.parametrize(("lang", "page"), PAGES, ids=[f"{lang}/{page}" for lang, page in PAGES])
def test_every_heading_has_an_explicit_english_anchor(lang: str, page: Path):
    headings = HEADING.finditer(without_code(read(lang, page)))
    missing = [m["text"] for m in headings if not ANCHOR.search(m["text"])]
    assert not missing, f"docs/{lang}/{page}: headings without {{ #english-id }}: {missing}"


def pages_of(docs: Path, lang: str) -> set[Path]:
    return {p.relative_to(docs / lang) for p in (docs / lang).rglob("*.md")}


def exercises_section(prose: str) -> str:
    """From the `{ #exercises }` heading to the next heading of the same or a higher level."""
    start = re.search(r"^(#{1,6}) .*\{ #exercises \}$", prose, re.M)
    if not start:
        return ""
    rest = prose[start.end() :]
    end = re.search(rf"^#{{1,{len(start[1])}}} ", rest, re.M)
    return rest[: end.start()] if end else rest


def structure(lang: str, page: Path, docs: Path = DOCS) -> dict[str, list[str]]:
    """What must be the same in both languages (in order, except results and citations)."""
    text = (docs / lang / page).read_text(encoding="utf-8")
    prose = without_code(text)
    exercises = exercises_section(prose)
    return {
        "anchors": [m[1] for m in re.finditer(r"\{ #([a-z0-9-]+) \}", prose)],
        "includes": re.findall(r'--8<-- "([^"]+)"', text),
        "fences": [m["info"].strip() for m in FENCE.finditer(text) if m["info"].strip()],
        "code blocks": [str(len(FENCE.findall(text)) // 2)],
        "figures": re.findall(r"!\[[^\]]*\]\(([^)\s]+)", prose),
        # Numbers in prose: the same ones, in any order (Chinese word order differs).
        "results": sorted(re.findall(r"\{\{\s*([\w.-]+(?::[^}\s]+)?)\s*\}\}", text)),
        # Printed outputs stand alone on their line, between code blocks: same order.
        "outputs": re.findall(r"^\s*\{\{\s*([\w-]+\.output\.[\w-]+)\s*\}\}\s*$", text, re.M),
        "codeblock markers": re.findall(r"<!--\s*pytest-codeblocks:(\S+?)\s*-->", text),
        "admonitions": re.findall(r"^\s*(?:!!!|\?\?\?\+?) (\w+)", text, re.M),
        "exercises": [str(len(re.findall(r"^\d+\. ", exercises, re.M)))],
        "answers": [str(len(re.findall(r"^\s*\?\?\?\+? success", exercises, re.M)))],
        "display math": [str(len(re.findall(r"^\s*\\\[", prose, re.M)))],
        "citations": sorted(re.findall(r"\(references\.md#([\w-]+)\)", prose)),
    }


def parity_problems(docs: Path, page: Path) -> list[str]:
    """Why the English and Chinese versions of one page disagree (empty: they mirror)."""
    missing = [lang for lang in LANGUAGES if not (docs / lang / page).is_file()]
    if missing:
        return [
            f"{page}: no {' or '.join(missing)} version (docs/{lang}/{page})" for lang in missing
        ]
    english, chinese = structure("en", page, docs), structure("zh", page, docs)
    return [
        f"{page}: the {key} differ between en and zh:\n  en {english[key]}\n  zh {chinese[key]}"
        for key in english
        if english[key] != chinese[key]
    ]


def all_pages(docs: Path = DOCS) -> list[Path]:
    return sorted(set().union(*(pages_of(docs, lang) for lang in LANGUAGES)))


@pytest.mark.parametrize("page", all_pages(), ids=str)
def test_the_chinese_page_mirrors_the_english_one(page: Path, tally):
    """Same pages, anchors, includes, code blocks, figures, results, admonitions, exercises."""
    tally["pages compared en/zh for parity"] += 1
    problems = parity_problems(DOCS, page)
    assert not problems, "\n".join(problems)


def test_parity_covers_every_page_of_both_languages():
    assert set(all_pages()) == {*source_pages("en"), *source_pages("zh")}
    assert all_pages(), "no pages found"


@pytest.fixture
def docs_copy(tmp_path: Path) -> Path:
    """A temporary copy of docs/ to break (never the real tree)."""
    shutil.copytree(DOCS, tmp_path / "docs")
    return tmp_path / "docs"


def test_a_page_missing_its_translation_fails_parity(docs_copy: Path):
    page = source_pages("en")[-1]
    (docs_copy / "zh" / page).unlink()
    (docs_copy / "zh" / "only-in-chinese.md").write_text("# 只有中文 { #only }\n", "utf-8")
    assert parity_problems(docs_copy, page) == [f"{page}: no zh version (docs/zh/{page})"]
    assert parity_problems(docs_copy, Path("only-in-chinese.md")) == [
        "only-in-chinese.md: no en version (docs/en/only-in-chinese.md)"
    ]
    assert {page, Path("only-in-chinese.md")} <= set(all_pages(docs_copy))


DRIFTS = {
    "admonitions": '!!! note "注意"\n\n    多出来的提示。\n',
    "figures": "![图](figures/complete_example/extra.png)\n",
    "code blocks": "```python\nprint(1)\n```\n",
    "results": "准确率是 {{ complete_example.test_accuracy:.3f }}。\n",
    "outputs": "\n{{ complete_example.output.data }}\n",
    "citations": "见 [Srivastava 等](references.md#srivastava2014)。\n",
    "exercises": "9. 多出来的练习（接在练习一节之后）。\n",
}


@pytest.mark.parametrize(("key", "addition"), DRIFTS.items(), ids=list(DRIFTS))
def test_a_chinese_page_that_drifts_fails_parity(docs_copy: Path, key: str, addition: str):
    page = Path("complete-example.md")
    zh = docs_copy / "zh" / page
    zh.write_text(zh.read_text("utf-8") + "\n" + addition, "utf-8")
    problems = parity_problems(docs_copy, page)
    assert any(p.startswith(f"{page}: the {key} differ") for p in problems), problems
