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
- Search: Material's search plugin parses every page's HTML and cuts its Chinese text into
  words with jieba (whose dictionary alone takes about a second to load), about 2.5 s of
  every build. The entries it makes for a page depend only on the page's HTML, table of
  contents, address, title and metadata, and the plugin's settings, so they are kept in
  ``.cache/search``, one JSON file per page version, named by a hash of all of those and
  of Material's and jieba's versions. jieba's user dictionary (Chinese build) is loaded
  when jieba first cuts text, not when the plugin starts: a build whose pages are all
  cached never needs it.
- Code: Pygments highlights every code block on every build (about 0.5 s). Its output is a
  function of the code, the lexer and the formatter with their options, so each block's
  HTML is kept in ``.cache/highlight`` under a hash of those and of Pygments' and
  PyMdown Extensions' versions.
- Pages: two pure functions of a page's HTML are kept in ``.cache/pages`` by ``cached``,
  under a hash of their arguments and of the source that defines them:
  ``hooks.slim_notebook_css``, which drops the unused half of each notebook page's
  590 KB of inline CSS, and print-site's ``fix_internal_links``, which rewrites each
  page's links and ids for the print page (about 0.1 s each per language).

- Fonts: ``katex.subset_fonts`` cuts KaTeX's fonts down to the characters the math shows
  (about 1 s per language with fontTools); each subset is kept in ``.cache/katex-fonts``
  by ``cached_bytes``, named by a hash of the font, the characters, the subsetter's
  options and fontTools' and Brotli's versions.

Entries of the search, highlight, page and font caches that no build has read for two
weeks are deleted at the end of a build (``prune``), so old versions of pages do not
pile up.

``SITEBUILD_SPEEDUPS=0`` in the environment turns all of them off, to rule them out when
a page looks wrong (tests/sitebuild/test_speedups.py builds the site both ways).
"""

from __future__ import annotations

import functools
import hashlib
import inspect
import json
import os
import re
import tempfile
import time
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

import jinja2
import pymdownx.highlight
from material.plugins.search import plugin as search_plugin
from material.plugins.search.plugin import SearchIndex, SearchPlugin
from mkdocs.theme import Theme
from mkdocs_print_site_plugin import renderer as print_site_renderer
from mkdocs_print_site_plugin import urls as print_site_urls

CACHE = Path(__file__).resolve().parent.parent / ".cache"
TEMPLATE_CACHE = CACHE / "jinja"
SEARCH_CACHE = CACHE / "search"
HIGHLIGHT_CACHE = CACHE / "highlight"
PAGE_CACHE = CACHE / "pages"
FONT_CACHE = CACHE / "katex-fonts"
ENABLED = os.environ.get("SITEBUILD_SPEEDUPS", "1") != "0"
# An entry no build has read for this long is deleted (see prune): old page versions.
UNUSED_FOR = 14 * 24 * 3600

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


JIEBA_DICTS = ("jieba_dict", "jieba_dict_user")


@functools.cache
def version(distribution: str) -> str:
    """An installed package's version (reading it takes a millisecond; blocks are many)."""
    return metadata.version(distribution)


def _toc_outline(toc) -> list:
    return [[item.id, item.url, item.title, _toc_outline(item.children)] for item in toc]


def _file_digest(path: str | None) -> str | None:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest() if path else None


def search_cache_key(index: SearchIndex, page) -> str:
    """Everything the search plugin reads to make a page's entries, hashed."""
    inputs = {
        "versions": [version("mkdocs-material"), version("jieba")],
        "settings": index.config,
        "jieba_dicts": [_file_digest(index.config.get(k)) for k in JIEBA_DICTS],
        "url": page.url,
        "title": str(page.title),
        "meta": {k: page.meta.get(k) for k in ("title", "search", "tags")},
        "toc": _toc_outline(page.toc),
        "content": hashlib.sha256(page.content.encode("utf-8")).hexdigest(),
    }
    text = json.dumps(inputs, sort_keys=True, default=repr, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _read(path: Path) -> str | None:
    """A cache entry's text, marked as used now; None if there is none."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    os.utime(path)
    return text


def _write_atomically(path: Path, text: str | bytes) -> None:
    """Both languages' builds may write the cache; a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = {"mode": "wb"} if isinstance(text, bytes) else {"mode": "w", "encoding": "utf-8"}
    with tempfile.NamedTemporaryFile(**mode, dir=path.parent, delete=False) as f:
        f.write(text)
    os.replace(f.name, path)


def cached_bytes(path: Path, make: Callable[[], bytes]) -> bytes:
    """``make()``, kept in the file ``path``, whose name must hash everything ``make``
    depends on; with the speed-ups off, ``make()`` every time."""
    if not ENABLED:
        return make()
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        data = make()
        _write_atomically(path, data)
        return data
    os.utime(path)
    return data


def prune(now: float | None = None) -> int:
    """Delete the entries of these caches that no build has read for UNUSED_FOR seconds;
    the English build calls this when it has finished. Returns how many it deleted."""
    limit = (time.time() if now is None else now) - UNUSED_FOR
    stale = [
        path
        for folder in (SEARCH_CACHE, HIGHLIGHT_CACHE, PAGE_CACHE, FONT_CACHE)
        if folder.is_dir()
        for path in folder.iterdir()
        if path.stat().st_mtime < limit
    ]
    for path in stale:
        path.unlink(missing_ok=True)
    return len(stale)


def _with_search_cache(add_entry: Callable[[SearchIndex, object], None]):
    @functools.wraps(add_entry)
    def add_entry_with_cache(index: SearchIndex, page) -> None:
        path = SEARCH_CACHE / f"{search_cache_key(index, page)}.json"
        if (entries := _read(path)) is not None:
            index.entries.extend(json.loads(entries))
            return
        first = len(index.entries)
        add_entry(index, page)
        _write_atomically(path, json.dumps(index.entries[first:], ensure_ascii=False))

    add_entry_with_cache.speedup = True
    return add_entry_with_cache


DATA_SEARCH = re.compile(r"\s?data-search-\w+=\"[^\"]+\"")


def search_on_page_context(self: SearchPlugin, context, *, page, config, nav) -> None:
    """The search plugin's on_page_context (9.8), step for step, but its clean-up of
    ``data-search-*`` attributes, a regular expression that tries every character of the
    page, runs only on a page that has one."""
    if not self.config.enabled:
        return
    self.search_index.add_entry_from_context(page)
    if "data-search-" in page.content:
        page.content = DATA_SEARCH.sub("", page.content)


search_on_page_context.speedup = True


class DeferredJieba:
    """jieba as the search plugin sees it: user dictionaries are loaded on the first cut.

    Loading one makes jieba load its main dictionary too, about half a second."""

    speedup = True

    def __init__(self, jieba) -> None:
        self._jieba = jieba
        self._user_dicts: list[str] = []

    def load_userdict(self, path: str) -> None:
        self._user_dicts.append(path)

    def cut(self, *args, **kwargs):
        while self._user_dicts:
            self._jieba.load_userdict(self._user_dicts.pop(0))
        return self._jieba.cut(*args, **kwargs)

    def __getattr__(self, name: str):
        return getattr(self._jieba, name)


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
        path = HIGHLIGHT_CACHE / f"{highlight_cache_key(code, lexer, formatter)}.html"
        if (html_text := _read(path)) is not None:
            return html_text
        html_text = highlight(code, lexer, formatter)
        _write_atomically(path, html_text)
        return html_text

    highlight_with_cache.speedup = True
    return highlight_with_cache


def cached(function: Callable[..., str], *args: str | bool) -> str:
    """``function(*args)``, kept on disk, for a pure function of a page's HTML (and a few
    more strings). The key hashes the arguments and the source of the module that defines
    the function and of this one (which patches print-site's functions)."""
    if not ENABLED:
        return function(*args)
    key = hashlib.sha256()
    for source in sorted({inspect.getfile(function), __file__}):
        key.update(Path(source).read_bytes())
    call = [function.__module__, function.__qualname__, args]
    key.update(json.dumps(call, ensure_ascii=False).encode("utf-8"))
    path = PAGE_CACHE / f"{key.hexdigest()}.html"
    if (result := _read(path)) is not None:
        return result
    result = function(*args)
    _write_atomically(path, result)
    return result


def _with_page_cache(function: Callable[..., str]):
    signature = inspect.signature(function)

    @functools.wraps(function)
    def with_cache(*args: str | bool, **kwargs: str | bool) -> str:
        return cached(function, *signature.bind(*args, **kwargs).args)

    with_cache.speedup = True
    return with_cache


def apply() -> None:
    """Install them all; importing hooks.py (once per language) calls this."""
    if not ENABLED:
        return
    if not getattr(Theme.get_env, "speedup", False):
        Theme.get_env = _with_template_cache(Theme.get_env)
    if not getattr(SearchIndex.add_entry_from_context, "speedup", False):
        SearchIndex.add_entry_from_context = _with_search_cache(SearchIndex.add_entry_from_context)
    if not getattr(SearchPlugin.on_page_context, "speedup", False):
        SearchPlugin.on_page_context = search_on_page_context
    if search_plugin.jieba and not getattr(search_plugin.jieba, "speedup", False):
        search_plugin.jieba = DeferredJieba(search_plugin.jieba)
    if not getattr(pymdownx.highlight.highlight, "speedup", False):
        pymdownx.highlight.highlight = _with_highlight_cache(pymdownx.highlight.highlight)
    print_site_urls.update_anchor_ids = update_anchor_ids
    if not getattr(print_site_renderer.fix_internal_links, "speedup", False):
        print_site_renderer.fix_internal_links = _with_page_cache(
            print_site_renderer.fix_internal_links
        )
