"""Hover definitions: the Chinese config inherits every Markdown extension, and terms match
inside Chinese text (sitebuild/abbreviations.py), not only between spaces."""

from __future__ import annotations

import markdown
from mkdocs.config import load_config

from sitebuild.abbreviations import CjkAbbrExtension
from tests.conftest import ROOT


def test_the_chinese_config_changes_only_the_appended_abbreviations():
    english = load_config(str(ROOT / "mkdocs.yml"))
    chinese = load_config(str(ROOT / "mkdocs.zh.yml"))
    assert chinese.markdown_extensions == english.markdown_extensions
    en_configs, zh_configs = dict(english.mdx_configs), dict(chinese.mdx_configs)
    en_snippets = dict(en_configs.pop("pymdownx.snippets"))
    zh_snippets = dict(zh_configs.pop("pymdownx.snippets"))
    assert en_configs == zh_configs
    assert en_snippets.pop("auto_append") == ["abbreviations.en.md"]
    assert zh_snippets.pop("auto_append") == ["abbreviations.zh.md"]
    assert en_snippets == zh_snippets, "base_path and the rest are inherited"


def render(text: str) -> str:
    return markdown.markdown(text, extensions=[CjkAbbrExtension()])


def test_a_chinese_term_gets_its_definition_between_chinese_characters():
    html = render("模型发生过拟合时。\n\n*[过拟合]: 定义")
    assert '模型发生<abbr title="定义">过拟合</abbr>时。' in html


def test_an_english_term_still_needs_word_boundaries():
    html = render("overfitting, not overfittingly\n\n*[overfitting]: definition")
    assert html.count("<abbr") == 1
    assert '<abbr title="definition">overfitting</abbr>, not overfittingly' in html


def test_the_extension_loads_by_module_name_as_zensical_would_load_it():
    html = markdown.markdown(
        "发生过拟合时\n\n*[过拟合]: 定义", extensions=["sitebuild.abbreviations"]
    )
    assert '发生<abbr title="定义">过拟合</abbr>时' in html
