"""Lint, each tool as `make lint` runs it: ruff (Python), codespell (English), AutoCorrect
(Chinese typography), markdownlint-cli2 (Markdown, config in .markdownlint-cli2.yaml)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests import zh_typography
from tests.conftest import ROOT

MARKDOWNLINT = ROOT / "node_modules" / ".bin" / "markdownlint-cli2"


def run(*command: str | Path, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(c) for c in command], cwd=cwd, capture_output=True, text=True)


def test_ruff_check():
    done = run(sys.executable, "-m", "ruff", "check", ".")
    assert done.returncode == 0, done.stdout + done.stderr


def test_ruff_format():
    done = run(sys.executable, "-m", "ruff", "format", "--check", ".")
    assert done.returncode == 0, done.stdout + done.stderr


def test_english_spelling_with_codespell():
    """Settings, skips and the (empty) ignore list: [tool.codespell] in pyproject.toml."""
    done = run(sys.executable, "-m", "codespell_lib")
    assert done.returncode == 0, f"codespell findings:\n{done.stdout}{done.stderr}"


def test_codespell_would_catch_a_misspelling_in_a_page(tmp_path: Path):
    (tmp_path / "docs" / "en").mkdir(parents=True)
    typo = "tec" + "nique"  # spelled out whole, it would fail the check of this very file
    (tmp_path / "docs" / "en" / "page.md").write_text(f"Dropout is a regularization {typo}.\n")
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    done = run(sys.executable, "-m", "codespell_lib", cwd=tmp_path)
    assert done.returncode != 0 and typo in done.stdout, done.stdout + done.stderr


def test_chinese_typography_with_autocorrect(tally):
    paths = zh_typography.chinese_files()
    assert any(p.suffix == ".md" for p in paths), "no Chinese pages found"
    found = zh_typography.findings(paths)
    tally["Chinese files checked by AutoCorrect"] += len(paths)
    assert not found, "AutoCorrect findings (fix: python -m tests.zh_typography --fix):\n" + (
        "\n".join(map(str, found))
    )


@pytest.mark.parametrize(
    ("text", "wrong"),
    [
        ("使用Dropout的64个单元。\n", "使用Dropout的64个单元。"),  # no space around Latin, digits
        ("丢弃单元,防止过拟合.\n", "丢弃单元,防止过拟合."),  # half-width punctuation
    ],
)
def test_autocorrect_flags_bad_chinese_typography(tmp_path: Path, text: str, wrong: str):
    page = tmp_path / "page.md"
    page.write_text(f"# 标题 {{ #title }}\n\n{text}", encoding="utf-8")
    found = zh_typography.findings([page])
    assert [f.old.strip() for f in found] == [wrong]


def markdownlint(*args: str | Path, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    if not MARKDOWNLINT.exists():
        pytest.fail("node_modules/.bin/markdownlint-cli2 is missing: run `make setup` (npm ci)")
    return run(MARKDOWNLINT, *args, cwd=cwd)


def test_markdown_with_markdownlint(tally):
    done = markdownlint()  # globs and rules: .markdownlint-cli2.yaml
    assert done.returncode == 0, done.stdout + done.stderr
    output = done.stdout + done.stderr
    linted = [line for line in output.splitlines() if line.startswith("Linting:")]
    assert linted, output
    tally["Markdown files checked by markdownlint"] += int(linted[0].split()[1])


MATERIAL_SYNTAX = """\
# A page { #a-page }

A footnote[^note], a [link to a section](#section), inline math \\( p = 0.5 \\).

## Section { #section }

!!! note "A note"

    An admonition body.

    ```python
    print("code in an admonition")
    ```

??? success "Answer"

    ```python
    x = 1
    ```

=== "Keras"

    Text in a tab.

<!--pytest-codeblocks:cont-->

```python
--8<-- "complete_example.py:model"
```

{{ complete_example.output.log }}

\\[
y = \\frac{m \\odot x}{1 - p}
\\]

![A figure](figures/complete_example/curves.png)

| a | b |
|---|---|
| 1 | 2 |

- item
    - nested item

[^note]: The footnote.
"""


def copy_markdownlint_config(folder: Path) -> None:
    """The config and the custom rules it loads (tools/markdownlint-emphasis.cjs)."""
    shutil.copy(ROOT / ".markdownlint-cli2.yaml", folder)
    (folder / "tools").mkdir()
    shutil.copy(ROOT / "tools" / "markdownlint-emphasis.cjs", folder / "tools")


def lintable_page(folder: Path, text: str) -> Path:
    """``docs/en/page.md`` holding ``text`` in ``folder``, beside the project's lint config."""
    copy_markdownlint_config(folder)
    page = folder / "docs" / "en" / "page.md"
    page.parent.mkdir(parents=True)
    page.write_text(text)
    return page


def test_the_markdownlint_config_fits_mkdocs_material_syntax(tmp_path: Path):
    """The syntax pages use passes; a real Markdown fault in the same page still fails."""
    page = lintable_page(tmp_path, MATERIAL_SYNTAX)
    done = markdownlint(cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr

    page.write_text(
        MATERIAL_SYNTAX.replace("## Section", "#### Section") + "```\nno language\n```\n"
    )
    done = markdownlint(cwd=tmp_path)
    output = done.stdout + done.stderr
    assert done.returncode != 0 and "MD001" in output and "MD040" in output, output


def test_autocorrect_does_not_misread_math_and_fix_keeps_it(tmp_path: Path):
    """Brackets in arithmatex math (an interval) once read as a link and gave a false finding."""
    page = tmp_path / "page.md"
    text = "# 标题 { #title }\n\n`rate` 不在 \\([0, 1)\\) 内会出错，见[下文](#below)。\n"
    page.write_text(text, encoding="utf-8")
    assert zh_typography.findings([page]) == []
    masked, math = zh_typography.mask_math("概率\\(p\\)丢弃")
    fixed = zh_typography.autocorrect_py.format_for(masked, "page.md")
    assert zh_typography.unmask_math(fixed, math) == "概率 \\(p\\) 丢弃"


EMPHASIS_AND_MATH = """\
# A page { #a-page }

Some *emphasis* and **strong** text, with \\( x_{i} + y_{j} \\) inline.

\\[
\\underbrace{a + b}_{\\text{one label}} \\\\
\\underbrace{c + d}_{\\text{another}}
\\]
"""


def test_markdownlint_fix_keeps_subscripts_in_math_and_still_fixes_emphasis(tmp_path: Path):
    """`--fix` once turned `}_{` into `}*{` inside \\[ … \\] (4eb72d4): math is left alone now."""
    page = lintable_page(tmp_path, EMPHASIS_AND_MATH)
    done = markdownlint(cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr

    page.write_text(EMPHASIS_AND_MATH.replace("*emphasis*", "_emphasis_").replace("**", "__"))
    done = markdownlint(cwd=tmp_path)
    output = done.stdout + done.stderr
    assert done.returncode != 0, output
    assert "emphasis-style-outside-math" in output and "strong-style-outside-math" in output
    markdownlint("--fix", cwd=tmp_path)
    assert page.read_text() == EMPHASIS_AND_MATH
