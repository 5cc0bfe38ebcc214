"""sitebuild/speedups.py changes how long the build takes, never what it writes."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import jinja2
import mkdocs_print_site_plugin
import pytest
from mkdocs.theme import Theme
from mkdocs_print_site_plugin import urls

from sitebuild import hooks, speedups  # noqa: F401  (importing hooks applies the speed-ups)
from tests.conftest import Build

# Tags with and without ids, ids that repeat, upper case, a tag name that runs into
# the next tag, an id value across a line end, a heading without an id before one with.
SAMPLES = [
    '<h2 id="model">Model<a class="headerlink" href="#model" title="Link">¶</a></h2>',
    '<p>Plain <abbr title="x">text</abbr>, <span class="a">b</span>, no id at all.</p>' * 40,
    '<H3 ID="Upper">Upper case</H3>\n<h2 ID="mixed">Mixed case</h2>\n<li Id="m">m</li>',
    '<li id="fn:1"><p>A note.&#160;<a class="footnote-backref" href="#fnref:1">↩</a></p></li>',
    '<sup id="fnref:1"><a class="footnote-ref" href="#fn:1">1</a></sup>',
    '<div><h2 id="again">A</h2><h2 id="again">A</h2></div><h3 id="again-2">B</h3>',
    '<span id="__span-0-1"><a id="__codelineno-0-1" name="__codelineno-0-1" '
    'href="#__codelineno-0-1"></a><span class="kn">import</span><span class="w"> </span></span>',
    '<h4>No id</h4> and later on the line <li id="later">x</li>',
    '<h2 id="across\na-line-end">x</h2>\n<h2\nid="next-line">y</h2>',
    '<p>a < b, and <h5 id="q">q</h5> <h6 id=\'single\'>s</h6><h1id="glued">g</h1>',
    '<input id="__tabbed_1_1" name="__tabbed_1" type="radio"><label for="__tabbed_1_1">A</label>',
]


def print_site_original():
    """print-site's own update_anchor_ids, from a private copy of its module."""
    path = Path(mkdocs_print_site_plugin.__file__).with_name("urls.py")
    spec = importlib.util.spec_from_file_location("print_site_urls_original", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.update_anchor_ids


def test_print_site_uses_the_faster_anchor_ids():
    assert urls.update_anchor_ids is speedups.update_anchor_ids


@pytest.mark.parametrize("sample", SAMPLES)
def test_anchor_ids_match_print_site_on_tricky_html(sample: str):
    original = print_site_original()
    assert speedups.update_anchor_ids(sample, "keras") == original(sample, "keras")


def test_anchor_ids_match_print_site_on_built_pages(built_site: Build, tally):
    original = print_site_original()
    changed = 0
    for page in ["index.html", "keras/index.html", "glossary/index.html", "zh/keras/index.html"]:
        html = (built_site.site / page).read_text(encoding="utf-8")
        expected = original(html, "page")
        assert speedups.update_anchor_ids(html, "page") == expected, page
        changed += expected != html
        tally["pages whose print-site anchors were compared"] += 1
    assert changed, "no page had an id to rewrite: the comparison proves nothing"


def test_theme_environments_reuse_compiled_templates(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(speedups, "TEMPLATE_CACHE", tmp_path)
    theme = Theme(name="material", locale="en")
    expected = theme.get_env().get_template("main.html")
    assert list(tmp_path.iterdir()), "the first environment cached nothing"

    env = theme.get_env()  # a new environment, as the next build or plugin makes

    def compile_again(*args, **kwargs):
        raise AssertionError("a cached template was compiled again")

    env.compile = compile_again
    template = env.get_template("main.html")
    assert isinstance(env.bytecode_cache, jinja2.FileSystemBytecodeCache)
    assert template.blocks.keys() == expected.blocks.keys()
