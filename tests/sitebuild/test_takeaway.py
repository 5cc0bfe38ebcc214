"""sitebuild/takeaway.py: the program, notebook and Colab links under an example's title."""

from __future__ import annotations

from sitebuild import takeaway

LABELS = {
    "takeaway": "Take it <away>",
    "download_py": "Program",
    "download_ipynb": "Notebook",
    "open_in_colab": "Colab",
}


def test_takeaway_and_colab_links_derive_from_repo_url():
    links = takeaway.takeaway_links(
        "complete_example", "complete-example/", "https://github.com/someone/fork", "zh/"
    )
    assert links == {
        "download_py": "../snippets/complete_example.py",
        "download_ipynb": "../notebooks/complete_example/complete_example.ipynb",
        "open_in_colab": "https://colab.research.google.com/github/someone/fork/blob/gh-pages/"
        "zh/notebooks/complete_example/complete_example.ipynb",
    }
    gitlab = "https://gitlab.com/someone/fork"
    assert "open_in_colab" not in takeaway.takeaway_links("x", "x/", gitlab)


def test_the_buttons_go_right_under_the_title_escaped_and_only_colab_in_a_new_tab():
    links = {"ex": takeaway.takeaway_links("ex", "ex/", "https://github.com/a/b")}
    block = takeaway.takeaway_html(["ex"], links, LABELS)
    assert block.startswith('<p class="takeaway" data-example="ex"><span>Take it &lt;away&gt;')
    assert (
        '<a class="md-button" data-takeaway="download_py" href="../snippets/ex.py" download>'
        in block
    )
    assert block.count(" download>") == 2 and block.count('target="_blank"') == 1
    assert takeaway.under_title("<h1>T</h1><p>x</p>", "B") == "<h1>T</h1>B<p>x</p>"
    assert takeaway.under_title("<p>x</p>", "B") == "B<p>x</p>"


def test_a_notebook_edits_as_its_example():
    url = takeaway.notebook_edit_url("ex", "https://github.com/a/b", "edit/main/docs/zh/")
    assert url == "https://github.com/a/b/edit/main/snippets/ex.py"


def test_the_buttons_go_on_the_examples_page_and_its_notebook_only():
    meta = {"ex": {"page": "ex/"}, "other": {"page": "other/"}, "unrun": {"page": "ex/"}}
    assert takeaway.examples_on_page("ex/", meta, {"ex", "other"}) == ["ex"]
    assert takeaway.examples_on_page("notebooks/other/", meta, {"ex", "other"}) == ["other"]
    assert takeaway.examples_on_page("glossary/", meta, {"ex", "other"}) == []
