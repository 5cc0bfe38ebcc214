"""sitebuild/mkdocs_jupyter.py: the notebook pages mkdocs-jupyter renders, repaired."""

from __future__ import annotations

import pytest

from sitebuild import mkdocs_jupyter
from sitebuild.errors import BuildError

# What mkdocs-jupyter 0.26.3's template writes, cut short, around a notebook.
TEMPLATE = """<script>
(function (global, factory) {
  global.ClipboardCopyElement = factory();
}(this, function () { return ClipboardCopyElement; }));
</script>
<script>
      document.addEventListener('clipboard-copy', function(event) {})
</script>
<style type="text/css">.jp-Cell{x:1}</style>
<!-- Load mathjax -->
<script src="data:text/javascript,"> </script>
<!-- MathJax configuration -->
<script type="text/x-mathjax-config">
    init_mathjax = function() { if (window.MathJax) { MathJax.Hub.Config({}); } }
</script>
<!-- End of mathjax configuration --><script type="module">
  document.addEventListener("DOMContentLoaded", async () => {
    const diagrams = document.querySelectorAll(".jp-Mermaid > pre.mermaid");
    const mermaid = (await import("https://cdnjs.cloudflare.com/ajax/libs/mermaid/11.10.0/mermaid.esm.min.mjs")).default;
  });
</script>

<!-- End of mermaid configuration --><div class="jupyter-wrapper">cells</div>"""


def test_the_templates_mermaid_mathjax_and_clipboard_leftovers_are_removed():
    page = mkdocs_jupyter.drop_template_leftovers(TEMPLATE, "notebooks/x.ipynb")
    assert (
        page
        == '<style type="text/css">.jp-Cell{x:1}</style>\n<div class="jupyter-wrapper">cells</div>'
    )


# One change per leftover that its pattern no longer recognises.
CHANGED = {
    "the <clipboard-copy> element's script": ("global, factory", "g, f"),
    "the MathJax configuration": ("End of mathjax", "end of MathJax"),
    "the Mermaid loader": ("End of mermaid", "end of mermaid"),
}


@pytest.mark.parametrize("name", sorted(mkdocs_jupyter.LEFTOVERS))
def test_a_leftover_the_removal_no_longer_recognises_stops_the_build(name: str):
    """If the template changes, the page would keep the leftover: the build says so."""
    changed = TEMPLATE.replace(*CHANGED[name])
    assert changed != TEMPLATE
    with pytest.raises(BuildError, match=r"notebooks/x\.ipynb: mkdocs-jupyter's template"):
        mkdocs_jupyter.drop_template_leftovers(changed, "notebooks/x.ipynb")


def test_nameless_headings_get_the_toc_ids_and_code_cells_are_focusable():
    page = (
        '<h1 id="">标题<a class="anchor-link" href="#">¶</a></h1>'
        '<div class="highlight-ipynb hl-python"><pre>x</pre></div>'
    )
    named = mkdocs_jupyter.name_headings(page, ["_1"])
    assert '<h1 id="_1">标题<a class="anchor-link" href="#_1">' in named
    assert '<div tabindex="0" class="highlight-ipynb hl-python">' in named
    assert mkdocs_jupyter.name_headings(page, []).startswith('<h1 id="">')


def test_nbconverts_generic_figure_description_is_replaced():
    page = f"<img {mkdocs_jupyter.NBCONVERT_ALT} src='x.png'>"
    assert mkdocs_jupyter.describe_figures(page, "训练曲线") == "<img alt=\"训练曲线\" src='x.png'>"


def test_a_notebook_page_gets_every_repair_at_once():
    page = TEMPLATE.replace(
        "cells",
        f'<h2 id="">题<a class="anchor-link" href="#">¶</a><img {mkdocs_jupyter.NBCONVERT_ALT}>',
    )
    repaired = mkdocs_jupyter.repair_page(page, "notebooks/x.ipynb", "图", ["_1"])
    assert "mermaid" not in repaired and 'alt="图"' in repaired and '<h2 id="_1">' in repaired
