"""Figures in the page's language: one run of an example, its figures drawn once per language.

A snippet that draws figures keeps all their text in a ``labels`` section right after
its imports::

    # --8<-- [start:labels]
    LANGUAGE = "en"  # "zh" draws the figures with Chinese text
    TEXT = {"en": {...}, "zh": {...}}[LANGUAGE]
    # --8<-- [end:labels]

The runner (``sitebuild/runner.py``) runs the example once, in English, and notes
which sections wrote a figure. Then, in the same namespace, :func:`redraw` sets the
``LANGUAGE`` line to ``"zh"``, runs the labels section and those figure sections
again in a folder of their own, and runs the English labels section last, so what
the run leaves behind is the English run's. Figure sections only draw: everything
they plot was computed by earlier sections, so drawing them again trains nothing.

The Chinese figures have the same file names as the English ones and are served at
the same path under ``site/zh/`` (:func:`site_files`), so a page's Markdown names one
path. The Chinese site shows, lets a reader download and puts in its notebook the
same program with that one line changed (:func:`localized`, :func:`snippet_folder`).

Matplotlib writes SVG text as glyph paths, so a Chinese figure needs a font with
Chinese characters when it is drawn: Noto Sans CJK SC (Debian's ``fonts-noto-cjk``,
installed by ``make setup``). The labels section selects it for Chinese; a missing
font or glyph is a Matplotlib warning, which fails the example. The text stays
machine-readable: before each text's paths Matplotlib writes the string as an XML
comment and its size as the group's scale (:func:`svg_texts`), which the tests read.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable
from pathlib import Path

SNIPPETS_DIR = Path(__file__).resolve().parent.parent / "snippets"  # as examples.SNIPPETS_DIR
SNIPPET_CACHE = Path(__file__).resolve().parent.parent / ".cache" / "snippets"
LANGUAGES = ("en", "zh")  # the first is the language the example runs in
LABELS = "labels"  # the section that holds a snippet's figure text
CJK_FONT = "Noto Sans CJK SC"
FIGURE_SUFFIXES = (".svg", ".png")
LANGUAGE_LINE = re.compile(r'^LANGUAGE = "en"(?=[ \t]*(#|$))', re.M)


class LabelsError(ValueError):
    """A labels section or a figure section that the build cannot draw in another language."""


def localized(source: str, language: str) -> str:
    """``source`` (a labels section or a whole program) for ``language``: its one
    ``LANGUAGE = "en"`` line set to ``language``, nothing else changed."""
    if language == LANGUAGES[0]:
        return source
    changed, count = LANGUAGE_LINE.subn(f'LANGUAGE = "{language}"', source)
    if count != 1:
        raise LabelsError(f'needs exactly one line `LANGUAGE = "en"`, found {count}')
    return changed


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` (relative path -> SHA-256), to see what a section wrote."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def written(before: dict[str, str], after: dict[str, str]) -> list[str]:
    """Figure files that are new or changed between two snapshots."""
    return sorted(
        name
        for name, digest in after.items()
        if name.endswith(FIGURE_SUFFIXES) and before.get(name) != digest
    )


def figure_sections(cells: list) -> list:
    """The cells that wrote a figure, in the order they ran; each must be a named section."""
    drawing = [cell for cell in cells if cell.wrote]
    if unnamed := [cell.first_line for cell in drawing if not cell.section]:
        raise LabelsError(f"code outside a section writes a figure (line {unnamed[0]})")
    return drawing


def svg_texts(svg: str) -> list[tuple[str, float]]:
    """(text, font size in pt) of every text in an SVG Matplotlib wrote with text as paths.

    Matplotlib writes ``<!-- text -->``, then a group scaled by size / 100 whose glyphs
    (``<use>``) may be scaled down further (sub- and superscripts): the smallest counts.
    """
    found = []
    matches = list(SVG_TEXT.finditer(svg))
    for match, following in zip(matches, [*matches[1:], None], strict=True):
        glyphs = svg[match.end() : following.start() if following else len(svg)]
        scales = [float(s) for s in USE_SCALE.findall(glyphs)]
        size = float(match["scale"]) * 100 * min([1.0, *scales])
        found.append((match["text"], round(size, 2)))
    return found


SVG_TEXT = re.compile(
    r"<!-- (?P<text>.*?) -->\s*<g\b[^>]*?transform=\"[^\"]*?scale\((?P<scale>[\d.]+) -[\d.]+\)",
    re.S,
)
USE_SCALE = re.compile(r"<use\b[^>]*?transform=\"[^\"]*?scale\(([\d.]+)\)")


def redraw(cells: list, run: Callable[[object, str], list[bytes]], workdir: Path) -> dict:
    """Draw the figure sections again for every other language, in the run's namespace.

    ``run(cell, source)`` executes ``source`` as ``cell`` (in the example's namespace and
    the current folder) and returns the figures it left open. Returns, per language,
    ``{"folder": where its figures are, "figures": {first line of a cell: its figures}}``.
    The English labels section runs last, so the namespace ends as the run left it.
    """
    labels = next((cell for cell in cells if cell.section == LABELS), None)
    if labels is None:
        return {}
    drawing = figure_sections(cells)
    if not drawing:
        raise LabelsError("has a labels section but no section that writes a figure")
    drawn = {}
    home = Path.cwd()
    try:
        for language in LANGUAGES[1:]:
            folder = workdir.parent / f"figures-{language}"
            folder.mkdir()
            os.chdir(folder)
            run(labels, localized(labels.source, language))
            import matplotlib  # the example has imported it: it draws figures

            if CJK_FONT not in matplotlib.rcParams["font.family"]:
                raise LabelsError(
                    f'its labels section must choose a Chinese font when LANGUAGE is "zh": '
                    f'plt.rcParams["font.family"] = ["DejaVu Sans", "{CJK_FONT}"]'
                )
            figures = {cell.first_line: run(cell, cell.source) for cell in drawing}
            made = sorted(written({}, snapshot(folder)))
            expected = sorted({name for cell in drawing for name in cell.wrote})
            if made != expected:
                raise LabelsError(f"drew {made} in {language!r} but {expected} in English")
            drawn[language] = {"folder": folder, "figures": figures}
    finally:
        os.chdir(home)
    run(labels, labels.source)
    return drawn


def site_files(entry: Path, language: str) -> list[tuple[str, Path]]:
    """(path on the site, folder it is in) of every file an example's run wrote, for
    ``language``: its own figures where it has them, the run's other files otherwise."""
    base = entry / "site"
    own = entry / f"site-{language}"
    files = {p.relative_to(base).as_posix(): base for p in base.rglob("*") if p.is_file()}
    if language != LANGUAGES[0] and own.is_dir():
        files.update({p.relative_to(own).as_posix(): own for p in own.rglob("*") if p.is_file()})
    return sorted(files.items())


def notebook_name(language: str) -> str:
    return "notebook.ipynb" if language == LANGUAGES[0] else f"notebook.{language}.ipynb"


def snippet_folder(snippets: Path, cache: Path, language: str) -> Path:
    """A folder of every snippet as the ``language`` site shows and serves it: for the
    first language ``snippets`` itself, else copies under ``cache`` with the labels
    section's ``LANGUAGE`` line set (files rewritten only when they change)."""
    if language == LANGUAGES[0]:
        return snippets
    folder = cache / language
    folder.mkdir(parents=True, exist_ok=True)
    wanted = {}
    for path in sorted(snippets.glob("*.py")):
        text = path.read_text(encoding="utf-8")
        wanted[path.name] = localized(text, language) if has_labels(text) else text
    for stale in folder.glob("*.py"):
        if stale.name not in wanted:
            stale.unlink()
    for name, text in wanted.items():
        target = folder / name
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            target.write_text(text, encoding="utf-8")
    return folder


def has_labels(text: str) -> bool:
    return f"[start:{LABELS}]" in text


def base_path(paths: list[str], language: str) -> list[str]:
    """pymdownx.snippets' ``base_path`` for ``language``: ``snippets`` replaced by the
    folder of the snippets as that language's site shows them."""
    folder = snippet_folder(SNIPPETS_DIR, SNIPPET_CACHE, language)
    return [str(folder) if path == "snippets" else path for path in paths]
