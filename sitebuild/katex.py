"""Math rendered at build time: KaTeX's HTML goes into the page, so readers load
only KaTeX's stylesheet and the fonts a formula uses, never its 270 KB of JavaScript.

pymdownx.arithmatex (generic mode) leaves ``<span class="arithmatex">\\(tex\\)</span>``
and ``<div class="arithmatex">\\[tex\\]</div>``; :func:`render_math` replaces the TeX
inside with KaTeX's output (HTML for the eye, MathML for screen readers). KaTeX runs
in Node (``render_math.mjs``), once per page for the formulas it has not seen before;
the rest come from ``.cache/katex/<katex version>.json``, so a warm build starts no
Node process at all. A formula KaTeX cannot parse fails the build and is named.
"""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
from pathlib import Path

from mkdocs.exceptions import PluginError

ROOT = Path(__file__).resolve().parent.parent
KATEX_PACKAGE = ROOT / "node_modules" / "katex" / "package.json"
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


def render_math(output: str, where: str) -> str:
    """Replace every arithmatex formula in the page ``output`` with KaTeX's HTML."""
    matches = list(MATH.finditer(output))
    if not matches:
        return output
    cache = _cache()

    def key(match: re.Match[str]) -> str:
        display = match["display"] is not None
        tex = html.unescape(match["display"] if display else match["inline"]).strip()
        return f"{'d' if display else 'i'}:{tex}"

    missing = sorted({key(m) for m in matches} - cache.keys())
    if missing:
        pairs = [(k[2:], k[0] == "d") for k in missing]
        cache.update(zip(missing, _render(pairs, where), strict=True))
        path = _cache_file()
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.tmp")  # builds may run side by side
        partial.write_text(json.dumps(cache, ensure_ascii=False, sort_keys=True), encoding="utf-8")
        partial.replace(path)
    return MATH.sub(lambda m: m["open"] + cache[key(m)] + m["close"], output)
