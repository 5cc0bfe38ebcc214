"""MkDocs hooks: the adapter that wires MkDocs' events to the site's build code.

Each function wires one event to functions in ``sitebuild/`` that know nothing of MkDocs
(README, "How the site is built"). The state a build collects lives here, one copy per
language (MkDocs loads this file anew for each build); the core's ``BuildError`` becomes
``PluginError``. Links to the site and the repository derive from site_url and repo_url.
"""

from __future__ import annotations

import functools
import html
import logging
import sys
from pathlib import Path
from urllib.parse import urljoin

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

# MkDocs loads this file by path; make the package beside it importable.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from sitebuild import (
    abbreviations,
    cache,
    examples,
    figure_sizes,
    figures,
    fonts,
    katex,
    mkdocs_jupyter,
    notebook_css,
    notebooks,
    page_assets,
    placeholders,
    print_site,
    speedups,
    takeaway,
    translations,
)
from sitebuild.errors import BuildError

speedups.apply()

NOTEBOOK_DIR = examples.ROOT / ".cache" / "notebooks"

logging.getLogger("jieba").setLevel(logging.WARNING)  # Material's search imports it
logging.getLogger("traitlets").setLevel(logging.ERROR)  # see mkdocs_jupyter.NBCONVERT_ALT
_command: str | None = None  # set by on_startup: "build", "gh-deploy" or "serve"
_results: dict[str, examples.Results] = {}
_figures: dict[str, str] = {}  # dest_uri -> source path of every PNG and SVG in the site
_math_characters: set[str] = set()  # every character this language's math shows
_print_pages: dict[str, tuple[str, str]] = {}  # print-site's page key -> (src_path, url)


def _loud(hook):
    """The core's BuildError as MkDocs' PluginError: the build stops with its message."""

    @functools.wraps(hook)
    def wired(*args, **kwargs):
        try:
            return hook(*args, **kwargs)
        except BuildError as error:
            raise PluginError(str(error)) from None

    return wired


def on_startup(command: str, dirty: bool) -> None:
    global _command
    _command = command
    katex.whole_fonts = dirty


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    abbreviations.use_cjk_abbreviations(config.markdown_extensions, config.mdx_configs)
    snippets = config.mdx_configs["pymdownx.snippets"]  # as drawn in the page's language
    snippets["base_path"] = figures.base_path(snippets["base_path"], config.theme["language"])
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
    if missing := sorted(set(_results) - set(config.extra.get("examples", {}))):
        where = config.config_file_path
        raise PluginError(f"{where}: extra.examples has no title and page for {missing}")
    return config


def on_pre_build(config: MkDocsConfig) -> None:
    _print_pages.clear()
    _math_characters.clear()


def _notebook(language: str, name: str, config: MkDocsConfig) -> Path:
    """The executed notebook in the page's language, with a first cell in it."""
    meta = config.extra["examples"][name]
    # Absolute when the site has an address: the notebook also travels (download, Colab).
    page = urljoin(config.site_url, meta["page"]) if config.site_url else f"../../{meta['page']}"
    intro = config.extra["notebook_intro"].format(page=page, download=f"{name}.ipynb")
    path = NOTEBOOK_DIR / language / "notebooks" / f"{name}.ipynb"
    executed = notebooks.in_language(_results[name], name, language)
    return notebooks.write_notebook(executed, meta["title"], intro, path)


def _file(config: MkDocsConfig, relative: str, src_dir: Path) -> File:
    """A File with a real src_dir: mkdocs-jupyter's wrapper cannot read generated files."""
    return File(relative, str(src_dir), config.site_dir, config.use_directory_urls)


@event_priority(100)  # before mkdocs-jupyter turns .ipynb files into pages
@_loud
def on_files(files: Files, config: MkDocsConfig) -> Files:
    language = config.theme["language"]
    if language == "en":  # the site folder is clean now, and every example has results
        translations.start(config, _command)
    snippets = figures.snippet_folder(examples.SNIPPETS_DIR, figures.SNIPPET_CACHE, language)
    for name, results in sorted(_results.items()):
        notebook = _notebook(language, name, config)
        files.append(_file(config, f"notebooks/{notebook.name}", notebook.parents[1]))
        snippet = snippets / f"{name}.py"  # the file to take away, in its language
        files.append(File.generated(config, f"snippets/{name}.py", abs_src_path=str(snippet)))
        for relative, site_folder in figures.site_files(results.entry, language):
            files.append(_file(config, relative, site_folder))
    for uri, source in katex.site_files().items():
        files.append(File.generated(config, uri, abs_src_path=str(source)))
    _figures.clear()
    _figures.update(figure_sizes.figure_sources((f.dest_uri, f.abs_src_path) for f in files))
    return files


@_loud
def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    return placeholders.fill(markdown, _results, page.file.src_uri)


def on_page_content(html_text: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    examples_meta = config.extra.get("examples", {})
    if not (names := takeaway.examples_on_page(page.url, examples_meta, set(_results))):
        return html_text
    folder = translations.language_folder(config.theme["language"])
    links = {n: takeaway.takeaway_links(n, page.url, config.repo_url, folder) for n in names}
    block = takeaway.takeaway_html(names, links, config.extra["labels"])
    return takeaway.under_title(html_text, block)


def on_page_context(context: dict, page: Page, config: MkDocsConfig, nav: object) -> dict:
    _print_pages[print_site.page_key(page.url)] = (page.file.src_path, page.url)
    src = page.file.src_uri
    if src.startswith("notebooks/") and src.endswith(".ipynb") and config.repo_url:
        page.edit_url = takeaway.notebook_edit_url(Path(src).stem, config.repo_url, config.edit_uri)
    return context


@_loud
def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    output = print_site.drop_print_site_assets(output)
    output = figure_sizes.sized_images(output, page.url, _figures)
    if "jupyter-wrapper" in output:
        output = cache.cached(notebook_css.slim_notebook_css, output)
        output = notebook_css.external_styles(output, page.url, config.site_dir)
    if page.file.src_uri.endswith(".ipynb"):
        alt = html.escape(config.extra["labels"]["notebook_figure"], quote=True)
        toc_ids = [item.id for item in page.toc.items] if page.toc.items else []
        output = mkdocs_jupyter.repair_page(output, page.file.src_uri, alt, toc_ids)
    output = katex.render_math(output, page.file.src_uri, _math_characters)
    return page_assets.with_assets(output, page.url)


def on_build_error(error: Exception) -> None:
    translations.stop()


@event_priority(-100)  # after the print-site plugin has written its page
@_loud
def on_post_build(config: MkDocsConfig) -> None:
    print_site.finish_print_page(
        Path(config.site_dir) / print_site.PRINT_PAGE / "index.html",
        site_url=config.site_url,
        page_number_label=config.extra["labels"]["print_page_number"],
        pages=_print_pages,
        exclude_patterns=config.plugins["print-site"].config["exclude"],
        figures=_figures,
        math_characters=_math_characters,
    )
    fonts = Path(config.site_dir) / "assets" / "katex" / "fonts"
    katex.subset_fonts(None if katex.whole_fonts else _math_characters, fonts)
    if config.theme["language"] != "en":
        return
    if failed := translations.finish(config):
        names = ", ".join(failed)
        raise PluginError(f"the {names} site failed to build: see the lines marked [{names}]")
    cache.prune()


def on_serve(server, config: MkDocsConfig, builder):
    for config_file in translations.TRANSLATIONS.values():
        server.watch(str(examples.ROOT / config_file))
    return server
