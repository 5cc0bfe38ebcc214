"""Workarounds for mkdocs-jupyter (written for 0.26.3, with nbconvert 7.17.2): repairs
to the notebook pages it renders.

What upstream does, and what is done here about it:
- Its template (nbconvert's "lab" one, extended) puts into every page a Mermaid loader
  that imports Mermaid from cdnjs.cloudflare.com when the page has a diagram, a MathJax
  configuration (empty here: ``custom_mathjax_url`` is a ``data:`` URL, and the math is
  rendered at build time) and a ``<clipboard-copy>`` element's script that no element of
  the page uses. ``drop_template_leftovers`` removes all three; a page where one is
  still found afterwards (the template changed) stops the build.
- nbconvert gives a heading whose text slugs to "" (Chinese) no id, while the table of
  contents, built with Python-Markdown, names it ``_1``: ``name_headings`` gives it that
  id, and makes code cells, which scroll sideways, focusable (axe-core).
- nbconvert warns for every figure without alt text (its template has no way to set
  one) and writes a generic alt: ``describe_figures`` replaces it.
"""

from __future__ import annotations

import re

from sitebuild.errors import BuildError

NBCONVERT_ALT = 'alt="No description has been provided for this image"'
NAMELESS_HEADING = re.compile(r'<h([1-6]) id="">(.*?)<a class="anchor-link" href="#">')
LEFTOVERS = {
    "the <clipboard-copy> element's script": re.compile(
        r"<script>\s*\(function \(global, factory\) \{(?:(?!</script>).)*?ClipboardCopyElement"
        r".*?</script>\s*<script>\s*document\.addEventListener\('clipboard-copy'.*?</script>\s*",
        re.S,
    ),
    "the MathJax configuration": re.compile(
        r"<!-- Load mathjax -->.*?<!-- End of mathjax configuration -->", re.S
    ),
    # with its style sheet, when notebook_css has not dropped it as unused yet
    "the Mermaid loader": re.compile(
        r'<script type="module">(?:(?!</script>).)*?jp-Mermaid(?:(?!</script>).)*</script>'
        r"(?:\s*<style>(?:(?!</style>).)*?jp-RenderedMermaid(?:(?!</style>).)*</style>)?"
        r"\s*<!-- End of mermaid configuration -->",
        re.S,
    ),
}
# Still on the page after the removal: the template changed, and this module must follow.
STILL_THERE = re.compile(r"ClipboardCopyElement|MathJax|mermaid|cdnjs", re.I)


def repair_page(output: str, where: str, figure_alt: str, toc_ids: list[str]) -> str:
    """All of the repairs below, for the notebook page ``where``."""
    output = drop_template_leftovers(output, where)
    return name_headings(describe_figures(output, figure_alt), toc_ids)


def drop_template_leftovers(output: str, where: str) -> str:
    """The page without the template's Mermaid loader, MathJax configuration and
    clipboard script; ``where`` names the page if one is still found afterwards."""
    for pattern in LEFTOVERS.values():
        output = pattern.sub("", output, count=1)
    scripts = "".join(re.findall(r"<script\b[^>]*>.*?</script>", output, re.S))
    if found := STILL_THERE.search(scripts):
        raise BuildError(
            f"{where}: mkdocs-jupyter's template still has {found[0]!r} in a script after "
            f"sitebuild/mkdocs_jupyter.py removed its leftovers: update LEFTOVERS"
        )
    return output


def name_headings(output: str, toc_ids: list[str]) -> str:
    """Give nbconvert's id-less headings (Chinese text slugs to "") the table of contents'
    ids, and make code cells focusable (they scroll sideways)."""
    ids = iter(toc_ids)

    def name(match: re.Match[str]) -> str:
        anchor = next(ids, "")
        if not anchor:
            return match[0]
        return f'<h{match[1]} id="{anchor}">{match[2]}<a class="anchor-link" href="#{anchor}">'

    output = NAMELESS_HEADING.sub(name, output, count=1)
    return output.replace('<div class="highlight-ipynb', '<div tabindex="0" class="highlight-ipynb')


def describe_figures(output: str, alt: str) -> str:
    """nbconvert's generic figure description replaced by ``alt`` (HTML-escaped)."""
    return output.replace(NBCONVERT_ALT, f'alt="{alt}"')
