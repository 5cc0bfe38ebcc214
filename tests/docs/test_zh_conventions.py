"""The conventions every Chinese page shares (docs/zh, the notebooks' Chinese text, the zh
interface strings): one citation style, one way to write numbers, one term per concept,
d2l links to the Chinese edition, a Chinese palette toggle, and Chinese in the code the
Chinese pages own (the exercise answers written in them).

The citation style is the author-year one of GB/T 7714 that d2l-zh's readers know from
Chinese textbooks: 「Srivastava 等（2014）」 in a sentence, 「（Srivastava 等，2014）」 in
parentheses, 「第 7.12 节」 for a section; never "et al.", "&" or "§".
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from pathlib import Path

import pytest
import yaml

from tests.conftest import DOCS, ROOT
from tests.docs.code_blocks import includes, programs
from tests.docs.test_glossary import alternatives, contributing
from tests.test_config import _StrictLoader

ZH_PAGES = sorted((DOCS / "zh").glob("*.md"))
NOTEBOOK_TEXT = sorted((ROOT / "includes" / "notebooks" / "zh").glob("*.yml"))
CJK = re.compile(r"[\u4e00-\u9fff]")

# A citation's link text: authors (等 for "et al.", 与 and 、 between names), then the
# year after a full-width comma, or in full-width parentheses when the names are part of
# the sentence. Anything else that links to a reference (a book title, "Keras 源码") is
# not an author-year citation and has no year in it.
AUTHORS = r"[A-Z][\w'-]+(?: 等|(?:、[A-Z][\w'-]+)* 与 [A-Z][\w'-]+)?"
CITATION = re.compile(rf"^{AUTHORS}(?:，(?:\d{{4}}[ab]?|《[^》]+》)|（\d{{4}}[ab]?）)$")
REFERENCE_LINK = re.compile(r"\[([^\]]+)\]\(references\.md#[\w-]+\)")
YEAR = re.compile(r"\b(19|20)\d\d[ab]?\b")


def blank(match: re.Match[str]) -> str:
    return "\n" * match[0].count("\n")  # keep the line numbers


def prose(text: str) -> str:
    """The page without code (fences and spans), math and {{ placeholders }}."""
    text = re.sub(r"^(\s*)```.*?^\1```", blank, text, flags=re.S | re.M)
    text = re.sub(r"`[^`\n]+`", "`…`", text)
    text = re.sub(r"\\\((?:.|\n)*?\\\)|\\\[(?:.|\n)*?\\\]", blank, text)
    return re.sub(r"\{\{.*?\}\}", "", text)


def lines_of(paths: list[Path]) -> list[tuple[str, int, str]]:
    found = []
    for path in paths:
        for number, line in enumerate(prose(path.read_text(encoding="utf-8")).splitlines(), 1):
            found.append((path.name, number, line))
    return found


def test_the_pages_are_there(tally):
    assert len(ZH_PAGES) >= 10 and len(NOTEBOOK_TEXT) >= 10
    tally["Chinese pages checked for the shared conventions"] += len(ZH_PAGES)


@pytest.mark.parametrize("page", ZH_PAGES, ids=lambda p: p.name)
def test_every_citation_has_the_one_style(page: Path):
    text = page.read_text(encoding="utf-8")
    wrong = [
        m[1]
        for m in REFERENCE_LINK.finditer(text)
        if YEAR.search(m[1]) and not CITATION.match(m[1])
    ]
    assert not wrong, f"docs/zh/{page.name}: citations not in the style 「作者 等，年」: {wrong}"
    # The reference list itself keeps each entry's own (English) bibliography form.
    for name, number, line in lines_of([page] if page.name != "references.md" else []):
        for bad in ("et al", "§"):
            assert bad not in line, f"docs/zh/{name}:{number}: {bad!r} (write 等 / 第 N 节): {line}"


def test_the_style_check_catches_the_old_forms():
    for old in ["Srivastava et al., 2014", "Gal & Ghahramani, 2016", "Bishop, 1995"]:
        assert not CITATION.match(old), old
    for new in [
        "Srivastava 等，2014",
        "Gal 与 Ghahramani，2016a",
        "Srivastava 等（2014）",
        "Liu、Bauer 与 Manning，2025",
        "Bishop，1995",
        "Zhang 等，《动手学深度学习》",
    ]:
        assert CITATION.match(new), new


# Digits grouped by a comma, a space or a thin space (10,000 / 10 000): Chinese text
# writes 10000. And one way to write an image size: 8×8.
GROUPED = re.compile(r"(?<![\d.])\d{1,3}(?:[, \u2009\u202f]\d{3})+(?![\d.])")
SPACED_TIMES = re.compile(r"\d\s+×\s+\d")


def test_numbers_have_one_style():
    problems = [
        f"{name}:{number}: {match[0]!r}"
        for name, number, line in lines_of(ZH_PAGES)
        for match in [*GROUPED.finditer(line), *SPACED_TIMES.finditer(line)]
    ]
    assert not problems, f"write numbers as 10000 and sizes as 8×8: {problems}"


def test_the_number_check_catches_grouped_digits():
    assert (
        GROUPED.search("100,000 个 1") and GROUPED.search("12 800 个") and GROUPED.search("50 000")
    )
    assert GROUPED.search("共 2 000 张") and not GROUPED.search("1797 张 8×8 像素")
    assert not GROUPED.search("0.5 和 100 个样本") and not GROUPED.search("第 7.12 节")


# A term's alternatives (CONTRIBUTING's "also seen elsewhere") appear only where the site
# names them on purpose: the glossary page, 随机失活 in the first mention's
# 「Dropout（随机失活）」, and d2l-zh's 暂退法 / 暂退概率 where a line quotes d2l-zh.
# Figure lines (`![…](…)`) belong to the figure work of issue 18 and are left out here.
def allowed(term: str, line: str) -> bool:
    if term == "随机失活":
        return "随机失活" not in line.replace("Dropout（随机失活）", "")
    quotes_d2l = any(name in line for name in ("d2l", "动手学深度学习", "Dive into Deep Learning"))
    return term in {"暂退法", "暂退概率"} and quotes_d2l


def banned_terms() -> set[str]:
    terms = set()
    for english, chinese, also in contributing():
        terms |= {a for a in alternatives(also) if a != chinese and a not in english}
    return terms


def test_no_page_uses_a_term_the_glossary_replaced():
    terms = banned_terms()
    assert {"瘦身网络", "训练标志", "训练场", "分散程度", "执行过的笔记本"} <= terms
    problems = []
    for name, number, line in lines_of([*ZH_PAGES, *NOTEBOOK_TEXT, ROOT / "mkdocs.zh.yml"]):
        if line.lstrip().startswith("!["):
            continue
        if name == "glossary.md":
            if line.startswith("## ") or not line.startswith("|"):
                continue  # the section on the Chinese names names them all on purpose
            cells = line.strip("|").split("|")
            line = "|".join(cells[:2] + cells[3:])  # the 其他译法 column lists them
            line = re.sub("“[^”]*”", "", line)  # a definition may quote one by name
        plain = line.replace("`", "").replace("*", "")
        problems += [
            f"{name}:{number}: {term}"
            for term in sorted(terms)
            if term in plain and not allowed(term, plain)
        ]
    assert not problems, f"use the glossary's term instead: {problems}"


def d2l_links(text: str) -> list[str]:
    return re.findall(r"https?://[\w.]*d2l\.ai[^\s)>\"']*", text)


def test_d2l_links_on_chinese_pages_go_to_the_chinese_edition():
    paths = [
        *ZH_PAGES,
        *NOTEBOOK_TEXT,
        ROOT / "mkdocs.zh.yml",
        ROOT / "includes/abbreviations.zh.md",
    ]
    links = {(p.name, link) for p in paths for link in d2l_links(p.read_text(encoding="utf-8"))}
    assert links, "no d2l link found: the references page cites the book"
    wrong = sorted(link for link in links if not link[1].startswith("https://zh.d2l.ai/"))
    assert not wrong, f"on Chinese pages d2l links go to https://zh.d2l.ai/: {wrong}"


def config(name: str) -> dict:
    return yaml.load((ROOT / name).read_text(encoding="utf-8"), Loader=_StrictLoader)


def test_the_chinese_palette_toggle_is_named_in_chinese():
    """overrides/partials/palette.html shows each toggle's name as title and aria-label."""
    english, chinese = config("mkdocs.yml")["theme"]["palette"], config("mkdocs.zh.yml")
    palette = chinese.get("theme", {}).get("palette")
    assert palette, "mkdocs.zh.yml has no theme.palette: the toggle keeps the English names"
    names = [entry["toggle"]["name"] for entry in palette]
    assert all(CJK.search(n) and not re.search("[A-Za-z]", n) for n in names), names

    def without_names(entries: list[dict]) -> list[dict]:
        return [{**e, "toggle": {**e["toggle"], "name": None}} for e in entries]

    assert without_names(palette) == without_names(english), "the palettes differ beyond names"


def test_every_chinese_interface_label_is_chinese():
    labels = config("mkdocs.zh.yml")["extra"]["labels"]
    english = {k for k, v in labels.items() if not CJK.search(str(v))}
    assert english <= {"not_found_other"}, f"English labels on the Chinese site: {english}"


def inline_programs() -> list:
    return [
        program
        for page in ZH_PAGES
        for program in programs(page.read_text(encoding="utf-8"), f"zh/{page.name}")
        if includes(program) is None
    ]


def english_words(text: str) -> bool:
    """Words of English prose (names such as predict or ReLU alone do not count)."""
    return len(re.findall(r"\b[a-z]{3,}\b", re.sub(r"\{[^}]*\}|`[^`]*`", "", text))) >= 2


def test_the_exercise_answers_speak_chinese(tally):
    found = inline_programs()
    assert len(found) >= 10, len(found)
    tally["inline exercise programs checked for Chinese comments"] += len(found)
    problems = []
    for program in found:
        for token in tokenize.generate_tokens(io.StringIO(program.code).readline):
            if token.type == tokenize.COMMENT and not CJK.search(token.string):
                problems.append(f"{program.page}: comment {token.string!r}")
        for node in ast.walk(ast.parse(program.code)):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "print":
                for arg in node.args:
                    for part in ast.walk(arg):
                        text = (
                            getattr(part, "value", None) if isinstance(part, ast.Constant) else None
                        )
                        if isinstance(text, str) and english_words(text) and not CJK.search(text):
                            problems.append(f"{program.page}: prints {text!r}")
            message = node.msg if isinstance(node, ast.Assert) else None
            if isinstance(message, ast.Constant) and not CJK.search(str(message.value)):
                problems.append(f"{program.page}: assert message {message.value!r}")
    assert not problems, problems
