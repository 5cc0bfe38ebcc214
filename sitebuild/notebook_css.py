"""Notebook pages: keep only the CSS they use, and move large style blocks into files.

mkdocs-jupyter inlines all of JupyterLab's CSS (~590 KB) into every notebook page.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

from sitebuild.urls import relative_url

# Up to the first </style>; "[^<]*" scans a 590 KB sheet far faster than a lazy ".*?".
STYLE = re.compile(r"(<style[^>]*>)([^<]*(?:<(?!/style>)[^<]*)*)(</style>)")
CSS_CLASS = re.compile(r"\.(-?[_a-zA-Z][\w-]*)")
CSS_VARIABLE = re.compile(r"(--[\w-]+)\s*:\s*[^;{}]*(?:;|(?=\}))")


CSS_BRACE = re.compile(r"[{}]")
SELECTOR_NESTING = re.compile(r"[()\[\],]")


def _css_blocks(css: str) -> list[tuple[str, str]]:
    """Top-level ``(prelude, body)`` pairs of a style sheet; at-rule bodies stay raw."""
    blocks, start = [], 0
    while (open_brace := css.find("{", start)) >= 0:
        depth, end = 1, len(css)  # an unclosed block runs to the end
        for brace in CSS_BRACE.finditer(css, open_brace + 1):
            depth += 1 if brace[0] == "{" else -1
            if not depth:
                end = brace.end()
                break
        blocks.append((css[start:open_brace].strip(), css[open_brace + 1 : end - 1]))
        start = end
    return blocks


def _selector_list(prelude: str) -> list[str]:
    """Split a selector list at its top-level commas (not those inside :is(...) or [...])."""
    parts, depth, start = [], 0, 0
    for match in SELECTOR_NESTING.finditer(prelude):
        char = match[0]
        depth += {"(": 1, "[": 1, ")": -1, "]": -1}.get(char, 0)
        if char == "," and depth == 0:
            parts.append(prelude[start : match.start()].strip())
            start = match.end()
    return [*parts, prelude[start:].strip()]


def _classes_needed(selector: str) -> frozenset[str]:
    """The classes an element must have somewhere on the page for ``selector`` to match."""
    plain = re.sub(r":(?:not|is|where|has)\([^)]*\)", "", selector)
    return frozenset(CSS_CLASS.findall(plain))


@dataclass(frozen=True)
class _CssBlock:
    prelude: str
    body: str
    selectors: tuple[tuple[str, frozenset[str]], ...] = ()  # a rule's, with _classes_needed
    inner: tuple[_CssBlock, ...] | None = None  # the blocks inside @media and @supports


@functools.lru_cache(maxsize=32)
def _parsed_css(css: str) -> tuple[_CssBlock, ...]:
    """A style sheet cut into blocks, once per build: every notebook page inlines the same
    sheets, only the classes they are filtered by differ from page to page."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)  # comments ("/* Name.Class */")
    css = re.sub(r'@charset\s+"[^"]*"\s*;', "", css)  # a statement, not a block
    blocks = []
    for prelude, body in _css_blocks(css):
        if prelude.startswith(("@media", "@supports")):
            blocks.append(_CssBlock(prelude, body, inner=_parsed_css(body)))
        elif prelude.startswith("@"):
            if not prelude.startswith("@charset"):
                blocks.append(_CssBlock(prelude, body))
        else:
            selectors = tuple((s, _classes_needed(s)) for s in _selector_list(prelude))
            blocks.append(_CssBlock(prelude, body, selectors))
    return tuple(blocks)


def _kept_css(blocks: tuple[_CssBlock, ...], classes: set[str]) -> str:
    kept = []
    for block in blocks:
        if block.inner is not None:
            if inner := _kept_css(block.inner, classes):
                kept.append(f"{block.prelude}{{{inner}}}")
        elif block.prelude.startswith("@"):
            kept.append(f"{block.prelude}{{{block.body}}}")
        elif selectors := [s for s, needed in block.selectors if needed <= classes]:
            kept.append(f"{','.join(selectors)}{{{block.body}}}")
    return "".join(kept)


def _used_css(css: str, classes: set[str]) -> str:
    return _kept_css(_parsed_css(css), classes)


def slim_notebook_css(output: str) -> str:
    """Drop the rules whose selectors name a class that no element of the page has,
    then the custom properties that no kept rule uses. mkdocs-jupyter adds no classes
    at run time, and Material's own style sheets are files, untouched: the notebook
    page's computed styles stay the same (checked element by element, both palettes),
    at about a third of the weight."""
    classes = {name for m in re.finditer(r'class="([^"]*)"', output) for name in m[1].split()}
    styles = [(m, _used_css(m[2], classes)) for m in STYLE.finditer(output)]
    while True:  # custom properties no kept rule of any style block uses
        used = {v for _, css in styles for v in re.findall(r"var\(\s*(--[\w-]+)", css)}
        slimmer = [
            (m, CSS_VARIABLE.sub(lambda d, used=used: d[0] if d[1] in used else "", css))
            for m, css in styles
        ]
        if slimmer == styles:
            break
        styles = slimmer
    pieces, last = [], 0
    for m, css in styles:
        pieces += [output[last : m.start()], f"{m[1]}{css}{m[3]}" if css else ""]
        last = m.end()
    return "".join(pieces) + output[last:]


NOTEBOOK_CSS = "assets/stylesheets/notebook"
INLINE_CSS_LIMIT = 8192  # bytes; a smaller block costs less inline than a request


def external_styles(output: str, page_url: str, site_dir: str) -> str:
    """Move each large <style> block into a file named by its content, linked in its
    place (same cascade order). Parsing ~100 KB of CSS inside the HTML delayed the first
    paint and doubled Lighthouse's total blocking time on notebook pages; as a file,
    one download serves every notebook page."""

    def external(match: re.Match[str]) -> str:
        css = match[2]
        if len(css) < INLINE_CSS_LIMIT:
            return match[0]
        uri = f"{NOTEBOOK_CSS}/{hashlib.sha256(css.encode()).hexdigest()[:16]}.css"
        path = Path(site_dir) / uri
        if not path.exists():  # same content, same file: pages share it
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_suffix(f".{os.getpid()}.partial")
            partial.write_text(css, encoding="utf-8")
            partial.replace(path)
        media = re.search(r'\smedia="[^"]*"', match[1])
        return f'<link rel="stylesheet" href="{relative_url(uri, page_url)}"' + (
            f"{media[0]}>" if media else ">"
        )

    return STYLE.sub(external, output)
