"""sitebuild/speedups.py and the patches it applies (jinja_templates, material_search,
pymdownx_highlight, print_site) change how long the build takes, never what it writes;
each stops the build, naming itself, on a version of its target it was not written for."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import jieba
import jinja2
import mkdocs_print_site_plugin
import pymdownx.highlight
import pytest
from material.plugins.search import plugin as search_plugin
from material.plugins.search.plugin import SearchIndex
from mkdocs.structure.toc import get_toc
from mkdocs.theme import Theme
from mkdocs_print_site_plugin import renderer as print_site_renderer
from mkdocs_print_site_plugin import urls
from pygments.lexers import get_lexer_by_name

from sitebuild import cache, hooks, material_search, print_site, speedups, versions  # noqa: F401
from tests.conftest import ROOT, Build
from tests.sitebuild.test_determinism import digests

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
    assert urls.update_anchor_ids is print_site.update_anchor_ids


@pytest.mark.parametrize("sample", SAMPLES)
def test_anchor_ids_match_print_site_on_tricky_html(sample: str):
    original = print_site_original()
    assert print_site.update_anchor_ids(sample, "keras") == original(sample, "keras")


def test_anchor_ids_match_print_site_on_built_pages(built_site: Build, tally):
    original = print_site_original()
    changed = 0
    for page in ["index.html", "keras/index.html", "glossary/index.html", "zh/keras/index.html"]:
        html = (built_site.site / page).read_text(encoding="utf-8")
        expected = original(html, "page")
        assert print_site.update_anchor_ids(html, "page") == expected, page
        changed += expected != html
        tally["pages whose print-site anchors were compared"] += 1
    assert changed, "no page had an id to rewrite: the comparison proves nothing"


def test_theme_environments_reuse_compiled_templates(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(cache, "TEMPLATE_CACHE", tmp_path)
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


# --- the search, highlight and page caches ---------------------------------------------
HEADING = re.compile(r'<h([23]) id="([^"]+)">(.*?)<a class="headerlink"')
ARTICLE = re.compile(r"<article[^>]*>(.*?)</article>", re.S)


@pytest.fixture
def caches(tmp_path: Path, monkeypatch) -> Path:
    """Empty search, highlight, page and font caches of the test's own."""
    for name in ("SEARCH_CACHE", "HIGHLIGHT_CACHE", "PAGE_CACHE", "FONT_CACHE"):
        monkeypatch.setattr(cache, name, tmp_path / name.lower())
    return tmp_path


def built_page(site: Path, path: str) -> SimpleNamespace:
    """A page as the search plugin sees it: the article's HTML and its table of contents."""
    content = ARTICLE.search((site / path).read_text(encoding="utf-8"))[1]
    tokens = [
        {"level": int(level), "id": anchor, "name": name, "children": []}
        for level, anchor, name in HEADING.findall(content)
    ]
    url = path.removesuffix("index.html")
    return SimpleNamespace(content=content, toc=get_toc(tokens), url=url, meta={}, title="T")


def zh_search_index() -> SearchIndex:
    user_dict = str(ROOT / "sitebuild" / "jieba_terms.txt")
    return SearchIndex(lang=["zh"], separator=r"[\s\-]+", pipeline=[], jieba_dict_user=user_dict)


def test_search_entries_come_back_from_the_cache_as_the_plugin_made_them(
    built_site: Build, caches: Path, tally
):
    plugin_made = SearchIndex.add_entry_from_context.__wrapped__
    for path in ["zh/keras/index.html", "keras/index.html", "zh/index.html"]:
        page = built_page(built_site.site, path)
        expected, first, again = zh_search_index(), zh_search_index(), zh_search_index()
        plugin_made(expected, page)
        SearchIndex.add_entry_from_context(first, page)  # made, then written to the cache
        SearchIndex.add_entry_from_context(again, page)  # read back
        assert len(expected.entries) > 1, f"{path}: too few sections to prove anything"
        assert first.entries == expected.entries == again.entries, path
        tally["pages whose cached search entries were compared"] += 1
    assert "\u200b" in json.dumps(expected.entries, ensure_ascii=False), "no Chinese was cut"
    assert len(list((caches / "search_cache").iterdir())) == 3

    changed = built_page(built_site.site, "zh/keras/index.html")
    changed.content = changed.content.replace("</p>", "（改）</p>", 1)
    expected, cached = zh_search_index(), zh_search_index()
    plugin_made(expected, changed)
    SearchIndex.add_entry_from_context(cached, changed)
    assert cached.entries == expected.entries, "an edited page got its old entries"


def test_a_cached_search_entry_is_read_not_made_again(built_site: Build, caches: Path):
    page = built_page(built_site.site, "keras/index.html")
    SearchIndex.add_entry_from_context(zh_search_index(), page)
    (entry,) = (caches / "search_cache").iterdir()
    entry.write_text('[{"location": "marker", "title": "", "text": ""}]', encoding="utf-8")
    index = zh_search_index()
    SearchIndex.add_entry_from_context(index, page)
    assert index.entries == [{"location": "marker", "title": "", "text": ""}]


def test_jieba_loads_its_dictionaries_only_when_it_first_cuts():
    tokenizer = jieba.Tokenizer()  # a tokenizer of the test's own, not jieba's global one
    deferred = material_search.DeferredJieba(tokenizer)
    deferred.load_userdict(str(ROOT / "sitebuild" / "jieba_terms.txt"))
    assert not tokenizer.initialized, "the dictionary was loaded before any text was cut"
    words = list(deferred.cut("模型发生了过拟合"))
    assert tokenizer.initialized
    assert "过拟合" in words, f"the user dictionary was not applied: {words}"
    assert isinstance(search_plugin.jieba, material_search.DeferredJieba)


def test_highlighted_code_comes_back_from_the_cache_as_pygments_made_it(caches: Path):
    code = (ROOT / "snippets" / "complete_example.py").read_text(encoding="utf-8")
    lexer = get_lexer_by_name("python", stripnl=False)
    pygments_made = pymdownx.highlight.highlight.__wrapped__
    formatters = [
        pymdownx.highlight.BlockHtmlFormatter(
            cssclass="highlight", wrapcode=True, hl_lines=lines, lineanchors="__codelineno-0"
        )
        for lines in ([], [2, 3], [4])
    ]
    for formatter in formatters:
        expected = pygments_made(code, lexer, formatter)
        assert pymdownx.highlight.highlight(code, lexer, formatter) == expected
        assert pymdownx.highlight.highlight(code, lexer, formatter) == expected
    assert len(list((caches / "highlight_cache").iterdir())) == len(formatters)


def test_page_rewrites_come_back_from_the_cache_as_first_made(built_site: Build, caches: Path):
    page = (built_site.site / "keras" / "index.html").read_text(encoding="utf-8")
    rewrite = print_site_renderer.fix_internal_links
    made = rewrite.__wrapped__(page, "keras/", directory_urls=True, heading_number="3")
    assert made != page
    for _ in range(2):
        assert rewrite(page, "keras/", directory_urls=True, heading_number="3") == made
    other = rewrite(page, "keras/", directory_urls=True, heading_number="4")
    assert other == made.replace('heading-number="3"', 'heading-number="4"', 1)

    notebook = (built_site.site / "notebooks" / "complete_example" / "index.html").read_text(
        encoding="utf-8"
    )
    assert "jupyter-wrapper" in notebook
    from sitebuild.notebook_css import slim_notebook_css

    assert cache.cached(slim_notebook_css, notebook) == slim_notebook_css(notebook)
    assert len(list((caches / "page_cache").iterdir())) == 3


def test_prune_deletes_only_entries_no_build_has_read_for_two_weeks(caches: Path):
    now = time.time()
    day = 24 * 3600
    ages = {
        "page_cache/old.html": 15 * day,
        "page_cache/recent.html": 13 * day,
        "page_cache/old-but-read.html": 30 * day,
        "font_cache/old.woff2": 15 * day,
        "font_cache/old-but-read.woff2": 30 * day,
    }
    for name, age in ages.items():
        path = caches / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(name, encoding="utf-8")
        os.utime(path, (now - age, now - age))
    assert cache.read(caches / "page_cache" / "old-but-read.html") == "page_cache/old-but-read.html"
    read = cache.cached_bytes(caches / "font_cache" / "old-but-read.woff2", bytes)
    assert read == b"font_cache/old-but-read.woff2"

    assert cache.prune(now) == 2
    left = sorted(p.relative_to(caches).as_posix() for p in caches.glob("*/*"))
    assert left == [
        "font_cache/old-but-read.woff2",
        "page_cache/old-but-read.html",
        "page_cache/recent.html",
    ]


def test_the_site_is_the_same_without_speedups_or_a_forked_chinese_build(
    built_site: Build, tmp_path: Path, tally
):
    """`mkdocs build` (the session's build: cached pieces, zh built in a forked process)
    against an in-process build with every speed-up off, one language after the other."""
    site = tmp_path / "site"
    code = (
        "from mkdocs.commands.build import build\n"
        "from mkdocs.config import load_config\n"
        f"build(load_config('mkdocs.yml', site_dir={str(site)!r}, strict=True))\n"
    )
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SITEBUILD_SPEEDUPS": "0"}
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert "[zh]" in built_site.output, "mkdocs build did not build zh in a forked process"
    assert "[zh]" not in output, "the in-process build forked"

    first, second = digests(built_site.site), digests(site)
    assert sorted(first) == sorted(second), "the two builds wrote different files"
    different = sorted(name for name in first if first[name] != second[name])
    assert not different, f"files that differ without the speed-ups: {different}"
    tally["files compared with and without speed-ups"] += len(first)


# --- each patch checks the version it was written for ------------------------------------
@pytest.mark.parametrize("patch", sorted(speedups.PATCHES))
def test_a_patch_refuses_a_version_it_was_not_written_for(patch: str, monkeypatch):
    module = speedups.PATCHES[patch]
    others = frozenset(speedups.PATCHES) - {patch}
    module.apply(others)  # the installed versions: no complaint
    monkeypatch.setattr(versions, "version", lambda distribution: "0.0.0")
    with pytest.raises(versions.PatchVersionError) as raised:
        module.apply(others)
    message = str(raised.value)
    assert f"the patch {patch!r} (sitebuild/{Path(module.__file__).name})" in message
    assert "0.0.0 is installed" in message


FAKE_VERSION = """
import importlib.metadata as metadata, sys
real = metadata.version
metadata.version = lambda d: "9.9" if d == "mkdocs-print-site-plugin" else real(d)
from mkdocs.__main__ import cli
sys.argv = ["mkdocs", "build", "--strict", "--site-dir", sys.argv[1]]
cli()
"""


def test_a_build_with_another_version_of_a_patched_plugin_fails_naming_the_patch(
    tmp_path: Path,
):
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    done = subprocess.run(
        [sys.executable, "-c", FAKE_VERSION, str(tmp_path / "site")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    output = done.stdout + done.stderr
    assert done.returncode != 0, output
    assert "the patch 'print-site" in output and "(sitebuild/print_site.py)" in output, output
    assert "written for mkdocs-print-site-plugin 2.9, and 9.9 is installed" in output, output
    assert not (tmp_path / "site" / "index.html").exists()


def test_an_unknown_patch_name_to_skip_is_an_error(monkeypatch):
    monkeypatch.setenv("SITEBUILD_SPEEDUPS_SKIP", "search cache, no such patch")
    with pytest.raises(ValueError, match="no such patch"):
        speedups.skipped()
    monkeypatch.setenv("SITEBUILD_SPEEDUPS_SKIP", "search cache, template cache")
    assert speedups.skipped() == {"search cache", "template cache"}
