"""Make the warm build (nothing changed, every example cached) fast, not different.

Issue 7 budgets it at 3 s for both languages. Each patch alters how long the build
takes, never what it writes: the site is byte-identical with and without them
(tests/sitebuild/test_speedups.py compares each against the code it replaces). Each
lives in the module named after what it patches, with what upstream does and the
version it was written for; each checks that version (``versions.require``) and stops
the build, naming the patch, when another is installed:

- ``jinja_templates``: compiled templates kept across builds (mkdocs, Jinja2);
- ``material_search``: the search plugin's entries cached per page, jieba's dictionary
  loaded on the first cut;
- ``pymdownx_highlight``: each code block's highlighted HTML cached;
- ``print_site``: print-site's anchor-id rewrite without its slow expression, and its
  per-page link rewrite cached.

Two caches are ours, no patch: ``notebook_css.slim_notebook_css`` is kept by
``cache.cached``, and ``katex.subset_fonts``' subsets by ``cache.cached_bytes``.
``BENCHMARKS.md`` ("What each speed-up saves") measures each one.

``SITEBUILD_SPEEDUPS=0`` turns all of them and the caches off, to rule them out when a
page looks wrong; ``SITEBUILD_SPEEDUPS_SKIP="search cache,template cache"`` leaves the
named patches out (``tools/bench.py`` measures each patch so).
"""

from __future__ import annotations

import os

from sitebuild import cache, jinja_templates, material_search, print_site, pymdownx_highlight

MODULES = [jinja_templates, material_search, pymdownx_highlight, print_site]
PATCHES = {name: module for module in MODULES for name in module.PATCHES}


def skipped() -> frozenset[str]:
    """The patches SITEBUILD_SPEEDUPS_SKIP names (all, with SITEBUILD_SPEEDUPS=0)."""
    if not cache.ENABLED:
        return frozenset(PATCHES)
    names = {n.strip() for n in os.environ.get("SITEBUILD_SPEEDUPS_SKIP", "").split(",")}
    if unknown := names - set(PATCHES) - {""}:
        raise ValueError(f"SITEBUILD_SPEEDUPS_SKIP: no patch named {sorted(unknown)}")
    return frozenset(names & set(PATCHES))


def apply() -> None:
    """Install them all; importing hooks.py (once per language) calls this."""
    skip = skipped()
    for module in MODULES:
        module.apply(skip)
