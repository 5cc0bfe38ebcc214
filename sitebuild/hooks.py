"""MkDocs hooks: the only place where the site build and the examples meet.

- ``on_config``: make sure every example has results (running stale ones once), and
  let abbreviations (the glossary's hover definitions) match Chinese terms.
- ``on_files``: add each example's figures and executed notebook to the site, and
  KaTeX's stylesheet and fonts from ``node_modules`` (the math itself is rendered at
  build time by ``sitebuild/katex.py``; no KaTeX JavaScript reaches the reader).
- ``on_page_markdown``: fill ``{{ example.value:format }}`` and
  ``{{ example.output.section }}`` in with the run's own numbers and printed text,
  and turn ``<!-- hl_lines="2 3" -->`` before a ```` ```python ```` fence into line
  highlighting (the fence itself stays exactly ```` ```python ````, which is all
  that pytest-codeblocks collects).
- ``on_page_content``: the take-away links (program, executed notebook, Colab) under
  the title of every page that explains an example and of its notebook.
- ``on_post_page``: render math, load KaTeX's CSS only on pages that contain math,
  and the interactive widgets' scripts only on pages that contain a widget; size
  figures; slim notebook pages' CSS.
- ``on_post_build``: finish the print page (relative links, math, every in-page link
  resolving: see "the print page's in-page links"), cut KaTeX's fonts down to the
  characters this language's math shows (``katex.subset_fonts``); the English build
  builds the Chinese site into ``zh/``.
- ``mkdocs build`` builds the Chinese site at the same time as the English one, in a
  forked copy of the English build's process (which has already imported MkDocs and
  every plugin), once the examples have their results and the English build has
  cleaned the site folder; the English build waits for it and fails if it failed. Its
  log lines start with ``[zh]``. ``mkdocs serve``, an in-process build and a system
  without ``os.fork`` build the two one after the other.

The public address and the repository are set once, as ``site_url`` and
``repo_url`` in ``mkdocs.yml``; everything here that links to them derives from
those two (README, "Publishing").

Each language is a full MkDocs build of its own config (``mkdocs.yml``,
``mkdocs.zh.yml``); README's "How the site is built" says why.
"""

from __future__ import annotations

import functools
import hashlib
import html
import json
import logging
import os
import re
import signal
import struct
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import nbformat
from markdown.extensions.abbr import AbbrExtension, AbbrTreeprocessor
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url
from mkdocs_print_site_plugin.exclude import exclude
from mkdocs_print_site_plugin.urls import get_page_key

# MkDocs loads this file by path; make the package beside it importable.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from sitebuild import examples, figures, fonts, katex, notebook_text, speedups
from sitebuild.katex import render_math

speedups.apply()

ROOT = examples.ROOT
TRANSLATIONS = {"zh": "mkdocs.zh.yml"}  # built into <site>/<lang>/ by the English build
# The commands that may build the translations in forked processes. `serve` is not one:
# its rebuilds run beside the server's threads, and forking a threaded process is unsafe.
PARALLEL_COMMANDS = {"build", "gh-deploy"}
NOTEBOOK_DIR = ROOT / ".cache" / "notebooks"
KATEX_DIST = ROOT / "node_modules" / "katex" / "dist"
KATEX_FILES = ["katex-swap.min.css"]  # math is rendered at build time (sitebuild/katex.py)
# {{ complete_example.test_accuracy:.3f }}: a value, with an optional format spec.
VALUE = re.compile(r"\{\{\s*(?P<name>\w+)\.(?P<path>[\w.-]+?)(?::(?P<format>[^}\s]+))?\s*\}\}")
# {{ complete_example.output.log }} alone on a line: that section's printed text as a block.
OUTPUT = re.compile(
    r"^(?P<indent>[ \t]*)\{\{\s*(?P<name>\w+)\.output\.(?P<section>[\w-]+)\s*\}\}[ \t]*$", re.M
)

# <!-- hl_lines="2 3-4" --> on the line(s) before a ```python fence.
HL_LINES = re.compile(
    r'^(?P<indent>[ \t]*)<!--\s*hl_lines="(?P<lines>[\d -]+)"\s*-->[ \t]*\n'
    r"(?P<gap>(?:[ \t]*\n)*)(?P=indent)```python[ \t]*$",
    re.M,
)
# The deploy workflow publishes site/ to this branch; Colab opens notebooks from it.
PAGES_BRANCH = "gh-pages"
COLAB = "https://colab.research.google.com/github/{repo}/blob/{branch}/{path}"

log = logging.getLogger("mkdocs.sitebuild")
logging.getLogger("jieba").setLevel(
    logging.WARNING
)  # Material's search imports it; quiet its banner
# nbconvert warns for every figure without alt text (its template has no way to
# set one) and then writes a generic alt; on_post_page replaces it with ours.
logging.getLogger("traitlets").setLevel(logging.ERROR)
NBCONVERT_ALT = 'alt="No description has been provided for this image"'
_results: dict[str, examples.Results] = {}
# Every character this language's rendered math shows, for katex.subset_fonts. Each
# language's build loads this module anew (MkDocs loads hooks by path), so each has its own.
_math_characters: set[str] = set()


class _CjkAbbrTreeprocessor(AbbrTreeprocessor):
    """Abbreviations that also match inside Chinese text.

    Python-Markdown wraps a term only between ``\\b`` word boundaries, and there is
    none between two Chinese characters, so 过拟合 in 发生过拟合时 would never get its
    definition. Here a term may not continue a Latin word or number, nothing more.
    """

    def run(self, root):
        if not self.abbrs:
            return None
        terms = sorted(self.abbrs, key=len, reverse=True)
        alternatives = "|".join(re.escape(term) for term in terms)
        self.RE = re.compile(f"(?<![A-Za-z0-9_])(?:{alternatives})(?![A-Za-z0-9_])")
        self.iter_element(root)
        return None


class _CjkAbbrExtension(AbbrExtension):
    def extendMarkdown(self, md):
        super().extendMarkdown(md)
        md.treeprocessors.register(_CjkAbbrTreeprocessor(md, self.abbrs), "abbr", 7)


def _use_cjk_abbreviations(config: MkDocsConfig) -> None:
    extensions = config.markdown_extensions
    if "abbr" in extensions:
        options = config.mdx_configs.pop("abbr", {})
        extensions[extensions.index("abbr")] = _CjkAbbrExtension(**options)


def _use_language_snippets(config: MkDocsConfig) -> None:
    """Pages include, and readers download, the snippets as drawn in the page's language."""
    options = config.mdx_configs["pymdownx.snippets"]
    folder = figures.snippet_folder(
        examples.SNIPPETS_DIR, figures.SNIPPET_CACHE, config.theme["language"]
    )
    options["base_path"] = [str(folder) if p == "snippets" else p for p in options["base_path"]]


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    _use_cjk_abbreviations(config)
    _use_language_snippets(config)
    if problem := fonts.missing_cjk_font():
        raise PluginError(problem)
    try:
        _results.clear()
        _results.update(examples.ensure_results())
    except examples.ExampleError as error:
        raise PluginError(f"an example failed, so the site was not built:\n{error}") from None
    # Absolute address of each language's root, for the sitemap's hreflang alternates.
    for alternate in config.extra.get("alternate", []):
        alternate["url"] = urljoin(config.site_url or "", alternate["link"])
    described = set(config.extra.get("examples", {}))
    if missing := sorted(set(_results) - described):
        raise PluginError(
            f"{config.config_file_path}: extra.examples has no title and page for {missing}"
        )
    return config


def _notebook_for(language: str, name: str, config: MkDocsConfig) -> Path:
    """The executed notebook with a first cell in the page's language."""
    meta = config.extra["examples"][name]
    own = _results[name].entry / figures.notebook_name(language)  # one with its own figures
    nb = nbformat.read(own if own.exists() else _results[name].notebook, as_version=4)
    sections = [cell["section"] for cell in _results[name].cells]
    nb = notebook_text.annotate(nb, language, name, sections)  # words in the page's language
    # Absolute when the site has an address: the notebook also travels (download, Colab).
    page = urljoin(config.site_url, meta["page"]) if config.site_url else f"../../{meta['page']}"
    intro = config.extra["notebook_intro"].format(page=page, download=f"{name}.ipynb")
    title = nbformat.v4.new_markdown_cell(f"# {meta['title']}\n\n{intro}")
    title.id = "title"
    nb.cells.insert(0, title)
    path = NOTEBOOK_DIR / language / "notebooks" / f"{name}.ipynb"
    path.parent.mkdir(parents=True, exist_ok=True)
    text = nbformat.writes(nb) + "\n"
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")
    return path


def _file(config: MkDocsConfig, relative: Path, src_dir: Path) -> File:
    return File(
        relative.as_posix(),
        src_dir=str(src_dir),
        dest_dir=config.site_dir,
        use_directory_urls=config.use_directory_urls,
    )


@event_priority(100)  # before mkdocs-jupyter turns .ipynb files into pages
def on_files(files: Files, config: MkDocsConfig) -> Files:
    language = config.theme["language"]
    if language == "en":  # the site folder is clean now, and every example has results
        _start_translations(config)
    for name, results in sorted(_results.items()):
        notebook = _notebook_for(language, name, config)
        # A File with a real src_dir: mkdocs-jupyter's wrapper cannot read generated files.
        files.append(
            _file(config, notebook.relative_to(NOTEBOOK_DIR / language), notebook.parents[1])
        )
        snippets = figures.snippet_folder(examples.SNIPPETS_DIR, figures.SNIPPET_CACHE, language)
        snippet = snippets / f"{name}.py"  # the file to take away
        files.append(File.generated(config, f"snippets/{name}.py", abs_src_path=str(snippet)))
        for relative, folder in figures.site_files(results.entry, language):
            files.append(_file(config, Path(relative), folder))
    for relative in KATEX_FILES + [
        f"fonts/{p.name}" for p in sorted((KATEX_DIST / "fonts").glob("*.woff2"))
    ]:
        source = KATEX_DIST / relative
        if not source.exists():
            raise PluginError(f"{source} is missing: run `make setup` (npm ci) first")
        files.append(File.generated(config, f"assets/katex/{relative}", abs_src_path=str(source)))
    _figures.clear()
    _figures.update(
        {
            f.dest_uri: f.abs_src_path
            for f in files
            if f.dest_uri.endswith((".png", ".svg")) and f.abs_src_path
        }
    )
    return files


def _results_for(name: str, page: Page) -> examples.Results:
    if name not in _results:
        raise PluginError(f"{page.file.src_uri}: there is no example named {name!r}")
    return _results[name]


def _value(name: str, path: str, page: Page) -> object:
    value: object = _results_for(name, page).values
    for part in path.split("."):
        if isinstance(value, dict) and part in value:
            value = value[part]
        elif isinstance(value, list) and re.fullmatch(r"-?\d+", part):
            value = value[int(part)]
        else:
            raise PluginError(f"{page.file.src_uri}: example {name!r} has no value {path!r}")
    return value


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    def output(match: re.Match[str]) -> str:
        outputs = _results_for(match["name"], page).outputs
        if match["section"] not in outputs:
            example, section = match["name"], match["section"]
            raise PluginError(
                f"{page.file.src_uri}: example {example!r} has no section {section!r}"
            )
        indent = match["indent"]
        lines = outputs[match["section"]].rstrip("\n").split("\n")
        body = "\n".join(indent + line if line else "" for line in lines)
        return f"{indent}```text\n{body}\n{indent}```"

    def value(match: re.Match[str]) -> str:
        found = _value(match["name"], match["path"], page)
        try:
            return format(found, match["format"] or "")
        except (TypeError, ValueError) as error:
            raise PluginError(f"{page.file.src_uri}: cannot format {match[0]}: {error}") from None

    def highlight(match: re.Match[str]) -> str:
        indent = match["indent"]
        return f'{match["gap"]}{indent}```python hl_lines="{match["lines"].strip()}"'

    markdown = HL_LINES.sub(highlight, markdown)
    return VALUE.sub(value, OUTPUT.sub(output, markdown))


# A page that contains the marker gets these stylesheets and scripts, and no other page does.
PAGE_ASSETS = [
    (
        'class="arithmatex"',
        ["katex/katex-swap.min.css"],
        [],
    ),
    (
        'class="dropout-widget"',
        ["stylesheets/interactive.css"],
        ["javascripts/dropout-core.js", "javascripts/interactive.js"],
    ),
]


NAMELESS_HEADING = re.compile(r'<h([1-6]) id="">(.*?)<a class="anchor-link" href="#">')


def _name_notebook_headings(output: str, page: Page) -> str:
    """Give nbconvert's id-less headings (Chinese text slugs to "") the table of contents' ids.

    mkdocs-jupyter builds the page's table of contents with Python-Markdown, which names such
    a heading `_1`; Material's "skip to content" link and the sidebar point there.
    """
    ids = iter([item.id for item in page.toc.items] if page.toc.items else [])

    def name(match: re.Match[str]) -> str:
        anchor = next(ids, "")
        if not anchor:
            return match[0]
        return f'<h{match[1]} id="{anchor}">{match[2]}<a class="anchor-link" href="#{anchor}">'

    output = NAMELESS_HEADING.sub(name, output, count=1)
    # Code cells scroll sideways: keyboard users must be able to focus them (axe-core).
    return output.replace('<div class="highlight-ipynb', '<div tabindex="0" class="highlight-ipynb')


def language_folder(config: MkDocsConfig) -> str:
    """Where this language's site sits in the published site: "" or "zh/"."""
    language = config.theme["language"]
    return f"{language}/" if language in TRANSLATIONS else ""


def github_repo(config: MkDocsConfig) -> str | None:
    """``owner/name`` when ``repo_url`` is a GitHub repository, else None."""
    parts = urlsplit(config.repo_url or "")
    if parts.netloc != "github.com" or parts.path.strip("/").count("/") != 1:
        return None
    return parts.path.strip("/").removesuffix(".git")


def takeaway_links(name: str, page: Page, config: MkDocsConfig) -> dict[str, str]:
    """The program, its executed notebook and the notebook in Colab, for one example."""
    notebook = f"notebooks/{name}/{name}.ipynb"
    links = {
        "download_py": get_relative_url(f"snippets/{name}.py", page.url),
        "download_ipynb": get_relative_url(notebook, page.url),
    }
    if repo := github_repo(config):
        path = language_folder(config) + notebook
        links["open_in_colab"] = COLAB.format(repo=repo, branch=PAGES_BRANCH, path=path)
    return links


def _takeaway_html(names: list[str], page: Page, config: MkDocsConfig) -> str:
    labels = config.extra["labels"]
    parts = []
    for name in names:
        links = []
        for key, href in takeaway_links(name, page, config).items():
            external = href.startswith("https://")
            attributes = ' target="_blank" rel="noopener"' if external else " download"
            links.append(
                f'<a class="md-button" data-takeaway="{key}" href="{html.escape(href)}"'
                f"{attributes}>{html.escape(labels[key])}</a>"
            )
        parts.append(
            f'<p class="takeaway" data-example="{name}">'
            f"<span>{html.escape(labels['takeaway'])}</span> {' '.join(links)}</p>"
        )
    return "".join(parts)


def on_page_content(html_text: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    names = [
        name
        for name, meta in config.extra.get("examples", {}).items()
        if name in _results and page.url in (meta["page"], f"notebooks/{name}/")
    ]
    if not names:
        return html_text
    block = _takeaway_html(names, page, config)
    title_end = html_text.find("</h1>")
    if title_end < 0:
        return block + html_text
    title_end += len("</h1>")
    return html_text[:title_end] + block + html_text[title_end:]


def on_page_context(context: dict, page: Page, config: MkDocsConfig, nav: object) -> dict:
    _remember_page_for_print(page)
    # A notebook is generated from the example: "Edit this page" edits the example.
    src = page.file.src_uri
    if src.startswith("notebooks/") and src.endswith(".ipynb") and config.repo_url:
        name = Path(src).stem
        base = urljoin(config.repo_url.rstrip("/") + "/", config.edit_uri or "")
        page.edit_url = urljoin(base, f"../../snippets/{name}.py")
    return context


def _with_assets(output: str, page_url: str) -> str:
    """Load each PAGE_ASSETS entry (KaTeX, the widgets) only on pages that use it."""

    def asset(path: str) -> str:
        return get_relative_url(f"assets/{path}", page_url)

    for marker, stylesheets, scripts in PAGE_ASSETS:
        if marker in output:
            head = "".join(f'<link rel="stylesheet" href="{asset(p)}">' for p in stylesheets)
            head += "".join(f'<script defer src="{asset(p)}"></script>' for p in scripts)
            output = output.replace("</head>", head + "</head>", 1)
    return output


# --- notebook pages: keep only the CSS they use ----------------------------------------
# mkdocs-jupyter inlines all of JupyterLab's CSS (~590 KB) into every notebook page.
# Up to the first </style>; "[^<]*" scans a 590 KB sheet far faster than a lazy ".*?".
STYLE = re.compile(r"(<style[^>]*>)([^<]*(?:<(?!/style>)[^<]*)*)(</style>)")
CSS_CLASS = re.compile(r"\.(-?[_a-zA-Z][\w-]*)")
CSS_VARIABLE = re.compile(r"(--[\w-]+)\s*:\s*[^;{}]*(?:;|(?=\}))")


CSS_BRACE = re.compile(r"[{}]")
SELECTOR_NESTING = re.compile(r"[()\[\],]")


def _css_blocks(css: str) -> list[tuple[str, str]]:
    """Top-level ``(prelude, body)`` pairs of a style sheet; at-rule bodies stay raw."""
    blocks, start = [], 0
    while (open_brace := css.find("{", start)) >= 0:
        depth, end = 1, len(css)  # an unclosed block runs to the end
        for brace in CSS_BRACE.finditer(css, open_brace + 1):
            depth += 1 if brace[0] == "{" else -1
            if not depth:
                end = brace.end()
                break
        blocks.append((css[start:open_brace].strip(), css[open_brace + 1 : end - 1]))
        start = end
    return blocks


def _selector_list(prelude: str) -> list[str]:
    """Split a selector list at its top-level commas (not those inside :is(...) or [...])."""
    parts, depth, start = [], 0, 0
    for match in SELECTOR_NESTING.finditer(prelude):
        char = match[0]
        depth += {"(": 1, "[": 1, ")": -1, "]": -1}.get(char, 0)
        if char == "," and depth == 0:
            parts.append(prelude[start : match.start()].strip())
            start = match.end()
    return [*parts, prelude[start:].strip()]


def _classes_needed(selector: str) -> frozenset[str]:
    """The classes an element must have somewhere on the page for ``selector`` to match."""
    plain = re.sub(r":(?:not|is|where|has)\([^)]*\)", "", selector)
    return frozenset(CSS_CLASS.findall(plain))


@dataclass(frozen=True)
class _CssBlock:
    prelude: str
    body: str
    selectors: tuple[tuple[str, frozenset[str]], ...] = ()  # a rule's, with _classes_needed
    inner: tuple[_CssBlock, ...] | None = None  # the blocks inside @media and @supports


@functools.lru_cache(maxsize=32)
def _parsed_css(css: str) -> tuple[_CssBlock, ...]:
    """A style sheet cut into blocks, once per build: every notebook page inlines the same
    sheets, only the classes they are filtered by differ from page to page."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)  # comments ("/* Name.Class */")
    css = re.sub(r'@charset\s+"[^"]*"\s*;', "", css)  # a statement, not a block
    blocks = []
    for prelude, body in _css_blocks(css):
        if prelude.startswith(("@media", "@supports")):
            blocks.append(_CssBlock(prelude, body, inner=_parsed_css(body)))
        elif prelude.startswith("@"):
            if not prelude.startswith("@charset"):
                blocks.append(_CssBlock(prelude, body))
        else:
            selectors = tuple((s, _classes_needed(s)) for s in _selector_list(prelude))
            blocks.append(_CssBlock(prelude, body, selectors))
    return tuple(blocks)


def _kept_css(blocks: tuple[_CssBlock, ...], classes: set[str]) -> str:
    kept = []
    for block in blocks:
        if block.inner is not None:
            if inner := _kept_css(block.inner, classes):
                kept.append(f"{block.prelude}{{{inner}}}")
        elif block.prelude.startswith("@"):
            kept.append(f"{block.prelude}{{{block.body}}}")
        elif selectors := [s for s, needed in block.selectors if needed <= classes]:
            kept.append(f"{','.join(selectors)}{{{block.body}}}")
    return "".join(kept)


def _used_css(css: str, classes: set[str]) -> str:
    return _kept_css(_parsed_css(css), classes)


def slim_notebook_css(output: str) -> str:
    """Drop the rules whose selectors name a class that no element of the page has,
    then the custom properties that no kept rule uses. mkdocs-jupyter adds no classes
    at run time, and Material's own style sheets are files, untouched: the notebook
    page's computed styles stay the same (checked element by element, both palettes),
    at about a third of the weight."""
    classes = {name for m in re.finditer(r'class="([^"]*)"', output) for name in m[1].split()}
    styles = [(m, _used_css(m[2], classes)) for m in STYLE.finditer(output)]
    while True:  # custom properties no kept rule of any style block uses
        used = {v for _, css in styles for v in re.findall(r"var\(\s*(--[\w-]+)", css)}
        slimmer = [
            (m, CSS_VARIABLE.sub(lambda d, used=used: d[0] if d[1] in used else "", css))
            for m, css in styles
        ]
        if slimmer == styles:
            break
        styles = slimmer
    pieces, last = [], 0
    for m, css in styles:
        pieces += [output[last : m.start()], f"{m[1]}{css}{m[3]}" if css else ""]
        last = m.end()
    return "".join(pieces) + output[last:]


NOTEBOOK_CSS = "assets/stylesheets/notebook"
INLINE_CSS_LIMIT = 8192  # bytes; a smaller block costs less inline than a request


def external_styles(output: str, page_url: str, site_dir: str) -> str:
    """Move each large <style> block into a file named by its content, linked in its
    place (same cascade order). Parsing ~100 KB of CSS inside the HTML delayed the first
    paint and doubled Lighthouse's total blocking time on notebook pages; as a file,
    one download serves every notebook page."""

    def external(match: re.Match[str]) -> str:
        css = match[2]
        if len(css) < INLINE_CSS_LIMIT:
            return match[0]
        uri = f"{NOTEBOOK_CSS}/{hashlib.sha256(css.encode()).hexdigest()[:16]}.css"
        path = Path(site_dir) / uri
        if not path.exists():  # same content, same file: pages share it
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_suffix(f".{os.getpid()}.partial")
            partial.write_text(css, encoding="utf-8")
            partial.replace(path)
        media = re.search(r'\smedia="[^"]*"', match[1])
        return f'<link rel="stylesheet" href="{get_relative_url(uri, page_url)}"' + (
            f"{media[0]}>" if media else ">"
        )

    return STYLE.sub(external, output)


IMG = re.compile(r'<img (?P<attributes>[^>]*?)src="(?P<src>[^"]+\.(?:png|svg))"(?P<rest>[^>]*)>')
_figures: dict[str, str] = {}  # dest_uri -> source path of every PNG and SVG in the site
SVG_SIZE = re.compile(rb'<svg\b[^>]*?\swidth="([\d.]+)pt"\s+height="([\d.]+)pt"')


def figure_size(path: str) -> tuple[int, int]:
    """Width and height in CSS pixels of a PNG, or of an SVG that Matplotlib wrote (in pt)."""
    with open(path, "rb") as figure:
        head = figure.read(4096)
    if head.startswith(b"\x89PNG"):  # PNG header: width and height at bytes 16-24
        width, height = struct.unpack(">II", head[16:24])
        return width, height
    size = SVG_SIZE.search(head)
    if size is None:
        raise PluginError(f"{path}: no width and height in pt on its <svg> element")
    return round(float(size[1]) * 4 / 3), round(float(size[2]) * 4 / 3)


def _sized_images(output: str, page_url: str, lazy: bool = True) -> str:
    """Give every figure its width and height (no layout shift while it loads), and let
    the browser fetch all but a page's first image only when the reader scrolls near."""
    first = True

    def sized(match: re.Match[str]) -> str:
        nonlocal first
        tag = match[0]
        uri = urlsplit(urljoin("/" + page_url, match["src"])).path.lstrip("/")
        source = _figures.get(uri)
        if source is None or " width=" in tag:
            return tag
        width, height = figure_size(source)
        extra = f' width="{width}" height="{height}" decoding="async"'
        if lazy and not first:
            extra += ' loading="lazy"'
        first = False
        return tag[:-1].rstrip("/").rstrip() + extra + ">"

    return IMG.sub(sized, output)


PRINT_SITE_ASSETS = re.compile(
    r'<link rel="stylesheet" href="[^"]*css/print-site(?:-material)?\.css">'
    r'|<script (?:defer )?src="[^"]*js/print-site\.js"></script>'  # defer: overrides/main.html
)


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    # The print-site plugin's CSS and JS style and arrange only its own page (which
    # skips this event), yet it adds them to every page: three requests, two of them
    # render-blocking, on each first visit.
    output = PRINT_SITE_ASSETS.sub("", _sized_images(output, page.url))
    if "jupyter-wrapper" in output:
        output = speedups.cached(slim_notebook_css, output)
        output = external_styles(output, page.url, config.site_dir)
    if NBCONVERT_ALT in output:
        alt = html.escape(config.extra["labels"]["notebook_figure"], quote=True)
        output = output.replace(NBCONVERT_ALT, f'alt="{alt}"')
    if page.file.src_uri.endswith(".ipynb"):
        output = _name_notebook_headings(output, page)
    return _with_assets(render_math(output, page.file.src_uri, _math_characters), page.url)


PRINT_PAGE = "print_page/"


def _finish_print_page(config: MkDocsConfig) -> None:
    """The print-site plugin renders its page with the 404 page's context, whose links
    are absolute paths from site_url, and skips on_post_page: make its links relative
    (so it works at any address) and load KaTeX for its math."""
    path = Path(config.site_dir) / PRINT_PAGE / "index.html"
    if not path.exists():
        return
    output = path.read_text(encoding="utf-8")
    base = urlsplit(config.site_url or "/").path
    if base != "/":
        output = output.replace(f'"base": "{base}"', '"base": ".."')
        for attribute in ("href", "src", "action"):
            output = output.replace(f'{attribute}="{base.rstrip("/")}/', f'{attribute}="../')
            output = output.replace(f'{attribute}="{base}', f'{attribute}="../')
    # Figures stay eager here: a reader may print without scrolling, and not every
    # browser fetches lazy images before it prints.
    output = render_math(output, PRINT_PAGE, _math_characters)
    output = _sized_images(output, PRINT_PAGE, lazy=False)
    output = _drop_empty_print_sections(output)
    output = _resolve_print_page_anchors(output, config)
    output = _with_print_styles(output, config)
    path.write_text(_with_assets(output, PRINT_PAGE), encoding="utf-8")


# --- the print page's in-page links ---------------------------------------------------
# The print-site plugin turns a link to another page into an in-page anchor, "page/#x" into
# "#page-x", and renames ids to "page-x" to match. Two gaps, closed here after it has run:
# links to pages it leaves out (`exclude`, the notebooks) point at anchors that are not on
# the print page, and its id renaming (a regex that can run across tags on one long line,
# as Chinese paragraphs are) skips some ids, such as a footnote reference's <sup id>.
_print_pages: dict[str, Page] = {}  # the plugin's page key ("notebooks-x") -> the page
PRINT_ID = re.compile(r"""\sid=(["'])(.*?)\1""")
PRINT_HREF = re.compile(r'href="#([^"]+)"')
PRINT_PAGE_SECTION = re.compile(r'<section class="print-page" id="([^"]+)" heading-number=')
PRINT_ANY_SECTION = re.compile(r"""<section class=["']print-page[ "']""")
EMPTY_PRINT_SECTION = re.compile(
    r"<section class='print-page md-section' id='([^']+)'[^>]*>\s*<h1>.*?</h1>\s*</section>", re.S
)


def on_pre_build(config: MkDocsConfig) -> None:
    _print_pages.clear()
    _math_characters.clear()


def _remember_page_for_print(page: Page) -> None:
    _print_pages[get_page_key(page.url)] = page


def _drop_empty_print_sections(output: str) -> str:
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


def _link_excluded_pages(output: str, config: MkDocsConfig) -> str:
    """A link into a page left out of the print page goes to that page itself."""
    patterns = config.plugins["print-site"].config["exclude"]
    excluded = {
        key: page for key, page in _print_pages.items() if exclude(page.file.src_path, patterns)
    }
    ids = _print_page_ids(output)

    def link(match: re.Match[str]) -> str:
        anchor = match[1]
        if anchor in ids:
            return match[0]
        for key in sorted(excluded, key=len, reverse=True):
            if anchor == key or anchor.startswith(f"{key}-"):
                href = get_relative_url(excluded[key].url, PRINT_PAGE)
                fragment = anchor[len(key) + 1 :]
                return f'href="{html.escape(href)}{"#" + fragment if fragment else ""}"'
        return match[0]

    return PRINT_HREF.sub(link, output)


def _with_print_styles(output: str, config: MkDocsConfig) -> str:
    """The print view's own style sheet, and its PDF pages numbered in the page's language
    (the plugin's style sheet says "Page 3" whatever the language)."""
    before, _, after = config.extra["labels"]["print_page_number"].partition("{page}")
    number = " counter(page) ".join(json.dumps(s, ensure_ascii=False) for s in (before, after))
    href = get_relative_url("assets/stylesheets/print.css", PRINT_PAGE)
    head = (
        f'<link rel="stylesheet" href="{href}">'
        f"<style>@page {{ @bottom-right {{ content: {number}; }} }}</style>"
    )
    return output.replace("</head>", head + "</head>", 1)


def _resolve_print_page_anchors(output: str, config: MkDocsConfig) -> str:
    """Make every in-page link of the print page resolve; warn (a strict build fails) if not."""
    output = _link_excluded_pages(_rename_skipped_print_ids(output), config)
    ids = _print_page_ids(output)
    if unresolved := sorted({a for a in PRINT_HREF.findall(output) if a not in ids}):
        log.warning("%s: in-page links with no target: %s", PRINT_PAGE, ", ".join(unresolved))
    return output


# --- the translations ------------------------------------------------------------------
_command: str | None = None  # set by on_startup: "build", "gh-deploy" or "serve"
_translation_builds: dict[str, int] = {}  # language -> the forked process building it


def on_startup(command: str, dirty: bool) -> None:
    global _command
    _command = command
    katex.whole_fonts = dirty


def _build_translation(config: MkDocsConfig, language: str) -> None:
    log.info("Building the %s site", language)
    overrides = {"site_url": urljoin(config.site_url, f"{language}/")} if config.site_url else {}
    translated = load_config(
        config_file=str(ROOT / TRANSLATIONS[language]),
        site_dir=str(Path(config.site_dir) / language),
        strict=config.strict,
        **overrides,
    )
    build(translated)


class _LanguageLabel(logging.Filter):
    def __init__(self, language: str) -> None:
        super().__init__()
        self.label = f"[{language}] "

    def filter(self, record: logging.LogRecord) -> bool:
        if not record.getMessage().startswith(self.label):
            record.msg, record.args = self.label + record.getMessage(), ()
        return True


def _start_translations(config: MkDocsConfig) -> None:
    """Fork one process per translation, each building its site and exiting."""
    if _command not in PARALLEL_COMMANDS or not hasattr(os, "fork"):
        return
    for language in TRANSLATIONS:
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid:
            _translation_builds[language] = pid
            continue
        status = 1
        try:  # the child never returns into the English build
            for handler in logging.getLogger("mkdocs").handlers:
                handler.addFilter(_LanguageLabel(language))
            _build_translation(config, language)
            status = 0
        except BaseException as error:
            log.error("%s", error)
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(status)


def _wait_for_translations() -> list[str]:
    """The languages whose forked build failed."""
    failed = []
    for language, pid in list(_translation_builds.items()):
        _, status = os.waitpid(pid, 0)
        del _translation_builds[language]
        if os.waitstatus_to_exitcode(status) != 0:
            failed.append(language)
    return failed


def on_build_error(error: Exception) -> None:
    for pid in _translation_builds.values():  # the English build failed: stop the others
        os.kill(pid, signal.SIGTERM)
    _wait_for_translations()


@event_priority(-100)  # after the print-site plugin has written its page
def on_post_build(config: MkDocsConfig) -> None:
    _finish_print_page(config)
    fonts = Path(config.site_dir) / "assets" / "katex" / "fonts"
    katex.subset_fonts(None if katex.whole_fonts else _math_characters, fonts)
    if config.theme["language"] != "en":
        return
    forked = set(_translation_builds)
    if failed := _wait_for_translations():
        names = ", ".join(failed)
        raise PluginError(f"the {names} site failed to build: see the lines marked [{names}]")
    for language in TRANSLATIONS:
        if language not in forked:
            _build_translation(config, language)
    speedups.prune()


def on_serve(server, config: MkDocsConfig, builder):
    for config_file in TRANSLATIONS.values():
        server.watch(str(ROOT / config_file))
    return server
