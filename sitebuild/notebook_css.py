"""Notebook pages: keep only the CSS they use, and move large style blocks into files.

mkdocs-jupyter inlines all of JupyterLab's CSS (~590 KB) into every notebook page. The
style sheets are parsed with tinycss2 (CSS Syntax Level 3, as browsers parse them), so
a selector's classes are told from an attribute's value, a custom property's value may
hold a ``;`` (the icons' ``data:`` URLs), and a rule a browser drops as invalid (one
block mkdocs-jupyter writes as a Python list's repr) is dropped here too.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

import tinycss2

from sitebuild.urls import relative_url

# Up to the first </style>; "[^<]*" scans a 590 KB sheet far faster than a lazy ".*?".
STYLE = re.compile(r"(<style[^>]*>)([^<]*(?:<(?!/style>)[^<]*)*)(</style>)")
# Rules whose bodies are kept as they are; the rules inside these are filtered.
GROUPING = ("media", "supports")
# A selector inside these may match whatever the page's classes: it needs none of them.
ANY_CLASS = ("not", "is", "where", "has")


def _classes_needed(selector: list) -> frozenset[str]:
    """The classes an element must have somewhere on the page for ``selector`` (its
    tokens) to match: each ``.name``, but none inside :not(), :is(), :where(), :has()."""
    needed, after_dot = set(), False
    for token in selector:
        if after_dot and token.type == "ident":
            needed.add(token.value)
        after_dot = token.type == "literal" and token.value == "."
        if token.type == "function" and token.lower_name not in ANY_CLASS:
            needed |= _classes_needed(token.arguments)
    return frozenset(needed)


def _selector_list(prelude: list) -> list[tuple[str, frozenset[str]]]:
    """A rule's prelude cut at its top-level commas: each selector, and the classes it needs."""
    selectors, current = [], []
    for token in [*prelude, None]:
        if token is None or (token.type == "literal" and token.value == ","):
            selectors.append((tinycss2.serialize(current).strip(), _classes_needed(current)))
            current = []
        else:
            current.append(token)
    return selectors


@dataclass(frozen=True)
class _CssBlock:
    prelude: str
    body: tuple = ()  # the block's tokens
    selectors: tuple[tuple[str, frozenset[str]], ...] = ()  # a style rule's, with the classes
    inner: tuple[_CssBlock, ...] | None = None  # the rules inside @media and @supports


def _blocks(rules: list) -> tuple[_CssBlock, ...]:
    blocks = []
    for rule in rules:
        if rule.type == "error":  # what a browser drops too, as tinycss2 follows CSS Syntax
            continue
        prelude = tinycss2.serialize(rule.prelude).strip()
        if rule.type == "at-rule":
            if rule.content is None:  # a statement such as @charset: nothing to keep
                continue
            at = f"@{rule.at_keyword}{' ' if prelude else ''}{prelude}"
            if rule.lower_at_keyword in GROUPING:
                inner = tinycss2.parse_rule_list(rule.content, skip_whitespace=True)
                blocks.append(_CssBlock(at, inner=_blocks(inner)))
            else:
                blocks.append(_CssBlock(at, tuple(rule.content)))
        elif rule.type == "qualified-rule":
            blocks.append(
                _CssBlock(prelude, tuple(rule.content), tuple(_selector_list(rule.prelude)))
            )
    return tuple(blocks)


@functools.lru_cache(maxsize=32)
def _parsed_css(css: str) -> tuple[_CssBlock, ...]:
    """A style sheet parsed by tinycss2 into blocks, once per build: every notebook page
    inlines the same sheets, only the classes they are filtered by differ from page to page."""
    return _blocks(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True))


def _kept(blocks: tuple[_CssBlock, ...], classes: set[str]) -> list[tuple[str, list]]:
    """(prelude, body tokens) of the rules that can match; a grouping rule's body is the
    rules it keeps, each as such a pair."""
    kept = []
    for block in blocks:
        if block.inner is not None:
            if inner := _kept(block.inner, classes):
                kept.append((block.prelude, inner))
        elif not block.selectors:
            kept.append((block.prelude, list(block.body)))
        elif selectors := [s for s, needed in block.selectors if needed <= classes]:
            kept.append((",".join(selectors), list(block.body)))
    return kept


def _used_variables(tokens: list, used: set[str]) -> set[str]:
    """Every custom property a ``var()`` in ``tokens`` names, added to ``used``."""
    for token in tokens:
        if token.type == "function" and token.lower_name == "var":
            name = next((t for t in token.arguments if t.type != "whitespace"), None)
            if name is not None and name.type == "ident":
                used.add(name.value)
        for nested in (getattr(token, "arguments", None), getattr(token, "content", None)):
            if isinstance(nested, list):
                _used_variables(nested, used)
    return used


def _without_unused_variables(tokens: list, used: set[str]) -> list:
    """``tokens`` without the declarations ``--name: value;`` of custom properties not in
    ``used`` (in nested blocks too, as in @keyframes)."""
    kept, i = [], 0
    while i < len(tokens):
        token = tokens[i]
        if token.type == "ident" and token.value.startswith("--") and token.value not in used:
            j = i + 1
            while j < len(tokens) and tokens[j].type == "whitespace":
                j += 1
            if j < len(tokens) and tokens[j].type == "literal" and tokens[j].value == ":":
                while j < len(tokens) and not (
                    tokens[j].type == "literal" and tokens[j].value == ";"
                ):
                    j += 1
                i = j + 1
                continue
        if token.type == "{} block":
            token = tinycss2.ast.CurlyBracketsBlock(
                token.source_line,
                token.source_column,
                _without_unused_variables(token.content, used),
            )
        kept.append(token)
        i += 1
    return kept


def _serialized(kept: list[tuple[str, list]]) -> str:
    """The kept rules as CSS; a rule left with no declarations is left out."""
    parts = []
    for prelude, body in kept:
        text = _serialized(body) if _grouping(body) else tinycss2.serialize(body)
        if text.strip():
            parts.append(f"{prelude}{{{text}}}")
    return "".join(parts)


def _grouping(body: list) -> bool:
    """Is this kept body a grouping rule's list of (prelude, body) pairs?"""
    return bool(body) and isinstance(body[0], tuple)


def _bodies(kept: list[tuple[str, list]]) -> list[list]:
    """The token lists of every kept rule's declarations, inside grouping rules too."""
    bodies = []
    for _, body in kept:
        bodies += _bodies(body) if _grouping(body) else [body]
    return bodies


def _pruned(kept: list[tuple[str, list]], used: set[str]) -> list[tuple[str, list]]:
    pruned = []
    for prelude, body in kept:
        if _grouping(body):
            pruned.append((prelude, _pruned(body, used)))
        else:
            pruned.append((prelude, _without_unused_variables(body, used)))
    return pruned


def slim_notebook_css(output: str) -> str:
    """Drop the rules whose selectors name a class that no element of the page has,
    then the custom properties that no kept rule uses. mkdocs-jupyter adds no classes
    at run time, and Material's own style sheets are files, untouched: the notebook
    page's computed styles, custom properties aside, stay those of the page with all
    of the CSS (compared element by element in Chromium, both palettes), at about 4 %
    of the weight (590 KB to some 23 KB)."""
    classes = {name for m in re.finditer(r'class="([^"]*)"', output) for name in m[1].split()}
    styles = [(m, _kept(_parsed_css(m[2]), classes)) for m in STYLE.finditer(output)]
    while True:  # custom properties no kept rule of any style block uses
        used: set[str] = set()
        for _, kept in styles:
            for body in _bodies(kept):
                _used_variables(body, used)
        slimmer = [(m, _pruned(kept, used)) for m, kept in styles]
        if _sizes(slimmer) == _sizes(styles):
            break
        styles = slimmer
    pieces, last = [], 0
    for m, kept in styles:
        css = _serialized(kept)
        pieces += [output[last : m.start()], f"{m[1]}{css}{m[3]}" if css else ""]
        last = m.end()
    return "".join(pieces) + output[last:]


def _sizes(styles: list) -> list[int]:
    return [sum(len(body) for body in _bodies(kept)) for _, kept in styles]


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
