"""Make the warm build (nothing changed, every example cached) fast, not different.

Issue 7 budgets it at 3 s for both languages. Each change here alters how long the
build takes, never what it writes: the site is byte-identical with and without them
(tests/sitebuild/test_speedups.py compares each against the code it replaces).

- Templates: MkDocs makes a new Jinja environment for every build, Material's search
  plugin another for its translations and print-site a third for the print page, so
  Material's templates were compiled six times per build (two languages). Compiled
  templates are kept in ``.cache/jinja`` by Jinja's own bytecode cache, which checks
  each template's source before it uses the compiled code.
- print-site makes heading ids unique on the print page with a regular expression that,
  for every ``<`` of a page, scans to the end of the line once per letter of the tag's
  name (about 2.5 s of every build); the same expression with a lookahead that needs an
  ``id="`` on that line finds exactly the same matches in a tenth of the time.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from pathlib import Path

import jinja2
from mkdocs.theme import Theme
from mkdocs_print_site_plugin import urls as print_site_urls

TEMPLATE_CACHE = Path(__file__).resolve().parent.parent / ".cache" / "jinja"

# print-site's expression, r"<([^\s]+).*?id=\"([^\"]*?)\".*?>", behind a lookahead: neither
# the tag name nor ".*?" crosses a line end, so a match needs id=" later on its line.
ANCHOR_TAG = re.compile(r"<(?=[^\n]*?id=\")([^\s]+).*?id=\"([^\"]*?)\".*?>", re.IGNORECASE)
ANCHOR_TAGS = ["h1", "h2", "h3", "h4", "h5", "h6", "sup", "li"]


def update_anchor_ids(page_html: str, page_key: str) -> str:
    """print-site's ``urls.update_anchor_ids`` (2.9), step for step, with ANCHOR_TAG."""
    for match in ANCHOR_TAG.finditer(page_html):
        if match.group(1) not in ANCHOR_TAGS:
            continue
        id_text = match.group(2)
        match_text = match.group()
        new_text = match_text.replace(id_text, page_key + "-" + id_text)
        page_html = page_html.replace(match_text, new_text)
    return page_html


def _with_template_cache(get_env: Callable[[Theme], jinja2.Environment]):
    @functools.wraps(get_env)
    def get_env_with_cache(theme: Theme) -> jinja2.Environment:
        env = get_env(theme)
        TEMPLATE_CACHE.mkdir(parents=True, exist_ok=True)
        env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(TEMPLATE_CACHE))
        return env

    get_env_with_cache.speedup = True
    return get_env_with_cache


def apply() -> None:
    """Install both; importing hooks.py (once per language) calls this."""
    if not getattr(Theme.get_env, "speedup", False):
        Theme.get_env = _with_template_cache(Theme.get_env)
    print_site_urls.update_anchor_ids = update_anchor_ids
