"""The take-away links under an example's page title: the program, its executed
notebook, and the notebook in Colab (when the repository is on GitHub).

Every address derives from ``repo_url`` (README, "Publishing").
"""

from __future__ import annotations

import html
from urllib.parse import urljoin, urlsplit

from sitebuild.urls import relative_url

# The deploy workflow publishes site/ to this branch; Colab opens notebooks from it.
PAGES_BRANCH = "gh-pages"
COLAB = "https://colab.research.google.com/github/{repo}/blob/{branch}/{path}"


def github_repo(repo_url: str | None) -> str | None:
    """``owner/name`` when ``repo_url`` is a GitHub repository, else None."""
    parts = urlsplit(repo_url or "")
    if parts.netloc != "github.com" or parts.path.strip("/").count("/") != 1:
        return None
    return parts.path.strip("/").removesuffix(".git")


def takeaway_links(
    name: str, page_url: str, repo_url: str | None, language_folder: str = ""
) -> dict[str, str]:
    """The program, its executed notebook and the notebook in Colab, for one example;
    ``language_folder`` is where this language's site sits in the published one ("zh/")."""
    notebook = f"notebooks/{name}/{name}.ipynb"
    links = {
        "download_py": relative_url(f"snippets/{name}.py", page_url),
        "download_ipynb": relative_url(notebook, page_url),
    }
    if repo := github_repo(repo_url):
        path = language_folder + notebook
        links["open_in_colab"] = COLAB.format(repo=repo, branch=PAGES_BRANCH, path=path)
    return links


def takeaway_html(names: list[str], links: dict[str, dict[str, str]], labels: dict) -> str:
    """One paragraph of buttons per example; ``links[name]`` is its ``takeaway_links``."""
    parts = []
    for name in names:
        buttons = []
        for key, href in links[name].items():
            external = href.startswith("https://")
            attributes = ' target="_blank" rel="noopener"' if external else " download"
            buttons.append(
                f'<a class="md-button" data-takeaway="{key}" href="{html.escape(href)}"'
                f"{attributes}>{html.escape(labels[key])}</a>"
            )
        parts.append(
            f'<p class="takeaway" data-example="{name}">'
            f"<span>{html.escape(labels['takeaway'])}</span> {' '.join(buttons)}</p>"
        )
    return "".join(parts)


def examples_on_page(page_url: str, examples: dict[str, dict], names: set[str]) -> list[str]:
    """The examples (of ``names``) that the page at ``page_url`` explains or is the
    notebook of; ``examples`` is ``extra.examples`` (name -> title and page)."""
    return [
        name
        for name, meta in examples.items()
        if name in names and page_url in (meta["page"], f"notebooks/{name}/")
    ]


def under_title(html_text: str, block: str) -> str:
    """``block`` right after the page's ``</h1>`` (at the start if it has none)."""
    title_end = html_text.find("</h1>")
    if title_end < 0:
        return block + html_text
    title_end += len("</h1>")
    return html_text[:title_end] + block + html_text[title_end:]


def notebook_edit_url(name: str, repo_url: str, edit_uri: str | None) -> str:
    """A notebook is generated from the example: "Edit this page" edits the example."""
    base = urljoin(repo_url.rstrip("/") + "/", edit_uri or "")
    return urljoin(base, f"../../snippets/{name}.py")
