"""Speed-up for PyMdown Extensions' code highlighting (written for pymdown-extensions
13.1.2 and Pygments 2.21.0).

What upstream does: ``pymdownx.highlight`` runs Pygments on every code block on every
build (about 0.5 s).

What is done here: ``highlight cache``, each block's HTML, a function of the code, the
lexer and the formatter with their options, kept in ``.cache/highlight`` under a hash of
those and of Pygments' and PyMdown Extensions' versions.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable

import pymdownx.highlight

from sitebuild import cache
from sitebuild.versions import require, version

WRITTEN_FOR = {"pymdown-extensions": "13.1.2", "pygments": "2.21.0"}
PATCHES = {"highlight cache": "pymdownx.highlight.highlight"}


def highlight_cache_key(code: str, lexer, formatter) -> str:
    """Everything Pygments' output depends on, hashed."""
    inputs = {
        "versions": [version("pygments"), version("pymdown-extensions")],
        "lexer": [type(lexer).__module__, type(lexer).__qualname__, lexer.options],
        "filters": [[type(f).__qualname__, f.options] for f in lexer.filters],
        "formatter": [type(formatter).__module__, type(formatter).__qualname__, formatter.options],
        "code": code,
    }
    text = json.dumps(inputs, sort_keys=True, default=repr, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _with_highlight_cache(highlight: Callable[..., str]):
    @functools.wraps(highlight)
    def highlight_with_cache(code: str, lexer, formatter) -> str:
        path = cache.HIGHLIGHT_CACHE / f"{highlight_cache_key(code, lexer, formatter)}.html"
        if (html_text := cache.read(path)) is not None:
            return html_text
        html_text = highlight(code, lexer, formatter)
        cache.write_atomically(path, html_text)
        return html_text

    highlight_with_cache.speedup = True
    return highlight_with_cache


def apply(skip: frozenset[str] = frozenset()) -> None:
    if "highlight cache" in skip:
        return
    for distribution, written_for in WRITTEN_FOR.items():
        require("'highlight cache' (sitebuild/pymdownx_highlight.py)", distribution, written_for)
    if not getattr(pymdownx.highlight.highlight, "speedup", False):
        pymdownx.highlight.highlight = _with_highlight_cache(pymdownx.highlight.highlight)
