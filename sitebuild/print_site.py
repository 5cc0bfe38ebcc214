"""Workarounds for mkdocs-print-site-plugin (written for 2.9): its page of every
chapter, for printing or saving as PDF.

What upstream does, and what is done here about it:
- It adds its CSS and JS to every page, though they style and arrange only its own
  page: ``drop_print_site_assets`` takes them off the others (three requests, two of
  them render-blocking, on each first visit).
- It renders its page with the 404 page's context, whose links are absolute paths from
  ``site_url``, and skips ``on_post_page``: ``finish_print_page`` makes the links
  relative, renders its math, sizes its figures and adds the print style sheet.
- It turns a link to another page into an in-page anchor ("page/#x" into "#page-x") and
  renames ids to "page-x" to match. Two gaps, closed after it has run: links to pages it
  leaves out (``exclude``, the notebooks) point at anchors that are not on the print
  page, and its id renaming (a regex that can run across tags on one long line, as
  Chinese paragraphs are) skips some ids, such as a footnote reference's ``<sup id>``.
- A nav section whose pages are all excluded leaves an empty chapter and a table of
  contents entry: both are dropped.

Two speed-ups (``apply``; they change how long the build takes, never what it writes):
- ``print-site anchor ids``: to make heading ids unique on the print page, its
  ``urls.update_anchor_ids`` runs a regular expression that, for every ``<`` of a page,
  scans to the end of the line once per letter of the tag's name (about 2.5 s of every
  build); the same expression behind a lookahead that needs an ``id="`` on that line
  finds exactly the same matches in a tenth of the time.
- ``print-site page cache``: its ``renderer.fix_internal_links``, which rewrites each
  page's links and ids for the print page (about 0.1 s per language), is a pure function
  of its arguments: kept in ``.cache/pages`` (``cache.cached``).
"""

from __future__ import annotations

import functools
import html
import inspect
import json
import logging
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from urllib.parse import urlsplit

from mkdocs_print_site_plugin import renderer as print_site_renderer
from mkdocs_print_site_plugin import urls as print_site_urls
from mkdocs_print_site_plugin.exclude import exclude
from mkdocs_print_site_plugin.urls import get_page_key

from sitebuild import cache
from sitebuild.figure_sizes import sized_images
from sitebuild.katex import render_math
from sitebuild.page_assets import with_assets
from sitebuild.urls import relative_url
from sitebuild.versions import require

WRITTEN_FOR = "2.9"  # mkdocs-print-site-plugin
log = logging.getLogger("mkdocs.sitebuild")
PRINT_PAGE = "print_page/"
PRINT_SITE_ASSETS = re.compile(
    r'<link rel="stylesheet" href="[^"]*css/print-site(?:-material)?\.css">'
    r'|<script (?:defer )?src="[^"]*js/print-site\.js"></script>'  # defer: overrides/main.html
)
PRINT_ID = re.compile(r"""\sid=(["'])(.*?)\1""")
PRINT_HREF = re.compile(r'href="#([^"]+)"')
PRINT_PAGE_SECTION = re.compile(r'<section class="print-page" id="([^"]+)" heading-number=')
PRINT_ANY_SECTION = re.compile(r"""<section class=["']print-page[ "']""")
EMPTY_PRINT_SECTION = re.compile(
    r"<section class='print-page md-section' id='([^']+)'[^>]*>\s*<h1>.*?</h1>\s*</section>", re.S
)


def page_key(url: str) -> str:
    """The plugin's name for a page on its print page ("notebooks-x" for notebooks/x/)."""
    return get_page_key(url)


def drop_print_site_assets(output: str) -> str:
    """The plugin's CSS and JS off a page that is not the print page."""
    return PRINT_SITE_ASSETS.sub("", output)


def finish_print_page(
    path: Path,
    *,
    site_url: str | None,
    page_number_label: str,
    pages: Mapping[str, tuple[str, str]],
    exclude_patterns: list[str],
    figures: Mapping[str, str],
    math_characters: set[str],
) -> None:
    """Repair the print page at ``path`` in place; ``pages`` maps each page's key to its
    source path and address, ``exclude_patterns`` is the plugin's ``exclude``."""
    if not path.exists():
        return
    output = path.read_text(encoding="utf-8")
    base = urlsplit(site_url or "/").path
    if base != "/":
        output = output.replace(f'"base": "{base}"', '"base": ".."')
        for attribute in ("href", "src", "action"):
            output = output.replace(f'{attribute}="{base.rstrip("/")}/', f'{attribute}="../')
            output = output.replace(f'{attribute}="{base}', f'{attribute}="../')
    # Figures stay eager here: a reader may print without scrolling, and Safari does
    # not fetch lazy images before it prints (caniuse's loading=lazy notes, Fyrd/caniuse
    # PR 6904; the print-site plugin turns lazy loading off for the same reason, its
    # PR 63). So make bench holds this page to 400 KB without its figures.
    output = render_math(output, PRINT_PAGE, math_characters)
    output = sized_images(output, PRINT_PAGE, figures, lazy=False)
    output = drop_empty_print_sections(output)
    excluded = {key: url for key, (src, url) in pages.items() if exclude(src, exclude_patterns)}
    output = resolve_print_page_anchors(output, excluded)
    output = with_print_styles(output, page_number_label)
    path.write_text(with_assets(output, PRINT_PAGE), encoding="utf-8")


def drop_empty_print_sections(output: str) -> str:
    """A nav section whose pages are all excluded (Notebooks) leaves the plugin's print page
    an empty chapter heading at the end and an entry in its table of contents: drop both."""
    for match in list(EMPTY_PRINT_SECTION.finditer(output)):
        output = output.replace(match[0], "", 1)
        entry = re.compile(
            r'<li class="md-nav__item">\s*<a href="#' + re.escape(match[1]) + r'".*?</li>', re.S
        )
        output = entry.sub("", output, count=1)
    return output


def _print_page_ids(output: str) -> set[str]:
    return {match[2] for match in PRINT_ID.finditer(output)}


def _rename_skipped_print_ids(output: str) -> str:
    """In each page's section, an id the plugin left unprefixed gets the prefix its links use."""
    ids = _print_page_ids(output)
    starts = [m.start() for m in PRINT_ANY_SECTION.finditer(output)] + [len(output)]
    pieces, last = [], 0
    for match in PRINT_PAGE_SECTION.finditer(output):
        key, start = match[1], match.start()
        end = next(s for s in starts if s > start)
        section = output[start:end]
        for href in set(PRINT_HREF.findall(section)):
            plain = href.removeprefix(f"{key}-")
            if href in ids or plain == href:
                continue
            renamed = re.sub(
                rf"""(\sid=)(["']){re.escape(plain)}\2""", rf"\g<1>\g<2>{href}\g<2>", section
            )
            if renamed != section:
                section = renamed
                ids.add(href)
        pieces += [output[last:start], section]
        last = end
    return "".join(pieces) + output[last:]


def _link_excluded_pages(output: str, excluded: Mapping[str, str]) -> str:
    """A link into a page left out of the print page (key -> its address) goes to that page."""
    ids = _print_page_ids(output)

    def link(match: re.Match[str]) -> str:
        anchor = match[1]
        if anchor in ids:
            return match[0]
        for key in sorted(excluded, key=len, reverse=True):
            if anchor == key or anchor.startswith(f"{key}-"):
                href = relative_url(excluded[key], PRINT_PAGE)
                fragment = anchor[len(key) + 1 :]
                return f'href="{html.escape(href)}{"#" + fragment if fragment else ""}"'
        return match[0]

    return PRINT_HREF.sub(link, output)


def with_print_styles(output: str, page_number_label: str) -> str:
    """The print view's own style sheet, and its PDF pages numbered in the page's language
    (the plugin's style sheet says "Page 3" whatever the language); the label is like
    "Page {page}"."""
    before, _, after = page_number_label.partition("{page}")
    number = " counter(page) ".join(json.dumps(s, ensure_ascii=False) for s in (before, after))
    href = relative_url("assets/stylesheets/print.css", PRINT_PAGE)
    head = (
        f'<link rel="stylesheet" href="{href}">'
        f"<style>@page {{ @bottom-right {{ content: {number}; }} }}</style>"
    )
    return output.replace("</head>", head + "</head>", 1)


def resolve_print_page_anchors(output: str, excluded: Mapping[str, str]) -> str:
    """Make every in-page link of the print page resolve; warn (a strict build fails) if not.
    ``excluded`` maps the key of each page the print page leaves out to its address."""
    output = _link_excluded_pages(_rename_skipped_print_ids(output), excluded)
    ids = _print_page_ids(output)
    if unresolved := sorted({a for a in PRINT_HREF.findall(output) if a not in ids}):
        log.warning("%s: in-page links with no target: %s", PRINT_PAGE, ", ".join(unresolved))
    return output


# --- speed-ups ---------------------------------------------------------------------------
# print-site's expression, r"<([^\s]+).*?id=\"([^\"]*?)\".*?>", behind a lookahead: neither
# the tag name nor ".*?" crosses a line end, so a match needs id=" later on its line.
ANCHOR_TAG = re.compile(r"<(?=[^\n]*?id=\")([^\s]+).*?id=\"([^\"]*?)\".*?>", re.IGNORECASE)
ANCHOR_TAGS = ["h1", "h2", "h3", "h4", "h5", "h6", "sup", "li"]
PATCHES = {
    "print-site anchor ids": "mkdocs_print_site_plugin.urls.update_anchor_ids",
    "print-site page cache": "mkdocs_print_site_plugin.renderer.fix_internal_links",
}


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


def _with_page_cache(function: Callable[..., str]):
    signature = inspect.signature(function)

    @functools.wraps(function)
    def with_cache(*args: str | bool, **kwargs: str | bool) -> str:
        bound = signature.bind(*args, **kwargs).args
        return cache.cached(function, *bound, sources=[__file__])

    with_cache.speedup = True
    return with_cache


def apply(skip: frozenset[str] = frozenset()) -> None:
    """Install the patches not named in ``skip``; each checks print-site's version first."""
    for patch in set(PATCHES) - skip:
        where = f"{patch!r} (sitebuild/print_site.py)"
        require(where, "mkdocs-print-site-plugin", WRITTEN_FOR)
    if "print-site anchor ids" not in skip:
        print_site_urls.update_anchor_ids = update_anchor_ids
    links = print_site_renderer.fix_internal_links
    if "print-site page cache" not in skip and not getattr(links, "speedup", False):
        print_site_renderer.fix_internal_links = _with_page_cache(links)
