"""Relative links between pages of the built site."""

from __future__ import annotations

import posixpath


def relative_url(url: str, other: str) -> str:
    """``url`` (from the site root) as seen from the page at ``other``, as MkDocs'
    ``get_relative_url`` computes it: a page address ends in "/" or names a file."""
    if other != ".":
        head, tail = posixpath.split(other)
        other = head if "." in tail else other
    relative = posixpath.relpath("/" + url, "/" + other)
    return relative + "/" if url.endswith("/") else relative
