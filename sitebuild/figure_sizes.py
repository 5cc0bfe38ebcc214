"""Figures in the page: each ``<img>`` gets its width and height (no layout shift while
it loads), and all but a page's first image load lazily."""

from __future__ import annotations

import re
import struct
from collections.abc import Iterable, Mapping
from urllib.parse import urljoin, urlsplit

from sitebuild.errors import BuildError

IMG = re.compile(r'<img (?P<attributes>[^>]*?)src="(?P<src>[^"]+\.(?:png|svg))"(?P<rest>[^>]*)>')
SVG_SIZE = re.compile(rb'<svg\b[^>]*?\swidth="([\d.]+)pt"\s+height="([\d.]+)pt"')


def figure_sources(files: Iterable[tuple[str, str | None]]) -> dict[str, str]:
    """Of ``(site path, source file)`` pairs, those of the PNG and SVG figures."""
    return {uri: src for uri, src in files if src and uri.endswith((".png", ".svg"))}


def figure_size(path: str) -> tuple[int, int]:
    """Width and height in CSS pixels of a PNG, or of an SVG that Matplotlib wrote (in pt)."""
    with open(path, "rb") as figure:
        head = figure.read(4096)
    if head.startswith(b"\x89PNG"):  # PNG header: width and height at bytes 16-24
        width, height = struct.unpack(">II", head[16:24])
        return width, height
    size = SVG_SIZE.search(head)
    if size is None:
        raise BuildError(f"{path}: no width and height in pt on its <svg> element")
    return round(float(size[1]) * 4 / 3), round(float(size[2]) * 4 / 3)


def sized_images(output: str, page_url: str, figures: Mapping[str, str], lazy: bool = True) -> str:
    """Every ``<img>`` of a figure in ``figures`` (site path -> source file) with its size;
    with ``lazy``, the browser fetches all but the first only when the reader scrolls near."""
    first = True

    def sized(match: re.Match[str]) -> str:
        nonlocal first
        tag = match[0]
        uri = urlsplit(urljoin("/" + page_url, match["src"])).path.lstrip("/")
        source = figures.get(uri)
        if source is None or " width=" in tag:
            return tag
        width, height = figure_size(source)
        extra = f' width="{width}" height="{height}" decoding="async"'
        if lazy and not first:
            extra += ' loading="lazy"'
        first = False
        return tag[:-1].rstrip("/").rstrip() + extra + ">"

    return IMG.sub(sized, output)
