"""The build's on-disk caches for pure functions: ``.cache/<name>/<hash of the inputs>``.

Both languages' builds may write them at once; an entry is written atomically, and
marked as used each time it is read. Entries no build has read for two weeks are
deleted at the end of a build (``prune``), so old versions of pages do not pile up.
``SITEBUILD_SPEEDUPS=0`` turns every cache off (README, "Build speed").
"""

from __future__ import annotations

import hashlib
import inspect
import json
import os
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path

CACHE = Path(__file__).resolve().parent.parent / ".cache"
TEMPLATE_CACHE = CACHE / "jinja"
SEARCH_CACHE = CACHE / "search"
HIGHLIGHT_CACHE = CACHE / "highlight"
PAGE_CACHE = CACHE / "pages"
FONT_CACHE = CACHE / "katex-fonts"
ENABLED = os.environ.get("SITEBUILD_SPEEDUPS", "1") != "0"
# An entry no build has read for this long is deleted (see prune): old page versions.
UNUSED_FOR = 14 * 24 * 3600


def read(path: Path) -> str | None:
    """A cache entry's text, marked as used now; None if there is none."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    os.utime(path)
    return text


def write_atomically(path: Path, text: str | bytes) -> None:
    """Both languages' builds may write the cache; a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = {"mode": "wb"} if isinstance(text, bytes) else {"mode": "w", "encoding": "utf-8"}
    with tempfile.NamedTemporaryFile(**mode, dir=path.parent, delete=False) as f:
        f.write(text)
    os.replace(f.name, path)


def cached_bytes(path: Path, make: Callable[[], bytes]) -> bytes:
    """``make()``, kept in the file ``path``, whose name must hash everything ``make``
    depends on; with the caches off, ``make()`` every time."""
    if not ENABLED:
        return make()
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        data = make()
        write_atomically(path, data)
        return data
    os.utime(path)
    return data


def cached(function: Callable[..., str], *args: str | bool, sources: Iterable[str] = ()) -> str:
    """``function(*args)``, kept in ``.cache/pages``, for a pure function of a page's HTML
    (and a few more strings). The key hashes the arguments and the source of the module
    that defines the function, and of ``sources`` (say, a module that patches it)."""
    if not ENABLED:
        return function(*args)
    key = hashlib.sha256()
    for source in sorted({inspect.getfile(function), *sources}):
        key.update(Path(source).read_bytes())
    call = [function.__module__, function.__qualname__, args]
    key.update(json.dumps(call, ensure_ascii=False).encode("utf-8"))
    path = PAGE_CACHE / f"{key.hexdigest()}.html"
    if (result := read(path)) is not None:
        return result
    result = function(*args)
    write_atomically(path, result)
    return result


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
