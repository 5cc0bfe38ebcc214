"""Abbreviations (the glossary's hover definitions) that also match inside Chinese text.

Python-Markdown wraps a term only between ``\\b`` word boundaries, and there is none
between two Chinese characters, so 过拟合 in 发生过拟合时 would never get its definition.
Here a term may not continue a Latin word or number, nothing more. A Python-Markdown
extension: any tool that runs Python-Markdown can load it.
"""

from __future__ import annotations

import re

from markdown.extensions.abbr import AbbrExtension, AbbrTreeprocessor


class CjkAbbrTreeprocessor(AbbrTreeprocessor):
    def run(self, root):
        if not self.abbrs:
            return None
        terms = sorted(self.abbrs, key=len, reverse=True)
        alternatives = "|".join(re.escape(term) for term in terms)
        self.RE = re.compile(f"(?<![A-Za-z0-9_])(?:{alternatives})(?![A-Za-z0-9_])")
        self.iter_element(root)
        return None


class CjkAbbrExtension(AbbrExtension):
    def extendMarkdown(self, md):
        super().extendMarkdown(md)
        md.treeprocessors.register(CjkAbbrTreeprocessor(md, self.abbrs), "abbr", 7)


def use_cjk_abbreviations(extensions: list, configs: dict) -> None:
    """Put ``CjkAbbrExtension`` (with abbr's options) where "abbr" is in ``extensions``."""
    if "abbr" in extensions:
        options = configs.pop("abbr", {})
        extensions[extensions.index("abbr")] = CjkAbbrExtension(**options)


def makeExtension(**kwargs) -> CjkAbbrExtension:
    """Lets Python-Markdown, and so any tool that runs it, load this module by name."""
    return CjkAbbrExtension(**kwargs)
