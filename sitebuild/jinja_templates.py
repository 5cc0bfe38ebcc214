"""Speed-up for MkDocs' Jinja environments (written for mkdocs 1.6.1, Jinja2 3.1.6; and
for ProperDocs 1.6.7, MkDocs' fork, whose ``Theme.get_env`` is the same code).

What upstream does: MkDocs makes a new Jinja environment for every build
(``mkdocs.theme.Theme.get_env``), Material's search plugin another for its
translations and print-site a third for the print page, so Material's templates were
compiled six times per build (two languages).

What is done here: ``template cache``, compiled templates kept in ``.cache/jinja`` by
Jinja's own bytecode cache, which checks each template's source before it uses the
compiled code.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import jinja2
from mkdocs.theme import Theme

from sitebuild import cache
from sitebuild.versions import require

WRITTEN_FOR = {"mkdocs": "1.6.1", "properdocs": "1.6.7", "jinja2": "3.1.6"}
PATCHES = {"template cache": "mkdocs.theme.Theme.get_env"}


def _with_template_cache(get_env: Callable[[Theme], jinja2.Environment]):
    @functools.wraps(get_env)
    def get_env_with_cache(theme: Theme) -> jinja2.Environment:
        env = get_env(theme)
        cache.TEMPLATE_CACHE.mkdir(parents=True, exist_ok=True)
        env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(cache.TEMPLATE_CACHE))
        return env

    get_env_with_cache.speedup = True
    return get_env_with_cache


def running_mkdocs() -> str:
    """The distribution whose code answers ``import mkdocs``: "properdocs" when ProperDocs
    runs the build (it redirects every mkdocs.* import to itself), else "mkdocs"."""
    import mkdocs

    return "properdocs" if mkdocs.__name__ == "properdocs" else "mkdocs"


def apply(skip: frozenset[str] = frozenset()) -> None:
    if "template cache" in skip:
        return
    for distribution in (running_mkdocs(), "jinja2"):
        where = "'template cache' (sitebuild/jinja_templates.py)"
        require(where, distribution, WRITTEN_FOR[distribution])
    if not getattr(Theme.get_env, "speedup", False):
        Theme.get_env = _with_template_cache(Theme.get_env)
