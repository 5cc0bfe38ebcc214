"""sitebuild/print_site.py: the print page's repairs after mkdocs-print-site-plugin."""

from __future__ import annotations

from sitebuild import print_site

PAGES = {"ch": ("ch.md", "ch/"), "notebooks-ex": ("notebooks/ex.ipynb", "notebooks/ex/")}


def test_print_page_links_into_excluded_pages_and_skipped_ids_are_resolved(caplog):
    """The print-site plugin's two gaps, closed here: a link into a page the print view
    leaves out goes to that page, an id the plugin did not rename gets the name its links use;
    a link that still has no target is a warning (an error in a strict build)."""
    excluded = {"notebooks-ex": "notebooks/ex/"}
    output = (
        '<nav><li class="md-nav__item">\n<a href="#section-3" class="md-nav__link">N</a>\n</li>'
        '<li class="md-nav__item"><a href="#ch" class="md-nav__link">Ch</a></li></nav>'
        '<section class="print-page" id="ch" heading-number="1"><h1 id="ch-t">T</h1>'
        '<p>See <code>x</code> <a href="#notebooks-ex">the notebook</a>'
        '<sup id="fnref:a"><a href="#ch-fn:a">1</a></sup>, '
        '<a href="#notebooks-ex-step-2">step 2</a>.</p>'
        '<li id="ch-fn:a"><a href="#ch-fnref:a">back</a></li></section>'
        "<section class='print-page md-section' id='section-3' heading-number='3'>\n"
        "  <h1>N<a class='headerlink' href='#section-3'></a>\n  </h1>\n  </section>"
    )
    fixed = print_site.resolve_print_page_anchors(
        print_site.drop_empty_print_sections(output), excluded
    )
    assert 'href="../notebooks/ex/"' in fixed
    assert 'href="../notebooks/ex/#step-2"' in fixed
    assert '<sup id="ch-fnref:a">' in fixed and 'href="#ch-fnref:a"' in fixed
    assert "section-3" not in fixed and 'href="#ch"' in fixed
    assert not caplog.records
    print_site.resolve_print_page_anchors(fixed.replace('"#ch-fn:a"', '"#ch-fn:b"'), excluded)
    assert [r.getMessage() for r in caplog.records] == [
        "print_page/: in-page links with no target: ch-fn:b"
    ]


def test_the_print_page_is_finished_in_place_relative_and_numbered_in_its_language(tmp_path):
    page = tmp_path / "print_page" / "index.html"
    page.parent.mkdir()
    page.write_text(
        '<html><head><script>{"base": "/dropout/"}</script></head><body>'
        '<a href="/dropout/ch/">ch</a><img src="/dropout/ch/f.png">'
        '<section class="print-page" id="ch" heading-number="1"><h1 id="ch-t">T</h1>'
        '<a href="#notebooks-ex-x">x</a></section></body></html>',
        encoding="utf-8",
    )
    print_site.finish_print_page(
        page,
        site_url="https://example.org/dropout/",
        page_number_label="第 {page} 页",
        pages=PAGES,
        exclude_patterns=["notebooks/*"],
        figures={},
        math_characters=set(),
    )
    html = page.read_text(encoding="utf-8")
    assert '"base": ".."' in html and 'href="../ch/"' in html and 'src="../ch/f.png"' in html
    assert 'href="../notebooks/ex/#x"' in html
    assert '<link rel="stylesheet" href="../assets/stylesheets/print.css">' in html
    assert 'content: "第 " counter(page) " 页"' in html


def test_other_pages_lose_the_plugins_css_and_js():
    head = (
        '<link rel="stylesheet" href="../css/print-site.css">'
        '<link rel="stylesheet" href="../css/print-site-material.css">'
        '<link rel="stylesheet" href="../assets/site.css">'
        '<script defer src="../js/print-site.js"></script>'
    )
    assert print_site.drop_print_site_assets(head) == (
        '<link rel="stylesheet" href="../assets/site.css">'
    )
    assert print_site.page_key("notebooks/ex/") == "notebooks-ex"
