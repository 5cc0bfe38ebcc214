"""Every internal link and #anchor of the built site resolves, in both languages; external links
are gathered in one list and checked for form only (offline: nothing is fetched)."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.conftest import LANGUAGES, Build, page_url, source_pages
from tests.site import links


def test_every_internal_link_and_anchor_resolves(built_site: Build, tally):
    report = links.check_site(built_site.site)
    tally["built HTML pages link-checked"] += report.pages
    tally["internal links checked (incl. #anchors)"] += report.internal
    tally["#anchors checked"] += report.anchors
    assert report.internal > 0
    assert not report.broken, "broken internal links:\n" + "\n".join(report.broken)


def test_the_link_checker_covers_every_page_of_both_languages(built_site: Build):
    checked = {p.relative_to(built_site.site) for p in built_site.site.rglob("*.html")}
    for lang, folder in LANGUAGES.items():
        for page in source_pages(lang):
            assert Path(folder, page_url(page), "index.html") in checked, f"{lang}/{page}"


def test_external_links_are_well_formed(built_site: Build, tally):
    """The one place external links are gathered: `python -m tests.site.links site` lists them."""
    report = links.check_site(built_site.site)
    tally["external links (form only, not fetched)"] += len(report.external)
    assert report.external, "no external link found: the references page should have some"
    assert not links.badly_formed(report.external), links.badly_formed(report.external)


def test_the_link_checker_finds_a_broken_link_and_a_missing_anchor(
    built_site: Build, tmp_path: Path
):
    site = tmp_path / "site"
    shutil.copytree(built_site.site, site)
    page = site / "zh" / "index.html"
    html = page.read_text(encoding="utf-8")
    page.write_text(
        html.replace(
            "</article>",
            '<a href="../no-such-page/">x</a><a href="references/#no-such-id">y</a></article>',
            1,
        ),
        encoding="utf-8",
    )
    broken = links.check_site(site).broken
    assert broken == [
        "zh/index.html: ../no-such-page/ (no such file)",
        "zh/index.html: references/#no-such-id (no id 'no-such-id' there)",
    ]


def test_the_link_checker_checks_the_print_pages_in_page_anchors(built_site: Build, tmp_path: Path):
    """The print view's anchors are checked like any other: a broken one is reported."""
    site = tmp_path / "site"
    shutil.copytree(built_site.site, site)
    for folder in LANGUAGES.values():
        page = site / folder / "print_page" / "index.html"
        html = page.read_text(encoding="utf-8")
        assert 'href="#complete-example-model"' in html, "the print view's in-page link moved"
        page.write_text(
            html.replace('href="#complete-example-model"', 'href="#complete-example-modle"', 1),
            encoding="utf-8",
        )
    assert links.check_site(site).broken == [
        f"{folder}print_page/index.html: #complete-example-modle "
        "(no id 'complete-example-modle' there)"
        for folder in sorted(LANGUAGES.values())
    ]


def test_badly_formed_external_links_are_reported():
    external = {
        "https://arxiv.org/abs/1207.0580": ["a.html"],
        "//zh/": ["404.html"],
        "https://exa mple.org/": ["b.html"],
        "http:/typo.org": ["c.html"],
    }
    assert links.badly_formed(external) == [
        "//zh/ (on 404.html)",
        "http:/typo.org (on c.html)",
        "https://exa mple.org/ (on b.html)",
    ]
