"""Speed-ups for Material for MkDocs' search plugin (written for mkdocs-material 9.8.2).

What upstream does: the plugin parses every page's HTML and cuts its Chinese text into
words with jieba (whose dictionary alone takes about a second to load), about 2.5 s of
every build; and its ``on_page_context`` cleans ``data-search-*`` attributes off every
page with a regular expression that tries every character of the page.

What is done here, without changing what it writes:
- ``search cache``: the entries it makes for a page depend only on the page's HTML,
  table of contents, address, title and metadata, and the plugin's settings, so they
  are kept in ``.cache/search``, one JSON file per page version, named by a hash of all
  of those and of Material's and jieba's versions.
- ``deferred jieba``: jieba's user dictionary (Chinese build) is loaded when jieba first
  cuts text, not when the plugin starts: a build whose pages are all cached never needs it.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable
from pathlib import Path

from material.plugins.search import plugin as search_plugin
from material.plugins.search.plugin import SearchIndex

from sitebuild import cache
from sitebuild.versions import require, version

WRITTEN_FOR = "9.8.2"  # mkdocs-material
JIEBA_DICTS = ("jieba_dict", "jieba_dict_user")


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


def _with_search_cache(add_entry: Callable[[SearchIndex, object], None]):
    @functools.wraps(add_entry)
    def add_entry_with_cache(index: SearchIndex, page) -> None:
        path = cache.SEARCH_CACHE / f"{search_cache_key(index, page)}.json"
        if (entries := cache.read(path)) is not None:
            index.entries.extend(json.loads(entries))
            return
        first = len(index.entries)
        add_entry(index, page)
        cache.write_atomically(path, json.dumps(index.entries[first:], ensure_ascii=False))

    add_entry_with_cache.speedup = True
    return add_entry_with_cache


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


PATCHES = {
    "search cache": "SearchIndex.add_entry_from_context",
    "deferred jieba": "material.plugins.search.plugin.jieba",
}


def apply(skip: frozenset[str] = frozenset()) -> None:
    """Install the patches not named in ``skip``; each checks Material's version first."""
    for patch in set(PATCHES) - skip:
        require(f"{patch!r} (sitebuild/material_search.py)", "mkdocs-material", WRITTEN_FOR)
    if "search cache" not in skip and not getattr(
        SearchIndex.add_entry_from_context, "speedup", False
    ):
        SearchIndex.add_entry_from_context = _with_search_cache(SearchIndex.add_entry_from_context)
    jieba = search_plugin.jieba
    if "deferred jieba" not in skip and jieba and not getattr(jieba, "speedup", False):
        search_plugin.jieba = DeferredJieba(jieba)
