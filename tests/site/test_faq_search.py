"""The FAQ (docs/*/faq.md): every question has its section, and the site's search, in Chromium,
finds that section when a reader types the question the way learners usually word it, in
English and in Chinese (segmented by jieba)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest

from tests.conftest import DOCS
from tests.site.search import search_results

# (language folder, what a reader types, the FAQ section it must find)
QUERIES = [
    ("", "predictions change every run", "predictions-change"),
    ("", "dropout still active after model.eval", "dropout-after-eval"),
    ("", "validation accuracy higher than training accuracy", "validation-above-training"),
    ("", "batch normalization before or after dropout", "batch-norm-order"),
    ("", "where to put dropout before or after activation", "placement"),
    ("", "keep probability or drop rate", "keep-or-drop"),
    ("", "Monte Carlo dropout batch normalization", "mc-dropout"),
    ("", "scale activations at test time", "test-time-scaling"),
    ("", "LSTM dropout num_layers", "lstm-dropout"),
    ("", "transformer dropout nanoGPT", "transformers"),
    ("", "which dropout rate should I use", "which-rate"),
    ("", "training takes longer with dropout", "slower"),
    ("zh/", "预测结果每次都不一样", "predictions-change"),
    ("zh/", "model.eval() 之后 Dropout 还在起作用", "dropout-after-eval"),
    ("zh/", "验证准确率比训练准确率高", "validation-above-training"),
    ("zh/", "批量归一化放在 Dropout 之前还是之后", "batch-norm-order"),
    ("zh/", "Dropout 放在哪里", "placement"),
    ("zh/", "保留概率还是丢弃率", "keep-or-drop"),
    ("zh/", "蒙特卡洛 Dropout 批量归一化", "mc-dropout"),
    ("zh/", "测试时需要缩放吗", "test-time-scaling"),
    ("zh/", "LSTM 里的 Dropout 不起作用", "lstm-dropout"),
    ("zh/", "Transformer 要不要用 Dropout", "transformers"),
    ("zh/", "丢弃率该取多少", "which-rate"),
    ("zh/", "Dropout 训练时间变长", "slower"),
]
FIRST = 5  # the section must be among the first results a reader sees


def faq_anchors(lang: str) -> list[str]:
    text = (DOCS / lang / "faq.md").read_text(encoding="utf-8")
    return re.findall(r"^## .+ \{ #([\w-]+) \}$", text, re.M)


def test_every_question_of_the_faq_has_a_search_query_in_both_languages():
    for lang, folder in (("en", ""), ("zh", "zh/")):
        anchors = faq_anchors(lang)
        assert len(anchors) >= 10, f"{lang}: the FAQ answers the ten questions learners ask"
        assert sorted(a for f, _, a in QUERIES if f == folder) == sorted(anchors), lang


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_answer_links_to_a_section_with_the_code_that_shows_it(lang: str):
    """Each answer points at a section of another page (not only at References)."""
    text = (DOCS / lang / "faq.md").read_text(encoding="utf-8")
    sections = re.split(r"^## ", text, flags=re.M)[1:]
    for section in sections:
        targets = re.findall(r"\]\(([\w-]+\.md)#[\w-]+\)", section)
        assert [t for t in targets if t != "references.md"], f"{lang}: {section[:60]!r}"


@pytest.fixture(scope="module")
def search_pages(desktop) -> Iterator[dict[str, object]]:
    """One page per language, loaded once and searched for each query in turn, as a
    reader asking several questions would (the search index loads once per page). It
    needs `desktop` so that its pages close before their context does."""
    pages: dict[str, object] = {}
    yield pages
    for page in pages.values():
        page.close()


@pytest.mark.browser
@pytest.mark.parametrize(("folder", "query", "anchor"), QUERIES)
def test_search_finds_the_question(
    search_pages, desktop, site_url: str, folder, query, anchor, tally
):
    if folder not in search_pages:
        page = search_pages[folder] = desktop.new_page()
        page.goto(site_url + folder, wait_until="load")
    links = search_results(search_pages[folder], query)
    found = [f"{urlsplit(link).path.lstrip('/')}#{urlsplit(link).fragment}" for link in links]
    expected = f"{folder}faq/#{anchor}"
    assert expected in found[:FIRST], f"{query!r}: {expected} not in {found[:FIRST]}"
    tally["browser checks"] += 1
