"""Links in the built site: every internal link and #anchor must resolve; external ones listed.

Run alone over a build: `.venv/bin/python -m tests.site.links site` prints every broken
internal link (exit 1 if any) and the external links with the pages that use them.
tests/site/test_links.py runs the same over the test build. Offline: nothing is fetched.
"""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

# Attributes that point at another resource, per tag.
LINK_ATTRIBUTES = {
    "a": "href",
    "link": "href",
    "area": "href",
    "img": "src",
    "script": "src",
    "source": "src",
    "iframe": "src",
    "audio": "src",
    "video": "src",
}
NOT_CHECKED_SCHEMES = {"mailto", "tel", "data", "javascript"}
# A well-formed external link: http(s), a host name with a dot, no spaces or quotes.
EXTERNAL_FORM = re.compile(r"^https?://[A-Za-z0-9.-]+\.[A-Za-z]{2,}(:\d+)?(/[^\s\"'<>]*)?$")


@dataclass
class Page:
    ids: set[str] = field(default_factory=set)
    links: list[str] = field(default_factory=list)


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name in ("id", "name") if tag == "a" else ("id",):
            if values.get(name):
                self.page.ids.add(values[name])
        attribute = LINK_ATTRIBUTES.get(tag)
        if attribute and values.get(attribute) is not None:
            self.page.links.append(values[attribute].strip())

    handle_startendtag = handle_starttag


def parse(path: Path) -> Page:
    collector = _Collector()
    collector.feed(path.read_text(encoding="utf-8"))
    return collector.page


@dataclass
class Report:
    pages: int = 0
    internal: int = 0  # internal links checked (a link with a #fragment counts once)
    anchors: int = 0  # of those, how many had a #fragment that was checked
    broken: list[str] = field(default_factory=list)  # "page: link (why)"
    external: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))


def site_path() -> str:
    """The path of site_url ("/dropout/"): the 404 pages link absolutely under it, since
    the host serves them at any address."""
    config = (Path(__file__).resolve().parents[2] / "mkdocs.yml").read_text(encoding="utf-8")
    match = re.search(r"^site_url:\s*(\S+)", config, re.M)
    return urlsplit(match[1]).path if match else "/"


def target_file(site: Path, page: Path, path: str, prefix: str = "/") -> Path | None:
    """The file a link path (relative to page, or site-absolute) names, if it exists."""
    base = PurePosixPath("/" + page.relative_to(site).as_posix()).parent
    if path.startswith(prefix) and prefix != "/":
        path = "/" + path[len(prefix) :]
    joined = PurePosixPath(path) if path.startswith("/") else base / path
    parts: list[str] = []
    for part in joined.parts[1:]:
        if part == "..":
            if parts:  # above the root stays at the root, as browsers resolve it (RFC 3986)
                parts.pop()
        elif part != ".":
            parts.append(part)
    target = site.joinpath(*parts)
    if target.is_dir():
        target = target / "index.html"
    return target if target.is_file() else None


def check_site(site: Path) -> Report:
    report = Report()
    prefix = site_path()
    html_files = sorted(site.rglob("*.html"))
    parsed = {path: parse(path) for path in html_files}
    report.pages = len(parsed)
    for path, page in parsed.items():
        where = path.relative_to(site).as_posix()
        for link in page.links:
            parts = urlsplit(link)
            if parts.scheme in NOT_CHECKED_SCHEMES:
                continue
            if parts.scheme or link.startswith("//"):
                report.external[link].append(where)
                continue
            report.internal += 1
            target = (
                path if not parts.path else target_file(site, path, unquote(parts.path), prefix)
            )
            if target is None:
                report.broken.append(f"{where}: {link} (no such file)")
                continue
            if parts.fragment and target.suffix == ".html":
                report.anchors += 1
                ids = parsed[target].ids if target in parsed else parse(target).ids
                if unquote(parts.fragment) not in ids:
                    report.broken.append(f"{where}: {link} (no id {parts.fragment!r} there)")
    return report


def badly_formed(external: dict[str, list[str]]) -> list[str]:
    return [
        f"{url} (on {', '.join(sorted(set(pages)))})"
        for url, pages in sorted(external.items())
        if not EXTERNAL_FORM.match(url)
    ]


def main(argv: list[str]) -> int:
    site = Path(argv[0] if argv else "site")
    report = check_site(site)
    print(f"{report.pages} pages, {report.internal} internal links ({report.anchors} anchors)")
    for url, pages in sorted(report.external.items()):
        print(f"external  {url}  ({len(set(pages))} pages)")
    for problem in [*report.broken, *(f"badly formed: {b}" for b in badly_formed(report.external))]:
        print(f"BROKEN    {problem}")
    return 1 if report.broken or badly_formed(report.external) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
