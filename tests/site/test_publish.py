"""Publishing: addresses derived from site_url/repo_url, take-away links, 404 pages,
the print view, "last updated", social previews and the sitemap, in both languages."""

from __future__ import annotations

import functools
import http.server
import re
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import nbformat
import pytest
import yaml
from bs4 import BeautifulSoup

from sitebuild import examples
from tests.conftest import LANGUAGES, ROOT, Build, load_lazy_images, page_url, source_pages

CONFIG = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
SITE_URL, REPO_URL = CONFIG["site_url"], CONFIG["repo_url"]
EXAMPLES = CONFIG["extra"]["examples"]
ZH_LABELS = yaml.safe_load((ROOT / "mkdocs.zh.yml").read_text(encoding="utf-8"))["extra"]["labels"]
LABELS = {"en": CONFIG["extra"]["labels"], "zh": ZH_LABELS}


def read(build: Build, path: str) -> str:
    return (build.site / path).read_text(encoding="utf-8")


def all_pages() -> list[tuple[str, str]]:
    """(language, path of index.html in the site) for every page, notebooks included."""
    pages = []
    for lang, folder in LANGUAGES.items():
        urls = [page_url(p) for p in source_pages(lang)]
        urls += [f"notebooks/{name}/" for name in EXAMPLES]
        pages += [(lang, f"{folder}{url}index.html") for url in urls]
    return pages


def head(html: str) -> str:
    return html.split("</head>", 1)[0]


# --- addresses from site_url and repo_url ------------------------------------------


def test_site_url_and_repo_url_are_set_once():
    """Only mkdocs.yml names the public address and the repository."""
    owner_repo = urlsplit(REPO_URL).path.strip("/")
    host = urlsplit(SITE_URL).netloc
    files = [ROOT / "mkdocs.zh.yml", ROOT / "README.md", *ROOT.glob("sitebuild/*.py")]
    files += [*ROOT.glob("overrides/**/*.html"), *ROOT.glob(".github/workflows/*.yml")]
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert owner_repo not in text and host not in text, f"{path} repeats an address"


@pytest.mark.parametrize(("lang", "path"), all_pages(), ids=lambda v: str(v))
def test_canonical_and_social_metadata_per_page_and_language(built_site: Build, lang, path):
    html = head(read(built_site, path))
    url = urljoin(SITE_URL, path.removesuffix("index.html"))
    assert f'<link rel="canonical" href="{url}">' in html
    assert f'<meta property="og:url" content="{url}">' in html
    meta = dict(
        re.findall(r'<meta (?:property|name)="((?:og|twitter):[\w:]+)" content="([^"]*)"', html)
    )
    root = urljoin(SITE_URL, LANGUAGES[lang])
    assert meta["og:image"] == f"{root}assets/images/social.png"
    assert (built_site.site / LANGUAGES[lang] / "assets/images/social.png").exists()
    assert meta["og:locale"] == {"en": "en_US", "zh": "zh_CN"}[lang]
    assert meta["twitter:card"] == "summary_large_image"
    assert meta["og:title"] and meta["og:title"] == meta["twitter:title"]
    assert meta["og:description"] and meta["og:description"] == meta["twitter:description"]
    if lang == "zh":
        assert re.search(r"[\u4e00-\u9fff]", meta["og:description"]), "Chinese description"
        assert re.search(r"[\u4e00-\u9fff]", meta["og:title"]), "Chinese title"
    # Material's JavaScript fetches sitemaps and rewrites language links when it
    # finds <link rel="alternate">: hreflang lives in the sitemap instead.
    assert 'rel="alternate"' not in html


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_sitemap_lists_every_page_with_both_languages(built_site: Build, lang: str):
    sitemap = read(built_site, f"{LANGUAGES[lang]}sitemap.xml")
    assert sitemap.startswith('<?xml version="1.0"')
    urls = re.findall(r"<url>(.*?)</url>", sitemap, re.S)
    pages = [p for lng, p in all_pages() if lng == lang]
    assert len(urls) >= len(pages)
    for entry in urls:
        loc = re.search(r"<loc>([^<]+)</loc>", entry)[1]
        relative = loc.removeprefix(urljoin(SITE_URL, LANGUAGES[lang]))
        alternates = dict(re.findall(r'hreflang="(\w+)" href="([^"]+)"', entry))
        assert alternates == {
            other: urljoin(SITE_URL, folder) + relative for other, folder in LANGUAGES.items()
        }
        for other, href in alternates.items():
            local = href.removeprefix(SITE_URL) + "index.html"
            assert (built_site.site / local).exists(), f"{loc}: no {other} page {href}"


@pytest.mark.parametrize(("lang", "path"), all_pages(), ids=lambda v: str(v))
def test_edit_link_and_last_updated_in_the_page_language(built_site: Build, lang, path):
    html = read(built_site, path)
    edit = re.search(
        r'<a href="([^"]+)" title="[^"]*" class="md-content__button md-icon" rel="edit"', html
    )
    assert edit, f"{path}: no edit link"
    relative = path.removeprefix(LANGUAGES[lang]).removesuffix("index.html")
    if relative.startswith("notebooks/"):
        name = relative.split("/")[1]
        assert edit[1] == f"{REPO_URL}/edit/main/snippets/{name}.py"
        return  # generated from the example: no git history of its own
    source = relative.rstrip("/") + ".md" if relative else "index.md"
    assert edit[1] == f"{REPO_URL}/edit/main/docs/{lang}/{source}"
    assert (ROOT / "docs" / lang / source).exists()
    date = re.search(r'git-revision-date-localized-plugin-date"[^>]*>([^<]+)<', html)
    assert date, f"{path}: no last-updated date"
    if lang == "zh":
        assert re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", date[1].strip()), date[1]
    else:
        assert re.fullmatch(r"[A-Z][a-z]+ \d{1,2}, \d{4}", date[1].strip()), date[1]


def test_the_repository_link_fetches_nothing(built_site: Build):
    """Material's source component asks api.github.com for stars: ours is a plain link."""
    html = read(built_site, "index.html")
    assert f'href="{REPO_URL}"' in html
    assert 'data-md-component="source"' not in html


# --- take-away code ----------------------------------------------------------------


def colab_url(lang: str, name: str) -> str:
    repo = urlsplit(REPO_URL).path.strip("/")
    notebook = f"{LANGUAGES[lang]}notebooks/{name}/{name}.ipynb"
    return f"https://colab.research.google.com/github/{repo}/blob/gh-pages/{notebook}"


def takeaway_pages() -> list[tuple[str, str, str]]:
    return [
        (lang, name, f"{folder}{where}")
        for lang, folder in LANGUAGES.items()
        for name, meta in EXAMPLES.items()
        for where in (meta["page"], f"notebooks/{name}/")
    ]


def fetch(url: str) -> bytes:
    """``url``'s body from the local server; an HTTP error fails the test, naming the URL."""
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.read()
    except urllib.error.HTTPError as error:
        pytest.fail(f"{url}: HTTP {error.code} {error.reason}")


@pytest.mark.parametrize(("lang", "name", "path"), takeaway_pages(), ids=lambda v: str(v))
def test_take_away_links_work(site_url: str, built_site: Build, lang, name, path):
    """The links are in the served HTML and no script touches them (the page-load tests
    run every page's scripts in Chromium): each is resolved against the page's address,
    as a browser resolves it, and fetched from the server."""
    address = site_url + path
    soup = BeautifulSoup(fetch(address).decode("utf-8"), "html.parser")
    assert soup.base is None, f"{path}: a <base> would change where the links go"
    blocks = soup.select(f'.takeaway[data-example="{name}"]')
    assert len(blocks) == 1, f"{path}: no take-away links for {name}"
    hrefs = {
        key: urljoin(address, blocks[0].select_one(f'a[data-takeaway="{key}"]')["href"])
        for key in ("download_py", "download_ipynb", "open_in_colab")
    }
    labels = blocks[0].get_text()
    for key in ("download_py", "download_ipynb", "open_in_colab", "takeaway"):
        assert LABELS[lang][key] in labels, f"{path}: label {key} not in {lang}"
    # The program, byte for byte (drawing its figures in the page's language: its one
    # `LANGUAGE = "en"` line set to the page's), and the executed notebook.
    program = fetch(hrefs["download_py"])
    source = (ROOT / "snippets" / f"{name}.py").read_text(encoding="utf-8")
    if lang != "en" and 'LANGUAGE = "en"' in source:
        source = source.replace('LANGUAGE = "en"', f'LANGUAGE = "{lang}"', 1)
        assert f'LANGUAGE = "{lang}"'.encode() in program, f"{path}: {name}.py draws in English"
    assert program == source.encode("utf-8")
    download = fetch(hrefs["download_ipynb"])
    notebook = nbformat.reads(download.decode("utf-8"), as_version=4)
    nbformat.validate(notebook)
    assert any(cell.get("outputs") for cell in notebook.cells), "executed: has outputs"
    # Colab opens the same file from the published branch (site/ at its root).
    assert hrefs["open_in_colab"] == colab_url(lang, name)
    branch_path = hrefs["open_in_colab"].split("/blob/gh-pages/", 1)[1]
    assert (built_site.site / branch_path).read_bytes() == download
    assert urlsplit(hrefs["download_ipynb"]).path.lstrip("/") == branch_path


COLAB_HAS = {"keras", "tensorflow", "torch", "numpy", "sklearn", "matplotlib", "scipy", "pandas"}


@pytest.mark.parametrize("example", examples.discover(), ids=lambda e: e.name)
def test_notebooks_need_nothing_colab_lacks(example: examples.Example):
    """Colab ships TensorFlow, Keras 3, PyTorch, scikit-learn, Matplotlib, NumPy, SciPy and pandas,
    so the notebooks start with no install cell. An example that imports anything else
    (or a module beside it, which Colab does not have) needs a pinned `%pip install`."""
    import ast
    import sys

    tree = ast.parse(example.path.read_text(encoding="utf-8"))
    imported = {
        alias.name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    } | {
        node.module.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module and not node.level
    }
    third_party = imported - set(sys.stdlib_module_names)
    assert third_party <= COLAB_HAS, f"{example.name} imports {third_party - COLAB_HAS}"
    assert examples.local_imports(example.path) == [], "Colab has no project modules"


# --- 404, print view ---------------------------------------------------------------


class _GitHubPages(http.server.SimpleHTTPRequestHandler):
    """Serves the site under site_url's path and answers misses with the root 404.html."""

    prefix = urlsplit(SITE_URL).path

    def log_message(self, *args: object) -> None:
        pass

    def send_head(self):
        if not self.path.startswith(self.prefix):
            self.send_error(404)
            return None
        self.path = "/" + self.path[len(self.prefix) :]
        local = Path(self.translate_path(self.path))
        if not (local.is_file() or (local / "index.html").is_file()):
            body = (Path(self.directory) / "404.html").read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            import io

            return io.BytesIO(body)
        return super().send_head()


@pytest.fixture(scope="module")
def pages_url(built_site: Build) -> Iterator[str]:
    """The built site as GitHub Pages serves it: under site_url's path, with 404.html."""
    handler = functools.partial(_GitHubPages, directory=str(built_site.site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}{_GitHubPages.prefix}"
    server.shutdown()


def load_recording(browser, url: str):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    record = {"failed": [], "errors": [], "hosts": set()}
    page.on("requestfailed", lambda r: record["failed"].append(r.url))
    page.on("pageerror", lambda e: record["errors"].append(str(e)))
    page.on("request", lambda r: record["hosts"].add(urlsplit(r.url).netloc))
    response = page.goto(url, wait_until="networkidle")
    return page, response, record


@pytest.mark.browser
@pytest.mark.parametrize(
    ("path", "lang", "title"),
    [
        ("no/such/page/", "en", "Page not found"),
        ("zh/no/such/page/", "en", "Page not found"),  # GitHub Pages serves the root 404
        ("zh/404.html", "zh", "页面不存在"),
    ],
)
def test_404_pages_in_both_languages(browser, pages_url: str, path: str, lang: str, title: str):
    page, response, record = load_recording(browser, pages_url + path)
    try:
        if path.endswith("/"):
            assert response.status == 404
        assert page.get_attribute("html", "lang") == lang
        assert page.inner_text("article h1") == title
        assert record["failed"] == [] and record["errors"] == [], record
        assert record["hosts"] == {urlsplit(pages_url).netloc}
        other = page.locator("a[data-home-other]")
        assert other.count() == 1, "a way to the other language's home page"
        page.click("a[data-home]")
        page.wait_for_load_state()
        home = pages_url + LANGUAGES[lang]
        assert page.url == home and page.inner_text("article h1")
    finally:
        page.close()


@pytest.mark.browser
@pytest.mark.parametrize("lang", LANGUAGES)
def test_print_view_holds_every_page_with_figures_and_math(
    browser, site_url: str, built_site: Build, lang: str
):
    folder = LANGUAGES[lang]
    page, _, record = load_recording(browser, f"{site_url}{folder}print_page/")
    try:
        assert record["failed"] == [] and record["errors"] == [], record
        assert record["hosts"] == {urlsplit(site_url).netloc}
        text = page.inner_text("article")
        for source in source_pages(lang):
            h1 = re.search(
                r"^# (.+?)(?: \{.*\})?$", (ROOT / "docs" / lang / source).read_text("utf-8"), re.M
            )
            assert h1 and h1[1] in text, f"{source} missing from the print view"
        load_lazy_images(page)
        broken = page.eval_on_selector_all(
            "article img",
            "imgs => imgs.filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src)",
        )
        figures = page.eval_on_selector_all("article img", "imgs => imgs.length")
        assert figures >= 1 and broken == []
        math = page.eval_on_selector_all(".arithmatex", "els => els.length")
        rendered = page.eval_on_selector_all(".arithmatex .katex", "els => els.length")
        assert math >= 1 and rendered >= math
        # Every page links to it.
        html = read(built_site, f"{folder}complete-example/index.html")
        assert 'href="../print_page/"' in html and "data-print-site" in html
    finally:
        page.close()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_highlighted_lines_are_the_ones_the_page_points_at(built_site: Build, lang: str):
    """complete-example highlights the Dropout layers of the model (hl_lines="7 9"):
    if the example changes, the numbers must follow."""
    html = read(built_site, f"{LANGUAGES[lang]}complete-example/index.html")
    highlighted = re.findall(r'<span class="hll">(.*?)\n', html)
    text = [re.sub(r"<[^>]+>", "", line) for line in highlighted]
    dropout = "keras.layers.Dropout(dropout_rate, seed="
    assert len(text) == 2 and all(dropout in t for t in text), text


@pytest.mark.browser
@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_slimmed_notebook_css_still_styles_the_notebook(
    browser, site_url: str, built_site: Build, lang: str, scheme: str
):
    """The hook keeps only the notebook CSS the page uses (was ~590 KB inline); the large
    part is a linked file (test_page_weight checks it styles the page as inline would)."""
    path = f"{LANGUAGES[lang]}notebooks/complete_example/"
    html = read(built_site, path + "index.html")
    inline = sum(len(m[1]) for m in re.finditer(r"<style[^>]*>(.*?)</style>", html, re.S))
    linked = sum(
        len(read(built_site, str(Path(path, href))).encode())
        for href in re.findall(
            r'<link rel="stylesheet" href="([^"]*/stylesheets/notebook/[^"]+)"', html
        )
    )
    assert linked, "no notebook style sheet linked"
    assert 10_000 < inline + linked < 150_000, (inline, linked)
    page = browser.new_page(color_scheme=scheme)
    try:
        page.goto(site_url + path)
        style = page.evaluate(
            """() => {
              const get = (s, p) => getComputedStyle(document.querySelector(s))[p];
              return {
                copy_text: get('.clipboard-copy-txt', 'display'),
                code_background: get('.highlight-ipynb', 'backgroundColor'),
                editor_border: get('.jp-InputArea-editor', 'borderTopStyle'),
                keyword: get('.highlight-ipynb .kn', 'color'),
                name: get('.highlight-ipynb .nn', 'color'),
                prompt: get('.jp-InputPrompt', 'color'),
                body: get('.jupyter-wrapper', 'color'),
              };
            }"""
        )
        assert style["copy_text"] == "none", "the hidden copy text shows"
        assert style["code_background"] != "rgba(0, 0, 0, 0)", "code cells lost their background"
        assert style["editor_border"] == "solid"
        assert style["keyword"] != style["name"], "syntax highlighting lost"
        assert style["prompt"] != style["body"], "prompt colours lost"
    finally:
        page.close()
