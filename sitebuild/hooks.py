"""MkDocs hooks: the only place where the site build and the examples meet.

- ``on_config``: make sure every example has results (running stale ones once), and
  let abbreviations (the glossary's hover definitions) match Chinese terms.
- ``on_files``: add each example's figures and executed notebook to the site, and
  KaTeX from ``node_modules`` so that math is rendered by the site itself.
- ``on_page_markdown``: fill ``{{ example.value:format }}`` and
  ``{{ example.output.section }}`` in with the run's own numbers and printed text.
- ``on_post_page``: load KaTeX only on pages that contain math, and the interactive
  widgets' scripts only on pages that contain a widget.
- ``on_post_build``: the English build builds the Chinese site into ``zh/``.

Each language is a full MkDocs build of its own config (``mkdocs.yml``,
``mkdocs.zh.yml``); README's "How the site is built" says why.
"""

from __future__ import annotations

import logging
import re
import sys
from pathlib import Path

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

# MkDocs loads this file by path; make the package beside it importable.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from sitebuild import examples

ROOT = examples.ROOT
TRANSLATIONS = {"zh": "mkdocs.zh.yml"}  # built into <site>/<lang>/ by the English build
NOTEBOOK_DIR = ROOT / ".cache" / "notebooks"
KATEX_DIST = ROOT / "node_modules" / "katex" / "dist"
KATEX_FILES = ["katex.min.js", "katex.min.css", "contrib/auto-render.min.js"]
# {{ complete_example.test_accuracy:.3f }}: a value, with an optional format spec.
VALUE = re.compile(r"\{\{\s*(?P<name>\w+)\.(?P<path>[\w.-]+?)(?::(?P<format>[^}\s]+))?\s*\}\}")
# {{ complete_example.output.log }} alone on a line: that section's printed text as a block.
OUTPUT = re.compile(
    r"^(?P<indent>[ \t]*)\{\{\s*(?P<name>\w+)\.output\.(?P<section>[\w-]+)\s*\}\}[ \t]*$", re.M
)

log = logging.getLogger("mkdocs.sitebuild")
logging.getLogger("jieba").setLevel(
    logging.WARNING
)  # Material's search imports it; quiet its banner
_results: dict[str, examples.Results] = {}


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


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    _use_cjk_abbreviations(config)
    try:
        _results.clear()
        _results.update(examples.ensure_results())
    except examples.ExampleError as error:
        raise PluginError(f"an example failed, so the site was not built:\n{error}") from None
    described = set(config.extra.get("examples", {}))
    if missing := sorted(set(_results) - described):
        raise PluginError(
            f"{config.config_file_path}: extra.examples has no title and page for {missing}"
        )
    return config


def _notebook_for(language: str, name: str, config: MkDocsConfig) -> Path:
    """The executed notebook with a first cell in the page's language."""
    meta = config.extra["examples"][name]
    nb = nbformat.read(_results[name].notebook, as_version=4)
    intro = config.extra["notebook_intro"].format(
        page=f"../../{meta['page']}", download=f"{name}.ipynb"
    )
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
    for name, results in sorted(_results.items()):
        notebook = _notebook_for(language, name, config)
        # A File with a real src_dir: mkdocs-jupyter's wrapper cannot read generated files.
        files.append(
            _file(config, notebook.relative_to(NOTEBOOK_DIR / language), notebook.parents[1])
        )
        snippet = examples.SNIPPETS_DIR / f"{name}.py"  # the file to take away
        files.append(File.generated(config, f"snippets/{name}.py", abs_src_path=str(snippet)))
        for relative in results.site_files:
            files.append(_file(config, Path(relative), results.entry / "site"))
    for relative in KATEX_FILES + [
        f"fonts/{p.name}" for p in sorted((KATEX_DIST / "fonts").glob("*.woff2"))
    ]:
        source = KATEX_DIST / relative
        if not source.exists():
            raise PluginError(f"{source} is missing: run `make setup` (npm ci) first")
        files.append(File.generated(config, f"assets/katex/{relative}", abs_src_path=str(source)))
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

    return VALUE.sub(value, OUTPUT.sub(output, markdown))


# A page that contains the marker gets these stylesheets and scripts, and no other page does.
PAGE_ASSETS = [
    (
        'class="arithmatex"',
        ["katex/katex.min.css"],
        ["katex/katex.min.js", "katex/contrib/auto-render.min.js", "javascripts/math.js"],
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


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    if page.file.src_uri.endswith(".ipynb"):
        output = _name_notebook_headings(output, page)

    def asset(path: str) -> str:
        return get_relative_url(f"assets/{path}", page.url)

    for marker, stylesheets, scripts in PAGE_ASSETS:
        if marker in output:
            head = "".join(f'<link rel="stylesheet" href="{asset(p)}">' for p in stylesheets)
            head += "".join(f'<script defer src="{asset(p)}"></script>' for p in scripts)
            output = output.replace("</head>", head + "</head>", 1)
    return output


def on_post_build(config: MkDocsConfig) -> None:
    if config.theme["language"] != "en":
        return
    for language, config_file in TRANSLATIONS.items():
        log.info("Building the %s site", language)
        translated = load_config(
            config_file=str(ROOT / config_file),
            site_dir=str(Path(config.site_dir) / language),
            strict=config.strict,
        )
        build(translated)


def on_serve(server, config: MkDocsConfig, builder):
    for config_file in TRANSLATIONS.values():
        server.watch(str(ROOT / config_file))
    return server
