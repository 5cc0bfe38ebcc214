"""The site build as a whole: a broken example stops it, loudly and by name."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tools.bench import copy_project


def test_a_broken_example_fails_the_build_with_its_name_and_traceback(tmp_path: Path):
    """Fault injection on a copy of the project, never on the real tree."""
    copy_project(tmp_path, without=("snippets",))  # the one snippet is the broken one below
    (tmp_path / "snippets").mkdir()
    broken = tmp_path / "snippets" / "complete_example.py"
    broken.write_text("import math\n\nresult = math.sqrt(-1)  # injected fault\n")
    env = {k: v for k, v in os.environ.items() if k != "SITEBUILD_CACHE_DIR"}

    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict"],
        cwd=tmp_path,
        env={**env, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
    )

    output = done.stdout + done.stderr
    assert done.returncode != 0, output
    assert "example complete_example failed" in output
    assert f'File "{broken}", line 3' in output
    assert "ValueError: math domain error" in output
    assert not (tmp_path / "site" / "index.html").exists(), "a page was published anyway"


def test_hl_lines_comment_highlights_a_python_fence_that_pytest_codeblocks_still_runs():
    """`<!-- hl_lines="…" -->` before a fence: highlighting on the site, and the fence in
    the source stays exactly ```python, the only form pytest-codeblocks collects."""
    import io

    from pytest_codeblocks.main import extract_from_buffer

    from sitebuild import hooks

    source = (
        "Text.\n\n<!--pytest-codeblocks:cont-->\n\n"
        '<!-- hl_lines="2 4-5" -->\n\n```python\nx = 1\ny = 2\n```\n\n'
        '    <!-- hl_lines="1" -->\n    ```python\n    z = 3\n    ```\n'
    )
    first = extract_from_buffer(io.StringIO("```python\nw = 0\n```\n" + source))
    # Both fences are collected; the first continues the block before it (cont).
    assert [block.syntax for block in first] == ["python", "python"]
    assert "w = 0" in first[0].code and "y = 2" in first[0].code
    assert first[1].code.strip() == "z = 3"

    class FakePage:
        class file:
            src_uri = "x.md"

    out = hooks.on_page_markdown(source, FakePage(), None, None)
    assert '```python hl_lines="2 4-5"\nx = 1' in out
    assert '    ```python hl_lines="1"\n    z = 3' in out
    assert "hl_lines=" not in out.replace('```python hl_lines="', "")


def test_takeaway_and_colab_links_derive_from_repo_url():
    from types import SimpleNamespace

    from sitebuild import hooks

    config = SimpleNamespace(repo_url="https://github.com/someone/fork", theme={"language": "zh"})
    page = SimpleNamespace(url="complete-example/")
    links = hooks.takeaway_links("complete_example", page, config)
    assert links == {
        "download_py": "../snippets/complete_example.py",
        "download_ipynb": "../notebooks/complete_example/complete_example.ipynb",
        "open_in_colab": "https://colab.research.google.com/github/someone/fork/blob/gh-pages/"
        "zh/notebooks/complete_example/complete_example.ipynb",
    }
    config.repo_url = "https://gitlab.com/someone/fork"
    assert "open_in_colab" not in hooks.takeaway_links("complete_example", page, config)


def test_print_page_links_into_excluded_pages_and_skipped_ids_are_resolved(caplog):
    """The print-site plugin's two gaps, closed by the hook: a link into a page the print view
    leaves out goes to that page, an id the plugin did not rename gets the name its links use;
    a link that still has no target is a warning (an error in a strict build)."""
    from types import SimpleNamespace

    from sitebuild import hooks

    def page(src: str, url: str) -> SimpleNamespace:
        return SimpleNamespace(file=SimpleNamespace(src_path=src), url=url)

    hooks.on_pre_build(None)
    for src, url in [("ch.md", "ch/"), ("notebooks/ex.ipynb", "notebooks/ex/")]:
        hooks._remember_page_for_print(page(src, url))
    plugin = SimpleNamespace(config={"exclude": ["notebooks/*"]})
    config = SimpleNamespace(plugins={"print-site": plugin})
    output = (
        '<nav><li class="md-nav__item">\n<a href="#section-3" class="md-nav__link">N</a>\n</li>'
        '<li class="md-nav__item"><a href="#ch" class="md-nav__link">Ch</a></li></nav>'
        '<section class="print-page" id="ch" heading-number="1"><h1 id="ch-t">T</h1>'
        '<p>See <code>x</code> <a href="#notebooks-ex">the notebook</a>'
        '<sup id="fnref:a"><a href="#ch-fn:a">1</a></sup>, '
        '<a href="#notebooks-ex-step-2">step 2</a>.</p>'
        '<li id="ch-fn:a"><a href="#ch-fnref:a">back</a></li></section>'
        "<section class='print-page md-section' id='section-3' heading-number='3'>\n"
        "  <h1>N<a class='headerlink' href='#section-3'></a>\n  </h1>\n  </section>"
    )
    fixed = hooks._resolve_print_page_anchors(hooks._drop_empty_print_sections(output), config)
    assert 'href="../notebooks/ex/"' in fixed
    assert 'href="../notebooks/ex/#step-2"' in fixed
    assert '<sup id="ch-fnref:a">' in fixed and 'href="#ch-fnref:a"' in fixed
    assert "section-3" not in fixed and 'href="#ch"' in fixed
    assert not caplog.records
    hooks._resolve_print_page_anchors(fixed.replace('"#ch-fn:a"', '"#ch-fn:b"'), config)
    assert [r.getMessage() for r in caplog.records] == [
        "print_page/: in-page links with no target: ch-fn:b"
    ]


def build_a_copy_with(project: Path, page: str, added: str) -> str:
    """Copy the project, append `added` to docs/`page`, run `mkdocs build --strict` on the
    copy with the session's example results; what it printed. The build must fail."""
    from tests.conftest import ROOT

    copy_project(project)
    source = project / "docs" / page
    source.write_text(source.read_text(encoding="utf-8") + f"\n\n{added}\n", encoding="utf-8")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    env["SITEBUILD_CACHE_DIR"] = str(ROOT / ".cache" / "examples")
    command = [sys.executable, "-m", "mkdocs", "build", "--strict"]
    done = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True)
    output = done.stdout + done.stderr
    assert done.returncode != 0, output
    return output


def processes_in(folder: Path) -> list[int]:
    """Processes whose working folder is `folder` (a forked build left running)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and Path(os.readlink(entry / "cwd")) == folder:
                found.append(int(entry.name))
        except OSError:
            continue
    return found


def test_a_fault_in_the_forked_chinese_build_fails_the_build_and_says_where(
    tmp_path: Path, built_site
):
    output = build_a_copy_with(tmp_path, "zh/index.md", "[坏链接](no-such-page.md)")

    assert "[zh] Doc file 'index.md' contains a link 'no-such-page.md'" in output, output
    assert "[zh] Aborted with" in output
    assert "the zh site failed to build: see the lines marked [zh]" in output
    assert not processes_in(tmp_path)


def test_a_failed_english_build_stops_the_chinese_one(tmp_path: Path, built_site):
    output = build_a_copy_with(tmp_path, "en/index.md", "{{ no_such_example.x }}")

    assert "there is no example named 'no_such_example'" in output
    assert not processes_in(tmp_path), "the forked zh build outlived the failed build"
    assert "[zh] Documentation built" not in output, "the zh build was not stopped"


def test_a_figure_gets_its_size_in_css_pixels_from_a_png_or_an_svg(tmp_path: Path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from mkdocs.exceptions import PluginError

    from sitebuild.hooks import figure_size

    fig = plt.figure(figsize=(6, 3))  # inches: 432 x 216 pt, 576 x 288 CSS px
    fig.savefig(tmp_path / "plot.svg")
    fig.savefig(tmp_path / "plot.png", dpi=120)
    plt.close(fig)
    assert figure_size(str(tmp_path / "plot.svg")) == (576, 288)
    assert figure_size(str(tmp_path / "plot.png")) == (720, 360)
    (tmp_path / "drawn.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"></svg>')
    with pytest.raises(PluginError, match=r"drawn\.svg"):
        figure_size(str(tmp_path / "drawn.svg"))
