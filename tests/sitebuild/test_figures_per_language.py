"""Figures drawn once per language from one run (sitebuild/figures.py), by the real runner
on tiny examples, and the checks the site's figure tests use (tests/site/figures.py)."""

from __future__ import annotations

import io
from pathlib import Path

import matplotlib
import nbformat
import pytest

from sitebuild import examples, figures
from tests.site import figures as site_figures

matplotlib.use("Agg")

LABELLED = """\
import matplotlib.pyplot as plt
# --8<-- [start:labels]
LANGUAGE = "en"  # "zh" draws the figures with Chinese text
TEXT = {"en": {"loss": "Loss"}, "zh": {"loss": "损失"}}[LANGUAGE]
if LANGUAGE == "zh":
    plt.rcParams["font.family"] = ["DejaVu Sans", "Noto Sans CJK SC"]
# --8<-- [end:labels]
# --8<-- [start:data]
values = [1, 4, 9]
# --8<-- [end:data]
# --8<-- [start:draw]
fig, ax = plt.subplots(figsize=(4, 3))
ax.plot(values)
ax.set_ylabel(TEXT["loss"])
fig.savefig("drawn.svg")
# --8<-- [end:draw]
"""


def run(tmp_path: Path, body: str) -> examples.Results:
    snippets = tmp_path / "snippets"
    snippets.mkdir()
    (snippets / "drawn.py").write_text(body, encoding="utf-8")
    return examples.ensure_results(snippets, tmp_path / "cache")["drawn"]


def texts(path: Path) -> list[str]:
    return [text for text, _ in figures.svg_texts(path.read_text(encoding="utf-8"))]


def test_one_run_gives_each_language_its_figure_notebook_and_labels(tmp_path: Path):
    results = run(tmp_path, LABELLED)
    english = results.entry / "site" / "figures" / "drawn" / "drawn.svg"
    chinese = results.entry / "site-zh" / "figures" / "drawn" / "drawn.svg"

    assert "Loss" in texts(english) and "损失" not in texts(english)
    assert "损失" in texts(chinese) and "Loss" not in texts(chinese)
    # The values the pages quote are the English run's.
    assert results.values["LANGUAGE"] == "en" and results.values["TEXT"] == {"loss": "Loss"}
    assert figures.site_files(results.entry, "zh") == [
        ("figures/drawn/drawn.svg", results.entry / "site-zh")
    ]
    assert figures.site_files(results.entry, "en") == [
        ("figures/drawn/drawn.svg", results.entry / "site")
    ]
    en, zh = (
        nbformat.read(results.entry / figures.notebook_name(lang), 4) for lang in ("en", "zh")
    )
    assert en.cells[1].source.startswith('LANGUAGE = "en"')
    assert zh.cells[1].source == figures.localized(en.cells[1].source, "zh")
    assert [c.source for c in zh.cells if c.id != "cell-2"] == [
        c.source for c in en.cells if c.id != "cell-2"
    ]
    en_png, zh_png = (nb.cells[3].outputs[0].data["image/png"] for nb in (en, zh))
    assert en_png != zh_png, "the Chinese notebook shows the Chinese figure"


def test_a_labels_section_that_picks_no_chinese_font_fails_and_says_what_to_add(tmp_path: Path):
    body = LABELLED.replace(
        '    plt.rcParams["font.family"] = ["DejaVu Sans", "Noto Sans CJK SC"]\n', "    pass\n"
    )
    with pytest.raises(examples.ExampleError, match="must choose a Chinese font"):
        run(tmp_path, body)


def test_a_figure_written_outside_a_section_fails(tmp_path: Path):
    body = LABELLED + "fig.savefig('stray.svg')\n"
    with pytest.raises(examples.ExampleError, match="code outside a section writes a figure"):
        run(tmp_path, body)


def test_only_the_language_line_changes_and_it_must_be_there_once():
    source = 'LANGUAGE = "en"  # or "zh"\nTEXT = {"en": 1, "zh": 2}[LANGUAGE]'
    assert figures.localized(source, "zh") == source.replace('= "en"', '= "zh"', 1)
    assert figures.localized(source, "en") == source
    with pytest.raises(figures.LabelsError):
        figures.localized("TEXT = {}", "zh")
    with pytest.raises(figures.LabelsError):
        figures.localized(source + '\nLANGUAGE = "en"', "zh")


def svg(draw) -> str:
    import matplotlib.pyplot as plt

    with matplotlib.rc_context({"font.family": ["DejaVu Sans", figures.CJK_FONT]}):
        fig, ax = plt.subplots(figsize=(4, 3))
        draw(ax)
        buffer = io.StringIO()
        fig.savefig(buffer, format="svg")
        plt.close(fig)
    return buffer.getvalue()


def test_the_text_and_its_size_are_read_back_from_the_svg():
    found = dict(figures.svg_texts(svg(lambda ax: ax.set_title("训练 loss", fontsize=13))))
    assert found["训练 loss"] == 13
    # A superscript is drawn smaller than its text: the smaller size counts.
    power = svg(lambda ax: ax.set_xlabel("$10^{2}$", fontsize=11))
    assert 0 < dict(figures.svg_texts(power))["$10^{2}$"] < 11


@pytest.mark.parametrize(
    ("language", "text", "fails"),
    [
        ("en", "Loss", False),
        ("en", "训练 loss", True),
        ("zh", "损失", False),
        ("zh", "无 Dropout，ReLU，Keras，MC，x₁ ± 0.5", False),
        ("zh", "训练 loss", True),
        ("zh", "epoch", True),
    ],
)
def test_a_figure_in_the_wrong_language_fails(tmp_path: Path, language: str, text: str, fails):
    folder = tmp_path / ("zh" if language == "zh" else "") / "figures" / "x"
    folder.mkdir(parents=True)
    (folder / "x.svg").write_text(svg(lambda ax: ax.set_title(text)), encoding="utf-8")
    site_folder = "zh/" if language == "zh" else ""

    problems = site_figures.language_problems(tmp_path, site_folder, language)

    assert bool([p for p in problems if repr(text) in p]) == fails, problems


def test_a_figure_without_a_caption_fails():
    img = '<img alt="a" src="../figures/x/x.svg">'
    assert site_figures.caption_problems(f"<p>{img}</p>", "x/")
    assert site_figures.caption_problems(f"<figure>{img}<figcaption> </figcaption></figure>", "x/")
    assert not site_figures.caption_problems(
        f"<figure>{img}<figcaption>What it shows.</figcaption></figure>", "x/"
    )
