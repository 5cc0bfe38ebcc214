"""Math rendered at build time: KaTeX's HTML goes into the page, so readers load
only KaTeX's stylesheet and the fonts a formula uses, never its 270 KB of JavaScript.

pymdownx.arithmatex (generic mode) leaves ``<span class="arithmatex">\\(tex\\)</span>``
and ``<div class="arithmatex">\\[tex\\]</div>``; :func:`render_math` replaces the TeX
inside with KaTeX's output (HTML for the eye, MathML for screen readers). KaTeX runs
in Node (``render_math.mjs``), once per page for the formulas it has not seen before;
the rest come from ``.cache/katex/<katex version>.json``, so a warm build starts no
Node process at all. A formula KaTeX cannot parse fails the build and is named.

KaTeX's fonts are cut down to the characters the site's math shows (:func:`subset_fonts`):
a whole font holds every glyph KaTeX might ever need, a few dozen of them are drawn here,
and the print page loads up to six fonts (88 KB whole, 25 KB cut down).
:func:`render_math` collects those characters from the very HTML it puts into pages, so
a character can be missing from a font only if it was never on a page.
"""

from __future__ import annotations

import functools
import hashlib
import html
import io
import json
import os
import re
import subprocess
from collections.abc import Iterable
from pathlib import Path

from mkdocs.exceptions import PluginError

from sitebuild import cache, versions
from sitebuild.errors import BuildError

ROOT = Path(__file__).resolve().parent.parent
KATEX_PACKAGE = ROOT / "node_modules" / "katex" / "package.json"
FONTS = ROOT / "node_modules" / "katex" / "dist" / "fonts"
RENDERER = Path(__file__).with_name("render_math.mjs")
CACHE_DIR = ROOT / ".cache" / "katex"
MATH = re.compile(
    r'(?P<open><(?P<tag>span|div) class="arithmatex">)'
    r"(?:\\\((?P<inline>.*?)\\\)|\\\[(?P<display>.*?)\\\])"
    r"(?P<close></(?P=tag)>)",
    re.S,
)

_rendered: dict[str, str] | None = None  # "i:tex" / "d:tex" -> HTML, loaded once per process


def _cache_file() -> Path:
    if not KATEX_PACKAGE.exists():
        raise PluginError(f"{KATEX_PACKAGE} is missing: run `make setup` (npm ci) first")
    version = json.loads(KATEX_PACKAGE.read_text(encoding="utf-8"))["version"]
    return CACHE_DIR / f"{version}.json"


def _cache() -> dict[str, str]:
    global _rendered
    if _rendered is None:
        path = _cache_file()
        try:
            _rendered = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):  # no cache yet, or a damaged one: render again
            _rendered = {}
    return _rendered


def _render(formulas: list[tuple[str, bool]], where: str) -> list[str]:
    done = subprocess.run(
        ["node", str(RENDERER)],
        input=json.dumps(formulas),
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise PluginError(f"{where}: {done.stderr.strip() or 'KaTeX failed'}")
    return json.loads(done.stdout)


def render_math(output: str, where: str, characters: set[str] | None = None) -> str:
    """Replace every arithmatex formula in the page ``output`` with KaTeX's HTML, and add
    the characters that HTML shows the reader to ``characters`` (for :func:`subset_fonts`)."""
    matches = list(MATH.finditer(output))
    if not matches:
        return output
    rendered = _cache()

    def key(match: re.Match[str]) -> str:
        display = match["display"] is not None
        tex = html.unescape(match["display"] if display else match["inline"]).strip()
        return f"{'d' if display else 'i'}:{tex}"

    missing = sorted({key(m) for m in matches} - rendered.keys())
    if missing:
        pairs = [(k[2:], k[0] == "d") for k in missing]
        rendered.update(zip(missing, _render(pairs, where), strict=True))
        path = _cache_file()
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.tmp")  # builds may run side by side
        partial.write_text(
            json.dumps(rendered, ensure_ascii=False, sort_keys=True), encoding="utf-8"
        )
        partial.replace(path)
    if characters is not None:
        for formula in {key(m) for m in matches}:
            characters |= shown_characters(rendered[formula])
    return MATH.sub(lambda m: m["open"] + rendered[key(m)] + m["close"], output)


# --- the fonts: only the glyphs the math shows ------------------------------------------
# Kept in every subset besides the characters the math shows:
# - KaTeX's style sheet writes these itself (`content:`), around the number of a numbered
#   equation, so no formula's HTML holds them.
# - FreeType's auto-hinter (Chromium on Linux) sets a font's Greek alignment zones from
#   these letters: a subset without them drew the bars of π and σ a pixel lower than the
#   whole font did; keeping them costs the print page about 3 KB. The Latin ones are not
#   kept: the math shows plenty of Latin letters, and adding them (5 KB) changed no pixel.
STYLESHEET_CHARACTERS = frozenset("()0123456789")
AUTOHINTER_CHARACTERS = frozenset("ΓΒΕΖΘΟΩβθδζλξαειοπστωγημρφχψ")
# A subset is a Modified Version under the SIL Open Font License, and KaTeX's fonts
# reserve their names (KaTeX_Main, KaTeX_Math, ...): a Modified Version may not use them.
# So each subset's own names (family, full, PostScript, unique id) say RENAMED_FAMILY
# instead of "KaTeX"; the copyright and licence records stay as they are. The style
# sheet's @font-face names, which only tie its rules to the files, are unchanged.
RENAMED_FAMILY = "DropoutMath"
FONT_NAME_IDS = (1, 3, 4, 6, 16, 17, 18, 20, 21, 22, 25)
# fontTools' subsetter options: every layout feature (KaTeX's fonts have none today) and
# the name table whole (copyright and licence travel with the font; names renamed above),
# the .notdef glyph as it was, no hinting instructions (ttfautohint's bytecode: with or
# without it Chromium drew every formula of the site alike), and characters a font lacks
# skipped, since one set of characters serves every font.
SUBSET_OPTIONS = {
    "flavor": "woff2",
    "layout_features": ["*"],
    "name_IDs": ["*"],
    "name_languages": ["*"],
    "notdef_outline": True,
    "hinting": False,
    "ignore_missing_unicodes": True,
}


# `--dirty` rebuilds only the pages that changed, so its builds never see all the math:
# they serve the fonts whole. hooks.on_startup sets this once per process (`mkdocs serve`
# loads a new hooks module for each rebuild; this module stays).
whole_fonts = False


TAG = re.compile(r"<[^>]*>")


@functools.lru_cache(maxsize=4096)
def shown_characters(rendered: str) -> frozenset[str]:
    """The characters of one formula's ``.katex-html``, the part a reader sees (the MathML
    beside it is for screen readers, hidden, and drawn with system fonts if at all).

    KaTeX writes ``.katex-html`` as the last child of ``.katex``, so all text after its
    start tag is inside it, and escapes ``<`` and ``>`` in text and attributes, so a tag
    ends at the first ``>``: dropping the tags leaves the text (a twentieth of the time
    an HTML parser takes; tests/sitebuild/test_katex.py checks the site with one)."""
    start = rendered.find('<span class="katex-html"')
    if start < 0:
        return frozenset()
    return frozenset(html.unescape(TAG.sub("", rendered[start:])))


def subset_font(font: bytes, characters: Iterable[str]) -> bytes:
    """The woff2 ``font`` with only the glyphs of ``characters`` (those it has) and .notdef,
    renamed (RENAMED_FAMILY) as the font's licence asks of a modified font."""
    from fontTools import subset  # imported on a cache miss only: the warm build skips it

    options = subset.Options(**SUBSET_OPTIONS)
    loaded = subset.load_font(io.BytesIO(font), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted({ord(c) for c in characters}))
    subsetter.subset(loaded)
    for record in loaded["name"].names:
        if record.nameID in FONT_NAME_IDS:
            record.string = record.toUnicode().replace("KaTeX", RENAMED_FAMILY)
    out = io.BytesIO()
    subset.save_font(loaded, out, options)
    return out.getvalue()


def font_cache_key(font: bytes, characters: Iterable[str]) -> str:
    """Everything a subset font depends on, hashed."""
    inputs = {
        "font": hashlib.sha256(font).hexdigest(),
        "characters": "".join(sorted(set(characters))),
        "versions": [versions.version("fonttools"), versions.version("brotli")],
        "options": SUBSET_OPTIONS,
        "renamed": [RENAMED_FAMILY, FONT_NAME_IDS],
    }
    text = json.dumps(inputs, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def subset_fonts(characters: Iterable[str] | None, folder: Path) -> None:
    """Write each of KaTeX's woff2 fonts into ``folder`` (a site's ``assets/katex/fonts``),
    under its own name, cut down to ``characters`` (with STYLESHEET_CHARACTERS and
    AUTOHINTER_CHARACTERS); ``None`` writes them whole. Subsets are kept in
    ``.cache/katex-fonts`` (cache.cached_bytes)."""
    extra = STYLESHEET_CHARACTERS | AUTOHINTER_CHARACTERS
    wanted = None if characters is None else frozenset(characters) | extra
    folder.mkdir(parents=True, exist_ok=True)
    for source in sorted(FONTS.glob("*.woff2")):
        font = source.read_bytes()
        if wanted is not None:
            entry = cache.FONT_CACHE / f"{font_cache_key(font, wanted)}.woff2"
            font = cache.cached_bytes(entry, functools.partial(subset_font, font, wanted))
        target = folder / source.name
        if not target.exists() or target.read_bytes() != font:
            target.write_bytes(font)


# --- the files the site serves: the style sheet and the fonts ----------------------------
DIST = ROOT / "node_modules" / "katex" / "dist"
STYLE_SHEET = "katex-swap.min.css"  # the math is rendered at build time: no JavaScript


def site_files(dist: Path = DIST) -> dict[str, Path]:
    """KaTeX's style sheet and fonts, each site path (under assets/katex/) -> its source."""
    relative = [STYLE_SHEET] + [f"fonts/{p.name}" for p in sorted((dist / "fonts").glob("*.woff2"))]
    files = {f"assets/katex/{r}": dist / r for r in relative}
    if missing := [str(source) for source in files.values() if not source.exists()]:
        raise BuildError(f"{', '.join(missing)} missing: run `make setup` (npm ci) first")
    return files
